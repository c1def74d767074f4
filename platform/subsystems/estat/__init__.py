"""政府統計の総合窓口 (e-Stat): the portal and the e-Stat API 3.0, compatible (ESTAT-1..5).

api/      ESTAT-5 the e-Stat API 3.0: paths, parameters and answers as e-Stat has them
lod/      ESTAT-5 Linked Open Data: tables and area codes as JSON-LD
portal/   ESTAT-1..4 the public pages, My page, the operator's pages and the portal's JSON API
"""
