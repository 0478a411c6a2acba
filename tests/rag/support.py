"""Helpers the rag tests share: a small fixture clinic behind an assistant, and the grounding check."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


def numbers(text: str) -> set[str]:
    return {m.group(0).replace(",", "") for m in NUMBER.finditer(text)}


def assert_grounded(answer: Any) -> None:
    """Every number in the reply appears in the passages (or titles) it cites."""
    cited = " ".join(c.text + " " + c.title for c in answer.citations)
    assert numbers(answer.answer) <= numbers(cited), answer.answer


def fixture_assistant(
    tmp_path_factory: pytest.TempPathFactory, folder: Path, clinic_id: str, documents: int
) -> Any:
    """``folder`` ingested into its own embedded store as ``clinic_id`` (all ``documents`` added, no errors),
    answered by the offline composer without guardrails."""
    from rag.assistant import ClinicAssistant, PassThroughGuardrails
    from rag.ingest import ingest_directory
    from rag.vectorstore import open_store

    store = open_store("embedded", tmp_path_factory.mktemp(f"chroma-{clinic_id}"))
    report = ingest_directory(folder, clinic_id, store)
    assert report.added == documents and not report.errors
    return ClinicAssistant(clinic_id, store, guardrails=PassThroughGuardrails())


def fired(rails: Any, text: str, direction: str = "input") -> set[str]:
    """Ids of every rule that fires (not only the verdict's winner), so a rule family is tested on its own."""
    from rag.guardrails.engine import _default_lemmas
    from rag.guardrails.normalize import normalize
    from rag.guardrails.rules import match_rules

    norm = normalize(text)
    result = match_rules(rails._rules[direction], norm, _default_lemmas(norm.text))
    return {hit.rule.id for hit in result.hits}


def assert_answers(assistant: Any, question: str, *expected: str) -> Any:
    """The assistant answers (does not abstain) with every expected string; returns the answer."""
    answer = assistant.answer(question)
    assert not answer.abstained, (question, answer.answer)
    assert all(e in answer.answer for e in expected), (question, answer.answer)
    return answer
