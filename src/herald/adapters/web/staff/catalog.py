"""Staff routes for the catalog under ``/staff/catalog``: the products, and on each
product's page its versions with their lifecycle state, update channels and releases,
with a small form for each change.

Every signed-in member may look; the catalog service decides who may change
(``Action.MANAGE_CATALOG``: publishers and admins) and writes one audit entry per
change. Every POST passes ``staff_session.protect`` (same origin and the CSRF token); a
form with a problem comes back (422) with the message next to its field and nothing
saved; a change redirects to the product's page. The forms' fields, and the paths
they post to, are ``catalog_forms.py``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from starlette.concurrency import run_in_threadpool

from herald.adapters.web.deps import CatalogDep
from herald.adapters.web.forms import FormErrors, FormReader, read_form
from herald.adapters.web.staff.catalog_forms import (
    CHANNEL,
    COMPONENTS,
    CPE,
    DATE,
    LABEL,
    LIFECYCLE,
    LIFECYCLES,
    NAME,
    PURLS,
    RELEASE,
    URL,
    VERSION,
    FormField,
    checked_product_id,
    place_error,
    product_path,
    read_fields,
    release_path,
    version_form,
)
from herald.adapters.web.staff.pages import page, see_other
from herald.adapters.web.staff.session import SignedIn, Staff, flash, may, protect
from herald.domain.accounts import Action
from herald.domain.catalog import Product
from herald.domain.errors import Conflict, NotFound, ValidationError
from herald.services.catalog import CatalogService

router = APIRouter(
    prefix="/staff/catalog", dependencies=[Depends(protect)], include_in_schema=False
)

Call = Callable[[dict[str, str]], object]
"""Runs the service call with the typed values (in a worker thread)."""


# --- the list of products ----------------------------------------------------------------


async def _products_page(
    request: Request,
    catalog_service: CatalogService,
    staff: Staff,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    catalog = await run_in_threadpool(catalog_service.catalog)
    return page(
        request,
        "catalog/index.html",
        staff,
        {"products": catalog.products, "errors": errors or {}, "typed": typed or {}},
        status=status,
    )


@router.get("/")
async def products(request: Request, catalog: CatalogDep, staff: SignedIn) -> Response:
    return await _products_page(request, catalog, staff)


@router.post("/")
async def add_product(
    request: Request, catalog: CatalogDep, staff: Annotated[Staff, may(Action.MANAGE_CATALOG)]
) -> Response:
    fields = (FormField("id", "the id", 64), NAME, URL)
    reader = FormReader(await read_form(request))
    typed = read_fields(reader, fields)
    if not reader.errors:
        try:
            added = await run_in_threadpool(
                catalog.add_product,
                typed["id"],
                typed["name"],
                typed["update_instructions_url"],
                staff.actor,
            )
        except (ValidationError, Conflict) as error:
            place_error(reader.errors, error, fields)
        else:
            flash(request, f"Product {added.name} added.")
            return see_other(product_path(added.id))
    return await _products_page(request, catalog, staff, reader.errors, typed, 422)


# --- a product's page --------------------------------------------------------------------


async def _product(catalog: CatalogService, product_id: str) -> Product:
    return await run_in_threadpool(catalog.product, checked_product_id(product_id))


async def _product_page(
    request: Request,
    catalog: CatalogService,
    staff: Staff,
    product_id: str,
    failed: str | None = None,
    errors: FormErrors | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    product = await _product(catalog, product_id)
    return page(
        request,
        "catalog/product.html",
        staff,
        {
            "product": product,
            "lifecycles": LIFECYCLES,
            "release_path": release_path,
            "failed": failed,
            "errors": errors or {},
            "typed": typed or {},
        },
        status=status,
    )


@router.get("/{product_id}")
async def product(
    request: Request, product_id: str, catalog: CatalogDep, staff: SignedIn
) -> Response:
    return await _product_page(request, catalog, staff, product_id)


async def _change(
    request: Request,
    catalog: CatalogService,
    staff: Staff,
    product_id: str,
    fields: Sequence[FormField],
    form_key: Callable[[Product, dict[str, str]], str | None],
    call: Call,
    done: Callable[[dict[str, str]], str],
) -> Response:
    """Read the form, make the change, and redirect; or show the page again with the
    problem next to its field (422), nothing changed."""
    staff.actor.require(Action.MANAGE_CATALOG)
    product = await _product(catalog, product_id)
    reader = FormReader(await read_form(request))
    typed = read_fields(reader, fields)
    if not reader.errors:
        try:
            await run_in_threadpool(call, typed)
        except (ValidationError, Conflict) as error:
            place_error(reader.errors, error, fields)
        else:
            flash(request, done(typed))
            return see_other(product_path(product.id))
    key = form_key(product, typed)
    return await _product_page(
        request, catalog, staff, product.id, key, reader.errors, typed, status=422
    )


@router.post("/{product_id}")
async def change_product(
    request: Request, product_id: str, catalog: CatalogDep, staff: SignedIn
) -> Response:

    def call(typed: dict[str, str]) -> object:
        return catalog.change_product(
            product_id, typed["name"], typed["update_instructions_url"], staff.actor
        )

    return await _change(
        request,
        catalog,
        staff,
        product_id,
        (NAME, URL),
        lambda _product, _typed: "product",
        call,
        lambda typed: f"Product {typed['name'].strip()} saved.",
    )


@router.post("/{product_id}/versions")
async def add_version(
    request: Request, product_id: str, catalog: CatalogDep, staff: SignedIn
) -> Response:

    def call(typed: dict[str, str]) -> object:
        return catalog.add_version(
            product_id, typed["name"], typed["lifecycle"], typed["lifecycle_label"], staff.actor
        )

    return await _change(
        request,
        catalog,
        staff,
        product_id,
        (NAME, LIFECYCLE, LABEL),
        lambda _product, _typed: "version-new",
        call,
        lambda typed: f"Version {typed['name'].strip()} added.",
    )


@router.post("/{product_id}/lifecycle")
async def change_version(
    request: Request, product_id: str, catalog: CatalogDep, staff: SignedIn
) -> Response:

    def call(typed: dict[str, str]) -> object:
        return catalog.change_version(
            product_id, typed["version"], typed["lifecycle"], typed["lifecycle_label"], staff.actor
        )

    return await _change(
        request,
        catalog,
        staff,
        product_id,
        (VERSION, LIFECYCLE, LABEL),
        version_form("lifecycle"),
        call,
        lambda typed: f"Version {typed['version']} saved.",
    )


@router.post("/{product_id}/identity")
async def change_identity(
    request: Request, product_id: str, catalog: CatalogDep, staff: SignedIn
) -> Response:
    """A version's CPE and purls (one a line), as customers' scanners match them."""

    def call(typed: dict[str, str]) -> object:
        purls = typed["purls"].splitlines()
        return catalog.set_cpe_and_purls(
            product_id, typed["version"], typed["cpe"], purls, staff.actor
        )

    return await _change(
        request,
        catalog,
        staff,
        product_id,
        (VERSION, CPE, PURLS),
        version_form("identity"),
        call,
        lambda typed: f"Identifiers of {typed['version']} saved.",
    )


@router.post("/{product_id}/channels")
async def add_channel(
    request: Request, product_id: str, catalog: CatalogDep, staff: SignedIn
) -> Response:

    def call(typed: dict[str, str]) -> object:
        return catalog.add_channel(product_id, typed["version"], typed["name"], staff.actor)

    return await _change(
        request,
        catalog,
        staff,
        product_id,
        (VERSION, NAME),
        version_form("channel"),
        call,
        lambda typed: f"Channel {typed['name'].strip()} added to {typed['version']}.",
    )


@router.post("/{product_id}/releases")
async def add_release(
    request: Request, product_id: str, catalog: CatalogDep, staff: SignedIn
) -> Response:
    """A release shipped on a channel: what a bulletin's fix names (no YAML needed)."""

    def call(typed: dict[str, str]) -> object:
        return catalog.add_release(
            product_id,
            typed["version"],
            typed["channel"],
            typed["name"],
            typed["released_on"],
            typed["components"],
            staff.actor,
        )

    return await _change(
        request,
        catalog,
        staff,
        product_id,
        (VERSION, CHANNEL, NAME, DATE, COMPONENTS),
        version_form("release"),
        call,
        lambda typed: (
            f"Release {typed['name'].strip()} added to {typed['version']} / {typed['channel']}."
        ),
    )


# --- one release -------------------------------------------------------------------------


def _release_page(
    request: Request,
    staff: Staff,
    product: Product,
    typed: dict[str, str],
    errors: FormErrors | None = None,
    status: int = 200,
) -> Response:
    context: dict[str, Any] = {"product": product, "typed": typed, "errors": errors or {}}
    return page(request, "catalog/release.html", staff, context, status=status)


@router.get("/{product_id}/release")
async def release(
    request: Request,
    product_id: str,
    catalog: CatalogDep,
    staff: Annotated[Staff, may(Action.MANAGE_CATALOG)],
    version: str = "",
    channel: str = "",
    release: str = "",
) -> Response:
    """The form that changes a release's date and components."""
    product = await _product(catalog, product_id)
    try:
        shipped = product.version(version).channel(channel).release(release)
    except NotFound:
        raise NotFound(
            f"{product.name} has no release {release[:70]!r} on {version[:70]} / {channel[:70]}"
        ) from None
    typed = {
        "version": version,
        "channel": channel,
        "release": release,
        "released_on": shipped.released_on.isoformat(),
        "components": "\n".join(f"{c.name} {c.version}" for c in shipped.components),
    }
    return _release_page(request, staff, product, typed)


@router.post("/{product_id}/release")
async def change_release(
    request: Request,
    product_id: str,
    catalog: CatalogDep,
    staff: Annotated[Staff, may(Action.MANAGE_CATALOG)],
) -> Response:
    product = await _product(catalog, product_id)
    fields = (VERSION, CHANNEL, RELEASE, DATE, COMPONENTS)
    reader = FormReader(await read_form(request))
    typed = read_fields(reader, fields)
    if not reader.errors:
        try:
            await run_in_threadpool(
                catalog.change_release,
                product.id,
                typed["version"],
                typed["channel"],
                typed["release"],
                typed["released_on"],
                typed["components"],
                staff.actor,
            )
        except ValidationError as error:
            place_error(reader.errors, error, fields)
        else:
            flash(request, f"Release {typed['release']} saved.")
            return see_other(product_path(product.id))
    return _release_page(request, staff, product, typed, reader.errors, 422)
