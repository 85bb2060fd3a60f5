"""Staff routes for a bulletin's workflow steps: submit, approve, request changes,
publish now, unschedule, schedule, withdraw, delete a draft.

The services decide who may take which step (``Actor.require``) and which step a
status allows; a refused step shows the bulletin's page again with the reason (422),
a step taken redirects to it. ``routes.py`` includes this router after the bulletin
pages', so the ``/bulletins/{article_id}/{step}`` catch-all comes after every more
specific path.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import AuthoringDep, ClockDep, ReadingDep
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff.bulletin_form import SUMMARY_LIMIT, read_release_at
from herald.adapters.web.staff.bulletins import bulletin_page, change_message
from herald.adapters.web.staff.pages import article_path, checked_article_id, see_other
from herald.adapters.web.staff.session import SignedIn, Staff, flash, protect
from herald.domain.bulletin import Bulletin
from herald.domain.errors import NotFound, ValidationError
from herald.services.authoring import AuthoringService

router = APIRouter(dependencies=[Depends(protect)])


Step = Callable[[AuthoringService, str, Staff], Bulletin]

_STEPS: dict[str, tuple[Step, str]] = {
    "submit": (lambda authoring, a, s: authoring.submit(a, s.actor), "submitted for review"),
    "approve": (lambda authoring, a, s: authoring.approve(a, s.actor), "approved"),
    "request-changes": (
        lambda authoring, a, s: authoring.request_changes(a, s.actor),
        "sent back to its author",
    ),
    "publish": (lambda authoring, a, s: authoring.publish(a, actor=s.actor), "published"),
    "unschedule": (lambda authoring, a, s: authoring.unschedule(a, s.actor), "unscheduled"),
}


@router.post("/bulletins/{article_id}/schedule")
async def schedule(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    reader = FormReader(await read_form(request))
    typed = {"release_at": reader.text("release_at", limit=40, one_line=True)}
    release_at = read_release_at(reader)
    if release_at is None:
        return await bulletin_page(
            request,
            clock,
            authoring,
            reading,
            staff,
            article_id,
            reader.errors,
            status=422,
            typed=typed,
        )
    try:
        done = await run_in_threadpool(
            authoring.schedule, checked_article_id(article_id), release_at, staff.actor
        )
    except ValidationError as error:
        reader.errors.add_error(error)
        return await bulletin_page(
            request,
            clock,
            authoring,
            reading,
            staff,
            article_id,
            reader.errors,
            status=422,
            typed=typed,
        )
    assert done.release_at is not None
    when = done.release_at.strftime("%Y-%m-%d %H:%M UTC")
    flash(request, f"{done.article_id} scheduled: it publishes itself at {when}.")
    return see_other(article_path(done.article_id))


@router.post("/bulletins/{article_id}/withdraw")
async def withdraw(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    reader = FormReader(await read_form(request))
    summary = reader.text("summary", limit=SUMMARY_LIMIT, one_line=True, label="the summary")
    emergency = reader.text("emergency", limit=SUMMARY_LIMIT, one_line=True, label="the reason")
    typed = {"summary": summary, "emergency": emergency}
    if not summary.strip() and "summary" not in reader.errors:
        reader.errors.add("summary", "say why the bulletin is withdrawn; it goes in the change log")
    if reader.errors:
        return await bulletin_page(
            request,
            clock,
            authoring,
            reading,
            staff,
            article_id,
            reader.errors,
            status=422,
            typed=typed,
        )
    try:
        done = await run_in_threadpool(
            lambda: authoring.withdraw(
                checked_article_id(article_id),
                summary.strip(),
                actor=staff.actor,
                emergency=emergency.strip() or None,
            )
        )
    except ValidationError as error:
        reader.errors.add_error(error)
        return await bulletin_page(
            request,
            clock,
            authoring,
            reading,
            staff,
            article_id,
            reader.errors,
            status=422,
            typed=typed,
        )
    flash(request, change_message(done, "withdrawn"))
    return see_other(article_path(done.bulletin.article_id))


@router.post("/bulletins/{article_id}/delete")
async def delete(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    try:
        await run_in_threadpool(authoring.delete_draft, checked_article_id(article_id), staff.actor)
    except ValidationError as error:
        errors = FormErrors()
        errors.add("action", error.message)
        return await bulletin_page(
            request, clock, authoring, reading, staff, article_id, errors, status=422
        )
    flash(request, f"{article_id} deleted.")
    return see_other("/staff/")


@router.post("/bulletins/{article_id}/{step}")
async def take_step(
    request: Request,
    article_id: str,
    step: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    """Submit, approve, request changes, publish now, unschedule."""
    if step not in _STEPS:
        raise NotFound(f"no step {step[:40]!r}")
    run, done = _STEPS[step]
    try:
        changed = await run_in_threadpool(run, authoring, checked_article_id(article_id), staff)
    except ValidationError as error:
        errors = FormErrors()
        errors.add("action", error.message)
        return await bulletin_page(
            request, clock, authoring, reading, staff, article_id, errors, status=422
        )
    flash(request, f"{changed.article_id} {done}.")
    return see_other(article_path(changed.article_id))
