"""Kiosk test fixtures: one live API per test session (the encoder and detector load once)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.kiosk.live_api import LiveApi, kiosk_env, start_live_api


@pytest.fixture(scope="session")
def live_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    api = start_live_api(tmp_path_factory.mktemp("kiosk-api"))
    yield api
    api.stop()


@pytest.fixture
def kiosk_settings_env(live_api: LiveApi, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    """Point the kiosk's settings at the live API for one test."""
    env = kiosk_env(live_api)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    return env


@pytest.fixture(scope="session", autouse=True)
def _quiet_streamlit() -> None:
    os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
