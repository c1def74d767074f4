"""Governance records (運営記録): briefings (GOV-10), regulations and their acknowledgement (GOV-8),
improvement and change requests (GOV-16, GOV-5), the liaison meeting (GOV-7) and the yearly
security audit (GOV-15)."""
