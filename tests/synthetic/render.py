"""Draw the pages of a synthetic licence, flat, at ``k`` pixels per millimetre on the real
88 × 60 mm page, and record where every value was printed.

The layout follows the real 机动车驾驶证: title and English subtitle; 证号 (white on a red box,
or plain) with the 18-digit number; 姓名/性别/国籍 in one row; a two-line 住址; 出生日期,
初次领证日期, 准驾车型 (the code inside a rectangle) and the validity, either NEW ("有效期限
2016-05-06 至 2026-05-06") or OLD ("有效起始日期 2016-05-06" over "有效期限 6年"); the photo on
the right; the issuing authority's red seal overlapping the label column at the bottom left.
The back (副页) has 证号, 姓名, 档案编号, the 记录 lines and a barcode.

Every printed string is checked to be GB 2312, the repertoire of the bundled fonts.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

import cv2
import numpy as np
from PIL import Image, ImageDraw

from tests.synthetic import artwork
from tests.synthetic.people import Licence, gb2312_ok

PAGE_MM = (88.0, 60.0)
VALUE_MM = 3.0  # em size of the printed values: about 3 mm, as on real cards
_RED_BOX = (196, 32, 40)


@dataclass
class Style:
    """The per-card choices that real licences vary in (printer, issue year, province)."""

    label_font: str
    value_font: str
    seal_font: str
    english: str  # where the English sublabels go: "under", "beside" or "none"
    red_number_box: bool
    number_under_photo: bool
    back_english_title: bool
    value_mm: float
    value_shift: tuple[float, float]  # printer misregistration of the values, mm
    label_rgb: tuple[int, int, int]
    value_rgb: tuple[int, int, int]
    margin: float


def random_style(rng: random.Random) -> Style:
    english = rng.choices(("under", "beside", "none"), weights=(6, 2, 2))[0]
    return Style(
        label_font=rng.choice(("sans", "bold", "sans")),
        value_font=rng.choice(("serif", "sans", "serif")),
        seal_font=rng.choice(("serif", "bold")),
        english=english,
        red_number_box=rng.random() < 0.7,
        # The repeated number needs the bottom-right corner that "beside" labels push into.
        number_under_photo=english != "beside" and rng.random() < 0.3,
        back_english_title=rng.random() < 0.6,
        value_mm=VALUE_MM * rng.uniform(0.95, 1.05),
        value_shift=(rng.uniform(-0.6, 0.6), rng.uniform(-0.4, 0.4)),
        label_rgb=rng.choice(((30, 30, 35), (35, 40, 60), (45, 40, 40))),
        value_rgb=rng.choice(((15, 15, 20), (25, 25, 30), (20, 20, 35))),
        margin=rng.uniform(3.2, 4.4),
    )


@dataclass
class RenderedPage:
    image: np.ndarray  # RGB uint8, the flat page
    boxes: dict[str, np.ndarray]  # field key → 4×2 float32 quad (TL, TR, BR, BL), page pixels
    text_boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # all ink
    text_px: float = 0.0  # em size of the values in page pixels


def _quad(x0: float, y0: float, x1: float, y1: float) -> np.ndarray:
    return np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])


def _union(a: tuple[float, ...], b: tuple[float, ...]) -> tuple[float, float, float, float]:
    return (min(a[0], b[0]), min(a[1], b[1]), max(a[2], b[2]), max(a[3], b[3]))


class _Painter:
    """Text in millimetre coordinates (baseline-left anchored) on a PIL image; remembers the
    pixel box of everything it printed."""

    def __init__(self, image: Image.Image, k: float) -> None:
        self.draw = ImageDraw.Draw(image)
        self.k = k
        self.boxes: list[tuple[float, float, float, float]] = []

    def width(self, text: str, kind: str, size: float, spacing: float = 0.0) -> float:
        f = artwork.font(kind, round(size * self.k))
        return (f.getlength(text) + spacing * self.k * max(0, len(text) - 1)) / self.k

    def text(self, x: float, y: float, text: str, kind: str, size: float,
             fill: tuple[int, int, int], spacing: float = 0.0) -> tuple[float, float, float, float]:
        assert gb2312_ok(text), text
        f = artwork.font(kind, round(size * self.k))
        px, py = x * self.k, y * self.k
        if spacing == 0.0:
            self.draw.text((px, py), text, font=f, fill=fill, anchor="ls")
            box = self.draw.textbbox((px, py), text, font=f, anchor="ls")
        else:  # letter-spaced, character by character
            box = None
            for ch in text:
                self.draw.text((px, py), ch, font=f, fill=fill, anchor="ls")
                b = self.draw.textbbox((px, py), ch, font=f, anchor="ls")
                box = b if box is None else _union(box, b)
                px += f.getlength(ch) + spacing * self.k
        assert box is not None
        box = tuple(float(v) for v in box)
        self.boxes.append(box)
        return box  # type: ignore[return-value]


# ---------------------------------------------------------------------------- labels
_SUB_MM = 1.3  # English sublabels


class _Labels:
    """Chinese labels with optional English sublabels, and the value column they imply."""

    def __init__(self, p: _Painter, style: Style, pairs: list[tuple[str, str]]) -> None:
        self.p, self.s = p, style
        self.size = 2.55
        self.value_x = style.margin + max(self.block_width(zh, en) for zh, en in pairs) + 1.6

    def block_width(self, zh: str, en: str) -> float:
        w_zh = self.p.width(zh, self.s.label_font, self.size)
        if self.s.english == "none" or not en:
            return w_zh
        w_en = self.p.width(en, "sans", _SUB_MM)
        return max(w_zh, w_en) if self.s.english == "under" else w_zh + 0.8 + w_en

    def draw(self, x: float, y: float, zh: str, en: str) -> float:
        """Draw a label with its baseline at ``y``; return its right edge (mm)."""
        right = self.p.text(x, y, zh, self.s.label_font, self.size, self.s.label_rgb)[2] / self.p.k
        if self.s.english == "none" or not en:
            return right
        if self.s.english == "under":
            sub = self.p.text(x, y + 1.75, en, "sans", _SUB_MM, self.s.label_rgb)
            return max(right, sub[2] / self.p.k)
        sub = self.p.text(right + 0.8, y, en, "sans", _SUB_MM, self.s.label_rgb)
        return sub[2] / self.p.k


def _number_row(p: _Painter, style: Style, labels: _Labels, y: float, number: str,
                boxes: dict[str, np.ndarray]) -> None:
    x = style.margin
    if style.red_number_box:
        w = p.width("证号", style.label_font, labels.size) + 1.6
        p.draw.rectangle([x * p.k, (y - 3.0) * p.k, (x + w) * p.k, (y + 0.9) * p.k],
                         fill=_RED_BOX)
        p.text(x + 0.8, y - 0.2, "证号", style.label_font, labels.size, (255, 255, 255))
        right = x + w
    else:
        right = p.text(x, y, "证号", style.label_font, labels.size, style.label_rgb)[2] / p.k
    dx, dy = style.value_shift
    vx = max(labels.value_x, right + 2.0)
    boxes["number"] = _quad(*p.text(vx + dx, y + dy, number, style.value_font,
                                    style.value_mm, style.value_rgb, spacing=0.1))


def _wrap(p: _Painter, text: str, kind: str, size: float, width: float) -> list[str]:
    """Break anywhere (as licence printers do) so that each line fits ``width`` mm."""
    lines, line = [], ""
    for ch in text:
        if line and p.width(line + ch, kind, size) > width:
            lines.append(line)
            line = ""
        line += ch
    return [*lines, line]


def _title(p: _Painter, style: Style, zh: str, en: str | None) -> None:
    size = 4.2 if len(zh) <= 13 else 3.9
    spacing = 0.35
    w = p.width(zh, "bold", size, spacing)
    p.text((PAGE_MM[0] - w) / 2, 7.6, zh, "bold", size, (25, 25, 30), spacing)
    if en:
        w = p.width(en, "sans", 1.85)
        p.text((PAGE_MM[0] - w) / 2, 11.0, en, "sans", 1.85, (35, 35, 40))


def _new_page(rng: random.Random, k: float) -> np.ndarray:
    return artwork.background(rng, round(PAGE_MM[0] * k), round(PAGE_MM[1] * k))


# ---------------------------------------------------------------------------- front
def render_front(lic: Licence, style: Style, layout: str, seal: str, k: float,
                 rng: random.Random) -> RenderedPage:
    assert layout in ("new", "old") and seal in ("square", "round")
    assert layout == "new" or lic.valid_years is not None, "the old layout has no 长期"
    page = _new_page(rng, k)
    photo = (62.8, 24.0, 84.8, 52.0)  # mm
    x0, y0, x1, y1 = (round(v * k) for v in photo)
    artwork.photo_placeholder(page, (x0, y0, x1, y1), rng)
    img = Image.fromarray(page)
    p = _Painter(img, k)
    boxes: dict[str, np.ndarray] = {}
    s = style
    dx, dy = s.value_shift

    validity = ([("有效期限", "Valid Period")] if layout == "new"
                else [("有效起始日期", "Valid From"), ("有效期限", "Valid For")])
    rows = [("出生日期", "Date of Birth"), ("初次领证日期", "Issue Date"), ("准驾车型", "Class"),
            *validity]
    labels = _Labels(p, s, [("姓名", "Name"), ("住址", "Address"), *rows])
    vx = labels.value_x

    _title(p, s, "中华人民共和国机动车驾驶证", "Driving License of the People's Republic of China")
    _number_row(p, s, labels, 16.0, lic.number, boxes)

    # 姓名 … 性别 … 国籍 in one row, each label after the previous value.
    y = 21.6
    labels.draw(s.margin, y, "姓名", "Name")
    box = p.text(vx + dx, y + dy, lic.name, s.value_font, s.value_mm, s.value_rgb)
    boxes["name"] = _quad(*box)
    x = max(vx + 4 * s.value_mm, box[2] / k) + 2.5
    x = labels.draw(x, y, "性别", "Sex") + 1.5
    boxes["sex"] = _quad(*p.text(x + dx, y + dy, lic.sex, s.value_font, s.value_mm, s.value_rgb))
    x += s.value_mm + 2.5
    x = labels.draw(x, y, "国籍", "Nationality") + 1.5
    box = p.text(x + dx, y + dy, lic.nationality, s.value_font, s.value_mm, s.value_rgb)
    boxes["nationality"] = _quad(*box)
    assert box[2] / k < PAGE_MM[0] - 2

    # 住址: two lines reserved; a long address gets a smaller size rather than a third line.
    y = 27.2
    labels.draw(s.margin, y, "住址", "Address")
    size, wrap_w = s.value_mm, photo[0] - 1.2 - vx - max(dx, 0)
    lines = _wrap(p, lic.address, s.value_font, size, wrap_w)
    while len(lines) > 2:
        size *= 0.95
        lines = _wrap(p, lic.address, s.value_font, size, wrap_w)
    box = None
    for i, line in enumerate(lines):
        b = p.text(vx + dx, y + dy + i * 3.8, line, s.value_font, size, s.value_rgb)
        box = b if box is None else _union(box, b)
    assert box is not None
    boxes["address"] = _quad(*box)

    # The remaining rows share the space down to the bottom margin evenly.
    first, last = y + 3.8, 55.8
    pitch = (last - first) / len(rows)
    values = [lic.birth.isoformat(), lic.issue_date.isoformat(), lic.licence_class]
    keys = ["birth", "issue_date", "class"]
    for i, ((zh, en), value) in enumerate(zip(rows, values + [None] * 2, strict=False)):
        y = first + (i + 1) * pitch
        labels.draw(s.margin, y, zh, en)
        if i < 3:
            if keys[i] == "class":  # the code is printed inside a rectangle
                pad = 1.0
                tw = p.width(value, s.value_font, s.value_mm)
                x0 = vx + dx
                rect = [x0 * k, (y - 3.0) * k, (x0 + max(tw + 2 * pad, 9.0)) * k, (y + 0.9) * k]
                p.draw.rectangle(rect, outline=(40, 40, 45), width=max(1, round(0.22 * k)))
                box = p.text(x0 + pad, y + dy * 0.3, value, s.value_font, s.value_mm, s.value_rgb)
            else:
                box = p.text(vx + dx, y + dy, value, s.value_font, s.value_mm, s.value_rgb)
            boxes[keys[i]] = _quad(*box)
    rows_y = [first + (i + 1) * pitch for i in range(len(rows))]
    start, end = lic.valid_from.isoformat(), lic.front_truth()["valid_to"]
    if layout == "new":
        y = rows_y[3]
        b1 = p.text(vx + dx, y + dy, start, s.value_font, s.value_mm, s.value_rgb)
        x = b1[2] / k + 0.2
        mid = p.text(x + 1.0, y + dy, "至", s.value_font, s.value_mm, s.value_rgb)
        b2 = p.text(mid[2] / k + 1.2, y + dy, end, s.value_font, s.value_mm, s.value_rgb)
    else:
        b1 = p.text(vx + dx, rows_y[3] + dy, start, s.value_font, s.value_mm, s.value_rgb)
        b2 = p.text(vx + dx, rows_y[4] + dy, f"{lic.valid_years}年", s.value_font, s.value_mm,
                    s.value_rgb)
    boxes["valid_from"], boxes["valid_to"] = _quad(*b1), _quad(*b2)

    if s.number_under_photo:
        nw = p.width(lic.number, s.value_font, 2.0)
        p.text((photo[0] + photo[2] - nw) / 2, photo[3] + 2.6, lic.number, s.value_font, 2.0,
               s.value_rgb)

    page = np.array(img)
    # The seal: bottom left, over the label column, slightly crooked.
    mask = artwork.seal_mask(lic.issuing_authority, seal, k, rng, s.seal_font)
    side_mm = mask.shape[0] / k
    # Over the label column; as little as possible over the values (narrow label columns).
    sx = max(0.8, min(s.margin - rng.uniform(0.5, 2.0), vx + 1.0 - side_mm))
    sy = PAGE_MM[1] - side_mm - rng.uniform(1.8, 3.2)
    quad = artwork.stamp(page, mask, round(sx * k), round(sy * k), rng.uniform(-4, 4), rng)
    boxes["issuing_authority"] = quad
    p.boxes.append((*quad.min(axis=0), *quad.max(axis=0)))
    return RenderedPage(page, boxes, p.boxes, s.value_mm * k)


# ---------------------------------------------------------------------------- back
def render_back(lic: Licence, style: Style, k: float, rng: random.Random) -> RenderedPage:
    page = _new_page(rng, k)
    img = Image.fromarray(page)
    p = _Painter(img, k)
    boxes: dict[str, np.ndarray] = {}
    s = style
    dx, dy = s.value_shift
    labels = _Labels(p, s, [("姓名", "Name"), ("记录", "Record")])
    vx = labels.value_x

    _title(p, s, "中华人民共和国机动车驾驶证副页",
           "Duplicate of Driving License" if s.back_english_title else None)
    _number_row(p, s, labels, 17.0, lic.number, boxes)

    y = 23.4
    labels.draw(s.margin, y, "姓名", "Name")
    boxes["name"] = _quad(*p.text(vx + dx, y + dy, lic.name, s.value_font, s.value_mm,
                                  s.value_rgb))
    fw = p.width(lic.file_number, s.value_font, s.value_mm, 0.1)
    lw = labels.block_width("档案编号", "File No.")
    x = min(max(44.0, vx + 4 * s.value_mm + 3), PAGE_MM[0] - s.margin - fw - lw - 2.2)
    x = labels.draw(x, y, "档案编号", "File No.") + 1.5
    boxes["file_number"] = _quad(*p.text(x + dx, y + dy, lic.file_number, s.value_font,
                                         s.value_mm, s.value_rgb, spacing=0.1))

    y = 29.8
    labels.draw(s.margin, y, "记录", "Record")
    size = 2.55
    avail = PAGE_MM[0] - s.margin - vx - max(dx, 0)
    widest = max((p.width(line, s.value_font, size) for line in lic.record), default=0.0)
    if widest > avail:
        size *= avail / widest
    box = None
    for i, line in enumerate(lic.record):
        b = p.text(vx + dx, y + dy + i * 4.2, line, s.value_font, size, s.value_rgb)
        box = b if box is None else _union(box, b)
    if box is not None:
        boxes["record"] = _quad(*box)
    record_bottom = (box[3] / k) if box is not None else y

    # Barcode with its digits underneath, at the bottom.
    bar_w, bar_h = rng.uniform(34, 42), rng.uniform(6, 7.5)
    bx = rng.uniform(s.margin + 8, PAGE_MM[0] - s.margin - bar_w - 4)
    by = PAGE_MM[1] - bar_h - 5.5
    digits = "".join(str(rng.randrange(10)) for _ in range(rng.choice((12, 13, 14))))
    dw = p.width(digits, "sans", 2.0, 0.25)
    p.text(bx + (bar_w - dw) / 2, by + bar_h + 2.6, digits, "sans", 2.0, (25, 25, 30), 0.25)

    page = np.array(img)
    artwork.barcode(page, round(bx * k), round(by * k), round(bar_w * k), round(bar_h * k), rng)
    p.boxes.append((bx * k, by * k, (bx + bar_w) * k, (by + bar_h) * k))
    # A clerk's pen note on about one back in ten, in the free band under the record lines.
    top, bottom = record_bottom + 1.2, by - 1.2
    if rng.random() < 0.1 and bottom - top > 3.0:
        zone = (vx * k, top * k, (PAGE_MM[0] - s.margin) * k, bottom * k)
        artwork.scribble(page, tuple(round(v) for v in zone), k, rng)  # type: ignore[arg-type]
    return RenderedPage(page, boxes, p.boxes, s.value_mm * k)


# ---------------------------------------------------------------------------- objects
@dataclass
class FlatObject:
    """What the camera sees, flat: one page, or the opened wallet with both pages. ``rgba``
    carries the outline (rounded corners) in its alpha channel."""

    rgba: np.ndarray
    pages: list[np.ndarray]  # per page: 4×2 page corners (TL, TR, BR, BL) in object pixels
    boxes: dict[str, np.ndarray]  # field quads in object pixels ("front.name" for wallets)
    text_boxes: list[tuple[float, float, float, float]]
    text_px: float


def _rounded_alpha(h: int, w: int, radius: int) -> np.ndarray:
    mask = np.zeros((h, w), np.uint8)
    cv2.rectangle(mask, (radius, 0), (w - 1 - radius, h - 1), 255, -1)
    cv2.rectangle(mask, (0, radius), (w - 1, h - 1 - radius), 255, -1)
    for cx, cy in ((radius, radius), (w - 1 - radius, radius), (radius, h - 1 - radius),
                   (w - 1 - radius, h - 1 - radius)):
        cv2.circle(mask, (cx, cy), radius, 255, -1, cv2.LINE_AA)
    return mask


def single(page: RenderedPage, k: float) -> FlatObject:
    h, w = page.image.shape[:2]
    rgba = np.dstack([page.image, _rounded_alpha(h, w, round(2.0 * k))])
    corners = _quad(0, 0, w, h)
    return FlatObject(rgba, [corners], dict(page.boxes), list(page.text_boxes), page.text_px)


_WALLETS = ((38, 32, 30), (28, 30, 45), (70, 42, 30), (22, 22, 24), (45, 60, 45))


def wallet(front: RenderedPage, back: RenderedPage, k: float, rng: random.Random) -> FlatObject:
    """The opened licence wallet: front page left, back page right, a dark cover around them
    and a seam down the middle (symmetric, so splitting the wallet in half finds the pages)."""
    ph, pw = front.image.shape[:2]
    border, gap = round(rng.uniform(3.5, 5.5) * k), round(rng.uniform(3.0, 5.0) * k)
    W, H = 2 * pw + 2 * border + gap, ph + 2 * border
    colour = np.float32(rng.choice(_WALLETS))
    nrng = np.random.default_rng(rng.randrange(2**32))
    grain = cv2.resize(nrng.normal(1.0, 0.06, (H // 6 + 1, W // 6 + 1)).astype(np.float32),
                       (W, H), interpolation=cv2.INTER_LINEAR)
    cover = np.clip(colour * grain[..., None], 0, 255).astype(np.uint8)
    # The fold: a slightly darker band with a highlight beside it.
    mid = W // 2
    cv2.line(cover, (mid, 0), (mid, H), tuple(int(c * 0.6) for c in colour), max(1, gap // 4))
    cv2.line(cover, (mid + gap // 4, 0), (mid + gap // 4, H),
             tuple(min(255, int(c * 1.5) + 20) for c in colour), 1)
    rgba = np.dstack([cover, _rounded_alpha(H, W, round(3.0 * k))])
    pages, boxes, text_boxes = [], {}, []
    for name, page, x0 in (("front", front, border), ("back", back, border + pw + gap)):
        alpha = _rounded_alpha(ph, pw, round(1.5 * k)).astype(np.float32)[..., None] / 255
        region = rgba[border:border + ph, x0:x0 + pw, :3]
        region[:] = (page.image * alpha + region * (1 - alpha)).astype(np.uint8)
        offset = np.float32([x0, border])
        pages.append(_quad(0, 0, pw, ph) + offset)
        for key, quad in page.boxes.items():
            boxes[f"{name}.{key}"] = quad + offset
        text_boxes += [(a + x0, b + border, c + x0, d + border) for a, b, c, d in page.text_boxes]
    return FlatObject(rgba, pages, boxes, text_boxes, front.text_px)
