"""SDMX-CSV 1.0 data: DATAFLOW (agency:id(version)), the key, TIME_PERIOD, OBS_VALUE and the
attributes, one observation a line; every cell through the platform's spreadsheet writer."""

from __future__ import annotations

import io

from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, VERSION, Flow
from govstat.platform.subsystems.estat.sdmx.observations import Series
from govstat.platform.web.spreadsheet import csv_writer


def write(flow: Flow, series: list[Series]) -> bytes:
    out = io.StringIO()
    w = csv_writer(out, lineterminator="\r\n")
    w.writerow(["DATAFLOW", *(d.id for d in flow.dims), TIME, "OBS_VALUE", "OBS_STATUS", "UNIT_MEASURE"])
    ref = f"{AGENCY}:{flow.id}({VERSION})"
    for s in series:
        for o in s.obs:
            w.writerow([ref, *s.key, o.period, o.value or "", o.status or "", o.unit or ""])
    return out.getvalue().encode()
