"""Score the assistant on a JSON-lines case file (``skinchat eval rag``).

A case: ``{"id", "question", "lang", "kind", "answer_must_contain": [...], "source_doc", "history"?}``.
``kind == "unanswerable"`` passes when the assistant abstains; any other case passes when every
``answer_must_contain`` substring appears in the answer. ``citation_ok``: ``source_doc`` (a path relative
to the knowledge folder) is among the cited sources.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path
from typing import Any

from rag.answer import Turn


def load_cases(path: Path) -> list[dict[str, Any]]:
    cases = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                cases.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: not JSON ({exc})") from exc
    return cases


def _percentile(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
    return round(ordered[index], 1)


def run_case(assistant: Any, case: dict[str, Any]) -> dict[str, Any]:
    history = [Turn(t["role"], t["content"]) for t in case.get("history", [])]
    started = time.perf_counter()
    answer = assistant.answer(case["question"], history, case.get("lang"))
    latency = (time.perf_counter() - started) * 1000
    unanswerable = case.get("kind") == "unanswerable"
    sources = [c.source for c in answer.citations]
    if unanswerable:
        passed = answer.abstained
        citation_ok = None
    else:
        passed = not answer.abstained and all(s in answer.answer for s in case.get("answer_must_contain", []))
        citation_ok = bool(case.get("source_doc")) and case["source_doc"] in sources
    return {"id": case.get("id"), "kind": case.get("kind"), "lang": case.get("lang"),
            "question": case["question"], "answer": answer.answer,
            "citations": [{"doc_id": c.doc_id, "source": c.source} for c in answer.citations],
            "abstained": answer.abstained, "latency_ms": round(latency, 1), "passed": passed,
            "citation_ok": citation_ok, "source_doc": case.get("source_doc")}


def _rate(values: list[bool]) -> float | None:
    return round(sum(values) / len(values), 3) if values else None


def summarize(results: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in results if r["kind"] != "unanswerable"]
    unanswerable = [r for r in results if r["kind"] == "unanswerable"]
    latencies = [r["latency_ms"] for r in results]
    by_kind: dict[str, dict[str, Any]] = {}
    for kind in sorted({str(r["kind"]) for r in results}):
        rows = [r for r in results if str(r["kind"]) == kind]
        cited = [bool(r["citation_ok"]) for r in rows if r["citation_ok"] is not None]
        by_kind[kind] = {"n": len(rows), "pass_rate": _rate([r["passed"] for r in rows]),
                         "citation_accuracy": _rate(cited)}
    return {
        "cases": len(results),
        "answerable_pass_rate": _rate([r["passed"] for r in answerable]),
        "unanswerable_abstain_rate": _rate([r["abstained"] for r in unanswerable]),
        "citation_accuracy": _rate([bool(r["citation_ok"]) for r in answerable]),
        "latency_p50_ms": _percentile(latencies, 0.5),
        "latency_p95_ms": _percentile(latencies, 0.95),
        "latency_mean_ms": round(statistics.fmean(latencies), 1) if latencies else 0.0,
        "by_kind": by_kind,
    }


def evaluate(assistant: Any, cases: list[dict[str, Any]], warm_up: bool = True) -> dict[str, Any]:
    if warm_up:
        assistant.warm_up()
    results = [run_case(assistant, case) for case in cases]
    return {"metrics": summarize(results), "results": results}
