"""Stand-in models with known behaviour, plugged into the real SAHI + Detector code.

``BlobYOLO`` finds lesions by colour difference from the surrounding skin, and, like YOLO, first shrinks
its input to ``imgsz`` on the long side (so a full-frame pass over a large photo loses tiny lesions,
exactly the effect slicing exists to avoid). ``StuckYOLO`` is a deliberately broken detector that returns
the same boxes for every input: the detector tests must tell the two apart.
"""

from __future__ import annotations

from types import SimpleNamespace

import cv2
import numpy as np
import torch

NAMES = {0: "papule", 1: "pustule", 2: "nodule_cyst", 3: "comedone"}


class BlobYOLO:
    names = NAMES
    overrides = {"task": "detect"}  # noqa: RUF012

    def __init__(self, imgsz: int = 640) -> None:
        self.imgsz = imgsz
        self.input_shapes: list[tuple[int, int]] = []

    def _detect(self, bgr: np.ndarray) -> torch.Tensor:
        h, w = bgr.shape[:2]
        self.input_shapes.append((h, w))
        scale = min(1.0, self.imgsz / max(h, w))
        small = cv2.resize(
            bgr, (max(1, round(w * scale)), max(1, round(h * scale))), interpolation=cv2.INTER_AREA
        )
        img = small.astype(np.float32)
        background = cv2.GaussianBlur(img, (0, 0), sigmaX=max(3.0, 40 * scale))
        diff = np.linalg.norm(img - background, axis=2)
        mask = (diff > 22).astype(np.uint8)
        n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
        rows = []
        for i in range(1, n):
            x, y, bw, bh, area = stats[i]
            if area < 10:  # grain noise, not a lesion
                continue
            rows.append([x / scale, y / scale, (x + bw) / scale, (y + bh) / scale, 0.9, 0.0])
        return torch.tensor(rows, dtype=torch.float32).reshape(-1, 6)

    def __call__(self, images, **kwargs):
        return [SimpleNamespace(boxes=SimpleNamespace(data=self._detect(im))) for im in images]


class StuckYOLO(BlobYOLO):
    def _detect(self, bgr: np.ndarray) -> torch.Tensor:
        return torch.tensor([[10, 10, 40, 40, 0.9, 0], [100, 60, 130, 90, 0.8, 1]], dtype=torch.float32)


def sahi_model(fake) -> object:
    from sahi.models.ultralytics import UltralyticsDetectionModel

    return UltralyticsDetectionModel(
        model=fake,
        confidence_threshold=0.25,
        category_mapping={str(k): v for k, v in NAMES.items()},
        load_at_init=True,
        image_size=640,
    )
