"""Who is acting: a signed-in staff member, the operator at the command line, or herald."""

from __future__ import annotations

from dataclasses import dataclass

from herald.domain.accounts import Action, User
from herald.domain.audit import SYSTEM_ACTOR
from herald.domain.errors import Forbidden


@dataclass(frozen=True)
class Actor:
    """The one on whose behalf a service acts."""

    name: str
    """The username (or ``cli``, ``system``) the audit log records."""
    user: User | None = None
    """The staff account; None for the operator and for herald itself, who may do anything."""

    @classmethod
    def staff(cls, user: User) -> Actor:
        return cls(user.username, user)

    @property
    def is_staff(self) -> bool:
        return self.user is not None

    def require(self, action: Action) -> None:
        """Raise ``Forbidden`` unless the actor may take ``action``."""
        if self.user is not None and not self.user.may(action):
            raise Forbidden(f"{self.user.username} may not {action.value.replace('_', ' ')}")


OPERATOR = Actor("cli")
"""Whoever runs the ``herald`` command on the server: trusted like an admin."""

SYSTEM = Actor(SYSTEM_ACTOR)
"""herald itself, e.g. lifting an embargo at its instant."""
