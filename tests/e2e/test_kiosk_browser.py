"""The visitor's whole visit in a real headless Chromium (Debian's, driven by Playwright) against a live
API and a live kiosk: consent → photo → outlined result → a question → a booking → done.

Screenshots of each step go to docs/screenshots/ (the README shows them). Marked ``browser``.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM_ARGS
from tests.kiosk.live_api import LiveApi, synthetic_photo_bytes

SHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"
PORTRAIT = {"width": 810, "height": 1440}
STEP_TIMEOUT_MS = 90_000

pytestmark = pytest.mark.browser


def full_screenshot(page, path: Path, viewport: dict[str, int]) -> None:  # type: ignore[no-untyped-def]
    """The whole screen: Streamlit scrolls inside its own boxes, so grow the window to the tallest one."""
    page.wait_for_timeout(500)  # let Streamlit finish painting
    height = page.evaluate(
        "() => Math.max(...Array.from(document.querySelectorAll('*'), e => e.scrollHeight))")
    page.set_viewport_size({"width": viewport["width"],
                            "height": max(viewport["height"], min(int(height) + 40, 4000))})
    page.evaluate("() => document.querySelectorAll('*').forEach(e => { e.scrollTop = 0; })")
    page.wait_for_timeout(300)
    page.screenshot(path=str(path))
    page.set_viewport_size(viewport)


def test_visitor_books_after_photo_and_question(chromium_path: str, kiosk_url: str, tmp_path: Path) -> None:
    chromium = chromium_path
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_TIMEOUT_MS)  # analysis and the first answer load models on a busy CPU
    photo = tmp_path / "face.jpg"
    photo.write_bytes(synthetic_photo_bytes(seed=11))  # 1280x960: a lobby camera frame, quick to analyse
    SHOTS.mkdir(parents=True, exist_ok=True)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport=PORTRAIT, locale="ko-KR")
            page.set_default_timeout(STEP_TIMEOUT_MS)

            def shot(name: str) -> None:
                full_screenshot(page, SHOTS / name, PORTRAIT)

            def press(label: str) -> None:
                page.get_by_role("button", name=label, exact=True).click()

            page.goto(kiosk_url)
            expect(page.get_by_text("어서 오세요")).to_be_visible()
            shot("01-welcome.png")

            press("시작하기")
            expect(page.get_by_text("사진 촬영 동의")).to_be_visible()
            expect(page.get_by_text("진단이 아닙니다", exact=False)).to_be_visible()
            shot("02-consent.png")

            press("동의하고 사진 찍기")
            expect(page.get_by_text("사진 찍기", exact=True)).to_be_visible()
            page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(photo))
            expect(page.get_by_role("button", name="이 사진으로 분석하기")).to_be_visible()
            shot("03-capture.png")

            press("이 사진으로 분석하기")
            expect(page.get_by_text("카메라가 본 것이며, 진단은 피부과 전문의가 합니다")).to_be_visible()
            result_image = page.locator('[data-testid="stImage"] img').first
            expect(result_image).to_be_visible()
            assert result_image.evaluate("img => img.naturalWidth") > 0
            expect(page.get_by_text(re.compile(r"구진 · Papule"))).to_be_visible()
            shot("04-result.png")

            press("질문하기")
            chat_box = page.locator('[data-testid="stChatInput"] textarea')
            chat_box.fill("여드름 압출 가격이 얼마예요?")
            chat_box.press("Enter")
            sources = page.get_by_text(re.compile(r"출처 보기 \(\d+\)")).first
            expect(sources).to_be_visible()
            sources.click()
            assistant = page.locator('[data-testid="stChatMessage"]').nth(1)
            expect(assistant).to_contain_text(re.compile(r"\S"))
            shot("05-chat.png")

            press("상담 예약하기")
            expect(page.get_by_text("시간을 골라 주세요")).to_be_visible()
            times = page.locator('[data-testid="stRadio"]').last
            times.locator("label:has(input[type=radio])").first.click()
            expect(times.locator("input[type=radio]:checked")).to_have_count(1)
            page.get_by_label("성함").fill("김하늘")
            page.get_by_label("휴대폰 번호 (010)").fill("010-1234-5678")
            page.wait_for_timeout(300)
            shot("06-booking.png")

            press("예약하기")
            expect(page.get_by_text("예약되었습니다")).to_be_visible()
            code = page.locator('[data-testid="booking-code"]').inner_text().strip()
            assert re.fullmatch(r"[A-Z]{1,4}-[2-9A-HJKMNP-Z]{4,10}", code), code
            shot("07-done.png")

            press("마치기")
            expect(page.get_by_text("어서 오세요")).to_be_visible()
            press("English")
            expect(page.get_by_text("Welcome", exact=True)).to_be_visible()
            shot("08-welcome-en.png")
        finally:
            browser.close()


def test_staff_sees_the_visit_in_the_console(chromium_path: str, e2e_api: LiveApi, console_url: str) -> None:
    """After the visit above: staff log in, see the conversation and the funnel (screenshots 09, 10)."""
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=STEP_TIMEOUT_MS)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path, headless=True, args=CHROMIUM_ARGS)
        try:
            wide = {"width": 1400, "height": 1000}
            page = browser.new_page(viewport=wide, locale="ko-KR")
            page.set_default_timeout(STEP_TIMEOUT_MS)
            page.goto(console_url)
            page.get_by_label("이메일").fill(e2e_api.admin_email)
            page.get_by_label("비밀번호").fill(e2e_api.admin_password)
            page.get_by_role("button", name="로그인").click()
            expect(page.get_by_role("tab", name="상담 기록")).to_be_visible()
            page.get_by_role("button", name="열기").first.click()
            expect(page.get_by_text("여드름 압출 가격이 얼마예요?").first).to_be_visible()
            full_screenshot(page, SHOTS / "09-console-transcript.png", wide)
            page.get_by_role("tab", name="이용 현황").click()
            expect(page.get_by_text("상담 → 사진 → 질문 → 예약")).to_be_visible()
            page.wait_for_timeout(1000)  # charts render after the data arrives
            full_screenshot(page, SHOTS / "10-console-funnel.png", wide)
        finally:
            browser.close()
