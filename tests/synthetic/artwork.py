"""The pictures on a synthetic licence page that are not text fields: the guilloche security
background, the issuing authority's red seal, the photo placeholder (a drawn silhouette, never a
face), the back page's barcode and an occasional pen scribble.

Sizes are in millimetres, converted with ``k`` (pixels per millimetre). Images are RGB uint8
numpy arrays, drawn in place where a function takes one.
"""

from __future__ import annotations

import math
import random
from functools import lru_cache
from pathlib import Path

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

FONT_DIR = Path(__file__).resolve().parents[2] / "resources" / "fonts"
FONT_FILES = {
    "sans": "NotoSansSC-Regular-GB2312.otf",
    "bold": "NotoSansSC-Bold-GB2312.otf",
    "serif": "NotoSerifSC-Regular-GB2312.otf",
}
SEAL_RED = (214, 38, 44)


@lru_cache(maxsize=256)
def font(kind: str, size_px: int) -> ImageFont.FreeTypeFont:
    """A bundled font at a pixel size; cached, since loading a CJK font costs milliseconds."""
    # BASIC layout: no shaping is needed for CJK and digits, and it is faster than raqm.
    return ImageFont.truetype(str(FONT_DIR / FONT_FILES[kind]), max(4, int(size_px)),
                              layout_engine=ImageFont.Layout.BASIC)


# ---------------------------------------------------------------------------- background
# (paper RGB, ink RGB) pairs: pale green/blue security print on cream or white paper.
_PALETTES = (
    ((236, 240, 230), (120, 170, 150)),
    ((238, 240, 236), (110, 150, 190)),
    ((242, 240, 228), (140, 175, 140)),
    ((234, 238, 240), (120, 160, 180)),
)
N_BACKGROUNDS = 8


@lru_cache(maxsize=32)
def _guilloche(variant: int, width: int, height: int) -> np.ndarray:
    """A pale page with fine sine-wave line families and a rosette, like the security print of
    a real licence. Cached per variant and size: it is the slowest part of a page."""
    rng = np.random.default_rng(1000 + variant)
    paper, ink = _PALETTES[variant % len(_PALETTES)]
    k = width / 88.0
    y, x = np.mgrid[0:height, 0:width].astype(np.float32) / k  # millimetres
    lines = np.zeros((height, width), np.float32)

    def thin(c: np.ndarray, power: int) -> np.ndarray:
        # cos^power by repeated squaring (power a multiple of 4): narrow bright lines.
        c = c * c
        out = np.ones_like(c)
        for _ in range(power // 2):
            out *= c
        return out

    # Two crossing wave families make the mesh; a third, sparser one adds a moiré.
    for sign in (1.0, -1.0):
        period = rng.uniform(0.9, 1.3)
        amp, wl, ph = rng.uniform(1.5, 3.0), rng.uniform(14, 24), rng.uniform(0, 6.3)
        phase = (y + sign * amp * np.sin(2 * np.pi * x / wl + ph)) * (2 * np.pi / period)
        lines = np.maximum(lines, thin(np.cos(phase), 24))
    period = rng.uniform(2.5, 3.5)
    phase = (x + 4.0 * np.sin(2 * np.pi * y / rng.uniform(20, 30))) * (2 * np.pi / period)
    lines = np.maximum(lines, 0.6 * thin(np.cos(phase), 28))
    # A rosette in the middle of the page.
    cx, cy = rng.uniform(38, 50), rng.uniform(28, 36)
    r = np.hypot(x - cx, y - cy)
    theta = np.arctan2(y - cy, x - cx)
    petals = int(rng.integers(9, 15))
    ros = thin(np.cos((r + 2.5 * np.sin(petals * theta)) * (2 * np.pi / 1.2)), 20)
    ros *= np.clip(1.0 - r / rng.uniform(18, 26), 0, 1)
    lines = np.maximum(lines, ros)
    strength = 0.22 if variant % 2 else 0.30
    a = (lines * strength)[..., None]
    page = np.float32(paper) * (1 - a) + np.float32(ink) * a
    return np.clip(page, 0, 255).astype(np.uint8)


def background(rng: random.Random, width: int, height: int) -> np.ndarray:
    """A fresh copy of one of the cached backgrounds, slightly re-tinted per card."""
    page = _guilloche(rng.randrange(N_BACKGROUNDS), width, height).copy()
    tint = np.array([rng.randint(-6, 4) for _ in range(3)], np.int16)
    return np.clip(page.astype(np.int16) + tint, 0, 255).astype(np.uint8)


# ---------------------------------------------------------------------------- seal
def split_three(text: str) -> list[str]:
    """Three roughly equal lines, longer ones first ("广东省广州市公安局交通警察支队" → 5/5/5)."""
    n = len(text)
    sizes = [n // 3 + (1 if i < n % 3 else 0) for i in range(3)]
    out, at = [], 0
    for size in sizes:
        out.append(text[at:at + size])
        at += size
    return out


def _glyph(ch: str, kind: str, size: int) -> np.ndarray:
    """One character, white on black, cropped to its advance box (L uint8)."""
    f = font(kind, size)
    w = max(1, round(f.getlength(ch)))
    img = Image.new("L", (w, round(size * 1.25)), 0)
    ImageDraw.Draw(img).text((0, round(size * 1.08)), ch, font=f, fill=255, anchor="ls")
    return np.asarray(img)


def _paste_max(dst: np.ndarray, src: np.ndarray, x: int, y: int) -> None:
    """Paste ``src`` at (x, y) into ``dst`` by maximum, clipped to ``dst``."""
    h, w = src.shape
    x0, y0, x1, y1 = max(0, x), max(0, y), min(dst.shape[1], x + w), min(dst.shape[0], y + h)
    if x1 > x0 and y1 > y0:
        region = dst[y0:y1, x0:x1]
        np.maximum(region, src[y0 - y:y1 - y, x0 - x:x1 - x], out=region)


def seal_mask(text: str, kind: str, k: float, rng: random.Random, font_kind: str) -> np.ndarray:
    """The seal's ink as an L mask (255 = ink): ``kind`` "square" (text in three horizontal
    lines) or "round" (text along the top arc, a star in the middle)."""
    text.encode("gb2312")  # the bundled fonts have nothing else: fail loudly, not with tofu
    if kind == "square":
        side = round(rng.uniform(20, 22) * k)
        mask = np.zeros((side, side), np.uint8)
        border = max(2, round(0.75 * k))
        cv2.rectangle(mask, (border // 2, border // 2), (side - 1 - border // 2,) * 2, 255,
                      border, cv2.LINE_AA)
        inset = border + round(0.9 * k)
        if rng.random() < 0.4:  # an inner hairline, as on many official seals
            cv2.rectangle(mask, (inset, inset), (side - 1 - inset,) * 2, 255,
                          max(1, round(0.2 * k)), cv2.LINE_AA)
            inset += round(0.6 * k)
        inner = side - 2 * inset
        line_h = inner / 3
        for i, line in enumerate(split_three(text)):
            glyph_size = round(line_h * 0.92)
            row = np.concatenate([_glyph(ch, font_kind, glyph_size) for ch in line], axis=1)
            # Seal lettering is stretched to fill the frame (condensed or widened).
            row = cv2.resize(row, (inner, round(line_h * 0.98)), interpolation=cv2.INTER_AREA)
            _paste_max(mask, row, inset, round(inset + i * line_h))
        return mask

    diameter = round(rng.uniform(21, 23) * k)
    mask = np.zeros((diameter, diameter), np.uint8)
    c = diameter / 2
    ring = max(2, round(0.75 * k))
    cv2.circle(mask, (round(c), round(c)), round(c - ring / 2 - 1), 255, ring, cv2.LINE_AA)
    glyph_size = round(3.0 * k)
    radius = c - ring - 0.5 * glyph_size - 0.35 * k
    span = min(245.0, len(text) * 21.0)
    # Seal lettering along an arc is condensed to fit: squeeze each glyph to its arc share.
    glyph_w = min(glyph_size, round(0.9 * radius * np.radians(span) / len(text)))
    for i, ch in enumerate(text):
        angle = -90 - span / 2 + span * (i + 0.5) / len(text)  # degrees, image coordinates
        g = _glyph(ch, font_kind, glyph_size)
        g = cv2.resize(g, (glyph_w, g.shape[0]), interpolation=cv2.INTER_AREA)
        pad = glyph_size
        canvas = np.zeros((g.shape[0] + 2 * pad, g.shape[1] + 2 * pad), np.uint8)
        canvas[pad:pad + g.shape[0], pad:pad + g.shape[1]] = g
        # The glyph's top faces outwards: turn it clockwise by (angle + 90) about its middle.
        ch_c = (canvas.shape[1] / 2, pad + 0.62 * glyph_size)
        rot = cv2.getRotationMatrix2D(ch_c, -(angle + 90), 1.0)
        canvas = cv2.warpAffine(canvas, rot, canvas.shape[::-1], flags=cv2.INTER_LINEAR)
        px = c + radius * math.cos(math.radians(angle))
        py = c + radius * math.sin(math.radians(angle))
        _paste_max(mask, canvas, round(px - ch_c[0]), round(py - ch_c[1]))
    # Five-pointed star in the middle.
    r_out, r_in = 0.2 * diameter, 0.2 * diameter * 0.382
    pts = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        a = math.radians(-90 + 36 * i)
        pts.append((c + r * math.cos(a), c + 0.05 * diameter + r * math.sin(a)))
    cv2.fillPoly(mask, [np.round(np.array(pts) * 16).astype(np.int32)], 255, cv2.LINE_AA, 4)
    return mask


def stamp(page: np.ndarray, mask: np.ndarray, x: int, y: int, angle: float,
          rng: random.Random, colour: tuple[int, int, int] = SEAL_RED) -> np.ndarray:
    """Print ``mask`` in red ink onto ``page`` at (x, y) (its top-left before rotation), rotated
    by ``angle`` degrees. The ink multiplies: black print under it stays black, as with real
    seal ink. Returns the 4×2 corners of the stamped square in page pixels."""
    h, w = mask.shape
    pad = round(0.15 * max(h, w))
    big = np.zeros((h + 2 * pad, w + 2 * pad), np.uint8)
    big[pad:pad + h, pad:pad + w] = mask
    centre = (big.shape[1] / 2, big.shape[0] / 2)
    rot = cv2.getRotationMatrix2D(centre, angle, 1.0)
    big = cv2.warpAffine(big, rot, big.shape[::-1], flags=cv2.INTER_LINEAR)
    # Uneven ink: a blotchy low-frequency field and a few dry specks.
    nrng = np.random.default_rng(rng.randrange(2**32))
    blotch = cv2.resize(nrng.uniform(0.7, 1.1, (6, 6)).astype(np.float32), big.shape[::-1],
                        interpolation=cv2.INTER_CUBIC)
    specks = (nrng.random(big.shape) > 0.02).astype(np.float32)
    alpha = big.astype(np.float32) / 255 * np.clip(blotch, 0, 1) * specks
    alpha = cv2.GaussianBlur(alpha, (0, 0), 0.6) * rng.uniform(0.8, 0.95)

    x0, y0 = x - pad, y - pad
    ph, pw = page.shape[:2]
    sx0, sy0 = max(0, x0), max(0, y0)
    sx1, sy1 = min(pw, x0 + big.shape[1]), min(ph, y0 + big.shape[0])
    a = alpha[sy0 - y0:sy1 - y0, sx0 - x0:sx1 - x0, None]
    region = page[sy0:sy1, sx0:sx1].astype(np.float32)
    ink = np.float32(colour) / 255
    page[sy0:sy1, sx0:sx1] = np.clip(region * (1 - a + a * ink), 0, 255).astype(np.uint8)

    corners = np.float32([[pad, pad], [pad + w, pad], [pad + w, pad + h], [pad, pad + h]])
    corners = np.hstack([corners, np.ones((4, 1), np.float32)]) @ rot.T.astype(np.float32)
    return corners + np.float32([x0, y0])


# ---------------------------------------------------------------------------- photo
_PHOTO_BACKDROPS = ((232, 236, 240), (110, 160, 220), (200, 60, 55), (150, 190, 230))


def photo_placeholder(page: np.ndarray, box: tuple[int, int, int, int], rng: random.Random) -> None:
    """A passport-style photo: plain backdrop with a drawn head-and-shoulders silhouette."""
    x0, y0, x1, y1 = box
    w, h = x1 - x0, y1 - y0
    tile = np.empty((h, w, 3), np.uint8)
    tile[:] = rng.choice(_PHOTO_BACKDROPS)
    # Slight vertical falloff, as studio backdrops have.
    tile = (tile * np.linspace(1.0, 0.9, h, dtype=np.float32)[:, None, None]).astype(np.uint8)
    cx = w / 2 + rng.uniform(-0.04, 0.04) * w
    clothes = rng.choice(((40, 45, 60), (25, 25, 30), (70, 80, 100), (230, 230, 230)))
    skin = (rng.randint(170, 215), rng.randint(140, 170), rng.randint(115, 140))
    hair = rng.choice(((25, 20, 20), (45, 35, 30), (70, 60, 55)))
    aa = cv2.LINE_AA
    # Shoulders: a wide ellipse cut off by the bottom edge.
    cv2.ellipse(tile, (round(cx), round(h * 1.05)), (round(w * 0.52), round(h * 0.33)), 0, 180,
                360, clothes, -1, aa)
    cv2.rectangle(tile, (round(cx - w * 0.09), round(h * 0.55)),
                  (round(cx + w * 0.09), round(h * 0.8)), skin, -1, aa)
    head = (round(cx), round(h * 0.42))
    axes = (round(w * 0.2), round(h * 0.2))
    cv2.ellipse(tile, head, axes, 0, 0, 360, skin, -1, aa)
    cv2.ellipse(tile, (head[0], head[1] - round(h * 0.05)), (axes[0] + 2, axes[1] - 2), 0, 180,
                360, hair, -1, aa)
    page[y0:y1, x0:x1] = tile
    cv2.rectangle(page, (x0, y0), (x1 - 1, y1 - 1), (150, 150, 150), 1)


# ---------------------------------------------------------------------------- barcode
def barcode(page: np.ndarray, x: int, y: int, width: int, height: int,
            rng: random.Random) -> None:
    """Random bars that look like Code 128 (start, data symbols of 3 bars + 3 spaces, stop)."""
    modules: list[int] = [2, 1, 1, 2, 1, 4]  # a start symbol
    for _ in range(9):
        # Each symbol: 6 elements of 1–4 modules summing to 11.
        while True:
            sym = [rng.randint(1, 4) for _ in range(6)]
            if sum(sym) == 11:
                break
        modules += sym
    modules += [2, 3, 3, 1, 1, 1, 2]  # a stop symbol
    unit = width / sum(modules)
    at = float(x)
    for i, m in enumerate(modules):
        if i % 2 == 0:
            cv2.rectangle(page, (round(at), y), (round(at + m * unit) - 1, y + height),
                          (20, 20, 25), -1)
        at += m * unit


# ---------------------------------------------------------------------------- scribble
def scribble(page: np.ndarray, box: tuple[int, int, int, int], k: float,
             rng: random.Random) -> None:
    """A short handwritten-looking note inside ``box``: one to three "words", each a loopy
    cursive stroke (a prolate cycloid with wobble), in blue or black pen."""
    x0, y0, x1, y1 = box
    colour = rng.choice(((140, 40, 30), (30, 25, 25), (170, 50, 20)))[::-1]  # RGB
    thickness = max(1, round(rng.uniform(0.2, 0.35) * k))
    height = min(y1 - y0, rng.uniform(2.5, 4.0) * k)
    x = x0 + rng.uniform(0, 0.2) * (x1 - x0)
    for _ in range(rng.randint(1, 3)):
        loops = rng.randint(3, 7)
        width = loops * rng.uniform(1.6, 2.6) * k
        if x + width > x1:
            break
        yc = rng.uniform(y0 + height / 2, y1 - height / 2)
        t = np.linspace(0, 1, 30 * loops)
        phase = 2 * np.pi * loops * t + rng.uniform(0, 6.3)
        wobble = 1 + 0.35 * np.sin(2 * np.pi * rng.uniform(0.5, 2) * t + rng.uniform(0, 6.3))
        slant = rng.uniform(0.1, 0.4)
        px = x + width * t + 0.35 * height * np.cos(phase)
        py = yc - 0.45 * height * np.sin(phase) * wobble
        px -= slant * (py - yc)
        pts = np.stack([np.clip(px, x0, x1), np.clip(py, y0, y1)], axis=1)
        pts = np.round(pts * 16).astype(np.int32).reshape(-1, 1, 2)
        cv2.polylines(page, [pts], False, colour, thickness, cv2.LINE_AA, 4)
        x += width + rng.uniform(2, 4) * k
