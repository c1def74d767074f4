"""標準地域コード管理システム: standard area codes (AREA-1, AREA-2, AREA-3)."""
