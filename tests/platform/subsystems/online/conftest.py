"""The online tests' fixtures: a real SMTP server (aiosmtpd) that the settings point mail at."""

import msgspec
import pytest
from aiosmtpd.controller import Controller

from govstat.platform.settings import get_settings, set_settings
from tests.platform.subsystems.online.online_support import Mailbox
from tests.support.server import free_port


@pytest.fixture
def mailbox():
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
