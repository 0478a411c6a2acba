"""Measure the detector on a labelled folder: mAP, recall by lesion size, counting error, grade accuracy,
and sliced-vs-full-frame recall on 3x3 mosaics.

Why mosaics: ACNE04 images are 640 px crops, the size the model sees. Kiosk photos are 8-12 MP, where the
same lesions are a far smaller fraction of the frame. Stitching nine labelled photos into one 1920 px
photo reproduces that: a single full-frame pass shrinks it 3x (a 27 px lesion becomes 9 px), while SAHI
slices keep lesions at their native size. The recall difference is what slicing buys.

Conventions: AP is COCO-style (101-point interpolation, IoU 0.50 and 0.50:0.95, class-aware, mean over
classes that have ground truth), computed from predictions at a low confidence (``map_confidence``).
Recall by size, counts and grades use the detector's operating confidence and class-agnostic matching at
IoU >= 0.5 (a lesion found with the wrong type still counts as found). Size is sqrt(w*h) in pixels.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
from PIL import Image

from vision.datasets import Box, Sample
from vision.detector import Detector, Lesion
from vision.grading import grade_from_filename, hayashi_grade

SIZE_BINS = (("lt16", 0.0, 16.0), ("16to32", 16.0, 32.0), ("gt32", 32.0, float("inf")))
IOU_THRESHOLDS = np.linspace(0.5, 0.95, 10)


def iou_matrix(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """IoU between boxes ``a`` (N,4) and ``b`` (M,4), xyxy."""
    if len(a) == 0 or len(b) == 0:
        return np.zeros((len(a), len(b)))
    x1 = np.maximum(a[:, None, 0], b[None, :, 0])
    y1 = np.maximum(a[:, None, 1], b[None, :, 1])
    x2 = np.minimum(a[:, None, 2], b[None, :, 2])
    y2 = np.minimum(a[:, None, 3], b[None, :, 3])
    inter = np.clip(x2 - x1, 0, None) * np.clip(y2 - y1, 0, None)
    area_a = (a[:, 2] - a[:, 0]) * (a[:, 3] - a[:, 1])
    area_b = (b[:, 2] - b[:, 0]) * (b[:, 3] - b[:, 1])
    return inter / np.maximum(area_a[:, None] + area_b[None, :] - inter, 1e-9)


def _ap(tp: np.ndarray, scores: np.ndarray, n_gt: int) -> float:
    if n_gt == 0:
        return float("nan")
    if len(scores) == 0:
        return 0.0
    order = np.argsort(-scores, kind="stable")
    tp = tp[order]
    ctp, cfp = np.cumsum(tp), np.cumsum(1 - tp)
    recall = ctp / n_gt
    precision = ctp / np.maximum(ctp + cfp, 1e-9)
    precision = np.maximum.accumulate(precision[::-1])[::-1]  # precision envelope
    points = np.linspace(0, 1, 101)
    idx = np.searchsorted(recall, points, side="left")
    return float(np.mean([precision[i] if i < len(precision) else 0.0 for i in idx]))


def mean_average_precision(
    preds: Sequence[list[Lesion]], gts: Sequence[list[Box]], labels: list[str]
) -> dict:
    """COCO-style AP per class at IoU 0.5:0.95; returns mAP50, mAP50-95 and per-class AP50."""
    per_class50, per_class = {}, {}
    for label in labels:
        scores, tps, n_gt = [], [], 0
        for p_list, g_list in zip(preds, gts, strict=True):
            p = [x for x in p_list if x.label == label]
            g = np.array([[b.x1, b.y1, b.x2, b.y2] for b in g_list if b.label == label]).reshape(-1, 4)
            n_gt += len(g)
            if not p:
                continue
            p = sorted(p, key=lambda x: -x.confidence)
            ious = iou_matrix(np.array([x.box for x in p]), g)
            tp = np.zeros((len(p), len(IOU_THRESHOLDS)))
            for t_i, thr in enumerate(IOU_THRESHOLDS):
                taken = np.zeros(len(g), bool)
                for i in range(len(p)):
                    if len(g) == 0:
                        break
                    cand = np.where(~taken & (ious[i] >= thr))[0]
                    if len(cand):
                        j = cand[np.argmax(ious[i, cand])]
                        taken[j] = True
                        tp[i, t_i] = 1
            scores.extend(x.confidence for x in p)
            tps.append(tp)
        if n_gt == 0:
            continue
        s = np.array(scores)
        t = np.concatenate(tps) if tps else np.zeros((0, len(IOU_THRESHOLDS)))
        aps = [_ap(t[:, k], s, n_gt) for k in range(len(IOU_THRESHOLDS))]
        per_class50[label] = aps[0]
        per_class[label] = float(np.mean(aps))
    return {
        "mAP50": float(np.mean(list(per_class50.values()))) if per_class50 else 0.0,
        "mAP50-95": float(np.mean(list(per_class.values()))) if per_class else 0.0,
        "AP50_per_class": per_class50,
    }


def matched_gt(preds: list[Lesion], gt: list[Box], iou: float = 0.5) -> np.ndarray:
    """Class-agnostic greedy matching (highest confidence first): which ground-truth boxes were found."""
    g = np.array([[b.x1, b.y1, b.x2, b.y2] for b in gt]).reshape(-1, 4)
    found = np.zeros(len(g), bool)
    if not preds or len(g) == 0:
        return found
    p = sorted(preds, key=lambda x: -x.confidence)
    ious = iou_matrix(np.array([x.box for x in p]), g)
    for i in range(len(p)):
        cand = np.where(~found & (ious[i] >= iou))[0]
        if len(cand):
            found[cand[np.argmax(ious[i, cand])]] = True
    return found


@dataclass
class RecallBySize:
    found: dict[str, int] = field(default_factory=lambda: {b[0]: 0 for b in SIZE_BINS})
    total: dict[str, int] = field(default_factory=lambda: {b[0]: 0 for b in SIZE_BINS})

    def add(self, gt: list[Box], found: np.ndarray) -> None:
        for b, f in zip(gt, found, strict=True):
            size = float(np.sqrt((b.x2 - b.x1) * (b.y2 - b.y1)))
            for name, lo, hi in SIZE_BINS:
                if lo <= size < hi:
                    self.total[name] += 1
                    self.found[name] += int(f)

    def to_dict(self) -> dict:
        out = {
            name: (self.found[name] / self.total[name] if self.total[name] else None)
            for name, _, _ in SIZE_BINS
        }
        n, f = sum(self.total.values()), sum(self.found.values())
        out["all"] = f / n if n else None
        out["n"] = dict(self.total)
        return out


def make_mosaics(
    samples: Sequence[Sample], grid: int = 3, tile: int = 640
) -> list[tuple[Image.Image, list[Box]]]:
    """Stitch consecutive groups of grid*grid photos into one large photo (boxes shifted and scaled)."""
    out = []
    n = grid * grid
    for start in range(0, len(samples) - n + 1, n):
        canvas = Image.new("RGB", (grid * tile, grid * tile))
        boxes: list[Box] = []
        for k, s in enumerate(samples[start : start + n]):
            ox, oy = (k % grid) * tile, (k // grid) * tile
            sx, sy = tile / s.width, tile / s.height
            with Image.open(s.image) as im:
                canvas.paste(im.convert("RGB").resize((tile, tile)), (ox, oy))
            boxes += [
                Box(b.label, b.x1 * sx + ox, b.y1 * sy + oy, b.x2 * sx + ox, b.y2 * sy + oy) for b in s.boxes
            ]
        out.append((canvas, boxes))
    return out


def evaluate(
    detector: Detector,
    samples: Sequence[Sample],
    *,
    map_confidence: float = 0.01,
    mosaics: bool = True,
    max_mosaics: int | None = None,
) -> dict:
    """All the numbers ``skinchat eval vision`` prints, for one labelled split."""
    labels = list(detector.label_names.values())
    op = detector.confidence
    started = time.perf_counter()
    all_preds: list[list[Lesion]] = []
    gts: list[list[Box]] = []
    size_recall = RecallBySize()
    count_err, grade_hits, grade_n, gt_grade_hits = [], 0, 0, 0
    sweep_scores: list[np.ndarray] = []
    sweep_levels: list[int | None] = []
    for s in samples:
        with Image.open(s.image) as im:
            image = im.convert("RGB")
        preds, _ = detector.predict(image, sliced=True, confidence=min(map_confidence, op))
        all_preds.append(preds)
        gts.append(s.boxes)
        kept = [p for p in preds if p.confidence >= op]
        size_recall.add(s.boxes, matched_gt(kept, s.boxes))
        count_err.append(abs(len(kept) - len(s.boxes)))
        sweep_scores.append(np.array([p.confidence for p in preds]))
        level = grade_from_filename(s.image.name)
        sweep_levels.append(level)
        if level is not None:
            grade_n += 1
            grade_hits += int(hayashi_grade(len(kept)).level == level)
            gt_grade_hits += int(hayashi_grade(len(s.boxes)).level == level)
    result: dict = {
        "images": len(samples),
        "boxes": sum(len(g) for g in gts),
        "weights": str(detector.weights),
        "backend": detector.backend,
        "confidence": op,
        "map_confidence": min(map_confidence, op),
        **mean_average_precision(all_preds, gts, labels),
        "recall_by_size": size_recall.to_dict(),
        "count_mae": float(np.mean(count_err)) if count_err else None,
        "mean_true_count": float(np.mean([len(g) for g in gts])) if gts else None,
        "grade_accuracy": grade_hits / grade_n if grade_n else None,
        "grade_accuracy_from_true_counts": gt_grade_hits / grade_n if grade_n else None,
        "graded_images": grade_n,
    }
    result["by_confidence"] = _threshold_sweep(sweep_scores, [len(g) for g in gts], sweep_levels)
    if mosaics:
        result["mosaic"] = evaluate_mosaics(detector, samples, max_mosaics=max_mosaics)
    result["seconds"] = round(time.perf_counter() - started, 1)
    return result


def _threshold_sweep(scores: list[np.ndarray], truths: list[int], levels: list[int | None]) -> list[dict]:
    """Counting error and grade accuracy at other operating confidences, from the same predictions.
    Informative only: choosing the threshold on the split you report on would be optimistic."""
    rows = []
    for thr in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4, 0.5):
        counts = [int((sc >= thr).sum()) for sc in scores]
        graded = [
            (hayashi_grade(c).level, lv) for c, lv in zip(counts, levels, strict=True) if lv is not None
        ]
        rows.append(
            {
                "confidence": thr,
                "count_mae": float(np.mean([abs(c - t) for c, t in zip(counts, truths, strict=True)])),
                "grade_accuracy": float(np.mean([a == b for a, b in graded])) if graded else None,
            }
        )
    return rows


def evaluate_mosaics(
    detector: Detector, samples: Sequence[Sample], *, max_mosaics: int | None = None
) -> dict:
    sliced, full = RecallBySize(), RecallBySize()
    ms_sliced, ms_full = [], []
    built = make_mosaics(samples)
    if max_mosaics is not None:
        built = built[:max_mosaics]
    for image, boxes in built:
        t = time.perf_counter()
        p_sliced, _ = detector.predict(image, sliced=True)
        ms_sliced.append((time.perf_counter() - t) * 1000)
        t = time.perf_counter()
        p_full, _ = detector.predict(image, sliced=False)
        ms_full.append((time.perf_counter() - t) * 1000)
        sliced.add(boxes, matched_gt(p_sliced, boxes))
        full.add(boxes, matched_gt(p_full, boxes))
    rs, rf = sliced.to_dict(), full.to_dict()
    return {
        "mosaics": len(built),
        "size": [3 * 640, 3 * 640],
        "recall_sliced": rs,
        "recall_full_frame": rf,
        "recall_gain_points": (100 * (rs["all"] - rf["all"])) if rs["all"] is not None else None,
        "ms_sliced_mean": float(np.mean(ms_sliced)) if ms_sliced else None,
        "ms_full_frame_mean": float(np.mean(ms_full)) if ms_full else None,
    }


def calibrate_confidence(
    detector: Detector,
    samples: Sequence[Sample],
    grid: Sequence[float] = tuple(np.round(np.arange(0.05, 0.61, 0.025), 3)),
    objective: str = "count",
) -> dict:
    """The operating confidence for ``samples`` (use a *training* split, never the split you report on);
    one low-confidence pass per image, then a sweep. ``objective="count"`` minimises the counting error;
    ``"grade"`` maximises the Hayashi grade accuracy (ties: the lower counting error), which is what the
    visitor is shown. Each count is a step function of the threshold, so near the optimum the two can
    disagree by a grid step, and with a weak detector that step moves many photos across a grade line."""
    if objective not in {"count", "grade"}:
        raise ValueError(f"objective must be 'count' or 'grade', not {objective!r}")
    scores: list[np.ndarray] = []
    truths: list[int] = []
    levels: list[int | None] = []
    for s in samples:
        with Image.open(s.image) as im:
            preds, _ = detector.predict(im.convert("RGB"), confidence=float(min(grid)))
        scores.append(np.array([p.confidence for p in preds]))
        truths.append(len(s.boxes))
        levels.append(grade_from_filename(s.image.name))
    rows = []
    for thr in grid:
        counts = [int((sc >= thr).sum()) for sc in scores]
        mae = float(np.mean([abs(c - t) for c, t in zip(counts, truths, strict=True)]))
        graded = [
            (hayashi_grade(c).level, lv) for c, lv in zip(counts, levels, strict=True) if lv is not None
        ]
        acc = float(np.mean([a == b for a, b in graded])) if graded else None
        rows.append({"confidence": float(thr), "count_mae": mae, "grade_accuracy": acc})
    if objective == "grade" and any(r["grade_accuracy"] is not None for r in rows):
        best = min(rows, key=lambda r: (-(r["grade_accuracy"] or 0.0), r["count_mae"]))
    else:
        best = min(rows, key=lambda r: r["count_mae"])
    return {"best": best, "sweep": rows, "images": len(samples), "objective": objective}
