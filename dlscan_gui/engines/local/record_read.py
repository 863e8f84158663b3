"""The record's rows read again against the sentences a licence prints, where the plain reading
of some sentence fits none of them (blurred small print: "请于每年的第月提交身体表件证略").

Each row of the record (its read boxes joined) is cut from the page and scored by the
recogniser's per-frame probabilities against every template, its digits free: the best
alignment (Viterbi over the CTC states) fixes the template's characters and the frames each
run of digits spans, which are then read among the digits alone. A template is taken only
when its alignment costs little more than the unconstrained reading of the same frames (so a
row that says something else is left alone), its digits make a date (or a month), and it is
the template the row's plain reading is nearest. Every row must fit, or the record stays as
read.
"""

from __future__ import annotations

import numpy as np

from dlscan_gui.engines.local.ctc import BLANK
from dlscan_gui.engines.local.ocr import OcrRunner, TextBox
from dlscan_gui.engines.local.page_geometry import print_crop, print_only
from dlscan_gui.engines.local.record import (
    closest_template,
    fits_templates,
    normalize_record,
    template_texts,
    valid_digits,
)

DIGIT = -1  # a template position any digit may fill
MAX_COST_PER_CHAR = 0.5  # nats per template character above the unconstrained reading
ROW_OVERLAP = 0.5  # of the lower box's height: boxes on one row
LEADS = ("", "录", "记录")
# Rows nobody detected: where they lie, relative to the name row (the row height, and the
# name row's distance from the number row above it), and how many there can be.
MIN_PITCH, MAX_PITCH, DEFAULT_PITCH = 1.2, 3.0, 1.7
ROW_HALF = 0.65  # of the row height (the number's box, else the name's), each side of a centre
RIGHT_EDGE = 0.97  # of the page width: the sentences end before it
BARCODE_Y = 0.75  # share of the back page's height where the barcode band begins
MAX_UNSEEN_ROWS = 3
MIN_ROW_CHARS = 4  # Chinese characters a row with print reads as, at the least


def _tokens(template: str, index: dict[str, int]) -> list[int] | None:
    out = []
    for ch in template:
        if ch == "#":
            out.append(DIGIT)
        elif ch in index:
            out.append(index[ch])
        else:
            return None
    return out


def align(logp: np.ndarray, tokens: list[int],
          digit_columns: np.ndarray) -> tuple[float, list[int]] | None:
    """(log probability of the best path through ``tokens``, the digit read in each digit
    slot), or None when there are too few frames."""
    frames = logp.shape[0]
    states = 2 * len(tokens) + 1
    if frames < len(tokens):
        return None
    digit_best = logp[:, digit_columns].max(axis=1)
    emit = np.empty((frames, states))
    emit[:, 0::2] = logp[:, [BLANK]]
    for k, token in enumerate(tokens):
        emit[:, 2 * k + 1] = digit_best if token == DIGIT else logp[:, token]
    # A blank between two labels may be skipped unless they are the same character.
    skip = np.zeros(states, bool)
    for k in range(1, len(tokens)):
        skip[2 * k + 1] = tokens[k] == DIGIT or tokens[k] != tokens[k - 1]
    score = np.full(states, -np.inf)
    score[0], score[1] = emit[0, 0], emit[0, 1]
    back = np.zeros((frames, states), np.int8)  # 0 stay, 1 from the previous, 2 skip
    for t in range(1, frames):
        options = np.stack([
            score,
            np.concatenate([[-np.inf], score[:-1]]),
            np.where(skip, np.concatenate([[-np.inf, -np.inf], score[:-2]]), -np.inf),
        ])
        back[t] = options.argmax(axis=0)
        score = options.max(axis=0) + emit[t]
    end = states - 1 if score[-1] >= score[-2] else states - 2
    best = float(score[end])
    if not np.isfinite(best):
        return None
    # Walk back to learn which frames each digit slot spans.
    spans: dict[int, list[int]] = {}
    state = end
    for t in range(frames - 1, -1, -1):
        if state % 2 == 1 and tokens[state // 2] == DIGIT:
            spans.setdefault(state // 2, []).append(t)
        state -= int(back[t, state]) if t > 0 else 0
    return best, _read_digits(logp, tokens, spans, digit_columns)


def _read_digits(logp: np.ndarray, tokens: list[int], spans: dict[int, list[int]],
                 digit_columns: np.ndarray) -> list[int]:
    """The digits of each run of digit slots ("2032"): the run's frames read plainly among the
    digits and the blank, where that gives as many digits as the run has slots; else slot by
    slot (one slot's frames can lean into its neighbour's, reading 2032 as 2002)."""
    digits: list[int] = []
    k = 0
    while k < len(tokens):
        if tokens[k] != DIGIT:
            k += 1
            continue
        run = k
        while run < len(tokens) and tokens[run] == DIGIT:
            run += 1
        frames = sorted(t for slot in range(k, run) for t in spans.get(slot, []))
        columns = np.concatenate([[BLANK], digit_columns])
        if frames:
            window = logp[frames[0]: frames[-1] + 1][:, columns]
            best = window.argmax(axis=1)
            keep = (best != 0) & np.concatenate([[True], best[1:] != best[:-1]])
            plain = [int(d) - 1 for d in best[keep]]
            if len(plain) == run - k:
                digits += plain
                k = run
                continue
        digits += [int(np.argmax(logp[spans[slot]][:, digit_columns].sum(axis=0)))
                   for slot in range(k, run)]
        k = run
    return digits


def _rows(boxes: list[TextBox]) -> list[list[TextBox]]:
    rows: list[list[TextBox]] = []
    for box in sorted(boxes, key=lambda b: b.cy):
        row = rows[-1] if rows else None
        if row and min(box.y1, row[0].y1) - max(box.y0, row[0].y0) > ROW_OVERLAP * min(
                box.height, row[0].height):
            row.append(box)
        else:
            rows.append([box])
    return [sorted(row, key=lambda b: b.x0) for row in rows]


def read_record_rows(page: np.ndarray, boxes: list[TextBox], ocr: OcrRunner) -> str | None:
    """The record as the templates read it, row by row; None unless every row fits one."""
    if not boxes:
        return None
    alphabet = ocr.alphabet()
    index = {ch: i for i, ch in enumerate(alphabet)}
    digit_columns = np.array([index[str(d)] for d in range(10)])
    # What is left of the 记录 label may lead the row; the full stop may be unread.
    templates = [(kind, text, tokens) for kind, text in enumerate(template_texts())
                 for lead in LEADS for stop in ("。", "")
                 if (tokens := _tokens(lead + text.rstrip("。") + stop, index)) is not None]
    sentences = []
    for row in _rows(boxes):
        pts = np.concatenate([b.quad for b in row])
        (x0, y0), (x1, y1) = pts.min(axis=0), pts.max(axis=0)
        quad = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
        crop = print_crop(page, quad)
        if crop is None:
            return None
        logp = ocr.frame_log_probs([crop])[0]
        free = float(logp.max(axis=1).sum())
        best: tuple[float, str, int, int] | None = None
        for kind, text, tokens in templates:
            found = align(logp, tokens, digit_columns)
            if found is None:
                continue
            cost = free - found[0]
            digits = iter(str(d) for d in found[1])
            filled = "".join(next(digits) if ch == "#" else ch for ch in text)
            if best is None or cost < best[0]:
                best = (cost, filled, len(tokens), kind)
        # The likeliest template over the row, if it fits well enough, makes a date, and is the
        # one the row's plain reading is closest to (a row cut short fits a shorter sentence).
        plain = "".join(box.text for box in row)
        if (best is None or best[0] > MAX_COST_PER_CHAR * best[2] or not valid_digits(best[1])
                or closest_template(plain) != best[3]):
            return None
        sentences.append(best[1])
    return "".join(sentences)


def read_unseen_rows(page: np.ndarray, name: np.ndarray, number: np.ndarray | None,
                     ocr: OcrRunner) -> tuple[str, float, np.ndarray] | None:
    """The record where text detection found no line of it (faint print in glare): the rows
    under the name row, one row pitch apart, are cut from the page and read, each as a
    sentence that must fit a template (plainly, or as ``read_record_rows`` reads it against
    them). Reading stops at the first row with no print; a row with print that fits no
    template leaves the whole record unread. (text, score, quad of the rows) or None."""
    h, w = page.shape[:2]
    top, bottom = float(name[:, 1].min()), float(name[:, 1].max())
    height = bottom - top
    if number is not None:  # the name's box may hold its label's English line too
        height = min(height, float(number[:, 1].max() - number[:, 1].min()))
    pitch = (top + bottom) / 2 - float(number[:, 1].mean()) if number is not None else 0.0
    if not MIN_PITCH * height <= pitch <= MAX_PITCH * height:
        pitch = DEFAULT_PITCH * height
    x0, x1 = max(0.0, float(name[:, 0].min()) - height), RIGHT_EDGE * w
    sentences, scores, rows = [], [], []
    centre = (top + bottom) / 2
    for _ in range(MAX_UNSEEN_ROWS):
        centre += pitch
        y0, y1 = centre - ROW_HALF * height, centre + ROW_HALF * height
        if y1 > BARCODE_Y * h:
            break
        quad = np.float32([[x0, y0], [x1, y0], [x1, y1], [x0, y1]])
        read = ocr.read_quads(print_only(page), [quad], min_score=0.0)
        text = read[0].text if read else ""
        if sum("\u4e00" <= ch <= "\u9fff" for ch in text) < MIN_ROW_CHARS:
            break  # no print: the record ended
        sentence = normalize_record([text])
        if not fits_templates(sentence):
            sentence = read_record_rows(page, [TextBox(quad, text, read[0].score)], ocr) or ""
            if not sentence or not fits_templates(sentence):
                return None
        sentences.append(sentence)
        scores.append(read[0].score)
        rows.append(quad)
    if not sentences:
        return None
    corners = np.concatenate(rows)
    (qx0, qy0), (qx1, qy1) = corners.min(axis=0), corners.max(axis=0)
    box = np.float32([[qx0, qy0], [qx1, qy0], [qx1, qy1], [qx0, qy1]])
    return "".join(sentences), min(scores), box
