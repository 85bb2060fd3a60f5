"""Staff sessions: who is signed in, CSRF tokens, the same-origin check, flash messages.

The session is kept on the server (``herald.adapters.web.sessions``, the table
``staff_sessions``); the browser's cookie (``herald_session``: HttpOnly, SameSite=Lax,
Secure over https, Path=/) holds only its random id, so nothing in it can be read.
The session holds the username, the instant of sign-in, the CSRF token and the
account's session generation. Signing in gives the session a new id and a new CSRF
token (``start_session``: no session fixation); signing out deletes it on the server,
together with every other session of that user, and moves the account to its next
session generation (``end_all_sessions``), so a copy of the cookie is worthless
afterwards. A password change, a reset or a deactivation also moves the generation on,
which ends the account's other sessions at their next request.

Signing in may take more than the password: a code when the account has a second
factor, a new password after an admin reset it, enrolling a second factor when the
policy requires one. Until every step is done the session holds only a *pending*
sign-in (the username, the step, its start and the account's session generation) and
grants nothing: :func:`current_staff` answers None, and the staff pages send the
browser to the step's page (:func:`pending_path`). A pending sign-in lasts 10 minutes.

Every POST under ``/staff`` passes :func:`protect` (a router dependency) before its
route runs: the request must come from this site (``Origin``, else ``Referer``) and
carry the session's CSRF token in the ``csrf_token`` field (or the ``X-CSRF-Token``
header, for the preview script).
"""

from __future__ import annotations

import hmac
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import Depends, Request
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from herald.adapters.web.deps import services
from herald.adapters.web.forms import read_form
from herald.adapters.web.sessions import renew_session
from herald.domain.accounts import Action, User
from herald.services.accounts import Member
from herald.services.actors import Actor
from herald.services.sessions import SESSION_LIFETIME

CSRF_FIELD = "csrf_token"
"""The hidden form field that carries the CSRF token."""
CSRF_HEADER = "x-csrf-token"
"""The header the preview script may use instead."""
PENDING_LIFETIME = timedelta(minutes=10)
"""A sign-in half done (waiting for a code, a new password, an enrollment) ends after this."""

_USER = "user"
_CSRF = "csrf"
_SIGNED_IN_AT = "at"
_GENERATION = "gen"
_FLASH = "flash"
_PENDING = "pending"
_STEP = "step"
_NEXT = "next"
_UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class Step(StrEnum):
    """What a pending sign-in waits for, in this order."""

    CODE = "code"
    """A code of the second factor (or a recovery code)."""
    PASSWORD = "password"  # noqa: S105 - a step name, not a password
    """A new password in place of the temporary one an admin set."""
    ENROLL = "enroll"
    """Setting up a second factor, which the account policy requires."""

    @property
    def path(self) -> str:
        return f"/staff/sign-in/{self.value}"


def next_step(member: Member, done: Step | None = None) -> Step | None:
    """The step after ``done`` that ``member`` still needs; None when they may sign in."""
    needed = {
        Step.CODE: member.user.has_second_factor,
        Step.PASSWORD: member.user.must_change_password,
        Step.ENROLL: member.must_enroll,
    }
    steps = list(Step)
    later = steps if done is None else steps[steps.index(done) + 1 :]
    return next((step for step in later if needed[step]), None)


@dataclass(frozen=True)
class Pending:
    """A sign-in half done: the password was right, a step remains."""

    member: Member
    step: Step
    csrf: str
    target: str
    """Where to go once signed in."""

    @property
    def user(self) -> User:
        return self.member.user


@dataclass(frozen=True)
class Staff:
    """The signed-in staff member of a request."""

    user: User
    """Their account (active)."""
    csrf: str
    """The session's CSRF token, for the forms on the page."""

    @property
    def actor(self) -> Actor:
        return Actor.staff(self.user)

    def may(self, action: str) -> bool:
        """For templates: show only what the services would allow."""
        return self.user.may(Action(action))


def csrf_token(request: Request) -> str:
    """The session's CSRF token, created on first use."""
    token = request.session.get(_CSRF)
    if not isinstance(token, str) or len(token) < 32:
        token = secrets.token_urlsafe(32)
        request.session[_CSRF] = token
    return token


async def protect(request: Request) -> None:
    """Refuse (403, naming the problem) an unsafe request from elsewhere or without the token."""
    if request.method not in _UNSAFE_METHODS:
        return
    _check_same_origin(request)
    form = await read_form(request)
    expected = request.session.get(_CSRF)
    given = form.get(CSRF_FIELD) or request.headers.get(CSRF_HEADER)
    if not isinstance(expected, str) or not expected:
        raise _refused(
            "CSRF check failed: this session has no CSRF token (it expired, or cookies are "
            "blocked); reload the page and try again"
        )
    if not isinstance(given, str) or not given:
        raise _refused(f"CSRF check failed: the form has no {CSRF_FIELD}; reload the page")
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise _refused(
            f"CSRF check failed: the form's {CSRF_FIELD} does not match this session; "
            "reload the page and try again"
        )


def _check_same_origin(request: Request) -> None:
    herald = services(request)
    allowed = {_origin(herald.settings.base_url), _origin(str(request.base_url))}
    origin = request.headers.get("origin")
    if origin is not None:
        if origin.rstrip("/").lower() not in allowed:
            raise _refused(
                f"cross-origin request refused: Origin {origin[:100]!r} is not this site"
            )
        return
    referer = request.headers.get("referer")
    if referer and _origin(referer) not in allowed:
        raise _refused("cross-origin request refused: the Referer is not this site")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def _refused(message: str) -> HTTPException:
    return HTTPException(status_code=403, detail=message)


def start_session(request: Request, user: User, now: datetime) -> None:
    """Sign ``user`` in: a new session id and CSRF token replace whatever was there."""
    request.session.clear()
    renew_session(request)
    request.session.update(
        {
            _USER: user.username,
            _CSRF: secrets.token_urlsafe(32),
            _SIGNED_IN_AT: now.timestamp(),
            _GENERATION: user.session_generation,
        }
    )


def start_pending(request: Request, user: User, step: Step, now: datetime, target: str) -> None:
    """The password was right; ``step`` remains. Nothing is granted until it is done."""
    request.session.clear()
    renew_session(request)
    request.session.update(
        {
            _PENDING: user.username,
            _STEP: step.value,
            _CSRF: secrets.token_urlsafe(32),
            _SIGNED_IN_AT: now.timestamp(),
            _GENERATION: user.session_generation,
            _NEXT: target,
        }
    )


def pending_path(request: Request) -> str | None:
    """The page of the step a pending sign-in waits for (not checked: the page checks)."""
    step = request.session.get(_STEP)
    if isinstance(request.session.get(_PENDING), str) and step in set(Step):
        return Step(step).path
    return None


async def pending_sign_in(request: Request, step: Step) -> Pending | None:
    """The pending sign-in waiting for ``step``: still fresh, its account active and in
    the same session generation. None otherwise (a stale one is cleared)."""
    herald = services(request)
    username = request.session.get(_PENDING)
    started = request.session.get(_SIGNED_IN_AT)
    target = request.session.get(_NEXT)
    if (
        not isinstance(username, str)
        or not isinstance(started, int | float)
        or request.session.get(_STEP) != step.value
    ):
        return None
    now = herald.clock.now()
    began = datetime.fromtimestamp(started, UTC)
    if not began - timedelta(minutes=5) <= now < began + PENDING_LIFETIME:
        end_session(request)
        return None
    member = await run_in_threadpool(herald.accounts.member, username)
    if member is None or not member.user.session_valid(request.session.get(_GENERATION)):
        end_session(request)
        return None
    return Pending(
        member, step, csrf_token(request), target if isinstance(target, str) else "/staff/"
    )


def end_session(request: Request) -> None:
    """This session ends on the server; anything stored in it afterwards (a flash
    message) goes under a new id."""
    request.session.clear()
    renew_session(request)


async def end_all_sessions(request: Request) -> None:
    """End every session of the signed-in user on the server (their stored sessions are
    deleted and the account moves to its next session generation), then this one."""
    herald = services(request)
    username = request.session.get(_USER)
    if isinstance(username, str):
        await run_in_threadpool(herald.accounts.end_sessions, username)
        await run_in_threadpool(herald.sessions.end_all, username)
    end_session(request)


def session_owner(data: Mapping[str, Any]) -> str | None:
    """The account a session is for, signed in or half-way; None for a visitor."""
    username = data.get(_USER, data.get(_PENDING))
    return username if isinstance(username, str) else None


async def current_staff(request: Request) -> Staff | None:
    """The signed-in, active staff member, or None (an ended session is cleared)."""
    herald = services(request)
    username = request.session.get(_USER)
    started = request.session.get(_SIGNED_IN_AT)
    if not isinstance(username, str) or not isinstance(started, int | float):
        return None
    now = herald.clock.now()
    began = datetime.fromtimestamp(started, UTC)
    if not began - timedelta(minutes=5) <= now < began + SESSION_LIFETIME:
        end_session(request)
        return None
    member = await run_in_threadpool(herald.accounts.member, username)
    if member is None or not member.user.session_valid(request.session.get(_GENERATION)):
        end_session(request)
        return None
    step = next_step(member, Step.CODE)  # a password reset or a new policy since sign-in
    if step is not None:
        target = request.url.path if request.method == "GET" else "/staff/"
        start_pending(request, member.user, step, now, target)
        return None
    return Staff(member.user, csrf_token(request))


StaffDep = Annotated[Staff | None, Depends(current_staff)]
"""The signed-in staff member, or None (for the few pages anyone may see)."""


class SignInFirst(Exception):
    """Nobody is (fully) signed in: the app answers with the way to the sign-in page."""


async def signed_in_staff(request: Request) -> Staff:
    """The signed-in staff member; ``SignInFirst`` when there is none."""
    staff = await current_staff(request)
    if staff is None:
        raise SignInFirst
    return staff


SignedIn = Annotated[Staff, Depends(signed_in_staff)]
"""The signed-in staff member (a page for staff only)."""


def may(action: Action) -> Any:
    """A dependency: the signed-in staff member, who may do ``action`` (the domain's role
    table decides, as it does in the services); 403 otherwise. Use it as
    ``staff: Annotated[Staff, may(Action.PUBLISH)]``."""

    async def allowed(staff: SignedIn) -> Staff:
        staff.actor.require(action)
        return staff

    return Depends(allowed)


def flash(request: Request, message: str) -> None:
    """A message shown once, on the next page."""
    messages = request.session.get(_FLASH)
    request.session[_FLASH] = [*(messages if isinstance(messages, list) else []), message][-5:]


def take_flashes(request: Request) -> list[str]:
    messages = request.session.pop(_FLASH, None)
    return [str(m) for m in messages] if isinstance(messages, list) else []
