"""Bad input: every problem is one ValidationError reading ``file:line: field: message``."""

from __future__ import annotations

import tempfile
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from herald import demo
from herald.adapters.source import MAX_FILE_BYTES, dump_bulletin, dump_product, load_paths
from herald.domain import ValidationError

PRODUCT = """\
schema: herald/v1
kind: product
id: xenserver
name: XenServer
versions:
  - name: '8.4'
    lifecycle: supported
    channels:
      - name: Normal
        releases:
          - name: r1
            date: 2026-03-24
"""

BULLETIN = """\
schema: herald/v1
kind: bulletin
article_id: CTX100001
title: A title
cves:
  - CVE-2026-4397
cvss:
  - CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H
created_at: 2026-03-20T09:00:00Z
"""

PUBLISHER = """\
schema: herald/v1
kind: publisher
name: Example, Inc.
short_name: Example
brand: Example
namespace_url: https://example.com
update_instructions_url: https://example.com/update
knowledge_center_url: https://example.com/kb
support_url: https://example.com/support
alerts_url: https://example.com/alerts
reporting_url: https://example.com/security
disclaimer: As is.
"""


def _replace(text: str, old: str, new: str) -> str:
    assert old in text, old
    return text.replace(old, new, 1)


@dataclass(frozen=True)
class Case:
    files: dict[str, str | bytes]
    file: str
    line: int
    field: str
    says: str


CASES: dict[str, Case] = {
    "malformed YAML": Case(
        {"p.yaml": _replace(PRODUCT, "name: XenServer", "name: Xen: Server")},
        "p.yaml",
        4,
        "",
        "invalid YAML: mapping values are not allowed here",
    ),
    "wrong type": Case(
        {"b.yaml": _replace(BULLETIN, "title: A title", "title: [a, b]")},
        "b.yaml",
        4,
        "title",
        "expected text, got a list",
    ),
    "empty value": Case(
        {"b.yaml": _replace(BULLETIN, "title: A title", "title:")},
        "b.yaml",
        4,
        "title",
        "expected text, got nothing (an empty value or null)",
    ),
    "unknown field": Case(
        {"p.yaml": _replace(PRODUCT, "lifecycle: supported", "lifecyle: supported")},
        "p.yaml",
        7,
        "versions[0].lifecyle",
        "unknown field (did you mean 'lifecycle'?)",
    ),
    "unknown field at the top": Case(
        {"b.yaml": BULLETIN + "colour: red\n"},
        "b.yaml",
        10,
        "colour",
        "unknown field (known: schema, kind, article_id, title,",
    ),
    "missing field": Case(
        {"p.yaml": _replace(PRODUCT, "name: XenServer\n", "")},
        "p.yaml",
        1,
        "name",
        "required, but missing",
    ),
    "missing nested field": Case(
        {"p.yaml": _replace(PRODUCT, "            date: 2026-03-24\n", "")},
        "p.yaml",
        11,
        "versions[0].channels[0].releases[0].date",
        "required, but missing",
    ),
    "invalid CVE id": Case(
        {"b.yaml": _replace(BULLETIN, "  - CVE-2026-4397", "  - CVE-2026-4397\n  - CVE-26-1")},
        "b.yaml",
        7,
        "cves[1]",
        "'CVE-26-1' is not a CVE id",
    ),
    "invalid CVSS vector": Case(
        {"b.yaml": _replace(BULLETIN, "AV:N/AC:L", "AV:X/AC:L")},
        "b.yaml",
        8,
        "cvss[0]",
        "is not a valid CVSS vector",
    ),
    "bad date": Case(
        {"p.yaml": _replace(PRODUCT, "date: 2026-03-24", "date: 2026-02-30")},
        "p.yaml",
        12,
        "versions[0].channels[0].releases[0].date",
        "'2026-02-30' is not a day of the calendar",
    ),
    "date in another form": Case(
        {"p.yaml": _replace(PRODUCT, "date: 2026-03-24", "date: 24/03/2026")},
        "p.yaml",
        12,
        "versions[0].channels[0].releases[0].date",
        "expected a date such as 2026-03-24, got '24/03/2026'",
    ),
    "time without a zone": Case(
        {"b.yaml": _replace(BULLETIN, "09:00:00Z", "09:00:00")},
        "b.yaml",
        9,
        "created_at",
        "expected a UTC time such as 2026-03-24T16:00:00Z",
    ),
    "unknown kind": Case(
        {"b.yaml": _replace(BULLETIN, "kind: bulletin", "kind: advisory")},
        "b.yaml",
        2,
        "kind",
        "expected one of publisher, product, bulletin, got 'advisory'",
    ),
    "unknown schema version": Case(
        {"b.yaml": _replace(BULLETIN, "herald/v1", "herald/v2")},
        "b.yaml",
        1,
        "schema",
        "'herald/v2' is not a schema this herald reads (herald/v1)",
    ),
    "no schema": Case(
        {"b.yaml": _replace(BULLETIN, "schema: herald/v1\n", "")},
        "b.yaml",
        1,
        "schema",
        "every herald file starts with 'schema: herald/v1'",
    ),
    "not UTF-8": Case(
        {"p.yaml": _replace(PRODUCT, "XenServer", "Xen\xe9Server").encode("latin-1")},
        "p.yaml",
        4,
        "",
        "not UTF-8 text (byte 0xe9)",
    ),
    "not a mapping": Case(
        {"p.yaml": "- schema: herald/v1\n- kind: product\n"},
        "p.yaml",
        1,
        "",
        "expected a mapping that starts with 'schema: herald/v1'",
    ),
    "empty file": Case({"p.yaml": ""}, "p.yaml", 1, "", "the file is empty"),
    "duplicate key": Case(
        {"b.yaml": _replace(BULLETIN, "title: A title\n", "title: A title\ntitle: Another\n")},
        "b.yaml",
        5,
        "title",
        "'title' appears twice (first on line 4)",
    ),
    "same product in two files": Case(
        {"a.yaml": PRODUCT, "b.yaml": PRODUCT},
        "b.yaml",
        3,
        "id",
        "product 'xenserver' is already defined in {dir}/a.yaml:3",
    ),
    "same article id in two files": Case(
        {"a/one.yaml": BULLETIN, "b/two.yml": BULLETIN},
        "b/two.yml",
        3,
        "article_id",
        "bulletin 'CTX100001' is already defined in {dir}/a/one.yaml:3",
    ),
    "two publishers": Case(
        {"a.yaml": PUBLISHER, "b.yaml": PUBLISHER},
        "b.yaml",
        2,
        "kind",
        "a second publisher is already defined in {dir}/a.yaml:2",
    ),
    "alias": Case(
        {"b.yaml": BULLETIN + "problem: *text\n"},
        "b.yaml",
        10,
        "",
        "invalid YAML: aliases (*name) are not supported",
    ),
    "anchor": Case(
        {"b.yaml": _replace(BULLETIN, "title: A title", "title: &text A title")},
        "b.yaml",
        4,
        "",
        "invalid YAML: anchors (&text) are not supported",
    ),
    "alias bomb": Case(
        {"b.yaml": 'a: &a ["lol","lol"]\nb: &b [*a,*a]\nc: &c [*b,*b]\n'},
        "b.yaml",
        1,
        "",
        "anchors (&a) are not supported",
    ),
    "too large": Case(
        {"b.yaml": BULLETIN + "#" * MAX_FILE_BYTES},
        "b.yaml",
        1,
        "",
        "the file is larger than 5 MB",
    ),
    "python tag": Case(
        {"b.yaml": _replace(BULLETIN, "title: A title", "title: !!python/object:os.system x")},
        "b.yaml",
        4,
        "title",
        "YAML tags such as !!python/object:os.system are not supported",
    ),
    "typed value": Case(
        {"p.yaml": _replace(PRODUCT, "name: '8.4'", "name: !!float 8.4")},
        "p.yaml",
        6,
        "versions[0].name",
        "YAML tags such as !!float are not supported",
    ),
    "unknown lifecycle": Case(
        {"p.yaml": _replace(PRODUCT, "lifecycle: supported", "lifecycle: retired")},
        "p.yaml",
        7,
        "versions[0].lifecycle",
        "expected 'preview', 'supported' or 'end_of_life', got 'retired'",
    ),
    "unknown status": Case(
        {"b.yaml": BULLETIN + "status: final\n"},
        "b.yaml",
        10,
        "status",
        "expected 'draft', 'in_review', 'approved', 'scheduled', 'published' or 'withdrawn', "
        "got 'final'",
    ),
    "username": Case(
        {"b.yaml": BULLETIN + "created_by: Alice Smith\n"},
        "b.yaml",
        10,
        "created_by",
        "use 2 to 63 lower-case letters",
    ),
    "release instant without a zone": Case(
        {"b.yaml": BULLETIN + "release_at: 2026-04-14T16:00:00\n"},
        "b.yaml",
        10,
        "release_at",
        "expected a UTC time such as 2026-03-24T16:00:00Z",
    ),
    "product id": Case(
        {"p.yaml": _replace(PRODUCT, "id: xenserver", "id: Xen Server")},
        "p.yaml",
        3,
        "id",
        "'Xen Server' is not a product id",
    ),
    "product id in a bulletin": Case(
        {"b.yaml": BULLETIN + "affected:\n  - product: XenServer\n    version: '8.4'\n"},
        "b.yaml",
        11,
        "affected[0].product",
        "'XenServer' is not a product id",
    ),
    "version named twice": Case(
        {"p.yaml": PRODUCT + "  - name: '8.4'\n    lifecycle: preview\n"},
        "p.yaml",
        13,
        "versions[1].name",
        "version '8.4' appears twice (also at versions[0])",
    ),
    "blank channel name": Case(
        {"p.yaml": _replace(PRODUCT, "- name: Normal", "- name: ' '")},
        "p.yaml",
        9,
        "versions[0].channels[0].name",
        "must not be empty",
    ),
    "fix with a release and a mitigation": Case(
        {
            "b.yaml": BULLETIN
            + "fixes:\n  - product: xenserver\n    version: '8.4'\n    channel: Normal\n"
            "    release: r1\n    mitigation: Turn it off.\n"
        },
        "b.yaml",
        11,
        "fixes[0]",
        "give either a fixed release or a mitigation",
    ),
    "change log summary on two lines": Case(
        {
            "b.yaml": BULLETIN
            + "changelog:\n  - date: 2026-03-24\n    summary: |\n      a\n      b\n"
        },
        "b.yaml",
        12,
        "changelog[0].summary",
        "must be one line",
    ),
    "publisher URL": Case(
        {"a.yaml": _replace(PUBLISHER, "https://example.com/support", "ftp://example.com")},
        "a.yaml",
        9,
        "support_url",
        "'ftp://example.com' is not an http(s) URL",
    ),
    "unknown placeholder": Case(
        {
            "a.yaml": PUBLISHER
            + "sections:\n  support:\n    title: Support\n    body: Call {phone}.\n"
        },
        "a.yaml",
        16,
        "sections.support.body",
        "unknown placeholder {{phone}}",
    ),
    "article id prefix": Case(
        {"a.yaml": PUBLISHER + "article_ids:\n  prefix: '1X'\n"},
        "a.yaml",
        14,
        "article_ids.prefix",
        "'1X' is not a valid prefix",
    ),
    "article id digits": Case(
        {"a.yaml": PUBLISHER + "article_ids:\n  digits: six\n"},
        "a.yaml",
        14,
        "article_ids.digits",
        "expected a whole number, got 'six'",
    ),
    "article id that is no file name": Case(
        {"b.yaml": _replace(BULLETIN, "article_id: CTX100001", "article_id: ../etc/x")},
        "b.yaml",
        3,
        "article_id",
        "'../etc/x' is not an article id",
    ),
    "component version": Case(
        {"p.yaml": PRODUCT + "            components:\n              xen: [4, 17]\n"},
        "p.yaml",
        14,
        "versions[0].channels[0].releases[0].components.xen",
        "expected text, got a list",
    ),
    "hidden that is not true or false": Case(
        {"p.yaml": PRODUCT + "            hidden: yes\n"},
        "p.yaml",
        13,
        "versions[0].channels[0].releases[0].hidden",
        "expected true or false, got 'yes'",
    ),
    "components of another shape": Case(
        {"p.yaml": PRODUCT + "            components: xen 4.17\n"},
        "p.yaml",
        13,
        "versions[0].channels[0].releases[0].components",
        "expected a list, got 'xen 4.17'",
    ),
    "malformed CPE": Case(
        {
            "p.yaml": _replace(
                PRODUCT, "    channels:", "    identity: {cpe: 'cpe:2.3:a:x'}\n    channels:"
            )
        },
        "p.yaml",
        8,
        "versions[0].identity.cpe",
        "'cpe:2.3:a:x' is not a CPE 2.3 name",
    ),
    "CPE 2.2 URI": Case(
        {
            "p.yaml": _replace(
                PRODUCT, "    channels:", "    identity:\n      cpe: cpe:/a:x:y:1\n    channels:"
            )
        },
        "p.yaml",
        9,
        "versions[0].identity.cpe",
        "such a name starts with 'cpe:2.3:'",
    ),
    "malformed purl": Case(
        {
            "p.yaml": _replace(
                PRODUCT,
                "    channels:",
                "    identity:\n      purls:\n        - pkg:rpm/xen\n        - rpm/xen\n"
                "    channels:",
            )
        },
        "p.yaml",
        11,
        "versions[0].identity.purls[1]",
        "'rpm/xen' is not a package URL",
    ),
    "purl not canonical": Case(
        {"p.yaml": PRODUCT + "            identity: {purls: [pkg:PyPI/Django]}\n"},
        "p.yaml",
        13,
        "versions[0].channels[0].releases[0].identity.purls[0]",
        "write 'pkg:pypi/django'",
    ),
    "hash of the wrong length": Case(
        {
            "p.yaml": PRODUCT
            + "            identity:\n              hashes:\n"
            + "                - {algorithm: sha256, value: abcd, file_name: x.iso}\n"
        },
        "p.yaml",
        15,
        "versions[0].channels[0].releases[0].identity.hashes[0].value",
        "'abcd' is not a sha256 hash (64 hexadecimal digits)",
    ),
    "weak hash algorithm": Case(
        {
            "p.yaml": PRODUCT
            + "            identity:\n              hashes:\n"
            + "                - {algorithm: md5, value: abcd, file_name: x.iso}\n"
        },
        "p.yaml",
        15,
        "versions[0].channels[0].releases[0].identity.hashes[0].algorithm",
        "sha256",
    ),
    "SBOM URL over http": Case(
        {
            "p.yaml": _replace(
                PRODUCT,
                "    channels:",
                "    identity:\n      sbom_urls: [http://example.com/sbom.json]\n    channels:",
            )
        },
        "p.yaml",
        9,
        "versions[0].identity.sbom_urls[0]",
        "is not an https:// URL",
    ),
    "component id twice": Case(
        {"p.yaml": PRODUCT + "components:\n  - {id: xen, name: Xen}\n  - {id: xen, name: Xen 2}\n"},
        "p.yaml",
        15,
        "components[1].id",
        "component 'xen' appears twice (also at components[0])",
    ),
    "unknown component kind": Case(
        {"p.yaml": PRODUCT + "components:\n  - {id: xen, name: Xen, kind: driver}\n"},
        "p.yaml",
        14,
        "components[0].kind",
        "'application', 'library', 'kernel', 'firmware' or 'other'",
    ),
    "release ships an undeclared component": Case(
        {
            "p.yaml": PRODUCT
            + "            components:\n              xen: 4.17\n              qemu: 8.0\n"
            + "components:\n  - {id: xen, name: Xen}\n"
        },
        "p.yaml",
        15,
        "versions[0].channels[0].releases[0].components.qemu",
        "'qemu' is not one of the product's components (xen)",
    ),
    "component CPE": Case(
        {
            "p.yaml": PRODUCT
            + "components:\n  - {id: xen, name: Xen,\n"
            + "     identity: {cpe: 'cpe:2.3:z:x:y:*:*:*:*:*:*:*:*'}}\n"
        },
        "p.yaml",
        15,
        "components[0].identity.cpe",
        "is not a CPE 2.3 name",
    ),
    "two documents": Case(
        {"b.yaml": BULLETIN + "---\n" + BULLETIN},
        "b.yaml",
        10,
        "",
        "a second YAML document; a herald file holds exactly one",
    ),
    "nested too deeply": Case(
        {"b.yaml": BULLETIN + "problem: " + "[" * 40 + "]" * 40 + "\n"},
        "b.yaml",
        10,
        "",
        "nested more than 32 levels deep",
    ),
    "control character": Case(
        {"b.yaml": _replace(BULLETIN, "A title", "A \x07title")},
        "b.yaml",
        4,
        "",
        "character 0x0007 is not allowed in a YAML file",
    ),
    "key that is a list": Case(
        {"b.yaml": BULLETIN + "? [a]\n: b\n"},
        "b.yaml",
        10,
        "",
        "a key must be plain text",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_bad_input_is_one_located_line(case: Case, tmp_path: Path) -> None:
    for name, content in case.files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")

    with pytest.raises(ValidationError) as raised:
        load_paths([tmp_path])

    error = raised.value
    message = str(error)
    located = f"{tmp_path / case.file}:{case.line}: "
    assert type(error) is ValidationError
    assert "\n" not in message
    assert message.startswith(located + (f"{case.field}: " if case.field else "")), message
    assert case.says.format(dir=tmp_path) in message
    assert error.location == located.removesuffix(": ")
    assert error.field == case.field


def test_a_path_that_does_not_exist(tmp_path: Path) -> None:
    missing = tmp_path / "nothing.yaml"

    with pytest.raises(ValidationError) as raised:
        load_paths([missing])

    assert str(raised.value) == f"{missing}: no such file or folder"


def test_hidden_folders_and_other_files_are_skipped(tmp_path: Path) -> None:
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\n")
    (tmp_path / "README.md").write_text("# not YAML\n")
    (tmp_path / "p.yaml").write_text(PRODUCT)

    assert [p.id for p in load_paths([tmp_path]).products] == ["xenserver"]


VALID_FILES = (
    PRODUCT,
    BULLETIN,
    PUBLISHER,
    dump_bulletin(demo.reference_bulletin()),
    dump_product(demo.catalog().products[0]),
)


@st.composite
def _mutated(draw: st.DrawFn) -> str:
    text = draw(st.sampled_from(VALID_FILES))
    for _ in range(draw(st.integers(1, 3))):
        start = draw(st.integers(0, len(text)))
        end = draw(st.integers(start, min(len(text), start + 12)))
        insert = draw(
            st.text(st.sampled_from(" \n-:#[]{}&*!|>'\"~?,x1"), max_size=6)
            | st.sampled_from(["null", "yes", "1.10", "CVE-1", "- a", ": b", "\t", "é"])
        )
        text = text[:start] + insert + text[end:]
    return text


@settings(max_examples=300, deadline=None)
@given(_mutated() | st.text(max_size=200))
def test_any_text_loads_or_fails_with_one_located_line(text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder, "fuzz.yaml")
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        try:
            load_paths([path])
        except ValidationError as error:
            assert "\n" not in str(error)
            assert str(error).startswith(f"{path}:")
