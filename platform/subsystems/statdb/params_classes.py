"""The parameter file's explanations of dimensions and items, and its annotation symbols (issue 14
section 1: e-Stat's CLASS_OBJ@description, CLASS@addInf, CLASS_OBJ.EXPLANATION, DATA_INF.ANNOTATION).

    dimensions:
      cat01:
        name: 男女
        description: 性別は本人の申告による       # CLASS_OBJ@description
        items:
          - {code: "0", name: 総数, add_inf: 男女の合計, explanation: 不詳を含む}  # CLASS@addInf, EXPLANATION
    annotations:                                  # DATA_INF.ANNOTATION: each symbol the annotation
      "†": 速報値                                 # column writes, with its meaning
    annotations_en:
      "†": Preliminary figure

Every key is optional: where one is missing, the API leaves the attribute or element out."""

from __future__ import annotations

from govstat.platform.subsystems.statdb.params_catalog import listed_dimensions, listed_items
from govstat.platform.subsystems.statdb.params_model import Dimension, mapping, text
from govstat.platform.subsystems.statdb.problems import Problems
from govstat.platform.subsystems.statdb.yamlnodes import Map

MAX_SYMBOL = 16


def dimensions(value: object, dims: dict[str, Dimension], p: Problems) -> None:
    """description of each dimension, add_inf and explanation of its listed items (matched by code)."""
    for obj_id, dim, d in listed_dimensions(value, dims):
        dim.description = text(d, "description", f"{obj_id}.description", p, max_len=5000)
        for where, node, item in listed_items(obj_id, dim, d):
            item.add_inf = text(node, "add_inf", f"{where}.add_inf", p, max_len=2000)
            item.explanation = text(node, "explanation", f"{where}.explanation", p, max_len=5000)


def annotation_symbols(value: object, root: Map, key: str, p: Problems) -> dict[str, str]:
    """`annotations` (or `annotations_en`): symbol -> meaning."""
    m = mapping(value, root, key, key, p, required=False)
    out = {}
    for symbol in m:
        if not isinstance(symbol, str) or not 0 < len(symbol) <= MAX_SYMBOL:
            p.add(
                m.key_lines.get(symbol, 0),
                f"{key}.{symbol}",
                f"{MAX_SYMBOL}文字以内の記号です / a symbol of at most {MAX_SYMBOL} characters",
            )
            continue
        meaning = text(m, symbol, f"{key}.{symbol}", p, max_len=2000)
        if meaning:
            out[symbol] = meaning
    return out


def notes(annotated: dict[str, str], annotated_en: dict[str, str]) -> list[dict[str, str]]:
    """The annotations as stat_table.spec's "annotations": [{"annotation", "text", "text_en"}]."""
    return [
        {"annotation": s, "text": m, **({"text_en": annotated_en[s]} if annotated_en.get(s) else {})}
        for s, m in annotated.items()
    ]
