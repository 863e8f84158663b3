"""Birth, sex and nationality from the licence number where the print could not be read."""

from __future__ import annotations

from dlscan_gui.core.findings import Finding
from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.schema import Side
from dlscan_gui.core.validate import id_check_digit
from dlscan_gui.engines.local.cross_check import from_number as from_front_number
from dlscan_gui.engines.local.derived import CODE, from_number
from dlscan_gui.engines.local.page_reading import PageReading
from tests.synthetic.licence import make_sample


def test_values_come_from_a_number_that_passes_its_check():
    number = "50010319840504567X"  # 17th digit 7: a man
    assert from_number(number, {"birth", "sex", "nationality"}) == {
        "birth": "1984-05-04", "sex": "男", "nationality": "中国"}
    assert from_number("440116195102255081", {"sex"}) == {"sex": "女"}
    assert from_number(number, set()) == {}  # only what is missing


def test_nothing_from_a_number_that_fails_or_is_a_foreigners_card():
    assert from_number("500103198405045671", {"sex", "birth"}) == {}  # check digit fails
    assert from_number(None, {"sex"}) == {}
    # A foreigner's permanent residence card (9…) says nothing about nationality.
    foreign = "9" + "50010319840504567X"[1:17]
    foreign += id_check_digit(foreign)
    assert "nationality" not in from_number(foreign, {"nationality", "sex"})


def _front(number: str, nationality: str) -> PageReading:
    reading = PageReading(page=None, lines=[], side=Side.FRONT)  # type: ignore[arg-type]
    reading.fields.update(number=number, nationality=nationality, birth="1984-05-04", sex="男")
    reading.confidence.update(number=0.9, nationality=0.8, birth=0.9, sex=0.9)
    return reading


def test_a_misread_nationality_beside_a_citizens_number_is_china_with_a_warning():
    reading = _front("50010319840504567X", "国中")  # 中国 read backwards off a blurred row
    from_front_number(reading)
    assert reading.fields["nationality"] == "中国"
    assert [n.field for n in reading.notes if n.code == CODE] == ["nationality"]


def test_a_foreigners_nationality_is_kept_as_read():
    foreign = "9" + "50010319840504567X"[1:17]
    reading = _front(foreign + id_check_digit(foreign), "美国")
    from_front_number(reading)
    assert reading.fields["nationality"] == "美国"
    assert not reading.notes


def test_a_name_row_that_did_not_read_gets_sex_and_nationality_with_a_warning(local_engine):
    # Seed 60033 (hard): the name row read as "作势中国"; the number read well.
    generated = make_sample(60033, side="front", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("sex") == generated.truth["sex"]
    assert result.get("nationality") == "中国"
    notes = [Finding.from_json(w) for w in result.extras.get("warnings", [])]
    derived = {n.field for n in notes if n.code == CODE}
    assert {"sex", "nationality"} <= derived
    assert all("证号" in n.message.zh for n in notes if n.code == CODE)
