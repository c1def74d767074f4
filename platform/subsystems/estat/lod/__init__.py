"""Linked Open Data (ESTAT-5): tables and area codes as JSON-LD under stable URIs."""
