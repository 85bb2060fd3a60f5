"""Who a command acts as: ``--as USERNAME`` (or ``HERALD_ACTOR``), a staff account.

Workflow commands need a named, active account and obey the same rules as the web:
the audit log names that account, nobody approves their own draft, publishing needs an
approval. The command line trusts the shell it runs in to say who is at it (whoever can
run ``herald`` on the server can read its database); the point is accountability and
the two-person rule, not authentication. Commands that may also run as the operator
(``cli`` in the audit log) take the option as optional.
"""

from __future__ import annotations

from typing import Annotated

import typer

from herald.domain.errors import ValidationError
from herald.services.accounts import AccountService
from herald.services.actors import OPERATOR, Actor

AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        envvar="HERALD_ACTOR",
        metavar="USERNAME",
        help="The staff account acting (named in the audit log); or set HERALD_ACTOR.",
        show_envvar=False,
    ),
]


def acting(accounts: AccountService, username: str | None, *, required: bool = True) -> Actor:
    """The actor ``--as`` names: an active staff account; the operator when it is
    optional and not given. ``ValidationError`` naming ``--as`` otherwise."""
    if username is None or not username.strip():
        if required:
            raise ValidationError(
                "--as", "name the staff account acting, e.g. --as alice (or set HERALD_ACTOR)"
            )
        return OPERATOR
    user = accounts.user(username.strip().lower())
    if user is None:
        raise ValidationError("--as", f"no active staff account {username.strip()[:64]!r}")
    return Actor.staff(user)
