"""Each step of the visitor flow in Streamlit's AppTest, against the live API (tests/kiosk/live_api.py)."""

from __future__ import annotations

import io
import time
from pathlib import Path

import httpx
import pytest
from streamlit.testing.v1 import AppTest

from kiosk.client import SkinChatClient
from kiosk.i18n import grade_text, label_text
from tests.kiosk.live_api import LiveApi, synthetic_photo_bytes
from tests.support import free_port

KIOSK_APP = str(Path(__file__).resolve().parents[2] / "kiosk" / "kiosk_app.py")
TIMEOUT = 120


def new_app() -> AppTest:
    at = AppTest.from_file(KIOSK_APP, default_timeout=TIMEOUT)
    at.run()
    assert not at.exception, at.exception
    return at


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [i.value for i in at.info] + [w.value for w in at.warning] + [str(m.value) for m in at.metric]
    return "\n".join(parts)


def wk(at: AppTest, name: str) -> str:
    """The current visit's widget key (kiosk.state.widget_key)."""
    return f"v{at.session_state['visit_no']}_{name}"


def click(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click().run()
    assert not at.exception, at.exception
    return at


def to_step(at: AppTest, consent: bool) -> AppTest:
    click(at, "start")
    return click(at, "consent_yes" if consent else "consent_no")


def api(live_api: LiveApi) -> SkinChatClient:
    return SkinChatClient(live_api.base_url, live_api.kiosk_token)


@pytest.fixture(scope="module")
def photo() -> bytes:
    return synthetic_photo_bytes()


def test_welcome_is_korean_first_and_switches_to_english(kiosk_settings_env: dict) -> None:
    at = new_app()
    assert at.session_state["step"] == "welcome"
    assert "어서 오세요" in page_text(at)
    assert at.button(key="start").label == "시작하기"
    click(at, "lang_toggle")
    assert "Welcome" in page_text(at) and at.button(key="start").label == "Start"
    click(at, "lang_toggle")
    assert at.button(key="start").label == "시작하기"


def test_consent_says_what_is_kept_for_how_long_and_not_a_diagnosis(kiosk_settings_env: dict) -> None:
    at = new_app()
    click(at, "start")
    text = page_text(at)
    assert at.session_state["step"] == "consent"
    assert "30일" in text  # SKINCHAT_RETENTION_DAYS default
    assert "진단이 아닙니다" in text and "동의하지 않으셔도" in text


def test_declining_the_photo_still_allows_chat_and_is_recorded(kiosk_settings_env: dict,
                                                               live_api: LiveApi) -> None:
    at = new_app()
    to_step(at, consent=False)
    assert at.session_state["step"] == "chat"
    consultation = api(live_api).consultation(at.session_state["consultation"]["id"])
    photo_consents = [c for c in consultation["consents"] if c["purpose"] == "photo_storage"]
    assert photo_consents and photo_consents[0]["granted"] is False
    assert at.button(key="chat_to_booking")  # booking stays reachable


def test_photo_is_analysed_and_the_result_is_outlined_and_framed(kiosk_settings_env: dict,
                                                                 photo: bytes) -> None:
    at = new_app()
    to_step(at, consent=True)
    assert at.session_state["step"] == "capture"
    at.file_uploader(key=wk(at, "upload")).upload("face.jpg", photo, "image/jpeg")
    at.run()
    click(at, "analyse")
    assert at.session_state["step"] == "result", page_text(at)
    analysis = at.session_state["analysis"]
    assert analysis["photo_stored"] is True
    overlay = at.session_state["overlay"]
    from PIL import Image

    assert Image.open(io.BytesIO(overlay)).size == (analysis["width"], analysis["height"])
    text = page_text(at)
    assert "카메라가 본 것이며, 진단은 피부과 전문의가 합니다" in text
    assert set(analysis["counts"]) >= {"papule", "pustule", "nodule_cyst", "comedone"}
    found = sum(analysis["counts"].values())
    for label, n in analysis["counts"].items():  # each count, with its Korean and English name
        assert f"{label_text(label, 'ko')} · {label_text(label, 'en')}: **{n}**" in text
    assert grade_text(analysis["grade"]["name"], "ko") in text
    for item in (analysis.get("recommendations") or {}).get("items", []):
        assert item["reason"] in text
    images = at.image
    expected_caption = "표시된 부분이 카메라가 찾은 곳입니다" if found else "카메라가 찾은 것이 없습니다."
    assert len(images) == 1 and images[0].captions == [expected_caption]


def test_a_rejected_photo_is_explained_in_the_visitors_language(kiosk_settings_env: dict) -> None:
    from PIL import Image

    dark = io.BytesIO()
    Image.new("RGB", (1024, 768), (3, 3, 3)).save(dark, format="JPEG")
    at = new_app()
    to_step(at, consent=True)
    at.file_uploader(key=wk(at, "upload")).upload("dark.jpg", dark.getvalue(), "image/jpeg")
    at.run()
    click(at, "analyse")
    assert at.session_state["step"] == "capture"
    assert at.error and "어둡" in at.error[0].value


def test_chat_streams_an_answer_with_sources(kiosk_settings_env: dict) -> None:
    at = new_app()
    to_step(at, consent=False)
    at.chat_input(key=wk(at, "chat_input")).set_value("여드름 압출 가격이 얼마예요?").run()
    assert not at.exception, at.exception
    history = at.session_state["chat"]
    assert [t["role"] for t in history] == ["user", "assistant"]
    answer = history[1]
    assert answer["content"].strip()
    assert answer["citations"], "a price question should be answered from the clinic's documents"
    assert any("출처 보기" in e.label for e in at.expander)
    assert any(answer["content"][:20] in m.value for m in at.markdown)


def test_booking_gives_a_confirmation_code(kiosk_settings_env: dict, live_api: LiveApi) -> None:
    at = new_app()
    to_step(at, consent=False)
    click(at, "chat_to_booking")
    assert at.session_state["step"] == "booking"
    slot_radio = next(r for r in at.radio if r.key and "booking_slot_" in r.key)
    slot_radio.set_value(_first_slot_id(at)).run()
    at.text_input(key=wk(at, "visitor_name")).input("김하늘")
    at.text_input(key=wk(at, "visitor_phone")).input("010 1234 5678")
    _submit_booking(at)
    assert at.session_state["step"] == "done", page_text(at)
    booking = at.session_state["booking"]
    first_visit = at.session_state["consultation"]["id"]
    assert booking["status"] == "confirmed"
    assert booking["code"] in page_text(at)
    check = httpx.get(f"{live_api.base_url}/v1/booking/reservations/{booking['code']}",
                      params={"phone": "010-1234-5678"},
                      headers={"Authorization": f"Bearer {live_api.kiosk_token}"})
    assert check.status_code == 200 and check.json()["status"] == "confirmed"
    click(at, "finish")
    assert at.session_state["step"] == "welcome" and "booking" not in at.session_state
    to_step(at, consent=False)  # the next visitor: a new consultation and empty booking fields
    assert at.session_state["consultation"]["id"] != first_visit
    click(at, "chat_to_booking")
    assert at.text_input(key=wk(at, "visitor_name")).value == ""
    assert at.text_input(key=wk(at, "visitor_phone")).value == ""


def _first_slot_id(at: AppTest) -> str:
    item = at.session_state["booking_items"][0]["code"]
    slots = at.session_state["slots"][item]
    return slots[0]["slot_id"]


def _submit_booking(at: AppTest) -> None:
    at.button(key="book_submit").click().run()
    assert not at.exception, at.exception


def test_booking_refuses_a_number_that_is_not_010(kiosk_settings_env: dict) -> None:
    at = new_app()
    to_step(at, consent=False)
    click(at, "chat_to_booking")
    slot_radio = next(r for r in at.radio if r.key and "booking_slot_" in r.key)
    slot_radio.set_value(_first_slot_id(at)).run()
    at.text_input(key=wk(at, "visitor_name")).input("김하늘")
    at.text_input(key=wk(at, "visitor_phone")).input("011-123-4567")
    _submit_booking(at)
    assert at.session_state["step"] == "booking"
    assert any("010으로 시작하는" in e.value for e in at.error)


def test_idle_timeout_returns_to_welcome_and_forgets_the_visitor(kiosk_settings_env: dict) -> None:
    at = new_app()
    to_step(at, consent=False)
    at.session_state["chat"] = [{"role": "user", "content": "진료 시간이 어떻게 되나요?"},
                                {"role": "assistant", "content": "평일 10시부터입니다.", "citations": []}]
    at.session_state["photo"] = b"pretend-photo"
    at.session_state["last_activity"] = time.time() - 1000
    at.run()
    assert not at.exception
    assert at.session_state["step"] == "welcome"
    assert at.session_state["chat"] == [] and "photo" not in at.session_state
    assert "consultation" not in at.session_state
    assert "처음 화면으로 돌아왔습니다" in page_text(at)


def test_api_outage_shows_a_calm_message_and_recovers(kiosk_settings_env: dict, live_api: LiveApi,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKINCHAT_API_BASE_URL", f"http://127.0.0.1:{free_port()}")  # nothing listens here
    at = new_app()
    click(at, "start")
    click(at, "consent_no")
    assert not at.exception
    assert at.session_state["api_down"] is True
    assert "잠시 후 다시 시도해 주세요" in page_text(at)
    assert at.button(key="retry")
    click(at, "retry")  # still down: stays on the message
    assert at.session_state["api_down"] is True
    monkeypatch.setenv("SKINCHAT_API_BASE_URL", live_api.base_url)  # the API is back
    at.run()  # the outage screen's own check (a fragment that Streamlit repeats every few seconds)
    assert not at.exception
    assert at.session_state["api_down"] is False
    assert at.session_state["step"] == "consent"
    click(at, "consent_no")
    assert at.session_state["step"] == "chat"


def test_retry_button_recovers_too(kiosk_settings_env: dict, live_api: LiveApi,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SKINCHAT_API_BASE_URL", f"http://127.0.0.1:{free_port()}")
    at = new_app()
    click(at, "start")
    click(at, "consent_yes")
    assert at.session_state["api_down"] is True
    monkeypatch.setenv("SKINCHAT_API_BASE_URL", live_api.base_url)
    at.session_state["api_down"] = True  # as if the automatic check had not run yet
    click(at, "retry")
    assert at.session_state["api_down"] is False and at.session_state["step"] == "consent"


def test_english_visitor_sees_english_consent(kiosk_settings_env: dict) -> None:
    at = new_app()
    click(at, "lang_toggle")
    click(at, "start")
    text = page_text(at)
    assert "kept for 30 days" in text and "This is not a diagnosis" in text
    assert at.button(key="consent_no").label == "Continue without a photo"


def test_a_refused_visit_offers_a_fresh_start_not_a_loop(kiosk_settings_env: dict, live_api: LiveApi) -> None:
    """The API refuses to open the consultation (here: an idempotency key already used for another body)."""
    api(live_api).create_consultation("en", idempotency_key="kiosk-test-reused-key")
    at = new_app()
    click(at, "start")
    at.session_state["visit_key"] = "kiosk-test-reused-key"
    click(at, "consent_yes")
    assert at.session_state["api_down"] is False
    assert at.error, "the visitor is told something went wrong"
    click(at, "start_over")
    assert at.session_state["step"] == "welcome" and "visit_key" not in at.session_state
