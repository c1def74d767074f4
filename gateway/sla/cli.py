"""`govstat sla ...`: run the burn-rate evaluation once; print a monthly SLA report."""

from __future__ import annotations

import asyncio

import click

from govstat.platform.catalog import Catalog


def _run(coro_fn):
    from govstat.platform.db.engine import close_pool, start_pool

    async def run():
        await start_pool()
        try:
            return await coro_fn()
        finally:
            await close_pool()

    return asyncio.run(run())


@click.group()
def group() -> None:
    """SLA: サービスレベルの計測 / service level measurement."""


@group.command("evaluate")
@click.pass_obj
def evaluate_cmd(catalog: Catalog) -> None:
    """Evaluate the burn-rate alerts once (what the every-minute job does)."""
    from govstat.gateway.sla.alerts import evaluate

    results = _run(lambda: evaluate(catalog, actor="cli"))
    click.echo(f"{'module':<16} {'5m':>9} {'30m':>9} {'1h':>9} {'6h':>9}  firing   action")
    for r in results:
        b = r.burn
        click.echo(
            f"{r.module:<16} {b['5m']:>9.2f} {b['30m']:>9.2f} {b['1h']:>9.2f} {b['6h']:>9.2f}"
            f"  {r.rule or '-':<8} {r.action}"
        )


@group.command("report")
@click.option("--period", default="", help="YYYY-MM (JST); the current month when omitted")
@click.option("--module", default="", help="one module key")
@click.pass_obj
def report_cmd(catalog: Catalog, period: str, module: str) -> None:
    """Print the monthly SLA report (all modules and tenants, as the operator sees it)."""
    from govstat.gateway.sla.figures import parse_period
    from govstat.gateway.sla.report import build_report
    from govstat.platform.db.uow import UnitOfWork
    from govstat.platform.errors import InvalidInput
    from govstat.platform.security import Scope

    try:
        period = parse_period(period)
    except InvalidInput as exc:
        raise click.BadParameter(exc.detail, param_hint="--period") from None

    async def build():
        async with UnitOfWork(Scope(role="operator", actor="cli")) as uow:
            return await build_report(uow, catalog, period, module=module or None, include=catalog.subsystem_keys)

    report = _run(build)
    click.echo(f"SLA report {report.period} (JST) / サービスレベル報告")
    click.echo(
        _table(
            [
                "module",
                "calls",
                "errors",
                "availability",
                "target",
                "p50 ms",
                "p95 ms",
                "p99 ms",
                "budget left",
                "alerts",
            ],
            [
                [
                    m.module,
                    m.total.calls,
                    m.total.errors,
                    _pct(m.total.availability),
                    f"{m.slo.availability_target:g}%",
                    _ms(m.total.p50_ms),
                    _ms(m.total.p95_ms),
                    _ms(m.total.p99_ms),
                    _pct(None if m.total.error_budget_left is None else m.total.error_budget_left * 100, 1),
                    len(m.alerts),
                ]
                for m in report.modules
            ],
        )
    )
    if report.tenants:
        click.echo("\nper tenant / 利用機関別")
        click.echo(
            _table(
                ["module", "tenant", "calls", "errors", "availability", "p95 ms"],
                [
                    [
                        t.module,
                        t.tenant_name if t.tenant_id else "(none)",
                        t.figures.calls,
                        t.figures.errors,
                        _pct(t.figures.availability),
                        _ms(t.figures.p95_ms),
                    ]
                    for t in report.tenants
                ],
            )
        )


def _pct(v: float | None, digits: int = 3) -> str:
    return "-" if v is None else f"{v:.{digits}f}%"


def _ms(v: float | None) -> str:
    return "-" if v is None else f"{v:.1f}"


def _table(header: list[str], rows: list[list]) -> str:
    cells = [header] + [[str(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in cells) for i in range(len(header))]
    lines = [
        "  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths, strict=False)))
        for r in cells
    ]
    return "\n".join([lines[0], "-" * len(lines[0]), *lines[1:]])
