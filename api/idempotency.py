"""Idempotency-Key for POSTs that must not happen twice (consultation create, booking reserve).

The first response is saved in ``idempotency_keys`` in the same transaction as the work itself, so a replay
on any replica returns it, and a crash leaves neither the work nor the key behind.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from fastapi import Request
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from api.db.models import IdempotencyKey
from api.errors import ProblemError

HEADER = "idempotency-key"
_KEY = re.compile(r"^[A-Za-z0-9_.:-]{1,64}$")


@dataclass(frozen=True)
class Replay:
    status_code: int
    body: dict[str, Any]


def key_from(request: Request) -> str | None:
    value = request.headers.get(HEADER)
    if value is None:
        return None
    if not _KEY.match(value):
        raise ProblemError(
            422,
            "invalid_idempotency_key",
            "The Idempotency-Key header is not valid",
            "Use 1-64 characters of A-Z a-z 0-9 _ . : -",
        )
    return value


def fingerprint(payload: Any) -> str:
    return hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode()).hexdigest()


def _row_key(scope: str, key: str) -> str:
    return f"{scope}:{key}"


def find(db: Session, clinic_id: str, scope: str, key: str, request_hash: str) -> Replay | None:
    row = db.get(IdempotencyKey, (_row_key(scope, key), clinic_id))
    if row is None:
        return None
    if row.body.get("request_hash") != request_hash:
        raise ProblemError(
            422,
            "idempotency_key_reused",
            "This Idempotency-Key was used for another request",
            "Use a new key for a different request.",
        )
    return Replay(row.status_code, row.body["response"])


def remember(
    db: Session,
    clinic_id: str,
    scope: str,
    key: str,
    request_hash: str,
    status_code: int,
    response: dict[str, Any],
) -> None:
    """Add the key to the caller's unit of work; a concurrent twin makes the commit fail, then replay."""
    db.add(
        IdempotencyKey(
            key=_row_key(scope, key),
            clinic_id=clinic_id,
            status_code=status_code,
            body={"request_hash": request_hash, "response": response},
        )
    )


def commit_or_replay(
    db: Session,
    clinic_id: str,
    scope: str,
    key: str | None,
    request_hash: str,
    status_code: int,
    response: dict[str, Any],
    on_conflict: Callable[[], Exception] | None = None,
) -> Replay | None:
    """Commit the work together with its key. None: this request's own work is saved.

    When the commit hits a constraint, a concurrent twin with the same key may have won the race: its saved
    response is returned. Any other conflict raises ``on_conflict()`` (or the IntegrityError itself).
    """
    if key:
        remember(db, clinic_id, scope, key, request_hash, status_code, response)
    try:
        db.commit()
    except IntegrityError:
        db.rollback()
        if key and (replay := find(db, clinic_id, scope, key, request_hash)):
            return replay
        if on_conflict is not None:
            raise on_conflict() from None
        raise
    return None
