"""One entry point for every rendering of a bulletin."""

from __future__ import annotations

from enum import StrEnum
from typing import assert_never

from herald.adapters.formats.html import render_html
from herald.adapters.formats.json_document import render_json
from herald.adapters.formats.markdown import render_markdown
from herald.adapters.formats.text import render_text
from herald.domain.document import BulletinDocument


class RenderFormat(StrEnum):
    """The renderings of a bulletin a reader can ask for."""

    TEXT = "text"
    MARKDOWN = "markdown"
    HTML = "html"
    JSON = "json"

    @property
    def media_type(self) -> str:
        """The HTTP ``Content-Type`` of the rendering."""
        match self:
            case RenderFormat.TEXT:
                return "text/plain; charset=utf-8"
            case RenderFormat.MARKDOWN:
                return "text/markdown; charset=utf-8"
            case RenderFormat.HTML:
                return "text/html; charset=utf-8"
            case RenderFormat.JSON:
                return "application/json"
            case _:
                assert_never(self)

    @property
    def suffix(self) -> str:
        """The usual file-name suffix, e.g. ``.md``."""
        match self:
            case RenderFormat.TEXT:
                return ".txt"
            case RenderFormat.MARKDOWN:
                return ".md"
            case RenderFormat.HTML:
                return ".html"
            case RenderFormat.JSON:
                return ".json"
            case _:
                assert_never(self)


def render(document: BulletinDocument, fmt: RenderFormat) -> str:
    """``document`` in the format ``fmt``; every rendering is a ``str`` ending in a newline."""
    match fmt:
        case RenderFormat.TEXT:
            return render_text(document)
        case RenderFormat.MARKDOWN:
            return render_markdown(document)
        case RenderFormat.HTML:
            return render_html(document)
        case RenderFormat.JSON:
            return render_json(document)
        case _:
            assert_never(fmt)
