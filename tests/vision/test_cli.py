from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from api.cli.main import app
from vision.synthetic import make_photo, write_dataset

runner = CliRunner()


@pytest.fixture(scope="module")
def photo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("cli") / "face.jpg"
    image, _ = make_photo(1280, 960, 12, seed=4, skin_tone="light", lesion_scale=1.0)
    image.save(path, quality=92)
    return path


def test_analyze_json_shape(photo_file: Path, shipped_weights: Path, tmp_path: Path) -> None:
    overlay = tmp_path / "overlay.png"
    res = runner.invoke(
        app,
        [
            "analyze",
            str(photo_file),
            "--json",
            "--weights",
            str(shipped_weights),
            "--overlay",
            str(overlay),
            "--confidence",
            "0.05",
        ],
    )
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    assert set(data) >= {"lesions", "counts", "grade", "timing_ms"}
    assert set(data["counts"]) == {"papule", "pustule", "nodule_cyst", "comedone"}
    assert sum(data["counts"].values()) == len(data["lesions"])
    for les in data["lesions"]:
        assert set(les) == {"label", "confidence", "box"}
        x1, y1, x2, y2 = les["box"]
        assert 0 <= x1 < x2 <= 1280 and 0 <= y1 < y2 <= 960
        assert les["label"] in data["counts"]
    assert data["grade"]["level"] in (0, 1, 2, 3) and data["grade"]["name"]
    assert data["timing_ms"]["total_ms"] > 0
    assert Image.open(overlay).size == (1280, 960)


def test_analyze_bad_inputs(tmp_path: Path, shipped_weights: Path) -> None:
    res = runner.invoke(app, ["analyze", str(tmp_path / "missing.jpg"), "--json"])
    assert res.exit_code != 0 and "not found" in res.output
    text = tmp_path / "note.jpg"
    text.write_text("not a photo")
    res = runner.invoke(app, ["analyze", str(text), "--json", "--weights", str(shipped_weights)])
    assert res.exit_code != 0
    assert json.loads(res.stdout)["rejected"]["code"] == "not_an_image"
    res = runner.invoke(app, ["analyze", str(text), "--weights", str(tmp_path / "none.pt")])
    assert res.exit_code != 0


def test_eval_vision_json(tmp_path: Path, shipped_weights: Path) -> None:
    data_yaml = write_dataset(tmp_path / "ds", n_images=9, size=(640, 640), n_lesions=6, val_fraction=1.0)
    res = runner.invoke(
        app,
        [
            "eval",
            "vision",
            "--data",
            str(data_yaml.parent / "images" / "val"),
            "--format",
            "yolo",
            "--json",
            "--weights",
            str(shipped_weights),
        ],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["images"] == 9
    for key in ("mAP50", "mAP50-95", "count_mae", "recall_by_size", "mosaic"):
        assert key in out
    assert set(out["recall_by_size"]) >= {"lt16", "16to32", "gt32", "all"}
    assert out["mosaic"]["mosaics"] == 1
    assert out["import_problems"] == {}
    assert 0.0 <= out["mAP50"] <= 1.0


def test_eval_vision_bad_inputs(tmp_path: Path) -> None:
    res = runner.invoke(app, ["eval", "vision", "--data", str(tmp_path / "nope"), "--format", "voc"])
    assert res.exit_code != 0 and "not found" in res.output
    res = runner.invoke(app, ["eval", "vision", "--data", str(tmp_path), "--format", "csv"])
    assert res.exit_code != 0 and "format" in res.output
    (tmp_path / "empty").mkdir()
    res = runner.invoke(app, ["eval", "vision", "--data", str(tmp_path / "empty"), "--format", "voc"])
    assert res.exit_code != 0 and "no labelled images" in res.output


def test_train_bad_config(tmp_path: Path) -> None:
    res = runner.invoke(app, ["train", str(tmp_path / "missing.yaml")])
    assert res.exit_code != 0
    bad = tmp_path / "bad.yaml"
    bad.write_text("model: yolo11n.yaml\nlearning_rate_typo: 3\ndata: x\n")
    res = runner.invoke(app, ["train", str(bad)])
    assert res.exit_code != 0 and "unknown keys" in res.output
