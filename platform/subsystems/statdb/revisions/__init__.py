"""Versions of published tables (issue 14 §2): 訂正 (correction), 追加 (extension with new periods),
取り下げ (withdrawal with a reason), each auditable; earlier versions stay readable (read.py)."""
