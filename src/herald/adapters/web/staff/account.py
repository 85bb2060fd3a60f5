"""Routes: one's own account (``/staff/account``: password, second factor) and the steps
of a sign-in after the password (``/staff/sign-in/code|password|enroll``).

The sign-in steps work only on a pending sign-in (``staff_session.pending_sign_in``):
without one they send the browser to the sign-in form. A code is checked under the same
throttle as the password (``AccountService.verify_second_factor``). Secrets (the TOTP
secret being enrolled, recovery codes) are shown on pages sent with
``Cache-Control: no-store``; recovery codes only once.
"""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import AccountsDep, ClockDep, client_address
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff.pages import page, see_other
from herald.adapters.web.staff.session import (
    Pending,
    SignedIn,
    Staff,
    Step,
    flash,
    next_step,
    pending_sign_in,
    protect,
    start_pending,
    start_session,
)
from herald.domain.accounts import User
from herald.domain.errors import TooManyAttempts, ValidationError
from herald.domain.totp import provisioning_uri
from herald.services.accounts import AccountService, Enrollment, SignInFailed
from herald.services.ports.common import Clock

router = APIRouter(dependencies=[Depends(protect)])

FAILURE_DELAY_SECONDS = 0.25
"""A wrong code answers no sooner than this after the request arrived."""
CODE_FAILED = "Wrong code."
NO_STORE = {"Cache-Control": "no-store"}


async def pad(started: float, delay: float) -> None:
    """Make every failure take about as long: timing tells nothing, guessing is slower."""
    remaining = started + delay - asyncio.get_running_loop().time()
    if remaining > 0:
        await asyncio.sleep(remaining)


def too_many(
    request: Request, template: str, context: dict[str, object], error: TooManyAttempts
) -> Response:
    """The throttle's refusal: 429, the same message at the password and at the code."""
    seconds = error.retry_after
    wait = f"{seconds} seconds" if seconds < 120 else f"{round(seconds / 60)} minutes"
    errors = FormErrors(
        form=f"Too many failed sign-ins for this name or from this address. Try again in {wait}."
    )
    return page(
        request,
        template,
        None,
        {**context, "errors": errors},
        status=429,
        headers={"Retry-After": str(error.retry_after)},
    )


async def _continue(
    request: Request,
    clock: Clock,
    accounts: AccountService,
    pending: Pending,
    user: User,
    done: Step,
    note: str | None = None,
) -> Response:
    """After ``done``: the next step the account needs, or the signed-in session."""
    member = await run_in_threadpool(accounts.member, user.username)
    if member is None:
        return see_other("/staff/sign-in")
    step = next_step(member, done)
    if step is not None:
        start_pending(request, member.user, step, clock.now(), pending.target)
        return see_other(step.path)
    start_session(request, member.user, clock.now())
    flash(request, f"Signed in as {member.user.display_name}.")
    if note is not None:
        flash(request, note)
    return see_other(pending.target)


def _pending_page(
    request: Request,
    name: str,
    pending: Pending,
    context: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        name,
        None,
        {"pending": pending, "csrf": pending.csrf, **(context or {})},
        status=status,
        headers=NO_STORE,
    )


# --- signing in: the code -----------------------------------------------------------------


@router.get("/sign-in/code")
async def code_form(request: Request) -> Response:
    pending = await pending_sign_in(request, Step.CODE)
    if pending is None:
        return see_other("/staff/sign-in")
    return _pending_page(request, "sign_in_code.html", pending)


@router.post("/sign-in/code")
async def code(request: Request, clock: ClockDep, accounts: AccountsDep) -> Response:
    started = asyncio.get_running_loop().time()
    pending = await pending_sign_in(request, Step.CODE)
    if pending is None:
        return see_other("/staff/sign-in")
    reader = FormReader(await read_form(request))
    given = reader.text("code", limit=40, one_line=True, label="the code").strip()
    if not reader.errors and not given:
        reader.errors.add("code", "give the 6-digit code of your authenticator app")
    if reader.errors:
        return _pending_page(
            request, "sign_in_code.html", pending, {"errors": reader.errors}, status=422
        )
    try:
        user = await run_in_threadpool(
            accounts.verify_second_factor,
            pending.user.username,
            given,
            client_address(request),
        )
    except TooManyAttempts as error:
        return too_many(request, "sign_in_code.html", {"pending": pending}, error)
    except SignInFailed:
        await pad(started, FAILURE_DELAY_SECONDS)
        errors = FormErrors(form=CODE_FAILED)
        return _pending_page(request, "sign_in_code.html", pending, {"errors": errors}, 400)
    note = None
    if len(user.recovery_code_hashes) < len(pending.user.recovery_code_hashes):
        left = len(user.recovery_code_hashes)
        note = f"Recovery code used; {left} left. Set up your second factor again soon."
    return await _continue(request, clock, accounts, pending, user, Step.CODE, note)


# --- signing in: a new password after a reset -------------------------------------------------


def _new_password(reader: FormReader) -> str:
    new = reader.text("new_password", limit=1000, one_line=True, label="the new password")
    again = reader.text("confirm_password", limit=1000, one_line=True, label="the repetition")
    if not reader.errors and new != again:
        reader.errors.add("confirm_password", "the two passwords differ")
    return new


@router.get("/sign-in/password")
async def new_password_form(request: Request) -> Response:
    pending = await pending_sign_in(request, Step.PASSWORD)
    if pending is None:
        return see_other("/staff/sign-in")
    return _pending_page(request, "change_password.html", pending)


@router.post("/sign-in/password")
async def new_password(request: Request, clock: ClockDep, accounts: AccountsDep) -> Response:
    pending = await pending_sign_in(request, Step.PASSWORD)
    if pending is None:
        return see_other("/staff/sign-in")
    reader = FormReader(await read_form(request))
    new = _new_password(reader)
    if not reader.errors:
        try:
            user = await run_in_threadpool(
                accounts.replace_temporary_password, pending.user.username, new
            )
        except ValidationError as error:
            reader.errors.add(error.field, error.reason)
        else:
            return await _continue(request, clock, accounts, pending, user, Step.PASSWORD)
    return _pending_page(
        request, "change_password.html", pending, {"errors": reader.errors}, status=422
    )


# --- signing in: enrolling, when the policy requires a second factor ------------------------------


@router.get("/sign-in/enroll")
async def enroll_form(request: Request) -> Response:
    pending = await pending_sign_in(request, Step.ENROLL)
    if pending is None:
        return see_other("/staff/sign-in")
    return _pending_page(request, "account_enroll.html", pending, _enrollment(pending.user))


@router.post("/sign-in/enroll")
async def enroll_start(request: Request, accounts: AccountsDep) -> Response:
    pending = await pending_sign_in(request, Step.ENROLL)
    if pending is None:
        return see_other("/staff/sign-in")
    await run_in_threadpool(accounts.start_second_factor, pending.user.username)
    return see_other(Step.ENROLL.path)


@router.post("/sign-in/enroll/confirm")
async def enroll_confirm(request: Request, clock: ClockDep, accounts: AccountsDep) -> Response:
    pending = await pending_sign_in(request, Step.ENROLL)
    if pending is None:
        return see_other("/staff/sign-in")
    reader = FormReader(await read_form(request))
    given = reader.text("code", limit=40, one_line=True, label="the code")
    try:
        enrolled = await run_in_threadpool(
            accounts.confirm_second_factor, pending.user.username, given
        )
    except ValidationError as error:
        context = {**_enrollment(pending.user), "errors": FormErrors(code=error.reason)}
        return _pending_page(request, "account_enroll.html", pending, context, status=422)
    start_session(request, enrolled.user, clock.now())
    return _recovery_codes(request, None, enrolled, pending.target)


def _enrollment(user: User) -> dict[str, object]:
    secret = user.totp_pending_secret
    if secret is None:
        return {"secret": None, "uri": None}
    spaced = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
    return {"secret": spaced, "uri": provisioning_uri(user.username, secret)}


def _recovery_codes(
    request: Request, staff: Staff | None, enrolled: Enrollment, target: str
) -> Response:
    """The recovery codes, this once (they are stored only as hashes)."""
    return page(
        request,
        "account_recovery_codes.html",
        staff,
        {"codes": enrolled.recovery_codes, "target": target},
        headers=NO_STORE,
    )


# --- one's own account ---------------------------------------------------------------------


def _account_page(
    request: Request,
    staff: Staff,
    context: dict[str, object] | None = None,
    status: int = 200,
    user: User | None = None,
) -> Response:
    shown = user or staff.user
    return page(
        request,
        "account.html",
        staff,
        {"account": shown, **_enrollment(shown), **(context or {})},
        status=status,
        headers=NO_STORE,
    )


@router.get("/account")
async def account(request: Request, staff: SignedIn) -> Response:
    return _account_page(request, staff)


@router.post("/account/password")
async def change_password(
    request: Request, clock: ClockDep, accounts: AccountsDep, staff: SignedIn
) -> Response:
    """A member changes their own password; their other sessions end, this one goes on."""
    reader = FormReader(await read_form(request))
    current = reader.text("current_password", limit=1000, one_line=True, label="the password")
    new = _new_password(reader)
    if not reader.errors:
        try:
            user = await run_in_threadpool(
                accounts.change_password,
                staff.user.username,
                current,
                new,
                client_address(request),
            )
        except ValidationError as error:
            reader.errors.add(error.field, error.reason)
        else:
            start_session(request, user, clock.now())
            flash(request, "Password changed; your other sessions ended.")
            return see_other("/staff/account")
    return _account_page(request, staff, {"errors": reader.errors}, status=422)


@router.post("/account/second-factor")
async def second_factor_start(request: Request, accounts: AccountsDep, staff: SignedIn) -> Response:
    """A new secret to set up (replacing, once confirmed, any earlier second factor)."""
    await run_in_threadpool(accounts.start_second_factor, staff.user.username)
    return see_other("/staff/account#second-factor")


@router.post("/account/second-factor/confirm")
async def second_factor_confirm(
    request: Request, accounts: AccountsDep, staff: SignedIn
) -> Response:
    reader = FormReader(await read_form(request))
    given = reader.text("code", limit=40, one_line=True, label="the code")
    try:
        enrolled = await run_in_threadpool(
            accounts.confirm_second_factor, staff.user.username, given
        )
    except ValidationError as error:
        return _account_page(request, staff, {"errors": FormErrors(code=error.reason)}, 422)
    return _recovery_codes(request, Staff(enrolled.user, staff.csrf), enrolled, "/staff/account")
