"""Small helpers the staff routes share: rendering a staff page, redirects, id checks."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from fastapi import Request
from fastapi.responses import RedirectResponse, Response
from fastapi.templating import Jinja2Templates

from herald.adapters.web.staff.session import Staff, csrf_token, pending_path, take_flashes
from herald.domain.errors import NotFound

_ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")


def page(
    request: Request,
    name: str,
    staff: Staff | None,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    """A page from ``templates/staff/`` with the signed-in member, the CSRF token and
    any flash messages."""
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        f"staff/{name}",
        {
            "staff": staff,
            "csrf": staff.csrf if staff is not None else csrf_token(request),
            "flashes": take_flashes(request),
            "errors": {},
            **(context or {}),
        },
        status_code=status,
        headers=headers,
    )


def see_other(path: str) -> RedirectResponse:
    """After a POST: the browser GETs ``path``."""
    return RedirectResponse(path, status_code=303)


def sign_in_first(request: Request) -> RedirectResponse:
    """To the sign-in page, coming back here afterwards; during a sign-in half done, to
    the page of the step it waits for (a code, a new password, an enrollment)."""
    pending = pending_path(request)
    if pending is not None:
        return see_other(pending)
    target = request.url.path
    if request.method == "GET" and request.url.query:
        target += f"?{request.url.query}"
    return see_other(f"/staff/sign-in?next={quote(target, safe='/')}")


def local_target(text: str | None) -> str:
    """Where to go after signing in: a staff path, never another site."""
    if (
        text
        and text.startswith("/staff/")
        and not text.startswith("//")
        and "\\" not in text
        and len(text) <= 500
        and text.isprintable()
    ):
        return text
    return "/staff/"


def article_path(article_id: str) -> str:
    """The bulletin's staff page; ``NotFound`` for an id no bulletin could have."""
    return f"/staff/bulletins/{checked_article_id(article_id)}"


def checked_article_id(article_id: str) -> str:
    """``article_id`` when it could name a bulletin; ``NotFound`` otherwise (never a query
    with odd bytes)."""
    if not _ARTICLE_ID.fullmatch(article_id):
        raise NotFound(f"no bulletin {article_id[:70]!r}")
    return article_id
