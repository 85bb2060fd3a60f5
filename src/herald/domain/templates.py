"""Narrative templates: text with ``{name}`` placeholders filled from a bulletin's facts."""

from __future__ import annotations

import string
from collections.abc import Mapping

from herald.domain.errors import ValidationError

TEMPLATE_VARIABLES: Mapping[str, str] = {
    "brand": "the publisher's brand, e.g. Citrix",
    "publisher": "the publisher's legal name",
    "short_name": "the publisher's short name, e.g. Cloud SG",
    "affected_products": "the affected versions in prose, e.g. XenServer 8.4",
    "fixed_channels": (
        "the channels with a fix in prose, e.g. "
        "'both the Early Access and Normal update channels of XenServer 8.4'"
    ),
    "update_instructions_url": "where customers learn to update the affected product",
    "knowledge_center_url": "the publisher's list of bulletins",
    "support_url": "the publisher's support contacts",
    "alerts_url": "where customers subscribe to alerts",
    "reporting_url": "where researchers report vulnerabilities",
    "product": "(notes only) the product name of a version not covered",
    "version": "(notes only) the version name of a version not covered",
    "state": "(notes only) the vendor's words for its state, e.g. Public Preview",
}
"""Every placeholder a template may use, with what it stands for."""

_FORMATTER = string.Formatter()


def placeholders(template: str, field: str) -> list[str]:
    """The placeholder names in ``template``; raises when the template is malformed."""
    try:
        parsed = list(_FORMATTER.parse(template))
    except ValueError as error:
        raise ValidationError(
            field, f"malformed template ({error}); write {{{{ for a brace"
        ) from error
    names: list[str] = []
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion or not name.isidentifier():
            raise ValidationError(field, f"placeholder {{{name}}} must be a plain name")
        names.append(name)
    return names


def check_template(template: str, field: str) -> None:
    """Raise when ``template`` is malformed or names an unknown placeholder."""
    for name in placeholders(template, field):
        if name not in TEMPLATE_VARIABLES:
            known = ", ".join(sorted(TEMPLATE_VARIABLES))
            raise ValidationError(field, f"unknown placeholder {{{name}}} (known: {known})")


def fill(template: str, values: Mapping[str, str], field: str) -> str:
    """The template with every placeholder replaced by its value."""
    check_template(template, field)
    return template.format_map(_Values(values, field))


class _Values(dict[str, str]):
    def __init__(self, values: Mapping[str, str], field: str) -> None:
        super().__init__(values)
        self._field = field

    def __missing__(self, key: str) -> str:
        raise ValidationError(self._field, f"placeholder {{{key}}} has no value here")


def join_words(items: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
