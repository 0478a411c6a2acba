"""The visitor's session: which step they are on, and everything personal they left on the kiosk.

Why pure functions over a mapping: ``st.session_state`` is a mapping, so the idle-timeout and reset rules
can be unit-tested without Streamlit, and the one list ``VISITOR_KEYS`` is the whole answer to "what is
wiped when the visitor walks away".
"""

from __future__ import annotations

import time
from collections.abc import MutableMapping
from typing import Any

from kiosk.steps import FIRST_STEP, Step

# Everything a visitor leaves behind. Cleared on "start over", on "finish" and on the idle timeout.
VISITOR_KEYS = (
    "consultation", "consent", "photo", "photo_name", "photo_type", "analysis", "overlay", "chat", "booking",
    "slots", "booking_items", "booking_offer", "error", "booking_key", "visit_key",
)

State = MutableMapping[str, Any]


def ensure_defaults(state: State, now: float | None = None) -> None:
    """First run of a browser session: Korean, welcome screen, nothing personal."""
    state.setdefault("lang", "ko")
    state.setdefault("step", FIRST_STEP.value)
    state.setdefault("last_activity", now if now is not None else time.time())
    state.setdefault("chat", [])
    state.setdefault("api_down", False)
    state.setdefault("visit_no", 0)


def widget_key(state: State, name: str) -> str:
    """A widget key that is new for every visit.

    Why: Streamlit keeps a widget's value (the uploaded photo, the typed name and phone) in the browser
    under its key; a fresh key per visit makes the next visitor's widgets start empty.
    """
    return f"v{state.get('visit_no', 0)}_{name}"


def clear_visitor(state: State) -> None:
    """Forget the visitor: photo, analysis, chat, booking and consultation; back to Korean and welcome."""
    old_prefix = widget_key(state, "")
    for key in VISITOR_KEYS:
        state.pop(key, None)
    for key in [k for k in state if isinstance(k, str) and k.startswith(old_prefix)]:
        del state[key]
    state["visit_no"] = int(state.get("visit_no", 0)) + 1
    state["chat"] = []
    state["lang"] = "ko"
    state["step"] = FIRST_STEP.value


def touch(state: State, now: float | None = None) -> None:
    state["last_activity"] = now if now is not None else time.time()


def is_idle(state: State, idle_seconds: float, now: float | None = None) -> bool:
    """True when the visitor has left a screen other than welcome untouched for ``idle_seconds``."""
    if current_step(state) is FIRST_STEP:
        return False
    now = now if now is not None else time.time()
    return now - float(state.get("last_activity", now)) >= idle_seconds


def expire_if_idle(state: State, idle_seconds: float, now: float | None = None) -> bool:
    """Apply the idle rule; returns True when the visitor's data was just cleared."""
    if not is_idle(state, idle_seconds, now):
        return False
    clear_visitor(state)
    state["notice"] = "idle_notice"
    touch(state, now)
    return True


def current_step(state: State) -> Step:
    try:
        return Step(state.get("step", FIRST_STEP.value))
    except ValueError:
        return FIRST_STEP


def go(state: State, step: Step) -> None:
    state["step"] = step.value
    state.pop("error", None)
    touch(state)
