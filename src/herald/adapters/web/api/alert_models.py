"""The request and response models of the alert API (``api/alerts.py``): what the
OpenAPI document says the server takes and gives."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StrictBool

from herald.domain.alerts import (
    MAX_FILTER_ITEMS,
    AlertFilter,
    Subscription,
)

_TEXT = r"^[^\x00-\x1f\x7f]*$"


class FilterModel(BaseModel):
    """Which bulletins to hear about (every field optional)."""

    model_config = ConfigDict(extra="forbid")

    products: list[Annotated[str, Field(max_length=200, pattern=_TEXT)]] = Field(
        default_factory=list,
        max_length=MAX_FILTER_ITEMS,
        description="Product ids (as in `/api/v1/products`); empty: every product.",
        examples=[["xenserver"]],
    )
    versions: list[Annotated[str, Field(max_length=200, pattern=_TEXT)]] = Field(
        default_factory=list,
        max_length=MAX_FILTER_ITEMS,
        description="`product:version` names; when given, only these versions count.",
        examples=[["xenserver:8.4"]],
    )
    minimum_severity: str | None = Field(
        default=None,
        max_length=100,
        pattern=_TEXT,
        description="The lowest severity wanted, from the publisher's scale; null: all.",
        examples=["High"],
    )
    editorial: StrictBool = Field(
        default=False, description="Also alert on editorial changes (wording only)."
    )

    def domain(self) -> AlertFilter:
        return AlertFilter(
            products=tuple(dict.fromkeys(self.products)),
            versions=tuple(dict.fromkeys(self.versions)),
            minimum_severity=self.minimum_severity or None,
            editorial=self.editorial,
        )

    @classmethod
    def of(cls, alert_filter: AlertFilter) -> FilterModel:
        return cls(
            products=list(alert_filter.products),
            versions=list(alert_filter.versions),
            minimum_severity=alert_filter.minimum_severity,
            editorial=alert_filter.editorial,
        )


_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = rf"^[A-Za-z0-9.!#$%&'*+/=?^_`{{|}}~-]{{1,64}}@{_LABEL}(?:\.{_LABEL})+$"
"""What ``herald.domain.alerts.parse_email`` accepts, as the schema's pattern."""


_WEB_URL = r"^https?://[^\s/?#@]+(?:[/?#][^\s]*)?$"
"""An absolute http(s) URL with a host and no credentials (the shape; the policy is the
server's: https only unless private targets are allowed, public addresses only)."""


class SubscriptionRequest(FilterModel):
    """An email subscription: the address and its filter."""

    email: str = Field(
        max_length=254,
        pattern=_EMAIL,
        description="The address alerts go to (it must confirm by a link).",
        examples=["psirt-watch@example.com"],
    )


class SubscriptionAccepted(BaseModel):
    status: str = Field(description="Always `accepted`.", examples=["accepted"])
    message: str = Field(description="What happens next.")


class WebhookRequest(BaseModel):
    """A new webhook."""

    model_config = ConfigDict(extra="forbid")

    url: str = Field(
        max_length=2000,
        pattern=_WEB_URL,
        description="The https:// URL herald posts signed JSON to (Standard Webhooks). "
        "Its host must be a public internet address: a name that resolves to a loopback, "
        "private, link-local or reserved address is refused with 422 (and checked again "
        "before every send).",
        examples=["https://siem.example.com/hooks/herald"],
    )
    filter: FilterModel = Field(default_factory=FilterModel)


class WebhookChange(BaseModel):
    """Changes to a webhook; absent fields stay as they are."""

    model_config = ConfigDict(extra="forbid")

    url: str | None = Field(default=None, max_length=2000, pattern=_WEB_URL)
    filter: FilterModel | None = None


class WebhookModel(BaseModel):
    id: int = Field(description="The webhook's id.")
    url: str
    status: str = Field(description="`active`, or `unsubscribed` once deleted.")
    filter: FilterModel
    created_at: datetime | None
    previous_secret_until: datetime | None = Field(
        default=None,
        description="After a rotation: until when the previous secret also signs requests.",
    )

    @classmethod
    def of(cls, webhook: Subscription) -> WebhookModel:
        return cls(
            id=webhook.id,
            url=webhook.target,
            status=webhook.status.value,
            filter=FilterModel.of(webhook.filter),
            created_at=webhook.created_at,
            previous_secret_until=webhook.previous_until,
        )


class WebhookList(BaseModel):
    webhooks: list[WebhookModel]


class WebhookWithSecret(WebhookModel):
    secret: str = Field(
        description="The signing secret (`whsec_` + base64): shown only in this answer."
    )


# --- authentication ---------------------------------------------------------------------
