"""PARAMETER of an error answer: the request's parameters under e-Stat's own tag names, and only those.

e-Stat echoes the parameters it defines (LANG, STATS_DATA_ID, NARROWING_COND, ...), never appId, never
a name it does not know. Echoing the caller's keys as they came made them element and attribute names
of the XML answer: a key holding markup came back as a live script on govstat's origin."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govstat.platform.subsystems.estat.api.params import DIMENSIONS

MAX_VALUE = 1000  # characters of one echoed value (an answer is no place to mirror a huge input)

TAGS = {
    "lang": "LANG",
    "statsDataId": "STATS_DATA_ID",
    "dataSetId": "DATASET_ID",
    "dataSetName": "DATASET_NAME",
    "openSpecified": "OPEN_SPECIFIED",
    "surveyYears": "SURVEY_YEARS",
    "openYears": "OPEN_YEARS",
    "statsField": "STATS_FIELD",
    "statsCode": "STATS_CODE",
    "searchWord": "SEARCH_WORD",
    "searchKind": "SEARCH_KIND",
    "collectArea": "COLLECT_AREA",
    "statsNameList": "STATS_NAME_LIST",
    "updatedDate": "UPDATED_DATE",
    "startPosition": "START_POSITION",
    "limit": "LIMIT",
    "metaGetFlg": "METAGET_FLG",
    "cntGetFlg": "CNT_GET_FLG",
    "explanationGetFlg": "EXPLANATION_GET_FLG",
    "annotationGetFlg": "ANNOTATION_GET_FLG",
    "replaceSpChars": "REPLACE_SP_CHARS",
    "replaceSpChar": "REPLACE_SP_CHARS",
    "sectionHeaderFlg": "SECTION_HEADER_FLG",
}
# lvArea -> LEVEL_AREA_COND, cdArea -> CODE_AREA_SELECT, cdAreaFrom -> CODE_AREA_FROM, cdAreaTo -> CODE_AREA_TO
NARROWING = {
    f"{p}{s}{e}": f"{t}_{s.upper()}_{k}"
    for s in DIMENSIONS
    for p, e, t, k in (
        ("lv", "", "LEVEL", "COND"),
        ("cd", "", "CODE", "SELECT"),
        ("cd", "From", "CODE", "FROM"),
        ("cd", "To", "CODE", "TO"),
    )
}


def parameter(q: Mapping[str, Any]) -> dict[str, Any]:
    """The known parameters of `q` as e-Stat echoes them; every other key is left out."""
    out: dict[str, Any] = {}
    for name, tag in TAGS.items():
        if q.get(name) not in (None, "") and tag not in out:
            out[tag] = _value(q[name])
    cond = {tag: _value(q[name]) for name, tag in NARROWING.items() if q.get(name) not in (None, "")}
    if cond:
        out["NARROWING_COND"] = cond
    return out


def _value(v: Any) -> str:
    return str(v)[:MAX_VALUE]
