"""The application factory uvicorn calls in each worker process."""

from __future__ import annotations

from fastapi import FastAPI

from herald.adapters.web.app import create_app
from herald.bootstrap import build
from herald.config import Settings


def app_from_environment() -> FastAPI:
    """The web app configured from the environment (the schema is migrated by ``serve``)."""
    return create_app(build(Settings.from_environment(), migrate=False))
