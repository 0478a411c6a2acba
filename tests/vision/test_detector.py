from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from tests.vision.fakes import BlobYOLO, StuckYOLO, sahi_model
from vision.datasets import Box, read_samples
from vision.detector import Analysis, Detector
from vision.evaluation import iou_matrix, matched_gt
from vision.synthetic import make_photo


@pytest.fixture(scope="module")
def photo() -> tuple[Image.Image, list]:
    return make_photo(2400, 1800, 30, seed=11, skin_tone="brown", lesion_scale=1.0)


def _recall(found_boxes: list[tuple[float, float, float, float]], known: list, iou: float = 0.3) -> float:
    if not found_boxes:
        return 0.0
    ious = iou_matrix(np.array([b for _, b in known], float), np.array(found_boxes, float))
    return float((ious.max(axis=1) >= iou).mean())


def test_sliced_detection_finds_known_lesions_in_original_coordinates(photo) -> None:
    image, known = photo
    fake = BlobYOLO()
    det = Detector(Path("blob"), slice_size=640, overlap=0.2, detection_model=sahi_model(fake))
    analysis = det.analyze(image)
    assert max(max(s) for s in fake.input_shapes) <= 640  # the model only ever saw slices
    assert len(fake.input_shapes) >= 12  # 2400x1800 needs at least 4x3 slices
    boxes = [les.box for les in analysis.lesions]
    assert _recall(boxes, known) >= 0.9
    assert len(boxes) <= len(known) * 1.15  # lesions on slice borders are merged, not double counted
    assert all(0 <= x1 < x2 <= 2400 and 0 <= y1 < y2 <= 1800 for x1, y1, x2, y2 in boxes)
    assert sum(analysis.counts.values()) == len(analysis.lesions)
    assert analysis.grade.level == 2  # ~30 lesions: severe
    assert analysis.timing_ms["total_ms"] > 0


def test_working_resolution_scales_large_photos_down_and_maps_boxes_back(photo) -> None:
    """A 2400 px photo with max_side 1280: the model sees fewer slices (4 instead of at least 12), every slice
    comes from the scaled photo, and the lesions still land on their known positions in original pixels."""
    image, known = photo
    fake = BlobYOLO()
    det = Detector(Path("blob"), slice_size=640, overlap=0.2, max_side=1280, detection_model=sahi_model(fake))
    analysis = det.analyze(image)
    assert 1 <= len(fake.input_shapes) <= 6
    boxes = [les.box for les in analysis.lesions]
    assert _recall(boxes, known) >= 0.85
    assert max(x2 for _, _, x2, _ in boxes) > 1280  # original coordinates, not the scaled photo's
    assert all(0 <= x1 < x2 <= 2400 and 0 <= y1 < y2 <= 1800 for x1, y1, x2, y2 in boxes)
    assert analysis.width == 2400 and analysis.height == 1800
    assert "resize_ms" in analysis.timing_ms


def test_working_resolution_smaller_than_a_slice_is_refused() -> None:
    with pytest.raises(ValueError, match="max_side"):
        Detector(Path("blob"), slice_size=640, max_side=320, detection_model=sahi_model(BlobYOLO()))


def test_a_stuck_detector_fails_the_same_check(photo) -> None:
    image, known = photo
    det = Detector(Path("stuck"), detection_model=sahi_model(StuckYOLO()))
    boxes = [les.box for les in det.analyze(image).lesions]
    assert _recall(boxes, known) < 0.2


def test_sliced_beats_one_full_frame_pass_on_tiny_lesions(photo) -> None:
    image, known = photo
    det = Detector(Path("blob"), detection_model=sahi_model(BlobYOLO()))
    sliced, _ = det.predict(image, sliced=True)
    full, _ = det.predict(image, sliced=False)
    r_sliced = _recall([x.box for x in sliced], known)
    r_full = _recall([x.box for x in full], known)
    assert r_sliced >= r_full + 0.15


def test_analysis_json_and_overlay(photo) -> None:
    image, _ = photo
    analysis = Detector(Path("blob"), detection_model=sahi_model(BlobYOLO())).analyze(image)
    assert isinstance(analysis, Analysis)
    d = analysis.to_dict()
    assert set(d) >= {"lesions", "counts", "grade", "timing_ms"}
    assert set(d["lesions"][0]) == {"label", "confidence", "box"} and len(d["lesions"][0]["box"]) == 4
    assert set(d["grade"]) >= {"level", "name"}
    over = analysis.overlay()
    assert over.size == image.size
    assert not np.array_equal(np.asarray(over), np.asarray(image))  # boxes were drawn


def test_missing_weights_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        Detector(tmp_path / "nope.pt")


def test_shipped_weights_find_real_lesions_better_than_chance(
    shipped_detector: Detector, acne04: Path
) -> None:
    """The trained model's boxes must land on *this* photo's lesions far more often than on another
    photo's (a detector that outputs nothing, or the same boxes everywhere, fails)."""
    samples, _ = read_samples(acne04 / "valid", "voc")
    samples = [s for s in samples if len(s.boxes) >= 8][:16]
    preds = []
    for s in samples:
        with Image.open(s.image) as im:
            found, _ = shipped_detector.predict(im.convert("RGB"), confidence=0.05)
        preds.append(found)

    def rate(pairs) -> float:
        pairs = list(pairs)
        hits = sum(int(matched_gt(p, g, iou=0.3).sum()) for p, g in pairs)
        return hits / sum(len(g) for _, g in pairs)

    gts: list[list[Box]] = [s.boxes for s in samples]
    own = rate(zip(preds, gts, strict=True))
    shifted = rate(zip(preds, gts[1:] + gts[:1], strict=True))
    assert own >= 0.15, f"only {own:.2f} of real lesions found"
    assert own >= 2 * shifted + 0.05, f"own {own:.2f} vs other photos' lesions {shifted:.2f}"
