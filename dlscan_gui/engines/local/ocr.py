"""RapidOCR behind a small, thread-safe interface: models load once, lazily, from the files
inside the rapidocr wheel (never from a hub), and calls are serialised because RapidOCR keeps
per-call state on the instance."""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from dlscan_gui.core.errors import EngineUnavailableError

log = logging.getLogger(__name__)

# The models shipped inside the rapidocr wheel (PP-OCRv6 small det/rec, PP-OCR mobile cls).
DET_MODEL = "PP-OCRv6_det_small.onnx"
REC_MODEL = "PP-OCRv6_rec_small.onnx"
CLS_MODEL = "ch_ppocr_mobile_v2.0_cls_mobile.onnx"
# Detection on a page runs with its long side at most this many px: RapidOCR's default (short
# side >= 736) upscales an 880x600 page to 1080x736 for text that is already 30 px tall.
DET_LIMIT = 736
# Recognition pads every crop to at least this width (RapidOCR's default is 320 at height 48):
# most lines on a licence are short labels and values, and padding is wasted work.
REC_MIN_WIDTH = 96
# Crops per recognition call. RapidOCR batches 6, padding each crop to the batch's widest: on a
# licence's mix of short labels and long values, one crop at a time costs about 40 % less CPU
# (bench/latency.py measures the whole engine).
REC_BATCH = 1
MIN_SCORE = 0.5  # RapidOCR's own text_score default


@dataclass(frozen=True)
class TextBox:
    quad: np.ndarray  # 4x2 float32, clockwise from top-left, in the input image's pixels
    text: str
    score: float

    @property
    def x0(self) -> float:
        return float(self.quad[:, 0].min())

    @property
    def x1(self) -> float:
        return float(self.quad[:, 0].max())

    @property
    def y0(self) -> float:
        return float(self.quad[:, 1].min())

    @property
    def y1(self) -> float:
        return float(self.quad[:, 1].max())

    @property
    def cx(self) -> float:
        return float(self.quad[:, 0].mean())

    @property
    def cy(self) -> float:
        return float(self.quad[:, 1].mean())

    @property
    def height(self) -> float:
        return self.y1 - self.y0


def models_dir() -> Path:
    import rapidocr

    return Path(rapidocr.__file__).resolve().parent / "models"


class OcrRunner:
    """One RapidOCR instance for the process. ``warm_up()`` loads the models and runs them once
    so that the first real recognition is not slower than the rest."""

    def __init__(self, threads: int = 0) -> None:
        self._threads = threads  # 0 = onnxruntime decides
        self._engine: Any = None
        self._load_lock = threading.Lock()
        self._run_lock = threading.Lock()

    def _load(self) -> Any:
        if self._engine is not None:
            return self._engine
        with self._load_lock:
            if self._engine is None:
                self._engine = self._create()
        return self._engine

    def _create(self) -> Any:
        try:
            from rapidocr import RapidOCR
        except ImportError as exc:  # a broken install: say so instead of a traceback
            raise EngineUnavailableError("DLSCAN.ENGINE_UNAVAILABLE", "rapidocr") from exc
        folder = models_dir()
        for name in (DET_MODEL, REC_MODEL, CLS_MODEL):
            if not (folder / name).is_file():
                raise EngineUnavailableError("DLSCAN.ENGINE_UNAVAILABLE", f"model {name}")
        threads = self._threads if self._threads > 0 else -1
        params = {
            "Global.log_level": "warning",
            "Global.model_root_dir": str(folder),
            "Det.model_path": str(folder / DET_MODEL),
            "Rec.model_path": str(folder / REC_MODEL),
            "Cls.model_path": str(folder / CLS_MODEL),
            "EngineConfig.onnxruntime.intra_op_num_threads": threads,
        }
        engine = RapidOCR(params=params)
        # RapidOCR warns on every blank crop; the engine handles empty results itself.
        logging.getLogger("RapidOCR").setLevel(logging.ERROR)
        log.info("offline OCR models loaded from %s", folder)
        return engine

    @property
    def loaded(self) -> bool:
        return self._engine is not None

    def warm_up(self) -> None:
        canvas = np.full((64, 256, 3), 255, np.uint8)
        canvas[24:40, 20:236] = 0
        self.detect_and_read(canvas)
        self.read_lines([canvas])

    def detect(self, image: np.ndarray, limit: int = DET_LIMIT) -> list[np.ndarray]:
        """Text line quads (4x2, input pixels) without reading them: the cheap half of OCR.
        Detection runs with the long side at most ``limit`` px."""
        engine = self._load()
        with self._run_lock:
            detector = engine._load_det_model()
            saved = detector.limit_side_len, detector.limit_type
            detector.limit_side_len, detector.limit_type = limit, "max"
            try:
                output = engine(image, use_det=True, use_cls=False, use_rec=False)
            finally:
                detector.limit_side_len, detector.limit_type = saved
        boxes = getattr(output, "boxes", None)
        if boxes is None:
            return []
        return [np.asarray(quad, np.float32).reshape(4, 2) for quad in boxes]

    def detect_and_read(self, image: np.ndarray, *, use_cls: bool = False,
                        min_height: float = 0.0, min_score: float = MIN_SCORE) -> list[TextBox]:
        """Find text lines in ``image`` (BGR) and read them. Lines lower than ``min_height`` px
        are not read at all (recognition costs per line; small print is never a value)."""
        if use_cls:
            return self._full_pipeline(image)
        quads = [q for q in self.detect(image) if quad_height(q) >= min_height]
        return self.read_quads(image, quads, min_score=min_score)

    def read_quads(self, image: np.ndarray, quads: Sequence[np.ndarray], *,
                   min_score: float = MIN_SCORE) -> list[TextBox]:
        """Read the text lines ``detect`` found (all in one batch)."""
        from rapidocr.utils.process_img import get_rotate_crop_image

        crops = [get_rotate_crop_image(image, q.copy()) for q in quads]
        readings = self.read_lines(crops)
        return [TextBox(q, text, score) for q, (text, score) in zip(quads, readings, strict=True)
                if text.strip() and score >= min_score]

    def _full_pipeline(self, image: np.ndarray) -> list[TextBox]:
        engine = self._load()
        with self._run_lock:
            output = engine(image, use_det=True, use_cls=True, use_rec=True)
        boxes = getattr(output, "boxes", None)
        if boxes is None:
            return []
        texts, scores = output.txts or (), output.scores or ()
        return [
            TextBox(np.asarray(quad, np.float32).reshape(4, 2), str(text), float(score))
            for quad, text, score in zip(boxes, texts, scores, strict=False)
        ]

    def read_lines(self, crops: Sequence[np.ndarray]) -> list[tuple[str, float]]:
        """Read each crop as one line of text (no detection), all crops in batches."""
        if not crops:
            return []
        engine = self._load()
        with self._run_lock:
            recognizer = engine._load_rec_model()
            # Set per call, not at load: the naive baseline shares this instance and must run
            # with RapidOCR's defaults.
            saved = recognizer.rec_image_shape, recognizer.rec_batch_num
            recognizer.rec_image_shape = [*saved[0][:2], REC_MIN_WIDTH]
            recognizer.rec_batch_num = REC_BATCH
            try:
                output = engine.recognize_txt(list(crops))
            finally:
                recognizer.rec_image_shape, recognizer.rec_batch_num = saved
        texts, scores = output.txts or (), output.scores or ()
        return [(str(t), float(s)) for t, s in zip(texts, scores, strict=True)]


    def frame_log_probs(self, crops: Sequence[np.ndarray]) -> list[np.ndarray]:
        """Per crop, the recogniser's log probabilities per frame, shape (frames, alphabet):
        what a reading constrained to known texts needs (the decoded text throws it away).
        Each crop is read at its own width: padding would add frames of grey."""
        recognizer = self._load()._load_rec_model()
        out = []
        with self._run_lock:
            for crop in crops:
                h, w = crop.shape[:2]
                ratio = max(w / h, 1.0)
                norm = recognizer.resize_norm_img(crop, ratio)[np.newaxis].astype(np.float32)
                preds = np.asarray(recognizer.session(norm))[0]
                out.append(np.log(np.clip(preds, 1e-12, None)))
        return out

    def alphabet(self) -> list[str]:
        """The characters of ``frame_log_probs``' columns (column 0 is CTC's blank)."""
        return list(self._load()._load_rec_model().postprocess_op.character)


def quad_height(quad: np.ndarray) -> float:
    return float(np.linalg.norm(quad[3] - quad[0]) + np.linalg.norm(quad[2] - quad[1])) / 2
