"""An ID number whose check digit fails, read again: one digit misread in a blurred photo
(8 read as 5) breaks the check, and the look-alike table in ``repair.py`` does not know every
pair. The number's own crop is scored by the recogniser's per-frame probabilities (CTC)
against every number one character away from the reading that passes the check digit and has
a real birth date (the page's birth date, where read, must match); the likeliest is taken only
when it is far likelier than every other such number."""

from __future__ import annotations

import re

import numpy as np

from dlscan_gui.engines.local.ctc import Candidates, ctc_scores, greedy_text
from dlscan_gui.engines.local.ocr import OcrRunner
from dlscan_gui.engines.local.page_geometry import print_crop
from dlscan_gui.engines.local.repair import digits_only, id_number_plausible

MIN_POSTERIOR = 0.9
MAX_COST = 6.0  # nats a correction may fall short of the reading's own score
_ID_CHARS = re.compile(r"[0-9X]")


def recheck_number(page: np.ndarray, quad: np.ndarray, text: str, ocr: OcrRunner, *,
                   birth: str | None = None) -> tuple[str, float] | None:
    """(the number, posterior), or None to leave the number out."""
    read = _as_read(text)
    if read is None:
        return None
    crop = print_crop(page, quad)
    if crop is None:
        return None
    logp = ocr.frame_log_probs([crop])[0]
    plain = greedy_text(logp, ocr.alphabet()).upper()
    # The crop must hold the number alone (no label before it) for the scores to compare.
    if len(_ID_CHARS.findall(plain)) != 18 or len(plain) > 19:
        return None
    wanted = birth.replace("-", "") if birth else None
    valid = sorted({c for c in _one_away(read) if id_number_plausible(c)
                    and (wanted is None or c[6:14] == wanted)})
    if not valid:
        return None
    candidates = Candidates([read, *valid], ocr.alphabet())
    scores = ctc_scores(logp, candidates.labels, candidates.lengths)
    # The reading fails the check, so it cannot be what is printed: it competes no more, but
    # a correction must not cost much more than it (one character the model nearly read).
    read_score, scores = scores[0], scores[1:]
    best = int(np.argmax(scores))
    if not np.isfinite(scores[best]) or scores[best] < read_score - MAX_COST:
        return None
    posterior = float(np.exp(scores[best] - np.logaddexp.reduce(scores)))
    return (valid[best], posterior) if posterior >= MIN_POSTERIOR else None


def _as_read(text: str) -> str | None:
    """The 18 characters as read (look-alike letters as digits), or None."""
    cleaned = re.sub(r"[^0-9A-Za-z]", "", text)
    if len(cleaned) != 18:
        return None
    last = "X" if cleaned[17] in "xX" else digits_only(cleaned[17])
    number = digits_only(cleaned[:17]) + last
    return number if len(number) == 18 else None


def _one_away(number: str) -> set[str]:
    out = set()
    for position in range(18):
        options = "0123456789X" if position == 17 else "0123456789"
        for replacement in options:
            if replacement != number[position]:
                out.add(number[:position] + replacement + number[position + 1:])
    return out
