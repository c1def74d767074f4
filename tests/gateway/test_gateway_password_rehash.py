"""Issue 15 §4: hashes made with argon2-cffi's old default parameters (RFC 9106's second
recommendation, 64 MiB a hash) still verify, and a successful sign-in replaces them with the
current, lighter parameters (platform/passwords.py), for users and survey respondents alike; a wrong
password replaces nothing."""

from argon2 import PasswordHasher, profiles

from govstat.platform import passwords
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Scope
from tests.platform.subsystems.online.online_support import agency, survey_with_respondents
from tests.support import factories as f

OLD = PasswordHasher.from_parameters(profiles.RFC_9106_LOW_MEMORY)  # what every hash was made with before


async def _stored(table: str, login: str) -> str:
    async with UnitOfWork(Scope.system("test")) as uow:
        return str(await uow.fetchval(f"SELECT password_hash FROM {table} WHERE login = $1", login))


async def _store(table: str, login: str, password_hash: str) -> None:
    async with UnitOfWork(Scope.system("test")) as uow:
        await uow.execute(f"UPDATE {table} SET password_hash = $2 WHERE login = $1", login, password_hash)


async def _old_hash_upgraded_on_sign_in(client, table: str, login: str, password: str) -> None:
    old = OLD.hash(password)
    assert "$m=65536,t=3,p=4$" in old
    await _store(table, login, old)
    wrong = await client.post("/auth/login", json={"login": login, "password": password + "x"})
    assert wrong.status_code == 401 and await _stored(table, login) == old
    r = await client.post("/auth/login", json={"login": login, "password": password})
    assert r.status_code == 200, r.text
    new = await _stored(table, login)
    assert new != old and "$argon2id$v=19$m=19456,t=2,p=1$" in new and passwords._verify(new, password)
    client.cookies.clear()
    again = await client.post("/auth/login", json={"login": login, "password": password})
    assert again.status_code == 200 and await _stored(table, login) == new  # current parameters: kept


async def test_a_users_old_hash_is_replaced_on_sign_in(client):
    t = await f.make_tenant()
    await _old_hash_upgraded_on_sign_in(client, "app_user", t.staff_login, f.PASSWORD)


async def test_a_respondents_old_hash_is_replaced_on_sign_in(client):
    _, h = await agency()
    _, creds = await survey_with_respondents(client, h, n=1)
    client.cookies.clear()
    await _old_hash_upgraded_on_sign_in(client, "online_respondent", creds[0]["login"], creds[0]["password"])
