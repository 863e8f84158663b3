from __future__ import annotations

import json

import pytest

from dlscan_gui.core.schema import (
    FIELD_KEYS,
    FIELDS_BY_KEY,
    RecognitionResult,
    Side,
    fields_for,
    page_side,
    parse_response,
)
from tests.fake_huawei import DEFAULT_BACK, DEFAULT_FRONT

FRONT = DEFAULT_FRONT
BACK = DEFAULT_BACK


def test_catalogue_covers_the_api_fields_with_labels_and_sides():
    assert FIELD_KEYS == ("number", "name", "sex", "nationality", "address", "birth",
                          "issue_date", "class", "valid_from", "valid_to",
                          "issuing_authority", "file_number", "record")
    assert FIELDS_BY_KEY["class"].label_zh == "准驾车型"
    assert FIELDS_BY_KEY["file_number"].sides == {Side.BACK}
    assert FIELDS_BY_KEY["number"].sides == {Side.FRONT, Side.BACK}
    assert [f.key for f in fields_for(Side.BACK)] == ["number", "name", "file_number", "record"]


@pytest.mark.parametrize("payload", [
    FRONT,
    BACK,
    {**FRONT, "type": "electronic"},
    {"front": FRONT, "back": BACK, "type": "normal"},
    {**FRONT, "confidence": {"number": 0.99, "class": 0.5},
     "text_location": {"number": [[1, 2], [3, 2], [3, 4], [1, 4]]}},
    {"unknown_new_key": {"nested": [1, 2]}, **FRONT, "warnings": ["blurred"]},
    {"class": 7, **BACK},  # a known key of the wrong type is kept verbatim, not dropped
    {},
])
def test_round_trip_is_exact_including_key_order(payload):
    result = RecognitionResult.from_huawei_json(payload)
    out = result.to_huawei_json()
    assert out == payload
    assert json.dumps(out, ensure_ascii=False) == json.dumps(payload, ensure_ascii=False)


def test_class_is_reachable_despite_being_a_python_keyword():
    result = RecognitionResult.from_huawei_json(FRONT)
    assert result["class"] == "C1"
    assert result.get("class") == "C1"
    assert "file_number" not in result


def test_double_side_pages_and_merge():
    result = parse_response({"result": {"front": FRONT, "back": BACK}})
    assert result.side is Side.DOUBLE_SIDE
    assert [side for side, _ in result.pages()] == [Side.FRONT, Side.BACK]
    merged = result.merged_fields()
    assert merged["file_number"] == "110100123456"
    assert merged["class"] == "C1"
    assert list(merged) == [k for k in FIELD_KEYS if k in merged]


def test_new_fields_are_written_in_catalogue_order():
    result = RecognitionResult(fields={"valid_to": "长期", "number": "1"}, type="normal")
    assert list(result.to_huawei_json()) == ["number", "valid_to", "type"]
    read = RecognitionResult.from_huawei_json({"valid_to": "长期", "number": "1"})
    read.fields["name"] = "李四"
    assert list(read.to_huawei_json()) == ["valid_to", "number", "name"]


def test_parse_response_rejects_bodies_without_result():
    with pytest.raises(ValueError):
        parse_response({"error_code": "AIS.0103", "error_msg": "x"})
    with pytest.raises(ValueError):
        parse_response({"result": "not an object"})


def test_text_locations_scale_back_to_the_original_image():
    quad = [[10, 20], [30, 20], [30, 40], [10, 40]]
    single = RecognitionResult.from_huawei_json({"number": "1", "text_location": {"number": quad}})
    single.scale_locations(2.0)
    assert single.text_location["number"] == [[20, 40], [60, 40], [60, 80], [20, 80]]
    double = RecognitionResult.from_huawei_json(
        {"front": {"name": "x", "text_location": {"name": quad}},
         "back": {"name": "x", "text_location": {"name": quad}}})
    double.scale_locations(0.5)
    assert double.front.text_location["name"][2] == [15.0, 20.0]
    assert double.back.text_location["name"][0] == [5.0, 10.0]


def test_page_side_from_the_keys_a_result_holds():
    assert page_side(FRONT) is Side.FRONT
    assert page_side(BACK) is Side.BACK
    assert page_side({"number": "x", "name": "y"}) is Side.FRONT  # the API's default page
    assert page_side({**BACK, "sex": "男"}) is Side.FRONT
    assert page_side({"record": None, "number": "x"}) is Side.FRONT  # only text fields count
