"""Behaviour that must hold on any clinic, not only the one a rule was found on: colloquial Korean and chat
English, brand names across scripts, counts and sizes that pick a table row (and abstain when no row has
them), and abstention that does not depend on the filler words a question happens to use."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.lexicon import normalize
from rag.question import profile
from rag.romanize import same_name, skeleton
from tests.rag.support import assert_grounded, fixture_assistant

LUMEN = Path(__file__).parent / "fixtures" / "lumen-clinic"


@pytest.fixture(scope="module")
def lumen(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fixture_assistant(tmp_path_factory, LUMEN, "lumen", 3)


@pytest.mark.parametrize(("latin", "hangul"), [("potenza", "포텐자"), ("juvelook", "쥬베룩"),
                                               ("ulthera", "울쎄라"), ("excel", "엑셀"), ("refund", "리펀")])
def test_loanwords_match_their_english_spelling(latin: str, hangul: str) -> None:
    assert same_name(latin, hangul)


@pytest.mark.parametrize(("first", "second"), [("pico", "피코"), ("laser", "부산"), ("tattoo", "타투"),
                                               ("busan", "포텐자")])
def test_short_or_different_skeletons_do_not_match(first: str, second: str) -> None:
    assert not same_name(first, second)  # two consonants collide too often to be trusted
    assert skeleton("123") == ""


def test_colloquial_words_become_the_clinic_words() -> None:
    assert "토요일" in normalize("토욜 몇시에 문닫아요?")
    assert "무료" in normalize("공짜로 되나요")
    assert "before" in normalize("can i eat b4 the appt?") and "appointment" in normalize("my appt")
    assert normalize("Sun protection after laser") == "Sun protection after laser"  # "sun" is not Sunday


def test_counts_and_sizes_are_read_as_qualifiers() -> None:
    assert profile("포텐자 600샷 3회 가격").qualifiers == ["600", "3"]
    assert profile("How much is a 5-session package?").qualifiers == ["5"]
    assert profile("What time do you close on October 21, 2026?").qualifiers == []


def test_english_brand_name_finds_the_korean_row(lumen: Any) -> None:
    answer = lumen.answer("How much is one Potenza session?")
    assert not answer.abstained and "390,000원" in answer.answer
    assert answer.citations[0].doc_id == "lumen-prices"
    assert_grounded(answer)


def test_asked_for_count_picks_the_row_and_a_missing_one_abstains(lumen: Any) -> None:
    answer = lumen.answer("포텐자 600샷 가격 알려주세요")
    assert not answer.abstained and "390,000원" in answer.answer
    assert lumen.answer("포텐자 900샷은 얼마예요?").abstained  # only 600샷 is on the price list
    assert lumen.answer("How much is Potenza with 1000 shots?").abstained


@pytest.mark.parametrize(("question", "expected"), [
    ("토욜 몇시에 문닫아요?", "14:00"),
    ("차 끌고 가면 공짜로 얼마나 세워둘 수 있어요?", "1시간 30분"),
    ("겨털 레이저 한번 하면 얼마임?", "30,000원"),
])
def test_colloquial_korean_questions_are_answered(lumen: Any, question: str, expected: str) -> None:
    answer = lumen.answer(question)
    assert not answer.abstained and expected in answer.answer, answer.answer
    assert_grounded(answer)


def test_how_many_times_wants_a_count(lumen: Any) -> None:
    answer = lumen.answer("포텐자는 몇 번 받아야 하나요?")
    assert not answer.abstained and "4회" in answer.answer, answer.answer


def test_filler_words_do_not_cause_abstention(lumen: Any) -> None:
    # "제일", "가깝", "알리" are never written by the clinic; they phrase the question, they are not its topic
    answer = lumen.answer("여기서 제일 가까운 지하철역이랑 출구 번호 좀 알려주실래요?")
    assert not answer.abstained and "2번 출구" in answer.answer, answer.answer
    answer = lumen.answer("What email address should foreign patients use to reach you?")
    assert not answer.abstained and "hello@lumen-derm.kr" in answer.answer, answer.answer


@pytest.mark.parametrize("question", ["How much does tattoo removal cost?", "레이저 문신 제거 가격이 얼마예요?"])
def test_a_procedure_named_by_an_unknown_word_abstains(lumen: Any, question: str) -> None:
    assert lumen.answer(question).abstained  # the clinic offers hair removal, not tattoo removal
