"""The errors herald raises. Adapters turn them into one line (CLI) or a 4xx (web)."""

from __future__ import annotations


class HeraldError(Exception):
    """Base of every error herald reports to a user."""

    exit_code = 1

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(HeraldError):
    """Input that breaks a rule, naming the field (and, when known, the file and line)."""

    exit_code = 2

    def __init__(self, field: str, message: str, *, location: str | None = None) -> None:
        self.field = field
        self.reason = message
        self.location = location
        super().__init__(self._compose())

    def _compose(self) -> str:
        prefix = f"{self.location}: " if self.location else ""
        field = f"{self.field}: " if self.field else ""
        return f"{prefix}{field}{self.reason}"

    def at(self, location: str, field_prefix: str = "") -> ValidationError:
        """The same error, located in a file (and optionally under a parent field)."""
        located = type(self).__new__(type(self))
        located.__dict__.update(self.__dict__)
        located.field = ".".join(part for part in (field_prefix, self.field) if part)
        located.location = location
        located.message = located._compose()
        located.args = (located.message,)
        return located


class RuleViolation(ValidationError):
    """A change that the bulletin rules forbid (publish without a CVE, edit a change log...)."""


class NotFound(HeraldError):
    """An id that names nothing."""

    exit_code = 3


class Conflict(HeraldError):
    """An id that is already taken."""

    exit_code = 4


class InvalidTransition(RuleViolation):
    """A workflow step that the bulletin's status does not allow."""

    def __init__(self, message: str) -> None:
        super().__init__("status", message)


class Forbidden(HeraldError):
    """A staff member without the role the step needs."""

    exit_code = 5


class TooManyAttempts(HeraldError):
    """Repeated failed sign-ins: wait before trying again."""

    exit_code = 6

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after
        """Seconds to wait."""
