"""Exact-match scoring of recognized fields against generator truth (bench and tests)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def flatten(truth: Mapping[str, Any]) -> dict[str, str]:
    """{"front": {...}, "back": {...}} → {"front.number": ...}; a single page stays flat."""
    out: dict[str, str] = {}
    for key, value in truth.items():
        if isinstance(value, Mapping):
            out.update({f"{key}.{k}": v for k, v in value.items() if isinstance(v, str)})
        elif isinstance(value, str):
            out[key] = value
    return out


def compare(truth: Mapping[str, Any], got: Mapping[str, Any]) -> dict[str, bool]:
    """Per truth field: was it read exactly? Fields the engine added are ignored."""
    expected, actual = flatten(truth), flatten(got)
    return {key: actual.get(key) == value for key, value in expected.items()}


def compare_merged(truth: Mapping[str, Any], got: Mapping[str, str]) -> dict[str, bool]:
    """For a reader that cannot tell pages apart (the naive baseline): compare its one flat
    dict with each page's fields."""
    expected = flatten(truth)
    return {key: got.get(key.split(".")[-1]) == value for key, value in expected.items()}
