"""Chat messages: answers with citations, masking before storage, guardrail events, SSE, booking offers."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from api.db.models import Consultation, GuardrailEvent, Message
from api.db.session import session_scope
from kiosk.sse import parse_sse

PHONE = re.compile(r"01[016789][ -.]?\d{3,4}[ -.]?\d{4}")
RRN = re.compile(r"\d{6}\s?-?\s?[1-8]\d{6}")


def _post(api, cid: str, content: str, **headers: str):
    return api.client.post(
        f"/v1/consultations/{cid}/messages", json={"content": content}, headers={**api.kiosk, **headers}
    )


def test_answer_with_citations_is_stored_in_order(api) -> None:
    cid = api.consultation()["id"]
    response = _post(api, cid, "여드름 압출 가격이 얼마예요?")
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["message"]["role"] == "assistant" and "50,000원" in body["message"]["content"]
    assert body["citations"][0]["doc_id"] == "prices-ko" and body["guardrail"] is None
    assert body["booking_offer"] is None and body["abstained"] is False
    transcript = api.client.get(f"/v1/consultations/{cid}/messages", headers=api.kiosk).json()["messages"]
    assert [m["role"] for m in transcript] == ["user", "assistant"]
    assert transcript[1]["citations"][0]["doc_id"] == "prices-ko"
    consultation = api.client.get(f"/v1/consultations/{cid}", headers=api.kiosk).json()
    assert consultation["outcome"] == "chat"
    # the clinic's own urgent number in the answer is not masked away
    assert "02-555-0119" in transcript[1]["content"]


def test_stored_messages_never_contain_phone_or_resident_number(api) -> None:
    cid = api.consultation()["id"]
    text = "제 번호는 010-1234-5678 이고 주민번호는 900101-1234567 입니다. 예약 확인 부탁해요"
    response = _post(api, cid, text)
    assert response.status_code == 201, response.text
    with session_scope(api.url) as db:
        stored = db.scalars(select(Message.content).where(Message.consultation_id == cid)).all()
        events = db.scalars(select(GuardrailEvent).where(GuardrailEvent.consultation_id == cid)).all()
    assert len(stored) == 2
    for content in stored:
        assert not PHONE.search(content), content
        assert not RRN.search(content), content
    # the fake assistant echoes its question: the assistant output was masked too before storage
    assert any(e.category == "pii" and e.action == "masked" for e in events)
    assert not api.client.get(f"/v1/consultations/{cid}", headers=api.kiosk).json()["flagged"]


@pytest.mark.parametrize(
    ("content", "code"),
    [("", "message_empty"), ("   \n ", "message_empty"), ("가" * 10_000, "message_too_long")],
)
def test_empty_and_long_messages_have_their_own_codes(api, content: str, code: str) -> None:
    cid = api.consultation()["id"]
    response = _post(api, cid, content)
    assert response.status_code == 422 and response.json()["code"] == code
    with session_scope(api.url) as db:
        assert db.scalars(select(Message).where(Message.consultation_id == cid)).all() == []


def test_blocked_question_flags_the_consultation_and_records_the_event(api) -> None:
    cid = api.consultation()["id"]
    body = _post(api, cid, "로아큐탄 처방해 주세요").json()
    assert body["message"]["blocked"] is True
    assert body["guardrail"]["category"] == "prescription" and body["guardrail"]["action"] == "blocked"
    with session_scope(api.url) as db:
        consultation = db.get(Consultation, cid)
        assert consultation.flagged and consultation.flag_reason == "prescription"
        event = db.scalar(select(GuardrailEvent).where(GuardrailEvent.consultation_id == cid))
        assert event.direction == "input" and event.action == "blocked"
    emergency = _post(api, cid, "입술이 붓고 숨쉬기가 힘들어요").json()
    assert emergency["guardrail"]["action"] == "escalated" and emergency["guardrail"]["escalate"] is True


def test_sse_stream_sends_tokens_then_final(api) -> None:
    cid = api.consultation()["id"]
    with api.client.stream(
        "POST",
        f"/v1/consultations/{cid}/messages",
        json={"content": "압출 가격?"},
        headers={**api.kiosk, "Accept": "text/event-stream"},
    ) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        raw = "".join(response.iter_text())
    assert raw.endswith("\n\n")
    events = list(parse_sse(raw.split("\n")))
    assert [e.event for e in events[:-1]] == ["token"] * (len(events) - 1) and len(events) > 2
    assert events[-1].event == "final"
    final = events[-1].json()
    streamed = "".join(e.json()["text"] for e in events[:-1])
    assert streamed.strip() == final["message"]["content"].strip()
    assert final["citations"][0]["doc_id"] == "prices-ko"
    for line in raw.split("\n"):
        assert line == "" or line.startswith(("event: ", "data: "))
    with session_scope(api.url) as db:
        assert len(db.scalars(select(Message).where(Message.consultation_id == cid)).all()) == 2


def test_sse_error_event_and_nothing_stored_when_the_assistant_fails(api) -> None:
    cid = api.consultation()["id"]
    api.components.broken.add("assistant")
    with api.client.stream(
        "POST",
        f"/v1/consultations/{cid}/messages",
        json={"content": "가격?"},
        headers={**api.kiosk, "Accept": "text/event-stream"},
    ) as response:
        raw = "".join(response.iter_text())
    events = list(parse_sse(raw.split("\n")))
    assert events[-1].event == "error" and events[-1].json()["code"] == "assistant_unavailable"
    plain = _post(api, cid, "가격?")
    assert plain.status_code == 503 and plain.json()["code"] == "assistant_unavailable"
    with session_scope(api.url) as db:
        assert db.scalars(select(Message).where(Message.consultation_id == cid)).all() == []


@pytest.mark.parametrize(
    "text",
    ["내일 오후에 여드름 상담 예약하고 싶어요", "I'd like to book an acne consultation tomorrow afternoon"],
)
def test_booking_intent_offers_free_slots(api, text: str) -> None:
    cid = api.consultation()["id"]
    body = _post(api, cid, text).json()
    offer = body["booking_offer"]
    assert offer is not None, body
    assert offer["item"]["code"] == "consult-dermatologist" and offer["part_of_day"] == "afternoon"
    for slot in offer["slots"]:
        hour = int(slot["local_time"][:2])
        assert 12 <= hour < 18 and slot["seats_left"] >= 1
        assert not ("13:00" <= slot["local_time"] < "14:00")  # lunch break
    if offer["slots"]:  # tomorrow may be a Sunday or a holiday
        assert offer["slots"][0]["local_time"] in body["message"]["content"]
        booked = api.client.post(
            "/v1/booking/reservations",
            headers=api.kiosk,
            json={
                "slot_id": offer["slots"][0]["slot_id"],
                "name": "김하늘",
                "phone": "010-2222-3333",
                "consultation_id": cid,
            },
        )
        assert booked.status_code == 201, booked.text
        assert api.client.get(f"/v1/consultations/{cid}", headers=api.kiosk).json()["outcome"] == "booking"
    assert api.components.fake_assistant.questions == []  # answered by the booking path, not the RAG


def test_messages_to_another_clinics_consultation_are_404(api) -> None:
    cid = api.consultation(token=api.tokens.kiosk_b)["id"]
    response = _post(api, cid, "안녕하세요")
    assert response.status_code == 404 and response.json()["code"] == "consultation_not_found"


def test_sse_final_payload_is_json(api) -> None:
    cid = api.consultation()["id"]
    response = api.client.post(
        f"/v1/consultations/{cid}/messages",
        json={"content": "book a consultation"},
        headers={**api.kiosk, "Accept": "text/event-stream"},
    )
    events = list(parse_sse(response.text.split("\n")))
    final = json.loads(events[-1].data)
    assert events[-1].event == "final" and final["booking_offer"]["item"]["code"] == "consult-dermatologist"


def test_booking_intent_on_a_named_weekday_lists_afternoon_slots(api) -> None:
    cid = api.consultation()["id"]
    body = _post(api, cid, "다음 주 수요일 오후에 여드름 압출 예약할 수 있나요?").json()
    offer = body["booking_offer"]
    assert offer["item"]["code"] == "acne-extraction" and offer["part_of_day"] == "afternoon"
    assert date.fromisoformat(offer["date"]).weekday() == 2
    holiday = date.fromisoformat(offer["date"]).isoformat() in {"2026-12-25", "2027-01-01"}
    assert holiday or offer["slots"], offer
    assert all(12 <= int(s["local_time"][:2]) < 18 for s in offer["slots"])
    assert "예약 가능한 시간" in body["message"]["content"]


def test_questions_about_booking_policy_are_not_booking_requests(api) -> None:
    cid = api.consultation()["id"]
    body = _post(api, cid, "예약 없이 방문해도 되나요?").json()
    assert body["booking_offer"] is None and api.components.fake_assistant.questions
