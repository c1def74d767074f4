"""`govstat classification ...`: operator commands of the classification module."""

from __future__ import annotations

import click

from govstat.platform.subsystems.classification.jobs import RELOAD


@click.group()
def group() -> None:
    """統計分類 / statistical classifications."""


group.add_command(RELOAD.command())
