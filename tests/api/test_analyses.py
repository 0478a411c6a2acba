"""Photo analyses: consent decides what is kept; bad uploads get stable codes and never a 5xx."""

from __future__ import annotations

import base64
import io
import random
import struct
import zlib

import pytest
from PIL import Image
from sqlalchemy import select

from api.db.models import Analysis, Lesion
from api.db.session import session_scope
from tests.api.conftest import photo_bytes


def _upload(
    api,
    cid: str,
    data: bytes,
    consent: bool = False,
    overlay: str = "inline",
    name: str = "face.jpg",
    token: str | None = None,
):
    return api.client.post(
        "/v1/analyses",
        headers=api.h(token or api.tokens.kiosk),
        data={"consultation_id": cid, "consent": str(consent).lower(), "overlay": overlay},
        files={"photo": (name, data, "image/jpeg")},
    )


def _files(api) -> list:
    root = api.settings.photos_dir
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_with_consent_photo_and_overlay_are_kept_until_retain_until(api) -> None:
    cid = api.consultation()["id"]
    response = _upload(api, cid, photo_bytes(), consent=True)
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["counts"] == {"papule": 2, "pustule": 0, "nodule_cyst": 0, "comedone": 1}
    assert body["grade"] == {"level": 0, "name": "mild", "name_ko": "경증"}
    assert len(body["lesions"]) == 3 and body["photo_stored"] is True and body["retain_until"]
    assert body["recommendations"]["items"][0]["reason"] == "grade 0"
    png = base64.b64decode(body["overlay"]["png_base64"])
    assert Image.open(io.BytesIO(png)).size == (800, 600)
    files = _files(api)
    assert [p.suffix for p in files] == [".jpg", ".png"]
    stored = Image.open(files[0])
    assert not stored.getexif()  # metadata stripped
    overlay = api.client.get(body["overlay"]["url"], headers=api.kiosk)
    assert overlay.status_code == 200 and overlay.headers["content-type"] == "image/png"
    assert api.client.get(body["overlay"]["url"], headers=api.h(api.tokens.kiosk_b)).status_code == 404
    again = api.client.get(f"/v1/analyses/{body['id']}", headers=api.kiosk).json()
    assert again["counts"] == body["counts"] and again["overlay"]["png_base64"] is None
    assert api.client.get(f"/v1/consultations/{cid}", headers=api.kiosk).json()["outcome"] == "analysis"


def test_without_consent_nothing_of_the_photo_is_kept(api) -> None:
    cid = api.consultation()["id"]
    body = _upload(api, cid, photo_bytes(), consent=False).json()
    assert body["photo_stored"] is False and body["retain_until"] is None and body["overlay"]["url"] is None
    assert body["overlay"]["png_base64"]  # shown once on the kiosk, never stored
    assert _files(api) == []
    with session_scope(api.url) as db:
        row = db.get(Analysis, body["id"])
        assert row.photo_path is None and row.overlay_path is None and row.counts["papule"] == 2
        assert len(db.scalars(select(Lesion).where(Lesion.analysis_id == row.id)).all()) == 3
    missing = api.client.get(f"/v1/analyses/{body['id']}/overlay.png", headers=api.kiosk)
    assert missing.status_code == 404 and missing.json()["code"] == "overlay_not_stored"


def test_oversized_upload_is_413_by_content_length_and_by_stream(api) -> None:
    cid = api.consultation()["id"]
    big = b"\xff\xd8" + b"0" * (api.settings.max_upload_bytes + 70_000)
    response = _upload(api, cid, big)
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"

    def chunks():
        yield b"x" * (api.settings.max_upload_bytes + 70_000)

    streamed = api.client.post(
        "/v1/analyses",
        headers={**api.kiosk, "Content-Type": "multipart/form-data; boundary=x"},
        content=chunks(),
    )
    assert streamed.status_code == 413 and streamed.json()["code"] == "payload_too_large"
    assert _files(api) == []


def _bomb() -> bytes:
    """A tiny PNG whose header claims 30000 x 30000 pixels."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = zlib.compress(b"\x00" * 1000)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", raw)
        + chunk(b"IEND", b"")
    )


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"this is not an image at all", "not_an_image"),
        (photo_bytes()[:5000], "corrupt_image"),
        (_bomb(), "decompression_bomb"),
    ],
)
def test_bad_images_get_the_photo_rejected_code(api, data: bytes, code: str) -> None:
    cid = api.consultation()["id"]
    response = _upload(api, cid, data, consent=True)
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["code"] == code and body["message_ko"] and body["message_en"]
    with session_scope(api.url) as db:
        assert db.scalars(select(Analysis)).all() == []
    assert _files(api) == []


def test_two_hundred_malformed_uploads_never_get_a_5xx(api) -> None:
    cid = api.consultation()["id"]
    rng = random.Random(1234)
    good = photo_bytes()
    statuses = []
    for i in range(200):
        kind = i % 5
        if kind == 0:
            data = bytes(rng.getrandbits(8) for _ in range(rng.randint(0, 3000)))
        elif kind == 1:
            cut = rng.randint(0, len(good))
            data = good[:cut]
        elif kind == 2:
            data = bytearray(good)
            for _ in range(20):
                data[rng.randrange(100, len(data))] = rng.getrandbits(8)
            data = bytes(data)
        elif kind == 3:
            data = b"\xff\xd8\xff\xe0" + bytes(rng.getrandbits(8) for _ in range(500))
        else:
            data = _bomb()[: rng.randint(8, 80)]
        fields = {
            "consultation_id": cid if i % 7 else "nope",
            "consent": rng.choice(["true", "false", "maybe"]),
        }
        response = api.client.post(
            "/v1/analyses", headers=api.kiosk, data=fields, files={"photo": (f"f{i}.jpg", data, "image/jpeg")}
        )
        statuses.append(response.status_code)
        assert response.status_code < 500, (i, response.text)
        assert response.headers["content-type"].startswith(("application/json", "application/problem+json"))
    assert any(s == 422 for s in statuses)


def test_missing_fields_unknown_consultation_and_broken_detector(api) -> None:
    cid = api.consultation()["id"]
    missing = api.client.post("/v1/analyses", headers=api.kiosk, data={"consultation_id": cid})
    assert missing.status_code == 422 and missing.json()["code"] == "validation_error"
    unknown = _upload(api, "0" * 32, photo_bytes())
    assert unknown.status_code == 404 and unknown.json()["code"] == "consultation_not_found"
    other_clinic = _upload(api, cid, photo_bytes(), token=api.tokens.kiosk_b)
    assert other_clinic.status_code == 404
    api.components.broken.add("detector")
    broken = _upload(api, cid, photo_bytes(), consent=True)
    assert broken.status_code == 503 and broken.json()["code"] == "detector_unavailable"
    assert _files(api) == []
