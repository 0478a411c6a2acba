"""Content checks for the clinic knowledge folders and the RAG case sets.

Why: the recommender, booking and RAG code trust these files. A price that differs between
procedures.yaml and the price table, a case whose expected answer is not in its source document,
or an advertising phrase the law forbids would silently corrupt answers and evaluations, so each
rule here reads the real files and fails on the first broken one.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "knowledge" / "demo-clinic"
OTHER = ROOT / "tests" / "fixtures" / "other-clinic"
CASES = ROOT / "tests" / "rag" / "cases"
CLINIC_DIRS = {"demo-clinic": DEMO, "other-clinic": OTHER}
CASE_FILES = {
    "rag_demo_cases.jsonl": (DEMO, 60),
    "rag_other_clinic_cases.jsonl": (OTHER, 30),
}

REQUIRED_FRONT_MATTER = ("doc_id", "title", "lang", "type", "updated")
DOC_TYPES = {
    "profile", "prices", "procedure_guide", "policy", "faq", "products", "videos", "aftercare", "events",
}
CONCERNS = {
    "acne", "comedones", "redness", "pigmentation", "dryness", "pores", "sensitivity", "scars", "aging",
}
LESION_LABELS = {"papule", "pustule", "nodule_cyst", "comedone"}
SKIN_TYPES = {"oily", "combination", "dry", "normal", "sensitive"}
CATEGORIES = {"cleanser", "toner", "serum", "moisturizer", "sunscreen", "spot_treatment", "mask"}
CAUTION_TAGS = {
    "pregnancy", "sensitive_skin", "photosensitivity", "isotretinoin_recent", "recent_sunburn", "keloid",
    "active_infection", "anticoagulants", "metal_implant", "pacemaker", "neuromuscular_disease",
}
CASE_KINDS = {"fact", "paraphrase", "crosslingual", "multi_hop", "unanswerable"}
BANNED_AD_WORDS = ("100%", "부작용 없음", "부작용이 없", "최고", "no side effects", "guaranteed", "guarantee")
# Prescription-only medicines must never be sold or suggested in the catalog (GUARDRAILS.md section 3).
PRESCRIPTION_WORDS = (
    "isotretinoin", "이소트레티노인", "로아큐탄", "tretinoin", "트레티노인", "clindamycin", "클린다마이신",
    "doxycycline", "독시사이클린", "minocycline", "미노사이클린", "adapalene", "아다팔렌",
    "hydroquinone", "하이드로퀴논",
)
REQUIRED_INGREDIENTS = {
    "retinol", "retinal", "salicylic_acid", "glycolic_acid", "benzoyl_peroxide", "azelaic_acid",
    "niacinamide", "centella", "ceramide", "panthenol", "zinc",
}
REQUIRED_PROCEDURE_NAMES = (
    "여드름 압출", "아쿠아필", "살리실산 필링", "PDT", "피코토닝", "레이저토닝", "IPL", "프락셀", "리쥬란",
    "스킨보톡스", "보톡스", "필러", "울쎄라", "슈링크", "써마지", "인모드", "물광주사", "LDM", "진정관리",
    "흉터",
)
_FRONT = re.compile(r"\A---\n(.*?)\n---\n", re.S)


def _split_front_matter(path: Path) -> tuple[dict[str, Any], str]:
    text = path.read_text(encoding="utf-8")
    match = _FRONT.match(text)
    assert match, f"{path}: no YAML front matter between --- lines at the top"
    meta = yaml.safe_load(match.group(1))
    assert isinstance(meta, dict), f"{path}: front matter is not a mapping"
    return meta, text[match.end():]


def _markdown_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.md") if p.name.lower() != "readme.md")


def _docs(folder: Path) -> dict[str, tuple[dict[str, Any], str, Path]]:
    """doc_id -> (front matter, body, path) for every Markdown document of one clinic."""
    out: dict[str, tuple[dict[str, Any], str, Path]] = {}
    for path in _markdown_files(folder):
        meta, body = _split_front_matter(path)
        out[str(meta.get("doc_id"))] = (meta, body, path)
    return out


def _load_yaml(name: str) -> Any:
    return yaml.safe_load((DEMO / "catalog" / name).read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def procedures() -> list[dict[str, Any]]:
    return _load_yaml("procedures.yaml")["procedures"]


@pytest.fixture(scope="module")
def products_file() -> dict[str, Any]:
    return _load_yaml("products.yaml")


@pytest.fixture(scope="module")
def demo_docs() -> dict[str, tuple[dict[str, Any], str, Path]]:
    return _docs(DEMO)


def _table_rows(body: str) -> list[str]:
    """Data rows of every Markdown table (header and separator rows dropped)."""
    rows: list[str] = []
    lines = body.splitlines()
    for i, line in enumerate(lines):
        s = line.strip()
        if not (s.startswith("|") and s.endswith("|")):
            continue
        if re.fullmatch(r"\|[\s:|-]+\|", s):
            continue
        nxt = lines[i + 1].strip() if i + 1 < len(lines) else ""
        if re.fullmatch(r"\|[\s:|-]+\|", nxt):  # header row
            continue
        rows.append(s)
    return rows


# --- front matter -----------------------------------------------------------------------------------

@pytest.mark.parametrize("clinic", sorted(CLINIC_DIRS))
def test_every_markdown_file_has_valid_front_matter_and_unique_doc_ids(clinic: str) -> None:
    folder = CLINIC_DIRS[clinic]
    files = _markdown_files(folder)
    assert len(files) >= 8, f"{clinic}: only {len(files)} documents"
    seen: Counter[str] = Counter()
    for path in files:
        meta, body = _split_front_matter(path)
        missing = [k for k in REQUIRED_FRONT_MATTER if not meta.get(k)]
        assert not missing, f"{path}: front matter lacks {missing}"
        assert meta["lang"] in ("ko", "en"), f"{path}: lang {meta['lang']!r}"
        assert meta["type"] in DOC_TYPES, f"{path}: type {meta['type']!r}"
        updated = meta["updated"]
        if isinstance(updated, str):
            updated = dt.date.fromisoformat(updated)
        assert isinstance(updated, dt.date), f"{path}: updated is not a date"
        assert body.strip(), f"{path}: empty body"
        hangul = len(re.findall(r"[가-힣]", body))
        if meta["lang"] == "en":
            assert hangul < 0.1 * len(body), f"{path}: lang en but mostly Korean"
        else:
            assert hangul > 0.1 * len(re.findall(r"\w", body)), f"{path}: lang ko but little Korean"
        seen[str(meta["doc_id"])] += 1
    dupes = [d for d, n in seen.items() if n > 1]
    assert not dupes, f"{clinic}: duplicate doc_ids {dupes}"


def test_demo_has_every_document_type_and_english_versions(demo_docs: dict) -> None:
    by_type: dict[str, set[str]] = {}
    for meta, _body, _path in demo_docs.values():
        by_type.setdefault(meta["type"], set()).add(meta["lang"])
    assert set(by_type) >= DOC_TYPES, f"missing types {DOC_TYPES - set(by_type)}"
    for kind in ("profile", "prices", "policy", "faq"):
        assert by_type[kind] >= {"ko", "en"}, f"{kind} needs a Korean and an English document"


# --- procedures and price tables ----------------------------------------------------------------------

def test_procedure_catalog_shape(procedures: list[dict[str, Any]]) -> None:
    ids = [p["id"] for p in procedures]
    assert len(ids) == len(set(ids)), "duplicate procedure ids"
    assert "consult-dermatologist" in ids
    assert len([i for i in ids if i != "consult-dermatologist"]) >= 20
    names = " ".join(p["name_ko"] for p in procedures)
    absent = [n for n in REQUIRED_PROCEDURE_NAMES if n not in names]
    assert not absent, f"procedures missing: {absent}"
    for p in procedures:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", p["id"]), p["id"]
        assert isinstance(p["price_krw"], int) and p["price_krw"] > 0, p["id"]
        assert isinstance(p["duration_minutes"], int) and 0 < p["duration_minutes"] <= 180, p["id"]
        assert isinstance(p["bookable"], bool) and p["capacity"] >= 1 and p["room"], p["id"]
        assert set(p["concerns"]) <= CONCERNS, p["id"]
        assert set(p["lesion_labels"]) <= LESION_LABELS, p["id"]
        for tag in p["cautions"]:
            assert tag in CAUTION_TAGS or tag.startswith("allergy:"), f"{p['id']}: caution {tag}"
        for pack in p["packages"]:
            assert pack["sessions"] >= 2
            per_session = pack["price_krw"] / pack["sessions"]
            assert per_session <= p["price_krw"], f"{p['id']}: package dearer than single sessions"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_every_procedure_price_is_in_the_price_table(
    procedures: list[dict[str, Any]], demo_docs: dict, lang: str
) -> None:
    price_docs = [(m, b) for m, b, _ in demo_docs.values() if m["type"] == "prices" and m["lang"] == lang]
    assert price_docs, f"no {lang} price document"
    rows = [r for _m, body in price_docs for r in _table_rows(body)]
    for p in procedures:
        matching = [r for r in rows if f"| {p['name_ko']} |" in r or f"({p['name_ko']}) |" in r]
        assert len(matching) == 1, f"{lang}: {p['id']} ({p['name_ko']}) has {len(matching)} price rows"
        row = matching[0]
        assert f"{p['price_krw']:,}" in row, f"{lang}: {p['id']} price {p['price_krw']:,} not in row {row}"
        for pack in p["packages"]:
            assert f"{pack['price_krw']:,}" in row, f"{lang}: {p['id']} package {pack} not in row {row}"
            assert (f"{pack['sessions']}회" in row) or (f"{pack['sessions']} sessions" in row), row
        assert str(p["duration_minutes"]) in row, f"{lang}: {p['id']} duration not in row"
    assert len(rows) == len(procedures), f"{lang}: price table has rows that are not in procedures.yaml"


def test_vat_note_and_package_rows_in_price_docs(demo_docs: dict) -> None:
    for meta, body, path in demo_docs.values():
        if meta["type"] == "prices":
            assert "VAT" in body, f"{path}: no VAT note"
            assert re.search(r"(5회|10회|5 sessions|10 sessions)", body), f"{path}: no package prices"


def test_procedure_guides_have_side_effects(procedures: list[dict[str, Any]], demo_docs: dict) -> None:
    guides = {d: (m, b) for d, (m, b, _p) in demo_docs.items() if m["type"] == "procedure_guide"}
    assert len(guides) >= 10, f"only {len(guides)} procedure guides"
    for doc_id, (_meta, body) in guides.items():
        assert re.search(r"^##+ (부작용|Side effects)\s*$", body, re.M), f"{doc_id}: no side-effects section"
        section = re.split(r"^##+ (?:부작용|Side effects)\s*$", body, flags=re.M)[1]
        section = re.split(r"^##+ ", section, flags=re.M)[0]
        assert len(section.strip()) >= 20, f"{doc_id}: side-effects section is empty"
    for p in procedures:
        assert p["doc_id"] in guides, f"{p['id']}: doc_id {p['doc_id']} is not a procedure guide"
        listed = guides[p["doc_id"]][0].get("procedures") or []
        assert p["id"] in listed, f"{p['doc_id']} does not list {p['id']} in front matter procedures"


# --- products, ingredients, videos, clinic ------------------------------------------------------------

def test_product_catalog(products_file: dict[str, Any], demo_docs: dict) -> None:
    ingredients = {i["id"]: i for i in products_file["ingredients"]}
    products = products_file["products"]
    assert set(ingredients) >= REQUIRED_INGREDIENTS, f"missing {REQUIRED_INGREDIENTS - set(ingredients)}"
    assert len(products) >= 15
    assert len({p["brand"] for p in products}) >= 5
    assert len({p["id"] for p in products}) == len(products), "duplicate product ids"
    assert "sunscreen" in {p["category"] for p in products}
    for ing in ingredients.values():
        assert set(ing["helps"]) <= CONCERNS | LESION_LABELS, ing["id"]
        assert ing["note_ko"] and ing["note_en"], ing["id"]
    for p in products:
        assert p["category"] in CATEGORIES, p["id"]
        assert isinstance(p["price_krw"], int) and p["price_krw"] > 0
        assert set(p["key_ingredients"]) <= set(ingredients), f"{p['id']}: unknown ingredient"
        assert p["skin_types"] and set(p["skin_types"]) <= SKIN_TYPES, p["id"]
        assert p["concerns"] and set(p["concerns"]) <= CONCERNS, p["id"]
        for tag in p["cautions"]:
            if tag.startswith("allergy:"):
                assert tag.split(":", 1)[1] in ingredients, f"{p['id']}: {tag}"
                absent = tag.split(":", 1)[1] not in p["key_ingredients"]
                assert not absent, f"{p['id']}: allergy to an ingredient it does not contain"
            else:
                assert tag in CAUTION_TAGS, f"{p['id']}: {tag}"
        assert p["doc_id"] in demo_docs, f"{p['id']}: doc_id {p['doc_id']} missing"
        doc_body = demo_docs[p["doc_id"]][1]
        assert p["name_ko"] in doc_body and f"{p['price_krw']:,}" in doc_body, f"{p['id']} not in its doc"
    # The recommender's filters must have something to exclude.
    for tag in ("pregnancy", "sensitive_skin", "photosensitivity"):
        assert any(tag in p["cautions"] for p in products), f"no product with caution {tag}"
    assert any(t.startswith("allergy:") for p in products for t in p["cautions"])
    text = yaml.safe_dump(products_file, allow_unicode=True).lower()
    for word in PRESCRIPTION_WORDS:
        assert word.lower() not in text, f"prescription medicine {word!r} in products.yaml"


def test_videos_catalog() -> None:
    videos = _load_yaml("videos.yaml")["videos"]
    assert len(videos) >= 8
    assert len({v["id"] for v in videos}) == len(videos)
    for v in videos:
        assert v["url"].startswith("https://video.example/haneul/"), v["id"]
        assert v["topics"] and set(v["topics"]) <= CONCERNS | LESION_LABELS, v["id"]
        assert isinstance(v["duration_sec"], int) and v["duration_sec"] > 0
        assert v["title_ko"] and v["title_en"] and v["summary_ko"] and v["summary_en"]


def test_clinic_file_matches_procedures(procedures: list[dict[str, Any]]) -> None:
    clinic = _load_yaml("clinic.yaml")
    assert clinic["id"] == "demo-clinic" and clinic["venue_kind"] == "clinic"
    assert clinic["timezone"] == "Asia/Seoul" and clinic["slot_minutes"] == 30
    assert set(clinic["hours"]) == {"mon", "tue", "wed", "thu", "fri", "sat", "sun"}
    assert clinic["hours"]["sun"] is None
    for day, span in clinic["hours"].items():
        if span is not None:
            opens, closes = (dt.time.fromisoformat(span["open"]), dt.time.fromisoformat(span["close"]))
            assert opens < closes, day
    holidays = [dt.date.fromisoformat(str(h)) for h in clinic["holidays"]]
    assert {h.year for h in holidays} == {2026, 2027} and len(holidays) == len(set(holidays))
    assert all(h.weekday() != 6 for h in holidays), "Sunday holidays are closed anyway; list Mon-Sat ones"
    assert len(holidays) >= 25, "both years' Korean public holidays are expected"
    expected = {p["id"]: p for p in procedures if p["bookable"]}
    items = {b["code"]: b for b in clinic["booking_items"]}
    assert set(items) == set(expected), "booking_items must be exactly the bookable procedures"
    assert "consult-dermatologist" in items
    for code, item in items.items():
        p = expected[code]
        assert (item["duration_minutes"], item["capacity"], item["room"]) == (
            p["duration_minutes"], p["capacity"], p["room"],
        ), code


def test_catalog_doc_ids_exist(procedures: list[dict[str, Any]], demo_docs: dict) -> None:
    products = _load_yaml("products.yaml")
    refs = {p["doc_id"] for p in procedures} | {p["doc_id"] for p in products["products"]}
    refs |= {i["doc_id"] for i in products["ingredients"] if i.get("doc_id")}
    refs |= {v["doc_id"] for v in _load_yaml("videos.yaml")["videos"] if v.get("doc_id")}
    assert refs - set(demo_docs) == set()
    video_docs = [b for m, b, _ in demo_docs.values() if m["type"] == "videos"]
    for v in _load_yaml("videos.yaml")["videos"]:
        assert any(v["url"] in body and v["title_ko"] in body for body in video_docs), v["id"]


def test_profile_states_contact_facts(demo_docs: dict) -> None:
    clinic = _load_yaml("clinic.yaml")
    profiles = [b for m, b, _ in demo_docs.values() if m["type"] == "profile"]
    for body in profiles:
        assert clinic["phone"] in body and clinic["urgent_phone"] in body
        for span in clinic["hours"].values():
            if span:
                assert span["open"] in body and span["close"] in body
        assert clinic["lunch"]["start"] in body and clinic["lunch"]["end"] in body
        # The posted last check-in must agree with what the booking engine computes.
        monday_close = dt.time.fromisoformat(clinic["hours"]["mon"]["close"])
        weekday_close = dt.datetime.combine(dt.date(2026, 1, 5), monday_close)
        last = weekday_close - dt.timedelta(minutes=clinic["last_booking_before_close_minutes"])
        assert last.strftime("%H:%M") in body


# --- lawful wording ------------------------------------------------------------------------------------

@pytest.mark.parametrize("clinic", sorted(CLINIC_DIRS))
def test_no_banned_advertising_words(clinic: str) -> None:
    files = _markdown_files(CLINIC_DIRS[clinic]) + sorted(CLINIC_DIRS[clinic].rglob("*.yaml"))
    for path in files:
        text = path.read_text(encoding="utf-8").lower()
        for word in BANNED_AD_WORDS:
            assert word.lower() not in text, f"{path}: banned advertising phrase {word!r}"


# --- RAG case sets -----------------------------------------------------------------------------------

def _cases(name: str) -> list[dict[str, Any]]:
    lines = (CASES / name).read_text(encoding="utf-8").splitlines()
    out = []
    for n, line in enumerate(lines, 1):
        assert line.strip(), f"{name}:{n}: blank line"
        out.append(json.loads(line))
    return out


@pytest.mark.parametrize("name", sorted(CASE_FILES))
def test_case_file(name: str) -> None:
    folder, minimum = CASE_FILES[name]
    cases = _cases(name)
    assert len(cases) >= minimum, f"{name}: {len(cases)} cases < {minimum}"
    assert len({c["id"] for c in cases}) == len(cases), f"{name}: duplicate ids"
    docs = {p.relative_to(folder).as_posix(): p for p in _markdown_files(folder)}
    all_text = "\n".join(p.read_text(encoding="utf-8") for p in docs.values()).lower()
    for c in cases:
        keys = {"id", "lang", "question", "answer_must_contain", "source_doc", "kind"}
        assert set(c) == keys, f"{c.get('id')}: keys {sorted(c)}"
        assert c["lang"] in ("ko", "en") and c["kind"] in CASE_KINDS, c["id"]
        assert c["question"].strip(), c["id"]
        if c["kind"] == "unanswerable":
            assert c["answer_must_contain"] == [] and c["source_doc"] is None, c["id"]
            continue
        assert c["answer_must_contain"], f"{c['id']}: nothing to check"
        assert c["source_doc"] in docs, f"{c['id']}: source_doc {c['source_doc']} does not exist"
        source = docs[c["source_doc"]].read_text(encoding="utf-8").lower()
        for needle in c["answer_must_contain"]:
            haystack = all_text if c["kind"] == "multi_hop" else source
            assert needle.lower() in haystack, f"{c['id']}: {needle!r} not in {c['source_doc']}"
        if c["kind"] == "crosslingual":
            doc_lang, _ = _split_front_matter(docs[c["source_doc"]])
            assert doc_lang["lang"] != c["lang"], f"{c['id']}: crosslingual case in the document's language"
    kinds = {c["kind"] for c in cases}
    assert kinds == CASE_KINDS, f"{name}: kinds missing {CASE_KINDS - kinds}"
    for kind in CASE_KINDS - {"crosslingual"}:
        langs = {c["lang"] for c in cases if c["kind"] == kind}
        assert langs == {"ko", "en"}, f"{name}: {kind} cases only in {langs}"
