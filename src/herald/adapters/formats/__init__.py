"""Renderings of a bulletin for readers: plain text, Markdown, HTML and JSON.

Every renderer takes a composed :class:`~herald.domain.document.BulletinDocument`
and returns a ``str``; none of them touches storage.
"""

from herald.adapters.formats.html import render_html
from herald.adapters.formats.json_document import document_to_dict, render_json
from herald.adapters.formats.markdown import render_markdown
from herald.adapters.formats.rendering import RenderFormat, render
from herald.adapters.formats.text import render_text

__all__ = [
    "RenderFormat",
    "document_to_dict",
    "render",
    "render_html",
    "render_json",
    "render_markdown",
    "render_text",
]
