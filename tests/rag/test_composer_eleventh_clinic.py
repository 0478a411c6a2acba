"""Behaviour found missing on the eleventh clinic (hallabit, Jeju, a medical-tourism desk; blind until measured
once at the start of the sixth stop, now a dev fixture in tests/fixtures/hallabit-clinic): everyday words for
the clinic's terms, English phrases that translate as a whole, permission questions, and a doctor the clinic
does not list."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rag.support import assert_answers, assert_grounded, fixture_assistant

HALLABIT = Path(__file__).parents[1] / "fixtures" / "hallabit-clinic"


@pytest.fixture(scope="module")
def hallabit(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fixture_assistant(tmp_path_factory, HALLABIT, "hallabit", 24)


def test_a_doctor_no_document_names_is_not_answered_with_another_doctors_timetable(hallabit: Any) -> None:
    assert hallabit.answer("김민준 원장님 진료 요일 알려주세요").abstained
    assert hallabit.answer("What days does Dr. Thompson see patients?").abstained
    assert_grounded(assert_answers(hallabit, "고은별 원장님 휴진일이 언제예요?", "목요일"))


def test_an_english_phrase_is_translated_as_a_whole(hallabit: Any) -> None:
    """"hair removal" is 제모; word by word, "removal" (제거) picked the mole-removal row."""
    answer = assert_answers(hallabit, "How much is Brazilian laser hair removal, one session?", "150,000")
    assert_grounded(answer)
    assert "점 제거" not in answer.answer


@pytest.mark.parametrize(("question", "expected"), [
    ("처음 가는데 얼굴 당겨주는 초음파 300방 얼마로 해줘요?", "149,000"),  # 300방 = 300 shots, 초음파 = HIFU
    ("주름 펴는 주사 맞은 날 저녁에 술 한잔 해도 되나?", "당일 음주 금지"),  # a permission question
    ("턱에 채우는 주사 맞고 담날 비행기 타는데 괜찮을까요", "24시간"),
    ("세수할 때 쓰는 순한 폼 팔아요? 얼마에요?", "22,000"),
    ("달러 현찰로 계산해도 돼요?", "외화 현금"),
    ("How much is trapezius (shoulder) botox?", "190,000"),
    ("What is the winter event price for the lifting duo?", "550,000"),
])
def test_everyday_words_reach_the_clinics_terms(hallabit: Any, question: str, expected: str) -> None:
    assert_grounded(assert_answers(hallabit, question, expected))


def test_a_price_question_that_says_free_wants_an_amount(hallabit: Any) -> None:
    """"after the free hour" is the premise; the line that only says parking is free is no answer."""
    answer = assert_answers(hallabit, "How much is parking after the free time runs out?", "500")
    assert_grounded(answer)


def test_a_korean_question_about_foreign_visitors_reaches_the_english_only_page(hallabit: Any) -> None:
    question = "외국 여행자보험 청구 양식 보낼 이메일 주소 알려주세요"
    assert_grounded(assert_answers(hallabit, question, "intl@hallabitderm.kr"))
