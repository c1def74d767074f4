"""A Shift_JIS / cp932 / EUC-JP data file handed to Arrow's CSV reader as UTF-8, a chunk at a time.

Arrow reads UTF-8 only. Decoding the whole file first would hold a second copy of it (and a Python
str of it) while it is copied; here an incremental decoder turns each megabyte into UTF-8 as Arrow
asks for it, so the memory beside the upload stays at a few chunks. The decode is strict, and a
chunk holding a private-use character (外字, `decode.SUSPECT`) stops the read: both raise
`columnar.Fallback`, and the row-by-row path then names each such cell's line and column
(`decode.check`), as it does for any file."""

from __future__ import annotations

import codecs
import io

from govstat.platform.subsystems.statdb.decode import suspect
from govstat.platform.subsystems.statdb.fallback import Fallback

CHUNK = 1 << 20  # bytes of the file decoded at a time
UTF8 = ("utf-8", "utf-8-sig")


class Utf8Reader(io.RawIOBase):
    """`body` (in `encoding`) read as UTF-8 bytes."""

    def __init__(self, body: bytes, encoding: str) -> None:
        super().__init__()
        self._src = memoryview(body)
        self._at = 0
        self._decoder = codecs.getincrementaldecoder(encoding)("strict")
        self._out = b""
        self._given = 0  # bytes of _out already handed out

    def readable(self) -> bool:
        return True

    def read(self, size: int | None = -1) -> bytes:
        want = None if size is None or size < 0 else size
        parts, got = [], 0
        while want is None or got < want:
            if self._given == len(self._out) and not self._fill():
                break
            end = len(self._out) if want is None else min(len(self._out), self._given + want - got)
            parts.append(self._out[self._given : end])
            got += end - self._given
            self._given = end
        return b"".join(parts)

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)

    def _fill(self) -> bool:
        """The next chunk decoded; False at the end of the file."""
        if self._at >= len(self._src):
            return False
        chunk = self._src[self._at : self._at + CHUNK]
        self._at += len(chunk)
        try:
            text = self._decoder.decode(chunk, final=self._at >= len(self._src))
        except UnicodeDecodeError as exc:
            raise Fallback from exc
        if suspect(text):
            raise Fallback
        self._out, self._given = text.encode(), 0
        return True
