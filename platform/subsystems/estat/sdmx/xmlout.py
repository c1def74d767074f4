"""A small, fast XML writer: names are ours (never data), every text and attribute is escaped, and
characters XML 1.0 cannot carry are dropped."""

from __future__ import annotations

import re
from collections.abc import Mapping
from xml.sax.saxutils import escape, quoteattr

_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def clean(text: str) -> str:
    return _NOT_XML.sub("", text)


def attrs(values: Mapping[str, str | None]) -> str:
    return "".join(f" {k}={quoteattr(clean(v))}" for k, v in values.items() if v is not None)


class Xml:
    def __init__(self) -> None:
        self.parts: list[str] = ['<?xml version="1.0" encoding="UTF-8"?>\n']

    def open(self, tag: str, values: Mapping[str, str | None] | None = None) -> None:
        self.parts.append(f"<{tag}{attrs(values or {})}>")

    def close(self, tag: str) -> None:
        self.parts.append(f"</{tag}>")

    def empty(self, tag: str, values: Mapping[str, str | None] | None = None) -> None:
        self.parts.append(f"<{tag}{attrs(values or {})}/>")

    def leaf(self, tag: str, text: str, values: Mapping[str, str | None] | None = None) -> None:
        self.parts.append(f"<{tag}{attrs(values or {})}>{escape(clean(text))}</{tag}>")

    def bytes(self) -> bytes:
        return "".join(self.parts).encode()
