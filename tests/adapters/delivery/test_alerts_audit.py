"""Staff changes to alerting land in the audit log, in the same transaction, without secrets."""

from __future__ import annotations

import pytest

from herald.bootstrap import Herald
from herald.domain.accounts import Role, User
from herald.domain.alerts import AlertFilter, SubscriberGroup
from herald.domain.errors import NotFound, RuleViolation
from herald.services.actors import OPERATOR, Actor
from tests.adapters.delivery.conftest import WebhookReceiver

PUBLISHER = Actor.staff(
    User(username="pat", display_name="Pat", roles=frozenset({Role.PUBLISHER}), password_hash="x")
)


def _log(herald: Herald, subject: str) -> list[tuple[str, str, str | None, str | None]]:
    entries = herald.audit.page(OPERATOR, subject=subject).entries
    return [(e.action, e.actor, e.before, e.after) for e in reversed(entries)]


def test_webhook_changes_are_logged_without_the_secret(
    alerts: Herald, receiver: WebhookReceiver
) -> None:
    hook = alerts.subscriptions.subscribe_webhook(
        receiver.url("/hook"), AlertFilter(), actor=PUBLISHER
    )
    alerts.subscriptions.update_webhook(
        hook.id, alert_filter=AlertFilter(minimum_severity="High"), actor=PUBLISHER
    )
    rotated = alerts.subscriptions.rotate_secret(hook.id, actor=PUBLISHER)
    alerts.subscriptions.delete_webhook(hook.id, actor=PUBLISHER)
    log = _log(alerts, f"subscription:{hook.id}")
    assert [(action, actor) for action, actor, _, _ in log] == [
        ("webhook.add", "pat"),
        ("webhook.update", "pat"),
        ("webhook.rotate", "pat"),
        ("webhook.delete", "pat"),
    ]
    assert "minimum severity: any" in (log[1][2] or "")
    assert "minimum severity: High" in (log[1][3] or "")
    assert "status: unsubscribed" in (log[3][3] or "")
    for _, _, before, after in log:
        for secret in (hook.secret, rotated.secret):
            assert secret is not None
            assert secret not in (before or "") + (after or "")


def test_groups_members_and_predisclosure_are_logged(alerts: Herald) -> None:
    group = SubscriberGroup(name="partners", title="Channel partners", subject_prefix="[P] ")
    alerts.subscriptions.save_group(group, actor=PUBLISHER)
    member = alerts.subscriptions.add_email("ops@partner.example", AlertFilter(), actor=PUBLISHER)
    alerts.subscriptions.set_group(member.id, "partners", actor=PUBLISHER)
    alerts.subscriptions.delete_group("partners", actor=PUBLISHER)
    assert [entry[0] for entry in _log(alerts, "group:partners")] == [
        "group.save",
        "group.delete",
    ]
    joined = _log(alerts, f"subscription:{member.id}")
    assert [entry[0] for entry in joined] == ["subscription.add", "subscription.group"]
    assert "group: partners" in (joined[1][3] or "")


def test_a_refused_change_logs_nothing(alerts: Herald) -> None:
    before = len(alerts.audit.page(OPERATOR, size=500).entries)
    with pytest.raises(RuleViolation):  # CTX696397 is public already
        alerts.alerts.set_predisclosure("CTX696397", None, actor=PUBLISHER)
    with pytest.raises(NotFound):
        alerts.alerts.resend(424242, actor=PUBLISHER)
    assert alerts.alerts.resend_failed("CTX696397", actor=PUBLISHER) == 0
    assert len(alerts.audit.page(OPERATOR, size=500).entries) == before
