"""In a real browser: the API goes away mid-visit and comes back (the kiosk recovers by itself), and an
idle kiosk returns to welcome and forgets the visitor. Marked ``browser``."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM_ARGS

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PORTRAIT = {"width": 810, "height": 1440}

pytestmark = pytest.mark.browser


def test_outage_recovers_by_itself_and_idle_returns_to_welcome(chromium_path: str, proxied_kiosk) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, proxy = proxied_kiosk
    expect.set_options(timeout=60_000)
    proxy.down()  # the API is unreachable
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PORTRAIT, locale="ko-KR")
            page.set_default_timeout(60_000)
            page.goto(url)
            page.get_by_role("button", name="시작하기", exact=True).click()
            page.get_by_role("button", name="사진 없이 계속하기", exact=True).click()
            expect(page.get_by_text("잠시 후 다시 시도해 주세요").first).to_be_visible()
            expect(page.get_by_text("Traceback")).to_have_count(0)
            page.wait_for_timeout(300)
            page.screenshot(path=str(SHOTS / "11-outage.png"))

            proxy.up()  # the API is back: no touch needed, the screen checks by itself
            started = time.monotonic()
            expect(page.get_by_text("사진 촬영 동의")).to_be_visible()
            assert time.monotonic() - started < 30
            page.get_by_role("button", name="사진 없이 계속하기", exact=True).click()
            expect(page.get_by_text("병원 안내 도우미")).to_be_visible()  # the consultation opened

            expect(page.get_by_text("처음 화면으로 돌아왔습니다", exact=False)).to_be_visible()  # 8 s idle
            expect(page.get_by_role("button", name="시작하기", exact=True)).to_be_visible()
        finally:
            browser.close()
