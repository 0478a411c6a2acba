"""The lobby kiosk (``skinchat kiosk``): welcome → consent → photo → result → chat → booking → done.

This file only wires things: settings and client (``screens.common``), the idle rule (``state``), the
outage screen, and one render function per step (``screens``). Every API call goes through
``kiosk/client.py``.
"""

from __future__ import annotations

import logging
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
if str(_ROOT) not in sys.path:  # `streamlit run kiosk/kiosk_app.py` puts only kiosk/ on the path
    sys.path.insert(0, str(_ROOT))

import streamlit as st  # noqa: E402

from kiosk.i18n import t  # noqa: E402
from kiosk.screens import booking, capture, chat, consent, done, result, welcome  # noqa: E402
from kiosk.screens.common import ApiDown, Ctx, VisitBroken, header, make_ctx, show_error  # noqa: E402
from kiosk.state import clear_visitor, current_step, ensure_defaults, expire_if_idle, touch  # noqa: E402
from kiosk.steps import Step  # noqa: E402
from kiosk.style import KIOSK_CSS  # noqa: E402

log = logging.getLogger("skinchat.kiosk")
SCREENS = {
    Step.WELCOME: welcome.render, Step.CONSENT: consent.render, Step.CAPTURE: capture.render,
    Step.RESULT: result.render, Step.CHAT: chat.render, Step.BOOKING: booking.render, Step.DONE: done.render,
}
OUTAGE_RETRY_SECONDS = 5.0


def outage_screen(ctx: Ctx) -> None:
    """The API is unreachable: a calm message, a retry button, and a check every few seconds."""
    other = "en" if ctx.lang == "ko" else "ko"
    st.markdown(f'<div class="sk-down"><h2>{ctx.t("api_down_title")}</h2>'
                f'<p>{ctx.t("api_down_body")}</p><p><i>{t("api_down_title", other)}</i></p></div>',
                unsafe_allow_html=True)
    st.write("")
    retry = st.button(ctx.t("retry"), key="retry", type="primary", width="stretch")
    if retry and ctx.client.is_alive():
        st.session_state["api_down"] = False
        st.rerun()

    @st.fragment(run_every=OUTAGE_RETRY_SECONDS)
    def _auto_retry() -> None:
        if ctx.client.is_alive():
            st.session_state["api_down"] = False
            st.rerun(scope="app")

    _auto_retry()


def idle_watch(ctx: Ctx) -> None:
    """Return to welcome (and forget the visitor) when nobody touches the screen for the idle timeout."""
    every = max(2.0, min(15.0, ctx.config.idle_seconds / 3))

    @st.fragment(run_every=every)
    def _check() -> None:
        if expire_if_idle(st.session_state, ctx.config.idle_seconds):
            st.rerun(scope="app")

    _check()


def main() -> None:
    st.set_page_config(page_title="SkinChat", page_icon="💬", layout="centered",
                       initial_sidebar_state="collapsed")
    st.set_option("client.showErrorDetails", "none")
    st.markdown(KIOSK_CSS, unsafe_allow_html=True)
    ctx = make_ctx()
    state = st.session_state
    ensure_defaults(state)
    expire_if_idle(state, ctx.config.idle_seconds)  # a touch after a long pause starts a fresh visit
    touch(state)  # this full run was caused by the visitor (fragment reruns never reach here)
    step = current_step(state)
    if state.get("api_down"):
        outage_screen(ctx)
        return
    header(ctx, step)
    failed = False
    try:
        SCREENS[step](ctx)
    except ApiDown:
        st.rerun()  # shows the outage screen
    except VisitBroken:
        failed = True
        show_error()
    except Exception:  # never a traceback on a lobby screen: log it, say it plainly, offer a fresh start
        log.exception("kiosk screen %s failed", step.value)
        failed = True
        st.error(ctx.t("error_generic"))
    if step is not Step.WELCOME:
        idle_watch(ctx)
    show_start_over = failed or step not in (Step.WELCOME, Step.DONE)
    if show_start_over and st.button(ctx.t("start_over"), key="start_over",
                                     type="primary" if failed else "secondary", width="stretch"):
        clear_visitor(state)
        st.rerun()

main()
