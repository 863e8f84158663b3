"""The issuing authority, read from the red seal on the front page.

The stamp is isolated by colour (red ink over black print) and turned into black text on
white. A square seal holds the name in three horizontal lines that fill its frame: the frame is
straightened and cut into three bands, each scored against its third of every name. A round
seal has the name along its upper arc, which a polar unwrap turns into one straight line. A
page with no red seal (a grayscale copy) is searched for a square seal's frame instead
(``seal_frame.py``).

The reading is constrained to the names an authority can have (``authority.py``): the
recogniser's per-frame character probabilities score every such name at once (CTC), so a
blurred character still counts for the name whose character was the model's second choice. The
likeliest name is returned only when it is far likelier than every other name and the plain
reading bears it out. Several looks (insets, sharpening, redness measured two ways, unwraps)
are tried in turn, and then together. A blurred seal whose place no plain reading bears out
still gives a city's name when the looks agree on it, nearly certain (scored against every
name, not only a shortlist), and the recogniser saw each of its characters; that name comes
with a warning to check it. Failing that, a seal whose likeliest city (all looks together, of
all cities) is the one the front page's address names gives that city's authority, with a
warning too: a licence is issued where its holder lives, and the seal's own evidence must point
there. Otherwise the seal gives no authority, never a guess.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from itertools import permutations
from typing import NamedTuple

import cv2
import numpy as np

from dlscan_gui.core.errors import Message
from dlscan_gui.core.findings import Finding, Level
from dlscan_gui.engines.local.authority import (
    CITY_BODIES,
    address_place,
    all_authorities,
    decoys,
    parts,
    place_fixes,
)
from dlscan_gui.engines.local.ctc import Candidates, ctc_scores, greedy_text, label_rows
from dlscan_gui.engines.local.ocr import OcrRunner
from dlscan_gui.engines.local.seal_frame import darkness, frame_ink, square_frame

_CJK_ONLY = re.compile(r"[^\u4e00-\u9fff]")
MIN_SEAL_AREA = 0.025  # of the page (bounding box): the red 证号 box is far smaller
EDGE_BAND = 0.006  # of the page width: the red mask's band along each edge ...
DESK_EDGE = 0.6  # ... is a desk's sliver, and cleared, when red along this share of it
MAX_SEAL_FILL = 0.55  # inked share of the box: a red photo backdrop is nearly solid
SHARPEN_SIGMA = 4.0  # px: about the blur of JPEG's half-resolution colour on the page
MIN_RELATIVE_RED = 30.0  # red channel level below which a pixel's redness ratio is noise
SHORTLIST = 64  # names scored in full (of about a thousand)
MIN_POSTERIOR = 0.9  # of the best name among all the grammar allows
MIN_POSTERIOR_FIXED = 0.999  # ... when characters of its place name were misread
# A name no plain reading bears out: how many looks must agree on it, and how sure each is.
# A round seal's looks are unwraps of one image about one centre, whose errors go together
# more than the square's cuts and sharpenings do (two round looks agreed on 遵义 for 贵阳).
MIN_AGREEING_SQUARE_LOOKS = 2
MIN_AGREEING_ROUND_LOOKS = 3
MIN_AGREEMENT_POSTERIOR = 0.99
MIN_CITY_EVIDENCE = 1e-4  # a city character's best per-frame probability in any look
# The labels a seal is stamped over. On a grayscale copy their black print is in the seal's ink,
# and the 日 of 日期 fits 日照 (79064, 79105, 90102): the looks' agreement takes no city named
# with these characters there.
LABELS_UNDER_SEAL = "出生日期初次领证准驾车型有效期限起始"
# The address's city, taken when all looks together make it likelier than all other cities
# put together: the address is evidence the seal's looks do not share.
MIN_ADDRESS_POSTERIOR = 0.5
UNCLEAR_CODE = "field.seal_unclear"
BY_ADDRESS_CODE = "field.seal_by_address"
UNSHARP_AMOUNT, UNSHARP_SIGMA = 2.0, 3.0  # px
ROUND_FILL = 0.78  # a circle covers π/4 of its box, a square frame nearly all of it


def _redness(page: np.ndarray) -> np.ndarray:
    """How much redder than green/blue each pixel is (0–255)."""
    b, g, r = cv2.split(page.astype(np.int16))
    return np.clip(r - np.maximum(g, b), 0, 255).astype(np.uint8)


def _seal_mask(page: np.ndarray) -> np.ndarray:
    red = _redness(page)
    # Faded or grey-cast photos have weak red: take the threshold from the reddest ink where
    # the seal may be (the left part; a red photo backdrop on the right would set it too high).
    left = red[:, : round(0.6 * red.shape[1])]
    level = max(25.0, min(50.0, 0.4 * float(np.percentile(left, 99.5))))
    mask = (red > level).astype(np.uint8) * 255
    # A sliver of a red or brown desk along a loosely cut page's edge would join the seal
    # stamped near that edge to a line as long as the page: an edge band red along most of
    # its length is cleared (a seal's frame stamped up to the edge reds a third of it).
    edge = max(2, round(EDGE_BAND * mask.shape[1]))
    for band in (mask[:edge], mask[-edge:], mask[:, :edge].T, mask[:, -edge:].T):
        if band.any(axis=0).mean() > DESK_EDGE:
            band[:] = 0
    return mask


def _seal_component(mask: np.ndarray) -> tuple[int, int, int, int] | None:
    """The seal's bounding box: large, roughly square, mostly empty inside (the filled 证号 box
    is small and wide; a red photo backdrop is solid), and in the page's left half."""
    h, w = mask.shape
    # A red desk or wallet left around a loosely cut page would join everything: drop ink that
    # spans most of the page before joining the seal's strokes.
    count, labels, stats, _centroids = cv2.connectedComponentsWithStats(mask)
    huge = [i for i in range(1, count) if stats[i, 2] > 0.6 * w or stats[i, 3] > 0.6 * h]
    if huge:
        mask = np.where(np.isin(labels, huge), 0, mask).astype(np.uint8)
    closed = cv2.morphologyEx(mask, cv2.MORPH_CLOSE, np.ones((15, 15), np.uint8))
    count, _labels, stats, _centroids = cv2.connectedComponentsWithStats(closed)
    best = None
    for index in range(1, count):
        x, y, bw, bh, _area = stats[index]
        if bw * bh < MIN_SEAL_AREA * w * h or not 0.6 < bw / bh < 1.7 or x + bw / 2 > 0.55 * w:
            continue
        inked = float((mask[y:y + bh, x:x + bw] > 0).mean())
        if inked > MAX_SEAL_FILL:
            continue
        if best is None or bw * bh > best[2] * best[3]:
            best = (int(x), int(y), int(bw), int(bh))
    return best


def _ink(crop: np.ndarray, relative: bool = False) -> np.ndarray:
    """Red ink as black on white; the black print underneath fades to nothing.

    JPEG keeps colour at half resolution, so a redness map (a colour difference) blurs small
    seal lettering, while the green channel, where red ink is dark, follows the full-resolution
    brightness. The redness map is sharpened with green's detail (its ratio to its own blur,
    as in pan-sharpening); black print has no redness, so it stays out.

    Seal ink multiplies with the print under it, so where a label's grey, blurred stroke
    crosses the lettering the redness (r - max(g, b)) shrinks with the print's brightness and
    the letter has a hole. ``relative`` measures redness against the red channel instead,
    which the multiplication leaves unchanged: the lettering stays whole across the labels,
    at the cost of noisier faint ink (a second look, not a replacement)."""
    if relative:
        b, g, r = cv2.split(crop.astype(np.float32))
        red = np.clip((r - np.maximum(g, b)) / np.maximum(r, MIN_RELATIVE_RED), 0, 1) * 255
    else:
        red = _redness(crop).astype(np.float32)
        g = crop[:, :, 1].astype(np.float32)
    darkness = np.clip(float(np.percentile(g, 95)) - g, 0, None) + 1.0
    detail = darkness / cv2.GaussianBlur(darkness, (0, 0), SHARPEN_SIGMA)
    ink = red * np.clip(detail, 0, 3)
    ink = cv2.normalize(ink, None, 0, 255, cv2.NORM_MINMAX)
    return (255 - ink).astype(np.uint8)


def _clean(text: str) -> str:
    return _CJK_ONLY.sub("", text)


def _is_round(mask: np.ndarray) -> bool:
    """A round seal leaves its box's corners empty."""
    h, w = mask.shape
    m = max(2, round(0.12 * min(h, w)))
    corners = [mask[:m, :m], mask[:m, -m:], mask[-m:, :m], mask[-m:, -m:]]
    return sum(float((c > 0).mean()) < 0.02 for c in corners) >= 3


def _straighten(ink: np.ndarray) -> np.ndarray:
    """The square frame and its inside, turned upright (seals are stamped a few degrees
    crooked)."""
    _t, dark = cv2.threshold(ink, 0, 255, cv2.THRESH_BINARY_INV + cv2.THRESH_OTSU)
    (cx, cy), (rw, rh), angle = cv2.minAreaRect(cv2.findNonZero(dark))
    angle = (angle + 45) % 90 - 45  # OpenCV versions disagree on the range
    side = round(max(rw, rh))
    rotation = cv2.getRotationMatrix2D((cx, cy), angle, 1.0)
    rotation[:, 2] += (side / 2 - cx, side / 2 - cy)
    return cv2.warpAffine(ink, rotation, (side, side), flags=cv2.INTER_LINEAR,
                          borderValue=255)


def _unsharp(ink: np.ndarray) -> np.ndarray:
    """The ink with its strokes' edges steepened (an unsharp mask): a blurred seal's second
    look."""
    dark = 255 - ink.astype(np.float32)
    dark += UNSHARP_AMOUNT * (dark - cv2.GaussianBlur(dark, (0, 0), UNSHARP_SIGMA))
    return (255 - np.clip(dark, 0, 255)).astype(np.uint8)


def _square_crops(ink: np.ndarray, inset: float) -> list[np.ndarray]:
    """The three lines inside the frame, which (with an optional inner hairline) takes
    ``inset`` of the side on each edge."""
    square = _straighten(ink)
    side = square.shape[0]
    a, b = round(inset * side), round((1 - inset) * side)
    inner = square[a:b, a:b]
    band = inner.shape[0] / 3
    crops = []
    for i in range(3):
        top, bottom = round(i * band), round((i + 1) * band)
        line = inner[max(0, top - 2): bottom + 2]
        line = cv2.copyMakeBorder(line, 4, 4, 8, 8, cv2.BORDER_CONSTANT, value=255)
        crops.append(cv2.cvtColor(line, cv2.COLOR_GRAY2BGR))
    return crops


def _circular(ink: np.ndarray, mask: np.ndarray) -> tuple[np.ndarray, float, float, float]:
    """The seal with its ellipse (a circle seen at a slant) mapped back to a circle:
    (image, centre x, centre y, radius)."""
    h, w = ink.shape
    points = cv2.findNonZero(mask)
    hull = cv2.convexHull(points) if points is not None else None
    if hull is None or len(hull) < 5:
        return ink, w / 2, h / 2, min(h, w) / 2
    (cx, cy), (a, b), angle = cv2.fitEllipse(hull)
    radius = max(a, b) / 2
    if not 0.3 * min(h, w) < radius < 0.6 * max(h, w):  # not the seal's outline
        return ink, w / 2, h / 2, min(h, w) / 2
    turn = np.vstack([cv2.getRotationMatrix2D((cx, cy), angle, 1.0), [0, 0, 1]])
    stretch = np.diag([2 * radius / max(a, 1.0), 2 * radius / max(b, 1.0), 1.0])
    matrix = np.linalg.inv(turn) @ stretch @ turn
    pad = 4
    centre = matrix @ np.array([cx, cy, 1.0])
    matrix[:2, 2] += radius + pad - centre[:2]
    size = int(2 * (radius + pad))
    circle = cv2.warpAffine(ink, matrix[:2], (size, size), flags=cv2.INTER_CUBIC,
                            borderValue=255)
    return circle, radius + pad, radius + pad, radius


def _unwrap(ink: np.ndarray, cx: float, cy: float, radius: float, ring: tuple[float, float],
            stretch: float) -> np.ndarray:
    """The upper arc as one straight line: a polar unwrap with rows as angles, columns as
    radii, ``stretch`` rows per pixel of arc at the text (arc lettering is condensed)."""
    rows = int(2 * np.pi * radius * 0.76 * stretch)
    polar = cv2.warpPolar(ink, (int(radius), rows), (cx, cy), radius,
                          cv2.WARP_POLAR_LINEAR + cv2.INTER_CUBIC)
    band = polar[:, int(radius * ring[0]): int(radius * ring[1])]
    # The name runs clockwise over the top: from 128° (lower left) through 270° to 412°; a
    # long name (宁夏回族自治区…, 19 characters) starts low on the left.
    start, end = int(rows * 128 / 360), int(rows * 52 / 360)
    strip = np.concatenate([band[start:], band[:end]])
    strip = cv2.rotate(strip, cv2.ROTATE_90_COUNTERCLOCKWISE)  # outward (glyph tops) up
    strip = cv2.copyMakeBorder(strip, 6, 6, 8, 8, cv2.BORDER_CONSTANT, value=255)
    return cv2.cvtColor(strip, cv2.COLOR_GRAY2BGR)


class _Candidates(Candidates):
    """Every real authority name, then the decoys (look-alikes that issue no licences)."""

    def __init__(self, alphabet: list[str]) -> None:
        names = all_authorities()
        self.real = len(names)
        super().__init__(names + decoys(), alphabet)
        self.alphabet = alphabet
        self.names = self.texts
        # Each real name's "{province}{city}" ("" for a municipality's), and the names of
        # cities: what an address in a city compares.
        self.places = [_city_place(name) for name in names]
        self.of_cities = np.array([i for i, place in enumerate(self.places) if place])
        self.city_places = set(filter(None, self.places))


def _city_place(name: str) -> str:
    """A city's authority name's "{province}{city}"; "" for a municipality's."""
    province, city, _body = parts(name)
    return province + city if city else ""


_candidates: _Candidates | None = None

# One look at the seal: a line's per-frame log probabilities (a round seal's unwrapped arc), or
# a square seal's three lines', top to bottom.
Look = np.ndarray | tuple[np.ndarray, ...]


def _lines(look: Look) -> tuple[np.ndarray, ...]:
    return look if isinstance(look, tuple) else (look,)


def _all_frames(look: Look) -> np.ndarray:
    """The look's lines' frames as one line."""
    return np.concatenate(_lines(look))


def _line_splits(length: int, lines: int) -> list[tuple[int, ...]]:
    """The ways a name of ``length`` characters fills ``lines`` lines of a square seal: lines
    of equal length, or differing by one character in any order (the lettering is stretched to
    fill each line, so a line's width says nothing of its count)."""
    short = length // lines
    sizes = [short + 1] * (length % lines) + [short] * (lines - length % lines)
    return sorted(set(permutations(sizes)))


def _frame_log_probs(ocr: OcrRunner, crops: list[np.ndarray]) -> list[np.ndarray]:
    """Per crop, the recogniser's log probabilities: (frames, alphabet)."""
    global _candidates
    out = ocr.frame_log_probs(crops)
    if _candidates is None:
        _candidates = _Candidates(ocr.alphabet())
    return out


def _shortlist(logp: np.ndarray, candidates: _Candidates,
               among: np.ndarray | None = None) -> np.ndarray:
    """Indices of the names (of ``among``, or all) worth a full score: those whose characters
    the frames show most (each character's best frame, order ignored: cheap, and a loose
    bound)."""
    best = logp.max(axis=0)
    bag = np.where(candidates.labels > 0, best[candidates.labels], 0.0).sum(axis=1)
    bag /= candidates.lengths  # long names are not to lose for having more characters
    if among is None:
        return np.argsort(-bag)[:SHORTLIST]
    return among[np.argsort(-bag[among])[:SHORTLIST]]


def _greedy_text(logp: np.ndarray, alphabet: list[str]) -> str:
    return _clean(greedy_text(logp, alphabet))


def _scores(looks: list[Look], among: np.ndarray | None = None,
            also: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(candidate indices, log likelihoods) of the names worth scoring (of ``among``, or all;
    always those of ``also``) for one or more looks at the same seal, scored together."""
    assert _candidates is not None
    shortlists = [_shortlist(_all_frames(look), _candidates, among) for look in looks]
    if also is not None:
        shortlists.append(also)
    shortlist = np.unique(np.concatenate(shortlists))
    # Looks that differ in cut and scale err differently: their evidence adds up.
    return shortlist, sum(_look_scores(look, shortlist) for look in looks)


def _look_scores(look: Look, shortlist: np.ndarray) -> np.ndarray:
    """log P(look | name) for each name of ``shortlist``. A square seal's lines each hold their
    third of the name (split as ``_line_splits`` allows, each way equally likely): scoring each
    line against its own part keeps a line's characters from being matched to another line's
    part, which lets a short municipality's name fit a seal whose lines did not read."""
    assert _candidates is not None
    lines = _lines(look)
    if len(lines) == 1:
        return ctc_scores(lines[0], _candidates.labels[shortlist],
                          _candidates.lengths[shortlist])
    # Rows: every (name, split) pair; columns: the lines.
    owner: list[int] = []  # the shortlist position each row belongs to
    pieces: list[tuple[str, ...]] = []
    for position, index in enumerate(shortlist):
        for split in _name_splits(_candidates.names[index], len(lines)):
            owner.append(position)
            pieces.append(split)
    # Each line scores every text it could hold, once.
    total = np.zeros(len(pieces))
    for row, logp in enumerate(lines):
        texts = sorted({split[row] for split in pieces})
        labels, lengths = label_rows(texts, _candidates.index)
        scores = dict(zip(texts, ctc_scores(logp, labels, lengths), strict=True))
        total += [scores[split[row]] for split in pieces]
    # Each split equally likely: the mean of their likelihoods.
    out = np.full(len(shortlist), -np.inf)
    np.logaddexp.at(out, np.array(owner), total)
    return out - np.log(np.bincount(owner, minlength=len(shortlist)))


@functools.lru_cache(maxsize=4096)
def _name_splits(name: str, lines: int) -> list[tuple[str, ...]]:
    """``name`` cut into ``lines`` lines, each way ``_line_splits`` allows."""
    splits = []
    for sizes in _line_splits(len(name), lines):
        ends = np.cumsum(sizes)
        splits.append(tuple(name[end - size:end] for size, end in zip(sizes, ends, strict=True)))
    return splits


class Scored(NamedTuple):
    """One or more looks at a seal scored together: the names worth scoring and their log
    likelihoods."""

    shortlist: np.ndarray  # candidate indices
    scores: np.ndarray

    def likeliest(self) -> tuple[int, float]:
        """(candidate index, posterior) of the likeliest name."""
        best = int(np.argmax(self.scores))
        posterior = np.exp(self.scores[best] - np.logaddexp.reduce(self.scores))
        return int(self.shortlist[best]), float(posterior)

    def likeliest_city(self) -> tuple[str, float]:
        """(key, posterior) of the likeliest issuer, a city's bodies counted together: a city's
        "{province}{city}", or a municipality's or a look-alike's whole name."""
        assert _candidates is not None
        by_key: dict[str, float] = {}
        for index, score in zip(self.shortlist, self.scores, strict=True):
            key = _issuer(int(index))
            by_key[key] = float(np.logaddexp(by_key.get(key, -np.inf), score))
        key = max(by_key, key=by_key.__getitem__)
        return key, float(np.exp(by_key[key] - np.logaddexp.reduce(list(by_key.values()))))


def _issuer(index: int) -> str:
    assert _candidates is not None
    place = _candidates.places[index] if index < _candidates.real else ""
    return place or _candidates.names[index]


def _scored(looks: list[Look]) -> Scored | None:
    """The looks scored together against every name the grammar allows; None when there are
    too few frames for any name."""
    shortlist, scores = _scores(looks)
    if not np.isfinite(scores).any():
        return None
    return Scored(shortlist, scores)


def _likeliest(looks: list[Look]) -> tuple[int, float] | None:
    """(candidate index, posterior) of the likeliest name for one or more looks at the same
    seal; None when there are too few frames for any name."""
    scored = _scored(looks)
    return scored.likeliest() if scored is not None else None


def _read_constrained(looks: list[Look],
                      scored: Scored | None = None) -> tuple[str, bool] | None:
    """(name, read exactly): the likeliest name of one or more looks (``scored``, when the
    caller has it already), kept only when it is far likelier than the others and one look's
    plain reading bears it out (``place_fixes``)."""
    assert _candidates is not None
    scored = scored if scored is not None else _scored(looks)
    if scored is None:
        return None  # too few frames for any name
    index, posterior = scored.likeliest()
    if index >= _candidates.real:
        return None  # the seal shows a look-alike that issues no licences
    name = _candidates.names[index]
    readings = [_greedy_text(_all_frames(look), _candidates.alphabet) for look in looks]
    # Several looks scored together give an overconfident posterior: check them harder.
    strict = len(looks) > 1
    fixes = [f for text in readings if (f := place_fixes(text, name, strict=strict)) is not None]
    if not fixes:
        return None
    # A place name that had to be corrected was a closer call than the posterior says.
    if posterior < (MIN_POSTERIOR if min(fixes) == 0 else MIN_POSTERIOR_FIXED):
        return None
    return name, name in readings


def _read_by_agreement(looks: list[Look], min_agreeing: int,
                       tops: list[Scored | None] | None = None,
                       together: Scored | None = None, print_under: str = "") -> str | None:
    """A city's authority that no plain reading bears out (its place blurred into other
    characters), kept when looks cut and sharpened differently agree on it: the likeliest city,
    nearly certain, in at least ``min_agreeing`` looks alone and in all of them together,
    with each character of the city's name among the recogniser's guesses somewhere. A
    municipality's short, generic name is never taken this way: noise fits it too easily.
    A city's bodies count together and the answer is its common form, 公安局交通警察支队: the
    rarer ones (大队, 交通管理局) differ from it in a few characters that blur alike, and a
    shorter body fits an unread line better. ``tops`` (each look alone) and ``together`` are
    the looks' scores, when the caller has them. A city named with a character of
    ``print_under`` (black print in the seal's ink) is not taken.
    """
    assert _candidates is not None
    tops = tops if tops is not None else [_scored([look]) for look in looks]
    together = together if together is not None else _scored(looks)
    if together is None:
        return None
    key, posterior = together.likeliest_city()
    if posterior < MIN_AGREEMENT_POSTERIOR or key not in _candidates.city_places:
        return None
    if set(parts(key + CITY_BODIES[0])[1]) & set(print_under):
        return None
    agreeing = 0
    for top in tops:
        if top is not None:
            top_key, top_posterior = top.likeliest_city()
            agreeing += top_key == key and top_posterior >= MIN_AGREEMENT_POSTERIOR
    if agreeing < min_agreeing:
        return None
    # The shortlist keeps the names whose characters the frames show most, on average: a long
    # name with a few characters unread can fall out of it (新疆维吾尔自治区乌鲁木齐…), and the
    # looks then agree among the rest. Before a name is taken on agreement alone, every name
    # is scored.
    if _scored_all(looks).likeliest_city()[0] != key:
        return None
    name = key + CITY_BODIES[0]
    return name if _city_seen(looks, parts(name)[1]) else None


def _scored_all(looks: list[Look]) -> Scored:
    """The looks scored together against every name, not only a shortlist."""
    assert _candidates is not None
    everything = np.arange(len(_candidates.names))
    return Scored(everything, sum(_look_scores(look, everything) for look in looks))


def _city_seen(looks: list[Look], city: str) -> bool:
    """Each character of ``city`` among the recogniser's guesses in some frame of some look. A
    seal naming no real place (某某市) still has a likeliest real name, but its characters were
    nowhere among the guesses."""
    assert _candidates is not None
    seen = np.max([np.exp(_all_frames(look).max(axis=0)) for look in looks], axis=0)
    return min(float(seen[_candidates.index[ch]]) for ch in city) >= MIN_CITY_EVIDENCE


def _read_by_address(looks: list[Look], place: str | None) -> str | None:
    """The authority of ``place`` (the address's "{province}{city}"), kept when, of all cities,
    the seal's looks together make this one the likeliest, likelier than all the others
    together, and each character of its name was seen. Neither the address alone nor the seal
    alone would do: a holder may be licensed elsewhere, and these looks read too unclearly to
    stand by themselves.

    Municipalities are left out (an address in a city says the seal is a city's: their short
    names fit an unreadable seal's noise better than a city's longer one), and a city's
    likelihood is that of all its bodies, whose differing characters blur alike: the answer is
    its common form, 公安局交通警察支队.
    """
    assert _candidates is not None
    if place is None or not looks:
        return None
    own = np.array([i for i in _candidates.of_cities if _candidates.places[i] == place], int)
    if own.size == 0:
        return None
    indices, scores = _scores(looks, _candidates.of_cities, own)
    by_place: dict[str, float] = {}
    for index, score in zip(indices, scores, strict=True):
        key = _candidates.places[index]
        by_place[key] = float(np.logaddexp(by_place.get(key, -np.inf), score))
    if not np.isfinite(by_place[place]):
        return None
    # Above one half, the place is also the likeliest.
    posterior = np.exp(by_place[place] - np.logaddexp.reduce(list(by_place.values())))
    if posterior < MIN_ADDRESS_POSTERIOR:
        return None
    name = place + CITY_BODIES[0]
    return name if _city_seen(looks, parts(name)[1]) else None


class SealReading(NamedTuple):
    name: str
    confidence: float
    quad: np.ndarray  # page pixels
    borne_out: bool  # a plain reading agreed; otherwise only several looks did: check it
    by_address: bool = False  # the seal's likeliest city, taken because the address names it


def unclear_warning() -> Finding:
    """For an authority that only several looks together read (``SealReading.borne_out``)."""
    return Finding(UNCLEAR_CODE, Level.WARNING, Message(
        "发证机关印章模糊，已按几次识读一致的机关名称填写，请对照证件核对。",
        "The seal is blurred: the issuing authority is the name several readings agreed on. "
        "Check it against the card."), field="issuing_authority")


def address_warning() -> Finding:
    """For an authority the seal only resembles and the address names
    (``SealReading.by_address``)."""
    return Finding(BY_ADDRESS_CODE, Level.WARNING, Message(
        "发证机关印章模糊，已填写住址所在城市的机关名称（印章与之最相近），请对照证件核对。",
        "The seal is blurred: the issuing authority given is the one of the city in the "
        "address, which the seal resembles most. Check it against the card."),
        field="issuing_authority")


def read_seal(page: np.ndarray, ocr: OcrRunner,
              address: str | None = None) -> SealReading | None:
    """The authority the seal names, or None when no seal reads as one. ``address`` (the
    front page's, as read) may settle a seal too blurred to read alone."""
    place = address_place(address)
    mask = _seal_mask(page)
    region = _seal_component(mask)
    if region is None:
        return _read_grey_square(page, ocr, place)
    x, y, w, h = region
    pad = max(4, int(0.04 * max(w, h)))
    y0, x0 = max(0, y - pad), max(0, x - pad)
    crop = page[y0: y + h + pad, x0: x + w + pad]
    crop_mask = mask[y0: y + h + pad, x0: x + w + pad]
    ink = _ink(crop)
    quad = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    if not _is_round(crop_mask[pad:-pad or None, pad:-pad or None]):
        # Then the same looks with the ink measured across the labels it was stamped over.
        views = _square_views(ink) + _square_views(_ink(crop, relative=True))
        return _read_looks(views, quad, ocr, MIN_AGREEING_SQUARE_LOOKS, place)
    hh, ww = ink.shape
    circle = _circular(ink, crop_mask)
    # The seal's box as its circle, then its own outline, with glyphs widened more or less.
    return _read_looks([
        lambda: [_unwrap(ink, ww / 2, hh / 2, min(hh, ww) / 2, (0.6, 0.92), 1.3)],
        lambda: [_unwrap(*circle, (0.55, 0.95), 1.6)],
        lambda: [_unwrap(*circle, (0.58, 0.93), 1.3)],
        lambda: [_unwrap(*circle, (0.55, 0.95), 2.0)],
    ], quad, ocr, MIN_AGREEING_ROUND_LOOKS, place)


def _read_grey_square(page: np.ndarray, ocr: OcrRunner,
                      place: str | None) -> SealReading | None:
    """A seal with no red to find it by (a grayscale copy): a square one, by its frame."""
    dark = darkness(page)
    box = square_frame(dark)
    if box is None:
        return None
    x, y, w, h = box
    quad = np.float32([[x, y], [x + w, y], [x + w, y + h], [x, y + h]])
    return _read_looks(_square_views(frame_ink(dark, box)), quad, ocr,
                       MIN_AGREEING_SQUARE_LOOKS, place, print_under=LABELS_UNDER_SEAL)


def _square_views(ink: np.ndarray) -> list[Callable[[], list[np.ndarray]]]:
    """Looks at a square seal: the frame (and an optional inner hairline) is about 7–11 % of
    the side on each edge; as printed, then sharpened."""
    sharp = _unsharp(ink)
    return [lambda: _square_crops(ink, 0.085), lambda: _square_crops(ink, 0.11),
            lambda: _square_crops(sharp, 0.085), lambda: _square_crops(sharp, 0.11)]


def _read_looks(views: list[Callable[[], list[np.ndarray]]], quad: np.ndarray,
                ocr: OcrRunner, min_agreeing: int, place: str | None,
                print_under: str = "") -> SealReading | None:
    """Each look alone, then all looks so far together, then their agreement (at least
    ``min_agreeing`` looks; ``print_under``: black print in the ink), then the address's city
    (``place``) if they point to it."""
    looks: list[Look] = []
    tops: list[Scored | None] = []  # each look scored alone
    together: Scored | None = None  # all looks so far, scored together
    for view in views:
        looks.append(tuple(_frame_log_probs(ocr, view())))
        tops.append(_scored(looks[-1:]))
        found = _read_constrained(looks[-1:], tops[-1])
        if found is None and len(looks) >= 2:
            together = _scored(looks)
            found = _read_constrained(looks, together)
        if found is not None:
            name, exact = found
            # A name that needed characters corrected is less certain.
            return SealReading(name, 0.9 if exact else 0.7, quad, borne_out=True)
    # Scored once: the agreement reuses the last round's scores.
    agreed = _read_by_agreement(looks, min_agreeing, tops, together, print_under)
    if agreed is not None:
        return SealReading(agreed, 0.6, quad, borne_out=False)
    by_address = _read_by_address(looks, place)
    if by_address is not None:
        return SealReading(by_address, 0.5, quad, borne_out=False, by_address=True)
    return None
