"""The per-process API key cache (gateway/credentials.py): a key that matched is compared, not
hashed again, on the same caller's next calls; anything else with its prefix is still hashed and
refused, and a revoked key's cached token goes with its entry."""

from govstat.gateway.credentials import cached_principal_for_api_key, principal_for_api_key
from govstat.platform.cache import forget_api_key, redis_client
from govstat.tenants.apikeys import parse_token
from tests.support import factories as f


async def test_a_matched_token_is_remembered_and_nothing_else_with_its_prefix_is_let_in():
    t = await f.make_tenant()
    token = await f.api_key(t.id)
    assert cached_principal_for_api_key(token) is None  # nothing cached yet: the full check runs
    principal = await principal_for_api_key(token, redis_client())
    assert principal is not None and principal.tenant_id == t.id
    assert cached_principal_for_api_key(token) == principal  # remembered: no hash on the next call

    wrong = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert cached_principal_for_api_key(wrong) is None
    assert await principal_for_api_key(wrong, redis_client()) is None  # hashed and refused
    assert cached_principal_for_api_key(token) == principal  # the refused one replaced nothing

    prefix = parse_token(token)
    assert prefix is not None
    await forget_api_key(prefix)  # what revocation does
    assert cached_principal_for_api_key(token) is None
