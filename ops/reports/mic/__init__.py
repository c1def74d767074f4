"""The report to MIC (総務省への運用状況報告, GOV-13; 約款 第7 2): its figures and its sheets."""
