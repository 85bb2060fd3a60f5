"""``ServerSessions``: the session cookie holds only an opaque id; the session is on the server.

A pure ASGI middleware in place of Starlette's ``SessionMiddleware`` (which kept the
whole session, readable, in a signed cookie). For each request it

- reads the id from the ``herald_session`` cookie and loads that session through
  ``SessionService`` (one read by the hash of the id; none without a well-formed id)
  into ``request.session``, a plain dict, so the staff pages use it as before;
- when the response starts, keeps what changed: a session that was none and now holds
  something is made under a new id; a changed one is saved; an emptied one is deleted
  with its cookie; an unchanged one costs nothing more (its last use is written at most
  once a minute). A request that called ``renew_session`` (signing in, signing out)
  gets a new id for what the session holds, and the old id ends: no session fixation.

An id the server does not know (made up, ended, expired) counts as no session; on a
private path (``middleware.is_private``: the staff pages) its cookie is cleared. Public
answers never carry a ``Set-Cookie`` for a session they did not change, so they stay
cacheable.

The cookie: ``HttpOnly``, ``SameSite=Lax``, ``Path=/``, ``Secure`` when the site is
served over TLS, a ``Max-Age`` to the session's end.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any

from starlette.concurrency import run_in_threadpool
from starlette.datastructures import MutableHeaders
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from herald.adapters.web.middleware import is_private
from herald.services.sessions import OpenSession, SessionService, well_formed

SESSION_COOKIE = "herald_session"
"""The cookie that carries the session id (``site.cache.CachedPages`` lets requests
carrying it through to the app)."""
_RENEW = "herald.session.renew"
"""Scope key: the request asked for a new session id (``renew_session``)."""

Owner = Callable[[Mapping[str, Any]], str | None]
"""The account a session's data is for (to end all of its sessions at once), or None."""


def renew_session(connection: HTTPConnection) -> None:
    """Give what the session holds a new id when the response starts; the old id ends."""
    connection.scope[_RENEW] = True


def _snapshot(data: Mapping[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"))


class ServerSessions:
    """Loads ``request.session`` from the server by the cookie's id; keeps what changed."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        sessions: SessionService,
        owner: Owner,
        secure: bool,
        cookie: str = SESSION_COOKIE,
    ) -> None:
        self._app = app
        self._sessions = sessions
        self._owner = owner
        self._cookie = cookie
        self._flags = "; Path=/; HttpOnly; SameSite=Lax" + ("; Secure" if secure else "")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        presented = HTTPConnection(scope).cookies.get(self._cookie)
        opened = None
        if presented is not None and well_formed(presented):
            opened = await run_in_threadpool(self._sessions.open, presented)
        data: dict[str, Any] = dict(opened.data) if opened is not None else {}
        before = _snapshot(data)
        scope["session"] = data

        async def send_with_session(message: Message) -> None:
            if message["type"] == "http.response.start":
                cookie = await self._settle(scope, opened, presented, before)
                if cookie is not None:
                    MutableHeaders(scope=message).append("set-cookie", cookie)
            await send(message)

        await self._app(scope, receive, send_with_session)

    async def _settle(
        self, scope: Scope, opened: OpenSession | None, presented: str | None, before: str
    ) -> str | None:
        """Store what the request did to its session; the ``Set-Cookie`` value, if any."""
        data: dict[str, Any] = scope["session"]
        if opened is None or scope.get(_RENEW):
            if data:
                replacing = opened.id if opened is not None else None
                made = await run_in_threadpool(
                    lambda: self._sessions.start(data, self._owner(data), replacing=replacing)
                )
                return self._set(made)
            if opened is not None:
                await run_in_threadpool(self._sessions.end, opened.id)
                return self._clear()
            if presented is not None and is_private(scope["path"], scope["headers"]):
                return self._clear()  # a stale cookie: nothing on the server any more
            return None
        if not data:
            await run_in_threadpool(self._sessions.end, opened.id)
            return self._clear()
        if _snapshot(data) != before:
            kept = await run_in_threadpool(self._sessions.save, opened, data, self._owner(data))
            return None if kept else self._clear()
        await run_in_threadpool(self._sessions.seen, opened)
        return None

    def _set(self, session: OpenSession) -> str:
        # a session just made: its last use is now
        seconds = max(int((session.expires_at - session.last_seen_at).total_seconds()), 0)
        return f"{self._cookie}={session.id}; Max-Age={seconds}{self._flags}"

    def _clear(self) -> str:
        return f"{self._cookie}=; Max-Age=0; Expires=Thu, 01 Jan 1970 00:00:00 GMT{self._flags}"
