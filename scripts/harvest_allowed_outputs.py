"""Collect the system's own lawful replies, and the visitors' questions of the RAG case files, as "allow"
examples for the guardrails' learned layer.

Why: the learned layer (rag/guardrails/classifier.py) saw few ordinary replies, and generalised "알레르기가
있다고 말씀하신 … 제외했습니다" (a recommendation's exclusion reason) into a diagnosis. The recommender's
reasons and the composer's answers quoting clinic documents are lawful by construction (the catalogue and
documents are the clinic's, reviewed), so they are the natural hard negatives for the output rail. The RAG
cases' questions are ordinary visitor questions (one, "점 뺐는데 … 돈 또 내야 되나여?", was read as inducement).

    .venv/bin/python scripts/harvest_allowed_outputs.py > tests/rag/cases/guardrails_system_outputs.jsonl

Replies that quote the clinic's e-mail or account numbers are skipped (see main). Runs the recommender
without a rail over every profile in tests/rag/cases/recommend_profiles.jsonl in both
languages, and the offline composer (no rail) over every RAG case file and its clinic. Deterministic.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

CLINICS = [  # (knowledge folder, case file)
    ("knowledge/demo-clinic", "tests/rag/cases/rag_demo_cases.jsonl"),
    ("tests/fixtures/other-clinic", "tests/rag/cases/rag_other_clinic_cases.jsonl"),
    ("tests/fixtures/goeunbit-clinic", "tests/rag/cases/rag_goeunbit_cases.jsonl"),
    ("tests/fixtures/gyeol-clinic", "tests/rag/cases/rag_gyeol_cases.jsonl"),
    ("tests/fixtures/haneul-clinic", "tests/rag/cases/rag_haneul_cases.jsonl"),
    ("tests/fixtures/dahye-clinic", "tests/rag/cases/rag_dahye_cases.jsonl"),
    ("tests/fixtures/onsaemi-clinic", "tests/rag/cases/rag_onsaemi_cases.jsonl"),
    ("tests/fixtures/yunseul-clinic", "tests/rag/cases/rag_yunseul_cases.jsonl"),
    ("tests/fixtures/saebit-clinic", "tests/rag/cases/rag_saebit_cases.jsonl"),
    ("tests/fixtures/bitgoeulon-clinic", "tests/rag/cases/rag_bitgoeulon_cases.jsonl"),
    ("tests/fixtures/hallabit-clinic", "tests/rag/cases/rag_hallabit_cases.jsonl"),
    ("tests/fixtures/raonhaneul-clinic", "tests/rag/cases/rag_raonhaneul_cases.jsonl"),
    ("tests/fixtures/solgyeol-clinic", "tests/rag/cases/rag_solgyeol_cases.jsonl"),
    ("tests/fixtures/clearon-clinic", "tests/rag/cases/rag_clearon_cases.jsonl"),
    ("tests/fixtures/haesolbit-clinic", "tests/rag/cases/rag_haesolbit_cases.jsonl"),
]


def _lines(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def recommendation_texts() -> list[tuple[str, str]]:
    from rag.recommend.engine import Recommender

    rec = Recommender(REPO / "knowledge/demo-clinic", guardrails=None)
    out = []
    for profile in _lines(REPO / "tests/rag/cases/recommend_profiles.jsonl"):
        for lang in ("ko", "en"):
            result = rec.recommend(profile["analysis"], profile.get("answers") or {}, lang).to_dict()
            out += [(lang, item["reason"]) for item in result.get("items", []) if item.get("reason")]
            out += [(lang, reason) for _code, reason in result.get("excluded", [])]
    return out


def composer_answers() -> list[tuple[str, str]]:
    from rag.assistant import ClinicAssistant, PassThroughGuardrails
    from rag.ingest import ingest_directory
    from rag.vectorstore import open_store

    out = []
    with tempfile.TemporaryDirectory() as tmp:
        for n, (folder, cases) in enumerate(CLINICS):
            store = open_store("embedded", Path(tmp) / str(n))
            ingest_directory(REPO / folder, f"harvest-{n}", store)
            assistant = ClinicAssistant(f"harvest-{n}", store, guardrails=PassThroughGuardrails())
            for case in _lines(REPO / cases):
                answer = assistant.answer(case["question"], [], case.get("lang"))
                if not answer.abstained:
                    out.append((answer.language, answer.answer))
    return out


def visitor_questions() -> list[tuple[str, str]]:
    return [(case["lang"], case["question"]) for _folder, cases in CLINICS for case in _lines(REPO / cases)]


def main() -> None:
    from rag.guardrails import Guardrails
    from rag.guardrails.pii import find_pii

    # A clinic's own page may say what the law forbids (the eleventh clinic offers partner-hotel guests a free
    # pick-up): the rules stop that reply, so it is no lawful example to learn from.
    rules_only = Guardrails(use_semantic=False)
    seen: set[str] = set()
    rows = []
    for lang, text in recommendation_texts() + composer_answers():
        # Replies quoting the clinic's own e-mail, account or desk numbers keep them in the chain (the rail
        # gets the cited passages); without the passages an eval would call them masked, so leave them out.
        if text in seen or find_pii(text, landlines=False) or not rules_only.check_output(text, lang).allowed:
            continue
        seen.add(text)
        rows.append({"id": f"so-{len(rows) + 1:04d}", "lang": lang, "direction": "output", "text": text,
                     "expect": "allow", "category": None})
    for lang, text in visitor_questions():
        # A question the rules stop on purpose ("is there a free shuttle from the airport?", the price of a
        # prescription medicine) gets the safe reply, not an answer: no allowed example either.
        if not rules_only.check_input(text, lang).allowed:
            continue
        rows.append({"id": f"vq-{len(rows) + 1:04d}", "lang": lang, "direction": "input", "text": text,
                     "expect": "allow", "category": None})
    for row in rows:
        print(json.dumps(row, ensure_ascii=False))


if __name__ == "__main__":
    main()
