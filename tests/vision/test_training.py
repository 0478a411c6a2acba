from __future__ import annotations

import json
from pathlib import Path

import yaml
from typer.testing import CliRunner

from api.cli.main import app
from vision.detector import Detector
from vision.synthetic import write_dataset


def test_tiny_training_run_writes_a_complete_run_folder(tmp_path: Path) -> None:
    data_yaml = write_dataset(tmp_path / "ds", n_images=6, size=(128, 128), n_lesions=4)
    config = tmp_path / "smoke.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "smoke",
                "model": "yolo11n.yaml",
                "data": str(data_yaml),
                "imgsz": 64,
                "epochs": 1,
                "batch": 2,
                "seed": 1,
                "project": str(tmp_path / "runs"),
                "train_args": {"cache": False, "warmup_epochs": 0},
            }
        )
    )
    res = CliRunner().invoke(app, ["train", str(config)])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    run = Path(out["run_dir"])
    assert run.parent == tmp_path / "runs"
    assert yaml.safe_load((run / "config.yaml").read_text())["imgsz"] == 64
    rows = [json.loads(x) for x in (run / "metrics.jsonl").read_text().splitlines()]
    assert [r["epoch"] for r in rows if not r["final_eval_best"]] == [1]
    assert "metrics/mAP50(B)" in rows[0]
    card = (run / "MODEL_CARD.md").read_text()
    assert (
        "CC BY 4.0" in card and "Wu et al." in card and "acne04-detection" in card and "nodule_cyst" in card
    )
    best = Path(out["best"])
    assert best.exists()
    det = Detector(best, slice_size=128)
    assert set(det.label_names.values()) == {"papule", "pustule", "nodule_cyst", "comedone"}


def test_a_stage_that_continues_a_checkpoint_starts_from_its_weights(tmp_path: Path) -> None:
    """ultralytics re-initialises the model when told pretrained=False, even when given a .pt; with a zero
    learning rate the convolution weights after one epoch must still be the checkpoint's own."""
    import torch

    from vision.training import train

    data_yaml = write_dataset(tmp_path / "ds", n_images=4, size=(128, 128), n_lesions=3)
    shipped = Path(__file__).resolve().parents[2] / "vision" / "weights" / "skinchat-acne-yolo.pt"
    config = tmp_path / "stage.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": "stage",
                "model": str(shipped),
                "data": str(data_yaml),
                "imgsz": 64,
                "epochs": 1,
                "batch": 2,
                "project": str(tmp_path / "runs"),
                "train_args": {
                    "cache": False,
                    "warmup_epochs": 0,
                    "optimizer": "SGD",
                    "lr0": 0.0,
                    "lrf": 1.0,
                    "weight_decay": 0.0,
                },
            }
        )
    )
    result = train(config, run_dir=tmp_path / "run")
    assert result.last is not None

    def conv_weights(path: Path) -> dict[str, torch.Tensor]:
        ckpt = torch.load(path, map_location="cpu", weights_only=False)
        model = ckpt.get("ema") or ckpt["model"]
        return {k: v.float() for k, v in model.state_dict().items() if k.endswith("conv.weight")}

    before, after = conv_weights(shipped), conv_weights(result.last)
    assert before.keys() == after.keys() and len(before) > 20
    assert all(torch.allclose(before[k], after[k], atol=1e-3) for k in before)
