"""How far an uploaded XLSX would inflate, read from its zip directory before openpyxl opens it
(review h20): the one check of every reader of uploaded workbooks (a respondent's bulk file, an
agency's statistics table, table file and XLSForm).

An XLSX is a zip, and openpyxl reads some parts whole when the workbook opens, read-only mode too:
the shared strings (every distinct text of every sheet) and the small parts (workbook, styles,
relationships). Only the worksheets stream. A 1 MB upload that inflates to 128 MB of shared strings
took an app process 41 s and hundreds of MiB. So, from the directory alone:

- the shared strings part has a bound of its own, found by its content type as openpyxl finds it
  (a renamed part is still the shared strings), and so has the sum of the other XML parts;
- no part inflates more than `ratio` times its compressed size (a zip bomb inflates hundreds or
  thousands of times; sheets written by Excel or openpyxl inflate 10-25 times), when it inflates
  past a few MiB at all;
- optionally all parts together (a reader that loads every cell, or a small file's reader).

Python's zipfile never inflates a part past the size its directory declares (it stops there and
checks the CRC), so the directory cannot understate what openpyxl will read.

Review h21: the shared strings are every part declared so (openpyxl takes the first declaration; a
second one as a worksheet must not make it a sheet). The parts that stream are found as openpyxl
finds them, the targets of the workbook's worksheet relationships; every other part counts as read
whole, whatever its name or declared type (openpyxl finds the workbook by content type and reads a
chartsheet whole). A content types part too large or unreadable here is refused, not left to openpyxl."""

from __future__ import annotations

import io
import zipfile

import msgspec
from lxml import etree
from openpyxl.packaging.manifest import Manifest
from openpyxl.packaging.relationship import get_dependents, get_rels_path
from openpyxl.reader.excel import _find_workbook_part  # type: ignore[attr-defined]  # openpyxl's own rule

from govstat.platform.errors import InvalidInput

MiB = 1024 * 1024
TYPES = "[Content_Types].xml"
TYPES_MAX = MiB  # a few hundred bytes in a real workbook; read here to find the parts' types
SHARED_STRINGS = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_PARSER = etree.XMLParser(resolve_entities=False, load_dtd=False, no_network=True, huge_tree=False)
RATIO_FLOOR = 4 * MiB  # a part smaller once inflated is harmless whatever its ratio


class Bounds(msgspec.Struct, frozen=True, kw_only=True):
    shared_strings: int  # bytes of the shared strings part, inflated
    other_xml: int  # the XML parts read whole at open besides (workbook, styles, relationships ...)
    ratio: int = 100  # no part inflates more than this many times its compressed size
    inflated: int | None = None  # all parts together, for a reader that needs it


class Sizes(msgspec.Struct, frozen=True, kw_only=True):
    total: int
    shared_strings: int
    other_xml: int
    worst: tuple[str, int, float]  # the part of the highest ratio among those past RATIO_FLOOR


class Unreadable(Exception):
    """A zip whose content types part is too large or not XML: refused (openpyxl might read it)."""


def _streamed(z: zipfile.ZipFile, manifest: Manifest, names: dict[str, zipfile.ZipInfo]) -> set[str]:
    """The parts openpyxl streams in read-only mode: the targets of the workbook's worksheet
    relationships, found as openpyxl finds them (a chartsheet, whatever its declared type, is read
    whole); none when they cannot be found (every part then counts as read whole)."""
    try:
        rels: str = get_rels_path(_find_workbook_part(manifest).PartName[1:])  # type: ignore[no-untyped-call]
        if rels not in names or names[rels].file_size > TYPES_MAX:
            return set()
        return {r.target for r in get_dependents(z, rels) if str(r.Type).endswith("/worksheet")}
    except Exception:  # openpyxl's own error follows, or it reads what is counted
        return set()


def sizes(data: bytes) -> Sizes | None:
    """The parts' inflated sizes, by kind; None when not a zip or without content types (openpyxl's
    own error follows). Raises Unreadable when the content types are too large or not XML."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
            names = {i.filename: i for i in infos}
            if TYPES not in names:
                return None
            if names[TYPES].file_size > TYPES_MAX:
                raise Unreadable(f"{TYPES} to {names[TYPES].file_size // 1024} KiB (at most {TYPES_MAX // 1024})")
            manifest = Manifest.from_tree(etree.fromstring(z.read(TYPES), _PARSER))  # type: ignore[arg-type]
            if manifest is None:
                raise Unreadable(f"{TYPES} declares nothing")
            streamed = _streamed(z, manifest, names)
    except (etree.XMLSyntaxError, TypeError) as exc:
        raise Unreadable(f"{TYPES} is not readable ({exc})") from exc
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return None
    # every part declared shared strings (openpyxl takes the first such declaration, whatever follows)
    strings = {str(o.PartName)[1:] for o in manifest.Override if o.ContentType == SHARED_STRINGS}
    shared = other = 0
    worst = ("", 0, 0.0)
    for i in infos:
        if i.filename in strings or i.filename.lower().endswith("sharedstrings.xml"):
            shared += i.file_size
        elif i.filename not in streamed:
            other += i.file_size
        ratio = i.file_size / max(i.compress_size, 1)
        if i.file_size > RATIO_FLOOR and ratio > worst[2]:
            worst = (i.filename, i.file_size, ratio)
    return Sizes(total=sum(i.file_size for i in infos), shared_strings=shared, other_xml=other, worst=worst)


def _reason(s: Sizes, bounds: Bounds) -> tuple[str, str] | None:
    if s.shared_strings > bounds.shared_strings:
        got, most = s.shared_strings // MiB, bounds.shared_strings // MiB
        return f"共有文字列が {got} MiB（上限 {most} MiB）", f"its shared strings to {got} MiB (at most {most})"
    if bounds.inflated is not None and s.total > bounds.inflated:
        got, most = s.total // MiB, bounds.inflated // MiB
        return f"全体が {got} MiB（上限 {most} MiB）", f"all its parts to {got} MiB (at most {most})"
    if s.other_xml > bounds.other_xml:
        got, most = s.other_xml // MiB, bounds.other_xml // MiB
        return (
            f"シート以外の部分が {got} MiB（上限 {most} MiB）",
            f"its parts besides the sheets to {got} MiB (at most {most})",
        )
    name, size, ratio = s.worst
    if ratio > bounds.ratio:
        return (
            f"{name} が {size // MiB} MiB、圧縮の {int(ratio)} 倍（上限 {bounds.ratio} 倍）",
            f"{name} to {size // MiB} MiB, {int(ratio)} times its compressed size (at most {bounds.ratio})",
        )
    return None


def problem(data: bytes, bounds: Bounds, name: str = "") -> str | None:
    """Why the workbook `name` is refused (Japanese / English, naming it), or None."""
    try:
        s = sizes(data)
    except Unreadable as exc:
        return f"{name + ': ' if name else ''}読み取れないXLSXです（{exc}）/ unreadable XLSX: {exc}"
    reason = None if s is None else _reason(s, bounds)
    if reason is None:
        return None
    where = f"{name}: " if name else ""
    return f"{where}展開すると大きすぎるXLSXです（{reason[0]}）/ the XLSX inflates too far: {reason[1]}"


def check(data: bytes, bounds: Bounds, *, name: str = "", field: str = "file") -> None:
    """Raise InvalidInput (422) naming `field` and the file when the workbook is out of bounds."""
    message = problem(data, bounds, name)
    if message is not None:
        raise InvalidInput.field(field, message)
