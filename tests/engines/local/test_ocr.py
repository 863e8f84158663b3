"""The OCR runner loads the models shipped in the rapidocr wheel and reads text with the
network blocked: nothing is downloaded at run time."""

from __future__ import annotations

import cv2
import numpy as np
from PIL import Image, ImageDraw, ImageFont

from dlscan_gui.engines.local.ocr import OcrRunner, models_dir
from dlscan_gui.paths import resources_dir


def chinese_line(text: str) -> np.ndarray:
    font = ImageFont.truetype(str(resources_dir() / "fonts" / "NotoSansSC-Regular-GB2312.otf"), 32)
    image = Image.new("RGB", (40 + 34 * len(text), 64), (245, 245, 240))
    ImageDraw.Draw(image).text((20, 12), text, font=font, fill=(20, 20, 20))
    return cv2.cvtColor(np.array(image), cv2.COLOR_RGB2BGR)


def test_models_come_from_the_wheel():
    names = {p.name for p in models_dir().glob("*.onnx")}
    assert {"PP-OCRv6_det_small.onnx", "PP-OCRv6_rec_small.onnx"} <= names


def test_loads_lazily_and_reads_chinese_offline(no_network):
    runner = OcrRunner()
    assert not runner.loaded
    boxes = runner.detect_and_read(chinese_line("住址北京市东城区"))
    assert runner.loaded
    assert "".join(box.text for box in boxes) == "住址北京市东城区"
    assert all(0.0 <= box.score <= 1.0 for box in boxes)
    [(text, score)] = runner.read_lines([chinese_line("准驾车型C1")])
    assert text == "准驾车型C1" and score > 0.8
