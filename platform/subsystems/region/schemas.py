"""The regional statistics API's input Structs."""

from __future__ import annotations

from typing import Annotated

import msgspec

Text = Annotated[str, msgspec.Meta(max_length=4000)]
Name = Annotated[str, msgspec.Meta(min_length=1, max_length=200)]


class DefinitionIn(msgspec.Struct, kw_only=True, forbid_unknown_fields=True):
    """項目定義: what the operator maintains of an item (fields left out stay as they are)."""

    name_ja: Name | None = None
    name_en: Annotated[str, msgspec.Meta(max_length=200)] | None = None
    definition: Text | None = None
    unit: Annotated[str, msgspec.Meta(max_length=40)] | None = None
