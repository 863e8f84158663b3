"""Birth, sex and nationality from the licence number where the print could not be read."""

from __future__ import annotations

from dlscan_gui.core.findings import Finding
from dlscan_gui.core.imaging import load_image
from dlscan_gui.core.validate import id_check_digit
from dlscan_gui.engines.local.derived import CODE, from_number
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
