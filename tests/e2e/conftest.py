"""End-to-end fixtures: a live API (tests/kiosk/live_api.py) and a live ``streamlit run kiosk/kiosk_app.py``.

The Chromium check runs first, so a machine without it skips (or, in CI, fails) before starting servers.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.kiosk.live_api import LiveApi, kiosk_env, start_live_api
from tests.support import free_port, stop_process

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def require_chromium() -> str:
    """Debian's Chromium; in CI its absence is a failure (the browser test must run there), else a skip."""
    if Path(CHROMIUM).is_file() or shutil.which("chromium") == CHROMIUM:
        return CHROMIUM
    message = f"{CHROMIUM} is missing: apt-get install -y chromium (never `playwright install`)"
    if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def chromium_path() -> str:
    return require_chromium()


@pytest.fixture(scope="session")
def e2e_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveApi]:
    api = start_live_api(tmp_path_factory.mktemp("e2e-api"))
    yield api
    api.stop()


def _streamlit(script: str, api: LiveApi, log_path: Path, **overrides: str) -> Iterator[str]:
    """Run ``streamlit run kiosk/<script>`` against ``api`` until the generator is closed."""
    port = free_port()
    env = {**os.environ, **kiosk_env(api, idle_seconds=300), "PYTHONUNBUFFERED": "1", **overrides}
    log = log_path.open("wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", str(ROOT / "kiosk" / script),
         "--server.port", str(port), "--server.address", "127.0.0.1", "--server.headless", "true",
         "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
         "--client.showErrorDetails", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited: {log_path.read_text(errors='replace')[-2000:]}")
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("streamlit did not start in 60 s")
            time.sleep(0.3)
        yield url
    finally:
        stop_process(proc, timeout=10)
        log.close()


@pytest.fixture(scope="session")
def kiosk_url(e2e_api: LiveApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _streamlit("kiosk_app.py", e2e_api, tmp_path_factory.mktemp("kiosk-log") / "streamlit.log")


@pytest.fixture(scope="session")
def console_url(e2e_api: LiveApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    yield from _streamlit("console_app.py", e2e_api, tmp_path_factory.mktemp("console-log") / "streamlit.log")


@pytest.fixture(scope="session")
def proxied_kiosk(e2e_api: LiveApi, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, object]]:
    """A kiosk (idle timeout 8 s) that reaches the live API through a proxy the test can switch off."""
    from tests.e2e.proxy import SwitchableProxy

    proxy = SwitchableProxy(int(e2e_api.base_url.rsplit(":", 1)[1]), free_port())
    log_path = tmp_path_factory.mktemp("proxied-kiosk-log") / "streamlit.log"
    kiosk = _streamlit("kiosk_app.py", e2e_api, log_path, SKINCHAT_API_BASE_URL=f"http://127.0.0.1:{proxy.port}",
                       SKINCHAT_KIOSK_IDLE_SECONDS="8")
    url = next(kiosk)
    try:
        yield url, proxy
    finally:
        proxy.down()
        kiosk.close()
