"""Staff routes: the alerts of one bulletin (every delivery, its attempts and last error;
resend what failed) and its predisclosure group, under ``/staff/alerts/bulletins/{id}``.
Linked from the staff bulletin page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import AlertsDep, ReadingDep, SettingsDep, SubscriptionsDep
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff.pages import checked_article_id, page, see_other
from herald.adapters.web.staff.session import Staff, flash, may
from herald.config import Settings
from herald.domain.accounts import Action
from herald.domain.alerts import DeliveryStatus
from herald.domain.errors import NotFound, ValidationError
from herald.services.alerts import AlertService
from herald.services.reading import ReadingService
from herald.services.subscriptions import SubscriptionService

router = APIRouter()


def _path(article_id: str) -> str:
    return f"/staff/alerts/bulletins/{checked_article_id(article_id)}"


async def _page(
    request: Request,
    settings: Settings,
    reading: ReadingService,
    subscriptions: SubscriptionService,
    alerts: AlertService,
    staff: Staff,
    article_id: str,
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    article_id = checked_article_id(article_id)
    bulletin = await run_in_threadpool(reading.bulletin, article_id)
    views = await run_in_threadpool(alerts.deliveries, article_id, staff.actor)
    counts = {s.value: sum(1 for v in views if v.delivery.status is s) for s in DeliveryStatus}
    return page(
        request,
        "alerts/deliveries.html",
        staff,
        {
            "bulletin": bulletin,
            "deliveries": views,
            "counts": counts,
            "groups": await run_in_threadpool(subscriptions.groups),
            "predisclosure": await run_in_threadpool(alerts.predisclosure, article_id),
            "lead_hours": settings.predisclosure_lead_hours,
            "errors": errors or {},
        },
        status=status,
    )


@router.get("/bulletins/{article_id}")
async def deliveries(
    request: Request,
    article_id: str,
    settings: SettingsDep,
    reading: ReadingDep,
    subscriptions: SubscriptionsDep,
    alerts: AlertsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    return await _page(request, settings, reading, subscriptions, alerts, staff, article_id)


@router.post("/bulletins/{article_id}/resend")
async def resend(
    request: Request,
    article_id: str,
    alerts: AlertsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    """Send one failed delivery again (``delivery``), or every failed one (no field)."""
    path = _path(article_id)
    reader = FormReader(await read_form(request))
    delivery = reader.text("delivery", limit=20, one_line=True).strip()
    if delivery:
        wanted = int(delivery) if delivery.isdigit() else -1
        ours = {
            v.delivery.id
            for v in await run_in_threadpool(alerts.deliveries, article_id, staff.actor)
        }
        if wanted not in ours:
            raise NotFound(f"no delivery {delivery[:20]!r} about {article_id}")
        await run_in_threadpool(alerts.resend, wanted, staff.actor)
        flash(request, f"Delivery {wanted} queued again.")
    else:
        count = await run_in_threadpool(alerts.resend_failed, article_id, staff.actor)
        flash(request, f"{count} failed deliveries queued again.")
    return see_other(path)


@router.post("/bulletins/{article_id}/predisclosure")
async def predisclosure(
    request: Request,
    article_id: str,
    settings: SettingsDep,
    reading: ReadingDep,
    subscriptions: SubscriptionsDep,
    alerts: AlertsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    """Attach a predisclosure group to a bulletin not yet public ('' detaches it)."""
    path = _path(article_id)
    reader = FormReader(await read_form(request))
    group = reader.text("group", limit=64, one_line=True, label="the group").strip() or None
    if not reader.errors:
        try:
            await run_in_threadpool(
                lambda: alerts.set_predisclosure(article_id, group, staff.actor)
            )
        except ValidationError as error:
            reader.errors.add("group", getattr(error, "reason", error.message))
        except NotFound as error:
            reader.errors.add("group", error.message)
        else:
            flash(
                request,
                f"{article_id}: predisclosure to {group}."
                if group
                else f"{article_id}: no predisclosure.",
            )
            return see_other(path)
    return await _page(
        request, settings, reading, subscriptions, alerts, staff, article_id, reader.errors, 422
    )
