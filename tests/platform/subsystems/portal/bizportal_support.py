"""Shared set-up of the portal tests: signed-in clients of two tenants and the operator."""

from __future__ import annotations

from dataclasses import dataclass

import httpx

from tests.support import factories as f


@dataclass
class Signed:
    client: httpx.AsyncClient
    csrf: str

    @property
    def h(self) -> dict[str, str]:
        return {"x-csrf-token": self.csrf}


async def signed(app, login: str | None = None) -> Signed:
    """A client of its own, signed in as `login` (the operator when None). Close it with aclose()."""
    c = f.another_client(app)
    csrf = await (f.operator_client_csrf(c) if login is None else f.sign_in(c, login))
    return Signed(c, csrf)


async def two_tenants() -> tuple[f.TenantFixture, f.TenantFixture]:
    return await f.make_tenant(modules=("portal",)), await f.make_tenant(modules=("portal",))
