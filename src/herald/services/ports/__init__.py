"""What the services need from the outside world, as small protocols, one module per
feature. Storage adapters implement them; ``herald.bootstrap`` decides which.

- ``bulletins``: ``BulletinRepository``, with ``BulletinQuery``, ``BulletinPage``,
  ``BulletinHeadline`` and ``MAX_HEADLINES``;
- ``catalog``: ``PublisherRepository``, ``CatalogRepository``;
- ``accounts``: ``UserRepository``, ``SignInThrottle``;
- ``audit``: ``AuditLog``;
- ``site``: ``SiteState`` (the site generation);
- ``alerts``: ``SubscriptionStore``, ``Outbox``, ``PredisclosureStore``, with
  ``Confirmation``, ``DeliveryFailure``, ``DeliveryView``;
- ``review``: ``ReviewStore``;
- ``api_tokens``: ``ApiTokenStore``;
- ``sessions``: ``SessionStore``, with ``StoredSession``;
- ``unit_of_work``: ``UnitOfWork`` (one transaction exposing every store above) and
  ``UnitOfWorkFactory``;
- ``common``: ports every feature may use: ``Clock``, ``PasswordHasher``,
  ``SourceSerializer``, ``TokenSigner``, and ``Sender`` with ``AlertJob`` and
  ``SendResult``.

Import from the feature module (``herald.services.ports.bulletins``); this package
re-exports nothing.
"""
