"""The operating confidence is chosen on training photos by one of two objectives; with a detector whose
scores are scripted, each objective must pick the threshold that is best by its own measure."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from vision.datasets import Box, Sample
from vision.detector import Lesion
from vision.evaluation import calibrate_confidence


class ScriptedDetector:
    """Returns, for each photo (by file name), lesions with the scripted confidences."""

    def __init__(self, scores: dict[str, list[float]]) -> None:
        self.scores = scores

    def predict(self, image: Image.Image, *, sliced: bool = True, confidence: float | None = None):
        name = image.info["name"]
        return [Lesion("papule", c, (0.0, 0.0, 4.0, 4.0)) for c in self.scores[name] if c >= (confidence or 0)], {}


def _photos(tmp_path: Path, truths: dict[str, int]) -> list[Sample]:
    samples = []
    for name, n in truths.items():
        path = tmp_path / name
        Image.new("RGB", (8, 8)).save(path)
        samples.append(Sample(path, 8, 8, [Box("papule", 0, 0, 4, 4)] * n))
    return samples


@pytest.fixture(autouse=True)
def _name_images(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the scripted detector know which photo it was given."""
    real_open = Image.open

    def named_open(fp, *args, **kwargs):
        im = real_open(fp, *args, **kwargs)
        im.info["name"] = Path(fp).name
        return im

    monkeypatch.setattr("vision.evaluation.Image.open", named_open)


def test_count_and_grade_objectives_pick_their_own_best_threshold(tmp_path: Path) -> None:
    # Two level-1 photos with 6 true lesions each (Hayashi 6-20 = level 1) and one level-0 photo with 5.
    truths = {"levle1_a.jpg": 6, "levle1_b.jpg": 6, "levle0_c.jpg": 5}
    samples = _photos(tmp_path, truths)
    scores = {
        "levle1_a.jpg": [0.9] * 5 + [0.15],  # 5 lesions at 0.2, 6 at 0.1
        "levle1_b.jpg": [0.9] * 5 + [0.15],
        "levle0_c.jpg": [0.9] * 3 + [0.15] * 3,  # 3 at 0.2 (error 2), 6 at 0.1 (error 1, but level 1)
    }
    by_count = calibrate_confidence(ScriptedDetector(scores), samples, grid=[0.1, 0.2], objective="count")
    by_grade = calibrate_confidence(ScriptedDetector(scores), samples, grid=[0.1, 0.2], objective="grade")
    # at 0.1: errors 0, 0, 1 (MAE 0.33), grades right 2 of 3; at 0.2: errors 1, 1, 2 (MAE 1.33), right 1 of 3
    assert by_count["best"]["confidence"] == 0.1
    assert by_grade["best"]["confidence"] == 0.1
    scores["levle1_a.jpg"] = [0.9] * 6  # now 0.2 grades all three right but still counts worse than 0.1
    scores["levle1_b.jpg"] = [0.9] * 6
    scores["levle0_c.jpg"] = [0.9] * 2 + [0.15] * 4
    by_count = calibrate_confidence(ScriptedDetector(scores), samples, grid=[0.1, 0.2], objective="count")
    by_grade = calibrate_confidence(ScriptedDetector(scores), samples, grid=[0.1, 0.2], objective="grade")
    assert by_count["best"]["confidence"] == 0.1 and by_count["best"]["count_mae"] == pytest.approx(1 / 3)
    assert by_grade["best"]["confidence"] == 0.2 and by_grade["best"]["grade_accuracy"] == 1.0
    with pytest.raises(ValueError):
        calibrate_confidence(ScriptedDetector(scores), samples, objective="recall")
