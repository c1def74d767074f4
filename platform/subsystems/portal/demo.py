"""The demo's portal: a notice to every agency, a board for the agencies with a first thread, and a
page for statisticians (called by `govstat seed --demo`, in the operator's scope)."""

from __future__ import annotations

from govstat.platform.db.uow import UnitOfWork
from govstat.platform.security import Principal, PrincipalKind, Role
from govstat.platform.subsystems.portal import articles, boards, notices
from govstat.platform.subsystems.portal.schemas import BoardIn, NoticeIn, PageIn, PostIn

GUIDE = """# 人口推計の手引き

人口推計は、国勢調査の人口を基礎に、その後の出生・死亡・入出国の数を加減して算出します。

| 項目 | 出典 |
|---|---|
| 出生・死亡 | 人口動態統計 |
| 入出国 | 出入国管理統計 |

詳しくは [e-Stat](https://www.e-stat.go.jp/) を参照してください。
"""


async def seed_demo(uow: UnitOfWork) -> None:
    await notices.create(
        uow,
        NoticeIn(
            title="業務ポータルサイトを開設しました / The business portal is open",
            body="お知らせ、掲示板、統計専門職員向けページをご利用いただけます。",
            audience="agencies",
        ),
    )
    board = await boards.create_board(
        uow,
        BoardIn(
            name="統計作成実務の情報交換",
            description="府省・地方公共団体の統計担当者の掲示板",
            member_kinds=["agency", "mic"],
        ),
    )
    operator = Principal(
        kind=PrincipalKind.OPERATOR, subject=uow.scope.actor, name="統計センター", roles=frozenset({Role.OPERATOR})
    )
    await boards.write(
        uow,
        operator,
        board.id,
        PostIn(title="人口推計の補間方法について", body="年央人口の補間について情報交換しましょう。"),
    )
    await articles.save(uow, PageIn(slug="population-estimates", title="人口推計の手引き", body_md=GUIDE))
