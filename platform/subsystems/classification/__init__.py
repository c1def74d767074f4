"""統計分類データベース: statistical classifications across versions (CLASSIFICATION-1)."""
