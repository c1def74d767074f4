"""Incidents (障害対応, GOV-12): lifecycle, affected agencies and their notification, post-incident
review, planned maintenance, and the public status page."""
