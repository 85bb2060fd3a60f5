"""Reading posted forms safely, for every wing: bounded, typed fields whose problems are
recorded against the field they concern, so a page can be shown again with the message
next to that field (422) and nothing saved.

Text is limited in length and may not contain control characters (PostgreSQL refuses NUL).
"""

from __future__ import annotations

import re

from starlette.datastructures import FormData
from starlette.requests import Request

from herald.domain.errors import HeraldError
from herald.domain.publisher import SectionKind
from herald.domain.text import UNSAFE_IN_ONE_LINE, UNSAFE_IN_TEXT

LINE_LIMIT = 2_000
"""CVE ids and CVSS vectors, all lines together."""
MAX_LIST_ITEMS = 100
MAX_FORM_FIELDS = 400
"""The most fields one form may post."""
MAX_FORM_PART_BYTES = 200_000
"""The largest single field."""

_CONTROL = UNSAFE_IN_TEXT  # the domain's one rule for text (herald.domain.text)
_ONE_LINE_CONTROL = UNSAFE_IN_ONE_LINE


class FormErrors(dict[str, str]):
    """Messages by form field; the first problem of a field wins."""

    def add(self, name: str, message: str) -> None:
        self.setdefault(name, message)

    def add_error(self, error: HeraldError) -> None:
        """A service's error, placed at the form field it names."""
        name = form_field(getattr(error, "field", "") or "")
        reason = getattr(error, "reason", None) or error.message
        self.add(name, reason)


def form_field(domain_field: str) -> str:
    """The form field a domain error's field belongs to (``fixes[0]`` -> ``fixes``)."""
    head = re.split(r"[.\[]", domain_field, maxsplit=1)[0]
    if head == "sections" and "." in domain_field:
        kind = domain_field.split(".")[1]
        if kind in {k.value for k in SectionKind}:
            return f"section-{kind}"
    if head in {"changelog", "summary"}:
        return "summary"
    if head in {"title", "severity", "cves", "cvss", "weaknesses", "problem", "affected"}:
        return head
    if head in {"fixes", "release_at"}:
        return head
    if head in {"not_affected", "under_investigation"}:
        return "statements"
    if head == "kind":
        return head
    if head == "amendments":
        return head
    if head in {"article_id", "username", "display_name", "password", "roles", "emergency"}:
        return head
    return "form"


class FormReader:
    """Typed, bounded access to posted fields; problems go to ``errors``."""

    def __init__(self, form: FormData, errors: FormErrors | None = None) -> None:
        self._form = form
        self.errors = errors if errors is not None else FormErrors()

    def has(self, name: str) -> bool:
        return name in self._form

    def text(self, name: str, *, limit: int, one_line: bool = False, label: str = "") -> str:
        """One text value ('' when absent); too long or odd input is an error."""
        values = self._form.getlist(name)
        if not values:
            return ""
        if len(values) > 1:
            self.errors.add(name, "give one value only")
            return ""
        return self._check(name, values[0], limit, one_line, label)

    def texts(self, name: str, *, limit: int, max_count: int = MAX_LIST_ITEMS) -> list[str]:
        """Every value of a repeated field (checkboxes)."""
        values = self._form.getlist(name)
        if len(values) > max_count:
            self.errors.add(name, f"choose at most {max_count}")
            return []
        return [self._check(name, value, limit, True, "") for value in values]

    def lines(self, name: str, *, limit: int = LINE_LIMIT) -> list[str]:
        """A textarea of one item per line, blank lines dropped."""
        text = self.text(name, limit=limit)
        found = [line.strip() for line in text.splitlines() if line.strip()]
        if len(found) > MAX_LIST_ITEMS:
            self.errors.add(name, f"give at most {MAX_LIST_ITEMS} lines")
            return []
        return found

    def _check(self, name: str, value: object, limit: int, one_line: bool, label: str) -> str:
        what = label or "this field"
        if not isinstance(value, str):
            self.errors.add(name, f"{what} takes text, not a file")
            return ""
        value = value.replace("\r\n", "\n").replace("\r", "\n")
        if len(value) > limit:
            self.errors.add(name, f"{what} is too long ({len(value)} characters; at most {limit})")
            return value[:limit]
        control = _ONE_LINE_CONTROL if one_line else _CONTROL
        if control.search(value):
            kind = "line breaks or control characters" if one_line else "control characters"
            self.errors.add(name, f"{what} must not contain {kind}")
            return control.sub(" ", value)
        return value


async def read_form(request: Request) -> FormData:
    """The request's form fields (parsed once; no file uploads)."""
    return await request.form(
        max_files=0, max_fields=MAX_FORM_FIELDS, max_part_size=MAX_FORM_PART_BYTES
    )
