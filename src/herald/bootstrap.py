"""The composition root: the one place that knows which adapter serves which port."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial

from herald.adapters.csaf_distribution import DistributionKeeper
from herald.adapters.security import Argon2Hasher
from herald.adapters.signing import OpenPgpSigner, SignatureCache
from herald.adapters.source import SourceTextSerializer
from herald.adapters.storage import Database
from herald.config import Settings
from herald.services.accounts import AccountService
from herald.services.audit import AuditService
from herald.services.authoring import AuthoringService
from herald.services.csaf_import import CsafImportService
from herald.services.ports import Clock, PasswordHasher
from herald.services.publication import GENERATION_MAX_AGE, EmbargoKeeper, PublicationService
from herald.services.reading import ReadingService
from herald.services.source import SourceService


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
    embargo: EmbargoKeeper
    publication: PublicationService
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
    authoring = AuthoringService(database.unit_of_work, clock, SourceTextSerializer())
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
        source=SourceService(database.unit_of_work),
        accounts=AccountService(database.unit_of_work, hasher or Argon2Hasher(), clock),
        audit=AuditService(read),
        csaf_import=CsafImportService(database.unit_of_work, clock, SourceTextSerializer()),
        embargo=embargo,
        publication=publication,
        signatures=signatures,
        csaf_distribution=DistributionKeeper(publication, settings.base_url, signatures),
    )
