"""The bulletin form: errors next to their fields, the sanitised preview, bad input."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser

import pytest
from fastapi import FastAPI

from herald.bootstrap import Herald
from herald.domain.bulletin import Status
from tests.adapters.web.staff_support import (
    Form,
    StaffClient,
    bulletin_form,
    new_id,
    signed_in,
)

HOSTILE = (
    'Look: <script>alert("x")</script> <img src=x onerror="alert(1)"> '
    "[click](javascript:alert(2)) **bold**"
)


@pytest.fixture
def alice(app: FastAPI, staff: dict[str, str]) -> StaffClient:
    return signed_in(app, "alice")


def _error(page: str, field: str) -> str:
    match = re.search(rf'<p class="error" id="{re.escape(field)}-error">([^<]*)</p>', page)
    assert match is not None, f"no error next to {field}"
    return html.unescape(match.group(1))


def _count(herald: Herald) -> int:
    return len(herald.reading.bulletins())


def test_the_form_offers_the_publishers_scale_and_the_catalog(alice: StaffClient) -> None:
    page = alice.get("/staff/bulletins/new").text
    for severity in ("Critical", "High", "Medium", "Low"):
        assert f"<option>{severity}</option>" in page
    assert "XenServer 8.4" in page and "XenServer 9" in page
    assert "8.4.2026-03-24" in page
    for name in ("title", "severity", "cves", "cvss", "problem"):
        assert f'<label for="f-{name}">' in page
    assert '<script src="/static/staff.js" defer></script>' in page
    assert "<script>" not in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"title": "   "}, "title", "give the bulletin a title"),
        ({"severity": "Apocalyptic"}, "severity", "choose one of Critical, High, Medium, Low"),
        ({"cves": "CVE-2026-5001\nCVE-26-1"}, "cves", "is not a CVE id"),
        ({"cves": "CVE-2026-5001\nCVE-2026-5001"}, "cves", "appears twice"),
        ({"cvss": "CVSS:3.1/AV:X"}, "cvss", "CVSS"),
        ({"weaknesses": "CVE-2026-5001: CWE-abc"}, "weaknesses", "'CWE-abc' is not a CWE id"),
        ({"weaknesses": "CVE-2026-5001: CWE-999999"}, "weaknesses", "not a weakness in CWE"),
        ({"weaknesses": "CVE-2026-5002: CWE-787"}, "weaknesses", "not in the CVE list"),
        ({"weaknesses": "CVE-2026-5001: CWE-20 cwe-20"}, "weaknesses", "CWE-20 appears twice"),
        ({"weaknesses": "CWE-787"}, "weaknesses", "a CVE id, a colon and its CWE ids"),
        ({"affected": ['["xenserver", "7.0"]']}, "affected", "no version '7.0'"),
        ({"affected": ["not json"]}, "affected", "not understood"),
        ({"fix-0-no_fix": "no_fix_planned"}, "fix-0", "cannot also have no fix"),
        ({"fix-0-no_fix": "never"}, "fix-0-no_fix", "choose no fix yet"),
        ({"fix-0-restart": "reboot"}, "fix-0-restart", "choose what applying the fix restarts"),
        ({"fix-0-url": "ftp://example.com/x"}, "fix-0-url", "is not an http(s) URL"),
        ({"fix-1-url": "http://example.com/x"}, "fixes", "is not an https:// URL"),
        ({"statement-0": "not_affected"}, "statement-0", "is ticked as affected"),
        ({"kind": "csaf_vex"}, "kind", "choose a security advisory or a VEX statement"),
        ({"fix-1-release": "8.4.1999-01-01"}, "fix-1", "no release '8.4.1999-01-01'"),
        ({"affected": []}, "fix-0", "not ticked as affected"),
        ({"section-support": "Call {nobody}"}, "section-support", "unknown placeholder"),
        ({"section-support": "Call {version}"}, "section-support", "has no value here"),
        ({"article_id": "XYZ1"}, "article_id", "is not an article id"),
        ({"article_id": "CTX696397"}, "article_id", "already"),
        ({"title": "x" * 301}, "title", "too long"),
        ({"problem": "nul \x00 byte"}, "problem", "control characters"),
        ({"title": "two\nlines"}, "title", "line breaks"),
    ],
)
def test_an_invalid_field_is_named_and_nothing_is_saved(
    alice: StaffClient, herald: Herald, changes: Form, field: str, message: str
) -> None:
    before = _count(herald)
    response = alice.post("/staff/bulletins/new", bulletin_form(**changes))
    assert response.status_code in (409, 422)
    assert message in _error(response.text, field)
    assert 'role="alert"' in response.text
    assert _count(herald) == before
    assert "A flaw in **XenServer 8.4**" in response.text or field == "problem"


def test_a_draft_may_be_incomplete_but_not_submitted(alice: StaffClient, herald: Herald) -> None:
    sparse = {"action": "save", "title": "Early notes", "problem": "", "csrf_token": alice.token}
    article = new_id(alice.client.post("/staff/bulletins/new", data=sparse))
    response = alice.post(f"/staff/bulletins/{article}/submit")
    assert response.status_code == 422
    assert "needs a severity" in response.text
    assert herald.reading.bulletin(article).status is Status.DRAFT


def test_the_preview_button_renders_the_bulletin_without_saving(
    alice: StaffClient, herald: Herald
) -> None:
    before = _count(herald)
    response = alice.post("/staff/bulletins/new", bulletin_form(action="preview"))
    assert response.status_code == 200
    assert "A flaw in <strong>XenServer 8.4</strong>" in response.text
    assert "fixed in release 8.4.2026-03-24" in response.text
    assert _count(herald) == before


class _Elements(HTMLParser):
    """Every element of a fragment with its attributes."""

    def __init__(self, fragment: str) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(fragment)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, dict(attrs)))


def _assert_harmless(fragment: str) -> None:
    for tag, attrs in _Elements(fragment).found:
        assert tag not in {"script", "img", "iframe", "object", "style"}, tag
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        assert not (attrs.get("href") or "").lower().startswith("javascript"), attrs


def test_the_preview_escapes_hostile_markup(alice: StaffClient) -> None:
    response = alice.post("/staff/bulletins/new", bulletin_form(action="preview", problem=HOSTILE))
    assert response.status_code == 200
    shown = response.text.split('id="preview"', 1)[1].split("</main>", 1)[0]
    _assert_harmless(shown)
    assert "<strong>bold</strong>" in shown
    assert "&lt;script&gt;" in shown


def test_the_preview_endpoint_returns_a_sanitised_fragment(alice: StaffClient) -> None:
    response = alice.post(
        "/staff/preview", bulletin_form(problem=HOSTILE, title="<img src=x onerror=alert(3)>")
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    _assert_harmless(response.text)
    assert "<strong>bold</strong>" in response.text


def test_the_preview_endpoint_reports_errors(alice: StaffClient) -> None:
    response = alice.post("/staff/preview", bulletin_form(cves="nonsense"))
    assert response.status_code == 422
    assert "cves:" in response.text


def test_the_preview_endpoint_needs_a_session(app: FastAPI, alice: StaffClient) -> None:
    alice.post("/staff/sign-out")
    from tests.adapters.web.staff_support import token_of

    token = token_of(alice.get("/staff/sign-in").text)
    response = alice.client.post("/staff/preview", data={**bulletin_form(), "csrf_token": token})
    assert response.status_code == 401


def test_a_preview_of_an_amendment_keeps_the_change_log(
    app: FastAPI, staff: dict[str, str]
) -> None:
    carol = signed_in(app, "carol")
    form = bulletin_form(base="CTX696397", cves="CVE-2026-4397", summary="")
    response = carol.post("/staff/preview", form)
    assert response.status_code == 200
    assert "2026-03-24" in response.text and "Initial Publication" in response.text


# --- bad input ------------------------------------------------------------------------------


def test_a_file_upload_is_refused(alice: StaffClient) -> None:
    response = alice.client.post(
        "/staff/bulletins/new",
        data={"csrf_token": alice.token},
        files={"problem": ("x.txt", b"hello", "text/plain")},
    )
    assert response.status_code == 400


def test_too_many_fields_are_refused(alice: StaffClient) -> None:
    fields = [(f"junk{i}", "x") for i in range(600)]
    response = alice.client.post(
        "/staff/bulletins/new",
        content="&".join(f"{k}={v}" for k, v in fields).encode(),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert "Too many fields" in response.text


def test_an_oversized_body_is_413(alice: StaffClient) -> None:
    response = alice.post("/staff/bulletins/new", bulletin_form(problem="x" * 1_100_000))
    assert response.status_code == 413


def test_a_repeated_single_field_is_named(alice: StaffClient) -> None:
    response = alice.post("/staff/bulletins/new", bulletin_form(title=["one", "two"]))
    assert response.status_code == 422
    assert "give one value only" in _error(response.text, "title")


@pytest.mark.parametrize(
    "path",
    [
        "/staff/bulletins/CTX999999",
        "/staff/bulletins/%00",
        "/staff/bulletins/" + "A" * 200,
        "/staff/bulletins/CTX999999/edit",
    ],
)
def test_unknown_bulletins_are_404(alice: StaffClient, path: str) -> None:
    assert alice.get(path).status_code == 404


def test_an_unknown_step_is_404(alice: StaffClient) -> None:
    assert alice.post("/staff/bulletins/CTX696397/explode").status_code == 404


def test_the_sign_in_form_refuses_odd_input_by_name(app: FastAPI, staff: dict[str, str]) -> None:
    from tests.adapters.web.staff_support import new_client, token_of

    client = new_client(app)
    token = token_of(client.get("/staff/sign-in").text)
    response = client.post(
        "/staff/sign-in", data={"username": "ali\x00ce", "password": "x", "csrf_token": token}
    )
    assert response.status_code == 422
    assert "the username must not contain" in _error(response.text, "username")


def test_the_staff_script_is_served(alice: StaffClient) -> None:
    script = alice.get("/static/staff.js")
    assert script.status_code == 200
    assert "/staff/preview" in script.text


# --- statements and remedies -------------------------------------------------------------

VEX_FORM: dict[str, str | list[str]] = {
    "kind": "vex",
    "severity": "",
    "affected": [],
    "fix-0-release": "",
    "fix-1-release": "",
    "statement-0": "not_affected",
    "statement-0-justification": "component_not_present",
    "statement-0-impact": "XenServer 8.4 does not ship libarchive.",
}


def test_a_vex_statement_is_saved_from_the_form(alice: StaffClient, herald: Herald) -> None:
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form(**VEX_FORM)))
    saved = herald.reading.bulletin(article)
    assert saved.kind.value == "vex"
    assert [(str(s.version), s.justification.value, s.impact) for s in saved.not_affected] == [
        ("xenserver 8.4", "component_not_present", "XenServer 8.4 does not ship libarchive.")
    ]
    assert saved.affected == () and saved.fixes == ()
    page = alice.get(f"/staff/bulletins/{article}/edit").text
    assert '<option value="vex" selected>VEX statement</option>' in page
    assert '<option value="component_not_present" selected>' in page


def test_every_remedy_field_is_saved_and_shown_again(alice: StaffClient, herald: Herald) -> None:
    form = bulletin_form(
        **{
            "fix-0-mitigation": "Turn off passthrough until you update.",
            "fix-0-url": "https://docs.example.com/fix",
            "fix-0-restart": "machine",
            "fix-1-release": "",
            "fix-1-no_fix": "no_fix_planned",
            "fix-1-no_fix_reason": "Normal moves to 8.5.",
            "fix-1-workaround": "Switch to Early Access.",
        }
    )
    article = new_id(alice.post("/staff/bulletins/new", form))
    early, normal = herald.reading.bulletin(article).fixes
    assert (early.release, early.mitigation, early.url, early.restart) == (
        "8.4.2026-03-19",
        "Turn off passthrough until you update.",
        "https://docs.example.com/fix",
        "machine",
    )
    assert (normal.release, normal.no_fix, normal.no_fix_reason, normal.workaround) == (
        None,
        "no_fix_planned",
        "Normal moves to 8.5.",
        "Switch to Early Access.",
    )
    page = alice.get(f"/staff/bulletins/{article}/edit").text
    assert '<option value="machine" selected>Restart the host</option>' in page
    assert '<option value="no_fix_planned" selected>No fix planned</option>' in page
    assert 'value="https://docs.example.com/fix"' in page


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"statement-0-impact": "  "}, "statement-0-impact", "say why it is not affected"),
        ({"statement-0-justification": "unknown"}, "statement-0-justification", "choose why"),
        ({"statement-0": "fine"}, "statement-0", "choose not affected, under investigation"),
    ],
)
def test_a_bad_statement_is_named_and_nothing_is_saved(
    alice: StaffClient, herald: Herald, changes: dict[str, str], field: str, message: str
) -> None:
    before = _count(herald)
    response = alice.post("/staff/bulletins/new", bulletin_form(**{**VEX_FORM, **changes}))
    assert response.status_code == 422
    assert message in _error(response.text, field)
    assert _count(herald) == before


def test_the_preview_shows_the_status_table(alice: StaffClient) -> None:
    response = alice.post("/staff/bulletins/new", bulletin_form(action="preview", **VEX_FORM))
    assert response.status_code == 200
    assert "Status by version and update channel" in response.text
    assert "Component not present" in response.text
