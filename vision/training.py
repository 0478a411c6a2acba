"""Train the lesion detector from a small YAML experiment config and write a self-describing run folder.

Run folder (``<project>/<name>/``): ``config.yaml`` (the experiment as run), ``dataset/`` (imported YOLO
data with absolute paths, when the config names a source folder), ``train/`` (ultralytics' own output:
``weights/best.pt``, ``last.pt``, ``results.csv``), ``metrics.jsonl`` (one line per epoch, written as
training goes so a partial run still documents itself) and ``MODEL_CARD.md``.

Why these ultralytics arguments: ``amp=False`` (the AMP check downloads yolo11n.pt), ``plots=False``
(plotting wants fonts and time), ``nbs=batch`` (otherwise small CPU batches accumulate to 64 and the
optimizer steps only a few times per epoch), explicit ``project=`` and absolute data paths (ultralytics'
relative path rules depend on its user settings), models built from the packaged yaml (a ``.pt`` name
would be downloaded).
"""

from __future__ import annotations

import json
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import yaml

import vision  # noqa: F401  (offline settings before ultralytics)
from vision.datasets import import_dataset
from vision.model_card import write_model_card
from vision.taxonomy import default_taxonomy

REPO_ROOT = Path(__file__).resolve().parent.parent


@dataclass
class ExperimentConfig:
    name: str = "acne-yolo"
    model: str = "yolo11n.yaml"  # packaged ultralytics model yaml (never a .pt name: it would download)
    data: str = ""  # a YOLO data.yaml, or a source folder to import (with data_format)
    data_format: str = "yolo"  # voc | coco | yolo, used when `data` is a folder
    dedupe_train: bool = False  # keep one augmented copy per source photo (Roboflow `NAME_jpg.rf.HASH`)
    dedupe_copy: int = 0  # which copy (by file name) dedupe keeps: a later stage can train on other copies
    imgsz: int = 640
    epochs: int = 10
    batch: int = 16
    seed: int = 0
    time_hours: float | None = None  # ultralytics `time=`: wall-time cap, re-plans epochs after epoch 1
    patience: int = 100
    workers: int = 0
    device: str = "cpu"
    project: str = "runs/vision"  # relative to the config file's repo root when not absolute
    train_args: dict[str, Any] = field(default_factory=dict)  # extra ultralytics arguments

    @classmethod
    def from_yaml(cls, path: Path | str) -> ExperimentConfig:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
        known = set(cls.__dataclass_fields__)
        unknown = set(raw) - known
        if unknown:
            raise ValueError(f"unknown keys in experiment config {path}: {sorted(unknown)}")
        if not raw.get("data"):
            raise ValueError(f"experiment config {path} needs `data`")
        return cls(**raw)


@dataclass
class RunResult:
    run_dir: Path
    best: Path | None
    last: Path | None
    metrics: dict[str, float]
    epochs_run: int
    seconds: float


def _resolve(p: str, base: Path) -> Path:
    path = Path(p).expanduser()
    return path if path.is_absolute() else (base / path).resolve()


def prepare_data(cfg: ExperimentConfig, run_dir: Path, base: Path) -> tuple[Path, dict]:
    source = _resolve(cfg.data, base)
    if source.is_file() and source.suffix in {".yaml", ".yml"}:
        return source, {}
    report = import_dataset(
        source,
        cfg.data_format,
        run_dir / "dataset",  # type: ignore[arg-type]
        dedupe_splits=("train",) if cfg.dedupe_train else (),
        dedupe_copy=cfg.dedupe_copy,
    )
    return report.data_yaml, report.to_dict()  # type: ignore[return-value]


def _epoch_logger(path: Path):
    """Append one JSON line per epoch. Ultralytics calls the same hook once more after training for the
    final validation of best.pt (with ``epoch`` bumped by one); that row is tagged ``final_eval_best``."""
    state = {"last": 0}

    def on_fit_epoch_end(trainer) -> None:
        epoch = trainer.epoch + 1
        final = _is_final(trainer)
        losses = trainer.label_loss_items(trainer.tloss)
        row = {
            "epoch": epoch,
            "planned_epochs": trainer.epochs,
            "time": round(time.time(), 1),
            "final_eval_best": bool(final),
            **{k: round(float(v), 5) for k, v in (trainer.metrics or {}).items()},
            **{k: round(float(v), 5) for k, v in losses.items()},
        }
        state["last"] = max(state["last"], epoch)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(row) + "\n")

    return on_fit_epoch_end


def _is_final(trainer) -> bool:
    """True inside ``final_eval``: the validator has just been run on best.pt after the loop ended."""
    import inspect

    return any(frame.function == "final_eval" for frame in inspect.stack(context=0)[:6])


def train(config_path: Path | str, *, run_dir: Path | None = None) -> RunResult:
    from ultralytics import YOLO

    config_path = Path(config_path).resolve()
    cfg = ExperimentConfig.from_yaml(config_path)
    base = REPO_ROOT
    if run_dir is None:
        run_dir = _resolve(cfg.project, base) / f"{cfg.name}-{time.strftime('%Y%m%d-%H%M%S')}"
    run_dir = Path(run_dir).resolve()
    run_dir.mkdir(parents=True, exist_ok=True)
    (run_dir / "config.yaml").write_text(yaml.safe_dump(asdict(cfg), allow_unicode=True, sort_keys=False))
    data_yaml, import_report = prepare_data(cfg, run_dir, base)

    # A local checkpoint (a stage that continues an earlier run) is resolved like every other path; a bare
    # packaged yaml name is left for ultralytics to find.
    model = YOLO(str(_resolve(cfg.model, base)) if cfg.model.endswith(".pt") else cfg.model)
    model.add_callback("on_fit_epoch_end", _epoch_logger(run_dir / "metrics.jsonl"))
    args: dict[str, Any] = dict(
        data=str(data_yaml),
        imgsz=cfg.imgsz,
        epochs=cfg.epochs,
        batch=cfg.batch,
        nbs=cfg.batch,
        seed=cfg.seed,
        deterministic=True,
        device=cfg.device,
        workers=cfg.workers,
        patience=cfg.patience,
        amp=False,
        plots=False,
        project=str(run_dir),
        name="train",
        exist_ok=True,
        # ultralytics builds a fresh, randomly initialised model when pretrained=False, even from a .pt: a stage
        # that continues a checkpoint must say True or it silently trains from scratch.
        pretrained=cfg.model.endswith(".pt"),
        verbose=True,
    )
    if cfg.time_hours:
        args["time"] = cfg.time_hours
    args.update(cfg.train_args)
    started = time.time()
    model.train(**args)
    seconds = time.time() - started
    weights = run_dir / "train" / "weights"
    best = weights / "best.pt" if (weights / "best.pt").exists() else None
    last = weights / "last.pt" if (weights / "last.pt").exists() else None
    metrics = read_final_metrics(run_dir)
    epochs_run = len(read_epoch_metrics(run_dir))
    write_model_card(
        run_dir / "MODEL_CARD.md",
        cfg=asdict(cfg),
        data_yaml=data_yaml,
        import_report=import_report,
        metrics=metrics,
        epochs_run=epochs_run,
        seconds=seconds,
        taxonomy=default_taxonomy(),
    )
    return RunResult(run_dir, best, last, metrics, epochs_run, seconds)


def read_epoch_metrics(run_dir: Path, include_final: bool = False) -> list[dict]:
    path = Path(run_dir) / "metrics.jsonl"
    if not path.exists():
        return []
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows if include_final else [r for r in rows if not r.get("final_eval_best")]


def read_final_metrics(run_dir: Path) -> dict[str, float]:
    """Metrics of the best epoch (highest ultralytics fitness ~ mAP50-95) seen in ``metrics.jsonl``."""
    rows = read_epoch_metrics(run_dir)
    if not rows:
        return {}
    best = max(rows, key=lambda r: 0.1 * r.get("metrics/mAP50(B)", 0) + 0.9 * r.get("metrics/mAP50-95(B)", 0))
    return {k: v for k, v in best.items() if k.startswith("metrics/") or k == "epoch"}


def export_weights(checkpoint: Path, dest: Path) -> Path:
    """Copy a checkpoint without optimizer state (a few MB) to ``dest``."""
    import shutil

    from ultralytics.utils.torch_utils import strip_optimizer

    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_suffix(".tmp.pt")
    shutil.copyfile(checkpoint, tmp)
    strip_optimizer(str(tmp))
    tmp.replace(dest)
    return dest
