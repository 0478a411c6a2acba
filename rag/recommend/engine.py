"""The Recommender: safety filter -> match -> rank -> diversify and budget -> explain -> output rail.

Rules (documented here because callers and tests rely on them):
* Safety first. Contraindicated items (pregnancy/breastfeeding, sensitive skin, allergies, anything
  prescription-only, products already in use) are never shown; each relevant one is listed in
  ``excluded`` with its reason.
* From grade >= 2 or any nodule/cyst, the first item is a dermatologist consultation.
* An item is only suggested when it can be traced: a finding in the photo or a stated concern ->
  an ingredient (products) or the procedure itself -> the item -> a clinic document (``doc_id`` that
  exists in the knowledge folder). Items whose document is missing are excluded, not shown uncited.
* At most 3 products (at most 2 per brand, different categories first), 2 procedures and 1 video.
* Budget rule: when ``budget_krw`` is given, the summed price of the suggested products and procedures
  stays within it (products are filled first, in rank order; an item with no posted price counts as
  over budget). The dermatologist consultation is a safety step and is never dropped for budget.
* Deterministic: ties break on price (cheaper first), then id.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rag.recommend import text
from rag.recommend.catalog import Catalog, Procedure, Product, load_catalog
from rag.recommend.models import Basis, Excluded, Item, Recommendations
from rag.recommend.profile import LESION_LABELS, Profile, ProfileError, build_profile
from rag.recommend.safety import (
    Contraindication,
    contraindicated_ingredients,
    is_irritant,
    needs_sunscreen,
    procedure_contraindications,
    product_contraindications,
    resolve_ingredients,
    resolve_products,
)

CONSULT_ID = "consult-dermatologist"
# What lesions in the photo mean for catalog items tagged by concern only (weaker than a lesion match).
IMPLIED_CONCERNS = {"papule": "acne", "pustule": "acne", "nodule_cyst": "acne", "comedone": "comedones"}
VERDICT_CACHE_SIZE = 20_000
MAX_PRODUCTS, MAX_PROCEDURES, MAX_VIDEOS, MAX_PER_BRAND = 3, 2, 1, 2
_DEFAULT: Any = object()
_THIS_ITEM = {("ko", "product"): "이 제품", ("ko", "procedure"): "이 시술",
              ("en", "product"): "this product", ("en", "procedure"): "this procedure"}


def _default_guard() -> Any:
    """The real output rail when it is installed; recommendations must never bypass it."""
    try:
        from rag.guardrails import Guardrails
    except ImportError:
        return None
    return Guardrails()


@dataclass(frozen=True)
class _Target:
    id: str
    kind: str  # finding | concern
    weight: float
    count: int | None


@dataclass
class _Candidate:
    item: Product | Procedure
    basis: list[Basis]
    score: float

    @property
    def sort_key(self) -> tuple[float, int, str]:
        price = self.item.price_krw if self.item.price_krw is not None else 10**12
        return (-round(self.score, 6), price, self.item.id)


def _language(language: str | None) -> str:
    lang = (language or "ko").strip().lower().split("-")[0].split("_")[0]
    if lang not in ("ko", "en"):
        raise ProfileError("language_invalid", f"language must be 'ko' or 'en', got {language!r}")
    return lang


class Recommender:
    """Recommendations for one clinic's catalog. Load once; ``recommend`` is read-only and thread-safe."""

    def __init__(self, knowledge_dir: Path | str, guardrails: Any = _DEFAULT) -> None:
        self.knowledge_dir = Path(knowledge_dir)
        self.catalog: Catalog = load_catalog(self.knowledge_dir)
        self.guardrails = _default_guard() if guardrails is _DEFAULT else guardrails
        # Reasons repeat across visitors (the same exclusion sentence, the same product line), and the
        # output rail is deterministic and costs an embedding per call, so verdicts are remembered.
        self._verdicts: dict[tuple[str, str], tuple[bool, str]] = {}
        self._verdicts_lock = threading.Lock()

    def output_verdict(self, reason: str, lang: str) -> tuple[bool, str]:
        """(allowed, text to show) from the output guardrail; (True, reason) when none is installed."""
        if self.guardrails is None:
            return True, reason
        key = (reason, lang)
        with self._verdicts_lock:
            cached = self._verdicts.get(key)
        if cached is not None:
            return cached
        verdict = self.guardrails.check_output(reason, lang)
        result = (True, verdict.masked_text or reason) if verdict.allowed else (False, reason)
        with self._verdicts_lock:
            if len(self._verdicts) >= VERDICT_CACHE_SIZE:
                self._verdicts.pop(next(iter(self._verdicts)))
            self._verdicts[key] = result
        return result

    # ---- public -------------------------------------------------------------------------------
    def recommend(self, analysis: dict[str, Any], answers: dict[str, Any] | None = None,
                  language: str = "ko") -> Recommendations:
        lang = _language(language)
        profile = build_profile(analysis, answers)
        allergies, unknown_allergies = resolve_ingredients(profile.allergies, self.catalog)
        in_use = resolve_products(profile.products_in_use, self.catalog)
        targets = self._targets(profile)
        run = _Run(self, profile, lang, allergies, in_use)

        items: list[Item] = []
        if profile.needs_dermatologist:
            items.append(run.consultation())
        products = run.products(targets)
        procedures = run.procedures(targets)
        items += products + procedures
        if (video := run.video(targets, items)) is not None:
            items.append(video)

        notes = [self._note_analysis(lang)]
        if unknown_allergies:
            notes.append(self._note_unknown_allergies(unknown_allergies, lang))
        if not targets:
            notes.append("사진에서 관찰된 트러블이나 말씀하신 고민이 없어 추천할 항목이 없습니다."
                         if lang == "ko" else
                         "Nothing was seen in the photo and no concern was given, so nothing is suggested.")
        result = Recommendations(items=[], excluded=[], language=lang, budget_krw=profile.budget_krw)
        result.items = run.checked(items)
        result.excluded = run.excluded
        result.notes = [run.safe_text(n) for n in notes]
        return result

    # ---- helpers ------------------------------------------------------------------------------
    @staticmethod
    def _targets(profile: Profile) -> list[_Target]:
        """Findings first (more spots weigh more), then stated concerns, in a stable order."""
        targets = [_Target(label, "finding", 2.0 + min(math.log2(1 + n), 4.0), n)
                   for label, n in profile.findings.items()]
        seen = {t.id for t in targets}
        targets += [_Target(c, "concern", 2.0, None) for c in profile.concerns if c not in seen]
        for label in profile.findings:
            implied = IMPLIED_CONCERNS.get(label)
            if implied and implied not in {t.id for t in targets}:
                total = sum(v for k, v in profile.findings.items() if IMPLIED_CONCERNS.get(k) == implied)
                targets.append(_Target(implied, "finding", 1.0, total))
        return targets

    @staticmethod
    def _note_analysis(lang: str) -> str:
        return ("사진 분석은 참고용 관찰이며 진단이 아닙니다. 정확한 판단은 피부과 전문의가 합니다."
                if lang == "ko" else
                "The photo analysis is an observation, not a diagnosis; a dermatologist confirms it.")

    @staticmethod
    def _note_unknown_allergies(names: list[str], lang: str) -> str:
        joined = ", ".join(names)
        return (f"알레르기로 적어 주신 '{joined}' 성분은 카탈로그에서 찾지 못했습니다. "
                "제품 전성분은 직원에게 확인해 주세요." if lang == "ko" else
                f"We could not find '{joined}' among the catalog's ingredients; please check the full "
                "ingredient list with our staff.")


class _Run:
    """State of one ``recommend`` call (kept out of the Recommender so calls share nothing)."""

    def __init__(self, rec: Recommender, profile: Profile, lang: str, allergies: set[str],
                 in_use: set[str]) -> None:
        self.rec, self.cat, self.profile, self.lang = rec, rec.catalog, profile, lang
        self.allergies, self.in_use = allergies, in_use
        self.excluded: list[Excluded] = []
        self._excluded_ids: set[str] = set()
        self.spent = 0
        self._budget_excluded: dict[str, int] = {}

    # names -----------------------------------------------------------------------------------
    def name(self, entry: Any) -> str:
        if hasattr(entry, "title_ko"):
            return entry.title_ko if self.lang == "ko" else entry.title_en
        return entry.name_ko if self.lang == "ko" else entry.name_en

    def ingredient_name(self, ingredient_id: str) -> str:
        ing = self.cat.ingredients.get(ingredient_id)
        if ing is None:
            ing = next((p for p in self.cat.products.values() if p.id == ingredient_id), None)
            return self.name(ing) if ing else ingredient_id
        return self.name(ing)

    def exclude(self, item_id: str, name: str, code: str, what: str = "") -> None:
        if item_id in self._excluded_ids:
            return
        self._excluded_ids.add(item_id)
        reason = self.safe_text(text.exclusion(code, name, what, self.lang))
        self.excluded.append(Excluded(item_id, reason, code))

    def exclude_contra(self, entry: Product | Procedure, contra: Contraindication) -> None:
        if contra.code == "condition":
            what = text.condition_name(contra.what, self.lang)
        elif contra.what == entry.id:  # the item itself carries the caution, not one ingredient
            kind = "product" if isinstance(entry, Product) else "procedure"
            what = _THIS_ITEM[(self.lang, kind)]
        else:
            what = self.ingredient_name(contra.what)
        self.exclude(entry.id, self.name(entry), contra.code, what)

    # matching --------------------------------------------------------------------------------
    def _product_basis(self, product: Product, targets: list[_Target]) -> tuple[list[Basis], float]:
        basis: list[Basis] = []
        score = 0.0
        for t in targets:
            via = next((i for i in product.key_ingredients
                        if i in self.cat.ingredients and t.id in self.cat.ingredients[i].helps), None)
            if via is not None:
                basis.append(Basis(t.id, t.kind, t.count, via))  # type: ignore[arg-type]
                score += t.weight
            elif t.id in product.concerns:
                basis.append(Basis(t.id, t.kind, t.count, None))  # type: ignore[arg-type]
                score += 0.7 * t.weight
        return basis, score

    def _fit_bonus(self, product: Product) -> float:
        bonus = 0.0
        skin = self.profile.skin_type
        if skin and product.skin_types:
            bonus += 0.5 if (skin in product.skin_types or "all" in product.skin_types) else -0.5
        if self.profile.sensitive and "sensitive" in product.skin_types:
            bonus += 0.3
        in_use_actives = {i for pid in self.in_use for i in self.cat.products[pid].key_ingredients}
        if in_use_actives & set(product.key_ingredients):
            bonus -= 1.0  # the same active twice: deprioritised, not forbidden
        return bonus

    def products(self, targets: list[_Target]) -> list[Item]:
        candidates: list[_Candidate] = []
        for product in self.cat.products.values():
            basis, score = self._product_basis(product, targets)
            if not basis:
                continue
            contras = product_contraindications(product, self.profile, self.cat, self.allergies, self.in_use)
            if contras:
                self.exclude_contra(product, contras[0])
                continue
            if not self._documented(product):
                continue
            candidates.append(_Candidate(product, basis, score + self._fit_bonus(product)))
        candidates.sort(key=lambda c: c.sort_key)
        chosen: list[_Candidate] = []
        brands: dict[str, int] = {}
        # Pass 1: a new category, a new helping ingredient and at most one irritating active (stacking
        # strong actives is a common cause of irritation); pass 2: a new category, one irritant; pass 3:
        # anything, still at most two irritants.
        for strict in (2, 1, 0):
            for cand in candidates:
                p: Product = cand.item  # type: ignore[assignment]
                if len(chosen) >= MAX_PRODUCTS:
                    break
                if cand in chosen or p.id in self._excluded_ids:
                    continue
                if strict >= 1 and any(c.item.category == p.category for c in chosen):  # type: ignore[union-attr]
                    continue
                used = {b.via for c in chosen for b in c.basis if b.via}
                if strict >= 2 and used & {b.via for b in cand.basis if b.via}:
                    continue
                irritants = sum(is_irritant(c.item, self.cat) for c in chosen)  # type: ignore[arg-type]
                if is_irritant(p, self.cat) and irritants >= (1 if strict >= 1 else 2):
                    continue
                brand = p.brand.strip().lower()
                if brand and brands.get(brand, 0) >= MAX_PER_BRAND:
                    self.exclude(p.id, self.name(p), "brand_limit")
                    continue
                if not self._affordable(p):
                    continue
                chosen.append(cand)
                brands[brand] = brands.get(brand, 0) + 1
        return [self._product_item(c) for c in chosen]

    def procedures(self, targets: list[_Target]) -> list[Item]:
        candidates: list[_Candidate] = []
        for proc in self.cat.procedures.values():
            if proc.id == CONSULT_ID:
                continue
            basis: list[Basis] = []
            score = 0.0
            for t in targets:
                if t.id in proc.lesion_labels or t.id in proc.concerns:
                    basis.append(Basis(t.id, t.kind, t.count, None))  # type: ignore[arg-type]
                    score += t.weight
            if not basis:
                continue
            contras = procedure_contraindications(proc, self.profile, self.allergies)
            if contras:
                self.exclude_contra(proc, contras[0])
                continue
            if not self._documented(proc):
                continue
            candidates.append(_Candidate(proc, basis, score))
        candidates.sort(key=lambda c: c.sort_key)
        chosen: list[_Candidate] = []
        for cand in candidates:
            if len(chosen) >= MAX_PROCEDURES:
                break
            if self._affordable(cand.item):
                chosen.append(cand)
        return [self._procedure_item(c) for c in chosen]

    def cite(self, entry: Product | Procedure) -> list[str]:
        doc = self.cat.cite(entry.doc_id, self.lang)
        return [doc] if doc else []

    def price_list(self) -> list[str]:
        """The posted price list, cited next to any price a reason states."""
        doc = self.cat.document_of_type("prices", self.lang)
        return [doc] if doc else []

    def _documented(self, entry: Product | Procedure) -> bool:
        if self.cite(entry):
            return True
        self.exclude(entry.id, self.name(entry), "no_document")
        return False

    def _affordable(self, entry: Product | Procedure) -> bool:
        budget = self.profile.budget_krw
        if budget is None:
            return True
        price = entry.price_krw
        if price is None or self.spent + price > budget:
            # Name the first few that budget pushed out; the rest were never close to the top.
            kind = "product" if isinstance(entry, Product) else "procedure"
            if self._budget_excluded.get(kind, 0) < MAX_PRODUCTS:
                self._budget_excluded[kind] = self._budget_excluded.get(kind, 0) + 1
                self.exclude(entry.id, self.name(entry), "budget", text.won(budget, self.lang))
            return False
        self.spent += price
        return True

    # items -----------------------------------------------------------------------------------
    def _lead(self, basis: list[Basis]) -> list[str]:
        """The finding/concern sentence a reason starts with."""
        findings = {b.target: b.count or 0 for b in basis
                    if b.target_kind == "finding" and b.target in LESION_LABELS}
        if not findings and any(b.target_kind == "finding" for b in basis):
            findings = self.profile.findings
        concerns = [b.target for b in basis if b.target_kind == "concern"]
        lead = []
        if findings:
            lead.append(text.observation(findings, self.lang))
        if concerns:
            lead.append(text.stated_concerns(concerns, self.lang))
        return lead

    def _product_item(self, cand: _Candidate) -> Item:
        p: Product = cand.item  # type: ignore[assignment]
        parts = self._lead(cand.basis)
        by_ingredient: dict[str, list[str]] = {}
        direct: list[str] = []
        for b in cand.basis:
            if b.via:
                by_ingredient.setdefault(b.via, []).append(b.target)
            else:
                direct.append(b.target)
        for ing, tgts in by_ingredient.items():
            parts.append(text.ingredient_helps(self.ingredient_name(ing), tgts, self.name(p), self.lang))
        if direct:
            parts.append(text.product_helps(self.name(p), direct, self.lang))
        if needs_sunscreen(p, self.cat):
            parts.append(text.photosensitivity_note(self.lang))
        citations = self.cite(p)
        for ing in by_ingredient:  # the ingredient's own document, when the clinic keeps one apart
            doc = self.cat.cite(self.cat.ingredients[ing].doc_id, self.lang)
            if doc and doc not in citations:
                citations.append(doc)
        parts.append(text.source(citations, self.cat.documents, self.lang))
        return Item("product", p.id, self.name(p), " ".join(parts), citations, p.price_krw,
                    brand=p.brand or None, basis=cand.basis, score=round(cand.score, 4))

    def _procedure_item(self, cand: _Candidate) -> Item:
        proc: Procedure = cand.item  # type: ignore[assignment]
        parts = self._lead(cand.basis)
        parts.append(text.procedure_helps(self.name(proc), [b.target for b in cand.basis], proc.price_krw,
                                          self.lang))
        if not proc.bookable:
            parts.append(text.consult_first_note(self.lang))
        citations = self.cite(proc) + self.price_list()
        parts.append(text.source(citations, self.cat.documents, self.lang))
        return Item("procedure", proc.id, self.name(proc), " ".join(parts), citations, proc.price_krw,
                    basis=cand.basis, score=round(cand.score, 4))

    def consultation(self) -> Item:
        proc = self.cat.procedures.get(CONSULT_ID)
        name = self.name(proc) if proc else ("피부과 전문의 상담" if self.lang == "ko" else
                                             "a consultation with a dermatologist")
        findings = self.profile.findings
        basis: list[Basis] = []
        if self.profile.grade >= 2:
            basis.append(Basis(f"grade_{self.profile.grade}", "grade", None, None))
        if findings.get("nodule_cyst"):
            basis.append(Basis("nodule_cyst", "finding", findings["nodule_cyst"], None))
        parts = [text.consultation(findings, self.profile.grade, name, self.lang)]
        citations = self.cite(proc) + self.price_list() if proc else []
        if citations:
            parts.append(text.source(citations, self.cat.documents, self.lang))
        return Item("consultation", CONSULT_ID, name, " ".join(parts), citations,
                    proc.price_krw if proc else None, basis=basis, score=0.0)

    def video(self, targets: list[_Target], items: list[Item]) -> Item | None:
        target_ids = [t.id for t in targets]
        related = {b.via for i in items for b in i.basis if b.via} | {i.id for i in items}
        avoid = contraindicated_ingredients(self.profile, self.cat, self.allergies)
        best: tuple[tuple[int, int, int, str], Any, list[str]] | None = None
        for v in self.cat.videos.values():
            hits = [t for t in target_ids if t in v.topics]
            if not hits:
                continue
            about = self._video_ingredient(v, avoid)
            if about:
                self.exclude(v.id, self.name(v), "video_topic", self.ingredient_name(about))
                continue
            # most matched topics, then most related to the items, then the most specific video
            key = (-len(hits), -len(related & set(v.topics)), len(v.topics), v.id)
            if best is None or key < best[0]:
                best = (key, v, hits)
        if best is None:
            return None
        _, v, hits = best
        doc = self.cat.cite(v.doc_id, self.lang) or self.cat.document_of_type("videos", self.lang)
        citations = [doc] if doc else []
        parts = self._lead([Basis(t.id, t.kind, t.count, None) for t in targets if t.id in hits])  # type: ignore[arg-type]
        parts.append(text.video(self.name(v), hits, self.lang))
        if citations:
            parts.append(text.source(citations, self.cat.documents, self.lang))
        basis = [Basis(t.id, t.kind, t.count, None) for t in targets if t.id in hits]  # type: ignore[arg-type]
        return Item("video", v.id, self.name(v), " ".join(parts), list(citations), None, url=v.url or None,
                    basis=basis)

    def _video_ingredient(self, video: Any, avoid: dict[str, str]) -> str | None:
        """A video about an ingredient this visitor must avoid (e.g. "Starting retinol" when pregnant)."""
        haystack = " ".join((video.id, video.title_ko, video.title_en)).lower().replace("_", "-")
        for ing_id in sorted(avoid):
            ing = self.cat.ingredients[ing_id]
            names = {ing_id.replace("_", "-"), ing.name_ko.split("(")[0].strip().lower(),
                     ing.name_en.split("(")[0].strip().lower()}
            if any(n and n in haystack for n in names):
                return ing_id
        return None

    # output rail -----------------------------------------------------------------------------
    def _verdict(self, reason: str) -> tuple[bool, str]:
        return self.rec.output_verdict(reason, self.lang)

    def safe_text(self, line: str) -> str:
        allowed, checked = self._verdict(line)
        if allowed:
            return checked
        return ("이 항목은 안내에서 제외했습니다. 자세한 내용은 직원이나 전문의에게 문의해 주세요."
                if self.lang == "ko" else "This item was left out; please ask our staff or a dermatologist.")

    def checked(self, items: list[Item]) -> list[Item]:
        out: list[Item] = []
        for item in items:
            allowed, reason = self._verdict(item.reason)
            if not allowed:
                self.exclude(item.id, item.name, "guardrail")
                continue
            out.append(item if reason == item.reason else _replace_reason(item, reason))
        return out


def _replace_reason(item: Item, reason: str) -> Item:
    from dataclasses import replace

    return replace(item, reason=reason)


GuardFactory = Callable[[], Any]
