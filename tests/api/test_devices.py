"""Kiosk presence (last_seen_at) and the admin's kiosk devices and API keys: register, list, revoke."""

from __future__ import annotations

import threading
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

import pytest
from sqlalchemy import event, select, update

from api.db.models import ApiKey, AuditLog, Consultation, KioskDevice
from api.db.session import engine_for, session_scope
from api.security import token_hash
from api.timeutil import aware, utcnow

KIOSKS = "/v1/staff/kiosk-devices"
KEYS = "/v1/staff/api-keys"


def _device(api, name: str) -> KioskDevice:
    with session_scope(api.url) as db:
        return db.scalars(select(KioskDevice).where(KioskDevice.name == name)).one()


def _set_last_seen(api, name: str, ago: timedelta | None) -> None:
    with session_scope(api.url) as db:
        db.execute(
            update(KioskDevice)
            .where(KioskDevice.name == name)
            .values(last_seen_at=None if ago is None else utcnow() - ago)
        )


def _audit(api, action: str) -> list[AuditLog]:
    with session_scope(api.url) as db:
        return list(db.scalars(select(AuditLog).where(AuditLog.action == action)).all())


def _listed(api, path: str, headers: dict, name: str) -> dict:
    items = api.client.get(path, headers=headers).json()["items"]
    return next(item for item in items if item["name"] == name)


# --- last_seen_at ------------------------------------------------------------------------------------------


def test_a_kiosk_call_sets_last_seen_at_and_a_second_within_the_minute_does_not_rewrite_it(api) -> None:
    assert _device(api, "lobby-1").last_seen_at is None
    before = utcnow()
    assert api.client.get("/v1/auth/me", headers=api.kiosk).status_code == 200
    first = aware(_device(api, "lobby-1").last_seen_at)
    assert first is not None and before - timedelta(seconds=1) <= first <= utcnow()
    assert _device(api, "lobby-2").last_seen_at is None  # only the calling device

    assert api.client.post("/v1/consultations", json={}, headers=api.kiosk).status_code == 201
    assert aware(_device(api, "lobby-1").last_seen_at) == first  # fresh: not written again

    _set_last_seen(api, "lobby-1", timedelta(minutes=2))  # stale: the next call moves it
    assert api.client.get("/v1/auth/me", headers=api.kiosk).status_code == 200
    assert aware(_device(api, "lobby-1").last_seen_at) >= before


def test_a_failed_last_seen_write_never_fails_the_visitors_request(api) -> None:
    """The UPDATE fails like a busy SQLite / a lock timeout would; the consultation is still created."""
    engine = engine_for(api.url)

    def refuse(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith("UPDATE KIOSK_DEVICES"):
            raise engine.dialect.dbapi.OperationalError("database is locked")

    event.listen(engine, "before_cursor_execute", refuse)
    try:
        response = api.client.post("/v1/consultations", json={}, headers=api.kiosk)
    finally:
        event.remove(engine, "before_cursor_execute", refuse)
    assert response.status_code == 201, response.text
    assert _device(api, "lobby-1").last_seen_at is None
    with session_scope(api.url) as db:
        assert db.get(Consultation, response.json()["id"]) is not None


def test_a_burst_from_one_never_seen_kiosk_all_succeeds_and_sets_last_seen_once(api, monkeypatch) -> None:
    """30 requests at once may all read last_seen_at = NULL; the conditional UPDATE lets one of them write."""
    from api.auth import presence, principal

    writes: list[bool] = []

    def counted(db, device) -> bool:
        wrote = presence.touch_kiosk(db, device)
        writes.append(wrote)
        return wrote

    monkeypatch.setattr(principal, "touch_kiosk", counted)
    barrier = threading.Barrier(30)

    def call(_: int) -> int:
        barrier.wait()
        return api.client.get("/v1/auth/me", headers=api.kiosk).status_code

    with ThreadPoolExecutor(max_workers=30) as pool:
        statuses = Counter(pool.map(call, range(30)))
    assert statuses == {200: 30}, statuses
    assert _device(api, "lobby-1").last_seen_at is not None
    assert len(writes) == 30 and writes.count(True) == 1, writes


def test_online_means_seen_within_five_minutes(api) -> None:
    admin = api.staff()
    _set_last_seen(api, "lobby-1", timedelta(minutes=4))
    _set_last_seen(api, "lobby-2", timedelta(minutes=6))
    assert _listed(api, KIOSKS, admin, "lobby-1")["online"] is True
    listed = _listed(api, KIOSKS, admin, "lobby-2")
    assert listed["online"] is False and listed["last_seen_at"] is not None


# --- kiosk devices -----------------------------------------------------------------------------------------


def test_admin_registers_a_kiosk_whose_token_works_and_is_never_listed(api) -> None:
    admin = api.staff()
    created = api.client.post(KIOSKS, json={"name": "  lobby-3 "}, headers=admin)
    assert created.status_code == 201, created.text
    body = created.json()
    token = body["token"]
    assert token.startswith("kiosk_") and len(token) > 40
    assert body["name"] == "lobby-3" and body["revoked_at"] is None and body["online"] is False

    stored = _device(api, "lobby-3")
    assert stored.token_hash == token_hash(token) and stored.clinic_id == "demo-clinic"
    listing = api.client.get(KIOSKS, headers=admin)
    assert listing.status_code == 200
    assert token not in listing.text and stored.token_hash not in listing.text
    assert [d["name"] for d in listing.json()["items"]] == ["lobby-1", "lobby-2", "lobby-3"]  # own clinic only
    assert set(listing.json()["items"][0]) == {"id", "name", "created_at", "last_seen_at", "online", "revoked_at"}

    me = api.client.get("/v1/auth/me", headers=api.h(token)).json()
    assert me == {"kind": "kiosk", "clinic_id": "demo-clinic", "role": None, "subject": "lobby-3"}
    assert api.client.post("/v1/consultations", json={}, headers=api.h(token)).status_code == 201
    assert _listed(api, KIOSKS, admin, "lobby-3")["online"] is True
    [entry] = _audit(api, "kiosk.register")
    assert entry.target_id == body["id"] and entry.actor == f"staff:{api.tokens.admin_email}"
    assert token not in str(entry.detail)

    taken = api.client.post(KIOSKS, json={"name": "lobby-3"}, headers=admin)
    assert taken.status_code == 409 and taken.json()["code"] == "kiosk_name_taken"
    for name in ("   ", "lobby\x00", "x" * 101):
        bad = api.client.post(KIOSKS, json={"name": name}, headers=admin)
        assert bad.status_code == 422 and bad.json()["code"] == "validation_error", name


def test_a_revoked_kiosk_token_gets_401_and_revoke_is_idempotent(api) -> None:
    admin = api.staff()
    device_id = _device(api, "lobby-1").id
    assert api.client.get("/v1/auth/me", headers=api.kiosk).status_code == 200
    revoked = api.client.post(f"{KIOSKS}/{device_id}/revoke", headers=admin)
    assert revoked.status_code == 200, revoked.text
    assert revoked.json()["revoked_at"] is not None and revoked.json()["online"] is False

    denied = api.client.post("/v1/consultations", json={}, headers=api.kiosk)
    assert denied.status_code == 401 and denied.json()["code"] == "invalid_token"
    assert api.client.get("/v1/auth/me", headers=api.h(api.tokens.kiosk2)).status_code == 200  # others keep working

    again = api.client.post(f"{KIOSKS}/{device_id}/revoke", headers=admin)
    assert again.status_code == 200 and again.json()["revoked_at"] == revoked.json()["revoked_at"]
    assert len(_audit(api, "kiosk.revoke")) == 1
    # the name is free again once the old device is revoked
    assert api.client.post(KIOSKS, json={"name": "lobby-1"}, headers=admin).status_code == 201


ADMIN_CALLS = [
    ("GET", KIOSKS, None),
    ("POST", KIOSKS, {"name": "x"}),
    ("POST", f"{KIOSKS}/{{kiosk}}/revoke", None),
    ("GET", KEYS, None),
    ("POST", KEYS, {"name": "x"}),
    ("POST", f"{KEYS}/{{key}}/revoke", None),
]


@pytest.mark.parametrize(("method", "path", "body"), ADMIN_CALLS)
def test_only_admins_manage_credentials(api, method: str, path: str, body: dict | None) -> None:
    path = path.format(kiosk=_device(api, "lobby-1").id, key=_key_id(api, "crm"))
    for headers in (api.staff(api.tokens.staff_email), api.kiosk, api.h(api.tokens.api_key)):
        response = api.client.request(method, path, json=body, headers=headers)
        assert response.status_code == 403 and response.json()["code"] == "forbidden", response.text
    assert api.client.request(method, path, json=body).json()["code"] == "auth_required"
    # nothing was changed by the refused calls
    assert _device(api, "lobby-1").revoked_at is None
    assert api.client.get("/v1/auth/me", headers=api.kiosk).status_code == 200
    with session_scope(api.url) as db:
        assert db.scalar(select(KioskDevice).where(KioskDevice.name == "x")) is None


def test_another_clinics_kiosk_and_key_are_404(api) -> None:
    admin_b = api.staff(api.tokens.admin_b_email)
    a_kiosk, a_key = _device(api, "lobby-1").id, _key_id(api, "crm")
    for path, code in ((f"{KIOSKS}/{a_kiosk}/revoke", "kiosk_device_not_found"),
                       (f"{KEYS}/{a_key}/revoke", "api_key_not_found"),
                       (f"{KIOSKS}/{'0' * 32}/revoke", "kiosk_device_not_found"),
                       (f"{KEYS}/not-an-id/revoke", "api_key_not_found")):
        response = api.client.post(path, headers=admin_b)
        assert response.status_code == 404 and response.json()["code"] == code, response.text
    assert [d["name"] for d in api.client.get(KIOSKS, headers=admin_b).json()["items"]] == ["busan-lobby"]
    assert api.client.get(KEYS, headers=admin_b).json()["items"] == []
    assert api.client.get("/v1/auth/me", headers=api.kiosk).status_code == 200
    assert api.client.get("/v1/auth/me", headers=api.h(api.tokens.api_key)).status_code == 200


# --- API keys ------------------------------------------------------------------------------------------------


def _key_id(api, name: str) -> str:
    with session_scope(api.url) as db:
        return db.scalars(select(ApiKey.id).where(ApiKey.name == name)).one()


def test_admin_creates_an_api_key_that_works_until_revoked(api) -> None:
    admin = api.staff()
    created = api.client.post(KEYS, json={"name": "front-desk"}, headers=admin)
    assert created.status_code == 201, created.text
    body = created.json()
    token = body["token"]
    assert token.startswith("key_") and set(body) == {"id", "name", "created_at", "revoked_at", "token"}
    with session_scope(api.url) as db:
        assert db.get(ApiKey, body["id"]).key_hash == token_hash(token)

    listing = api.client.get(KEYS, headers=admin)
    assert token not in listing.text and token_hash(token) not in listing.text
    assert [k["name"] for k in listing.json()["items"]] == ["crm", "front-desk"]
    day = api.client.get("/v1/staff/bookings", headers=api.h(token), params={"date": "2026-11-30"})
    assert day.status_code == 200, day.text
    assert len(_audit(api, "api_key.create")) == 1
    taken = api.client.post(KEYS, json={"name": "front-desk"}, headers=admin)
    assert taken.status_code == 409 and taken.json()["code"] == "api_key_name_taken"

    revoked = api.client.post(f"{KEYS}/{body['id']}/revoke", headers=admin)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"] is not None
    denied = api.client.get("/v1/staff/bookings", headers=api.h(token), params={"date": "2026-11-30"})
    assert denied.status_code == 401 and denied.json()["code"] == "invalid_token"
    assert api.client.get("/v1/auth/me", headers=api.h(api.tokens.api_key)).status_code == 200
    assert len(_audit(api, "api_key.revoke")) == 1
