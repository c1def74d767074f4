"""Monitoring dashboards over the read models (PLAT-3, PLAT-4)."""
