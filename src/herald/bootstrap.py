"""The composition root: the one place that knows which adapter serves which port."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from herald.adapters.csaf_distribution import DistributionKeeper, DocumentCache
from herald.adapters.delivery import (
    EmailComposer,
    EmailSender,
    HmacTokenSigner,
    MaildirTransport,
    SmtpSettings,
    SmtpTransport,
    WebhookSender,
    WebhookTargetGuard,
)
from herald.adapters.delivery.email import Transport
from herald.adapters.delivery.worker import WorkerLoop
from herald.adapters.security import Argon2Hasher
from herald.adapters.signing import OpenPgpSigner, SignatureCache
from herald.adapters.source import SourceTextSerializer
from herald.adapters.storage import Database
from herald.config import Settings
from herald.domain.alerts import Channel, RetryPolicy
from herald.domain.rate_limits import RateLimit
from herald.domain.urls import UrlPolicy
from herald.services.accounts import AccountService
from herald.services.alerts import AlertPlanner, AlertService
from herald.services.api_tokens import ApiTokenService
from herald.services.audit import AuditService
from herald.services.authoring import AuthoringService
from herald.services.catalog import CatalogService
from herald.services.csaf_import import CsafImportService
from herald.services.delivery import DeliveryService
from herald.services.ports.common import Clock, PasswordHasher
from herald.services.publication import GENERATION_MAX_AGE, EmbargoKeeper, PublicationService
from herald.services.reading import ReadingService
from herald.services.sessions import SessionService
from herald.services.source import SourceService
from herald.services.subscriptions import (
    CONFIRMATION_WINDOW,
    ConfirmationLimits,
    SubscriptionService,
)


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(frozen=True)
class Herald:
    """herald's services, wired to their adapters."""

    settings: Settings
    database: Database
    clock: Clock
    authoring: AuthoringService
    reading: ReadingService
    source: SourceService
    accounts: AccountService
    audit: AuditService
    csaf_import: CsafImportService
    catalog: CatalogService
    """Products, versions, channels and releases, one audited change at a time."""
    embargo: EmbargoKeeper
    publication: PublicationService
    subscriptions: SubscriptionService
    """Alert subscriptions, groups and webhooks (docs/alerts.md)."""
    alerts: AlertService
    """Deliveries per bulletin, resend, predisclosure."""
    api_tokens: ApiTokenService
    """API tokens for the webhook API (docs/alerts-web.md)."""
    sessions: SessionService
    """Staff browser sessions, kept in the database (the cookie holds only their id)."""
    signatures: SignatureCache
    """OpenPGP signatures of CSAF documents, made once and kept under the data folder."""
    csaf_distribution: DistributionKeeper
    """The CSAF trusted-provider files of the current site generation."""

    def close(self) -> None:
        self.database.dispose()
        self.signatures.signer.close()


def build(
    settings: Settings,
    *,
    migrate: bool = True,
    clock: Clock | None = None,
    hasher: PasswordHasher | None = None,
) -> Herald:
    """Open the database (migrating it to the current schema) and build the services.

    ``clock`` and ``hasher`` replace the real ones (tests use a movable clock and cheap
    hashing).
    """
    database = Database(settings.database_url)
    if migrate:
        database.migrate()
    clock = clock or SystemClock()
    read = partial(database.unit_of_work, read_only=True)
    urls = UrlPolicy(allow_http=settings.allow_http_urls)
    authoring = AuthoringService(
        database.unit_of_work, clock, SourceTextSerializer(), AlertPlanner(), urls
    )
    embargo = EmbargoKeeper(
        read,
        authoring.release_due,
        clock,
        max_age=GENERATION_MAX_AGE,
        committed=database.committed_generation,
    )
    publication = PublicationService(read, embargo)
    signatures = SignatureCache(
        OpenPgpSigner(settings.signing_home, settings.openpgp_fingerprint),
        settings.data_dir / "csaf-signatures",
    )
    return Herald(
        settings=settings,
        database=database,
        clock=clock,
        authoring=authoring,
        reading=ReadingService(read),
        source=SourceService(database.unit_of_work, clock, authoring.recorder, urls),
        accounts=AccountService(database.unit_of_work, hasher or Argon2Hasher(), clock),
        audit=AuditService(read),
        csaf_import=CsafImportService(database.unit_of_work, clock, authoring.recorder),
        catalog=CatalogService(database.unit_of_work, clock, SourceTextSerializer(), urls),
        embargo=embargo,
        subscriptions=SubscriptionService(
            database.unit_of_work,
            clock,
            HmacTokenSigner(settings.signing_key),
            WebhookTargetGuard(allow_private=settings.webhook_allow_private),
            ConfirmationLimits(
                per_client=RateLimit(settings.confirmations_per_client, CONFIRMATION_WINDOW),
                overall=RateLimit(settings.confirmations_per_hour, CONFIRMATION_WINDOW),
            ),
        ),
        alerts=AlertService(
            database.unit_of_work, clock, timedelta(hours=settings.predisclosure_lead_hours)
        ),
        api_tokens=ApiTokenService(database.unit_of_work, clock),
        sessions=SessionService(database.unit_of_work, read, clock),
        publication=publication,
        signatures=signatures,
        csaf_distribution=DistributionKeeper(
            # a generation read afresh per request (max_age 0): see the keeper's docstring
            PublicationService(read, EmbargoKeeper(read, authoring.release_due, clock)),
            settings.base_url,
            signatures,
            documents=DocumentCache(settings.data_dir / "csaf-documents"),
        ),
    )


def delivery_service(
    herald: Herald,
    *,
    email_concurrency: int = 4,
    webhook_concurrency: int = 16,
    lease_seconds: float = 120.0,
) -> DeliveryService:
    """The outbox worker's service: SMTP (or the Maildir) and webhook senders.

    Each call builds senders with their own thread pools and connections; close it.
    """
    settings = herald.settings
    signer = HmacTokenSigner(settings.signing_key)
    composer = EmailComposer(settings.base_url, settings.sender_address, signer)
    transport: Callable[[], Transport]
    if settings.smtp_url is not None:
        smtp = SmtpSettings.parse(settings.smtp_url)
        transport = partial(SmtpTransport, smtp)
    else:
        maildir = MaildirTransport(settings.data_dir / "mail")
        transport = lambda: maildir  # noqa: E731 - one Maildir shared by the threads
    guard = WebhookTargetGuard(allow_private=settings.webhook_allow_private)
    return DeliveryService(
        herald.database.unit_of_work,
        herald.clock,
        {
            Channel.EMAIL: EmailSender(composer, transport, email_concurrency),
            Channel.WEBHOOK: WebhookSender(settings.base_url, guard, webhook_concurrency),
        },
        signer,
        RetryPolicy(max_age=timedelta(hours=settings.alert_max_age_hours)),
        lease=timedelta(seconds=lease_seconds),
    )


def in_process_worker(herald: Herald) -> WorkerLoop:
    """The alert worker ``herald serve`` runs in a thread of its own, started."""
    loop = WorkerLoop(
        delivery_service(herald, email_concurrency=2, webhook_concurrency=8),
        herald.authoring.release_due,
        herald.alerts.predisclose_due,
    )
    loop.start_thread()
    return loop
