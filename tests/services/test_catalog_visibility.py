"""Catalog entries hidden until a public bulletin names them (security finding 13.3), on
both backends: staff read and change them, audited; the public catalog leaves them out
until the bulletin is out; the rules of a bulletin do not make them public by accident;
an alert filter cannot tell a hidden entry from a missing one."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from herald import demo
from herald.bootstrap import Herald
from herald.domain import (
    BulletinContent,
    ChannelRef,
    Fix,
    RuleViolation,
    ValidationError,
    VersionRef,
)
from herald.domain.alerts import AlertFilter
from herald.domain.catalog import Catalog
from herald.services.actors import OPERATOR, Actor
from tests.demo_services import demo_services, settings_for

XS = demo.XENSERVER
START = datetime(2026, 11, 2, 10, 0, tzinfo=UTC)


@dataclass
class Clock:
    current: datetime = field(default=START)

    def now(self) -> datetime:
        return self.current


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def herald(database_url: str, tmp_path: Path, clock: Clock) -> Iterator[Herald]:
    with demo_services(settings_for(database_url, tmp_path / "var"), clock) as services:
        yield services


def _names(catalog: Catalog) -> set[str]:
    found: set[str] = set()
    for product in catalog.products:
        found.add(product.id)
        for version in product.versions:
            found.add(f"{product.id}/{version.name}")
            for channel in version.channels:
                found.add(f"{product.id}/{version.name}/{channel.name}")
                found.update(
                    f"{product.id}/{version.name}/{channel.name}/{r.name}" for r in channel.releases
                )
    return found


def _add_hidden_entries(herald: Herald) -> None:
    catalog = herald.catalog
    catalog.add_release("xenserver", "8.4", "Normal", "8.4.fix", "2026-11-02", hidden=True)
    catalog.add_version("xenserver", "10", "supported", hidden=True)
    catalog.add_channel("xenserver", "10", "Normal")
    catalog.add_release("xenserver", "10", "Normal", "10.0", "2026-11-02")
    catalog.add_channel("xenserver", "8.4", "Hotfix", hidden=True)
    catalog.add_product("secret", "Secret Appliance", hidden=True)
    catalog.add_version("secret", "1", "supported")


HIDDEN = {
    "xenserver/8.4/Normal/8.4.fix",
    "xenserver/10",
    "xenserver/10/Normal",
    "xenserver/10/Normal/10.0",
    "xenserver/8.4/Hotfix",
    "secret",
    "secret/1",
}


def _secret_content() -> BulletinContent:
    return replace(
        demo.reference_content(),
        title="The embargoed one",
        affected=(VersionRef(XS, "8.4"), VersionRef(XS, "10")),
        fixes=(
            Fix(ChannelRef(XS, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(XS, "8.4", "Normal"), release="8.4.fix"),
            Fix(ChannelRef(XS, "10", "Normal"), release="10.0"),
        ),
    )


def test_staff_see_hidden_entries_the_public_does_not_until_a_bulletin_names_them(
    herald: Herald, clock: Clock
) -> None:
    before = _names(herald.publication.catalog())
    _add_hidden_entries(herald)
    assert _names(herald.catalog.catalog()) == before | HIDDEN
    assert _names(herald.reading.catalog()) == before | HIDDEN
    assert _names(herald.publication.catalog()) == before
    assert herald.catalog.catalog().product("secret").hidden

    draft = herald.authoring.create_draft(_secret_content())
    herald.authoring.submit(draft.article_id)
    herald.authoring.approve(draft.article_id, Actor("another-operator"))
    herald.authoring.schedule(draft.article_id, START + timedelta(hours=1))
    assert _names(herald.publication.catalog()) == before

    clock.current = START + timedelta(hours=1)
    herald.publication.generation()  # the keeper releases it
    shown = _names(herald.publication.catalog())
    assert shown == before | {
        "xenserver/8.4/Normal/8.4.fix",
        "xenserver/10",
        "xenserver/10/Normal",
        "xenserver/10/Normal/10.0",
    }
    public = herald.publication.catalog()
    assert not public.has_hidden
    document = herald.publication.bulletin(draft.article_id).document
    assert "XenServer 8.4 and 10" in document.affected_statement


def test_visibility_changes_are_audited_and_keep_the_entry(herald: Herald) -> None:
    _add_hidden_entries(herald)
    herald.catalog.set_hidden("xenserver", False, "8.4", "Hotfix")
    herald.catalog.set_hidden("xenserver", True, "8.4", "Early Access", "8.4.2026-03-19")
    herald.catalog.change_release("xenserver", "8.4", "Normal", "8.4.fix", date(2026, 11, 3))
    stored = herald.catalog.catalog().version(VersionRef(XS, "8.4"))
    assert not stored.channel("Hotfix").hidden
    assert stored.channel("Normal").release("8.4.fix").hidden
    assert stored.channel("Normal").release("8.4.fix").released_on == date(2026, 11, 3)
    public = herald.publication.catalog().version(VersionRef(XS, "8.4"))
    assert [c.name for c in public.channels] == ["Early Access", "Normal", "Hotfix"]
    # CTX696397 (published) names 8.4.2026-03-19: hiding it changes nothing public
    assert public.channel("Early Access").releases[0].name == "8.4.2026-03-19"
    page = herald.audit.page(OPERATOR, size=20)
    entries = [e for e in page.entries if e.action.startswith("catalog.")]
    actions = [e.action for e in entries]
    assert actions.count("catalog.visibility.change") == 2
    change = next(e for e in entries if e.action == "catalog.visibility.change")
    assert change.after is not None and "hidden: true" in change.after


def test_an_unrelated_bulletin_does_not_make_a_hidden_entry_public(herald: Herald) -> None:
    """Publishing needs no fix for a hidden channel, and does not note a hidden preview
    version as not covered: either would name it."""
    herald.catalog.add_channel("xenserver", "8.4", "Hotfix", hidden=True)
    herald.catalog.add_version("xenserver", "11", "preview", "Tech Preview", hidden=True)
    body = replace(demo.reference_content(), title="Unrelated")
    draft = herald.authoring.create_draft(body)
    published = herald.authoring.publish(draft.article_id)
    assert [n.version.version for n in published.not_covered] == ["9"]
    assert {f.channel.channel for f in published.fixes} == {"Early Access", "Normal"}
    public = herald.publication.catalog()
    assert "xenserver/8.4/Hotfix" not in _names(public)
    assert "xenserver/11" not in _names(public)

    # once a public bulletin names the channel, the next ones must remedy it again
    hotfix = Fix(ChannelRef(XS, "8.4", "Hotfix"), mitigation="Turn it off.")
    naming = replace(body, title="Naming", fixes=(*body.fixes, hotfix))
    herald.authoring.publish(herald.authoring.create_draft(naming).article_id)
    assert "xenserver/8.4/Hotfix" in _names(herald.publication.catalog())
    later = herald.authoring.create_draft(replace(body, title="Later"))
    with pytest.raises(RuleViolation, match="Hotfix"):
        herald.authoring.publish(later.article_id)


def test_an_alert_filter_cannot_name_a_hidden_entry(herald: Herald) -> None:
    _add_hidden_entries(herald)
    answers = {}
    for products, versions in [
        (("secret",), ()),
        (("nothing",), ()),
        ((), ("xenserver:10",)),
        ((), ("xenserver:nothing",)),
    ]:
        with pytest.raises(ValidationError) as raised:
            herald.subscriptions.subscribe(
                "reader@example.com", AlertFilter(products=products, versions=versions)
            )
        answers[products or versions] = str(raised.value)
    assert answers[("secret",)] == answers[("nothing",)].replace("nothing", "secret")
    assert answers[("xenserver:10",)] == answers[("xenserver:nothing",)].replace("nothing", "10")
    herald.subscriptions.subscribe("reader@example.com", AlertFilter(products=("xenserver",)))
