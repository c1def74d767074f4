"""The online survey system's pages: the respondent's (respondent.py) and the agency's (agency.py)."""
