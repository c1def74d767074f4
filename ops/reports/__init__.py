"""Yearly reports and the annual operation plan: the report to the liaison meeting and the report to MIC
(GOV-13; 約款 第7), issued as snapshots, and the plan drawn from the agencies' answers to a survey of
their planned use and wanted briefings (GOV-14; 約款 第8)."""
