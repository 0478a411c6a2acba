"""Booking intent rules (no database): what counts as a request to book, for what, when."""

from __future__ import annotations

from datetime import date

import pytest

from api.booking.catalog import load_catalog
from api.chat.intent import detect
from api.settings import DEFAULT_KNOWLEDGE

CATALOG = load_catalog(DEFAULT_KNOWLEDGE)
FRIDAY = date(2026, 11, 27)


@pytest.mark.parametrize(
    ("text", "item", "day", "part"),
    [
        ("내일 오후에 여드름 상담 예약하고 싶어요", "consult-dermatologist", date(2026, 11, 28), "afternoon"),
        (
            "book an acne consultation tomorrow afternoon",
            "consult-dermatologist",
            date(2026, 11, 28),
            "afternoon",
        ),
        ("모레 오전에 여드름 압출 예약 가능해요?", "acne-extraction", date(2026, 11, 29), "morning"),
        ("다음 주 월요일 저녁 피코토닝 예약할게요", "pico-toning", date(2026, 11, 30), "evening"),
        ("12월 3일에 PDT 예약하고 싶어요", "pdt", date(2026, 12, 3), None),
        ("I am hoping to book a salicylic acid peel on Wednesday", "salicylic-peel", date(2026, 12, 2), None),
        ("Can I make an appointment at 3 pm today?", "consult-dermatologist", FRIDAY, "afternoon"),
    ],
)
def test_booking_requests_are_understood(text: str, item: str, day: date, part: str | None) -> None:
    intent = detect(text, CATALOG, FRIDAY)
    assert intent is not None
    assert (intent.item_code, intent.day, intent.part_of_day) == (item, day, part)


@pytest.mark.parametrize(
    "text",
    [
        "여드름 압출 가격이 얼마예요?",
        "예약 없이 방문해도 되나요?",
        "예약 취소하고 싶어요",
        "How do I cancel my booking?",
        "Do you take walk-ins without an appointment?",
        "I am worried about scars",
    ],
)
def test_other_messages_are_not_booking_requests(text: str) -> None:
    assert detect(text, CATALOG, FRIDAY) is None
