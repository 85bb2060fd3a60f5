"""Catalog editing under /staff/catalog, through real HTTP on SQLite and PostgreSQL:
what a publisher changes shows on the product page and in the audit log (one entry,
before and after); an author may look but not change; bad input comes back with the
message next to its field, and nothing changes."""

from __future__ import annotations

import html
import re

import pytest
from fastapi import FastAPI

from herald.bootstrap import Herald
from herald.domain.audit import AuditEntry
from herald.domain.catalog import Catalog, Lifecycle
from herald.domain.identity import ProductIdentity

from .staff_support import Form, StaffClient, bulletin_form, new_id, signed_in

PRODUCT = "/staff/catalog/xenserver"
NEW_RELEASE: Form = {
    "version": "8.4",
    "channel": "Normal",
    "name": "8.4.2026-11-02",
    "released_on": "2026-11-02",
    "components": "xen-hypervisor 4.17.5-21\nxapi 25.1.0",
}


def _catalog(herald: Herald) -> Catalog:
    return herald.catalog.catalog()


def _entries(herald: Herald) -> list[AuditEntry]:
    """Every catalog entry of the audit log, oldest first."""
    with herald.database.unit_of_work() as uow:
        entries = uow.audit.list(limit=500)
    return [e for e in reversed(entries) if e.action.startswith("catalog.")]


def field_error(page: str, name: str) -> str:
    """The message shown next to the field ``name`` (which is marked invalid)."""
    match = re.search(rf'<p class="error" id="{re.escape(name)}-error">(.*?)</p>', page)
    assert match is not None, f"no error next to {name}"
    assert re.search(rf'id="f-[^"]*-{re.escape(name)}"[^>]*aria-invalid="true"', page), name
    return html.unescape(match.group(1))


def shown(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture
def carol(app: FastAPI, staff: dict[str, str]) -> StaffClient:
    return signed_in(app, staff["publisher"])


def test_a_publisher_adds_the_fixed_release_and_a_draft_names_it_at_once(
    app: FastAPI, herald: Herald, staff: dict[str, str], carol: StaffClient
) -> None:
    page = carol.get(PRODUCT)
    assert page.status_code == 200
    assert 'action="/staff/catalog/xenserver/releases"' in page.text

    added = carol.post(f"{PRODUCT}/releases", NEW_RELEASE)
    assert added.status_code == 303 and added.headers["location"] == PRODUCT
    page = carol.get(PRODUCT)
    text = shown(page.text)
    assert "Release 8.4.2026-11-02 added to 8.4 / Normal." in text
    assert "8.4.2026-11-02" in text and "xapi 25.1.0" in text
    release = _catalog(herald).product("xenserver").version("8.4").channel("Normal")
    assert release.latest_release is not None and release.latest_release.name == "8.4.2026-11-02"

    [entry] = _entries(herald)
    assert (entry.actor, entry.action, entry.subject) == (
        "carol",
        "catalog.release.add",
        "product:xenserver",
    )
    audit = signed_in(app, staff["admin"]).get("/staff/audit?subject=product:xenserver").text
    assert audit.count('<code class="action">catalog.release.add</code>') == 1
    assert re.search(r'<span class="add">\+.*8\.4\.2026-11-02', audit)

    # no YAML round trip: the bulletin form offers the new release as the fix
    alice = signed_in(app, staff["author"])
    assert "8.4.2026-11-02" in alice.get("/staff/bulletins/new").text
    draft = new_id(
        alice.post("/staff/bulletins/new", bulletin_form(**{"fix-1-release": "8.4.2026-11-02"}))
    )
    stored = herald.reading.bulletin(draft)
    assert {f.release for f in stored.fixes} == {"8.4.2026-03-19", "8.4.2026-11-02"}


def test_each_change_shows_on_the_page_with_one_audit_entry(
    herald: Herald, carol: StaffClient
) -> None:
    steps: list[tuple[str, Form, str, str]] = [
        (
            "/staff/catalog/",
            {"id": "xenapp", "name": "XenApp", "update_instructions_url": ""},
            "catalog.product.add",
            "Product XenApp added.",
        ),
        (
            "/staff/catalog/xenapp",
            {"name": "XenApp and XenDesktop", "update_instructions_url": "https://example.com/u"},
            "catalog.product.change",
            "Product XenApp and XenDesktop saved.",
        ),
        (
            "/staff/catalog/xenapp/versions",
            {"name": "2402", "lifecycle": "preview", "lifecycle_label": "Tech Preview"},
            "catalog.version.add",
            "Version 2402 added.",
        ),
        (
            "/staff/catalog/xenapp/lifecycle",
            {"version": "2402", "lifecycle": "supported", "lifecycle_label": ""},
            "catalog.version.change",
            "Version 2402 saved.",
        ),
        (
            "/staff/catalog/xenapp/channels",
            {"version": "2402", "name": "LTSR"},
            "catalog.channel.add",
            "Channel LTSR added to 2402.",
        ),
        (
            "/staff/catalog/xenapp/releases",
            {"version": "2402", "channel": "LTSR", "name": "2402 CU1", "released_on": "2026-10-01"},
            "catalog.release.add",
            "Release 2402 CU1 added to 2402 / LTSR.",
        ),
        (
            "/staff/catalog/xenapp/release",
            {
                "version": "2402",
                "channel": "LTSR",
                "release": "2402 CU1",
                "released_on": "2026-10-02",
                "components": "vda 2402.1",
            },
            "catalog.release.change",
            "Release 2402 CU1 saved.",
        ),
    ]
    for count, (path, form, action, message) in enumerate(steps, start=1):
        response = carol.post(path, form)
        assert response.status_code == 303, (path, response.text[:500])
        assert response.headers["location"] == "/staff/catalog/xenapp"
        assert message in shown(carol.get("/staff/catalog/xenapp").text), path
        entries = _entries(herald)
        assert len(entries) == count and entries[-1].action == action, path
        assert entries[-1].actor == "carol" and entries[-1].after is not None
        assert (entries[-1].before is None) == (count == 1)

    page = shown(carol.get("/staff/catalog/xenapp").text)
    assert "XenApp and XenDesktop 2402 Supported" in " ".join(page.split())
    assert "2026-10-02" in page and "vda 2402.1" in page
    assert "XenApp and XenDesktop" in shown(carol.get("/staff/catalog/").text)
    edit = carol.get("/staff/catalog/xenapp/release?version=2402&channel=LTSR&release=2402+CU1")
    assert edit.status_code == 200 and 'value="2026-10-02"' in edit.text

    # XenServer 9 leaves preview
    assert (
        carol.post(f"{PRODUCT}/lifecycle", {"version": "9", "lifecycle": "supported"}).status_code
        == 303
    )
    nine = _catalog(herald).product("xenserver").version("9")
    assert (nine.lifecycle, nine.state_label) == (Lifecycle.SUPPORTED, "Supported")
    assert "9 Supported" in " ".join(shown(carol.get(PRODUCT).text).split())


POSTS: list[tuple[str, Form]] = [
    ("/staff/catalog/", {"id": "xenapp", "name": "XenApp"}),
    (PRODUCT, {"name": "Renamed"}),
    (f"{PRODUCT}/versions", {"name": "10", "lifecycle": "preview"}),
    (f"{PRODUCT}/lifecycle", {"version": "9", "lifecycle": "supported"}),
    (f"{PRODUCT}/channels", {"version": "8.4", "name": "Extended"}),
    (f"{PRODUCT}/releases", NEW_RELEASE),
    (
        f"{PRODUCT}/release",
        {
            "version": "8.4",
            "channel": "Normal",
            "release": "8.4.2026-03-24",
            "released_on": "2026-03-25",
        },
    ),
]


def test_an_author_may_look_but_not_change(
    app: FastAPI, herald: Herald, staff: dict[str, str]
) -> None:
    alice = signed_in(app, staff["author"])
    page = alice.get(PRODUCT)
    assert page.status_code == 200
    assert "8.4.2026-03-24" in page.text and "Public Preview" in page.text
    assert "<form" not in page.text.split('class="staff-bar"', 1)[1].split("</div>", 1)[1]
    assert '<li><a href="/staff/catalog/">Catalog</a></li>' in page.text
    assert alice.get("/staff/catalog/").status_code == 200
    before, entries = _catalog(herald), _entries(herald)
    for path, form in POSTS:
        response = alice.post(path, form)
        assert response.status_code == 403, path
        assert "alice may not manage catalog" in response.text, path
    edit = alice.get(f"{PRODUCT}/release?version=8.4&channel=Normal&release=8.4.2026-03-24")
    assert edit.status_code == 403
    assert _catalog(herald) == before and _entries(herald) == entries


BAD: list[tuple[str, Form, str, str]] = [
    ("/staff/catalog/", {"id": "other", "name": "  "}, "name", "must not be empty"),
    (
        "/staff/catalog/",
        {"id": "XenServer 2", "name": "X"},
        "id",
        "'XenServer 2' is not a product id (lower-case letters, digits and hyphens)",
    ),
    (
        "/staff/catalog/",
        {"id": "xenserver", "name": "XenServer"},
        "id",
        "there is a product 'xenserver' already",
    ),
    (PRODUCT, {"name": "", "update_instructions_url": ""}, "name", "must not be empty"),
    (
        PRODUCT,
        {"name": "XenServer", "update_instructions_url": "docs.example.com"},
        "update_instructions_url",
        "'docs.example.com' is not an http(s) URL",
    ),
    (
        PRODUCT,
        {"name": "XenServer", "update_instructions_url": "javascript:alert(1)"},
        "update_instructions_url",
        "'javascript:alert(1)' is not an http(s) URL",
    ),
    (
        PRODUCT,
        {"name": "XenServer", "update_instructions_url": "http://docs.example.com/"},
        "update_instructions_url",
        "'http://docs.example.com/' is not an https:// URL",
    ),
    (
        f"{PRODUCT}/versions",
        {"name": "8.4", "lifecycle": "supported"},
        "name",
        "XenServer has a version '8.4' already",
    ),
    (f"{PRODUCT}/versions", {"name": "", "lifecycle": "supported"}, "name", "must not be empty"),
    (
        f"{PRODUCT}/lifecycle",
        {"version": "9", "lifecycle": "beta"},
        "lifecycle",
        "'beta' is not a lifecycle state (one of preview, supported, end_of_life)",
    ),
    (
        f"{PRODUCT}/channels",
        {"version": "8.4", "name": "Normal"},
        "name",
        "XenServer 8.4 has a channel 'Normal' already",
    ),
    (
        f"{PRODUCT}/releases",
        {**NEW_RELEASE, "channel": "Extended"},
        "channel",
        "XenServer 8.4 has no channel 'Extended'",
    ),
    (
        f"{PRODUCT}/releases",
        {**NEW_RELEASE, "released_on": "2026-02-30"},
        "released_on",
        "'2026-02-30' is not a date (YYYY-MM-DD)",
    ),
    (f"{PRODUCT}/releases", {**NEW_RELEASE, "name": " "}, "name", "must not be empty"),
    (
        f"{PRODUCT}/releases",
        {**NEW_RELEASE, "name": "8.4.2026-03-24"},
        "name",
        "XenServer 8.4 / Normal has a release '8.4.2026-03-24' already",
    ),
    (
        f"{PRODUCT}/releases",
        {**NEW_RELEASE, "components": "xapi"},
        "components",
        "line 1: write one component a line as 'name version'",
    ),
    (
        f"{PRODUCT}/release",
        {
            "version": "8.4",
            "channel": "Normal",
            "release": "8.4.2026-03-24",
            "released_on": "24.3.2026",
        },
        "released_on",
        "'24.3.2026' is not a date (YYYY-MM-DD)",
    ),
    (
        f"{PRODUCT}/releases",
        {**NEW_RELEASE, "components": "xen-hypervisor 4.17.5-21\nqemu 8.0"},
        "components",
        "line 2: 'qemu' is not a component of XenServer (its components: xapi, xen-hypervisor)",
    ),
    (
        f"{PRODUCT}/identity",
        {"version": "8.4", "cpe": "cpe:2.3:a:x", "purls": ""},
        "cpe",
        "'cpe:2.3:a:x' is not a CPE 2.3 name: it needs the part (a, o or h) and ten more "
        "components after 'cpe:2.3:', separated by ':', each a value, '*' or '-' (special "
        "characters escaped with '\\')",
    ),
    (
        f"{PRODUCT}/identity",
        {"version": "8.4", "cpe": "", "purls": "pkg:generic/xenserver@8.4\nxenserver 8.4"},
        "purls",
        "'xenserver 8.4' is not a package URL: purl is missing the required \"pkg\" scheme "
        "component: 'xenserver 8.4'.",
    ),
    (
        f"{PRODUCT}/identity",
        {"version": "8.4", "cpe": "", "purls": "pkg:PyPI/XenServer"},
        "purls",
        "'pkg:PyPI/XenServer' is not in canonical form: write 'pkg:pypi/xenserver'",
    ),
]


@pytest.mark.parametrize(
    ("path", "form", "field", "message"),
    [
        pytest.param(*case, id=f"{case[0].rsplit('/', 1)[-1] or 'catalog'}-{case[2]}")
        for case in BAD
    ],
)
def test_bad_input_comes_back_next_to_its_field_and_changes_nothing(
    herald: Herald, carol: StaffClient, path: str, form: Form, field: str, message: str
) -> None:
    before, entries = _catalog(herald), _entries(herald)
    response = carol.post(path, form)
    assert response.status_code == 422, response.text[:500]
    assert field_error(response.text, field) == message
    assert 'role="alert"' in response.text
    assert _catalog(herald) == before and _entries(herald) == entries


def test_a_publisher_sets_the_cpe_and_purls_of_a_version_and_keeps_the_rest(
    herald: Herald, carol: StaffClient
) -> None:
    herald.catalog.set_identity("xenserver", ProductIdentity(model_numbers=("XS-9",)), "9")
    page = carol.get(PRODUCT).text
    assert 'action="/staff/catalog/xenserver/identity"' in page
    assert "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*" in shown(page)

    changed = carol.post(
        f"{PRODUCT}/identity",
        {
            "version": "9",
            "cpe": " cpe:2.3:a:citrix:xenserver:9.0:*:*:*:*:*:*:* ",
            "purls": "pkg:generic/xenserver@9.0\n\n  pkg:rpm/xenserver/xenserver-release@9.0.0\n",
        },
    )

    assert changed.status_code == 303
    identity = _catalog(herald).product("xenserver").version("9").identity
    assert identity.cpe == "cpe:2.3:a:citrix:xenserver:9.0:*:*:*:*:*:*:*"
    assert identity.purls == (
        "pkg:generic/xenserver@9.0",
        "pkg:rpm/xenserver/xenserver-release@9.0.0",
    )
    assert identity.model_numbers == ("XS-9",)  # the form has no field for it: kept
    text = shown(carol.get(PRODUCT).text)
    assert "Identifiers of 9 saved." in text
    assert "pkg:rpm/xenserver/xenserver-release@9.0.0" in text
    entry = _entries(herald)[-1]
    assert (entry.actor, entry.action) == ("carol", "catalog.identity.change")


def test_unknown_products_and_releases_are_404(carol: StaffClient) -> None:
    assert carol.get("/staff/catalog/nope").status_code == 404
    assert carol.get("/staff/catalog/Not%20an%20id").status_code == 404
    assert carol.post("/staff/catalog/nope/versions", {"name": "1"}).status_code == 404
    missing = carol.get(f"{PRODUCT}/release?version=8.4&channel=Normal&release=nope")
    assert missing.status_code == 404 and "no release 'nope'" in html.unescape(missing.text)


def test_the_catalog_needs_a_signed_in_member(app: FastAPI) -> None:
    from .staff_support import new_client

    response = new_client(app).get("/staff/catalog/")
    assert response.status_code == 303
    assert response.headers["location"].startswith("/staff/sign-in?next=/staff/catalog/")
