"""The RESULT block every e-Stat answer starts with."""

from __future__ import annotations

import datetime as dt
from typing import Any

from govstat.platform.clock import JST
from govstat.platform.subsystems.estat.api.faults import MESSAGES


def result(status: int = 0, message: str | None = None) -> dict[str, Any]:
    now = dt.datetime.now(JST)
    return {"STATUS": status, "ERROR_MSG": message or MESSAGES[status], "DATE": now.isoformat(timespec="milliseconds")}
