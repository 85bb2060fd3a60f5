"""The JSON API's catalog bodies: products, their versions, channels and releases, as
pydantic models (they make the OpenAPI schemas)."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from herald.adapters.web.urls import PublicUrls
from herald.domain.catalog import (
    Component,
    Lifecycle,
    Product,
    ProductVersion,
    Release,
    UpdateChannel,
)
from herald.domain.components import ComponentKind, ProductComponent
from herald.domain.identity import HashAlgorithm, ProductIdentity


class FileHashModel(BaseModel):
    algorithm: HashAlgorithm = Field(examples=["sha256"])
    value: str = Field(description="Lower-case hexadecimal.")
    file_name: str = Field(examples=["XenServer-8.4.iso"])


class IdentityModel(BaseModel):
    """How customers' scanners and asset databases recognise the entry."""

    cpe: str | None = Field(
        description="A CPE 2.3 name, or null.",
        examples=["cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"],
    )
    purls: list[str] = Field(description="Package URLs, canonical form.")
    hashes: list[FileHashModel]
    model_numbers: list[str]
    skus: list[str]
    serial_numbers: list[str]
    sbom_urls: list[str] = Field(description="Where SBOMs can be retrieved.")

    @classmethod
    def build(cls, identity: ProductIdentity) -> IdentityModel:
        return cls(
            cpe=identity.cpe,
            purls=list(identity.purls),
            hashes=[
                FileHashModel(algorithm=h.algorithm, value=h.value, file_name=h.file_name)
                for h in identity.hashes
            ],
            model_numbers=list(identity.model_numbers),
            skus=list(identity.skus),
            serial_numbers=list(identity.serial_numbers),
            sbom_urls=list(identity.sbom_urls),
        )


class ProductComponentModel(BaseModel):
    id: str = Field(description="What releases' components name.", examples=["xen-hypervisor"])
    name: str = Field(examples=["Xen hypervisor"])
    kind: ComponentKind = Field(examples=["kernel"])
    identity: IdentityModel

    @classmethod
    def build(cls, component: ProductComponent) -> ProductComponentModel:
        return cls(
            id=component.id,
            name=component.name,
            kind=component.kind,
            identity=IdentityModel.build(component.identity),
        )


class ComponentModel(BaseModel):
    name: str = Field(description="Package or module name.", examples=["xen-hypervisor"])
    version: str = Field(examples=["4.17.5-20"])

    @classmethod
    def build(cls, component: Component) -> ComponentModel:
        return cls(name=component.name, version=component.version)


class ReleaseModel(BaseModel):
    name: str = Field(description="The release's version string.", examples=["8.4.2026-03-24"])
    released_on: date = Field(examples=["2026-03-24"])
    components: list[ComponentModel] = Field(description="The component versions it ships.")
    identity: IdentityModel = Field(description="The release's own identifiers.")

    @classmethod
    def build(cls, release: Release) -> ReleaseModel:
        return cls(
            name=release.name,
            released_on=release.released_on,
            components=[ComponentModel.build(c) for c in release.components],
            identity=IdentityModel.build(release.identity),
        )


class ReleaseSummary(BaseModel):
    name: str = Field(examples=["8.4.2026-03-24"])
    released_on: date = Field(examples=["2026-03-24"])


class ReleaseList(BaseModel):
    """A channel's releases, in the order they shipped."""

    data: list[ReleaseModel]


class ChannelSummary(BaseModel):
    name: str = Field(examples=["Normal"])
    release_count: int = Field(ge=0, examples=[12])
    latest_release: ReleaseSummary | None = Field(
        description="The most recent release by date, or null when there is none."
    )
    releases_url: str = Field(description="This API's list of the channel's releases.")

    @classmethod
    def build(cls, channel: UpdateChannel, releases_url: str) -> ChannelSummary:
        latest = channel.latest_release
        return cls(
            name=channel.name,
            release_count=len(channel.releases),
            latest_release=ReleaseSummary(name=latest.name, released_on=latest.released_on)
            if latest
            else None,
            releases_url=releases_url,
        )


class ChannelModel(BaseModel):
    name: str = Field(examples=["Normal"])
    releases: list[ReleaseModel] = Field(description="In the order they shipped.")
    releases_url: str

    @classmethod
    def build(cls, channel: UpdateChannel, releases_url: str) -> ChannelModel:
        return cls(
            name=channel.name,
            releases=[ReleaseModel.build(r) for r in channel.releases],
            releases_url=releases_url,
        )


class VersionSummary(BaseModel):
    name: str = Field(examples=["8.4"])
    lifecycle: Lifecycle = Field(examples=["supported"])
    state: str = Field(
        description="How the vendor names the lifecycle state.", examples=["Supported"]
    )
    covered: bool = Field(description="Bulletins cover it (only supported versions are).")
    identity: IdentityModel

    @classmethod
    def build(cls, version: ProductVersion) -> VersionSummary:
        return cls(
            name=version.name,
            lifecycle=version.lifecycle,
            state=version.state_label,
            covered=version.lifecycle.covered,
            identity=IdentityModel.build(version.identity),
        )


class VersionInProduct(VersionSummary):
    channels: list[ChannelSummary]
    url: str = Field(description="This API's view of the version.")


class VersionDetail(VersionSummary):
    """One version of a product with its channels, releases and components."""

    product: str = Field(description="The product id.", examples=["xenserver"])
    channels: list[ChannelModel]

    @classmethod
    def build_for(
        cls, product: Product, version: ProductVersion, urls: PublicUrls
    ) -> VersionDetail:
        return cls(
            **VersionSummary.build(version).model_dump(),
            product=product.id,
            channels=[
                ChannelModel.build(c, urls.releases_api(product.id, version.name, c.name))
                for c in version.channels
            ],
        )


class ProductUrls(BaseModel):
    html: str = Field(examples=["https://bulletins.example.com/products/xenserver"])
    api: str = Field(examples=["https://bulletins.example.com/api/v1/products/xenserver"])

    @classmethod
    def build(cls, urls: PublicUrls, product_id: str) -> ProductUrls:
        return cls(html=urls.product_html(product_id), api=urls.product_api(product_id))


class ProductSummary(BaseModel):
    id: str = Field(description="The product's stable key.", examples=["xenserver"])
    name: str = Field(examples=["XenServer"])
    versions: list[VersionSummary] = Field(description="Oldest first.")
    urls: ProductUrls

    @classmethod
    def build(cls, product: Product, urls: PublicUrls) -> ProductSummary:
        return cls(
            id=product.id,
            name=product.name,
            versions=[VersionSummary.build(v) for v in product.versions],
            urls=ProductUrls.build(urls, product.id),
        )


class ProductList(BaseModel):
    """Every product, in display order."""

    data: list[ProductSummary]


class ProductDetail(BaseModel):
    """A product with its versions (lifecycle) and their update channels."""

    id: str = Field(examples=["xenserver"])
    name: str = Field(examples=["XenServer"])
    update_instructions_url: str | None = Field(
        description="Where customers learn to update it (null: the publisher's page)."
    )
    versions: list[VersionInProduct] = Field(description="Oldest first.")
    components: list[ProductComponentModel] = Field(description="The pieces it includes.")
    urls: ProductUrls

    @classmethod
    def build(cls, product: Product, urls: PublicUrls) -> ProductDetail:
        return cls(
            id=product.id,
            name=product.name,
            update_instructions_url=product.update_instructions_url,
            components=[ProductComponentModel.build(c) for c in product.components],
            versions=[
                VersionInProduct(
                    **VersionSummary.build(v).model_dump(),
                    channels=[
                        ChannelSummary.build(c, urls.releases_api(product.id, v.name, c.name))
                        for c in v.channels
                    ],
                    url=urls.version_api(product.id, v.name),
                )
                for v in product.versions
            ],
            urls=ProductUrls.build(urls, product.id),
        )
