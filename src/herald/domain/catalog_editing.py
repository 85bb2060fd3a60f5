"""Editing a product one change at a time (the staff catalog pages and the CLI): each
function checks its input and returns the changed product, or raises ``ValidationError``
naming the field."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from herald.domain.catalog import (
    Component,
    Lifecycle,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
)
from herald.domain.components import ProductComponent
from herald.domain.errors import ValidationError
from herald.domain.identity import ProductIdentity
from herald.domain.ids import ProductId
from herald.domain.text import check_text
from herald.domain.urls import checked_web_url

NAME_LIMIT = 200
"""The longest name of a product, version, channel, release or component."""


def parse_lifecycle(text: str, field: str = "lifecycle") -> Lifecycle:
    """A lifecycle state by its value (``preview``, ``supported``, ``end_of_life``)."""
    try:
        return Lifecycle(text.strip())
    except ValueError:
        choices = ", ".join(state.value for state in Lifecycle)
        raise ValidationError(
            field, f"{text!r} is not a lifecycle state (one of {choices})"
        ) from None


def parse_release_date(text: str, field: str = "released_on") -> date:
    """The day a release shipped, written YYYY-MM-DD."""
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise ValidationError(field, f"{text!r} is not a date (YYYY-MM-DD)") from None


def parse_components(text: str, field: str = "components") -> tuple[Component, ...]:
    """Components written one a line as ``name version`` (blank lines ignored)."""
    components: list[Component] = []
    for number, line in enumerate(text.splitlines(), start=1):
        parts = line.split()
        if not parts:
            continue
        if len(parts) != 2:
            raise ValidationError(
                field, f"line {number}: write one component a line as 'name version'"
            )
        if any(c.name == parts[0] for c in components):
            raise ValidationError(field, f"line {number}: component {parts[0]!r} appears twice")
        components.append(Component(parts[0], parts[1]))
    return tuple(components)


def checked_name(text: str, field: str = "name") -> str:
    """A name without surrounding blanks: not empty, on one line, not too long."""
    name = text.strip()
    if not name:
        raise ValidationError(field, "must not be empty")
    if len(name) > NAME_LIMIT:
        raise ValidationError(field, f"is too long ({len(name)} characters; at most {NAME_LIMIT})")
    check_text(name, field, one_line=True)
    if not name.isprintable():
        raise ValidationError(field, "must not contain line breaks or control characters")
    return name


def checked_url(text: str, field: str = "update_instructions_url") -> str | None:
    """An optional http(s) URL (None when blank)."""
    url = text.strip()
    if not url:
        return None
    return checked_web_url(url, field)


def new_product(product_id: ProductId, name: str, update_instructions_url: str = "") -> Product:
    """A product without versions yet, its fields checked."""
    return Product(
        product_id, checked_name(name), update_instructions_url=checked_url(update_instructions_url)
    )


def with_details(product: Product, name: str, update_instructions_url: str = "") -> Product:
    """``product`` with a new display name and update-instructions URL (its id stays)."""
    return replace(
        product,
        name=checked_name(name),
        update_instructions_url=checked_url(update_instructions_url),
    )


def with_version(product: Product, version: ProductVersion) -> Product:
    """``product`` with a new version, added last (versions are listed oldest first)."""
    name = checked_name(version.name)
    if any(v.name == name for v in product.versions):
        raise ValidationError("name", f"{product.name} has a version {name!r} already")
    return replace(product, versions=(*product.versions, replace(version, name=name)))


def with_version_state(
    product: Product, version: str, lifecycle: Lifecycle, label: str | None
) -> Product:
    """``product`` with ``version`` in a new lifecycle state (and prose label)."""
    current = _version_of(product, version)
    changed = replace(current, lifecycle=lifecycle, lifecycle_label=(label or "").strip() or None)
    return _replace_version(product, changed)


def with_channel(product: Product, version: str, channel: str, *, hidden: bool = False) -> Product:
    """``product`` with a new, empty update channel on ``version`` (``hidden`` until a
    public bulletin names it, when asked)."""
    current = _version_of(product, version)
    name = checked_name(channel)
    if any(c.name == name for c in current.channels):
        raise ValidationError(
            "name", f"{product.name} {current.name} has a channel {name!r} already"
        )
    changed = replace(current, channels=(*current.channels, UpdateChannel(name, hidden=hidden)))
    return _replace_version(product, changed)


def with_release(product: Product, version: str, channel: str, release: Release) -> Product:
    """``product`` with a new release shipped on ``channel`` of ``version``."""
    current = _version_of(product, version)
    stream = _channel_of(product, current, channel)
    name = checked_name(release.name)
    _check_shipped(product, release)
    if any(r.name == name for r in stream.releases):
        raise ValidationError(
            "name", f"{product.name} {current.name} / {stream.name} has a release {name!r} already"
        )
    added = replace(stream, releases=(*stream.releases, replace(release, name=name)))
    return _replace_channel(product, current, added)


def with_release_changed(product: Product, version: str, channel: str, release: Release) -> Product:
    """``product`` with the release of the same name on that channel replaced by ``release``
    (its date and components; a release keeps its name, which bulletins refer to, its
    visibility, which ``with_hidden`` changes, and its identifiers, ``with_identity``'s)."""
    current = _version_of(product, version)
    stream = _channel_of(product, current, channel)
    stored = _release_of(product, current, stream, release.name)
    _check_shipped(product, release)
    changed = replace(release, hidden=stored.hidden, identity=stored.identity)
    releases = tuple(changed if r.name == release.name else r for r in stream.releases)
    return _replace_channel(product, current, replace(stream, releases=releases))


def with_hidden(
    product: Product,
    hidden: bool,
    version: str | None = None,
    channel: str | None = None,
    release: str | None = None,
) -> Product:
    """``product`` with one entry marked hidden (or not): the product itself, or the
    version, channel or release named (each name needs the ones before it)."""
    if version is None:
        if channel is not None or release is not None:
            raise ValidationError("version", "name the version of the channel or release")
        return replace(product, hidden=hidden)
    current = _version_of(product, version)
    if channel is None:
        if release is not None:
            raise ValidationError("channel", "name the channel of the release")
        return _replace_version(product, replace(current, hidden=hidden))
    stream = _channel_of(product, current, channel)
    if release is None:
        return _replace_channel(product, current, replace(stream, hidden=hidden))
    stored = _release_of(product, current, stream, release)
    changed = replace(stored, hidden=hidden)
    releases = tuple(changed if r.name == release else r for r in stream.releases)
    return _replace_channel(product, current, replace(stream, releases=releases))


def with_identity(
    product: Product,
    identity: ProductIdentity,
    version: str,
    channel: str | None = None,
    release: str | None = None,
) -> Product:
    """``product`` with ``identity`` replacing the identifiers of the version named, or of
    the release named (with its channel)."""
    current = _version_of(product, version)
    if channel is None:
        if release is not None:
            raise ValidationError("channel", "name the channel of the release")
        return _replace_version(product, replace(current, identity=identity))
    if release is None:
        raise ValidationError("release", "name the release (a channel has no identifiers)")
    stream = _channel_of(product, current, channel)
    stored = _release_of(product, current, stream, release)
    changed = replace(stored, identity=identity)
    releases = tuple(changed if r.name == release else r for r in stream.releases)
    return _replace_channel(product, current, replace(stream, releases=releases))


def identity_of(
    product: Product, version: str, channel: str | None = None, release: str | None = None
) -> ProductIdentity:
    """The identifiers of the version named, or of the release named (with its channel)."""
    current = _version_of(product, version)
    if channel is None or release is None:
        return current.identity
    return _release_of(product, current, _channel_of(product, current, channel), release).identity


def with_component(product: Product, component: ProductComponent) -> Product:
    """``product`` with ``component`` replacing the component of the same id, or added
    last; its name checked."""
    checked = replace(component, name=checked_name(component.name))
    if any(c.id == checked.id for c in product.components):
        components = tuple(checked if c.id == checked.id else c for c in product.components)
    else:
        components = (*product.components, checked)
    return replace(product, components=components)


def _check_shipped(product: Product, release: Release) -> None:
    """When the product declares components, a release ships only those."""
    known = {component.id for component in product.components}
    for number, shipped in enumerate(release.components, start=1):
        if known and shipped.name not in known:
            raise ValidationError(
                "components",
                f"line {number}: {shipped.name!r} is not a component of {product.name} "
                f"(its components: {', '.join(sorted(known))})",
            )


def _version_of(product: Product, version: str) -> ProductVersion:
    for candidate in product.versions:
        if candidate.name == version:
            return candidate
    raise ValidationError("version", f"{product.name} has no version {version!r}")


def _channel_of(product: Product, version: ProductVersion, channel: str) -> UpdateChannel:
    for candidate in version.channels:
        if candidate.name == channel:
            return candidate
    raise ValidationError("channel", f"{product.name} {version.name} has no channel {channel!r}")


def _release_of(
    product: Product, version: ProductVersion, channel: UpdateChannel, release: str
) -> Release:
    for candidate in channel.releases:
        if candidate.name == release:
            return candidate
    raise ValidationError(
        "release", f"{product.name} {version.name} / {channel.name} has no release {release!r}"
    )


def _replace_version(product: Product, version: ProductVersion) -> Product:
    versions = tuple(version if v.name == version.name else v for v in product.versions)
    return replace(product, versions=versions)


def _replace_channel(product: Product, version: ProductVersion, channel: UpdateChannel) -> Product:
    channels = tuple(channel if c.name == channel.name else c for c in version.channels)
    return _replace_version(product, replace(version, channels=channels))
