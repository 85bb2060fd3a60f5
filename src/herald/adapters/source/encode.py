"""Domain objects -> plain data in schema ``herald/v1``, ready to dump as YAML.

Keys come in a stable, readable order; every field equal to its default is left out,
and nothing else is, so reading the data back gives the same object.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from herald.adapters.source._yaml import BlockText
from herald.adapters.source.models import SCHEMA_V1
from herald.domain.bulletin import Bulletin, Fix, NoFix, Restart, Status
from herald.domain.catalog import Lifecycle, Product, ProductVersion, Release, UpdateChannel
from herald.domain.components import ComponentKind, ProductComponent
from herald.domain.errors import ValidationError
from herald.domain.identity import HashAlgorithm, ProductIdentity
from herald.domain.ids import ArticleIdPattern
from herald.domain.publisher import (
    DEFAULT_END_OF_LIFE_NOTE,
    DEFAULT_PREVIEW_NOTE,
    DEFAULT_SECTIONS,
    DEFAULT_SEVERITIES,
    Publisher,
    SectionKind,
)
from herald.domain.statements import BulletinKind, Justification, NotAffected

Data = dict[str, Any]

_DEFAULT_PATTERN = ArticleIdPattern()


def publisher(value: Publisher) -> Data:
    data: Data = {
        "schema": SCHEMA_V1,
        "kind": "publisher",
        "name": value.name,
        "short_name": value.short_name,
        "brand": value.brand,
        "namespace_url": value.namespace_url,
        "update_instructions_url": value.update_instructions_url,
        "knowledge_center_url": value.knowledge_center_url,
        "support_url": value.support_url,
        "alerts_url": value.alerts_url,
        "reporting_url": value.reporting_url,
        "disclaimer": value.disclaimer,
    }
    if dict(value.sections) != dict(DEFAULT_SECTIONS):
        _known_kinds(value.sections, "sections")
        data["sections"] = {
            kind.value: {"title": template.title, "body": BlockText(template.body)}
            for kind in SectionKind
            if (template := value.sections.get(kind)) is not None
        }
    if value.preview_note != DEFAULT_PREVIEW_NOTE:
        data["preview_note"] = value.preview_note
    if value.end_of_life_note != DEFAULT_END_OF_LIFE_NOTE:
        data["end_of_life_note"] = value.end_of_life_note
    if value.article_ids != _DEFAULT_PATTERN:
        pattern: Data = {}
        if value.article_ids.prefix != _DEFAULT_PATTERN.prefix:
            pattern["prefix"] = value.article_ids.prefix
        if value.article_ids.digits != _DEFAULT_PATTERN.digits:
            pattern["digits"] = value.article_ids.digits
        data["article_ids"] = pattern
    if tuple(value.severities) != DEFAULT_SEVERITIES:
        data["severities"] = list(value.severities)
    return data


def product(value: Product) -> Data:
    data: Data = {"schema": SCHEMA_V1, "kind": "product", "id": value.id, "name": value.name}
    if value.update_instructions_url is not None:
        data["update_instructions_url"] = value.update_instructions_url
    if value.hidden:
        data["hidden"] = True
    if value.components:
        data["components"] = [_product_component(c) for c in value.components]
    if value.versions:
        data["versions"] = [_version(version) for version in value.versions]
    return data


def _product_component(value: ProductComponent) -> Data:
    data: Data = {"id": value.id, "name": value.name}
    if value.kind is not ComponentKind.OTHER:
        data["kind"] = ComponentKind(value.kind).value
    if not value.identity.is_empty:
        data["identity"] = identity(value.identity)
    return data


def identity(value: ProductIdentity) -> Data:
    """The identifiers that are there, in the order of the format's fields."""
    data: Data = {}
    if value.cpe is not None:
        data["cpe"] = value.cpe
    if value.purls:
        data["purls"] = list(value.purls)
    if value.hashes:
        data["hashes"] = [
            {
                "algorithm": HashAlgorithm(h.algorithm).value,
                "value": h.value,
                "file_name": h.file_name,
            }
            for h in value.hashes
        ]
    for name in ("model_numbers", "skus", "serial_numbers", "sbom_urls"):
        if getattr(value, name):
            data[name] = list(getattr(value, name))
    return data


def _version(value: ProductVersion) -> Data:
    data: Data = {"name": value.name, "lifecycle": Lifecycle(value.lifecycle).value}
    if value.lifecycle_label is not None:
        data["lifecycle_label"] = value.lifecycle_label
    if value.hidden:
        data["hidden"] = True
    if not value.identity.is_empty:
        data["identity"] = identity(value.identity)
    if value.channels:
        data["channels"] = [_channel(c) for c in value.channels]
    return data


def _channel(value: UpdateChannel) -> Data:
    data: Data = {"name": value.name}
    if value.hidden:
        data["hidden"] = True
    if value.releases:
        data["releases"] = [_release(r) for r in value.releases]
    return data


def _release(value: Release) -> Data:
    data: Data = {"name": value.name, "date": _day(value.released_on)}
    if value.hidden:
        data["hidden"] = True
    if not value.identity.is_empty:
        data["identity"] = identity(value.identity)
    names = [component.name for component in value.components]
    if not names:
        return data
    if len(set(names)) == len(names) and all(_simple_key(name) for name in names):
        data["components"] = {c.name: c.version for c in value.components}
    else:
        data["components"] = [{"name": c.name, "version": c.version} for c in value.components]
    return data


def _simple_key(name: str) -> bool:
    """Short one-line names read well as mapping keys; others go in the list form."""
    return 0 < len(name) <= 64 and name.isprintable()


def bulletin(value: Bulletin) -> Data:
    data: Data = {
        "schema": SCHEMA_V1,
        "kind": "bulletin",
        "article_id": value.article_id,
        "title": value.title,
    }
    if value.kind is not BulletinKind.ADVISORY:
        data["bulletin_kind"] = BulletinKind(value.kind).value
    if value.status is not Status.DRAFT:
        data["status"] = Status(value.status).value
    if value.severity is not None:
        data["severity"] = value.severity
    if value.cves:
        data["cves"] = list(value.cves)
    if value.cvss:
        data["cvss"] = [score.vector for score in value.cvss]
    if value.weaknesses:
        data["weaknesses"] = _weaknesses(value)
    if value.problem:
        data["problem"] = BlockText(value.problem)
    if value.affected:
        data["affected"] = [{"product": r.product, "version": r.version} for r in value.affected]
    if value.fixes:
        data["fixes"] = [_fix(fix) for fix in value.fixes]
    if value.not_affected:
        data["not_affected"] = [_not_affected(statement) for statement in value.not_affected]
    if value.under_investigation:
        data["under_investigation"] = [
            {"product": r.product, "version": r.version} for r in value.under_investigation
        ]
    if value.sections:
        _known_kinds(value.sections, "sections")
        data["sections"] = {
            kind.value: BlockText(body)
            for kind in SectionKind
            if (body := value.sections.get(kind)) is not None
        }
    if value.changelog:
        data["changelog"] = [
            {"date": _day(entry.on), "summary": entry.summary} for entry in value.changelog
        ]
    if value.not_covered:
        data["not_covered"] = [
            {
                "product": note.version.product,
                "version": note.version.version,
                "lifecycle": Lifecycle(note.lifecycle).value,
                "label": note.label,
            }
            for note in value.not_covered
        ]
    data["created_at"] = _time(value.created_at, "created_at")
    if value.updated_at != value.created_at:
        data["updated_at"] = _time(value.updated_at, "updated_at")
    if value.published_at is not None:
        data["published_at"] = _time(value.published_at, "published_at")
    if value.withdrawn_at is not None:
        data["withdrawn_at"] = _time(value.withdrawn_at, "withdrawn_at")
    if value.release_at is not None:
        data["release_at"] = _time(value.release_at, "release_at")
    for field in ("created_by", "submitted_by", "approved_by"):
        username = getattr(value, field)
        if username is not None:
            data[field] = username
    return data


def _weaknesses(value: Bulletin) -> Data:
    """CWE ids by CVE, in the order of ``cves`` (a key the bulletin does not name last)."""
    order = [cve for cve in value.cves if cve in value.weaknesses]
    order += [cve for cve in value.weaknesses if cve not in order]
    return {cve: list(value.weaknesses[cve]) for cve in order}


def _fix(value: Fix) -> Data:
    data: Data = {
        "product": value.channel.product,
        "version": value.channel.version,
        "channel": value.channel.channel,
    }
    if value.release is not None:
        data["release"] = value.release
    if value.mitigation is not None:
        data["mitigation"] = BlockText(value.mitigation)
    if value.workaround is not None:
        data["workaround"] = BlockText(value.workaround)
    if value.no_fix is not None:
        data["no_fix"] = NoFix(value.no_fix).value
    if value.no_fix_reason is not None:
        data["no_fix_reason"] = BlockText(value.no_fix_reason)
    if value.url is not None:
        data["url"] = value.url
    if value.restart is not None:
        data["restart"] = Restart(value.restart).value
    return data


def _not_affected(value: NotAffected) -> Data:
    return {
        "product": value.version.product,
        "version": value.version.version,
        "justification": Justification(value.justification).value,
        "impact": BlockText(value.impact),
    }


def _day(value: date) -> str:
    return value.isoformat()


def _time(value: datetime, field: str) -> str:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValidationError(field, f"{value.isoformat()} has no time zone; herald keeps UTC")
    text = value.astimezone(UTC).isoformat()
    return text.removesuffix("+00:00") + "Z"


def _known_kinds(sections: Mapping[Any, object], field: str) -> None:
    for kind in sections:
        if kind not in set(SectionKind):
            raise ValidationError(field, f"{kind!r} is not a section kind")
