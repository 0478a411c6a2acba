"""Photo checks before analysis: decode safely, orient, strip metadata, and ask for a retake when needed.

Why here and not in the API: every caller (kiosk upload, CLI, batch eval) must get the same answer for
the same bytes. A rejected photo is not an analysis: the caller shows ``message_ko``/``message_en`` and
asks for a retake. Codes are stable: ``not_an_image``, ``corrupt_image``, ``image_too_large``,
``decompression_bomb``, ``too_small``, ``too_dark``, ``too_blurry``.
"""

from __future__ import annotations

import io
import sys
import warnings
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

DEFAULT_MAX_BYTES = 25 * 1024 * 1024  # a 12 MP JPEG is 3-8 MB; PNG screenshots can be larger
DEFAULT_MAX_PIXELS = 50_000_000  # 50 MP: above any kiosk camera (8-12 MP), far below a bomb's billions
DEFAULT_MIN_SIDE = 480
# Quality thresholds, measured on a grey-level copy scaled to QUALITY_SIDE px on its long side.
DARK_MEAN_LUMA = (
    35.0  # 0-255; ACNE04 valid/ photos measure 56-137 (min-p95); a dim room without flash is below
)
BLUR_MIN_LAPLACIAN_VAR = 40.0  # ACNE04 valid/ (upscaled to 2560): >= 131; Gaussian-blurred copies: <= 17
QUALITY_SIDE = 640
# PIL's own bomb limit (2 x 89.5 MP) as a constant: ultralytics.data.utils sets PIL.Image.MAX_IMAGE_PIXELS = None
# (seen during the test suite), which switches PIL's check off process-wide, so we never rely on the global.
HARD_PIXEL_CAP = 2 * 89_478_485

MESSAGES: dict[str, tuple[str, str]] = {
    "not_an_image": (
        "사진 파일이 아닙니다. JPG 또는 PNG 사진을 올려 주세요.",
        "This is not a photo. Please upload a JPG or PNG image.",
    ),
    "corrupt_image": (
        "사진 파일이 손상되어 열 수 없습니다. 다시 촬영해 주세요.",
        "The photo file is damaged and cannot be opened. Please take it again.",
    ),
    "image_too_large": (
        "사진 파일이 너무 큽니다. 다시 촬영하거나 더 작은 파일을 올려 주세요.",
        "The photo file is too large. Please retake it or upload a smaller file.",
    ),
    "decompression_bomb": (
        "사진의 화소 수가 너무 많아 분석할 수 없습니다. 카메라로 다시 촬영해 주세요.",
        "The image has too many pixels to analyse. Please take a new photo with the camera.",
    ),
    "too_small": (
        "사진 해상도가 너무 낮습니다. 얼굴을 화면 가득 다시 촬영해 주세요.",
        "The photo resolution is too low. Please retake it with your face filling the frame.",
    ),
    "too_dark": (
        "사진이 너무 어둡습니다. 밝은 곳에서 다시 촬영해 주세요.",
        "The photo is too dark. Please retake it in brighter light.",
    ),
    "too_blurry": (
        "사진이 흐립니다. 카메라를 움직이지 말고 초점을 맞춰 다시 촬영해 주세요.",
        "The photo is blurred. Please hold still and retake it in focus.",
    ),
}


class PhotoRejected(ValueError):
    """The photo cannot be analysed; show the message and ask for a retake."""

    def __init__(self, code: str, detail: str = "") -> None:
        self.code = code
        self.message_ko, self.message_en = MESSAGES[code]
        self.detail = detail
        super().__init__(f"{code}: {self.message_en}" + (f" ({detail})" if detail else ""))


@dataclass(frozen=True)
class PhotoQuality:
    mean_luma: float
    laplacian_var: float


def measure_quality(image: Image.Image) -> PhotoQuality:
    """Mean brightness and variance of the Laplacian (a standard focus measure) on a fixed-size grey copy,
    so the thresholds do not depend on the camera's resolution."""
    import cv2

    grey = image.convert("L")
    scale = QUALITY_SIDE / max(grey.size)
    if scale < 1:
        grey = grey.resize(
            (max(1, round(grey.width * scale)), max(1, round(grey.height * scale))), Image.Resampling.BOX
        )
    arr = np.asarray(grey, dtype=np.float32)
    lap = cv2.Laplacian(arr, cv2.CV_32F, ksize=3)
    return PhotoQuality(mean_luma=float(arr.mean()), laplacian_var=float(lap.var()))


def _pil_open(data: bytes) -> Image.Image:
    """PIL's own ``Image.open``. Importing ultralytics replaces ``PIL.Image.open`` process-wide with a wrapper
    that, on an unidentified file, tries to import (or pip-install) ``pi-heif``: offline that raises
    ImportError instead of UnidentifiedImageError. Photo checks must not depend on import order."""
    opener = Image.open
    patches = sys.modules.get("ultralytics.utils.patches")
    if patches is not None and opener is getattr(patches, "image_open", None):
        opener = getattr(patches, "_image_open", opener)
    return opener(io.BytesIO(data))


def load_photo(
    data: bytes,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_pixels: int = DEFAULT_MAX_PIXELS,
    min_side: int = DEFAULT_MIN_SIDE,
    check_quality: bool = True,
) -> Image.Image:
    """Decode ``data`` into an RGB image with EXIF orientation applied and no metadata, or raise
    :class:`PhotoRejected`. The pixel count is checked from the header *before* decoding, so a small
    file that would expand to gigabytes is never decompressed."""
    if not data:
        raise PhotoRejected("not_an_image", "empty upload")
    if len(data) > max_bytes:
        raise PhotoRejected("image_too_large", f"{len(data)} bytes > {max_bytes}")
    with warnings.catch_warnings():
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            im = _pil_open(data)
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoRejected("decompression_bomb", str(exc)) from exc
        except UnidentifiedImageError as exc:
            raise PhotoRejected("not_an_image", str(exc)) from exc
        except OSError as exc:
            raise PhotoRejected("corrupt_image", str(exc)) from exc
        except Exception as exc:  # a third-party opener plugin failing: still not a photo we can read
            raise PhotoRejected("not_an_image", f"{type(exc).__name__}: {exc}") from exc
        width, height = im.size
        limit = min(max_pixels, HARD_PIXEL_CAP)
        if width * height > limit:
            raise PhotoRejected("decompression_bomb", f"{width}x{height} > {limit} pixels")
        try:
            im.load()
            im = ImageOps.exif_transpose(im)
            rgb = im.convert("RGB")
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
            raise PhotoRejected("decompression_bomb", str(exc)) from exc
        except (OSError, SyntaxError, ValueError) as exc:  # truncated or malformed data
            raise PhotoRejected("corrupt_image", str(exc)) from exc
    # A fresh image carries pixels only: no EXIF (GPS, device), ICC, XMP or comments.
    clean = Image.frombytes("RGB", rgb.size, rgb.tobytes())
    if min(clean.size) < min_side:
        raise PhotoRejected("too_small", f"{clean.width}x{clean.height}, shorter side < {min_side}")
    if check_quality:
        q = measure_quality(clean)
        if q.mean_luma < DARK_MEAN_LUMA:
            raise PhotoRejected("too_dark", f"mean brightness {q.mean_luma:.0f} < {DARK_MEAN_LUMA:.0f}")
        if q.laplacian_var < BLUR_MIN_LAPLACIAN_VAR:
            raise PhotoRejected(
                "too_blurry", f"focus measure {q.laplacian_var:.1f} < {BLUR_MIN_LAPLACIAN_VAR}"
            )
    return clean
