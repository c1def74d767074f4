"""政府統計の総合窓口 (e-Stat) — the public portal (ESTAT-1..4).

search.py, contacts.py      ESTAT-1 search by conditions and keywords (synonyms), overviews and contacts
synonyms.py                 ESTAT-1 the operator's synonym list (page + API, audited)
tableview.py, downloads.py  ESTAT-2 a table with pickers, a graph, CSV/XLSX downloads of the selection
regional.py                 ESTAT-2 regional statistics: prefectures / municipalities ranked
releases.py, notify.py      ESTAT-3 the release calendar read model, new arrivals, e-mail to subscribers
questionnaires.py, mypage.py ESTAT-4 questionnaires, My page (subscriptions, saved queries)
pages/                      the pages, one module per feature, and the operator's pages (admin.py)
routes/                     the JSON API under /api/estat (api.py) and the map boundaries (geo.py)
feature.py                  what the estat module gathers from here
"""
