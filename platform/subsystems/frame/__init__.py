"""The business register (事業所母集団データベース, FRAME-1..5): enterprises and establishments with
versions, permanent random numbers and coordinated samples with burden control, planned surveys and
frame-use applications, and the register's upkeep."""
