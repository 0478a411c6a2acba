"""Booking: catalog items, generated slots, reserve/confirm/reschedule/cancel, and no double booking."""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta

import httpx
import pytest
import uvicorn
from sqlalchemy import select, update

from api.app import create_app
from api.booking.catalog import load_catalog, parse_catalog
from api.booking.codes import CODE_ALPHABET
from api.db.models import Booking
from api.db.session import session_scope
from api.settings import DEFAULT_KNOWLEDGE
from tests.api.conftest import make_settings, next_open_day, seed
from tests.support import free_port

CODE = re.compile(rf"^HN-[{CODE_ALPHABET}]{{6}}$")


def _slots(api, item: str, day: str, **params):
    response = api.client.get(
        "/v1/booking/slots", headers=api.kiosk, params={"item": item, "date_from": day, **params}
    )
    assert response.status_code == 200, response.text
    return response.json()["slots"]


def _reserve(api, slot_id: str, phone: str = "010-1234-5678", **extra):
    return api.client.post(
        "/v1/booking/reservations",
        headers={**api.kiosk, **extra.pop("headers", {})},
        json={"slot_id": slot_id, "name": "김하늘", "phone": phone, **extra},
    )


def test_items_come_from_the_clinic_catalog_with_prices(api) -> None:
    items = api.client.get("/v1/booking/items", headers=api.kiosk).json()["items"]
    by_code = {i["code"]: i for i in items}
    assert by_code["consult-dermatologist"]["capacity"] == 1
    assert by_code["acne-extraction"]["capacity"] == 2 and by_code["acne-extraction"]["price_krw"] == 50000
    assert api.client.get("/v1/booking/items", headers=api.h(api.tokens.kiosk_b)).json()["items"] == []


def test_slots_respect_hours_lunch_and_last_booking() -> None:
    catalog = parse_catalog(
        {
            "hours": {"mon": {"open": "10:00", "close": "19:00"}, "sat": {"open": "10:00", "close": "15:00"}},
            "lunch": {"start": "13:00", "end": "14:00", "days": ["mon"]},
            "slot_minutes": 30,
            "last_booking_before_close_minutes": 30,
            "holidays": ["2027-03-01"],
            "booking_items": [{"code": "pdt", "duration_minutes": 90, "capacity": 1}],
        }
    )
    item = catalog.items[0]
    monday = date(2027, 3, 8)
    times = [s.strftime("%H:%M") for s in catalog.slot_starts(item, monday)]
    assert times[0] == "10:00" and "11:30" in times and "12:00" not in times  # 12:00+90 hits lunch
    assert "14:00" in times and times[-1] == "17:30"  # ends 19:00 exactly
    assert catalog.slot_starts(item, date(2027, 3, 1)) == []  # holiday (a Monday)
    assert catalog.slot_starts(item, date(2027, 3, 7)) == []  # Sunday: closed
    saturday = [s.strftime("%H:%M") for s in catalog.slot_starts(item, date(2027, 3, 6))]
    assert "13:00" in saturday and saturday[-1] == "13:30"  # no lunch on Saturday


def test_slot_listing_and_range_errors(api) -> None:
    day = next_open_day()
    slots = _slots(api, "consult-dermatologist", day)
    local_times = [s["local_time"] for s in slots]
    assert local_times[0] == "10:00" and not any("13:00" <= t < "14:00" for t in local_times)
    assert all(s["date"] == day and s["seats_left"] == 1 for s in slots)
    assert _slots(api, "consult-dermatologist", day) == slots  # generated once, same ids
    bad = api.client.get(
        "/v1/booking/slots",
        headers=api.kiosk,
        params={"item": "consult-dermatologist", "date_from": day, "date_to": "2020-01-01"},
    )
    assert bad.status_code == 422 and bad.json()["code"] == "invalid_date_range"
    unknown = api.client.get(
        "/v1/booking/slots", headers=api.kiosk, params={"item": "nope", "date_from": day}
    )
    assert unknown.status_code == 404 and unknown.json()["code"] == "item_not_found"
    holiday = api.client.get(
        "/v1/booking/slots",
        headers=api.kiosk,
        params={"item": "consult-dermatologist", "date_from": "2027-01-01"},
    ).json()
    assert holiday["slots"] == []


def test_reserve_confirm_reschedule_cancel(api) -> None:
    day = next_open_day()
    slots = _slots(api, "consult-dermatologist", day)
    held = _reserve(api, slots[0]["slot_id"], phone="01012345678")
    assert held.status_code == 201, held.text
    booking = held.json()
    assert CODE.match(booking["code"]) and booking["status"] == "held" and booking["hold_expires_at"]
    assert booking["phone_masked"] == "010-****-5678" and booking["local_time"] == slots[0]["local_time"]
    assert _slots(api, "consult-dermatologist", day)[0]["slot_id"] != slots[0]["slot_id"]  # full now
    code = booking["code"]
    wrong_phone = api.client.post(
        f"/v1/booking/reservations/{code}/confirm", headers=api.kiosk, json={"phone": "010-9999-9999"}
    )
    assert wrong_phone.status_code == 404 and wrong_phone.json()["code"] == "booking_not_found"
    confirmed = api.client.post(
        f"/v1/booking/reservations/{code.lower()}/confirm", headers=api.kiosk, json={"phone": "010-1234-5678"}
    ).json()
    assert confirmed["status"] == "confirmed" and confirmed["hold_expires_at"] is None
    moved = api.client.post(
        f"/v1/booking/reservations/{code}/reschedule",
        headers=api.kiosk,
        json={"phone": "010-1234-5678", "slot_id": slots[1]["slot_id"]},
    )
    assert moved.status_code == 200 and moved.json()["local_time"] == slots[1]["local_time"]
    assert moved.json()["code"] == code and moved.json()["status"] == "confirmed"
    free_times = [s["local_time"] for s in _slots(api, "consult-dermatologist", day)]
    assert slots[0]["local_time"] in free_times and slots[1]["local_time"] not in free_times
    looked_up = api.client.get(
        f"/v1/booking/reservations/{code}", headers=api.kiosk, params={"phone": "010-1234-5678"}
    )
    assert looked_up.status_code == 200 and looked_up.json()["local_time"] == slots[1]["local_time"]
    cancelled = api.client.post(
        f"/v1/booking/reservations/{code}/cancel", headers=api.kiosk, json={"phone": "010-1234-5678"}
    )
    assert cancelled.json()["status"] == "cancelled"
    assert slots[1]["local_time"] in [s["local_time"] for s in _slots(api, "consult-dermatologist", day)]
    again = api.client.post(
        f"/v1/booking/reservations/{code}/cancel", headers=api.kiosk, json={"phone": "010-1234-5678"}
    )
    assert again.status_code == 409 and again.json()["code"] == "booking_cancelled"
    # another clinic's kiosk cannot see the code
    other = api.client.get(
        f"/v1/booking/reservations/{code}",
        headers=api.h(api.tokens.kiosk_b),
        params={"phone": "010-1234-5678"},
    )
    assert other.status_code == 404


def test_full_slot_bad_phone_bad_slot_and_expired_hold(api) -> None:
    day = next_open_day()
    slot = _slots(api, "consult-dermatologist", day)[2]
    for phone in ("02-555-0100", "010-123-456", "abc", ""):
        bad = _reserve(api, slot["slot_id"], phone=phone)
        assert bad.status_code == 422 and bad.json()["code"] == "invalid_phone"
    first = _reserve(api, slot["slot_id"]).json()
    second = _reserve(api, slot["slot_id"], phone="010-5555-6666")
    assert second.status_code == 409 and second.json()["code"] == "slot_full"
    missing = _reserve(api, "0" * 32)
    assert missing.status_code == 404 and missing.json()["code"] == "slot_not_found"
    # a hold that ran out gives its seat back, and cannot be confirmed any more
    with session_scope(api.url) as db:
        db.execute(
            update(Booking)
            .where(Booking.code == first["code"])
            .values(created_at=datetime.now().astimezone() - timedelta(minutes=30))
        )
    third = _reserve(api, slot["slot_id"], phone="010-7777-8888")
    assert third.status_code == 201, third.text
    late = api.client.post(
        f"/v1/booking/reservations/{first['code']}/confirm",
        headers=api.kiosk,
        json={"phone": "010-1234-5678"},
    )
    assert late.status_code == 409 and late.json()["code"] in ("hold_expired", "booking_cancelled")


def test_reserve_idempotency_key(api) -> None:
    slot = _slots(api, "acne-extraction", next_open_day())[0]
    headers = {"Idempotency-Key": "press-1"}
    one = _reserve(api, slot["slot_id"], headers=headers)
    two = _reserve(api, slot["slot_id"], headers=headers)
    assert one.status_code == two.status_code == 201 and one.json()["code"] == two.json()["code"]
    with session_scope(api.url) as db:
        assert len(db.scalars(select(Booking).where(Booking.slot_id == slot["slot_id"])).all()) == 1


@pytest.fixture
def live_server(db_url, settings_factory):
    """The real app under uvicorn on a free loopback port, in a thread of this process."""
    settings = make_settings(settings_factory, db_url)
    tokens = seed(db_url)
    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings), host="127.0.0.1", port=port, log_level="warning", limit_concurrency=200
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{port}", tokens, db_url
    server.should_exit = True
    thread.join(10)


def test_fifty_concurrent_requests_for_the_last_seat_make_exactly_one_booking(live_server) -> None:
    base, tokens, url = live_server
    headers = {"Authorization": f"Bearer {tokens.kiosk}"}
    day = next_open_day(3)
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        slot = client.get(
            "/v1/booking/slots", params={"item": "consult-dermatologist", "date_from": day}
        ).json()["slots"][0]
    barrier = threading.Barrier(50)

    def attempt(i: int) -> tuple[int, str]:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            r = client.post(
                "/v1/booking/reservations",
                json={"slot_id": slot["slot_id"], "name": f"방문자{i}", "phone": f"010-1000-{i:04d}"},
            )
            return r.status_code, r.json().get("code", "")

    with ThreadPoolExecutor(max_workers=50) as pool:
        results = list(pool.map(attempt, range(50)))
    statuses = Counter(status for status, _ in results)
    assert statuses == {201: 1, 409: 49}, statuses
    assert all(code == "slot_full" for status, code in results if status == 409)
    with session_scope(url) as db:
        rows = db.scalars(select(Booking).where(Booking.slot_id == slot["slot_id"])).all()
    assert len(rows) == 1 and rows[0].seat == 1


def test_catalog_of_the_demo_clinic_loads() -> None:
    catalog = load_catalog(DEFAULT_KNOWLEDGE)
    assert catalog.timezone == "Asia/Seoul" and catalog.slot_minutes == 30 and len(catalog.items) >= 10


def test_a_shared_room_holds_only_its_capacity_across_items(api) -> None:
    """care-1 (capacity 2) serves aqua peel and acne extraction; laser-2 (capacity 1) serves PDT and IPL."""
    day = next_open_day()
    peel = {s["local_time"]: s for s in _slots(api, "aqua-peel", day)}["10:00"]
    for phone in ("010-1111-0001", "010-1111-0002"):
        assert _reserve(api, peel["slot_id"], phone=phone).status_code == 201
    extraction = {s["local_time"]: s for s in _slots(api, "acne-extraction", day, include_full="true")}
    assert extraction["10:00"]["seats_left"] == 0 and extraction["10:30"]["seats_left"] == 0  # peel is 40 min
    assert extraction["11:00"]["seats_left"] == 2
    full = _reserve(api, extraction["10:00"]["slot_id"], phone="010-1111-0003")
    assert full.status_code == 409 and full.json()["code"] == "slot_full"
    pdt = {s["local_time"]: s for s in _slots(api, "pdt", day)}["15:00"]
    assert _reserve(api, pdt["slot_id"], phone="010-1111-0004").status_code == 201
    ipl = {s["local_time"]: s for s in _slots(api, "ipl", day, include_full="true")}
    assert ipl["16:00"]["seats_left"] == 0 and ipl["16:30"]["seats_left"] == 1  # PDT runs 15:00-16:30
    assert _reserve(api, ipl["16:00"]["slot_id"], phone="010-1111-0005").json()["code"] == "slot_full"


def test_concurrent_requests_for_one_room_across_items_make_one_booking(live_server) -> None:
    """laser-2 holds one visitor: PDT at 10:00 (90 min) and IPL at 10:30 compete for the same room."""
    base, tokens, _ = live_server
    headers = {"Authorization": f"Bearer {tokens.kiosk}"}
    day = next_open_day(4)
    with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
        pdt = client.get("/v1/booking/slots", params={"item": "pdt", "date_from": day}).json()["slots"][0]
        ipl = next(
            s
            for s in client.get("/v1/booking/slots", params={"item": "ipl", "date_from": day}).json()["slots"]
            if s["local_time"] == "10:30"
        )
    barrier = threading.Barrier(20)

    def attempt(i: int) -> int:
        with httpx.Client(base_url=base, headers=headers, timeout=60) as client:
            barrier.wait()
            slot = (pdt, ipl)[i % 2]
            return client.post(
                "/v1/booking/reservations",
                json={"slot_id": slot["slot_id"], "name": f"방문자{i}", "phone": f"010-2000-{i:04d}"},
            ).status_code

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = Counter(pool.map(attempt, range(20)))
    assert statuses == {201: 1, 409: 19}, statuses
