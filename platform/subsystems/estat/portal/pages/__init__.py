"""The portal's pages, one module per feature: the public pages under /estat (search, table,
downloads, regional, calendar, help, questionnaires, mypage; view.py holds what they share) and
the operator's pages under /estat/admin (admin.py)."""
