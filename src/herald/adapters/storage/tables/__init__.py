"""The SQL tables, as SQLAlchemy 2 declarative rows (separate from the domain dataclasses),
one module per feature:

- ``base``: the declarative ``Base``, ``UtcDateTime``, and ``is_public``;
- ``catalog``: the publisher, products, versions, channels, releases, components;
- ``identity``: a product's components, the identifiers of versions, releases and
  components (CPE, purls, hashes, ...);
- ``bulletins``: bulletins and their lists, the change log;
- ``accounts``: staff accounts, the account policy, failed sign-ins;
- ``audit``: the audit log;
- ``site``: the site generation;
- ``alerts``: subscriber groups, subscriptions, events, deliveries, predisclosures;
- ``review``: the review policy, proposals, emergency steps;
- ``api_tokens``: API tokens and the webhooks they made;
- ``rate_limits``: the events rate limits count;
- ``sessions``: staff browser sessions (by the hash of their id).

Every row class declares whether its table is public data (``class XRow(Base,
public=...)``); writes to a public table bump the site generation. Importing this
package imports every module, so ``Base.metadata`` holds every table (Alembic's
``env.py`` and autogenerate rely on it). Import rows from their feature module.
"""

from herald.adapters.storage.tables import (
    accounts,
    alerts,
    api_tokens,
    audit,
    bulletins,
    catalog,
    identity,
    rate_limits,
    review,
    sessions,
    site,
)
from herald.adapters.storage.tables.base import Base, UtcDateTime

__all__ = [
    "Base",
    "UtcDateTime",
    "accounts",
    "alerts",
    "api_tokens",
    "audit",
    "bulletins",
    "catalog",
    "identity",
    "rate_limits",
    "review",
    "sessions",
    "site",
]
