"""One page as read: its flattened image, text lines, side, and the fields taken from it with
their confidence, where they were printed and the warnings about them."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from dlscan_gui.core.card import Page
from dlscan_gui.core.findings import Finding
from dlscan_gui.core.schema import RecognitionResult, Side
from dlscan_gui.engines.local.glare import field_glare
from dlscan_gui.engines.local.ocr import TextBox

REPAIRED_CONFIDENCE = 0.7  # a value that needed more than cleaning is less certain


@dataclass
class PageReading:
    page: Page
    lines: list[TextBox]
    side: Side
    fields: dict[str, str] = field(default_factory=dict)
    confidence: dict[str, float] = field(default_factory=dict)
    quads: dict[str, np.ndarray] = field(default_factory=dict)  # page pixels
    notes: list[Finding] = field(default_factory=list)  # warnings about single fields
    unread_ink: bool = False  # print where the (empty) record is that no line read covers
    address_line: np.ndarray | None = None  # the address's first line (page pixels)

    def result(self, with_location: bool) -> RecognitionResult:
        result = RecognitionResult(fields=dict(self.fields), side=self.side,
                                   confidence={k: round(v, 3) for k, v in self.confidence.items()})
        if with_location:
            result.text_location = {
                key: np.round(self.page.map_to_original(quad), 1).tolist()
                for key, quad in self.quads.items() if key in self.fields
            }
        warnings = [*self.notes, *field_glare(self.page.image, {
            key: quad for key, quad in self.quads.items() if key in self.fields})]
        if warnings:
            result.extras["warnings"] = [warning.to_json() for warning in warnings]
        return result
