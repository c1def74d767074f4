"""A report as files: sheets of tables written as CSV and XLSX."""
