"""The validation report before registering (issue 14 §3): report.py builds it, routes.py answers it
as JSON, pages.py shows it."""
