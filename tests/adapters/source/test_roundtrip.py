"""Files <-> domain objects: whatever is written reads back equal, byte for byte stable."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import assert_type

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from herald import demo
from herald.adapters.source import (
    Origin,
    SourceBundle,
    SourceTextSerializer,
    dump_bulletin,
    dump_product,
    dump_publisher,
    load_paths,
    write_bundle,
)
from herald.domain import Bulletin, Product, Publisher, Status
from herald.services.ports.common import SourceSerializer
from tests import strategies
from tests.demo_services import demo_items

PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

bundles = st.builds(
    SourceBundle,
    publisher=st.none() | strategies.publishers,
    products=st.lists(strategies.products, max_size=3, unique_by=lambda p: p.id).map(tuple),
    bulletins=st.lists(
        strategies.bulletins, max_size=3, unique_by=lambda b: b.article_id.casefold()
    ).map(tuple),
)


def demo_bundle() -> SourceBundle:
    return SourceBundle(demo.publisher(), demo.catalog().products, (demo.reference_bulletin(),))


def _files(directory: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(directory)): path.read_bytes()
        for path in sorted(directory.rglob("*"))
        if path.is_file()
    }


def test_the_demo_data_reads_back_equal(tmp_path: Path) -> None:
    bundle = demo_bundle()

    written = write_bundle(bundle, tmp_path)
    loaded = load_paths([tmp_path])

    assert [path.relative_to(tmp_path).as_posix() for path in written] == [
        "publisher.yaml",
        "products/xenserver.yaml",
        "bulletins/CTX696397.yaml",
    ]
    assert loaded == bundle
    assert loaded.publisher == demo.publisher()
    assert loaded.products == demo.catalog().products
    assert loaded.bulletins == (demo.reference_bulletin(),)


def test_the_demo_files_read_like_a_person_wrote_them() -> None:
    bulletin = dump_bulletin(demo.reference_bulletin())
    product = dump_product(demo.catalog().products[0])
    publisher = dump_publisher(demo.publisher())

    assert bulletin.startswith("schema: herald/v1\nkind: bulletin\narticle_id: CTX696397\n")
    assert "\nstatus: published\nseverity: Medium\ncves:\n  - CVE-2026-4397\n" in bulletin
    assert "\nproblem: |-\n  An issue has been identified in XenServer 8.4 which" in bulletin
    assert "\nchangelog:\n  - date: 2026-03-24\n    summary: Initial Publication\n" in bulletin
    assert "\ncreated_at: 2026-03-20T09:00:00Z\n" in bulletin
    assert "  - product: xenserver\n    version: '8.4'\n    channel: Early Access\n" in bulletin
    assert "sections" not in bulletin  # no overrides: the defaults are left out
    assert "!!" not in bulletin + product + publisher

    assert "\n  - name: '8.4'\n    lifecycle: supported\n" in product
    assert "\n            date: 2026-03-19\n" in product
    assert "\n            components:\n              xen-hypervisor: 4.17.5-20\n" in product
    assert "\n    lifecycle_label: Public Preview\n" in product

    assert "\nbrand: Citrix\n" in publisher
    assert "\ndisclaimer: >-\n  The information on this page" in publisher
    for default in ("sections", "preview_note", "article_ids", "severities"):
        assert default not in publisher


def test_defaults_written_only_when_they_differ() -> None:
    publisher = demo.publisher()
    custom = Publisher(
        **{
            **publisher.__dict__,
            "severities": ("High", "Low"),
            "article_ids": type(publisher.article_ids)("SEC", 6),
        }
    )

    text = dump_publisher(custom)

    assert "\narticle_ids:\n  prefix: SEC\nseverities:\n  - High\n  - Low\n" in text


def test_items_from_the_service_are_written_like_a_bundle(tmp_path: Path) -> None:
    items = demo_items()

    write_bundle(items, tmp_path / "a")
    write_bundle(demo_bundle(), tmp_path / "b")

    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    assert load_paths([tmp_path / "a"]).items == demo_bundle().items


def test_origins_locate_fields_for_later_errors(tmp_path: Path) -> None:
    write_bundle(demo_bundle(), tmp_path)
    bundle = load_paths([tmp_path])
    origin = bundle.origin("bulletin:CTX696397")

    assert origin is not None
    assert_type(origin, Origin)
    lines = (tmp_path / "bulletins" / "CTX696397.yaml").read_text().splitlines()
    assert lines[origin.line_of("fixes[1].release") - 1] == "    release: 8.4.2026-03-24"
    assert lines[origin.line_of("fixes[1]") - 1] == "  - product: xenserver"
    assert lines[origin.line_of("changelog.summary") - 1] == "changelog:"
    assert bundle.locate("bulletin:CTX696397") == str(tmp_path / "bulletins" / "CTX696397.yaml")
    assert bundle.locate("bulletin:CTX696397", "severity") == (
        f"{tmp_path / 'bulletins' / 'CTX696397.yaml'}:6"
    )
    assert bundle.locate("product:nothing") is None
    assert bundle.locate("publisher", "brand") == f"{tmp_path / 'publisher.yaml'}:5"


HAND_WRITTEN = """\
# A product as a person might write it: flow lists, unquoted versions, a list of components.
schema: herald/v1
kind: product
id: demo
name: yes
versions:
  - name: 8.10
    lifecycle: end_of_life
    lifecycle_label: null
    channels:
      - name: LTS
        releases:
          - name: 8.10.1
            date: 2020-01-31
            components: [{name: a, version: 1.0}, {name: a, version: 1.1}]
  - {name: 9, lifecycle: preview, lifecycle_label: ~}
"""


def test_hand_written_forms_read_as_text(tmp_path: Path) -> None:
    (tmp_path / "demo.yaml").write_text(HAND_WRITTEN, encoding="utf-8")

    (product,) = load_paths([tmp_path]).products

    assert product.name == "yes"
    assert [v.name for v in product.versions] == ["8.10", "9"]
    assert product.versions[0].lifecycle_label is None
    assert product.versions[1].lifecycle_label is None
    release = product.versions[0].channels[0].releases[0]
    assert release.released_on == date(2020, 1, 31)
    assert [(c.name, c.version) for c in release.components] == [("a", "1.0"), ("a", "1.1")]
    assert "  - name: '8.10'\n" in dump_product(product)
    assert "            components:\n              - name: a\n" in dump_product(product)


def test_times_with_an_offset_are_kept_in_utc(tmp_path: Path) -> None:
    text = dump_bulletin(demo.reference_bulletin()).replace(
        "created_at: 2026-03-20T09:00:00Z", "created_at: 2026-03-20T10:30:00+01:30"
    )
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")

    (bulletin,) = load_paths([tmp_path]).bulletins

    assert bulletin.created_at == datetime(2026, 3, 20, 9, 0, tzinfo=UTC)
    assert bulletin.created_at.tzinfo is UTC
    assert bulletin == demo.reference_bulletin()


def test_a_bundle_is_a_set_in_id_order() -> None:
    bulletin = demo.reference_bulletin()
    other = Bulletin(**{**bulletin.__dict__, "article_id": "CTX000001"})
    product = demo.catalog().products[0]
    another = Product(**{**product.__dict__, "id": "alpha"})

    bundle = SourceBundle(None, (product, another), (bulletin, other))

    assert [p.id for p in bundle.products] == ["alpha", "xenserver"]
    assert [b.article_id for b in bundle.bulletins] == ["CTX000001", "CTX696397"]
    assert bundle == SourceBundle(None, (another, product), (other, bulletin))


@PROPERTY
@given(bundles)
@example(demo_bundle())
def test_any_bundle_reads_back_equal_and_writes_the_same_bytes(bundle: SourceBundle) -> None:
    with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
        written = write_bundle(bundle, Path(first))
        assert load_paths(written) == bundle
        loaded = load_paths([Path(first)])
        assert loaded == bundle
        write_bundle(loaded, Path(second))
        assert _files(Path(first)) == _files(Path(second))


@PROPERTY
@given(strategies.bulletins)
def test_dumping_a_bulletin_is_deterministic(bulletin: Bulletin) -> None:
    assert dump_bulletin(bulletin) == dump_bulletin(bulletin)


@PROPERTY
@given(st.lists(strategies.products, min_size=1, max_size=1))
def test_a_product_file_reads_back_equal(found: list[Product]) -> None:
    (product,) = found
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "any-name.yml")
        path.write_text(dump_product(product), encoding="utf-8")
        assert load_paths([path]).products == (product,)


HIDDEN_PRODUCT = """\
schema: herald/v1
kind: product
id: secret
name: Secret Appliance
hidden: true
versions:
  - name: '1.0'
    lifecycle: supported
    hidden: true
    channels:
      - name: Normal
        hidden: true
        releases:
          - name: 1.0.1
            date: 2026-11-02
            hidden: true
          - name: 1.0.2
            date: 2026-11-03
            components:
              xen: 4.17.5-21
      - name: Early Access
"""


def test_hidden_entries_are_written_only_when_hidden_and_read_back(tmp_path: Path) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text(HIDDEN_PRODUCT, encoding="utf-8")
    (product,) = load_paths([path]).products
    version = product.version("1.0")
    normal = version.channel("Normal")
    assert product.hidden and version.hidden and normal.hidden
    assert [r.hidden for r in normal.releases] == [True, False]
    assert not version.channel("Early Access").hidden
    assert dump_product(product) == HIDDEN_PRODUCT
    assert "hidden" not in dump_product(demo.catalog().products[0])


@pytest.mark.parametrize("written", ["true", "True", "TRUE", "false", "False", "FALSE"])
def test_hidden_takes_the_yaml_booleans_editors_read(written: str, tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(
        f"schema: herald/v1\nkind: product\nid: p\nname: P\nhidden: {written}\n",
        encoding="utf-8",
    )
    assert load_paths([path]).products[0].hidden is (written.lower() == "true")


def _scheduled() -> Bulletin:
    published = demo.reference_bulletin()
    return replace(
        published,
        status=Status.SCHEDULED,
        changelog=(),
        not_covered=(),
        published_at=None,
        created_by="alice",
        submitted_by="alice.b",
        approved_by="bob-2",
        release_at=datetime(2026, 4, 14, 16, 0, tzinfo=UTC),
    )


def test_review_and_embargo_fields_are_written_last_and_read_back(tmp_path: Path) -> None:
    scheduled = _scheduled()

    text = dump_bulletin(scheduled)
    (tmp_path / "b.yaml").write_text(text, encoding="utf-8")

    assert "\nstatus: scheduled\n" in text
    assert text.endswith(
        "release_at: 2026-04-14T16:00:00Z\n"
        "created_by: alice\n"
        "submitted_by: alice.b\n"
        "approved_by: bob-2\n"
    )
    assert load_paths([tmp_path]).bulletins == (scheduled,)


def test_review_fields_are_left_out_when_not_set() -> None:
    text = dump_bulletin(demo.reference_bulletin())
    for field in ("release_at", "created_by", "submitted_by", "approved_by"):
        assert field not in text


@pytest.mark.parametrize("status", list(Status))
def test_every_status_reads_back(status: Status, tmp_path: Path) -> None:
    bulletin = replace(_scheduled(), status=status)
    (tmp_path / "b.yaml").write_text(dump_bulletin(bulletin), encoding="utf-8")
    assert load_paths([tmp_path]).bulletins == (bulletin,)


def test_the_serializer_is_the_source_text_of_one_bulletin() -> None:
    serializer: SourceSerializer = SourceTextSerializer()
    bulletin = replace(_scheduled(), updated_at=_scheduled().updated_at + timedelta(hours=1))

    text = serializer.bulletin(bulletin)

    assert_type(text, str)
    assert text == dump_bulletin(bulletin)
    assert text.startswith("schema: herald/v1\nkind: bulletin\narticle_id: CTX696397\n")
