"""Shared fixtures for the rag tests. The encoder and Kiwi are process singletons, so the store and the
ingested mini clinic are built once per session and shared; tests that change documents use their own."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

FIXTURES = Path(__file__).parent / "fixtures"
MINI_CLINIC = FIXTURES / "mini-clinic"


class FakeRails:
    """A guardrail double: blocks inputs containing ``block_word``, masks ``secret`` in outputs."""

    def __init__(self, block_word: str = "수수료", mask: str = "") -> None:
        self.block_word = block_word
        self.mask = mask
        self.inputs: list[str] = []
        self.outputs: list[str] = []

    def _verdict(self, text: str, allowed: bool, masked: str) -> Any:
        return SimpleNamespace(allowed=allowed, category=None if allowed else "brokerage", reason="test",
                               masked_text=masked, safe_reply=None if allowed else "차단된 요청입니다.",
                               escalate=not allowed, latency_ms=0.0)

    def check_input(self, text: str, lang: str | None = None) -> Any:
        self.inputs.append(text)
        return self._verdict(text, self.block_word not in text, text)

    def check_output(self, text: str, lang: str | None = None, *, sources: Any = ()) -> Any:
        self.outputs.append(text)
        masked = text.replace(self.mask, "[가림]") if self.mask else text
        return self._verdict(text, True, masked)


@pytest.fixture(scope="session")
def mini_store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    from rag.ingest import ingest_directory
    from rag.vectorstore import open_store

    store = open_store("embedded", tmp_path_factory.mktemp("chroma-mini"))
    report = ingest_directory(MINI_CLINIC, "mini-clinic", store)
    assert report.added == 6 and not report.errors
    return store


@pytest.fixture(scope="session")
def assistant(mini_store: Any) -> Any:
    from rag.assistant import ClinicAssistant, PassThroughGuardrails

    return ClinicAssistant("mini-clinic", mini_store, guardrails=PassThroughGuardrails())


@pytest.fixture
def clinic_copy(tmp_path: Path) -> Path:
    target = tmp_path / "clinic"
    shutil.copytree(MINI_CLINIC, target)
    return target


@pytest.fixture(scope="session")
def clinic() -> Any:
    """Rules-only guardrails of a clinic (no encoder): the rule tests check which rule fires."""
    from rag.guardrails import Guardrails

    return Guardrails(venue_kind="clinic", use_semantic=False)


@pytest.fixture(scope="session")
def hotel() -> Any:
    """Rules-only guardrails of a hotel, where the brokerage rules are stricter."""
    from rag.guardrails import Guardrails

    return Guardrails(venue_kind="hotel", use_semantic=False)
