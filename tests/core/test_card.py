"""card.locate_card on synthetic photos (decoded through load_image) and on non-cards."""

from __future__ import annotations

import cv2
import numpy as np
import pytest

from dlscan_gui.core.card import CardLocation, locate_card
from dlscan_gui.core.imaging import load_image
from tests.synthetic.photos import make_card_scan, make_phone_photo

W, H = 1600, 1200  # small photos keep the tests fast; the algorithm works at 640 px anyway


def corner_error(found: CardLocation, truth: np.ndarray, card_width: float) -> float:
    """Largest corner distance as a fraction of the card width (corner order matters)."""
    return float(np.linalg.norm(found.corners - truth, axis=1).max() / card_width)


def polygon_area(pts: np.ndarray) -> float:
    return float(cv2.contourArea(pts.astype(np.float32)))


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"card_fraction": 0.35},
        {"card_fraction": 0.8},
        {"glare": True},
        {"brightness": 0.4},
        {"grayscale": True},
        {"blur": 3.0},
    ],
    ids=["plain", "small", "large", "glare", "dark", "photocopy", "blurred"],
)
@pytest.mark.parametrize("seed", [11, 12])
def test_card_found_with_accurate_corners(kwargs, seed):
    photo = make_phone_photo(seed, width=W, height=H, **kwargs)
    image = load_image(photo.jpeg)
    found = locate_card(image.pixels)
    assert found is not None
    assert found.corners.shape == (4, 2) and found.corners.dtype == np.float32
    assert corner_error(found, photo.card_corners, photo.card_width_px) < 0.02
    truth_coverage = polygon_area(photo.card_corners) / (W * H)
    assert found.coverage == pytest.approx(truth_coverage, rel=0.05)
    assert not found.touches_border
    assert not found.double_page
    assert found.page_width == pytest.approx(photo.card_width_px, rel=0.03)


def test_corners_are_tl_tr_br_bl():
    found = locate_card(load_image(make_phone_photo(3, width=W, height=H).jpeg).pixels)
    assert found is not None
    tl, tr, br, bl = found.corners
    assert tl[0] < tr[0] and bl[0] < br[0]  # left of right
    assert tl[1] < bl[1] and tr[1] < br[1]  # above below


def test_double_page_booklet():
    photo = make_phone_photo(5, width=W, height=H, card_fraction=0.85, double_page=True)
    found = locate_card(load_image(photo.jpeg).pixels)
    assert found is not None
    assert corner_error(found, photo.card_corners, photo.card_width_px) < 0.02
    assert found.double_page and 2.6 < found.aspect < 3.3
    assert found.page_width == pytest.approx(photo.card_width_px / 2, rel=0.03)


def test_portrait_photo():
    photo = make_phone_photo(6, width=W, height=H)
    pixels = cv2.rotate(load_image(photo.jpeg).pixels, cv2.ROTATE_90_CLOCKWISE)
    found = locate_card(pixels)
    assert found is not None
    # Rotating clockwise maps (x, y) to (H - 1 - y, x) and the card's TL to the TR slot.
    truth = np.stack([H - 1 - photo.card_corners[:, 1], photo.card_corners[:, 0]], axis=1)
    truth = np.roll(truth, 1, axis=0)
    assert corner_error(found, truth, photo.card_width_px) < 0.02
    assert found.height > found.width  # the card stands upright in the frame
    assert found.page_width == pytest.approx(photo.card_width_px, rel=0.03)


@pytest.mark.parametrize("shift", [(0.22, 0.0), (0.0, 0.3), (-0.22, 0.05)])
def test_cut_off_card_touches_border(shift):
    photo = make_phone_photo(7, width=W, height=H, card_fraction=0.7, shift=shift)
    found = locate_card(load_image(photo.jpeg).pixels)
    assert found is not None
    assert found.touches_border


def test_grayscale_input_array():
    pixels = load_image(make_phone_photo(8, width=W, height=H).jpeg).pixels
    found = locate_card(cv2.cvtColor(pixels, cv2.COLOR_BGR2GRAY))
    assert found is not None and found.coverage > 0.2


def test_full_resolution_photo():
    photo = make_phone_photo(9)  # 4000×3000
    found = locate_card(load_image(photo.jpeg).pixels)
    assert found is not None
    assert corner_error(found, photo.card_corners, photo.card_width_px) < 0.02


def test_nothing_card_like():
    rng = np.random.default_rng(0)
    noise = rng.integers(0, 256, (H, W, 3), np.uint8)
    assert locate_card(noise) is None
    assert locate_card(cv2.GaussianBlur(noise, (0, 0), 6)) is None
    assert locate_card(np.full((H, W, 3), 128, np.uint8)) is None
    assert locate_card(np.full((480, 640), 255, np.uint8)) is None


def test_wrong_shapes_are_not_cards():
    canvas = np.full((H, W, 3), 60, np.uint8)
    cv2.circle(canvas, (800, 600), 400, (230, 230, 230), -1)  # round
    assert locate_card(canvas) is None
    canvas = np.full((H, W, 3), 60, np.uint8)
    cv2.rectangle(canvas, (200, 500), (1400, 620), (230, 230, 230), -1)  # a 10:1 strip
    assert locate_card(canvas) is None


def test_scaled_location():
    found = CardLocation(np.float32([[1, 2], [5, 2], [5, 4], [1, 4]]), 0.3, False)
    twice = found.scaled(2.0)
    np.testing.assert_allclose(twice.corners, found.corners * 2)
    assert twice.coverage == 0.3 and twice.width == pytest.approx(8.0)
    assert found.aspect == pytest.approx(2.0) and not found.double_page


def test_tight_scan_is_the_whole_frame():
    # A scan cropped to the card has no outline to find; its photo box must not pass for the
    # card: the frame is the card.
    for scan in (make_card_scan(4, width=1200), make_card_scan(5, width=1800, double_page=True)):
        pixels = load_image(scan.png).pixels
        found = locate_card(pixels)
        assert found is not None
        assert found.coverage == 1.0 and not found.touches_border
        assert found.width == pytest.approx(pixels.shape[1] - 1)


def test_card_shaped_frames_that_are_not_scans():
    rng = np.random.default_rng(1)
    assert locate_card(rng.integers(0, 256, (1000, 1467, 3), np.uint8)) is None
    dark_desk = np.full((1000, 1467, 3), 70, np.uint8)
    assert locate_card(dark_desk) is None


# ---------------------------------------------------------------------------- rectification
def test_rectified_page_maps_back_to_the_card_corners():
    from dlscan_gui.core.card import PAGE_SIZE, rectify_pages

    photo = make_phone_photo(1005)
    pixels = cv2.imdecode(np.frombuffer(photo.jpeg, np.uint8), cv2.IMREAD_COLOR)
    location = locate_card(pixels)
    [page] = rectify_pages(pixels, location)
    w, h = PAGE_SIZE
    assert page.image.shape == (h, w, 3)
    corners = page.map_to_original(np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]]))
    assert np.abs(corners - photo.card_corners).max() < 0.01 * photo.width
    flipped = page.rotated_180()
    assert np.allclose(flipped.map_to_original(np.float32([[0, 0]])), corners[2], atol=1.0)
    assert np.array_equal(flipped.image, cv2.rotate(page.image, cv2.ROTATE_180))


def test_portrait_card_and_double_page_quads():
    from dlscan_gui.core.card import page_quads

    portrait = CardLocation(np.float32([[0, 0], [60, 0], [60, 88], [0, 88]]), 0.5, False)
    [quad] = page_quads(portrait)
    assert np.linalg.norm(quad[1] - quad[0]) == 88  # the long side is now the top edge
    booklet = CardLocation(np.float32([[0, 0], [176, 0], [176, 60], [0, 60]]), 0.5, False)
    left, right = page_quads(booklet)
    assert np.allclose(left, [[0, 0], [88, 0], [88, 60], [0, 60]])
    assert np.allclose(right, [[88, 0], [176, 0], [176, 60], [88, 60]])


def test_booklet_held_at_a_slant_is_found():
    """An opened booklet photographed at an angle: a trapezoid with corners near 55° (a real
    hard-level sample lost both pages' fields when this was refused)."""
    canvas = np.full((H, W, 3), (70, 120, 80), np.uint8)  # a green counter mat
    corners = np.float32([[300, 380], [1450, 300], [1500, 760], [660, 840]])
    cv2.fillConvexPoly(canvas, corners.astype(np.int32), (235, 238, 240))
    u, v = corners[3] - corners[0], corners[1] - corners[0]
    angle = np.degrees(np.arccos(u @ v / (np.linalg.norm(u) * np.linalg.norm(v))))
    assert 52 < angle < 60  # outside the 60–120° that used to be allowed
    found = locate_card(canvas)
    assert found is not None
    assert float(np.linalg.norm(found.corners - corners, axis=1).max()) < 12


def test_a_parallelogram_far_from_any_card_view_is_not_a_card():
    canvas = np.full((H, W, 3), 60, np.uint8)
    corners = np.int32([[200, 500], [900, 500], [1400, 900], [700, 900]])  # 39° corners
    cv2.fillConvexPoly(canvas, corners, (230, 230, 230))
    assert locate_card(canvas) is None
