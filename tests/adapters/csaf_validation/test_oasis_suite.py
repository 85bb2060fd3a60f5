"""The OASIS CSAF 2.0 validator test suite (``testcases.json``), case by case.

For every case the test it names must give the verdict the suite expects: a valid
file passes that test, a failing file fails it. Separately, every file's overall
verdict (schema and all mandatory tests) must match its ``valid`` flag. The few cases
herald does not follow are listed in ``EXCEPTIONS`` with the reason, and in
docs/csaf-validator.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest

from herald.adapters.csaf_validation import CsafValidator, FileReport, Level, Preset
from tests.adapters.csaf_validation.standards import SUITE, load, require


@dataclass(frozen=True)
class Case:
    group: str
    test_id: str
    kind: str
    """``valid`` or ``failures``: the list of the suite the file is in."""
    name: str
    valid: bool
    """The file's own flag: is it a valid CSAF document?"""

    def __str__(self) -> str:
        return f"{self.test_id}-{self.kind}-{self.name.rsplit('-', 1)[-1].removesuffix('.json')}"


def _cases() -> list[Case]:
    index = SUITE / "testcases.json"
    if not index.is_file():
        return []
    data: dict[str, Any] = load(index)
    return [
        Case(test["group"], test["id"], kind, spec["name"], spec["valid"])
        for test in data["tests"]
        for kind in ("valid", "failures")
        for spec in test.get(kind, [])
    ]


CASES = _cases()

NOT_RUN = "herald does not run {test} offline ({why}); the failing example cannot fail here"
EXCEPTIONS: dict[str, str] = {
    "informative/oasis_csaf_tc-csaf_2_0-2021-6-3-06-01.json": NOT_RUN.format(
        test="6.3.6", why="it resolves URLs over the network"
    ),
    "informative/oasis_csaf_tc-csaf_2_0-2021-6-3-06-02.json": NOT_RUN.format(
        test="6.3.6", why="it resolves URLs over the network"
    ),
    "informative/oasis_csaf_tc-csaf_2_0-2021-6-3-07-01.json": NOT_RUN.format(
        test="6.3.7", why="it resolves URLs over the network"
    ),
    "informative/oasis_csaf_tc-csaf_2_0-2021-6-3-08-01.json": NOT_RUN.format(
        test="6.3.8", why="it needs a spell checker and dictionaries"
    ),
    "informative/oasis_csaf_tc-csaf_2_0-2021-6-3-08-02.json": NOT_RUN.format(
        test="6.3.8", why="it needs a spell checker and dictionaries"
    ),
}
"""Cases whose named test herald cannot give the suite's verdict (docs/csaf-validator.md)."""

VERDICT_EXCEPTIONS: dict[str, str] = {
    "optional/oasis_csaf_tc-csaf_2_0-2021-6-2-08-02.json": "6.1.25",
    "optional/oasis_csaf_tc-csaf_2_0-2021-6-2-09-02.json": "6.1.25",
}
"""Files flagged valid by the suite that break a mandatory test, per the standard's text.

Both list two hashes of the same algorithm (md5, resp. sha1) in one ``file_hashes``;
6.1.25 reads "It MUST be tested that the same hash algorithm is not used multiple
times in one item of hashes." The value is the mandatory test that fails.
"""


@pytest.fixture(scope="module")
def reports() -> dict[str, FileReport]:
    require(SUITE / "testcases.json")
    validator = CsafValidator(Preset.FULL)
    return {
        case.name: validator.validate_file(SUITE / case.name, label=case.name) for case in CASES
    }


def _case_params(*, mark_exceptions: bool) -> list[Any]:
    if not CASES:
        return [pytest.param(None, id="suite-absent")]
    return [
        pytest.param(
            case,
            id=str(case),
            marks=(
                [pytest.mark.xfail(strict=True, reason=EXCEPTIONS[case.name])]
                if mark_exceptions and case.name in EXCEPTIONS
                else []
            ),
        )
        for case in CASES
    ]


@pytest.mark.parametrize("case", _case_params(mark_exceptions=True))
def test_the_named_test_gives_the_expected_verdict(
    case: Case | None, reports: dict[str, FileReport]
) -> None:
    assert case is not None
    report = reports[case.name]
    assert report.load_error is None
    found = [finding for finding in report.findings if finding.test_id == case.test_id]
    if case.kind == "failures":
        assert found, f"{case.test_id} passed on {case.name}"
    else:
        assert not found, [finding.line() for finding in found]


@pytest.mark.parametrize("case", _case_params(mark_exceptions=False))
def test_the_overall_verdict_is_the_files_flag(
    case: Case | None, reports: dict[str, FileReport]
) -> None:
    assert case is not None
    report = reports[case.name]
    errors = [finding.line() for finding in report.findings if finding.level is Level.ERROR]
    if case.name in VERDICT_EXCEPTIONS:
        assert case.valid and not report.valid
        assert report.failed_tests() == [VERDICT_EXCEPTIONS[case.name]], errors
        return
    assert report.valid == case.valid, errors


def test_every_test_of_the_suite_is_known() -> None:
    from herald.adapters.csaf_validation import all_checks

    require(SUITE / "testcases.json")
    known = {check.test_id for check in all_checks()}
    assert {case.test_id for case in CASES} <= known


def test_the_exceptions_are_cases_of_the_suite() -> None:
    require(SUITE / "testcases.json")
    names = {case.name for case in CASES}
    assert set(EXCEPTIONS) <= names
    assert set(VERDICT_EXCEPTIONS) <= names
