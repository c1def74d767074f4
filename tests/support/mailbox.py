"""A real SMTP server for the tests that send mail: aiosmtpd on a free local port, with the settings
pointed at it for the length of the test. One fixture for every subsystem that mails (online's
letters and reminders, the portal's notices, the e-Stat portal's release alerts, the incident notices).

The handler keeps every message with its envelope recipients, and can play a server that says
"451 try again later": to the next `refuse_data` messages (online's mail retry), or once to each
address in `refuse_rcpt` (the incident notices' retry per recipient)."""

from __future__ import annotations

import contextlib
import email
import email.message
import email.policy
from collections.abc import Iterator
from typing import Any

import msgspec
import pytest
from aiosmtpd.controller import Controller

from govstat.platform.settings import get_settings, set_settings
from tests.support.server import free_port

LATER = "451 4.3.0 try again later"


class Mailbox:
    def __init__(self) -> None:
        self.messages: list[tuple[list[str], email.message.EmailMessage]] = []
        self.refuse_data = 0  # how many messages to answer "451" at DATA before accepting
        self.refused_data = 0
        self.refuse_rcpt: set[str] = set()  # addresses answered "451" once at RCPT, accepted when tried again
        self.refused_rcpt: list[str] = []

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any) -> str:
        if address in self.refuse_rcpt:
            self.refuse_rcpt.discard(address)
            self.refused_rcpt.append(address)
            return LATER
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        if self.refused_data < self.refuse_data:
            self.refused_data += 1
            return LATER
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        assert isinstance(message, email.message.EmailMessage)
        self.messages.append((list(envelope.rcpt_tos), message))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[email.message.EmailMessage]:
        """The messages whose envelope named `address`, oldest first."""
        return [m for rcpts, m in self.messages if address in rcpts]


@contextlib.contextmanager
def smtp_mailbox() -> Iterator[Mailbox]:
    """The server running and the settings' smtp_host/smtp_port on it; both undone on the way out."""
    box = Mailbox()
    controller = Controller(box, hostname="127.0.0.1", port=free_port())
    controller.start()
    before = get_settings()
    set_settings(msgspec.structs.replace(before, smtp_host="127.0.0.1", smtp_port=controller.port))
    try:
        yield box
    finally:
        set_settings(before)
        controller.stop()


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_mailbox() as box:
        yield box
