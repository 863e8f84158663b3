"""Before sending: the API's limits, quality signals, and an upload fitted to both.

``precheck(image)`` makes one downscaled analysis copy (``ANALYSIS_SIZE`` px long side, one
INTER_AREA resize), locates the card on it, and measures exposure, glare and colour inside the
card; blur is measured on the card cropped from the original and normalised to a fixed page
width. The metrics become findings: errors (cannot send) and warnings (may misread).

Fitting: the smallest size that keeps the licence text ≥ ``TEXT_TARGET_PX`` tall (text height
≈ 0.034 × the page width located; the frame width if no card was found), but not below
``MIN_LONG_SIDE`` (a safety margin in case the card estimate is wrong) and never upscaled;
JPEG quality then steps 90 → 70 and the size shrinks (not below ``TEXT_FLOOR_PX`` text) until
the upload is ≤ ``target_bytes``. An original that already fits is sent byte for byte.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import cv2
import numpy as np

from dlscan_gui.core.card import CardLocation, locate_card
from dlscan_gui.core.errors import Message
from dlscan_gui.core.findings import Finding, Level
from dlscan_gui.core.imaging import (
    FORMATS,
    LoadedImage,
    base64_size,
    downscale,
    encode_jpeg,
    fit_size,
)

# Huawei OCR limits.
MAX_BASE64 = 10 * 1024 * 1024
MIN_SIDE, MAX_SIDE = 100, 8000

# Fitting.
TEXT_RATIO = 0.034  # text height / page width (about 3 mm on an 88 mm page)
TEXT_TARGET_PX = 24  # preferred text height in the upload
TEXT_FLOOR_PX = 20  # never shrink text below this just to save bytes
MIN_LONG_SIDE = 1600  # margin against a wrong card estimate: keep at least this much
QUALITIES = (90, 80, 70)
SIZE_STEP = 0.85  # each step down once the quality floor is reached
KEEP_ORIGINAL_SCALE = 0.85  # an original needing less shrinking than this is sent as it is

# Analysis and thresholds (tuned on synthetic photos; see tests/core/test_precheck.py).
ANALYSIS_SIZE = 1000  # long side of the analysis copy: metrics do not depend on resolution
BLUR_PAGE_PX = 640  # card page width of the copy the blur is measured on
BLUR_MIN = 50.0  # variance of the Laplacian there below this is blurred
DARK_MEAN = 90.0  # mean gray of the card below this is dark
DARK_NO_CARD = 60.0
CLIPPED_LEVEL = 250
GLARE_MAX_SATURATION = 40  # reflections are colourless
OVEREXPOSED_FRACTION = 0.30  # of the card clipped to white
GLARE_FRACTION = 0.01  # of the card covered by glare blobs
GLARE_MIN_BLOB = 0.002  # of the card: smaller bright specks are not glare
CARD_SMALL_COVERAGE = 0.08
CARD_SMALL_TEXT_PX = 16  # estimated text height in the original below this is too small
GRAY_CHROMA = 12  # Cr/Cb distance from the median that counts as colour
GRAY_FRACTION = 0.003  # with fewer colour pixels than this the image is grayscale
# A pale, evenly tinted page (a back page with no red print) has little chroma spread; beside
# a neutral surround (a scanner lid, a white or grey desk) its tint still shows it is in colour.
NEUTRAL_SURROUND = 2  # Cr and Cb within this of neutral (128)
PAGE_TINT = 3  # |ΔCr| + |ΔCb| between the card and a neutral surround that is colour
MIN_SURROUND = 0.02  # of the frame: less than this around the card is no reference


def _msg(zh: str, en: str) -> Message:
    return Message(zh, en)


MESSAGES: dict[str, Message] = {
    "image.too_small": _msg(
        "图片太小（最短边不足100像素），无法识别。请重新拍摄或扫描更高分辨率的图片。",
        "The image is too small (shortest side under 100 px) to read. Retake it or scan at a "
        "higher resolution.",
    ),
    "image.too_narrow": _msg(
        "图片过于细长：缩小到8000像素以内后最短边不足100像素。请裁剪后重试。",
        "The image is too long and narrow: fitted to 8000 px, its shortest side is under "
        "100 px. Crop it and retry.",
    ),
    "image.blurred": _msg(
        "图片模糊。请拿稳手机、等对焦清晰后重拍。",
        "The image is blurred. Hold the phone steady, let it focus and retake.",
    ),
    "image.dark": _msg(
        "图片太暗。请在光线充足处重拍。", "The image is too dark. Retake it in better light."
    ),
    "image.overexposed": _msg(
        "图片过亮，证件细节丢失。请避开强光重拍。",
        "The image is overexposed and details are lost. Avoid strong light and retake.",
    ),
    "image.glare": _msg(
        "证件上有反光。请稍微倾斜证件或避开灯光后重拍。",
        "There is glare on the card. Tilt it slightly or move away from the light and retake.",
    ),
    "image.card_small": _msg(
        "证件在画面中太小。请靠近一些重拍。",
        "The card is too small in the picture. Move closer and retake.",
    ),
    "image.card_cut_off": _msg(
        "证件被画面边缘截断。请把整张证件放进画面内重拍。",
        "The card is cut off at the edge of the picture. Fit the whole card in and retake.",
    ),
    "image.no_card": _msg(
        "未找到驾驶证。请将证件平放在深色背景上、完整拍摄。",
        "No licence found. Lay the card flat on a darker background and photograph all of it.",
    ),
    "image.grayscale": _msg(
        "图片没有颜色，可能是复印件。请拍摄驾驶证原件。",
        "The image has no colour and may be a photocopy. Photograph the original licence.",
    ),
}


@dataclass(frozen=True)
class Note:
    """Information for the clerk that is neither an error nor a warning."""

    code: str  # e.g. "image.downscaled"
    message: Message


@dataclass(frozen=True)
class QualityMetrics:
    blur: float  # variance of the Laplacian on the analysis copy (higher = sharper)
    brightness: float  # mean gray 0–255 of the card (of the frame if no card)
    underexposed: float  # fraction of those pixels ≤ 16
    overexposed: float  # fraction of those pixels ≥ CLIPPED_LEVEL
    glare: float  # fraction of the card covered by bright, colourless blobs
    card_coverage: float | None  # card area / frame area; None if no card was found
    grayscale: bool  # no colour: on a licence, probably a photocopy
    text_height_px: float = 0.0  # estimated text height in the original's pixels
    card: CardLocation | None = field(default=None, compare=False)  # in original pixels


@dataclass(frozen=True, eq=False)
class FittedUpload:
    image: LoadedImage  # what to send; image.data are the bytes to base64
    scale: float  # fitted px per original px (≤ 1)
    reencoded: bool
    original_bytes: int
    upload_bytes: int
    base64_bytes: int
    quality: int | None = None  # JPEG quality when re-encoded


@dataclass(frozen=True, eq=False)
class PrecheckReport:
    errors: list[Finding]
    warnings: list[Finding]
    metrics: QualityMetrics
    upload: FittedUpload | None
    notes: list[Note] = field(default_factory=list)

    @property
    def can_send(self) -> bool:
        return not self.errors and self.upload is not None

    @property
    def findings(self) -> list[Finding]:
        return [*self.errors, *self.warnings]

    def codes(self) -> set[str]:
        return {f.code for f in self.findings}


def _finding(code: str, level: Level) -> Finding:
    return Finding(code, level, MESSAGES[code])


def precheck(image: LoadedImage, *, target_bytes: int = 1_000_000) -> PrecheckReport:
    """Check an image against the API limits and for quality, and fit it for upload."""
    w, h = image.width, image.height
    if max(w, h) >= ANALYSIS_SIZE:
        small = downscale(image.pixels, *fit_size(w, h, ANALYSIS_SIZE))
    else:  # small originals are brought to the same scale, so the metrics compare
        small = cv2.resize(
            image.pixels, fit_size(w, h, ANALYSIS_SIZE), interpolation=cv2.INTER_LINEAR
        )
    to_original = w / small.shape[1]
    found = locate_card(small)
    card = found.scaled(to_original) if found is not None else None
    page_width = card.page_width if card is not None else float(w)
    metrics = _measure(image, small, card, found)
    metrics = replace(metrics, card=card, text_height_px=TEXT_RATIO * page_width)

    errors: list[Finding] = []
    if min(w, h) < MIN_SIDE:
        errors.append(_finding("image.too_small", Level.ERROR))
    elif min(w, h) * min(1.0, MAX_SIDE / max(w, h)) < MIN_SIDE:
        errors.append(_finding("image.too_narrow", Level.ERROR))
    warnings = [_finding(c, Level.WARNING) for c in _warning_codes(metrics)]
    if errors:
        return PrecheckReport(errors, warnings, metrics, None)
    upload = _fit(image, metrics, target_bytes)
    notes = []
    if upload.reencoded:
        fitted = upload.image
        notes.append(
            Note(
                "image.downscaled" if upload.scale < 1 else "image.reencoded",
                _msg(
                    f"已自动调整为 {fitted.width}×{fitted.height} 像素的JPEG"
                    f"（{upload.upload_bytes // 1024} KB）以便上传。",
                    f"Fitted for upload as a {fitted.width}×{fitted.height} px JPEG "
                    f"({upload.upload_bytes // 1024} KB).",
                ),
            )
        )
    return PrecheckReport(errors, warnings, metrics, upload, notes)


# ---------------------------------------------------------------------------- measuring
def _measure(
    image: LoadedImage, small: np.ndarray, card: CardLocation | None, found: CardLocation | None
) -> QualityMetrics:
    """Quality metrics: ``card`` in the image's pixels, ``found`` in the analysis copy's."""
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY)
    h, w = gray.shape
    mask = np.zeros((h, w), np.uint8)
    if found is not None:
        cv2.fillConvexPoly(mask, found.corners.round().astype(np.int32), 255)
        # Off the outline: edge pixels mix desk and card (colour, brightness).
        mask = cv2.erode(mask, np.ones((5, 5), np.uint8))
    if found is None or cv2.countNonZero(mask) < 100:
        mask[:] = 255
    area = max(1, cv2.countNonZero(mask))

    hist = cv2.calcHist([gray], [0], mask, [256], [0, 256]).ravel()
    brightness = float(hist @ np.arange(256)) / area
    under = float(hist[:17].sum()) / area
    over = float(hist[CLIPPED_LEVEL:].sum()) / area

    return QualityMetrics(
        blur=_sharpness(image.pixels, card, small),
        brightness=brightness,
        underexposed=under,
        overexposed=over,
        glare=_glare(small, mask, area, found is not None),
        card_coverage=card.coverage if card is not None else None,
        grayscale=image.source_grayscale or (_is_grayscale(small, mask, area)
                                             and not _tinted_on_neutral(small, found)),
    )


def _tinted_on_neutral(small: np.ndarray, found: CardLocation | None) -> bool:
    """The card's typical chroma differs from a neutral surround's: its paper is tinted. A
    photocopy's paper is as neutral as the lid or desk around it; a tinted light shifts both."""
    if found is None:
        return False
    card = np.zeros(small.shape[:2], np.uint8)
    cv2.fillConvexPoly(card, found.corners.round().astype(np.int32), 255)
    inside = cv2.erode(card, np.ones((5, 5), np.uint8))
    outside = cv2.bitwise_not(cv2.dilate(card, np.ones((9, 9), np.uint8)))
    if cv2.countNonZero(outside) < MIN_SURROUND * outside.size or not cv2.countNonZero(inside):
        return False
    ycc = cv2.cvtColor(small, cv2.COLOR_BGR2YCrCb)
    tint = 0.0
    for channel in (1, 2):
        around = float(np.median(ycc[:, :, channel][outside > 0]))
        if abs(around - 128) > NEUTRAL_SURROUND:
            return False  # a coloured desk says nothing about the card's own colour
        tint += abs(float(np.median(ycc[:, :, channel][inside > 0])) - around)
    return tint >= PAGE_TINT


def _sharpness(pixels: np.ndarray, card: CardLocation | None, small: np.ndarray) -> float:
    """Variance of the Laplacian on a copy normalised so the card page is ``BLUR_PAGE_PX``
    wide (the whole frame at ANALYSIS_SIZE if no card was found). Normalising to the card
    makes the number track blur relative to the text, whatever the photo's resolution. The
    contrast is stretched (1st–99th percentile) so a dark photo does not read as blurred, and
    a light smoothing first keeps sensor noise from passing for sharpness."""
    roi = small
    if card is not None:
        x, y, bw, bh = cv2.boundingRect(card.corners.round().astype(np.int32))
        x0, y0 = max(0, x), max(0, y)
        x1, y1 = min(pixels.shape[1], x + bw), min(pixels.shape[0], y + bh)
        dx, dy = (x1 - x0) // 12, (y1 - y0) // 12  # stay off the card's own outline
        crop = pixels[y0 + dy : y1 - dy, x0 + dx : x1 - dx]
        scale = min(1.0, BLUR_PAGE_PX / max(card.page_width, 1.0))  # never upscale
        if crop.shape[0] >= 16 and crop.shape[1] >= 16:
            roi = downscale(crop, *_dims(crop.shape[1], crop.shape[0], scale))
    gray = cv2.cvtColor(roi, cv2.COLOR_BGR2GRAY)
    cum = np.cumsum(cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel())
    lo = float(np.searchsorted(cum, 0.01 * cum[-1]))
    hi = float(np.searchsorted(cum, 0.99 * cum[-1]))
    stretch = 255.0 / max(hi - lo, 16.0)  # cap the gain: a flat image stays flat
    gray = cv2.convertScaleAbs(gray, alpha=stretch, beta=-lo * stretch)
    lap = cv2.Laplacian(cv2.GaussianBlur(gray, (0, 0), 1.0), cv2.CV_32F)
    return float(cv2.meanStdDev(lap)[1][0, 0] ** 2)


def glare_pixels(bgr: np.ndarray) -> np.ndarray:
    """Clipped, colourless pixels (255): a specular reflection, not paper or ink."""
    hsv = cv2.cvtColor(bgr, cv2.COLOR_BGR2HSV)
    return cv2.inRange(hsv, (0, 0, CLIPPED_LEVEL), (180, GLARE_MAX_SATURATION, 255))


def _glare(small: np.ndarray, mask: np.ndarray, area: int, has_card: bool) -> float:
    """Fraction of the card covered by bright, colourless blobs (specular reflections)."""
    bright = cv2.bitwise_and(glare_pixels(small), mask)
    count, _labels, stats, _ = cv2.connectedComponentsWithStats(bright, connectivity=8)
    h, w = mask.shape
    total = 0
    for i in range(1, count):
        x, y, bw, bh, blob = stats[i]
        if blob < GLARE_MIN_BLOB * area:
            continue
        # Without a card, white paper around the frame edge is background, not glare.
        if not has_card and (x == 0 or y == 0 or x + bw == w or y + bh == h):
            continue
        total += int(blob)
    return total / area


def _is_grayscale(small: np.ndarray, mask: np.ndarray, area: int) -> bool:
    """No colour: hardly any pixel's chroma differs from the typical chroma (a tinted light on
    a photocopy shifts the typical chroma, not the spread)."""
    ycc = cv2.cvtColor(small, cv2.COLOR_BGR2YCrCb)
    dist = np.zeros(mask.shape, np.uint16)
    for channel in (1, 2):
        plane = ycc[:, :, channel]
        cum = np.cumsum(cv2.calcHist([plane], [0], mask, [256], [0, 256]).ravel())
        median = float(np.searchsorted(cum, cum[-1] / 2))
        dist += cv2.absdiff(plane, np.full_like(plane, round(median)))
    colourful = cv2.bitwise_and((dist > GRAY_CHROMA).astype(np.uint8), mask)
    return cv2.countNonZero(colourful) < GRAY_FRACTION * area


def _warning_codes(m: QualityMetrics) -> list[str]:
    codes = []
    if m.blur < BLUR_MIN:
        codes.append("image.blurred")
    if m.brightness < (DARK_MEAN if m.card is not None else DARK_NO_CARD):
        codes.append("image.dark")
    if m.overexposed > OVEREXPOSED_FRACTION:
        codes.append("image.overexposed")
    elif m.glare > GLARE_FRACTION:  # glare on an overexposed card says nothing more
        codes.append("image.glare")
    if m.card is None:
        codes.append("image.no_card")
    else:
        if m.card.touches_border:
            codes.append("image.card_cut_off")
        elif (m.card_coverage or 0) < CARD_SMALL_COVERAGE or m.text_height_px < CARD_SMALL_TEXT_PX:
            codes.append("image.card_small")
    if m.grayscale:
        codes.append("image.grayscale")
    return codes


# ---------------------------------------------------------------------------- fitting
def _fit(image: LoadedImage, m: QualityMetrics, target_bytes: int) -> FittedUpload:
    w, h = image.width, image.height
    long_side, short_side = max(w, h), min(w, h)
    text = max(m.text_height_px, 1.0)
    cap = min(1.0, MAX_SIDE / long_side)
    # Smallest size with legible text, but not below MIN_LONG_SIDE (the estimate may be off).
    scale = min(cap, max(TEXT_TARGET_PX / text, MIN_LONG_SIDE / long_side))
    scale = max(scale, MIN_SIDE / short_side)  # the API's minimum wins over everything
    size = len(image.data)
    if (
        image.format in FORMATS
        and image.orientation == 1
        and not image.source_cmyk
        and not image.source_alpha
        and long_side <= MAX_SIDE
        and size <= target_bytes
        and base64_size(size) <= MAX_BASE64
        and scale >= KEEP_ORIGINAL_SCALE
    ):
        return FittedUpload(image, 1.0, False, size, size, base64_size(size))

    floor = max(min(cap, TEXT_FLOOR_PX / text), MIN_SIDE / short_side)
    gray = m.grayscale
    data, pixels, quality = b"", image.pixels, QUALITIES[0]
    while True:
        pixels = downscale(image.pixels, *_dims(w, h, scale))
        for quality in QUALITIES:
            data = encode_jpeg(pixels, quality, grayscale=gray)
            if len(data) <= target_bytes:
                break
        fits_api = base64_size(len(data)) <= MAX_BASE64
        if (len(data) <= target_bytes and fits_api) or scale <= MIN_SIDE / short_side:
            break
        if scale <= floor and fits_api:
            break  # over the byte target, but shrinking more would make the text unreadable
        # Under the API limit is a must; under the text floor only if the API demands it.
        scale = max(scale * SIZE_STEP, floor if fits_api else MIN_SIDE / short_side)
    fitted = LoadedImage(
        data=data,
        format="jpeg",
        pixels=pixels,
        width=pixels.shape[1],
        height=pixels.shape[0],
        source_grayscale=gray,
        orientation=1,
        name=image.name,
    )
    return FittedUpload(
        fitted, pixels.shape[1] / w, True, size, len(data), base64_size(len(data)), quality
    )


def _dims(w: int, h: int, scale: float) -> tuple[int, int]:
    return max(1, round(w * scale)), max(1, round(h * scale))
