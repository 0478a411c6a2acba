"""RFC 7807 problem responses. Every error a client can see has a stable ``code`` it can switch on."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeoutError
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.logging_setup import request_id_var

log = logging.getLogger("skinchat.errors")
PROBLEM_JSON = "application/problem+json"


class ProblemError(Exception):
    """Raise from services and routes; becomes a problem response with this status and code."""

    def __init__(self, status: int, code: str, title: str, detail: str = "", **extra: Any) -> None:
        super().__init__(f"{code}: {detail or title}")
        self.status, self.code, self.title, self.detail, self.extra = status, code, title, detail, extra


def problem_body(status: int, code: str, title: str, detail: str = "", **extra: Any) -> dict[str, Any]:
    return {
        "type": f"https://skinchat.dev/problems/{code}",
        "title": title,
        "status": status,
        "detail": detail,
        "code": code,
        "request_id": request_id_var.get(),
        **extra,
    }


def problem_response(status: int, code: str, title: str, detail: str = "", **extra: Any) -> JSONResponse:
    return JSONResponse(problem_body(status, code, title, detail, **extra), status_code=status,
                        media_type=PROBLEM_JSON)


_HTTP_CODES = {
    400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found", 405: "method_not_allowed",
    409: "conflict", 413: "payload_too_large", 415: "unsupported_media_type", 422: "validation_error",
    429: "rate_limited",
}


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ProblemError)
    async def _problem(_: Request, exc: ProblemError) -> JSONResponse:
        return problem_response(exc.status, exc.code, exc.title, exc.detail, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(_: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [{"loc": list(e.get("loc", ())), "msg": str(e.get("msg", ""))} for e in exc.errors()]
        return problem_response(422, "validation_error", "The request is not valid", "See errors.",
                                errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(_: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = _HTTP_CODES.get(exc.status_code, "http_error")
        return problem_response(exc.status_code, code, str(exc.detail), str(exc.detail))

    @app.exception_handler(OperationalError)
    @app.exception_handler(DBAPIError)
    @app.exception_handler(PoolTimeoutError)
    async def _database(_: Request, exc: Exception) -> JSONResponse:
        log.error("database error: %s", type(exc).__name__)
        return problem_response(503, "database_unavailable", "The database is not reachable",
                                "Nothing was saved. Please try again shortly.")

    @app.exception_handler(Exception)
    async def _unexpected(_: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error")
        return problem_response(500, "internal_error", "Something went wrong", "The error was logged.")
