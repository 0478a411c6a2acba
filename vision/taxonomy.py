"""Lesion taxonomy loaded from ``vision/taxonomy.yaml``: label ids, ko/en names, dataset aliases.

Why a YAML file: clinics and annotators add classes (dark spot, redness) and dataset spellings
without touching code; the class index a model was trained with is the label's position in the file.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

DEFAULT_TAXONOMY = Path(__file__).resolve().parent / "taxonomy.yaml"


class UnknownLabel(KeyError):
    """A dataset label name that the taxonomy does not map (code ``unknown_label``)."""

    code = "unknown_label"


@dataclass(frozen=True)
class Label:
    id: str
    ko: str
    en: str
    color: str = "#ff0000"


@dataclass(frozen=True)
class Taxonomy:
    labels: tuple[Label, ...]
    aliases: dict[str, str]

    @property
    def ids(self) -> list[str]:
        return [lab.id for lab in self.labels]

    def index(self, label_id: str) -> int:
        return self.ids.index(label_id)

    def label(self, label_id: str) -> Label:
        for lab in self.labels:
            if lab.id == label_id:
                return lab
        raise UnknownLabel(label_id)

    def resolve(self, dataset_name: str) -> str:
        """Map a dataset's label name (``nodules and cysts``) to a label id (``nodule_cyst``)."""
        key = " ".join(dataset_name.strip().lower().replace("_", " ").split())
        for alias, target in self.aliases.items():
            if " ".join(alias.lower().replace("_", " ").split()) == key:
                return target
        if dataset_name.strip() in self.ids:
            return dataset_name.strip()
        raise UnknownLabel(dataset_name)

    def names(self) -> dict[int, str]:
        """``{index: id}``, the ``names`` block of a YOLO data.yaml."""
        return dict(enumerate(self.ids))


def load_taxonomy(path: Path | str = DEFAULT_TAXONOMY) -> Taxonomy:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    labels = tuple(
        Label(id=str(e["id"]), ko=str(e["ko"]), en=str(e["en"]), color=str(e.get("color", "#ff0000")))
        for e in data["labels"]
    )
    ids = {lab.id for lab in labels}
    if len(ids) != len(labels):
        raise ValueError(f"duplicate label ids in {path}")
    aliases = {str(k): str(v) for k, v in (data.get("aliases") or {}).items()}
    bad = {k: v for k, v in aliases.items() if v not in ids}
    if bad:
        raise ValueError(f"aliases point at unknown labels in {path}: {bad}")
    return Taxonomy(labels=labels, aliases=aliases)


@lru_cache(maxsize=1)
def default_taxonomy() -> Taxonomy:
    return load_taxonomy(DEFAULT_TAXONOMY)


LABELS: list[str] = default_taxonomy().ids
