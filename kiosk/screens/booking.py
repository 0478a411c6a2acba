"""Booking: pick what to book, a day and a time, then name and 010 number; the answer is a code."""

from __future__ import annotations

import uuid
from typing import Any

import streamlit as st

from kiosk.booking_rules import (
    clinic_today,
    date_range,
    day_label,
    normalize_phone,
    slot_time,
    slots_by_day,
    valid_name,
)
from kiosk.screens.common import Ctx, api_call, ensure_consultation, nav_button, show_error, wk
from kiosk.state import go, touch
from kiosk.steps import Step

DAYS_AHEAD = 7


def _items(ctx: Ctx) -> list[dict[str, Any]]:
    items = st.session_state.get("booking_items")
    if items is None:
        items = api_call(ctx.client.booking_items) or []
        st.session_state["booking_items"] = items
    return items


def _slots(ctx: Ctx, item_code: str) -> list[dict[str, Any]]:
    cache: dict[str, list[dict[str, Any]]] = st.session_state.setdefault("slots", {})
    if item_code not in cache:
        date_from, date_to = date_range(clinic_today(), DAYS_AHEAD)
        cache[item_code] = api_call(ctx.client.available_slots, item_code, date_from, date_to) or []
    return cache[item_code]


def kiosk_items(items: list[dict[str, Any]], preferred: str | None) -> list[dict[str, Any]]:
    """What the lobby kiosk offers: consultations (a dermatologist decides on procedures), plus the
    item the assistant offered in the chat. Falls back to everything when the clinic lists no consultation.
    """
    chosen = [i for i in items if "consult" in i["code"] or i["code"] == preferred]
    return chosen or items


def render(ctx: Ctx) -> None:
    consultation = ensure_consultation(ctx, photo_storage=bool(st.session_state.get("consent")))
    st.markdown(f"## {ctx.t('booking_title')}")
    items = _items(ctx)
    offer = st.session_state.get("booking_offer") or {}
    if not items:
        show_error()
        st.warning(ctx.t("booking_none"))
        nav_button(ctx.t("finish"), Step.DONE, key="booking_giveup")
        return
    preferred = (offer.get("item") or {}).get("code")
    items = kiosk_items(items, preferred)
    codes = [i["code"] for i in items]
    names = {i["code"]: i.get(f"name_{ctx.lang}") or i["code"] for i in items}
    index = codes.index(preferred) if preferred in codes else 0
    code = st.radio(ctx.t("booking_item"), codes, index=index, format_func=names.__getitem__,
                    key=wk("booking_item"), horizontal=True) if len(codes) > 1 else codes[0]
    by_day = slots_by_day(_slots(ctx, code))
    if not by_day:
        show_error()
        st.warning(ctx.t("booking_none"))
        nav_button(ctx.t("finish"), Step.DONE, key="booking_giveup")
        return
    days = list(by_day)
    day_index = days.index(offer["date"]) if offer.get("date") in days else 0
    day = st.radio(ctx.t("bookings_day"), days, index=day_index, format_func=lambda d: day_label(d, ctx.lang),
                   key=wk(f"booking_day_{code}"), horizontal=True)
    slot_ids = [s["slot_id"] for s in by_day[day]]
    times = {s["slot_id"]: slot_time(s) for s in by_day[day]}
    slot_id = st.radio(ctx.t("booking_pick"), slot_ids, index=None, format_func=times.__getitem__,
                       key=wk(f"booking_slot_{code}_{day}"), horizontal=True)
    with st.form(wk("booking_form"), border=False):
        name = st.text_input(ctx.t("name_label"), key=wk("visitor_name"), max_chars=50)
        phone = st.text_input(ctx.t("phone_label"), key=wk("visitor_phone"), placeholder=ctx.t("phone_help"),
                              max_chars=16)
        st.caption(ctx.t("privacy_booking"))
        submitted = st.form_submit_button(ctx.t("book"), type="primary", width="stretch",
                                          key="book_submit")
    if submitted:
        touch(st.session_state)
        _submit(ctx, consultation["id"], code, slot_id, name, phone)
    show_error()
    nav_button(ctx.t("back"), Step.CHAT, key="booking_back")


def _submit(ctx: Ctx, consultation_id: str, item_code: str, slot_id: str | None, name: str,
            phone: str) -> None:
    st.session_state.pop("error", None)
    clean_phone, clean_name = normalize_phone(phone), valid_name(name)
    problem = ("slot_invalid" if not slot_id else "name_invalid" if not clean_name
               else "phone_invalid" if not clean_phone else None)
    if problem:
        st.session_state["error"] = {"code": problem, "text": ctx.t(problem)}
        return
    # One key per press of "book" for this slot: a retried request never books twice.
    key = st.session_state.setdefault("booking_key", {}).setdefault(slot_id, uuid.uuid4().hex)
    booking = api_call(ctx.client.book, slot_id, clean_name, clean_phone, consultation_id, key)
    if booking is None:
        err = st.session_state.get("error") or {}
        if err.get("code") in ("slot_full", "slot_in_past", "slot_not_found"):
            st.session_state.get("slots", {}).pop(item_code, None)  # show fresh times
        st.rerun()
    st.session_state["booking"] = booking
    go(st.session_state, Step.DONE)
    st.rerun()
