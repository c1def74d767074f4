"""Text helpers shared by the platform's parts (Japanese analysis for search)."""
