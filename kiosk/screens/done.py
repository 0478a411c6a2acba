"""Done: the confirmation code in large type, then back to welcome with everything personal cleared."""

from __future__ import annotations

import streamlit as st

from kiosk.booking_rules import day_label
from kiosk.screens.common import Ctx
from kiosk.state import clear_visitor, touch


def render(ctx: Ctx) -> None:
    booking = st.session_state.get("booking")
    if booking:
        st.markdown(f"# {ctx.t('done_title')}")
        st.markdown(f"**{ctx.t('done_code')}**")
        st.markdown(f'<div class="sk-code" data-testid="booking-code">{booking["code"]}</div>',
                    unsafe_allow_html=True)
        item = booking.get("item") or {}
        when = f"{day_label(booking['local_date'], ctx.lang)} {booking.get('local_time', '')}" \
            if booking.get("local_date") else booking.get("starts_at", "")
        st.markdown(f"**{ctx.t('done_when')}**: {when} · {item.get(f'name_{ctx.lang}', '')}")
        st.markdown(ctx.t("done_body"))
    else:
        st.markdown(f"# {ctx.t('done_nobooking_title')}")
    st.caption(ctx.t("idle_done_hint", seconds=int(ctx.config.idle_seconds)))
    if st.button(ctx.t("finish"), key="finish", type="primary", width="stretch"):
        clear_visitor(st.session_state)
        touch(st.session_state)
        st.rerun()
