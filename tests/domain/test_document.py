"""The reader's document: sentences composed from the bulletin's facts."""

from __future__ import annotations

from dataclasses import replace

from herald import demo
from herald.domain import ChannelRef, CveId, Fix, SectionKind, VersionRef, compose
from herald.domain.catalog import Catalog, Lifecycle, ProductVersion, UpdateChannel
from herald.domain.document import fixed_channels_phrase
from herald.domain.ids import ProductId
from tests.domain.builders import CVE_B, draft, published

XS = ProductId("xenserver")
CATALOG = demo.catalog()
PUBLISHER = demo.publisher()


def _section(bulletin_body: str | None = None, **changes: object) -> str:
    bulletin = draft(**changes)
    if bulletin_body is not None:
        bulletin = replace(bulletin, sections={SectionKind.CUSTOMER_ACTION: bulletin_body})
    document = compose(bulletin, CATALOG, PUBLISHER)
    return next(s.body for s in document.sections if s.kind is SectionKind.CUSTOMER_ACTION)


def test_the_reference_wording_comes_from_the_templates() -> None:
    document = compose(published(), CATALOG, PUBLISHER)
    headings = [section.heading for section in document.sections]
    assert headings == [
        "What Customers Should Do",
        "What Citrix is Doing",
        "Obtaining Support on This Issue",
        "Subscribe to Receive Alerts",
        "Reporting Security Vulnerabilities to Citrix",
    ]
    assert document.affected_statement == "This issue affects XenServer 8.4."
    assert document.identifier_intro == "This issue has the following identifier:"
    assert document.not_covered_notes[0].startswith("(Note that XenServer 9 is in Public Preview;")


def test_several_cves_use_the_plural() -> None:
    document = compose(published(cves=(CveId("CVE-2026-4397"), CVE_B)), CATALOG, PUBLISHER)
    assert document.identifier_intro == "These issues have the following identifiers:"
    assert document.affected_statement == "These issues affect XenServer 8.4."


def test_one_fixed_channel_is_named_alone() -> None:
    fixes = (
        Fix(ChannelRef(XS, "8.4", "Normal"), release="8.4.2026-03-24"),
        Fix(ChannelRef(XS, "8.4", "Early Access"), mitigation="Restart the host."),
    )
    assert fixed_channels_phrase(fixes, CATALOG) == "the Normal update channel of XenServer 8.4"
    assert _section(fixes=fixes).startswith(
        "We have pushed updates to the Normal update channel of XenServer 8.4."
    )


def test_without_any_fixed_release_customers_are_told_to_mitigate() -> None:
    fixes = (
        Fix(ChannelRef(XS, "8.4", "Normal"), mitigation="Disable the feature."),
        Fix(ChannelRef(XS, "8.4", "Early Access"), mitigation="Disable the feature."),
    )
    body = _section(fixes=fixes)
    assert "We have pushed updates" not in body
    assert "No update that fixes this issue is available yet for XenServer 8.4" in body


def test_a_bulletin_can_override_a_section_and_use_placeholders() -> None:
    assert _section("Update {affected_products} now.") == "Update XenServer 8.4 now."


def test_a_draft_without_affected_versions_says_so() -> None:
    document = compose(draft(affected=(), fixes=()), CATALOG, PUBLISHER)
    assert document.affected_statement == "The affected versions have not been determined yet."


def test_three_channels_and_two_versions_read_naturally() -> None:
    channels = tuple(
        UpdateChannel(name) for name in ("Early Access", "Normal", "Long Term Service")
    )
    catalog = Catalog(
        (
            replace(
                CATALOG.product(XS),
                versions=(
                    ProductVersion("8.2", Lifecycle.SUPPORTED, channels=channels),
                    ProductVersion("8.4", Lifecycle.SUPPORTED, channels=channels),
                ),
            ),
        )
    )
    fixes = (
        *tuple(Fix(ChannelRef(XS, "8.4", c.name), release="r") for c in channels),
        Fix(ChannelRef(XS, "8.2", "Normal"), release="r"),
    )
    assert fixed_channels_phrase(fixes, catalog) == (
        "the Early Access, Normal and Long Term Service update channels of XenServer 8.4 "
        "and the Normal update channel of XenServer 8.2"
    )
    assert VersionRef(XS, "8.2") < VersionRef(XS, "8.4")
