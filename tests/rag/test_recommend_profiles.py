"""The recommendation evaluation set: every profile in tests/rag/cases/recommend_profiles.jsonl must pass.

Run alone: ``.venv/bin/python -m pytest tests/rag/test_recommend_profiles.py -q -s`` (prints the rate).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.recommend import Recommender
from rag.recommend.evaluate import check_case, evaluate, load_cases
from tests.rag.test_recommend import shared_recommender

CASES = Path(__file__).parent / "cases" / "recommend_profiles.jsonl"


@pytest.fixture(scope="session")
def recommender() -> Recommender:
    return shared_recommender()


def test_every_profile_passes(recommender: Recommender) -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 30
    assert len({c["id"] for c in cases}) == len(cases), "case ids must be unique"
    report = evaluate(recommender, cases)
    print(f"\nrecommend profiles: {report.to_dict()['passed']}/{len(cases)} pass_rate={report.pass_rate:.3f}")
    assert report.pass_rate == 1.0, json.dumps(report.to_dict()["failures"], ensure_ascii=False, indent=1)


def test_the_checker_can_fail(recommender: Recommender) -> None:
    """A wrong expectation must be reported, or a pass rate of 1.0 would mean nothing."""
    case = {"id": "wrong", "analysis": {"counts": {"papule": 10}, "grade": {"level": 3}},
            "must_include": ["lumiere-retinol-03-serum"], "must_exclude": ["consultation"],
            "first": "product", "max_total_krw": 1, "excluded_with": {"pdt": "pregnancy"}}
    result = recommender.recommend(case["analysis"], {}, "ko")
    failures = check_case(case, result)
    assert len(failures) == 5, failures
