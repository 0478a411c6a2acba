"""The clinic assistant: input guardrail → retrieve → answer → output guardrail, as LangChain runnables.

Each step is a small ``RunnableLambda`` over one state dict, composed with ``|``, so every step can be
tested alone and the chain reads as the sentence above. Two backends answer behind one interface: the
offline grounded composer (default, no model server needed) and any OpenAI-compatible chat model.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator
from types import SimpleNamespace
from typing import Any, Protocol

from langchain_core.runnables import Runnable, RunnableLambda

from rag.answer import Answer, Draft, Turn
from rag.composer import ComposerConfig, GroundedComposer
from rag.language import detect_language
from rag.lexicon import terms
from rag.llm import LLMAnswerer
from rag.messages import ABSTAIN, EMPTY_QUESTION, phrase
from rag.question import looks_like_follow_up, profile, question_types
from rag.retrieval import Filters, HybridRetriever
from rag.vectorstore import VectorStore


class GuardrailsLike(Protocol):
    """What the chain needs of ``rag.guardrails.Guardrails`` (docs/CONTRACTS.md)."""

    def check_input(self, text: str, lang: str | None = None) -> Any: ...

    def check_output(self, text: str, lang: str | None = None, *, sources: Iterable[str] = ()) -> Any: ...


class AssistantError(Exception):
    """``code``: bad_backend, missing_llm."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class PassThroughGuardrails:
    """Allows everything. Only for tests of the chain itself and for measuring retrieval alone."""

    def check_input(self, text: str, lang: str | None = None) -> Any:
        return SimpleNamespace(allowed=True, category=None, reason="", masked_text=text, safe_reply=None,
                               escalate=False, latency_ms=0.0)

    def check_output(self, text: str, lang: str | None = None, *, sources: Iterable[str] = ()) -> Any:
        return self.check_input(text, lang)


def default_guardrails() -> GuardrailsLike:
    from rag.guardrails import Guardrails

    return Guardrails()


def _verdict_text(verdict: Any, original: str) -> str:
    masked = getattr(verdict, "masked_text", None)
    return masked if isinstance(masked, str) and masked else original


def _changed(verdict: Any, original: str) -> bool:
    return _verdict_text(verdict, original) != original


class ClinicAssistant:
    """Answers a visitor's questions from one clinic's documents, with citations, or abstains.

    ``k``: passages handed to the composer. 32, not 16: a named procedure the encoder does not know
    ("울쎄라 얼마에요") is found by BM25 alone, and RRF ranks such rows below mediocre dense hits, so at 16 the
    asked-for rows often never reached the composer (seventh clinic: answerable 0.72 -> 0.85 at 32; the
    composer's own scoring decides among the extra rows)."""

    def __init__(self, clinic_id: str, store: VectorStore, backend: str = "offline", llm: Any = None,
                 guardrails: GuardrailsLike | None = None, composer: ComposerConfig | None = None,
                 filters: Filters | None = None, k: int = 32) -> None:
        if backend not in ("offline", "openai"):
            raise AssistantError("bad_backend", f"unknown backend {backend!r} (offline or openai)")
        if backend == "openai" and llm is None:
            raise AssistantError("missing_llm", "the openai backend needs a chat model (make_chat_model)")
        self.clinic_id = clinic_id
        self.backend = backend
        self.retriever = HybridRetriever(store, clinic_id, k=k)
        self.composer = GroundedComposer(composer)
        self.llm = LLMAnswerer(llm) if llm is not None else None
        self.guardrails = guardrails if guardrails is not None else default_guardrails()
        self.filters = filters or Filters()
        self.chain: Runnable = (RunnableLambda(self._input_rail, name="input_guardrail")
                                | RunnableLambda(self._retrieve, name="retrieve")
                                | RunnableLambda(self._answer, name="answer")
                                | RunnableLambda(self._output_rail, name="output_guardrail"))

    # -- public API --------------------------------------------------------------------------------
    def answer(self, question: str, history: list[Turn] | None = None, language: str | None = None) -> Answer:
        started = time.perf_counter()
        state = self.chain.invoke({"question": question, "history": list(history or []),
                                   "language": language, "timing": {}})
        return self._finish(state, started)

    def stream(self, question: str, history: list[Turn] | None = None,
               language: str | None = None) -> Iterator[str | Answer]:
        """Text chunks, then the final Answer. The whole reply passes the output guardrail before the first
        chunk is sent: a blocked sentence must never reach the screen, not even briefly."""
        answer = self.answer(question, history, language)
        yield from re.findall(r"\S+\s*|\s+", answer.answer)
        yield answer

    def warm_up(self) -> None:
        """Load Kiwi, the encoder, the BM25 index and the passage-unit embeddings now rather than on a
        visitor's first question (call it at start-up)."""
        self.answer("안녕하세요 진료 시간 알려주세요")
        self.answer("What are your opening hours?")
        self.composer.warm_units(self.retriever.index())

    # -- chain steps -------------------------------------------------------------------------------
    def _input_rail(self, state: dict[str, Any]) -> dict[str, Any]:
        t = time.perf_counter()
        question = (state["question"] or "").strip()
        state["language"] = state["language"] or detect_language(question)
        state["query"] = question
        if not question:
            state["draft"] = Draft(phrase(EMPTY_QUESTION, state["language"]), [], True)
        else:
            verdict = self.guardrails.check_input(question, state["language"])
            if not getattr(verdict, "allowed", True):
                state["blocked"], state["verdict"] = True, verdict
                reply = getattr(verdict, "safe_reply", None) or ""
                state["draft"] = Draft(reply, [], False)
            elif _changed(verdict, question):
                state["verdict"] = verdict  # masked PII: retrieve and answer on the masked text
                state["query"] = _verdict_text(verdict, question)
        state["timing"]["input_guardrail"] = (time.perf_counter() - t) * 1000
        return state

    def _retrieve(self, state: dict[str, Any]) -> dict[str, Any]:
        if "draft" in state:
            return state
        t = time.perf_counter()
        query = state["query"]
        previous = next((turn.content for turn in reversed(state["history"]) if turn.role == "user"), None)
        search_text, context_terms = query, []
        follow_up = looks_like_follow_up(query)
        question = profile(query, state["language"])
        if follow_up and previous:
            search_text = f"{previous} {query}"
            context_terms = terms(previous)
        elif follow_up and not question.specific:
            # "그럼 10회는요?" with nothing before it: there is no topic to answer about.
            state["draft"] = Draft(phrase(ABSTAIN, state["language"]), [], True,
                                   debug={"reason": "follow-up without history"})
            return state
        if context_terms and not question.types:
            question.types = question_types(previous or "")
        state["profile"], state["context_terms"] = question, context_terms
        state["retrieval"] = self.retriever.retrieve(search_text, self.filters, state["language"])
        state["timing"]["retrieve"] = (time.perf_counter() - t) * 1000
        return state

    def _answer(self, state: dict[str, Any]) -> dict[str, Any]:
        if "draft" in state:
            return state
        t = time.perf_counter()
        retrieval = state["retrieval"]
        if self.backend == "openai" and self.llm is not None:
            state["draft"] = self.llm.answer(state["query"], state["language"], state["history"],
                                             retrieval.passages)
        else:
            state["draft"] = self.composer.compose(state["profile"], retrieval, state["language"],
                                                   state["context_terms"])
        state["timing"]["answer"] = (time.perf_counter() - t) * 1000
        return state

    def _output_rail(self, state: dict[str, Any]) -> dict[str, Any]:
        if state.get("blocked"):
            return state
        t = time.perf_counter()
        draft: Draft = state["draft"]
        verdict = self.guardrails.check_output(draft.text, state["language"],
                                               sources=[c.text for c in draft.citations])
        if not getattr(verdict, "allowed", True):
            state["blocked"], state["verdict"] = True, verdict
            state["draft"] = Draft(getattr(verdict, "safe_reply", None) or "", [], False)
        elif _changed(verdict, draft.text):
            state["verdict"] = verdict
            draft.text = _verdict_text(verdict, draft.text)
        state["timing"]["output_guardrail"] = (time.perf_counter() - t) * 1000
        return state

    @staticmethod
    def _finish(state: dict[str, Any], started: float) -> Answer:
        draft: Draft = state["draft"]
        timing = {k: round(v, 2) for k, v in state["timing"].items()}
        timing["total"] = round((time.perf_counter() - started) * 1000, 2)
        return Answer(answer=draft.text, citations=draft.citations, abstained=draft.abstained,
                      language=state["language"], timing_ms=timing, guardrail=state.get("verdict"),
                      blocked=bool(state.get("blocked")))
