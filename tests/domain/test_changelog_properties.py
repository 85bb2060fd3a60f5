"""Property tests: whatever happens to a bulletin, its change log only grows."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import date, timedelta

from hypothesis import given
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from herald import demo
from herald.domain import Bulletin, ChangeLogEntry, CveId, HeraldError, RuleViolation, Status
from herald.domain.workflow import amend, check_changelog_extends, publish, withdraw
from tests.domain.builders import DAY, NOON, draft

CATALOG = demo.catalog()
PUBLISHER = demo.publisher()

summaries = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40
).filter(str.strip)
entries = st.builds(
    ChangeLogEntry,
    on=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    summary=summaries,
)
logs = st.lists(entries, max_size=8).map(tuple)


@given(logs, st.lists(entries, max_size=4))
def test_appending_always_extends(
    old: tuple[ChangeLogEntry, ...], more: list[ChangeLogEntry]
) -> None:
    check_changelog_extends(old, (*old, *more))


@given(logs.filter(bool), st.data())
def test_editing_or_removing_any_entry_is_refused(
    old: tuple[ChangeLogEntry, ...], data: st.DataObject
) -> None:
    index = data.draw(st.integers(0, len(old) - 1))
    new_summary = data.draw(summaries.filter(lambda s: s != old[index].summary))
    edited = (*old[:index], replace(old[index], summary=new_summary), *old[index + 1 :])
    removed = (*old[:index], *old[index + 1 :])
    for tampered in (edited, removed, old[:index]):
        try:
            check_changelog_extends(old, tampered)
        except RuleViolation as error:
            assert error.field == f"changelog[{index}]" or error.field.startswith("changelog[")
        else:
            raise AssertionError(f"{tampered!r} was accepted as an extension of {old!r}")


class BulletinLife(RuleBasedStateMachine):
    """Random amendments, withdrawals and refused steps on one bulletin."""

    def __init__(self) -> None:
        super().__init__()
        self.bulletin: Bulletin = publish(draft(), CATALOG, PUBLISHER, DAY, NOON)
        self.history: list[tuple[ChangeLogEntry, ...]] = [self.bulletin.changelog]
        self.next_cve = 5000

    def _record(self, bulletin: Bulletin) -> None:
        self.bulletin = bulletin
        self.history.append(bulletin.changelog)

    @rule(days=st.integers(0, 30), summary=summaries)
    def add_cve(self, days: int, summary: str) -> None:
        self.next_cve += 1
        content = replace(
            self.bulletin.content(), cves=(*self.bulletin.cves, CveId(f"CVE-2026-{self.next_cve}"))
        )
        entry = ChangeLogEntry(self.bulletin.updated_on + timedelta(days=days), summary)
        self._try(lambda: amend(self.bulletin, content, entry, CATALOG, PUBLISHER, NOON))

    @rule(
        severity=st.sampled_from(PUBLISHER.severities), days=st.integers(-5, 5), summary=summaries
    )
    def change_severity(self, severity: str, days: int, summary: str) -> None:
        content = replace(self.bulletin.content(), severity=severity)
        entry = ChangeLogEntry(self.bulletin.updated_on + timedelta(days=days), summary)
        self._try(lambda: amend(self.bulletin, content, entry, CATALOG, PUBLISHER, NOON))

    @precondition(lambda self: self.bulletin.status is Status.PUBLISHED)
    @rule(summary=summaries)
    def withdraw_it(self, summary: str) -> None:
        entry = ChangeLogEntry(self.bulletin.updated_on, summary)
        self._try(lambda: withdraw(self.bulletin, entry, NOON))

    def _try(self, step: object) -> None:
        before = self.bulletin
        try:
            after = step()  # type: ignore[operator]
        except HeraldError:
            assert self.bulletin is before
            return
        self._record(after)

    @invariant()
    def log_only_grows(self) -> None:
        for earlier, later in zip(self.history, self.history[1:], strict=False):
            check_changelog_extends(earlier, later)
            assert len(later) == len(earlier) + 1

    @invariant()
    def revision_counts_entries_and_dates_never_go_back(self) -> None:
        log = self.bulletin.changelog
        assert self.bulletin.revision == len(log)
        assert log[0].summary == "Initial Publication"
        assert all(a.on <= b.on for a, b in itertools.pairwise(log))
        assert self.bulletin.updated_on == log[-1].on


TestBulletinLife = BulletinLife.TestCase
