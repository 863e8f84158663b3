"""A name's first character, read again where it is no surname: blurred print turns 覃 into 翠
and 蔡 into 禁, characters no family name uses. The name's own crop is scored by the recogniser's
per-frame probabilities (CTC) with its first character (or two, for a compound surname) taken
from the surnames, the rest as read. The reading, whose first character no family name uses, is
a priori far less likely than any one surname (``NO_SURNAME_PRIOR``). A surname replaces the
reading only when it is then far likelier than the reading and every other surname, or when it
is the likeliest and the crop's own plain reading says so too. A name whose first character is
a surname is never touched (a misread into another surname cannot be told from the print)."""

from __future__ import annotations

import re

import numpy as np

from dlscan_gui.engines.local.ctc import Candidates, ctc_scores, greedy_text
from dlscan_gui.engines.local.ocr import OcrRunner
from dlscan_gui.engines.local.page_geometry import print_crop
from dlscan_gui.engines.local.surnames import (
    DOUBLE_SURNAMES,
    NO_SURNAME_PRIOR,
    SINGLE_SURNAMES,
    has_known_surname,
)

MIN_POSTERIOR = 0.9
MIN_POSTERIOR_READ = 0.5  # ... when the crop's plain reading is that name
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")


def recheck_surname(page: np.ndarray, quad: np.ndarray, name: str,
                    ocr: OcrRunner) -> tuple[str, float] | None:
    """(name with its surname put right, posterior), or None to keep the name as read."""
    if len(name) < 2 or has_known_surname(name):
        return None
    crop = print_crop(page, quad)
    if crop is None:
        return None
    logp = ocr.frame_log_probs([crop])[0]
    alphabet = ocr.alphabet()
    # The crop must hold the name and nothing else (no label beside it) for the scores to
    # compare like with like.
    plain = _NOT_CJK.sub("", greedy_text(logp, alphabet))
    if len(plain) != len(name):
        return None
    known = set(alphabet)
    texts = [name] + [s + name[1:] for s in sorted(SINGLE_SURNAMES)]
    if len(name) >= 3:
        texts += [s + name[2:] for s in sorted(DOUBLE_SURNAMES)]
    texts = [t for t in texts if set(t) <= known]
    if not texts or texts[0] != name:
        return None
    candidates = Candidates(texts, alphabet)
    scores = ctc_scores(logp, candidates.labels, candidates.lengths)
    scores[0] += NO_SURNAME_PRIOR
    best = int(np.argmax(scores))
    if best == 0 or not np.isfinite(scores[best]):
        return None
    posterior = float(np.exp(scores[best] - np.logaddexp.reduce(scores)))
    # Far likelier than every other surname, or the likeliest and what the name's own crop
    # reads plainly (the line's first reading had the odd character).
    if posterior < MIN_POSTERIOR and not (posterior >= MIN_POSTERIOR_READ
                                          and texts[best] == plain):
        return None
    return texts[best], posterior
