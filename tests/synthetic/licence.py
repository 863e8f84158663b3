"""Synthetic Chinese driving licences (机动车驾驶证) with exact ground truth, for the OCR
benchmark and tests.

Each sample is a made-up person (``people.py``) printed on a page that follows the real
layout (``render.py``, ``artwork.py``) and photographed at one of three levels
(``degrade.py``). The truth is the Huawei ``DriverLicenseResult`` object for the side shown;
field boxes and page corners are given in final image pixels. Nothing depicts a real person:
ID numbers are random with valid check digits, the photo is a drawn silhouette, and every
saved JPEG carries a COM marker and a file name saying it is synthetic.

    sample = make_sample(7, side="front", level="moderate")
    save_sample(sample, Path("out"))   # out/synthetic-front-moderate-7.jpg + .json

Quarter turns (``Sample.rotation``) are clockwise: a sample with rotation 90 shows the card
turned a quarter clockwise, and must be turned back counter-clockwise to be read. Page
corners and field quads are always in the page's own order (its top-left first), wherever
that corner ended up in the image.
"""

from __future__ import annotations

import json
import random
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np

from tests.synthetic import degrade, people, render

MARKER = b"dlscan synthetic test image, not a real licence"
SIDES = ("front", "back", "double_side")
LAYOUTS = ("new", "old")
SEALS = ("square", "round")


@dataclass
class Sample:
    image: np.ndarray  # BGR uint8
    truth: dict  # Huawei result object (not the {"result": …} envelope)
    side: str  # "front" | "back" | "double_side"
    level: str  # "flat" | "moderate" | "hard"
    layout: str  # "new" | "old" (front validity layout)
    seal: str  # "square" | "round"
    page_corners: list[np.ndarray]  # per page, 4×2 TL, TR, BR, BL in image coords
    field_boxes: dict[str, np.ndarray]  # key → 4×2 quad in image coords ("front.number" …)
    rotation: int  # 0/90/180/270 applied (clockwise)
    seed: int
    jpeg: bytes = b""  # the encoded image, exactly as degraded (without the COM marker)
    today: date | None = None  # a date at which the licence is valid: pass it to validate_page
    text_px: float = 0.0  # em size of the printed values in the image, before perspective

    def metadata(self) -> dict[str, Any]:
        """Everything but the pixels, JSON-ready."""
        return {
            "synthetic": True,
            "note": MARKER.decode(),
            "truth": self.truth,
            "side": self.side,
            "level": self.level,
            "layout": self.layout,
            "seal": self.seal,
            "rotation": self.rotation,
            "seed": self.seed,
            "today": self.today.isoformat() if self.today else None,
            "text_px": round(self.text_px, 2),
            "size": [int(self.image.shape[1]), int(self.image.shape[0])],
            "page_corners": [np.round(c, 2).tolist() for c in self.page_corners],
            "field_boxes": {k: np.round(v, 2).tolist() for k, v in self.field_boxes.items()},
        }


def _choose(rng: random.Random, given: str | None, options: Sequence[str],
            weights: Sequence[float]) -> str:
    if given is not None:
        if given not in options:
            raise ValueError(f"{given!r} is not one of {options}")
        return given
    return rng.choices(list(options), weights=list(weights))[0]


def plan(seed: int, *, side: str | None = None, layout: str | None = None,
         seal: str | None = None) -> tuple[str, str, str]:
    """(side, layout, seal) that ``make_sample`` uses for ``seed``, without drawing anything."""
    # A stream of its own, so that fixing one choice does not reshuffle the person or the photo.
    choice = random.Random(f"{seed}:choice")
    side = _choose(choice, side, SIDES, (1, 1, 1))
    layout = _choose(choice, layout, LAYOUTS, (7, 3))
    seal = _choose(choice, seal, SEALS, (8, 2))
    return side, layout, seal


def make_sample(
    seed: int,
    *,
    side: str | None = None,
    level: str = "moderate",
    layout: str | None = None,
    seal: str | None = None,
    px_per_mm: float = 12.0,
) -> Sample:
    """One synthetic licence photo; the same arguments always give the same bytes. Unset
    choices are drawn from the seed (front/back/double equally, new layout 70 %, square seal
    80 %); the person depends only on the seed and the layout."""
    if level not in degrade.LEVELS:
        raise ValueError(f"{level!r} is not one of {degrade.LEVELS}")
    side, layout, seal = plan(seed, side=side, layout=layout, seal=seal)
    lic = people.random_licence(random.Random(f"{seed}:person"),
                                allow_open_ended=layout == "new")
    draw = random.Random(f"{seed}:render")
    style = render.random_style(draw)

    k = px_per_mm
    if side == "front":
        obj = render.single(render.render_front(lic, style, layout, seal, k, draw), k)
        truth: dict[str, Any] = lic.front_truth()
    elif side == "back":
        obj = render.single(render.render_back(lic, style, k, draw), k)
        truth = lic.back_truth()
    else:
        front = render.render_front(lic, style, layout, seal, k, draw)
        back = render.render_back(lic, style, k, draw)
        obj = render.wallet(front, back, k, draw)
        truth = {"front": lic.front_truth(), "back": lic.back_truth()}

    rng = np.random.default_rng([seed, degrade.LEVELS.index(level)])
    photo = degrade.photograph(obj, level, rng)
    corners = [degrade.transform(c, photo.homography) for c in obj.pages]
    boxes = {key: degrade.transform(q, photo.homography) for key, q in obj.boxes.items()}
    return Sample(photo.image, truth, side, level, layout, seal, corners, boxes, photo.rotation,
                  seed, photo.jpeg, lic.today, photo.text_px)


def make_dataset(
    n: int,
    *,
    start_seed: int = 0,
    levels: Sequence[str] = ("flat", "moderate", "hard"),
    sides: Sequence[str] = SIDES,
    weights: Sequence[float] | None = None,
) -> Iterator[Sample]:
    """``n`` samples with seeds ``start_seed`` …; each seed's level is drawn with ``weights``
    (one per level; default 1:2:1 for flat:moderate:hard when all three are asked for, else
    equal) and its side uniformly from ``sides``."""
    if weights is None:
        weights = (1, 2, 1) if tuple(levels) == degrade.LEVELS else (1,) * len(levels)
    if len(weights) != len(levels):
        raise ValueError("one weight per level")
    for seed in range(start_seed, start_seed + n):
        rng = random.Random(f"{seed}:dataset")
        level = rng.choices(list(levels), weights=list(weights))[0]
        yield make_sample(seed, side=rng.choice(list(sides)), level=level)


def with_marker(jpeg: bytes) -> bytes:
    """The JPEG with a COM segment saying it is synthetic, right after SOI."""
    assert jpeg[:2] == b"\xff\xd8"
    com = b"\xff\xfe" + (len(MARKER) + 2).to_bytes(2, "big") + MARKER
    return jpeg[:2] + com + jpeg[2:]


def save_sample(sample: Sample, folder: Path, stem: str | None = None) -> Path:
    """Write ``<stem>.jpg`` (default ``synthetic-{side}-{level}-{seed}``; a stem without
    "synthetic" in it gets a ``synthetic-`` prefix) and ``<stem>.json`` with the truth and
    metadata. Returns the JPEG's path."""
    stem = stem or f"synthetic-{sample.side}-{sample.level}-{sample.seed}"
    if "synthetic" not in stem:
        stem = f"synthetic-{stem}"
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{stem}.jpg"
    if sample.jpeg:
        jpeg = sample.jpeg
    else:  # a Sample built by hand: encode its pixels
        import cv2

        ok, buf = cv2.imencode(".jpg", sample.image, [cv2.IMWRITE_JPEG_QUALITY, 92])
        assert ok
        jpeg = buf.tobytes()
    path.write_bytes(with_marker(jpeg))
    meta = sample.metadata() | {"image": path.name}
    path.with_suffix(".json").write_text(json.dumps(meta, ensure_ascii=False, indent=1) + "\n",
                                         encoding="utf-8")
    return path
