"""差替え (replacement) and 取り下げ (withdrawal) of published table files (issue 14 §2)."""
