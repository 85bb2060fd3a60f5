"""The live preview: a bulletin as readers would see it, as a fragment of a staff page.

It is the markup the public bulletin page embeds (``render_article``: authored Markdown
through markdown-it with raw HTML off, then nh3), under the title, notice and facts
laid out by ``templates/staff/_rendered.html``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from types import ModuleType

from markupsafe import Markup

from herald.adapters.formats import _layout as layout
from herald.adapters.formats.html import inline_markdown_to_html, render_article
from herald.domain.bulletin import Bulletin, BulletinContent
from herald.domain.catalog import Catalog
from herald.domain.document import BulletinDocument, compose
from herald.domain.ids import ArticleId
from herald.domain.publisher import Publisher
from herald.domain.workflow import check_content


@dataclass(frozen=True)
class Rendered:
    """What the preview shows; every Markup here is sanitised or autoescaped."""

    document: BulletinDocument
    title_html: Markup
    notice: layout.Notice | None
    article: Markup
    layout: ModuleType = layout


def preview_bulletin(
    content: BulletinContent,
    catalog: Catalog,
    publisher: Publisher,
    now: datetime,
    base: Bulletin | None = None,
) -> Bulletin:
    """The bulletin ``content`` would make: ``base`` with it, or a new draft.

    Raises ``ValidationError`` (naming the field) when the content breaks a rule.
    """
    check_content(content, catalog, publisher)
    if base is None:
        base = Bulletin(
            article_id=ArticleId(publisher.article_ids.format(0)),
            title=content.title,
            created_at=now,
            updated_at=now,
        )
    return replace(base.with_content(content, now), updated_at=now)


def preview_html(bulletin: Bulletin, catalog: Catalog, publisher: Publisher) -> Rendered:
    """The bulletin rendered for a staff page.

    Raises ``ValidationError`` when a section override cannot be filled in.
    """
    document = compose(bulletin, catalog, publisher)
    return Rendered(
        document=document,
        title_html=inline_markdown_to_html(document.title),
        notice=layout.status_notice(document),
        article=render_article(document),
    )
