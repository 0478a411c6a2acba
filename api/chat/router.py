"""Chat messages: a JSON reply, or Server-Sent Events with ``Accept: text/event-stream``."""

from __future__ import annotations

import json
import logging
from collections.abc import Iterator
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, StreamingResponse

from api.auth.principal import VisitorDep
from api.chat import service
from api.chat.schemas import ChatReply, MessageIn
from api.components import ComponentsDep
from api.db.session import session_scope
from api.deps import DbDep, SettingsDep
from api.errors import ProblemError, problem_body
from api.ratelimit import hit

router = APIRouter(prefix="/consultations", tags=["chat"])
log = logging.getLogger("skinchat.chat")


def sse(event: str, data: Any) -> str:
    return f"event: {event}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n"


@router.post(
    "/{consultation_id}/messages",
    status_code=201,
    response_model=ChatReply,
    responses={
        200: {
            "content": {"text/event-stream": {}},
            "description": "token events, then a final event with the ChatReply",
        }
    },
)
def post_message(
    consultation_id: str,
    body: MessageIn,
    request: Request,
    principal: VisitorDep,
    db: DbDep,
    settings: SettingsDep,
    components: ComponentsDep,
) -> Any:
    prepared = service.prepare(db, settings, principal, consultation_id, body.content)
    hit(settings.resolved_database_url, f"chat:{prepared.consultation_id}", settings.rate_limit_per_minute)
    if "text/event-stream" not in request.headers.get("accept", ""):
        reply = service.answer(components, prepared)
        return JSONResponse(
            service.persist(db, settings, components, principal, prepared, reply), status_code=201
        )

    def events() -> Iterator[str]:
        try:
            reply = None
            for part in service.stream(components, prepared):
                if isinstance(part, str):
                    yield sse("token", {"text": part})
                else:
                    reply = part
            if reply is None:
                raise ProblemError(503, "assistant_unavailable", "The assistant gave no answer")
            with session_scope(settings.resolved_database_url) as session:
                payload = service.persist(session, settings, components, principal, prepared, reply)
            if reply.intent is not None:  # the offer's text is only known once the slots are read
                yield sse("token", {"text": payload["message"]["content"]})
            yield sse("final", payload)
        except ProblemError as exc:
            yield sse("error", problem_body(exc.status, exc.code, exc.title, exc.detail, **exc.extra))
        except Exception:
            log.exception("chat stream failed")
            yield sse(
                "error",
                problem_body(
                    503,
                    "assistant_unavailable",
                    "The assistant is not available",
                    "Nothing was saved. Please try again.",
                ),
            )

    return StreamingResponse(
        events(),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"},
    )
