"""Clean values out of the text read for the name, nationality and address: label debris
around them dropped, traditional forms read back as the printed simplified ones, a misread
province put right."""

from __future__ import annotations

import re

from dlscan_gui.engines.local.authority import PROVINCES
from dlscan_gui.engines.local.cities import fix_province
from dlscan_gui.engines.local.simplified import simplified

_CJK = re.compile(r"[^\u4e00-\u9fff·]")
HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
MAX_NAME_CHARS = 4  # before the sex on a glued name row (longer names keep their labels)
MAX_DEBRIS_BEFORE_PROVINCE = 3  # label or dash characters read before an address's province


def clean_name(text: str) -> str | None:
    """The name alone: what is left of a misread label around it is cut off (a stray 姓 or a
    dash read as 一 before it, 性别 or 档案 after it). Where the rest of the name row is glued
    on with its labels unread or garbled ("张三男中国", "毛智告核刻男国格中国"), the name is what
    stands before the sex if that is a name's length, and nothing otherwise; a "name" that
    starts with 性 is the 性别 label itself, and one character alone is no name. Left out, the
    clerk types it; garbage would pass."""
    name = cjk_only(simplified(text))
    if not name:
        return None
    name = name.lstrip("一姓名") if len(name.lstrip("一姓名")) >= 2 else name
    for stop in ("性", "档"):
        if len(name) > 2 and stop in name[2:]:
            name = name[: name.index(stop, 2)]
    if name.startswith("性") or name == "中国":  # the 性别 label, or the nationality's value
        return None
    sex = next((i for i, ch in enumerate(name) if i >= 2 and ch in "男女" and "国" in name[i:]),
               None)
    if sex is not None:
        return name[:sex] if sex <= MAX_NAME_CHARS else None
    # A surname and at least one given character: one character is a dash or a smudge read.
    return name if len(name) >= 2 else None


def clean_nationality(text: str) -> str | None:
    """Nearly every licence says 中国: what is left of a misread 国籍 label before it goes, and
    a 中 alone is 中国 with its 国 unread (a foreign holder's, such as 中非, is rare enough that
    the clerk, who sees the card, puts it right)."""
    value = cjk_only(text)
    return "中国" if value and (value.endswith("中国") or value == "中") else value


def cjk_only(text: str) -> str | None:
    return _CJK.sub("", text) or None


def clean_address(text: str) -> str | None:
    """An address begins with a place name: Latin or symbol debris before it is dropped, as are
    a few characters before a province's name (the label's 住址, a dash read as 一), and a
    misread province is put right where the city after it tells which one it is."""
    cleaned = re.sub(r"\s+", "", simplified(text))
    first = HAS_CJK.search(cleaned)
    if first is None:
        return None
    cleaned = cleaned[first.start():]
    province = next((at for at in range(1, MAX_DEBRIS_BEFORE_PROVINCE + 1)
                     if cleaned.startswith(PROVINCES, at)), None)
    return fix_province(cleaned[province:] if province is not None else cleaned)
