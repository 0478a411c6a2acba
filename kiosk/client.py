"""The kiosk's and the staff console's only door to the backend: one httpx client, one error type tree.

Why one module: the kiosk in the lobby and the API in the back office may be different machines, so
everything crosses HTTP here and nowhere else. Every failure becomes one of three exceptions the screens
can switch on without reading status codes:

* ``ApiUnavailable``: the server cannot be reached, timed out, or answered 502/503/504. Screens show
  "잠시 후 다시 시도해 주세요" and retry; nothing the visitor did was wrong.
* ``ApiAuthError``: 401/403 (a wrong device token, an expired staff login).
* ``ApiError``: any other problem response; ``code`` is the API's stable problem code.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx

from kiosk.sse import ServerEvent, parse_sse

UNAVAILABLE_STATUSES = {502, 503, 504}


class ApiError(Exception):
    """A problem response from the API (RFC 7807 body with a stable ``code``)."""

    def __init__(self, status: int, code: str, title: str = "", detail: str = "",
                 body: dict[str, Any] | None = None) -> None:
        super().__init__(f"{status} {code}: {detail or title}")
        self.status, self.code, self.title, self.detail = status, code, title, detail
        self.body = body or {}


class ApiUnavailable(ApiError):
    """The API is down, unreachable or overloaded; try again later."""


class ApiAuthError(ApiError):
    """The credentials were refused (device token, staff login, expired JWT)."""


@dataclass
class ChatStreamResult:
    """What a finished chat stream leaves behind, filled in while the text chunks are consumed."""

    text: str = ""
    message: dict[str, Any] = field(default_factory=dict)  # the final event's payload

    @property
    def citations(self) -> list[dict[str, Any]]:
        return list(self.message.get("citations") or [])

    @property
    def guardrail(self) -> dict[str, Any] | None:
        return self.message.get("guardrail")

    @property
    def booking_offer(self) -> dict[str, Any] | None:
        return self.message.get("booking_offer")


def _problem(response: httpx.Response) -> ApiError:
    try:
        body = response.json()
    except ValueError:
        body = {}
    if not isinstance(body, dict):
        body = {}
    status = response.status_code
    code = str(body.get("code") or ("unavailable" if status in UNAVAILABLE_STATUSES else f"http_{status}"))
    title, detail = str(body.get("title") or response.reason_phrase), str(body.get("detail") or "")
    if status in UNAVAILABLE_STATUSES:
        return ApiUnavailable(status, code, title, detail, body)
    if status in (401, 403):
        return ApiAuthError(status, code, title, detail, body)
    return ApiError(status, code, title, detail, body)


class SkinChatClient:
    """Typed calls to the SkinChat API. One instance per kiosk process (or per console login)."""

    def __init__(self, base_url: str, token: str = "", *, timeout: float = 30.0,
                 transport: httpx.BaseTransport | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        self._http = httpx.Client(base_url=self.base_url, timeout=httpx.Timeout(timeout, connect=3.0),
                                  transport=transport)

    # ── plumbing ───────────────────────────────────────────────────────────────────────────────
    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = {"Accept": "application/json"}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        if extra:
            headers.update(extra)
        return headers

    def _send(self, method: str, path: str, *, headers: dict[str, str] | None = None,
              **kwargs: Any) -> httpx.Response:
        try:
            response = self._http.request(method, path, headers=self._headers(headers), **kwargs)
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            raise ApiUnavailable(0, "unavailable", "API unreachable", type(exc).__name__) from exc
        if response.status_code >= 400:
            raise _problem(response)
        return response

    def _json(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self._send(method, path, **kwargs)
        if response.status_code == 204 or not response.content:
            return {}
        try:
            return response.json()
        except ValueError as exc:  # not the SkinChat API (a wrong base URL, a captive portal): same as down
            raise ApiUnavailable(response.status_code, "unavailable", "not a JSON answer",
                                 response.headers.get("content-type", "")) from exc

    def close(self) -> None:
        self._http.close()

    # ── health ─────────────────────────────────────────────────────────────────────────────────
    def is_alive(self) -> bool:
        """True when the API answers its liveness probe; never raises (used by the retry loop)."""
        try:
            return self._http.get("/healthz", timeout=2.0).status_code == 200
        except httpx.HTTPError:
            return False

    # ── kiosk: consultations, analyses, chat ───────────────────────────────────────────────────
    def create_consultation(self, language: str, *, photo_storage: bool = False, text_version: str = "v1",
                            idempotency_key: str | None = None) -> dict[str, Any]:
        """Start a visitor session, recording the photo consent the kiosk showed (``text_version``)."""
        body = {"language": language, "channel": "kiosk",
                "consents": {"photo_storage": photo_storage, "text_version": text_version}}
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return self._json("POST", "/v1/consultations", json=body, headers=headers)

    def consultation(self, consultation_id: str) -> dict[str, Any]:
        return self._json("GET", f"/v1/consultations/{consultation_id}")

    def analyze_photo(self, consultation_id: str, photo: bytes, *, filename: str = "photo.jpg",
                      content_type: str = "image/jpeg", consent: bool = False,
                      text_version: str = "v1") -> dict[str, Any]:
        """Upload the photo; the answer has lesions, counts, grade, the inline overlay and recommendations."""
        return self._json("POST", "/v1/analyses",
                          data={"consultation_id": consultation_id, "consent": str(consent).lower(),
                                "overlay": "inline", "consent_text_version": text_version},
                          files={"photo": (filename, photo, content_type)}, timeout=180.0)

    def get_overlay(self, url: str) -> bytes:
        """The outlined photo by its ``overlay.url`` (only when the photo was kept)."""
        return self._send("GET", url, headers={"Accept": "image/png"}).content

    def ask(self, consultation_id: str, text: str) -> dict[str, Any]:
        """A whole (non-streamed) ``ChatReply``."""
        return self._json("POST", f"/v1/consultations/{consultation_id}/messages", json={"content": text},
                          timeout=120.0)

    def ask_stream(self, consultation_id: str, text: str,
                   result: ChatStreamResult | None = None) -> Iterator[str]:
        """Yield the answer's text chunks as the server streams them (SSE ``token`` events).

        ``result`` (optional) is filled with the whole text and the final ``ChatReply`` (citations,
        guardrail, booking offer) when the stream ends, so a caller can hand this iterator to
        ``st.write_stream`` and still read the citations afterwards.
        """
        result = result if result is not None else ChatStreamResult()
        headers = self._headers({"Accept": "text/event-stream"})
        try:
            with self._http.stream("POST", f"/v1/consultations/{consultation_id}/messages",
                                   json={"content": text}, headers=headers, timeout=120.0) as response:
                if response.status_code >= 400:
                    response.read()
                    raise _problem(response)
                for event in parse_sse(response.iter_lines()):
                    chunk = _apply_event(event, result)
                    if chunk:
                        yield chunk
        except (httpx.TransportError, httpx.TimeoutException) as exc:
            raise ApiUnavailable(0, "unavailable", "API unreachable", type(exc).__name__) from exc

    # ── booking ────────────────────────────────────────────────────────────────────────────────
    def booking_items(self) -> list[dict[str, Any]]:
        return _items(self._json("GET", "/v1/booking/items"))

    def available_slots(self, item_code: str, date_from: str,
                        date_to: str | None = None) -> list[dict[str, Any]]:
        params = {"item": item_code, "date_from": date_from, "date_to": date_to or date_from}
        return _items(self._json("GET", "/v1/booking/slots", params=params))

    def reserve(self, slot_id: str, name: str, phone: str, consultation_id: str | None = None,
                idempotency_key: str | None = None) -> dict[str, Any]:
        """Hold a seat; the answer's ``code`` is the confirmation code (status ``held`` until confirmed)."""
        body: dict[str, Any] = {"slot_id": slot_id, "name": name, "phone": phone}
        if consultation_id:
            body["consultation_id"] = consultation_id
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        return self._json("POST", "/v1/booking/reservations", json=body, headers=headers)

    def confirm(self, code: str, phone: str) -> dict[str, Any]:
        return self._json("POST", f"/v1/booking/reservations/{code}/confirm", json={"phone": phone})

    def book(self, slot_id: str, name: str, phone: str, consultation_id: str | None = None,
             idempotency_key: str | None = None) -> dict[str, Any]:
        """Reserve and confirm in one step: the visitor is at the kiosk, so the hold is confirmed at once."""
        held = self.reserve(slot_id, name, phone, consultation_id, idempotency_key)
        if held.get("status") == "confirmed":
            return held
        return self.confirm(str(held["code"]), phone)

    # ── staff ──────────────────────────────────────────────────────────────────────────────────
    def staff_login(self, email: str, password: str) -> dict[str, Any]:
        """Log in; keeps the JWT on this client and returns the login answer (token, role, expiry)."""
        body = self._json("POST", "/v1/auth/login", json={"email": email, "password": password})
        self.token = str(body.get("access_token") or "")
        if not self.token:
            raise ApiError(500, "no_token", "login answered without a token")
        return body

    def conversations(self, **filters: Any) -> dict[str, Any]:
        """``{"total": n, "items": [...]}``, flagged first; filters as in docs/API.md."""
        params = {k: v for k, v in filters.items() if v not in (None, "", False)}
        return self._json("GET", "/v1/staff/consultations", params=params)

    def conversation(self, consultation_id: str) -> dict[str, Any]:
        return self._json("GET", f"/v1/staff/consultations/{consultation_id}")

    def staff_analysis(self, analysis_id: str) -> dict[str, Any]:
        return self._json("GET", f"/v1/staff/analyses/{analysis_id}")

    def staff_overlay(self, analysis_id: str) -> bytes:
        return self._send("GET", f"/v1/staff/analyses/{analysis_id}/overlay.png",
                          headers={"Accept": "image/png"}).content

    def delete_photo(self, analysis_id: str) -> dict[str, Any]:
        return self._json("DELETE", f"/v1/staff/analyses/{analysis_id}/photo")

    def bookings(self, day: str) -> list[dict[str, Any]]:
        return _items(self._json("GET", "/v1/staff/bookings", params={"date": day}))

    def funnel(self, date_from: str | None = None, date_to: str | None = None) -> dict[str, Any]:
        params = {k: v for k, v in {"date_from": date_from, "date_to": date_to}.items() if v}
        return self._json("GET", "/v1/staff/metrics/funnel", params=params)

    def upload_knowledge(self, files: list[tuple[str, bytes]]) -> dict[str, Any]:
        multipart = [("files", (name, data, "application/octet-stream")) for name, data in files]
        return self._json("POST", "/v1/staff/knowledge", files=multipart, timeout=600.0)

    # ── admin: kiosk devices and API keys (staff JWT with role admin; others get 403) ───────────
    def kiosk_devices(self) -> list[dict[str, Any]]:
        """The clinic's kiosks, revoked ones included: ``last_seen_at``, ``online`` (computed by the API)."""
        return _items(self._json("GET", "/v1/staff/kiosk-devices"))

    def register_kiosk_device(self, name: str) -> dict[str, Any]:
        """The new device plus its plaintext ``token``: the only time the API ever returns it."""
        return self._json("POST", "/v1/staff/kiosk-devices", json={"name": name})

    def revoke_kiosk_device(self, device_id: str) -> dict[str, Any]:
        """The device with ``revoked_at`` set; its token is refused from now on (idempotent)."""
        return self._json("POST", f"/v1/staff/kiosk-devices/{device_id}/revoke")

    def api_keys(self) -> list[dict[str, Any]]:
        return _items(self._json("GET", "/v1/staff/api-keys"))

    def create_api_key(self, name: str) -> dict[str, Any]:
        """The new key plus its plaintext ``token``, returned once."""
        return self._json("POST", "/v1/staff/api-keys", json={"name": name})

    def revoke_api_key(self, key_id: str) -> dict[str, Any]:
        return self._json("POST", f"/v1/staff/api-keys/{key_id}/revoke")


def _items(body: Any) -> list[dict[str, Any]]:
    """Lists come either bare or wrapped as ``{"items": [...]}``."""
    if isinstance(body, list):
        return body
    if isinstance(body, dict):
        for key in ("items", "slots", "bookings"):
            if isinstance(body.get(key), list):
                return body[key]
    return []


def _apply_event(event: ServerEvent, result: ChatStreamResult) -> str:
    """Fold one SSE event into ``result``; return the text to show now (may be empty).

    ``token`` carries ``{"text": ...}``; ``final`` the whole ChatReply; ``error`` a problem document.
    """
    payload = event.json()
    data = payload if isinstance(payload, dict) else {}
    if event.event == "token":
        text = str(data.get("text", "")) if data else (payload if isinstance(payload, str) else "")
        result.text += text
        return text
    if event.event == "final":
        result.message = data
        final_text = str((data.get("message") or {}).get("content") or "")
        if final_text and not result.text:  # a server that sent no tokens still shows its answer
            result.text = final_text
            return final_text
        return ""
    if event.event == "error":
        status = int(data.get("status") or 500)
        error_cls = ApiUnavailable if status in UNAVAILABLE_STATUSES else ApiError
        raise error_cls(status, str(data.get("code") or "stream_error"), str(data.get("title") or ""),
                        str(data.get("detail") or ""), data)
    return ""
