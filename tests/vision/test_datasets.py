from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml
from PIL import Image

from vision.datasets import Sample, dedupe_by_source, import_dataset, read_samples, source_key


def _img(path: Path, size=(200, 100)) -> None:
    Image.new("RGB", size, (200, 150, 120)).save(path)


def _voc(path: Path, image_name: str, objects: list[tuple[str, int, int, int, int]]) -> None:
    objs = "".join(
        f"<object><name>{n}</name><bndbox><xmin>{a}</xmin><ymin>{b}</ymin><xmax>{c}</xmax><ymax>{d}</ymax>"
        f"</bndbox></object>"
        for n, a, b, c, d in objects
    )
    path.write_text(f"<annotation><filename>{image_name}</filename>{objs}</annotation>", encoding="utf-8")


def _labels(out: Path, split: str) -> dict[str, list[list[float]]]:
    return {
        p.stem: [[float(v) for v in ln.split()] for ln in p.read_text().splitlines()]
        for p in sorted((out / "labels" / split).glob("*.txt"))
    }


def test_voc_import_and_bad_files(tmp_path: Path) -> None:
    src = tmp_path / "voc" / "valid"
    src.mkdir(parents=True)
    _img(src / "good.jpg")
    _voc(src / "good.xml", "good.jpg", [("papules", 10, 20, 30, 40), ("nodules and cysts", 100, 50, 140, 90)])
    _voc(src / "ghost.xml", "ghost.jpg", [("papules", 1, 1, 5, 5)])  # image missing
    _img(src / "edge.jpg")
    _voc(
        src / "edge.xml",
        "edge.jpg",
        [
            ("pustules", 180, 80, 260, 99),  # sticks out: clipped
            ("pustules", 300, 10, 340, 30),  # wholly outside: dropped
            ("freckle", 5, 5, 15, 15),
        ],
    )  # unknown label
    (src / "broken.xml").write_text("<annotation><filename>", encoding="utf-8")
    report = import_dataset(tmp_path / "voc", "voc", tmp_path / "out")
    codes = report.codes()
    assert codes["missing_image"] == 1
    assert codes["box_outside_image"] == 2
    assert codes["unknown_label"] == 1
    assert codes["bad_annotation"] == 1
    assert report.images == 2 and report.boxes == 3
    labels = _labels(tmp_path / "out", "val")
    assert labels["good"] == [[0, 0.1, 0.3, 0.1, 0.2], [2, 0.6, 0.7, 0.2, 0.4]]
    cls, cx, cy, w, h = labels["edge"][0]
    assert cls == 1 and cx + w / 2 == pytest.approx(1.0) and cy + h / 2 <= 1.0
    data = yaml.safe_load((tmp_path / "out" / "data.yaml").read_text())
    assert Path(data["val"]).is_absolute() and Path(data["train"]).is_absolute()
    assert data["names"] == {0: "papule", 1: "pustule", 2: "nodule_cyst", 3: "comedone"}
    saved = json.loads((tmp_path / "out" / "import_report.json").read_text())
    assert saved["problem_codes"]["missing_image"] == 1


def test_coco_import(tmp_path: Path) -> None:
    src = tmp_path / "coco"
    src.mkdir()
    _img(src / "a.jpg")
    (src / "not_image.jpg").write_text("nope")
    coco = {
        "images": [
            {"id": 1, "file_name": "a.jpg", "width": 200, "height": 100},
            {"id": 2, "file_name": "missing.jpg", "width": 200, "height": 100},
            {"id": 3, "file_name": "not_image.jpg", "width": 200, "height": 100},
        ],
        "categories": [{"id": 7, "name": "pustules"}, {"id": 9, "name": "mole"}],
        "annotations": [
            {"id": 1, "image_id": 1, "category_id": 7, "bbox": [20, 10, 40, 20]},
            {"id": 2, "image_id": 1, "category_id": 9, "bbox": [0, 0, 10, 10]},
            {"id": 3, "image_id": 1, "category_id": 7, "bbox": [190, 90, 50, 50]},
        ],
    }
    (src / "annotations.json").write_text(json.dumps(coco))
    samples, report = read_samples(src, "coco")
    assert [len(s.boxes) for s in samples] == [2]
    assert samples[0].boxes[0].label == "pustule"
    assert (samples[0].boxes[0].x1, samples[0].boxes[0].y2) == (20, 30)
    assert report.codes() == {
        "missing_image": 1,
        "not_an_image": 1,
        "unknown_label": 1,
        "box_outside_image": 1,
    }


def test_yolo_import(tmp_path: Path) -> None:
    src = tmp_path / "yolo"
    (src / "images").mkdir(parents=True)
    (src / "labels").mkdir()
    (src / "data.yaml").write_text(yaml.safe_dump({"names": ["whitehead and blackhead", "papules"]}))
    _img(src / "images" / "x.png")
    (src / "labels" / "x.txt").write_text(
        "0 0.5 0.5 0.1 0.2\n1 0.25 0.5 0.1 0.2\n5 0.5 0.5 0.1 0.1\n1 0.99 0.5 0.2 0.2\n"
    )
    (src / "labels" / "orphan.txt").write_text("0 0.5 0.5 0.1 0.1\n")
    samples, report = read_samples(src, "yolo")
    assert len(samples) == 1
    labels = [b.label for b in samples[0].boxes]
    assert labels == ["comedone", "papule", "papule"]
    b = samples[0].boxes[0]
    assert (b.x1, b.y1, b.x2, b.y2) == pytest.approx((90, 40, 110, 60))
    assert report.codes() == {"unknown_label": 1, "box_outside_image": 1, "missing_image": 1}


def test_unknown_format_and_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ValueError):
        read_samples(tmp_path, "csv")  # type: ignore[arg-type]
    with pytest.raises(FileNotFoundError):
        read_samples(tmp_path / "nope", "voc")


def test_roboflow_source_key() -> None:
    assert source_key(Path("levle0_12_jpg.rf.2809c8a0d7e1779910e9975cd0f98b71.jpg")) == "levle0_12"
    assert source_key(Path("plain_photo.jpg")) == "plain_photo"


def test_acne04_dedupes_to_one_copy_per_photo(acne04: Path, tmp_path: Path) -> None:
    src = tmp_path / "sub" / "train"
    src.mkdir(parents=True)
    files = sorted((acne04 / "train").glob("levle1_1*_jpg.rf.*.xml"))[:12]
    for xml in files:
        for f in (xml, xml.with_suffix(".jpg")):
            (src / f.name).symlink_to(f)
    keys = {source_key(f) for f in files}
    report = import_dataset(tmp_path / "sub", "voc", tmp_path / "out", dedupe_splits=("train",))
    assert report.per_split["train"] == len(keys) < len(files)
    assert report.duplicates_skipped == len(files) - len(keys)


def test_dedupe_copy_picks_another_augmentation_of_each_photo(acne04: Path) -> None:
    """A later training stage asks for copy 1: the same photos, the next Roboflow copy of each by file name
    (a photo with a single copy keeps it instead of being dropped)."""
    files = sorted((acne04 / "train").glob("levle1_1*_jpg.rf.*.xml"))[:12]
    samples = [Sample(image=f.with_suffix(".jpg"), width=640, height=640, boxes=[]) for f in files]
    groups: dict[str, list[str]] = {}
    for f in files:
        groups.setdefault(source_key(f), []).append(f.with_suffix(".jpg").name)
    assert any(len(g) > 1 for g in groups.values())
    for copy in (0, 1, 2):
        kept, dropped = dedupe_by_source(samples, copy)
        assert sorted(s.image.name for s in kept) == sorted(g[copy % len(g)] for g in groups.values())
        assert dropped == len(files) - len(groups)
