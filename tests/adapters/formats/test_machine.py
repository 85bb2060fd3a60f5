"""The registry of machine-readable formats: names, suffixes, lookups, subjects."""

from __future__ import annotations

from dataclasses import replace

import pytest

from herald import demo
from herald.adapters.formats import RenderFormat
from herald.adapters.formats.csaf import render_csaf
from herald.adapters.formats.csaf_common import DocumentLinks
from herald.adapters.formats.cve5 import render_cve
from herald.adapters.formats.machine import (
    CSAF,
    CVE5,
    MACHINE_FORMATS,
    OSV,
    MachineFormat,
    Scope,
    Sources,
    by_name,
    for_path,
    newest_naming,
)
from herald.adapters.formats.osv import render_osv
from herald.domain import ArticleId, Status

BASE = "https://bulletins.example.com"


def _sources() -> Sources:
    return Sources(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)


def test_names_and_urls_are_unique_and_clear_of_the_renderings() -> None:
    assert len({fmt.name for fmt in MACHINE_FORMATS}) == len(MACHINE_FORMATS)
    places = [(fmt.scope, fmt.suffix) for fmt in MACHINE_FORMATS]
    assert len(set(places)) == len(places)
    renderings = {rendering.suffix for rendering in RenderFormat}
    # /bulletins/{id}.json, .txt... are the reader's renderings, not a machine format
    assert not {fmt.suffix for fmt in MACHINE_FORMATS if fmt.scope is Scope.BULLETIN} & renderings


@pytest.mark.parametrize("fmt", MACHINE_FORMATS, ids=lambda fmt: fmt.name)
def test_lookups_find_every_format(fmt: MachineFormat) -> None:
    assert by_name(fmt.name) is fmt
    for subject in fmt.subjects(demo.reference_bulletin()):
        assert for_path(fmt.path(subject)) == (fmt, subject)


def test_lookups_of_anything_else() -> None:
    with pytest.raises(KeyError):
        by_name("spdx")
    for path in (
        "/bulletins/CTX696397",
        "/bulletins/CTX696397.json",
        "/bulletins/CTX696397.md",
        "/bulletins/.csaf.json",
        "/cve/CVE-2026-4397.osv.json",
        "/cve/a/b.json",
        "/products/x.json",
    ):
        assert for_path(path) is None, path


def test_the_paths_are_those_the_documents_link_to() -> None:
    links, bulletin = DocumentLinks(BASE), demo.reference_bulletin()
    assert CSAF.url(BASE, bulletin.article_id) == links.csaf(bulletin.article_id)
    assert OSV.url(BASE + "/", bulletin.article_id) == links.osv(bulletin.article_id)
    assert CVE5.url(BASE, bulletin.cves[0]) == links.cve(bulletin.cves[0])
    assert CSAF.path("CTX696397") == "/bulletins/CTX696397.csaf.json"
    assert OSV.path("CTX696397") == "/bulletins/CTX696397.osv.json"
    assert CVE5.path("CVE-2026-4397") == "/cve/CVE-2026-4397.json"


def test_subjects_follow_the_scope_and_only_public_bulletins_have_any() -> None:
    bulletin = demo.reference_bulletin()
    assert CSAF.subjects(bulletin) == OSV.subjects(bulletin) == (bulletin.article_id,)
    assert CVE5.subjects(bulletin) == tuple(bulletin.cves)
    assert CVE5.subjects(replace(bulletin, cves=())) == ()
    draft = replace(bulletin, status=Status.DRAFT)
    assert [fmt.subjects(draft) for fmt in MACHINE_FORMATS] == [()] * len(MACHINE_FORMATS)


def test_render_is_the_formats_own_rendering() -> None:
    sources, bulletin = _sources(), demo.reference_bulletin()
    catalog, publisher = demo.catalog(), demo.publisher()
    assert CSAF.render(sources, "ignored") == render_csaf(bulletin, catalog, publisher, BASE)
    assert OSV.render(sources, "ignored") == render_osv(bulletin, catalog, publisher, BASE)
    cve = bulletin.cves[0]
    org = replace(sources, cna_org_id="11111111-2222-4333-8444-555555555555")
    assert CVE5.render(org, cve) == render_cve(
        bulletin, cve, catalog, publisher, BASE, org_id=org.cna_org_id
    )
    assert CSAF.body(sources, bulletin.article_id) == CSAF.render(sources, "").encode()


def test_a_cve_document_comes_from_the_newest_bulletin_not_withdrawn() -> None:
    bulletin = demo.reference_bulletin()
    newer = replace(bulletin, article_id=ArticleId("CTX2"), status=Status.WITHDRAWN)
    older = replace(bulletin, article_id=ArticleId("CTX1"))
    assert newest_naming([newer, older]) is older
    assert newest_naming([newer]) is newer
