"""統計表管理システム: statistical table management (TABLES-1, TABLES-2, TABLES-3).

Agencies keep the provision classification (提供分類) of their government statistics, register
table files (CSV, XLSX) with their information, finalise them (確定), announce the publication
time (公表予約) and have them published at that time; files registered with a parameter file are
handed over to the statistical database (statdb) and published with it."""
