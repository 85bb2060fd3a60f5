"""Staff routes for alerts under ``/staff/alerts``: subscriber groups and their members,
and, in the modules beside it, webhooks (``alerts_webhooks``), API tokens
(``alerts_tokens``) and what went to whom about a bulletin (``alerts_deliveries``).

The services decide who may (publishers and admins: ``Action.PUBLISH``); every POST
passes ``staff_session.protect`` (same origin and the session's CSRF token) and
redirects afterwards, except the answers that show a webhook secret, which are shown
once and never stored by the browser (``Cache-Control: no-store``).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import SubscriptionsDep
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.site.alerts_forms import (
    add_error,
)
from herald.adapters.web.staff import alerts_deliveries as staff_alerts_deliveries
from herald.adapters.web.staff import alerts_tokens as staff_alerts_tokens
from herald.adapters.web.staff import alerts_webhooks as staff_alerts_webhooks
from herald.adapters.web.staff.alerts_webhooks import subscription_id_in_path
from herald.adapters.web.staff.pages import page, see_other
from herald.adapters.web.staff.session import SignedIn, Staff, flash, may, protect
from herald.domain.accounts import Action
from herald.domain.alerts import (
    AlertFilter,
    Channel,
    SubscriberGroup,
    Subscription,
    SubscriptionStatus,
    parse_email,
)
from herald.domain.errors import NotFound, ValidationError
from herald.services.subscriptions import SubscriptionService

router = APIRouter(prefix="/staff/alerts", dependencies=[Depends(protect)], include_in_schema=False)

_GROUP_IN_PATH = re.compile(r"[a-z0-9][a-z0-9-]{0,63}")


def _group_name(name: str) -> str:
    if not _GROUP_IN_PATH.fullmatch(name):
        raise NotFound(f"no subscriber group {name[:70]!r}")
    return name


# --- overview ---------------------------------------------------------------------------


@router.get("/")
async def overview(
    request: Request, subscriptions: SubscriptionsDep, staff: Annotated[Staff, may(Action.PUBLISH)]
) -> Response:
    everyone = await run_in_threadpool(subscriptions.subscriptions, None, None, staff.actor)
    counts = {
        (channel.value, status.value): sum(
            1 for s in everyone if s.channel is channel and s.status is status
        )
        for channel in Channel
        for status in SubscriptionStatus
    }
    groups = await run_in_threadpool(subscriptions.groups)
    return page(request, "alerts/index.html", staff, {"counts": counts, "groups": groups})


# --- subscriber groups ------------------------------------------------------------------


async def _groups_page(
    request: Request,
    subscriptions: SubscriptionService,
    staff: Staff,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    groups = await run_in_threadpool(subscriptions.groups)
    everyone = await run_in_threadpool(subscriptions.subscriptions, None, None, staff.actor)
    sizes = {
        g.name: sum(
            1 for s in everyone if s.group == g.name and s.status is SubscriptionStatus.ACTIVE
        )
        for g in groups
    }
    return page(
        request,
        "alerts/groups.html",
        staff,
        {"groups": groups, "sizes": sizes, "errors": errors or {}, "typed": typed or {}},
        status=status,
    )


@router.get("/groups")
async def groups(
    request: Request, subscriptions: SubscriptionsDep, staff: Annotated[Staff, may(Action.PUBLISH)]
) -> Response:
    return await _groups_page(request, subscriptions, staff)


def _read_group(reader: FormReader, name: str) -> tuple[dict[str, str], SubscriberGroup | None]:
    typed = {
        "name": name,
        "title": reader.text("title", limit=200, one_line=True, label="the title").strip(),
        "subject_prefix": reader.text(
            "subject_prefix", limit=60, one_line=True, label="the subject prefix"
        ),
        "intro": reader.text("intro", limit=4000, label="the introduction").strip(),
    }
    if reader.errors:
        return typed, None
    try:
        return typed, SubscriberGroup(
            name=name,
            title=typed["title"],
            subject_prefix=typed["subject_prefix"],
            intro=typed["intro"],
        )
    except ValidationError as error:
        if error.field == "group":  # the domain names the group's key "group"
            reader.errors.add("name", error.reason)
        else:
            add_error(reader.errors, error)
        return typed, None


@router.post("/groups")
async def add_group(
    request: Request, subscriptions: SubscriptionsDep, staff: Annotated[Staff, may(Action.PUBLISH)]
) -> Response:
    reader = FormReader(await read_form(request))
    name = reader.text("name", limit=64, one_line=True, label="the name").strip()
    typed, group = _read_group(reader, name)
    if group is not None:
        existing = await run_in_threadpool(subscriptions.groups)
        if any(g.name == group.name for g in existing):
            reader.errors.add("name", f"there is a group {group.name} already")
    if group is None or reader.errors:
        return await _groups_page(request, subscriptions, staff, reader.errors, typed, 422)
    await run_in_threadpool(subscriptions.save_group, group, staff.actor)
    flash(request, f"Group {group.name} created.")
    return see_other(f"/staff/alerts/groups/{group.name}")


async def _find_group(subscriptions: SubscriptionService, name: str) -> SubscriberGroup:
    for group in await run_in_threadpool(subscriptions.groups):
        if group.name == name:
            return group
    raise NotFound(f"no subscriber group {name!r}")


async def _group_page(
    request: Request,
    subscriptions: SubscriptionService,
    staff: Staff,
    name: str,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    group = await _find_group(subscriptions, _group_name(name))
    members: Sequence[Subscription] = await run_in_threadpool(
        subscriptions.subscriptions, None, group.name, staff.actor
    )
    return page(
        request,
        "alerts/group.html",
        staff,
        {
            "group": group,
            "members": members,
            "errors": errors or {},
            "typed": typed
            or {"title": group.title, "subject_prefix": group.subject_prefix, "intro": group.intro},
        },
        status=status,
    )


@router.get("/groups/{name}")
async def group(
    request: Request,
    name: str,
    subscriptions: SubscriptionsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    return await _group_page(request, subscriptions, staff, name)


@router.post("/groups/{name}")
async def save_group(
    request: Request,
    name: str,
    subscriptions: SubscriptionsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    existing = await _find_group(subscriptions, _group_name(name))
    reader = FormReader(await read_form(request))
    typed, changed = _read_group(reader, existing.name)
    if changed is None or reader.errors:
        return await _group_page(request, subscriptions, staff, name, reader.errors, typed, 422)
    await run_in_threadpool(subscriptions.save_group, changed, staff.actor)
    flash(request, f"Group {changed.name} saved.")
    return see_other(f"/staff/alerts/groups/{changed.name}")


@router.post("/groups/{name}/delete")
async def delete_group(
    request: Request, name: str, subscriptions: SubscriptionsDep, staff: SignedIn
) -> Response:
    await run_in_threadpool(subscriptions.delete_group, _group_name(name), staff.actor)
    flash(request, f"Group {name} deleted; its members stay subscribed, without a group.")
    return see_other("/staff/alerts/groups")


@router.post("/groups/{name}/members")
async def add_member(
    request: Request,
    name: str,
    subscriptions: SubscriptionsDep,
    staff: Annotated[Staff, may(Action.PUBLISH)],
) -> Response:
    """Add a confirmed address to the group (staff vouch for it: no confirmation email)."""
    group = await _find_group(subscriptions, _group_name(name))
    reader = FormReader(await read_form(request))
    email = reader.text("email", limit=1000, one_line=True, label="the address").strip()
    if not email and not reader.errors:
        reader.errors.add("email", "give the member's email address")
    if not reader.errors:
        try:
            added = await run_in_threadpool(_add_member, subscriptions, staff, email, group.name)
        except ValidationError as error:
            add_error(reader.errors, error)
        else:
            flash(request, f"{added.target} added to {group.name}.")
            return see_other(f"/staff/alerts/groups/{group.name}")
    return await _group_page(
        request, subscriptions, staff, name, reader.errors, {"email": email}, 422
    )


def _add_member(
    subscriptions: SubscriptionService, staff: Staff, email: str, group: str
) -> Subscription:
    """An active subscriber keeps its filter and joins the group; any other address is
    added (or reactivated) by staff, with its earlier filter if it had one."""
    address = parse_email(email)
    existing = next(
        (
            s
            for s in subscriptions.subscriptions(Channel.EMAIL, None, staff.actor)
            if s.target == address
        ),
        None,
    )
    if existing is not None and existing.status is SubscriptionStatus.ACTIVE:
        return subscriptions.set_group(existing.id, group, staff.actor)
    earlier = existing.filter if existing is not None else AlertFilter()
    return subscriptions.add_email(address, earlier, group, staff.actor)


@router.post("/groups/{name}/members/{subscription_id}/remove")
async def remove_member(
    request: Request,
    name: str,
    subscription_id: str,
    subscriptions: SubscriptionsDep,
    staff: SignedIn,
) -> Response:
    group = await _find_group(subscriptions, _group_name(name))
    wanted = subscription_id_in_path(subscription_id)
    members = await run_in_threadpool(subscriptions.subscriptions, None, group.name, staff.actor)
    if all(member.id != wanted for member in members):  # a member of this group only
        raise NotFound(f"no member {wanted} in the group {group.name}")
    removed = await run_in_threadpool(subscriptions.set_group, wanted, None, staff.actor)
    flash(request, f"{removed.target} taken out of {group.name} (still subscribed).")
    return see_other(f"/staff/alerts/groups/{group.name}")


router.include_router(staff_alerts_webhooks.router)
router.include_router(staff_alerts_deliveries.router)
router.include_router(staff_alerts_tokens.router)
