"""Chat with the clinic assistant: replies stream in as they are written; sources open in an expander."""

from __future__ import annotations

from typing import Any

import streamlit as st

from kiosk.client import ApiError, ChatStreamResult
from kiosk.screens.common import Ctx, ensure_consultation, handle_error, nav_button, show_error, wk
from kiosk.state import touch
from kiosk.steps import Step

# Material icons ship with Streamlit; emoji would need a colour-emoji font the kiosk may not have.
USER_AVATAR, ASSISTANT_AVATAR = ":material/person:", ":material/support_agent:"
SUGGESTIONS = {
    "ko": ["여드름 압출 가격이 얼마예요?", "진료 시간이 어떻게 되나요?"],
    "en": ["How much is acne extraction?", "What are your opening hours?"],
}


def render(ctx: Ctx) -> None:
    consultation = ensure_consultation(ctx, photo_storage=bool(st.session_state.get("consent")))
    st.markdown(f"## {ctx.t('chat_title')}")
    st.caption(ctx.t("chat_intro"))
    history: list[dict[str, Any]] = st.session_state.setdefault("chat", [])
    for turn in history:
        _show_turn(ctx, turn)
    question = st.chat_input(ctx.t("chat_placeholder"), key=wk("chat_input"),
                             max_chars=ctx.config.max_message_chars)
    if not history and not question:
        cols = st.columns(len(SUGGESTIONS[ctx.lang]))
        for i, (col, text) in enumerate(zip(cols, SUGGESTIONS[ctx.lang], strict=True)):
            if col.button(text, key=f"suggest_{i}", width="stretch"):
                question = text
    if question:
        touch(st.session_state)
        st.session_state.pop("error", None)
        _ask(ctx, consultation["id"], question.strip(), history)
    show_error()
    if st.session_state.get("booking_offer"):
        nav_button(ctx.t("to_booking"), Step.BOOKING, key="chat_offer_to_booking", primary=True)
    else:
        nav_button(ctx.t("to_booking"), Step.BOOKING, key="chat_to_booking", primary=True)
    nav_button(ctx.t("finish"), Step.DONE, key="chat_finish")


def _ask(ctx: Ctx, consultation_id: str, question: str, history: list[dict[str, Any]]) -> None:
    if not question:
        return
    user_turn = {"role": "user", "content": question}
    _show_turn(ctx, user_turn)
    result = ChatStreamResult()
    with st.chat_message("assistant", avatar=ASSISTANT_AVATAR):
        try:
            st.write_stream(ctx.client.ask_stream(consultation_id, question, result))
        except ApiError as exc:
            # Unreachable mid-stream: api_call turns it into the outage screen; anything else is one
            # sentence under the chat. Nothing is added to the history, so the visitor can ask again.
            handle_error(exc)
            return
    history.append(user_turn)
    turn = {"role": "assistant", "content": result.text, "citations": result.citations,
            "guardrail": result.guardrail}
    history.append(turn)
    if result.booking_offer:
        st.session_state["booking_offer"] = result.booking_offer
    st.rerun()


def _show_turn(ctx: Ctx, turn: dict[str, Any]) -> None:
    avatar = USER_AVATAR if turn["role"] == "user" else ASSISTANT_AVATAR
    with st.chat_message(turn["role"], avatar=avatar):
        st.markdown(turn["content"])
        if turn.get("guardrail"):
            st.caption(ctx.t("chat_blocked_note"))
        citations = turn.get("citations") or []
        if citations:
            with st.expander(f"{ctx.t('sources')} ({len(citations)})"):
                for cite in citations:
                    title = cite.get("title") or cite.get("doc_id", "")
                    st.markdown(f"**{title}** · `{cite.get('source', '')}`")
                    st.caption(str(cite.get("text", ""))[:600])
