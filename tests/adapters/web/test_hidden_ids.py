"""A public lookup does the same work for a hidden id as for one never used.

Security finding 13.1: the public read used to load a whole draft or embargoed bulletin
and check its status afterwards, so such an id answered about twice as slowly as a
missing one, and probing just above the newest id counted pending bulletins. Timing
itself is too noisy for a test (``bench/hidden_ids.py`` measures it); what makes the
timing differ is the work, and that is exact: the database statements a request runs.
For every public URL naming an article id, a hidden id must run the same statements as a
missing id, and answer the same bytes.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import event

from herald.bootstrap import Herald
from herald.services.actors import Actor

from .conftest import MovableClock
from .test_site_support import content

HIDDEN = "CTX990001"
MISSING = "CTX990002"
PATHS = (
    "/bulletins/{id}",
    "/bulletins/{id}.json",
    "/bulletins/{id}.txt",
    "/bulletins/{id}.csaf.json",
    "/bulletins/{id}.osv.json",
    "/bulletins/{id}.openvex.json",
    "/bulletins/{id}.cdx.json",
    "/api/v1/bulletins/{id}",
)


@contextmanager
def _statements(herald: Herald) -> Iterator[list[str]]:
    """The SQL the database runs meanwhile (the text: parameters aside)."""
    ran: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if "site_state" not in statement:  # the generation is re-read on a timer, not per id
            ran.append(statement)

    engine = herald.database.engine
    event.listen(engine, "before_cursor_execute", note)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", note)


def _actor(herald: Herald, username: str) -> Actor:
    user = herald.accounts.user(username)
    assert user is not None
    return Actor.staff(user)


def _hide(herald: Herald, clock: MovableClock, stage: str) -> None:
    alice, bob = _actor(herald, "alice"), _actor(herald, "bob")
    herald.authoring.create_draft(content("A hidden problem"), HIDDEN, actor=alice)
    if stage == "embargoed":
        herald.authoring.submit(HIDDEN, actor=alice)
        herald.authoring.approve(HIDDEN, actor=bob)
        carol = _actor(herald, "carol")
        herald.authoring.schedule(HIDDEN, clock.now() + timedelta(days=3), actor=carol)


@pytest.mark.parametrize("stage", ["draft", "embargoed"])
@pytest.mark.parametrize("path", PATHS)
def test_a_hidden_id_costs_what_a_missing_id_costs(
    herald: Herald,
    client: TestClient,
    clock: MovableClock,
    staff: dict[str, str],
    stage: str,
    path: str,
) -> None:
    _hide(herald, clock, stage)
    client.get("/")  # the site generation and the catalog are read before both lookups
    answers = {}
    for article_id in (MISSING, HIDDEN, MISSING):
        with _statements(herald) as ran:
            response = client.get(path.format(id=article_id))
        answers[article_id] = (response.status_code, response.text.replace(article_id, "ID"))
        work = list(ran)
        if article_id == HIDDEN:
            hidden_work = work
        else:
            missing_work = work
    assert answers[HIDDEN] == answers[MISSING]
    assert answers[HIDDEN][0] == 404
    assert hidden_work == missing_work, (
        f"{path}: a {stage} id ran {len(hidden_work)} statements, a missing one {len(missing_work)}"
    )
