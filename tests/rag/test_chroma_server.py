"""Server mode against a real Chroma server: the one CI starts (SKINCHAT_TEST_CHROMA_URL), and one this
test starts itself with ``chroma run`` on a free loopback port, so it can be checked on any machine."""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag.assistant import ClinicAssistant, PassThroughGuardrails
from rag.ingest import ingest_directory
from rag.retrieval import HybridRetriever
from rag.vectorstore import VectorStoreError, open_store, ping_vector_store
from tests.support import free_port, stop_process

CHROMA_URL = os.environ.get("SKINCHAT_TEST_CHROMA_URL", "")
CHROMA_BIN = Path(sys.executable).with_name("chroma")


def _exercise_server(url: str, clinic_dir: Path) -> None:
    """Ingest, re-ingest, answer, and see a change made through another client (a second replica)."""
    clinic = f"srv-{uuid.uuid4().hex[:8]}"
    assert ping_vector_store("server", url=url) > 0
    store = open_store("server", url=url)
    try:
        first = ingest_directory(clinic_dir, clinic, store)
        assert first.added == 6 and first.total_chunks == first.chunks > 0
        assert ingest_directory(clinic_dir, clinic, store).skipped == 6
        replica = ClinicAssistant(clinic, open_store("server", url=url), guardrails=PassThroughGuardrails())
        answer = replica.answer("피코토닝 가격이 얼마예요?")
        assert "150,000원" in answer.answer and answer.citations[0].doc_id == "prices"
        prices = clinic_dir / "prices.md"
        text = prices.read_text(encoding="utf-8")
        prices.write_text(text.replace("150,000원", "140,000원"), encoding="utf-8")
        assert ingest_directory(clinic_dir, clinic, store).updated == 1
        changed = replica.answer("피코토닝 가격이 얼마예요?")
        assert "140,000원" in changed.answer and "150,000원" not in changed.answer
        assert isinstance(replica.retriever, HybridRetriever)
    finally:
        store.delete_clinic(clinic)


@pytest.mark.chroma_server
def test_against_the_ci_chroma_server(clinic_copy: Path) -> None:
    if not CHROMA_URL:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("SKINCHAT_TEST_CHROMA_URL is not set in CI; .ci/run must start a Chroma server")
        pytest.skip("no Chroma server (set SKINCHAT_TEST_CHROMA_URL)")
    _exercise_server(CHROMA_URL, clinic_copy)


@pytest.fixture
def own_chroma_server(tmp_path: Path) -> Iterator[str]:
    if not CHROMA_BIN.exists():
        pytest.skip(f"{CHROMA_BIN} is not installed")
    port = free_port()
    log = (tmp_path / "chroma.log").open("w")
    process = subprocess.Popen([str(CHROMA_BIN), "run", "--path", str(tmp_path / "server-data"),
                                "--host", "127.0.0.1", "--port", str(port)],
                               stdout=log, stderr=subprocess.STDOUT,
                               env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                ping_vector_store("server", url=url)
                break
            except VectorStoreError:
                if process.poll() is not None or time.monotonic() > deadline:
                    log.flush()
                    pytest.fail("chroma run did not start: " + (tmp_path / "chroma.log").read_text()[-2000:])
                time.sleep(0.3)
        yield url
    finally:
        stop_process(process, timeout=20)
        log.close()


def test_against_a_chroma_server_started_here(own_chroma_server: str, clinic_copy: Path) -> None:
    _exercise_server(own_chroma_server, clinic_copy)
