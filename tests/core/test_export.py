from __future__ import annotations

import csv
import io
import json

from dlscan_gui.core.errors import ImageError
from dlscan_gui.core.export import CSV_COLUMNS, FileOutcome, csv_text, to_json_text, to_jsonl_line
from dlscan_gui.core.schema import RecognitionResult

FRONT = {"number": "110101199003070019", "name": "张三", "class": "C1"}
BACK = {"number": "110101199003070019", "name": "张三", "file_number": "110100123456"}


def test_single_file_json_is_exactly_the_api_body():
    outcome = FileOutcome("a.jpg", RecognitionResult.from_huawei_json(FRONT))
    assert json.loads(to_json_text([outcome])) == {"result": FRONT}


def test_error_json_is_the_api_error_body():
    outcome = FileOutcome("a.pdf", error=ImageError("DLSCAN.IMAGE_FORMAT"))
    body = json.loads(to_json_text([outcome]))
    assert body["error_code"] == "DLSCAN.IMAGE_FORMAT"
    assert "JPEG" in body["error_msg"]


def test_jsonl_lines_carry_the_file():
    ok = FileOutcome("a.jpg", RecognitionResult.from_huawei_json(FRONT))
    bad = FileOutcome("b.jpg", error=ImageError("DLSCAN.IMAGE_EMPTY"))
    assert json.loads(to_jsonl_line(ok)) == {"file": "a.jpg", "result": FRONT}
    assert json.loads(to_jsonl_line(bad))["error_code"] == "DLSCAN.IMAGE_EMPTY"
    many = json.loads(to_json_text([ok, bad]))
    assert [item["file"] for item in many] == ["a.jpg", "b.jpg"]


def test_csv_merges_double_side_and_reports_errors():
    double = RecognitionResult.from_huawei_json({"front": FRONT, "back": BACK})
    text = csv_text([FileOutcome("x.jpg", double),
                     FileOutcome("y.jpg", error=ImageError("DLSCAN.FILE_NOT_FOUND"))])
    rows = list(csv.DictReader(io.StringIO(text)))
    assert tuple(rows[0]) == CSV_COLUMNS
    assert rows[0]["side"] == "double_side"
    assert rows[0]["class"] == "C1" and rows[0]["file_number"] == "110100123456"
    assert rows[1]["error_code"] == "DLSCAN.FILE_NOT_FOUND" and rows[1]["number"] == ""


def test_record_result_shapes():
    from dlscan_gui.core.export import record_result
    from dlscan_gui.core.schema import Side

    both = record_result({"number": "1", "class": "C1"}, {"file_number": "2"})
    assert both.side is Side.DOUBLE_SIDE and both.back.get("file_number") == "2"
    back = record_result({}, {"file_number": "2"})
    assert back.side is Side.BACK and back.get("file_number") == "2"


def test_csv_append_writes_header_once_with_bom(tmp_path):
    from dlscan_gui.core.export import append_csv

    path = tmp_path / "export.csv"
    outcome = FileOutcome("a.jpg", RecognitionResult.from_huawei_json(FRONT))
    append_csv(path, outcome)
    append_csv(path, outcome)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and raw.count(b"\xef\xbb\xbf") == 1
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 2 and rows[1]["name"] == "张三"
