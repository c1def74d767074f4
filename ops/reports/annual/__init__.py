"""The annual report to the liaison meeting (担当者会議への報告, GOV-13; 約款 第7 1): its figures and its sheets."""
