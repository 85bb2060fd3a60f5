"""The demo data: the publisher, catalog and bulletin of the reference CTX696397, and a
VEX statement (CTX696398) for the tour."""

from __future__ import annotations

from datetime import UTC, date, datetime

from herald.domain import (
    ArticleId,
    Bulletin,
    BulletinContent,
    Catalog,
    ChannelRef,
    Component,
    ComponentKind,
    CveId,
    Fix,
    Lifecycle,
    Product,
    ProductComponent,
    ProductId,
    ProductIdentity,
    ProductVersion,
    Publisher,
    Release,
    UpdateChannel,
    VersionRef,
)
from herald.domain.statements import BulletinKind, Justification, NotAffected
from herald.domain.workflow import new_draft, publish

DISCLAIMER = (
    'The information on this page is being provided to you on an "AS IS" and "AS-AVAILABLE" '
    "basis. The issues described on this page may or may not impact your system(s). Cloud "
    'Software Group, Inc. and its subsidiaries (collectively, "Cloud SG") make no '
    "representations, warranties, or guarantees as to the information contained herein. ANY "
    "AND ALL WARRANTIES, EXPRESS OR IMPLIED, INCLUDING, WITHOUT LIMITATION, INCLUDING, BUT NOT "
    "LIMITED TO, IMPLIED WARRANTIES OF MERCHANTABILITY, NON-INFRINGEMENT AND FITNESS FOR A "
    "PARTICULAR PURPOSE ARE HEREBY DISCLAIMED. BY ACCESSING THIS PAGE, YOU ACKNOWLEDGE THAT "
    "CLOUD SG SHALL IN NO EVENT BE LIABLE FOR ANY DIRECT, INDIRECT, INCIDENTAL, PUNITIVE, OR "
    "CONSEQUENTIAL DAMAGES THAT ARISE OUT OF YOUR USE OR FAILURE TO USE THE INFORMATION "
    "CONTAINED HEREIN. Cloud SG reserves the right to change or update the information on this "
    "page at any time. We accordingly recommend that you always view the latest version of "
    "this page. The information contained herein is being provided to you under the terms of "
    "your applicable customer agreement with Cloud SG, and may be used only for the purposes "
    "contemplated by such agreement. If you do not have such an agreement with Cloud SG, this "
    "information is provided under the cloud.com Terms of Use, and may be used only for the "
    "purposes contemplated by such Terms of Use."
)

XENSERVER = ProductId("xenserver")
REFERENCE_ID = ArticleId("CTX696397")
REFERENCE_DAY = date(2026, 3, 24)
VEX_ID = ArticleId("CTX696398")
VEX_DAY = date(2026, 4, 2)


def publisher() -> Publisher:
    """Cloud Software Group, publishing under the Citrix brand."""
    return Publisher(
        name="Cloud Software Group, Inc.",
        short_name="Cloud SG",
        brand="Citrix",
        namespace_url="https://www.cloud.com",
        update_instructions_url="https://docs.xenserver.com/en-us/xenserver/8/update",
        knowledge_center_url=(
            "https://support.citrix.com/support-home/topic-article-list"
            "?trendingCategory=20&trendingTopicName=Security%20Bulletin"
        ),
        support_url="https://www.citrix.com/support",
        alerts_url="https://support.citrix.com/wolken-support/view/aboutsupport/my-support-alerts",
        reporting_url="https://www.cloud.com/trust-center/support",
        disclaimer=DISCLAIMER,
    )


def catalog() -> Catalog:
    """XenServer 8.4 (supported, two channels) and XenServer 9 (in Public Preview), with
    the CPE names NVD lists XenServer under (vendor ``citrix``), and two of its components:
    the Xen hypervisor and the XAPI toolstack."""
    hypervisor = Component("xen-hypervisor", "4.17.5-20")
    return Catalog(
        (
            Product(
                id=XENSERVER,
                name="XenServer",
                update_instructions_url="https://docs.xenserver.com/en-us/xenserver/8/update",
                components=(
                    ProductComponent(
                        "xen-hypervisor",
                        "Xen hypervisor",
                        ComponentKind.KERNEL,
                        ProductIdentity(
                            cpe="cpe:2.3:o:xen:xen:*:*:*:*:*:*:*:*",
                            purls=("pkg:rpm/xenserver/xen-hypervisor",),
                        ),
                    ),
                    ProductComponent(
                        "xapi",
                        "XAPI toolstack",
                        ComponentKind.APPLICATION,
                        ProductIdentity(purls=("pkg:rpm/xenserver/xapi",)),
                    ),
                ),
                versions=(
                    ProductVersion(
                        name="8.4",
                        lifecycle=Lifecycle.SUPPORTED,
                        identity=ProductIdentity(
                            cpe="cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"
                        ),
                        channels=(
                            UpdateChannel(
                                "Early Access",
                                (Release("8.4.2026-03-19", date(2026, 3, 19), (hypervisor,)),),
                            ),
                            UpdateChannel(
                                "Normal",
                                (Release("8.4.2026-03-24", date(2026, 3, 24), (hypervisor,)),),
                            ),
                        ),
                    ),
                    ProductVersion(
                        name="9",
                        lifecycle=Lifecycle.PREVIEW,
                        lifecycle_label="Public Preview",
                        identity=ProductIdentity(cpe="cpe:2.3:a:citrix:xenserver:9:*:*:*:*:*:*:*"),
                    ),
                ),
            ),
        )
    )


def reference_content() -> BulletinContent:
    """What the author of CTX696397 wrote."""
    return BulletinContent(
        title="XenServer Security Update for CVE-2026-4397",
        severity="Medium",
        cves=(CveId("CVE-2026-4397"),),
        problem=(
            "An issue has been identified in XenServer 8.4 which, when starting a VM on a host "
            "with limited available memory, may allow a privileged user in that newly starting "
            "VM to access memory data of a previously terminated VM."
        ),
        affected=(VersionRef(XENSERVER, "8.4"),),
        fixes=(
            Fix(ChannelRef(XENSERVER, "8.4", "Early Access"), release="8.4.2026-03-19"),
            Fix(ChannelRef(XENSERVER, "8.4", "Normal"), release="8.4.2026-03-24"),
        ),
    )


def reference_bulletin() -> Bulletin:
    """CTX696397 as published on 2026-03-24."""
    drafted = datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    published = datetime(2026, 3, 24, 16, 0, tzinfo=UTC)
    draft = new_draft(REFERENCE_ID, reference_content(), catalog(), publisher(), drafted)
    return publish(draft, catalog(), publisher(), REFERENCE_DAY, published)


def vex_content() -> BulletinContent:
    """A VEX statement: a flaw in a library XenServer 8.4 does not ship."""
    return BulletinContent(
        title="XenServer and CVE-2026-5120 in libarchive",
        kind=BulletinKind.VEX,
        cves=(CveId("CVE-2026-5120"),),
        problem=(
            "CVE-2026-5120 is a heap overflow in the RAR5 reader of libarchive 3.7. "
            "Customers have asked whether XenServer is affected."
        ),
        not_affected=(
            NotAffected(
                VersionRef(XENSERVER, "8.4"),
                Justification.COMPONENT_NOT_PRESENT,
                "XenServer 8.4 does not ship libarchive: neither the control domain nor "
                "the installer includes it.",
            ),
        ),
    )


def vex_bulletin() -> Bulletin:
    """CTX696398, a VEX statement published on 2026-04-02 (not loaded by ``herald demo``'s
    first bulletin count: CTX696397 stays the first document)."""
    drafted = datetime(2026, 4, 1, 9, 0, tzinfo=UTC)
    published = datetime(2026, 4, 2, 10, 0, tzinfo=UTC)
    draft = new_draft(VEX_ID, vex_content(), catalog(), publisher(), drafted)
    return publish(draft, catalog(), publisher(), VEX_DAY, published)
