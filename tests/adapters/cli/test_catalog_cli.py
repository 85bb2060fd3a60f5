"""``herald catalog ...``: the catalog changed from the shell, one audited change each,
with the same rules as the web (``--as`` needs manage_catalog)."""

from __future__ import annotations

from .conftest import Herald, assert_one_line_error

PASSWORD = "correct horse battery staple"


def _user(herald: Herald, username: str, role: str) -> None:
    added = herald(
        "users",
        "add",
        username,
        "--name",
        username.title(),
        "--role",
        role,
        "--password-stdin",
        stdin=PASSWORD + "\n",
    )
    assert added.exit_code == 0, added.stderr


def test_a_fixed_release_is_added_from_the_shell_and_audited(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    _user(herald, "carol", "publisher")
    added = herald(
        "catalog",
        "add-release",
        "xenserver",
        "8.4",
        "Normal",
        "8.4.2026-11-02",
        "--date",
        "2026-11-02",
        "--component",
        "xen-hypervisor 4.17.5-21",
        "--as",
        "carol",
    )
    assert added.exit_code == 0, added.stderr
    assert "release 8.4.2026-11-02 added to xenserver 8.4 / Normal" in added.stdout
    lifecycle = herald("catalog", "lifecycle", "xenserver", "9", "supported")
    assert lifecycle.exit_code == 0, lifecycle.stderr
    assert "is now Supported" in lifecycle.stdout

    shown = herald("catalog", "show", "xenserver").stdout
    assert "8.4.2026-11-02  2026-11-02" in shown and "9 (Supported)" in shown
    log = herald("audit", "log", "--subject", "product:xenserver")
    assert log.exit_code == 0, log.stderr
    assert "carol catalog.release.add product:xenserver" in log.stdout
    assert "cli catalog.version.change product:xenserver" in log.stdout


def test_bad_input_names_the_argument_and_changes_nothing(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    _user(herald, "alice", "author")
    before = herald("catalog", "show").stdout
    cases = [
        (("add-release", "xenserver", "8.4", "Normal", "x", "--date", "2026-13-01"), "--date"),
        (("add-release", "xenserver", "9", "Normal", "x", "--date", "2026-11-02"), "channel"),
        (("add-version", "xenserver", "8.4"), "VERSION"),
        (("lifecycle", "xenserver", "9", "beta"), "STATE"),
        (("add-product", "xenserver", "--name", "Again"), "already"),
        (("add-channel", "nope", "1", "Normal"), "no product 'nope'"),
        (("lifecycle", "xenserver", "9", "supported", "--as", "alice"), "may not manage catalog"),
    ]
    for args, named in cases:
        result = herald("catalog", *args)
        assert_one_line_error(result, named)
    assert herald("catalog", "show").stdout == before


def test_entries_for_an_embargoed_fix_are_added_hidden_and_shown_marked(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    steps = [
        ("add-product", "secret", "--name", "Secret Appliance", "--hidden"),
        ("add-version", "secret", "1.0", "--hidden"),
        ("add-channel", "secret", "1.0", "Normal", "--hidden"),
        ("add-release", "secret", "1.0", "Normal", "1.0.1", "--date", "2026-11-02", "--hidden"),
        ("add-release", "xenserver", "8.4", "Normal", "8.4.fix", "--date", "2026-11-02"),
    ]
    for step in steps:
        result = herald("catalog", *step)
        assert result.exit_code == 0, result.stderr
        hidden = "--hidden" in step
        assert ("(hidden until a bulletin names it)" in result.stdout) is hidden, result.stdout

    shown = herald("catalog", "show").stdout.splitlines()
    marked = [line.strip() for line in shown if line.endswith("(hidden until a bulletin names it)")]
    assert marked == [
        "secret: Secret Appliance  (hidden until a bulletin names it)",
        "1.0 (Supported)  (hidden until a bulletin names it)",
        "Normal  (hidden until a bulletin names it)",
        "1.0.1  2026-11-02  (hidden until a bulletin names it)",
    ]
    assert "      8.4.fix  2026-11-02" in shown

    hid = herald("catalog", "hide", "xenserver", "8.4", "Normal", "8.4.fix")
    assert hid.exit_code == 0, hid.stderr
    assert "xenserver 8.4 / Normal 8.4.fix is hidden until a bulletin names it" in hid.stdout
    shown_again = herald("catalog", "show", "xenserver").stdout
    assert "8.4.fix  2026-11-02  (hidden until a bulletin names it)" in shown_again
    unhidden = herald("catalog", "unhide", "secret")
    assert unhidden.exit_code == 0, unhidden.stderr
    assert "secret is visible to the public" in unhidden.stdout
    assert "secret: Secret Appliance\n" in herald("catalog", "show", "secret").stdout

    log = herald("audit", "log", "--subject", "product:secret")
    assert "cli catalog.visibility.change product:secret" in log.stdout
    assert_one_line_error(herald("catalog", "hide", "secret", "9.9"), "no version '9.9'")


XENSERVER_84 = "cpe:2.3:a:citrix:xenserver:8.4:*:*:*:*:*:*:*"


def test_identifiers_are_set_from_the_shell_shown_and_audited(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    added = herald(
        "catalog",
        "add-version",
        "xenserver",
        "8.6",
        "--cpe",
        "cpe:2.3:a:citrix:xenserver:8.6:*:*:*:*:*:*:*",
        "--purl",
        "pkg:generic/xenserver@8.6",
        "--purl",
        "pkg:rpm/xenserver/xenserver-release@8.6.0",
    )
    assert added.exit_code == 0, added.stderr
    release = herald(
        "catalog",
        "identity",
        "xenserver",
        "8.4",
        "Normal",
        "8.4.2026-03-24",
        "--purl",
        "pkg:generic/xenserver@8.4.2026-03-24",
        "--hash",
        f"sha256:{'ab' * 32} XenServer-8.4-update.iso",
    )
    assert release.exit_code == 0, release.stderr
    assert "xenserver 8.4 / Normal 8.4.2026-03-24: 2 identifiers" in release.stdout
    part = herald(
        "catalog",
        "component",
        "xenserver",
        "qemu",
        "--name",
        "QEMU",
        "--kind",
        "application",
        "--purl",
        "pkg:rpm/xenserver/qemu",
    )
    assert part.exit_code == 0, part.stderr

    shown = herald("catalog", "show", "xenserver").stdout
    assert "  component qemu: QEMU (application)  pkg:rpm/xenserver/qemu\n" in shown
    assert (
        "  8.6 (Supported)  cpe:2.3:a:citrix:xenserver:8.6:*:*:*:*:*:*:*"
        "  pkg:generic/xenserver@8.6  pkg:rpm/xenserver/xenserver-release@8.6.0\n"
    ) in shown
    assert f"  8.4 (Supported)  {XENSERVER_84}\n" in shown
    assert "8.4.2026-03-24  2026-03-24  pkg:generic/xenserver@8.4.2026-03-24\n" in shown
    log = herald("audit", "log", "--subject", "product:xenserver").stdout
    assert "cli catalog.identity.change product:xenserver" in log
    assert "cli catalog.component.change product:xenserver" in log

    cleared = herald("catalog", "identity", "xenserver", "8.6")
    assert cleared.exit_code == 0, cleared.stderr
    assert "xenserver 8.6: 0 identifiers" in cleared.stdout
    assert "  8.6 (Supported)\n" in herald("catalog", "show", "xenserver").stdout


def test_a_malformed_identifier_names_its_option_and_writes_nothing(herald: Herald) -> None:
    assert herald("demo").exit_code == 0
    before = herald("catalog", "show").stdout
    log_before = herald("audit", "log").stdout
    cases = [
        (("add-version", "xenserver", "8.6", "--cpe", "cpe:2.3:a:x"), "--cpe", "not a CPE 2.3"),
        (("identity", "xenserver", "8.4", "--cpe", "cpe:/a:citrix:xenserver"), "--cpe", "2.3"),
        (
            ("identity", "xenserver", "8.4", "--purl", "pkg:rpm/a", "--purl", "rpm/xen"),
            "--purl",
            "'rpm/xen' is not a package URL",
        ),
        (("identity", "xenserver", "8.4", "--purl", "pkg:PYPI/x"), "--purl", "pkg:pypi/x"),
        (("identity", "xenserver", "8.4", "--hash", "sha256:abcd x.iso"), "--hash", "64"),
        (("identity", "xenserver", "8.4", "--hash", "md5:abcd x.iso"), "--hash", "sha256"),
        (
            ("identity", "xenserver", "8.4", "--sbom-url", "http://example.com/s.json"),
            "--sbom-url",
            "https://",
        ),
        (("identity", "xenserver", "8.4", "Normal"), "release", "name the release"),
        (("component", "xenserver", "qemu", "--name", "QEMU", "--kind", "driver"), "--kind"),
        (("component", "xenserver", "q emu", "--name", "QEMU"), "COMPONENT_ID"),
        (("component", "xenserver", "qemu", "--cpe", "cpe:2.3:a:x", "--name", "Q"), "--cpe"),
    ]
    for args, *named in cases:
        result = herald("catalog", *args)
        assert_one_line_error(result, *(str(part) for part in named), exit_code=2)
    assert herald("catalog", "show").stdout == before
    assert herald("audit", "log").stdout == log_before
