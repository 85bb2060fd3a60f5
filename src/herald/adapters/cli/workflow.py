"""Workflow commands on bulletins, each taken by a named account (``--as``).

``submit``, ``approve``, ``request-changes``, ``publish``, ``schedule``, ``unschedule``,
``amend``, ``withdraw``, and for changes to published bulletins ``approve-change``,
``discard-change`` and ``review-emergency``. They obey the rules of the web: nobody
approves their own draft, publishing needs an approval, and a change to a published
bulletin follows the review policy (``herald policy``). ``--emergency REASON`` is an
admin's way past the second person; the step waits for a review after the fact.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated

import typer

from herald.adapters.cli.acting import AsOption, acting
from herald.adapters.cli.context import herald_app
from herald.adapters.cli.output import say
from herald.adapters.source import load_paths
from herald.domain.bulletin import Bulletin, BulletinContent
from herald.domain.errors import ValidationError
from herald.domain.ids import cve_sort_key, parse_cve_id
from herald.domain.scoring import parse_cvss
from herald.services.recording import ChangeOutcome

DateOption = Annotated[
    datetime | None,
    typer.Option(
        "--date", formats=["%Y-%m-%d"], help="Day of the change-log entry (default: today, UTC)."
    ),
]
EmergencyOption = Annotated[
    str | None,
    typer.Option(
        "--emergency",
        metavar="REASON",
        help="Admins: go ahead without a second person, saying why (e.g. a zero-day "
        "already public); reviewed after the fact.",
    ),
]
ArticleArgument = Annotated[str, typer.Argument(help="The bulletin's article id.")]


def register(bulletin_app: typer.Typer) -> None:
    for name, command in (
        ("submit", submit),
        ("approve", approve),
        ("request-changes", request_changes),
        ("publish", publish),
        ("schedule", schedule),
        ("unschedule", unschedule),
        ("amend", amend),
        ("withdraw", withdraw),
        ("approve-change", approve_change),
        ("discard-change", discard_change),
        ("review-emergency", review_emergency),
    ):
        bulletin_app.command(name)(command)


def submit(article_id: ArticleArgument, as_user: AsOption = None) -> None:
    """Submit a draft for review."""
    with herald_app() as herald:
        done = herald.authoring.submit(article_id, acting(herald.accounts, as_user))
    say(f"{done.article_id} submitted for review")


def approve(article_id: ArticleArgument, as_user: AsOption = None) -> None:
    """Approve a bulletin in review (not one you wrote or submitted)."""
    with herald_app() as herald:
        done = herald.authoring.approve(article_id, acting(herald.accounts, as_user))
    say(f"{done.article_id} approved by {done.approved_by}")


def request_changes(article_id: ArticleArgument, as_user: AsOption = None) -> None:
    """Send a bulletin in review back to draft."""
    with herald_app() as herald:
        done = herald.authoring.request_changes(article_id, acting(herald.accounts, as_user))
    say(f"{done.article_id} sent back to draft")


def publish(
    article_id: ArticleArgument,
    when: DateOption = None,
    as_user: AsOption = None,
    emergency: EmergencyOption = None,
) -> None:
    """Publish an approved bulletin now; its change log starts with "Initial Publication"."""
    with herald_app() as herald:
        actor = acting(herald.accounts, as_user)
        published = herald.authoring.publish(article_id, _day(when), actor, emergency=emergency)
    note = " on the emergency path; it waits for a review after the fact" if emergency else ""
    say(f"{published.article_id} published (revision {published.revision}){note}")


def schedule(
    article_id: ArticleArgument,
    at: Annotated[
        str,
        typer.Option(
            "--at", help="The release instant (ISO 8601 with a zone), e.g. 2026-11-02T11:00Z."
        ),
    ],
    as_user: AsOption = None,
) -> None:
    """Hold an approved bulletin under embargo; it publishes itself at that instant."""
    release_at = _instant(at, "--at")
    with herald_app() as herald:
        scheduled = herald.authoring.schedule(
            article_id, release_at, acting(herald.accounts, as_user)
        )
    assert scheduled.release_at is not None
    say(f"{scheduled.article_id} scheduled for {scheduled.release_at.isoformat()}")


def unschedule(article_id: ArticleArgument, as_user: AsOption = None) -> None:
    """Lift a bulletin's schedule; it stays approved."""
    with herald_app() as herald:
        done = herald.authoring.unschedule(article_id, acting(herald.accounts, as_user))
    say(f"{done.article_id} unscheduled (approved, not published)")


def amend(
    article_id: ArticleArgument,
    summary: Annotated[str, typer.Option(help="The change-log entry, e.g. 'Added CVE-…'.")],
    when: DateOption = None,
    from_file: Annotated[
        Path | None,
        typer.Option("--from", help="A bulletin YAML file whose content replaces the current."),
    ] = None,
    title: Annotated[str | None, typer.Option(help="New title.")] = None,
    severity: Annotated[str | None, typer.Option(help="New severity.")] = None,
    problem: Annotated[str | None, typer.Option(help="New description of the problem.")] = None,
    add_cve: Annotated[list[str] | None, typer.Option(help="Add a CVE id (repeatable).")] = None,
    remove_cve: Annotated[
        list[str] | None, typer.Option(help="Remove a CVE id (repeatable).")
    ] = None,
    cvss: Annotated[
        list[str] | None, typer.Option(help="Set a CVSS v3.1/v4.0 vector (repeatable).")
    ] = None,
    as_user: AsOption = None,
    emergency: EmergencyOption = None,
) -> None:
    """Change a published bulletin: a change-log entry and a new revision, or, when the
    review policy wants a second person, a proposal waiting for one."""
    with herald_app() as herald:
        actor = acting(herald.accounts, as_user)
        current = herald.reading.bulletin(article_id)
        content = _content_from_file(from_file, article_id) if from_file else current.content()
        content = _apply_options(content, title, severity, problem, add_cve, remove_cve, cvss)
        outcome = herald.authoring.amend(
            article_id, content, summary, _day(when), actor, emergency=emergency
        )
    say(describe_outcome(outcome, "amended"))


def withdraw(
    article_id: ArticleArgument,
    summary: Annotated[
        str, typer.Option(help="Why it is withdrawn; becomes the change-log entry.")
    ],
    when: DateOption = None,
    as_user: AsOption = None,
    emergency: EmergencyOption = None,
) -> None:
    """Withdraw a published bulletin; it stays readable, marked as withdrawn."""
    with herald_app() as herald:
        actor = acting(herald.accounts, as_user)
        outcome = herald.authoring.withdraw(
            article_id, summary, _day(when), actor, emergency=emergency
        )
    say(describe_outcome(outcome, "withdrawn"))


def approve_change(article_id: ArticleArgument, as_user: AsOption = None) -> None:
    """Approve the change proposed to a published bulletin (not your own): it goes live."""
    with herald_app() as herald:
        done = herald.authoring.approve_change(article_id, acting(herald.accounts, as_user))
    say(f"{done.article_id} changed (revision {done.revision})")


def discard_change(article_id: ArticleArgument, as_user: AsOption = None) -> None:
    """Discard the change proposed to a published bulletin; it stays as it is."""
    with herald_app() as herald:
        proposal = herald.authoring.discard_change(article_id, acting(herald.accounts, as_user))
    say(f"{article_id}: discarded the {proposal.describe()}")


def review_emergency(article_id: ArticleArgument, as_user: AsOption = None) -> None:
    """Review after the fact the emergency steps taken on a bulletin (not your own)."""
    with herald_app() as herald:
        steps = herald.authoring.review_emergency(article_id, acting(herald.accounts, as_user))
    for step in steps:
        say(f"{article_id}: reviewed the emergency {step.kind.value} by {step.taken_by}")


def describe_outcome(outcome: ChangeOutcome, verb: str) -> str:
    """One line on what became of an amendment or a withdrawal."""
    bulletin = outcome.bulletin
    if outcome.proposal is not None:
        return (
            f"{bulletin.article_id}: proposed, waiting for a second person "
            f"(herald bulletin approve-change {bulletin.article_id} --as SOMEONE_ELSE)"
        )
    done = f"{bulletin.article_id} {verb} (revision {bulletin.revision})"
    if outcome.emergency is not None:
        return f"{done} on the emergency path; it waits for a review after the fact"
    return done


def _day(value: datetime | None) -> date | None:
    return value.date() if value is not None else None


def _instant(text: str, field: str) -> datetime:
    """An ISO 8601 instant with its zone, in UTC."""
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not an ISO 8601 date and time") from None
    if moment.tzinfo is None:
        raise ValidationError(field, f"{text!r} has no time zone; add Z for UTC")
    return moment.astimezone(UTC)


def _content_from_file(path: Path, article_id: str) -> BulletinContent:
    bundle = load_paths([path])
    matching: list[Bulletin] = [b for b in bundle.items.bulletins if b.article_id == article_id]
    if len(matching) != 1:
        raise ValidationError("article_id", f"{path} holds no bulletin {article_id}")
    return matching[0].content()


def _apply_options(
    content: BulletinContent,
    title: str | None,
    severity: str | None,
    problem: str | None,
    add_cve: list[str] | None,
    remove_cve: list[str] | None,
    cvss: list[str] | None,
) -> BulletinContent:
    cves = list(content.cves)
    for text in remove_cve or []:
        cve = parse_cve_id(text, "--remove-cve")
        if cve not in cves:
            raise ValidationError("--remove-cve", f"{cve} is not in the bulletin")
        cves.remove(cve)
    for text in add_cve or []:
        cve = parse_cve_id(text, "--add-cve")
        if cve in cves:
            raise ValidationError("--add-cve", f"{cve} is already in the bulletin")
        cves.append(cve)
    scores = {score.version: score for score in content.cvss}
    for vector in cvss or []:
        score = parse_cvss(vector, "--cvss")
        scores[score.version] = score
    return replace(
        content,
        title=title if title is not None else content.title,
        severity=severity if severity is not None else content.severity,
        problem=problem if problem is not None else content.problem,
        cves=tuple(sorted(cves, key=cve_sort_key)) if add_cve else tuple(cves),
        cvss=tuple(scores[v] for v in sorted(scores)),
        weaknesses={cve: cwes for cve, cwes in content.weaknesses.items() if cve in cves},
    )
