"""The governance API under /api/ops/governance, one module per group of records:
rules.py (council decisions, briefings, regulations) and records.py (requests, the liaison
meeting, the security audit)."""
