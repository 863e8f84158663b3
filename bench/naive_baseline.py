"""The baseline the offline engine must beat: what a developer writes in an afternoon —
RapidOCR on the whole photo, all text joined, then a regular expression per label."""

from __future__ import annotations

import re

import numpy as np

from dlscan_gui.engines.local.ocr import OcrRunner

_PATTERNS = {
    "number": r"证号[:：]?([0-9Xx]{18})",
    "name": r"姓名(?:Name)?[:：]?([\u4e00-\u9fff]{2,4})",
    "sex": r"性别(?:Sex)?[:：]?([男女])",
    "nationality": r"国籍(?:Nationality)?[:：]?([\u4e00-\u9fff]{2,6})",
    "address": r"住址(?:Address)?[:：]?(.+?)(?:出生日期|$)",
    "birth": r"出生日期(?:DateofBirth)?[:：]?(\d{4}-\d{2}-\d{2})",
    "issue_date": r"初次领证日期(?:IssueDate)?[:：]?(\d{4}-\d{2}-\d{2})",
    "class": r"准驾车型(?:Class)?[:：]?([A-Z][0-9A-Z]{0,5})",
    "valid_from": r"有效(?:期限|起始日期)(?:ValidPeriod|ValidFrom)?[:：]?(\d{4}-\d{2}-\d{2})",
    "valid_to": r"至(\d{4}-\d{2}-\d{2}|长期)",
    "file_number": r"档案编号(?:FileNo\.?)?[:：]?(\d{12})",
    "record": r"记录(?:Record)?[:：]?(.+)$",
}


class NaiveBaseline:
    name = "naive"

    def __init__(self, ocr: OcrRunner | None = None) -> None:
        self.ocr = ocr or OcrRunner()

    def read(self, pixels: np.ndarray) -> dict[str, str]:
        lines = self.ocr.detect_and_read(pixels, use_cls=True)
        lines.sort(key=lambda line: (line.y0, line.x0))
        text = re.sub(r"\s+", "", "".join(line.text for line in lines))
        out: dict[str, str] = {}
        for key, pattern in _PATTERNS.items():
            match = re.search(pattern, text)
            if match:
                out[key] = match.group(1)
        return out
