""" "Status by version and update channel" in the renderings: the derived status of every
stream, the remedy, the restart, the not-affected justification; versions not covered
apart. Text and Markdown show it only when the bulletin says more than its releases."""

from __future__ import annotations

from dataclasses import replace

from herald import demo
from herald.adapters.formats import render_html, render_markdown, render_text
from herald.domain import ChannelRef, Fix
from herald.domain.bulletin import NoFix, Restart
from herald.domain.document import BulletinDocument, compose
from herald.domain.workflow import new_draft

from .builders import reference_document
from .test_html import Element, parse

EARLY = ChannelRef(demo.XENSERVER, "8.4", "Early Access")
NORMAL = ChannelRef(demo.XENSERVER, "8.4", "Normal")


def _rows(html: str) -> list[list[str]]:
    page = parse(html)
    (table,) = [e for e in page.all("table") if e.attrs.get("class") == "product-status"]
    del table
    cells: list[list[str]] = []
    for element in page.elements:
        if element.tag == "tr" and "tbody" in element.parents:
            cells.append([])
        elif element.tag in ("th", "td") and "tbody" in element.parents:
            cells[-1].append(" ".join(element.text.split()))
    return cells


def _not_covered(html: str) -> list[Element]:
    return [e for e in parse(html).all("p") if e.attrs.get("class") == "not-covered"]


def _draft(*fixes: Fix) -> BulletinDocument:
    content = replace(demo.reference_content(), fixes=fixes)
    bulletin = new_draft(
        demo.REFERENCE_ID,
        content,
        demo.catalog(),
        demo.publisher(),
        demo.reference_bulletin().created_at,
    )
    return compose(bulletin, demo.catalog(), demo.publisher())


def test_ctx696397_fixed_on_both_channels_and_xenserver_9_not_covered() -> None:
    html = render_html(reference_document())
    assert _rows(html) == [
        [
            "XenServer 8.4",
            "Early Access",
            "Fixed",
            "8.4.2026-03-19",
            "8.4.2026-03-19",
            "Not stated",
            "\u2014",
        ],
        [
            "XenServer 8.4",
            "Normal",
            "Fixed",
            "8.4.2026-03-24",
            "8.4.2026-03-24",
            "Not stated",
            "\u2014",
        ],
    ]
    (note,) = _not_covered(html)
    assert note.text == "Not covered: XenServer 9 (Public Preview)."
    assert "Not affected" not in html


def test_ctx696397_text_and_markdown_show_no_table() -> None:
    document = reference_document()
    assert not document.states_more
    for rendered in (render_text(document), render_markdown(document)):
        assert "Status by version and update channel" not in rendered
        assert "Not covered:" not in rendered


def test_a_vex_statement_says_not_affected_with_its_justification() -> None:
    document = compose(demo.vex_bulletin(), demo.catalog(), demo.publisher())
    html = render_html(document)
    impact = (
        "Component not present: XenServer 8.4 does not ship libarchive: neither the "
        "control domain nor the installer includes it."
    )
    assert _rows(html) == [
        ["XenServer 8.4", "Early Access", "Not affected", "\u2014", "\u2014", "\u2014", impact],
        ["XenServer 8.4", "Normal", "Not affected", "\u2014", "\u2014", "\u2014", impact],
    ]
    assert _not_covered(html)[0].text == "Not covered: XenServer 9 (Public Preview)."
    assert document.affected_statement == "This issue does not affect XenServer 8.4."
    text = render_text(document)
    assert (
        "  \u2022 XenServer 8.4, Normal update channel: Not affected\n"
        "    Component not present: XenServer 8.4 does not ship libarchive" in text
    )
    assert "\nNot covered: XenServer 9 (Public Preview).\n" in text
    assert "- XenServer 8.4, Early Access update channel: Not affected" in render_markdown(document)


def test_every_remedy_with_its_restart_and_url() -> None:
    document = _draft(
        Fix(
            EARLY,
            release="8.4.2026-03-19",
            mitigation="Turn off *passthrough* meanwhile.",
            url="https://docs.example.com/ea",
            restart=Restart.MACHINE,
        ),
        Fix(
            NORMAL,
            no_fix=NoFix.NO_FIX_PLANNED,
            no_fix_reason="Normal moves to 8.5.",
            workaround="Switch to Early Access.",
        ),
    )
    html = render_html(document)
    early, normal = _rows(html)
    assert early == [
        "XenServer 8.4",
        "Early Access",
        "Fixed",
        "8.4.2026-03-19",
        "8.4.2026-03-19",
        "Restart the host",
        "Mitigation: Turn off passthrough meanwhile. https://docs.example.com/ea",
    ]
    assert normal == [
        "XenServer 8.4",
        "Normal",
        "Affected",
        "\u2014",
        "\u2014",
        "\u2014",
        "No fix planned: Normal moves to 8.5. Workaround: Switch to Early Access.",
    ]
    assert '<a href="https://docs.example.com/ea" rel="noopener noreferrer">' in html
    assert "<em>passthrough</em>" in html
    text = render_text(document)
    assert document.states_more
    assert (
        "  \u2022 XenServer 8.4, Early Access update channel: Fixed; first fixed release "
        "8.4.2026-03-19; release to install 8.4.2026-03-19; restart needed: Restart the host\n"
        "    Mitigation: Turn off *passthrough* meanwhile.\n"
        "    https://docs.example.com/ea\n"
        "  \u2022 XenServer 8.4, Normal update channel: Affected\n"
        "    No fix planned: Normal moves to 8.5.\n"
        "    Workaround: Switch to Early Access.\n"
    ) in text


def test_authored_remedies_are_sanitised() -> None:
    document = _draft(
        Fix(EARLY, release="8.4.2026-03-19"),
        Fix(
            NORMAL,
            no_fix=NoFix.NONE_AVAILABLE,
            workaround="<script>alert(1)</script> [x](javascript:alert(1))",
        ),
    )
    html = render_html(document)
    assert "<script" not in html
    assert 'href="javascript' not in html
