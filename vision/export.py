"""Export trained weights to ONNX for faster CPU inference (the Detector uses ``x.onnx`` beside ``x.pt``
when ``prefer_onnx`` is set).

Why a fixed 640x640, batch-1 graph: SAHI feeds 640 px slices one at a time, and a static graph lets
onnxruntime plan memory once. ``simplify=False`` because onnxslim is not a dependency (and ultralytics
would try to install it).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import vision  # noqa: F401  (offline settings before ultralytics)


def export_onnx(weights: Path | str, imgsz: int = 640, dest: Path | str | None = None) -> Path:
    from ultralytics import YOLO

    weights = Path(weights)
    out = Path(YOLO(str(weights)).export(format="onnx", imgsz=imgsz, dynamic=False, simplify=False,
                                          half=False, batch=1, device="cpu", verbose=False))
    dest = Path(dest) if dest else weights.with_suffix(".onnx")
    if out.resolve() != dest.resolve():
        shutil.move(str(out), dest)
    return dest
