"""The rules for staff passwords: their length, and the temporary password a reset
hands out."""

from __future__ import annotations

import secrets

from herald.domain.errors import ValidationError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
"""Longer passwords are refused when set, and cut to this length when checked."""

_TEMPORARY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"


def check_password(password: str, field: str = "password") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationError(field, f"use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise ValidationError(field, f"use at most {MAX_PASSWORD_LENGTH} characters")


def temporary_password() -> str:
    """Four groups of four characters, none easily mistaken for another."""
    return "-".join(
        "".join(secrets.choice(_TEMPORARY_ALPHABET) for _ in range(4)) for _ in range(4)
    )
