"""Bulletin statements in storage (revision 0017), on SQLite and PostgreSQL: the kind,
versions not affected or under investigation, and remedies of every CSAF category read
back as written; the database refuses what the domain refuses; a proposal keeps them;
the migration goes down and up."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime

import pytest
from alembic import command
from sqlalchemy import insert, inspect, text
from sqlalchemy.exc import IntegrityError

from herald.adapters.storage import Database, SqlUnitOfWork
from herald.adapters.storage.database import alembic_config
from herald.adapters.storage.review import content_from_json, content_to_json
from herald.adapters.storage.tables.bulletins import FixRow
from herald.domain import Bulletin, ChannelRef, Fix, Status, ValidationError, VersionRef
from herald.domain.bulletin import NoFix, Restart
from herald.domain.review_policy import Proposal, ProposalKind
from herald.domain.statements import BulletinKind, Justification, NotAffected

from .samples import CITRIX_HYPERVISOR, XENSERVER, hypervisor, rich_bulletin, seed, xenserver

UowFactory = Callable[[], SqlUnitOfWork]
AT = datetime(2026, 11, 3, 9, 0, tzinfo=UTC)
EARLY = ChannelRef(XENSERVER, "8.4", "Early Access")
NORMAL = ChannelRef(XENSERVER, "8.4", "Normal")
NOT_AFFECTED = NotAffected(
    VersionRef(CITRIX_HYPERVISOR, "8.2 CU1"),
    Justification.COMPONENT_NOT_PRESENT,
    "Citrix Hypervisor 8.2 CU1 does not ship *libfoo*.",
)


def statements_bulletin(article_id: str = "CTX700101") -> Bulletin:
    """Every remedy category, a VEX kind, one version not affected, one under investigation."""
    return replace(
        rich_bulletin(article_id),
        kind=BulletinKind.VEX,
        affected=(VersionRef(XENSERVER, "8.4"),),
        fixes=(
            Fix(
                NORMAL,
                release="8.4.2026-03-24",
                mitigation="Turn off PCI passthrough until you update.",
                workaround="Run no untrusted guests.",
                url="https://docs.example.com/fix",
                restart=Restart.MACHINE,
            ),
            Fix(
                EARLY,
                no_fix=NoFix.NO_FIX_PLANNED,
                no_fix_reason="The channel ends next month.",
                workaround="Move to the Normal channel.",
            ),
        ),
        not_affected=(NOT_AFFECTED,),
        under_investigation=(VersionRef(XENSERVER, "8.2"),),
    )


@pytest.fixture
def seeded(uow_factory: UowFactory) -> UowFactory:
    with uow_factory() as uow:
        seed(uow, xenserver(), hypervisor())
    return uow_factory


def test_statements_and_remedies_read_back_as_written(seeded: UowFactory) -> None:
    bulletin = statements_bulletin()
    with seeded() as uow:
        uow.bulletins.add(bulletin)
        uow.commit()
    with seeded() as uow:
        stored = uow.bulletins.find(bulletin.article_id)
    assert stored == bulletin
    assert stored is not None
    assert stored.kind is BulletinKind.VEX
    assert stored.fixes[0].restart is Restart.MACHINE
    assert stored.fixes[1].no_fix is NoFix.NO_FIX_PLANNED
    assert stored.not_affected[0].justification is Justification.COMPONENT_NOT_PRESENT


def test_update_rewrites_the_statements(seeded: UowFactory) -> None:
    bulletin = replace(statements_bulletin(), status=Status.DRAFT, changelog=())
    with seeded() as uow:
        uow.bulletins.add(bulletin)
        uow.commit()
    changed = replace(
        bulletin,
        kind=BulletinKind.ADVISORY,
        not_affected=(),
        under_investigation=(
            VersionRef(CITRIX_HYPERVISOR, "8.2 CU1"),
            VersionRef(XENSERVER, "8.2"),
        ),
        fixes=(Fix(NORMAL, no_fix=NoFix.NONE_AVAILABLE),),
    )
    with seeded() as uow:
        uow.bulletins.update(changed)
        uow.commit()
    with seeded() as uow:
        assert uow.bulletins.find(bulletin.article_id) == changed


def test_a_bulletin_stored_without_statements_is_an_advisory(seeded: UowFactory) -> None:
    plain = rich_bulletin("CTX700102")
    with seeded() as uow:
        uow.bulletins.add(plain)
        uow.commit()
    with seeded() as uow:
        stored = uow.bulletins.find("CTX700102")
    assert stored == plain
    assert stored is not None
    assert stored.kind is BulletinKind.ADVISORY


def test_a_statement_on_an_unknown_version_is_refused_and_nothing_written(
    seeded: UowFactory,
) -> None:
    ghost = replace(
        statements_bulletin("CTX700103"),
        not_affected=(replace(NOT_AFFECTED, version=VersionRef(CITRIX_HYPERVISOR, "7.0")),),
    )
    with seeded() as uow, pytest.raises(ValidationError) as caught:
        uow.bulletins.add(ghost)
    assert caught.value.field in ("not_affected", "")  # SQLite names no table
    assert "does not exist" in caught.value.reason
    with seeded() as uow:
        assert uow.bulletins.find("CTX700103") is None


@pytest.mark.parametrize(
    "columns",
    [
        {"release_name": "8.4.2026-03-24", "no_fix": "none_available"},
        {},
        {"no_fix_reason": "Why not."},
    ],
    ids=["release and no fix", "nothing", "only a reason"],
)
def test_the_database_refuses_a_remedy_the_domain_refuses(
    seeded: UowFactory, database: Database, columns: dict[str, str]
) -> None:
    with seeded() as uow:
        uow.bulletins.add(replace(statements_bulletin("CTX700104"), fixes=()))
        uow.commit()
    row = {
        "article_id": "CTX700104",
        "position": 0,
        "product_id": XENSERVER,
        "version_name": "8.4",
        "channel_name": "Normal",
        **columns,
    }
    with database.engine.connect() as connection:
        with pytest.raises(IntegrityError):
            connection.execute(insert(FixRow).values(**row))
        connection.rollback()


def test_the_database_takes_a_release_with_a_mitigation(
    seeded: UowFactory, database: Database
) -> None:
    """The old rule (a release or a mitigation, never both) is gone."""
    with seeded() as uow:
        uow.bulletins.add(replace(statements_bulletin("CTX700105"), fixes=()))
        uow.commit()
    with database.engine.begin() as connection:
        connection.execute(
            insert(FixRow).values(
                article_id="CTX700105",
                position=0,
                product_id=XENSERVER,
                version_name="8.4",
                channel_name="Normal",
                release_name="8.4.2026-03-24",
                mitigation="Meanwhile, turn it off.",
            )
        )
    with seeded() as uow:
        stored = uow.bulletins.find("CTX700105")
    assert stored is not None
    assert stored.fixes == (
        Fix(NORMAL, release="8.4.2026-03-24", mitigation="Meanwhile, turn it off."),
    )


def test_public_references_name_the_stated_versions(seeded: UowFactory) -> None:
    with seeded() as uow:
        uow.bulletins.add(statements_bulletin())
        uow.commit()
    with seeded() as uow:
        references = uow.bulletins.public_references()
    assert VersionRef(CITRIX_HYPERVISOR, "8.2 CU1") in references.versions
    assert VersionRef(XENSERVER, "8.2") in references.versions


def test_a_proposal_keeps_the_statements(seeded: UowFactory) -> None:
    bulletin = statements_bulletin()
    content = bulletin.content()
    assert content_from_json(content_to_json(content)) == content
    with seeded() as uow:
        uow.bulletins.add(bulletin)
        uow.review.add_proposal(
            Proposal(
                article_id=bulletin.article_id,
                kind=ProposalKind.AMEND,
                summary="Stated 8.2 CU1 not affected",
                proposed_by="alice",
                proposed_at=AT,
                content=content,
                changed=("not_affected",),
            )
        )
        uow.commit()
    with seeded() as uow:
        proposal = uow.review.proposal(bulletin.article_id)
    assert proposal is not None
    assert proposal.content == content


def test_a_proposal_stored_before_0017_reads_as_an_advisory() -> None:
    old = content_to_json(rich_bulletin().content())
    for key in ("kind", "not_affected", "under_investigation"):
        del old[key]
    for fix in old["fixes"]:
        for key in ("workaround", "no_fix", "no_fix_reason", "url", "restart"):
            del fix[key]
    assert content_from_json(old) == rich_bulletin().content()


def test_0017_goes_down_and_up(own_database: Database) -> None:
    """Down to 0014 the statements go and a release keeps no mitigation; up again every
    bulletin is an advisory with the fixes the old rule allowed."""
    bulletin = statements_bulletin()
    with own_database.unit_of_work() as uow:
        seed(uow, xenserver(), hypervisor())
        uow.bulletins.add(bulletin)
        uow.commit()
    with own_database.migration_connection() as connection:
        command.downgrade(alembic_config(connection), "0014")
    with own_database.engine.connect() as connection:
        tables = set(inspect(connection).get_table_names())
        columns = {c["name"] for c in inspect(connection).get_columns("bulletin_fixes")}
        fixes = connection.execute(
            text("SELECT release_name, mitigation FROM bulletin_fixes ORDER BY position")
        ).all()
    assert "bulletin_not_affected" not in tables
    assert "bulletin_under_investigation" not in tables
    assert "restart_required" not in columns
    assert [tuple(fix) for fix in fixes] == [("8.4.2026-03-24", None)]
    own_database.migrate()
    with own_database.unit_of_work(read_only=True) as uow:
        stored = uow.bulletins.find(bulletin.article_id)
    assert stored is not None
    assert stored.kind is BulletinKind.ADVISORY
    assert stored.not_affected == ()
    assert stored.fixes == (Fix(NORMAL, release="8.4.2026-03-24"),)
