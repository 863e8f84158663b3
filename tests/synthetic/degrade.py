"""Photograph a flat synthetic licence: place it in a scene and add what scanners and phone
cameras do to it, at three levels.

- ``flat``: a flatbed scan: white or light grey around a small margin, ≤ 1° rotation, JPEG
  quality 90+, no blur.
- ``moderate``: a counter photo: desk texture, perspective (corners moved up to 6 % of the
  object size), rotation ±10°, uneven light, Gaussian blur σ ≤ 1.0, sensor noise, JPEG 75–92,
  value text 20–40 px tall, now and then a soft glare spot away from the text.
- ``hard``: perspective up to 12 %, in half the photos a quarter turn (90/180/270) plus ±15°,
  a sleeve glare streak that may cover part of a field, σ up to 1.8, stronger noise, JPEG
  55–80, value text 14–22 px, uneven light, sometimes a grayscale photocopy.

Everything is drawn from one ``numpy.random.Generator``, so a seed gives the same bytes. The
homography from the flat object to the final image is returned, so that every box and corner
can follow the object into the photo. "Text height" means the em size of the printed values.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import cv2
import numpy as np

from tests.synthetic.render import FlatObject

LEVELS = ("flat", "moderate", "hard")


@dataclass(frozen=True)
class _Params:
    text_px: tuple[float, float]
    tilt: float  # max |rotation| in degrees, besides quarter turns
    quarter_turns: float  # probability of a 90/180/270 turn
    perspective: float  # max corner displacement, fraction of the object size
    margin: tuple[float, float]  # scene margin around the object, fraction of its size
    blur: tuple[float, float]
    noise: tuple[float, float]
    quality: tuple[int, int]
    glare: float  # probability
    light: float  # depth of the uneven illumination
    grayscale: float  # probability


PARAMS = {
    "flat": _Params((26, 36), 1.0, 0.0, 0.0, (0.02, 0.06), (0, 0), (0.0, 1.2), (90, 96), 0.0,
                    0.03, 0.0),
    "moderate": _Params((20, 40), 10.0, 0.0, 0.06, (0.08, 0.35), (0.3, 1.0), (2.0, 5.0),
                        (75, 92), 0.25, 0.25, 0.0),
    "hard": _Params((14, 22), 15.0, 0.5, 0.12, (0.05, 0.30), (0.7, 1.8), (4.0, 9.0), (55, 80),
                    0.8, 0.45, 0.2),
}


@dataclass
class Photo:
    image: np.ndarray  # BGR uint8, decoded from ``jpeg``
    jpeg: bytes
    homography: np.ndarray  # 3×3: flat object pixels → image pixels
    rotation: int  # quarter turn applied, clockwise: 0, 90, 180 or 270
    text_px: float  # em size of the values in the image (before perspective)


def transform(points: np.ndarray, homography: np.ndarray) -> np.ndarray:
    pts = np.asarray(points, np.float32).reshape(-1, 1, 2)
    return cv2.perspectiveTransform(pts, homography).reshape(-1, 2)


# ---------------------------------------------------------------------------- scene
@lru_cache(maxsize=8)
def _cloth_pattern(size: int) -> np.ndarray:
    """The wavy line pattern of a green counter mat, as a small tileable gain map."""
    y, x = np.mgrid[0:size, 0:size].astype(np.float32)
    # Periodic in both directions within the tile: 12 lines, 2 waves across.
    phase = (y + 3 * np.sin(2 * np.pi * x / size * 2)) * (2 * np.pi / (size / 12))
    return (1.0 - 0.18 * np.cos(phase) ** 4).astype(np.float32)


def _desk(rng: np.random.Generator, w: int, h: int, level: str) -> np.ndarray:
    """A background (float32 BGR, ``w``×``h``): a flat scanner lid, or a desk (wood, grey,
    dark, green cloth). Smooth, so it is made at a quarter of the size and enlarged."""
    if level == "flat":
        return np.full((h, w, 3), rng.uniform(236, 252), np.float32)
    kind = rng.choice(["wood", "grey", "dark", "cloth"])
    small = (max(2, w // 4), max(2, h // 4))
    if kind == "wood":
        base = np.float32([rng.uniform(40, 70), rng.uniform(75, 110), rng.uniform(120, 165)])
        # Grain: streaks along x that wander a little, plus fine fibres.
        streaks = rng.normal(1.0, 0.10, (small[1], 1)).astype(np.float32)
        streaks = cv2.GaussianBlur(streaks, (1, 0), 1.5)
        wander = np.sin(np.linspace(0, rng.uniform(2, 6), small[0], dtype=np.float32))
        shift = (wander * rng.uniform(2, 8)).astype(int)
        rows = (np.arange(small[1])[:, None] + shift[None, :]) % small[1]
        gain = streaks[rows, 0] + rng.normal(0, 0.03, (small[1], small[0])).astype(np.float32)
    else:
        base = {
            "grey": np.float32([rng.uniform(120, 170)] * 3) + rng.uniform(-8, 8, 3),
            "dark": np.float32([rng.uniform(30, 55)] * 3) + rng.uniform(-5, 5, 3),
            "cloth": np.float32([rng.uniform(75, 100), rng.uniform(110, 135),
                                 rng.uniform(70, 95)]),
        }[kind].astype(np.float32)
        gain = rng.normal(1.0, 0.04, (small[1], small[0])).astype(np.float32)
        gain = cv2.GaussianBlur(gain, (0, 0), 1.5)
        if kind == "cloth":
            tile = _cloth_pattern(48)
            gain = gain * np.tile(tile, (small[1] // 48 + 1, small[0] // 48 + 1))[:small[1],
                                                                                  :small[0]]
    desk = cv2.merge([gain * float(c) for c in base])
    return cv2.resize(desk, (w, h), interpolation=cv2.INTER_LINEAR)


@lru_cache(maxsize=1)
def _noise_tile() -> np.ndarray:
    """Unit sensor noise (luminance plus weaker colour), made once and cropped per photo:
    drawing millions of normals per photo would cost more than the rest of the pipeline."""
    rng = np.random.default_rng(20240601)
    luma = rng.standard_normal((1024, 1024, 1), np.float32)
    return luma + 0.4 * rng.standard_normal((1024, 1024, 3), np.float32)


def _noise(rng: np.random.Generator, w: int, h: int) -> np.ndarray:
    tile = np.roll(_noise_tile(), tuple(rng.integers(0, 1024, 2)), axis=(0, 1))
    return np.tile(tile, (h // 1024 + 1, w // 1024 + 1, 1))[:h, :w]


def _gain_field(rng: np.random.Generator, w: int, h: int, depth: float) -> np.ndarray:
    """Uneven illumination: a linear falloff and a broad bright spot, 1 ± depth."""
    if depth <= 0:
        return np.ones((h, w), np.float32)
    sw, sh = 64, max(2, round(64 * h / w))
    y, x = np.mgrid[0:sh, 0:sw].astype(np.float32)
    x, y = x / sw, y / sh
    angle = rng.uniform(0, 2 * np.pi)
    ramp = (x - 0.5) * np.cos(angle) + (y - 0.5) * np.sin(angle)
    cx, cy = rng.uniform(0.2, 0.8, 2)
    spot = np.exp(-((x - cx) ** 2 + (y - cy) ** 2) / rng.uniform(0.05, 0.2))
    field = 1.0 + depth * (rng.uniform(0.6, 1.2) * ramp + rng.uniform(0.2, 0.6) * (spot - 0.5))
    return cv2.resize(field.astype(np.float32), (w, h), interpolation=cv2.INTER_CUBIC)


def _rect_distance(pt: np.ndarray, boxes: np.ndarray) -> float:
    dx = np.maximum(np.maximum(boxes[:, 0] - pt[0], pt[0] - boxes[:, 2]), 0)
    dy = np.maximum(np.maximum(boxes[:, 1] - pt[1], pt[1] - boxes[:, 3]), 0)
    return float(np.hypot(dx, dy).min()) if len(boxes) else np.inf


def _glare(rng: np.random.Generator, obj: FlatObject, hard: bool) -> tuple | None:
    """Where a highlight goes, in object pixels: (centre, half axes, angle, strength)."""
    k = obj.text_px / 3.0  # px per mm, from the 3 mm value text
    pages = obj.pages
    if hard:
        page = pages[rng.integers(len(pages))]
        (x0, y0), (x1, y1) = page.min(axis=0), page.max(axis=0)
        centre = rng.uniform((x0, y0), (x1, y1))
        axes = (rng.uniform(12, 30) * k, rng.uniform(2.5, 7) * k)
        return centre, axes, rng.uniform(0, 180), rng.uniform(0.6, 0.95)
    # A soft spot away from all text: try a few places, keep the first one clear enough.
    radius = rng.uniform(3, 5) * k
    boxes = np.float32(obj.text_boxes)
    for _ in range(30):
        page = pages[rng.integers(len(pages))]
        (x0, y0), (x1, y1) = page.min(axis=0), page.max(axis=0)
        centre = rng.uniform((x0 + radius, y0 + radius), (x1 - radius, y1 - radius))
        if _rect_distance(centre, boxes) > 1.8 * radius:
            return centre, (radius, radius * rng.uniform(0.6, 1.0)), rng.uniform(0, 180), \
                rng.uniform(0.35, 0.6)
    return None


def _add_glare(img: np.ndarray, alpha: np.ndarray, glare: tuple, homography: np.ndarray) -> None:
    """Brighten towards white inside a (warped) elliptical Gaussian, in place, on the card only
    (``alpha``): the highlight is on its glossy sleeve."""
    centre, (a, b), angle, strength = glare
    t = np.radians(angle)
    u, v = np.float32([np.cos(t), np.sin(t)]), np.float32([-np.sin(t), np.cos(t)])
    # Sample the ellipse outline in object space and fit it in the image: perspective-exact
    # enough for a highlight.
    ring = [centre + 2.5 * (a * np.cos(s) * u + b * np.sin(s) * v)
            for s in np.linspace(0, 2 * np.pi, 24, endpoint=False)]
    pts = transform(np.float32(ring), homography)
    h, w = img.shape[:2]
    x0, y0 = np.floor(pts.min(axis=0)).astype(int)
    x1, y1 = np.ceil(pts.max(axis=0)).astype(int)
    x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
    if x1 <= x0 or y1 <= y0:
        return
    inv = np.linalg.inv(homography)
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    obj_pts = transform(np.dstack([xx, yy]).reshape(-1, 2), inv) - centre
    du, dv = obj_pts @ u / a, obj_pts @ v / b
    g = (strength * np.exp(-(du**2 + dv**2))).reshape(y1 - y0, x1 - x0).astype(np.float32)
    g = (g * alpha[y0:y1, x0:x1])[..., None]
    roi = img[y0:y1, x0:x1]
    roi += (np.maximum(255 - roi, 0)) * g


# ---------------------------------------------------------------------------- main
def photograph(obj: FlatObject, level: str, rng: np.random.Generator) -> Photo:
    """The object photographed (or scanned) at ``level``; see the module docstring."""
    prm = PARAMS[level]
    oh, ow = obj.rgba.shape[:2]
    text_px = rng.uniform(*prm.text_px)
    scale = text_px / obj.text_px

    turn = 0
    if prm.quarter_turns and rng.random() < prm.quarter_turns:
        turn = int(rng.choice([90, 180, 270]))
    tilt = rng.uniform(-prm.tilt, prm.tilt)

    # Corners of the object, centred, jittered (perspective), scaled, rotated clockwise.
    corners = np.float32([[0, 0], [ow, 0], [ow, oh], [0, oh]])
    rel = corners - np.float32([ow / 2, oh / 2])
    rel += rng.uniform(-prm.perspective, prm.perspective, (4, 2)) * np.float32([ow, oh])
    t = np.radians(turn + tilt)
    rot = np.float32([[np.cos(t), -np.sin(t)], [np.sin(t), np.cos(t)]])
    quad = (rel * scale) @ rot.T
    lo, hi = quad.min(axis=0), quad.max(axis=0)
    size = hi - lo
    # Margins per axis, so a wide wallet is not lost in a tall frame.
    before = rng.uniform(*prm.margin, 2) * size
    after = rng.uniform(*prm.margin, 2) * size
    quad += before - lo
    w, h = (np.ceil(size + before + after)).astype(int)
    homography = cv2.getPerspectiveTransform(corners, quad.astype(np.float32))

    # Shrink first with area averaging: a warp samples, and sampled text aliases badly.
    pre = min(1.0, scale * (1 + prm.perspective * 2))
    small = obj.rgba
    pre_m = np.eye(3)
    if pre < 1.0:
        sw, sh = max(1, round(ow * pre)), max(1, round(oh * pre))
        small = cv2.resize(obj.rgba, (sw, sh), interpolation=cv2.INTER_AREA)
        pre_m = np.diag([sw / ow, sh / oh, 1.0])
    warped = cv2.warpPerspective(small, homography @ np.linalg.inv(pre_m), (w, h),
                                 flags=cv2.INTER_LINEAR, borderValue=(0, 0, 0, 0))
    alpha = warped[..., 3].astype(np.float32) * np.float32(1 / 255)
    card = cv2.cvtColor(warped[..., :3], cv2.COLOR_RGB2BGR).astype(np.float32)

    scene = _desk(rng, w, h, level)
    if level != "flat":  # a soft drop shadow under the card, made small and enlarged
        sw, sh = max(2, w // 4), max(2, h // 4)
        shadow = cv2.resize(alpha, (sw, sh), interpolation=cv2.INTER_AREA)
        shadow = cv2.GaussianBlur(shadow, (0, 0), max(1.0, 0.0025 * max(w, h)))
        shift = np.float32([[1, 0, rng.uniform(-1, 1) * 0.01 * sw], [0, 1, 0.01 * sh]])
        shadow = 1 - 0.45 * cv2.warpAffine(shadow, shift, (sw, sh))
        shadow = cv2.resize(shadow, (w, h), interpolation=cv2.INTER_LINEAR)
        scene = cv2.multiply(scene, cv2.merge([shadow] * 3))
    scene = cv2.blendLinear(card, scene, alpha, 1 - alpha)
    gain = _gain_field(rng, w, h, prm.light * rng.uniform(0.5, 1.0))
    scene = cv2.multiply(scene, cv2.merge([gain] * 3))

    if prm.glare and rng.random() < prm.glare:
        glare = _glare(rng, obj, hard=level == "hard")
        if glare is not None:
            _add_glare(scene, alpha, glare, homography)
    sigma = rng.uniform(*prm.blur)
    if sigma > 0:
        scene = cv2.GaussianBlur(scene, (0, 0), sigma)
    noise_sd = rng.uniform(*prm.noise)
    if noise_sd > 0:
        scene = cv2.scaleAdd(_noise(rng, w, h), noise_sd, scene)
    if prm.grayscale and rng.random() < prm.grayscale:
        gray = cv2.cvtColor(scene, cv2.COLOR_BGR2GRAY) * 1.15 - 20  # a contrasty photocopy
        scene = cv2.merge([gray] * 3)
    np.clip(scene, 0, 255, out=scene)
    img = scene.astype(np.uint8)

    quality = int(rng.integers(prm.quality[0], prm.quality[1] + 1))
    ok, buf = cv2.imencode(".jpg", img, [cv2.IMWRITE_JPEG_QUALITY, quality])
    assert ok
    jpeg = buf.tobytes()
    image = cv2.imdecode(buf, cv2.IMREAD_COLOR)
    return Photo(image, jpeg, homography, turn, float(text_px))
