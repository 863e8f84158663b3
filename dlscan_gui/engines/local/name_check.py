"""A name's first character, read again where it is no surname: blurred print turns 覃 into 翠
and 蔡 into 禁, characters no family name uses. The name's own crop is scored by the recogniser's
per-frame probabilities (CTC) with its first character (or two, for a compound surname) taken
from the surnames, the rest as read. The reading, whose first character no family name uses, is
a priori far less likely than any one surname (``NO_SURNAME_PRIOR``). A surname replaces the
reading only when it is then far likelier than the reading and every other surname, or when it
is the likeliest and the crop's own plain reading says so too. A name whose first character is
a surname is never touched (a misread into another surname cannot be told from the print).

The given name after a known surname is read again the same way, one character at a time: a
character few given names use (not in ``given_names.py``) is scored against the common ones in
its place, with no prior against it (real given names are varied: on names written with rarer
characters, a prior only made more wrong readings wrong in another way). The crop, read alone,
often shows what the whole line's reading blurred (万建用 on the line, 万建翔 in the crop)."""

from __future__ import annotations

import re

import numpy as np

from dlscan_gui.engines.local.ctc import Candidates, ctc_scores, greedy_text
from dlscan_gui.engines.local.given_names import COMMON_GIVEN
from dlscan_gui.engines.local.ocr import OcrRunner
from dlscan_gui.engines.local.page_geometry import line_crop, print_crop
from dlscan_gui.engines.local.surnames import (
    DOUBLE_SURNAMES,
    NO_SURNAME_PRIOR,
    SINGLE_SURNAMES,
    has_known_surname,
)

MIN_POSTERIOR = 0.9
MIN_POSTERIOR_READ = 0.5  # ... when the crop's plain reading is that name
_NOT_CJK = re.compile(r"[^\u4e00-\u9fff]")


def name_frames(page: np.ndarray, quad: np.ndarray, name: str,
                ocr: OcrRunner) -> tuple[np.ndarray, str] | None:
    """The name crop's per-frame log probabilities and plain reading, or None when it does not
    read as many characters as ``name``: the crop must hold the name and nothing else (no
    label beside it) for the scores to compare like with like. The box with a margin is read
    first; where that reads more or fewer characters (a label's edge in the margin, a
    character lost), the line's own box, as the line was read (一谢安 with the margin, 谢安 as
    the line was cut: 77089)."""
    for cut in (print_crop, line_crop):
        crop = cut(page, quad)
        if crop is None:
            continue
        logp = ocr.frame_log_probs([crop])[0]
        plain = _NOT_CJK.sub("", greedy_text(logp, ocr.alphabet()))
        if len(plain) == len(name):
            return logp, plain
    return None


def _best_of(logp: np.ndarray, plain: str, texts: list[str], alphabet: list[str],
             read_prior: float = 0.0) -> tuple[str, float] | None:
    """(text, posterior) of the likeliest of ``texts`` for the crop's frames (``logp``) when it
    is not ``texts[0]`` (the reading, whose log prior odds against each other text are
    ``read_prior``) and far likelier than the rest, or the likeliest and the crop's own plain
    reading (``plain``)."""
    candidates = Candidates(texts, alphabet)
    scores = ctc_scores(logp, candidates.labels, candidates.lengths)
    scores[0] += read_prior
    best = int(np.argmax(scores))
    if best == 0 or not np.isfinite(scores[best]):
        return None
    posterior = float(np.exp(scores[best] - np.logaddexp.reduce(scores)))
    if posterior < MIN_POSTERIOR and not (posterior >= MIN_POSTERIOR_READ
                                          and texts[best] == plain):
        return None
    return texts[best], posterior


def recheck_surname(page: np.ndarray, quad: np.ndarray, name: str,
                    ocr: OcrRunner) -> tuple[str, float] | None:
    """(name with its surname put right, posterior), or None to keep the name as read."""
    if len(name) < 2 or has_known_surname(name):
        return None
    frames = name_frames(page, quad, name, ocr)
    if frames is None:
        return None
    alphabet = ocr.alphabet()
    known = set(alphabet)
    texts = [name] + [s + name[1:] for s in sorted(SINGLE_SURNAMES)]
    if len(name) >= 3:
        texts += [s + name[2:] for s in sorted(DOUBLE_SURNAMES)]
    # 欧 + 阳明 and 欧阳 + 明 are one text, not two
    texts = list(dict.fromkeys(t for t in texts if set(t) <= known))
    if not texts or texts[0] != name:
        return None
    return _best_of(*frames, texts, alphabet, NO_SURNAME_PRIOR)


def recheck_given_name(page: np.ndarray, quad: np.ndarray, name: str,
                       ocr: OcrRunner) -> tuple[str, float] | None:
    """(name with its given name's uncommon characters put right, lowest posterior), or None
    to keep the name as read. Each character after a known surname that few given names use
    is scored against the common ones in its place, the others as read."""
    if len(name) < 2 or not has_known_surname(name):
        return None
    start = 2 if name[:2] in DOUBLE_SURNAMES else 1
    uncommon = [i for i in range(start, len(name)) if name[i] not in COMMON_GIVEN]
    if not uncommon:
        return None
    frames = name_frames(page, quad, name, ocr)
    if frames is None:
        return None
    alphabet = ocr.alphabet()
    common = sorted(COMMON_GIVEN & set(alphabet))
    fixed, lowest = name, 1.0
    for i in uncommon:
        texts = [fixed] + [fixed[:i] + c + fixed[i + 1:] for c in common]
        found = _best_of(*frames, texts, alphabet)
        if found is not None:
            fixed, lowest = found[0], min(lowest, found[1])
    return (fixed, lowest) if fixed != name else None
