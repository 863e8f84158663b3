"""What an issuing authority's name can be: a province-level name, then either a
municipality's traffic police body or a city's 公安局交通警察支队. A seal reading is matched
against that grammar; small misreadings of the fixed words are corrected, and a reading that
does not fit is rejected rather than returned.
"""

from __future__ import annotations

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
CITY_ENDINGS = ("市", "州", "盟", "地区")
MAX_FIXES = 2  # misread characters tolerated in the fixed words


def _distance(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1,
                               previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def _best(text: str, options: tuple[str, ...], *, prefix: bool) -> tuple[str, int, int] | None:
    """(option, edits, chars of ``text`` used) for the option closest to the start (prefix) or
    the end of ``text``; None when two options tie or none is close enough."""
    scored = []
    for option in options:
        allowed = 1 if len(option) <= 4 else MAX_FIXES
        for used in range(max(1, len(option) - allowed), len(option) + allowed + 1):
            part = text[:used] if prefix else text[-used:]
            edits = _distance(part, option)
            if edits <= allowed:
                scored.append((edits, option, used))
    if not scored:
        return None
    scored.sort()
    edits, option, used = scored[0]
    if any(e == edits and o != option for e, o, _ in scored[1:]):
        return None
    return option, edits, used


def match_authority(text: str) -> str | None:
    """The authority name ``text`` reads as, or None when it does not read as one."""
    province = _best(text, PROVINCES, prefix=True)
    if province is None:
        return None
    name, _edits, used = province
    rest = text[used:]
    if name in MUNICIPALITIES:
        body = _best(rest, MUNICIPAL_BODIES, prefix=True)
        if body is None or abs(body[2] - len(rest)) > 1:
            return None
        return name + body[0]
    body = _best(rest, CITY_BODIES, prefix=False)
    if body is None:
        return None
    city = rest[: len(rest) - body[2]]
    # The city is read, never corrected: it must look like a prefecture-level name.
    if not 2 <= len(city) <= 8 or not city.endswith(CITY_ENDINGS):
        return None
    return name + city + body[0]
