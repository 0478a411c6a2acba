"""The staff console (``skinchat kiosk --console``): login, conversations (flagged first), bookings by day,
the funnel, knowledge upload, photo deletion and (admins only) kiosk devices and API keys. Everything goes
through ``kiosk/client.py``."""

from __future__ import annotations

import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # `streamlit run kiosk/console_app.py` puts only kiosk/ on the path
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from kiosk.config import KioskConfig  # noqa: E402
from kiosk.console import bookings, conversations, devices, funnel, knowledge, login, photos  # noqa: E402
from kiosk.console.common import ConsoleCtx, LoggedOut, logout, staff_client  # noqa: E402
from kiosk.style import CONSOLE_CSS  # noqa: E402

TABS = (("tab_conversations", conversations.render), ("tab_bookings", bookings.render),
        ("tab_funnel", funnel.render), ("tab_knowledge", knowledge.render), ("tab_photos", photos.render))
# Shown to the admin role only (the API answers 403 to anyone else; the panel then says so politely).
ADMIN_TABS = (("tab_devices", devices.render),)


def visible_tabs(role: str | None) -> tuple:
    return TABS + ADMIN_TABS if role == "admin" else TABS


def main() -> None:
    st.set_page_config(page_title="SkinChat staff", page_icon="🩺", layout="wide")
    st.set_option("client.showErrorDetails", "none")
    st.markdown(CONSOLE_CSS, unsafe_allow_html=True)
    config = KioskConfig.load()
    ctx = ConsoleCtx(config, staff_client(config))
    with st.sidebar:
        if st.button(ctx.t("lang_toggle"), key="console_lang_toggle"):
            st.session_state["console_lang"] = "en" if ctx.lang == "ko" else "ko"
            st.rerun()
        user = st.session_state.get("staff_user")
        if user:
            st.caption(f"{user['email']} ({user.get('role', '')})")
            if st.button(ctx.t("logout"), key="logout"):
                logout()
                st.rerun()
    if not st.session_state.get("staff_token"):
        login.render(ctx)
        return
    st.title(ctx.t("console_title"))
    try:
        shown = visible_tabs((st.session_state.get("staff_user") or {}).get("role"))
        tabs = st.tabs([ctx.t(key) for key, _ in shown])
        for tab, (_, render) in zip(tabs, shown, strict=True):
            with tab:
                render(ctx)
    except LoggedOut:
        st.rerun()


main()
