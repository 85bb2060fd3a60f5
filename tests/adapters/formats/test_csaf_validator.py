"""herald's CSAF output through herald's own CSAF validator (schema and section 6 tests).

No mandatory test may fail. The optional tests may only warn about what herald knows it
does not give yet (see ``docs/machine-readable.md``): scores for unscored bulletins
(6.2.3). Every product has an identification helper (6.2.16), from the catalog's
identifiers or herald's catalog URL.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings

from herald import demo
from herald.adapters.csaf_validation import Level, Preset, validate_document
from herald.adapters.formats.csaf import csaf_document

from .test_csaf_schemas import Case, public_cases

BASE = "https://bulletins.example.com"
KNOWN_WARNINGS = {"6.2.3"}


def _check(document: dict[str, object]) -> None:
    report = validate_document(document, Preset.FULL)
    assert report.valid, [finding.line() for finding in report.findings]
    warnings = {f.test_id for f in report.findings if f.level is Level.WARNING}
    assert warnings <= KNOWN_WARNINGS, [finding.line() for finding in report.findings]


def test_the_reference_advisory_passes_the_validator() -> None:
    _check(csaf_document(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE))


def test_the_reference_advisory_warns_only_that_it_has_no_score() -> None:
    document = csaf_document(demo.reference_bulletin(), demo.catalog(), demo.publisher(), BASE)

    report = validate_document(document, Preset.FULL)

    warnings = [f for f in report.findings if f.level is Level.WARNING]
    assert {f.test_id for f in warnings} == {"6.2.3"}, [f.line() for f in report.findings]
    assert not [f for f in report.findings if f.level is Level.ERROR]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(case=public_cases())
def test_generated_advisories_pass_the_validator(case: Case) -> None:
    _check(csaf_document(case.bulletin, case.catalog, case.publisher, BASE))
