"""Staff routes for bulletins: the draft form with its preview, and the bulletin's page.

The services decide who may do what (``Actor.require``) and which step a status
allows; these routes read forms, show errors next to their fields, and redirect
after every change (POST, then GET). The workflow steps taken from the bulletin's
page are in ``workflow.py``.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated, assert_never

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import AuthoringDep, ClockDep, ReadingDep
from herald.adapters.web.errors import status_of
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff.bulletin_form import (
    BulletinFormChoices,
    BulletinFormValues,
    read_bulletin_form,
)
from herald.adapters.web.staff.pages import (
    article_path,
    checked_article_id,
    page,
    see_other,
)
from herald.adapters.web.staff.preview import Rendered, preview_bulletin, preview_html
from herald.adapters.web.staff.session import SignedIn, Staff, StaffDep, flash, may, protect
from herald.domain.accounts import Action
from herald.domain.bulletin import Bulletin, BulletinContent, Status
from herald.domain.catalog import Catalog
from herald.domain.errors import Conflict, HeraldError, NotFound, ValidationError
from herald.domain.publisher import Publisher
from herald.services.authoring import AuthoringService
from herald.services.ports.common import Clock
from herald.services.reading import ReadingService
from herald.services.recording import ChangeOutcome

router = APIRouter(dependencies=[Depends(protect)])

STATUS_ORDER = (
    Status.DRAFT,
    Status.IN_REVIEW,
    Status.APPROVED,
    Status.SCHEDULED,
    Status.PUBLISHED,
    Status.WITHDRAWN,
)


class FormMode(StrEnum):
    """What the bulletin form does on save."""

    NEW = "new"
    EDIT = "edit"
    AMEND = "amend"


async def _catalog(reading: ReadingService) -> tuple[Catalog, Publisher]:
    return (
        await run_in_threadpool(reading.catalog),
        await run_in_threadpool(reading.publisher),
    )


async def _bulletin(reading: ReadingService, article_id: str) -> Bulletin:
    return await run_in_threadpool(reading.bulletin, checked_article_id(article_id))


# --- the form ------------------------------------------------------------------------


@router.get("/bulletins/new")
async def new_form(
    request: Request, reading: ReadingDep, staff: Annotated[Staff, may(Action.WRITE_DRAFT)]
) -> Response:
    catalog, publisher = await _catalog(reading)
    return _form_page(request, staff, FormMode.NEW, None, BulletinFormValues(), catalog, publisher)


@router.post("/bulletins/new")
async def create(
    request: Request,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: Annotated[Staff, may(Action.WRITE_DRAFT)],
) -> Response:
    return await _post_form(request, clock, authoring, reading, staff, FormMode.NEW, None)


@router.get("/bulletins/{article_id}/edit")
async def edit_form(
    request: Request, article_id: str, reading: ReadingDep, staff: SignedIn
) -> Response:
    bulletin = await _bulletin(reading, article_id)
    if bulletin.status.public:
        return see_other(f"{article_path(article_id)}/amend")
    staff.actor.require(Action.WRITE_DRAFT)
    catalog, publisher = await _catalog(reading)
    values = BulletinFormValues.of(bulletin)
    return _form_page(request, staff, FormMode.EDIT, bulletin, values, catalog, publisher)


@router.post("/bulletins/{article_id}/edit")
async def edit(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: Annotated[Staff, may(Action.WRITE_DRAFT)],
) -> Response:
    bulletin = await _bulletin(reading, article_id)
    return await _post_form(request, clock, authoring, reading, staff, FormMode.EDIT, bulletin)


@router.get("/bulletins/{article_id}/amend")
async def amend_form(
    request: Request,
    article_id: str,
    reading: ReadingDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    bulletin = await _bulletin(reading, article_id)
    catalog, publisher = await _catalog(reading)
    values = BulletinFormValues.of(bulletin)
    return _form_page(request, staff, FormMode.AMEND, bulletin, values, catalog, publisher)


@router.post("/bulletins/{article_id}/amend")
async def amend(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    bulletin = await _bulletin(reading, article_id)
    return await _post_form(request, clock, authoring, reading, staff, FormMode.AMEND, bulletin)


async def _post_form(
    request: Request,
    clock: Clock,
    authoring: AuthoringService,
    reading: ReadingService,
    staff: Staff,
    mode: FormMode,
    bulletin: Bulletin | None,
) -> Response:
    """Check the posted form; show it again with a preview or its errors, or save it."""
    catalog, publisher = await _catalog(reading)
    reader = FormReader(await read_form(request))
    wants_preview = reader.text("action", limit=20, one_line=True) == "preview"
    values, content = read_bulletin_form(
        reader, catalog, publisher, amending=mode is FormMode.AMEND
    )
    if bulletin is not None:
        values.article_id = bulletin.article_id
    if mode is FormMode.AMEND and not wants_preview and not values.summary:
        reader.errors.add("summary", "say what the amendment changes; it goes in the change log")
    rendered = None
    if content is not None:
        try:
            draft = preview_bulletin(content, catalog, publisher, clock.now(), bulletin)
            rendered = preview_html(draft, catalog, publisher)
        except ValidationError as error:
            reader.errors.add_error(error)
    if content is None or reader.errors:
        return _form_page(
            request, staff, mode, bulletin, values, catalog, publisher, reader.errors, status=422
        )
    if wants_preview:
        return _form_page(
            request, staff, mode, bulletin, values, catalog, publisher, preview=rendered
        )
    try:
        saved, done = await run_in_threadpool(
            _save, authoring, staff, mode, bulletin, content, values
        )
    except (ValidationError, Conflict) as error:
        if isinstance(error, Conflict):
            reader.errors.add("article_id", error.message)
        else:
            reader.errors.add_error(error)
        return _form_page(
            request,
            staff,
            mode,
            bulletin,
            values,
            catalog,
            publisher,
            reader.errors,
            status=status_of(error),
        )
    flash(request, done)
    return see_other(article_path(saved.article_id))


def _save(
    authoring: AuthoringService,
    staff: Staff,
    mode: FormMode,
    bulletin: Bulletin | None,
    content: BulletinContent,
    values: BulletinFormValues,
) -> tuple[Bulletin, str]:
    """Save the form; the bulletin as stored and what to tell the user."""
    actor = staff.actor
    if mode is FormMode.NEW:
        draft = authoring.create_draft(content, values.article_id.strip() or None, actor)
        return draft, f"{draft.article_id} draft created."
    assert bulletin is not None
    if mode is FormMode.EDIT:
        draft = authoring.edit_draft(bulletin.article_id, content, actor)
        return draft, f"{draft.article_id} draft saved."
    if mode is FormMode.AMEND:
        outcome = authoring.amend(bulletin.article_id, content, values.summary, actor=actor)
        return outcome.bulletin, change_message(outcome, "amended")
    assert_never(mode)


def _form_page(
    request: Request,
    staff: Staff,
    mode: FormMode,
    bulletin: Bulletin | None,
    values: BulletinFormValues,
    catalog: Catalog,
    publisher: Publisher,
    errors: FormErrors | None = None,
    *,
    preview: Rendered | None = None,
    status: int = 200,
) -> Response:
    action = "/staff/bulletins/new"
    if bulletin is not None:
        action = f"{article_path(bulletin.article_id)}/{mode}"
    return page(
        request,
        "bulletin_form.html",
        staff,
        {
            "mode": mode.value,
            "bulletin": bulletin,
            "action": action,
            "values": values,
            "choices": BulletinFormChoices.of(catalog, publisher),
            "errors": errors or {},
            "preview": preview,
        },
        status=status,
    )


@router.post("/preview")
async def preview(
    request: Request, clock: ClockDep, reading: ReadingDep, staff: StaffDep
) -> Response:
    """The rendered bulletin of a posted form, as a fragment (for ``staff.js``)."""
    templates: Jinja2Templates = request.app.state.templates
    if staff is None:
        errors = FormErrors(form="your session has ended; sign in again")
        return templates.TemplateResponse(
            request, "staff/_preview.html", {"errors": errors}, status_code=401
        )
    catalog, publisher = await _catalog(reading)
    reader = FormReader(await read_form(request))
    base_id = reader.text("base", limit=70, one_line=True)
    base = None
    if base_id:
        try:
            base = await _bulletin(reading, base_id)
        except NotFound:
            base = None
    _, content = read_bulletin_form(reader, catalog, publisher)
    rendered = None
    if content is not None:
        try:
            draft = preview_bulletin(content, catalog, publisher, clock.now(), base)
            rendered = preview_html(draft, catalog, publisher)
        except ValidationError as error:
            reader.errors.add_error(error)
    return templates.TemplateResponse(
        request,
        "staff/_preview.html",
        {"errors": reader.errors, "preview": rendered},
        status_code=422 if reader.errors else 200,
    )


# --- the bulletin's page -------------------------------------------------------------


@router.get("/bulletins/{article_id}")
async def show(
    request: Request,
    article_id: str,
    clock: ClockDep,
    authoring: AuthoringDep,
    reading: ReadingDep,
    staff: SignedIn,
) -> Response:
    return await bulletin_page(request, clock, authoring, reading, staff, article_id)


async def bulletin_page(
    request: Request,
    clock: Clock,
    authoring: AuthoringService,
    reading: ReadingService,
    staff: Staff,
    article_id: str,
    errors: FormErrors | None = None,
    *,
    status: int = 200,
    typed: dict[str, str] | None = None,
) -> Response:
    bulletin = await _bulletin(reading, article_id)
    catalog, publisher = await _catalog(reading)
    proposal = await run_in_threadpool(authoring.proposal, bulletin.article_id)
    emergencies = await run_in_threadpool(authoring.open_emergencies, bulletin.article_id)
    rendered, problem = None, None
    try:
        rendered = preview_html(bulletin, catalog, publisher)
    except HeraldError as error:
        problem = error.message
    return page(
        request,
        "bulletin.html",
        staff,
        {
            "bulletin": bulletin,
            "proposal": proposal,
            "emergencies": emergencies,
            "policy_hint": await run_in_threadpool(_policy_hint, authoring),
            "preview": rendered,
            "preview_problem": problem,
            "errors": errors or {},
            "typed": typed or {},
            "now": clock.now(),
        },
        status=status,
    )


def _policy_hint(authoring: AuthoringService) -> str:
    policy = authoring.review_policy()
    return f"Review policy: {policy.amendments.description}"


def grouped(bulletins: list[Bulletin]) -> list[tuple[Status, list[Bulletin]]]:
    """Bulletins by status, in workflow order."""
    return [(status, [b for b in bulletins if b.status is status]) for status in STATUS_ORDER]


def change_message(outcome: ChangeOutcome, verb: str) -> str:
    """What to tell the user about an amendment or a withdrawal."""
    bulletin = outcome.bulletin
    if outcome.proposal is not None:
        return (
            f"{bulletin.article_id}: the change waits for a second person "
            f"({outcome.proposal.describe()})."
        )
    if outcome.emergency is not None:
        return (
            f"{bulletin.article_id} {verb} (revision {bulletin.revision}) on the emergency "
            "path; it waits for a review after the fact."
        )
    return f"{bulletin.article_id} {verb} (revision {bulletin.revision})."
