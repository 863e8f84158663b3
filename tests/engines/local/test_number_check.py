"""The ID number read again where its check digit fails (engines/local/number_check.py)."""

from __future__ import annotations

from dlscan_gui.core.imaging import load_image
from dlscan_gui.engines.local import number_check
from dlscan_gui.engines.local.page_reading import REPAIRED_CONFIDENCE
from dlscan_gui.engines.local.repair import id_number_plausible
from tests.synthetic.licence import make_sample


def test_candidates_are_one_character_away_and_pass_the_check():
    read = "441921199305095091"  # 8 read as 5: the check digit fails
    assert not id_number_plausible(read)
    away = number_check._one_away(read)
    assert "441921199305098091" in away
    assert all(sum(a != b for a, b in zip(c, read, strict=True)) == 1 for c in away)
    assert number_check._as_read("44192119930509509l") == "441921199305095091"
    assert number_check._as_read("4419211993050950") is None  # not 18 characters


def test_a_number_with_one_digit_misread_is_put_right_from_its_crop(local_engine):
    # Seed 60028 (hard back page, upside down): one digit misread, the check digit failed
    # and the number was left out.
    generated = make_sample(60028, side="back", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("number") == generated.truth["number"]
    # A repaired value says so in its confidence.
    assert result.confidence["number"] <= REPAIRED_CONFIDENCE
