"""Welcome: Korean by default, one big start button, the language toggle in the header."""

from __future__ import annotations

import streamlit as st

from kiosk.screens.common import Ctx
from kiosk.state import go
from kiosk.steps import Step


def render(ctx: Ctx) -> None:
    notice = st.session_state.pop("notice", None)
    if notice:
        st.info(ctx.t(notice))
    st.markdown(f"# {ctx.t('welcome_title')}")
    st.markdown(ctx.t("welcome_body"))
    st.write("")
    if st.button(ctx.t("start"), key="start", type="primary", width="stretch"):
        go(st.session_state, Step.CONSENT)
        st.rerun()
