"""Synthetic skin photos with tiny lesions at known positions, for tests, benchmarks and sanity checks.

Why synthetic: tests need photos at kiosk resolution (8-12 MP) whose lesion positions and labels are
known exactly, without shipping patient photos. Lesion colours are computed *relative to the local skin
colour* with a minimum contrast, so lesions stay visible on dark skin (a fixed "red" would vanish
there). Everything is drawn from ``numpy.random.default_rng(seed)``: same seed, same photo.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

# Approximate sRGB skin colours from very light to very dark (Fitzpatrick I-VI-like range).
SKIN_TONES: dict[str, tuple[int, int, int]] = {
    "very_light": (241, 214, 196),
    "light": (226, 188, 160),
    "medium": (198, 146, 110),
    "tan": (164, 112, 80),
    "brown": (120, 78, 54),
    "dark": (82, 54, 40),
}
LESION_LABELS = ("papule", "pustule", "nodule_cyst", "comedone")
# Lesion diameter range in pixels *at a 4000x3000 (12 MP) photo*, scaled with the image's shorter side.
DIAMETER_12MP: dict[str, tuple[int, int]] = {
    "papule": (14, 30),
    "pustule": (12, 26),
    "nodule_cyst": (28, 48),
    "comedone": (6, 12),
}
MIN_CONTRAST = 38.0  # minimum mean |RGB difference| between a lesion's core and the skin around it


@dataclass(frozen=True)
class SyntheticLesion:
    label: str
    box: tuple[int, int, int, int]


def _tone_rgb(skin_tone: str | float | tuple[int, int, int]) -> np.ndarray:
    if isinstance(skin_tone, str):
        return np.array(SKIN_TONES[skin_tone], dtype=np.float32)
    if isinstance(skin_tone, (int, float)):  # 0 = very light ... 1 = dark
        keys = list(SKIN_TONES)
        pos = min(max(float(skin_tone), 0.0), 1.0) * (len(keys) - 1)
        lo, hi = int(np.floor(pos)), int(np.ceil(pos))
        a, b = np.array(SKIN_TONES[keys[lo]], np.float32), np.array(SKIN_TONES[keys[hi]], np.float32)
        return a + (b - a) * (pos - lo)
    return np.array(skin_tone, dtype=np.float32)


def _smooth_noise(rng: np.random.Generator, h: int, w: int, cells: int) -> np.ndarray:
    import cv2

    small = rng.standard_normal((max(2, cells * h // max(h, w)), max(2, cells * w // max(h, w)))).astype(
        np.float32
    )
    return cv2.resize(small, (w, h), interpolation=cv2.INTER_CUBIC)


def _skin(rng: np.random.Generator, w: int, h: int, base: np.ndarray) -> np.ndarray:
    shade = 1.0 + 0.07 * _smooth_noise(rng, h, w, 6) + 0.025 * _smooth_noise(rng, h, w, 40)
    img = base[None, None, :] * shade[..., None]
    # pores / fine texture: small-amplitude high-frequency noise, lighter on dark skin
    grain = rng.normal(0.0, 1.0, (h, w)).astype(np.float32) * (2.5 + base.mean() / 60.0)
    img += grain[..., None]
    return img


def _lesion_colour(
    label: str, local: np.ndarray, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray | None]:
    """(rim colour, centre colour or None) relative to the local skin colour ``local`` (RGB float)."""
    lum = float(local.mean())
    if label == "comedone":
        # blackhead: a dark plug, always darker than the skin; whitehead: a pale dome
        blackhead = rng.random() < 0.5
        return (local * 0.35 if blackhead else local + (255 - local) * 0.55), None
    if label == "pustule":
        rim = local * np.array([1.0, 0.62, 0.6]) + np.array([30.0, 0, 0])
        centre = local + (np.array([250.0, 240, 200]) - local) * 0.75  # yellow-white pus point
        return rim, centre
    if label == "nodule_cyst":  # deeper, violaceous
        return local * np.array([0.78, 0.45, 0.55]) + np.array([25.0, 0, 10]), None
    # papule: red-brown raised spot; on dark skin inflammation shows darker rather than redder
    red = local * np.array([1.05, 0.6, 0.6]) + np.array([25.0 if lum > 110 else 0.0, 0, 0])
    return red, None


def _enforce_contrast(colour: np.ndarray, local: np.ndarray) -> np.ndarray:
    diff = colour - local
    mag = float(np.abs(diff).mean())
    if mag < MIN_CONTRAST:
        colour = local + diff * (MIN_CONTRAST / max(mag, 1e-3))
    return np.clip(colour, 0, 255)


def _draw(img: np.ndarray, label: str, cx: float, cy: float, r: float, rng: np.random.Generator) -> None:
    h, w, _ = img.shape
    x0, x1 = int(max(0, cx - 2 * r)), int(min(w, cx + 2 * r + 1))
    y0, y1 = int(max(0, cy - 2 * r)), int(min(h, cy + 2 * r + 1))
    patch = img[y0:y1, x0:x1]
    yy, xx = np.mgrid[y0:y1, x0:x1].astype(np.float32)
    d = np.sqrt((xx - cx) ** 2 + (yy - cy) ** 2) / r
    local = patch.reshape(-1, 3).mean(axis=0)
    rim, centre = _lesion_colour(label, local, rng)
    rim = _enforce_contrast(rim, local)
    alpha = np.clip(1.15 - d**2, 0, 1)[..., None]  # soft dome, edge fades within the box
    if label == "papule":  # raised: a highlight on the upper-left
        hl = np.clip(1 - np.sqrt((xx - cx + 0.35 * r) ** 2 + (yy - cy + 0.35 * r) ** 2) / (0.35 * r), 0, 1)
        patch[:] = patch * (1 - alpha) + rim * alpha + (18.0 * hl)[..., None]
    else:
        patch[:] = patch * (1 - alpha) + rim * alpha
    if centre is not None:
        c_alpha = np.clip(1.0 - (d / 0.45) ** 2, 0, 1)[..., None]
        patch[:] = patch * (1 - c_alpha) + _enforce_contrast(centre, local) * c_alpha


def make_photo(
    width: int = 4000,
    height: int = 3000,
    n_lesions: int = 30,
    seed: int = 0,
    skin_tone: str | float | tuple[int, int, int] = "medium",
    labels: tuple[str, ...] = LESION_LABELS,
    lesion_scale: float | None = None,
) -> tuple[Image.Image, list[tuple[str, tuple[int, int, int, int]]]]:
    """A skin-like RGB photo and its lesions as ``[(label, (x1, y1, x2, y2)), ...]`` in pixels.

    Lesions do not overlap and keep a margin from the border; sizes scale with the photo so a 12 MP
    photo has kiosk-like tiny lesions (6-48 px). ``lesion_scale=1.0`` keeps 12 MP lesion sizes on a small
    image (a crop of a kiosk photo)."""
    rng = np.random.default_rng(seed)
    base = _tone_rgb(skin_tone)
    img = _skin(rng, width, height, base)
    scale = lesion_scale if lesion_scale is not None else min(width, height) / 3000.0
    placed: list[tuple[float, float, float]] = []
    lesions: list[tuple[str, tuple[int, int, int, int]]] = []
    attempts = 0
    while len(lesions) < n_lesions and attempts < n_lesions * 200:
        attempts += 1
        label = labels[int(rng.integers(len(labels)))]
        lo, hi = DIAMETER_12MP[label]
        r = max(2.5, rng.uniform(lo, hi) * scale / 2)
        margin = 3 * r + 4
        if width <= 2 * margin or height <= 2 * margin:
            break
        cx, cy = rng.uniform(margin, width - margin), rng.uniform(margin, height - margin)
        if any((cx - px) ** 2 + (cy - py) ** 2 < (2.2 * (r + pr) + 4) ** 2 for px, py, pr in placed):
            continue
        _draw(img, label, cx, cy, r, rng)
        placed.append((cx, cy, r))
        lesions.append((label, (round(cx - r), round(cy - r), round(cx + r), round(cy + r))))
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB"), lesions


def write_dataset(
    out_dir: Path | str,
    n_images: int = 8,
    size: tuple[int, int] = (320, 320),
    n_lesions: int = 12,
    seed: int = 0,
    val_fraction: float = 0.25,
) -> Path:
    """A small labelled YOLO dataset of synthetic photos (mixed skin tones); returns its data.yaml.
    Used for the training smoke run and CLI tests, so they need no patient photos."""
    from vision.datasets import Box, ImportReport, Sample, write_yolo_dataset
    from vision.taxonomy import default_taxonomy

    out = Path(out_dir).resolve()
    src = out / "source"
    src.mkdir(parents=True, exist_ok=True)
    tones = list(SKIN_TONES)
    samples: list[Sample] = []
    for i in range(n_images):
        tone = tones[i % len(tones)]
        image, lesions = make_photo(
            size[0], size[1], n_lesions, seed=seed + i, skin_tone=tone, lesion_scale=1.0
        )
        path = src / f"synthetic_{seed + i:04d}.png"
        image.save(path)
        samples.append(Sample(path, size[0], size[1], [Box(lab, *box) for lab, box in lesions]))
    n_val = max(1, round(n_images * val_fraction))
    splits = {"train": samples[n_val:] or samples, "val": samples[:n_val]}
    return write_yolo_dataset(splits, out, default_taxonomy(), ImportReport())
