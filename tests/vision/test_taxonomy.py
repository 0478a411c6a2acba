from __future__ import annotations

from pathlib import Path

import pytest

from vision.taxonomy import DEFAULT_TAXONOMY, UnknownLabel, default_taxonomy, load_taxonomy


def test_labels_and_names() -> None:
    t = default_taxonomy()
    assert t.ids == ["papule", "pustule", "nodule_cyst", "comedone"]
    assert t.label("papule").ko == "구진"
    assert t.label("pustule").ko == "농포"
    assert t.label("nodule_cyst").ko == "결절·낭종"
    assert "면포" in t.label("comedone").ko
    assert t.names() == {0: "papule", 1: "pustule", 2: "nodule_cyst", 3: "comedone"}


@pytest.mark.parametrize(
    ("dataset_name", "label"),
    [
        ("papules", "papule"),
        ("pustules", "pustule"),
        ("nodules and cysts", "nodule_cyst"),
        ("whitehead and blackhead", "comedone"),
        ("  Nodules  and Cysts ", "nodule_cyst"),
    ],
)
def test_acne04_names_map(dataset_name: str, label: str) -> None:
    assert default_taxonomy().resolve(dataset_name) == label


def test_unknown_label_raises() -> None:
    with pytest.raises(UnknownLabel):
        default_taxonomy().resolve("freckle")


def test_new_class_by_yaml_only(tmp_path: Path) -> None:
    src = DEFAULT_TAXONOMY
    text = src.read_text(encoding="utf-8").replace(
        "# Dataset label name",
        "  - id: dark_spot\n    ko: 색소침착\n    en: Dark spot\n# Dataset label name",
        1,
    )
    text = text.replace("aliases:\n", "aliases:\n  hyperpigmentation: dark_spot\n", 1)
    custom = tmp_path / "taxonomy.yaml"
    custom.write_text(text, encoding="utf-8")
    t = load_taxonomy(custom)
    assert t.ids[:4] == default_taxonomy().ids  # existing indices unchanged
    assert t.index("dark_spot") == 4
    assert t.resolve("Hyperpigmentation") == "dark_spot"


def test_alias_to_missing_label_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / "t.yaml"
    bad.write_text("labels:\n  - {id: a, ko: 가, en: A}\naliases:\n  x: b\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown labels"):
        load_taxonomy(bad)
