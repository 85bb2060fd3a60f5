"""Staff routes: API tokens for the webhook API (admins), under ``/staff/alerts/tokens``.

A new token is shown once, on the answer to the POST that issued it
(``Cache-Control: no-store``); herald keeps only its hash.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import HeraldDep
from herald.adapters.web.staff_forms import FormErrors, FormReader
from herald.adapters.web.staff_pages import page, see_other, sign_in_first
from herald.adapters.web.staff_session import Staff, StaffDep, flash, read_form
from herald.bootstrap import Herald
from herald.domain.accounts import Action
from herald.domain.api_tokens import parse_token_name
from herald.domain.errors import Conflict, NotFound, ValidationError

router = APIRouter()


async def _tokens_page(
    request: Request,
    herald: Herald,
    staff: Staff,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    tokens = await run_in_threadpool(herald.api_tokens.tokens, staff.actor)
    return page(
        request,
        "alerts/tokens.html",
        staff,
        {"tokens": tokens, "errors": errors or {}, "typed": typed or {}},
        status=status,
    )


@router.get("/tokens")
async def tokens(request: Request, herald: HeraldDep, staff: StaffDep) -> Response:
    if staff is None:
        return sign_in_first(request)
    staff.actor.require(Action.MANAGE_USERS)
    return await _tokens_page(request, herald, staff)


@router.post("/tokens")
async def issue(request: Request, herald: HeraldDep, staff: StaffDep) -> Response:
    if staff is None:
        return sign_in_first(request)
    staff.actor.require(Action.MANAGE_USERS)
    reader = FormReader(await read_form(request))
    name = reader.text("name", limit=64, one_line=True, label="the name").strip()
    if not reader.errors:
        try:
            issued, secret = await run_in_threadpool(herald.api_tokens.issue, name, staff.actor)
        except (ValidationError, Conflict) as error:
            reader.errors.add("name", getattr(error, "reason", error.message))
        else:
            return page(
                request,
                "alerts/token_issued.html",
                staff,
                {"token": issued, "secret": secret},
                headers={"Cache-Control": "no-store"},
            )
    return await _tokens_page(request, herald, staff, reader.errors, {"name": name}, 422)


@router.post("/tokens/{name}/revoke")
async def revoke(request: Request, name: str, herald: HeraldDep, staff: StaffDep) -> Response:
    if staff is None:
        return sign_in_first(request)
    try:
        checked = parse_token_name(name)
    except ValidationError:
        raise NotFound(f"no API token named {name[:64]!r}") from None
    revoked = await run_in_threadpool(herald.api_tokens.revoke, checked, staff.actor)
    flash(request, f"API token {revoked.name} revoked.")
    return see_other("/staff/alerts/tokens")
