"""The browser test's Chromium rule: missing Chromium skips on a laptop and fails in CI."""

from __future__ import annotations

import pytest

from tests.e2e import conftest as e2e


def test_missing_chromium_fails_in_ci_and_skips_elsewhere(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(e2e, "CHROMIUM", "/nonexistent/chromium")
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium"):
        e2e.require_chromium()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception):
        e2e.require_chromium()
