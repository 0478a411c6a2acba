"""Fixtures for the vision tests: the shared ACNE04 folder (skip when absent), the shipped weights,
and one Detector per session (loading a model costs seconds on 2 cores)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import vision  # noqa: F401  (offline settings before ultralytics)

REPO = Path(__file__).resolve().parents[2]
SHIPPED_WEIGHTS = REPO / "vision" / "weights" / "skinchat-acne-yolo.pt"


def acne04_dir() -> Path | None:
    """SKINCHAT_ACNE04_DIR, else ``shared/datasets/acne04`` beside the clone (CI), else None."""
    env = os.environ.get("SKINCHAT_ACNE04_DIR")
    candidates = [Path(env)] if env else []
    candidates.append(REPO.parent / "shared" / "datasets" / "acne04")
    for c in candidates:
        if (c / "valid").is_dir():
            return c
    return None


@pytest.fixture(scope="session")
def acne04() -> Path:
    found = acne04_dir()
    if found is None:
        pytest.skip("ACNE04 not found (set SKINCHAT_ACNE04_DIR or place it at ../shared/datasets/acne04)")
    return found


@pytest.fixture(scope="session")
def shipped_weights() -> Path:
    if not SHIPPED_WEIGHTS.exists():
        pytest.fail(f"shipped detector weights missing: {SHIPPED_WEIGHTS}")
    return SHIPPED_WEIGHTS


@pytest.fixture(scope="session")
def shipped_detector(shipped_weights: Path):
    from vision.detector import Detector

    return Detector(shipped_weights, confidence=0.25)
