"""What a request about one unit needs first, in one round trip (issue 10 §7, the deadline day): the
unit (with its latest version), its survey, and whether the signed-in respondent must first change
their password. Reading these one statement each was three round trips of every submission and
every page turn. The survey's key row comes in the same statement (NULL once shredded): every use
of the process's unwrapped key is checked against it (keys.opened), at no round trip more.

The survey is joined under the same visibility as `surveys.get` (its tenant's, or an intermediary's
granted surveys), and the unit under row-level security as always: a unit or survey the caller may
not see answers 404."""

from __future__ import annotations

import uuid

import msgspec
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from govstat.platform.db.rows import decode
from govstat.platform.db.uow import UnitOfWork
from govstat.platform.db.where import Where
from govstat.platform.errors import NotFound
from govstat.platform.security import PrincipalKind
from govstat.platform.subsystems.online import keys, surveys
from govstat.platform.subsystems.online.answering import UNIT
from govstat.platform.subsystems.online.rows import SurveyRow, UnitRow

_SURVEY = ", ".join(f"{c} AS survey__{c.removeprefix('s.')}" for c in surveys.COLUMNS.split(", "))
# the signed-in respondent's own flag ($2: their id; none for other roles)
_MUST_CHANGE = "coalesce((SELECT r.must_change FROM online_respondent r WHERE r.id = $2), false) AS must_change"
_KEY = "k.master_key_id AS key__master_key_id, k.wrapped AS key__wrapped"
_SELECT = UNIT.replace(" FROM online_unit u ", f", {_SURVEY}, {_MUST_CHANGE}, {_KEY} FROM online_unit u ", 1)
# a submission's lock on the unit (submissions.LOCK), taken by the same statement for the one row it
# answers: the statement's own rows are read before it waits, the submission's next statement after
_LOCKED = _SELECT.replace(
    " FROM online_unit u ",
    ", pg_advisory_xact_lock(hashtextextended(u.id::text, 7201)) AS locked FROM online_unit u ",
    1,
)


class UnitContext(msgspec.Struct, frozen=True):
    unit: UnitRow
    survey: SurveyRow
    must_change: bool
    key: keys.Wrapped | None  # None: the survey's key was shredded (its answers erased)

    def aes(self) -> AESGCM:
        """The survey's data key; 410 once shredded, in whichever process it was."""
        return keys.opened(self.unit.survey_id, self.key)


async def load(uow: UnitOfWork, unit_id: uuid.UUID, *, lock: bool = False) -> UnitContext:
    """`lock`: also take the unit's submission lock in this round trip (for `submissions.submit_to(...,
    locked=True)`); only once the unit is found visible, and held to the end of the transaction."""
    actor = uuid.UUID(uow.scope.actor) if uow.scope.role == PrincipalKind.RESPONDENT.value else None
    w = surveys.visible(uow, Where(args=[unit_id, actor]))
    record = await uow.fetchrow(
        f"{_LOCKED if lock else _SELECT} JOIN online_survey s ON s.id = u.survey_id"
        f" LEFT JOIN online_survey_key k ON k.survey_id = s.id WHERE u.id = $1 AND {w}",
        *w.args,
    )
    if record is None:
        raise NotFound("調査単位が見つかりません / no such unit")
    values = dict(record)
    survey = {k.removeprefix("survey__"): values.pop(k) for k in list(values) if k.startswith("survey__")}
    must_change = bool(values.pop("must_change"))
    values.pop("locked", None)
    key_id, wrapped = values.pop("key__master_key_id"), values.pop("key__wrapped")
    key = None if wrapped is None else keys.Wrapped(master_key_id=key_id, wrapped=bytes(wrapped))
    return UnitContext(unit=decode(UnitRow, values), survey=decode(SurveyRow, survey), must_change=must_change, key=key)
