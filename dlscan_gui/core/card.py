"""Locate the licence in a photo: a card-shaped quadrilateral.

Only locating for now; rectification will build on ``CardLocation`` (its corners are already in
the order a perspective transform wants). Everything runs on a grayscale copy ``WORK_SIZE`` px
on its long side, so a 12 MP photo costs about 15 ms (most of it the downscale).

A licence page is 88 × 60 mm (aspect ≈ 1.47); the opened booklet shows two pages side by side
(≈ 2.9). Candidate outlines come from several masks, because none works everywhere: an Otsu
threshold (a light card on a darker desk), Canny edges at two sensitivities, and "differs from
the frame border" (a desk about as light as the card). Each outline must be a convex,
card-shaped quad, and most of it must be a real brightness step ("edge support"), which weeds
out blobs of desk texture; the largest well-supported quad wins. A frame with a licence's
aspect and a light margin all round is taken as a tight crop or scan: the frame is the card.

Known limit: a strongly textured desk as light as the card can hide the outline; then the
result is None or an inner part of the card (its photo box), never a crash.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import cv2
import numpy as np

from dlscan_gui.core.imaging import downscale, fit_size

WORK_SIZE = 640  # long side of the analysis copy
PAGE_ASPECT = 88 / 60
# One page … an opened booklet (1.47 … 2.93 flat); perspective foreshortens either by up to a
# quarter.
MIN_ASPECT, MAX_ASPECT = 1.1, 3.7
DOUBLE_PAGE_ASPECT = 2.2  # above this, the quad is the whole booklet
MIN_AREA = 0.015  # of the frame: smaller blobs are not worth a look
MAX_AREA = 0.97  # of the frame: a contour this big is the frame itself
BORDER_MARGIN = 0.01  # of the frame size: corners closer than this "touch" the border
EDGE_STEP = 8  # gray levels across the outline that count as an edge
MIN_SUPPORT = 0.6  # fraction of the outline that must be such an edge
SUPPORT_SAMPLES = 60  # samples per side
FRAME_ASPECT_TOL = 0.06  # a frame this close to a licence's aspect may be a tight crop
FRAME_CARD_MAX_INNER = 0.25  # ...if what was found inside covers less than this
# Perspective: every corner of the outline within 90° ± this many degrees (a booklet held at
# an angle to the camera has corners near 55°).
MAX_CORNER_SKEW = 37.0


@dataclass(frozen=True, eq=False)
class CardLocation:
    corners: np.ndarray  # 4×2 float32: TL, TR, BR, BL in the input image's pixels
    coverage: float  # card area / frame area
    touches_border: bool  # a corner or edge is at the frame edge: probably cut off

    @property
    def width(self) -> float:
        """Mean length of the top and bottom edges, in pixels."""
        c = self.corners
        return float(np.linalg.norm(c[1] - c[0]) + np.linalg.norm(c[2] - c[3])) / 2

    @property
    def height(self) -> float:
        """Mean length of the left and right edges, in pixels."""
        c = self.corners
        return float(np.linalg.norm(c[3] - c[0]) + np.linalg.norm(c[2] - c[1])) / 2

    @property
    def aspect(self) -> float:
        """Long side / short side of the quad."""
        w, h = self.width, self.height
        return max(w, h) / max(min(w, h), 1e-6)

    @property
    def double_page(self) -> bool:
        """The quad is the opened booklet (both pages) rather than one page."""
        return self.aspect > DOUBLE_PAGE_ASPECT

    @property
    def page_width(self) -> float:
        """Width of one page along its long side, in pixels."""
        long_side = max(self.width, self.height)
        return long_side / 2 if self.double_page else long_side

    def scaled(self, factor: float) -> CardLocation:
        """The same location in an image ``factor`` times the size (coverage is unchanged)."""
        return CardLocation(
            (self.corners * factor).astype(np.float32), self.coverage, self.touches_border
        )


def locate_card(pixels: np.ndarray) -> CardLocation | None:
    """Find the card in a BGR (or gray) image; None when nothing card-like is there."""
    h, w = pixels.shape[:2]
    small = pixels
    if max(h, w) > WORK_SIZE:
        small = downscale(pixels, *fit_size(w, h, WORK_SIZE))
    gray = cv2.cvtColor(small, cv2.COLOR_BGR2GRAY) if small.ndim == 3 else small
    gray = cv2.GaussianBlur(gray, (5, 5), 0)

    best: tuple[float, np.ndarray, bool] | None = None
    for mask, inset in _candidate_masks(gray):
        found = _best_quad(mask, gray, inset)
        if found is not None and (best is None or found[0] > best[0]):
            best = found
    sh, sw = gray.shape
    coverage = float(cv2.contourArea(best[1])) / (sw * sh) if best is not None else 0.0
    inner = best is None or coverage < FRAME_CARD_MAX_INNER or best[2]
    if inner and _frame_is_card(gray):
        # A tight crop or scan: the frame is the card, and what was found (if anything) is
        # only its photo, its seal or one page of the booklet.
        frame = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
        return CardLocation(frame, 1.0, False)
    if best is None:
        return None
    _score, quad, touches = best
    # Back to input pixels: the small copy's pixel centres sit at (x + 0.5) / scale - 0.5.
    corners = ((quad + 0.5) / np.float32([sw / w, sh / h]) - 0.5).astype(np.float32)
    return CardLocation(corners, min(coverage, 1.0), touches)


def _frame_is_card(gray: np.ndarray) -> bool:
    """The frame has a licence's aspect and a light paper margin all round (a desk, or noise,
    does not)."""
    h, w = gray.shape
    aspect = max(w, h) / min(w, h)
    if not any(abs(aspect / a - 1) <= FRAME_ASPECT_TOL for a in (PAGE_ASPECT, 2 * PAGE_ASPECT)):
        return False
    m = max(2, round(0.03 * min(w, h)))
    ring = np.concatenate(
        [gray[:m].ravel(), gray[-m:].ravel(), gray[:, :m].ravel(), gray[:, -m:].ravel()]
    )
    return float(ring.mean()) >= 150 and float(np.percentile(ring, 10)) >= 110


def _candidate_masks(gray: np.ndarray) -> list[tuple[np.ndarray, float]]:
    """(mask, inset): the inset (px) undoes the outward bias of a mask's outline."""
    kernel = cv2.getStructuringElement(cv2.MORPH_RECT, (5, 5))
    _t, bright = cv2.threshold(gray, 0, 255, cv2.THRESH_BINARY + cv2.THRESH_OTSU)
    # Close the text and photo holes, open away thin bright streaks of the desk.
    bright = cv2.morphologyEx(bright, cv2.MORPH_CLOSE, kernel)
    bright = cv2.morphologyEx(bright, cv2.MORPH_OPEN, kernel)
    # Canny at two sensitivities: contrasty scenes, and a light card on a light desk.
    hist = np.cumsum(cv2.calcHist([gray], [0], None, [256], [0, 256]).ravel())
    median = float(np.searchsorted(hist, hist[-1] / 2))
    dilate = cv2.getStructuringElement(cv2.MORPH_RECT, (3, 3))
    masks = [(bright, 0.0)]
    for low, high in ((max(8.0, 0.33 * median), max(24.0, 0.66 * median)), (6.0, 18.0)):
        edges = cv2.dilate(cv2.Canny(gray, low, high), dilate)
        # The outer outline of a dilated edge lies about 1–2 px outside the card's edge.
        masks.append((edges, 1.25))
    # Whatever differs from the frame's border (the desk), for desks as light as the card.
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    desk = float(np.median(border))
    differs = cv2.threshold(cv2.absdiff(gray, desk), 10, 255, cv2.THRESH_BINARY)[1]
    differs = cv2.morphologyEx(differs, cv2.MORPH_CLOSE, kernel)
    masks.append((cv2.morphologyEx(differs, cv2.MORPH_OPEN, kernel), 0.0))
    return masks


def _inset(quad: np.ndarray, d: float) -> np.ndarray:
    """Move every side of a (near-rectangular) quad inward by ``d`` pixels."""
    if d == 0:
        return quad
    out = quad.copy()
    for i in range(4):
        u, v = quad[(i + 1) % 4] - quad[i], quad[i - 1] - quad[i]
        out[i] += d * (u / np.linalg.norm(u) + v / np.linalg.norm(v))
    return out


def _best_quad(
    mask: np.ndarray, gray: np.ndarray, inset: float
) -> tuple[float, np.ndarray, bool] | None:
    """The best card-shaped quad among a mask's outlines: (score, quad, touches_border)."""
    h, w = gray.shape[:2]
    frame = float(w * h)
    contours, _ = cv2.findContours(mask, cv2.RETR_EXTERNAL, cv2.CHAIN_APPROX_SIMPLE)
    best = None
    for contour in contours:
        area = cv2.contourArea(contour)
        if area < MIN_AREA * frame:
            continue
        hull = cv2.convexHull(contour)
        hull_area = cv2.contourArea(hull)
        if hull_area > MAX_AREA * frame or area < 0.8 * hull_area:
            continue
        quad = _quad_from_hull(hull)
        if quad is None:
            continue
        quad_area = cv2.contourArea(quad)
        fill = hull_area / max(quad_area, 1.0)
        touches = _touches_border(hull, w, h)
        if not 0.85 <= fill <= 1.1 or not _card_shaped(quad, touches):
            continue
        quad = _inset(quad, inset)
        # A big quad wins only if its outline is a real edge: desk texture makes big blobs too.
        support = _edge_support(gray, quad)
        if support < MIN_SUPPORT:
            continue
        score = quad_area * support**2
        if touches:  # a whole card in view beats a blob that runs off the frame
            score *= 0.5
        if best is None or score > best[0]:
            best = (score, quad, touches)
    return best


def _edge_support(gray: np.ndarray, quad: np.ndarray) -> float:
    """Fraction of the outline (away from the frame border) across which brightness steps by
    at least ``EDGE_STEP`` levels, all in the majority direction. A card's outline scores near
    1 whether the desk is darker or lighter; the outline of desk texture scores low."""
    h, w = gray.shape[:2]
    t = (np.arange(SUPPORT_SAMPLES) + 0.5) / SUPPORT_SAMPLES
    centre = quad.mean(axis=0)
    inner, outer = [], []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        pts = a + (b - a) * t[:, None]
        normal = np.array([a[1] - b[1], b[0] - a[0]], np.float32)
        normal /= max(float(np.linalg.norm(normal)), 1e-6)
        if (centre - a) @ normal < 0:  # point the normal into the card
            normal = -normal
        inner.append(pts + 3 * normal)
        outer.append(pts - 3 * normal)
    pin, pout = np.vstack(inner).round(), np.vstack(outer).round()
    keep = (
        (pout[:, 0] >= 1)
        & (pout[:, 0] < w - 1)
        & (pout[:, 1] >= 1)
        & (pout[:, 1] < h - 1)
        & (pin[:, 0] >= 0)
        & (pin[:, 0] < w)
        & (pin[:, 1] >= 0)
        & (pin[:, 1] < h)
    )
    if keep.sum() < 2 * SUPPORT_SAMPLES:  # less than half of the outline is in the frame
        return 0.0
    pin, pout = pin[keep].astype(int), pout[keep].astype(int)
    step = gray[pin[:, 1], pin[:, 0]].astype(np.int16) - gray[pout[:, 1], pout[:, 0]]
    up, down = int((step >= EDGE_STEP).sum()), int((step <= -EDGE_STEP).sum())
    return max(up, down) / len(step)


def _quad_from_hull(hull: np.ndarray) -> np.ndarray | None:
    """Four corners TL, TR, BR, BL: approximate the hull, then refine each side by a line fit
    so rounded card corners still give the corners of the card's outline."""
    perimeter = cv2.arcLength(hull, True)
    approx = None
    for eps in (0.02, 0.035, 0.05):
        poly = cv2.approxPolyDP(hull, eps * perimeter, True)
        if len(poly) == 4:
            approx = poly.reshape(4, 2).astype(np.float32)
            break
    if approx is None:  # a cut-off card can leave 5-6 corners: take the enclosing rectangle
        approx = cv2.boxPoints(cv2.minAreaRect(hull)).astype(np.float32)
        return _order(approx)
    approx = _order(approx)
    refined = _refine(hull.reshape(-1, 2).astype(np.float32), approx)
    return refined if refined is not None else approx


def _order(pts: np.ndarray) -> np.ndarray:
    """TL, TR, BR, BL: clockwise by angle around the centre, starting nearest the top left."""
    centre = pts.mean(axis=0)
    angles = np.arctan2(pts[:, 1] - centre[1], pts[:, 0] - centre[0])
    pts = pts[np.argsort(angles)]  # clockwise in image coordinates (y points down)
    start = int(np.argmin(pts[:, 0] + pts[:, 1]))
    return np.roll(pts, -start, axis=0).astype(np.float32)


def _refine(points: np.ndarray, quad: np.ndarray) -> np.ndarray | None:
    """Fit a line to the hull points along each side (ignoring the ends, where corners are
    rounded) and intersect neighbouring lines."""
    # Densify the hull: its vertices alone are too few to fit a line to.
    dense = []
    closed = np.vstack([points, points[:1]])
    for a, b in itertools.pairwise(closed):
        steps = max(1, int(np.linalg.norm(b - a) // 2))
        dense.append(a + (b - a) * (np.arange(steps)[:, None] / steps))
    dense_pts = np.vstack(dense)
    lines = []
    for i in range(4):
        a, b = quad[i], quad[(i + 1) % 4]
        d = b - a
        length = float(np.linalg.norm(d))
        if length < 4:
            return None
        t = (dense_pts - a) @ d / length**2
        dist = np.abs((dense_pts - a) @ np.array([-d[1], d[0]]) / length)
        near = dense_pts[(t > 0.15) & (t < 0.85) & (dist < max(2.0, 0.03 * length))]
        if len(near) < 3:
            return None
        vx, vy, x0, y0 = cv2.fitLine(near, cv2.DIST_HUBER, 0, 0.01, 0.01).ravel()
        lines.append((np.array([x0, y0]), np.array([vx, vy])))
    corners = []
    for i in range(4):
        (p, u), (q, v) = lines[i - 1], lines[i]
        det = u[0] * -v[1] + v[0] * u[1]
        if abs(det) < 1e-6:
            return None
        s = ((q[0] - p[0]) * -v[1] + v[0] * (q[1] - p[1])) / det
        corners.append(p + s * u)
    refined = np.array(corners, np.float32)
    # A refinement that moved a corner far is a bad fit; keep the plain approximation.
    if np.max(np.linalg.norm(refined - quad, axis=1)) > 0.1 * np.linalg.norm(quad[2] - quad[0]):
        return None
    return refined


def _card_shaped(quad: np.ndarray, touches: bool) -> bool:
    if not cv2.isContourConvex(quad.reshape(-1, 1, 2)):
        return False
    sides = np.linalg.norm(quad - np.roll(quad, -1, axis=0), axis=1)
    if sides.min() < 8:
        return False
    w, h = (sides[0] + sides[2]) / 2, (sides[1] + sides[3]) / 2
    aspect = max(w, h) / min(w, h)
    # A cut-off card shows only part of itself: any aspect up to the booklet's is possible.
    low = 0.95 if touches else MIN_ASPECT
    if not low <= aspect <= MAX_ASPECT:
        return False
    # Moderate perspective only: no corner far from square, opposite sides similar.
    max_cos = float(np.sin(np.radians(MAX_CORNER_SKEW)))
    for i in range(4):
        u, v = quad[i - 1] - quad[i], quad[(i + 1) % 4] - quad[i]
        cos = float(u @ v) / (np.linalg.norm(u) * np.linalg.norm(v))
        if abs(cos) > max_cos:
            return False
    return bool(
        min(sides[0], sides[2]) > 0.6 * max(sides[0], sides[2])
        and min(sides[1], sides[3]) > 0.6 * max(sides[1], sides[3])
    )


def _touches_border(hull: np.ndarray, w: int, h: int) -> bool:
    pts = hull.reshape(-1, 2)
    mx, my = max(2.0, BORDER_MARGIN * w), max(2.0, BORDER_MARGIN * h)
    return bool(
        (pts[:, 0] <= mx).any()
        or (pts[:, 0] >= w - 1 - mx).any()
        or (pts[:, 1] <= my).any()
        or (pts[:, 1] >= h - 1 - my).any()
    )


# ---------------------------------------------------------------------------- rectification
PAGE_SIZE = (880, 600)  # one page at 10 px/mm: licence text is about 30 px tall


@dataclass(frozen=True, eq=False)
class Page:
    """One page warped flat and landscape. ``to_original`` maps page pixels back to the input
    image (a 3×3 homography), so that boxes found on the page can be drawn on the photo."""

    image: np.ndarray
    to_original: np.ndarray

    def map_to_original(self, points: np.ndarray) -> np.ndarray:
        pts = np.asarray(points, np.float32).reshape(-1, 1, 2)
        return cv2.perspectiveTransform(pts, self.to_original).reshape(-1, 2)

    def rotated_180(self) -> Page:
        """The same page upside down (for a card photographed the other way round)."""
        h, w = self.image.shape[:2]
        flip = np.float64([[-1, 0, w - 1], [0, -1, h - 1], [0, 0, 1]])
        return Page(cv2.rotate(self.image, cv2.ROTATE_180), self.to_original @ flip)


def _landscape(quad: np.ndarray) -> np.ndarray:
    """Corners re-ordered so that TL→TR runs along a long side (a card held at 90°)."""
    width = np.linalg.norm(quad[1] - quad[0]) + np.linalg.norm(quad[2] - quad[3])
    height = np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])
    return quad if width >= height else np.roll(quad, -1, axis=0)


def rectify(pixels: np.ndarray, quad: np.ndarray, size: tuple[int, int] = PAGE_SIZE) -> Page:
    """Warp the quad (TL, TR, BR, BL) to a flat ``size`` page."""
    w, h = size
    quad = np.float32(quad)
    pre = np.eye(3)
    shrink = w / max(float(np.linalg.norm(quad[1] - quad[0])), 1.0)
    if shrink < 0.5:
        # A warp samples, it does not average: shrink big photos first so text is not aliased.
        factor = min(1.0, shrink * 1.5)
        ih, iw = pixels.shape[:2]
        nw, nh = max(1, round(iw * factor)), max(1, round(ih * factor))
        pixels = downscale(pixels, nw, nh)
        pre = np.diag([nw / iw, nh / ih, 1.0])
        quad = cv2.perspectiveTransform(quad.reshape(-1, 1, 2), pre).reshape(4, 2)
    target = np.float32([[0, 0], [w - 1, 0], [w - 1, h - 1], [0, h - 1]])
    forward = cv2.getPerspectiveTransform(quad, target)
    image = cv2.warpPerspective(pixels, forward, (w, h), flags=cv2.INTER_LINEAR,
                                borderMode=cv2.BORDER_REPLICATE)
    return Page(image, np.linalg.inv(forward @ pre))


def page_quads(location: CardLocation) -> list[np.ndarray]:
    """One quad per page: the opened booklet is split down its middle."""
    quad = _landscape(location.corners.astype(np.float32))
    if not location.double_page:
        return [quad]
    tl, tr, br, bl = quad
    top_mid, bottom_mid = (tl + tr) / 2, (bl + br) / 2
    return [np.float32([tl, top_mid, bottom_mid, bl]), np.float32([top_mid, tr, br, bottom_mid])]


def rectify_pages(pixels: np.ndarray, location: CardLocation,
                  size: tuple[int, int] = PAGE_SIZE) -> list[Page]:
    return [rectify(pixels, quad, size) for quad in page_quads(location)]
