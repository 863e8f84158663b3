"""precheck: API limits, quality warnings and the fitted upload, on images decoded from real
files (synthetic photos, OpenCV- and Pillow-written images)."""

from __future__ import annotations

import io

import cv2
import numpy as np
import pytest
from PIL import Image

from dlscan_gui.core.findings import Level
from dlscan_gui.core.imaging import base64_size, decode_image, load_image
from dlscan_gui.core.precheck import MAX_BASE64, MESSAGES, PrecheckReport, precheck
from tests.synthetic.licence import make_sample
from tests.synthetic.photos import MARKER, make_card_scan, make_phone_photo

W, H = 2000, 1500
QUALITY_CODES = {
    "image.blurred",
    "image.dark",
    "image.overexposed",
    "image.glare",
    "image.card_small",
    "image.card_cut_off",
    "image.no_card",
    "image.grayscale",
}


def check(photo_kwargs: dict, seed: int = 21, **kw) -> PrecheckReport:
    photo = make_phone_photo(seed, width=W, height=H, **photo_kwargs)
    return precheck(load_image(photo.jpeg), **kw)


def assert_sendable(report: PrecheckReport, target: int = 1_000_000) -> None:
    up = report.upload
    assert report.can_send and up is not None and not report.errors
    assert 0 < up.scale <= 1.0
    assert min(up.image.width, up.image.height) >= 100
    assert max(up.image.width, up.image.height) <= 8000
    assert up.upload_bytes == len(up.image.data) <= target
    assert up.base64_bytes == base64_size(up.upload_bytes) <= MAX_BASE64
    again = decode_image(up.image.data)  # the bytes we send decode to what we say
    assert (again.width, again.height) == (up.image.width, up.image.height)
    assert up.image.format in ("jpeg", "png", "bmp", "tiff")


@pytest.fixture(scope="module")
def phone_12mp():
    return make_phone_photo(31)  # 4000×3000, card 60% of the width


@pytest.fixture(scope="module")
def good_report() -> PrecheckReport:
    return check({})


# ---------------------------------------------------------------------------- limits
def test_tiny_image_is_an_error(tmp_path):
    path = tmp_path / "tiny.png"
    cv2.imwrite(str(path), np.full((60, 80, 3), 200, np.uint8))
    report = precheck(load_image(path))
    assert [f.code for f in report.errors] == ["image.too_small"]
    assert report.errors[0].level is Level.ERROR
    assert report.upload is None and not report.can_send


def test_long_narrow_image_that_cannot_fit_is_an_error():
    strip = cv2.imencode(".png", np.full((120, 12000, 3), 200, np.uint8))[1].tobytes()
    report = precheck(load_image(strip))
    assert [f.code for f in report.errors] == ["image.too_narrow"]
    assert report.upload is None


def test_long_strip_keeps_the_minimum_short_side():
    strip = np.random.default_rng(8).integers(0, 255, (200, 8001, 3), np.uint8)
    report = precheck(load_image(cv2.imencode(".png", strip)[1].tobytes()))
    assert_sendable(report)
    assert report.upload.image.height >= 100 and report.upload.image.width <= 8000


def test_over_8000_px_is_fitted_within_limits():
    photo = make_phone_photo(41, width=9000, height=3000, card_fraction=0.3)
    report = precheck(load_image(photo.jpeg))
    assert_sendable(report)
    up = report.upload
    assert up.reencoded and up.scale < 1
    assert max(up.image.width, up.image.height) <= 8000
    assert photo.text_height_px * up.scale >= 20


def test_12mp_phone_photo_uploads_small_and_legible(phone_12mp):
    assert MARKER in phone_12mp.jpeg[:64]  # the photo says it is synthetic
    assert len(phone_12mp.jpeg) > 2_000_000  # and is as big as a real phone photo
    report = precheck(load_image(phone_12mp.jpeg))
    assert_sendable(report)
    up = report.upload
    assert up.reencoded and up.image.format == "jpeg"
    assert up.image.data[:3] == b"\xff\xd8\xff"
    assert MARKER not in up.image.data  # metadata (here: the COM marker) is stripped
    assert up.upload_bytes <= 1_000_000
    assert up.original_bytes == len(phone_12mp.jpeg) > 4 * up.upload_bytes
    assert phone_12mp.text_height_px * up.scale >= 20
    assert max(up.image.width, up.image.height) <= 2400
    # The estimate the fitting used agrees with the text as drawn.
    assert report.metrics.text_height_px == pytest.approx(phone_12mp.text_height_px, rel=0.05)
    assert not report.warnings


def test_small_card_in_12mp_keeps_text_legible():
    photo = make_phone_photo(32, card_fraction=0.35)
    report = precheck(load_image(photo.jpeg))
    assert_sendable(report)
    assert photo.text_height_px * report.upload.scale >= 22


def test_small_jpeg_within_limits_is_sent_untouched(tmp_path):
    photo = make_phone_photo(51, width=1280, height=960, card_fraction=0.8)
    image = load_image(photo.save(tmp_path))
    assert "synthetic" in image.name
    report = precheck(image)
    assert_sendable(report)
    up = report.upload
    assert not up.reencoded and up.scale == 1.0
    assert up.image is image and up.image.data == photo.jpeg
    assert up.original_bytes == up.upload_bytes == len(photo.jpeg)
    assert not report.notes


def test_small_png_scan_is_sent_as_it_is(tmp_path):
    scan = make_card_scan(52, width=1000)
    image = load_image(scan.save(tmp_path))
    assert image.format == "png" and len(scan.png) < 1_000_000
    report = precheck(image)
    assert_sendable(report)
    assert not report.upload.reencoded and report.upload.image is image
    # The frame is the card: no card warnings, and the text estimate uses the whole width.
    assert report.warnings == []
    assert report.metrics.card_coverage == 1.0
    assert report.metrics.text_height_px == pytest.approx(scan.text_height_px, rel=0.02)


def test_rotated_jpeg_is_reencoded_upright():
    exif = Image.Exif()
    exif[274] = 6
    rgb = Image.fromarray(np.full((600, 800, 3), 180, np.uint8))
    out = io.BytesIO()
    rgb.save(out, "JPEG", exif=exif)
    report = precheck(load_image(out.getvalue()))
    assert_sendable(report)
    up = report.upload
    assert up.reencoded and up.scale == 1.0
    assert (up.image.width, up.image.height) == (600, 800)
    assert decode_image(up.image.data).orientation == 1
    assert [n.code for n in report.notes] == ["image.reencoded"]


def test_tight_byte_target_steps_quality_then_size(phone_12mp):
    image = load_image(phone_12mp.jpeg)
    loose = precheck(image).upload
    tight = precheck(image, target_bytes=120_000).upload
    assert tight.upload_bytes < loose.upload_bytes
    assert tight.quality is not None and tight.quality < 90
    # Never below the text-height floor to save bytes.
    assert phone_12mp.text_height_px * tight.scale >= 19.5


def test_never_upscaled():
    for data in (
        cv2.imencode(".png", np.full((150, 200, 3), 128, np.uint8))[1].tobytes(),
        make_phone_photo(61, width=640, height=480).jpeg,
        make_phone_photo(62, width=1600, height=1200, card_fraction=0.25).jpeg,
    ):
        report = precheck(load_image(data))
        assert report.upload is not None and report.upload.scale <= 1.0
        assert report.upload.image.width <= load_image(data).width


def test_downscale_is_a_note_not_a_warning(phone_12mp):
    report = precheck(load_image(phone_12mp.jpeg))
    assert "image.downscaled" not in report.codes()
    assert [n.code for n in report.notes] == ["image.downscaled"]
    assert "×" in report.notes[0].message.zh and "JPEG" in report.notes[0].message.en


def test_grayscale_source_is_encoded_single_channel():
    photo = make_phone_photo(63, width=3000, height=2000)
    gray = cv2.cvtColor(load_image(photo.jpeg).pixels, cv2.COLOR_BGR2GRAY)
    png = cv2.imencode(".png", gray)[1].tobytes()
    report = precheck(load_image(png))
    assert report.metrics.grayscale and "image.grayscale" in report.codes()
    assert report.upload.reencoded
    assert decode_image(report.upload.image.data).source_grayscale


# ---------------------------------------------------------------------------- quality
def test_good_photo_has_no_warnings(good_report):
    assert good_report.warnings == [] and good_report.errors == []
    m = good_report.metrics
    assert m.card_coverage == pytest.approx(0.33, abs=0.05)
    assert m.blur > 100 and 150 < m.brightness < 230
    assert m.glare == 0 and not m.grayscale and m.overexposed < 0.05


@pytest.mark.parametrize(
    ("kwargs", "code"),
    [
        ({"blur": 5.0}, "image.blurred"),
        ({"brightness": 0.35}, "image.dark"),
        ({"brightness": 1.4}, "image.overexposed"),
        ({"glare": True}, "image.glare"),
        ({"grayscale": True}, "image.grayscale"),
        ({"card_fraction": 0.2}, "image.card_small"),
        ({"card_fraction": 0.7, "shift": (0.22, 0.0)}, "image.card_cut_off"),
    ],
)
def test_each_problem_gives_its_warning(kwargs, code, good_report):
    report = check(kwargs)
    assert code in report.codes()
    assert code not in good_report.codes()
    # Each problem is reported for itself, not as a shower of unrelated warnings.
    assert report.codes() & QUALITY_CODES == {code}
    finding = next(f for f in report.warnings if f.code == code)
    assert finding.level is Level.WARNING and finding.message == MESSAGES[code]
    assert report.can_send  # warnings never block sending


def test_blur_is_measured_relative_to_the_card_not_the_resolution():
    low = precheck(load_image(make_phone_photo(71, width=1200, height=900).jpeg))
    high = precheck(load_image(make_phone_photo(71, width=4000, height=3000).jpeg))
    assert "image.blurred" not in low.codes() | high.codes()
    assert 0.5 < low.metrics.blur / high.metrics.blur < 2.0
    blurred = precheck(load_image(make_phone_photo(71, width=4000, height=3000, blur=10).jpeg))
    assert "image.blurred" in blurred.codes()
    assert blurred.metrics.blur < high.metrics.blur / 4


def test_no_card_found():
    rng = np.random.default_rng(5)
    noise = cv2.GaussianBlur(rng.integers(0, 256, (900, 1600, 3), np.uint8), (0, 0), 2)
    report = precheck(load_image(cv2.imencode(".jpg", noise)[1].tobytes()))
    assert report.metrics.card_coverage is None and report.metrics.card is None
    assert "image.no_card" in report.codes()
    assert report.metrics.text_height_px == pytest.approx(0.034 * 1600)


def test_messages_are_bilingual_and_say_what_to_do():
    for code, message in MESSAGES.items():
        assert message.zh and message.en, code
        assert any("\u4e00" <= ch <= "\u9fff" for ch in message.zh), code
    assert "靠近" in MESSAGES["image.card_small"].zh
    assert "closer" in MESSAGES["image.card_small"].en.lower()


def test_report_json_ready(good_report):
    report = check({"glare": True})
    as_json = [f.to_json() for f in report.findings]
    assert as_json and all(j["level"] == "warning" for j in as_json)


def test_a_pale_back_page_on_a_scanner_is_not_called_a_photocopy():
    """A back page with no red print has hardly any chroma spread; its tint against the
    neutral scanner lid shows it is in colour (these were false photocopy warnings on about
    one flat scan in eight)."""
    for seed in (90001, 90007, 90011):  # each one of those false alarms before
        sample = make_sample(seed, side="back", level="flat")
        assert "image.grayscale" not in precheck(load_image(sample.jpeg)).codes()
        # The same scan as a photocopy (colour dropped, stored as a colour JPEG) is still one.
        gray = cv2.cvtColor(cv2.cvtColor(sample.image, cv2.COLOR_BGR2GRAY), cv2.COLOR_GRAY2BGR)
        ok, data = cv2.imencode(".jpg", gray, [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        copy = load_image(data.tobytes())
        assert not copy.source_grayscale
        assert "image.grayscale" in precheck(copy).codes()
