"""Values found by where they are and what they look like, for pages whose labels did not read
(small, light label print in a blurred low-resolution photo is the first thing OCR loses).

On a flat, upright front page the values stand in a fixed order down the value column: the
18-character number, the name row (name, sex, nationality), one or two address lines, the birth
date, the first-issue date, the class, then the validity (a range "A 至 B", or a start date
and an "N年" span). Only what is printed is used: each rule picks a line by its shape and order,
never a value by inference.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np

from dlscan_gui.engines.local.fields import ROW_DATE, RawField, compact, same_row
from dlscan_gui.engines.local.ocr import TextBox
from dlscan_gui.engines.local.repair import DATE_SHAPE, digits_only, fix_digits

# Any four digits as the year: a blurred 1 reads as 7 ("7985-05-14"); the line still holds a
# date, and the repairs decide whether it can be read. Or three, set off by separators: the
# year's first digit lost under the seal's frame ("016-09-13"). Digits with no separator at
# all are eight (yyyymmdd): "2412403室" (an address's flat) is no date.
_DATE = re.compile(r"\d{4}[-.年/]\d{1,2}[-.月/]?\d{1,2}|\d{4}\d{1,2}[-.月/]\d{1,2}|\d{8}"
                   r"|(?<!\d)[09]\d\d[-.年/]\d{2}[-.月/]\d{2}(?!\d)")
# A range whose start blurred ("J20-01-30 2026-03-30"): one date, and another date's shape.
_DATE_SHAPE = re.compile(DATE_SHAPE)
_NUMBER = re.compile(r"[0-9A-Za-z]{17}[0-9Xx]")
# The number read in pieces or in part ("4301097" "70187115", "4205061>10122092"): the top row
# of the value column, where the number is printed, holds more digits than any date; no date is
# on that row.
NUMBER_ROW_DIGITS = 10
_CODE = re.compile(r"[0-9A-Za-z|]{1,6}")
_SPAN = re.compile(r"^\D{0,2}(6|10|0|六|十)年")  # "J0年": a blurred 10
PHOTO_X = 0.7  # the photo column starts here (share of the page width)
TITLE_Y = 0.2  # the title and its English line end above this (share of the page height)
RANGE_END_X = 0.12  # share of the page width right of the value column's start


def _raw(line: TextBox, text: str | None = None) -> RawField:
    value = compact(line.text) if text is None else text
    return RawField(value, [line], [value])


def front_by_layout(lines: Sequence[TextBox], width: int, height: int) -> dict[str, RawField]:
    column = sorted((line for line in lines if line.y0 > TITLE_Y * height
                     and line.x0 < PHOTO_X * width), key=lambda line: line.cy)
    found: dict[str, RawField] = {}
    number = next((line for line in column if _NUMBER.search(compact(line.text))), None)
    top_row = [line for line in column if same_row(line, column[0])] if column else []
    top_text = "".join(compact(line.text) for line in top_row)
    number_row = top_row if number is None and not re.search("[至长]", top_text) and len(
        digits_only(top_text)) >= NUMBER_ROW_DIGITS else []
    # Letters read for digits ("J9780424") count as those digits.
    dated = [line for line in column if _DATE.search(fix_digits(compact(line.text)))
             and not _NUMBER.search(compact(line.text))
             and all(line is not piece for piece in number_row)]
    if not dated:
        return found
    first_date = dated[0]
    if number is not None:
        # Between the number and the first date: the name row, then the address lines.
        middle = [line for line in column if number.y1 <= line.cy < first_date.y0]
        if middle:
            name_row = [line for line in middle if line.cy < middle[0].y1]
            # A line wholly left of the value column is the address's label, misread ("性址").
            address = [line for line in middle if all(line is not x for x in name_row)
                       and line.x1 > number.x0]
            # The birth row, its year's first digit lost ("出生日.970-07-06"), is no date to
            # the pattern above: the address ends where a date shows.
            dates = [i for i, line in enumerate(address) if ROW_DATE.search(compact(line.text))]
            address = address[: dates[0]] if dates else address
            found["name_row"] = RawField("".join(compact(x.text) for x in
                                                 sorted(name_row, key=lambda x: x.x0)),
                                         name_row, [])
            if address:
                found["address"] = RawField("".join(compact(x.text) for x in address), address,
                                            [compact(x.text) for x in address])
    ranges = [line for line in dated if len(_DATE.findall(compact(line.text))) >= 2
              or len(_DATE_SHAPE.findall(fix_digits(compact(line.text)))) >= 2
              or "长期" in line.text or "至" in line.text]
    value_x = number.x0 if number is not None else float(np.median([x.x0 for x in dated]))
    pieces: list[TextBox] = []
    if not ranges:
        ranges, pieces = _split_range(column, dated, value_x + RANGE_END_X * width)
    # A single date starts in the value column: one further right is the end of a range whose
    # start did not read, and taking it as the next date in order would shift every date.
    singles = [line for line in dated if all(line is not r for r in [*ranges, *pieces])
               and line.x0 < value_x + RANGE_END_X * width]
    keys = ["birth", "issue_date", "valid_from"]
    for key, line in zip(keys, singles, strict=False):
        found[key] = _raw(line)
    if ranges:
        found["validity"] = _raw(ranges[0])
    elif "valid_from" in found:
        start = found["valid_from"].boxes[0]
        span = next((line for line in column if line.cy > start.y1
                     and _SPAN.search(compact(line.text))), None)
        if span is not None:
            found["validity"] = _raw(span)
    if len(singles) >= 2:
        issue = singles[1]
        below = found.get("validity") or found.get("valid_from")
        stop = below.boxes[0].y0 if below is not None else float("inf")
        # A class code is a few Latin letters and digits (the seal's characters over the label
        # column read as short lines too).
        codes = [line for line in column if issue.y1 <= line.cy < stop
                 and _CODE.fullmatch(compact(line.text))]
        if codes:
            found["class"] = _raw(codes[0])
    return found


def _split_range(column: Sequence[TextBox], dated: Sequence[TextBox],
                 end_x: float) -> tuple[list[TextBox], list[TextBox]]:
    """A range read in pieces ("2016-", "量", "2022-09-13"): a date right of the value column
    with the row's other pieces before it, joined into one line in reading order. Returns
    ([the joined line], the pieces), or two empty lists."""
    for end in dated:
        if end.x0 < end_x:
            continue
        row = sorted((line for line in column if line.x1 <= end.x0 + 1
                      and min(line.y1, end.y1) - max(line.y0, end.y0) > 0.5 * end.height),
                     key=lambda line: line.x0)
        pieces = [line for line in row if line is not end and re.search(r"\d", line.text)]
        if pieces:
            joined = [*row, end]
            quad = np.float32([[pieces[0].x0, end.y0], [end.x1, end.y0], [end.x1, end.y1],
                               [pieces[0].x0, end.y1]])
            return [TextBox(quad, "".join(compact(x.text) for x in joined),
                            min(x.score for x in joined))], row
    return [], []


def split_name_row(text: str) -> tuple[str | None, str | None, str | None]:
    """(name, sex, nationality) from a name row read without its labels: "张三男中国"."""
    cjk = re.sub(r"[^\u4e00-\u9fff]", "", text)
    match = re.match(r"^([\u4e00-\u9fff]{2,5}?)(?:性别)?([男女])(?:国籍)?([\u4e00-\u9fff]{2,})$",
                     cjk)
    if not match:
        return None, None, None
    return match.group(1), match.group(2), match.group(3)
