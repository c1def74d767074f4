"""E-mail: one message format and one way to hand it to the SMTP server (aiosmtplib).

The server is the one the settings name when the mail is sent (not at import), so tests and
`make run` can point it at a local aiosmtpd."""

from __future__ import annotations

import uuid
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

import aiosmtplib

from govstat.platform.settings import get_settings

SMTP_TIMEOUT_SECONDS = 30.0


def build_message(*, to: str, subject: str, body: str, delivery_id: uuid.UUID) -> EmailMessage:
    """A plain-text message in Japanese and English; the delivery id makes its Message-ID stable."""
    settings = get_settings()
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=False)
    message["Message-ID"] = make_msgid(idstring=str(delivery_id), domain=settings.mail_from.split("@")[-1])
    message["Content-Language"] = "ja, en"
    message["X-Govstat-Delivery"] = str(delivery_id)
    message.set_content(body, charset="utf-8")
    return message


async def send_mail(message: EmailMessage) -> None:
    settings = get_settings()
    await aiosmtplib.send(message, hostname=settings.smtp_host, port=settings.smtp_port, timeout=SMTP_TIMEOUT_SECONDS)
