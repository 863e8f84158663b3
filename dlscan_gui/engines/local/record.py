"""The back page's 记录 (record): printed by the licensing system from a few fixed sentences
with dates in them. A sentence OCR read with a character or two wrong, or without its final
full stop, is put back into its template with the digits it read; a sentence that matches no
template closely, or whose digits do not make a date, is kept exactly as read (the record may
hold text we have no template for).
"""

from __future__ import annotations

import re

from dlscan_gui.engines.local.edit_distance import edit_distance
from dlscan_gui.engines.local.repair import add_years

# "#" stands for one run of digits; the digits' shapes are checked after matching.
RENEWAL = "请于#年#月#日前九十日内申请换领新驾驶证。"  # the licence's end date
PROBATION = "实习期至#年#月#日。"  # a year after the first issue
ADDED_PROBATION = "增驾实习期至#年#月#日。"  # a year after the start of validity
_TEMPLATES: tuple[tuple[str, tuple[int, ...]], ...] = (
    ("请于每年的#月提交身体条件证明。", (2,)),
    (RENEWAL, (4, 2, 2)),
    (ADDED_PROBATION, (4, 2, 2)),
    (PROBATION, (4, 2, 2)),
)
MAX_SHARE_WRONG = 0.25  # misread characters tolerated, as a share of the template's length
# ... where other evidence backs the template: the date the front page implies (the
# sentence's digits at most MAX_DIGIT_EDITS off it), or the row's constrained reading.
MAX_SHARE_WRONG_DATED = 0.5
MAX_DIGIT_EDITS = 2
_DIGITS = re.compile(r"\d+")
_RENEWAL_FILLED = re.compile(r"请于(\d{4})年(\d{2})月(\d{2})日前九十日内申请换领新驾驶证。")
_PROBATION_FILLED = re.compile(r"实习期至(\d{4})年(\d{2})月(\d{2})日。")
FIRST_PERIOD_YEARS_AFTER_PROBATION = 5  # 6 years of validity, the first of them on probation
_WORD_OR_DIGIT = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")
# Where one sentence ends and the next begins when OCR put two on one line: after a full
# stop, or (the full stop lost) before the opening words of a sentence.
_SENTENCE_END = re.compile(
    r"(?<=[。.])|(?<=[\u4e00-\u9fff])(?=请于|增驾实习)|(?<=[^驾。.])(?=实习)"
    r"|(?<=驾驶证)(?=[^。.])|(?<=条件证明)(?=[^。.])")  # a template's end, its stop lost
# What is left of the 记录 label before the first sentence.
_OPENING = re.compile(r"请于|增驾实习|实习期")
MAX_LABEL_DEBRIS = 3  # characters of the 记录 label (misread: 录, 记量≈) before a sentence


def _digits_fit(groups: list[str], widths: tuple[int, ...]) -> bool:
    if [len(g) for g in groups] != list(widths):
        return False
    if len(groups) == 1:
        return 1 <= int(groups[0]) <= 12
    year, month, day = (int(g) for g in groups)
    return 1950 <= year <= 2099 and 1 <= month <= 12 and 1 <= day <= 31


def normalize_sentence(text: str) -> str:
    """One printed sentence, put back into its template where it clearly is one."""
    return _fill_template(text) or re.sub(r"\s+", "", text)


def is_record_sentence(text: str) -> bool:
    """The text is one of the record's printed sentences (for a 记录 label OCR missed, or read
    as a character or two before it: 录请于…, 77103)."""
    return _fill_template(_without_label(re.sub(r"\s+", "", text))) is not None


def _without_label(text: str) -> str:
    """``text`` without what is left of the 记录 label before its first sentence: up to three
    characters before the sentence's opening words. A 增 or 驾 there is the start of
    增驾实习期 (its 增驾 half read), not the label, and stays; so do letters and digits (B2
    written beside the record is no label)."""
    opening = _OPENING.search(text)
    if opening is None or not 0 < opening.start() <= MAX_LABEL_DEBRIS:
        return text
    debris = text[:opening.start()]
    if set(debris) & set("增驾") or re.search(r"[A-Za-z0-9]", debris):
        return text
    return text[opening.start():]


def _fill_template(text: str) -> str | None:
    sentence = re.sub(r"\s+", "", text)
    groups = _DIGITS.findall(sentence)
    # The final full stop is often not read; it is no evidence either way.
    shape = _DIGITS.sub("#", sentence).rstrip("。.")
    best: tuple[float, str, tuple[int, ...]] | None = None
    for template, widths in _TEMPLATES:
        share = _share_wrong(shape, template.rstrip("。"))
        if share is not None and (best is None or share < best[0]):
            best = (share, template, widths)
    if best is None:
        return None
    share, template, widths = best
    if share > MAX_SHARE_WRONG:
        return None
    if not _digits_fit(groups, widths):
        groups = _one_speck_less(groups, widths)
        if groups is None:
            return None
    filled = iter(groups)
    return "".join(next(filled) if ch == "#" else ch for ch in template)


def _one_speck_less(groups: list[str], widths: tuple[int, ...]) -> list[str] | None:
    """The digit groups with one stray digit dropped from a group one digit too long, where
    exactly one such drop makes them fit ("每年的902月": 02; "03月108日" could be 08 or 10, and
    stays as read)."""
    if len(groups) != len(widths):
        return None
    fits = set()
    for k, (group, width) in enumerate(zip(groups, widths, strict=True)):
        if len(group) != width + 1:
            continue
        for drop in range(len(group)):
            trial = [*groups[:k], group[:drop] + group[drop + 1:], *groups[k + 1:]]
            if _digits_fit(trial, widths):
                fits.add(tuple(trial))
    return list(fits.pop()) if len(fits) == 1 else None


def _share_wrong(shape: str, template: str) -> float | None:
    """Misread share of ``shape`` against the template; a sentence whose end the detector cut
    off is measured against the template's start, as long as it holds the template's whole
    date and the character after it (the date is what a sentence says; the words after it
    are fixed)."""
    whole = edit_distance(shape, template) / len(template)
    after_date = template.rfind("#") + 2
    if len(shape) >= len(template) or len(shape) < after_date:
        return whole
    return min(whole, edit_distance(shape, template[: len(shape)]) / len(shape))


def normalize_record(lines: list[str]) -> str:
    """The record's printed lines (as OCR read them, top to bottom) as one text. Sentences
    are cut from the lines joined: a long sentence wraps onto the next line."""
    joined = _without_label(re.sub(r"\s+", "", "".join(lines)))
    # A speck read as a symbol ("≈实习期至…") is no sentence: it holds no word and no digit.
    sentences = [part for part in _SENTENCE_END.split(joined) if _WORD_OR_DIGIT.search(part)]
    return "".join(_first_period_pair([normalize_sentence(part) for part in sentences]))


def _first_period_pair(sentences: list[str]) -> list[str]:
    """A first licence's probation ends a year after its first issue, 5 years before its
    renewal date (it runs 6 years). Where one of the two sentences reads as its template, the
    other, its words garbled or its opening lost ("至2023年12月28日。", 77048; "…前入十日内中消
    换频新年批证", 70082) but its date read digit for digit as the first implies, is put into its
    template. (增驾实习期 ends a year after a later start: never that date for the same
    renewal.)"""
    renewals = [m.groups() for s in sentences if (m := _RENEWAL_FILLED.fullmatch(s))]
    probations = [m.groups() for s in sentences if (m := _PROBATION_FILLED.fullmatch(s))]
    implied: dict[str, str | None] = {}
    if len(renewals) == 1:
        implied[PROBATION] = add_years("-".join(renewals[0]), -FIRST_PERIOD_YEARS_AFTER_PROBATION)
    if len(probations) == 1:
        implied[RENEWAL] = add_years("-".join(probations[0]), FIRST_PERIOD_YEARS_AFTER_PROBATION)
    out = []
    for sentence in sentences:
        shape = _DIGITS.sub("#", sentence).rstrip("。.")
        digits = "".join(_DIGITS.findall(sentence))
        for template, iso in implied.items():
            share = _share_wrong(shape, template.rstrip("。"))
            if (iso is not None and _fill_template(sentence) is None and share is not None
                    and share <= MAX_SHARE_WRONG_DATED and digits == iso.replace("-", "")):
                sentence = _dated(template, iso)
                break
        out.append(sentence)
    return out


def with_front_dates(record: str, dates: dict[str, str]) -> str:
    """The record with each sentence that fits no template as read, but whose digits are
    nearly the date the front page implies for it, put back into its template with that date.
    ``dates`` maps a template (``RENEWAL``, ``PROBATION``, ``ADDED_PROBATION``) to the date
    it must carry. A sentence that already reads as a template is never touched
    (its date may be the right one where the front's is misread)."""
    sentences = [part for part in _SENTENCE_END.split(record) if part]
    return "".join(_fill_template(s) or _with_date(s, dates) or s for s in sentences)


def with_front_end(record: str, end: str) -> str:
    """The record with its renewal sentence's date, where a digit or two off ``end``, put to
    ``end``: the front's end date, which its start confirms (6 or 10 years before it, on the
    same day), outweighs one reading of the sentence ("请于2001年…" beside 2021 至 2031, 70131,
    whose rows read where no line was detected)."""
    fixed = _dated(RENEWAL, end)
    out = []
    for sentence in (part for part in _SENTENCE_END.split(record) if part):
        read = _RENEWAL_FILLED.fullmatch(sentence)
        if read and 0 < edit_distance("".join(read.groups()), end.replace("-", "")) \
                <= MAX_DIGIT_EDITS:
            sentence = fixed
        out.append(sentence)
    return "".join(out)


def _dated(template: str, iso: str) -> str:
    """``template`` with its year, month and day ("#") filled from the date ``iso``."""
    year, month, day = iso.split("-")
    return template.replace("#", year, 1).replace("#", month, 1).replace("#", day, 1)


def _with_date(sentence: str, dates: dict[str, str]) -> str | None:
    compacted = re.sub(r"\s+", "", sentence)
    shape = _DIGITS.sub("#", compacted).rstrip("。.")
    digits = "".join(_DIGITS.findall(compacted))
    best: tuple[float, str] | None = None
    for template, iso in dates.items():
        share = _share_wrong(shape, template.rstrip("。"))
        year, month, day = iso.split("-")
        if (share is not None and share <= MAX_SHARE_WRONG_DATED
                and edit_distance(digits, year + month + day) <= MAX_DIGIT_EDITS
                and (best is None or share < best[0])):
            best = (share, _dated(template, iso))
    return best[1] if best else None


def template_texts() -> list[str]:
    """Each template with one "#" per digit it prints ("请于####年##月##日…")."""
    out = []
    for template, widths in _TEMPLATES:
        parts = template.split("#")
        out.append(parts[0] + "".join("#" * width + part
                                      for width, part in zip(widths, parts[1:], strict=True)))
    return out


def valid_digits(sentence: str) -> bool:
    """The sentence is a template filled with a real date (or month)."""
    return _fill_template(sentence) == sentence


def closest_template(text: str) -> int | None:
    """Index (in ``template_texts``' order) of the template the plain reading of a sentence is
    closest to, by the share of its characters misread; None if it is near none."""
    sentence = _without_label(re.sub(r"\s+", "", text))
    shape = _DIGITS.sub("#", sentence).rstrip("。.")
    scored = [(share, i) for i, (template, _widths) in enumerate(_TEMPLATES)
              if (share := _share_wrong(shape, template.rstrip("。"))) is not None]
    if not scored:
        return None
    share, index = min(scored)
    return index if share <= MAX_SHARE_WRONG_DATED else None


def fits_templates(record: str) -> bool:
    """Every sentence of a (normalized) record is a template filled with a real date."""
    sentences = [part for part in _SENTENCE_END.split(record) if part]
    return all(_fill_template(sentence) == sentence for sentence in sentences)
