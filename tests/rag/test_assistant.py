"""The chain end to end with the offline composer: cited answers in the visitor's language, abstention,
follow-ups, streaming and the guardrail steps."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rag.answer import Answer, Turn
from rag.assistant import AssistantError, ClinicAssistant
from tests.rag.conftest import FakeRails

_NUMBER = re.compile(r"\d[\d,]*")


def test_korean_price_question_is_answered_politely_with_the_row_cited(assistant: Any) -> None:
    answer = assistant.answer("피코토닝 1회 가격이 얼마예요?")
    assert not answer.abstained and answer.language == "ko"
    assert "150,000원" in answer.answer and "니다" in answer.answer  # 존댓말
    assert answer.citations[0].doc_id == "prices" and answer.citations[0].source == "prices.md"
    assert "| 피코토닝 | 150,000원" in answer.citations[0].text and answer.citations[0].title == "시술 가격표"
    assert answer.timing_ms["total"] > 0


def test_english_question_over_korean_row_quotes_it_verbatim_in_english(assistant: Any) -> None:
    answer = assistant.answer("How much is one session of pico toning?")
    assert not answer.abstained and answer.language == "en"
    assert answer.answer.startswith("Here is what")
    assert "피코토닝" in answer.answer and "150,000원" in answer.answer
    assert answer.citations[0].doc_id == "prices"


@pytest.mark.parametrize("question", ["코 성형 수술은 얼마인가요?", "내일 강남 날씨 어때요?",
                                      "Do you have a branch in Jeju?", "How much is a hair transplant?"])
def test_unanswerable_questions_abstain_and_offer_the_clinic(assistant: Any, question: str) -> None:
    answer = assistant.answer(question)
    assert answer.abstained and answer.citations == []
    assert not _NUMBER.search(answer.answer)
    assert ("전화" in answer.answer and "예약" in answer.answer) or (
        "phone" in answer.answer and "book" in answer.answer)


def test_follow_up_uses_the_previous_topic(assistant: Any) -> None:
    history = [Turn("user", "피코토닝 가격이 얼마예요?"),
               Turn("assistant", assistant.answer("피코토닝 가격이 얼마예요?").answer)]
    follow_up = assistant.answer("그럼 10회는요?", history)
    assert not follow_up.abstained and "1,200,000원" in follow_up.answer
    assert follow_up.citations[0].doc_id == "prices"
    alone = assistant.answer("그럼 10회는요?")  # without the history it cannot know the procedure
    assert alone.abstained or "1,200,000원" not in alone.answer


def test_stream_yields_text_chunks_then_the_answer(assistant: Any) -> None:
    items = list(assistant.stream("주차는 몇 시간 무료인가요?", []))
    *chunks, final = items
    assert isinstance(final, Answer) and len(chunks) > 3 and all(isinstance(c, str) for c in chunks)
    assert "".join(chunks) == final.answer and "2시간" in final.answer


def test_blocked_input_never_reaches_retrieval(mini_store: Any) -> None:
    rails = FakeRails(block_word="수수료")
    assistant = ClinicAssistant("mini-clinic", mini_store, guardrails=rails)
    answer = assistant.answer("환자 소개하면 수수료 주나요?")
    assert answer.blocked and answer.answer == "차단된 요청입니다." and answer.citations == []
    assert answer.guardrail.category == "brokerage" and "retrieve" not in answer.timing_ms
    assert rails.outputs == []


def test_output_guardrail_sees_and_masks_the_reply(mini_store: Any) -> None:
    rails = FakeRails(mask="150,000원")
    assistant = ClinicAssistant("mini-clinic", mini_store, guardrails=rails)
    answer = assistant.answer("피코토닝 가격이 얼마예요?")
    assert rails.inputs == ["피코토닝 가격이 얼마예요?"] and len(rails.outputs) == 1
    assert "150,000원" in rails.outputs[0] and "[가림]" in answer.answer and "150,000원" not in answer.answer
    assert answer.guardrail is not None and not answer.blocked


def test_real_guardrails_let_an_ordinary_price_question_through(mini_store: Any) -> None:
    assistant = ClinicAssistant("mini-clinic", mini_store)  # default: rag.guardrails.Guardrails
    answer = assistant.answer("피코토닝 가격이 얼마예요?")
    assert not answer.blocked and "150,000원" in answer.answer and answer.citations


def test_backend_errors_have_codes(mini_store: Any) -> None:
    with pytest.raises(AssistantError) as bad:
        ClinicAssistant("mini-clinic", mini_store, backend="gpt")
    with pytest.raises(AssistantError) as missing:
        ClinicAssistant("mini-clinic", mini_store, backend="openai")
    assert (bad.value.code, missing.value.code) == ("bad_backend", "missing_llm")
