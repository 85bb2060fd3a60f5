"""The bulletin rules: what may be published, amended, withdrawn and deleted."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest

from herald import demo
from herald.domain import (
    INITIAL_PUBLICATION,
    ChangeLogEntry,
    ChannelRef,
    Fix,
    InvalidTransition,
    RuleViolation,
    Status,
    ValidationError,
    VersionRef,
)
from herald.domain.ids import ProductId
from herald.domain.workflow import (
    amend,
    check_consistent,
    check_delete,
    check_revision,
    edit_draft,
    publish,
    withdraw,
)
from tests.domain.builders import CVE_B, DAY, NOON, content, draft, published

CATALOG = demo.catalog()
PUBLISHER = demo.publisher()
XS = ProductId("xenserver")


def test_first_publication_adds_initial_publication_dated_that_day() -> None:
    bulletin = publish(draft(), CATALOG, PUBLISHER, date(2026, 4, 2), NOON)
    assert bulletin.status is Status.PUBLISHED
    assert bulletin.changelog == (ChangeLogEntry(date(2026, 4, 2), INITIAL_PUBLICATION),)
    assert bulletin.revision == 1
    assert bulletin.updated_on == date(2026, 4, 2)
    assert bulletin.published_at == NOON


def test_publication_records_the_preview_version_as_not_covered() -> None:
    bulletin = published()
    assert [str(n.version) for n in bulletin.not_covered] == ["xenserver 9"]
    assert bulletin.not_covered[0].label == "Public Preview"


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"severity": None}, "severity"),
        ({"cves": ()}, "cves"),
        ({"problem": "  "}, "problem"),
        ({"affected": (), "fixes": ()}, "affected"),
        ({"affected": (VersionRef(XS, "9"),), "fixes": ()}, "affected"),
        (
            {"fixes": (Fix(ChannelRef(XS, "8.4", "Normal"), release="8.4.2026-03-24"),)},
            "fixes",
        ),
    ],
    ids=["no-severity", "no-cve", "no-problem", "no-version", "only-preview", "channel-unfixed"],
)
def test_publishing_needs_every_required_fact(changes: dict[str, object], field: str) -> None:
    with pytest.raises(RuleViolation) as caught:
        publish(draft(**changes), CATALOG, PUBLISHER, DAY, NOON)
    assert caught.value.field == field


def test_a_mitigation_stands_in_for_a_fixed_release() -> None:
    fixes = (
        Fix(ChannelRef(XS, "8.4", "Early Access"), mitigation="Restart the host."),
        Fix(ChannelRef(XS, "8.4", "Normal"), release="8.4.2026-03-24"),
    )
    assert publish(draft(fixes=fixes), CATALOG, PUBLISHER, DAY, NOON).status is Status.PUBLISHED


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"severity": "Severe"}, "severity"),
        ({"affected": (VersionRef(XS, "7.1"),), "fixes": ()}, "affected[0]"),
        (
            {"fixes": (Fix(ChannelRef(XS, "8.4", "Normal"), release="no-such-release"),)},
            "fixes[0]",
        ),
        ({"fixes": (Fix(ChannelRef(XS, "8.4", "Beta"), release="x"),)}, "fixes[0]"),
        ({"title": ""}, "title"),
    ],
)
def test_unknown_references_are_refused_even_in_drafts(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(ValidationError) as caught:
        draft(**changes)
    assert caught.value.field == field


def test_a_published_bulletin_is_published_only_once() -> None:
    with pytest.raises(InvalidTransition):
        publish(published(), CATALOG, PUBLISHER, DAY, NOON)


def test_a_published_bulletin_changes_only_by_amendment() -> None:
    with pytest.raises(InvalidTransition):
        edit_draft(published(), content(severity="High"), CATALOG, PUBLISHER, NOON)


def test_amendment_appends_its_entry_and_raises_the_revision() -> None:
    original = published()
    entry = ChangeLogEntry(DAY + timedelta(days=3), "Severity raised to High")
    amended = amend(original, content(severity="High"), entry, CATALOG, PUBLISHER, NOON)
    assert amended.changelog == (*original.changelog, entry)
    assert amended.revision == 2
    assert amended.severity == "High"
    assert amended.updated_on == entry.on


def test_an_amendment_must_change_something() -> None:
    entry = ChangeLogEntry(DAY, "Nothing")
    with pytest.raises(RuleViolation, match="changes nothing"):
        amend(published(), content(), entry, CATALOG, PUBLISHER, NOON)


def test_an_amendment_cannot_be_dated_before_the_last_entry() -> None:
    entry = ChangeLogEntry(DAY - timedelta(days=1), "Added CVE")
    with pytest.raises(RuleViolation, match="before the last"):
        amend(published(), content(cves=(*content().cves, CVE_B)), entry, CATALOG, PUBLISHER, NOON)


def test_an_amendment_keeps_the_publication_rules() -> None:
    entry = ChangeLogEntry(DAY, "Removed the CVE")
    with pytest.raises(RuleViolation) as caught:
        amend(published(), content(cves=()), entry, CATALOG, PUBLISHER, NOON)
    assert caught.value.field == "cves"


def test_withdrawal_adds_its_entry_and_ends_changes() -> None:
    entry = ChangeLogEntry(DAY, "Withdrawn: the issue does not affect XenServer")
    withdrawn = withdraw(published(), entry, NOON)
    assert withdrawn.status is Status.WITHDRAWN
    assert withdrawn.changelog[-1] == entry
    assert withdrawn.revision == 2
    with pytest.raises(InvalidTransition):
        amend(withdrawn, content(severity="Low"), entry, CATALOG, PUBLISHER, NOON)
    with pytest.raises(InvalidTransition):
        withdraw(withdrawn, entry, NOON)


def test_drafts_cannot_be_withdrawn_and_published_bulletins_cannot_be_deleted() -> None:
    with pytest.raises(InvalidTransition):
        withdraw(draft(), ChangeLogEntry(DAY, "x"), NOON)
    with pytest.raises(InvalidTransition, match="never deleted"):
        check_delete(published())
    check_delete(draft())


def test_stored_state_must_be_reachable_by_the_workflow() -> None:
    check_consistent(published(), CATALOG, PUBLISHER)
    check_consistent(draft(), CATALOG, PUBLISHER)
    with pytest.raises(RuleViolation):
        check_consistent(replace(published(), changelog=()), CATALOG, PUBLISHER)
    with pytest.raises(RuleViolation):
        check_consistent(replace(draft(), changelog=published().changelog), CATALOG, PUBLISHER)
    bad_first = (ChangeLogEntry(DAY, "First"),)
    with pytest.raises(RuleViolation, match="Initial Publication"):
        check_consistent(replace(published(), changelog=bad_first), CATALOG, PUBLISHER)


def test_a_replacement_needs_an_entry_for_its_change() -> None:
    original = published()
    silently_changed = replace(original, severity="High")
    with pytest.raises(RuleViolation, match="new change-log entry"):
        check_revision(original, silently_changed)
    with pytest.raises(InvalidTransition):
        check_revision(original, replace(original, status=Status.DRAFT))
    check_revision(original, original)


def test_a_located_error_keeps_its_kind_and_names_file_and_field() -> None:
    error = RuleViolation("cves", "a published bulletin needs at least one CVE")
    located = error.at("bulletins/CTX1.yaml:7")
    assert isinstance(located, RuleViolation)
    assert (
        str(located) == "bulletins/CTX1.yaml:7: cves: a published bulletin needs at least one CVE"
    )
    assert str(InvalidTransition("already published").at("x.yaml:1")) == (
        "x.yaml:1: status: already published"
    )
