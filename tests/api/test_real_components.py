"""The same HTTP paths with the real components: guardrails, retrieval assistant, recommender, detector.

Slow (loads Kiwi and the USE encoder once per session; the detector only where its weights exist).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from api.app import create_app
from api.db.models import Consultation, GuardrailEvent, Message
from api.db.session import session_scope
from api.settings import DEFAULT_KNOWLEDGE, DEFAULT_WEIGHTS
from tests.api.conftest import make_settings, photo_bytes, seed

DOCS = ["prices-ko.md", "guide-acne-extraction-ko.md", "faq-ko.md", "profile-ko.md", "prices-en.md"]
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def knowledge(tmp_path_factory) -> tuple[Path, Path]:
    """A small copy of the demo clinic, ingested once into an embedded Chroma for the module."""
    from rag.ingest import ingest_directory
    from rag.vectorstore import open_store

    root = tmp_path_factory.mktemp("clinic")
    shutil.copytree(DEFAULT_KNOWLEDGE / "catalog", root / "catalog")
    for name in DOCS:
        shutil.copy(DEFAULT_KNOWLEDGE / name, root / name)
    chroma = root.parent / "chroma"
    report = ingest_directory(root, "demo-clinic", open_store("embedded", chroma))
    assert report.chunks > 0
    return root, chroma


@pytest.fixture
def real_api(db_url, settings_factory, knowledge):
    root, chroma = knowledge
    settings = make_settings(settings_factory, db_url, knowledge_dir=root, chroma_path=chroma)
    tokens = seed(db_url)
    with TestClient(create_app(settings), raise_server_exceptions=False) as client:
        yield client, {"Authorization": f"Bearer {tokens.kiosk}"}, db_url


def test_real_assistant_answers_with_citations_and_real_rails_block(real_api) -> None:
    client, kiosk, url = real_api
    cid = client.post("/v1/consultations", json={"language": "ko"}, headers=kiosk).json()["id"]
    answer = client.post(
        f"/v1/consultations/{cid}/messages", json={"content": "여드름 압출 가격이 얼마예요?"}, headers=kiosk
    )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["citations"] and not body["message"]["blocked"]
    assert any(c["doc_id"] for c in body["citations"])
    blocked = client.post(
        f"/v1/consultations/{cid}/messages",
        json={"content": "로아큐탄 처방해 주실 수 있나요? 제 번호 010-1234-5678"},
        headers=kiosk,
    )
    assert blocked.status_code == 201, blocked.text
    assert blocked.json()["message"]["blocked"] is True
    with session_scope(url) as db:
        assert db.get(Consultation, cid).flagged
        events = db.scalars(select(GuardrailEvent).where(GuardrailEvent.consultation_id == cid)).all()
        assert any(e.action in ("blocked", "escalated") for e in events)
        assert all("010-1234-5678" not in m for m in db.scalars(select(Message.content)))


def test_real_recommender_and_detector_on_a_photo(real_api) -> None:
    if not DEFAULT_WEIGHTS.is_file():
        pytest.skip(f"detector weights not shipped yet at {DEFAULT_WEIGHTS}")
    client, kiosk, _ = real_api
    cid = client.post("/v1/consultations", json={"language": "ko"}, headers=kiosk).json()["id"]
    response = client.post(
        "/v1/analyses",
        headers=kiosk,
        data={"consultation_id": cid, "consent": "false"},
        files={"photo": ("face.jpg", photo_bytes(1280, 960), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert set(body["counts"]) >= {"papule", "pustule", "nodule_cyst", "comedone"}
    assert 0 <= body["grade"]["level"] <= 3 and body["overlay"]["png_base64"]
    recs = body["recommendations"]
    assert "error" not in recs  # the real recommender answered (an early checkpoint may find nothing)
    assert bool(recs["items"]) == (sum(body["counts"].values()) > 0 or body["grade"]["level"] > 0)
    assert len(body["lesions"]) == sum(body["counts"].values())


def test_real_recommender_with_a_fixed_detector(real_api) -> None:
    """Recommendations from the real catalog for a known finding (the detector is the one stand-in here)."""
    from tests.api.conftest import FakeDetector

    client, kiosk, _ = real_api
    client.app.state.components.detector = FakeDetector  # instance attribute: builds a fake per call
    cid = client.post("/v1/consultations", json={"language": "ko"}, headers=kiosk).json()["id"]
    response = client.post(
        "/v1/analyses",
        headers=kiosk,
        data={"consultation_id": cid, "consent": "false"},
        files={"photo": ("face.jpg", photo_bytes(), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    recs = response.json()["recommendations"]
    assert "error" not in recs and recs["items"], recs
    assert all(item["reason"] for item in recs["items"])
