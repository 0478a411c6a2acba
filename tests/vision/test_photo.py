from __future__ import annotations

import io
import struct
import zlib

import numpy as np
import pytest
from PIL import Image, ImageFilter

from vision.photo import PhotoRejected, load_photo, measure_quality
from vision.synthetic import make_photo


@pytest.fixture(scope="module")
def skin() -> Image.Image:
    image, _ = make_photo(1200, 900, 15, seed=3, skin_tone="medium")
    return image


def _jpeg(image: Image.Image, **kw) -> bytes:
    buf = io.BytesIO()
    image.save(buf, "JPEG", quality=92, **kw)
    return buf.getvalue()


def _code(data: bytes, **kw) -> str:
    with pytest.raises(PhotoRejected) as exc:
        load_photo(data, **kw)
    assert exc.value.message_ko and exc.value.message_en
    return exc.value.code


def test_good_photo_loads(skin: Image.Image) -> None:
    out = load_photo(_jpeg(skin))
    assert out.mode == "RGB" and out.size == skin.size


def test_not_an_image() -> None:
    assert _code(b"%PDF-1.4 this is not a photo") == "not_an_image"
    assert _code(b"") == "not_an_image"


def test_corrupt_jpeg(skin: Image.Image) -> None:
    data = _jpeg(skin)
    assert _code(data[: len(data) // 3]) == "corrupt_image"


def test_too_many_bytes(skin: Image.Image) -> None:
    assert _code(_jpeg(skin), max_bytes=1000) == "image_too_large"


def _png_with_header_size(width: int, height: int) -> bytes:
    """A tiny valid PNG whose IHDR claims width x height: the classic decompression bomb shape."""
    buf = io.BytesIO()
    Image.new("RGB", (8, 8)).save(buf, "PNG")
    data = bytearray(buf.getvalue())
    ihdr = 8 + 8  # signature, then length+type of the IHDR chunk
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13])) & 0xFFFFFFFF
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def test_decompression_bomb_over_our_limit() -> None:
    # 10000 x 8000 = 80 MP: under PIL's own hard limit, over ours; must be refused before decoding
    assert _code(_png_with_header_size(10000, 8000)) == "decompression_bomb"


def test_decompression_bomb_refused_even_with_a_high_limit() -> None:
    # 40000 x 40000: PIL's own error, or our hard cap when ultralytics has switched PIL's check off
    assert _code(_png_with_header_size(40000, 40000), max_pixels=10**10) == "decompression_bomb"


def test_too_small(skin: Image.Image) -> None:
    assert _code(_jpeg(skin.resize((300, 220)))) == "too_small"


def test_too_dark(skin: Image.Image) -> None:
    dark = Image.fromarray((np.asarray(skin) * 0.15).astype(np.uint8))
    assert _code(_jpeg(dark)) == "too_dark"


def test_too_blurry(skin: Image.Image) -> None:
    assert measure_quality(skin).laplacian_var > 40
    assert _code(_jpeg(skin.filter(ImageFilter.GaussianBlur(6)))) == "too_blurry"


def test_real_acne04_photos_pass_quality(acne04) -> None:
    for path in sorted((acne04 / "valid").glob("*.jpg"))[:20]:
        im = Image.open(path).convert("RGB").resize((1280, 1280), Image.Resampling.BICUBIC)
        load_photo(_jpeg(im))  # must not be rejected as dark or blurred


def test_exif_orientation_applied(skin: Image.Image) -> None:
    # left half red, right half blue; EXIF 6 says "rotate 90 degrees clockwise to display"
    arr = np.zeros((600, 800, 3), np.uint8)
    arr[:, :400] = (220, 30, 30)
    arr[:, 400:] = (30, 30, 220)
    arr = arr + np.random.default_rng(0).integers(0, 60, arr.shape, dtype=np.uint8)  # texture: not blurry
    exif = Image.Exif()
    exif[0x0112] = 6
    out = load_photo(_jpeg(Image.fromarray(arr), exif=exif.tobytes()))
    assert out.size == (600, 800)
    top, bottom = np.asarray(out)[:100].mean(axis=(0, 1)), np.asarray(out)[-100:].mean(axis=(0, 1))
    assert top[0] > top[2] and bottom[2] > bottom[0]  # red went to the top, blue to the bottom


def test_metadata_stripped(skin: Image.Image) -> None:
    exif = Image.Exif()
    exif[0x010F] = "KioskCam"  # Make
    exif[0x0110] = "Model-X"  # Model
    exif[0x8825] = {1: "N", 2: (37.0, 33.0, 0.0)}  # GPS IFD
    data = _jpeg(skin, exif=exif.tobytes(), comment=b"patient 010-1234-5678")
    assert Image.open(io.BytesIO(data)).getexif()
    out = load_photo(data)
    assert not out.getexif()
    assert "exif" not in out.info and "comment" not in out.info and "icc_profile" not in out.info
    buf = io.BytesIO()
    out.save(buf, "JPEG")
    assert b"KioskCam" not in buf.getvalue() and b"010-1234" not in buf.getvalue()


def test_rejection_does_not_depend_on_ultralytics_import_order() -> None:
    import ultralytics  # noqa: F401  (patches PIL.Image.open process-wide)

    assert _code(b"plain text, not an image") == "not_an_image"
