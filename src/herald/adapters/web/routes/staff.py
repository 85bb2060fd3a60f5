"""Routes: the staff side under ``/staff`` (sign-in, dashboard, bulletins, audit log, users).

Every POST passes the CSRF and same-origin check (``staff_session.protect``); every page
but the sign-in form needs a signed-in staff member; the services refuse (403) what a
member's roles do not allow, whatever the page showed.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web import staff_audit, staff_bulletins
from herald.adapters.web.deps import HeraldDep
from herald.adapters.web.errors import status_of
from herald.adapters.web.staff_forms import FormErrors, FormReader
from herald.adapters.web.staff_pages import local_target, page, see_other, sign_in_first
from herald.adapters.web.staff_session import (
    StaffDep,
    client_address,
    end_all_sessions,
    flash,
    protect,
    read_form,
    start_session,
)
from herald.domain.accounts import Action, Role
from herald.domain.errors import Conflict, TooManyAttempts, ValidationError
from herald.services.accounts import SignInFailed

router = APIRouter(prefix="/staff", dependencies=[Depends(protect)], include_in_schema=False)

FAILURE_DELAY_SECONDS = 0.25
"""A failed sign-in answers no sooner than this after the request arrived."""
SIGN_IN_FAILED = "Wrong username or password."
SUBJECT_PATTERN = r"^[a-z]+:[A-Za-z0-9._-]{1,64}$"


# --- signing in and out --------------------------------------------------------------


@router.get("/sign-in")
async def sign_in_form(
    request: Request,
    staff: StaffDep,
    target: Annotated[str | None, Query(alias="next", max_length=500)] = None,
) -> Response:
    if staff is not None:
        return see_other(local_target(target))
    return page(request, "sign_in.html", None, {"next": local_target(target), "username": ""})


@router.post("/sign-in")
async def sign_in(request: Request, herald: HeraldDep) -> Response:
    started = asyncio.get_running_loop().time()
    reader = FormReader(await read_form(request))
    username = reader.text("username", limit=100, one_line=True, label="the username").strip()
    password = reader.text("password", limit=1000, one_line=True, label="the password")
    target = local_target(reader.text("next", limit=500, one_line=True))
    if not reader.errors and (not username or not password):
        reader.errors.add("form", "give your username and your password")
    context: dict[str, object] = {"next": target, "username": username}
    if reader.errors:
        return page(request, "sign_in.html", None, {**context, "errors": reader.errors}, status=422)
    try:
        user = await run_in_threadpool(
            herald.accounts.sign_in, username, password, client_address(request)
        )
    except TooManyAttempts as error:
        minutes = max(1, round(error.retry_after / 60))
        errors = FormErrors(
            form=f"Too many failed sign-ins for this name or from this address. "
            f"Try again in {minutes} minutes."
        )
        return page(
            request,
            "sign_in.html",
            None,
            {**context, "errors": errors},
            status=429,
            headers={"Retry-After": str(error.retry_after)},
        )
    except SignInFailed:
        await _pad(started)
        errors = FormErrors(form=SIGN_IN_FAILED)
        return page(request, "sign_in.html", None, {**context, "errors": errors}, status=400)
    start_session(request, user, herald.clock.now())
    flash(request, f"Signed in as {user.display_name}.")
    return see_other(target)


async def _pad(started: float) -> None:
    """Make every failure take about as long: timing tells nothing, guessing is slower."""
    remaining = started + FAILURE_DELAY_SECONDS - asyncio.get_running_loop().time()
    if remaining > 0:
        await asyncio.sleep(remaining)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    await end_all_sessions(request)
    flash(request, "Signed out.")
    return see_other("/staff/sign-in")


# --- dashboard -------------------------------------------------------------------------


@router.get("/")
async def dashboard(request: Request, herald: HeraldDep, staff: StaffDep) -> Response:
    if staff is None:
        return sign_in_first(request)
    bulletins = list(await run_in_threadpool(herald.reading.bulletins))
    return page(request, "dashboard.html", staff, {"groups": staff_bulletins.grouped(bulletins)})


# --- audit log ---------------------------------------------------------------------------


@router.get("/audit")
async def audit(
    request: Request,
    herald: HeraldDep,
    staff: StaffDep,
    subject: Annotated[str | None, Query(max_length=80, pattern=SUBJECT_PATTERN)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    if staff is None:
        return sign_in_first(request)
    found = staff_audit.audit_view(
        await run_in_threadpool(
            lambda: herald.audit.page(
                staff.actor, subject=subject, before_id=before_id, size=staff_audit.PAGE_SIZE
            )
        )
    )
    return page(request, "audit.html", staff, {"audit": found, "subject": subject or ""})


# --- users ---------------------------------------------------------------------------------


@router.get("/users")
async def users(request: Request, herald: HeraldDep, staff: StaffDep) -> Response:
    if staff is None:
        return sign_in_first(request)
    return await _users_page(request, herald, staff)


async def _users_page(
    request: Request,
    herald: HeraldDep,
    staff: StaffDep,
    errors: FormErrors | None = None,
    typed: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    assert staff is not None
    accounts = await run_in_threadpool(herald.accounts.users, staff.actor)
    return page(
        request,
        "users.html",
        staff,
        {
            "accounts": accounts,
            "roles": [role.value for role in Role],
            "errors": errors or {},
            "typed": typed or {"roles": []},
        },
        status=status,
    )


@router.post("/users")
async def add_user(request: Request, herald: HeraldDep, staff: StaffDep) -> Response:
    if staff is None:
        return sign_in_first(request)
    staff.actor.require(Action.MANAGE_USERS)
    reader = FormReader(await read_form(request))
    username = reader.text("username", limit=100, one_line=True, label="the username").strip()
    name = reader.text("display_name", limit=200, one_line=True, label="the name").strip()
    roles = reader.texts("roles", limit=20, max_count=10)
    password = reader.text("password", limit=1000, one_line=True, label="the password")
    typed: dict[str, object] = {"username": username, "display_name": name, "roles": roles}
    if reader.errors:
        return await _users_page(request, herald, staff, reader.errors, typed, 422)
    try:
        added = await run_in_threadpool(
            lambda: herald.accounts.add_user(username, name, roles, password, staff.actor)
        )
    except (ValidationError, Conflict) as error:
        if isinstance(error, Conflict):
            reader.errors.add("username", error.message)
        else:
            reader.errors.add_error(error)
        return await _users_page(request, herald, staff, reader.errors, typed, status_of(error))
    flash(request, f"Account {added.username} created.")
    return see_other("/staff/users")


router.include_router(staff_bulletins.router)
