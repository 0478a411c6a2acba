"""Staff console: who may call it, tenancy, audit log, filters, funnel, CSV, photo deletion and retention."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select, update

from api.db.models import Analysis, AuditLog
from api.db.session import session_scope
from api.staff.retention import purge_expired_photos
from tests.api.conftest import photo_bytes

STAFF_GETS = ["/v1/staff/consultations", "/v1/staff/metrics/funnel", "/v1/staff/export/consultations.csv"]


def _analysis(api, cid: str, consent: bool = True) -> dict:
    response = api.client.post(
        "/v1/analyses",
        headers=api.kiosk,
        data={"consultation_id": cid, "consent": str(consent).lower()},
        files={"photo": ("f.jpg", photo_bytes(), "image/jpeg")},
    )
    assert response.status_code == 201, response.text
    return response.json()


def _chat(api, cid: str, text: str, token: str | None = None) -> dict:
    response = api.client.post(
        f"/v1/consultations/{cid}/messages", json={"content": text}, headers=api.h(token or api.tokens.kiosk)
    )
    assert response.status_code == 201, response.text
    return response.json()


def _audit(api, action: str) -> list[AuditLog]:
    with session_scope(api.url) as db:
        return list(db.scalars(select(AuditLog).where(AuditLog.action == action)).all())


@pytest.mark.parametrize("path", STAFF_GETS)
def test_staff_endpoints_refuse_kiosk_tokens_missing_and_bad_tokens(api, path: str) -> None:
    assert api.client.get(path).json()["code"] == "auth_required"
    kiosk = api.client.get(path, headers=api.kiosk)
    assert kiosk.status_code == 403 and kiosk.json()["code"] == "forbidden"
    assert api.client.get(path, headers=api.h("key_a_crm_integration")).status_code == 403
    forged = api.client.get(path, headers=api.h("eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.bad"))
    assert forged.status_code == 401 and forged.json()["code"] == "invalid_token"
    assert api.client.get(path, headers=api.h("kiosk_revoked_or_unknown")).status_code == 401
    assert api.client.get(path, headers=api.staff()).status_code == 200


def test_login_errors_and_me(api) -> None:
    wrong = api.client.post("/v1/auth/login", json={"email": api.tokens.admin_email, "password": "nope"})
    assert wrong.status_code == 401 and wrong.json()["code"] == "invalid_credentials"
    unknown = api.client.post("/v1/auth/login", json={"email": "who@x.kr", "password": "nope"})
    assert unknown.status_code == 401 and unknown.json()["code"] == "invalid_credentials"
    me = api.client.get("/v1/auth/me", headers=api.staff(api.tokens.staff_email)).json()
    assert me == {
        "kind": "staff",
        "clinic_id": "demo-clinic",
        "role": "staff",
        "subject": api.tokens.staff_email,
    }
    assert api.client.get("/v1/auth/me", headers=api.kiosk).json()["kind"] == "kiosk"
    # staff tokens cannot act as a kiosk
    denied = api.client.post("/v1/consultations", json={}, headers=api.staff())
    assert denied.status_code == 403


def test_conversation_list_filters_flagged_first_and_transcript_is_masked_and_audited(api) -> None:
    calm = api.consultation()["id"]
    _chat(api, calm, "여드름 압출 가격은요?")
    risky = api.consultation(language="en")["id"]
    _chat(api, risky, "로아큐탄 처방해 주세요 제 번호 010-9876-5432")
    staff = api.staff(api.tokens.staff_email)
    listing = api.client.get("/v1/staff/consultations", headers=staff).json()
    assert listing["total"] == 2 and listing["items"][0]["id"] == risky
    assert listing["items"][0]["flagged"] and listing["items"][0]["guardrail_categories"] == [
        "pii",
        "prescription",
    ]
    assert listing["items"][1]["message_count"] == 2
    only = api.client.get(
        "/v1/staff/consultations", headers=staff, params={"guardrail_category": "prescription"}
    ).json()
    assert [i["id"] for i in only["items"]] == [risky]
    assert (
        api.client.get("/v1/staff/consultations", headers=staff, params={"language": "ko"}).json()["total"]
        == 1
    )
    assert (
        api.client.get(
            "/v1/staff/consultations", headers=staff, params={"flagged": "false", "outcome": "chat"}
        ).json()["items"][0]["id"]
        == calm
    )
    assert _audit(api, "transcript.read") == []
    detail = api.client.get(f"/v1/staff/consultations/{risky}", headers=staff).json()
    assert all("010-9876-5432" not in m["content"] for m in detail["messages"])
    assert {e["category"] for e in detail["guardrail_events"]} == {"pii", "prescription"}
    reads = _audit(api, "transcript.read")
    assert (
        len(reads) == 1
        and reads[0].target_id == risky
        and reads[0].actor == f"staff:{api.tokens.staff_email}"
    )


def test_clinic_a_cannot_read_clinic_b(api) -> None:
    b = api.consultation(token=api.tokens.kiosk_b)["id"]
    _chat(api, b, "hello", token=api.tokens.kiosk_b)
    a_staff = api.staff()
    assert api.client.get(f"/v1/staff/consultations/{b}", headers=a_staff).status_code == 404
    assert api.client.get("/v1/staff/consultations", headers=a_staff).json()["total"] == 0
    b_staff = api.staff(api.tokens.admin_b_email)
    assert api.client.get(f"/v1/staff/consultations/{b}", headers=b_staff).status_code == 200
    # a token from clinic B's login cannot be pointed at clinic A's ids either
    a_id = api.consultation()["id"]
    assert api.client.get(f"/v1/staff/consultations/{a_id}", headers=b_staff).status_code == 404


def test_analysis_read_photo_delete_and_retention_purge(api) -> None:
    cid = api.consultation()["id"]
    kept = _analysis(api, cid, consent=True)
    staff = api.staff()
    body = api.client.get(f"/v1/staff/analyses/{kept['id']}", headers=staff).json()
    assert body["overlay"]["url"] == f"/v1/staff/analyses/{kept['id']}/overlay.png"
    assert api.client.get(body["overlay"]["url"], headers=staff).headers["content-type"] == "image/png"
    photo = api.client.get(f"/v1/staff/analyses/{kept['id']}/photo.jpg", headers=staff)
    assert photo.status_code == 200 and photo.content[:2] == b"\xff\xd8"
    assert api.client.get(f"/v1/staff/analyses/{kept['id']}", headers=api.kiosk).status_code == 403
    deleted = api.client.delete(f"/v1/staff/analyses/{kept['id']}/photo", headers=staff).json()
    assert deleted["files_deleted"] == 2
    assert not any(api.settings.photos_dir.rglob("*.jpg"))
    after = api.client.get(f"/v1/staff/analyses/{kept['id']}", headers=staff).json()
    assert after["counts"]["papule"] == 2 and after["photo_stored"] is False and after["photo_deleted_at"]
    assert api.client.get(f"/v1/staff/analyses/{kept['id']}/overlay.png", headers=staff).status_code == 404
    assert len(_audit(api, "photo.delete")) == 1 and len(_audit(api, "analysis.read")) == 2

    expired, fresh = _analysis(api, cid, consent=True), _analysis(api, cid, consent=True)
    with session_scope(api.url) as db:
        db.execute(
            update(Analysis)
            .where(Analysis.id == expired["id"])
            .values(retain_until=datetime.now(UTC) - timedelta(days=1))
        )
    report = purge_expired_photos(api.settings)
    assert report.purged == 1 and report.files_deleted == 2
    with session_scope(api.url) as db:
        assert db.get(Analysis, expired["id"]).photo_deleted_at is not None
        assert db.get(Analysis, fresh["id"]).photo_path is not None
    assert len(list(api.settings.photos_dir.rglob("*.jpg"))) == 1
    assert (
        api.client.post("/v1/staff/retention/purge", headers=api.staff(api.tokens.staff_email)).status_code
        == 403
    )
    assert api.client.post("/v1/staff/retention/purge", headers=staff).json() == {
        "purged": 0,
        "files_deleted": 0,
    }


def test_bookings_by_day_funnel_and_csv_export(api) -> None:
    from tests.api.conftest import next_open_day

    day = next_open_day()
    visit = api.consultation()["id"]
    _analysis(api, visit, consent=False)
    _chat(api, visit, "가격 알려주세요")
    slot = api.client.get(
        "/v1/booking/slots", headers=api.kiosk, params={"item": "consult-dermatologist", "date_from": day}
    ).json()["slots"][0]
    booked = api.client.post(
        "/v1/booking/reservations",
        headers=api.kiosk,
        json={
            "slot_id": slot["slot_id"],
            "name": "김하늘",
            "phone": "010-2345-6789",
            "consultation_id": visit,
        },
    ).json()
    api.consultation(token=api.tokens.kiosk2)
    staff = api.staff()
    day_list = api.client.get("/v1/staff/bookings", headers=staff, params={"date": day}).json()
    assert [b["code"] for b in day_list["bookings"]] == [booked["code"]]
    assert day_list["bookings"][0]["phone"] == "010-2345-6789"
    via_key = api.client.get("/v1/staff/bookings", headers=api.h(api.tokens.api_key), params={"date": day})
    assert via_key.status_code == 200 and len(via_key.json()["bookings"]) == 1
    funnel = api.client.get("/v1/staff/metrics/funnel", headers=staff).json()
    assert funnel["totals"] == {"consultations": 2, "photos": 1, "chats": 1, "bookings": 1}
    assert sum(d["consultations"] for d in funnel["days"]) == 2 and len(funnel["days"]) == 7
    kiosks = {k["name"]: k for k in funnel["kiosks"]}
    assert kiosks["lobby-1"]["bookings"] == 1 and kiosks["lobby-2"]["consultations"] == 1
    export = api.client.get("/v1/staff/export/consultations.csv", headers=staff)
    assert export.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(export.content.decode("utf-8-sig"))))
    assert len(rows) == 2 and {r["outcome"] for r in rows} == {"booking", "none"}
    assert "김하늘" not in export.text and "010-2345" not in export.text
    assert len(_audit(api, "export.csv")) == 1


@pytest.mark.slow
def test_knowledge_upload_reingests_the_clinic(api, tmp_path) -> None:
    """Real ingestion (Chroma embedded + the USE encoder) into a small copy of the clinic folder."""
    root = tmp_path / "clinic"
    shutil.copytree(api.settings.knowledge_dir / "catalog", root / "catalog")
    api.settings.knowledge_dir = root
    api.settings.chroma_path = tmp_path / "chroma"
    doc = (
        "---\ndoc_id: faq-parking-test\ntitle: 주차 안내\nlang: ko\ntype: faq\nupdated: 2026-11-01\n---\n"
        "# 주차 안내\n건물 지하 2층 주차장을 2시간 무료로 이용하실 수 있습니다.\n"
    ).encode()
    staff_only = api.client.post(
        "/v1/staff/knowledge",
        headers=api.staff(api.tokens.staff_email),
        files=[("files", ("parking.md", doc, "text/markdown"))],
    )
    assert staff_only.status_code == 403
    bad = api.client.post(
        "/v1/staff/knowledge",
        headers=api.staff(),
        files=[("files", ("evil.exe", b"MZ", "application/octet-stream"))],
    )
    assert bad.status_code == 422 and bad.json()["code"] == "unsupported_file"
    response = api.client.post(
        "/v1/staff/knowledge",
        headers=api.staff(),
        files=[("files", ("../../parking.md", doc, "text/markdown"))],
    )
    assert response.status_code == 200, response.text
    body = response.json()
    assert body["saved"] == ["parking.md"] and body["report"]["added"] >= 1
    assert (root / "uploads" / "parking.md").is_file() and len(_audit(api, "knowledge.upload")) == 1


def test_date_filters_out_of_range_are_422_and_open_ended_ranges_work(api) -> None:
    staff = api.staff()
    api.consultation()
    for params in (
        {"date_from": "0001-01-01"},
        {"date_to": "9999-12-31"},
        {"date_from": "2026-12-01", "date_to": "2026-11-01"},
    ):
        funnel = api.client.get("/v1/staff/metrics/funnel", headers=staff, params=params)
        assert funnel.status_code == 422 and funnel.json()["code"] == "invalid_date_range", params
    listing = api.client.get("/v1/staff/consultations", headers=staff, params={"date_to": "2100-01-01"})
    assert listing.status_code == 200 and listing.json()["total"] == 1
    slots = api.client.get(
        "/v1/booking/slots",
        headers=api.kiosk,
        params={"item": "consult-dermatologist", "date_from": "9999-12-31"},
    )
    assert slots.status_code == 422 and slots.json()["code"] == "invalid_date_range"
    day = api.client.get("/v1/staff/bookings", headers=staff, params={"date": "0001-01-01"})
    assert day.status_code == 422
