"""The two apps the gateway benchmark compares: the same app and route, bare and through the gateway."""

from litestar import Litestar

from govstat.platform.root.app import create_app


def bare_app() -> Litestar:
    """No authentication, subscription, role, rate limit or metering; everything else the same."""
    return create_app(with_gateway=False)


def gateway_app() -> Litestar:
    return create_app()


def two_trip_gateway_app() -> Litestar:
    """The gateway as it was before issue 15, for comparison in the same run: the rate-limit
    script, then the usage event written to Redis before the last byte (two round trips)."""
    from typing import Any

    from govstat.gateway.pipeline import GatewayMiddleware
    from govstat.gateway.ratelimit import RateLimiter

    check, admit = RateLimiter.check, GatewayMiddleware._admit

    async def check_only(self: RateLimiter, key: str, lim: Any, opened: Any = None) -> Any:
        return await check(self, key, lim, None)

    async def limit_then_meter_before_the_end(self: GatewayMiddleware, *args: Any) -> None:
        await admit(self, *args)
        args[-1].opened = False  # no open record: the pipeline writes the event before the last byte

    RateLimiter.check = check_only  # type: ignore[method-assign]
    GatewayMiddleware._admit = limit_then_meter_before_the_end  # type: ignore[method-assign]
    return create_app()
