"""Intermediaries (経由機関, ONLINE-2): tenants granted a survey by its agency, seeing only the units
assigned to them; reception status, paper answer entry, fixed forms, completion report
(docs/decisions/0011-intermediaries-as-granted-tenants.md)."""
