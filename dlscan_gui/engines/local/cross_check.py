"""What the pages of one licence, and its number, tell about each other: the number and name
both pages print, the end date the back's renewal sentence names, the dates the back's record
sentences carry, and the birth date, sex and nationality inside the number."""

from __future__ import annotations

import re

from dlscan_gui.core.errors import Message
from dlscan_gui.core.findings import Finding, Level
from dlscan_gui.core.schema import Side
from dlscan_gui.engines.local import derived, repair
from dlscan_gui.engines.local.page_reading import REPAIRED_CONFIDENCE, PageReading
from dlscan_gui.engines.local.record import (
    ADDED_PROBATION,
    PROBATION,
    RENEWAL,
    with_front_dates,
    with_front_end,
)

_RENEWAL = re.compile(r"请于(\d{4})年(\d{2})月(\d{2})日前九十日内申请换领")
_PROBATION_END = re.compile(r"(?<!增驾)实习期至(\d{4})年(\d{2})月(\d{2})日")
_ADDED_PROBATION_END = re.compile(r"增驾实习期至(\d{4})年(\d{2})月(\d{2})日")
FIRST_PERIOD_YEARS = 6
FIRST_PERIOD_CODE = "field.first_period"
SHARED_FIELDS = ("number", "name")  # printed on both pages of a licence
_ROW_LABEL_CHARS = set("性别档案编号")  # the labels after the name on its row


def agree(front: PageReading, back: PageReading) -> None:
    """Both pages of one licence print the same number and name. Where one page's reading is
    missing, the other page's is used; where one page's name is the other's followed by a
    piece of the label after it on its row (性别 or 档案编号 misread and glued to it), the
    shorter is taken. Two different readings otherwise stay as they are: OCR's confidence
    does not tell which of them is misread (tried: it picked the wrong one twice in three);
    the engine first scores two different names on both crops together (``name_agree``)."""
    for key in SHARED_FIELDS:
        a, b = front.fields.get(key), back.fields.get(key)
        if a == b or not (a or b):
            continue
        if a and b:
            shorter, longer = sorted((a, b), key=len)
            if not (longer.startswith(shorter)
                    and any(c in _ROW_LABEL_CHARS for c in longer[len(shorter):])):
                continue
            best, source = (a, front) if a == shorter else (b, back)
        else:
            best, source = (a, front) if a else (b, back)
        for reading in (front, back):
            if reading.fields.get(key) != best:
                # Where the page read it wrongly, its quad still shows where it is printed.
                reading.fields[key] = best
                reading.confidence[key] = source.confidence[key] * REPAIRED_CONFIDENCE


def from_number(reading: PageReading) -> None:
    """A front page's birth, sex or nationality that did not read, from its number (after
    every other way of reading them, the second look and the other page included)."""
    if reading.side is not Side.FRONT:
        return
    missing = {"birth", "sex", "nationality"} - reading.fields.keys()
    if reading.fields.get("nationality", "中国") != "中国":
        # A citizen's number says 中国 whatever the print read as ("国中", label debris); a
        # foreigner's (9…) gives no nationality and leaves the reading as it is.
        missing.add("nationality")
    for key, value in derived.from_number(reading.fields.get("number"), missing).items():
        reading.fields[key] = value
        reading.confidence[key] = reading.confidence["number"] * REPAIRED_CONFIDENCE
        reading.notes.append(derived.warning(key))


def issue_after_sixteen(reading: PageReading) -> None:
    """A first issue date before the holder was 16 by the number's birth date (which its check
    digit vouches for) is a misreading ("1930-06-06" for 1993-06-06, 77117): left out, for the
    clerk to type, rather than given with a warning that may be clicked past."""
    issue = reading.fields.get("issue_date")
    birth = derived.from_number(reading.fields.get("number"), {"birth"}).get("birth")
    if reading.side is not Side.FRONT or not issue or not birth:
        return
    sixteen = repair.add_years(birth, repair.MIN_HOLDER_AGE)
    if sixteen is not None and issue < sixteen:
        for store in (reading.fields, reading.confidence, reading.quads):
            store.pop("issue_date", None)


def expiry_from_record(front: PageReading, back: PageReading) -> None:
    """The back page's record says when to renew: "请于<date>前九十日内申请换领新驾驶证" names
    the day the licence runs out. Where the front's end date did not read (its "6年" span read
    as a bare "年"), that day is taken if it lies exactly 6 or 10 years after the start."""
    start = front.fields.get("valid_from")
    if front.fields.get("valid_to") or not start:
        return
    renew = _RENEWAL.search(back.fields.get("record", ""))
    if renew is None:
        return
    end = "-".join(renew.groups())
    if end in (repair.add_years(start, 6), repair.add_years(start, 10)):
        _from_record(front, "valid_to", end, back)


def dates_from_probation(front: PageReading, back: PageReading) -> None:
    """The back page's record names the end of the 12 months' probation (the law's rule):
    "实习期至<date>" a year after the first issue, when the licence's first period also
    starts; "增驾实习期至<date>" a year after a class was added, when a new period starts. A
    front date that did not read is taken from it where the front's other date bears it out:
    the first issue date where the start of validity lies a year before the probation's end
    (and the start where the first issue date does), the start of an added class's period
    where its end lies 6 or 10 years after a year before that probation's end."""
    record = back.fields.get("record", "")
    issue, start = front.fields.get("issue_date"), front.fields.get("valid_from")
    probation = _PROBATION_END.search(record)
    if probation is not None and bool(issue) != bool(start):
        known = issue or start
        if repair.add_years(known, 1) == "-".join(probation.groups()):
            _from_record(front, "valid_from" if issue else "issue_date", known, back)
        return
    added = _ADDED_PROBATION_END.search(record)
    end = front.fields.get("valid_to")
    if added is None or start or not end:
        return
    candidate = repair.add_years("-".join(added.groups()), -1)
    if candidate and repair.add_years(candidate, 1) == "-".join(added.groups()) and end in (
            repair.add_years(candidate, 6), repair.add_years(candidate, 10)):
        _from_record(front, "valid_from", candidate, back)


def _from_record(front: PageReading, key: str, value: str, back: PageReading) -> None:
    """A front date taken from the back's record: less sure than the record's reading."""
    front.fields[key] = value
    front.confidence[key] = back.confidence.get("record", 0.0) * REPAIRED_CONFIDENCE


def first_period(front: PageReading) -> None:
    """A first licence is valid for 6 years (the law's rule; renewals get 10 years or 长期):
    where validity starts on the first issue date and its end (or its "6年" span) did not
    read, the end is 6 years on, with a warning that says so."""
    start = front.fields.get("valid_from")
    if front.side is not Side.FRONT or front.fields.get("valid_to") or not start \
            or start != front.fields.get("issue_date"):
        return
    end = repair.add_years(start, FIRST_PERIOD_YEARS)
    if end is None:
        return
    front.fields["valid_to"] = end
    front.confidence["valid_to"] = front.confidence["valid_from"] * REPAIRED_CONFIDENCE
    front.notes.append(Finding(FIRST_PERIOD_CODE, Level.WARNING, Message(
        "有效期至未能读出：初次领取的驾驶证有效期为6年，已按有效起始日期推算，请对照证件核对。",
        "Valid Until could not be read: a first licence is valid for 6 years, so it was "
        "worked out from Valid From. Check it against the card."), field="valid_to"))


def record_from_front(front: PageReading, back: PageReading) -> None:
    """A record sentence that read too poorly for its template, put right with the date the
    front implies for it: the renewal date is the end date (taken only where the front's
    start and end agree on a 6- or 10-year span), 实习期至 a year after the first issue,
    增驾实习期至 a year after the start of validity. A renewal sentence that does read as its
    template, with a date a digit or two off that confirmed end date, takes it too (two dates
    the front agrees on outweigh one reading on the back)."""
    record = back.fields.get("record")
    if not record:
        return
    start, end = front.fields.get("valid_from"), front.fields.get("valid_to")
    issue = front.fields.get("issue_date")
    dates = {}
    if start and end and end in (repair.add_years(start, 6), repair.add_years(start, 10)):
        dates[RENEWAL] = end
    if issue and (year_on := repair.add_years(issue, 1)):
        dates[PROBATION] = year_on
    if start and (year_on := repair.add_years(start, 1)):
        dates[ADDED_PROBATION] = year_on
    fixed = with_front_dates(record, dates)
    if RENEWAL in dates:
        fixed = with_front_end(fixed, dates[RENEWAL])
    if fixed != record:
        back.fields["record"] = fixed
        back.confidence["record"] = back.confidence.get("record", 0.0) * REPAIRED_CONFIDENCE
