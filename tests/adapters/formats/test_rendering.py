"""``render`` dispatches every format, and every format renders every kind of bulletin."""

from __future__ import annotations

import pytest

from herald.adapters.formats import (
    RenderFormat,
    render,
    render_html,
    render_json,
    render_markdown,
    render_text,
)
from herald.adapters.formats._markup import find_urls, split_urls

from . import builders
from .builders import reference_document, rich_document, withdrawn_document

RENDERERS = {
    RenderFormat.TEXT: render_text,
    RenderFormat.MARKDOWN: render_markdown,
    RenderFormat.HTML: render_html,
    RenderFormat.JSON: render_json,
}


@pytest.mark.parametrize("fmt", list(RenderFormat))
def test_render_dispatches_to_the_renderer_of_the_format(fmt: RenderFormat) -> None:
    for document in (reference_document(), rich_document(), withdrawn_document()):
        output = render(document, fmt)
        assert output == RENDERERS[fmt](document)
        assert output.endswith("\n")
        assert document.article_id in output


def test_formats_parse_from_their_names_and_know_their_media_types() -> None:
    assert [RenderFormat(name) for name in ("text", "markdown", "html", "json")] == list(
        RenderFormat
    )
    assert RenderFormat.HTML.media_type == "text/html; charset=utf-8"
    assert RenderFormat.JSON.media_type == "application/json"
    assert [fmt.suffix for fmt in RenderFormat] == [".txt", ".md", ".html", ".json"]
    assert all(fmt.media_type for fmt in RenderFormat)


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("at https://a.example/update", ["https://a.example/update"]),
        ("at https://a.example/update.", ["https://a.example/update"]),
        ("(see https://a.example/x_(y)), then", ["https://a.example/x_(y)"]),
        ("(see https://a.example/x)", ["https://a.example/x"]),
        ("mail mailto:psirt@a.example!", ["mailto:psirt@a.example"]),
        ("no https:// here, nor ftp://a.example", []),
        ("at https://a.example/\u00a0next", ["https://a.example/"]),
    ],
)
def test_urls_are_found_without_trailing_punctuation(text: str, urls: list[str]) -> None:
    assert [text[start:end] for start, end in find_urls(text)] == urls
    assert "".join(piece.text for piece in split_urls(text)) == text


@pytest.mark.parametrize("fmt", list(RenderFormat))
def test_an_unfinished_draft_renders_and_says_it_is_a_draft(fmt: RenderFormat) -> None:
    document = builders.document(builders.draft(severity=None, cves=(), problem="", fixes=()))
    output = render(document, fmt)
    if fmt is RenderFormat.JSON:
        assert '"status": "draft"' in output
        assert '"revision": 0' in output
        return
    assert "This bulletin is a draft and has not been published." in output
    assert "following identifier" not in output, "no intro without CVE ids to introduce"
    assert "Severity:" not in output
