"""``herald alerts ...``: subscribers, webhooks, groups, deliveries and predisclosure."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from herald.adapters.cli.context import herald_app
from herald.adapters.cli.output import SafeConsole, say
from herald.domain.alerts import AlertFilter, SubscriberGroup

alerts_app = typer.Typer(
    help="Alert subscribers, webhooks, groups, deliveries, predisclosure.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(alerts_app, name="alerts")


ProductOption = Annotated[
    list[str] | None,
    typer.Option("--product", metavar="ID", help="Only this product (repeatable)."),
]
VersionOption = Annotated[
    list[str] | None,
    typer.Option("--version", metavar="PRODUCT:VERSION", help="Only this version (repeatable)."),
]
SeverityOption = Annotated[
    str | None, typer.Option("--min-severity", help="Lowest severity wanted, e.g. High.")
]
EditorialOption = Annotated[
    bool, typer.Option("--editorial", help="Also alert on editorial changes.")
]
GroupOption = Annotated[str | None, typer.Option("--group", help="Subscriber group name.")]


def _filter(
    product: list[str] | None, version: list[str] | None, severity: str | None, editorial: bool
) -> AlertFilter:
    return AlertFilter(
        products=tuple(product or ()),
        versions=tuple(version or ()),
        minimum_severity=severity,
        editorial=editorial,
    )


@alerts_app.command("add-email")
def add_email(
    email: Annotated[str, typer.Argument(help="The subscriber's address.")],
    product: ProductOption = None,
    version: VersionOption = None,
    min_severity: SeverityOption = None,
    editorial: EditorialOption = False,
    group: GroupOption = None,
) -> None:
    """Subscribe an address the operator vouches for (no confirmation email)."""
    alert_filter = _filter(product, version, min_severity, editorial)
    with herald_app() as herald:
        subscription = herald.subscriptions.add_email(email, alert_filter, group)
    say(f"subscription {subscription.id}: {subscription.target} (active)")


@alerts_app.command("add-webhook")
def add_webhook(
    url: Annotated[str, typer.Argument(help="The https:// URL to POST alerts to.")],
    product: ProductOption = None,
    version: VersionOption = None,
    min_severity: SeverityOption = None,
    editorial: EditorialOption = False,
    group: GroupOption = None,
) -> None:
    """Add a webhook; prints its signing secret (shown once)."""
    alert_filter = _filter(product, version, min_severity, editorial)
    with herald_app() as herald:
        subscription = herald.subscriptions.subscribe_webhook(url, alert_filter, group)
    say(f"subscription {subscription.id}: {subscription.target}")
    say(f"secret: {subscription.secret}")


@alerts_app.command("remove-webhook")
def remove_webhook(subscription_id: Annotated[int, typer.Argument(help="Its id.")]) -> None:
    """Stop a webhook (its delivery history is kept)."""
    with herald_app() as herald:
        herald.subscriptions.delete_webhook(subscription_id)
    say(f"webhook {subscription_id} removed")


@alerts_app.command("list")
def list_subscriptions(group: GroupOption = None) -> None:
    """List subscriptions (email and webhooks) with their status and filters."""
    with herald_app() as herald:
        found = herald.subscriptions.subscriptions(group=group)
    table = Table("Id", "Channel", "Target", "Status", "Group", "Filter")
    for s in found:
        f = s.filter
        summary = ", ".join(
            part
            for part in (
                " ".join(f.products),
                " ".join(f.versions),
                f"≥ {f.minimum_severity}" if f.minimum_severity else "",
                "editorial" if f.editorial else "",
            )
            if part
        )
        table.add_row(
            str(s.id), s.channel.value, s.target, s.status.value, s.group or "", summary or "all"
        )
    SafeConsole().print(table)


@alerts_app.command("group")
def save_group(
    name: Annotated[str, typer.Argument(help="Short name, e.g. partners.")],
    title: Annotated[str, typer.Option("--title", help="Display name.")],
    subject_prefix: Annotated[
        str, typer.Option("--subject-prefix", help="Put before every email subject.")
    ] = "",
    intro: Annotated[
        str, typer.Option("--intro", help="A paragraph above the bulletin in emails.")
    ] = "",
) -> None:
    """Create or change a subscriber group and its email template."""
    group = SubscriberGroup(name, title, subject_prefix, intro)
    with herald_app() as herald:
        herald.subscriptions.save_group(group)
    say(f"group {name} saved")


@alerts_app.command("deliveries")
def deliveries(article_id: Annotated[str, typer.Argument(help="The bulletin.")]) -> None:
    """The alerts of a bulletin: status, attempts, last error."""
    with herald_app() as herald:
        views = herald.alerts.deliveries(article_id)
    table = Table("Id", "Event", "Target", "Status", "Attempts", "Last error")
    for view in views:
        d = view.delivery
        table.add_row(
            str(d.id),
            view.event_kind,
            view.target,
            d.status.value,
            str(d.attempts),
            d.last_error or "",
        )
    SafeConsole().print(table)


@alerts_app.command("resend")
def resend(article_id: Annotated[str, typer.Argument(help="The bulletin.")]) -> None:
    """Send the failed alerts of a bulletin again (same idempotency keys)."""
    with herald_app() as herald:
        count = herald.alerts.resend_failed(article_id)
    say(f"{count} deliveries queued again")


@alerts_app.command("predisclose")
def predisclose(
    article_id: Annotated[str, typer.Argument(help="A bulletin not yet public.")],
    group: Annotated[
        str | None, typer.Option("--group", help="The predisclosure group (omit to detach).")
    ] = None,
) -> None:
    """Attach a predisclosure group to a bulletin (alerted the lead time before release)."""
    with herald_app() as herald:
        herald.alerts.set_predisclosure(article_id, group)
    say(f"{article_id}: predisclosure {'to ' + group if group else 'off'}")
