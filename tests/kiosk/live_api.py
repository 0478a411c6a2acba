"""A real SkinChat API for the kiosk tests: ``api.app.create_app`` on a tmp SQLite + tmp Chroma, the demo
clinic seeded and its knowledge indexed, served by uvicorn in a thread on a free loopback port.

Why a real server and not a fake: the kiosk's promise is that it works against *this* API (its JSON shapes,
problem codes, SSE stream, auth), so its tests speak HTTP to the real thing.
"""

from __future__ import annotations

import shutil
import socket
import threading
import time
from dataclasses import dataclass
from pathlib import Path

KIOSK_TOKEN = "kiosk_test-device-token-0123456789abcdef"
ADMIN_EMAIL = "admin@demo-clinic.kr"
ADMIN_PASSWORD = "test-admin-password-1"


@dataclass
class LiveApi:
    base_url: str
    kiosk_token: str
    admin_email: str
    admin_password: str
    data_dir: Path
    server: object
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True  # type: ignore[attr-defined]
        self.thread.join(timeout=10)


def start_live_api(data_dir: Path, *, ingest: bool = True) -> LiveApi:
    import uvicorn

    from api.app import create_app
    from api.bootstrap import seed_clinic
    from api.db.migrate import upgrade
    from api.settings import DEFAULT_KNOWLEDGE, Settings

    data_dir.mkdir(parents=True, exist_ok=True)
    # A private copy of the demo clinic's documents: the console test uploads a file into the clinic's
    # folder, and that must never touch the repository's knowledge/.
    knowledge_dir = data_dir / "knowledge" / "demo-clinic"
    shutil.copytree(DEFAULT_KNOWLEDGE, knowledge_dir, ignore=shutil.ignore_patterns("uploads"),
                    dirs_exist_ok=True)
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    settings = Settings(env="test", data_dir=data_dir, database_url=f"sqlite:///{data_dir / 'skinchat.db'}",
                        chroma_path=data_dir / "chroma", kiosk_device_token=KIOSK_TOKEN,  # type: ignore[arg-type]
                        admin_email=ADMIN_EMAIL, admin_password=ADMIN_PASSWORD,  # type: ignore[arg-type]
                        api_port=port, log_level="WARNING", knowledge_dir=knowledge_dir,
                        # the console flows log the admin in more than 10 times a minute on a fast machine; the
                        # limit itself is tested in tests/api, here it would only make these tests flaky
                        login_rate_limit_per_minute=1000)
    upgrade(settings.resolved_database_url)
    seed_clinic(settings)
    if ingest:
        from rag.ingest import ingest_directory
        from rag.vectorstore import open_store

        store = open_store(settings.chroma_mode, settings.resolved_chroma_path, None)
        ingest_directory(settings.knowledge_dir, settings.clinic_id, store)
    app = create_app(settings)
    config = uvicorn.Config(app, log_level="warning", lifespan="on", access_log=False)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True, name="live-api")
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test API did not start")
        time.sleep(0.05)
    return LiveApi(f"http://127.0.0.1:{port}", KIOSK_TOKEN, ADMIN_EMAIL, ADMIN_PASSWORD, data_dir, server,
                   thread)


def kiosk_env(api: LiveApi, idle_seconds: float = 90) -> dict[str, str]:
    """The environment the kiosk (AppTest or a ``streamlit run`` subprocess) reads its settings from."""
    return {"SKINCHAT_API_BASE_URL": api.base_url, "SKINCHAT_KIOSK_DEVICE_TOKEN": api.kiosk_token,
            "SKINCHAT_KIOSK_IDLE_SECONDS": str(idle_seconds), "SKINCHAT_ENV": "test",
            "SKINCHAT_DATA_DIR": str(api.data_dir)}


def synthetic_photo_bytes(seed: int = 7, width: int = 1280, height: int = 960, n_lesions: int = 12) -> bytes:
    """A JPEG face-skin photo with drawn lesions (``vision.synthetic``), as a visitor's camera would send."""
    import io

    from vision.synthetic import make_photo

    image, _ = make_photo(width, height, n_lesions, seed, "medium")
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=92)
    return buffer.getvalue()
