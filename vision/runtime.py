"""Offline settings for ultralytics and matplotlib, applied once when ``vision`` is imported.

Why: the kiosk and CI have no network. Ultralytics otherwise tries to download a plotting font
(Arial.ttf), check for updates, auto-install packages and send telemetry, and matplotlib wants a
writable cache folder. These variables must be set *before* ultralytics is first imported, which is
why ``vision/__init__.py`` calls :func:`apply_offline_settings` at import time.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
SHIPPED_CONFIG_DIR = PACKAGE_DIR / "yolo_config"
FONT_NAME = "Arial.ttf"  # the name ultralytics looks for; the file is DejaVu Sans (see yolo_config/README.md)


def _writable(directory: Path) -> bool:
    try:
        directory.mkdir(parents=True, exist_ok=True)
        probe = directory / ".write-probe"
        probe.write_text("ok")
        probe.unlink()
        return True
    except OSError:
        return False


def _config_dir() -> Path:
    """The shipped folder when it is writable (a checkout), else a writable copy (a read-only install)."""
    if _writable(SHIPPED_CONFIG_DIR / "Ultralytics"):
        return SHIPPED_CONFIG_DIR
    fallback = Path(tempfile.gettempdir()) / "skinchat-yolo-config"
    (fallback / "Ultralytics").mkdir(parents=True, exist_ok=True)
    font = fallback / "Ultralytics" / FONT_NAME
    if not font.exists():
        shutil.copyfile(SHIPPED_CONFIG_DIR / "Ultralytics" / FONT_NAME, font)
    return fallback


def apply_offline_settings() -> dict[str, str]:
    """Set the environment ultralytics/matplotlib read at import. Explicit user values are kept,
    except the offline switches, which are always forced on."""
    os.environ["YOLO_OFFLINE"] = "1"
    os.environ["YOLO_AUTOINSTALL"] = "False"
    os.environ.setdefault("YOLO_VERBOSE", "False")
    os.environ.setdefault("YOLO_CONFIG_DIR", str(_config_dir()))
    if "MPLCONFIGDIR" not in os.environ:
        mpl = Path(tempfile.gettempdir()) / "skinchat-mplconfig"
        mpl.mkdir(parents=True, exist_ok=True)
        os.environ["MPLCONFIGDIR"] = str(mpl)
    os.environ.setdefault("MPLBACKEND", "Agg")
    return {k: os.environ[k] for k in ("YOLO_OFFLINE", "YOLO_AUTOINSTALL", "YOLO_CONFIG_DIR", "MPLCONFIGDIR")}


def disable_ultralytics_network() -> None:
    """After import: switch off ultralytics' settings-level sync/telemetry as a second belt."""
    try:
        from ultralytics.utils import SETTINGS

        SETTINGS.update({"sync": False, "hub": False} if "hub" in SETTINGS else {"sync": False})
    except Exception:  # settings are a convenience; never block detection on them
        pass
