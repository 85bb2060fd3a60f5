"""The Markdown rendering, read back with a CommonMark parser."""

from __future__ import annotations

from dataclasses import replace

from markdown_it import MarkdownIt
from markdown_it.token import Token

from herald import demo
from herald.adapters.formats import render_markdown
from herald.adapters.formats._markup import autolink_source, escape_markdown
from herald.domain import ChangeLogEntry

from .builders import reference_document, rich_document, withdrawn_document

COMMONMARK = MarkdownIt("commonmark")


def _inline_text(token: Token) -> str:
    return "".join(child.content for child in token.children or () if child.type != "softbreak")


def headings(markdown: str) -> list[tuple[int, str]]:
    tokens = COMMONMARK.parse(markdown)
    return [
        (int(token.tag[1]), _inline_text(tokens[index + 1]))
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def list_items(markdown: str) -> list[str]:
    tokens = COMMONMARK.parse(markdown)
    items = []
    for index, token in enumerate(tokens):
        if token.type == "list_item_open":
            inline = next(t for t in tokens[index:] if t.type == "inline")
            items.append(_inline_text(inline))
    return items


def links(markdown: str) -> list[str]:
    hrefs: list[str] = []
    for token in COMMONMARK.parse(markdown):
        for child in token.children or ():
            if child.type == "link_open":
                hrefs.append(str(child.attrs["href"]))
    return hrefs


def test_the_headings_follow_the_reference_layout() -> None:
    assert headings(render_markdown(reference_document())) == [
        (1, "XenServer Security Update for CVE-2026-4397"),
        (2, "Description"),
        (3, "What Customers Should Do"),
        (3, "What Citrix is Doing"),
        (3, "Obtaining Support on This Issue"),
        (3, "Subscribe to Receive Alerts"),
        (3, "Reporting Security Vulnerabilities to Citrix"),
        (2, "Change Log"),
        (2, "Environment"),
        (2, "Issue/Introduction"),
        (3, "Description of Problem"),
        (3, "Affected Versions"),
        (3, "Fixes"),
    ]


def test_lists_hold_the_change_log_cves_and_fixes() -> None:
    items = list_items(render_markdown(rich_document()))
    assert items == [
        "2026-03-24 Initial Publication",
        "CVE-2026-4397",
        "CVE-2026-4398",
        "XenServer 8.4, Early Access update channel: fixed in release 8.4.2026-03-19",
        "XenServer 8.4, Normal update channel: no fixed release; mitigation:",
    ]


def test_every_url_is_an_autolink() -> None:
    publisher = demo.publisher()
    markdown = render_markdown(rich_document())
    hrefs = links(markdown)
    for url in (
        publisher.update_instructions_url,
        publisher.knowledge_center_url,
        publisher.support_url,
        publisher.alerts_url,
        publisher.reporting_url,
        "https://example.com/kb/scrub",
    ):
        assert url in hrefs, url
        assert f"<{url}>" in markdown


def test_authored_markdown_is_kept_as_written() -> None:
    problem = "A **bold** claim about `xl create`.\n\n1. first\n2. second"
    markdown = render_markdown(replace(reference_document(), problem=problem))
    assert (
        "A **bold** claim about `xl create`.\n\n1. first\n2. second\n\n"
        "This issue has the following identifier:\n\n- CVE-2026-4397"
    ) in markdown


def test_plain_text_reads_exactly_as_written() -> None:
    summary = "Fixed *typo* in <the> [note] & score_1 # 2"
    document = replace(
        reference_document(), changelog=(ChangeLogEntry(demo.REFERENCE_DAY, summary),)
    )
    assert f"2026-03-24 {summary}" in list_items(render_markdown(document))


def test_cvss_and_a_withdrawal_notice_are_shown() -> None:
    markdown = render_markdown(rich_document())
    assert "CVSS v3.1: 6.0 MEDIUM (`CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N`)" in markdown
    withdrawn = render_markdown(withdrawn_document())
    assert withdrawn.split("\n\n")[1].startswith("> **Withdrawn:** This bulletin was withdrawn")


def test_escape_markdown_survives_a_round_trip() -> None:
    for text in ("# not a heading", "1. not a list", "- nor this", "a_b_c *d* `e` <f> [g](h)"):
        html = COMMONMARK.render(escape_markdown(text))
        assert "<h1>" not in html and "<ol>" not in html and "<ul>" not in html
        assert "<em>" not in html and "<code>" not in html and "<a " not in html


def test_autolink_source_leaves_code_and_links_alone() -> None:
    source = (
        "See https://a.example/x.\n"
        "Already <https://b.example/> and [c](https://c.example/).\n"
        "Code `https://d.example/` stays.\n"
        "\n"
        "```\n"
        "https://e.example/\n"
        "```\n"
    )
    assert autolink_source(source) == (
        "See <https://a.example/x>.\n"
        "Already <https://b.example/> and [c](https://c.example/).\n"
        "Code `https://d.example/` stays.\n"
        "\n"
        "```\n"
        "https://e.example/\n"
        "```\n"
    )
