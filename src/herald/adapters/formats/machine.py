"""The machine-readable formats of public bulletins, in one registry.

Each format is a ``MachineFormat``: the name the CLI knows it by, the suffix of its URL
(and of the static export's file), its media type, which documents a bulletin has in
it (its ``Scope``: one per bulletin, or one per CVE the bulletin names) and how one is
rendered from ``Sources``. ``MACHINE_FORMATS`` lists them; the web routes, the bulletin
page's links, the CLI's ``export`` commands and the static export are made from it, so
a new format is one module in ``adapters/formats/`` plus one entry here
(``docs/architecture.md``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from herald.adapters.formats.csaf import render_csaf
from herald.adapters.formats.csaf_common import (
    CSAF_SUFFIX,
    CVE_SUFFIX,
    JSON_MEDIA_TYPE,
    OSV_SUFFIX,
)
from herald.adapters.formats.csaf_versions import CsafVersion
from herald.adapters.formats.cve5 import PLACEHOLDER_ORG_ID, render_cve
from herald.adapters.formats.cyclonedx_vex import (
    CYCLONEDX_MEDIA_TYPE,
    CYCLONEDX_SUFFIX,
    render_cyclonedx,
)
from herald.adapters.formats.openvex import OPENVEX_MEDIA_TYPE, OPENVEX_SUFFIX, render_openvex
from herald.adapters.formats.osv import render_osv
from herald.domain.bulletin import Bulletin, Status
from herald.domain.catalog import Catalog
from herald.domain.publisher import Publisher


class Scope(StrEnum):
    """What one document of a format is about."""

    BULLETIN = "bulletin"
    """One document per public bulletin, at ``/bulletins/{article id}{suffix}``."""
    CVE = "cve"
    """One document per CVE a public bulletin names, at ``/cve/{CVE id}{suffix}``; made
    from the newest public bulletin naming it (``newest_naming``)."""

    @property
    def folder(self) -> str:
        """The URL path the documents' names follow."""
        return "/bulletins/" if self is Scope.BULLETIN else "/cve/"


@dataclass(frozen=True)
class Sources:
    """What a document is rendered from: a public bulletin and the site's facts."""

    bulletin: Bulletin
    catalog: Catalog
    publisher: Publisher
    base_url: str
    cna_org_id: str = PLACEHOLDER_ORG_ID
    """The CNA's organisation UUID (CVE JSON 5 ``providerMetadata.orgId``)."""
    csaf_version: CsafVersion = CsafVersion.V2_0
    """CSAF 2.0, or the 2.1 draft (``herald csaf export --csaf-version``)."""


Render = Callable[[Sources, str], str]
"""The document about a subject (an article id or a CVE id, as the ``Scope`` says)."""


@dataclass(frozen=True)
class MachineFormat:
    """One machine-readable format of public bulletins."""

    name: str
    """Its CLI command group (``herald osv export``) and its key in the registry."""
    title: str
    """The title of the bulletin page's ``<link rel="alternate">`` (bulletin scope)."""
    label: str
    """What one document is called in the bulletin page's list of its forms."""
    suffix: str
    """The end of its URL path and file name, e.g. ``.csaf.json``."""
    scope: Scope
    render: Render
    summary: str
    """The help of its CLI command group."""
    export_help: str
    """The help of its ``export`` command."""
    media_type: str = JSON_MEDIA_TYPE

    def subjects(self, bulletin: Bulletin) -> tuple[str, ...]:
        """The documents ``bulletin`` has in this format (none unless it is public)."""
        if not bulletin.status.public:
            return ()
        if self.scope is Scope.BULLETIN:
            return (bulletin.article_id,)
        return tuple(bulletin.cves)

    def path(self, subject: str) -> str:
        """The URL path of the document about ``subject``."""
        return f"{self.scope.folder}{quote(subject, safe='')}{self.suffix}"

    def url(self, base_url: str, subject: str) -> str:
        return f"{base_url.rstrip('/')}{self.path(subject)}"

    def body(self, sources: Sources, subject: str) -> bytes:
        """The document as served: its text in UTF-8."""
        return self.render(sources, subject).encode("utf-8")


def _csaf(sources: Sources, subject: str) -> str:
    return render_csaf(
        sources.bulletin,
        sources.catalog,
        sources.publisher,
        sources.base_url,
        version=sources.csaf_version,
    )


def _osv(sources: Sources, subject: str) -> str:
    return render_osv(sources.bulletin, sources.catalog, sources.publisher, sources.base_url)


def _cve(sources: Sources, subject: str) -> str:
    return render_cve(
        sources.bulletin,
        subject,
        sources.catalog,
        sources.publisher,
        sources.base_url,
        org_id=sources.cna_org_id,
    )


def _openvex(sources: Sources, subject: str) -> str:
    return render_openvex(sources.bulletin, sources.catalog, sources.publisher, sources.base_url)


def _cyclonedx(sources: Sources, subject: str) -> str:
    return render_cyclonedx(sources.bulletin, sources.catalog, sources.publisher, sources.base_url)


CSAF = MachineFormat(
    name="csaf",
    title="CSAF 2.0",
    label="CSAF 2.0 advisory",
    suffix=CSAF_SUFFIX,
    scope=Scope.BULLETIN,
    render=_csaf,
    summary="CSAF 2.0 advisories of public bulletins.",
    export_help="Print the CSAF advisory of a public bulletin (JSON, keys sorted).",
)
OSV = MachineFormat(
    name="osv",
    title="OSV",
    label="OSV record",
    suffix=OSV_SUFFIX,
    scope=Scope.BULLETIN,
    render=_osv,
    summary="OSV records of public bulletins.",
    export_help="Print the OSV record of a public bulletin (JSON, keys sorted).",
)
CVE5 = MachineFormat(
    name="cve",
    title="CVE JSON 5",
    label="CVE JSON 5 record",
    suffix=CVE_SUFFIX,
    scope=Scope.CVE,
    render=_cve,
    summary="CVE JSON 5 records (CNA containers) of public CVEs.",
    export_help="Print the CVE JSON 5 CNA container of a CVE, from the public bulletin naming it.",
)

OPENVEX = MachineFormat(
    name="openvex",
    title="OpenVEX",
    label="OpenVEX document",
    suffix=OPENVEX_SUFFIX,
    scope=Scope.BULLETIN,
    render=_openvex,
    summary="OpenVEX 0.2.0 documents of public bulletins.",
    export_help="Print the OpenVEX document of a public bulletin (JSON, keys sorted).",
    media_type=OPENVEX_MEDIA_TYPE,
)
CYCLONEDX = MachineFormat(
    name="cyclonedx",
    title="CycloneDX VEX",
    label="CycloneDX VEX document",
    suffix=CYCLONEDX_SUFFIX,
    scope=Scope.BULLETIN,
    render=_cyclonedx,
    summary="CycloneDX 1.6 VEX documents of public bulletins.",
    export_help="Print the CycloneDX VEX document of a public bulletin (JSON, keys sorted).",
    media_type=CYCLONEDX_MEDIA_TYPE,
)

MACHINE_FORMATS: tuple[MachineFormat, ...] = (CSAF, OSV, CVE5, OPENVEX, CYCLONEDX)
"""Every machine-readable format, in the order pages and ``herald --help`` list them."""


def by_name(name: str) -> MachineFormat:
    """The format ``name`` (``csaf``, ``osv``, ``cve``, ``openvex``, ``cyclonedx``);
    KeyError for another."""
    for fmt in MACHINE_FORMATS:
        if fmt.name == name:
            return fmt
    raise KeyError(name)


def for_path(path: str) -> tuple[MachineFormat, str] | None:
    """The format and subject of a document's URL path; None for any other path."""
    for fmt in MACHINE_FORMATS:
        folder = fmt.scope.folder
        if path.startswith(folder) and path.endswith(fmt.suffix):
            subject = path[len(folder) : len(path) - len(fmt.suffix)]
            if subject and "/" not in subject and "." not in subject:
                return fmt, subject
    return None


def newest_naming(found: Sequence[Bulletin]) -> Bulletin:
    """The bulletin a CVE's document is made from, of the public bulletins naming it
    (newest first): the newest one not withdrawn, the newest withdrawn one otherwise."""
    current = [bulletin for bulletin in found if bulletin.status is not Status.WITHDRAWN]
    return (current or list(found))[0]


__all__ = [
    "CSAF",
    "CVE5",
    "CYCLONEDX",
    "MACHINE_FORMATS",
    "OPENVEX",
    "OSV",
    "MachineFormat",
    "Scope",
    "Sources",
    "by_name",
    "for_path",
    "newest_naming",
]
