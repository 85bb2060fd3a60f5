"""The alert parts of the JSON API under ``/api/v1``.

- ``POST /subscriptions``: anyone may ask for email alerts; always 202 with the same
  body for valid input (double opt-in: the address gets a confirmation link), so the
  answer never tells whether the address was subscribed already.
- ``/webhooks``: programs holding a staff-issued API token (``Authorization: Bearer``)
  with the scope ``webhooks:own`` list, create, change, rotate the secret of and delete
  the webhooks that token made. A missing, unknown, expired or revoked token, or one
  whose owner's account is deactivated, is a 401 (RFC 6750 ``invalid_token``); a token
  without the scope is a 403 naming it (``insufficient_scope``); another token's webhook
  is a 404.

The secret of a webhook is in the answer to its creation and to a rotation, never
anywhere else. ``docs/alerts-web.md`` describes the API for its users.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from herald.adapters.web.api.alert_models import (
    SubscriptionAccepted,
    SubscriptionRequest,
    WebhookChange,
    WebhookList,
    WebhookModel,
    WebhookRequest,
    WebhookWithSecret,
)
from herald.adapters.web.api.models import ErrorResponse
from herald.adapters.web.deps import ApiTokensDep, SubscriptionsDep, client_address
from herald.adapters.web.site.alerts_forms import checked_url
from herald.adapters.web.urls import API_PREFIX
from herald.domain.alerts import (
    MAX_SECRET_OVERLAP,
    SECRET_OVERLAP,
    Channel,
    Subscription,
)
from herald.domain.api_tokens import Scope
from herald.domain.errors import NotFound
from herald.services.api_tokens import ApiTokenService, Bearer
from herald.services.subscriptions import SubscriptionService

"""One line of text without control characters."""

_INVALID: dict[int | str, dict[str, Any]] = {
    422: {"model": ErrorResponse, "description": "The body is invalid; `error.field` names it."}
}
_UNAUTHORIZED: dict[int | str, dict[str, Any]] = {
    401: {
        "model": ErrorResponse,
        "description": "No `Authorization: Bearer` token, or an unknown, expired or "
        "revoked one, or one whose owner's account is deactivated.",
    },
    403: {
        "model": ErrorResponse,
        "description": "The token lacks the scope the operation needs (the message names "
        "it), or its owner's roles do not allow the operation.",
    },
}
_NOT_JSON: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorResponse, "description": "The body is not a JSON document."}
}
_LIMITED: dict[int | str, dict[str, Any]] = {
    429: {
        "model": ErrorResponse,
        "description": "Too many confirmation emails asked for, from this client or in all "
        "(HERALD_CONFIRMATIONS_PER_CLIENT, HERALD_CONFIRMATIONS_PER_HOUR); nothing is sent.",
        "headers": {
            "Retry-After": {
                "description": "Seconds until a confirmation may be asked for again.",
                "schema": {"type": "integer", "minimum": 1},
            }
        },
    }
}
_NOT_FOUND: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorResponse, "description": "No webhook with this id was made by this token."}
}

router = APIRouter(prefix=API_PREFIX, responses={**_INVALID})

ACCEPTED_MESSAGE = (
    "If the address can receive alerts, a confirmation link is on its way to it. "
    "Alerts start once the link is opened."
)


_REALM = 'Bearer realm="herald"'


def _unauthorized(message: str, error: str | None = None) -> HTTPException:
    challenge = _REALM if error is None else f'{_REALM}, error="{error}"'
    return HTTPException(401, message, headers={"WWW-Authenticate": challenge})


async def _bearer(request: Request, api_tokens: ApiTokensDep) -> Bearer:
    header = request.headers.get("authorization")
    if not header:
        raise _unauthorized("give an API token: Authorization: Bearer <token>")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise _unauthorized("the Authorization header must be 'Bearer <token>'", "invalid_request")
    found = await run_in_threadpool(api_tokens.bearer, token.strip())
    if found is None:
        raise _unauthorized("the API token is unknown, expired or revoked", "invalid_token")
    return found


def _scoped(scope: Scope) -> Callable[[Request, ApiTokenService], Awaitable[Bearer]]:
    """The dependency for an operation that needs ``scope``: 403 naming it otherwise."""

    async def with_scope(request: Request, api_tokens: ApiTokensDep) -> Bearer:
        bearer = await _bearer(request, api_tokens)
        if not bearer.token.allows(scope):
            raise HTTPException(
                403,
                f"this token lacks the scope {scope.value}",
                headers={
                    "WWW-Authenticate": (
                        f'{_REALM}, error="insufficient_scope", scope="{scope.value}"'
                    )
                },
            )
        return bearer

    return with_scope


TokenDep = Annotated[Bearer, Depends(_scoped(Scope.WEBHOOKS_OWN))]
"""A valid token with the scope ``webhooks:own``."""
WebhookId = Annotated[int, Path(ge=1, le=2**53, description="The webhook's id.")]


async def _own_webhook(
    subscriptions: SubscriptionService, api_tokens: ApiTokenService, token: Bearer, webhook_id: int
) -> Subscription:
    if webhook_id in await run_in_threadpool(api_tokens.webhooks_of, token.token):
        found = await run_in_threadpool(
            subscriptions.subscriptions, Channel.WEBHOOK, None, token.actor
        )
        for webhook in found:
            if webhook.id == webhook_id and webhook.status.value != "unsubscribed":
                return webhook
    raise NotFound(f"no webhook {webhook_id}")


# --- subscriptions ----------------------------------------------------------------------


@router.post(
    "/subscriptions",
    status_code=202,
    response_model=SubscriptionAccepted,
    summary="Ask for email alerts (double opt-in)",
    tags=["alerts"],
    responses={**_NOT_JSON, **_LIMITED},
)
async def subscribe(
    request: Request, body: SubscriptionRequest, subscriptions: SubscriptionsDep
) -> SubscriptionAccepted:
    """Queue a confirmation email to the address; alerts start when its link is opened.

    The answer is the same whether or not the address was subscribed already.
    """
    await run_in_threadpool(
        subscriptions.subscribe, body.email, body.domain(), client_address(request)
    )
    return SubscriptionAccepted(status="accepted", message=ACCEPTED_MESSAGE)


# --- webhooks ---------------------------------------------------------------------------


@router.get(
    "/webhooks",
    response_model=WebhookList,
    summary="The webhooks this token made",
    tags=["webhooks"],
    responses=_UNAUTHORIZED,
)
async def webhooks(
    subscriptions: SubscriptionsDep, api_tokens: ApiTokensDep, token: TokenDep
) -> WebhookList:
    owned = await run_in_threadpool(api_tokens.webhooks_of, token.token)
    found = await run_in_threadpool(subscriptions.subscriptions, Channel.WEBHOOK, None, token.actor)
    return WebhookList(
        webhooks=[
            WebhookModel.of(w) for w in found if w.id in owned and w.status.value != "unsubscribed"
        ]
    )


@router.post(
    "/webhooks",
    status_code=201,
    response_model=WebhookWithSecret,
    summary="Add a webhook (its secret is in this answer only)",
    tags=["webhooks"],
    responses={**_UNAUTHORIZED, **_NOT_JSON},
)
async def add_webhook(
    body: WebhookRequest, subscriptions: SubscriptionsDep, api_tokens: ApiTokensDep, token: TokenDep
) -> WebhookWithSecret:
    url, alert_filter = checked_url(body.url), body.filter.domain()
    created = await run_in_threadpool(
        lambda: subscriptions.subscribe_webhook(url, alert_filter, None, token.actor)
    )
    await run_in_threadpool(api_tokens.own_webhook, token.token, created.id)
    return WebhookWithSecret(**WebhookModel.of(created).model_dump(), secret=created.secret or "")


@router.get(
    "/webhooks/{webhook_id}",
    response_model=WebhookModel,
    summary="One webhook",
    tags=["webhooks"],
    responses={**_UNAUTHORIZED, **_NOT_FOUND},
)
async def webhook(
    webhook_id: WebhookId,
    subscriptions: SubscriptionsDep,
    api_tokens: ApiTokensDep,
    token: TokenDep,
) -> WebhookModel:
    return WebhookModel.of(await _own_webhook(subscriptions, api_tokens, token, webhook_id))


@router.patch(
    "/webhooks/{webhook_id}",
    response_model=WebhookModel,
    summary="Change a webhook's URL or filter",
    tags=["webhooks"],
    responses={**_UNAUTHORIZED, **_NOT_FOUND, **_NOT_JSON},
)
async def change_webhook(
    webhook_id: WebhookId,
    body: WebhookChange,
    subscriptions: SubscriptionsDep,
    api_tokens: ApiTokensDep,
    token: TokenDep,
) -> WebhookModel:
    existing = await _own_webhook(subscriptions, api_tokens, token, webhook_id)
    url = checked_url(body.url) if body.url is not None else None
    alert_filter = body.filter.domain() if body.filter is not None else None
    changed = await run_in_threadpool(
        lambda: subscriptions.update_webhook(existing.id, url, alert_filter, token.actor)
    )
    return WebhookModel.of(changed)


@router.post(
    "/webhooks/{webhook_id}/secret",
    response_model=WebhookWithSecret,
    summary="Rotate a webhook's secret (the new one is in this answer only)",
    tags=["webhooks"],
    responses={**_UNAUTHORIZED, **_NOT_FOUND},
)
async def rotate_secret(
    webhook_id: WebhookId,
    subscriptions: SubscriptionsDep,
    api_tokens: ApiTokensDep,
    token: TokenDep,
    overlap_hours: Annotated[
        int,
        Query(
            ge=0,
            le=MAX_SECRET_OVERLAP // timedelta(hours=1),
            description="How long the current secret keeps signing requests beside the new one.",
        ),
    ] = SECRET_OVERLAP // timedelta(hours=1),
) -> WebhookWithSecret:
    existing = await _own_webhook(subscriptions, api_tokens, token, webhook_id)
    rotated = await run_in_threadpool(
        subscriptions.rotate_secret,
        existing.id,
        token.actor,
        timedelta(hours=overlap_hours),
    )
    return WebhookWithSecret(**WebhookModel.of(rotated).model_dump(), secret=rotated.secret or "")


@router.delete(
    "/webhooks/{webhook_id}",
    status_code=204,
    response_class=Response,
    summary="Delete a webhook (nothing more is sent to it)",
    tags=["webhooks"],
    responses={**_UNAUTHORIZED, **_NOT_FOUND},
)
async def delete_webhook(
    webhook_id: WebhookId,
    subscriptions: SubscriptionsDep,
    api_tokens: ApiTokensDep,
    token: TokenDep,
) -> Response:
    existing = await _own_webhook(subscriptions, api_tokens, token, webhook_id)
    await run_in_threadpool(subscriptions.delete_webhook, existing.id, token.actor)
    return Response(status_code=204)
