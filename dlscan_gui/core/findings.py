"""A finding: one thing a check has to say about an image or a field, at a level, in zh and en."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from dlscan_gui.core.errors import Message


class Level(StrEnum):
    ERROR = "error"  # cannot send / the value is certainly wrong
    WARNING = "warning"  # may misread / the value deserves a second look


@dataclass(frozen=True)
class Finding:
    code: str  # stable machine name, e.g. "number.check_digit" or "image.blurred"
    level: Level
    message: Message
    field: str | None = None  # result key the finding is about, if any

    @property
    def zh(self) -> str:
        return self.message.zh

    @property
    def en(self) -> str:
        return self.message.en

    def to_json(self) -> dict[str, str]:
        out = {"code": self.code, "level": str(self.level), "zh": self.zh, "en": self.en}
        if self.field:
            out["field"] = self.field
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Finding | None:
        """The inverse of ``to_json`` (an engine's ``warnings``); None for a malformed entry."""
        try:
            level = Level(data["level"])
            code, zh, en = str(data["code"]), str(data["zh"]), str(data["en"])
        except (KeyError, TypeError, ValueError):
            return None
        field = data.get("field")
        return cls(code, level, Message(zh, en), str(field) if field else None)
