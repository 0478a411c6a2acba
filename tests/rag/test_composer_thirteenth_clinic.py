"""Behaviour found missing on the thirteenth clinic (solgyeol, Daejeon; blind until measured once at the start of
the seventh stop, now a dev fixture in tests/fixtures/solgyeol-clinic): a women's row is not the men's, a season
names a promotion's months, a surname alone names a doctor, a line in the visitor's language that misses half
the question keeps no edge over the translated line that answers it, and more everyday words."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rag.support import assert_answers, assert_grounded, fixture_assistant

SOLGYEOL = Path(__file__).parents[1] / "fixtures" / "solgyeol-clinic"


@pytest.fixture(scope="module")
def solgyeol(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fixture_assistant(tmp_path_factory, SOLGYEOL, "solgyeol", 25)


def test_the_womens_row_answers_a_question_about_women(solgyeol: Any) -> None:
    """Both tables list 액와 (양측); the one under "남성 제모" (45,000원) must not come first."""
    answer = assert_answers(solgyeol, "여자 겨드랑이 털 레이저 1회 얼마예요?", "39,000")
    assert "45,000" not in answer.answer.split("\n")[1]
    assert_grounded(answer)


def test_a_season_names_a_promotions_months(solgyeol: Any) -> None:
    assert solgyeol.answer("여름방학 이벤트는 언제부터 해요?").abstained
    assert_grounded(assert_answers(solgyeol, "겨울방학 이벤트는 언제까지 해요?", "2027"))


def test_a_surname_no_listed_doctor_has_is_no_doctor_here(solgyeol: Any) -> None:
    assert solgyeol.answer("박 원장님은 무슨 요일에 진료하세요?").abstained
    assert not solgyeol.answer("서 원장님 야간 진료는 무슨 요일이에요?").abstained


def test_a_translated_line_that_answers_beats_a_korean_line_that_does_not(solgyeol: Any) -> None:
    """Only the English home-care guide gives the room's humidity."""
    assert_grounded(assert_answers(solgyeol, "아토피 있는 아이 방 습도는 어느 정도가 좋아요?", "40–60%"))


@pytest.mark.parametrize(("question", "expected"), [
    ("목에 난 살점 떼는 거 얼마예요?", "60,000"),
    ("아기 젖은 붕대 감는 교육 받으면 얼마예요?", "40,000"),
    ("딸 결혼식 앞두고 부모님이 받을 관리 얼마예요?", "360,000"),
    ("How much moisturizer does a toddler need each week?", "250g"),
])
def test_everyday_words_reach_the_clinics_terms(solgyeol: Any, question: str, expected: str) -> None:
    assert_grounded(assert_answers(solgyeol, question, expected))
