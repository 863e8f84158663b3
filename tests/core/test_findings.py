"""Findings travel as JSON (an engine's ``warnings``) and come back unchanged."""

from __future__ import annotations

from dlscan_gui.core.errors import Message
from dlscan_gui.core.findings import Finding, Level


def test_json_round_trip() -> None:
    finding = Finding("field.glare", Level.WARNING, Message("反光", "glare"), field="name")
    assert Finding.from_json(finding.to_json()) == finding
    plain = Finding("image.blurred", Level.ERROR, Message("模糊", "blurred"))
    assert Finding.from_json(plain.to_json()) == plain


def test_malformed_entries_are_refused() -> None:
    assert Finding.from_json({"code": "x", "level": "fatal", "zh": "a", "en": "b"}) is None
    assert Finding.from_json({"code": "x", "level": "warning"}) is None
    assert Finding.from_json({}) is None
