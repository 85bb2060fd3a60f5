"""Settings, read once from the environment at start-up and passed in."""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import threading
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from herald.domain.errors import ValidationError

ENVIRONMENT_VARIABLES: Mapping[str, str] = {
    "HERALD_DATA_DIR": "Folder for herald's own files; the embedded SQLite database lives here "
    "(default: ./var).",
    "HERALD_DATABASE_URL": "Database URL, e.g. postgresql://user@host:5432/herald "
    "(default: sqlite:///$HERALD_DATA_DIR/herald.db).",
    "HERALD_BASE_URL": "The public base URL used in absolute links: feeds, sitemaps, "
    "machine-readable documents, emails (default: http://127.0.0.1:8000).",
    "HERALD_CNA_ORG_ID": "The CVE Numbering Authority's organisation UUID written as "
    "providerMetadata.orgId in CVE JSON 5 containers (default: an all-zero placeholder).",
    "HERALD_GNUPG_HOME": "The GnuPG home holding the OpenPGP key that signs CSAF documents "
    "(default: $HERALD_DATA_DIR/gnupg).",
    "HERALD_SIGNING_KEY": "Fingerprint of the OpenPGP key that signs CSAF documents "
    "(default: the only secret key in HERALD_GNUPG_HOME; none: documents go unsigned).",
    "HERALD_SECRET_KEY": "Secret for signing session cookies and CSRF tokens; at least 32 "
    "characters (default: a random key kept in $HERALD_DATA_DIR/secret.key).",
    "HERALD_SMTP_URL": "SMTP relay for alert emails, e.g. smtp://user:pass@host:587?starttls=1 "
    "or smtps://user:pass@host:465 (default: none; emails go to the Maildir "
    "$HERALD_DATA_DIR/mail).",
    "HERALD_MAIL_FROM": "Sender address of alert emails (default: alerts@ the host of "
    "HERALD_BASE_URL).",
    "HERALD_WEBHOOK_ALLOW_PRIVATE": "1 to allow webhook targets on loopback, private and "
    "link-local addresses, and plain http (default: 0, refused).",
    "HERALD_ALLOW_HTTP_URLS": "1 to accept plain http:// addresses in URL fields (update "
    "instructions, the publisher's links); default 0: https:// only.",
    "HERALD_CONFIRMATIONS_PER_CLIENT": "Confirmation emails one client address may have "
    "herald send per hour through the subscription form and API (default: 5).",
    "HERALD_CONFIRMATIONS_PER_HOUR": "Confirmation emails herald sends per hour in all, "
    "whoever asks (default: 500).",
    "HERALD_PREDISCLOSURE_LEAD_HOURS": "How long before a scheduled bulletin's release its "
    "predisclosure group is alerted (default: 72).",
    "HERALD_ALERT_MAX_AGE_HOURS": "How long a delivery is retried before it fails for good "
    "(default: 72).",
    "HERALD_HEADER_TIMEOUT": "Seconds a client has to send a request's headers before "
    "`herald serve` closes the connection (slow-header clients; default: 10).",
    "HERALD_KEEP_ALIVE_TIMEOUT": "Seconds an idle keep-alive connection stays open (default: 5).",
    "HERALD_MAX_CONNECTIONS": "Connections (and requests in flight) one `herald serve` worker "
    "takes before it answers 503 (default: 1000).",
    "HERALD_FORWARDED_ALLOW_IPS": "Addresses of the reverse proxies whose X-Forwarded-For and "
    "X-Forwarded-Proto are believed, comma-separated; `*` believes anyone (default: "
    "127.0.0.1,::1). `herald serve --forwarded-allow-ips` overrides it.",
}
"""Every environment variable herald reads, with what it does (the README lists them too)."""


@dataclass(frozen=True)
class Settings:
    """Where herald keeps its data."""

    data_dir: Path
    """Folder for herald's own files."""
    database_url: str
    """SQLAlchemy-ready or user-written database URL."""
    base_url: str = "http://127.0.0.1:8000"
    """The public base URL, without a trailing slash."""
    secret_key: str | None = None
    """The signing secret; None means the key file under ``data_dir``."""
    cna_org_id: str | None = None
    """The CNA's organisation UUID for CVE JSON 5 (None: a documented placeholder)."""
    smtp_url: str | None = None
    """The SMTP relay for alert emails; None means the Maildir under ``data_dir``."""
    mail_from: str | None = None
    """The sender of alert emails; None means ``alerts@`` the base URL's host."""
    webhook_allow_private: bool = False
    """Allow webhook targets on internal addresses (and plain http)."""
    allow_http_urls: bool = False
    """Accept ``http://`` in URL fields (``https://`` only otherwise)."""
    confirmations_per_client: int = 5
    """Confirmation emails per client address and hour."""
    confirmations_per_hour: int = 500
    """Confirmation emails per hour in all."""
    predisclosure_lead_hours: float = 72.0
    """Predisclosure lead time before a scheduled release."""
    alert_max_age_hours: float = 72.0
    """How long a delivery is retried before it fails for good."""
    gnupg_home: Path | None = None
    """The GnuPG home of the CSAF signing key; None means ``data_dir / "gnupg"``."""
    openpgp_fingerprint: str | None = None
    """The signing key's fingerprint; None means the only secret key in the home."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        data_dir = Path(env.get("HERALD_DATA_DIR") or "var")
        database_url = env.get("HERALD_DATABASE_URL") or f"sqlite:///{data_dir / 'herald.db'}"
        if "://" not in database_url:
            raise ValidationError(
                "HERALD_DATABASE_URL",
                f"{database_url!r} is not a URL (e.g. postgresql://user@host:5432/herald)",
            )
        base_url = (env.get("HERALD_BASE_URL") or "http://127.0.0.1:8000").rstrip("/")
        if not base_url.startswith(("http://", "https://")):
            raise ValidationError("HERALD_BASE_URL", f"{base_url!r} is not an http(s) URL")
        secret_key = env.get("HERALD_SECRET_KEY") or None
        if secret_key is not None and len(secret_key) < 32:
            raise ValidationError("HERALD_SECRET_KEY", "use at least 32 characters")
        cna_org_id = env.get("HERALD_CNA_ORG_ID") or None
        if cna_org_id is not None:
            try:
                cna_org_id = str(uuid.UUID(cna_org_id))
            except ValueError:
                raise ValidationError(
                    "HERALD_CNA_ORG_ID", f"{cna_org_id!r} is not a UUID"
                ) from None
        gnupg_home = env.get("HERALD_GNUPG_HOME") or None
        openpgp_fingerprint = env.get("HERALD_SIGNING_KEY") or None
        if openpgp_fingerprint is not None:
            compact = "".join(openpgp_fingerprint.split()).upper()
            if not re.fullmatch(r"[0-9A-F]{40,64}", compact):
                raise ValidationError(
                    "HERALD_SIGNING_KEY",
                    f"{openpgp_fingerprint!r} is not an OpenPGP fingerprint (40 hex digits)",
                )
            openpgp_fingerprint = compact
        smtp_url = env.get("HERALD_SMTP_URL") or None
        if smtp_url is not None and not smtp_url.startswith(("smtp://", "smtps://")):
            raise ValidationError(
                "HERALD_SMTP_URL",
                "expected smtp://[user:pass@]host[:port][?starttls=1] or smtps://",
            )
        mail_from = env.get("HERALD_MAIL_FROM") or None
        if mail_from is not None and "@" not in mail_from:
            raise ValidationError("HERALD_MAIL_FROM", f"{mail_from!r} is not an email address")
        return cls(
            smtp_url=smtp_url,
            mail_from=mail_from,
            webhook_allow_private=_flag(env, "HERALD_WEBHOOK_ALLOW_PRIVATE"),
            allow_http_urls=_flag(env, "HERALD_ALLOW_HTTP_URLS"),
            confirmations_per_client=int(
                _number(env, "HERALD_CONFIRMATIONS_PER_CLIENT", 5, 0, 1_000_000)
            ),
            confirmations_per_hour=int(
                _number(env, "HERALD_CONFIRMATIONS_PER_HOUR", 500, 0, 10_000_000)
            ),
            predisclosure_lead_hours=_hours(env, "HERALD_PREDISCLOSURE_LEAD_HOURS"),
            alert_max_age_hours=_hours(env, "HERALD_ALERT_MAX_AGE_HOURS"),
            data_dir=data_dir,
            database_url=database_url,
            base_url=base_url,
            secret_key=secret_key,
            cna_org_id=cna_org_id,
            gnupg_home=Path(gnupg_home) if gnupg_home else None,
            openpgp_fingerprint=openpgp_fingerprint,
        )

    @property
    def signing_home(self) -> Path:
        """The GnuPG home of the CSAF signing key."""
        return self.gnupg_home if self.gnupg_home is not None else self.data_dir / "gnupg"

    @property
    def sender_address(self) -> str:
        """``mail_from``, or ``alerts@`` the host of the base URL."""
        if self.mail_from is not None:
            return self.mail_from
        host = self.base_url.split("://", 1)[-1].split("/", 1)[0].split(":", 1)[0]
        return f"alerts@{host}"

    @property
    def secure_cookies(self) -> bool:
        """Cookies carry ``Secure`` when the site is served over TLS."""
        return self.base_url.startswith("https://")

    def signing_key(self) -> str:
        """``secret_key``, or the key kept in the data folder (created on first use)."""
        if self.secret_key is not None:
            return self.secret_key
        path = self.data_dir / "secret.key"
        if not path.exists():
            _create_once(path, secrets.token_urlsafe(48))
        return path.read_text(encoding="ascii").strip()


@dataclass(frozen=True)
class ServerLimits:
    """What ``herald serve`` allows a client (docs/security.md, "The server's limits")."""

    header_timeout: float = 10.0
    """Seconds from a connection (or the end of its last answer) to its request's headers."""
    keep_alive_timeout: int = 5
    """Seconds an idle keep-alive connection is kept."""
    max_connections: int = 1000
    """Per worker: above this many connections or requests in flight, 503."""
    forwarded_allow_ips: str = "127.0.0.1,::1"
    """The proxies trusted for ``X-Forwarded-*``."""

    @classmethod
    def from_environment(cls, environ: Mapping[str, str] | None = None) -> ServerLimits:
        env = os.environ if environ is None else environ
        allowed = (env.get("HERALD_FORWARDED_ALLOW_IPS") or cls.forwarded_allow_ips).strip()
        if any(not part.strip() for part in allowed.split(",")):
            raise ValidationError(
                "HERALD_FORWARDED_ALLOW_IPS", "give addresses separated by commas, or *"
            )
        return cls(
            header_timeout=_number(env, "HERALD_HEADER_TIMEOUT", cls.header_timeout, 0.5, 600),
            keep_alive_timeout=int(
                _number(env, "HERALD_KEEP_ALIVE_TIMEOUT", cls.keep_alive_timeout, 1, 600)
            ),
            max_connections=int(
                _number(env, "HERALD_MAX_CONNECTIONS", cls.max_connections, 1, 1_000_000)
            ),
            forwarded_allow_ips=allowed,
        )


def _number(env: Mapping[str, str], name: str, default: float, least: float, most: float) -> float:
    raw = (env.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ValidationError(name, f"{raw[:40]!r} is not a number") from None
    if not least <= value <= most:
        raise ValidationError(name, f"give {least:g} to {most:g}")
    return value


def _create_once(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` unless a file is there; whole or not at all.

    The text goes to a private file first, which is then linked into place: when several
    processes or threads start at once, one link wins and every reader sees a complete
    file (never an empty one being written).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    staging = path.with_name(f".{path.name}.{os.getpid()}.{threading.get_ident()}")
    descriptor = os.open(staging, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as staged:
            staged.write(text)
        with contextlib.suppress(FileExistsError):
            os.link(staging, path)
    finally:
        staging.unlink(missing_ok=True)


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = (env.get(name) or "0").strip().lower()
    if value not in ("0", "1", "true", "false", "yes", "no"):
        raise ValidationError(name, f"{value!r} is not 1 or 0")
    return value in ("1", "true", "yes")


def _hours(env: Mapping[str, str], name: str, default: float = 72.0) -> float:
    raw = env.get(name)
    if not raw:
        return default
    try:
        hours = float(raw)
    except ValueError:
        raise ValidationError(name, f"{raw!r} is not a number of hours") from None
    if not 0 <= hours <= 24 * 365:
        raise ValidationError(name, "give 0 to 8760 hours")
    return hours
