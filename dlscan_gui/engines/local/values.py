"""Clean values out of the text read for the name, nationality and address: label debris
around them dropped, traditional forms read back as the printed simplified ones, a misread
province put right."""

from __future__ import annotations

import re

from dlscan_gui.engines.local.cities import fix_province
from dlscan_gui.engines.local.simplified import simplified

_CJK = re.compile(r"[^\u4e00-\u9fff·]")
HAS_CJK = re.compile(r"[\u4e00-\u9fff]")


def clean_name(text: str) -> str | None:
    """The name alone: what is left of a misread label around it is cut off (a stray 姓 or a
    dash read as 一 before it, 性别 or 档案 after it)."""
    name = cjk_only(simplified(text))
    if not name:
        return None
    name = name.lstrip("一姓名") if len(name.lstrip("一姓名")) >= 2 else name
    for stop in ("性", "档"):
        if len(name) > 2 and stop in name[2:]:
            name = name[: name.index(stop, 2)]
    return name or None


def clean_nationality(text: str) -> str | None:
    """Nearly every licence says 中国: what is left of a misread 国籍 label before it goes."""
    value = cjk_only(text)
    return "中国" if value and value.endswith("中国") else value


def cjk_only(text: str) -> str | None:
    return _CJK.sub("", text) or None


def clean_address(text: str) -> str | None:
    """An address begins with a place name: Latin or symbol debris before it is dropped, and a
    misread province is put right where the city after it tells which one it is."""
    cleaned = re.sub(r"\s+", "", simplified(text))
    first = HAS_CJK.search(cleaned)
    return fix_province(cleaned[first.start():]) if first else None
