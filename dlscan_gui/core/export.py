"""Hand-over formats: the API's JSON per file, JSON Lines, and CSV rows (one row per licence)."""

from __future__ import annotations

import csv
import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dlscan_gui.core.errors import DlscanError
from dlscan_gui.core.schema import FIELD_KEYS, FIELDS_BY_KEY, RecognitionResult, Side

CSV_COLUMNS: tuple[str, ...] = ("file", "side", *FIELD_KEYS, "error_code", "error_msg")


@dataclass(frozen=True)
class FileOutcome:
    """What happened to one input: a result or an error, never both."""

    file: str
    result: RecognitionResult | None = None
    error: DlscanError | None = None

    @property
    def ok(self) -> bool:
        return self.result is not None

    def to_json(self, *, with_file: bool) -> dict[str, Any]:
        body: dict[str, Any]
        if self.result is not None:
            body = self.result.to_response()
        elif self.error is not None:
            body = self.error.to_huawei_json()
        else:  # pragma: no cover - constructed wrongly
            raise ValueError("FileOutcome needs a result or an error")
        return {"file": self.file, **body} if with_file else body


def to_json_text(outcomes: list[FileOutcome]) -> str:
    """One file: exactly the API's body. Several: a JSON array of ``{"file": …, …}``."""
    if len(outcomes) == 1:
        data: Any = outcomes[0].to_json(with_file=False)
    else:
        data = [o.to_json(with_file=True) for o in outcomes]
    return json.dumps(data, ensure_ascii=False, indent=2)


def to_jsonl_line(outcome: FileOutcome) -> str:
    return json.dumps(outcome.to_json(with_file=True), ensure_ascii=False)


def csv_row(outcome: FileOutcome) -> dict[str, str]:
    row = dict.fromkeys(CSV_COLUMNS, "")
    row["file"] = outcome.file
    if outcome.result is not None:
        row["side"] = str(outcome.result.side or "")
        row.update(outcome.result.merged_fields())
    elif outcome.error is not None:
        payload = outcome.error.to_huawei_json()
        row["error_code"], row["error_msg"] = payload["error_code"], payload["error_msg"]
    return row


def csv_text(outcomes: Iterable[FileOutcome], *, header: bool = True) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(
        buffer, fieldnames=CSV_COLUMNS, extrasaction="ignore", lineterminator="\n"
    )
    if header:
        writer.writeheader()
    for outcome in outcomes:
        writer.writerow(csv_row(outcome))
    return buffer.getvalue()


def labelled_text(front: dict[str, str], back: dict[str, str]) -> str:
    """One customer's record as "label: value" lines, front page then back page; the back's
    number and name are only listed where they differ from the front's."""
    lines = [f"{FIELDS_BY_KEY[key].label_zh}: {value}" for key, value in front.items()]
    for key, value in back.items():
        if key in ("number", "name") and front.get(key) == value:
            continue
        label = FIELDS_BY_KEY[key].label_zh
        lines.append(f"副页{label}: {value}" if key in ("number", "name") else f"{label}: {value}")
    return "\n".join(lines)


def record_json(front: dict[str, str], back: dict[str, str]) -> dict[str, Any]:
    """The record in the API's double_side shape (pages that are empty are left out)."""
    record: dict[str, Any] = {}
    if front:
        record["front"] = dict(front)
    if back:
        record["back"] = dict(back)
    return {"result": record}


def record_result(front: dict[str, str], back: dict[str, str]) -> RecognitionResult:
    """A clerk's record (possibly edited) as a result: double_side when both pages are there."""
    pages = {Side.FRONT: front, Side.BACK: back}
    present = [side for side, values in pages.items() if values]
    if len(present) == 2:
        return RecognitionResult(side=Side.DOUBLE_SIDE,
                                 front=RecognitionResult(dict(front), side=Side.FRONT),
                                 back=RecognitionResult(dict(back), side=Side.BACK))
    side = present[0] if present else Side.FRONT
    return RecognitionResult(dict(pages[side]), side=side)


def append_csv(path: Path, outcome: FileOutcome) -> None:
    """Append one row; a new (or empty) file gets the header, and a UTF-8 BOM so that Excel
    opens the Chinese text correctly."""
    new = not path.exists() or path.stat().st_size == 0
    with open(path, "a", encoding="utf-8-sig" if new else "utf-8", newline="") as handle:
        handle.write(csv_text([outcome], header=new))


def write_json(path: Path, data: Any) -> None:
    """Write atomically, so an interrupted export never leaves half a file."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
    os.replace(tmp, path)
