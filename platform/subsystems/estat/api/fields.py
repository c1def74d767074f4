"""e-Stat's statistical fields (統計分野): the 2-digit main categories come from the masters
(directory_field); the 4-digit sub-categories (小分類) are e-Stat's fixed list, here with English
names, for SUB_CATEGORY and statsField=NNNN.

The list follows e-Stat's field list as public code copies it (docs/estat-api-conformance.md,
"Sources"): 04 has 水産業 (0404), 09 has 電気, ガス, エネルギー需給, 水 (0901-0904), 15 has 社会保障,
社会保険, 社会福祉, 保健衛生, 医療 (1501-1505). In answers e-Stat writes SUB_CATEGORY's @code as the
sub-category's last two digits under MAIN_CATEGORY (0201 → MAIN 02, SUB 01), as `sub_code` does."""

from __future__ import annotations

SUB_FIELDS: dict[str, tuple[str, str]] = {
    "0101": ("国土", "Land"),
    "0102": ("気象", "Weather"),
    "0201": ("人口", "Population"),
    "0202": ("世帯", "Households"),
    "0203": ("人口動態", "Vital statistics"),
    "0204": ("人口移動", "Migration"),
    "0301": ("労働力", "Labour force"),
    "0302": ("賃金・労働条件", "Wages and working conditions"),
    "0303": ("雇用", "Employment"),
    "0304": ("労使関係", "Labour relations"),
    "0305": ("労働災害", "Industrial accidents"),
    "0401": ("農業", "Agriculture"),
    "0402": ("畜産業", "Livestock"),
    "0403": ("林業", "Forestry"),
    "0404": ("水産業", "Fisheries"),
    "0501": ("鉱業", "Mining"),
    "0502": ("製造業", "Manufacturing"),
    "0601": ("商業", "Commerce"),
    "0602": ("需給流通", "Supply, demand and distribution"),
    "0603": ("サービス業", "Services"),
    "0701": ("企業活動", "Business activity"),
    "0702": ("金融・保険・通貨", "Finance, insurance and currency"),
    "0703": ("物価", "Prices"),
    "0704": ("家計", "Household economy"),
    "0705": ("国民経済計算", "National accounts"),
    "0706": ("景気", "Business conditions"),
    "0801": ("住宅・土地", "Housing and land"),
    "0802": ("建設", "Construction"),
    "0901": ("電気", "Electricity"),
    "0902": ("ガス", "Gas"),
    "0903": ("エネルギー需給", "Energy supply and demand"),
    "0904": ("水", "Water"),
    "1001": ("運輸", "Transport"),
    "1002": ("倉庫", "Warehousing"),
    "1003": ("観光", "Tourism"),
    "1101": ("情報通信・放送", "Information, communications and broadcasting"),
    "1102": ("科学技術", "Science and technology"),
    "1103": ("知的財産", "Intellectual property"),
    "1201": ("学校教育", "School education"),
    "1202": ("社会教育", "Social education"),
    "1203": ("文化・スポーツ・生活", "Culture, sports and life"),
    "1301": ("行政", "Public administration"),
    "1302": ("財政", "Public finance"),
    "1303": ("公務員", "Public servants"),
    "1304": ("選挙", "Elections"),
    "1401": ("司法", "Justice"),
    "1402": ("犯罪", "Crime"),
    "1403": ("災害", "Disasters"),
    "1404": ("事故", "Accidents"),
    "1405": ("環境", "Environment"),
    "1501": ("社会保障", "Social security"),
    "1502": ("社会保険", "Social insurance"),
    "1503": ("社会福祉", "Social welfare"),
    "1504": ("保健衛生", "Public health"),
    "1505": ("医療", "Medical care"),
    "1601": ("貿易・国際収支", "Trade and balance of payments"),
    "1602": ("国際協力", "International cooperation"),
    "9999": ("その他", "Other"),
}


def sub_field_name(code: str, lang: str) -> str:
    ja, en = SUB_FIELDS.get(code, ("", ""))
    return en if lang == "E" and en else ja


def sub_code(code: str) -> str:
    """SUB_CATEGORY's @code as e-Stat writes it: the 2 digits under the main category."""
    return code[2:] if len(code) == 4 else code
