"""Read a clinic's catalog (products + ingredients, procedures, videos) and its document ids.

The YAML files are written by clinic staff, so loading is forgiving about layout (a top-level list or a
mapping with a ``products:``/``procedures:``/``videos:`` key) and strict about meaning: an entry without
an ``id`` is an error with a stable code, because a recommendation that cannot be traced is worse than
none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


class CatalogError(ValueError):
    """The knowledge folder cannot be used. ``code`` is stable for callers and the CLI."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(f"{code}: {message}")
        self.code = code
        self.message = message


def _ids(value: Any) -> tuple[str, ...]:
    """A list (or one string, or None) of ids, lower-cased and stripped, order kept."""
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if isinstance(value, dict):  # e.g. cautions written as {pregnancy: true}
        value = [k for k, v in value.items() if v]
    return tuple(str(v).strip().lower() for v in value if str(v).strip())


def _int(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, (int, float)):
        return int(value)
    digits = re.sub(r"[^\d]", "", str(value))
    return int(digits) if digits else None


def _text(entry: dict[str, Any], key: str) -> str:
    value = entry.get(key)
    return str(value).strip() if value is not None else ""


@dataclass(frozen=True)
class Ingredient:
    id: str
    name_ko: str
    name_en: str
    helps: tuple[str, ...]
    cautions: tuple[str, ...]
    doc_id: str | None = None


@dataclass(frozen=True)
class Product:
    id: str
    name_ko: str
    name_en: str
    brand: str
    category: str
    price_krw: int | None
    key_ingredients: tuple[str, ...]
    skin_types: tuple[str, ...]
    concerns: tuple[str, ...]
    cautions: tuple[str, ...]
    doc_id: str | None


@dataclass(frozen=True)
class Procedure:
    id: str
    name_ko: str
    name_en: str
    price_krw: int | None
    bookable: bool
    concerns: tuple[str, ...]
    lesion_labels: tuple[str, ...]
    cautions: tuple[str, ...]
    doc_id: str | None
    duration_minutes: int | None = None


@dataclass(frozen=True)
class Video:
    id: str
    title_ko: str
    title_en: str
    url: str
    topics: tuple[str, ...]
    doc_id: str | None = None


@dataclass
class Catalog:
    products: dict[str, Product] = field(default_factory=dict)
    ingredients: dict[str, Ingredient] = field(default_factory=dict)
    procedures: dict[str, Procedure] = field(default_factory=dict)
    videos: dict[str, Video] = field(default_factory=dict)
    documents: dict[str, str] = field(default_factory=dict)  # doc_id -> title
    document_meta: dict[str, tuple[str, str]] = field(default_factory=dict)  # doc_id -> (lang, type)

    def cite(self, doc_id: str | None, lang: str) -> str | None:
        """The document to cite in the visitor's language: ``x-ko`` becomes ``x-en`` when that exists."""
        if not doc_id or doc_id not in self.documents:
            return None
        if self.document_meta.get(doc_id, ("", ""))[0] == lang:
            return doc_id
        stem = re.sub(r"-(ko|en)$", "", doc_id)
        twin = f"{stem}-{lang}"
        return twin if twin in self.documents else doc_id

    def document_of_type(self, doc_type: str, lang: str) -> str | None:
        """A document of one type (e.g. ``videos``), preferring the visitor's language."""
        found = sorted(d for d, (_, t) in self.document_meta.items() if t == doc_type)
        return next((d for d in found if self.document_meta[d][0] == lang), found[0] if found else None)


def _read_yaml(path: Path) -> Any:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise CatalogError("catalog_invalid_yaml", f"{path}: {exc}") from exc


def _entries(data: Any, key: str, path: Path) -> list[dict[str, Any]]:
    if data is None:
        return []
    if isinstance(data, dict):
        data = data.get(key, [])
    if not isinstance(data, list):
        raise CatalogError("catalog_bad_shape", f"{path}: '{key}' must be a list of entries")
    out = []
    for n, entry in enumerate(data):
        if not isinstance(entry, dict) or not str(entry.get("id") or "").strip():
            raise CatalogError("catalog_entry_without_id", f"{path}: {key}[{n}] has no id")
        out.append(entry)
    return out


def _ingredient(e: dict[str, Any]) -> Ingredient:
    return Ingredient(
        id=_text(e, "id").lower(), name_ko=_text(e, "name_ko") or _text(e, "id"),
        name_en=_text(e, "name_en") or _text(e, "id"), helps=_ids(e.get("helps")),
        cautions=_ids(e.get("cautions")), doc_id=_text(e, "doc_id") or None,
    )


def _product(e: dict[str, Any]) -> Product:
    return Product(
        id=_text(e, "id").lower(), name_ko=_text(e, "name_ko") or _text(e, "name_en"),
        name_en=_text(e, "name_en") or _text(e, "name_ko"), brand=_text(e, "brand"),
        category=_text(e, "category").lower(), price_krw=_int(e.get("price_krw")),
        key_ingredients=_ids(e.get("key_ingredients")), skin_types=_ids(e.get("skin_types")),
        concerns=_ids(e.get("concerns")), cautions=_ids(e.get("cautions")), doc_id=_text(e, "doc_id") or None,
    )


def _procedure(e: dict[str, Any]) -> Procedure:
    return Procedure(
        id=_text(e, "id").lower(), name_ko=_text(e, "name_ko") or _text(e, "name_en"),
        name_en=_text(e, "name_en") or _text(e, "name_ko"), price_krw=_int(e.get("price_krw")),
        bookable=bool(e.get("bookable", True)), concerns=_ids(e.get("concerns")),
        lesion_labels=_ids(e.get("lesion_labels")), cautions=_ids(e.get("cautions")),
        doc_id=_text(e, "doc_id") or None, duration_minutes=_int(e.get("duration_minutes")),
    )


def _video(e: dict[str, Any]) -> Video:
    return Video(
        id=_text(e, "id").lower(), title_ko=_text(e, "title_ko") or _text(e, "title_en"),
        title_en=_text(e, "title_en") or _text(e, "title_ko"), url=_text(e, "url"),
        topics=_ids(e.get("topics")), doc_id=_text(e, "doc_id") or None,
    )


_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*(?:\n|\Z)", re.S)


def document_ids(knowledge_dir: Path) -> dict[str, dict[str, str]]:
    """doc_id -> front matter (title, lang, type) of every Markdown document; what a citation may name."""
    docs: dict[str, dict[str, str]] = {}
    for path in sorted(knowledge_dir.rglob("*.md")):
        if path.name.lower() == "readme.md":
            continue
        match = _FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if not match:
            continue
        try:
            meta = yaml.safe_load(match.group(1)) or {}
        except yaml.YAMLError:
            continue
        if isinstance(meta, dict) and meta.get("doc_id"):
            doc_id = str(meta["doc_id"]).strip()
            docs[doc_id] = {k: str(meta.get(k) or "").strip() for k in ("title", "lang", "type")}
            docs[doc_id]["title"] = docs[doc_id]["title"] or doc_id
    return docs


def load_catalog(knowledge_dir: Path | str) -> Catalog:
    """Load ``catalog/*.yaml`` under a clinic's knowledge folder; missing videos are fine, products not."""
    root = Path(knowledge_dir)
    folder = root / "catalog"
    products_path = folder / "products.yaml"
    if not products_path.is_file():
        raise CatalogError("catalog_missing", f"{products_path} not found (is --knowledge a clinic folder?)")
    docs = document_ids(root)
    catalog = Catalog(documents={d: m["title"] for d, m in docs.items()},
                      document_meta={d: (m["lang"], m["type"]) for d, m in docs.items()})
    data = _read_yaml(products_path)
    for e in _entries(data, "products", products_path):
        p = _product(e)
        catalog.products[p.id] = p
    ingredient_data = data.get("ingredients") if isinstance(data, dict) else None
    ingredients_path = folder / "ingredients.yaml"
    if ingredient_data is None and ingredients_path.is_file():
        ingredient_data = _read_yaml(ingredients_path)
    for e in _entries(ingredient_data, "ingredients", products_path):
        i = _ingredient(e)
        catalog.ingredients[i.id] = i
    for name, key, build, target in (
        ("procedures.yaml", "procedures", _procedure, catalog.procedures),
        ("videos.yaml", "videos", _video, catalog.videos),
    ):
        path = folder / name
        if path.is_file():
            for e in _entries(_read_yaml(path), key, path):
                item = build(e)
                target[item.id] = item
    return catalog
