"""Hayashi acne severity grade from a lesion count (as ACNE04 grades half a face).

0-5 lesions: mild (level 0), 6-20: moderate (1), 21-50: severe (2), more than 50: very severe (3).
The grade describes what the photo shows; it is not a diagnosis.
"""

from __future__ import annotations

from dataclasses import dataclass

# (upper bound inclusive, level, name, Korean name)
HAYASHI_LEVELS: tuple[tuple[float, int, str, str], ...] = (
    (5, 0, "mild", "경증"),
    (20, 1, "moderate", "중등도"),
    (50, 2, "severe", "중증"),
    (float("inf"), 3, "very_severe", "최중증"),
)


@dataclass(frozen=True)
class Grade:
    level: int
    name: str
    name_ko: str

    def to_dict(self) -> dict:
        return {"level": self.level, "name": self.name, "name_ko": self.name_ko}


def hayashi_grade(lesion_count: int) -> Grade:
    if lesion_count < 0:
        raise ValueError("lesion count cannot be negative")
    for upper, level, name, name_ko in HAYASHI_LEVELS:
        if lesion_count <= upper:
            return Grade(level, name, name_ko)
    raise AssertionError("unreachable")  # pragma: no cover


def grade_from_filename(name: str) -> int | None:
    """ACNE04 file names start with ``levle0``..``levle3`` (sic): the annotated Hayashi level."""
    import re

    m = re.match(r"^lev[le]{2}([0-3])_", name)
    return int(m.group(1)) if m else None
