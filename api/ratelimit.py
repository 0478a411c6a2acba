"""Fixed-window rate limits kept in ``rate_limit_buckets``, so every replica counts against the same window.

The counter is bumped in its own short transaction (an upsert), so a request that later fails still counts
and the request's own unit of work stays separate.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite

from api.db.models import RateLimitBucket
from api.db.session import session_scope
from api.errors import ProblemError

WINDOW_SECONDS = 60


def _window(now: datetime) -> datetime:
    return now.replace(second=0, microsecond=0)


def hit(database_url: str, key: str, limit: int, now: datetime | None = None) -> int:
    """Count one request for ``key``; raise 429 ``rate_limited`` when the window is over ``limit``."""
    now = now or datetime.now(UTC)
    window = _window(now)
    dialect = postgresql if database_url.startswith("postgresql") else sqlite
    stmt = dialect.insert(RateLimitBucket).values(key=key[:120], window_start=window, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[RateLimitBucket.key, RateLimitBucket.window_start],
        set_={"count": RateLimitBucket.count + 1},
    ).returning(RateLimitBucket.count)
    with session_scope(database_url) as db:
        count = int(db.execute(stmt).scalar_one())
        if count == 1:  # first hit of a new window: drop windows that can no longer matter
            db.execute(
                delete(RateLimitBucket).where(
                    RateLimitBucket.key == key[:120],
                    RateLimitBucket.window_start < window - timedelta(hours=1),
                )
            )
    if count > limit:
        retry_after = WINDOW_SECONDS - now.second
        raise ProblemError(
            429,
            "rate_limited",
            "Too many requests",
            f"Please wait {retry_after} seconds and try again.",
            retry_after=retry_after,
        )
    return count
