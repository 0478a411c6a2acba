"""Booking intent in a chat message: "내일 오후에 여드름 상담 예약하고 싶어요" → (item, day, part).

Rules, not a model: the words are few and fixed (예약/book, 오늘/내일/모레, 오전/오후, weekdays, M월 D일),
the kiosk must answer instantly, and a miss only means the visitor gets an ordinary answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from api.booking.catalog import ClinicCatalog

_BOOK = re.compile(
    r"예약|잡아\s*주|잡고\s*싶|\bbook(ing)?\b|\breserv(e|ation)\b|\bappointment\b|\bschedule\b", re.IGNORECASE
)
_NOT_BOOKING = re.compile(
    r"예약\s*(취소|변경|확인|없이|안\s*하고)|without\s+(an?\s+)?(booking|appointment|reservation)"
    r"|cancel|reschedul",
    re.IGNORECASE,
)
_PART = (
    ("morning", re.compile(r"오전|아침|\bmorning\b|\d\s*a\.?m\b", re.IGNORECASE)),
    ("afternoon", re.compile(r"오후|점심\s*후|\bafternoon\b|\d\s*p\.?m\b", re.IGNORECASE)),
    ("evening", re.compile(r"저녁|퇴근\s*후|\bevening\b|\btonight\b", re.IGNORECASE)),
)
_WEEKDAYS_KO = ("월요일", "화요일", "수요일", "목요일", "금요일", "토요일", "일요일")
_WEEKDAYS_EN = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_MONTH_DAY = re.compile(r"(\d{1,2})\s*월\s*(\d{1,2})\s*일|(\d{1,2})/(\d{1,2})")
# Keywords for the items people name loosely; exact catalog names are matched first.
_ITEM_WORDS = (
    (
        "consult-dermatologist",
        re.compile(r"상담|진료|진찰|consult|check-?up|see a doctor|dermatologist", re.IGNORECASE),
    ),
    ("acne-extraction", re.compile(r"압출|extraction", re.IGNORECASE)),
    ("salicylic-peel", re.compile(r"필링|\bpeel(ing)?\b", re.IGNORECASE)),
    ("aqua-peel", re.compile(r"스케일링|아쿠아|aqua|scaling", re.IGNORECASE)),
    ("pico-toning", re.compile(r"피코|\bpico\b", re.IGNORECASE)),
    ("laser-toning", re.compile(r"레이저\s*토닝|laser toning", re.IGNORECASE)),
    ("scar-treatment", re.compile(r"흉터|\bscars?\b", re.IGNORECASE)),
    ("pdt", re.compile(r"\bPDT\b|광역동", re.IGNORECASE)),
    ("soothing-care", re.compile(r"진정|calming|soothing", re.IGNORECASE)),
)


@dataclass(frozen=True)
class BookingIntent:
    item_code: str
    day: date | None  # None: the next open day
    part_of_day: str | None


def _day(text: str, today: date) -> date | None:
    lowered = text.lower()
    if "모레" in text or "day after tomorrow" in lowered:
        return today + timedelta(days=2)
    if "내일" in text or "tomorrow" in lowered:
        return today + timedelta(days=1)
    if "오늘" in text or "today" in lowered or "tonight" in lowered:
        return today
    for index, (ko, en) in enumerate(zip(_WEEKDAYS_KO, _WEEKDAYS_EN, strict=True)):
        if ko in text or en in lowered:
            ahead = (index - today.weekday()) % 7
            return (
                today + timedelta(days=ahead or 7)
                if "다음" in text or "next" in lowered
                else today + timedelta(days=ahead)
            )
    match = _MONTH_DAY.search(text)
    if match:
        month, day = (int(match.group(1) or match.group(3)), int(match.group(2) or match.group(4)))
        try:
            candidate = date(today.year, month, day)
        except ValueError:
            return None
        return candidate if candidate >= today else date(today.year + 1, month, day)
    return None


def _item(text: str, catalog: ClinicCatalog) -> str | None:
    lowered = text.lower()
    named = [i for i in catalog.items if i.name_ko in text or i.name_en.lower() in lowered]
    if named:
        return max(named, key=lambda i: len(i.name_ko)).code
    codes = {i.code for i in catalog.items}
    for code, pattern in _ITEM_WORDS:
        if code in codes and pattern.search(text):
            return code
    return catalog.items[0].code if catalog.items else None


def detect(text: str, catalog: ClinicCatalog, today: date) -> BookingIntent | None:
    """The booking the visitor asks for, or None when the message is not a request to book."""
    if not _BOOK.search(text) or _NOT_BOOKING.search(text) or not catalog.items:
        return None
    code = _item(text, catalog)
    if code is None:
        return None
    part = next((name for name, pattern in _PART if pattern.search(text)), None)
    return BookingIntent(code, _day(text, today), part)
