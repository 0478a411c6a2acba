"""Shared steps for the staff-console AppTest flows."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def login(at: AppTest, email: str, password: str) -> AppTest:
    """Run the console and log in through its form; fails the test on any exception the app raised."""
    at.run()
    at.text_input(key="login_email").input(email)
    at.text_input(key="login_password").input(password)
    at.button(key="login_submit").click().run()
    assert not at.exception, at.exception
    return at
