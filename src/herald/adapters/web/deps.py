"""FastAPI dependencies, declared once as ``Annotated`` aliases.

A route names the services it uses (``AuthoringDep``, ``PublicationDep``, ...), never the
whole composition root: the app factory puts the services built by ``herald.bootstrap``
on ``app.state.herald`` and these functions hand each route only its part.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from herald.adapters.csaf_distribution import DistributionKeeper
from herald.adapters.signing import SignatureCache
from herald.config import Settings
from herald.services.accounts import AccountService
from herald.services.alerts import AlertService
from herald.services.api_tokens import ApiTokenService
from herald.services.audit import AuditService
from herald.services.authoring import AuthoringService
from herald.services.catalog import CatalogService
from herald.services.csaf_import import CsafImportService
from herald.services.ports.common import Clock
from herald.services.publication import EmbargoKeeper, PublicationService
from herald.services.reading import ReadingService
from herald.services.sessions import SessionService
from herald.services.source import SourceService
from herald.services.subscriptions import SubscriptionService


def services(request: Request) -> Any:
    """The services the app factory put on the application (``app.state.herald``)."""
    return request.app.state.herald


def client_address(request: Request) -> str:
    """The client's address, as uvicorn gives it: the peer, or the ``X-Forwarded-For``
    of a proxy named in ``HERALD_FORWARDED_ALLOW_IPS``; what limits count per client."""
    return request.client.host if request.client else "unknown"


def _templates(request: Request) -> Jinja2Templates:
    templates: Jinja2Templates = request.app.state.templates
    return templates


def _settings(request: Request) -> Settings:
    settings: Settings = services(request).settings
    return settings


def _clock(request: Request) -> Clock:
    clock: Clock = services(request).clock
    return clock


def _authoring(request: Request) -> AuthoringService:
    authoring: AuthoringService = services(request).authoring
    return authoring


def _reading(request: Request) -> ReadingService:
    reading: ReadingService = services(request).reading
    return reading


def _source(request: Request) -> SourceService:
    source: SourceService = services(request).source
    return source


def _accounts(request: Request) -> AccountService:
    accounts: AccountService = services(request).accounts
    return accounts


def _audit(request: Request) -> AuditService:
    audit: AuditService = services(request).audit
    return audit


def _csaf_import(request: Request) -> CsafImportService:
    csaf_import: CsafImportService = services(request).csaf_import
    return csaf_import


def _catalog(request: Request) -> CatalogService:
    catalog: CatalogService = services(request).catalog
    return catalog


def _embargo(request: Request) -> EmbargoKeeper:
    embargo: EmbargoKeeper = services(request).embargo
    return embargo


def _publication(request: Request) -> PublicationService:
    publication: PublicationService = services(request).publication
    return publication


def _subscriptions(request: Request) -> SubscriptionService:
    subscriptions: SubscriptionService = services(request).subscriptions
    return subscriptions


def _alerts(request: Request) -> AlertService:
    alerts: AlertService = services(request).alerts
    return alerts


def _api_tokens(request: Request) -> ApiTokenService:
    api_tokens: ApiTokenService = services(request).api_tokens
    return api_tokens


def _sessions(request: Request) -> SessionService:
    sessions: SessionService = services(request).sessions
    return sessions


def _signatures(request: Request) -> SignatureCache:
    signatures: SignatureCache = services(request).signatures
    return signatures


def _csaf_distribution(request: Request) -> DistributionKeeper:
    keeper: DistributionKeeper = services(request).csaf_distribution
    return keeper


TemplatesDep = Annotated[Jinja2Templates, Depends(_templates)]
"""The Jinja2 templates (autoescaping)."""
SettingsDep = Annotated[Settings, Depends(_settings)]
ClockDep = Annotated[Clock, Depends(_clock)]
AuthoringDep = Annotated[AuthoringService, Depends(_authoring)]
ReadingDep = Annotated[ReadingService, Depends(_reading)]
SourceDep = Annotated[SourceService, Depends(_source)]
AccountsDep = Annotated[AccountService, Depends(_accounts)]
AuditDep = Annotated[AuditService, Depends(_audit)]
CsafImportDep = Annotated[CsafImportService, Depends(_csaf_import)]
CatalogDep = Annotated[CatalogService, Depends(_catalog)]
EmbargoDep = Annotated[EmbargoKeeper, Depends(_embargo)]
PublicationDep = Annotated[PublicationService, Depends(_publication)]
SubscriptionsDep = Annotated[SubscriptionService, Depends(_subscriptions)]
AlertsDep = Annotated[AlertService, Depends(_alerts)]
ApiTokensDep = Annotated[ApiTokenService, Depends(_api_tokens)]
SessionsDep = Annotated[SessionService, Depends(_sessions)]
"""Staff sessions on the server (``herald.adapters.web.sessions`` loads and saves them)."""
SignaturesDep = Annotated[SignatureCache, Depends(_signatures)]
CsafDistributionDep = Annotated[DistributionKeeper, Depends(_csaf_distribution)]
