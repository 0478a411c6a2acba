"""Behaviour found missing on the seventh clinic (onsaemi, blind until measured once, now a dev fixture in
tests/fixtures/onsaemi-clinic): a named procedure the encoder does not know must still reach the composer,
"얼마나 저렴" asks for prices, and the output rail must not block the clinic's own "다운타임: 거의 없음"."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.korean import noun_pairs
from rag.lexicon import normalize
from rag.question import question_types
from rag.retrieval import _cue_word
from tests.rag.support import assert_answers, assert_grounded, fixture_assistant

ONSAEMI = Path(__file__).parents[1] / "fixtures" / "onsaemi-clinic"


@pytest.fixture(scope="module")
def onsaemi(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fixture_assistant(tmp_path_factory, ONSAEMI, "onsaemi", 18)


def test_how_much_cheaper_asks_for_prices_not_a_duration() -> None:
    assert question_types("10회 패키지로 하면 얼마나 저렴한가요?") == ["price"]
    assert "duration" in question_types("레이저토닝은 얼마나 걸려요?")


def test_a_start_date_question_is_a_date_question_but_an_aftercare_one_is_not() -> None:
    assert "date" in question_types("포텐자 시술은 언제부터 받을 수 있나요?")
    assert "date" not in question_types("레이저 받고 화장은 언제부터 해도 돼요?")
    assert "price" in question_types("전날 취소하면 얼마나 돌려받나요?")


def test_cue_words_are_not_topic_words() -> None:
    assert _cue_word("얼마") and _cue_word("가격") and _cue_word("price")
    # "parking after the free period" is about the fee: a line without 무료 must not lose coverage for it
    assert _cue_word("free")
    assert not _cue_word("울쎄라") and not _cue_word("300")  # numbers name the row


def test_rows_of_a_procedure_the_encoder_does_not_know_reach_the_composer(onsaemi: Any) -> None:
    # The FAQ repeats "…비용은 얼마인가요?" on every row and the encoder only understands "얼마에요": at 16
    # passages the 울쎄라 price rows never reached the composer, which then quoted an event combo row.
    answer = assert_answers(onsaemi, "울쎄라 얼마에요", "1,290,000원")
    assert_grounded(answer)
    assert all(c.doc_id == "onsaemi-prices-lifting-laser" for c in answer.citations)


def test_the_regular_row_beside_an_event_combo_is_given(onsaemi: Any) -> None:
    answer = assert_answers(onsaemi, "슈링크 300샷 가격ㅇㅇ", "99,000원")
    assert_grounded(answer)


def test_a_package_saving_question_gets_both_prices(onsaemi: Any) -> None:
    answer = assert_answers(onsaemi, "레이저토닝을 1회씩 10번 받는 것보다 10회 패키지로 하면 얼마나 저렴한가요?",
                            "59,000원", "490,000원")
    assert_grounded(answer)


def test_the_output_rail_lets_the_clinics_own_almost_no_downtime_through() -> None:
    from rag.guardrails import Guardrails

    rails = Guardrails(use_semantic=False)
    verdict = rails.check_output("- 시술 시간: 600샷 기준 약 60~90분 - 다운타임: 거의 없음.", "ko")
    assert verdict.allowed, verdict.reason
    # an absolute claim is still one
    assert not rails.check_output("다운타임이 전혀 없습니다.", "ko").allowed


def test_a_start_date_and_a_korean_only_notice_are_answered(onsaemi: Any) -> None:
    assert_answers(onsaemi, "포텐자 시술은 언제부터 받을 수 있나요?", "10월 13일")
    # English question, the fact only in the Korean notice: "introductory" is the clinic's 도입 기념가
    assert_answers(onsaemi, "Is there an introductory price for the new Potenza treatment?", "250,000")
    assert_answers(onsaemi, "울쎄라 예약금을 냈는데 시술 전날 취소하면 얼마나 돌려받나요?", "50%")


def test_a_nickname_is_not_expanded_inside_the_full_word() -> None:
    assert normalize("국산 보톡스로 사각턱") == "국산 보톡스로 사각턱"  # was "보톡스스로"
    assert normalize("보톡 얼마") == "보톡스 얼마"
    assert normalize("물광주사 얼마") == "물광주사 얼마"


def test_noun_phrases_pair_a_modifier_with_its_head() -> None:
    assert ("문신", "제거") in noun_pairs("문신 제거 레이저 비용이 얼마예요?")
    assert not any(a == "김해공항" for a, _ in noun_pairs("김해공항에서 택시 요금은?"))  # a particle breaks it


def test_a_kind_of_a_listed_item_the_clinic_never_names_is_not_answered_with_its_neighbour(onsaemi: Any) -> None:
    # the clinic lists 점 제거, 비립종 제거 ... and never writes 문신: the 점 제거 row must not answer
    answer = onsaemi.answer("문신 제거 레이저 비용이 얼마예요?")
    assert answer.abstained, answer.answer
    assert_answers(onsaemi, "점 제거 비용이 얼마예요?", "10,000원")


def test_a_doctors_alma_mater_is_not_answered_with_the_doctors_name(onsaemi: Any) -> None:
    answer = onsaemi.answer("정유나 원장님은 어느 대학교를 나오셨나요?")
    assert answer.abstained, answer.answer
    assert onsaemi.answer("What year was the clinic founded?").abstained
    assert_answers(onsaemi, "정유나 원장님은 무슨 요일에 진료하세요?", "월·수·금·토")
