"""Contraindications: which catalog items a visitor must not be offered, and why.

Safety runs before ranking and cannot be outweighed by a score: an excluded item is never shown, and
the reason is stated. Cautions are read from both the item and its key ingredients, because a clinic
that tags retinol as ``pregnancy`` should not have to repeat it on every retinol product.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from rag.recommend.catalog import Catalog, Ingredient, Procedure, Product
from rag.recommend.profile import Profile

PREGNANCY = "pregnancy"
SENSITIVE = "sensitive_skin"
PHOTOSENSITIVITY = "photosensitivity"
PRESCRIPTION = "prescription"
# Ingredients a kiosk must never suggest whatever the YAML says (prescription-only in Korea).
PRESCRIPTION_INGREDIENTS = frozenset({
    "isotretinoin", "tretinoin", "adapalene", "tazarotene", "clindamycin", "minocycline", "doxycycline",
    "spironolactone", "erythromycin",
})


@dataclass(frozen=True)
class Contraindication:
    code: str  # pregnancy | sensitive_skin | allergy | prescription | in_use
    what: str  # the ingredient (or item) that triggered it, as an id


def _norm(text: str) -> str:
    return re.sub(r"[\s\-_·()]+", "", text.lower())


def resolve_ingredients(names: tuple[str, ...], catalog: Catalog) -> tuple[set[str], list[str]]:
    """Allergy answers are ids or names in either language; return (ingredient ids, unmatched names)."""
    index: dict[str, str] = {}
    for ing in sorted(catalog.ingredients.values(), key=lambda i: i.id):
        for key in (ing.id, ing.name_ko, ing.name_en):
            if key:
                index[_norm(key)] = ing.id
                # "병풀추출물(시카)" is also typed as "병풀추출물" or "시카"; "Tea tree oil" as "tea tree"
                for part in re.split(r"[()/,]", key):
                    if len(_norm(part)) >= 2 and not _norm(part).replace(".", "").rstrip("%").isdigit():
                        index.setdefault(_norm(part), ing.id)
    found: set[str] = set()
    unknown: list[str] = []
    for name in names:
        key = _norm(name)
        if key in index:
            found.add(index[key])
        elif any(key == _norm(i) for p in catalog.products.values() for i in p.key_ingredients):
            found.add(name)
        else:
            unknown.append(name)
    return found, unknown


def resolve_products(names: tuple[str, ...], catalog: Catalog) -> set[str]:
    index: dict[str, str] = {}
    for p in catalog.products.values():
        for key in (p.id, p.name_ko, p.name_en):
            if key:
                index[_norm(key)] = p.id
    return {index[_norm(n)] for n in names if _norm(n) in index}


def _ingredients(product: Product, catalog: Catalog) -> list[Ingredient]:
    return [catalog.ingredients[i] for i in product.key_ingredients if i in catalog.ingredients]


def product_contraindications(product: Product, profile: Profile, catalog: Catalog,
                              allergies: set[str], in_use: set[str]) -> list[Contraindication]:
    found: list[Contraindication] = []
    ingredients = _ingredients(product, catalog)

    def flagged(caution: str) -> str | None:
        if caution in product.cautions:
            hit = next((i.id for i in ingredients if caution in i.cautions), None)
            return hit or product.id
        return next((i.id for i in ingredients if caution in i.cautions), None)

    prescription = (PRESCRIPTION in product.cautions or product.category == PRESCRIPTION
                    or next((i for i in product.key_ingredients if i in PRESCRIPTION_INGREDIENTS), None))
    if prescription:
        found.append(Contraindication("prescription", product.id))
    if profile.pregnant_or_breastfeeding and (what := flagged(PREGNANCY)):
        found.append(Contraindication("pregnancy", what))
    if profile.sensitive and (what := flagged(SENSITIVE)):
        found.append(Contraindication("sensitive_skin", what))
    allergens = [i for i in product.key_ingredients if i in allergies]
    allergens += [c.split(":", 1)[1] for c in product.cautions
                  if c.startswith("allergy:") and c.split(":", 1)[1] in allergies]
    allergens += [c.split(":", 1)[1] for i in ingredients for c in i.cautions
                  if c.startswith("allergy:") and c.split(":", 1)[1] in allergies]
    if allergens:
        found.append(Contraindication("allergy", allergens[0]))
    for condition in profile.conditions:
        if flagged(condition):
            found.append(Contraindication("condition", condition))
            break
    if product.id in in_use:
        found.append(Contraindication("in_use", product.id))
    return found


def procedure_contraindications(procedure: Procedure, profile: Profile,
                                allergies: set[str]) -> list[Contraindication]:
    found: list[Contraindication] = []
    if profile.pregnant_or_breastfeeding and PREGNANCY in procedure.cautions:
        found.append(Contraindication("pregnancy", procedure.id))
    if profile.sensitive and SENSITIVE in procedure.cautions:
        found.append(Contraindication("sensitive_skin", procedure.id))
    allergens = [c.split(":", 1)[1] for c in procedure.cautions
                 if c.startswith("allergy:") and c.split(":", 1)[1] in allergies]
    if allergens:
        found.append(Contraindication("allergy", allergens[0]))
    hit = next((c for c in profile.conditions if c in procedure.cautions), None)
    if hit:
        found.append(Contraindication("condition", hit))
    return found


def contraindicated_ingredients(profile: Profile, catalog: Catalog, allergies: set[str]) -> dict[str, str]:
    """ingredient id -> code, for every ingredient this visitor must avoid (used to screen videos)."""
    out: dict[str, str] = {}
    for ing in catalog.ingredients.values():
        if ing.id in allergies:
            out[ing.id] = "allergy"
        elif profile.pregnant_or_breastfeeding and PREGNANCY in ing.cautions:
            out[ing.id] = "pregnancy"
        elif profile.sensitive and SENSITIVE in ing.cautions:
            out[ing.id] = "sensitive_skin"
    return out


def needs_sunscreen(product: Product, catalog: Catalog) -> bool:
    return PHOTOSENSITIVITY in product.cautions or any(
        PHOTOSENSITIVITY in i.cautions for i in _ingredients(product, catalog))


def is_irritant(product: Product, catalog: Catalog) -> bool:
    """A product with an active the clinic tags as hard on sensitive skin (acids, retinoids, BPO, ...)."""
    return SENSITIVE in product.cautions or any(
        SENSITIVE in i.cautions for i in _ingredients(product, catalog))
