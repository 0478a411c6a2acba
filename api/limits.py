"""Request body limit, before any parsing: Content-Length is checked up front and the streamed body
is counted, so a client that lies about (or omits) the length is still cut off at the limit with
413 ``payload_too_large``."""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.errors import problem_body

MULTIPART_OVERHEAD = 64 * 1024  # form fields and part headers around the file


class BodySizeLimitMiddleware:
    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes + MULTIPART_OVERHEAD

    async def _reject(self, send: Send) -> None:
        body = json.dumps(
            problem_body(
                413,
                "payload_too_large",
                "The request is too large",
                f"At most {self.max_bytes - MULTIPART_OVERHEAD} bytes of upload.",
            )
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": 413,
                "headers": [
                    (b"content-type", b"application/problem+json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None:
            try:
                too_big = int(length) > self.max_bytes
            except ValueError:
                too_big = False
            if too_big:
                await self._reject(send)
                return
        state = {"received": 0, "exceeded": False, "started": False, "replaced": False}

        async def limited_receive() -> Message:
            message = await receive()
            if message["type"] == "http.request":
                state["received"] += len(message.get("body", b""))
                if state["received"] > self.max_bytes:
                    state["exceeded"] = True
                    raise ValueError("request body over the limit")
            return message

        async def guarded_send(message: Message) -> None:
            if state["replaced"]:
                return
            if message["type"] == "http.response.start" and state["exceeded"]:
                state["replaced"] = True
                await self._reject(send)
                return
            await send(message)

        try:
            await self.app(scope, limited_receive, guarded_send)
        except Exception:
            if not state["exceeded"]:
                raise
            if not state["replaced"]:
                state["replaced"] = True
                await self._reject(send)
