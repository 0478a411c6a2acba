"""SkinChat vision: photo checks, SAHI-sliced acne lesion detection, training and evaluation.

A library: it never imports ``api`` or ``kiosk``. Importing it applies the offline settings that
ultralytics and matplotlib need (see ``vision/runtime.py``), so import ``vision`` before ``ultralytics``.
"""

from vision.runtime import apply_offline_settings

apply_offline_settings()

__all__ = ["apply_offline_settings"]
