"""Where public resources live: absolute URLs from the configured base URL, the one place
the API, the feeds and the pages learn them."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

API_PREFIX = "/api/v1"


@dataclass(frozen=True)
class PublicUrls:
    """Absolute URLs of public resources, from the configured base URL."""

    base: str
    """``Settings.base_url``, without a trailing slash."""

    def home(self) -> str:
        return f"{self.base}/"

    def feed(self, suffix: str) -> str:
        """The feed of every bulletin; ``suffix`` is ``atom`` or ``rss``."""
        return f"{self.base}/feeds/bulletins.{suffix}"

    def product_feed(self, product_id: str, suffix: str) -> str:
        return f"{self.base}/feeds/products/{_segment(product_id)}.{suffix}"

    def bulletin_html(self, article_id: str) -> str:
        return f"{self.base}/bulletins/{_segment(article_id)}"

    def bulletin_api(self, article_id: str) -> str:
        return f"{self.base}{API_PREFIX}/bulletins/{_segment(article_id)}"

    def bulletins_api(self) -> str:
        return f"{self.base}{API_PREFIX}/bulletins"

    def product_html(self, product_id: str) -> str:
        return f"{self.base}/products/{_segment(product_id)}"

    def product_api(self, product_id: str) -> str:
        return f"{self.base}{API_PREFIX}/products/{_segment(product_id)}"

    def version_api(self, product_id: str, version: str) -> str:
        return f"{self.product_api(product_id)}/versions/{_segment(version)}"

    def releases_api(self, product_id: str, version: str, channel: str) -> str:
        return f"{self.version_api(product_id, version)}/channels/{_segment(channel)}/releases"


def _segment(text: str) -> str:
    return quote(text, safe="")
