"""Alert delivery: email (SMTP or Maildir), webhooks, signed link tokens, the worker."""

from herald.adapters.delivery.email import (
    EmailSender,
    MaildirTransport,
    SmtpSettings,
    SmtpTransport,
)
from herald.adapters.delivery.email_message import EmailComposer
from herald.adapters.delivery.targets import WebhookTargetGuard
from herald.adapters.delivery.tokens import HmacTokenSigner
from herald.adapters.delivery.webhook import WebhookSender

__all__ = [
    "EmailComposer",
    "EmailSender",
    "HmacTokenSigner",
    "MaildirTransport",
    "SmtpSettings",
    "SmtpTransport",
    "WebhookSender",
    "WebhookTargetGuard",
]
