"""The embargo guarantee: nothing public shows a bulletin before its instant.

A bulletin carrying a unique marker (in its title and problem), a CVE id used nowhere
else and its own article id is taken through draft, review, approval and an embargo.
At every stage the whole public site is crawled (the site, feeds, API, sitemap and
alert form, following every same-site link) and must be byte for byte what it was
before the bulletin existed; URLs that name one of its secrets must answer exactly as
they do for a decoy that never existed. Once the clock passes the instant, the very
next read shows it everywhere, with no background task.

The catalog entries made for the embargoed fix are secrets too (finding 13.3): a
release and a version (with a channel and release of its own) the bulletin names, and
a channel and a product nothing names, all created hidden before the bulletin, each
name carrying a marker. None shows before the embargo lifts (nor in a static export);
then the named ones show, and the others stay hidden.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from herald import demo
from herald.bootstrap import Herald
from herald.domain import BulletinContent, ChannelRef, Fix, VersionRef
from herald.services.actors import Actor

from .conftest import MovableClock
from .test_site_support import Response, content, crawl, export

MARKER = "Qx7FennecMarker"
ARTICLE_ID = "CTX987654"
CVE = "CVE-2026-99817"
RELEASE_MARKER = "Rk4SilentBuild"
"""In the name of a hidden release on XenServer 8.4 / Normal; the bulletin's fix."""
VERSION_MARKER = "Vq8QuietStream"
"""The name of a hidden version of XenServer (its channel Normal and release
``{VERSION_MARKER}.1`` are not hidden themselves); the bulletin affects it."""
CHANNEL_MARKER = "Cw7MutedLane"
"""The name of a hidden channel of XenServer 8.4 that nothing names."""
PRODUCT_MARKER = "Pm6HushedKit"
PRODUCT_ID = PRODUCT_MARKER.lower()
"""A hidden product (its version not hidden itself) that nothing names."""
CATALOG_SECRETS = (RELEASE_MARKER, VERSION_MARKER, CHANNEL_MARKER, PRODUCT_MARKER)
SECRETS = (MARKER, ARTICLE_ID, CVE, *CATALOG_SECRETS)
DECOYS = {
    MARKER: "Zw4DecoyedWords",
    ARTICLE_ID: "CTX987650",
    CVE: "CVE-2026-99818",
    RELEASE_MARKER: "Tz1MissingBuild",
    VERSION_MARKER: "Jn5AbsentStream",
    CHANNEL_MARKER: "Hb3NoSuchLane",
    PRODUCT_MARKER: "Dk2UnknownKit",
    PRODUCT_ID: "dk2unknownkit",
}
HIDDEN_RELEASE = f"8.4.{RELEASE_MARKER}"

ENTRY_POINTS = (
    "/",
    "/sitemap.xml",
    "/robots.txt",
    "/products/",
    "/products/xenserver",
    "/feeds/",
    "/feeds/bulletins.atom",
    "/feeds/bulletins.rss",
    "/feeds/products/xenserver.atom",
    "/feeds/products/xenserver.rss",
    "/api/v1/bulletins",
    "/api/v1/products",
    "/?product=xenserver",
    "/?product=xenserver&version=8.4",
    "/?severity=Critical",
    "/?year=2026",
    "/?year=2026&severity=Critical&product=xenserver&version=8.4",
    "/api/v1/bulletins?year=2026",
    "/api/v1/bulletins?severity=Critical",
    "/api/v1/bulletins?product=xenserver&version=8.4",
    "/api/v1/products/xenserver",
    "/api/v1/products/xenserver/versions/8.4",
    "/alerts/subscribe",
)
"""Where the crawl starts; routes not built yet answer 404 and are crawled once they exist."""
PROBES = (
    f"/?q={MARKER}",
    f"/?q={MARKER.lower()[2:12]}",
    f"/?q={ARTICLE_ID}",
    f"/?q={CVE}",
    f"/cve/{CVE}",
    f"/bulletins/{ARTICLE_ID}",
    f"/bulletins/{ARTICLE_ID}.json",
    f"/bulletins/{ARTICLE_ID}.txt",
    f"/bulletins/{ARTICLE_ID}.md",
    f"/api/v1/bulletins/{ARTICLE_ID}",
    f"/api/v1/bulletins?q={MARKER}",
    f"/api/v1/bulletins?cve={CVE}",
    f"/api/v1/bulletins?q={ARTICLE_ID}",
    f"/products/{PRODUCT_ID}",
    f"/feeds/products/{PRODUCT_ID}.atom",
    f"/feeds/products/{PRODUCT_ID}.rss",
    f"/?product={PRODUCT_ID}",
    f"/?q={PRODUCT_MARKER}",
    f"/api/v1/products/{PRODUCT_ID}",
    f"/api/v1/products/{PRODUCT_ID}/versions/1",
    f"/api/v1/bulletins?product={PRODUCT_ID}",
    f"/?product=xenserver&version={VERSION_MARKER}",
    f"/api/v1/bulletins?product=xenserver&version={VERSION_MARKER}",
    f"/api/v1/products/xenserver/versions/{VERSION_MARKER}",
    f"/api/v1/products/xenserver/versions/{VERSION_MARKER}/channels/Normal/releases",
    f"/api/v1/products/xenserver/versions/8.4/channels/{CHANNEL_MARKER}/releases",
    f"/?q={RELEASE_MARKER}",
)
"""URLs that name a secret: they must answer as for something that never existed."""
SUBSCRIBE_PROBES = (
    {"email": "reader@example.com", "products": PRODUCT_ID},
    {"email": "reader@example.com", "versions": f"xenserver:{VERSION_MARKER}"},
    {"email": "reader@example.com", "versions": f"{PRODUCT_ID}:1"},
)
"""Alert forms naming a hidden entry: refused as for an entry that never existed."""
VOLATILE_HEADERS = {"etag", "content-length", "date", "last-modified", "set-cookie"}


def _snapshot(client: TestClient) -> dict[str, tuple[int, bytes]]:
    pages = crawl(client, ENTRY_POINTS)
    for path, response in pages.items():
        _assert_secret_free(path, response)
    return {
        path: (response.status_code, response.content)
        for path, response in pages.items()
        if not path.startswith("/staff")
    }


def _assert_secret_free(path: str, response: Response) -> None:
    for secret in SECRETS:
        assert secret.lower() not in response.text.lower(), (path, secret)
        assert secret not in response.reason_phrase, (path, secret)
        for name, value in response.headers.items():
            assert secret not in value, (path, name, secret)


def _decoy(text: str) -> str:
    for secret, decoy in DECOYS.items():
        text = text.replace(secret, decoy)
    return text


def _reveal(text: str) -> str:
    for secret, decoy in DECOYS.items():
        text = text.replace(decoy, secret).replace(decoy.lower(), secret.lower())
    return text


def _assert_probes_blind(client: TestClient) -> None:
    """Each probe answers exactly like the same URL naming a decoy that never existed, and
    so does the alert form asked for a hidden product or version."""
    for probe in PROBES:
        real = client.get(probe)
        _assert_alike(probe, real, client.get(_decoy(probe)))
        assert real.status_code in (200, 404, 422), probe
    for form in SUBSCRIBE_PROBES:
        real = client.post("/alerts/subscribe", data=form)
        decoy = client.post("/alerts/subscribe", data={k: _decoy(v) for k, v in form.items()})
        _assert_alike(f"POST /alerts/subscribe {form}", real, decoy)
        assert real.status_code == 422, form


def _assert_alike(probe: str, real: Response, decoy: Response) -> None:
    assert real.status_code == decoy.status_code, probe
    assert real.text == _reveal(decoy.text), probe
    headers = {k: _reveal(v) for k, v in decoy.headers.items() if k not in VOLATILE_HEADERS}
    assert {k: v for k, v in real.headers.items() if k not in VOLATILE_HEADERS} == headers
    assert real.reason_phrase == decoy.reason_phrase


def _assert_invisible(client: TestClient, baseline: dict[str, tuple[int, bytes]]) -> None:
    now = _snapshot(client)
    assert now.keys() == baseline.keys()
    for path, (status, body) in now.items():
        assert (status, body) == baseline[path], f"{path} changed"
    _assert_probes_blind(client)


@pytest.fixture
def hidden_catalog(herald: Herald) -> None:
    """The catalog entries made for the embargoed fix, all created hidden (by the
    operator) before the public site is first crawled."""
    catalog = herald.catalog
    catalog.add_release("xenserver", "8.4", "Normal", HIDDEN_RELEASE, "2026-11-02", hidden=True)
    catalog.add_version("xenserver", VERSION_MARKER, "supported", hidden=True)
    catalog.add_channel("xenserver", VERSION_MARKER, "Normal")
    catalog.add_release("xenserver", VERSION_MARKER, "Normal", f"{VERSION_MARKER}.1", "2026-11-02")
    catalog.add_channel("xenserver", "8.4", CHANNEL_MARKER, hidden=True)
    catalog.add_release("xenserver", "8.4", CHANNEL_MARKER, "8.4.muted.1", "2026-11-02")
    catalog.add_product(PRODUCT_ID, f"{PRODUCT_MARKER} Appliance", hidden=True)
    catalog.add_version(PRODUCT_ID, "1", "supported")
    catalog.add_channel(PRODUCT_ID, "1", "Normal")


@pytest.fixture
def baseline(client: TestClient, hidden_catalog: None) -> dict[str, tuple[int, bytes]]:
    """The public site before the secret bulletin exists (the hidden entries do)."""
    site = _snapshot(client)
    assert site["/"][0] == 200 and "1 bulletin," in site["/"][1].decode()
    assert "/alerts/subscribe" in site and "/api/v1/products/xenserver/versions/8.4" in site
    return site


def _actor(herald: Herald, username: str) -> Actor:
    user = herald.accounts.user(username)
    assert user is not None
    return Actor.staff(user)


def _secret_content() -> BulletinContent:
    """Affects XenServer 8.4 and the hidden version; fixed by the hidden releases."""
    body = content(
        f"Hypervisor flaw {MARKER}",
        [CVE],
        severity="Critical",
        problem=f"The embargoed problem {MARKER} lets a guest escape.",
    )
    return replace(
        body,
        affected=(VersionRef(demo.XENSERVER, "8.4"), VersionRef(demo.XENSERVER, VERSION_MARKER)),
        fixes=(
            body.fixes[0],
            Fix(ChannelRef(demo.XENSERVER, "8.4", "Normal"), release=HIDDEN_RELEASE),
            Fix(
                ChannelRef(demo.XENSERVER, VERSION_MARKER, "Normal"),
                release=f"{VERSION_MARKER}.1",
            ),
        ),
    )


def test_a_bulletin_is_invisible_until_its_embargo_lifts_then_everywhere(
    herald: Herald,
    clock: MovableClock,
    client: TestClient,
    staff: dict[str, str],
    baseline: dict[str, tuple[int, bytes]],
) -> None:
    alice, bob, carol = (
        _actor(herald, staff[role]) for role in ("author", "reviewer", "publisher")
    )
    herald.authoring.create_draft(_secret_content(), ARTICLE_ID, actor=alice)
    _assert_invisible(client, baseline)
    herald.authoring.submit(ARTICLE_ID, actor=alice)
    _assert_invisible(client, baseline)
    herald.authoring.approve(ARTICLE_ID, actor=bob)
    _assert_invisible(client, baseline)
    release_at = clock.now() + timedelta(hours=1)
    herald.authoring.schedule(ARTICLE_ID, release_at, actor=carol)
    _assert_invisible(client, baseline)
    clock.advance(timedelta(minutes=59, seconds=59))
    _assert_invisible(client, baseline)

    clock.advance(timedelta(seconds=2))
    _assert_visible_everywhere(client)
    assert "2 bulletins" in client.get("/").text
    _assert_named_entries_show_the_others_stay_hidden(client)

    herald.authoring.withdraw(ARTICLE_ID, "Withdrawn: not affected after all")
    page = client.get(f"/bulletins/{ARTICLE_ID}")
    assert page.status_code == 200
    assert "This bulletin was withdrawn on" in page.text and MARKER in page.text
    assert ARTICLE_ID in client.get("/").text


def _assert_visible_everywhere(client: TestClient) -> None:
    listing = client.get("/")
    assert ARTICLE_ID in listing.text and MARKER in listing.text
    for path in (f"/?q={MARKER}", f"/?q={CVE}", "/?severity=Critical", "/products/xenserver"):
        assert f'href="/bulletins/{ARTICLE_ID}"' in client.get(path).text, path
    redirect = client.get(f"/cve/{CVE}")
    assert (
        redirect.status_code == 303 and redirect.headers["location"] == f"/bulletins/{ARTICLE_ID}"
    )
    for suffix in ("", ".json", ".txt", ".md"):
        response = client.get(f"/bulletins/{ARTICLE_ID}{suffix}")
        assert response.status_code == 200 and MARKER in response.text, suffix
    assert f"/bulletins/{ARTICLE_ID}</loc>" in client.get("/sitemap.xml").text
    optional = (
        f"/api/v1/bulletins/{ARTICLE_ID}",
        f"/api/v1/bulletins?q={MARKER}",
        "/api/v1/bulletins",
        "/feeds/bulletins.atom",
        "/feeds/bulletins.rss",
    )
    for path in optional:
        response = client.get(path)
        if response.status_code == 404 and client.get(_decoy(path)).status_code == 404:
            continue  # a colleague's route not built yet
        assert response.status_code == 200 and ARTICLE_ID in response.text, path


def _assert_named_entries_show_the_others_stay_hidden(client: TestClient) -> None:
    """The release and version the bulletin names show on the product page, in the API
    and on the alert form; the channel and product nothing names are still nowhere."""
    product_page = client.get("/products/xenserver").text
    assert HIDDEN_RELEASE in product_page and f"XenServer {VERSION_MARKER}" in product_page
    assert VERSION_MARKER in client.get("/api/v1/products/xenserver").text
    assert VERSION_MARKER in client.get("/api/v1/products").text
    assert HIDDEN_RELEASE in client.get("/api/v1/products/xenserver/versions/8.4").text
    releases = client.get(
        f"/api/v1/products/xenserver/versions/{VERSION_MARKER}/channels/Normal/releases"
    )
    assert releases.status_code == 200 and f"{VERSION_MARKER}.1" in releases.text
    assert f"xenserver:{VERSION_MARKER}" in client.get("/alerts/subscribe").text
    for path, response in crawl(client, ENTRY_POINTS).items():
        for secret in (CHANNEL_MARKER, PRODUCT_MARKER):
            assert secret.lower() not in response.text.lower(), (path, secret)
    assert client.get(f"/products/{PRODUCT_ID}").status_code == 404
    assert client.get(f"/api/v1/products/{PRODUCT_ID}").status_code == 404


def test_drafts_and_bulletins_in_review_stay_invisible(
    herald: Herald,
    client: TestClient,
    staff: dict[str, str],
    baseline: dict[str, tuple[int, bytes]],
) -> None:
    alice = _actor(herald, staff["author"])
    herald.authoring.create_draft(_secret_content(), ARTICLE_ID, actor=alice)
    herald.authoring.create_draft(
        content(f"Second draft {MARKER}", [CVE]), "CTX987653", actor=alice
    )
    herald.authoring.submit("CTX987653", actor=alice)
    _assert_invisible(client, baseline)
    for path in ("/bulletins/CTX987653", "/bulletins/CTX987653.json"):
        assert client.get(path).status_code == 404


def _exported_text(root: Path) -> dict[str, str]:
    return {
        file.relative_to(root).as_posix(): file.read_text(encoding="utf-8", errors="replace")
        for file in sorted(root.rglob("*"))
        if file.is_file()
    }


def test_a_static_export_during_the_embargo_holds_no_secret(
    herald: Herald,
    clock: MovableClock,
    staff: dict[str, str],
    hidden_catalog: None,
    tmp_path: Path,
) -> None:
    """No file (name or content) of an export made under the embargo holds a secret of
    the bulletin or of the hidden catalog; an export after it holds the named ones."""
    alice, bob, carol = (
        _actor(herald, staff[role]) for role in ("author", "reviewer", "publisher")
    )
    herald.authoring.create_draft(_secret_content(), ARTICLE_ID, actor=alice)
    herald.authoring.submit(ARTICLE_ID, actor=alice)
    herald.authoring.approve(ARTICLE_ID, actor=bob)
    herald.authoring.schedule(ARTICLE_ID, clock.now() + timedelta(hours=1), actor=carol)

    during = tmp_path / "during"
    export(herald, during)
    files = _exported_text(during)
    assert "products/xenserver/index.html" in files
    for name, text in files.items():
        for secret in SECRETS:
            assert secret.lower() not in name.lower(), (name, secret)
            assert secret.lower() not in text.lower(), (name, secret)

    clock.advance(timedelta(hours=1, seconds=1))
    after = tmp_path / "after"
    export(herald, after)
    files = _exported_text(after)
    assert f"bulletins/{ARTICLE_ID}/index.html" in files
    assert HIDDEN_RELEASE in files["products/xenserver/index.html"]
    assert VERSION_MARKER in files["products/xenserver/index.html"]
    assert HIDDEN_RELEASE in files["api/v1/products/xenserver/versions/8.4/index.json"]
    for name, text in files.items():
        for secret in (CHANNEL_MARKER, PRODUCT_MARKER):
            assert secret.lower() not in (name + text).lower(), (name, secret)
