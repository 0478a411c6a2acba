"""Turn the photo analysis and the visitor's questionnaire into one checked ``Profile``.

Answers come from a kiosk form, a JSON file or an API body, so values are accepted in the forms people
actually send (``true``/"yes"/"high", "45,000원", a comma-separated string) and anything that cannot
mean one thing is rejected with a stable code instead of being guessed.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

LESION_LABELS = ("papule", "pustule", "nodule_cyst", "comedone")
LABEL_ALIASES = {
    "papules": "papule", "pustules": "pustule", "nodule": "nodule_cyst", "nodules": "nodule_cyst",
    "cyst": "nodule_cyst", "cysts": "nodule_cyst", "comedones": "comedone", "whitehead": "comedone",
    "blackhead": "comedone",
}
# Health answers the catalog's caution tags understand (knowledge/README.md), besides pregnancy/sensitivity.
CONDITIONS = ("isotretinoin_recent", "recent_sunburn", "keloid", "active_infection", "anticoagulants",
              "metal_implant", "pacemaker", "neuromuscular_disease")
# "medium" counts as sensitive: when unsure, the safer answer is to leave strong actives out.
_TRUE = {"true", "yes", "y", "1", "high", "medium", "mid", "예", "네", "있음", "높음", "보통", "민감"}
_FALSE = {"false", "no", "n", "0", "low", "none", "아니오", "아니요", "없음", "낮음", ""}


class ProfileError(ValueError):
    """Bad analysis or answers; ``code`` is stable (the CLI and API show it)."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


@dataclass(frozen=True)
class Profile:
    counts: dict[str, int]
    grade: int
    skin_type: str | None = None
    sensitive: bool = False
    concerns: tuple[str, ...] = ()
    pregnant_or_breastfeeding: bool = False
    budget_krw: int | None = None
    products_in_use: tuple[str, ...] = ()
    allergies: tuple[str, ...] = ()
    conditions: tuple[str, ...] = ()  # caution tags that apply (e.g. isotretinoin_recent)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def findings(self) -> dict[str, int]:
        """Lesion labels actually seen, most first, then by label (stable order for reasons)."""
        seen = {k: v for k, v in self.counts.items() if v > 0}
        return dict(sorted(seen.items(), key=lambda kv: (-kv[1], kv[0])))

    @property
    def needs_dermatologist(self) -> bool:
        """Severe or worse, or anything that looks like a nodule or cyst: a doctor first, not a product."""
        return self.grade >= 2 or self.counts.get("nodule_cyst", 0) > 0


def _bool(value: Any, name: str) -> bool:
    if isinstance(value, bool):
        return value
    if value is None:
        return False
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    text = str(value).strip().lower()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise ProfileError("answers_invalid", f"'{name}' must be true/false (or low/high), got {value!r}")


def _list(value: Any, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [v for v in re.split(r"[,;/]", value)]
    if not isinstance(value, (list, tuple)):
        raise ProfileError("answers_invalid", f"'{name}' must be a list of strings")
    out: list[str] = []
    for v in value:
        if not isinstance(v, (str, int)):
            raise ProfileError("answers_invalid", f"'{name}' must be a list of strings, got {v!r}")
        text = str(v).strip().lower()
        if text and text not in out:
            out.append(text)
    return tuple(out)


def _budget(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ProfileError("answers_invalid", "'budget_krw' must be a number of won")
    if isinstance(value, (int, float)):
        if isinstance(value, float) and not math.isfinite(value):
            raise ProfileError("answers_invalid", "'budget_krw' must be a finite number")
        number = int(value)
    else:
        text = str(value).replace(",", "").replace("원", "").strip()
        if not text.isdigit():
            raise ProfileError("answers_invalid", f"'budget_krw' must be a number of won, got {value!r}")
        number = int(text)
    if number < 0:
        raise ProfileError("answers_invalid", "'budget_krw' cannot be negative")
    return number


def parse_analysis(analysis: Any) -> tuple[dict[str, int], int]:
    if not isinstance(analysis, dict):
        raise ProfileError("analysis_invalid", "analysis must be a JSON object with 'counts' and 'grade'")
    raw_counts = analysis.get("counts", {})
    if raw_counts is None:
        raw_counts = {}
    if not isinstance(raw_counts, dict):
        raise ProfileError("analysis_invalid", "'counts' must map lesion labels to numbers")
    counts: dict[str, int] = {}
    for label, n in raw_counts.items():
        key = LABEL_ALIASES.get(str(label).strip().lower(), str(label).strip().lower())
        if isinstance(n, bool) or not isinstance(n, (int, float)) or n < 0 or n != int(n):
            raise ProfileError("analysis_invalid", f"count for '{label}' must be a whole number >= 0")
        counts[key] = counts.get(key, 0) + int(n)
    grade = analysis.get("grade", 0)
    level = grade.get("level", 0) if isinstance(grade, dict) else grade
    if level is None:
        level = 0
    if isinstance(level, bool) or not isinstance(level, int) or not 0 <= level <= 3:
        raise ProfileError("analysis_invalid", f"'grade.level' must be 0-3, got {level!r}")
    return counts, level


def build_profile(analysis: Any, answers: dict[str, Any] | None) -> Profile:
    counts, grade = parse_analysis(analysis)
    answers = answers or {}
    if not isinstance(answers, dict):
        raise ProfileError("answers_invalid", "answers must be a JSON object")
    sensitivity = answers.get("sensitivity", answers.get("sensitive"))
    skin_type = answers.get("skin_type")
    skin_type = str(skin_type).strip().lower() if skin_type else None
    sensitive = _bool(sensitivity, "sensitivity") or skin_type == "sensitive"
    pregnant = _bool(answers.get("pregnant_or_breastfeeding",
                                 answers.get("pregnant", answers.get("breastfeeding"))),
                     "pregnant_or_breastfeeding")
    conditions = list(_list(answers.get("conditions"), "conditions"))
    unknown = [c for c in conditions if c not in CONDITIONS]
    if unknown:
        raise ProfileError("answers_invalid", f"unknown condition(s) {unknown}; known: {list(CONDITIONS)}")
    conditions += [c for c in CONDITIONS if c not in conditions and _bool(answers.get(c), c)]
    return Profile(
        counts=counts, grade=grade, skin_type=skin_type, sensitive=sensitive,
        concerns=_list(answers.get("concerns"), "concerns"), pregnant_or_breastfeeding=pregnant,
        budget_krw=_budget(answers.get("budget_krw")),
        products_in_use=_list(answers.get("products_in_use"), "products_in_use"),
        allergies=_list(answers.get("allergies"), "allergies"), conditions=tuple(conditions),
    )
