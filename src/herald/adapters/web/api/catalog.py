"""The public JSON API's product catalog: ``/api/v1/products`` and below.

``bulletins.router`` includes this router, which gives its routes the ``/api/v1``
prefix and the declared 422 answer, after the bulletins' routes (the order of the
OpenAPI document). Every read goes through ``PublicationService``; each 200 carries a
weak ``ETag`` and ``Cache-Control`` (``responses.py``).
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Request
from fastapi.responses import Response

from herald.adapters.web.api.catalog_models import (
    ProductDetail,
    ProductList,
    ProductSummary,
    ReleaseList,
    ReleaseModel,
    VersionDetail,
)
from herald.adapters.web.api.responses import CACHE_HEADERS, NOT_MODIFIED, json_answer, not_found
from herald.adapters.web.deps import PublicationDep, SettingsDep
from herald.adapters.web.urls import PublicUrls

router = APIRouter()
"""Included by ``bulletins.router`` (prefix ``/api/v1``, the 422 answer)."""

ProductIdPath = Annotated[
    str, Path(description="The product id.", examples=["xenserver"], max_length=64)
]
VersionPath = Annotated[str, Path(description="The version name.", examples=["8.4"])]
ChannelPath = Annotated[str, Path(description="The update channel.", examples=["Normal"])]
_CATALOG_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"headers": CACHE_HEADERS},
    **NOT_MODIFIED,
}


@router.get(
    "/products",
    response_model=ProductList,
    tags=["products"],
    summary="List products",
    responses=_CATALOG_RESPONSES,
)
def list_products(request: Request, settings: SettingsDep, publication: PublicationDep) -> Response:
    """Every product with its versions and their lifecycle, in display order."""
    urls = PublicUrls(settings.base_url)
    products = publication.catalog().products
    return json_answer(request, ProductList(data=[ProductSummary.build(p, urls) for p in products]))


@router.get(
    "/products/{product_id}",
    response_model=ProductDetail,
    tags=["products"],
    summary="One product",
    responses={**_CATALOG_RESPONSES, **not_found("product")},
)
def get_product(
    request: Request, settings: SettingsDep, publication: PublicationDep, product_id: ProductIdPath
) -> Response:
    """The product's versions with their lifecycle and update channels."""
    product = publication.catalog().product(product_id)
    return json_answer(request, ProductDetail.build(product, PublicUrls(settings.base_url)))


@router.get(
    "/products/{product_id}/versions/{version}",
    response_model=VersionDetail,
    tags=["products"],
    summary="One version of a product",
    responses={**_CATALOG_RESPONSES, **not_found("product or version")},
)
def get_version(
    request: Request,
    settings: SettingsDep,
    publication: PublicationDep,
    product_id: ProductIdPath,
    version: VersionPath,
) -> Response:
    """The version's update channels with their releases and the components they ship."""
    product = publication.catalog().product(product_id)
    body = VersionDetail.build_for(product, product.version(version), PublicUrls(settings.base_url))
    return json_answer(request, body)


@router.get(
    "/products/{product_id}/versions/{version}/channels/{channel}/releases",
    response_model=ReleaseList,
    tags=["products"],
    summary="The releases of one update channel",
    responses={**_CATALOG_RESPONSES, **not_found("product, version or channel")},
)
def list_releases(
    request: Request,
    publication: PublicationDep,
    product_id: ProductIdPath,
    version: VersionPath,
    channel: ChannelPath,
) -> Response:
    """The channel's releases in the order they shipped, with their components."""
    found = publication.catalog().product(product_id).version(version).channel(channel)
    return json_answer(request, ReleaseList(data=[ReleaseModel.build(r) for r in found.releases]))
