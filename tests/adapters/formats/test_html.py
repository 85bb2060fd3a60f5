"""The HTML page: accessible structure, real links, and nothing executable."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest

from herald import demo
from herald.adapters.formats import render_html
from herald.adapters.formats.html import markdown_to_html, sanitise

from .builders import hostile_document, reference_document, rich_document, withdrawn_document

VOID = {"meta", "br", "hr", "img", "input", "link", "source", "wbr", "area", "base", "col"}
SAFE_SCHEMES = ("http://", "https://", "mailto:")


@dataclass
class Element:
    tag: str
    attrs: dict[str, str | None]
    parents: tuple[str, ...]
    text: str = ""


@dataclass
class Page(HTMLParser):
    """The elements of a page, with their ancestors and text."""

    elements: list[Element] = field(default_factory=list)
    declarations: list[str] = field(default_factory=list)
    texts: list[str] = field(default_factory=list)
    _open: list[Element] = field(default_factory=list)

    def __post_init__(self) -> None:
        super().__init__(convert_charrefs=True)

    def handle_decl(self, decl: str) -> None:
        self.declarations.append(decl)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = Element(tag, dict(attrs), tuple(e.tag for e in self._open))
        self.elements.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_endtag(self, tag: str) -> None:
        assert self._open, f"</{tag}> closes nothing"
        assert self._open[-1].tag == tag, f"</{tag}> closes <{self._open[-1].tag}>"
        self._open.pop()

    def handle_data(self, data: str) -> None:
        self.texts.append(data)
        for element in self._open:
            element.text += data

    def all(self, tag: str) -> list[Element]:
        return [element for element in self.elements if element.tag == tag]

    @property
    def headings(self) -> list[tuple[int, str]]:
        return [
            (int(e.tag[1]), " ".join(e.text.split()))
            for e in self.elements
            if e.tag in {"h1", "h2", "h3", "h4", "h5", "h6"}
        ]


def parse(html: str) -> Page:
    page = Page()
    page.feed(html)
    page.close()
    assert not page._open, f"unclosed: {[e.tag for e in page._open]}"
    return page


def test_the_page_is_a_standalone_document_with_landmarks() -> None:
    page = parse(render_html(reference_document()))
    assert [d.lower() for d in page.declarations] == ["doctype html"]
    (root,) = page.all("html")
    assert root.attrs.get("lang") == "en"
    metas = page.all("meta")
    assert any(m.attrs.get("charset") == "utf-8" for m in metas)
    assert any(
        m.attrs.get("name") == "viewport" and "width=device-width" in (m.attrs["content"] or "")
        for m in metas
    )
    (title,) = page.all("title")
    assert title.text == "CTX696397: XenServer Security Update for CVE-2026-4397"
    for landmark in ("header", "main", "footer"):
        assert len(page.all(landmark)) == 1, landmark
    assert page.all("style"), "the CSS is inline"
    assert not page.all("link"), "no external stylesheet"


def test_one_h1_and_the_sections_in_reference_order_without_skipped_levels() -> None:
    page = parse(render_html(reference_document()))
    (h1,) = page.all("h1")
    assert h1.parents == ("html", "body", "header")
    assert h1.text == "XenServer Security Update for CVE-2026-4397"
    assert page.headings == [
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
        (3, "Status by version and update channel"),
    ]
    levels = [level for level, _ in page.headings]
    assert all(after <= before + 1 for before, after in itertools.pairwise(levels))


def test_every_publisher_url_is_a_real_link() -> None:
    publisher = demo.publisher()
    page = parse(render_html(reference_document()))
    hrefs = {a.attrs.get("href") for a in page.all("a")}
    for url in (
        publisher.update_instructions_url,
        publisher.knowledge_center_url,
        publisher.support_url,
        publisher.alerts_url,
        publisher.reporting_url,
    ):
        assert url in hrefs, url
    for anchor in page.all("a"):
        assert anchor.attrs.get("rel") == "noopener noreferrer"
        assert anchor.text == anchor.attrs.get("href"), "a URL is shown as written"


def test_dates_are_time_elements_and_lists_hold_cves_changelog_and_fixes() -> None:
    page = parse(render_html(rich_document()))
    assert [t.attrs.get("datetime") for t in page.all("time")] == ["2026-03-24", "2026-03-24"]
    items = [" ".join(li.text.split()) for li in page.all("li")]
    assert "2026-03-24 Initial Publication" in items
    assert "CVE-2026-4397" in items
    assert "CVE-2026-4398" in items
    assert "XenServer 8.4, Early Access update channel: fixed in release 8.4.2026-03-19" in items
    assert any(item.startswith("XenServer 8.4, Normal update channel: no fixed") for item in items)
    paragraphs = [" ".join(p.text.split()) for p in page.all("p")]
    assert "CVSS v3.1: 6.0 MEDIUM (CVSS:3.1/AV:L/AC:L/PR:H/UI:N/S:C/C:H/I:N/A:N)" in paragraphs


def test_a_withdrawn_bulletin_has_a_notice_in_the_header() -> None:
    page = parse(render_html(withdrawn_document()))
    notices = [p for p in page.all("p") if "notice" in (p.attrs.get("class") or "")]
    assert len(notices) == 1
    assert notices[0].parents[-1] == "header"
    assert notices[0].text.startswith("Withdrawn: This bulletin was withdrawn on 2026-04-02")


def test_there_is_no_script_at_all() -> None:
    html = render_html(rich_document())
    assert "<script" not in html.lower()
    page = parse(html)
    assert not any(name.startswith("on") for e in page.elements for name in e.attrs)


HOSTILE = [
    pytest.param('Kept words <script>alert("owned")</script>', id="script"),
    pytest.param("Kept words <img src=x onerror=alert(1)>", id="onerror"),
    pytest.param("Kept words [click here](javascript:alert(1))", id="markdown-js-link"),
    pytest.param("Kept words <javascript:alert(1)>", id="js-autolink"),
    pytest.param('Kept words <a href="javascript:alert(1)">a link</a>', id="html-js-link"),
    pytest.param('Kept words <iframe src="https://evil.example/"></iframe>', id="iframe"),
    pytest.param("Kept words <svg onload=alert(1)><style>body</style>", id="svg"),
    pytest.param("Kept words ![pic](https://evil.example/x.png)", id="image"),
    pytest.param("Kept words [data](data:text/html;base64,PHNjcmlwdD4=)", id="data-url"),
    pytest.param("Kept words [relative](/admin)", id="relative-url"),
    pytest.param("Kept words\n\n<div onclick=alert(1)>block</div>", id="html-block"),
]


@pytest.mark.parametrize("where", ["title", "problem", "mitigation", "section"])
@pytest.mark.parametrize("payload", HOSTILE)
def test_nothing_executable_survives_in_authored_fields(where: str, payload: str) -> None:
    if where == "title":  # a title is one line (herald.domain.text)
        payload = payload.replace("\n", " ")
    html = render_html(hostile_document(where, payload))
    lowered = html.lower()
    for fragment in ("<script", "<iframe", "<svg", "<img", "<div"):
        assert fragment not in lowered, fragment
    page = parse(html)
    assert len(page.all("style")) == 1, "only the page's own stylesheet"
    for element in page.elements:
        assert element.tag not in {"script", "iframe", "svg", "img", "object", "embed", "form"}
        for name, value in element.attrs.items():
            assert not name.startswith("on"), f"<{element.tag} {name}>"
            if name in {"href", "src"}:
                assert (value or "").startswith(SAFE_SCHEMES), f"<{element.tag} {name}={value}>"
    assert "Kept words" in "".join(page.texts)


def test_markdown_is_rendered_and_authored_headings_stay_below_the_section() -> None:
    html = str(markdown_to_html("# Big\n\nSome *emphasis* and `code`.\n\n### Deeper"))
    assert html.startswith("<h4>Big</h4>")
    assert "<em>emphasis</em>" in html
    assert "<code>code</code>" in html
    assert "<h5>Deeper</h5>" in html


def test_sanitise_keeps_only_allowed_tags_and_sets_rel() -> None:
    html = str(sanitise('<p onclick="x()">Hi <a href="https://a.example/">a</a></p><iframe>'))
    assert html == '<p>Hi <a href="https://a.example/" rel="noopener noreferrer">a</a></p>'
