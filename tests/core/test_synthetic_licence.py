"""The synthetic licence generator (tests/synthetic/licence.py): deterministic, valid ground
truth, boxes that follow the card through every degradation, and files marked synthetic."""

from __future__ import annotations

import json
import random
import re
from datetime import date

import cv2
import numpy as np
import pytest

from dlscan_gui.core.findings import Level
from dlscan_gui.core.schema import OPEN_ENDED, Side
from dlscan_gui.core.validate import parse_class, validate_page
from tests.synthetic import artwork, people
from tests.synthetic.licence import (
    MARKER,
    SIDES,
    make_dataset,
    make_sample,
    plan,
    save_sample,
)

FRONT_KEYS = ["number", "name", "sex", "nationality", "address", "birth", "issue_date", "class",
              "valid_from", "valid_to", "issuing_authority"]
BACK_KEYS = ["number", "name", "file_number", "record"]


def _licence(seed: int, layout: str) -> people.Licence:
    # The same person make_sample draws for this seed and layout.
    return people.random_licence(random.Random(f"{seed}:person"),
                                 allow_open_ended=layout == "new")


def _errors(fields: dict, side: Side, today: date) -> list[str]:
    return [f.code for f in validate_page(fields, side, today=today) if f.level is Level.ERROR]


def _gb2312(text: str) -> bool:
    try:
        text.encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def test_same_seed_gives_identical_bytes_and_truth():
    a = make_sample(11, side="front", level="moderate")
    b = make_sample(11, side="front", level="moderate")
    assert a.jpeg == b.jpeg and np.array_equal(a.image, b.image)
    assert a.truth == b.truth
    assert a.field_boxes.keys() == b.field_boxes.keys()
    assert all(np.array_equal(a.field_boxes[k], b.field_boxes[k]) for k in a.field_boxes)
    assert make_sample(12, side="front", level="moderate").truth != a.truth


@pytest.mark.parametrize("layout", ["new", "old"])
def test_truth_is_valid_for_its_today(layout):
    for seed in range(50):
        lic = _licence(seed, layout)
        front, back = lic.front_truth(), lic.back_truth()
        assert list(front) == FRONT_KEYS and list(back) == BACK_KEYS
        assert _errors(front, Side.FRONT, lic.today) == [], (seed, front)
        assert _errors(back, Side.BACK, lic.today) == [], (seed, back)
        assert front["number"] == back["number"] and front["name"] == back["name"]
        # Sex agrees with the sequence digit; the number carries the birth date.
        assert int(front["number"][16]) % 2 == (front["sex"] == "男")
        assert front["number"][6:14] == front["birth"].replace("-", "")
        assert front["nationality"] == "中国"
        parse_class(front["class"])

        start = date.fromisoformat(front["valid_from"])
        issued = date.fromisoformat(front["issue_date"])
        assert issued <= start <= lic.today
        if front["valid_to"] == OPEN_ENDED:
            assert layout == "new", "the old layout never says 长期"
            assert (start - issued).days >= 12 * 365
        else:
            end = date.fromisoformat(front["valid_to"])
            assert end in (people.add_years(start, 6), people.add_years(start, 10))
            assert lic.today < end

        assert re.fullmatch(r"[0-9]{12}", back["file_number"])
        assert back["record"] == "".join(lic.record)
        for line in lic.record:
            m = re.search(r"请于(\d{4})年(\d\d)月(\d\d)日前九十日内", line)
            if m:
                assert front["valid_to"] == f"{m[1]}-{m[2]}-{m[3]}"
        for value in (*front.values(), *back.values()):
            assert _gb2312(value), value


def test_every_printed_string_is_gb2312():
    # Labels and titles are literals; check the vocabularies people are built from as well.
    words = [people.SURNAMES, people.GIVEN, *people.COMPOUND_SURNAMES, *people.PLACE,
             *(p + "".join(c for _, c in cities) for _, p, cities in people.PROVINCES)]
    assert all(_gb2312(w) for w in words)
    # The painter refuses anything else (the bundled fonts have nothing else).
    from tests.synthetic import render

    page = render.Image.new("RGB", (40, 40))
    with pytest.raises(AssertionError):
        render._Painter(page, 1.0).text(0, 10, "驾驶证€", "sans", 3, (0, 0, 0))


def test_sample_truth_matches_its_person_and_side():
    s = make_sample(5, side="double_side", level="flat")
    lic = _licence(5, s.layout)
    assert s.truth == {"front": lic.front_truth(), "back": lic.back_truth()}
    assert s.today == lic.today
    assert len(s.page_corners) == 2
    assert {k.split(".")[0] for k in s.field_boxes} == {"front", "back"}
    back = make_sample(5, side="back", level="flat")
    assert back.truth == lic.back_truth() and "address" not in back.truth


def _gray_mean(gray: np.ndarray, quad: np.ndarray) -> float:
    mask = np.zeros(gray.shape, np.uint8)
    cv2.fillPoly(mask, [np.round(quad).astype(np.int32)], 255)
    return float(gray[mask > 0].mean())


@pytest.mark.parametrize("level", ["flat", "moderate"])
@pytest.mark.parametrize("side", SIDES)
def test_boxes_and_corners_follow_the_card(level, side):
    s = make_sample(21, side=side, level=level)
    h, w = s.image.shape[:2]
    gray = cv2.cvtColor(s.image, cv2.COLOR_BGR2GRAY)
    for corners in s.page_corners:
        assert corners.shape == (4, 2)
        assert (corners >= 0).all() and (corners[:, 0] < w).all() and (corners[:, 1] < h).all()
    expected = {"front": set(FRONT_KEYS), "back": set(BACK_KEYS)}
    for key, quad in s.field_boxes.items():
        page = 0 if side != "double_side" or key.startswith("front.") else 1
        corners = s.page_corners[page]
        # The paper around the text: the page's median (most of a page is background).
        mask = np.zeros(gray.shape, np.uint8)
        cv2.fillPoly(mask, [np.round(corners).astype(np.int32)], 255)
        paper = float(np.median(gray[mask > 0]))
        inside = _gray_mean(gray, quad)
        assert inside < paper - 12, (key, inside, paper)
        for x, y in quad:  # the box lies on its page
            assert cv2.pointPolygonTest(corners.reshape(-1, 1, 2), (float(x), float(y)), True) > -2
    keys = {k.split(".")[-1] for k in s.field_boxes}
    wanted = expected.get(side, expected["front"] | expected["back"])
    # An empty record has no box; every other field has one.
    assert wanted - keys <= {"record"}


def test_choices_cover_layouts_seals_and_sides():
    plans = [plan(seed) for seed in range(60)]
    assert {p[0] for p in plans} == set(SIDES)
    assert {p[1] for p in plans} == {"new", "old"}
    assert {p[2] for p in plans} == {"square", "round"}


def test_hard_level_turns_the_card():
    # Small pages keep this fast; only the quarter turns are looked at.
    turns = {make_sample(seed, side="front", level="hard", px_per_mm=3).rotation
             for seed in range(16)}
    assert {90, 180, 270} <= turns
    assert 0 in turns
    assert {make_sample(seed, side="back", level="moderate", px_per_mm=3).rotation
            for seed in range(4)} == {0}


def test_rotated_corners_keep_page_order():
    for seed in range(16):
        s = make_sample(seed, side="front", level="hard", px_per_mm=3)
        if s.rotation == 180:
            tl, tr, _br, bl = s.page_corners[0]
            # Upside down: the page's top-left corner is now at the bottom right.
            assert tl[1] > bl[1] and tl[0] > tr[0]
            return
    pytest.fail("no 180° sample among the seeds")


def test_dataset_and_saved_files(tmp_path):
    samples = list(make_dataset(3, start_seed=40, levels=("flat",), sides=("back",)))
    assert [s.seed for s in samples] == [40, 41, 42]
    assert {(s.level, s.side) for s in samples} == {("flat", "back")}

    path = save_sample(samples[0], tmp_path)
    assert path.name == "synthetic-back-flat-40.jpg"
    data = path.read_bytes()
    assert data[:2] == b"\xff\xd8" and data[2:4] == b"\xff\xfe"  # COM right after SOI
    assert MARKER in data[:200] and b"synthetic" in MARKER
    decoded = cv2.imdecode(np.frombuffer(data, np.uint8), cv2.IMREAD_COLOR)
    assert np.array_equal(decoded, samples[0].image)
    meta = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    assert meta["synthetic"] is True and meta["truth"] == samples[0].truth
    assert meta["image"] == path.name and len(meta["page_corners"]) == 1

    named = save_sample(samples[1], tmp_path, stem="counter")
    assert "synthetic" in named.name and named.with_suffix(".json").exists()


def test_fonts_are_the_bundled_ones():
    for kind in artwork.FONT_FILES:
        f = artwork.font(kind, 30)
        assert f.getlength("驾驶证") > 60  # the CJK glyphs are there
