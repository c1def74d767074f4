"""The register's upkeep (FRAME-5): survey results and administrative records as jobs with progress,
change reports and line-and-field errors; manual edits with reasons; area mergers; postal checks."""
