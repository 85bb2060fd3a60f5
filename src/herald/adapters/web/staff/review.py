"""Staff routes for the second person: changes waiting for approval, emergency steps,
and the review policy (the admin's settings page).

The services decide who may (``AuthoringService.approve_change`` and friends): nobody
approves their own change or reviews their own emergency step.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import AuthoringDep, ClockDep, ReadingDep
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff.bulletin_form import SUMMARY_LIMIT
from herald.adapters.web.staff.bulletins import bulletin_page
from herald.adapters.web.staff.pages import (
    article_path,
    checked_article_id,
    page,
    see_other,
)
from herald.adapters.web.staff.session import SignedIn, Staff, StaffDep, flash, may, protect
from herald.domain.accounts import Action
from herald.domain.errors import ValidationError
from herald.domain.review_policy import AmendmentReview, ReviewPolicy, parse_amendment_review
from herald.services.authoring import AuthoringService
from herald.services.ports.common import Clock
from herald.services.reading import ReadingService

router = APIRouter(dependencies=[Depends(protect)])


@router.post("/bulletins/{article_id}/approve-change")
async def approve_change(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    checked = checked_article_id(article_id)
    try:
        done = await run_in_threadpool(authoring.approve_change, checked, staff.actor)
    except ValidationError as error:
        return await _refused(request, clock, authoring, reading, staff, checked, error)
    flash(request, f"{done.article_id} changed (revision {done.revision}).")
    return see_other(article_path(done.article_id))


@router.post("/bulletins/{article_id}/discard-change")
async def discard_change(
    request: Request, article_id: str, authoring: AuthoringDep, staff: SignedIn
) -> Response:
    checked = checked_article_id(article_id)
    proposal = await run_in_threadpool(authoring.discard_change, checked, staff.actor)
    flash(request, f"{checked}: discarded the {proposal.describe()}.")
    return see_other(article_path(checked))


@router.post("/bulletins/{article_id}/review-emergency")
async def review_emergency(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    checked = checked_article_id(article_id)
    try:
        steps = await run_in_threadpool(authoring.review_emergency, checked, staff.actor)
    except ValidationError as error:
        return await _refused(request, clock, authoring, reading, staff, checked, error)
    taken = ", ".join(f"the emergency {s.kind.value} by {s.taken_by}" for s in steps)
    flash(request, f"{checked}: reviewed {taken}.")
    return see_other(article_path(checked))


@router.post("/bulletins/{article_id}/emergency-publish")
async def emergency_publish(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    checked = checked_article_id(article_id)
    reader = FormReader(await read_form(request))
    reason = reader.text("emergency", limit=SUMMARY_LIMIT, one_line=True, label="the reason")
    typed = {"emergency": reason}
    if not reader.errors:
        try:
            done = await run_in_threadpool(
                lambda: authoring.publish(checked, actor=staff.actor, emergency=reason)
            )
        except ValidationError as error:
            reader.errors.add_error(error)
        else:
            flash(
                request,
                f"{done.article_id} published on the emergency path; "
                "it waits for a review after the fact.",
            )
            return see_other(article_path(done.article_id))
    return await bulletin_page(
        request, clock, authoring, reading, staff, checked, reader.errors, status=422, typed=typed
    )


async def _refused(
    request: Request,
    clock: Clock,
    authoring: AuthoringService,
    reading: ReadingService,
    staff: StaffDep,
    article_id: str,
    error: ValidationError,
) -> Response:
    assert staff is not None
    errors = FormErrors()
    errors.add("action", error.message)
    return await bulletin_page(
        request, clock, authoring, reading, staff, article_id, errors, status=422
    )


# --- the admin's settings -----------------------------------------------------------------


@router.get("/settings")
async def settings(
    request: Request, authoring: AuthoringDep, staff: Annotated[Staff, may(Action.MANAGE_SETTINGS)]
) -> Response:
    policy = await run_in_threadpool(authoring.review_policy)
    return _settings_page(request, staff, policy)


@router.post("/settings/review-policy")
async def save_review_policy(
    request: Request, authoring: AuthoringDep, staff: Annotated[Staff, may(Action.MANAGE_SETTINGS)]
) -> Response:
    reader = FormReader(await read_form(request))
    chosen = reader.text("amendments", limit=20, one_line=True)
    try:
        policy = ReviewPolicy(parse_amendment_review(chosen))
    except ValidationError as error:
        reader.errors.add_error(error)
        current = await run_in_threadpool(authoring.review_policy)
        return _settings_page(request, staff, current, reader.errors, status=422)
    await run_in_threadpool(authoring.set_review_policy, policy, staff.actor)
    flash(request, f"Review policy saved: {policy.amendments.description}.")
    return see_other("/staff/settings")


def _settings_page(
    request: Request,
    staff: StaffDep,
    policy: ReviewPolicy,
    errors: FormErrors | None = None,
    *,
    status: int = 200,
) -> Response:
    return page(
        request,
        "settings.html",
        staff,
        {"policy": policy, "choices": list(AmendmentReview), "errors": errors or {}},
        status=status,
    )
