"""`govstat gis ...`: operator commands of the GIS."""

from __future__ import annotations

import click

from govstat.platform.subsystems.gis.jobs import RELOAD


@click.group()
def group() -> None:
    """統計地理情報 / statistical GIS."""


group.add_command(RELOAD.command())
