"""Routes: the staff side under ``/staff`` (sign-in, dashboard, bulletins, audit log, users).

Signing in is the password, then whatever steps the account still needs (a code, a new
password, an enrollment: ``staff_session.next_step``, pages in ``staff_account``).

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

from herald.adapters.web.deps import (
    AccountsDep,
    AuditDep,
    AuthoringDep,
    ClockDep,
    ReadingDep,
    SessionsDep,
    client_address,
)
from herald.adapters.web.errors import status_of
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff import account as staff_account
from herald.adapters.web.staff import audit as staff_audit
from herald.adapters.web.staff import bulletins as staff_bulletins
from herald.adapters.web.staff import review as staff_review
from herald.adapters.web.staff import workflow as staff_workflow
from herald.adapters.web.staff.pages import local_target, page, see_other
from herald.adapters.web.staff.session import (
    SignedIn,
    Staff,
    StaffDep,
    end_all_sessions,
    flash,
    may,
    next_step,
    protect,
    start_pending,
    start_session,
)
from herald.domain.accounts import Action, Role, parse_username
from herald.domain.errors import Conflict, NotFound, TooManyAttempts, ValidationError
from herald.services.accounts import AccountService, SignInFailed

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
async def sign_in(request: Request, clock: ClockDep, accounts: AccountsDep) -> Response:
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
            accounts.sign_in, username, password, client_address(request)
        )
    except TooManyAttempts as error:
        return staff_account.too_many(request, "sign_in.html", context, error)
    except SignInFailed:
        await staff_account.pad(started, FAILURE_DELAY_SECONDS)
        errors = FormErrors(form=SIGN_IN_FAILED)
        return page(request, "sign_in.html", None, {**context, "errors": errors}, status=400)
    member = await run_in_threadpool(accounts.member, user.username)
    step = next_step(member) if member is not None else None
    if step is not None:
        start_pending(request, user, step, clock.now(), target)
        return see_other(step.path)
    start_session(request, user, clock.now())
    flash(request, f"Signed in as {user.display_name}.")
    return see_other(target)


@router.post("/sign-out")
async def sign_out(request: Request) -> Response:
    await end_all_sessions(request)
    flash(request, "Signed out.")
    return see_other("/staff/sign-in")


# --- dashboard -------------------------------------------------------------------------


@router.get("/")
async def dashboard(
    request: Request, authoring: AuthoringDep, reading: ReadingDep, staff: SignedIn
) -> Response:
    bulletins = list(await run_in_threadpool(reading.bulletins))
    proposals, emergencies = await run_in_threadpool(authoring.waiting)
    return page(
        request,
        "dashboard.html",
        staff,
        {
            "groups": staff_bulletins.grouped(bulletins),
            "proposals": proposals,
            "emergencies": emergencies,
        },
    )


# --- audit log ---------------------------------------------------------------------------


@router.get("/audit")
async def audit(
    request: Request,
    audit: AuditDep,
    staff: SignedIn,
    subject: Annotated[str | None, Query(max_length=80, pattern=SUBJECT_PATTERN)] = None,
    before_id: Annotated[int | None, Query(ge=1, le=2**62)] = None,
) -> Response:
    found = staff_audit.audit_view(
        await run_in_threadpool(
            lambda: audit.page(
                staff.actor, subject=subject, before_id=before_id, size=staff_audit.PAGE_SIZE
            )
        )
    )
    return page(request, "audit.html", staff, {"audit": found, "subject": subject or ""})


# --- users ---------------------------------------------------------------------------------


@router.get("/users")
async def users(request: Request, accounts: AccountsDep, staff: SignedIn) -> Response:
    return await _users_page(request, accounts, staff)


async def _users_page(
    request: Request,
    accounts_service: AccountService,
    staff: StaffDep,
    errors: FormErrors | None = None,
    typed: dict[str, object] | None = None,
    status: int = 200,
    *,
    account_errors: dict[str, str] | None = None,
    temporary: tuple[str, str] | None = None,
) -> Response:
    assert staff is not None
    accounts = await run_in_threadpool(accounts_service.users, staff.actor)
    required = await run_in_threadpool(accounts_service.second_factor_required)
    return page(
        request,
        "users.html",
        staff,
        {
            "accounts": accounts,
            "roles": [role.value for role in Role],
            "errors": errors or {},
            "typed": typed or {"roles": []},
            "account_errors": account_errors or {},
            "temporary": temporary,
            "second_factor_required": required,
        },
        status=status,
        headers={"Cache-Control": "no-store"} if temporary else None,
    )


@router.post("/users")
async def add_user(
    request: Request, accounts: AccountsDep, staff: Annotated[Staff, may(Action.MANAGE_USERS)]
) -> Response:
    reader = FormReader(await read_form(request))
    username = reader.text("username", limit=100, one_line=True, label="the username").strip()
    name = reader.text("display_name", limit=200, one_line=True, label="the name").strip()
    roles = reader.texts("roles", limit=20, max_count=10)
    password = reader.text("password", limit=1000, one_line=True, label="the password")
    typed: dict[str, object] = {"username": username, "display_name": name, "roles": roles}
    if reader.errors:
        return await _users_page(request, accounts, staff, reader.errors, typed, 422)
    try:
        added = await run_in_threadpool(
            lambda: accounts.add_user(username, name, roles, password, staff.actor)
        )
    except (ValidationError, Conflict) as error:
        if isinstance(error, Conflict):
            reader.errors.add("username", error.message)
        else:
            reader.errors.add_error(error)
        return await _users_page(request, accounts, staff, reader.errors, typed, status_of(error))
    flash(request, f"Account {added.username} created.")
    return see_other("/staff/users")


ACCOUNT_STEPS = {
    "deactivate": "deactivated",
    "reactivate": "reactivated",
    "roles": "given new roles",
    "reset-password": "given a temporary password",
    "sign-out-everywhere": "signed out everywhere",
    "reset-second-factor": "without a second factor now",
}
"""What an admin may do to an account at ``/staff/users/{username}/{step}``."""
ENDS_SESSIONS = frozenset({"deactivate", "reset-password", "sign-out-everywhere"})
"""The steps after which the account's stored sessions are deleted (the account's
session generation moved on too, which already refuses them)."""


@router.post("/users/policy")
async def account_policy(
    request: Request, accounts: AccountsDep, staff: Annotated[Staff, may(Action.MANAGE_USERS)]
) -> Response:
    """Require (or not) a second factor of every member."""
    reader = FormReader(await read_form(request))
    required = reader.text("require_second_factor", limit=10, one_line=True) == "on"
    try:
        await run_in_threadpool(accounts.require_second_factor, required, staff.actor)
    except ValidationError as error:
        errors = FormErrors(require_second_factor=error.reason)
        return await _users_page(request, accounts, staff, errors, None, 422)
    flash(request, f"A second factor is {'now' if required else 'no longer'} required.")
    return see_other("/staff/users")


@router.post("/users/{username}/{step}")
async def change_account(
    request: Request,
    accounts_service: AccountsDep,
    sessions: SessionsDep,
    staff: Annotated[Staff, may(Action.MANAGE_USERS)],
    username: str,
    step: str,
) -> Response:
    """One lifecycle step on one account (admins); a mistake shows next to its row."""
    if step not in ACCOUNT_STEPS:
        raise NotFound(f"no step {step[:40]!r} for an account")
    try:
        name = parse_username(username)
    except ValidationError:
        raise NotFound(f"no user {username[:64]!r}") from None
    reader = FormReader(await read_form(request))
    roles = reader.texts("roles", limit=20, max_count=10) if step == "roles" else []
    accounts, actor = accounts_service, staff.actor
    temporary: tuple[str, str] | None = None
    try:
        if step == "deactivate":
            await run_in_threadpool(accounts.deactivate, name, actor)
        elif step == "reactivate":
            await run_in_threadpool(accounts.reactivate, name, actor)
        elif step == "roles":
            await run_in_threadpool(accounts.set_roles, name, roles, actor)
        elif step == "reset-password":
            user, password = await run_in_threadpool(accounts.reset_password, name, actor)
            temporary = (user.username, password)
        elif step == "sign-out-everywhere":
            await run_in_threadpool(accounts.sign_out_everywhere, name, actor)
        else:
            await run_in_threadpool(accounts.reset_second_factor, name, actor)
    except ValidationError as error:
        return await _users_page(
            request, accounts_service, staff, None, None, 422, account_errors={name: error.reason}
        )
    if step in ENDS_SESSIONS:
        await run_in_threadpool(sessions.end_all, name)
    if temporary is not None:  # shown once, on this page only
        return await _users_page(request, accounts_service, staff, temporary=temporary)
    flash(request, f"Account {name} {ACCOUNT_STEPS[step]}.")
    return see_other("/staff/users")


router.include_router(staff_review.router)  # before the workflow's /{step} catch-all
router.include_router(staff_bulletins.router)
router.include_router(staff_workflow.router)  # its /{step} catch-all after the pages
router.include_router(staff_account.router)
