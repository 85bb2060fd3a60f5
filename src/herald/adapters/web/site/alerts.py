"""Routes: subscribing to alerts by email, live only (never cached, never exported).

=====================================  ==================================================
``/alerts/subscribe``        GET/POST  the form; POST asks ``subscribe`` and always shows
                                       the same "check your inbox" page
``/alerts/confirm?token=``   GET/POST  GET shows a button (link scanners prefetch GETs);
                                       POST confirms
``/alerts/preferences?token=`` GET/POST the filter of a subscription (signed link)
``/alerts/unsubscribe?token=`` GET/POST GET shows a button; POST unsubscribes (RFC 8058
                                       one-click: no cookie, no CSRF token, answers 200)
=====================================  ==================================================

The forms that change something are refused when posted from another site
(``check_same_site``); the one-click unsubscribe is exempt, as RFC 8058 requires: it is
idempotent and the token authenticates it. Every answer says ``Cache-Control: no-store``,
and pages carrying a token send no ``Referer`` onwards.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import PublicationDep, SubscriptionsDep, client_address
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.site.alerts_forms import (
    FilterValues,
    add_error,
    check_same_site,
    choices,
    read_filter,
)
from herald.domain.errors import TooManyAttempts, ValidationError
from herald.services.publication import PublicationService
from herald.services.subscriptions import SubscriptionService

router = APIRouter(prefix="/alerts", include_in_schema=False)

TOKEN_LIMIT = 500
"""Longer than any token herald signs."""
EMAIL_LIMIT = 1000
"""Longer input is refused as too long; the address itself may have 254 characters."""
HONEYPOT = "website"
"""A field people never see nor fill (hidden by the style sheet, skipped by keyboards and
screen readers); a robot filling every field gets the usual answer and nothing is sent."""
NO_STORE = {"Cache-Control": "no-store", "X-Robots-Tag": "noindex"}
WITH_TOKEN = {**NO_STORE, "Referrer-Policy": "same-origin"}
"""Pages with a token in their URL: no Referer to other sites (and with "same-origin",
unlike "no-referrer", the browser still sends this site's Origin with the form)."""
INVALID_LINK = "This link is not valid, or it has expired or been used already."

TokenQuery = Annotated[str | None, Query(max_length=TOKEN_LIMIT)]


def _page(
    request: Request,
    name: str,
    context: dict[str, Any] | None = None,
    *,
    status: int = 200,
    headers: dict[str, str] | None = None,
) -> Response:
    templates: Jinja2Templates = request.app.state.templates
    return templates.TemplateResponse(
        request,
        f"alerts/{name}",
        {"errors": {}, **(context or {})},
        status_code=status,
        headers=headers or NO_STORE,
    )


def _invalid_link(request: Request, message: str = INVALID_LINK) -> Response:
    return _page(request, "invalid.html", {"message": message}, status=400, headers=WITH_TOKEN)


def _token_of(reader: FormReader, query_token: str | None) -> str:
    token = reader.text("token", limit=TOKEN_LIMIT, one_line=True).strip()
    return token or (query_token or "").strip()


# --- subscribe --------------------------------------------------------------------------


@router.get("/subscribe")
async def subscribe_form(request: Request, publication: PublicationDep) -> Response:
    return _page(
        request,
        "subscribe.html",
        {
            "choices": await run_in_threadpool(choices, publication),
            "values": FilterValues(),
            "email": "",
        },
    )


@router.post("/subscribe")
async def subscribe(
    request: Request, publication: PublicationDep, subscriptions: SubscriptionsDep
) -> Response:
    check_same_site(request)
    reader = FormReader(await read_form(request))
    email = reader.text("email", limit=EMAIL_LIMIT, one_line=True, label="the email address")
    email = email.strip()
    if not email and "email" not in reader.errors:
        reader.errors.add("email", "give the address the alerts should go to")
    values, alert_filter = read_filter(reader)
    if reader.text(HONEYPOT, limit=EMAIL_LIMIT, one_line=True).strip():
        return _page(request, "sent.html", {"email": email})  # a robot: it learns nothing
    status, headers = 422, {}
    if alert_filter is not None and not reader.errors:
        try:
            await run_in_threadpool(
                subscriptions.subscribe, email, alert_filter, client_address(request)
            )
        except ValidationError as error:
            add_error(reader.errors, error)
        except TooManyAttempts as error:
            reader.errors.add("form", f"{error.message[0].upper()}{error.message[1:]}.")
            status, headers = 429, {"Retry-After": str(error.retry_after)}
        else:
            return _page(request, "sent.html", {"email": email})
    response = _page(
        request,
        "subscribe.html",
        {
            "choices": await run_in_threadpool(choices, publication),
            "values": values,
            "email": email[:EMAIL_LIMIT],
            "errors": reader.errors,
        },
        status=status,
    )
    response.headers.update(headers)
    return response


# --- confirm ----------------------------------------------------------------------------


@router.get("/confirm")
async def confirm_form(request: Request, token: TokenQuery = None) -> Response:
    if not token:
        return _invalid_link(request, "This link has no token: open the link from the email.")
    return _page(request, "confirm.html", {"token": token}, headers=WITH_TOKEN)


@router.post("/confirm")
async def confirm(
    request: Request, subscriptions: SubscriptionsDep, token: TokenQuery = None
) -> Response:
    check_same_site(request)
    given = _token_of(FormReader(await read_form(request)), token)
    if not given:
        return _invalid_link(request, "This link has no token: open the link from the email.")
    try:
        await run_in_threadpool(subscriptions.confirm, given)
    except ValidationError:
        return _invalid_link(request)
    return _page(
        request,
        "done.html",
        {
            "heading": "You are subscribed",
            "message": "Alerts will come to your address from now on. Every alert has "
            "links to change what you get and to unsubscribe.",
        },
        headers=WITH_TOKEN,
    )


# --- preferences ------------------------------------------------------------------------


async def _preferences_page(
    request: Request,
    publication: PublicationService,
    subscriptions: SubscriptionService,
    token: str,
    values: FilterValues | None = None,
    errors: FormErrors | None = None,
    *,
    saved: bool = False,
) -> Response:
    try:
        subscription = await run_in_threadpool(subscriptions.preferences, token)
    except ValidationError:
        return _invalid_link(request)
    return _page(
        request,
        "preferences.html",
        {
            "subscription": subscription,
            "token": token,
            "unsubscribe_token": subscriptions.unsubscribe_token(subscription.id),
            "choices": await run_in_threadpool(choices, publication),
            "values": values or FilterValues.of(subscription.filter),
            "errors": errors or {},
            "saved": saved,
        },
        status=422 if errors else 200,
        headers=WITH_TOKEN,
    )


@router.get("/preferences")
async def preferences_form(
    request: Request,
    publication: PublicationDep,
    subscriptions: SubscriptionsDep,
    token: TokenQuery = None,
) -> Response:
    if not token:
        return _invalid_link(request, "This link has no token: open the link from an alert.")
    return await _preferences_page(request, publication, subscriptions, token)


@router.post("/preferences")
async def preferences(
    request: Request,
    publication: PublicationDep,
    subscriptions: SubscriptionsDep,
    token: TokenQuery = None,
) -> Response:
    check_same_site(request)
    reader = FormReader(await read_form(request))
    given = _token_of(reader, token)
    if not given:
        return _invalid_link(request, "This link has no token: open the link from an alert.")
    values, alert_filter = read_filter(reader)
    if alert_filter is not None and not reader.errors:
        try:
            await run_in_threadpool(subscriptions.update_preferences, given, alert_filter)
        except ValidationError as error:
            if error.field == "token":
                return _invalid_link(request)
            add_error(reader.errors, error)
        else:
            return await _preferences_page(request, publication, subscriptions, given, saved=True)
    return await _preferences_page(
        request, publication, subscriptions, given, values, reader.errors
    )


# --- unsubscribe ------------------------------------------------------------------------


@router.get("/unsubscribe")
async def unsubscribe_form(request: Request, token: TokenQuery = None) -> Response:
    if not token:
        return _invalid_link(request, "This link has no token: open the link from an alert.")
    return _page(request, "unsubscribe.html", {"token": token}, headers=WITH_TOKEN)


@router.post("/unsubscribe")
async def unsubscribe(
    request: Request, subscriptions: SubscriptionsDep, token: TokenQuery = None
) -> Response:
    """RFC 8058 one-click (``List-Unsubscribe=One-Click``) and the page's own button:
    no cookie, no CSRF token, no same-site check; idempotent; 200 when done."""
    given = _token_of(FormReader(await read_form(request)), token)
    if not given:
        return _invalid_link(request, "This link has no token: open the link from an alert.")
    try:
        await run_in_threadpool(subscriptions.unsubscribe, given)
    except ValidationError:
        return _invalid_link(request)
    return _page(
        request,
        "done.html",
        {
            "heading": "You are unsubscribed",
            "message": "No more alerts go to this address. You can subscribe again at any time.",
        },
        headers=WITH_TOKEN,
    )
