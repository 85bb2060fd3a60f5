"""The web adapter: the public knowledge center, the JSON API, feeds and the staff side."""

from herald.adapters.web.app import create_app

__all__ = ["create_app"]
