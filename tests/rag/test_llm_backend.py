"""The LLM backend with LangChain's fake chat models (no network): it cites, and whatever the model says
that its sources do not support becomes an abstention."""

from __future__ import annotations

from typing import Any, ClassVar

from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from rag.assistant import ClinicAssistant, PassThroughGuardrails
from rag.llm import NO_ANSWER, SYSTEM_PROMPT, build_messages


class RecordingFake(FakeListChatModel):
    """FakeListChatModel that keeps the prompts it was given."""

    seen: ClassVar[list] = []

    def _call(self, messages: Any, stop: Any = None, run_manager: Any = None, **kwargs: Any) -> str:
        self.seen.append(messages)
        return super()._call(messages, stop, run_manager, **kwargs)


def _assistant(store: Any, llm: Any) -> ClinicAssistant:
    return ClinicAssistant("mini-clinic", store, backend="openai", llm=llm,
                           guardrails=PassThroughGuardrails())


def test_supported_answer_keeps_its_citations(mini_store: Any) -> None:
    llm = RecordingFake(responses=["피코토닝 1회 가격은 150,000원입니다 [prices]."])
    answer = _assistant(mini_store, llm).answer("피코토닝 가격이 얼마예요?")
    assert not answer.abstained and answer.answer == "피코토닝 1회 가격은 150,000원입니다 [prices]."
    assert [c.doc_id for c in answer.citations] == ["prices"] and "150,000원" in answer.citations[0].text
    system = llm.seen[-1][0].content
    assert "[prices]" in system and "| 피코토닝 | 150,000원" in system and NO_ANSWER in system
    assert "Korean" in system and "존댓말" in system


def test_unsupported_number_is_refused(mini_store: Any) -> None:
    llm = FakeListChatModel(responses=["피코토닝은 지금 99,000원 특가입니다 [prices]."])
    answer = _assistant(mini_store, llm).answer("피코토닝 가격이 얼마예요?")
    assert answer.abstained and "99,000" not in answer.answer and answer.citations == []


def test_uncited_or_invented_citations_are_refused(mini_store: Any) -> None:
    for reply in ["피코토닝은 150,000원입니다.", "피코토닝은 150,000원입니다 [price-list-2027]."]:
        answer = _assistant(mini_store, FakeListChatModel(responses=[reply])).answer("피코토닝 가격?")
        assert answer.abstained, reply


def test_model_saying_no_answer_abstains_in_the_question_language(mini_store: Any) -> None:
    llm = GenericFakeChatModel(messages=iter([AIMessage(NO_ANSWER)]))
    answer = _assistant(mini_store, llm).answer("Do you offer hair transplants?")
    assert answer.abstained and answer.language == "en" and "phone" in answer.answer


def test_stream_with_llm_backend_ends_with_the_verified_answer(mini_store: Any) -> None:
    llm = GenericFakeChatModel(messages=iter([AIMessage("Parking is free for 2 hours [hours].")]))
    *chunks, final = list(_assistant(mini_store, llm).stream("Is parking free?", []))
    assert "".join(chunks) == final.answer and [c.doc_id for c in final.citations] == ["hours"]


def test_history_reaches_the_model() -> None:
    from rag.answer import Turn

    history = [Turn("user", "피코토닝 가격?"), Turn("assistant", "150,000원")]
    messages = build_messages("그럼 10회는요?", "ko", history, [])
    assert [m.type for m in messages] == ["system", "human", "ai", "human"]
    assert "{" not in SYSTEM_PROMPT.format(no_answer=NO_ANSWER, language_name="Korean", politeness="존댓말",
                                           sources="")
