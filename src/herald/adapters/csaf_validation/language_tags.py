"""BCP 47 language tags (RFC 5646) checked against the IANA subtag registry (6.1.12, 6.2.14)."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

_ALNUM = re.compile(r"[a-z0-9]+")
_REGISTERED_EXTENSIONS = frozenset({"t", "u"})


@dataclass(frozen=True, slots=True)
class LanguageTag:
    """The parts of a well-formed tag, lower case."""

    language: str | None
    extlangs: tuple[str, ...]
    script: str | None
    region: str | None
    variants: tuple[str, ...]
    extensions: tuple[tuple[str, tuple[str, ...]], ...]
    private_use: tuple[str, ...]
    whole_tag: str
    """The tag lower-cased (for grandfathered tags and ``i-default``)."""


@dataclass(frozen=True, slots=True)
class _Registry:
    language: frozenset[str]
    extlang: frozenset[str]
    script: frozenset[str]
    region: frozenset[str]
    variant: frozenset[str]
    whole_tags: frozenset[str]
    ranges: dict[str, tuple[tuple[str, str], ...]]


@cache
def _registry() -> _Registry:
    text = (
        resources.files(__package__)
        .joinpath("data")
        .joinpath("language-subtags.json")
        .read_text("utf-8")
    )
    data: dict[str, Any] = json.loads(text)

    def plain(kind: str) -> frozenset[str]:
        return frozenset(value for value in data[kind] if ".." not in value)

    def ranges(kind: str) -> tuple[tuple[str, str], ...]:
        return tuple(
            (low, high)
            for low, high in (value.split("..") for value in data[kind] if ".." in value)
        )

    return _Registry(
        language=plain("language"),
        extlang=plain("extlang"),
        script=plain("script"),
        region=plain("region"),
        variant=plain("variant"),
        whole_tags=frozenset(data["grandfathered"]) | frozenset(data["redundant"]),
        ranges={kind: ranges(kind) for kind in ("language", "script", "region")},
    )


def parse_language_tag(tag: str) -> LanguageTag | None:
    """The parts of a well-formed tag (RFC 5646 section 2.1), or None."""
    lowered = tag.lower()
    parts = lowered.split("-")
    if any(not part or len(part) > 8 or not _ALNUM.fullmatch(part) for part in parts):
        return _whole(lowered)
    if parts[0] == "x":
        return _private_only(parts, lowered)
    index = 0
    language = parts[0]
    if not language.isalpha() or not 2 <= len(language) <= 8 or len(language) == 4:
        return _whole(lowered)
    index = 1
    extlangs: list[str] = []
    if len(language) <= 3:
        while index < len(parts) and len(extlangs) < 3 and _is_alpha(parts[index], 3):
            extlangs.append(parts[index])
            index += 1
    script = None
    if index < len(parts) and _is_alpha(parts[index], 4):
        script = parts[index]
        index += 1
    region = None
    if index < len(parts) and (
        _is_alpha(parts[index], 2) or (len(parts[index]) == 3 and parts[index].isdigit())
    ):
        region = parts[index]
        index += 1
    variants: list[str] = []
    while index < len(parts) and (
        5 <= len(parts[index]) <= 8 or (len(parts[index]) == 4 and parts[index][0].isdigit())
    ):
        variants.append(parts[index])
        index += 1
    extensions: list[tuple[str, tuple[str, ...]]] = []
    while index < len(parts) and len(parts[index]) == 1 and parts[index] != "x":
        singleton = parts[index]
        index += 1
        values: list[str] = []
        while index < len(parts) and 2 <= len(parts[index]) <= 8:
            values.append(parts[index])
            index += 1
        if not values:
            return _whole(lowered)
        extensions.append((singleton, tuple(values)))
    private: tuple[str, ...] = ()
    if index < len(parts) and parts[index] == "x":
        private = tuple(parts[index + 1 :])
        if not private:
            return _whole(lowered)
        index = len(parts)
    if index != len(parts):
        return _whole(lowered)
    return LanguageTag(
        language,
        tuple(extlangs),
        script,
        region,
        tuple(variants),
        tuple(extensions),
        private,
        lowered,
    )


def _is_alpha(part: str, length: int) -> bool:
    return len(part) == length and part.isalpha()


def _private_only(parts: list[str], lowered: str) -> LanguageTag | None:
    if len(parts) < 2:
        return None
    return LanguageTag(None, (), None, None, (), (), tuple(parts[1:]), lowered)


def _whole(lowered: str) -> LanguageTag | None:
    """Grandfathered tags such as ``i-default`` that the grammar above does not cover."""
    if lowered in _registry().whole_tags:
        return LanguageTag(None, (), None, None, (), (), (), lowered)
    return None


def _registered(kind: str, subtag: str) -> bool:
    registry = _registry()
    if subtag in getattr(registry, kind):
        return True
    return any(low <= subtag <= high for low, high in registry.ranges.get(kind, ()))


def language_tag_problem(tag: str) -> str | None:
    """Why ``tag`` is not a valid language tag (well-formed, every subtag registered), or None."""
    parsed = parse_language_tag(tag)
    if parsed is None:
        return f"{tag!r} is not a well-formed language tag"
    if parsed.whole_tag in _registry().whole_tags:
        return None
    checks = [("language", parsed.language)] if parsed.language else []
    checks += [("extlang", extlang) for extlang in parsed.extlangs]
    checks += [("script", parsed.script)] if parsed.script else []
    checks += [("region", parsed.region)] if parsed.region else []
    checks += [("variant", variant) for variant in parsed.variants]
    for kind, subtag in checks:
        if subtag is not None and not _registered(kind, subtag):
            return f"{subtag!r} in {tag!r} is not a registered {kind} subtag"
    if len(set(parsed.variants)) != len(parsed.variants):
        return f"{tag!r} repeats a variant subtag"
    singletons = [singleton for singleton, _ in parsed.extensions]
    if len(set(singletons)) != len(singletons):
        return f"{tag!r} repeats an extension singleton"
    unknown = [singleton for singleton in singletons if singleton not in _REGISTERED_EXTENSIONS]
    if unknown:
        return f"the extension {unknown[0]!r} in {tag!r} is not registered"
    return None


_PRIVATE_RANGES = {
    "language": (("qaa", "qtz"),),
    "script": (("qaaa", "qabx"),),
    "region": (("aa", "aa"), ("qm", "qz"), ("xa", "xz"), ("zz", "zz")),
}


def uses_private_subtags(tag: str) -> bool:
    """True when the tag has a private-use subtag or a private-use part (6.2.14)."""
    parsed = parse_language_tag(tag)
    if parsed is None:
        return False
    if parsed.private_use:
        return True
    for kind, subtag in (
        ("language", parsed.language),
        ("script", parsed.script),
        ("region", parsed.region),
    ):
        if subtag is not None and any(low <= subtag <= high for low, high in _PRIVATE_RANGES[kind]):
            return True
    return False
