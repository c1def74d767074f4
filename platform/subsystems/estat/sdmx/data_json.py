"""SDMX-JSON 1.0 data: dimension and attribute values listed once in `structure`, series keyed by
their values' positions ("0:2:1"), each observation [value, OBS_STATUS index, UNIT_MEASURE index]."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import msgspec

from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, Flow
from govstat.platform.subsystems.estat.sdmx.observations import Series
from govstat.platform.subsystems.estat.sdmx.structure import FIXED
from govstat.platform.subsystems.statdb.flags import STATUSES

_encoder = msgspec.json.Encoder(decimal_format="number")


def _index(values: list[str]) -> dict[str, int]:
    return {v: i for i, v in enumerate(values)}


def write(flow: Flow, series: list[Series]) -> bytes:
    codes = [list(dict.fromkeys(s.key[i] for s in series)) for i in range(len(flow.dims))]
    names = [{c.id: c.name for c in d.codes} for d in flow.dims]
    periods = list(dict.fromkeys(o.period for s in series for o in s.obs))
    statuses = [c for c in STATUSES if any(o.status == c for s in series for o in s.obs)]
    units = list(dict.fromkeys(o.unit for s in series for o in s.obs if o.unit))
    at = [_index(c) for c in codes]
    p_at, st_at, u_at = _index(periods), _index(statuses), _index(units)
    data: dict[str, Any] = {}
    for s in series:
        key = ":".join(str(at[i][v]) for i, v in enumerate(s.key))
        data[key] = {
            "attributes": [],
            "observations": {
                str(p_at[o.period]): [
                    Decimal(o.value) if o.value is not None else None,
                    st_at[o.status] if o.status else None,
                    u_at[o.unit] if o.unit else None,
                ]
                for o in s.obs
            },
        }
    time_name = flow.time.name if flow.time else None
    body = {
        "header": {
            "id": f"IREF{uuid.uuid4().hex[:16]}",
            "test": False,
            "prepared": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "sender": {"id": AGENCY},
        },
        "dataSets": [{"action": "Information", "series": data}],
        "structure": {
            "name": flow.name.ja,
            "names": {"ja": flow.name.ja, "en": flow.name.en},
            "dimensions": {
                "dataSet": [],
                "series": [
                    {
                        "id": d.id,
                        "name": d.name.ja,
                        "names": {"ja": d.name.ja, "en": d.name.en},
                        "keyPosition": i,
                        "values": [_value(c, names[i].get(c)) for c in codes[i]],
                    }
                    for i, d in enumerate(flow.dims)
                ],
                "observation": [
                    {
                        "id": TIME,
                        "name": time_name.ja if time_name else FIXED[TIME][0],
                        "keyPosition": len(flow.dims),
                        "role": "time",
                        "values": [{"id": p, "name": p} for p in periods],
                    }
                ],
            },
            "attributes": {
                "dataSet": [],
                "series": [],
                "observation": [
                    {
                        "id": "OBS_STATUS",
                        "name": FIXED["OBS_STATUS"][0],
                        "values": [{"id": c, "name": STATUSES[c][0]} for c in statuses],
                    },
                    {"id": "UNIT_MEASURE", "name": FIXED["UNIT_MEASURE"][0], "values": [{"name": u} for u in units]},
                ],
            },
        },
    }
    return _encoder.encode(body)


def _value(code: str, name: Any) -> dict[str, Any]:
    if name is None:
        return {"id": code, "name": code}
    return {"id": code, "name": name.ja, "names": {"ja": name.ja, "en": name.en}}
