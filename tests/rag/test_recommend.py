"""Recommender unit tests: safety, the consultation rule, diversity, budget, determinism, reasons, CLI.

Expectations are computed from the catalog YAML read here independently (not from the Recommender's
own loader), so a loader bug cannot make a safety test pass by accident.
"""

from __future__ import annotations

import itertools
import json
import re
import shutil
from functools import lru_cache
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from rag.recommend import CatalogError, Excluded, ProfileError, Recommendations, Recommender

ROOT = Path(__file__).resolve().parents[2]
KNOWLEDGE = ROOT / "knowledge" / "demo-clinic"
CATALOG = KNOWLEDGE / "catalog"
HEDGES = {"ko": ("도움이 될 수 있", "참고가 될 수 있"), "en": ("may help", "may be useful")}
LABELS = ("papule", "pustule", "nodule_cyst", "comedone")
HANGUL = re.compile(r"[가-힣]")
BANNED_KO = ("없애", "없어집니다", "완치", "100%", "보장", "확실히", "부작용 없", "부작용이 없", "낫게",
             "낫습니다", "치료해 드", "효과 만점", "효과가 있습니다", "입니다 여드름", "진단")
BANNED_EN = ("cure", "guarantee", "eliminate", "100%", "get rid of", "will clear", "no side effect",
             "you have acne", "diagnos", "permanent")
PRESCRIPTION_WORDS = ("이소트레티노인", "로아큐탄", "isotretinoin", "tretinoin", "항생제", "antibiotic",
                      "처방받", "prescribe")

ANALYSES: list[dict[str, Any]] = [
    {"counts": {"papule": 12, "comedone": 5}, "grade": {"level": 1}},
    {"counts": {"comedone": 20}, "grade": {"level": 0}},
    {"counts": {"pustule": 6, "papule": 3}, "grade": {"level": 1}},
    {"counts": {"papule": 30, "pustule": 12}, "grade": {"level": 2}},
    {"counts": {"papule": 25, "pustule": 10, "comedone": 30}, "grade": {"level": 3}},
    {"counts": {"nodule_cyst": 1, "papule": 2}, "grade": {"level": 1}},
    {"counts": {}, "grade": {"level": 0}},
]
CONCERNS = [[], ["pigmentation"], ["redness", "dryness"], ["aging", "pores"], ["scars"]]


# ---- fixtures -------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def shared_recommender() -> Recommender:
    """The full chain with the real output guardrail (when installed), built once per session: the rail
    loads Kiwi and the sentence encoder (~15 s) and costs ~0.3 s per new sentence on these machines."""
    return Recommender(KNOWLEDGE)


@lru_cache(maxsize=1)
def logic_recommender() -> Recommender:
    """The same catalog without the rail: the sweeps below check selection logic over hundreds of
    inputs, which the rail (it can only drop or mask) cannot make pass; the rail has its own tests."""
    return Recommender(KNOWLEDGE, guardrails=None)


@pytest.fixture(scope="session")
def guarded() -> Recommender:
    return shared_recommender()


@pytest.fixture(scope="session")
def recommender() -> Recommender:
    return logic_recommender()


@lru_cache(maxsize=1)
def raw_catalog() -> dict[str, dict[str, dict[str, Any]]]:
    products = yaml.safe_load((CATALOG / "products.yaml").read_text(encoding="utf-8"))
    procedures = yaml.safe_load((CATALOG / "procedures.yaml").read_text(encoding="utf-8"))
    return {
        "ingredients": {i["id"]: i for i in products["ingredients"]},
        "products": {p["id"]: p for p in products["products"]},
        "procedures": {p["id"]: p for p in procedures["procedures"]},
    }


def cautions_of(item_id: str) -> set[str]:
    """Cautions of a product (its own + its key ingredients') or a procedure, straight from the YAML."""
    cat = raw_catalog()
    if item_id in cat["products"]:
        p = cat["products"][item_id]
        found = set(p.get("cautions") or [])
        for ing in p.get("key_ingredients") or []:
            found |= set(cat["ingredients"].get(ing, {}).get("cautions") or [])
        return found
    if item_id in cat["procedures"]:
        return set(cat["procedures"][item_id].get("cautions") or [])
    return set()


def front_matter_doc_ids() -> set[str]:
    ids = set()
    for path in KNOWLEDGE.rglob("*.md"):
        m = re.match(r"---\n(.*?)\n---", path.read_text(encoding="utf-8"), re.S)
        if m:
            meta = yaml.safe_load(m.group(1)) or {}
            if meta.get("doc_id"):
                ids.add(str(meta["doc_id"]))
    return ids


def all_results(rec: Recommender, answers: dict[str, Any], lang: str = "ko") -> list[Recommendations]:
    return [rec.recommend(a, {**answers, "concerns": c}, lang)
            for a, c in itertools.product(ANALYSES, CONCERNS)]


# ---- safety ---------------------------------------------------------------------------------------
def test_pregnant_visitor_never_gets_an_item_with_a_pregnancy_caution(recommender: Recommender) -> None:
    suggested = 0
    for result in all_results(recommender, {"pregnant_or_breastfeeding": True}):
        for item in result.items:
            assert "pregnancy" not in cautions_of(item.id), item.id
            assert "retin" not in item.id
            suggested += item.kind in ("product", "procedure")
    assert suggested > 20, "the filter must not work by suggesting nothing"


def test_pregnancy_exclusions_are_stated(recommender: Recommender) -> None:
    result = recommender.recommend({"counts": {"comedone": 10}, "grade": {"level": 1}},
                                   {"pregnant_or_breastfeeding": True}, "ko")
    excluded = {e.id: e for e in result.excluded}
    assert excluded["lumiere-retinol-03-serum"].code == "pregnancy"
    reason = excluded["lumiere-retinol-03-serum"].reason
    assert "임신" in reason and "레티놀" in reason


def test_sensitive_skin_gets_no_strong_acid_or_irritating_procedure(recommender: Recommender) -> None:
    for answers in ({"sensitivity": True}, {"sensitivity": "high"}, {"skin_type": "sensitive"}):
        for result in all_results(recommender, answers):
            for item in result.items:
                assert "sensitive_skin" not in cautions_of(item.id), (answers, item.id)


def test_without_sensitivity_strong_actives_are_possible(recommender: Recommender) -> None:
    """The sensitive-skin filter is a filter, not a blanket ban on acids."""
    ids = {i.id for r in all_results(recommender, {"sensitivity": "low"}) for i in r.items}
    assert ids & {"clearlab-bha-toner", "clearlab-bha-cleansing-foam", "clearlab-clay-pore-mask",
                  "lumiere-retinol-03-serum", "salicylic-peel"}


@pytest.mark.parametrize("allergy, ingredient", [("salicylic_acid", "salicylic_acid"), ("레티놀", "retinol"),
                                                 ("Niacinamide", "niacinamide"), ("시카", "centella")])
def test_allergies_exclude_every_item_with_the_ingredient(recommender: Recommender, allergy: str,
                                                          ingredient: str) -> None:
    cat = raw_catalog()
    for result in all_results(recommender, {"allergies": [allergy]}):
        for item in result.items:
            if item.kind == "product":
                assert ingredient not in cat["products"][item.id]["key_ingredients"], item.id
            assert f"allergy:{ingredient}" not in cautions_of(item.id), item.id


def test_products_in_use_are_not_suggested_again(recommender: Recommender) -> None:
    analysis = {"counts": {"papule": 10, "pustule": 4}, "grade": {"level": 1}}
    before = recommender.recommend(analysis, {}, "ko")
    top = next(i for i in before.items if i.kind == "product")
    after = recommender.recommend(analysis, {"products_in_use": [top.name]}, "ko")
    assert top.id not in {i.id for i in after.items}
    assert {e.id: e.code for e in after.excluded}[top.id] == "in_use"


def test_no_prescription_medicine_in_any_reason(recommender: Recommender) -> None:
    for lang in ("ko", "en"):
        for result in all_results(recommender, {"conditions": ["isotretinoin_recent"]}, lang):
            for text in [i.reason for i in result.items] + [e.reason for e in result.excluded] + result.notes:
                assert not any(w in text.lower() for w in PRESCRIPTION_WORDS), text


# ---- consultation first ---------------------------------------------------------------------------
@pytest.mark.parametrize("analysis, consult_first", [
    ({"counts": {"papule": 30}, "grade": {"level": 2}}, True),
    ({"counts": {"papule": 3}, "grade": {"level": 3}}, True),
    ({"counts": {"nodule_cyst": 1}, "grade": {"level": 0}}, True),
    ({"counts": {"papule": 8, "comedone": 10}, "grade": {"level": 1}}, False),
    ({"counts": {"comedone": 4}, "grade": {"level": 0}}, False),
])
def test_consultation_first_from_grade_2_or_any_nodule(recommender: Recommender, analysis: dict[str, Any],
                                                       consult_first: bool) -> None:
    for answers in ({}, {"pregnant_or_breastfeeding": True, "budget_krw": 0}, {"sensitivity": True}):
        result = recommender.recommend(analysis, answers, "ko")
        if consult_first:
            assert result.items[0].kind == "consultation"
            assert result.items[0].id == "consult-dermatologist"
        else:
            assert all(i.kind != "consultation" for i in result.items)


# ---- diversity, budget, determinism ---------------------------------------------------------------
def test_limits_and_brand_diversity(recommender: Recommender) -> None:
    brands = {pid: p["brand"] for pid, p in raw_catalog()["products"].items()}
    for result in all_results(recommender, {}):
        kinds = [i.kind for i in result.items]
        assert kinds.count("product") <= 3 and kinds.count("procedure") <= 2 and kinds.count("video") <= 1
        assert kinds.count("consultation") <= 1
        per_brand: dict[str, int] = {}
        for item in result.items:
            if item.kind == "product":
                per_brand[brands[item.id]] = per_brand.get(brands[item.id], 0) + 1
        assert all(n <= 2 for n in per_brand.values()), per_brand
        assert len({i.id for i in result.items}) == len(result.items)


def test_a_brand_heavy_catalog_is_still_diversified(recommender: Recommender) -> None:
    """ClearLab makes most comedone/oily products; three ClearLab products must never come back."""
    result = recommender.recommend({"counts": {"comedone": 25, "papule": 10}, "grade": {"level": 1}},
                                   {"skin_type": "oily", "concerns": ["pores", "acne"]}, "ko")
    brands = [i.brand for i in result.items if i.kind == "product"]
    assert len(brands) == 3 and brands.count("ClearLab") <= 2


@pytest.mark.parametrize("budget", [0, 9000, 16000, 30000, 50000, 100000, 250000])
def test_budget_caps_the_sum_of_products_and_procedures(recommender: Recommender, budget: int) -> None:
    priced = 0
    for result in all_results(recommender, {"budget_krw": budget}):
        total = sum(i.price_krw or 0 for i in result.items if i.kind in ("product", "procedure"))
        assert total == result.total_krw <= budget
        priced += sum(1 for i in result.items if i.kind in ("product", "procedure"))
        if result.items and result.items[0].kind == "consultation":  # safety step, never dropped
            assert result.items[0].price_krw is not None
    if budget >= 16000:
        assert priced > 0


def test_same_input_same_output(recommender: Recommender) -> None:
    analysis = {"counts": {"papule": 12, "pustule": 3, "comedone": 7}, "grade": {"level": 1}}
    answers = {"skin_type": "combination", "concerns": ["pores", "redness"], "budget_krw": 120000}
    first = recommender.recommend(analysis, answers, "ko").to_dict()
    assert recommender.recommend(analysis, answers, "ko").to_dict() == first
    fresh = Recommender(KNOWLEDGE, guardrails=recommender.guardrails)
    assert fresh.recommend(analysis, answers, "ko").to_dict() == first
    reordered = {"counts": dict(reversed(list(analysis["counts"].items()))), "grade": {"level": 1}}
    assert [i["id"] for i in recommender.recommend(reordered, answers, "ko").to_dict()["items"]] == \
        [i["id"] for i in first["items"]]


def test_language_changes_words_not_choices(recommender: Recommender) -> None:
    for a, c in itertools.product(ANALYSES, CONCERNS):
        ko = recommender.recommend(a, {"concerns": c}, "ko")
        en = recommender.recommend(a, {"concerns": c}, "en")
        assert [i.id for i in ko.items] == [i.id for i in en.items]
        assert [e.id for e in ko.excluded] == [e.id for e in en.excluded]


# ---- reasons --------------------------------------------------------------------------------------
def _named_targets(item: Any, lang: str) -> list[str]:
    from rag.recommend.text import SINGULAR_EN, concern_name, label_name

    names = []
    for b in item.basis:
        if b.target_kind == "grade":
            names.append("트러블 정도" if lang == "ko" else "rated the breakouts")
        elif b.target in LABELS:
            names.append(label_name(b.target, lang))
            names.append(SINGULAR_EN[b.target] if lang == "en" else label_name(b.target, lang))
        else:
            names.append(concern_name(b.target, lang))
    return names


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_reason_names_its_finding_and_cites_a_real_document(recommender: Recommender,
                                                                  lang: str) -> None:
    doc_ids = front_matter_doc_ids()
    seen = 0
    for result in all_results(recommender, {}, lang):
        for item in result.items:
            seen += 1
            assert item.citations, item.id
            for doc in item.citations:
                assert doc in doc_ids, doc
                assert f"[{doc}]" in item.reason
            assert item.basis, item.id
            names = _named_targets(item, lang)
            assert any(n in item.reason for n in names), (item.reason, names)
            for b in item.basis:
                if b.target_kind == "finding" and b.target in LABELS:
                    count = f"{b.count}곳" if lang == "ko" else f"{b.count} spot"
                    assert count in item.reason, (count, item.reason)
            if item.kind == "product":  # finding/concern -> ingredient -> product
                vias = [b.via for b in item.basis if b.via]
                cat = raw_catalog()
                for via in vias:
                    assert via in cat["products"][item.id]["key_ingredients"]
                    ing = cat["ingredients"][via]
                    name = ing["name_ko"] if lang == "ko" else ing["name_en"]
                    assert name in item.reason
                assert item.name in item.reason
    assert seen > 50


def test_reason_language_and_politeness(recommender: Recommender) -> None:
    """Korean reasons end sentences in 존댓말 (-니다), never the plain -다; English has no Hangul."""
    for result in all_results(recommender, {"pregnant_or_breastfeeding": True}, "ko"):
        for text in [i.reason for i in result.items] + [e.reason for e in result.excluded]:
            assert HANGUL.search(text)
            endings = re.findall(r"([가-힣])다[.)]", text)
            assert endings and set(endings) <= {"니"}, text
    for result in all_results(recommender, {"pregnant_or_breastfeeding": True}, "en"):
        for item in result.items:
            assert not HANGUL.search(item.reason.split("Source:")[0]), item.reason
            assert not HANGUL.search(item.name), item.name
        for excluded in result.excluded:
            assert not HANGUL.search(excluded.reason), excluded.reason


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_no_promised_results_or_diagnosis(recommender: Recommender, lang: str) -> None:
    banned = BANNED_KO if lang == "ko" else BANNED_EN
    for answers in ({}, {"pregnant_or_breastfeeding": True}, {"sensitivity": True, "budget_krw": 30000}):
        for result in all_results(recommender, answers, lang):
            for text in [i.reason for i in result.items] + [e.reason for e in result.excluded]:
                lowered = text.lower()
                assert not [w for w in banned if w.lower() in lowered], text
            for item in result.items:
                if item.kind in ("product", "procedure", "video"):
                    hedges = HEDGES[lang]
                    assert any(h in item.reason for h in hedges), item.reason


def test_reasons_pass_the_real_output_guardrail(guarded: Recommender, recommender: Recommender) -> None:
    """With the real rail nothing is blocked and nothing changes: the reasons were written to pass it."""
    try:
        from rag.guardrails import Guardrails
    except ImportError:
        pytest.skip("rag.guardrails.Guardrails is not installed yet (issue #5)")
    assert isinstance(guarded.guardrails, Guardrails), "the Recommender must use the real rail by default"
    # Every kind of item and many exclusions in one profile (the full set runs in the slow profile test).
    analysis = {"counts": {"papule": 9, "pustule": 3, "nodule_cyst": 1}, "grade": {"level": 2}}
    answers = {"pregnant_or_breastfeeding": True, "allergies": ["시카"], "budget_krw": 150000}
    for lang in ("ko", "en"):
        with_rail = guarded.recommend(analysis, answers, lang)
        assert {i.kind for i in with_rail.items} == {"consultation", "product", "procedure", "video"}
        assert not [e for e in with_rail.excluded if e.code == "guardrail"]
        assert with_rail.to_dict() == recommender.recommend(analysis, answers, lang).to_dict()


class _Verdict:
    def __init__(self, allowed: bool, masked_text: str | None = None, category: str | None = None) -> None:
        self.allowed, self.masked_text, self.category = allowed, masked_text, category


class _BlockingGuard:
    """Blocks any text naming one product, masks the word 클리닉; records what it was shown."""

    def __init__(self, blocked_word: str) -> None:
        self.blocked_word, self.seen = blocked_word, []

    def check_output(self, text: str, lang: str | None = None) -> _Verdict:
        self.seen.append(text)
        if self.blocked_word in text:
            return _Verdict(False, None, "ad_violation")
        return _Verdict(True, text.replace("클리닉", "[병원]"))


def test_every_reason_goes_through_the_output_rail() -> None:
    analysis = {"counts": {"papule": 12, "pustule": 4}, "grade": {"level": 1}}
    unguarded = Recommender(KNOWLEDGE, guardrails=None).recommend(analysis, {}, "ko")
    target = [i for i in unguarded.items if i.kind == "product"][1]
    guard = _BlockingGuard(target.name)
    result = Recommender(KNOWLEDGE, guardrails=guard).recommend(analysis, {}, "ko")
    assert target.id not in {i.id for i in result.items}
    assert {e.id: e.code for e in result.excluded}[target.id] == "guardrail"
    assert len(result.items) == len(unguarded.items) - 1
    assert all("[병원]" in i.reason and "클리닉" not in i.reason for i in result.items)
    assert all(any(i.reason.replace("[병원]", "클리닉") == s for s in guard.seen) for i in result.items)


# ---- contract, errors, knowledge folder -----------------------------------------------------------
def test_contract_shape(guarded: Recommender) -> None:
    result = guarded.recommend({"counts": {"papule": 4}, "grade": {"level": 2}},
                                   {"pregnant_or_breastfeeding": True})
    assert result.language == "ko"
    item = result.items[0]
    assert (item.kind, item.id, item.price_krw) == ("consultation", "consult-dermatologist", 20000)
    excluded_id, reason = result.excluded[0]  # (id, reason) pairs, as CONTRACTS.md says
    assert isinstance(result.excluded[0], Excluded) and excluded_id and reason
    payload = json.loads(json.dumps(result.to_dict(), ensure_ascii=False))
    assert set(payload["items"][0]) >= {"kind", "id", "name", "reason", "citations", "price_krw"}
    assert payload["excluded"][0] == [excluded_id, reason]


@pytest.mark.parametrize("analysis, answers, language, code", [
    ({"counts": {"papule": -1}}, {}, "ko", "analysis_invalid"),
    ({"counts": {"papule": 1.5}}, {}, "ko", "analysis_invalid"),
    ({"counts": {"papule": 1}, "grade": {"level": 7}}, {}, "ko", "analysis_invalid"),
    ([1, 2], {}, "ko", "analysis_invalid"),
    ({"counts": {}}, {"budget_krw": "a lot"}, "ko", "answers_invalid"),
    ({"counts": {}}, {"budget_krw": -5}, "ko", "answers_invalid"),
    ({"counts": {}}, {"pregnant_or_breastfeeding": "maybe"}, "ko", "answers_invalid"),
    ({"counts": {}}, {"conditions": ["vampire"]}, "ko", "answers_invalid"),
    ({"counts": {}}, {}, "fr", "language_invalid"),
])
def test_bad_input_raises_a_stable_code(recommender: Recommender, analysis: Any, answers: dict[str, Any],
                                        language: str, code: str) -> None:
    with pytest.raises(ProfileError) as err:
        recommender.recommend(analysis, answers, language)
    assert err.value.code == code


def test_missing_catalog_is_a_catalog_error(tmp_path: Path) -> None:
    with pytest.raises(CatalogError) as err:
        Recommender(tmp_path, guardrails=None)
    assert err.value.code == "catalog_missing"


def test_an_item_without_its_document_is_excluded_not_shown_uncited(tmp_path: Path) -> None:
    clinic = tmp_path / "clinic"
    shutil.copytree(KNOWLEDGE, clinic)
    guide = next(p for p in clinic.rglob("*.md")
                 if "doc_id: demo-guide-acne-extraction-ko" in p.read_text(encoding="utf-8"))
    guide.unlink()
    analysis = {"counts": {"comedone": 10, "papule": 5}, "grade": {"level": 1}}
    intact = Recommender(KNOWLEDGE, guardrails=None).recommend(analysis)
    assert "acne-extraction" in {i.id for i in intact.items}
    result = Recommender(clinic, guardrails=None).recommend(analysis)
    assert "acne-extraction" not in {i.id for i in result.items}
    assert {e.id: e.code for e in result.excluded}["acne-extraction"] == "no_document"


# ---- CLI ------------------------------------------------------------------------------------------
def _cli(args: list[str]) -> Any:
    from api.cli.main import app

    return CliRunner().invoke(app, ["recommend", *args])


def test_cli_prints_items_reasons_and_exclusions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The CLI builds its Recommender with the default rail; a recording rail shows the CLI path uses it
    # without loading the sentence encoder again (the real rail is tested above).
    rail = _BlockingGuard("no product has this name")
    monkeypatch.setattr("rag.recommend.engine._default_guard", lambda: rail)
    analysis = tmp_path / "a.json"
    answers = tmp_path / "q.json"
    analysis.write_text(json.dumps({"counts": {"papule": 9, "nodule_cyst": 1}, "grade": {"level": 2}}))
    answers.write_text(json.dumps({"pregnant_or_breastfeeding": True, "budget_krw": 40000}))
    run = _cli(["--analysis", str(analysis), "--answers", str(answers), "--lang", "en", "--json",
                "--knowledge", str(KNOWLEDGE)])
    assert run.exit_code == 0, run.output
    payload = json.loads(run.stdout)
    assert payload["language"] == "en" and payload["items"][0]["id"] == "consult-dermatologist"
    assert all(item["reason"] for item in payload["items"])
    assert payload["total_krw"] <= 40000
    assert any(code == "pregnancy" for code in (e["code"] for e in payload["excluded_detail"]))
    assert {item["reason"] for item in payload["items"]} <= set(rail.seen)
    text = _cli(["--analysis", str(analysis), "--knowledge", str(KNOWLEDGE)])
    assert text.exit_code == 0 and "consult-dermatologist" in text.stdout


@pytest.mark.parametrize("content, extra, code", [
    (None, [], "analysis_not_found"),
    ("{not json", [], "analysis_invalid_json"),
    (json.dumps({"counts": {"papule": "many"}}), [], "analysis_invalid"),
    (json.dumps({"counts": {}}), ["--lang", "fr"], "language_invalid"),
    (json.dumps({"counts": {}}), ["--knowledge", "/nonexistent-clinic"], "catalog_missing"),
])
def test_cli_bad_files_exit_non_zero_with_a_code(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                 content: str | None, extra: list[str], code: str) -> None:
    monkeypatch.setattr("rag.recommend.engine._default_guard", lambda: None)
    path = tmp_path / "analysis.json"
    if content is not None:
        path.write_text(content)
    run = _cli(["--analysis", str(path), "--json", *extra])
    assert run.exit_code == 2
    assert code in run.output


def test_cli_eval_recommend_scores_a_case_file(tmp_path: Path) -> None:
    from api.cli.main import app

    good = {"id": "g", "analysis": {"counts": {"nodule_cyst": 1}, "grade": {"level": 1}},
            "first": "consult-dermatologist"}
    bad = {**good, "id": "b", "first": "product"}
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(good) + "\n" + json.dumps(bad) + "\n")
    run = CliRunner().invoke(app, ["eval", "recommend", str(path), "--no-rail",
                                   "--knowledge", str(KNOWLEDGE)])
    assert run.exit_code == 1, run.output
    report = json.loads(run.stdout)
    assert report["cases"] == 2 and report["passed"] == 1 and list(report["failures"]) == ["b"]
