"""Password recovery by the respondent's verified e-mail (ONLINE-1): service.py, its public pages."""
