"""`govstat seed`: masters, reference data and (with --demo) the demo organisations and users.

Everything goes through the same use cases as the API, so the demo has the
audit trail a real set-up would have.
"""

from __future__ import annotations

import datetime as dt
import uuid

import msgspec
from rich.console import Console

from govstat.platform.catalog import Catalog
from govstat.platform.clock import today_jst
from govstat.platform.db.engine import start_pool
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.root import seed_data as D
from govstat.platform.security import Scope
from govstat.platform.settings import Settings
from govstat.tenants import admission, masters, schemas, subscriptions, users

console = Console()
OPERATOR_SCOPE = Scope(role="operator", actor="seed")


def demo_password(login: str) -> str:
    return login + D.DEMO_PASSWORD_SUFFIX


async def seed_masters(uow: UnitOfWork, catalog: Catalog) -> None:
    for code, ja, en in D.AGENCIES:
        await masters.upsert_master(uow, "agencies", schemas.AgencyIn(code=code, name_ja=ja, name_en=en))
    for code, ja, en in D.STAT_FIELDS:
        await masters.upsert_master(uow, "stat-fields", schemas.StatFieldIn(code=code, name_ja=ja, name_en=en))
    for code, ja, agency, field, cycle in D.GOV_STATISTICS:
        await masters.upsert_master(
            uow,
            "statistics",
            schemas.GovStatisticIn(code=code, name_ja=ja, agency_code=agency, field_code=field, cycle=cycle),
        )
    for agency, code, name in D.DIVISIONS:
        await masters.upsert_master(uow, "divisions", schemas.DivisionIn(agency_code=agency, code=code, name_ja=name))
    for m in catalog.modules:
        await masters.upsert_master(uow, "systems", schemas.SystemIn(code=m.key, name_ja=m.name_ja, name_en=m.name_en))


def _contacts(code: str, org: str) -> schemas.ContactsIn:
    return schemas.ContactsIn(
        primary=schemas.ContactIn(
            role="primary",
            name=f"{org} 統計 太郎",
            name_kana="とうけい たろう",
            email=f"primary@{code}.example.go.jp",
            phone="03-0000-0001",
        ),
        deputy=schemas.ContactIn(
            role="deputy",
            name=f"{org} 統計 花子",
            name_kana="とうけい はなこ",
            email=f"deputy@{code}.example.go.jp",
            phone="03-0000-0002",
        ),
    )


async def _user(uow: UnitOfWork, tenant_id: uuid.UUID, login: str, name: str, roles: list[schemas.RoleName]) -> None:
    await users.create_user(
        uow,
        tenant_id,
        schemas.UserIn(
            login=login, display_name=name, password=demo_password(login), roles=roles, email=f"{login}@example.go.jp"
        ),
    )


async def _subscribe(uow: UnitOfWork, tenant_id: uuid.UUID, modules: list[str], known: set[str]) -> None:
    for key in modules:
        if key in known:
            await subscriptions.subscribe(uow, tenant_id, schemas.SubscriptionIn(module_key=key), known)


async def seed_demo(uow: UnitOfWork, catalog: Catalog) -> None:
    known = set(catalog.subsystem_keys)
    today = today_jst()
    year = today.year if today.month >= 4 else today.year - 1
    bulk = await admission.create_bulk_contract(
        uow,
        schemas.BulkContractIn(
            reference=f"総務省-統計センター 一括契約 FY{year}",
            fiscal_year=year,
            signed_on=dt.date(year, 3, 25),
            starts_on=dt.date(year, 4, 1),
            ends_on=dt.date(year + 1, 3, 31),
        ),
    )

    # The operator organisation itself: a tenant for its staff (kind operator).
    op_id = uuid.uuid4()
    await uow.execute(
        "INSERT INTO tenant (id, code, name_ja, name_en, kind, status, agency_code, plan, activated_at)"
        " VALUES ($1, $2, $3, $4, 'operator', 'active', $5, 'operator', now())",
        op_id,
        D.OPERATOR["code"],
        D.OPERATOR["name_ja"],
        D.OPERATOR["name_en"],
        D.OPERATOR["agency_code"],
    )
    from govstat.tenants.contacts import replace_contacts

    await replace_contacts(uow, op_id, _contacts("nstac", "統計センター"))
    await _user(uow, op_id, "operator", "統計センター 運用担当", ["operator"])

    for c in D.CONSTITUENTS:
        row = await admission.create_constituent(
            uow,
            schemas.ConstituentIn(
                code=c["code"],
                name_ja=c["name_ja"],
                name_en=c["name_en"],
                agency_code=c["agency_code"],
                bulk_contract_id=bulk.id,
            ),
            _contacts(c["code"], c["name_ja"]),
        )
        await _subscribe(uow, row.id, c["modules"], known)
        await _user(uow, row.id, f"{c['code']}-admin", f"{c['name_ja']} 管理者", ["agency_admin", "agency_staff"])
        await _user(uow, row.id, f"{c['code']}-staff", f"{c['name_ja']} 職員", ["agency_staff"])
        if c["code"] == "mic":
            await _user(uow, row.id, "mic-oversight", "総務省 統計制度担当", ["mic"])

    for b in D.APPROVED_BODIES:
        row = await admission.apply_admission(
            uow,
            schemas.ApplicationIn(
                code=b["code"],
                name_ja=b["name_ja"],
                name_en=b["name_en"],
                agency_code=b["agency_code"],
                submitted_on=dt.date(year, 4, 10),
                document_ref=f"{b['code']}-申請-{year}-001",
                reason="統計調査の実施及び地域統計の提供のため",
            ),
        )
        tid = row.id
        await admission.decide_admission(
            uow,
            tid,
            schemas.DecisionIn(
                outcome="approved",
                decided_on=dt.date(year, 5, 20),
                reference=f"協議会決定 {year}-{b['code']}",
                summary="承認機関としての利用を承認",
            ),
        )
        await admission.sign_contract(
            uow,
            tid,
            schemas.ContractIn(
                reference=f"統計センター-{b['code']} 利用契約 {year}",
                signed_on=dt.date(year, 6, 1),
                starts_on=dt.date(year, 6, 1),
            ),
        )
        from govstat.tenants.contacts import replace_contacts as rc

        await rc(uow, tid, _contacts(b["code"], b["name_ja"]))
        await admission.activate(uow, tid)
        await _subscribe(uow, tid, b["modules"], known)
        await _user(uow, tid, f"{b['code']}-admin", f"{b['name_ja']} 管理者", ["agency_admin", "agency_staff"])
        await _user(uow, tid, f"{b['code']}-staff", f"{b['name_ja']} 職員", ["agency_staff"])
        if "online" in b["modules"]:  # 経由機関 staff of the online surveys it is granted
            await _user(uow, tid, f"{b['code']}-intermediary", f"{b['name_ja']} 経由機関", ["intermediary"])


async def seed_statistics() -> str:
    """The demo's first published table: the 2020 census (男女別人口), registered by MIC through statdb
    and published by the same job the worker runs, so portal, API and dashboards show real data."""
    import asyncio
    from pathlib import Path

    from govstat.platform.subsystems import statdb
    from govstat.platform.subsystems.statdb import service

    data = Path(statdb.__file__).parent / "data"
    async with UnitOfWork(OPERATOR_SCOPE) as uow:
        mic = await uow.fetchval("SELECT id FROM tenant WHERE code = 'mic'")
    scope = Scope.tenant(mic, role="agency", actor="seed")
    async with UnitOfWork(scope) as uow:
        table = await service.register(
            uow,
            service.Upload(
                (data / "census-2020-1-1-1.params.yaml").read_bytes(),
                (data / "FEH_00200521_240321113104.csv").read_bytes(),
                "FEH_00200521_240321113104.csv",
            ),
        )
    async with UnitOfWork(scope) as uow:
        await service.schedule(uow, table.stats_data_id, dt.datetime.now(dt.UTC) + dt.timedelta(seconds=1))
    await asyncio.sleep(1.1)
    async with UnitOfWork(Scope.system("seed")) as uow:
        await service.publish_due(uow)
    return table.stats_data_id


async def seed_regional_series() -> str:
    """The prefecture census series 1920-2020 (region/seed.py), registered and published as MIC
    before the 2020 census, so that the census stays the newest table (the maps' default)."""
    from govstat.platform.subsystems.region.seed import register_pref_series

    async with UnitOfWork(OPERATOR_SCOPE) as uow:
        mic = await uow.fetchval("SELECT id FROM tenant WHERE code = 'mic'")
    return await register_pref_series(mic)


async def seed_reference(uow: UnitOfWork) -> dict[str, int]:
    from govstat.platform.subsystems.area.loader import load_into

    await __import__("govstat.platform.subsystems.classification.loader", fromlist=["load_into"]).load_into(uow)
    counts = await load_into(uow)
    gis = __import__("govstat.platform.subsystems.gis.loader", fromlist=["load_into"])
    return {**counts, **await gis.load_into(uow)}  # boundaries link to the area codes just loaded


def check_demo_allowed(settings: Settings, demo: bool) -> None:
    """The demo users' passwords are published in the README: never in production."""
    if demo and settings.env == "prod":
        from govstat.platform.errors import ConfigError

        raise ConfigError(
            "GOVSTAT_ENV=prod: the demo tenants and users (published passwords) are not seeded in"
            " production; run `govstat seed --no-demo`"
        )


async def run_seed(
    settings: Settings, catalog: Catalog, *, demo: bool = True, only_if_empty: bool = False, history: bool = True
) -> None:
    check_demo_allowed(settings, demo)
    await start_pool()
    async with UnitOfWork(OPERATOR_SCOPE) as uow:
        if only_if_empty and await uow.fetchval("SELECT count(*) FROM tenant"):
            gis = __import__("govstat.platform.subsystems.gis.loader", fromlist=["load_if_empty"])
            loaded = await gis.load_if_empty(uow)  # a database seeded before the GIS existed gets its boundaries
            console.print("seed: already seeded / 初期データ登録済み" + (f" (boundaries {loaded})" if loaded else ""))
            return
        with console.status("マスタ登録 / masters"):
            await seed_masters(uow, catalog)
        with console.status("標準地域コード読込 / area codes"):
            counts = await seed_reference(uow)
        console.print(f"seed: area codes {counts}")
        seeding_demo = demo and not await uow.fetchval("SELECT count(*) FROM tenant")
        if seeding_demo:
            with console.status("デモ機関・利用者 / demo tenants and users"):
                await seed_demo(uow, catalog)
                await _seed_subsystem_demos(uow, catalog)
            console.print("seed: demo tenants and users created (passwords: <login>" + D.DEMO_PASSWORD_SUFFIX + ")")
    if seeding_demo:
        await _seed_enumerators(catalog)
        with console.status("国勢調査の統計表 / the census tables"):
            series = await seed_regional_series()
            sid = await seed_statistics()
        console.print(f"seed: published the census 1920-2020 by prefecture ({series}) and 2020 ({sid})")
        from govstat.platform.subsystems.region.seed import seed_catalogue

        await seed_catalogue(series, sid)
        from govstat.platform.subsystems.frame.loader import seed_demo as seed_frame

        units = 2_000 if settings.env == "test" else 200_000  # tests use a small register
        with console.status("事業所母集団 / the business register"):
            counts = await seed_frame(units)
        console.print(f"seed: business register {counts}")

        from govstat.platform.subsystems.items.seed import seed_demo as seed_items

        with console.status("調査項目と世帯調査票 / survey items and the household questionnaire"):
            async with UnitOfWork(OPERATOR_SCOPE) as uow:
                mic = await uow.fetchval("SELECT id FROM tenant WHERE code = 'mic'")
            qid = await seed_items(mic)
        console.print(f"seed: published the household questionnaire {qid}")
        if "online" in catalog.subsystem_keys and "items" in catalog.subsystem_keys:
            from govstat.platform.subsystems.online.seed import seed_demo as seed_online

            with console.status("オンライン調査 / the online survey"):
                sid = await seed_online()
            console.print(f"seed: online survey answered, aggregated and published as statsDataId {sid}")
        with console.status("オンサイト利用 / on-site microdata"):
            credential = await seed_onsite()
        console.print(f"seed: on-site demo terminal at 127.0.0.1: send X-Onsite-Device: {credential}")

        if history:
            from govstat.platform.root.seed_history import seed_history

            with console.status("一年分の利用実績 / a year of usage, SLA and invoices"):
                done = await seed_history()
            console.print(f"seed: a year of usage: {done['calls']:,} calls, {done['invoices']} invoices")


async def seed_onsite() -> str:
    """The on-site researcher `onsite-researcher` (no tenant, role onsite) and the onsite module's demo."""
    from govstat.platform.subsystems.onsite import demo
    from govstat.tenants.accounts import service as accounts

    async with UnitOfWork(OPERATOR_SCOPE) as uow:
        mic = await uow.fetchval("SELECT id FROM tenant WHERE code = 'mic'")
        who = await accounts.register(
            uow,
            schemas.RegisterIn(
                login="onsite-researcher",
                display_name="オンサイト 研究者",
                password=demo_password("onsite-researcher"),
                email="onsite-researcher@example.jp",
            ),
        )
        await uow.execute("UPDATE app_user SET roles = ARRAY['onsite'] WHERE id = $1", who.id)
    return await demo.seed(mic, who.id)


async def _seed_subsystem_demos(uow: UnitOfWork, catalog: Catalog) -> None:
    """Demo content of subsystems that seed in the operator's scope (each keeps its own in demo.py)."""
    if "portal" in catalog.subsystem_keys:
        from govstat.platform.subsystems.portal.demo import seed_demo as portal_demo

        await portal_demo(uow)


async def _seed_enumerators(catalog: Catalog) -> None:
    """Kobe's enumerators, in Kobe's own scope (personal data: not even the operator writes it)."""
    if "enumerators" not in catalog.subsystem_keys:
        return
    from govstat.platform.subsystems.enumerators.demo import seed_demo as enumerators_demo

    async with UnitOfWork(OPERATOR_SCOPE) as uow:
        kobe = await uow.fetchval("SELECT id FROM tenant WHERE code = 'kobe-city'")
    if kobe is not None:
        await enumerators_demo(kobe)


__all__ = ["demo_password", "msgspec", "run_seed"]
