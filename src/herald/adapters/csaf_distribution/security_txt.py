"""``/.well-known/security.txt`` (RFC 9116) with the ``CSAF:`` field of CSAF 2.0 requirement 8.

RFC 9116 requires ``Contact`` and ``Expires``; ``Expires`` lies ``VALID_DAYS`` days
after the day the file is made (the RFC recommends less than a year), so the file is
made per request (and per export), not kept with the distribution.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta

from herald.adapters.csaf_distribution.layout import DistributionUrls
from herald.domain.publisher import Publisher

VALID_DAYS = 180


def security_txt(urls: DistributionUrls, publisher: Publisher, now: datetime) -> bytes:
    """The security.txt of the site: how to report, and where the CSAF provider is."""
    today = now.astimezone(UTC).date()
    expires = datetime.combine(today + timedelta(days=VALID_DAYS), time(), tzinfo=UTC)
    lines = [
        f"# {publisher.name}: reporting security issues and machine-readable advisories",
        f"Contact: {publisher.reporting_url}",
        f"Expires: {expires.strftime('%Y-%m-%dT%H:%M:%SZ')}",
        "Preferred-Languages: en",
        f"Canonical: {urls.security_txt}",
        f"CSAF: {urls.provider_metadata}",
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")
