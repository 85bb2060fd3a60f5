"""``herald serve`` runs an alert worker in-process (the embedded default)."""

from __future__ import annotations

import time

from fastapi.testclient import TestClient

import herald.demo as demo
from herald.adapters.web import create_app
from herald.bootstrap import Herald
from herald.domain.alerts import AlertFilter
from tests.adapters.delivery.conftest import SmtpSink


def test_the_web_server_delivers_alerts_without_a_separate_worker(
    alerts: Herald, smtp: SmtpSink
) -> None:
    alerts.subscriptions.add_email("a@example.com", AlertFilter())
    with TestClient(create_app(alerts), base_url="https://testserver"):
        draft = alerts.authoring.create_draft(demo.reference_content())
        alerts.authoring.publish(draft.article_id)
        deadline = time.monotonic() + 30
        while not smtp.messages and time.monotonic() < deadline:
            time.sleep(0.05)
    assert [str(m["To"]) for m in smtp.messages] == ["a@example.com"]
    [view] = alerts.alerts.deliveries(draft.article_id)
    assert view.delivery.status.value == "sent"
