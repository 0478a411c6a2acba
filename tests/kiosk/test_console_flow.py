"""The staff console in Streamlit's AppTest against the live API: login, flagged-first conversations and
filters, a transcript with guardrail events, bookings by day, the funnel, knowledge upload, photo deletion."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kiosk.booking_rules import clinic_today, date_range
from kiosk.client import ApiError, SkinChatClient
from tests.kiosk.console_support import login
from tests.kiosk.live_api import LiveApi, synthetic_photo_bytes

CONSOLE_APP = str(Path(__file__).resolve().parents[2] / "kiosk" / "console_app.py")
PRESCRIPTION_QUESTION = "여드름 약 처방해 주세요. 항생제 먹어도 되나요?"


def text_of(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [e.value for e in at.error]
    parts += [w.value for w in at.warning] + [i.value for i in at.info] + [s.value for s in at.success]
    return "\n".join(parts)


@pytest.fixture(scope="module")
def visits(live_api: LiveApi) -> dict:
    """Real visitor activity through the kiosk's client: a calm chat, a flagged chat, a booking."""
    kiosk = SkinChatClient(live_api.base_url, live_api.kiosk_token)
    calm = kiosk.create_consultation("ko")
    kiosk.ask(calm["id"], "진료 시간이 어떻게 되나요?")
    flagged = kiosk.create_consultation("ko")
    reply = kiosk.ask(flagged["id"], PRESCRIPTION_QUESTION)
    booked = kiosk.create_consultation("ko")
    item = kiosk.booking_items()[0]["code"]
    date_from, date_to = date_range(clinic_today(), 7)
    slot = kiosk.available_slots(item, date_from, date_to)[0]
    booking = kiosk.book(slot["slot_id"], "이직원", "010-2222-3333", booked["id"])
    return {"calm": calm, "flagged": flagged, "reply": reply, "booked": booked, "booking": booking}


@pytest.fixture(scope="module")
def photo_visit(live_api: LiveApi) -> dict:
    """A visitor who consented to keeping the photo and had it analysed."""
    kiosk = SkinChatClient(live_api.base_url, live_api.kiosk_token)
    with_photo = kiosk.create_consultation("ko", photo_storage=True)
    analysis = kiosk.analyze_photo(with_photo["id"], synthetic_photo_bytes(seed=3), consent=True)
    return {"consultation": with_photo, "analysis": analysis}


@pytest.fixture
def console(kiosk_settings_env: dict, live_api: LiveApi, visits: dict) -> AppTest:
    at = AppTest.from_file(CONSOLE_APP, default_timeout=120)
    return login(at, live_api.admin_email, live_api.admin_password)


def test_wrong_password_is_refused_without_a_token(kiosk_settings_env: dict, live_api: LiveApi) -> None:
    at = AppTest.from_file(CONSOLE_APP, default_timeout=60)
    login(at, live_api.admin_email, "not-the-password")
    assert "staff_token" not in at.session_state
    assert "이메일 또는 비밀번호가 맞지 않습니다." in text_of(at)


def test_flagged_conversations_come_first_and_filters_apply(console: AppTest, visits: dict) -> None:
    assert console.session_state["staff_token"].startswith("eyJ")
    assert visits["reply"]["guardrail"], "the prescription question should trip a guardrail"
    open_buttons = [b.key for b in console.button if b.key and b.key.startswith("open_")]
    assert open_buttons[0] == f"open_{visits['flagged']['id']}"
    console.checkbox(key="f_flagged").check().run()
    flagged_only = [b.key for b in console.button if b.key and b.key.startswith("open_")]
    assert f"open_{visits['flagged']['id']}" in flagged_only
    assert f"open_{visits['calm']['id']}" not in flagged_only
    console.checkbox(key="f_flagged").uncheck().run()
    console.selectbox(key="f_cat").select("prescription").run()
    assert [b.key for b in console.button if b.key and b.key.startswith("open_")] == \
        [f"open_{visits['flagged']['id']}"]
    console.selectbox(key="f_lang").select("en").run()
    assert not [b for b in console.button if b.key and b.key.startswith("open_")]


def test_transcript_shows_guardrail_events(console: AppTest, visits: dict) -> None:
    console.button(key=f"open_{visits['flagged']['id']}").click().run()
    assert not console.exception
    text = text_of(console)
    assert "여드름 약 처방해 주세요" in text  # the visitor's words (PII-masked by the API, none here)
    assert any("prescription" in w.value for w in console.warning)


def test_transcript_shows_the_overlay_where_consented(console: AppTest, photo_visit: dict) -> None:
    console.session_state["open_consultation"] = photo_visit["consultation"]["id"]
    console.run()
    assert not console.exception
    assert len(console.image) >= 1  # the overlay, shown because the visitor consented


def test_bookings_by_day_and_funnel_charts(console: AppTest, visits: dict) -> None:
    booking = visits["booking"]
    console.date_input(key="bookings_day").set_value(booking["local_date"]).run()
    frames = [df.value for df in console.dataframe]
    assert any(booking["code"] in list(frame["code"]) for frame in frames if "code" in frame)
    metrics = {m.label: int(m.value) for m in console.metric}
    assert metrics["상담"] >= 3 and metrics["질문"] >= 2 and metrics["예약"] >= 1
    charts = console.get("arrow_vega_lite_chart") or console.get("vega_lite_chart")
    assert len(charts) >= 1


def test_knowledge_upload_indexes_a_new_document(console: AppTest, live_api: LiveApi) -> None:
    doc = ("---\ndoc_id: faq-parking\nlang: ko\ntype: faq\nupdated: 2026-11-27\ntitle: 주차 안내\n---\n"
           "# 주차 안내\n건물 지하 2층 주차장을 2시간 무료로 이용하실 수 있습니다.\n").encode()
    console.file_uploader(key="knowledge_files").upload("faq-parking.md", doc, "text/markdown")
    console.run()
    console.button(key="knowledge_submit").click().run()
    assert not console.exception
    assert any("faq-parking.md" in s.value for s in console.success), text_of(console)
    from api.settings import DEFAULT_KNOWLEDGE

    assert (live_api.data_dir / "knowledge" / "demo-clinic" / "uploads" / "faq-parking.md").is_file()
    assert not (DEFAULT_KNOWLEDGE / "uploads").exists(), "tests must never write into the repository"


def test_photo_deletion_on_request(console: AppTest, live_api: LiveApi, photo_visit: dict) -> None:
    analysis_id = photo_visit["analysis"]["id"]
    kiosk = SkinChatClient(live_api.base_url, live_api.kiosk_token)
    assert kiosk.get_overlay(f"/v1/analyses/{analysis_id}/overlay.png")[:4] == b"\x89PNG"
    console.text_input(key="photo_delete_target").input(photo_visit["consultation"]["id"]).run()
    console.checkbox(key="photo_delete_confirm").check().run()
    console.button(key="photo_delete_submit").click().run()
    assert not console.exception
    assert any("사진을 삭제했습니다" in s.value for s in console.success), text_of(console)
    with pytest.raises(ApiError) as gone:
        kiosk.get_overlay(f"/v1/analyses/{analysis_id}/overlay.png")
    assert gone.value.code == "overlay_not_stored"


def test_staff_reads_are_made_once_not_on_every_rerun(console: AppTest, live_api: LiveApi,
                                                      visits: dict) -> None:
    """Each staff read (transcript, bookings) is audit-logged by the API; other clicks must not add reads."""
    from sqlalchemy import create_engine, func, select

    from api.db.models import AuditLog

    target = visits["calm"]["id"]

    def reads(action: str, target_id: str | None = None) -> int:
        engine = create_engine(f"sqlite:///{live_api.data_dir / 'skinchat.db'}")
        query = select(func.count()).select_from(AuditLog).where(AuditLog.action == action)
        if target_id:
            query = query.where(AuditLog.target_id == target_id)
        with engine.connect() as conn:
            count = conn.scalar(query)
        engine.dispose()
        return int(count or 0)

    before, bookings_before = reads("transcript.read", target), reads("bookings.read")
    console.button(key=f"open_{target}").click().run()
    assert reads("transcript.read", target) == before + 1
    console.selectbox(key="f_lang").select("ko").run()
    console.checkbox(key="f_flagged").check().run()
    assert not console.exception
    assert reads("transcript.read", target) == before + 1
    assert reads("bookings.read") == bookings_before
    console.button(key="bookings_refresh").click().run()
    assert reads("bookings.read") == bookings_before + 1


def test_an_expired_login_returns_to_the_login_form(console: AppTest) -> None:
    console.session_state["staff_token"] = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.invalid-signature"
    console.run()
    assert not console.exception
    assert "staff_token" not in console.session_state
    assert "로그인이 만료되었습니다" in text_of(console)
    assert console.button(key="login_submit")
