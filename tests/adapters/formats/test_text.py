"""The plain-text rendering, checked against the vendor's own page."""

from __future__ import annotations

from dataclasses import replace

import pytest

from herald.adapters.formats import render_text
from herald.adapters.formats.text import BULLET
from herald.domain import Status
from tests.reference import REFERENCE, reference_differences

from .builders import reference_document, rich_document, withdrawn_document


def test_the_demo_reproduces_the_reference_bulletin_line_by_line() -> None:
    if not REFERENCE.is_file():
        pytest.skip(f"the reference capture is not at {REFERENCE}")
    differences = reference_differences(render_text(reference_document()))
    if differences:
        pytest.fail(f"the text rendering differs from {REFERENCE.name}:\n{differences}")


def test_blocks_are_separated_by_one_blank_line_and_the_text_ends_with_a_newline() -> None:
    text = render_text(reference_document())
    assert text.endswith(".)\n")
    assert "\n\n\n" not in text
    assert text.startswith("XenServer Security Update for CVE-2026-4397\n\nArticle ID: CTX696397\n")
    assert "\n\nUpdated On: 2026-03-24\n\n" in text
    assert f"{BULLET}CVE-2026-4397" in text.splitlines()


def test_the_demo_has_no_cvss_line_and_no_mitigations() -> None:
    text = render_text(reference_document())
    assert "CVSS" not in text
    assert "Mitigations" not in text


def test_several_cves_use_the_plural_and_one_bullet_each() -> None:
    lines = render_text(rich_document()).splitlines()
    intro = "These issues have the following identifiers:"
    assert any(line.endswith(f"previously terminated VM. {intro}") for line in lines)
    index = lines.index(f"{BULLET}CVE-2026-4397")
    assert lines[index + 1] == f"{BULLET}CVE-2026-4398"
    assert "These issues affect XenServer 8.4." in lines


def test_a_cvss_score_follows_the_severity() -> None:
    lines = [line for line in render_text(rich_document()).splitlines() if line]
    severity = lines.index("Severity: Medium")
    assert lines[severity + 1] == (
        "CVSS v3.1: 6.0 MEDIUM (CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N)"
    )
    assert lines[severity + 2] == "Description of Problem"


def test_mitigations_follow_the_affected_versions_as_written() -> None:
    text = render_text(rich_document())
    assert text.endswith(
        "Mitigations\n\n"
        f"{BULLET}XenServer 8.4, Normal update channel: Set `mem-scrub=on` on every host, "
        "then restart the toolstack.\n"
        "    See https://example.com/kb/scrub for details.\n"
    )
    assert "8.4.2026-03-19" not in text, "fixed releases are told by 'What Customers Should Do'"
    assert "We have pushed updates to the Early Access update channel of XenServer 8.4." in text


def test_an_end_of_life_version_gets_its_note_before_the_preview_note() -> None:
    lines = [line for line in render_text(rich_document()).splitlines() if line]
    affected = lines.index("Affected Versions")
    assert lines[affected + 2] == (
        "(Note that XenServer 8.2 has reached End of Life; versions past their end of life "
        "are not covered by security bulletins.)"
    )
    assert lines[affected + 3].startswith("(Note that XenServer 9 is in Public Preview;")


def test_a_withdrawn_bulletin_says_so_under_the_title() -> None:
    document = withdrawn_document()
    assert document.status is Status.WITHDRAWN
    lines = [line for line in render_text(document).splitlines() if line]
    assert lines[1] == (
        "WITHDRAWN: This bulletin was withdrawn on 2026-04-02 and is kept for reference only; "
        "see the Change Log."
    )
    assert "Updated On: 2026-04-02" in lines
    log = lines.index("Change Log")
    assert lines[log + 1 : log + 3] == [
        "2026-03-24 Initial Publication",
        "2026-04-02 Withdrawn: the issue does not affect XenServer 8.4",
    ]


def test_authored_markdown_is_printed_as_written() -> None:
    problem = "A **bold** claim.\r\n\r\n\r\n- first\n- second   "
    text = render_text(replace(reference_document(), problem=problem))
    assert "A **bold** claim.\n\n- first\n- second\n\nThis issue has the following identifier:" in (
        text
    )
