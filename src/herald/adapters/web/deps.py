"""FastAPI dependencies, declared once as ``Annotated`` aliases."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from herald.bootstrap import Herald


def _herald(request: Request) -> Herald:
    herald: Herald = request.app.state.herald
    return herald


def _templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


HeraldDep = Annotated[Herald, Depends(_herald)]
"""herald's services."""
TemplatesDep = Annotated[Jinja2Templates, Depends(_templates)]
"""The Jinja2 templates (autoescaping)."""
