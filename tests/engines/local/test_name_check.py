"""The surname and given-name re-checks (engines/local/name_check.py)."""

from __future__ import annotations

import numpy as np
import pytest

from dlscan_gui.core.imaging import load_image
from dlscan_gui.engines.local.given_names import COMMON_GIVEN
from dlscan_gui.engines.local.name_check import recheck_given_name, recheck_surname
from dlscan_gui.engines.local.surnames import DOUBLE_SURNAMES, SINGLE_SURNAMES, has_known_surname
from tests.synthetic import people
from tests.synthetic.licence import make_dataset, make_sample
from tests.synthetic.people import COMPOUND_SURNAMES, GIVEN, SURNAMES

# A blank page and a name's box on it: for checks that must not read anything.
PAGE = np.full((600, 880, 3), 240, np.uint8)
QUAD = np.float32([[200, 190], [330, 190], [330, 230], [200, 230]])


class NoOcr:
    def frame_log_probs(self, crops):
        raise AssertionError("a name that needs no second look was read again")


@pytest.mark.parametrize("name", ["王伟", "欧阳明", "覃瑞德", "时教兴"])
def test_a_name_with_a_surname_is_left_alone(name):
    assert recheck_surname(PAGE, QUAD, name, NoOcr()) is None  # type: ignore[arg-type]


def test_the_surname_list_is_broad():
    # The generator's surnames are the commonest hundred; the engine knows several hundred.
    assert set(SURNAMES) <= SINGLE_SURNAMES and set(COMPOUND_SURNAMES) <= DOUBLE_SURNAMES
    assert len(SINGLE_SURNAMES) > 350
    assert not has_known_surname("翠瑞德") and not has_known_surname("禁敏")


def test_a_surname_misread_as_no_surname_is_put_right(local_engine):
    # Seed 30116 (hard back page): the line read 翠瑞德; the name's own crop reads 覃瑞德.
    generated = make_sample(30116, side="back", level="hard")
    result = local_engine.recognize(load_image(generated.jpeg))
    assert result.get("name") == generated.truth["name"] == "覃瑞德"


@pytest.mark.parametrize(("seed", "misread"), [(74236, "影伟民"), (76142, "问霞")])
def test_a_reading_with_no_surname_is_a_priori_unlikely(local_engine, seed, misread):
    # Hard photos whose name crops score the misread a little above the true surname (影 over
    # 彭: posterior 0.92 against 0.07); no family name uses 影 or 问, and the prior settles it.
    generated = next(make_dataset(1, start_seed=seed, levels=("hard",)))
    result = local_engine.recognize(load_image(generated.jpeg))
    names = [page.get("name") for _side, page in result.pages()]
    truth = generated.truth.get("front", generated.truth)["name"]
    assert names and set(names) == {truth} and misread[1:] == truth[1:]


@pytest.mark.parametrize("name", ["王伟", "欧阳明", "孙佳轩", "翠瑞德"])
def test_a_given_name_of_common_characters_is_left_alone(name):
    # (翠瑞德 has no known surname: that is the surname check's to settle.)
    assert recheck_given_name(PAGE, QUAD, name, NoOcr()) is None  # type: ignore[arg-type]


def test_the_given_name_list_is_broad():
    # The generator writes given names with some 170 characters; the engine knows over 400.
    assert set(GIVEN) <= COMMON_GIVEN and len(COMMON_GIVEN) > 400
    assert not {"用", "品", "制", "面", "域"} & COMMON_GIVEN


def test_an_uncommon_given_name_character_is_put_right(local_engine):
    # Seed 79077 (hard): the line read 万建用; 用 is in few given names, and the name's crop,
    # read again against the common ones, shows 翔.
    generated = next(make_dataset(1, start_seed=79077, levels=("hard",)))
    result = local_engine.recognize(load_image(generated.jpeg))
    names = [page.get("name") for _side, page in result.pages()]
    truth = generated.truth.get("front", generated.truth)["name"]
    assert names and set(names) == {truth} == {"万建翔"}


def test_a_rare_given_name_printed_clearly_is_kept(local_engine, monkeypatch):
    # Real names use characters outside the list too: the check weighs no prior against them.
    monkeypatch.setattr(people, "GIVEN", ("珏", "笙", "骁"))
    for seed in (4100, 4101, 4102):
        generated = make_sample(seed, side="back", level="moderate")
        name = generated.truth["name"]
        assert set(name[-1]) <= {"珏", "笙", "骁"}
        assert local_engine.recognize(load_image(generated.jpeg)).get("name") == name


def test_a_line_is_cut_again_exactly_as_it_was_read():
    from rapidocr.utils.process_img import get_rotate_crop_image

    from dlscan_gui.engines.local.page_geometry import line_crop, print_only

    rng = np.random.default_rng(3)
    page = rng.integers(0, 256, (600, 880, 3), dtype=np.uint8)
    quad = np.float32([[201.4, 190.2], [331.7, 193.9], [330.2, 231.5], [199.8, 228.1]])
    as_read = get_rotate_crop_image(print_only(page), quad.copy())  # OcrRunner.read_quads
    cut = line_crop(page, quad)
    assert cut is not None and cut.shape == as_read.shape
    # The same pixels, but for the warp's rounding (the box is moved to the cut's corner).
    assert np.abs(cut.astype(int) - as_read.astype(int)).max() <= 1
    assert line_crop(page, np.float32([[10, 10], [12, 10], [12, 40], [10, 40]])) is None
