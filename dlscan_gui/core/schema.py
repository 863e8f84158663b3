"""The result schema: Huawei's ``DriverLicenseResult``, its field catalogue, and a
``RecognitionResult`` that reads and writes that JSON exactly.

Round-trip rule: ``RecognitionResult.from_huawei_json(d).to_huawei_json() == d``, key order
included, for any dict the API (or a compatible server) returns: unknown keys are kept, not
dropped, and optional extras (``confidence``, ``text_location``, ``warnings``) are never renamed.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any


class Side(StrEnum):
    FRONT = "front"  # 主页
    BACK = "back"  # 副页
    DOUBLE_SIDE = "double_side"  # both pages in one image
    AUTO = "auto"  # ours: let the engine decide (never sent to Huawei)


class LicenceType(StrEnum):
    NORMAL = "normal"
    ELECTRONIC = "electronic"


@dataclass(frozen=True)
class FieldSpec:
    key: str
    label_zh: str
    label_en: str
    sides: frozenset[Side]


_F = frozenset({Side.FRONT})
_B = frozenset({Side.BACK})
_FB = frozenset({Side.FRONT, Side.BACK})

# In the order a clerk reads them off the card.
FIELDS: tuple[FieldSpec, ...] = (
    FieldSpec("number", "证号", "Licence No.", _FB),
    FieldSpec("name", "姓名", "Name", _FB),
    FieldSpec("sex", "性别", "Sex", _F),
    FieldSpec("nationality", "国籍", "Nationality", _F),
    FieldSpec("address", "住址", "Address", _F),
    FieldSpec("birth", "出生日期", "Date of Birth", _F),
    FieldSpec("issue_date", "初次领证日期", "Date of First Issue", _F),
    FieldSpec("class", "准驾车型", "Class", _F),
    FieldSpec("valid_from", "有效起始日期", "Valid From", _F),
    FieldSpec("valid_to", "有效期至", "Valid Until", _F),
    FieldSpec("issuing_authority", "发证机关", "Issuing Authority", _F),
    FieldSpec("file_number", "档案编号", "File No.", _B),
    FieldSpec("record", "记录", "Record", _B),
)
FIELDS_BY_KEY: dict[str, FieldSpec] = {f.key: f for f in FIELDS}
FIELD_KEYS: tuple[str, ...] = tuple(f.key for f in FIELDS)

# Value of valid_to on licences that never expire.
OPEN_ENDED = "长期"

# Keys of a result object that are not text fields.
_META_KEYS = ("type", "confidence", "text_location", "front", "back")


def fields_for(side: Side) -> tuple[FieldSpec, ...]:
    """The fields a page carries; both pages' fields for double_side/auto."""
    if side in (Side.FRONT, Side.BACK):
        return tuple(f for f in FIELDS if side in f.sides)
    return FIELDS


def page_side(result: Mapping[str, Any]) -> Side:
    """The page a single-page ``result`` object holds, from its keys: back when it has fields
    only the back page carries (档案编号, 记录) and none only the front carries."""
    keys = {k for k, v in result.items() if isinstance(v, str)}
    back_only = {f.key for f in FIELDS if f.sides == _B}
    front_only = {f.key for f in FIELDS if f.sides == _F}
    return Side.BACK if keys & back_only and not keys & front_only else Side.FRONT


Quad = list[list[float]]  # four [x, y] corners, clockwise from top-left


@dataclass
class RecognitionResult:
    """One recognized page, or (``side == DOUBLE_SIDE``) a pair of pages in ``front``/``back``.

    ``fields`` holds only the text fields that were read, keyed by API name (``class`` too).
    """

    fields: dict[str, str] = field(default_factory=dict)
    side: Side | None = None
    type: str | None = None
    confidence: dict[str, float] = field(default_factory=dict)
    text_location: dict[str, Quad] = field(default_factory=dict)
    front: RecognitionResult | None = None
    back: RecognitionResult | None = None
    extras: dict[str, Any] = field(default_factory=dict)
    # Key order of the JSON this came from, so that writing it back is byte-for-byte faithful.
    _order: list[str] = field(default_factory=list, repr=False, compare=False)

    # ------------------------------------------------------------------ access
    def get(self, key: str, default: str = "") -> str:
        return self.fields.get(key, default)

    def __getitem__(self, key: str) -> str:
        return self.fields[key]

    def __contains__(self, key: object) -> bool:
        return key in self.fields

    def pages(self) -> Iterator[tuple[Side, RecognitionResult]]:
        """(side, page) for each page: the sub-results of a double_side result, else itself."""
        if self.front is not None or self.back is not None:
            if self.front is not None:
                yield Side.FRONT, self.front
            if self.back is not None:
                yield Side.BACK, self.back
        else:
            yield (self.side or Side.FRONT), self

    def merged_fields(self) -> dict[str, str]:
        """All fields of all pages in catalogue order; the front page wins on number/name."""
        merged: dict[str, str] = {}
        for _side, page in self.pages():
            for key, value in page.fields.items():
                merged.setdefault(key, value)
        for key, value in self.fields.items():
            merged.setdefault(key, value)
        order = {k: i for i, k in enumerate(FIELD_KEYS)}
        return dict(sorted(merged.items(), key=lambda kv: order.get(kv[0], len(order))))

    def scale_locations(self, factor: float) -> None:
        """Multiply every text_location coordinate by ``factor`` (all pages): a result read
        from a downscaled upload, mapped back onto the original image."""
        for _side, page in self.pages():
            page.text_location = {
                key: [[float(x) * factor, float(y) * factor] for x, y in quad]
                for key, quad in page.text_location.items()
            }
        if self.front is not None or self.back is not None:
            self.text_location = {
                key: [[float(x) * factor, float(y) * factor] for x, y in quad]
                for key, quad in self.text_location.items()
            }

    # ------------------------------------------------------------------ JSON
    @classmethod
    def from_huawei_json(
        cls, data: Mapping[str, Any], side: Side | None = None
    ) -> RecognitionResult:
        """Parse a ``result`` object (not the ``{"result": …}`` envelope)."""
        if not isinstance(data, Mapping):
            raise TypeError("a result must be a JSON object")
        result = cls(side=side, _order=list(data.keys()))
        for key, value in data.items():
            if key in FIELDS_BY_KEY and isinstance(value, str):
                result.fields[key] = value
            elif key == "type" and (value is None or isinstance(value, str)):
                result.type = value
            elif key == "confidence" and isinstance(value, Mapping):
                result.confidence = {str(k): v for k, v in value.items()}
            elif key == "text_location" and isinstance(value, Mapping):
                result.text_location = {str(k): v for k, v in value.items()}
            elif key in ("front", "back") and isinstance(value, Mapping):
                sub = cls.from_huawei_json(value, Side(key))
                setattr(result, key, sub)
                result.side = Side.DOUBLE_SIDE
            else:
                # Unknown keys (and known ones of an unexpected type) are kept verbatim.
                result.extras[key] = copy.deepcopy(value)
        return result

    def to_huawei_json(self) -> dict[str, Any]:
        """The ``result`` object, in the key order it was read (new keys after, in catalogue
        order)."""
        values: dict[str, Any] = {}
        for key, value in self.fields.items():
            values[key] = value
        if self.type is not None:
            values["type"] = self.type
        if self.confidence:
            values["confidence"] = dict(self.confidence)
        if self.text_location:
            values["text_location"] = copy.deepcopy(self.text_location)
        if self.front is not None:
            values["front"] = self.front.to_huawei_json()
        if self.back is not None:
            values["back"] = self.back.to_huawei_json()
        values.update(copy.deepcopy(self.extras))

        out: dict[str, Any] = {k: values.pop(k) for k in self._order if k in values}
        rank = {k: i for i, k in enumerate(FIELD_KEYS + _META_KEYS)}
        for key in sorted(values, key=lambda k: rank.get(k, len(rank))):
            out[key] = values[key]
        return out

    def to_response(self) -> dict[str, Any]:
        """The API's success envelope ``{"result": {...}}``."""
        return {"result": self.to_huawei_json()}


def parse_response(body: Mapping[str, Any], side: Side | None = None) -> RecognitionResult:
    """Parse a success envelope. Raises ValueError if it has no ``result`` object."""
    result = body.get("result") if isinstance(body, Mapping) else None
    if not isinstance(result, Mapping):
        raise ValueError("response has no 'result' object")
    return RecognitionResult.from_huawei_json(result, side)
