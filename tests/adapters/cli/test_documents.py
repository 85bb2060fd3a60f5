"""``herald csaf export|import``, ``herald osv export``, ``herald cve export``.

The commands run as subprocesses against a test database on each backend; the import of
every example advisory shipped with the standard runs in-process through the same service
(a subprocess per file would be slow), checking that a failure leaves the database as it was.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import closing
from dataclasses import replace
from pathlib import Path

import pytest

from herald import demo
from herald.adapters.csaf_import import plan_import, read_document
from herald.adapters.formats.csaf import csaf_document
from herald.adapters.formats.machine import MACHINE_FORMATS, Sources
from herald.adapters.source import SourceTextSerializer
from herald.bootstrap import Herald as Services
from herald.bootstrap import build
from herald.config import Settings
from herald.domain import CweId, Status
from herald.domain.errors import HeraldError
from herald.services.csaf_import import CsafImportService
from herald.services.recording import Recorder
from herald.services.source import SourceItems
from tests.adapters.formats.test_csaf_schemas import EXAMPLES, csaf_errors, cve_errors, osv_errors

from .conftest import Herald

BASE = "https://bulletins.example.com"


@pytest.fixture
def services(database_url: str, tmp_path: Path) -> Iterator[Services]:
    """herald's services on the test database, holding only the demo publisher."""
    built = build(Settings(data_dir=tmp_path / "var", database_url=database_url))
    built.source.import_items(SourceItems(publisher=demo.publisher()))
    try:
        yield built
    finally:
        built.close()


def test_exports_of_the_demo(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    csaf = herald("csaf", "export", "CTX696397")
    assert csaf.exit_code == 0, csaf.stderr
    document = json.loads(csaf.stdout)
    assert csaf_errors(document) == []
    assert list(document) == sorted(document)
    osv = herald("osv", "export", "CTX696397")
    assert osv.exit_code == 0 and osv_errors(json.loads(osv.stdout)) == []
    cve = herald("cve", "export", "CVE-2026-4397")
    assert cve.exit_code == 0 and cve_errors(json.loads(cve.stdout)) == []


def test_every_machine_format_has_its_export_command(
    herald: Herald, database_url: str, tmp_path: Path
) -> None:
    """``herald <name> export <subject>`` prints the registered format's document, and
    ``herald --help`` lists each format's group."""
    assert herald("demo").exit_code == 0
    listed = herald("--help").stdout
    settings = Settings(data_dir=tmp_path / "var", database_url=database_url)
    with closing(build(settings)) as services:
        public = services.publication.bulletin("CTX696397").bulletin
        sources = Sources(
            public,
            services.publication.catalog(),
            services.publication.publisher(),
            settings.base_url,
        )
    for fmt in MACHINE_FORMATS:
        assert f" {fmt.name} " in listed
        subjects = fmt.subjects(public)
        assert subjects, fmt.name
        for subject in subjects:
            result = herald(fmt.name, "export", subject)
            assert result.exit_code == 0, result.stderr
            assert result.stdout == fmt.render(sources, subject)


def test_csaf_export_to_a_folder_uses_the_standards_file_name(
    herald: Herald, tmp_path: Path
) -> None:
    assert herald("demo").exit_code == 0
    result = herald("csaf", "export", "CTX696397", "-o", str(tmp_path))
    assert result.exit_code == 0, result.stderr
    written = json.loads((tmp_path / "ctx696397.json").read_text(encoding="utf-8"))
    assert written["document"]["tracking"]["id"] == "CTX696397"


def test_exit_codes(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    for args, code in [
        (("csaf", "export", "CTX000001"), 3),
        (("osv", "export", "CTX000001"), 3),
        (("cve", "export", "CVE-2026-0001"), 3),
        (("cve", "export", "CVE-nonsense"), 2),
    ]:
        result = herald(*args)
        assert result.exit_code == code, (args, result.stderr)
        assert result.stdout == ""
        assert len(result.stderr.strip().splitlines()) == 1
        assert result.stderr.startswith("herald: error: ")


def test_a_draft_is_not_exported(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    imported = herald("csaf", "import", str(_example("bsi-2022-0001.json")))
    assert imported.exit_code == 0, imported.stderr
    assert "CTX696398 imported as a draft" in imported.stdout
    for command in ("csaf", "osv"):
        result = herald(command, "export", "CTX696398")
        assert result.exit_code == 2
        assert result.stderr.strip() == (
            "herald: error: status: CTX696398 is draft; only published or withdrawn "
            "bulletins are exported"
        )


def test_an_import_failure_is_one_line_and_changes_nothing(herald: Herald, tmp_path: Path) -> None:
    assert herald("demo").exit_code == 0
    before = herald("export", str(tmp_path / "before"))
    not_json = tmp_path / "broken.json"
    not_json.write_text("{", encoding="utf-8")
    for path in (not_json, _example("rhsa-2019_1862.json"), tmp_path / "missing.json"):
        result = herald("csaf", "import", str(path))
        assert result.exit_code != 0
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    after = herald("export", str(tmp_path / "after"))
    assert before.exit_code == after.exit_code == 0
    assert _tree(tmp_path / "before") == _tree(tmp_path / "after")


def test_round_trip_of_the_reference_bulletin(
    herald: Herald, services: Services, tmp_path: Path
) -> None:
    exported = tmp_path / "ctx696397.json"
    document = csaf_document(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)
    exported.write_text(json.dumps(document), encoding="utf-8")
    result = herald("csaf", "import", str(exported))
    assert result.exit_code == 0, result.stderr
    assert "report:" in result.stdout
    draft = services.reading.bulletin("CTX696397")
    original = demo.reference_content()
    assert draft.status is Status.DRAFT
    assert draft.title == original.title
    assert draft.severity == original.severity
    assert draft.cves == original.cves
    assert draft.affected == original.affected
    assert draft.fixes == original.fixes
    assert draft.problem == original.problem
    version = services.reading.catalog().version(original.affected[0])
    assert [c.name for c in version.channels] == ["Early Access", "Normal"]


def test_an_imported_cwe_is_stored_as_the_draft_s_weakness(
    herald: Herald, services: Services, tmp_path: Path
) -> None:
    cve = demo.reference_content().cves[0]
    bulletin = replace(demo.reference_bulletin(), weaknesses={cve: (CweId("CWE-787"),)})
    exported = tmp_path / "ctx696397.json"
    document = csaf_document(bulletin, demo.catalog(), demo.publisher(), BASE)
    exported.write_text(json.dumps(document), encoding="utf-8")
    result = herald("csaf", "import", str(exported))
    assert result.exit_code == 0, result.stderr
    assert services.reading.bulletin("CTX696397").weaknesses == {cve: ("CWE-787",)}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_each_example_imports_with_a_report_or_fails_cleanly(
    services: Services, path: Path
) -> None:
    importer = CsafImportService(
        services.database.unit_of_work, services.clock, Recorder(SourceTextSerializer())
    )
    document = read_document(path)
    before = services.source.export_items()
    try:
        result = importer.import_draft(lambda catalog, pub: plan_import(document, catalog, pub))
    except HeraldError as error:
        assert "\n" not in error.message
        assert services.source.export_items() == before
        return
    assert result.draft.status is Status.DRAFT
    assert result.draft.cves
    assert result.report
    stored = services.reading.bulletin(result.draft.article_id)
    assert stored == result.draft


def _example(name: str) -> Path:
    return next(path for path in EXAMPLES if path.name == name)


def _tree(root: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(root)): path.read_bytes()
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_what_an_import_adds_to_the_catalog_is_hidden_until_its_bulletin_is_out(
    herald: Herald, services: Services
) -> None:
    """An advisory may come under embargo (a pre-disclosure list): the products,
    versions, channels and releases its import adds are hidden (finding 13.3)."""
    imported = herald("csaf", "import", str(_example("bsi-2022-0001.json")))
    assert imported.exit_code == 0, imported.stderr
    assert "hidden" in imported.stdout
    added = services.reading.catalog().products
    assert added and all(p.hidden for p in added)
    assert all(v.hidden for p in added for v in p.versions)
    assert services.publication.catalog().products == ()
