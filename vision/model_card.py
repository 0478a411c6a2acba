"""MODEL_CARD.md for a trained detector: data, classes, metrics and the CC BY 4.0 attribution."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from vision.taxonomy import Taxonomy

ATTRIBUTION = (
    "Trained on the ACNE04 detection subset from Roboflow Universe, project "
    "`acne-vulgaris-detection/acne04-detection`, version 5 (CC BY 4.0), itself derived from the public "
    'ACNE04 dataset: Wu et al., "Joint Acne Image Grading and Counting via Label Distribution Learning", '
    "ICCV 2019. Licence: https://creativecommons.org/licenses/by/4.0/ . Changes: labels renamed to the "
    "SkinChat taxonomy; the training split reduced to one copy per source photo when `dedupe_train` is set."
)


def write_model_card(
    path: Path,
    *,
    cfg: dict[str, Any],
    data_yaml: Path,
    import_report: dict,
    metrics: dict[str, float],
    epochs_run: int,
    seconds: float,
    taxonomy: Taxonomy,
    extra: str = "",
) -> Path:
    rows = "\n".join(f"| {i} | `{lab.id}` | {lab.ko} | {lab.en} |" for i, lab in enumerate(taxonomy.labels))
    mrows = (
        "\n".join(
            f"| {k} | {v:.4f} |" if isinstance(v, float) else f"| {k} | {v} |" for k, v in metrics.items()
        )
        or "| (no epoch finished) | |"
    )
    counts = import_report.get("per_split", {}) if import_report else {}
    text = f"""# SkinChat acne lesion detector

Detects acne lesions (boxes) for the kiosk's photo analysis. It describes what a photo *shows*;
it is not a diagnosis (a dermatologist confirms).

## Model
- Architecture: `{cfg.get("model")}` (ultralytics, built from the packaged yaml, trained from scratch:
  no pretrained weights were available offline)
- Input size: {cfg.get("imgsz")} px; batch {cfg.get("batch")}; seed {cfg.get("seed")};
  device {cfg.get("device")}
- Epochs run: {epochs_run}; wall time {seconds / 60:.1f} min

## Classes
| index | id | 한국어 | English |
|---|---|---|---|
{rows}

## Data
- Source: `{cfg.get("data")}` ({cfg.get("data_format")}), imported to `{data_yaml}`
- Images per split: {counts or "see data.yaml"}; train deduplicated to one copy per source photo:
  {cfg.get("dedupe_train")}
- Import problems: {import_report.get("problem_codes", {}) if import_report else {}}

## Metrics (validation split, best epoch, ultralytics val at {cfg.get("imgsz")} px)
| metric | value |
|---|---|
{mrows}

{extra}

## Attribution (CC BY 4.0)
{ATTRIBUTION}

## Limits
- Trained on cropped facial photos stretched to 640x640; kiosk photos are analysed in SAHI slices.
- ACNE04 photos are mostly East Asian skin; accuracy on darker skin tones is not measured.
"""
    path.write_text(text, encoding="utf-8")
    return path
