"""The survey items database (調査項目データベース, ITEMS-1, ITEMS-2): definition units, survey items,
answer items and code lists linked to classifications, and questionnaires as versioned definitions
(issue 10 §1-2) that drive forms, validation, printing, codebooks and hand-off."""
