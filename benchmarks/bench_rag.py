"""Benchmark the clinic assistant: ingestion throughput, answer latency (p50/p95 after warm-up) and peak
memory, offline backend. Prints numbers; it asserts nothing (targets are judged by people, from numbers).

    nice -n 10 .venv/bin/python benchmarks/bench_rag.py --kb knowledge/demo-clinic \
        --cases tests/rag/cases/rag_demo_cases.jsonl [--guardrails] [--rounds 2]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: kilobytes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kb", type=Path, default=Path("knowledge/demo-clinic"))
    parser.add_argument("--cases", type=Path, default=Path("tests/rag/cases/rag_demo_cases.jsonl"))
    parser.add_argument("--rounds", type=int, default=2, help="times each question is asked after warm-up")
    parser.add_argument("--guardrails", action="store_true", help="include the real input/output rails")
    args = parser.parse_args()

    from rag.assistant import ClinicAssistant, PassThroughGuardrails
    from rag.evaluation import load_cases
    from rag.ingest import ingest_directory
    from rag.vectorstore import open_store

    questions = [c["question"] for c in load_cases(args.cases)]
    started = time.perf_counter()
    from rag.embeddings import get_encoder
    from rag.korean import get_kiwi

    get_encoder(), get_kiwi()
    load_s = time.perf_counter() - started
    with tempfile.TemporaryDirectory(prefix="bench-rag-") as tmp:
        store = open_store("embedded", Path(tmp) / "chroma")
        files = [p for p in args.kb.rglob("*") if p.suffix.lower() in (".md", ".txt", ".pdf")]
        size = sum(p.stat().st_size for p in files)
        t = time.perf_counter()
        report = ingest_directory(args.kb, "bench-clinic", store)
        ingest_s = time.perf_counter() - t
        t = time.perf_counter()
        again = ingest_directory(args.kb, "bench-clinic", store)
        reingest_s = time.perf_counter() - t

        assistant = ClinicAssistant("bench-clinic", store,
                                    guardrails=None if args.guardrails else PassThroughGuardrails())
        t = time.perf_counter()
        assistant.warm_up()  # what the API does at start-up: models, BM25 index, passage-unit embeddings
        warm_s = time.perf_counter() - t
        first: list[float] = []
        for question in questions:  # each question asked for the first time
            t = time.perf_counter()
            assistant.answer(question)
            first.append((time.perf_counter() - t) * 1000)
        latencies: list[float] = []
        stages: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for question in questions:
                t = time.perf_counter()
                answer = assistant.answer(question)
                latencies.append((time.perf_counter() - t) * 1000)
                for stage, ms in answer.timing_ms.items():
                    stages.setdefault(stage, []).append(ms)
    result = {
        "machine": {"cpus": os.cpu_count(), "loadavg_1m": round(os.getloadavg()[0], 2)},
        "models_load_s": round(load_s, 2),
        "ingest": {"files": report.added, "chunks": report.chunks, "bytes": size,
                   "seconds": round(ingest_s, 2), "chunks_per_s": round(report.chunks / ingest_s, 1),
                   "kb_per_s": round(size / 1024 / ingest_s, 1),
                   "unchanged_reingest_s": round(reingest_s, 3), "unchanged_skipped": again.skipped},
        # repeated questions reuse the cached question vector; first_ask is the number for new questions
        "repeat_ask_latency_ms": {"n": len(latencies), "p50": round(_percentile(latencies, 0.5), 1),
                              "p95": round(_percentile(latencies, 0.95), 1),
                              "mean": round(statistics.fmean(latencies), 1), "max": round(max(latencies), 1),
                              "warm_up_s": round(warm_s, 2)},
        "first_ask_latency_ms": {"n": len(first), "p50": round(_percentile(first, 0.5), 1),
                                 "p95": round(_percentile(first, 0.95), 1), "max": round(max(first), 1)},
        "stage_p95_ms": {k: round(_percentile(v, 0.95), 1) for k, v in stages.items()},
        "peak_rss_mb": round(_peak_rss_mb(), 1),
        "guardrails": args.guardrails,
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
