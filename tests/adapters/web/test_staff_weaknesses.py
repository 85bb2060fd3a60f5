"""The bulletin form's weaknesses field: typed per CVE, stored, shown, previewed."""

from __future__ import annotations

import pytest
from fastapi import FastAPI

from herald.bootstrap import Herald
from tests.adapters.web.staff_support import StaffClient, bulletin_form, new_id, signed_in

CVES = "CVE-2026-5001\nCVE-2026-5002"
TYPED = "CVE-2026-5002: cwe-20\n\n CVE-2026-5001 : CWE-787, CWE-89 "


@pytest.fixture
def alice(app: FastAPI, staff: dict[str, str]) -> StaffClient:
    return signed_in(app, "alice")


def test_weaknesses_typed_per_cve_are_stored_and_shown_again(
    alice: StaffClient, herald: Herald
) -> None:
    response = alice.post("/staff/bulletins/new", bulletin_form(cves=CVES, weaknesses=TYPED))
    article = new_id(response)
    stored = herald.reading.bulletin(article)
    assert stored.weaknesses == {
        "CVE-2026-5001": ("CWE-787", "CWE-89"),
        "CVE-2026-5002": ("CWE-20",),
    }
    form = alice.get(f"/staff/bulletins/{article}/edit").text
    assert (
        '<textarea id="f-weaknesses" name="weaknesses" rows="2">'
        "CVE-2026-5001: CWE-787, CWE-89\nCVE-2026-5002: CWE-20</textarea>"
    ) in form


def test_an_edit_that_empties_the_field_drops_the_weaknesses(
    alice: StaffClient, herald: Herald
) -> None:
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form(cves=CVES, weaknesses=TYPED)))
    edited = alice.post(f"/staff/bulletins/{article}/edit", bulletin_form(cves=CVES, weaknesses=""))
    assert edited.status_code == 303, edited.text
    assert herald.reading.bulletin(article).weaknesses == {}


def test_a_cve_taken_off_the_list_cannot_keep_its_weaknesses(
    alice: StaffClient, herald: Herald
) -> None:
    article = new_id(alice.post("/staff/bulletins/new", bulletin_form(cves=CVES, weaknesses=TYPED)))
    response = alice.post(
        f"/staff/bulletins/{article}/edit",
        bulletin_form(cves="CVE-2026-5001", weaknesses=TYPED),
    )
    assert response.status_code == 422
    assert (
        '<p class="error" id="weaknesses-error">CVE-2026-5002 is not in the CVE list of this '
        "bulletin</p>"
    ) in response.text
    assert 'aria-invalid="true" aria-describedby="weaknesses-error"' in response.text
    assert herald.reading.bulletin(article).cves == ("CVE-2026-5001", "CVE-2026-5002")


def test_the_preview_shows_each_weakness_under_its_cve(alice: StaffClient, herald: Herald) -> None:
    before = len(herald.reading.bulletins())
    response = alice.post("/staff/preview", bulletin_form(cves=CVES, weaknesses=TYPED))
    assert response.status_code == 200
    assert (
        '<li>Weakness: <a href="https://cwe.mitre.org/data/definitions/787.html" '
        'rel="noopener noreferrer">CWE-787 Out-of-bounds Write</a></li>'
    ) in response.text
    assert "CWE-20 Improper Input Validation</a>" in response.text
    assert len(herald.reading.bulletins()) == before


def test_the_preview_names_a_bad_weakness(alice: StaffClient) -> None:
    response = alice.post("/staff/preview", bulletin_form(weaknesses="CVE-2026-5001: CWE-16"))
    assert response.status_code == 422
    assert "<li>weaknesses: CVE-2026-5001: CWE-16 is not a weakness in CWE 4.14</li>" in (
        response.text
    )
