"""The result: the photo with lesions outlined, counts per type (Korean and English names), the severity
grade and the suggestions, each with its reason. Framed as what the camera saw, not a diagnosis."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kiosk.i18n import grade_text, label_text
from kiosk.screens.common import Ctx, nav_button
from kiosk.steps import Step


def count_rows(counts: dict[str, int], lang: str) -> list[tuple[str, int]]:
    """(name in both languages, count), visitor's language first, largest count first; zeros kept last."""
    other = "en" if lang == "ko" else "ko"
    rows = [(f"{label_text(label, lang)} · {label_text(label, other)}", int(n))
            for label, n in counts.items()]
    return sorted(rows, key=lambda r: -r[1])


def render(ctx: Ctx) -> None:
    analysis: dict[str, Any] | None = st.session_state.get("analysis")
    if not analysis:
        nav_button(ctx.t("to_chat"), Step.CHAT, key="result_to_chat", primary=True)
        return
    st.markdown(f"## {ctx.t('result_title')}")
    st.markdown(f'<div class="sk-frame">{ctx.t("result_framing")}</div>', unsafe_allow_html=True)
    grade = analysis.get("grade") or {}
    counts = analysis.get("counts") or {}
    overlay = st.session_state.get("overlay")
    if overlay:
        caption = ctx.t("result_caption") if any(counts.values()) else ctx.t("no_lesions")
        st.image(overlay, caption=caption, width="stretch")
    left, right = st.columns([3, 2])
    with left:
        st.markdown(f"### {ctx.t('counts_title')}")
        rows = count_rows(counts, ctx.lang)
        st.markdown("\n".join(f"- {name}: **{n}**" for name, n in rows))
    with right:
        st.metric(ctx.t("grade_label"), grade_text(grade.get("name"), ctx.lang, grade.get("name_ko")))
    recommendations = analysis.get("recommendations") or {}
    recs = recommendations.get("items") or []
    notes = recommendations.get("notes") or []
    if recs or notes:
        st.markdown(f"### {ctx.t('recs_title')}")
    for item in recs:
        price = item.get("price_krw")
        price_text = f" · {int(price):,}원" if price else ""
        st.markdown(f"**{item.get('name', '')}**{price_text}  \n{ctx.t('why')}: {item.get('reason', '')}")
    for note in notes:
        st.caption(note)
    nav_button(ctx.t("to_chat"), Step.CHAT, key="result_to_chat", primary=True)
    nav_button(ctx.t("to_booking"), Step.BOOKING, key="result_to_booking")
