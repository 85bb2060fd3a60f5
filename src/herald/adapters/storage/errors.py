"""Database exceptions turned into herald's errors at the storage boundary."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import wraps
from typing import Concatenate, ParamSpec, Protocol, TypeVar

from sqlalchemy.exc import (
    IntegrityError,
    InterfaceError,
    OperationalError,
    SQLAlchemyError,
    StatementError,
)

from herald.domain.errors import Conflict, HeraldError, ValidationError

SETTING = "HERALD_DATABASE_URL"
"""The setting users write the database URL in; every connection problem names it."""


class StorageError(HeraldError):
    """The database cannot be used: a malformed URL, an unreachable server, a failed query."""


_TABLE_FIELDS = {
    "bulletin_affected": "affected",
    "bulletin_fixes": "fixes",
    "bulletin_not_covered": "not_covered",
    "bulletin_not_affected": "not_affected",
    "bulletin_under_investigation": "under_investigation",
    "bulletin_cves": "cves",
    "bulletin_cvss": "cvss",
    "bulletin_section_overrides": "sections",
    "changelog_entries": "changelog",
    "product_versions": "versions",
    "update_channels": "channels",
    "releases": "releases",
    "release_components": "components",
}
_TAKEN = {
    "bulletins": "the article id is already taken",
    "products": "the product id is taken",
    "users": "the username is already taken",
}
_SQLITE_TABLE = re.compile(r"constraint failed: (\w+)\.")


@contextmanager
def storage_errors(where: str) -> Iterator[None]:
    """Raise herald errors instead of SQLAlchemy's; ``where`` is the URL without password."""
    try:
        yield
    except IntegrityError as error:
        raise integrity_error(error) from error
    except (OperationalError, InterfaceError) as error:
        raise StorageError(
            f"{SETTING}: cannot use the database at {where}: {_reason(error)}"
        ) from error
    except StatementError as error:
        if isinstance(error.orig, ValueError):  # e.g. a naive datetime, refused by UtcDateTime
            raise ValidationError("", _first_line(str(error.orig))) from error
        raise StorageError(f"{SETTING}: database error at {where}: {_reason(error)}") from error
    except SQLAlchemyError as error:
        raise StorageError(f"{SETTING}: database error at {where}: {_reason(error)}") from error


_P = ParamSpec("_P")
_R = TypeVar("_R")


class _Located(Protocol):
    _where: str


_Self = TypeVar("_Self", bound=_Located)


def translated(
    method: Callable[Concatenate[_Self, _P], _R],
) -> Callable[Concatenate[_Self, _P], _R]:
    """Database exceptions leave a repository method as herald errors (``storage_errors``)."""

    @wraps(method)
    def wrapper(self: _Self, /, *args: _P.args, **kwargs: _P.kwargs) -> _R:
        with storage_errors(self._where):
            return method(self, *args, **kwargs)

    return wrapper


def integrity_error(error: IntegrityError) -> HeraldError:
    """The herald error for a constraint the database enforced."""
    kind, table = _constraint(error)
    if kind == "unique":
        return Conflict(_TAKEN.get(table or "", f"a row with the same key exists ({table})"))
    field = _TABLE_FIELDS.get(table or "", "")
    if kind == "foreign_key":
        return ValidationError(
            field,
            "refers to a product, version, channel or release that does not exist, "
            "or removes one that is still referred to",
        )
    return ValidationError(field, f"the database refused the change ({_reason(error)})")


def _constraint(error: IntegrityError) -> tuple[str, str | None]:
    orig = error.orig
    sqlstate = getattr(orig, "sqlstate", None)
    if sqlstate is not None:  # psycopg
        diag = getattr(orig, "diag", None)
        table = getattr(diag, "table_name", None)
        kinds = {"23505": "unique", "23503": "foreign_key", "23514": "check"}
        return kinds.get(sqlstate, "other"), table
    name = getattr(orig, "sqlite_errorname", "")
    match = _SQLITE_TABLE.search(str(orig))
    table = match.group(1) if match else None
    if name in ("SQLITE_CONSTRAINT_PRIMARYKEY", "SQLITE_CONSTRAINT_UNIQUE"):
        return "unique", table
    if name == "SQLITE_CONSTRAINT_FOREIGNKEY":
        return "foreign_key", table
    return "other", table


def _reason(error: SQLAlchemyError) -> str:
    orig = getattr(error, "orig", None)
    return _first_line(str(orig if orig is not None else error))


def _first_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[0] if lines else "unknown error"
