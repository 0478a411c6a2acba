"""``skinchat ingest``, ``skinchat ask --json`` and ``skinchat eval rag --json`` on the mini clinic."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    from api.cli.main import app
    from api.settings import get_settings

    monkeypatch.setenv("SKINCHAT_DATA_DIR", str(tmp_path / "var"))
    monkeypatch.setenv("SKINCHAT_CHROMA_MODE", "embedded")
    monkeypatch.setenv("SKINCHAT_LLM_BACKEND", "offline")
    get_settings.cache_clear()
    yield lambda *args: CliRunner().invoke(app, list(args))
    get_settings.cache_clear()


def test_ingest_then_ask_json(cli, clinic_copy: Path) -> None:
    ingested = cli("ingest", str(clinic_copy), "--clinic", "cli-clinic")
    assert ingested.exit_code == 0, ingested.output
    assert "6 added" in ingested.output
    again = cli("ingest", str(clinic_copy), "--clinic", "cli-clinic", "--json")
    assert json.loads(again.output)["skipped"] == 6
    asked = cli("ask", "피코토닝 가격이 얼마예요?", "--clinic", "cli-clinic", "--json")
    assert asked.exit_code == 0, asked.output
    payload = json.loads(asked.output)
    assert {"answer", "citations", "abstained", "language", "timing_ms"} <= set(payload)
    assert "150,000원" in payload["answer"] and payload["language"] == "ko" and not payload["abstained"]
    assert set(payload["citations"][0]) == {"doc_id", "source", "text"}
    assert payload["citations"][0]["source"] == "prices.md"


def test_eval_rag_reports_cases_and_metrics(cli) -> None:
    result = cli("eval", "rag", "--kb", str(FIXTURES / "mini-clinic"), "--cases",
                 str(FIXTURES / "mini_cases.jsonl"), "--json", "--no-guardrails")
    assert result.exit_code == 0, result.output
    report = json.loads(result.output)
    by_id = {r["id"]: r for r in report["results"]}
    assert set(by_id["mini-001"]) >= {"id", "answer", "citations", "abstained", "latency_ms", "passed",
                                      "citation_ok"}
    assert by_id["mini-001"]["passed"] and by_id["mini-001"]["citation_ok"]
    assert by_id["mini-004"]["passed"] and by_id["mini-004"]["abstained"]
    assert not by_id["mini-005"]["passed"] and by_id["mini-005"]["citation_ok"] is False  # a case can fail
    metrics = report["metrics"]
    assert metrics["unanswerable_abstain_rate"] == 1.0
    assert metrics["answerable_pass_rate"] <= 0.75
    assert metrics["latency_p95_ms"] >= metrics["latency_p50_ms"] > 0
    assert set(metrics["by_kind"]) == {"fact", "crosslingual", "unanswerable"}
