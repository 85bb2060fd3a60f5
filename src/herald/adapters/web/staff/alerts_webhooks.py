"""Staff routes for webhooks under ``/staff/alerts/webhooks``: add, edit, rotate the secret
and delete. A webhook's secret is shown once, in an answer the browser never stores
(``Cache-Control: no-store``); the services decide who may (``Action.PUBLISH``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import ClockDep, PublicationDep, SubscriptionsDep
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.site.alerts_forms import (
    FilterValues,
    add_error,
    checked_url,
    choices,
    read_filter,
)
from herald.adapters.web.staff.pages import page, see_other
from herald.adapters.web.staff.session import SignedIn, Staff, flash, may
from herald.domain.accounts import Action
from herald.domain.alerts import (
    OVERLAP_CHOICES,
    SECRET_OVERLAP,
    Channel,
    Subscription,
    SubscriptionStatus,
)
from herald.domain.errors import HeraldError, NotFound, ValidationError
from herald.services.ports.common import Clock
from herald.services.publication import PublicationService
from herald.services.subscriptions import SubscriptionService

router = APIRouter()

NO_STORE = {"Cache-Control": "no-store"}


def subscription_id_in_path(text: str) -> int:
    """A subscription id from a URL; ``NotFound`` for anything no subscription could have."""
    if not text.isdigit() or len(text) > 18:
        raise NotFound(f"no webhook {text[:40]!r}")
    return int(text)


async def _webhooks(subscriptions: SubscriptionService, staff: Staff) -> list[Subscription]:
    found = await run_in_threadpool(subscriptions.subscriptions, Channel.WEBHOOK, None, staff.actor)
    return [s for s in found if s.status is not SubscriptionStatus.UNSUBSCRIBED]


async def _webhooks_page(
    request: Request,
    publication: PublicationService,
    subscriptions: SubscriptionService,
    staff: Staff,
    errors: FormErrors | None = None,
    typed: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "alerts/webhooks.html",
        staff,
        {
            "webhooks": await _webhooks(subscriptions, staff),
            "groups": await run_in_threadpool(subscriptions.groups),
            "choices": await run_in_threadpool(choices, publication),
            "errors": errors or {},
            "typed": typed or {"url": "", "group": "", "values": FilterValues()},
        },
        status=status,
    )


@router.get("/webhooks")
async def webhooks(
    request: Request,
    publication: PublicationDep,
    subscriptions: SubscriptionsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    return await _webhooks_page(request, publication, subscriptions, staff)


def _secret_page(request: Request, staff: Staff, webhook: Subscription, heading: str) -> Response:
    return page(
        request,
        "alerts/secret.html",
        staff,
        {"webhook": webhook, "heading": heading},
        headers=NO_STORE,
    )


@router.post("/webhooks")
async def add_webhook(
    request: Request,
    publication: PublicationDep,
    subscriptions: SubscriptionsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    reader = FormReader(await read_form(request))
    url = reader.text("url", limit=2000, one_line=True, label="the URL").strip()
    group_name = reader.text("group", limit=64, one_line=True).strip() or None
    values, alert_filter = read_filter(reader)
    if not url and "url" not in reader.errors:
        reader.errors.add("url", "give the https:// URL alerts are posted to")
    typed: dict[str, object] = {"url": url, "group": group_name or "", "values": values}
    if alert_filter is not None and not reader.errors:
        try:
            checked_url(url)
            created = await run_in_threadpool(
                lambda: subscriptions.subscribe_webhook(url, alert_filter, group_name, staff.actor)
            )
        except (ValidationError, NotFound) as error:
            _place(reader.errors, error, "group")
        else:
            return _secret_page(request, staff, created, "Webhook added")
    return await _webhooks_page(
        request, publication, subscriptions, staff, reader.errors, typed, 422
    )


def _place(errors: FormErrors, error: HeraldError, not_found_field: str) -> None:
    if isinstance(error, NotFound):
        errors.add(not_found_field, error.message)
    else:
        add_error(errors, error)


async def _webhook(
    subscriptions: SubscriptionService, staff: Staff, subscription_id: str
) -> Subscription:
    wanted = subscription_id_in_path(subscription_id)
    for webhook in await _webhooks(subscriptions, staff):
        if webhook.id == wanted:
            return webhook
    raise NotFound(f"no webhook {wanted}")


async def _webhook_page(
    request: Request,
    clock: Clock,
    publication: PublicationService,
    staff: Staff,
    webhook: Subscription,
    errors: FormErrors | None = None,
    typed: dict[str, object] | None = None,
    status: int = 200,
) -> Response:
    return page(
        request,
        "alerts/webhook.html",
        staff,
        {
            "webhook": webhook,
            "choices": await run_in_threadpool(choices, publication),
            "errors": errors or {},
            "typed": typed or {"url": webhook.target, "values": FilterValues.of(webhook.filter)},
            "overlap_choices": OVERLAP_CHOICES,
            "now": clock.now(),
        },
        status=status,
    )


@router.get("/webhooks/{subscription_id}")
async def webhook(
    request: Request,
    subscription_id: str,
    clock: ClockDep,
    publication: PublicationDep,
    subscriptions: SubscriptionsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    return await _webhook_page(
        request, clock, publication, staff, await _webhook(subscriptions, staff, subscription_id)
    )


@router.post("/webhooks/{subscription_id}")
async def save_webhook(
    request: Request,
    subscription_id: str,
    clock: ClockDep,
    publication: PublicationDep,
    subscriptions: SubscriptionsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    existing = await _webhook(subscriptions, staff, subscription_id)
    reader = FormReader(await read_form(request))
    url = reader.text("url", limit=2000, one_line=True, label="the URL").strip()
    values, alert_filter = read_filter(reader)
    if not url and "url" not in reader.errors:
        reader.errors.add("url", "give the https:// URL alerts are posted to")
    if alert_filter is not None and not reader.errors:
        try:
            checked_url(url)
            await run_in_threadpool(
                lambda: subscriptions.update_webhook(existing.id, url, alert_filter, staff.actor)
            )
        except ValidationError as error:
            add_error(reader.errors, error)
        else:
            flash(request, f"Webhook {existing.id} saved.")
            return see_other(f"/staff/alerts/webhooks/{existing.id}")
    typed: dict[str, object] = {"url": url, "values": values}
    return await _webhook_page(
        request, clock, publication, staff, existing, reader.errors, typed, 422
    )


@router.post("/webhooks/{subscription_id}/rotate")
async def rotate_webhook(
    request: Request, subscription_id: str, subscriptions: SubscriptionsDep, staff: SignedIn
) -> Response:
    existing = await _webhook(subscriptions, staff, subscription_id)
    reader = FormReader(await read_form(request))
    overlap = secret_overlap(reader.text("overlap_hours", limit=4, one_line=True))
    rotated = await run_in_threadpool(
        subscriptions.rotate_secret, existing.id, staff.actor, overlap
    )
    return _secret_page(request, staff, rotated, "New webhook secret")


def secret_overlap(hours: str) -> timedelta:
    """The form's ``overlap_hours`` (blank: the default overlap)."""
    if not hours.strip():
        return SECRET_OVERLAP
    if not hours.strip().isdigit():
        raise ValidationError("overlap_hours", "give a whole number of hours")
    return timedelta(hours=int(hours))


@router.post("/webhooks/{subscription_id}/delete")
async def delete_webhook(
    request: Request, subscription_id: str, subscriptions: SubscriptionsDep, staff: SignedIn
) -> Response:
    existing = await _webhook(subscriptions, staff, subscription_id)
    await run_in_threadpool(subscriptions.delete_webhook, existing.id, staff.actor)
    flash(request, f"Webhook {existing.id} ({existing.target}) deleted.")
    return see_other("/staff/alerts/webhooks")
