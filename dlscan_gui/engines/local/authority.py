"""What an issuing authority's name can be: a province-level name, then either a
municipality's traffic police body or a real prefecture-level city (``cities.py``) and its
公安局交通警察支队. A seal reading is matched against that grammar; small misreadings are
corrected only where exactly one real name is closest, and a reading that does not fit is
rejected rather than returned.
"""

from __future__ import annotations

import numpy as np

from dlscan_gui.engines.local.cities import CITIES
from dlscan_gui.engines.local.edit_distance import edit_distance

PROVINCES = (
    "北京市", "天津市", "上海市", "重庆市", "河北省", "山西省", "辽宁省", "吉林省", "黑龙江省",
    "江苏省", "浙江省", "安徽省", "福建省", "江西省", "山东省", "河南省", "湖北省", "湖南省",
    "广东省", "海南省", "四川省", "贵州省", "云南省", "陕西省", "甘肃省", "青海省", "台湾省",
    "内蒙古自治区", "广西壮族自治区", "西藏自治区", "宁夏回族自治区", "新疆维吾尔自治区",
)
MUNICIPALITIES = ("北京市", "天津市", "上海市", "重庆市")
# The bodies that issue licences in a municipality, and in a prefecture-level city.
MUNICIPAL_BODIES = ("公安局公安交通管理局", "公安交通管理局", "公安局交通警察总队",
                    "公安局交通巡逻警察总队", "公安局交通管理局")
CITY_BODIES = ("公安局交通警察支队", "公安局交通警察大队", "公安局交通管理局")
MAX_FIXES = 2  # misread characters tolerated in the fixed words
MAX_LONG_FIXES = 3  # ... in a fixed word of 8 characters or more (公安局交通警察支队)
MAX_PLACE_FIXES = 2  # misread characters tolerated in "{province}{city}"
PLACES = tuple(province + city for province, cities in CITIES.items() for city in cities)


def _best(text: str, options: tuple[str, ...], *, prefix: bool) -> tuple[str, int, int] | None:
    """(option, edits, chars of ``text`` used) for the option closest to the start (prefix) or
    the end of ``text``; None when two options tie or none is close enough."""
    scored = []
    for option in options:
        allowed = 1 if len(option) <= 4 else MAX_FIXES if len(option) < 8 else MAX_LONG_FIXES
        for used in range(max(1, len(option) - allowed), len(option) + allowed + 1):
            part = text[:used] if prefix else text[-used:]
            edits = edit_distance(part, option)
            if edits <= allowed:
                scored.append((edits, option, used))
    if not scored:
        return None
    scored.sort()
    edits, option, used = scored[0]
    if any(e == edits and o != option for e, o, _ in scored[1:]):
        return None
    return option, edits, used


def closest_place(text: str) -> tuple[str, int] | None:
    """(the real "{province}{city}", edits) closest to ``text``; None when two are equally close
    or none is within ``MAX_PLACE_FIXES`` (a short reading may fix at most one character)."""
    limit = MAX_PLACE_FIXES if len(text) >= 5 else 1
    best: list[tuple[int, str]] = []
    for place in PLACES:
        if abs(len(place) - len(text)) > limit:
            continue
        edits = edit_distance(text, place)
        if edits <= limit:
            best.append((edits, place))
    if not best:
        return None
    best.sort()
    if len(best) > 1 and best[1][0] == best[0][0]:
        return None  # ambiguous: say nothing rather than pick one
    return best[0][1], best[0][0]


def address_place(address: str | None) -> str | None:
    """The "{province}{city}" of a real city that ``address`` starts with, or None (a
    municipality, a county under a city, or a place misread in the address)."""
    if not address:
        return None
    found = [place for place in PLACES if address.startswith(place)]
    return max(found, key=len) if found else None


def match_authority_scored(text: str) -> tuple[str, int] | None:
    """(the authority name ``text`` reads as, characters corrected), or None."""
    municipality = _best(text, MUNICIPALITIES, prefix=True)
    if municipality is not None:
        name, edits, used = municipality
        rest = text[used:]
        body = _best(rest, MUNICIPAL_BODIES, prefix=True)
        if body is not None and abs(body[2] - len(rest)) <= 1:
            return name + body[0], edits + body[1] + abs(body[2] - len(rest))
    body = _best(text, CITY_BODIES, prefix=False)
    if body is None:
        return None
    place = closest_place(text[: len(text) - body[2]])
    if place is None:
        return None
    return place[0] + body[0], place[1] + body[1]


def match_authority(text: str) -> str | None:
    """The authority name ``text`` reads as, or None when it does not read as one."""
    found = match_authority_scored(text)
    return found[0] if found else None


def all_authorities() -> tuple[str, ...]:
    """Every name the grammar allows: the candidates a seal reading is scored against."""
    names = [city + body for city in MUNICIPALITIES for body in MUNICIPAL_BODIES]
    names += [place + body for place in PLACES for body in CITY_BODIES]
    return tuple(dict.fromkeys(names))


def decoys() -> tuple[str, ...]:
    """Names that are not issuing authorities but look like one: the county (县) that shares
    its city's name (朝阳县 under 朝阳市). Scored beside the real names, a seal that shows the
    county picks its decoy instead of the city."""
    names = [province + city[:-1] + "县" + body for province, cities in CITIES.items()
             for city in cities if city.endswith("市") for body in CITY_BODIES]
    return tuple(dict.fromkeys(names))


def parts(name: str) -> tuple[str, str, str]:
    """(province or municipality, city or "", body) of a name from ``all_authorities``."""
    for city in MUNICIPALITIES:
        if name.startswith(city):
            return city, "", name[len(city):]
    for province, cities in CITIES.items():
        if name.startswith(province):
            for city in sorted(cities, key=len, reverse=True):
                if name.startswith(province + city):
                    return province, city, name[len(province) + len(city):]
    raise ValueError(f"not a name of the grammar: {name}")


def _split_edits(text: str, pieces: tuple[str, ...]) -> tuple[list[int], list[int]]:
    """(edits per piece, characters of each piece missing from ``text``) when ``text`` is
    aligned against the pieces joined (one optimal alignment; a stray character counts against
    the piece it sits next to)."""
    target = "".join(pieces)
    owner = [i for i, piece in enumerate(pieces) for _ in piece]
    n, m = len(text), len(target)
    table = np.zeros((n + 1, m + 1), np.int32)
    table[:, 0] = np.arange(n + 1)
    table[0, :] = np.arange(m + 1)
    for i in range(1, n + 1):
        for j in range(1, m + 1):
            table[i, j] = min(table[i - 1, j] + 1, table[i, j - 1] + 1,
                              table[i - 1, j - 1] + (text[i - 1] != target[j - 1]))
    edits, missing = [0] * len(pieces), [0] * len(pieces)
    i, j = n, m
    while i > 0 or j > 0:
        here = owner[j - 1] if j > 0 else 0
        if i > 0 and j > 0 and table[i, j] == table[i - 1, j - 1] + (text[i - 1] != target[j - 1]):
            edits[here] += int(text[i - 1] != target[j - 1])
            i, j = i - 1, j - 1
        elif j > 0 and table[i, j] == table[i, j - 1] + 1:
            edits[here] += 1
            missing[here] += 1
            j -= 1
        else:
            edits[here] += 1
            i -= 1
    return edits, missing


def _core(city: str) -> str:
    return city[:-1] if city.endswith("市") else city


def place_fixes(reading: str, name: str, *, strict: bool = False) -> int | None:
    """Characters of the place (city name and 市, or the municipality) that ``reading`` has
    wrong when aligned with ``name``; None when the reading does not bear the name out: at
    least half of the characters of each part (province, city name, body) must read as
    printed. ``strict`` (for a name that only several looks together made likeliest) also
    wants the municipality read exactly and no fixes in both province and a short city name.
    A reading constrained to the grammar always yields some name; this keeps back a name that
    the image does not show."""
    province, city, body = parts(name)
    if city:
        core = _core(city)
        edits, missing = _split_edits(reading, (province, core, city[len(core):], body))
        allowed = [len(province) // 2, len(core) // 2, 1, len(body) // 2]
        # 河南省郑州 read as 湖南省郴州 is only one character off in each.
        if strict and edits[0] + edits[1] > max(1, (len(province) + len(core)) // 4):
            return None
        # A two-character city read as one of its characters bears out every city that
        # shares or resembles it: 大 of 大同 when the seal said 太原 (30156).
        if strict and len(core) <= 2 and missing[1]:
            return None
        place = edits[1] + edits[2]
    else:
        edits, _missing = _split_edits(reading, (province, body))
        # Four names of three characters: one misread would make "北宁市" 北京市.
        allowed = [0 if strict else 1, len(body) // 2]
        place = edits[0]
    if any(e > a for e, a in zip(edits, allowed, strict=True)):
        return None
    return place
