"""The validity dates from the rows that print them, and those whose month and day blurred,
read with the first issue date's help.

A licence's validity runs from its first issue date in steps of 6 or 10 years (then 长期): each
period starts on the anniversary of the first issue, so valid_from and valid_to carry the first
issue's month and day. Where the printed range read with a month or day misread ("2014-30-16
至 2024-30-36" for 2014-10-16 至 2024-10-16) but its years are whole, the dates are the years
with that month and day, provided the digits read are at most a digit or two off it (a
licence whose validity restarted on another day, e.g. after a class was added, stays unread).
"""

from __future__ import annotations

import re
from datetime import date

from dlscan_gui.core.schema import OPEN_ENDED
from dlscan_gui.engines.local import repair
from dlscan_gui.engines.local.fields import RawField
from dlscan_gui.engines.local.repair import add_years, fix_digits

# year (4 digits, or 3 with the first lost), month and day, any separators.
_DATED = re.compile(
    r"(?<![0-9])([0-9]{3,4})[^0-9]{1,3}([0-9]{1,2})[^0-9]{1,3}([0-9]{1,2})(?![0-9])")
SPANS = (6, 10)  # years a validity period lasts
# (start, end) of the first two periods, in years after the first issue: 6 years, then 10.
PERIODS = ((0, 6), (6, 16))
# A range's end read whole at the end of the row, after a start that only kept its shape
# ("J20-01-30 2026-03-30"; the row was compacted, so the two may touch).
_GARBLED_START_THEN_END = re.compile(
    repair.DATE_SHAPE + r"\D*?((?:19|20)[0-9]{2}[^0-9]{1,3}[0-9]{1,2}[^0-9]{1,3}[0-9]{1,2})\D*$")
CLOSE, NEAR = 1, 2  # digits of month and day off: one date must be close, the other near
PERIOD_STARTS = (0, 6, 16)  # years after the first issue that a validity period starts
# Four digits as a year (whatever they are), then month and day: a date whose year misread.
_WHOLE_DATE = re.compile(
    r"(?<![0-9])([0-9]{4})[^0-9]{1,3}([0-9]{1,2})[^0-9]{1,3}([0-9]{1,2})(?![0-9])")


def _year(text: str) -> int | None:
    if len(text) == 4 and text[:2] in ("19", "20"):
        return int(text)
    if len(text) == 3 and text[0] in "09":  # 016 → 2016, 998 → 1998 (see repair.normalize_date)
        return int(("20" if text[0] == "0" else "19") + text[1:])
    return None


def _dated(text: str, month_day: str) -> list[tuple[int, int, str]]:
    """(year, digits of month and day off ``month_day``, the text after it) for each
    date-shaped run."""
    found = []
    fixed = fix_digits(text)
    for match in _DATED.finditer(fixed):
        year_text, month, day = match.groups()
        year = _year(year_text)
        if year is not None:
            read = month.zfill(2) + day.zfill(2)
            off = sum(a != b for a, b in zip(read, month_day, strict=True))
            found.append((year, off, fixed[match.end():]))
    return found


def _on(year: int, issue: date) -> str | None:
    return add_years(issue.isoformat(), year - issue.year)


def range_by_issue(text: str, issue_date: str) -> tuple[str | None, str | None]:
    """(valid_from, valid_to) of a range "A 至 B" / "A 至 长期" read with its month and day
    garbled, or (None, None)."""
    try:
        issue = date.fromisoformat(issue_date)
    except ValueError:
        return None, None
    dated = _dated(text, issue.strftime("%m%d"))
    if not dated:
        return None, None
    (start_year, start_off, after), rest = dated[0], dated[1:]
    if not issue.year <= start_year <= date.today().year:
        return None, None
    if rest:
        end_year, end_off, _after = rest[0]
        if end_year - start_year in SPANS and max(start_off, end_off) <= NEAR \
                and min(start_off, end_off) <= CLOSE:
            return _on(start_year, issue), _on(end_year, issue)
        return None, None
    # 长期 after the start (the 期 of a 有效期限 label before it says nothing).
    if ("长" in after or "期" in after) and start_off <= CLOSE:
        return _on(start_year, issue), OPEN_ENDED
    return None, None


def range_by_end(text: str, issue_date: str) -> tuple[str | None, str | None]:
    """(valid_from, valid_to) of a range whose start blurred but kept its shape, from its end:
    an end on the first issue's 6th or 16th anniversary closes the first or second period, which
    began on the issue date or on its 6th anniversary. Otherwise (None, None)."""
    match = _GARBLED_START_THEN_END.search(fix_digits(text))
    end = repair.normalize_date(match.group(1)) if match else None
    for start_years, end_years in PERIODS:
        if end is not None and end == add_years(issue_date, end_years):
            return add_years(issue_date, start_years), end
    return None, None


def start_by_issue(text: str, issue_date: str) -> str | None:
    """valid_from printed alone (older cards: 有效起始日期) with its month or day garbled, or
    with one digit of its year misread ("3022-06-23") and the first issue's month and day read
    exactly: the one anniversary of the issue that starts a period (the issue itself, 6 or 16
    years on), no later than this year, whose year is one digit off."""
    try:
        issue = date.fromisoformat(issue_date)
    except ValueError:
        return None
    month_day = issue.strftime("%m%d")
    dated = _dated(text, month_day)
    if len(dated) == 1:
        year, off, _after = dated[0]
        if issue.year <= year <= date.today().year and off <= CLOSE:
            return _on(year, issue)
        return None
    whole = _WHOLE_DATE.findall(fix_digits(text))
    if len(whole) != 1 or whole[0][1].zfill(2) + whole[0][2].zfill(2) != month_day:
        return None
    starts = [issue.year + years for years in PERIOD_STARTS
              if issue.year + years <= date.today().year
              and repair.digits_off(whole[0][0], str(issue.year + years)) == 1]
    return _on(starts[0], issue) if len(starts) == 1 else None


def validity_dates(validity: RawField | None, start_label: RawField | None,
                   issue: str | None) -> list[tuple[str, str, RawField, bool]]:
    """(key, value, the row it was read from, whether the issue date's month and day were
    needed) for valid_from and valid_to, as far as they read."""
    found: list[tuple[str, str, RawField, bool]] = []
    if start_label is not None:  # older cards: 有效起始日期 + 有效期限 "6年"
        start = repair.normalize_date(start_label.text)
        guessed = start is None and issue is not None
        if guessed and issue is not None:
            start = start_by_issue(start_label.text, issue)
        if start:
            found.append(("valid_from", start, start_label, guessed))
        years = repair.parse_span_years(validity.text) if validity else None
        end = repair.add_years(start, years) if start and years else None
        if end and validity is not None:
            found.append(("valid_to", end, validity, guessed))
    elif validity is not None:  # newer cards: 有效期限 "A 至 B"
        start, end = repair.parse_validity_range(validity.text)
        guessed = False
        # A lone date after a start too garbled to rebuild is the range's end, never its start.
        lone_end = start if end is None and start is not None and repair.ends_after_remains(
            validity.text, start) else None
        if lone_end is not None:
            start = None
        if (start is None or end is None) and issue is not None:
            by_issue = range_by_issue(validity.text, issue)
            # A lone date read as the start may be the range's end ("025-11-09型2031-11-09").
            guessed = by_issue[1] is not None and start in (None, *by_issue)
            start, end = by_issue if guessed else (start, end)
            by_end = range_by_end(validity.text, issue) if end is None else (None, None)
            if by_end[0] is not None:
                (start, end), guessed = by_end, True
        elif lone_end is not None:
            end = lone_end  # no issue date to check it against: the end as read
        found += [(key, value, validity, guessed)
                  for key, value in (("valid_from", start), ("valid_to", end)) if value]
    return found
