"""What a package URL says about a package registry: its OSV ecosystem and name, and its
CVE JSON 5 package collection (``collectionURL``) and ``packageName``.

Only purl types with a registry both formats know are mapped (PyPI, npm, Maven, Go,
crates.io, ...). An ``rpm`` or ``generic`` purl names no registry, so herald names no
package for it: OSV refuses an ecosystem outside its list, and a made-up collection
would match nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from herald.domain.identity import purl_parts, purl_without_version


@dataclass(frozen=True)
class _Registry:
    ecosystem: str | None
    """OSV's name of the ecosystem (``None``: OSV has none)."""
    collection: str
    """The CVE JSON 5 ``collectionURL`` (one of the schema's examples)."""
    separator: str | None
    """How the purl's namespace joins the name in the registry (``None``: it has none)."""


_REGISTRIES = {
    "pypi": _Registry("PyPI", "https://pypi.python.org", None),
    "npm": _Registry("npm", "https://registry.npmjs.org", "/"),
    "maven": _Registry("Maven", "https://repo.maven.apache.org/maven2", ":"),
    "golang": _Registry("Go", "https://golang.org/pkg", "/"),
    "cargo": _Registry("crates.io", "https://crates.io", None),
    "gem": _Registry("RubyGems", "https://rubygems.org", None),
    "nuget": _Registry("NuGet", "https://nuget.org/packages", None),
    "composer": _Registry("Packagist", "https://packagist.org", "/"),
    "hex": _Registry("Hex", "https://repo.hex.pm", None),
    "pub": _Registry("Pub", "https://pub.dev", None),
    "cran": _Registry("CRAN", "https://cran.r-project.org", None),
    "hackage": _Registry("Hackage", "https://hackage.haskell.org", None),
    "github": _Registry(None, "https://github.com", "/"),
}


@dataclass(frozen=True)
class Package:
    """A package in a registry, as the purl names it."""

    ecosystem: str | None
    """Its OSV ecosystem, when OSV has one."""
    collection: str
    """Its CVE JSON 5 collection URL."""
    name: str
    """Its name in the registry (namespace included, as the registry writes it)."""
    purl: str
    """The purl without version, qualifiers or subpath (what OSV's ``package.purl`` is)."""


def package_of(purl: str) -> Package | None:
    """The registry package ``purl`` names, or None when it names no registry herald maps."""
    kind, namespace, name, _version = purl_parts(purl)
    registry = _REGISTRIES.get(kind)
    if registry is None:
        return None
    if namespace and registry.separator is None:
        return None
    full = f"{namespace}{registry.separator}{name}" if namespace else name
    return Package(registry.ecosystem, registry.collection, full, purl_without_version(purl))


def first_package(purls: tuple[str, ...]) -> Package | None:
    """The package of the first purl that names one."""
    for purl in purls:
        package = package_of(purl)
        if package is not None:
            return package
    return None
