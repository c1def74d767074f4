"""Fixtures that several subsystems' tests share: `mailbox`, a real local SMTP server (tests/support/mailbox.py)."""

from tests.support.mailbox import mailbox as mailbox
