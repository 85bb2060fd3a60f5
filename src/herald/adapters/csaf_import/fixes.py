"""Fixes and remedies: fixed releases on channels, and the remediation texts left over.

A ``fixed``/``first_fixed``/``recommended`` release on a channel of an affected
version is that channel's fix; any other remediation becomes the mitigation text of
the channels still without a fix or, for a version without channels, the text of
"What Customers Should Do".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any

from herald.adapters.csaf_import.products import Leaf, product_named
from herald.adapters.csaf_import.state import Plan, day
from herald.domain.bulletin import Fix
from herald.domain.catalog import ChannelRef, Release, UpdateChannel, VersionRef
from herald.domain.identity import NO_IDENTITY, ProductIdentity
from herald.domain.publisher import SectionKind


def fixes(
    affected: list[VersionRef],
    fixed_ids: list[str],
    by_id: Mapping[str, Leaf],
    remediations: list[Mapping[str, Any]],
    tracking: Mapping[str, Any],
    plan: Plan,
) -> list[Fix]:
    """One fix per channel of an affected version: a release, or a mitigation text."""
    found: dict[ChannelRef, Fix] = {}
    for product_id in dict.fromkeys(fixed_ids):
        leaf = by_id.get(product_id)
        if leaf is None or leaf.product is None or leaf.version is None:
            plan.note(f"{product_id}: a fixed product without name and version; dropped")
            continue
        ref = VersionRef(product_named(plan, leaf.product).id, leaf.version)
        if ref not in affected or leaf.channel is None or leaf.release is None:
            plan.note(
                f"{product_id}: fixed, but not a release on a channel of an affected version; "
                "not imported as a fix"
            )
            continue
        channel = ChannelRef(ref.product, ref.version, leaf.channel)
        if channel in found:
            plan.note(f"{product_id}: a second fixed release on {channel}; the first is kept")
            continue
        released = _release_day(leaf.release, remediations, tracking)
        _ensure_release(plan, channel, leaf.release, released, leaf.identity)
        found[channel] = Fix(channel, release=leaf.release)
    texts = remedy_texts(remediations, fixed_ids, list(found.values()), plan)
    for ref in affected:
        for channel in plan.catalog.channels_of(ref):
            if channel not in found and texts:
                found[channel] = Fix(channel, mitigation="\n\n".join(texts))
    return list(found.values())


def _ensure_release(
    plan: Plan,
    channel: ChannelRef,
    name: str,
    released_on: date,
    identity: ProductIdentity = NO_IDENTITY,
) -> None:
    product = plan.catalog.product(channel.product)
    versions = []
    for version in product.versions:
        if version.name == channel.version:
            channels = list(version.channels)
            existing = next((c for c in channels if c.name == channel.channel), None)
            if existing is None:
                release = Release(name, released_on, hidden=True, identity=identity)
                channels.append(UpdateChannel(channel.channel, (release,), hidden=True))
                plan.note(f"new channel {channel} (hidden until the bulletin is published)")
            elif not any(r.name == name for r in existing.releases):
                release = Release(name, released_on, hidden=True, identity=identity)
                updated = replace(existing, releases=(*existing.releases, release))
                channels = [updated if c.name == existing.name else c for c in channels]
            else:
                versions.append(version)
                continue
            plan.note(
                f"new release {name} on {channel} ({released_on.isoformat()}; hidden until "
                "the bulletin is published)"
            )
            version = replace(version, channels=tuple(channels))
        versions.append(version)
    updated_product = replace(product, versions=tuple(versions))
    if updated_product != product:
        plan.store(updated_product)


def _release_day(
    release: str, remediations: list[Mapping[str, Any]], tracking: Mapping[str, Any]
) -> date:
    """The day of the vendor fix naming ``release``, else the document's first release."""
    for remediation in remediations:
        if remediation.get("category") == "vendor_fix" and release in str(
            remediation.get("details", "")
        ):
            found = day(remediation.get("date"))
            if found is not None:
                return found
    return day(tracking.get("initial_release_date")) or date(1970, 1, 1)


def remedy_texts(
    remediations: list[Mapping[str, Any]], fixed_ids: list[str], fixes: list[Fix], plan: Plan
) -> list[str]:
    """Remediation details that no mapped fix already says (they become mitigation text).

    A vendor fix is already said when it names a fixed release product, or a release
    that became a fix.
    """
    releases = [fix.release for fix in fixes if fix.release]
    texts = []
    for remediation in remediations:
        category = remediation.get("category")
        details = str(remediation.get("details", "")).strip()
        if category in ("none_available", "no_fix_planned"):
            plan.note(f"remediation {category}: herald has no such remedy; not imported")
            continue
        if category == "vendor_fix":
            named = remediation.get("product_ids") or []
            if any(pid in fixed_ids for pid in named) and releases:
                continue
            if any(release in details for release in releases):
                continue
        if details and details not in texts:
            texts.append(details)
    return texts


def customer_action(
    affected: list[VersionRef],
    fixes: list[Fix],
    remediations: list[Mapping[str, Any]],
    fixed_ids: list[str],
    plan: Plan,
) -> dict[SectionKind, str]:
    """The remediation texts as "What Customers Should Do" when no channel could carry them."""
    remedied = {fix.channel.version_ref for fix in fixes}
    if all(ref in remedied for ref in affected):
        return {}
    texts = remedy_texts(remediations, fixed_ids, fixes, Plan(plan.catalog, plan.publisher))
    if not texts:
        return {}
    plan.note("remediations without a channel: kept as the text of 'What Customers Should Do'")
    return {SectionKind.CUSTOMER_ACTION: "\n\n".join(texts).replace("{", "(").replace("}", ")")}
