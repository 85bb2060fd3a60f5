"""What a subscription may name, checked in the caller's transaction: a filter whose
products and versions are in the public catalog (an entry hidden until a bulletin names
it is refused as an unknown one, so the answer tells nothing of it) and whose severity
is on the publisher's scale, and a subscriber group that exists."""

from __future__ import annotations

from herald.domain.alerts import AlertFilter
from herald.domain.catalog import Catalog
from herald.domain.errors import NotFound, ValidationError
from herald.services._context import public_catalog_of, require_publisher
from herald.services.ports.unit_of_work import UnitOfWork


def check_group(uow: UnitOfWork, group: str | None) -> None:
    if group is not None and uow.subscriptions.find_group(group) is None:
        raise NotFound(f"no subscriber group {group}")


def check_filter(uow: UnitOfWork, alert_filter: AlertFilter) -> None:
    catalog: Catalog = public_catalog_of(uow)
    products = {str(product.id): product for product in catalog.products}
    for product_id in alert_filter.products:
        if product_id not in products:
            raise ValidationError("products", f"no product {product_id!r}")
    for name in alert_filter.versions:
        product_id, _, version = name.partition(":")
        product = products.get(product_id)
        if product is None or version not in {v.name for v in product.versions}:
            raise ValidationError("versions", f"no version {name!r}")
    severity = alert_filter.minimum_severity
    if severity is not None and severity not in require_publisher(uow).severities:
        raise ValidationError("minimum_severity", f"{severity!r} is not on the scale")
