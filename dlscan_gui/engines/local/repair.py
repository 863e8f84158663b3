"""Field knowledge that turns raw OCR text into clean values: the ID number's check digit and
its confusable characters, dates in any printed form, validity ranges and spans, class codes.

Each function returns the repaired value, or None when the text cannot be made into one; none
of them guesses beyond what the printed text and the field's rules support.
"""

from __future__ import annotations

import re
from datetime import date

from dlscan_gui.core.schema import OPEN_ENDED
from dlscan_gui.core.validate import CLASS_CODES, id_check_digit

# Characters OCR confuses with digits on a licence (letters never occur in these fields).
_TO_DIGIT = str.maketrans({
    "O": "0", "o": "0", "D": "0", "Q": "0", "U": "0",
    "I": "1", "l": "1", "|": "1", "i": "1", "L": "1", "!": "1", "J": "1",
    "Z": "2", "z": "2",
    "E": "3",
    "A": "4",
    "S": "5", "s": "5",
    "G": "6", "b": "6",
    "T": "7",
    "B": "8",
    "g": "9", "q": "9",
})
# Digits that look alike in print: the alternatives tried when a check digit fails.
_LOOKALIKE_DIGITS = {
    "0": "869", "1": "7", "2": "7", "3": "85", "4": "1", "5": "63", "6": "580",
    "7": "12", "8": "3609", "9": "80",
}
BIRTH_DIGITS_OFF = 2  # misread digits of eight for a birth reading to be the number's date
MIN_HOLDER_AGE = 16  # years: no licence is issued younger (18 for cars; 16 the floor)
MAX_YEARS_AHEAD = 10  # a licence's end date is at most this far from today (longer: 长期)
_SPAN_WORDS = {"六": 6, "陆": 6, "十": 10, "拾": 10}
_ONE_LIKE = str.maketrans({"J": "1", "j": "1", "|": "1", "]": "1"})  # a blurred 1 before 0年


def fix_digits(text: str) -> str:
    """``text`` with letters that look like digits read as those digits (O→0, l→1, …)."""
    return text.translate(_TO_DIGIT)


def digits_only(text: str) -> str:
    return re.sub(r"[^0-9]", "", fix_digits(text))


def _plausible_birth(number: str) -> bool:
    try:
        born = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        return False
    return 1900 <= born.year and born <= date.today()


def id_number_plausible(number: str) -> bool:
    """The check digit passes and the birth date in it is a real, past date."""
    return _checks(number) and _plausible_birth(number)


def _checks(number: str) -> bool:
    return id_check_digit(number[:17]) == number[17]


def repair_id_number(text: str, *, birth: str | None = None) -> str | None:
    """An 18-character licence/ID number from OCR text: confusable letters become digits, an
    ``x`` at the end becomes ``X``. If the check digit then fails, single look-alike digit
    substitutions are tried; one is taken only when exactly one candidate passes (and agrees
    with ``birth`` (YYYY-MM-DD) when that is known)."""
    cleaned = re.sub(r"[\s\-_.·:：]", "", text)
    if len(cleaned) >= 18 and cleaned[17] in "xX×Ⅹ":
        body, last = cleaned[:17], "X"
    else:
        body, last = cleaned[:-1], cleaned[-1:] if cleaned else ""
    body = digits_only(body)
    last = last if last == "X" else digits_only(last)
    number = body + last
    wanted_birth = birth.replace("-", "") if birth else None
    if len(number) != 18:
        # OCR sometimes drops separators but keeps extra characters: 17 digits and a check
        # character, the run that passes where a stray letter before it read as a digit too
        # ("E420508197403055267", 77123), else the first.
        joined = digits_only(cleaned[:-1]) + last
        runs = [m.group(1) for m in re.finditer(r"(?=([0-9]{17}[0-9X]))", joined)]
        if not runs:
            return None
        passing = [run for run in runs if _checks(run) and _plausible_birth(run)
                   and (not wanted_birth or run[6:14] == wanted_birth)]
        number = passing[0] if len(passing) == 1 else runs[0]
    if _checks(number) and _plausible_birth(number):
        return number
    candidates = set()
    for position in range(18):
        options = _LOOKALIKE_DIGITS.get(number[position], "")
        if position == 17:
            options += "X" if number[17] != "X" else "0123456789"
        for replacement in options:
            candidate = number[:position] + replacement + number[position + 1:]
            if not _checks(candidate) or not _plausible_birth(candidate):
                continue
            if wanted_birth and candidate[6:14] != wanted_birth:
                continue
            candidates.add(candidate)
    return candidates.pop() if len(candidates) == 1 else None


_DATE = re.compile(r"(1[89][0-9]{2}|2[0-9]{3})[^0-9]{0,3}([0-9]{1,2})[^0-9]{0,3}([0-9]{1,2})")
# Three year digits set off by a separator, then month and day (run together now and then:
# "015-1211", 77143). Packed digits with no separator at all would be ambiguous.
_SHORT_YEAR_DATE = re.compile(
    r"(?<![0-9])([09][0-9]{2})[-.年\s]{1,2}([0-9]{2})[-.月\s]{0,2}([0-9]{2})(?![0-9])")
_SEPARATED_DATE = re.compile(
    r"(?<![0-9])(?:19|20)[0-9]{2}[-./年][0-9]{1,2}[-./月][0-9]{1,2}(?![0-9])")
_YEAR = re.compile(r"(?<![0-9])(19[0-9]{2}|20[0-9]{2})(?![0-9])")
# What is left of a date too blurred to read: year, month and day digits with separators
# ("J20-01-30", a range's start; letters read for digits repaired first).
DATE_SHAPE = r"[0-9]{2,4}[-.年/][0-9]{1,2}[-.月/][0-9]{1,2}"


def normalize_date(text: str) -> str | None:
    """``YYYY-MM-DD`` from "2016-05-06", "2016.5.6", "2016年05月06日", "20160506", with
    digit look-alike letters repaired; None unless it is a real calendar date. A year whose
    first digit was lost ("016-09-13", the 2 under the seal's frame) is 20xx from 0xx and 19xx
    from 9xx, the only centuries a licence date can be in."""
    fixed = text.translate(_TO_DIGIT)
    candidates = []
    packed = re.sub(r"[^0-9]", "", fixed)
    if len(packed) == 8:
        candidates.append((packed[:4], packed[4:6], packed[6:]))
    first = _DATE.search(fixed)
    if first:
        candidates.insert(0, first.groups())
        # A year read with extra digits ("202020-07-04", 79108) first gives month 20: the date
        # may start inside those digits. (Not further on: that is another date.)
        inside = (_DATE.match(fixed, at) for at in range(first.start() + 1, first.start() + 4))
        candidates[1:1] = [match.groups() for match in inside if match is not None]
    short = _SHORT_YEAR_DATE.search(fixed)
    if short:
        year, month, day = short.groups()
        year = ("20" if year[0] == "0" else "19") + year[1:]
        # 097 is 1997 misread, not 2097: no licence date lies that far ahead.
        if int(year) <= date.today().year + MAX_YEARS_AHEAD:
            candidates.append((year, month, day))
    for year, month, day in candidates:
        if not 1900 <= int(year) <= 2099:  # eight packed digits need not start with a year
            continue
        try:
            return date(int(year), int(month), int(day)).isoformat()
        except ValueError:
            continue
    return None


def birth_from(text: str, number: str | None) -> str | None:
    """The birth date read in ``text``, checked against the birth date inside the licence
    number (digits 7-14, vouched for by its check digit): a reading a digit or two off that
    date is that date misread ("1958-04-05" for 19880405, "7985-05-14" for 19850514)."""
    read = normalize_date(text)
    if number is None or len(number) != 18 or not _checks(number) \
            or not _plausible_birth(number):
        # No number to check it: a date that would make the holder too young for any licence
        # today is another date read in its place (2022-10-09, 77110).
        of_age = read and add_years(read, MIN_HOLDER_AGE)
        return None if of_age and of_age > date.today().isoformat() else read
    printed = number[6:14]
    digits = digits_only(text)
    # Any eight digits in a row: a misread label before the date leaves digits of its own.
    windows = (digits[i:i + 8] for i in range(len(digits) - 7))
    if any(sum(a != b for a, b in zip(window, printed, strict=True)) <= BIRTH_DIGITS_OFF
           for window in windows):
        return f"{printed[:4]}-{printed[4:6]}-{printed[6:]}"
    return read


def add_years(iso: str, years: int) -> str | None:
    """The same month and day ``years`` later (29 Feb → 28 Feb)."""
    try:
        start = date.fromisoformat(iso)
    except ValueError:
        return None
    try:
        return start.replace(year=start.year + years).isoformat()
    except ValueError:
        return start.replace(year=start.year + years, day=28).isoformat()


def parse_validity_range(text: str) -> tuple[str | None, str | None]:
    """"2016-05-06 至 2026-05-06" or "2016-05-06至长期" → (valid_from, valid_to)."""
    parts = re.split(r"至|到|~|—|－", text, maxsplit=1)
    if len(parts) == 1:
        dates = re.findall(r"[0-9OolISB]{4}[^0-9]{1,3}[0-9OolISB]{1,2}[^0-9]{1,3}[0-9OolISB]{1,2}",
                           text)
        parts = dates if len(dates) == 2 else parts
    start = normalize_date(parts[0]) if parts else None
    end: str | None = None
    if len(parts) > 1:
        end = OPEN_ENDED if "长" in parts[1] or "期" in parts[1] else normalize_date(parts[1])
    if end is None:
        found = _range_without_separator(text)
        # The lone date read may be the range's end, or the start run into the end's digits
        # ("2021-06-2027-06-10" reads 2021-06-20 first).
        if found[1] is not None and (start is None or start in found
                                     or digits_off(start, found[0]) <= 1):
            start, end = found
    return start, end


def ends_after_remains(text: str, lone: str) -> bool:
    """The row ends with ``lone`` and shows a date's remains before it ("J20-01-30 2026-03-30"):
    the lone date read is the range's end, not its start."""
    fixed = text.translate(_TO_DIGIT)
    last = _DATE_ENDING_ROW.search(fixed)
    return bool(last and normalize_date(last.group(1)) == lone
                and re.search(DATE_SHAPE, fixed[:last.start()]))


def digits_off(one: str, other: str) -> int:
    """Characters that differ between two texts of one length."""
    return sum(a != b for a, b in zip(one, other, strict=True))


def _range_without_separator(text: str) -> tuple[str | None, str | None]:
    """Both dates of a range whose 至 did not read: sixteen digits that are two dates 6 or 10
    years apart ("2022-06-23 2028 06-23"), or a start that kept only its year before a whole
    end date ("2016-量2022-09-13": the start's month and day are the end's)."""
    digits = digits_only(text.translate(_TO_DIGIT))
    if len(digits) == 16:
        start, end = normalize_date(digits[:8]), normalize_date(digits[8:])
        if start and end and end in (add_years(start, 6), add_years(start, 10)):
            return start, end
    years = _YEAR.findall(text)
    whole = _SEPARATED_DATE.findall(text.translate(_TO_DIGIT))
    end = normalize_date(whole[-1]) if whole else None
    if end and len(years) >= 2 and int(end[:4]) - int(years[0]) in (6, 10):
        return add_years(end, -(int(end[:4]) - int(years[0]))), end
    last = _DATE_ENDING_ROW.search(text.translate(_TO_DIGIT))
    end = normalize_date(last.group(1)) if last else None
    if last and end:
        start = _start_from_remains(text.translate(_TO_DIGIT)[:last.start()], end)
        if start is not None:
            return start, end
    return None, None


# A whole date with nothing but non-digits after it: the end of a validity row.
_DATE_ENDING_ROW = re.compile(r"((?:19|20)[0-9]{2}[-./年][0-9]{1,2}[-./月][0-9]{1,2})[^0-9]*$")
MAX_LOST_DIGITS = 2  # a start's leading digits lost at the row's edge or under the seal


def _start_from_remains(before: str, end: str) -> str | None:
    """The range's start from what is left of it before a whole end date: the date 6 or 10
    years before the end (a period runs from one anniversary to another) whose digits the
    remains show, with up to two leading digits lost ("016-01-20", "15-06-06" for 2015-08-06)
    or its last ones run into the end ("2021-06-2027-06-10"). The year's last two digits must
    read right (they tell 6 years from 10) and at most one other digit may be off; None unless
    exactly one start fits."""
    digits = digits_only(before)
    if not 4 <= len(digits) <= 8:
        return None
    fits = set()
    for span in (6, 10):
        start = add_years(end, -span)
        if start is None:
            continue
        wanted = start.replace("-", "")
        for lost in range(MAX_LOST_DIGITS + 1):
            shown = wanted[lost:lost + len(digits)]
            if len(shown) < len(digits):
                continue  # more digits than the start has left
            year = slice(2 - lost, 4 - lost)  # the year's last two digits, where they now stand
            if digits[year] == wanted[2:4] and digits_off(digits, shown) <= 1:
                fits.add(start)
    return fits.pop() if len(fits) == 1 else None


def parse_span_years(text: str) -> int | None:
    """"6年" / "10年" / "陆年" → 6 / 10; only the spans licences are issued for. The number
    right before 年 counts first: a misread English sublabel or a number printed further
    along the row must not lend it digits."""
    before_year = re.search(r"([0-9OolISBJj|\]]{1,2})\s*年", text)
    if before_year:
        years = int(digits_only(before_year.group(1).translate(_ONE_LIKE)) or 0)
        # Only 6 and 10 are issued: "0年" is 10 with its 1 lost.
        years = 10 if years == 0 else years
        return years if years in (6, 10) else None
    match = re.search(r"([0-9]{1,2})\s*年?", digits_only(text) + "年")
    if match and int(match.group(1)) in (6, 10):
        return int(match.group(1))
    for word, years in _SPAN_WORDS.items():
        if word in text:
            return years
    return None


_CLASS_FIXES = str.maketrans({"l": "1", "I": "1", "|": "1", "i": "1", "O": "D", "0": "D",
                              "Z": "2", "S": "5", "G": "6", "c": "C", "b": "B", "a": "A"})


def normalize_class(text: str) -> str | None:
    """A class code or combination (``C1``, ``A1A2``, ``C1E``) from OCR text, or None."""
    # The code is printed in a box on newer cards: its sides can read as brackets.
    cleaned = re.sub(r"[\s,，、;；/]", "", text).strip("[]【】「」(){}（）")
    cleaned = cleaned.translate(_CLASS_FIXES).upper()
    codes: list[str] = []
    position = 0
    while position < len(cleaned):
        two, one = cleaned[position:position + 2], cleaned[position]
        if two in CLASS_CODES and two not in codes:
            codes.append(two)
            position += 2
        elif one in CLASS_CODES and one not in codes:
            codes.append(one)
            position += 1
        else:
            return None
    # Combinations are printed in the codes' own order (C1E, A2D, never EC1): codes out of
    # it are a misreading (the box's left side read as E before C1, 79018), left unread.
    order = [CLASS_CODES.index(code) for code in codes]
    if order != sorted(order):
        return None
    return "".join(codes) or None


def normalize_sex(text: str) -> str | None:
    if "男" in text:
        return "男"
    if "女" in text:
        return "女"
    return None


def normalize_file_number(text: str) -> str | None:
    digits = digits_only(text)
    match = re.search(r"[0-9]{12}", digits)
    return match.group(0) if match and len(digits) <= 13 else None
