"""Staff accounts: who may do what in the authoring workflow."""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from herald.domain.errors import ValidationError


class Role(StrEnum):
    """A staff role. Roles add up; an admin may do everything."""

    AUTHOR = "author"
    REVIEWER = "reviewer"
    PUBLISHER = "publisher"
    ADMIN = "admin"


class Action(StrEnum):
    """Something staff do, checked against their roles."""

    WRITE_DRAFT = "write_draft"
    REVIEW = "review"
    PUBLISH = "publish"
    MANAGE_USERS = "manage_users"
    READ_AUDIT = "read_audit"
    MANAGE_CATALOG = "manage_catalog"
    MANAGE_SETTINGS = "manage_settings"
    EMERGENCY = "emergency"


_ALLOWED: dict[Action, frozenset[Role]] = {
    Action.WRITE_DRAFT: frozenset({Role.AUTHOR, Role.ADMIN}),
    Action.REVIEW: frozenset({Role.REVIEWER, Role.ADMIN}),
    Action.PUBLISH: frozenset({Role.PUBLISHER, Role.ADMIN}),
    Action.MANAGE_USERS: frozenset({Role.ADMIN}),
    Action.READ_AUDIT: frozenset({Role.ADMIN}),
    Action.MANAGE_CATALOG: frozenset({Role.PUBLISHER, Role.ADMIN}),
    Action.MANAGE_SETTINGS: frozenset({Role.ADMIN}),
    Action.EMERGENCY: frozenset({Role.ADMIN}),
}
"""Which roles may take each action (publish covers schedule, amend and withdraw;
manage_catalog covers products, versions, channels and releases; manage_settings the
publisher's settings such as the review policy; emergency the publication or change
of a bulletin without a second person, reviewed after the fact)."""

_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{1,62}")


@dataclass(frozen=True)
class User:
    """A member of the security team."""

    username: str
    """Lower-case sign-in name, unique."""
    display_name: str
    """The name shown in the audit log and the UI."""
    roles: frozenset[Role]
    """What they may do."""
    password_hash: str
    """An Argon2id hash; the password itself is never stored."""
    active: bool = True
    """Inactive accounts cannot sign in."""
    session_generation: int = 0
    """Sessions carry the generation they began in; signing out moves to the next one,
    which ends every session begun before, wherever its cookie is."""
    must_change_password: bool = False
    """The password is a temporary one an admin set: the member must choose a new one at
    sign-in before anything else."""
    totp_secret: str | None = None
    """The base32 TOTP secret of their second factor; None without one."""
    totp_pending_secret: str | None = None
    """A secret being enrolled, until confirmed with a code from it."""
    totp_last_step: int | None = None
    """The last TOTP step accepted: a code of that step or earlier is not taken again."""
    recovery_code_hashes: frozenset[str] = frozenset()
    """The unused recovery codes, as hashes (``herald.domain.totp.recovery_code_hash``)."""

    @property
    def has_second_factor(self) -> bool:
        """Whether signing in takes a code after the password."""
        return self.totp_secret is not None

    @property
    def is_admin(self) -> bool:
        """An active account with the admin role (the last one may not go)."""
        return self.active and Role.ADMIN in self.roles

    def may(self, action: Action) -> bool:
        return self.active and bool(self.roles & _ALLOWED[action])

    def session_valid(self, generation: object) -> bool:
        """Whether a session begun in ``generation`` (as its cookie says) still counts."""
        return self.active and generation == self.session_generation


def parse_username(text: str, field: str = "username") -> str:
    """A sign-in name: 2–63 lower-case letters, digits, dots, hyphens or underscores."""
    if not isinstance(text, str) or not _USERNAME.fullmatch(text):
        raise ValidationError(
            field,
            "use 2 to 63 lower-case letters, digits, '.', '-' or '_', "
            "starting with a letter or digit",
        )
    return text


def parse_roles(names: list[str], field: str = "roles") -> frozenset[Role]:
    """Roles by name; at least one."""
    roles = set()
    for name in names:
        try:
            roles.add(Role(name))
        except ValueError:
            known = ", ".join(role.value for role in Role)
            raise ValidationError(field, f"{name!r} is not a role ({known})") from None
    if not roles:
        raise ValidationError(field, "give at least one role")
    return frozenset(roles)
