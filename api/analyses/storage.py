"""Where consented photos live: ``photos_dir/<clinic>/<yyyy-mm>/<analysis id>.jpg`` (+ ``_overlay.png``).

The stored photo is re-encoded from the decoded image, so EXIF (GPS, device) never reaches the disk.
"""

from __future__ import annotations

import os
from datetime import datetime
from pathlib import Path
from typing import Any


def paths_for(photos_dir: Path, clinic_id: str, analysis_id: str, when: datetime) -> tuple[Path, Path]:
    folder = photos_dir / clinic_id / when.strftime("%Y-%m")
    return folder / f"{analysis_id}.jpg", folder / f"{analysis_id}_overlay.png"


def write_atomic(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_bytes(data)
    os.replace(tmp, path)


def relative(photos_dir: Path, path: Path) -> str:
    """What the database keeps: the path under photos_dir, so the data folder can move between hosts
    (``./var`` in development, a shared volume in compose) without orphaning old photos."""
    return path.resolve().relative_to(photos_dir.resolve()).as_posix()


def inside(photos_dir: Path, path: str | None) -> Path | None:
    """The stored path, only if it is a file under photos_dir (never follow a path out of it).

    Relative paths are resolved against photos_dir; absolute ones (older rows) are accepted when inside it.
    """
    if not path:
        return None
    candidate = Path(path)
    resolved = (candidate if candidate.is_absolute() else photos_dir / candidate).resolve()
    try:
        resolved.relative_to(photos_dir.resolve())
    except ValueError:
        return None
    return resolved if resolved.is_file() else None


def delete_files(photos_dir: Path, *paths: str | None) -> int:
    deleted = 0
    for path in paths:
        target = inside(photos_dir, path)
        if target is not None:
            target.unlink(missing_ok=True)
            deleted += 1
    return deleted


def encode(image: Any, fmt: str) -> bytes:
    import io

    buffer = io.BytesIO()
    if fmt == "JPEG":
        image.convert("RGB").save(buffer, format="JPEG", quality=90)
    else:
        image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()
