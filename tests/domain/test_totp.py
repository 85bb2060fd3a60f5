"""TOTP (RFC 6238) and HOTP (RFC 4226) against the RFCs' own test vectors, and the
rules herald adds: a window of one step either side, no code twice, recovery codes."""

from __future__ import annotations

import base64
from datetime import UTC, datetime
from urllib.parse import parse_qs, urlsplit

import pytest

from herald.domain import totp
from herald.domain.errors import ValidationError

SHA1_KEY = b"12345678901234567890"
SHA256_KEY = b"12345678901234567890123456789012"
SHA512_KEY = b"1234567890" * 6 + b"1234"


@pytest.mark.parametrize(
    ("seconds", "sha1", "sha256", "sha512"),
    [  # RFC 6238, appendix B
        (59, "94287082", "46119246", "90693936"),
        (1111111109, "07081804", "68084774", "25091201"),
        (1111111111, "14050471", "67062674", "99943326"),
        (1234567890, "89005924", "91819424", "93441116"),
        (2000000000, "69279037", "90698825", "38618901"),
        (20000000000, "65353130", "77737706", "47863826"),
    ],
)
def test_rfc_6238_appendix_b(seconds: int, sha1: str, sha256: str, sha512: str) -> None:
    assert totp.totp(SHA1_KEY, seconds, 8, "sha1") == sha1
    assert totp.totp(SHA256_KEY, seconds, 8, "sha256") == sha256
    assert totp.totp(SHA512_KEY, seconds, 8, "sha512") == sha512


def test_rfc_6238_times_as_datetimes() -> None:
    at = datetime(2005, 3, 18, 1, 58, 29, tzinfo=UTC)  # 1111111109, the RFC's table
    assert totp.totp(SHA1_KEY, at, 8) == "07081804"
    assert totp.step_at(at) == 0x23523EC


def test_rfc_4226_appendix_d() -> None:
    expected = "755224 287082 359152 969429 338314 254676 287922 162583 399871 520489"
    assert [totp.hotp(SHA1_KEY, counter) for counter in range(10)] == expected.split()


def _secret() -> str:
    return base64.b32encode(SHA1_KEY).decode().rstrip("=")


AT = datetime(2026, 11, 2, 10, 0, 10, tzinfo=UTC)


def test_a_code_is_accepted_one_step_either_side_and_not_beyond() -> None:
    secret = _secret()
    now = totp.step_at(AT)
    for offset in (-1, 0, 1):
        code = totp.hotp(SHA1_KEY, now + offset)
        assert totp.matching_step(secret, code, AT) == now + offset
    for offset in (-2, 2):
        assert totp.matching_step(secret, totp.hotp(SHA1_KEY, now + offset), AT) is None


def test_a_code_of_a_step_already_used_is_refused() -> None:
    secret = _secret()
    now = totp.step_at(AT)
    code = totp.hotp(SHA1_KEY, now)
    assert totp.matching_step(secret, code, AT, after=now - 1) == now
    assert totp.matching_step(secret, code, AT, after=now) is None
    earlier = totp.hotp(SHA1_KEY, now - 1)
    assert totp.matching_step(secret, earlier, AT, after=now) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "１２３４５６", "12 34"])
def test_what_is_not_six_digits_matches_nothing(code: str) -> None:
    assert totp.matching_step(_secret(), code, AT) is None


def test_spaces_in_a_code_are_ignored() -> None:
    code = totp.hotp(SHA1_KEY, totp.step_at(AT))
    assert totp.matching_step(_secret(), f"{code[:3]} {code[3:]}", AT) == totp.step_at(AT)


def test_secrets_are_160_bits_of_base32() -> None:
    secret = totp.new_secret()
    assert len(totp.secret_bytes(secret)) == 20
    assert secret != totp.new_secret()
    assert totp.secret_bytes(secret.lower()) == totp.secret_bytes(secret)
    with pytest.raises(ValidationError, match="secret"):
        totp.secret_bytes("not base32!")


def test_the_provisioning_uri() -> None:
    uri = totp.provisioning_uri("alice", "JBSWY3DPEHPK3PXP")
    assert uri == "otpauth://totp/herald:alice?secret=JBSWY3DPEHPK3PXP&issuer=herald"
    parts = urlsplit(uri)
    assert parse_qs(parts.query) == {"secret": ["JBSWY3DPEHPK3PXP"], "issuer": ["herald"]}


def test_recovery_codes_are_distinct_and_hashed_loosely() -> None:
    codes = totp.new_recovery_codes()
    assert len(codes) == len(set(codes)) == 10
    for code in codes:
        assert totp.looks_like_recovery_code(code)
        assert not totp.looks_like_recovery_code(code[:-1])
        assert totp.recovery_code_hash(code.upper().replace("-", " ")) == (
            totp.recovery_code_hash(code)
        )
        assert code not in totp.recovery_code_hash(code)
    assert not totp.looks_like_recovery_code("123456")
