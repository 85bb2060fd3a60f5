"""Staff routes: API tokens for the JSON API (admins), under ``/staff/alerts/tokens``.

A new token is shown once, on the answer to the POST that issued it
(``Cache-Control: no-store``); herald keeps only its hash. The form names the token's
scopes (at least one), its expiry (a lifetime such as ``30d`` or a date; 90 days by
default) and its owner (the signed-in admin unless another account is named); the list
shows each token's scopes, owner, expiry, last use and state.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import ApiTokensDep, ClockDep
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff.pages import page, see_other
from herald.adapters.web.staff.session import SignedIn, Staff, flash, may
from herald.domain.accounts import Action
from herald.domain.api_tokens import (
    DEFAULT_LIFETIME,
    MAX_LIFETIME,
    Scope,
    parse_expiry,
    parse_scopes,
    parse_token_name,
)
from herald.domain.errors import Conflict, NotFound, ValidationError
from herald.services.api_tokens import ApiTokenService

router = APIRouter()
T = TypeVar("T")


async def _tokens_page(
    request: Request,
    api_tokens: ApiTokenService,
    staff: Staff,
    errors: FormErrors | None = None,
    typed: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    tokens = await run_in_threadpool(api_tokens.tokens, staff.actor)
    listed = [(token, api_tokens.state(token).value) for token in tokens]
    shown: dict[str, object] = {
        "scopes": [Scope.WEBHOOKS_OWN.value],
        "expires": f"{DEFAULT_LIFETIME.days}d",
        **(typed or {}),
    }
    return page(
        request,
        "alerts/tokens.html",
        staff,
        {
            "tokens": listed,
            "errors": errors or {},
            "typed": shown,
            "scopes": list(Scope),
            "max_days": MAX_LIFETIME.days,
        },
        status=status,
    )


@router.get("/tokens")
async def tokens(
    request: Request, api_tokens: ApiTokensDep, staff: Annotated[Staff, may(Action.MANAGE_USERS)]
) -> Response:
    return await _tokens_page(request, api_tokens, staff)


@router.post("/tokens")
async def issue(
    request: Request,
    clock: ClockDep,
    api_tokens: ApiTokensDep,
    staff: Annotated[Staff, may(Action.MANAGE_USERS)],
) -> Response:
    reader = FormReader(await read_form(request))
    name = reader.text("name", limit=64, one_line=True, label="the name").strip()
    chosen = reader.texts("scopes", limit=40, max_count=len(Scope))
    expires = reader.text("expires", limit=40, one_line=True, label="the expiry").strip()
    owner = reader.text("owner", limit=63, one_line=True, label="the owner").strip()
    typed: dict[str, object] = {
        "name": name,
        "scopes": chosen,
        "expires": expires,
        "owner": owner,
    }
    scopes = _checked(reader, "scopes", lambda: parse_scopes(chosen))
    expires_at = _checked(reader, "expires", lambda: parse_expiry(expires, clock.now()))
    if not reader.errors and scopes is not None and expires_at is not None:
        try:
            issued, secret = await run_in_threadpool(
                lambda: api_tokens.issue(
                    name,
                    staff.actor,
                    scopes=scopes,
                    expires_at=expires_at,
                    owner=owner or None,
                )
            )
        except ValidationError as error:
            field = error.field if error.field in _FIELDS else "name"
            reader.errors.add(field, error.reason)
        except Conflict as error:
            reader.errors.add("name", error.message)
        else:
            return page(
                request,
                "alerts/token_issued.html",
                staff,
                {"token": issued, "secret": secret},
                headers={"Cache-Control": "no-store"},
            )
    return await _tokens_page(request, api_tokens, staff, reader.errors, typed, 422)


_FIELDS = frozenset({"name", "scopes", "expires", "owner"})
"""The form's fields (a service error on another is shown on the name)."""


def _checked(reader: FormReader, field: str, parse: Callable[[], T]) -> T | None:
    """``parse()``, or None with its error on ``field``."""
    if field in reader.errors:
        return None
    try:
        return parse()
    except ValidationError as error:
        reader.errors.add(field, error.reason)
        return None


@router.post("/tokens/{name}/revoke")
async def revoke(
    request: Request, name: str, api_tokens: ApiTokensDep, staff: SignedIn
) -> Response:
    try:
        checked = parse_token_name(name)
    except ValidationError:
        raise NotFound(f"no API token named {name[:64]!r}") from None
    revoked = await run_in_threadpool(api_tokens.revoke, checked, staff.actor)
    flash(request, f"API token {revoked.name} revoked.")
    return see_other("/staff/alerts/tokens")
