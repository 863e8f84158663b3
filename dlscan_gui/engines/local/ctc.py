"""Reading a text line constrained to a known set of texts: the recogniser's per-frame
character probabilities score every allowed text at once (the CTC forward pass), so a blurred
character still counts for the text whose character was the model's second choice. Used for
the seal's authority name and the class code."""

from __future__ import annotations

import numpy as np

BLANK = 0  # CTC's blank is the alphabet's first entry


class Candidates:
    """Allowed texts as padded label sequences of the recogniser's alphabet."""

    def __init__(self, texts: list[str], alphabet: list[str]) -> None:
        self.index = {ch: i for i, ch in enumerate(alphabet)}  # character → its column
        self.texts = texts
        self.labels, self.lengths = label_rows(texts, self.index)


def label_rows(texts: list[str], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """``texts`` as label sequences padded with the blank, and their lengths; ``index`` maps a
    character to its column in the per-frame probabilities."""
    labels = np.zeros((len(texts), max(len(t) for t in texts)), np.int64)
    for row, text in enumerate(texts):
        labels[row, : len(text)] = [index[ch] for ch in text]
    return labels, np.array([len(t) for t in texts])


def ctc_scores(logp: np.ndarray, labels: np.ndarray, lengths: np.ndarray) -> np.ndarray:
    """log P(label sequence | frames) for every candidate at once (the CTC forward pass, in
    probabilities rescaled every frame rather than in logs: several times faster)."""
    n, width = labels.shape
    states = 2 * width + 1
    ext = np.zeros((n, states), np.int64)
    ext[:, 1::2] = labels
    skip = np.zeros((n, states), bool)
    skip[:, 3::2] = labels[:, 1:] != labels[:, :-1]
    probs = np.exp(logp).astype(np.float64)
    alpha = np.zeros((n, states))
    alpha[:, 0] = probs[0, BLANK]
    alpha[:, 1] = probs[0, ext[:, 1]]
    scale = np.zeros(n)
    for t in range(1, probs.shape[0]):
        step = alpha.copy()
        step[:, 1:] += alpha[:, :-1]
        step[:, 2:] += np.where(skip[:, 2:], alpha[:, :-2], 0.0)
        alpha = step * probs[t][ext]
        top = alpha.max(axis=1, keepdims=True)
        top[top == 0] = 1.0
        alpha /= top
        scale += np.log(top[:, 0])
    rows = np.arange(n)
    final = alpha[rows, 2 * lengths] + alpha[rows, 2 * lengths - 1]
    with np.errstate(divide="ignore"):
        return np.log(final) + scale


def greedy_text(logp: np.ndarray, alphabet: list[str]) -> str:
    """The plain reading: the likeliest character per frame, repeats and blanks dropped."""
    best = logp.argmax(axis=1)
    keep = (best != BLANK) & np.concatenate([[True], best[1:] != best[:-1]])
    return "".join(alphabet[i] for i in best[keep])


def absorb_into_blank(logp: np.ndarray, characters: list[int]) -> np.ndarray:
    """The frames with these characters counted as blank (a drawn frame's sides that read as
    brackets are no part of the text inside)."""
    out = logp.copy()
    out[:, BLANK] = np.logaddexp.reduce(logp[:, [BLANK, *characters]], axis=1)
    out[:, characters] = -np.inf
    return out
