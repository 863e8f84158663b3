"""One name, printed on both pages: where the front and the back read it differently, both
crops are scored together. A crop whose plain reading holds more or fewer characters than its
page's reading (the 性别 label beside the name, a dash before it) is read again as its line
was cut; where that fails too it is left out, and the other crop decides alone. Each page's
reading, and (for readings of one length) every mix of their characters position by
position, is scored against the crops by the recogniser's per-frame probabilities (CTC), a
text with no known surname a priori unlikely (``NO_SURNAME_PRIOR``); the likeliest text is
taken when it is far likelier than every other. Two blurred prints of one name err in
different places (龚湾 on one page, 我鸿 on the other): together they show 龚鸿."""

from __future__ import annotations

import itertools

import numpy as np

from dlscan_gui.engines.local.ctc import Candidates, ctc_scores
from dlscan_gui.engines.local.name_check import name_frames
from dlscan_gui.engines.local.ocr import OcrRunner
from dlscan_gui.engines.local.surnames import NO_SURNAME_PRIOR, has_known_surname

MIN_POSTERIOR = 0.9  # of the likeliest text among the candidates
MAX_MIXED = 4  # positions where the readings differ: beyond that they are no one name's


def _candidates(a: str, b: str) -> list[str]:
    if len(a) != len(b):
        return [a, b]
    differ = [i for i in range(len(a)) if a[i] != b[i]]
    if len(differ) > MAX_MIXED:
        return [a, b]
    texts = []
    for picks in itertools.product((a, b), repeat=len(differ)):
        chars = list(a)
        for i, source in zip(differ, picks, strict=True):
            chars[i] = source[i]
        texts.append("".join(chars))
    return list(dict.fromkeys(texts))


def joint_name(pages: list[np.ndarray], quads: list[np.ndarray], readings: list[str],
               ocr: OcrRunner) -> tuple[str, float] | None:
    """(the name both crops show best, its posterior), or None to keep the readings."""
    # A crop must hold its name and nothing else (no label beside it), or the scores would
    # compare a name with a name and a label: one that holds more (or less) is left out, and
    # the other crop decides alone.
    frames = [name_frames(page, quad, reading, ocr)
              for page, quad, reading in zip(pages, quads, readings, strict=True)]
    logps = [found[0] for found in frames if found is not None]
    if not logps:
        return None
    alphabet = ocr.alphabet()
    known = set(alphabet)
    texts = [t for t in _candidates(*readings) if set(t) <= known]
    if len(texts) < 2:
        return None
    candidates = Candidates(texts, alphabet)
    scores = sum(ctc_scores(logp, candidates.labels, candidates.lengths) for logp in logps)
    # A text whose first character no family name uses is a priori unlikely (seed 77092: the
    # crops of 廖锋 favour 摩锋 a little, and no family name uses 摩).
    scores = scores + np.array([0.0 if has_known_surname(t) else NO_SURNAME_PRIOR for t in texts])
    best = int(np.argmax(scores))
    if not np.isfinite(scores[best]):
        return None
    posterior = float(np.exp(scores[best] - np.logaddexp.reduce(scores)))
    if posterior < MIN_POSTERIOR:
        return None
    return texts[best], posterior
