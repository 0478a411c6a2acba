"""Import labelled photos (Pascal VOC, COCO JSON, YOLO txt) into one YOLO dataset folder.

Why one importer: training and evaluation both read a YOLO folder with absolute paths in
``data.yaml`` (ultralytics resolves relative paths against its own settings, which differs between
machines). Bad files are collected in an :class:`ImportReport` with stable codes instead of crashing
the import or being dropped silently: ``missing_image``, ``not_an_image``, ``bad_annotation``,
``box_outside_image`` (clipped when it overlaps the image, dropped otherwise; reported either way),
``unknown_label``, ``empty_box``.
"""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import yaml
from PIL import Image, UnidentifiedImageError

from vision.taxonomy import Taxonomy, UnknownLabel, default_taxonomy

Format = Literal["voc", "coco", "yolo"]
IMAGE_EXTS = {".jpg", ".jpeg", ".png", ".bmp", ".webp"}
SPLIT_NAMES = {"train": "train", "valid": "val", "val": "val", "test": "test"}
EDGE_TOLERANCE_PX = 1.0  # exporters often write xmax = width (or width + 1); that is not an error
_ROBOFLOW_KEY = re.compile(r"^(?P<key>.+?)_(jpg|jpeg|png)\.rf\.[0-9a-f]+$", re.IGNORECASE)


@dataclass(frozen=True)
class Box:
    label: str  # taxonomy id
    x1: float
    y1: float
    x2: float
    y2: float


@dataclass
class Sample:
    image: Path
    width: int
    height: int
    boxes: list[Box]


@dataclass(frozen=True)
class Problem:
    file: str
    code: str
    detail: str


@dataclass
class ImportReport:
    images: int = 0
    boxes: int = 0
    per_label: Counter = field(default_factory=Counter)
    per_split: Counter = field(default_factory=Counter)
    duplicates_skipped: int = 0
    problems: list[Problem] = field(default_factory=list)
    data_yaml: Path | None = None

    def add(self, file: Path | str, code: str, detail: str) -> None:
        self.problems.append(Problem(str(file), code, detail))

    def codes(self) -> Counter:
        return Counter(p.code for p in self.problems)

    def to_dict(self) -> dict:
        return {
            "images": self.images,
            "boxes": self.boxes,
            "per_label": dict(self.per_label),
            "per_split": dict(self.per_split),
            "duplicates_skipped": self.duplicates_skipped,
            "problems": [p.__dict__ for p in self.problems],
            "problem_codes": dict(self.codes()),
            "data_yaml": str(self.data_yaml) if self.data_yaml else None,
        }


def source_key(path: Path) -> str:
    """Roboflow names augmented copies ``levle0_12_jpg.rf.HASH``; the key is the source photo."""
    m = _ROBOFLOW_KEY.match(path.stem)
    return m.group("key") if m else path.stem


def _image_size(path: Path, report: ImportReport) -> tuple[int, int] | None:
    if not path.exists():
        report.add(path, "missing_image", "annotation names an image that does not exist")
        return None
    try:
        with Image.open(path) as im:
            im.verify()
        with Image.open(path) as im:
            return im.size
    except (UnidentifiedImageError, OSError, SyntaxError) as exc:
        report.add(path, "not_an_image", f"cannot decode: {exc}")
        return None
    except Exception as exc:  # e.g. ultralytics' PIL.Image.open patch raising ImportError offline
        report.add(path, "not_an_image", f"cannot decode: {type(exc).__name__}: {exc}")
        return None


def _check_box(
    file: Path,
    raw_label: str,
    x1: float,
    y1: float,
    x2: float,
    y2: float,
    w: int,
    h: int,
    taxonomy: Taxonomy,
    report: ImportReport,
) -> Box | None:
    try:
        label = taxonomy.resolve(raw_label)
    except UnknownLabel:
        report.add(file, "unknown_label", f"label {raw_label!r} is not in the taxonomy")
        return None
    t = EDGE_TOLERANCE_PX
    if x1 < -t or y1 < -t or x2 > w + t or y2 > h + t:
        cx1, cy1, cx2, cy2 = max(0.0, x1), max(0.0, y1), min(float(w), x2), min(float(h), y2)
        if cx2 - cx1 < 1 or cy2 - cy1 < 1:
            report.add(
                file, "box_outside_image", f"{raw_label} box {x1, y1, x2, y2} outside {w}x{h}: dropped"
            )
            return None
        report.add(file, "box_outside_image", f"{raw_label} box {x1, y1, x2, y2} outside {w}x{h}: clipped")
        x1, y1, x2, y2 = cx1, cy1, cx2, cy2
    x1, y1, x2, y2 = max(0.0, x1), max(0.0, y1), min(float(w), x2), min(float(h), y2)
    if x2 - x1 < 1 or y2 - y1 < 1:
        report.add(file, "empty_box", f"{raw_label} box {x1, y1, x2, y2} has no area")
        return None
    return Box(label, x1, y1, x2, y2)


def _images_in(directory: Path) -> list[Path]:
    return sorted(p for p in directory.rglob("*") if p.suffix.lower() in IMAGE_EXTS and p.is_file())


def read_voc(directory: Path, taxonomy: Taxonomy, report: ImportReport) -> list[Sample]:
    samples: list[Sample] = []
    seen_images: set[Path] = set()
    for xml_path in sorted(directory.rglob("*.xml")):
        try:
            root = ET.parse(xml_path).getroot()
        except ET.ParseError as exc:
            report.add(xml_path, "bad_annotation", f"XML does not parse: {exc}")
            continue
        filename = (root.findtext("filename") or "").strip()
        image = xml_path.with_name(filename) if filename else None
        if image is None or not image.exists():
            candidates = [xml_path.with_suffix(e) for e in (".jpg", ".jpeg", ".png")]
            image = next((c for c in candidates if c.exists()), image or candidates[0])
        size = _image_size(image, report)
        if size is None:
            continue
        seen_images.add(image.resolve())
        w, h = size
        boxes = []
        for obj in root.iter("object"):
            bb = obj.find("bndbox")
            name = obj.findtext("name") or ""
            try:
                coords = [float(bb.findtext(k)) for k in ("xmin", "ymin", "xmax", "ymax")]  # type: ignore[union-attr]
            except (AttributeError, TypeError, ValueError):
                report.add(xml_path, "bad_annotation", f"object {name!r} has no numeric bndbox")
                continue
            box = _check_box(xml_path, name, *coords, w, h, taxonomy, report)
            if box:
                boxes.append(box)
        samples.append(Sample(image, w, h, boxes))
    for image in _images_in(directory):
        if image.resolve() not in seen_images and not image.with_suffix(".xml").exists():
            report.add(image, "missing_annotation", "image has no annotation file: imported as background")
            size = _image_size(image, report)
            if size:
                samples.append(Sample(image, size[0], size[1], []))
    return samples


def read_coco(source: Path, taxonomy: Taxonomy, report: ImportReport) -> list[Sample]:
    json_files = [source] if source.is_file() else sorted(source.glob("*.json"))
    samples: list[Sample] = []
    for jf in json_files:
        try:
            coco = json.loads(jf.read_text(encoding="utf-8"))
            categories = {c["id"]: c["name"] for c in coco["categories"]}
            images = {im["id"]: im for im in coco["images"]}
        except (json.JSONDecodeError, KeyError, TypeError) as exc:
            report.add(jf, "bad_annotation", f"not a COCO detection file: {exc}")
            continue
        by_image: dict[int, list[dict]] = {}
        for ann in coco.get("annotations", []):
            by_image.setdefault(ann.get("image_id"), []).append(ann)
        for image_id, im in images.items():
            path = jf.parent / im["file_name"]
            if not path.exists() and (jf.parent / "images" / im["file_name"]).exists():
                path = jf.parent / "images" / im["file_name"]
            size = _image_size(path, report)
            if size is None:
                continue
            w, h = size
            boxes = []
            for ann in by_image.get(image_id, []):
                try:
                    x, y, bw, bh = (float(v) for v in ann["bbox"])
                    name = categories[ann["category_id"]]
                except (KeyError, TypeError, ValueError) as exc:
                    report.add(jf, "bad_annotation", f"annotation {ann.get('id')}: {exc}")
                    continue
                box = _check_box(path, name, x, y, x + bw, y + bh, w, h, taxonomy, report)
                if box:
                    boxes.append(box)
            samples.append(Sample(path, w, h, boxes))
    return samples


def _yolo_class_names(directory: Path) -> list[str] | None:
    # the folder itself, or a split folder inside a YOLO dataset (dataset/images/val -> dataset/data.yaml)
    candidates = [directory / "data.yaml", directory / "classes.txt", directory.parent / "data.yaml",
                  directory.parent.parent / "data.yaml"]
    for cand in candidates:
        if cand.exists():
            if cand.suffix == ".txt":
                return [ln.strip() for ln in cand.read_text(encoding="utf-8").splitlines() if ln.strip()]
            names = (yaml.safe_load(cand.read_text(encoding="utf-8")) or {}).get("names")
            if isinstance(names, dict):
                return [names[k] for k in sorted(names)]
            if isinstance(names, list):
                return names
    return None


def _yolo_label_path(image: Path) -> Path:
    parts = list(image.parts)
    if "images" in parts:
        i = len(parts) - 1 - parts[::-1].index("images")
        parts[i] = "labels"
        return Path(*parts).with_suffix(".txt")
    return image.with_suffix(".txt")


def read_yolo(directory: Path, taxonomy: Taxonomy, report: ImportReport) -> list[Sample]:
    names = _yolo_class_names(directory) or taxonomy.ids
    samples: list[Sample] = []
    for image in _images_in(directory):
        size = _image_size(image, report)
        if size is None:
            continue
        w, h = size
        label_file = _yolo_label_path(image)
        boxes = []
        if label_file.exists():
            for n, line in enumerate(label_file.read_text(encoding="utf-8").splitlines(), 1):
                if not line.strip():
                    continue
                try:
                    cls_s, *vals = line.split()
                    cls = int(cls_s)
                    cx, cy, bw, bh = (float(v) for v in vals[:4])
                    if len(vals) != 4:
                        raise ValueError("expected 5 fields")
                except ValueError as exc:
                    report.add(label_file, "bad_annotation", f"line {n}: {exc}")
                    continue
                if not 0 <= cls < len(names):
                    report.add(label_file, "unknown_label", f"line {n}: class index {cls} has no name")
                    continue
                box = _check_box(
                    label_file,
                    names[cls],
                    (cx - bw / 2) * w,
                    (cy - bh / 2) * h,
                    (cx + bw / 2) * w,
                    (cy + bh / 2) * h,
                    w,
                    h,
                    taxonomy,
                    report,
                )
                if box:
                    boxes.append(box)
        else:
            report.add(image, "missing_annotation", "image has no label file: imported as background")
        samples.append(Sample(image, w, h, boxes))
    # label files without an image
    for label_file in sorted(directory.rglob("*.txt")):
        if label_file.name == "classes.txt":
            continue
        stem_images = [label_file.with_suffix(e) for e in IMAGE_EXTS]
        img_dir_candidates = [
            Path(str(label_file.parent).replace("labels", "images")) / (label_file.stem + e)
            for e in IMAGE_EXTS
        ]
        if not any(p.exists() for p in stem_images + img_dir_candidates):
            report.add(label_file, "missing_image", "label file has no image")
    return samples


READERS = {"voc": read_voc, "coco": read_coco, "yolo": read_yolo}


def read_samples(
    source: Path, fmt: Format, taxonomy: Taxonomy | None = None, report: ImportReport | None = None
) -> tuple[list[Sample], ImportReport]:
    """Read one folder (or COCO file) into samples with boxes in pixels and taxonomy labels."""
    if fmt not in READERS:
        raise ValueError(f"unknown format {fmt!r}; use voc, coco or yolo")
    report = report or ImportReport()
    source = Path(source)
    if not source.exists():
        raise FileNotFoundError(f"dataset folder not found: {source}")
    return READERS[fmt](source, taxonomy or default_taxonomy(), report), report


def dedupe_by_source(samples: list[Sample], copy: int = 0) -> tuple[list[Sample], int]:
    """Keep one augmented copy per source photo: the ``copy``-th by file name (modulo the number of copies),
    so the choice is stable and a later training stage can see a different augmentation of every photo."""
    copies: dict[str, list[Sample]] = {}
    for s in sorted(samples, key=lambda s: s.image.name):
        copies.setdefault(source_key(s.image), []).append(s)
    kept = [group[copy % len(group)] for group in copies.values()]
    return kept, len(samples) - len(kept)


def detect_splits(source: Path) -> dict[str, Path]:
    """``{yolo split: folder}`` for ``train/ valid/ test/`` subfolders; the folder itself as ``val`` else."""
    if source.is_dir():
        found = {
            SPLIT_NAMES[p.name]: p for p in sorted(source.iterdir()) if p.is_dir() and p.name in SPLIT_NAMES
        }
        if found:
            return found
    return {"val": source}


def write_yolo_dataset(
    splits: dict[str, list[Sample]], out_dir: Path, taxonomy: Taxonomy, report: ImportReport
) -> Path:
    out_dir = Path(out_dir).resolve()
    for split, samples in splits.items():
        img_dir, lab_dir = out_dir / "images" / split, out_dir / "labels" / split
        for d in (img_dir, lab_dir):
            if d.exists():
                shutil.rmtree(d)
            d.mkdir(parents=True)
        used: set[str] = set()
        for s in samples:
            name = s.image.name if s.image.name not in used else f"{len(used)}_{s.image.name}"
            used.add(name)
            shutil.copyfile(s.image, img_dir / name)
            lines = []
            for b in s.boxes:
                cx, cy = (b.x1 + b.x2) / 2 / s.width, (b.y1 + b.y2) / 2 / s.height
                bw, bh = (b.x2 - b.x1) / s.width, (b.y2 - b.y1) / s.height
                lines.append(f"{taxonomy.index(b.label)} {cx:.6f} {cy:.6f} {bw:.6f} {bh:.6f}")
                report.per_label[b.label] += 1
            (lab_dir / name).with_suffix(".txt").write_text("\n".join(lines) + ("\n" if lines else ""))
            report.images += 1
            report.boxes += len(s.boxes)
            report.per_split[split] += 1
    data = {"path": str(out_dir), "names": taxonomy.names()}
    for split in splits:
        data[split] = str(out_dir / "images" / split)
    if "val" not in data and "train" in data:
        data["val"] = data["train"]
    if "train" not in data and "val" in data:
        data["train"] = data["val"]
    data_yaml = out_dir / "data.yaml"
    data_yaml.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    (out_dir / "import_report.json").write_text(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    report.data_yaml = data_yaml
    return data_yaml


def import_dataset(
    source: Path | str,
    fmt: Format,
    out_dir: Path | str,
    *,
    taxonomy: Taxonomy | None = None,
    dedupe_splits: tuple[str, ...] = (),
    dedupe_copy: int = 0,
    max_per_split: int | None = None,
) -> ImportReport:
    """Import ``source`` (split subfolders or a single folder) into ``out_dir`` as a YOLO dataset."""
    taxonomy = taxonomy or default_taxonomy()
    report = ImportReport()
    source = Path(source)
    split_dirs = {"val": source} if fmt == "coco" and source.is_file() else detect_splits(source)
    splits: dict[str, list[Sample]] = {}
    for split, folder in split_dirs.items():
        samples, _ = read_samples(folder, fmt, taxonomy, report)
        if split in dedupe_splits:
            samples, dropped = dedupe_by_source(samples, dedupe_copy)
            report.duplicates_skipped += dropped
        if max_per_split:
            samples = samples[:max_per_split]
        splits[split] = samples
    write_yolo_dataset(splits, Path(out_dir), taxonomy, report)
    return report
