"""Demo and master data for `govstat seed` (names are real bodies; people and passwords are fictitious)."""

from typing import NotRequired, TypedDict


class Body(TypedDict):
    """A demo tenant: a constituent ministry or an approved body, and the modules it subscribes to."""

    code: str
    name_ja: str
    name_en: str
    agency_code: str
    modules: list[str]
    plan: NotRequired[str]


AGENCIES = [
    ("00200", "総務省", "Ministry of Internal Affairs and Communications"),
    ("00500", "農林水産省", "Ministry of Agriculture, Forestry and Fisheries"),
    ("00550", "経済産業省", "Ministry of Economy, Trade and Industry"),
    ("00450", "厚生労働省", "Ministry of Health, Labour and Welfare"),
    ("90001", "独立行政法人統計センター", "National Statistics Center"),
    ("29000", "奈良県", "Nara Prefecture"),
    ("28100", "神戸市", "Kobe City"),
]

# e-Stat's statistical fields (統計分野)
STAT_FIELDS = [
    ("01", "国土・気象", "Land and weather"),
    ("02", "人口・世帯", "Population and households"),
    ("03", "労働・賃金", "Labour and wages"),
    ("04", "農林水産業", "Agriculture, forestry and fisheries"),
    ("05", "鉱工業", "Mining and manufacturing"),
    ("06", "商業・サービス業", "Commerce and services"),
    ("07", "企業・家計・経済", "Enterprises, households and the economy"),
    ("08", "住宅・土地・建設", "Housing, land and construction"),
    ("09", "エネルギー・水", "Energy and water"),
    ("10", "運輸・観光", "Transport and tourism"),
    ("11", "情報通信・科学技術", "ICT and science"),
    ("12", "教育・文化・スポーツ・生活", "Education, culture, sports and life"),
    ("13", "行財政", "Public administration and finance"),
    ("14", "司法・安全・環境", "Justice, safety and environment"),
    ("15", "社会保障・衛生", "Social security and health"),
    ("16", "国際", "International"),
    ("99", "その他", "Other"),
]

GOV_STATISTICS = [
    ("00200521", "国勢調査", "00200", "02", "5年"),
    ("00200524", "人口推計", "00200", "02", "月次・年次"),
    ("00200502", "社会・人口統計体系", "00200", "99", "年次"),
    ("00200553", "経済センサス‐活動調査", "00200", "07", "5年"),
    ("00500209", "農林業センサス", "00500", "04", "5年"),
    ("00550010", "経済構造実態調査", "00550", "05", "年次"),
    ("00450071", "毎月勤労統計調査", "00450", "03", "月次"),
]

DIVISIONS = [
    ("00200", "stat-bureau", "統計局"),
    ("00200", "policy", "政策統括官（統計制度担当）"),
    ("00500", "stat-dept", "大臣官房統計部"),
    ("00550", "research", "大臣官房調査統計グループ"),
    ("90001", "ops", "統計情報システム部"),
    ("29000", "stat", "総務部統計分析課"),
    ("28100", "stat", "企画調整局統計課"),
]

OPERATOR = {
    "code": "nstac",
    "name_ja": "独立行政法人統計センター",
    "name_en": "National Statistics Center",
    "agency_code": "90001",
}

CONSTITUENTS: list[Body] = [
    {
        "code": "mic",
        "name_ja": "総務省",
        "name_en": "Ministry of Internal Affairs and Communications",
        "agency_code": "00200",
        "modules": [
            "area",
            "tables",
            "statdb",
            "estat",
            "metadata",
            "classification",
            "portal",
            "items",
            "online",
            "onsite",
        ],
    },
    {
        "code": "maff",
        "name_ja": "農林水産省",
        "name_en": "Ministry of Agriculture, Forestry and Fisheries",
        "agency_code": "00500",
        "modules": ["area", "online", "tables", "statdb", "portal"],
    },
    {
        "code": "meti",
        "name_ja": "経済産業省",
        "name_en": "Ministry of Economy, Trade and Industry",
        "agency_code": "00550",
        "modules": ["area", "frame", "online", "tables", "portal"],
    },
]

APPROVED_BODIES: list[Body] = [
    {
        "code": "nara-pref",
        "name_ja": "奈良県",
        "name_en": "Nara Prefecture",
        "agency_code": "29000",
        "modules": ["area", "gis", "region", "portal", "online"],
        "plan": "standard",
    },
    {
        "code": "kobe-city",
        "name_ja": "神戸市",
        "name_en": "Kobe City",
        "agency_code": "28100",
        "modules": ["area", "online", "enumerators", "portal"],
        "plan": "standard",
    },
]

# Demo people: fictitious. The README prints these passwords; never use them outside a demo.
DEMO_PASSWORD_SUFFIX = "-demo-2026!"
