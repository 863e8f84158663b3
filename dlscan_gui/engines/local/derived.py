"""Fields the print did not give but the licence number does: its digits 7–14 are the birth
date and its 17th the sex (odd for men), both vouched for by the check digit; a number of the
resident ID form (not the 9 of foreigners' permanent residence cards) belongs to a Chinese
national. Filled only where the page's own text could not be read (or, for the nationality,
read as something other than 中国 beside a citizen's number), each with a warning that
names where the value came from, so the clerk checks it against the card (and the usual
cross-check of birth and sex against the number says nothing about these)."""

from __future__ import annotations

from dlscan_gui.core.errors import Message
from dlscan_gui.core.findings import Finding, Level
from dlscan_gui.core.schema import FIELDS_BY_KEY
from dlscan_gui.engines.local.repair import id_number_plausible

CODE = "field.from_number"


def from_number(number: str | None, missing: set[str]) -> dict[str, str]:
    """Values for the ``missing`` keys among birth, sex and nationality, from the number."""
    if not number or len(number) != 18 or not id_number_plausible(number):
        return {}
    values = {
        "birth": f"{number[6:10]}-{number[10:12]}-{number[12:14]}",
        "sex": "男" if int(number[16]) % 2 else "女",
    }
    if number[0] != "9":
        values["nationality"] = "中国"
    return {key: value for key, value in values.items() if key in missing}


def warning(key: str) -> Finding:
    spec = FIELDS_BY_KEY.get(key)
    zh, en = (spec.label_zh, spec.label_en) if spec else (key, key)
    return Finding(CODE, Level.WARNING, Message(
        f"{zh}未能读出，已按证号填写，请对照证件核对。",
        f"{en} could not be read; it was taken from the licence number. Check it against "
        f"the card."), field=key)
