"""The packaging check's reading of the frozen self-test's one line."""

from __future__ import annotations

import check


def test_an_ok_line_gives_the_figures():
    result = check.parse_self_test(
        "dlscan self-test OK: window 0.71 s, first result 2.93 s, 9/9 fields "
        "(synthetic-front.jpg)\n")
    assert result.ok
    assert (result.window_s, result.result_s) == (0.71, 2.93)
    assert (result.fields_right, result.fields_total) == (9, 9)


def test_the_last_line_counts():
    result = check.parse_self_test(
        "some warning\n\ndlscan self-test OK: window 1 s, first result 12.5 s, 10/11 fields "
        "(synthetic-back.jpg)\n\n")
    assert result.ok and result.window_s == 1.0 and result.fields_right == 10


def test_a_failure_or_nothing_is_not_ok():
    failed = check.parse_self_test("dlscan self-test FAILED: no result within 120 s\n")
    assert not failed.ok and failed.line.startswith("dlscan self-test FAILED")
    assert not check.parse_self_test("").ok
    assert check.parse_self_test("").line == "(no output)"


def test_median_ignores_missing_values():
    assert check.median([3.0, None, 1.0, 2.0]) == 2.0
    assert check.median([None]) is None
