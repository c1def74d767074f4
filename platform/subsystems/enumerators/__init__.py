"""調査員管理システム: enumerator management (ENUM-1).

An agency keeps its enumerators (name, kana, contact, appointment period, status) and assigns them
survey areas: standard area codes valid on the survey date (the area module's read interface).
When municipalities merge, an assignment follows its area forward through the area history (a
job, or on demand), and each move is recorded. Personal data is the owning tenant's alone (not
even the operator's), and every read of it is audited; the list downloads as CSV."""
