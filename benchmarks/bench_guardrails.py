"""Guardrail latency per check on this machine: wall time and this thread's CPU time, p50/p95/max.

Usage: .venv/bin/python benchmarks/bench_guardrails.py [--cases FILE] [--rounds N] [--no-semantic]

Wall time is what a visitor waits; CPU time shows the guardrails' own cost when other work (a training run,
other tests) competes for the two cores, so both are printed together with the load average. Construction
and the first calls (lazy imports, Kiwi's first tokenisation) are excluded: a warm-up pass runs first.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CASES = ROOT / "tests" / "rag" / "cases" / "guardrails_redteam.jsonl"


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))], 3)


def _summary(values: list[float]) -> dict[str, float]:
    return {"p50": _pct(values, 0.5), "p95": _pct(values, 0.95), "max": round(max(values), 3),
            "mean": round(statistics.fmean(values), 3)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=Path, default=DEFAULT_CASES)
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--no-semantic", action="store_true", help="rules only (to see the encoder's share)")
    args = parser.parse_args()

    from rag.guardrails import Guardrails
    from rag.guardrails.evaluation import load_cases

    cases = load_cases(args.cases)
    t0 = time.perf_counter()
    guards: dict[str, Guardrails] = {}

    def guard_for(venue: str) -> Guardrails:
        if venue not in guards:
            guards[venue] = Guardrails(venue_kind=venue, use_semantic=not args.no_semantic)
        return guards[venue]

    guard_for("clinic")
    construct_s = time.perf_counter() - t0
    for case in cases:  # warm-up pass
        rails = guard_for(case.get("venue") or "clinic")
        (rails.check_input if case["direction"] == "input" else rails.check_output)(case["text"])

    wall: dict[str, list[float]] = {"input": [], "output": []}
    cpu: dict[str, list[float]] = {"input": [], "output": []}
    for _ in range(args.rounds):
        for case in cases:
            rails = guard_for(case.get("venue") or "clinic")
            check = rails.check_input if case["direction"] == "input" else rails.check_output
            c0, w0 = time.thread_time(), time.perf_counter()
            check(case["text"])
            wall[case["direction"]].append((time.perf_counter() - w0) * 1000)
            cpu[case["direction"]].append((time.thread_time() - c0) * 1000)

    all_wall = wall["input"] + wall["output"]
    all_cpu = cpu["input"] + cpu["output"]
    print(json.dumps({
        "cases": len(cases), "rounds": args.rounds, "checks": len(all_wall),
        "semantic": not args.no_semantic,
        "construct_s": round(construct_s, 2),
        "load_average": [round(x, 2) for x in os.getloadavg()],
        "wall_ms": {"all": _summary(all_wall), "input": _summary(wall["input"]),
                    "output": _summary(wall["output"])},
        "cpu_ms": {"all": _summary(all_cpu), "input": _summary(cpu["input"]),
                   "output": _summary(cpu["output"])},
        "target": "p95 <= 20 ms per check",
    }, indent=2))


if __name__ == "__main__":
    main()
