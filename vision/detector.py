"""Acne lesion detector: a YOLO model run over SAHI slices of a full-resolution kiosk photo.

Why slices: kiosk photos are 8-12 MP and lesions are 6-50 px. One full-frame pass at 640 px shrinks a
4000 px photo ~6x, so most lesions fall under 3-8 px and vanish. SAHI cuts the photo into
``slice_size`` windows (default 640, the size the model was trained at, so a lesion keeps its pixel size)
with ``overlap`` (default 0.2: a lesion up to ~128 px cut by one window is whole in the next), runs the
model on each and merges the results (class-agnostic NMS on intersection-over-smaller 0.5, so a lesion
split by a window edge, or predicted as two classes, is counted once). The extra full-frame pass
(``full_frame_pass``) is off by default: it costs one more inference and only helps objects larger than a
slice, which acne lesions are not.

Working resolution (``max_side``): the model learned lesions at the scale of ACNE04, where half a face fills a
640 px frame (median lesion 27 px). A 12 MP kiosk photo of a whole face is 2-3x finer than that, so slicing it
at full resolution costs 4-9x more slices for lesions that are *larger* than the model ever saw. Photos whose
longer side exceeds ``max_side`` are therefore scaled down to it first (boxes are mapped back to the original
pixels); 0 turns this off. The 3x3 mosaics of ``eval vision`` (1920 px) are below the default and unaffected.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

import vision  # noqa: F401  (offline settings before ultralytics/sahi)
from vision.grading import Grade, hayashi_grade
from vision.taxonomy import default_taxonomy

MERGE = {
    "postprocess_type": "NMS",
    "postprocess_match_metric": "IOS",
    "postprocess_match_threshold": 0.5,
    "postprocess_class_agnostic": True,
}


@dataclass(frozen=True)
class Lesion:
    label: str
    confidence: float
    box: tuple[float, float, float, float]  # x1, y1, x2, y2 in original-photo pixels

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "confidence": round(self.confidence, 4),
            "box": [round(v, 1) for v in self.box],
        }


@dataclass
class Analysis:
    lesions: list[Lesion]
    counts: dict[str, int]
    grade: Grade
    width: int
    height: int
    timing_ms: dict[str, float]
    image: Image.Image | None = field(default=None, repr=False, compare=False)

    def overlay(self) -> Image.Image:
        """The photo with a box per lesion in its label's colour (the kiosk shows this, not the raw boxes)."""
        if self.image is None:
            raise ValueError("this Analysis was built without its image")
        taxonomy = default_taxonomy()
        out = self.image.convert("RGB").copy()
        draw = ImageDraw.Draw(out)
        width = max(2, min(self.width, self.height) // 400)
        for les in self.lesions:
            try:
                colour = taxonomy.label(les.label).color
            except KeyError:
                colour = "#ff00ff"
            x1, y1, x2, y2 = les.box
            pad = width
            draw.rectangle((x1 - pad, y1 - pad, x2 + pad, y2 + pad), outline=colour, width=width)
        return out

    def to_dict(self) -> dict:
        return {
            "lesions": [les.to_dict() for les in self.lesions],
            "counts": dict(self.counts),
            "grade": self.grade.to_dict(),
            "width": self.width,
            "height": self.height,
            "timing_ms": {k: round(v, 1) for k, v in self.timing_ms.items()},
        }


def resolve_weights(weights: Path, prefer_onnx: bool) -> Path:
    """``x.pt`` -> ``x.onnx`` when asked for and present; a ``.onnx`` path is used as given."""
    weights = Path(weights)
    if prefer_onnx and weights.suffix == ".pt" and weights.with_suffix(".onnx").exists():
        return weights.with_suffix(".onnx")
    return weights


class Detector:
    """Thread-safe for one process: one model, one lock (ultralytics predictors are not re-entrant)."""

    def __init__(
        self,
        weights: Path,
        slice_size: int = 640,
        overlap: float = 0.2,
        full_frame_pass: bool = False,
        confidence: float = 0.25,
        *,
        prefer_onnx: bool = False,
        model_imgsz: int = 640,
        batch_size: int = 1,
        device: str = "cpu",
        max_side: int = 0,
        detection_model: object | None = None,
    ) -> None:
        """``detection_model``: an already built SAHI ``DetectionModel`` to use instead of loading ``weights``
        (tests plug in a model with known behaviour to check slicing and coordinate mapping)."""
        if not 0 <= overlap < 0.9:
            raise ValueError("overlap must be in [0, 0.9)")
        if max_side and max_side < slice_size:
            raise ValueError("max_side must be 0 (off) or at least the slice size")
        path = resolve_weights(Path(weights), prefer_onnx)
        if detection_model is None and not path.exists():
            raise FileNotFoundError(f"detector weights not found: {path}")
        self.weights = path
        self.slice_size = int(slice_size)
        self.overlap = float(overlap)
        self.full_frame_pass = bool(full_frame_pass)
        self.max_side = int(max_side)
        self.confidence = float(confidence)
        self.model_imgsz = int(model_imgsz)
        self.batch_size = 1 if path.suffix == ".onnx" else int(batch_size)  # the export has a fixed batch
        self._lock = threading.Lock()
        if detection_model is None:
            from sahi import AutoDetectionModel

            detection_model = AutoDetectionModel.from_pretrained(
                model_type="ultralytics",
                model_path=str(path),
                confidence_threshold=self.confidence,
                device=device,
                image_size=self.model_imgsz,
                task="detect",
            )
        else:
            detection_model.confidence_threshold = self.confidence  # type: ignore[attr-defined]
        self._model = detection_model
        self.label_names = dict(self._model.category_mapping or {})  # type: ignore[attr-defined]

    @property
    def backend(self) -> str:
        return "onnx" if self.weights.suffix == ".onnx" else "pytorch"

    def _to_lesions(self, predictions) -> list[Lesion]:
        out = []
        for p in predictions:
            x1, y1, x2, y2 = p.bbox.to_xyxy()
            out.append(
                Lesion(
                    str(p.category.name), float(p.score.value), (float(x1), float(y1), float(x2), float(y2))
                )
            )
        out.sort(key=lambda les: -les.confidence)
        return out

    def predict(
        self, image: Image.Image, *, sliced: bool = True, confidence: float | None = None
    ) -> tuple[list[Lesion], dict[str, float]]:
        """Lesions in original-photo pixels. ``sliced=False`` is one full-frame pass (the photo resized to
        ``model_imgsz``), kept for comparison and evaluation."""
        from sahi.predict import get_prediction, get_sliced_prediction

        t0 = time.perf_counter()
        image = image.convert("RGB") if image.mode != "RGB" else image
        scale = 1.0
        if sliced and self.max_side and max(image.size) > self.max_side:
            scale = self.max_side / max(image.size)
            size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
            image = image.resize(size, Image.Resampling.BILINEAR)
        arr = np.asarray(image)
        resize_ms = (time.perf_counter() - t0) * 1000
        with self._lock:
            if sliced:
                result = get_sliced_prediction(
                    arr,
                    self._model,
                    slice_height=self.slice_size,
                    slice_width=self.slice_size,
                    overlap_height_ratio=self.overlap,
                    overlap_width_ratio=self.overlap,
                    perform_standard_pred=self.full_frame_pass,
                    verbose=0,
                    batch_size=self.batch_size,
                    force_postprocess_type=True,
                    confidence_threshold=confidence,
                    **MERGE,
                )
            else:
                old = self._model.confidence_threshold
                if confidence is not None:
                    self._model.confidence_threshold = confidence
                try:
                    result = get_prediction(arr, self._model, verbose=0)
                finally:
                    self._model.confidence_threshold = old
            total = (time.perf_counter() - t0) * 1000
        timing = {f"{k}_ms": v * 1000 for k, v in (result.durations_in_seconds or {}).items()}
        timing["resize_ms"] = resize_ms
        timing["detect_ms"] = total
        lesions = self._to_lesions(result.object_prediction_list)
        if scale != 1.0:
            lesions = [
                Lesion(les.label, les.confidence, tuple(v / scale for v in les.box))  # type: ignore[arg-type]
                for les in lesions
            ]
        return lesions, timing

    def analyze(self, image: Image.Image) -> Analysis:
        t0 = time.perf_counter()
        image = image.convert("RGB") if image.mode != "RGB" else image
        lesions, timing = self.predict(image, sliced=True)
        counts = Counter({label: 0 for label in default_taxonomy().ids})
        counts.update(les.label for les in lesions)
        timing["total_ms"] = (time.perf_counter() - t0) * 1000
        return Analysis(
            lesions=lesions,
            counts=dict(counts),
            grade=hayashi_grade(len(lesions)),
            width=image.width,
            height=image.height,
            timing_ms=timing,
            image=image,
        )
