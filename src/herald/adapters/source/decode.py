"""Shapes of schema ``herald/v1`` -> domain objects.

Domain constructors and parsers check every value; a problem they raise is re-raised
as a ``Problem`` at the path of the value, so the reader can name the file and line.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from types import MappingProxyType
from typing import TypeVar

from herald.adapters.source._fields import FieldPath, Problem
from herald.adapters.source.identity_models import IdentityShape, ProductComponentShape
from herald.adapters.source.models import (
    BulletinFile,
    ChangeLogEntryShape,
    ComponentShape,
    FixShape,
    NotAffectedShape,
    NotCoveredShape,
    ProductFile,
    PublisherFile,
    ReleaseShape,
    VersionShape,
)
from herald.domain.accounts import parse_username
from herald.domain.bulletin import Bulletin, ChangeLogEntry, Fix
from herald.domain.catalog import (
    ChannelRef,
    Component,
    NotCovered,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
    VersionRef,
    check_product,
)
from herald.domain.components import ProductComponent
from herald.domain.errors import ValidationError
from herald.domain.identity import NO_IDENTITY, FileHash, ProductIdentity
from herald.domain.ids import (
    ArticleId,
    ArticleIdPattern,
    CveId,
    ProductId,
    parse_cve_id,
    parse_product_id,
)
from herald.domain.publisher import DEFAULT_SECTIONS, Publisher, SectionKind, SectionTemplate
from herald.domain.scoring import parse_cvss
from herald.domain.statements import NotAffected
from herald.domain.weaknesses import CweId, parse_cwe_id

T = TypeVar("T")

SAFE_ARTICLE_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,63}")
"""Article ids name files (``bulletins/<article_id>.yaml``), so they stay file-name safe."""


def publisher(shape: PublisherFile) -> Publisher:
    if "sections" in shape.model_fields_set:
        given = {
            kind: SectionTemplate(template.title, template.body)
            for kind in SectionKind
            if (template := getattr(shape.sections, kind.value)) is not None
        }
        sections = MappingProxyType(given)
    else:
        sections = DEFAULT_SECTIONS  # type: ignore[assignment]
    article_ids = _domain(
        ("article_ids",), ArticleIdPattern, shape.article_ids.prefix, shape.article_ids.digits
    )
    return _domain(
        (),
        Publisher,
        name=shape.name,
        short_name=shape.short_name,
        brand=shape.brand,
        namespace_url=shape.namespace_url,
        update_instructions_url=shape.update_instructions_url,
        knowledge_center_url=shape.knowledge_center_url,
        support_url=shape.support_url,
        alerts_url=shape.alerts_url,
        reporting_url=shape.reporting_url,
        disclaimer=shape.disclaimer,
        sections=sections,
        preview_note=shape.preview_note,
        end_of_life_note=shape.end_of_life_note,
        article_ids=article_ids,
        severities=tuple(shape.severities),
    )


def product(shape: ProductFile) -> Product:
    product_id = _domain(("id",), parse_product_id, shape.id, "")
    _unique([c.id for c in shape.components], ("components",), "component", key="id")
    components = tuple(
        _product_component(c, ("components", i)) for i, c in enumerate(shape.components)
    )
    known = {c.id for c in components}
    _unique([v.name for v in shape.versions], ("versions",), "version")
    versions = tuple(_version(v, ("versions", i), known) for i, v in enumerate(shape.versions))
    built = _domain(
        (),
        Product,
        product_id,
        shape.name,
        versions,
        shape.update_instructions_url,
        shape.hidden,
        components,
    )
    _domain((), check_product, built)
    return built


def _product_component(shape: ProductComponentShape, path: FieldPath) -> ProductComponent:
    return ProductComponent(
        shape.id, shape.name, shape.kind, _identity(shape.identity, (*path, "identity"))
    )


def _identity(shape: IdentityShape | None, path: FieldPath) -> ProductIdentity:
    if shape is None:
        return NO_IDENTITY
    hashes = tuple(
        _domain((*path, "hashes", i), FileHash, h.algorithm, h.value, h.file_name)
        for i, h in enumerate(shape.hashes)
    )
    return _domain(
        path,
        ProductIdentity,
        cpe=shape.cpe,
        purls=tuple(shape.purls),
        hashes=hashes,
        model_numbers=tuple(shape.model_numbers),
        skus=tuple(shape.skus),
        serial_numbers=tuple(shape.serial_numbers),
        sbom_urls=tuple(shape.sbom_urls),
    )


def _version(shape: VersionShape, path: FieldPath, known: set[str]) -> ProductVersion:
    _unique([c.name for c in shape.channels], (*path, "channels"), "channel")
    channels = []
    for c_index, channel in enumerate(shape.channels):
        c_path = (*path, "channels", c_index)
        _unique([r.name for r in channel.releases], (*c_path, "releases"), "release")
        releases = tuple(
            _release(r, (*c_path, "releases", r_index), known)
            for r_index, r in enumerate(channel.releases)
        )
        channels.append(UpdateChannel(channel.name, releases, channel.hidden))
    identity = _identity(shape.identity, (*path, "identity"))
    return ProductVersion(
        shape.name, shape.lifecycle, shape.lifecycle_label, tuple(channels), shape.hidden, identity
    )


def _release(shape: ReleaseShape, path: FieldPath, known: set[str]) -> Release:
    if isinstance(shape.components, dict):
        components = tuple(Component(name, version) for name, version in shape.components.items())
        where: list[FieldPath] = [(*path, "components", name) for name in shape.components]
    else:
        components = tuple(_component(c) for c in shape.components)
        where = [(*path, "components", i, "name") for i in range(len(components))]
    if known:
        for component, component_path in zip(components, where, strict=True):
            if component.name not in known:
                raise Problem(
                    f"{component.name!r} is not one of the product's components "
                    f"({', '.join(sorted(known))})",
                    component_path,
                )
    identity = _identity(shape.identity, (*path, "identity"))
    return Release(shape.name, shape.date, components, shape.hidden, identity)


def _component(shape: ComponentShape) -> Component:
    return Component(shape.name, shape.version)


def bulletin(shape: BulletinFile) -> Bulletin:
    return Bulletin(
        article_id=article_id(shape.article_id),
        title=shape.title,
        created_at=shape.created_at,
        updated_at=shape.updated_at or shape.created_at,
        severity=shape.severity,
        cves=tuple(_domain(("cves", i), parse_cve_id, cve, "") for i, cve in enumerate(shape.cves)),
        cvss=tuple(
            _domain(("cvss", i), parse_cvss, vector, "") for i, vector in enumerate(shape.cvss)
        ),
        weaknesses=_weaknesses(shape.weaknesses),
        problem=shape.problem,
        affected=tuple(
            VersionRef(_product_id(ref.product, ("affected", i, "product")), ref.version)
            for i, ref in enumerate(shape.affected)
        ),
        fixes=tuple(_fix(fix, ("fixes", i)) for i, fix in enumerate(shape.fixes)),
        kind=shape.bulletin_kind,
        not_affected=tuple(
            _not_affected(n, ("not_affected", i)) for i, n in enumerate(shape.not_affected)
        ),
        under_investigation=tuple(
            VersionRef(_product_id(ref.product, ("under_investigation", i, "product")), ref.version)
            for i, ref in enumerate(shape.under_investigation)
        ),
        sections=MappingProxyType(
            {
                kind: body
                for kind in SectionKind
                if (body := getattr(shape.sections, kind.value)) is not None
            }
        ),
        changelog=tuple(_entry(e, ("changelog", i)) for i, e in enumerate(shape.changelog)),
        status=shape.status,
        not_covered=tuple(
            _not_covered(n, ("not_covered", i)) for i, n in enumerate(shape.not_covered)
        ),
        published_at=shape.published_at,
        withdrawn_at=shape.withdrawn_at,
        created_by=_username(shape.created_by, "created_by"),
        submitted_by=_username(shape.submitted_by, "submitted_by"),
        approved_by=_username(shape.approved_by, "approved_by"),
        release_at=shape.release_at,
    )


def article_id(text: str) -> ArticleId:
    """A non-empty, file-name-safe id; the publisher's pattern is checked on import."""
    if not SAFE_ARTICLE_ID.fullmatch(text):
        raise Problem(
            f"{text!r} is not an article id (letters, digits, '.', '_' or '-', "
            "starting with a letter or digit)",
            ("article_id",),
        )
    return ArticleId(text)


def _weaknesses(shape: dict[str, list[str]]) -> MappingProxyType[CveId, tuple[CweId, ...]]:
    """CWE ids by CVE; whether each CVE is the bulletin's is a rule the import checks."""
    found: dict[CveId, tuple[CweId, ...]] = {}
    for text, cwes in shape.items():
        cve = _domain(("weaknesses", text), parse_cve_id, text, "")
        if cve in found:
            raise Problem(f"{cve} appears twice", ("weaknesses", text))
        found[cve] = tuple(
            _domain(("weaknesses", text, i), parse_cwe_id, cwe, "") for i, cwe in enumerate(cwes)
        )
    return MappingProxyType(found)


def _fix(shape: FixShape, path: FieldPath) -> Fix:
    channel = ChannelRef(
        _product_id(shape.product, (*path, "product")), shape.version, shape.channel
    )
    return _domain(
        path,
        Fix,
        channel,
        release=shape.release,
        mitigation=shape.mitigation,
        workaround=shape.workaround,
        no_fix=shape.no_fix,
        no_fix_reason=shape.no_fix_reason,
        url=shape.url,
        restart=shape.restart,
    )


def _not_affected(shape: NotAffectedShape, path: FieldPath) -> NotAffected:
    ref = VersionRef(_product_id(shape.product, (*path, "product")), shape.version)
    return _domain(path, NotAffected, ref, shape.justification, shape.impact)


def _entry(shape: ChangeLogEntryShape, path: FieldPath) -> ChangeLogEntry:
    return _domain(path, ChangeLogEntry, shape.date, shape.summary)


def _not_covered(shape: NotCoveredShape, path: FieldPath) -> NotCovered:
    ref = VersionRef(_product_id(shape.product, (*path, "product")), shape.version)
    return NotCovered(ref, shape.lifecycle, shape.label)


def _username(text: str | None, field: str) -> str | None:
    return None if text is None else _domain((field,), parse_username, text, "")


def _product_id(text: str, path: FieldPath) -> ProductId:
    return _domain(path, parse_product_id, text, "")


def _unique(names: Sequence[str], path: FieldPath, what: str, key: str = "name") -> None:
    first: dict[str, int] = {}
    for index, name in enumerate(names):
        if name in first:
            raise Problem(
                f"{what} {name!r} appears twice (also at {path[-1]}[{first[name]}])",
                (*path, index, key),
            )
        first[name] = index


def _domain(path: FieldPath, build: Callable[..., T], *args: object, **kwargs: object) -> T:
    """``build(...)``, with a domain ``ValidationError`` turned into a ``Problem`` at ``path``."""
    try:
        return build(*args, **kwargs)
    except ValidationError as error:
        raise Problem(error.reason, path, domain_field=error.field) from error
