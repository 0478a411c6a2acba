"""Score the Recommender on a JSON-lines set of visitor profiles (tests/rag/cases/recommend_profiles.jsonl).

One line per profile::

    {"id": "...", "analysis": {...}, "answers": {...}, "lang": "ko",
     "must_include": ["consult-dermatologist", "product"],   # item ids or kinds
     "must_exclude": ["lumiere-retinol-03-serum"],            # ids that must not be suggested
     "first": "consult-dermatologist",                        # optional: id (or kind) of item 1
     "max_total_krw": 50000,                                  # optional: products + procedures
     "excluded_with": {"lumiere-retinol-03-serum": "pregnancy"},  # optional: stated reason codes
     "max_items": 0}                                          # optional

A profile passes when every check holds; the report lists each failed check so a regression is readable.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rag.recommend.engine import Recommender
from rag.recommend.models import Recommendations

KINDS = {"product", "procedure", "consultation", "video"}


@dataclass
class CaseResult:
    id: str
    failures: list[str]
    item_ids: list[str]

    @property
    def passed(self) -> bool:
        return not self.failures


@dataclass
class EvalReport:
    results: list[CaseResult] = field(default_factory=list)

    @property
    def pass_rate(self) -> float:
        return sum(r.passed for r in self.results) / len(self.results) if self.results else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "cases": len(self.results),
            "passed": sum(r.passed for r in self.results),
            "pass_rate": round(self.pass_rate, 4),
            "failures": {r.id: r.failures for r in self.results if not r.passed},
        }


def load_cases(path: Path | str) -> list[dict[str, Any]]:
    cases = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                case = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not JSON ({exc})") from exc
            if not isinstance(case, dict) or "id" not in case or "analysis" not in case:
                raise ValueError(f"{path}:{n}: a case needs at least 'id' and 'analysis'")
            cases.append(case)
    return cases


def _matches(item_ref: str, kind: str, item_id: str) -> bool:
    return item_ref == kind if item_ref in KINDS else item_ref == item_id


def check_case(case: dict[str, Any], result: Recommendations) -> list[str]:
    failures: list[str] = []
    items = result.items
    for ref in case.get("must_include", []):
        if not any(_matches(ref, i.kind, i.id) for i in items):
            failures.append(f"missing {ref}")
    for ref in case.get("must_exclude", []):
        if any(_matches(ref, i.kind, i.id) for i in items):
            failures.append(f"suggested {ref}")
    first = case.get("first")
    if first and (not items or not _matches(first, items[0].kind, items[0].id)):
        failures.append(f"first is {items[0].id if items else None}, want {first}")
    limit = case.get("max_total_krw")
    if limit is not None and result.total_krw > limit:
        failures.append(f"total {result.total_krw} > {limit}")
    if "max_items" in case and len(items) > case["max_items"]:
        failures.append(f"{len(items)} items > {case['max_items']}")
    codes = {e.id: e.code for e in result.excluded}
    for item_id, code in case.get("excluded_with", {}).items():
        if codes.get(item_id) != code:
            failures.append(f"{item_id} excluded as {codes.get(item_id)}, want {code}")
    return failures


def evaluate(recommender: Recommender, cases: list[dict[str, Any]]) -> EvalReport:
    report = EvalReport()
    for case in cases:
        result = recommender.recommend(case["analysis"], case.get("answers"), case.get("lang", "ko"))
        report.results.append(CaseResult(case["id"], check_case(case, result), [i.id for i in result.items]))
    return report
