from __future__ import annotations

import pytest

from vision.grading import grade_from_filename, hayashi_grade


@pytest.mark.parametrize(
    ("count", "level", "name"),
    [
        (0, 0, "mild"),
        (5, 0, "mild"),
        (6, 1, "moderate"),
        (20, 1, "moderate"),
        (21, 2, "severe"),
        (50, 2, "severe"),
        (51, 3, "very_severe"),
        (300, 3, "very_severe"),
    ],
)
def test_hayashi_thresholds(count: int, level: int, name: str) -> None:
    g = hayashi_grade(count)
    assert (g.level, g.name) == (level, name)
    assert g.name_ko


def test_negative_count_rejected() -> None:
    with pytest.raises(ValueError):
        hayashi_grade(-1)


def test_grade_from_acne04_filename() -> None:
    assert grade_from_filename("levle2_17_jpg.rf.abc.jpg") == 2
    assert grade_from_filename("levle0_0_jpg.rf.x.jpg") == 0
    assert grade_from_filename("photo_001.jpg") is None
