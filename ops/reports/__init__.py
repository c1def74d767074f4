"""Yearly reports and the annual operation plan: the report to the liaison meeting and the report to MIC
(GOV-13; 約款 第7), issued as snapshots, and the plan drawn from the agencies' answers to a survey of
their planned use and wanted briefings (GOV-14; 約款 第8).

  annual/, mic/, plan/   one report each: its figures (figures.py) and its sheets (layouts.py); the plan
                         also its survey, the agencies' answer pages and the plans API
  files/                 sheets as CSV and XLSX (render.py picks the layout)
  usage.py, incidents.py the year's figures the reports draw on; periods.py, labels.py, models.py shared;
                         rows.py (and mic/rows.py, plan/rows.py) the rows their queries answer
  routes.py, pages.py    the reports API and pages; issue.py freezes an issued version
"""
