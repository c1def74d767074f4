"""Gateway sla: service level measurement (GOV-9, GOV-12, GOV-17, PLAT-2..4).

usage events (requests, probes) -> SlaConsumer -> sla_minute -> burn-rate alerts and incidents,
monthly reports (JSON, page, CLI) and the status for the ops dashboards."""
