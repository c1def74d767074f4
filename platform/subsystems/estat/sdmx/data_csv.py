"""SDMX-CSV 1.0 data: DATAFLOW (agency:id(version)), the key, TIME_PERIOD, OBS_VALUE and the
attributes, one observation a line; every cell through the platform's spreadsheet writer. With
includeHistory, a last column VALID_FROM says which version of the table the line belongs to (the
version's date; SDMX-CSV 1.0 has no such column: govstat's addition)."""

from __future__ import annotations

import io

from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, VERSION, Flow
from govstat.platform.subsystems.estat.sdmx.history import Vintage, stamp
from govstat.platform.subsystems.estat.sdmx.observations import Series
from govstat.platform.web.spreadsheet import csv_writer


def write(flow: Flow, series: list[Series], history: list[Vintage] | None = None) -> bytes:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\r\n")
    extra = ["VALID_FROM"] if history is not None else []
    w.writerow(["DATAFLOW", *(d.id for d in flow.dims), TIME, "OBS_VALUE", "OBS_STATUS", "UNIT_MEASURE", *extra])
    ref = f"{AGENCY}:{flow.id}({VERSION})"
    sets = [(series, [])] if history is None else [(v.series, [stamp(v.valid_from)]) for v in history]
    for part, tail in sets:
        for s in part:
            for o in s.obs:
                w.writerow([ref, *s.key, o.period, o.value or "", o.status or "", o.unit or "", *tail])
    return out.getvalue().encode()
