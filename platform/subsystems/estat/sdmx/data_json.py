"""SDMX-JSON 1.0 data: dimension and attribute values listed once in `structure`, series keyed by
their values' positions ("0:2:1"), each observation [value, OBS_STATUS index, UNIT_MEASURE index].
With includeHistory, one data set per version of the table, with validFrom and validTo."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from typing import Any

import msgspec

from govstat.platform.subsystems.estat.sdmx.flows import AGENCY, TIME, Flow
from govstat.platform.subsystems.estat.sdmx.history import Vintage, stamp
from govstat.platform.subsystems.estat.sdmx.observations import Series
from govstat.platform.subsystems.estat.sdmx.structure import FIXED
from govstat.platform.subsystems.statdb.flags import STATUSES

_encoder = msgspec.json.Encoder(decimal_format="number")


def json_header(**extra: str) -> dict[str, Any]:
    """An SDMX-JSON message's header (withdrawn.py adds its `source`)."""
    return {
        "id": f"IREF{uuid.uuid4().hex[:16]}",
        "test": False,
        "prepared": dt.datetime.now(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sender": {"id": AGENCY},
        **extra,
    }


def _index(values: list[str]) -> dict[str, int]:
    return {v: i for i, v in enumerate(values)}


def write(flow: Flow, series: list[Series], history: list[Vintage] | None = None) -> bytes:
    parts = [series] if history is None else [v.series for v in history]
    series = [s for part in parts for s in part]  # every set's values go in the one structure
    codes = [list(dict.fromkeys(s.key[i] for s in series)) for i in range(len(flow.dims))]
    names = [{c.id: c.name for c in d.codes} for d in flow.dims]
    periods = list(dict.fromkeys(o.period for s in series for o in s.obs))
    statuses = [c for c in STATUSES if any(o.status == c for s in series for o in s.obs)]
    units = list(dict.fromkeys(o.unit for s in series for o in s.obs if o.unit))
    at = [_index(c) for c in codes]
    p_at, st_at, u_at = _index(periods), _index(statuses), _index(units)
    data_sets: list[dict[str, Any]] = []
    for k, part in enumerate(parts):
        data: dict[str, Any] = {}
        for s in part:
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
        data_set: dict[str, Any] = {"action": "Information", "series": data}
        if history is not None:
            data_set["validFrom"] = stamp(history[k].valid_from)
            if (valid_to := history[k].valid_to) is not None:
                data_set["validTo"] = stamp(valid_to)
        data_sets.append(data_set)
    time_name = flow.time.name if flow.time else None
    body = {
        "header": json_header(),
        "dataSets": data_sets,
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
