"""The recommendation evaluation set: every profile in tests/rag/cases/recommend_profiles.jsonl must pass.

Run alone: ``.venv/bin/python -m pytest tests/rag/test_recommend_profiles.py -q -s`` (prints the rates).
The second test runs the same profiles through the real output guardrail (the chain the API uses); it is
marked slow because the rail embeds every new sentence (~0.3 s each here, ~300 sentences).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rag.recommend import Recommender
from rag.recommend.evaluate import check_case, evaluate, load_cases
from tests.rag.test_recommend import logic_recommender, shared_recommender

CASES = Path(__file__).parent / "cases" / "recommend_profiles.jsonl"


@pytest.fixture(scope="session")
def recommender() -> Recommender:
    return logic_recommender()


def test_every_profile_passes(recommender: Recommender) -> None:
    cases = load_cases(CASES)
    assert len(cases) >= 30
    assert len({c["id"] for c in cases}) == len(cases), "case ids must be unique"
    report = evaluate(recommender, cases)
    print(f"\nrecommend profiles: {report.to_dict()['passed']}/{len(cases)} pass_rate={report.pass_rate:.3f}")
    assert report.pass_rate == 1.0, json.dumps(report.to_dict()["failures"], ensure_ascii=False, indent=1)


@pytest.mark.slow
def test_every_profile_passes_through_the_real_output_rail(recommender: Recommender) -> None:
    try:
        from rag.guardrails import Guardrails
    except ImportError:
        pytest.skip("rag.guardrails.Guardrails is not installed yet (issue #5)")
    guarded = shared_recommender()
    assert isinstance(guarded.guardrails, Guardrails)
    cases = load_cases(CASES)
    report = evaluate(guarded, cases)
    print(f"\nrecommend profiles with the output rail: {report.to_dict()['passed']}/{len(cases)} "
          f"pass_rate={report.pass_rate:.3f}")
    assert report.pass_rate == 1.0, json.dumps(report.to_dict()["failures"], ensure_ascii=False, indent=1)
    for case in cases:  # the rail blocked nothing and changed nothing
        args = (case["analysis"], case.get("answers"), case.get("lang", "ko"))
        assert guarded.recommend(*args).to_dict() == recommender.recommend(*args).to_dict(), case["id"]


def test_the_checker_can_fail(recommender: Recommender) -> None:
    """A wrong expectation must be reported, or a pass rate of 1.0 would mean nothing."""
    case = {"id": "wrong", "analysis": {"counts": {"papule": 10}, "grade": {"level": 3}},
            "must_include": ["lumiere-retinol-03-serum"], "must_exclude": ["consultation"],
            "first": "product", "max_total_krw": 1, "excluded_with": {"pdt": "pregnancy"}}
    result = recommender.recommend(case["analysis"], {}, "ko")
    failures = check_case(case, result)
    assert len(failures) == 5, failures
