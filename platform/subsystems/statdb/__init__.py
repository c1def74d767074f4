"""統計情報データベース: the statistical database (STATDB-1, STATDB-2, STATDB-3).

Agencies register database tables from a parameter file and a data file (CSV or XLSX), preview
them in test mode exactly as the public will see them, register many at once, and publish at the
announced time. Published tables are what the public e-Stat API and portal read (ESTAT-5)."""
