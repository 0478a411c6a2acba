"""UTC helpers. SQLite hands back naive datetimes for timezone-aware columns, PostgreSQL aware ones.
Everything in the services goes through ``aware`` so comparisons and JSON look the same on both."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo


def utcnow() -> datetime:
    return datetime.now(UTC)


def aware(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


MIN_DAY, MAX_DAY = date(2000, 1, 1), date(2100, 12, 31)


def check_days(*days: date | None) -> None:
    """Dates a clinic can mean; anything else is 422 ``invalid_date_range`` (and never an overflow)."""
    from api.errors import ProblemError

    for day in days:
        if day is not None and not (MIN_DAY <= day <= MAX_DAY):
            raise ProblemError(
                422,
                "invalid_date_range",
                "The date is out of range",
                f"Dates must be between {MIN_DAY} and {MAX_DAY}.",
            )


def local_day_bounds(day_from: date, day_to: date, tz: str) -> tuple[datetime, datetime]:
    """[start of day_from, start of the day after day_to) in the clinic's zone, as UTC."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day_from, time.min, zone).astimezone(UTC)
    end = datetime.combine(day_to, time.min, zone).astimezone(UTC)
    from datetime import timedelta

    return start, end + timedelta(days=1)


def local_date(value: datetime, tz: str) -> date:
    return aware(value).astimezone(ZoneInfo(tz)).date()  # type: ignore[union-attr]
