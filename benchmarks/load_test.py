"""Load test: concurrent kiosk visitors chatting and booking against a running SkinChat API on loopback.

Not a test: it prints numbers. Each visitor starts a consultation, asks two questions (one a booking request),
lists free slots, reserves one and confirms it. Bounded by --visitors and --seconds.

    # against a server you started (token = a kiosk device token of that server's clinic)
    .venv/bin/python benchmarks/load_test.py --base-url http://127.0.0.1:8000 --token kiosk_...
    # or let the script start one on a free port with a fresh SQLite (or --database-url) and the demo clinic
    .venv/bin/python benchmarks/load_test.py --spawn --visitors 40 --concurrency 8
"""

from __future__ import annotations

import argparse
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "여드름 압출 가격이 얼마예요?",
    "진료 시간 알려주세요",
    "What does an aqua peel cost?",
    "주차 가능한가요?",
    "PDT 부작용이 있나요?",
    "Do you accept walk-ins?",
]
BOOKING_REQUESTS = [
    "다음 주 수요일 오후에 상담 예약하고 싶어요",
    "book a consultation next wednesday morning",
]


class Recorder:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.latency: dict[str, list[float]] = defaultdict(list)
        self.status: Counter[str] = Counter()
        self.errors: Counter[str] = Counter()

    def call(
        self,
        client: httpx.Client,
        name: str,
        method: str,
        url: str,
        ok: tuple[int, ...] = (200, 201),
        **kwargs,
    ) -> httpx.Response | None:
        start = time.perf_counter()
        try:
            response = client.request(method, url, **kwargs)
        except httpx.HTTPError as exc:
            with self.lock:
                self.errors[f"{name}: {type(exc).__name__}"] += 1
            return None
        elapsed = time.perf_counter() - start
        with self.lock:
            self.latency[name].append(elapsed)
            self.status[f"{response.status_code}"] += 1
            if response.status_code not in ok:
                code = ""
                if response.headers.get("content-type", "").startswith("application/problem+json"):
                    code = response.json().get("code", "")
                self.errors[f"{name}: {response.status_code} {code}"] += 1
        return response


def visitor(base: str, token: str, n: int, rec: Recorder, day: str, deadline: float) -> None:
    if time.monotonic() > deadline:
        return
    rng = random.Random(n)
    headers = {"Authorization": f"Bearer {token}"}
    with httpx.Client(base_url=base, headers=headers, timeout=120) as client:
        r = rec.call(
            client,
            "consultation",
            "POST",
            "/v1/consultations",
            json={"language": "ko", "consents": {"photo_storage": False}},
            headers={"Idempotency-Key": f"load-{os.getpid()}-{n}"},
        )
        if r is None or r.status_code != 201:
            return
        cid = r.json()["id"]
        rec.call(
            client,
            "message",
            "POST",
            f"/v1/consultations/{cid}/messages",
            json={"content": rng.choice(QUESTIONS)},
        )
        offer = rec.call(
            client,
            "message_booking",
            "POST",
            f"/v1/consultations/{cid}/messages",
            json={"content": rng.choice(BOOKING_REQUESTS)},
        )
        slots = rec.call(
            client, "slots", "GET", "/v1/booking/slots", params={"item": "acne-extraction", "date_from": day}
        )
        choices = slots.json()["slots"] if slots is not None and slots.status_code == 200 else []
        if (
            offer is not None
            and offer.status_code == 201
            and (offer.json().get("booking_offer") or {}).get("slots")
        ):
            choices = offer.json()["booking_offer"]["slots"] + choices
        for slot in rng.sample(choices, min(3, len(choices))):  # a taken seat is a normal 409; try another
            phone = f"010-{rng.randint(2000, 9999)}-{n % 10000:04d}"
            held = rec.call(
                client,
                "reserve",
                "POST",
                "/v1/booking/reservations",
                ok=(201, 409),
                json={
                    "slot_id": slot["slot_id"],
                    "name": f"방문자{n}",
                    "phone": phone,
                    "consultation_id": cid,
                },
            )
            if held is not None and held.status_code == 201:
                rec.call(
                    client,
                    "confirm",
                    "POST",
                    f"/v1/booking/reservations/{held.json()['code']}/confirm",
                    json={"phone": phone},
                )
                break


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def spawn(database_url: str | None, workers: int) -> tuple[str, str, subprocess.Popen]:
    """Migrate and seed a fresh data folder, index the demo clinic, start uvicorn on a free loopback port."""
    data = Path(tempfile.mkdtemp(prefix="skinchat-load-"))
    token = "kiosk_load_test_" + os.urandom(8).hex()
    env = {
        **os.environ,
        "SKINCHAT_DATA_DIR": str(data),
        "SKINCHAT_KIOSK_DEVICE_TOKEN": token,
        "SKINCHAT_RATE_LIMIT_PER_MINUTE": "100000",
        "SKINCHAT_LOG_LEVEL": "WARNING",
    }
    if database_url:
        env["SKINCHAT_DATABASE_URL"] = database_url
    setup = (
        "from api.settings import get_settings; from api.db.migrate import upgrade; "
        "from api.bootstrap import seed_clinic; from rag.ingest import ingest_directory; "
        "from rag.vectorstore import open_store; s = get_settings(); upgrade(s.resolved_database_url); "
        "seed_clinic(s); print(ingest_directory(s.knowledge_dir, s.clinic_id, "
        "open_store('embedded', s.resolved_chroma_path)))"
    )
    subprocess.run([sys.executable, "-c", setup], env=env, cwd=ROOT, check=True)
    port = _free_port()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "uvicorn",
            "api.app:create_app",
            "--factory",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    for _ in range(240):
        try:
            if httpx.get(f"{base}/healthz", timeout=1).status_code == 200:
                break
        except httpx.HTTPError:
            time.sleep(0.5)
    else:
        proc.terminate()
        raise SystemExit("server did not start")
    # warm up the assistant (Kiwi + encoder load) so it is not counted as a visitor's latency
    with httpx.Client(base_url=base, headers={"Authorization": f"Bearer {token}"}, timeout=300) as client:
        for _ in range(workers):
            cid = client.post("/v1/consultations", json={}).json()["id"]
            client.post(f"/v1/consultations/{cid}/messages", json={"content": "진료 시간 알려주세요"})
    return base, token, proc


def next_weekday(days_ahead: int = 3) -> str:
    day = (datetime.now(UTC) + timedelta(hours=9)).date() + timedelta(days=days_ahead)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day.isoformat()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--base-url", default="http://127.0.0.1:8000")
    parser.add_argument("--token", default=os.environ.get("SKINCHAT_KIOSK_DEVICE_TOKEN", ""))
    parser.add_argument("--visitors", type=int, default=40)
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=120.0, help="stop starting new visitors after this")
    parser.add_argument("--spawn", action="store_true", help="start a server on a free loopback port")
    parser.add_argument("--database-url", default=None, help="with --spawn: PostgreSQL URL (default SQLite)")
    parser.add_argument("--workers", type=int, default=1, help="with --spawn: uvicorn worker processes")
    args = parser.parse_args()
    proc = None
    base, token = args.base_url, args.token
    if args.spawn:
        base, token, proc = spawn(args.database_url, args.workers)
    if not token:
        raise SystemExit("--token (a kiosk device token) is required without --spawn")
    rec = Recorder()
    day = next_weekday()
    started = time.perf_counter()
    deadline = time.monotonic() + args.seconds
    try:
        with ThreadPoolExecutor(max_workers=args.concurrency) as pool:
            list(pool.map(lambda n: visitor(base, token, n, rec, day, deadline), range(args.visitors)))
    finally:
        if proc is not None:
            proc.terminate()
            proc.wait(10)
    wall = time.perf_counter() - started
    total = sum(len(v) for v in rec.latency.values())
    print(f"server {base}  visitors {args.visitors}  concurrency {args.concurrency}  wall {wall:.1f} s")
    print(
        f"requests {total}  throughput {total / wall:.1f} req/s  statuses {dict(sorted(rec.status.items()))}"
    )
    print(f"{'endpoint':<16}{'n':>6}{'p50 ms':>10}{'p95 ms':>10}{'max ms':>10}")
    for name, values in rec.latency.items():
        values = sorted(values)
        p95 = values[min(len(values) - 1, round(0.95 * (len(values) - 1)))]
        print(
            f"{name:<16}{len(values):>6}{statistics.median(values) * 1000:>10.1f}{p95 * 1000:>10.1f}"
            f"{values[-1] * 1000:>10.1f}"
        )
    print("unexpected responses/errors:", dict(rec.errors) or "none")


if __name__ == "__main__":
    main()
