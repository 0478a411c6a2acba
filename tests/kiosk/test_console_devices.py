"""The console's admin-only "기기 / Devices" tab in Streamlit's AppTest against the live API: kiosks and API
keys listed with the API's online flag and Seoul-local last-seen times, registered with the token shown once,
revoked only after a confirmation; staff without the admin role never see the tab."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from kiosk.client import ApiAuthError, SkinChatClient
from tests.kiosk.console_support import login as console_login
from tests.kiosk.live_api import LiveApi

CONSOLE_APP = str(Path(__file__).resolve().parents[2] / "kiosk" / "console_app.py")
STAFF_EMAIL = "nurse@demo-clinic.kr"
STAFF_PASSWORD = "test-staff-password-1"


def login(at: AppTest, email: str, password: str) -> AppTest:
    logged_in = console_login(at, email, password)
    assert "staff_token" in logged_in.session_state
    return logged_in


def tab_labels(at: AppTest) -> list[str]:
    return [tab.label for tab in at.tabs]


def table_row(at: AppTest, name: str, *, kiosks: bool = True) -> dict[str, Any] | None:
    """The row for ``name`` in the kiosk table (it has a 상태 column) or the API key table (it has none)."""
    for element in at.dataframe:
        frame: pd.DataFrame = element.value
        if "이름" not in frame.columns or ("상태" in frame.columns) != kiosks:
            continue
        match = frame[frame["이름"] == name]
        if len(match):
            return match.iloc[-1].to_dict()
    return None


def seoul(iso: str) -> str:
    moment = datetime.fromisoformat(iso.replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=ZoneInfo("UTC"))
    return moment.astimezone(ZoneInfo("Asia/Seoul")).strftime("%Y-%m-%d %H:%M")


def session_texts(at: AppTest) -> str:
    """Everything the browser session keeps, as text (the one-time token must never be in it)."""
    state = at.session_state
    return "\n".join(f"{key}={state[key]!r}" for key in list(state))


@pytest.fixture(scope="module")
def admin_client(live_api: LiveApi) -> SkinChatClient:
    client = SkinChatClient(live_api.base_url)
    client.staff_login(live_api.admin_email, live_api.admin_password)
    return client


@pytest.fixture(scope="module")
def staff_user(live_api: LiveApi) -> str:
    """A front-desk user with role ``staff`` (no API creates staff users yet, so it is written directly)."""
    from api.db.models import StaffUser
    from api.db.session import session_scope
    from api.security import hash_password

    with session_scope(f"sqlite:///{live_api.data_dir / 'skinchat.db'}") as db:
        clinic_id = db.query(StaffUser).filter(StaffUser.email == live_api.admin_email).one().clinic_id
        db.add(StaffUser(clinic_id=clinic_id, email=STAFF_EMAIL, display_name="Nurse",
                         password_hash=hash_password(STAFF_PASSWORD), role="staff"))
    return STAFF_EMAIL


@pytest.fixture
def admin_console(kiosk_settings_env: dict, live_api: LiveApi) -> AppTest:
    at = AppTest.from_file(CONSOLE_APP, default_timeout=120)
    return login(at, live_api.admin_email, live_api.admin_password)


def test_admin_registers_a_kiosk_and_sees_its_token_once(admin_console: AppTest, live_api: LiveApi) -> None:
    at = admin_console
    assert "기기" in tab_labels(at)
    seeded = table_row(at, "lobby-1")
    assert seeded is not None, "the seeded kiosk should be listed"
    assert table_row(at, "lobby-console-2") is None

    at.text_input(key="kiosk_new_name").input("  lobby-console-2 ")
    at.button(key="kiosk_register_submit").click().run()
    assert not at.exception, at.exception
    tokens = [c.value for c in at.code if c.value.startswith("kiosk_")]
    assert len(tokens) == 1, [c.value for c in at.code]
    token = tokens[0]
    assert any("한 번만" in w.value for w in at.warning)
    row = table_row(at, "lobby-console-2")
    assert row is not None, "the new kiosk should be in the list read after registering it"
    assert row["상태"].startswith("○") and row["마지막 접속"] == "접속 기록 없음" and not row["폐기"]
    assert token not in session_texts(at)

    # The token is real: the new kiosk can use the API with it.
    assert SkinChatClient(live_api.base_url, token).booking_items()
    # Any next click or rerun: the token is gone from the screen for good.
    at.run()
    assert not at.exception
    assert token not in [c.value for c in at.code]
    assert token not in session_texts(at)

    # The same name again is refused politely while that kiosk is active.
    at.text_input(key="kiosk_new_name").input("lobby-console-2")
    at.button(key="kiosk_register_submit").click().run()
    assert any("이미 사용 중" in e.value for e in at.error)
    assert not [c for c in at.code if c.value.startswith("kiosk_")]


def test_revoke_asks_first_then_ends_online_status(admin_console: AppTest, admin_client: SkinChatClient,
                                                   live_api: LiveApi) -> None:
    created = admin_client.register_kiosk_device("lobby-console-3")
    kiosk = SkinChatClient(live_api.base_url, created["token"])
    kiosk.booking_items()  # the kiosk authenticates: the API records last_seen_at, so it is online
    listed = {d["id"]: d for d in admin_client.kiosk_devices()}[created["id"]]
    assert listed["online"] and listed["last_seen_at"]

    at = admin_console
    at.run()
    row = table_row(at, "lobby-console-3")
    assert row is not None
    assert row["상태"] == "● 접속 중"
    assert row["마지막 접속"] == seoul(listed["last_seen_at"])  # shown in the clinic's time, not UTC

    assert "lobby-console-3" in at.selectbox(key="kiosk_revoke_pick").options
    at.selectbox(key="kiosk_revoke_pick").set_value(created["id"]).run()
    at.button(key="kiosk_revoke").click().run()
    assert any("lobby-console-3" in w.value and "폐기하시겠습니까" in w.value for w in at.warning)
    assert {d["id"]: d for d in admin_client.kiosk_devices()}[created["id"]]["revoked_at"] is None
    at.button(key="kiosk_revoke_no").click().run()  # cancel: nothing revoked, the question is gone
    assert not any("폐기하시겠습니까" in w.value for w in at.warning)
    assert {d["id"]: d for d in admin_client.kiosk_devices()}[created["id"]]["revoked_at"] is None
    kiosk.booking_items()

    at.selectbox(key="kiosk_revoke_pick").set_value(created["id"]).run()
    at.button(key="kiosk_revoke").click().run()
    at.button(key="kiosk_revoke_yes").click().run()
    assert not at.exception, at.exception
    assert any("lobby-console-3" in s.value for s in at.success)
    row = table_row(at, "lobby-console-3")
    assert row is not None
    assert row["상태"].startswith("○") and row["폐기"].startswith("폐기됨")
    assert "lobby-console-3" not in at.selectbox(key="kiosk_revoke_pick").options  # shown by name
    with pytest.raises(ApiAuthError) as refused:
        kiosk.booking_items()
    assert refused.value.status == 401


def test_admin_creates_and_revokes_an_api_key(admin_console: AppTest, admin_client: SkinChatClient,
                                              live_api: LiveApi) -> None:
    at = admin_console
    at.text_input(key="api_key_new_name").input("crm-console")
    at.button(key="api_key_register_submit").click().run()
    assert not at.exception, at.exception
    tokens = [c.value for c in at.code if c.value.startswith("key_")]
    assert len(tokens) == 1
    row = table_row(at, "crm-console", kiosks=False)
    assert row is not None and not row["폐기"]
    key_client = SkinChatClient(live_api.base_url, tokens[0])
    key_client.booking_items()

    key_id = next(k["id"] for k in admin_client.api_keys() if k["name"] == "crm-console" and not k["revoked_at"])
    pick = at.selectbox(key="api_key_revoke_pick")
    assert "crm-console" in pick.options  # AppTest lists the options as shown (names), values are ids
    pick.set_value(key_id).run()
    at.button(key="api_key_revoke").click().run()
    at.button(key="api_key_revoke_yes").click().run()
    assert not at.exception, at.exception
    row = table_row(at, "crm-console", kiosks=False)
    assert row is not None and row["폐기"].startswith("폐기됨")
    with pytest.raises(ApiAuthError):
        key_client.booking_items()


def test_staff_without_admin_role_does_not_see_devices(kiosk_settings_env: dict, live_api: LiveApi,
                                                       staff_user: str) -> None:
    at = login(AppTest.from_file(CONSOLE_APP, default_timeout=120), staff_user, STAFF_PASSWORD)
    labels = tab_labels(at)
    assert "상담 기록" in labels and "기기" not in labels and "Devices" not in labels
    keys = {b.key for b in at.button} | {t.key for t in at.text_input}
    assert not {"kiosk_register_submit", "kiosk_new_name", "api_key_register_submit"} & keys
    assert table_row(at, "lobby-1") is None

    # Should the tab show anyway (a stale role in the session), the API's 403 is explained politely and the
    # staff member stays logged in.
    at.session_state["staff_user"] = {"email": staff_user, "role": "admin"}
    at.run()
    assert not at.exception, at.exception
    assert "staff_token" in at.session_state
    assert any("관리자만 사용할 수 있습니다" in w.value for w in at.warning)
    assert table_row(at, "lobby-1") is None
