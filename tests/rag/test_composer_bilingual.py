"""The composer on a small bilingual clinic whose facts are each written in one language only: Korean
questions over English pages and back, FAQ answers found through their question, two-part questions,
contact lines, and private-information questions that must abstain. Every reply may only state numbers
from its citations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rag.korean import content_terms
from rag.lexicon import expand
from rag.question import QUESTION_TYPES, question_types
from tests.rag.support import assert_grounded, fixture_assistant

HARBOR = Path(__file__).parent / "fixtures" / "harbor-clinic"


@pytest.fixture(scope="module")
def harbor(tmp_path_factory: pytest.TempPathFactory) -> Any:
    return fixture_assistant(tmp_path_factory, HARBOR, "harbor", 4)


def test_hyphenated_words_are_also_indexed_joined() -> None:
    found = content_terms("Make-up from day 5; call the after-care line.")
    assert {"make", "makeup", "aftercare"} <= set(found)


def test_visitor_paraphrases_expand_to_the_clinic_words() -> None:
    assert "payment" in expand(["wallet"]) and "mobile" in expand(["phone"])
    assert "성탄절" in expand(["크리스마스"]) and "미성년자" in expand(["고등학생"])


def test_question_types_for_totals_contacts_and_krw_columns() -> None:
    assert "price" in question_types("What is the total for one peel plus one facial?")
    assert "contact" in question_types("What is the after-care phone number?")
    price_evidence = QUESTION_TYPES["price"][1]
    assert price_evidence.search("Oxygen facial — Price (KRW): 45,000; Course of 5 (KRW): 200,000")
    assert not price_evidence.search("Oxygen facial — about 30 minutes")
    assert QUESTION_TYPES["downtime"][1].search("필링은 다음 날부터 가능합니다.")


def test_korean_question_over_an_english_only_fee_table(harbor: Any) -> None:
    answer = harbor.answer("산소 관리 5회 코스 가격은?")  # 산소 is not in the glossary: dense + 코스/5회 carry it
    assert not answer.abstained and answer.language == "ko", answer.answer
    assert "200,000" in answer.answer and answer.citations[0].source == "fees-en.md"
    assert_grounded(answer)


def test_english_question_over_a_korean_only_rule(harbor: Any) -> None:
    answer = harbor.answer("Up to what age must a patient come with a guardian?")
    assert not answer.abstained, answer.answer
    assert "만 17세 이하는 보호자와 함께 와야 합니다." in answer.answer
    assert answer.answer.startswith("Here is what") and answer.citations[0].source == "rules-ko.md"
    assert_grounded(answer)


def test_faq_answer_is_found_through_its_question(harbor: Any) -> None:
    answer = harbor.answer("필링 받고 세안은 언제부터 할 수 있어요?")  # the answer line never says 세안
    assert not answer.abstained and "다음 날" in answer.answer, answer.answer
    assert "?" not in answer.answer.splitlines()[1]  # the FAQ's question is context, not a quoted fact
    assert_grounded(answer)


def test_two_part_question_gets_a_fact_for_each_part_from_two_languages(harbor: Any) -> None:
    answer = harbor.answer("필링은 한 번에 얼마이고, 받고 나서 언제부터 세안할 수 있나요?")
    assert not answer.abstained, answer.answer
    assert "65,000" in answer.answer and "다음 날" in answer.answer, answer.answer
    assert {c.source for c in answer.citations} >= {"fees-en.md", "care-ko.md"}
    assert_grounded(answer)


def test_contact_line_is_answered_and_private_numbers_are_not(harbor: Any) -> None:
    answer = harbor.answer("What is the after-care phone number?")
    assert not answer.abstained and "032-555-0177" in answer.answer, answer.answer
    private = harbor.answer("What is Dr. Lee Sora's personal mobile number?")
    assert private.abstained and not private.citations and "032" not in private.answer
    home = harbor.answer("이소라 원장님 집 주소가 어디예요?")
    assert home.abstained and not home.citations


@pytest.mark.parametrize("question", ["How much is Ulthera here?", "레이저 제모 가격이 얼마예요?",
                                      "오늘 인천 날씨 어때요?"])
def test_things_the_clinic_never_mentions_still_abstain(harbor: Any, question: str) -> None:
    answer = harbor.answer(question)
    assert answer.abstained and not answer.citations, answer.answer


def test_private_qualifier_abstains_even_when_the_score_would_answer(harbor: Any) -> None:
    from rag.assistant import ClinicAssistant, PassThroughGuardrails
    from rag.composer import ComposerConfig

    lenient = ClinicAssistant("harbor", harbor.retriever.store, guardrails=PassThroughGuardrails(),
                              composer=ComposerConfig(threshold=0.0))
    assert not lenient.answer("What is the reception phone number?").abstained
    assert lenient.answer("What is Dr. Lee Sora's personal phone number?").abstained
    assert lenient.answer("이소라 원장님 개인 전화번호 알려 주세요").abstained
