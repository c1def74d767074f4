"""The two apps the gateway benchmark compares: the same app and route, bare and through the gateway."""

from litestar import Litestar

from govstat.platform.root.app import create_app


def bare_app() -> Litestar:
    """No authentication, subscription, role, rate limit or metering; everything else the same."""
    return create_app(with_gateway=False)


def gateway_app() -> Litestar:
    return create_app()
