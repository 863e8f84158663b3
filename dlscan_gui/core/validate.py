"""Field rules and cross-checks for a recognized licence → a list of ``Finding``s.

Pure functions, no I/O: the UI runs them on every keystroke. They never raise on any string
value. A field with no findings is OK; ``is_ok`` tells whether a field (or a page) has no
ERROR-level finding. Findings come in field catalogue order, errors before warnings.

Codes are ``<field>.<rule>``, e.g. ``number.check_digit``, ``valid_to.expired``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from itertools import pairwise

from dlscan_gui.core.errors import Message
from dlscan_gui.core.findings import Finding, Level
from dlscan_gui.core.schema import FIELD_KEYS, FIELDS_BY_KEY, OPEN_ENDED, RecognitionResult, Side

# GB 11643-1999: weights of the first 17 digits, and the check character for sum mod 11.
_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_CHECK_CHARS = "10X98765432"
# First two digits of the region code: provinces, 71 Taiwan, 81/82 Hong Kong/Macau residence
# permits, 83 Taiwan resident permits.
_PROVINCES = frozenset([*range(11, 16), *range(21, 24), *range(31, 38), *range(41, 47),
                        *range(50, 55), *range(61, 66), 71, 81, 82, 83])
_ID_RE = re.compile(r"[0-9]{17}[0-9Xx]")
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
# Dates written another way ("2020/01/01", "2020.1.1", "2020年1月1日"), to suggest the fix.
_LOOSE_DATE_RE = re.compile(r"([0-9]{4})\s*[./年\s-]\s*([0-9]{1,2})\s*[./月\s-]\s*([0-9]{1,2})日?")
_FILE_NUMBER_RE = re.compile(r"[0-9]{12}")

# 准驾车型 codes, in the order they are printed on a licence.
CLASS_CODES: tuple[str, ...] = tuple(
    "A1 A2 A3 B1 B2 C1 C2 C3 C4 C5 C6 D E F M N P".split())
_CLASS_SET = frozenset(CLASS_CODES)
# A letter with its digits, or a run of anything that is neither a letter nor a separator.
_CLASS_TOKEN_RE = re.compile(r"[A-Z][0-9]*|[^A-Z\s,，、;；]+")

# Fields each page must show; missing ones are warnings (the clerk may type them in).
REQUIRED: dict[Side, tuple[str, ...]] = {
    Side.FRONT: ("number", "name", "sex", "nationality", "address", "birth", "issue_date",
                 "class", "valid_from", "valid_to"),
    Side.BACK: ("number", "name", "file_number"),
}
_FRONT_ONLY = frozenset(REQUIRED[Side.FRONT]) - frozenset(REQUIRED[Side.BACK])
_DATE_KEYS = ("birth", "issue_date", "valid_from", "valid_to")
_CHINESE = frozenset({"中国", "中华人民共和国"})
EXPIRY_WARNING_DAYS = 90
_VALID_YEARS = (6, 10)
_MIN_AGE = 16

_ORDER = {k: i for i, k in enumerate(FIELD_KEYS)}
_LEVEL_ORDER = {Level.ERROR: 0, Level.WARNING: 1}


# ---------------------------------------------------------------------------- building blocks
def _finding(key: str, rule: str, level: Level, zh: str, en: str) -> Finding:
    return Finding(f"{key}.{rule}", level, Message(zh, en), key)


def _zh(key: str) -> str:
    return FIELDS_BY_KEY[key].label_zh


def _en(key: str) -> str:
    return FIELDS_BY_KEY[key].label_en


def _text(fields: Mapping[str, object], key: str) -> str:
    # Tolerate JSON nulls and non-strings from a careless caller: never raise.
    value = fields.get(key)
    if value is None:
        return ""
    return (value if isinstance(value, str) else str(value)).strip()


def _sorted(findings: Iterable[Finding]) -> list[Finding]:
    # Catalogue order, errors first; sorted() is stable, so rule order is kept within that.
    return sorted(findings, key=lambda f: (_ORDER.get(f.field or "", 99), _LEVEL_ORDER[f.level]))


def is_ok(findings: Iterable[Finding], field: str | None = None) -> bool:
    """True when there is no ERROR-level finding (for ``field``, or at all). Warnings are
    allowed; "no findings for a field" means the field is clean."""
    return not any(f.level is Level.ERROR and field in (None, f.field) for f in findings)


def _parse_date(value: str) -> date | None:
    """A strict ``YYYY-MM-DD`` real calendar date, else None."""
    m = _DATE_RE.fullmatch(value)
    if not m:
        return None
    try:
        return date(int(m[1]), int(m[2]), int(m[3]))
    except ValueError:
        return None


def _add_years(d: date, years: int, *, leap_to_march: bool = False) -> date | None:
    """Same month/day ``years`` later; 29 Feb becomes 28 Feb (or 1 Mar). None on overflow."""
    try:
        return d.replace(year=d.year + years)
    except ValueError:
        try:
            if leap_to_march:
                return date(d.year + years, 3, 1)
            return date(d.year + years, 2, 28)
        except ValueError:
            return None


# ---------------------------------------------------------------------------- ID numbers
def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character for 17 ASCII digits. Raises ValueError otherwise."""
    if len(first17) != 17 or not all("0" <= c <= "9" for c in first17):
        raise ValueError("need exactly 17 digits")
    return _CHECK_CHARS[sum(int(c) * w for c, w in zip(first17, _WEIGHTS, strict=True)) % 11]


def _embedded_birth(number: str) -> date | None:
    try:
        return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return None


def is_valid_id_number(value: str) -> bool:
    """18 characters, a real province code, a real embedded birth date and the right check
    character (``x`` accepted for ``X``). Does not look at today's date."""
    if not isinstance(value, str) or not _ID_RE.fullmatch(value):
        return False
    return (
        int(value[:2]) in _PROVINCES
        and _embedded_birth(value) is not None
        and id_check_digit(value[:17]) == value[17].upper()
    )


def _check_number(number: str, foreign: bool, today: date) -> list[Finding]:
    # A foreigner's licence number may follow another scheme: format problems only warn.
    level = Level.WARNING if foreign else Level.ERROR
    if not _ID_RE.fullmatch(number):
        return [_finding("number", "format", level,
                         f"证号应为18位：17位数字加1位校验码（数字或X），当前为{len(number)}位",
                         f"The licence number should be 17 digits and a check digit (digit or "
                         f"X), 18 characters; it has {len(number)}")]
    out = []
    if number[17] == "x":
        out.append(_finding("number", "lowercase_x", Level.WARNING,
                            "证号末位应为大写X", "The last character should be an upper-case X"))
    if int(number[:2]) not in _PROVINCES:
        out.append(_finding("number", "region", level,
                            f"证号前两位{number[:2]}不是有效的省级行政区代码",
                            f"The first two digits {number[:2]} are not a valid province code"))
    born = _embedded_birth(number)
    if born is None:
        out.append(_finding("number", "birth_date", level,
                            "证号中的出生日期（第7–14位）不是有效日期",
                            "The birth date in the number (digits 7–14) is not a real date"))
    elif born > today:
        out.append(_finding("number", "birth_future", level,
                            "证号中的出生日期晚于今天",
                            "The birth date in the number is in the future"))
    expected = id_check_digit(number[:17])
    if expected != number[17].upper():
        out.append(_finding("number", "check_digit", level,
                            f"证号校验位应为{expected}", f"The check digit should be {expected}"))
    return out


# ---------------------------------------------------------------------------- class
class ClassCodeError(ValueError):
    """A 准驾车型 value that is not a valid combination; ``kind`` is "unknown" or
    "duplicate", ``part`` the offending text."""

    def __init__(self, kind: str, part: str) -> None:
        self.kind = kind
        self.part = part
        what = "unknown class code" if kind == "unknown" else "class code repeated"
        super().__init__(f"{what}: {part!r}")


def parse_class(value: str) -> list[str]:
    """The codes of a 准驾车型 value ("C1E" → ["C1", "E"]), upper-cased, separators (spaces,
    commas, 、 ;) ignored. An empty value gives []. Raises ClassCodeError (a ValueError)
    naming the first unknown or repeated part."""
    codes: list[str] = []
    for token in _CLASS_TOKEN_RE.findall(value.upper()):
        if token not in _CLASS_SET:
            raise ClassCodeError("unknown", token)
        if token in codes:
            raise ClassCodeError("duplicate", token)
        codes.append(token)
    return codes


def _check_class(value: str) -> list[Finding]:
    try:
        codes = parse_class(value)
    except ClassCodeError as exc:
        if exc.kind == "duplicate":
            return [_finding("class", "duplicate", Level.ERROR,
                             f"准驾车型{exc.part}重复出现",
                             f"Class {exc.part} appears more than once")]
        return [_finding("class", "unknown", Level.ERROR,
                         f"无法识别的准驾车型：{exc.part}", f"Unknown class code: {exc.part}")]
    if not codes:  # only separators
        return [_finding("class", "unknown", Level.ERROR,
                         "准驾车型无有效代号", "The class has no valid code")]
    if value != value.upper():
        fixed = "".join(codes)
        return [_finding("class", "lowercase", Level.WARNING,
                         f"准驾车型应为大写：{fixed}", f"The class should be upper case: {fixed}")]
    return []


# ---------------------------------------------------------------------------- dates
def _check_date_format(key: str, value: str) -> list[Finding]:
    if _DATE_RE.fullmatch(value):
        return [_finding(key, "invalid_date", Level.ERROR, f"{_zh(key)}不是有效日期：{value}",
                         f"{_en(key)} is not a real date: {value}")]
    zh, en = f"{_zh(key)}格式应为YYYY-MM-DD", f"{_en(key)} should be written YYYY-MM-DD"
    if key == "valid_to":
        zh, en = zh + f"或“{OPEN_ENDED}”", en + f" or {OPEN_ENDED}"
    m = _LOOSE_DATE_RE.fullmatch(value)
    if m:
        try:
            fixed = date(int(m[1]), int(m[2]), int(m[3])).isoformat()
            zh, en = f"{zh}，应为{fixed}", f"{en}: {fixed}"
        except ValueError:
            pass
    return [_finding(key, "format", Level.ERROR, zh, en)]


def _check_dates(dates: dict[str, date], open_ended: bool, today: date) -> list[Finding]:
    out = []
    for key in ("birth", "issue_date"):
        if key in dates and dates[key] > today:
            out.append(_finding(key, "future", Level.ERROR,
                                f"{_zh(key)}晚于今天", f"{_en(key)} is in the future"))
    if "valid_from" in dates and dates["valid_from"] > today:
        out.append(_finding("valid_from", "future", Level.WARNING,
                            "有效起始日期晚于今天", "The validity starts in the future"))

    # birth < issue_date <= valid_from < valid_to, checked between neighbours that are known.
    chain = [k for k in _DATE_KEYS if k in dates]
    for earlier, later in pairwise(chain):
        may_equal = (earlier, later) == ("issue_date", "valid_from")
        a, b = dates[earlier], dates[later]
        if b < a or (b == a and not may_equal):
            word_zh = "不应早于" if may_equal else "应晚于"
            word_en = "must not be before" if may_equal else "must be after"
            out.append(_finding(later, f"before_{earlier}", Level.ERROR,
                                f"{_zh(later)}{word_zh}{_zh(earlier)}",
                                f"{_en(later)} {word_en} {_en(earlier)}"))

    born, issued = dates.get("birth"), dates.get("issue_date")
    if born and issued and born < issued:
        sixteenth = _add_years(born, _MIN_AGE, leap_to_march=True)
        if sixteenth and issued < sixteenth:
            out.append(_finding("issue_date", "too_young", Level.WARNING,
                                f"初次领证时未满{_MIN_AGE}周岁，请核对日期",
                                f"The holder was under {_MIN_AGE} at first issue; check the dates"))

    start, end = dates.get("valid_from"), dates.get("valid_to")
    if start and end and start < end and not _normal_span(start, end):
        out.append(_finding("valid_to", "span", Level.WARNING,
                            "有效期限通常为6年或10年，请核对有效起始日期和有效期至",
                            "The validity is normally exactly 6 or 10 years; check both dates"))

    if end and not open_ended:
        left = (end - today).days
        if left < 0:
            out.append(_finding("valid_to", "expired", Level.ERROR,
                                "驾驶证已过期", "The licence has expired"))
        elif left <= EXPIRY_WARNING_DAYS:
            zh = "驾驶证今天到期" if left == 0 else f"驾驶证将在{left}天后到期"
            en = ("The licence expires today" if left == 0
                  else f"The licence expires in {left} day{'s' if left != 1 else ''}")
            out.append(_finding("valid_to", "expiring", Level.WARNING, zh, en))
    return out


def _normal_span(start: date, end: date) -> bool:
    # Same month/day N years later, or the day before (both seen on real licences).
    for years in _VALID_YEARS:
        for leap_to_march in (False, True):
            target = _add_years(start, years, leap_to_march=leap_to_march)
            if target and end in (target, target - timedelta(days=1)):
                return True
    return False


# ---------------------------------------------------------------------------- pages
def _required(fields: Mapping[str, object], side: Side) -> tuple[str, ...]:
    if side in REQUIRED:
        return REQUIRED[side]
    if side is Side.DOUBLE_SIDE:  # both pages' fields in one mapping
        return tuple(k for k in FIELD_KEYS if k in REQUIRED[Side.FRONT] + REQUIRED[Side.BACK])
    # AUTO: guess the page from what was read.
    if any(_text(fields, k) for k in _FRONT_ONLY):
        return REQUIRED[Side.FRONT]
    if _text(fields, "file_number") or _text(fields, "record"):
        return REQUIRED[Side.BACK]
    return ("number", "name")


def _is_foreign(nationality: str) -> bool:
    return bool(nationality) and re.sub(r"\s+", "", nationality) not in _CHINESE


def validate_page(fields: Mapping[str, str], side: Side, *, today: date | None = None,
                  nationality: str | None = None) -> list[Finding]:
    """Findings for one page's fields. ``nationality`` stands in when the page has none (a back
    page), so that a foreigner's number is judged leniently there too."""
    today = today or date.today()
    values = {k: _text(fields, k) for k in FIELD_KEYS}
    out: list[Finding] = []

    for key in _required(fields, side):
        if not values[key]:
            out.append(_finding(key, "missing", Level.WARNING,
                                f"未识别到{_zh(key)}", f"{_en(key)} was not read"))

    foreign = _is_foreign(values["nationality"] or (nationality or "").strip())
    number = values["number"]
    if number:
        out += _check_number(number, foreign, today)

    name = values["name"]
    if name and any(c.isdigit() for c in name):
        out.append(_finding("name", "digits", Level.ERROR,
                            "姓名中不应含有数字", "The name must not contain digits"))

    sex = values["sex"]
    if sex and sex not in ("男", "女"):
        out.append(_finding("sex", "invalid", Level.ERROR,
                            "性别应为“男”或“女”", "Sex should be 男 (male) or 女 (female)"))

    dates: dict[str, date] = {}
    for key in _DATE_KEYS:
        value = values[key]
        if not value or (key == "valid_to" and value == OPEN_ENDED):
            continue
        parsed = _parse_date(value)
        if parsed is None:
            out += _check_date_format(key, value)
        else:
            dates[key] = parsed
    out += _check_dates(dates, values["valid_to"] == OPEN_ENDED, today)

    # birth and sex agree with the number (only when the number looks like an ID number).
    born = _embedded_birth(number) if _ID_RE.fullmatch(number) else None
    if born is not None:
        level = Level.WARNING if foreign else Level.ERROR
        if "birth" in dates and dates["birth"] != born:
            out.append(_finding("birth", "mismatch", level,
                                f"出生日期与证号不符，按证号应为{born.isoformat()}",
                                f"The date of birth does not match the number; "
                                f"it should be {born.isoformat()}"))
        if sex in ("男", "女"):
            expected = "男" if int(number[16]) % 2 else "女"
            if sex != expected:
                en = "male (男)" if expected == "男" else "female (女)"
                out.append(_finding("sex", "mismatch", level,
                                    f"性别与证号不符，按证号应为{expected}",
                                    f"Sex does not match the number; it should be {en}"))

    if values["class"]:
        out += _check_class(values["class"])

    file_number = values["file_number"]
    if file_number and not _FILE_NUMBER_RE.fullmatch(file_number):
        out.append(_finding("file_number", "format", Level.ERROR,
                            f"档案编号应为12位数字，当前为{len(file_number)}位",
                            f"The file number should be 12 digits; it has {len(file_number)}"))
    return _sorted(out)


def cross_check(front: Mapping[str, str], back: Mapping[str, str]) -> list[Finding]:
    """The back page must name the same licence as the front page. Findings are on the back
    page's fields; a value missing on either page is not compared."""
    out = []
    a, b = _text(front, "number"), _text(back, "number")
    if a and b and a.upper() != b.upper():
        out.append(_finding("number", "mismatch", Level.ERROR,
                            "副页证号与主页证号不一致",
                            "The number on the back page differs from the front page"))
    a, b = re.sub(r"\s+", "", _text(front, "name")), re.sub(r"\s+", "", _text(back, "name"))
    if a and b and a != b:
        out.append(_finding("name", "mismatch", Level.ERROR,
                            "副页姓名与主页姓名不一致",
                            "The name on the back page differs from the front page"))
    return out


def validate_result(result: RecognitionResult, *, today: date | None = None) -> list[Finding]:
    """Findings for every page of a result. For a double_side result the front page's findings
    come first, then the back page's together with the cross-check (each part sorted)."""
    today = today or date.today()
    pages = dict(result.pages())
    front, back = pages.get(Side.FRONT), pages.get(Side.BACK)
    out: list[Finding] = []
    for side, page in pages.items():
        hint = front.get("nationality") if (side is Side.BACK and front is not None) else None
        findings = validate_page(page.fields, side, today=today, nationality=hint)
        if side is Side.BACK and front is not None and back is not None:
            findings = _sorted(findings + cross_check(front.fields, back.fields))
        out += findings
    return out


def validate_field(key: str, value: str, context: Mapping[str, str], side: Side, *,
                   today: date | None = None) -> list[Finding]:
    """As-you-type check of one field: the page's findings about ``key`` with ``value`` put in
    ``context``. Rules that span fields put their finding on the later field (an issue date
    before the birth date shows on issue_date), so re-run ``validate_page`` for the others."""
    fields = dict(context)
    fields[key] = value
    return [f for f in validate_page(fields, side, today=today) if f.field == key]
