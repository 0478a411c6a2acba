"""Pure parts of the kiosk: strings, SSE parsing, the client's error mapping, idle rules, booking input."""

from __future__ import annotations

import json
import string

import httpx
import pytest

from kiosk import i18n
from kiosk.booking_rules import day_label, normalize_phone, slots_by_day, valid_name
from kiosk.client import ApiAuthError, ApiError, ApiUnavailable, ChatStreamResult, SkinChatClient
from kiosk.sse import parse_sse
from kiosk.state import VISITOR_KEYS, clear_visitor, ensure_defaults, expire_if_idle, is_idle, widget_key
from kiosk.steps import Step, after_consent, progress


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("table", [i18n.STRINGS, i18n.ERRORS, i18n.GRADES, i18n.LABELS])
def test_every_string_exists_in_both_languages_with_the_same_fields(table: dict) -> None:
    for key, entry in table.items():
        assert set(entry) == {"ko", "en"}, key
        assert entry["ko"].strip() and entry["en"].strip(), key
        assert _fields(entry["ko"]) == _fields(entry["en"]), key


def test_required_framing_and_outage_sentences() -> None:
    assert i18n.t("result_framing", "ko") == "카메라가 본 것이며, 진단은 피부과 전문의가 합니다"
    assert i18n.t("api_down_title", "ko") == "잠시 후 다시 시도해 주세요"
    assert "30" in i18n.t("consent_kept", "ko", days=30)
    assert i18n.error_text("too_dark", "en").startswith("The photo is too dark")
    assert i18n.error_text("never_heard_of_it", "ko") == i18n.t("error_generic", "ko")
    with pytest.raises(KeyError):
        i18n.t("no_such_key", "ko")


def test_sse_parser_handles_multiline_comments_and_missing_final_blank() -> None:
    lines = [": keep-alive", "event: token", 'data: {"text": "안녕"}', "", "data: a", "data: b", "",
             "event: final", 'data: {"message": {"content": "x"}}']
    events = list(parse_sse(lines))
    assert [e.event for e in events] == ["token", "message", "final"]
    assert events[0].json() == {"text": "안녕"}
    assert events[1].data == "a\nb"
    assert events[2].json()["message"]["content"] == "x"


def _client(handler) -> SkinChatClient:
    return SkinChatClient("http://api.test", "kiosk_abc", transport=httpx.MockTransport(handler))


def _problem(status: int, code: str, **extra: object) -> httpx.Response:
    body = {"type": f"https://skinchat.dev/problems/{code}", "title": code, "status": status, "detail": "",
            "code": code, **extra}
    return httpx.Response(status, json=body, headers={"content-type": "application/problem+json"})


@pytest.mark.parametrize(("status", "code", "kind"), [
    (422, "too_dark", ApiError), (409, "slot_full", ApiError), (401, "invalid_token", ApiAuthError),
    (403, "forbidden", ApiAuthError), (503, "database_unavailable", ApiUnavailable),
    (503, "detector_unavailable", ApiUnavailable)])
def test_problem_responses_become_typed_errors_with_the_api_code(status: int, code: str, kind: type) -> None:
    client = _client(lambda request: _problem(status, code, message_ko="어두워요"))
    with pytest.raises(kind) as caught:
        client.create_consultation("ko")
    assert caught.value.code == code and caught.value.status == status
    assert caught.value.body.get("message_ko") == "어두워요"
    if kind is ApiError:
        assert not isinstance(caught.value, (ApiUnavailable, ApiAuthError))


def test_unreachable_server_is_unavailable_and_proxy_errors_without_json_too() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(ApiUnavailable) as caught:
        _client(refuse).booking_items()
    assert caught.value.code == "unavailable"
    with pytest.raises(ApiUnavailable):
        _client(lambda r: httpx.Response(502, text="<html>bad gateway</html>")).booking_items()
    assert _client(refuse).is_alive() is False
    with pytest.raises(ApiUnavailable):  # a wrong base URL that answers HTML is treated as "not reachable"
        _client(lambda r: httpx.Response(200, text="<html>portal</html>")).booking_items()


def test_requests_carry_the_device_token_and_idempotency_key() -> None:
    seen: list[httpx.Request] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(201, json={"id": "c1", "consents": []})

    _client(handler).create_consultation("en", photo_storage=True, idempotency_key="visit-1")
    request = seen[0]
    assert request.headers["authorization"] == "Bearer kiosk_abc"
    assert request.headers["idempotency-key"] == "visit-1"
    assert json.loads(request.content)["consents"]["photo_storage"] is True


def test_stream_yields_tokens_and_keeps_the_final_reply() -> None:
    body = ('event: token\ndata: {"text": "여드름 "}\n\nevent: token\ndata: {"text": "압출"}\n\n'
            'event: final\ndata: {"message": {"content": "여드름 압출"}, "citations": [{"doc_id": "p"}], '
            '"guardrail": null, "booking_offer": {"slots": []}}\n\n')

    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["accept"] == "text/event-stream"
        return httpx.Response(200, content=body.encode(), headers={"content-type": "text/event-stream"})

    result = ChatStreamResult()
    chunks = list(_client(handler).ask_stream("c1", "가격?", result))
    assert chunks == ["여드름 ", "압출"]
    assert result.text == "여드름 압출"
    assert result.citations == [{"doc_id": "p"}]
    assert result.booking_offer == {"slots": []}


def test_stream_error_event_raises_the_problem() -> None:
    body = ('event: token\ndata: {"text": "a"}\n\n'
            'event: error\ndata: {"status": 503, "code": "assistant_unavailable"}\n\n')
    client = _client(lambda r: httpx.Response(200, content=body.encode()))
    with pytest.raises(ApiUnavailable) as caught:
        list(client.ask_stream("c1", "q"))
    assert caught.value.code == "assistant_unavailable"


def test_book_reserves_then_confirms_with_the_same_phone() -> None:
    calls: list[tuple[str, dict]] = []

    def handler(request: httpx.Request) -> httpx.Response:
        calls.append((request.url.path, json.loads(request.content)))
        if request.url.path.endswith("/confirm"):
            return httpx.Response(200, json={"code": "HN-ABC234", "status": "confirmed"})
        return httpx.Response(201, json={"code": "HN-ABC234", "status": "held"})

    booking = _client(handler).book("s1", "김하늘", "010-1234-5678", "c1", "k1")
    assert booking["status"] == "confirmed"
    assert [c[0] for c in calls] == ["/v1/booking/reservations", "/v1/booking/reservations/HN-ABC234/confirm"]
    assert calls[1][1] == {"phone": "010-1234-5678"}


def test_idle_rule_clears_everything_personal() -> None:
    state: dict = {}
    ensure_defaults(state, now=1000.0)
    assert is_idle(state, 60, now=5000.0) is False  # welcome never times out
    state.update(step=Step.CHAT.value, lang="en", last_activity=1000.0, photo=b"x", analysis={"id": "a"},
                 chat=[{"role": "user", "content": "hi"}], consultation={"id": "c"}, booking={"code": "X"})
    assert expire_if_idle(state, 60, now=1059.0) is False
    assert state["photo"] == b"x"
    assert expire_if_idle(state, 60, now=1060.0) is True
    assert state["step"] == Step.WELCOME.value and state["lang"] == "ko" and state["chat"] == []
    assert not any(key in state for key in VISITOR_KEYS if key != "chat")
    assert state["notice"] == "idle_notice"
    state["photo"] = b"y"
    visit = state["visit_no"]
    state[widget_key(state, "visitor_phone")] = "010-1234-5678"
    clear_visitor(state)
    assert "photo" not in state and state["visit_no"] == visit + 1
    assert not any(str(k).endswith("visitor_phone") for k in state)  # the next visitor's widgets are new
    assert widget_key(state, "visitor_phone") != f"v{visit}_visitor_phone"


def test_flow_order_and_decline_path() -> None:
    assert after_consent(True) is Step.CAPTURE and after_consent(False) is Step.CHAT
    assert progress(Step.WELCOME) == 0 and progress(Step.DONE) == 1


@pytest.mark.parametrize(("raw", "expected"), [
    ("010-1234-5678", "010-1234-5678"), ("01012345678", "010-1234-5678"),
    (" 010 1234 5678 ", "010-1234-5678"),
    ("+82 10-1234-5678", "010-1234-5678"), ("011-123-4567", None), ("010-1234-567", None), ("", None)])
def test_phone_rule(raw: str, expected: str | None) -> None:
    assert normalize_phone(raw) == expected


def test_name_and_slot_grouping() -> None:
    assert valid_name("  김   하늘 ") == "김 하늘" and valid_name("   ") is None
    slots = [{"slot_id": "b", "starts_at": "2026-11-30T02:00:00Z", "seats_left": 1},
             {"slot_id": "a", "starts_at": "2026-11-30T01:00:00Z", "seats_left": 1},
             {"slot_id": "full", "starts_at": "2026-11-30T03:00:00Z", "seats_left": 0},
             {"slot_id": "c", "starts_at": "2026-11-30T16:00:00Z", "date": "2026-12-01", "seats_left": 1}]
    grouped = slots_by_day(slots)
    assert list(grouped) == ["2026-11-30", "2026-12-01"]  # 16:00Z is the next day in Seoul
    assert [s["slot_id"] for s in grouped["2026-11-30"]] == ["a", "b"]
    assert day_label("2026-11-30", "ko") == "11/30 (월)" and day_label("2026-11-30", "en") == "Mon 11/30"


def test_funnel_frames_keep_the_funnel_order() -> None:
    from kiosk.console.funnel import STAGES, days_frame, totals_frame

    labels = {s: i18n.t(f"funnel_{s}", "ko") for s in STAGES}
    funnel = {"totals": {"consultations": 40, "photos": 25, "chats": 30, "bookings": 8},
              "days": [{"date": "2026-11-27", "consultations": 6, "photos": 4, "chats": 5, "bookings": 1},
                       {"date": "2026-11-28", "consultations": 3, "photos": 0, "chats": 2, "bookings": 0}]}
    totals = totals_frame(funnel, labels)
    assert list(totals.index) == ["상담", "사진", "질문", "예약"] and list(totals["count"]) == [40, 25, 30, 8]
    per_day = days_frame(funnel, labels)
    assert sorted(per_day.columns) == list(per_day.columns)  # the legend's name order is the funnel order
    assert per_day.loc["2026-11-27"].tolist() == [6, 4, 5, 1]
