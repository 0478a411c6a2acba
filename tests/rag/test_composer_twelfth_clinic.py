"""Behaviour found missing on the twelfth clinic (raonhaneul, Songdo; blind until measured once at the end of the
sixth stop, now a dev fixture in tests/fixtures/raonhaneul-clinic): a month the profile names for something
else is no promotion month, and more everyday words for the clinic's terms."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rag.support import assert_answers, assert_grounded, fixture_assistant

RAONHANEUL = Path(__file__).parents[1] / "fixtures" / "raonhaneul-clinic"


@pytest.fixture(scope="module")
def raonhaneul(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fixture_assistant(tmp_path_factory, RAONHANEUL, "raonhaneul", 24)


def test_a_month_only_the_opening_date_names_is_no_promotion_month(raonhaneul: Any) -> None:
    """"2014년 3월 개원" in the profile must not make "2027년 3월 이벤트" look answered."""
    assert raonhaneul.answer("2027년 3월에도 이벤트 하나요?").abstained
    assert_grounded(assert_answers(raonhaneul, "12월 이벤트 기간이 언제까지예요?", "12월 31일"))


@pytest.mark.parametrize(("question", "expected"), [
    ("약속된 날 못 가게 됐는데 언제까지 말해야 돈 안 날려요?", "1일 전 18:00"),
    ("머리 빠지는 거 때문에 두피에 바늘 치료 받은 날 샴푸해도 돼?", "다음 날"),
])
def test_everyday_words_reach_the_clinics_terms(raonhaneul: Any, question: str, expected: str) -> None:
    assert_grounded(assert_answers(raonhaneul, question, expected))
