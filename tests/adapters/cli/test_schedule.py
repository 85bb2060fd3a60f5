"""``herald bulletin schedule`` and ``unschedule``, end to end in a subprocess."""

from __future__ import annotations

from pathlib import Path

import pytest

from herald.adapters.security import Argon2Hasher
from herald.bootstrap import build
from herald.config import Settings
from herald.domain.bulletin import Status
from herald.services.actors import Actor
from tests.adapters.cli.conftest import Herald

pytestmark = pytest.mark.usefixtures("database_url")


def _approved(database_url: str, tmp_path: Path) -> str:
    """A draft written at the command line and approved by a reviewer; its id."""
    from herald import demo

    services = build(
        Settings(data_dir=tmp_path / "var", database_url=database_url),
        hasher=Argon2Hasher(cheap=True),
    )
    try:
        reviewer = services.accounts.add_user("bob", "Bob", ["reviewer"], "a long enough secret")
        services.accounts.add_user("pat", "Pat", ["publisher"], "a long enough secret")
        draft = services.authoring.create_draft(demo.reference_content())
        services.authoring.submit(draft.article_id)
        services.authoring.approve(draft.article_id, Actor.staff(reviewer))
        return draft.article_id
    finally:
        services.close()


def test_schedule_and_unschedule(herald: Herald, database_url: str, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    article = _approved(database_url, tmp_path)
    scheduled = herald(
        "bulletin", "schedule", article, "--at", "2099-01-02T03:04+02:00", "--as", "pat"
    )
    assert scheduled.exit_code == 0, scheduled.stderr
    assert scheduled.stdout.strip() == f"{article} scheduled for 2099-01-02T01:04:00+00:00"
    listing = herald("bulletin", "list", "--status", "scheduled")
    assert article in listing.stdout
    unscheduled = herald("bulletin", "unschedule", article, "--as", "pat")
    assert unscheduled.exit_code == 0, unscheduled.stderr
    assert herald("bulletin", "list", "--status", Status.APPROVED.value).stdout.count(article) == 1


@pytest.mark.parametrize(
    ("at", "message"),
    [
        ("2099-01-02T03:04", "has no time zone"),
        ("tomorrow", "not an ISO 8601"),
        ("2001-01-01T00:00Z", "future"),
    ],
)
def test_schedule_refuses_a_bad_instant(
    herald: Herald, database_url: str, tmp_path: Path, at: str, message: str
) -> None:
    herald("demo")
    article = _approved(database_url, tmp_path)
    result = herald("bulletin", "schedule", article, "--at", at, "--as", "pat")
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("herald: error: ")
    assert message in lines[0]
