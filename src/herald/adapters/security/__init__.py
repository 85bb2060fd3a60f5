"""Security adapters: password hashing."""

from herald.adapters.security.passwords import Argon2Hasher

__all__ = ["Argon2Hasher"]
