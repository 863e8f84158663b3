"""An address's city, read again where it names no city of its province: blurred print turns
宜昌 into 官昌 and 芜湖 into 芜浦. The first address line's own crop is scored by the recogniser's
per-frame probabilities (CTC) as read, and with the city put in its place for each of the
province's cities one character away from the reading, prefecture-level (``cities.py``) or
county-level (``county_cities.py``). A city replaces the reading only when it is far likelier
than the reading and every other such city. A reading that names a real place is left alone:
温岭 (a county-level city) is one character off 温州, and the print cannot tell them apart."""

from __future__ import annotations

import re

import numpy as np

from dlscan_gui.engines.local.cities import CITIES
from dlscan_gui.engines.local.county_cities import COUNTY_CITIES
from dlscan_gui.engines.local.ctc import Candidates, ctc_scores, greedy_text
from dlscan_gui.engines.local.ocr import OcrRunner
from dlscan_gui.engines.local.page_geometry import print_crop

MIN_POSTERIOR = 0.9
# Log prior odds of the place as read (no city of its province, of either level) against one
# city one character away: nearly every such reading is a misread city, but the lists may miss a
# city made since they were drawn up.
NO_CITY_PRIOR = -6.0
# Names an address may still carry from before a city was renamed or abolished (addresses on
# licences are not updated): read as printed, they are not misreadings of the new names.
FORMER_CITIES = ("襄樊市", "思茅市", "巢湖市")
_NOT_CJK_OR_DIGIT = re.compile(r"[^\u4e00-\u9fff0-9]")


def recheck_city(page: np.ndarray, quad: np.ndarray, address: str,
                 ocr: OcrRunner) -> tuple[str, float] | None:
    """(the address with its city put right, posterior), or None to keep it as read. ``quad``
    is the first address line's box."""
    province = next((p for p in CITIES if address.startswith(p)), None)
    if province is None:
        return None  # a municipality's, or a province not read: nothing to compare with
    rest = address[len(province):]
    places = CITIES[province] + COUNTY_CITIES[province]
    if _city_at(rest, places) is not None or rest.startswith(FORMER_CITIES):
        return None
    crop = print_crop(page, quad)
    if crop is None:
        return None
    logp = ocr.frame_log_probs([crop])[0]
    alphabet = ocr.alphabet()
    plain = _NOT_CJK_OR_DIGIT.sub("", greedy_text(logp, alphabet))
    at = plain.find(province)
    if at < 0:
        return None  # the crop does not read the province: its texts are not the line's
    head, tail = plain[:at + len(province)], plain[at + len(province):]
    # Cities one character off the place as the line read it, or as the crop reads it; the
    # crop's reading, and the line's place in it, compete with them.
    options = [city for city in places
               if any(len(read) >= len(city) and _one_off(read[:len(city)], city)
                      for read in (rest, tail))]
    if not options:
        return None
    texts = list(dict.fromkeys([plain, *(head + rest[:len(c)] + tail[len(c):] for c in options),
                                *(head + city + tail[len(city):] for city in options)]))
    known = set(alphabet)
    texts = [t for t in texts if set(t) <= known]  # the recogniser cannot read the others
    candidates = Candidates(texts, alphabet)
    scores = ctc_scores(logp, candidates.labels, candidates.lengths)
    cities = [_city_at(text[len(head):], places) for text in texts]
    scores += np.where([city is None for city in cities], NO_CITY_PRIOR, 0.0)
    best = int(np.argmax(scores))
    city = cities[best]
    if city is None or not np.isfinite(scores[best]):
        return None
    posterior = float(np.exp(scores[best] - np.logaddexp.reduce(scores)))
    # The line's place must end where the city does, for the rest of its reading to follow.
    if posterior < MIN_POSTERIOR or rest[len(city) - 1:len(city)] != city[-1]:
        return None
    return province + city + rest[len(city):], posterior


def _city_at(text: str, places: tuple[str, ...]) -> str | None:
    return next((city for city in places if text.startswith(city)), None)


def _one_off(read: str, city: str) -> bool:
    """One character of ``city`` read as another; its 市 (or 州, 盟) read as printed."""
    return read[-1] == city[-1] and sum(a != b for a, b in zip(read, city, strict=True)) == 1
