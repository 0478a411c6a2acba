"""The dependency rule: kiosk -> api -> rag, vision. rag and vision are libraries and never import api or kiosk;
kiosk reaches the backend only over HTTP (it may read api.settings, nothing else of api)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def imported_top_modules(package: str) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for path in (ROOT / package).rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                found.setdefault(name, set()).add(str(path.relative_to(ROOT)))
    return found


@pytest.mark.parametrize("library", ["rag", "vision"])
def test_libraries_never_import_api_or_kiosk(library: str) -> None:
    imports = imported_top_modules(library)
    bad = {m: files for m, files in imports.items() if m.split(".")[0] in {"api", "kiosk"}}
    assert not bad, f"{library} must not depend on api/kiosk: {bad}"


def test_kiosk_uses_api_only_through_http() -> None:
    imports = imported_top_modules("kiosk")
    bad = {m: f for m, f in imports.items()
           if (m.split(".")[0] == "api" and m != "api.settings") or m.split(".")[0] in {"rag", "vision"}}
    assert not bad, f"kiosk must reach the backend over HTTP only: {bad}"


def test_rule_detects_a_violation(tmp_path: Path) -> None:
    """The checker itself must be able to fail."""
    (tmp_path / "x.py").write_text("from api.db import models\nimport kiosk\n")
    tree = ast.parse((tmp_path / "x.py").read_text())
    mods = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom)} | {
        a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
    assert {"api.db", "kiosk"} <= mods
