"""`govstat area ...`: operator commands of the area module."""

from __future__ import annotations

import click

from govstat.platform.subsystems.area.jobs import RELOAD


@click.group()
def group() -> None:
    """標準地域コード / standard area codes."""


group.add_command(RELOAD.command())
