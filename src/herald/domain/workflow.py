"""The rules of a bulletin's life: what may be published, amended and withdrawn, and how.

Every function takes a bulletin and returns a new one; none of them changes its input.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime

from herald.domain.bulletin import (
    INITIAL_PUBLICATION,
    Bulletin,
    BulletinContent,
    ChangeLogEntry,
    Status,
)
from herald.domain.catalog import Catalog, Lifecycle, NotCovered, VersionRef
from herald.domain.errors import InvalidTransition, NotFound, RuleViolation, ValidationError
from herald.domain.ids import ArticleId
from herald.domain.product_status import products_of
from herald.domain.publisher import Publisher
from herald.domain.statements import BulletinKind
from herald.domain.text import check_text
from herald.domain.weaknesses import parse_cwe_id


def check_content(content: BulletinContent, catalog: Catalog, publisher: Publisher) -> None:
    """Rules every bulletin keeps, draft or not: known references, no repeats."""
    if not content.title.strip():
        raise ValidationError("title", "must not be empty")
    check_text(content.title, "title", one_line=True)
    check_text(content.problem, "problem")
    for kind, text in content.sections.items():
        check_text(text, f"sections.{kind}")
    for index, fix in enumerate(content.fixes):
        for name in ("mitigation", "workaround", "no_fix_reason"):
            text = getattr(fix, name)
            if text is not None:
                check_text(text, f"fixes[{index}].{name}")
    if content.severity is not None and content.severity not in publisher.severities:
        scale = ", ".join(publisher.severities)
        raise ValidationError("severity", f"{content.severity!r} is not one of {scale}")
    _no_repeats([str(cve) for cve in content.cves], "cves")
    _no_repeats([score.version.value for score in content.cvss], "cvss", "a second CVSS v")
    _check_weaknesses(content)
    _no_repeats([str(ref) for ref in content.affected], "affected")
    for index, ref in enumerate(content.affected):
        with _located(f"affected[{index}]"):
            catalog.version(ref)
    _no_repeats([str(fix.channel) for fix in content.fixes], "fixes")
    affected = set(content.affected)
    for index, fix in enumerate(content.fixes):
        where = f"fixes[{index}]"
        with _located(where):
            channel = catalog.channel(fix.channel)
            if fix.release is not None:
                channel.release(fix.release)
        if fix.channel.version_ref not in affected:
            raise ValidationError(where, f"{fix.channel.version_ref} is not an affected version")
    _check_statements(content, catalog)


def _check_statements(content: BulletinContent, catalog: Catalog) -> None:
    """Versions stated not affected or under investigation exist, are supported, and are
    stated once: never also affected."""
    affected = set(content.affected)
    _no_repeats([str(s.version) for s in content.not_affected], "not_affected")
    _no_repeats([str(ref) for ref in content.under_investigation], "under_investigation")
    not_affected = {statement.version for statement in content.not_affected}
    for index, statement in enumerate(content.not_affected):
        where = f"not_affected[{index}]"
        with _located(where):
            version = catalog.version(statement.version)
        if statement.version in affected:
            raise ValidationError(
                where,
                f"{statement.version} is listed as affected; a justification is for "
                "a version that is not",
            )
        if not version.lifecycle.covered:
            raise ValidationError(
                where,
                f"{statement.version} is {version.state_label}: bulletins do not cover "
                "it, so it cannot be stated not affected",
            )
    for index, ref in enumerate(content.under_investigation):
        where = f"under_investigation[{index}]"
        with _located(where):
            version = catalog.version(ref)
        if ref in affected or ref in not_affected:
            state = "affected" if ref in affected else "not affected"
            raise ValidationError(where, f"{ref} is already stated {state}")
        if not version.lifecycle.covered:
            raise ValidationError(
                where, f"{ref} is {version.state_label}: bulletins do not cover it"
            )


def check_publishable(content: BulletinContent, catalog: Catalog, publisher: Publisher) -> None:
    """The rules for a bulletin readers see: severity, a CVE, a supported version, a fix.

    Every channel of a supported affected version needs a fix or a mitigation, except a
    channel still hidden (the caller passes ``catalog.revealed``): requiring it would make
    it public with this bulletin. A fix may name it all the same.
    """
    check_content(content, catalog, publisher)
    vex = content.kind is BulletinKind.VEX
    if content.severity is None and not vex:
        raise RuleViolation("severity", "a published bulletin needs a severity")
    if not content.cves:
        raise RuleViolation("cves", "a published bulletin needs at least one CVE")
    if not content.problem.strip():
        raise RuleViolation("problem", "a published bulletin needs a description of the problem")
    supported = covered_versions(content, catalog)
    if vex and not (supported or content.not_affected or content.under_investigation):
        raise RuleViolation(
            "not_affected",
            "a published VEX statement needs a supported version stated affected, not "
            "affected or under investigation",
        )
    if not supported and not vex:
        raise RuleViolation(
            "affected", "a published bulletin needs at least one affected supported version"
        )
    remedied = {fix.channel for fix in content.fixes}
    for ref in supported:
        for channel in catalog.channels_of(ref):
            if channel not in remedied and not catalog.channel(channel).hidden:
                raise RuleViolation(
                    "fixes", f"no fix or mitigation for channel {channel.channel!r} of {ref}"
                )


def covered_versions(content: BulletinContent, catalog: Catalog) -> list[VersionRef]:
    """The affected versions that bulletins cover (supported ones)."""
    return [ref for ref in content.affected if catalog.version(ref).lifecycle.covered]


def not_covered(content: BulletinContent, catalog: Catalog) -> tuple[NotCovered, ...]:
    """What the bulletin says it does not cover.

    Every preview version of an affected product, and every affected version that is
    past its end of life, in catalog order. A preview version still hidden (no public
    bulletin names it; the caller passes ``catalog.revealed``) is left out unless the
    bulletin affects it: the note would make it public.
    """
    named = set(content.affected)
    products = products_of(content)
    notes: list[NotCovered] = []
    for product_id in products:
        product = catalog.product(product_id)
        for version in product.versions:
            ref = VersionRef(product.id, version.name)
            is_preview = version.lifecycle is Lifecycle.PREVIEW and (
                not version.hidden or ref in named
            )
            is_named_eol = version.lifecycle is Lifecycle.END_OF_LIFE and ref in named
            if is_preview or is_named_eol:
                notes.append(NotCovered(ref, version.lifecycle, version.state_label))
    return tuple(notes)


def new_draft(
    article_id: ArticleId,
    content: BulletinContent,
    catalog: Catalog,
    publisher: Publisher,
    at: datetime,
) -> Bulletin:
    """A new draft bulletin."""
    check_content(content, catalog, publisher)
    draft = Bulletin(article_id=article_id, title=content.title, created_at=at, updated_at=at)
    return draft.with_content(content, at)


def edit_draft(
    bulletin: Bulletin,
    content: BulletinContent,
    catalog: Catalog,
    publisher: Publisher,
    at: datetime,
) -> Bulletin:
    """An unpublished bulletin with new content.

    Editing a bulletin in review or approved sends it back to draft: the approval was
    for the old text. A scheduled bulletin is unscheduled first; a published one
    changes only through ``amend``.
    """
    if bulletin.status is Status.SCHEDULED:
        raise InvalidTransition(f"{bulletin.article_id} is scheduled; unschedule it to edit it")
    if bulletin.status.public:
        raise InvalidTransition(
            f"{bulletin.article_id} is {bulletin.status}; amend it with a change-log entry instead"
        )
    check_content(content, catalog, publisher)
    edited = bulletin.with_content(content, at)
    return replace(edited, status=Status.DRAFT, approved_by=None, submitted_by=None)


def publish(
    bulletin: Bulletin,
    catalog: Catalog,
    publisher: Publisher,
    on: date,
    at: datetime,
    *,
    require_approval: bool = False,
) -> Bulletin:
    """The first publication: adds "Initial Publication" dated ``on``.

    Bulletins are published once approved (``require_approval``); the emergency path
    (``domain.review_policy``) publishes one still in draft or in review.
    """
    unreviewed = (Status.DRAFT, Status.IN_REVIEW, Status.APPROVED)
    allowed = (Status.APPROVED,) if require_approval else unreviewed
    if bulletin.status not in allowed:
        if bulletin.status.public:
            raise InvalidTransition(f"{bulletin.article_id} is already {bulletin.status}")
        raise InvalidTransition(
            f"{bulletin.article_id} is {bulletin.status.label}; it must be approved first"
        )
    content = bulletin.content()
    check_publishable(content, catalog, publisher)
    return replace(
        bulletin,
        status=Status.PUBLISHED,
        changelog=(ChangeLogEntry(on, INITIAL_PUBLICATION),),
        not_covered=not_covered(content, catalog),
        published_at=at,
        updated_at=at,
        release_at=None,
    )


def amend(
    bulletin: Bulletin,
    content: BulletinContent,
    entry: ChangeLogEntry,
    catalog: Catalog,
    publisher: Publisher,
    at: datetime,
) -> Bulletin:
    """A published bulletin changed, with the change-log entry that says how."""
    if bulletin.status is not Status.PUBLISHED:
        raise InvalidTransition(
            f"{bulletin.article_id} is {bulletin.status}; only a published bulletin is amended"
        )
    if not content.changed_fields(bulletin.content()):
        raise RuleViolation("content", "the amendment changes nothing")
    _check_entry_date(bulletin, entry)
    check_publishable(content, catalog, publisher)
    amended = bulletin.with_content(content, at)
    return replace(
        amended,
        changelog=(*bulletin.changelog, entry),
        not_covered=not_covered(content, catalog),
    )


def withdraw(bulletin: Bulletin, entry: ChangeLogEntry, at: datetime) -> Bulletin:
    """A published bulletin withdrawn; it stays readable, marked as withdrawn."""
    if bulletin.status is not Status.PUBLISHED:
        raise InvalidTransition(
            f"{bulletin.article_id} is {bulletin.status}; only a published bulletin is withdrawn"
        )
    _check_entry_date(bulletin, entry)
    return replace(
        bulletin,
        status=Status.WITHDRAWN,
        changelog=(*bulletin.changelog, entry),
        withdrawn_at=at,
        updated_at=at,
    )


def check_delete(bulletin: Bulletin) -> None:
    """Only unpublished bulletins are deleted; one readers have seen is withdrawn instead."""
    if bulletin.status.public:
        raise InvalidTransition(
            f"{bulletin.article_id} is {bulletin.status}; a published bulletin is never "
            "deleted, only withdrawn"
        )


def check_consistent(bulletin: Bulletin, catalog: Catalog, publisher: Publisher) -> None:
    """A stored bulletin (e.g. read from a file) is one the workflow could have produced."""
    if not bulletin.status.public:
        _check_unpublished(bulletin, catalog, publisher)
        return
    check_publishable(bulletin.content(), catalog, publisher)
    if not bulletin.changelog:
        raise RuleViolation("changelog", f"a {bulletin.status} bulletin needs its change log")
    for index, entry in enumerate(bulletin.changelog):
        check_text(entry.summary, f"changelog[{index}].summary", one_line=True)
    if bulletin.changelog[0].summary != INITIAL_PUBLICATION:
        raise RuleViolation(
            "changelog[0]", f"the first entry of a change log is {INITIAL_PUBLICATION!r}"
        )
    for index, (before, after) in enumerate(itertools.pairwise(bulletin.changelog)):
        if after.on < before.on:
            raise RuleViolation(
                f"changelog[{index + 1}]", "entries must be in date order, oldest first"
            )
    if bulletin.published_at is None:
        raise RuleViolation("published_at", f"a {bulletin.status} bulletin needs it")
    if bulletin.status is Status.WITHDRAWN and bulletin.withdrawn_at is None:
        raise RuleViolation("withdrawn_at", "a withdrawn bulletin needs it")


def _check_unpublished(bulletin: Bulletin, catalog: Catalog, publisher: Publisher) -> None:
    status = bulletin.status
    if status is Status.DRAFT:
        check_content(bulletin.content(), catalog, publisher)
    else:
        check_publishable(bulletin.content(), catalog, publisher)
    if bulletin.changelog:
        raise RuleViolation("changelog", f"a {status.label} bulletin has no change log yet")
    if status in (Status.APPROVED, Status.SCHEDULED) and bulletin.approved_by is None:
        raise RuleViolation("approved_by", f"a {status.label} bulletin names its reviewer")
    if status is Status.SCHEDULED and bulletin.release_at is None:
        raise RuleViolation("release_at", "a scheduled bulletin needs its release instant")
    if status is not Status.SCHEDULED and bulletin.release_at is not None:
        raise RuleViolation("release_at", "only a scheduled bulletin has a release instant")


def check_revision(old: Bulletin, new: Bulletin) -> None:
    """``new`` may replace ``old``: the log only grows and every change has its entry."""
    if not old.status.public:
        return
    if not new.status.public:
        raise InvalidTransition(
            f"{old.article_id} is {old.status}; it cannot become {new.status.label}"
        )
    if old.status is Status.WITHDRAWN and new.status is not Status.WITHDRAWN:
        raise InvalidTransition(f"{old.article_id} is withdrawn; it cannot be published again")
    check_changelog_extends(old.changelog, new.changelog)
    changed = new.content().changed_fields(old.content()) or new.status != old.status
    if changed and len(new.changelog) == len(old.changelog):
        raise RuleViolation(
            "changelog", f"{old.article_id} is {old.status}; a change needs a new change-log entry"
        )


def check_changelog_extends(
    old: tuple[ChangeLogEntry, ...], new: tuple[ChangeLogEntry, ...]
) -> None:
    """Raise unless ``new`` keeps every entry of ``old``, unchanged and in place."""
    for index, entry in enumerate(old):
        if index >= len(new):
            raise RuleViolation(f"changelog[{index}]", "entries are never removed")
        if new[index] != entry:
            raise RuleViolation(f"changelog[{index}]", "entries are never edited")


def _check_entry_date(bulletin: Bulletin, entry: ChangeLogEntry) -> None:
    if bulletin.changelog and entry.on < bulletin.changelog[-1].on:
        last = bulletin.changelog[-1].on.isoformat()
        raise RuleViolation("changelog", f"a new entry cannot be dated before the last ({last})")


def _check_weaknesses(content: BulletinContent) -> None:
    """Each CVE with weaknesses is one of the bulletin's, and names known CWE ids once."""
    for cve, cwes in content.weaknesses.items():
        where = f"weaknesses.{cve}"
        if cve not in content.cves:
            raise ValidationError(where, f"{cve} is not one of the bulletin's CVEs")
        if not cwes:
            raise ValidationError(where, "names no CWE id; leave the CVE out instead")
        for index, cwe in enumerate(cwes):
            canonical = parse_cwe_id(str(cwe), f"{where}[{index}]")
            if canonical != cwe:
                raise ValidationError(f"{where}[{index}]", f"write {cwe!r} as {canonical}")
        _no_repeats([str(cwe) for cwe in cwes], where)


def _no_repeats(values: list[str], field: str, what: str = "") -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            shown = f"{what}{value}" if what else repr(value)
            raise ValidationError(field, f"{shown} appears twice")
        seen.add(value)


@contextmanager
def _located(field: str) -> Iterator[None]:
    """Report a catalog lookup that fails as a problem with ``field``."""
    try:
        yield
    except NotFound as error:
        raise ValidationError(field, error.message) from error


__all__ = [
    "amend",
    "check_changelog_extends",
    "check_consistent",
    "check_content",
    "check_delete",
    "check_publishable",
    "check_revision",
    "covered_versions",
    "edit_draft",
    "new_draft",
    "not_covered",
    "publish",
    "withdraw",
]
