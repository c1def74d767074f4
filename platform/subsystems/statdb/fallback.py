"""The signal of the fast paths (columnar.py, transcode.py, streamed.py) that a file is not plainly
right: the row-by-row path then reads it and names each error's line and column."""


class Fallback(Exception):
    """Something is not plainly right: the row-by-row path decides."""
