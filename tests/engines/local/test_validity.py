"""Validity dates the print garbled, read with the first issue date (whose month and day every
validity period keeps), and the 6-year first period."""

from __future__ import annotations

import pytest

from dlscan_gui.core.findings import Finding
from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.schema import Side
from dlscan_gui.engines.local.cross_check import FIRST_PERIOD_CODE, first_period
from dlscan_gui.engines.local.fields import RawField
from dlscan_gui.engines.local.page_reading import PageReading
from dlscan_gui.engines.local.validity import (
    range_by_end,
    range_by_issue,
    start_by_issue,
    validity_dates,
)
from tests.synthetic.licence import make_sample

ISSUE = "2008-10-16"


@pytest.mark.parametrize("text, expected", [
    # Seed 81045 (hard): both dates' 1s read as 3s, the 2 of the start lost, 至 as ￥.
    ("014-30-16 ￥2024-30-36", ("2014-10-16", "2024-10-16")),
    ("2014-10-l6至2020-1O-16", ("2014-10-16", "2020-10-16")),
    ("2014-30-16 至 长期", ("2014-10-16", "长期")),
])
def test_a_range_with_its_month_or_day_misread_takes_the_issue_dates(text, expected):
    assert range_by_issue(text, ISSUE) == expected


@pytest.mark.parametrize("text", [
    "2014-30-36 至 2024-30-36",  # neither date close to the issue's month and day
    "2014-05-03 至 2024-05-03",  # a validity that restarted on another day: not ours to move
    "2014-10-16 至 2022-10-16",  # 8 years: not a period licences are issued for
    "2006-10-16 至 2016-10-16",  # starts before the first issue
    "2014-30-36 至 长期",  # one date, not close
    "2014-10-16",  # the end did not read at all
    "有效期限2014-30-16",  # ... and the label's 期 is no 长期
    "",
])
def test_ranges_that_are_not_the_issue_dates_misread_stay_unread(text):
    assert range_by_issue(text, ISSUE) == (None, None)


def test_a_ranges_end_read_alone_is_not_its_start():
    # Seed 79147 (hard): 至 read as 型 and the start's 2 lost; the one whole date is the end.
    validity = RawField("025-11-09型2031-11-09")
    found = {key: value for key, value, _row, _guessed in
             validity_dates(validity, None, "2025-11-09")}
    assert found == {"valid_from": "2025-11-09", "valid_to": "2031-11-09"}


@pytest.mark.parametrize("text, expected", [
    # Seed 79146 (hard): the start read "J20-01-30", the end whole; the row compacted.
    ("J20-01-302026-03-30", ("2020-03-30", "2026-03-30")),  # the first period
    ("J20-01-30 2036-03-30", ("2026-03-30", "2036-03-30")),  # the second
    ("J20-01-30 2030-03-30", (None, None)),  # 10 years after the issue ends no period
    ("J20-01-30 2026-04-30", (None, None)),  # not the issue's month and day
    ("2026-03-30", (None, None)),  # one date and nothing before it: it may be the start
])
def test_a_range_whose_start_blurred_takes_the_period_its_end_closes(text, expected):
    assert range_by_end(text, "2020-03-30") == expected
    found = {key: value for key, value, _row, _guessed in
             validity_dates(RawField(text), None, "2020-03-30")}
    if expected[0] is not None:
        assert found == {"valid_from": expected[0], "valid_to": expected[1]}
    else:
        assert "valid_to" not in found


def test_a_lone_date_after_a_starts_remains_is_the_end():
    # The start too garbled to rebuild: without an issue date the end stands as read; with
    # one, only a period the issue date allows is taken, and the lone date is never the start.
    def found(text: str, issue: str | None) -> dict[str, str]:
        return {key: value for key, value, _row, _guessed in
                validity_dates(RawField(text), None, issue)}

    assert found("J20-01-30 2030-03-30", None) == {"valid_to": "2030-03-30"}
    assert found("J20-01-30 2030-03-30", "2020-03-30") == {}
    assert found("2026-03-30", None) == {"valid_from": "2026-03-30"}  # nothing before it


def test_an_older_cards_start_date():
    assert start_by_issue("2O14-1O-l8", ISSUE) == "2014-10-16"
    assert start_by_issue("2014-11-18", ISSUE) is None  # two digits off
    assert start_by_issue("2014-10-16 2020-10-16", ISSUE) is None  # not one date
    assert start_by_issue("2014-10-16", "not a date") is None
    # 77006 (hard): the start's year misread in one digit, its month and day the issue's: the
    # one period start (the issue, 6 or 16 years on, not in the future) one digit off.
    assert start_by_issue("有效起始日期3022-06-23", "2022-06-23") == "2022-06-23"
    assert start_by_issue("2O05-06-23", "1999-06-23") == "2005-06-23"  # O for 0, 6 years on
    assert start_by_issue("3022-06-24", "2022-06-23") is None  # the day off too
    assert start_by_issue("3028-06-23", "2022-06-23") is None  # two digits off 2022


def _front(**fields: str) -> PageReading:
    reading = PageReading(page=None, lines=[], side=Side.FRONT)  # type: ignore[arg-type]
    reading.fields.update(fields)
    reading.confidence.update({key: 0.9 for key in fields})
    return reading


def test_a_first_licence_runs_six_years_with_a_warning():
    reading = _front(issue_date="2022-06-09", valid_from="2022-06-09")
    first_period(reading)
    assert reading.fields["valid_to"] == "2028-06-09"
    assert reading.confidence["valid_to"] < 0.9
    assert [n.field for n in reading.notes if n.code == FIRST_PERIOD_CODE] == ["valid_to"]


@pytest.mark.parametrize("fields", [
    {"issue_date": "2016-06-09", "valid_from": "2022-06-09"},  # a renewal: 6 or 10 years
    {"issue_date": "2022-06-09", "valid_from": "2022-06-09", "valid_to": "长期"},  # as read
    {"valid_from": "2022-06-09"},
])
def test_no_end_date_is_made_up_otherwise(fields):
    reading = _front(**fields)
    first_period(reading)
    assert reading.fields.get("valid_to") == fields.get("valid_to")
    assert not reading.notes


@pytest.mark.parametrize("seed", [81028, 81045])
def test_hard_photos_whose_validity_blurred(local_engine, seed):
    """81028: the "6年" line under the seal did not read; 81045: the range's digits did."""
    generated = make_sample(seed, side="front", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("valid_from") == generated.truth["valid_from"]
    assert result.get("valid_to") == generated.truth["valid_to"]
    if seed == 81028:
        notes = [Finding.from_json(w) for w in result.extras.get("warnings", [])]
        assert any(n.code == FIRST_PERIOD_CODE and "6年" in n.message.zh for n in notes)
