"""Visitor sessions: create with consent, idempotency, expiry, and who may see them."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from api.db.models import ConsentRecord, Consultation
from api.db.session import session_scope


def test_create_records_consent_with_version_and_retention(api) -> None:
    body = api.consultation(language="en", consents={"photo_storage": True, "text_version": "v2"})
    assert body["language"] == "en" and body["status"] == "active" and body["outcome"] == "none"
    expires = datetime.fromisoformat(body["expires_at"])
    created = datetime.fromisoformat(body["created_at"])
    assert timedelta(minutes=59) < expires - created <= timedelta(minutes=60, seconds=1)
    assert body["consents"] == [
        {
            "purpose": "photo_storage",
            "granted": True,
            "text_version": "v2",
            "retention_days": 30,
            "created_at": body["consents"][0]["created_at"],
        }
    ]
    with session_scope(api.url) as db:
        record = db.scalar(select(ConsentRecord).where(ConsentRecord.consultation_id == body["id"]))
        assert record.granted and record.text_version == "v2" and record.retention_days == 30


def test_bad_language_is_a_validation_problem(api) -> None:
    response = api.client.post("/v1/consultations", json={"language": "jp"}, headers=api.kiosk)
    assert response.status_code == 422 and response.json()["code"] == "validation_error"


def test_idempotency_key_replays_the_first_response(api) -> None:
    headers = {**api.kiosk, "Idempotency-Key": "visit-123"}
    first = api.client.post("/v1/consultations", json={"language": "ko"}, headers=headers)
    second = api.client.post("/v1/consultations", json={"language": "ko"}, headers=headers)
    assert first.status_code == second.status_code == 201
    assert first.json()["id"] == second.json()["id"]
    with session_scope(api.url) as db:
        assert len(db.scalars(select(Consultation)).all()) == 1
    reused = api.client.post("/v1/consultations", json={"language": "en"}, headers=headers)
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    bad = api.client.post("/v1/consultations", json={}, headers={**api.kiosk, "Idempotency-Key": "x" * 65})
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_idempotency_key"


def test_get_and_transcript_only_for_the_kiosk_that_started_it(api) -> None:
    consultation = api.consultation()
    cid = consultation["id"]
    assert api.client.get(f"/v1/consultations/{cid}", headers=api.kiosk).json()["id"] == cid
    assert api.client.get(f"/v1/consultations/{cid}/messages", headers=api.kiosk).json() == {
        "consultation_id": cid,
        "messages": [],
    }
    for token in (api.tokens.kiosk2, api.tokens.kiosk_b):
        other = api.client.get(f"/v1/consultations/{cid}", headers=api.h(token))
        assert other.status_code == 404 and other.json()["code"] == "consultation_not_found"
        assert api.client.get(f"/v1/consultations/{cid}/messages", headers=api.h(token)).status_code == 404
    # the clinic's API key may read its clinic's sessions
    assert api.client.get(f"/v1/consultations/{cid}", headers=api.h(api.tokens.api_key)).status_code == 200
    unknown = api.client.get("/v1/consultations/" + "0" * 32, headers=api.kiosk)
    assert unknown.status_code == 404 and unknown.json()["code"] == "consultation_not_found"


def test_expired_consultation_answers_410(api) -> None:
    cid = api.consultation()["id"]
    with session_scope(api.url) as db:
        db.execute(
            update(Consultation)
            .where(Consultation.id == cid)
            .values(expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    response = api.client.post(
        f"/v1/consultations/{cid}/messages", json={"content": "안녕하세요"}, headers=api.kiosk
    )
    assert response.status_code == 410 and response.json()["code"] == "consultation_expired"
    assert api.client.get(f"/v1/consultations/{cid}", headers=api.kiosk).json()["status"] == "expired"
