"""Synthetic "phone photos" of a driving-licence-like card on a counter, for tests and
benchmarks.

Nothing here is a real licence: the card is a light page with a red block, a grey photo box and
lines of random Latin letters and digits standing in for Chinese text. Every JPEG carries the
COM marker ``dlscan synthetic test image``, and ``SyntheticPhoto.save`` writes file names that
contain ``synthetic``.
"""

from __future__ import annotations

import string
import struct
import zlib
from dataclasses import dataclass
from pathlib import Path

import cv2
import numpy as np

MARKER = b"dlscan synthetic test image"
CARD_ASPECT = 88 / 60  # one licence page, width / height
TEXT_RATIO = 0.034  # text cap height / page width (about 3 mm on 88 mm)
_FONT = cv2.FONT_HERSHEY_SIMPLEX
# Desk colours (BGR), all darker than the card so the scene looks like a real counter.
_DESKS = ((45, 75, 115), (70, 70, 65), (60, 85, 55), (95, 80, 70), (40, 55, 90))


@dataclass(frozen=True, eq=False)
class SyntheticPhoto:
    jpeg: bytes
    card_corners: np.ndarray  # 4×2 float32, TL, TR, BR, BL in photo pixels (may lie outside)
    text_height_px: float  # cap height of the card's text lines as drawn, in photo pixels
    width: int
    height: int
    seed: int
    double_page: bool = False

    @property
    def card_width_px(self) -> float:
        c = self.card_corners
        return float(np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / 2

    def save(self, directory: str | Path, stem: str = "") -> Path:
        """Write the JPEG as ``<stem>synthetic-<seed>.jpg`` and return its path."""
        path = Path(directory) / f"{stem}synthetic-{self.seed}.jpg"
        path.write_bytes(self.jpeg)
        return path


def make_phone_photo(
    seed: int,
    *,
    width: int = 4000,
    height: int = 3000,
    card_fraction: float = 0.6,
    blur: float = 0.0,
    brightness: float = 1.0,
    glare: bool = False,
    grayscale: bool = False,
    shift: tuple[float, float] = (0.0, 0.0),
    double_page: bool = False,
    quality: int = 92,
) -> SyntheticPhoto:
    """A photo ``width``×``height`` of a card ``card_fraction`` of the frame width wide.

    ``blur`` is a Gaussian sigma in photo pixels; ``brightness`` scales the exposure (values
    above 1 clip the card to white); ``glare`` adds a specular highlight on the card;
    ``grayscale`` makes the card a photocopy (no colour; the desk keeps its colour); ``shift``
    moves the card centre by that fraction of the frame (to cut it off); ``double_page`` draws
    the opened booklet, both pages side by side."""
    rng = np.random.default_rng(seed)
    photo = _background(rng, width, height)

    card_w = round(card_fraction * width)
    page_w = card_w / 2 if double_page else card_w
    card_h = round(page_w / CARD_ASPECT)
    canvas, cap = _card(rng, card_w, card_h, page_w, double_page, grayscale)

    # Where the card lands: centred (plus shift), slightly rotated, mild perspective.
    angle = np.deg2rad(rng.uniform(-6, 6))
    rot = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    half = np.array([[-card_w, -card_h], [card_w, -card_h], [card_w, card_h], [-card_w, card_h]])
    centre = np.array([width * (0.5 + shift[0]), height * (0.5 + shift[1])])
    centre += rng.uniform(-0.02, 0.02, 2) * (width, height)
    dst = (half / 2) @ rot.T + centre + rng.uniform(-0.025, 0.025, (4, 2)) * card_w
    dst = dst.astype(np.float32)
    src = np.float32([[0, 0], [card_w, 0], [card_w, card_h], [0, card_h]])
    matrix = cv2.getPerspectiveTransform(src, dst)

    # Rounded corners, like a real card: warp a mask along with the card.
    mask = np.zeros((card_h, card_w), np.uint8)
    radius = round(0.035 * page_w)
    cv2.rectangle(mask, (radius, 0), (card_w - radius, card_h), 255, -1)
    cv2.rectangle(mask, (0, radius), (card_w, card_h - radius), 255, -1)
    for cx, cy in (
        (radius, radius),
        (card_w - radius, radius),
        (radius, card_h - radius),
        (card_w - radius, card_h - radius),
    ):
        cv2.circle(mask, (cx, cy), radius, 255, -1, cv2.LINE_AA)
    warped = cv2.warpPerspective(canvas, matrix, (width, height), flags=cv2.INTER_LINEAR)
    wmask = cv2.warpPerspective(mask, matrix, (width, height), flags=cv2.INTER_LINEAR)
    cv2.copyTo(warped, cv2.compare(wmask, 127, cv2.CMP_GT), photo)

    # Text height as seen in the photo: the cap height times the card's vertical scale.
    vertical = (np.linalg.norm(dst[3] - dst[0]) + np.linalg.norm(dst[2] - dst[1])) / 2
    text_height = cap * vertical / card_h

    # Optics, then the sensor: blur, noise, gain. Highlights and overexposure are added last so
    # they clip to a flat 255 as on a real sensor, instead of being roughened by the noise.
    if blur > 0:
        photo = cv2.GaussianBlur(photo, (0, 0), blur)
    _add_sensor_noise(rng, photo)
    if brightness != 1.0:
        photo = cv2.convertScaleAbs(photo, alpha=brightness)
    if glare:
        at = cv2.perspectiveTransform(np.float32([[[0.55 * card_w, 0.45 * card_h]]]), matrix)
        _add_glare(photo, at[0, 0], 0.10 * card_w * vertical / card_h)

    ok, buf = cv2.imencode(".jpg", photo, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    jpeg = buf.tobytes()
    # COM marker right after SOI: the image says it is synthetic.
    com = b"\xff\xfe" + (len(MARKER) + 2).to_bytes(2, "big") + MARKER
    jpeg = jpeg[:2] + com + jpeg[2:]
    return SyntheticPhoto(jpeg, dst, float(text_height), width, height, seed, double_page)


@dataclass(frozen=True)
class SyntheticScan:
    png: bytes
    text_height_px: float
    width: int
    height: int
    seed: int

    def save(self, directory: str | Path) -> Path:
        path = Path(directory) / f"synthetic-scan-{self.seed}.png"
        path.write_bytes(self.png)
        return path


def make_card_scan(
    seed: int, *, width: int = 1000, grayscale: bool = False, double_page: bool = False
) -> SyntheticScan:
    """A flatbed scan cropped tight to the card: the whole frame is the card, as a PNG with a
    tEXt comment marking it synthetic."""
    rng = np.random.default_rng(seed)
    page_w = width / 2 if double_page else width
    height = round(page_w / CARD_ASPECT)
    canvas, cap = _card(rng, width, height, page_w, double_page, grayscale)
    png = cv2.imencode(".png", canvas)[1].tobytes()
    text = b"Comment\x00" + MARKER
    chunk = struct.pack(">I", len(text)) + b"tEXt" + text
    chunk += struct.pack(">I", zlib.crc32(b"tEXt" + text))
    png = png[:33] + chunk + png[33:]  # right after IHDR
    return SyntheticScan(png, cap, width, height, seed)


def _background(rng: np.random.Generator, width: int, height: int) -> np.ndarray:
    """A desk: base colour, soft shading, wood-like streaks and fine grain."""
    base = np.array(_DESKS[int(rng.integers(len(_DESKS)))], np.float32)
    shade = rng.standard_normal((height // 96 + 2, width // 96 + 2)).astype(np.float32)
    shade = cv2.resize(shade, (width, height), interpolation=cv2.INTER_CUBIC) * 0.08 + 1.0
    streaks = rng.standard_normal((height // 3 + 1, 1)).astype(np.float32)
    streaks = cv2.GaussianBlur(streaks, (1, 0), 2)
    # Fine grain at full resolution: real desks and real sensors have detail at every scale.
    grain = np.frombuffer(rng.bytes(width * height), np.uint8).reshape(height, width)
    grain = cv2.GaussianBlur(grain, (3, 3), 0.7).astype(np.float32) * (0.25 / 255)
    texture = shade + cv2.resize(streaks, (width, height)) * 0.10 + grain
    photo = cv2.merge([cv2.multiply(texture, float(c)) for c in base])
    return cv2.convertScaleAbs(photo)


def _card(
    rng: np.random.Generator, card_w: int, card_h: int, page_w: float, double: bool, gray: bool
) -> tuple[np.ndarray, float]:
    """The flat card image and the cap height of its text lines."""
    paper = np.array([rng.uniform(212, 222), rng.uniform(222, 230), rng.uniform(226, 234)])
    canvas = np.empty((card_h, card_w, 3), np.uint8)
    canvas[:] = paper.round().astype(np.uint8)
    # A faint security pattern, so the page is not flat.
    xs = np.sin(np.arange(card_w) * (2 * np.pi / max(8.0, page_w / 60))) * 3
    ys = np.sin(np.arange(card_h) * (2 * np.pi / max(8.0, page_w / 45))) * 3
    pattern = (xs[None, :] + ys[:, None]).astype(np.int16)
    canvas = cv2.add(canvas, cv2.merge([pattern] * 3), dtype=cv2.CV_8U)

    cap = TEXT_RATIO * page_w
    thickness = max(1, round(cap / 7))
    scale = cap / cv2.getTextSize("H", _FONT, 1.0, thickness)[0][1]
    pages = 2 if double else 1
    for p in range(pages):
        x0 = round(p * page_w)

        def at(fx: float, fy: float, x0: int = x0) -> tuple[int, int]:
            return (x0 + round(fx * page_w), round(fy * card_h))

        # Title line, red block (seal zone) and grey photo box (front page only).
        _text(canvas, _random_text(rng, 14), at(0.18, 0.12), scale, thickness)
        if p == 0:
            cv2.rectangle(canvas, at(0.05, 0.66), at(0.30, 0.92), (45, 40, 195), -1)
            cv2.rectangle(canvas, at(0.70, 0.26), at(0.93, 0.74), (150, 150, 150), -1)
            cv2.ellipse(
                canvas,
                at(0.815, 0.48),
                (round(0.05 * page_w), round(0.09 * card_h)),
                0,
                0,
                360,
                (105, 105, 110),
                -1,
            )
        for i in range(6 if p == 0 else 4):
            y = 0.26 + 0.085 * i
            x = 0.34 if (p == 0 and y > 0.6) else 0.05
            _text(
                canvas,
                _random_text(rng, int(rng.integers(8, 14))),
                at(x, y + 0.05),
                scale,
                thickness,
            )
    if double:
        cv2.line(canvas, (round(page_w), 0), (round(page_w), card_h), (150, 150, 150), 2)
    if gray:  # a photocopy: no colour, a bit more contrast
        g = cv2.cvtColor(canvas, cv2.COLOR_BGR2GRAY)
        canvas = cv2.cvtColor(cv2.convertScaleAbs(g, alpha=1.1, beta=-15), cv2.COLOR_GRAY2BGR)
    return canvas, cap


def _random_text(rng: np.random.Generator, n: int) -> str:
    chars = string.ascii_uppercase + string.digits
    word = "".join(chars[int(i)] for i in rng.integers(len(chars), size=n))
    cut = int(rng.integers(2, n - 1))
    return f"{word[:cut]} {word[cut:]}"


def _text(img: np.ndarray, text: str, org: tuple[int, int], scale: float, thick: int) -> None:
    cv2.putText(img, text, org, _FONT, scale, (35, 35, 40), thick, cv2.LINE_AA)


def _add_glare(photo: np.ndarray, centre: np.ndarray, radius: float) -> None:
    """A specular highlight: a saturated white core with a soft falloff, added in place."""
    h, w = photo.shape[:2]
    r = int(radius * 2.2)
    cx, cy = round(float(centre[0])), round(float(centre[1]))
    x0, x1, y0, y1 = max(0, cx - r), min(w, cx + r), max(0, cy - r), min(h, cy + r)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d2 = ((xx - cx) ** 2 + ((yy - cy) * 1.4) ** 2) / radius**2
    light = np.clip(320 * np.exp(-d2 * 1.2), 0, 255).astype(np.uint8)
    roi = photo[y0:y1, x0:x1]
    cv2.add(roi, cv2.merge([light] * 3), dst=roi)


def _add_sensor_noise(rng: np.random.Generator, photo: np.ndarray) -> None:
    """Zero-mean noise (std ≈ 5 levels) from random bytes: fast, and it keeps the JPEG as large
    as a real phone photo instead of unrealistically small."""
    raw = np.frombuffer(rng.bytes(photo.size), np.uint8).reshape(photo.shape)
    # numpy masks, not cv2.bitwise_and(raw, 7): a cv2 scalar only reaches the first channel.
    cv2.add(photo, raw & 15, dst=photo)  # 0..15, mean 7.5
    cv2.subtract(photo, ((raw >> 4) & 7) + 4, dst=photo)  # 4..11, mean 7.5
