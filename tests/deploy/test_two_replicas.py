"""Two real ``skinchat serve`` processes sharing one PostgreSQL and one Chroma server, without Docker.

This is docker/compose.yaml's topology on loopback, run with the compose file's own commands: the
``migrate`` and ``ingest`` jobs first, then replicas A and B (the ``api-a`` command) on their own ports
with the same settings and the same data folder (the compose file's shared volume). Every visitor step
goes to one replica and is read back from the other, so any state kept in a process's memory (sessions,
idempotency keys, rate limits, holds, photos on a private disk, a retrieval index that never refreshes)
fails a test here.

Needs SKINCHAT_TEST_POSTGRES_URL and SKINCHAT_TEST_CHROMA_URL (scripts/test.sh starts both): skipped without
them locally, an error in CI.
"""

from __future__ import annotations

import base64
import contextlib
import io
import os
import secrets
import shutil
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
import yaml

from tests.support import free_port, reset_postgres

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.chroma_server]

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = ROOT / "docker" / "compose.yaml"
SHIPPED_WEIGHTS = ROOT / "vision" / "weights" / "skinchat-acne-yolo.pt"
CLINIC = "deploy-two-replicas"  # its own Chroma collection and clinic row: no other test shares them
ADMIN_EMAIL = "admin@deploy-test.kr"
ADMIN_PASSWORD = "deploy-test-pw-0123"
READY_TIMEOUT_S = 150


def _required_env(name: str) -> str:
    value = os.environ.get(name, "")
    if not value:
        if os.environ.get("CI"):
            pytest.fail(f"{name} is not set in CI; scripts/test.sh must start the service")
        pytest.skip(f"{name} is not set (run through scripts/test.sh)")
    return value


def _standin_weights(path: Path) -> Path:
    """An untrained 4-class YOLO built from the packaged yaml, for checkouts where the trained weights are
    not committed yet. It runs the real detector code path; this test asserts nothing about lesions."""
    code = (
        "import vision, sys\n"
        "from ultralytics import YOLO\n"
        "from ultralytics.nn.tasks import DetectionModel\n"
        "m = YOLO('yolo11n.yaml')\n"
        "m.model = DetectionModel('yolo11n.yaml', nc=4, verbose=False)\n"
        "m.model.names = {0: 'papule', 1: 'pustule', 2: 'nodule_cyst', 3: 'comedone'}\n"
        "m.save(sys.argv[1])\n"
    )
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT, timeout=180,
                   capture_output=True)
    return path


def compose_command(service: str) -> str:
    """The service's ``sh -c`` script from docker/compose.yaml, as the container's shell would run it:
    compose's ``$$`` is a literal ``$``, and the image's /app is this checkout."""
    command = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))["services"][service]["command"]
    assert command[:2] == ["sh", "-c"], command
    return command[2].replace("$$", "$").replace("/app/", f"{ROOT}/")


def _run_job(service: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(["sh", "-c", compose_command(service)], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, f"compose job {service} failed:\n{out.stdout}\n{out.stderr}"
    return out


@dataclass
class Replica:
    name: str
    url: str
    process: subprocess.Popen[bytes]
    log: Path
    client: httpx.Client

    def log_tail(self) -> str:
        return self.log_tail_full()[-3000:]

    def log_tail_full(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""


@dataclass
class Stack:
    a: Replica
    b: Replica
    kiosk_token: str
    data_dir: Path


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=15)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=10)


def _wait_ready(replicas: list[Replica]) -> None:
    deadline = time.monotonic() + READY_TIMEOUT_S
    pending = list(replicas)
    last: dict[str, str] = {}
    while pending and time.monotonic() < deadline:
        for replica in list(pending):
            if replica.process.poll() is not None:
                code = replica.process.returncode
                pytest.fail(f"replica {replica.name} exited ({code}):\n{replica.log_tail()}")
            try:
                response = replica.client.get("/readyz", timeout=30)
                last[replica.name] = f"{response.status_code} {response.text[:300]}"
                if response.status_code == 200:
                    pending.remove(replica)
            except httpx.HTTPError as exc:
                last[replica.name] = repr(exc)
        time.sleep(1)
    if pending:
        pytest.fail(f"not ready after {READY_TIMEOUT_S}s: {last}\n{pending[0].log_tail()}")


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    pg_url = _required_env("SKINCHAT_TEST_POSTGRES_URL").replace("postgresql://", "postgresql+psycopg://", 1)
    chroma_url = _required_env("SKINCHAT_TEST_CHROMA_URL")
    work = tmp_path_factory.mktemp("two-replicas")
    # The clinic's own folder on the shared data volume (the operator's copy of the demo documents).
    knowledge = work / "data" / "knowledge" / CLINIC
    shutil.copytree(ROOT / "knowledge" / "demo-clinic", knowledge)
    weights = SHIPPED_WEIGHTS if SHIPPED_WEIGHTS.is_file() else _standin_weights(work / "standin.pt")
    reset_postgres(pg_url)
    kiosk_token = "kiosk_" + secrets.token_urlsafe(24)
    env = {
        # `python` and `skinchat` in the compose commands are this venv's, as /opt/venv/bin is in the image
        "PATH": f"{Path(sys.executable).parent}:{os.environ.get('PATH', '/usr/bin:/bin')}",
        "HOME": os.environ.get("HOME", str(work)),
        "ANONYMIZED_TELEMETRY": "False",
        "SKINCHAT_ENV": "test",
        "SKINCHAT_DATA_DIR": str(work / "data"),  # shared by both replicas, like the compose volume
        "SKINCHAT_DATABASE_URL": pg_url,
        "SKINCHAT_CHROMA_MODE": "server",
        "SKINCHAT_CHROMA_URL": chroma_url,
        "SKINCHAT_CLINIC_ID": CLINIC,
        "SKINCHAT_KNOWLEDGE_DIR": str(knowledge),
        "SKINCHAT_DETECTOR_WEIGHTS": str(weights),
        "SKINCHAT_SECRET_KEY": secrets.token_hex(32),
        "SKINCHAT_ADMIN_EMAIL": ADMIN_EMAIL,
        "SKINCHAT_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "SKINCHAT_KIOSK_DEVICE_TOKEN": kiosk_token,
        "SKINCHAT_LOGIN_RATE_LIMIT_PER_MINUTE": "4",
        "SKINCHAT_STARTUP_WAIT_SECONDS": "30",
        "SKINCHAT_LOG_LEVEL": "INFO",
    }
    # The compose jobs, with their own commands and in their order: migrate (wait for the database,
    # upgrade, seed), then ingest (wait for Chroma, copy bundled documents if any, index the folder).
    migrate = _run_job("migrate", env)
    assert "database is at the latest revision" in migrate.stdout and CLINIC in migrate.stdout
    ingest = _run_job("ingest", env)
    assert "vector_store ready" in ingest.stderr

    replicas: list[Replica] = []
    try:
        for name in ("A", "B"):
            port = free_port()
            log = work / f"replica-{name}.log"
            replica_env = {**env, "SKINCHAT_API_HOST": "127.0.0.1", "SKINCHAT_API_PORT": str(port)}
            with log.open("wb") as out:  # compose's api-a / api-b command: wait for PG and Chroma, serve
                process = subprocess.Popen(["sh", "-c", compose_command("api-a")], cwd=ROOT, env=replica_env,
                                           stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
            url = f"http://127.0.0.1:{port}"
            client = httpx.Client(base_url=url, timeout=120,
                                  headers={"Authorization": f"Bearer {kiosk_token}"})
            replicas.append(Replica(name, url, process, log, client))
        _wait_ready(replicas)
        yield Stack(replicas[0], replicas[1], kiosk_token, work / "data")
    finally:
        for replica in replicas:
            replica.client.close()
            _stop(replica.process)


def _ok(response: httpx.Response, status: int = 200) -> dict:
    assert response.status_code == status, f"{response.request.method} {response.request.url}: " \
                                           f"{response.status_code} {response.text[:500]}"
    return response.json()


def _photo_jpeg() -> bytes:
    from vision.synthetic import make_photo

    image, _ = make_photo(width=1280, height=960, n_lesions=12, seed=7)
    buffer = io.BytesIO()
    image.save(buffer, format="JPEG", quality=90)
    return buffer.getvalue()


def _slots(replica: Replica, count: int) -> tuple[str, list[dict]]:
    """A one-seat item's code and ``count`` of its free slots in the coming weeks (clinic time)."""
    items = _ok(replica.client.get("/v1/booking/items"))["items"]
    item = next(i for i in items if i["capacity"] == 1)
    start = (datetime.now(UTC) + timedelta(hours=9)).date() + timedelta(days=1)
    found: list[dict] = []
    for offset in range(0, 28, 7):
        day_from = start + timedelta(days=offset)
        body = _ok(replica.client.get("/v1/booking/slots", params={
            "item": item["code"], "date_from": day_from.isoformat(),
            "date_to": (day_from + timedelta(days=6)).isoformat()}))
        found += [s for s in body["slots"] if s["seats_left"] == 1]
        if len(found) >= count:
            return item["code"], found[:count]
    pytest.fail(f"not enough free one-seat slots for {item['code']}: {len(found)}")


def test_a_visit_moves_between_replicas_and_every_write_is_seen_by_the_other(stack: Stack) -> None:
    a, b = stack.a, stack.b

    # 1. consultation on A, read on B
    start = {"language": "ko", "channel": "kiosk", "consents": {"photo_storage": True, "text_version": "v1"}}
    consultation = _ok(a.client.post("/v1/consultations", json=start), 201)
    cid = consultation["id"]
    seen = _ok(b.client.get(f"/v1/consultations/{cid}"))
    assert seen["id"] == cid and seen["consents"][0]["granted"] is True

    # 2. chat on B (the retrieval index comes from the shared Chroma server), transcript on A
    reply = _ok(b.client.post(f"/v1/consultations/{cid}/messages",
                              json={"content": "여드름 압출 가격이 얼마예요?"}), 201)
    assert reply["message"]["role"] == "assistant" and reply["message"]["content"]
    transcript = _ok(a.client.get(f"/v1/consultations/{cid}/messages"))["messages"]
    assert [m["role"] for m in transcript] == ["user", "assistant"]
    assert transcript[1]["id"] == reply["message"]["id"]
    assert transcript[1]["content"] == reply["message"]["content"]

    # 3. photo analysed on A with consent; result and stored overlay read on B (shared data folder)
    analysis = _ok(a.client.post("/v1/analyses", data={"consultation_id": cid, "consent": "true"},
                                 files={"photo": ("face.jpg", _photo_jpeg(), "image/jpeg")}), 201)
    assert analysis["photo_stored"] is True
    seen_analysis = _ok(b.client.get(f"/v1/analyses/{analysis['id']}"))
    assert seen_analysis["counts"] == analysis["counts"] and seen_analysis["grade"] == analysis["grade"]
    overlay = b.client.get(f"/v1/analyses/{analysis['id']}/overlay.png")
    assert overlay.status_code == 200, overlay.text[:300]
    assert overlay.content == base64.b64decode(analysis["overlay"]["png_base64"])

    # 4. booking on B for this consultation, read back on A; the consultation's funnel moved on A too
    slot = _slots(b, 1)[1][0]
    booking = _ok(b.client.post("/v1/booking/reservations", json={
        "slot_id": slot["slot_id"], "name": "김하늘", "phone": "010-1234-5678", "consultation_id": cid}), 201)
    again = _ok(a.client.get(f"/v1/booking/reservations/{booking['code']}", params={"phone": "01012345678"}))
    assert again["code"] == booking["code"] and again["starts_at"] == booking["starts_at"]
    confirmed = _ok(a.client.post(f"/v1/booking/reservations/{booking['code']}/confirm",
                                  json={"phone": "010-1234-5678"}))
    assert confirmed["status"] == "confirmed"
    assert _ok(b.client.get(f"/v1/booking/reservations/{booking['code']}",
                            params={"phone": "010-1234-5678"}))["status"] == "confirmed"
    assert _ok(a.client.get(f"/v1/consultations/{cid}"))["outcome"] == "booking"
    left = _ok(a.client.get("/v1/booking/slots", params={
        "item": booking["item"]["code"], "date_from": slot["date"], "include_full": "true"}))["slots"]
    assert next(s for s in left if s["slot_id"] == slot["slot_id"])["seats_left"] == 0


def test_the_same_seat_booked_through_both_replicas_at_once_gives_one_booking(stack: Stack) -> None:
    item_code, rounds = _slots(stack.a, 3)
    for slot in rounds:
        barrier = threading.Barrier(2)
        results: dict[str, httpx.Response] = {}

        def book(replica: Replica, slot_id: str = slot["slot_id"], barrier: threading.Barrier = barrier,
                 results: dict[str, httpx.Response] = results) -> None:
            body = {"slot_id": slot_id, "name": f"손님{replica.name}", "phone": "010-5555-0000"}
            barrier.wait(timeout=30)
            results[replica.name] = replica.client.post("/v1/booking/reservations", json=body)

        threads = [threading.Thread(target=book, args=(r,)) for r in (stack.a, stack.b)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        statuses = sorted(r.status_code for r in results.values())
        assert statuses == [201, 409], {k: (v.status_code, v.text[:200]) for k, v in results.items()}
        loser = next(r for r in results.values() if r.status_code == 409)
        assert loser.json()["code"] == "slot_full"
        view = _ok(stack.b.client.get("/v1/booking/slots", params={
            "item": item_code, "date_from": slot["date"], "include_full": "true"}))
        assert next(s for s in view["slots"] if s["slot_id"] == slot["slot_id"])["seats_left"] == 0


def test_an_idempotency_key_replays_on_the_other_replica(stack: Stack) -> None:
    key = "deploy-" + uuid.uuid4().hex
    body = {"language": "en", "channel": "kiosk", "consents": {"photo_storage": False, "text_version": "v1"}}
    first = _ok(stack.a.client.post("/v1/consultations", json=body, headers={"Idempotency-Key": key}), 201)
    replay = stack.b.client.post("/v1/consultations", json=body, headers={"Idempotency-Key": key})
    assert replay.status_code == 201 and replay.json()["id"] == first["id"]
    reused = stack.b.client.post("/v1/consultations", json={**body, "language": "ko"},
                                 headers={"Idempotency-Key": key})
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"


def test_staff_login_and_its_rate_limit_are_shared(stack: Stack) -> None:
    """A JWT from A works on B (one SKINCHAT_SECRET_KEY); failed logins count across replicas (limit 4)."""
    login = _ok(httpx.post(f"{stack.a.url}/v1/auth/login",
                           json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "clinic_id": CLINIC}))
    staff = {"Authorization": f"Bearer {login['access_token']}"}
    me = _ok(httpx.get(f"{stack.b.url}/v1/auth/me", headers=staff))
    assert me["kind"] == "staff" and me["clinic_id"] == CLINIC

    nobody = f"nobody-{uuid.uuid4().hex[:8]}@deploy-test.kr"
    wrong = {"email": nobody, "password": "wrong", "clinic_id": CLINIC}
    if datetime.now(UTC).second > 45:  # the limit is a fixed one-minute window: stay inside one
        time.sleep(61 - datetime.now(UTC).second)
    replicas = [stack.a, stack.b] * 3
    statuses = [httpx.post(f"{r.url}/v1/auth/login", json=wrong).status_code for r in replicas]
    assert statuses[:4] == [401, 401, 401, 401], statuses
    assert statuses[4:] == [429, 429], f"the limit must be counted across both replicas: {statuses}"


UPLOADED_DOC = """---
doc_id: deploy-parking-ko
title: 주차 안내 (별관 타워주차장)
lang: ko
type: faq
updated: 2026-11-27
---

# 주차 안내

## 별관 타워주차장은 어떻게 이용하나요?

별관 타워주차장은 진료 고객에게 2시간 무료 주차권을 드립니다. 타워주차장 발렛 요금은 5,000원입니다.
"""


def test_a_knowledge_upload_on_one_replica_is_answered_from_the_other(stack: Stack) -> None:
    """The admin uploads a document through A; B's retrieval (its keyword index is a per-process cache)
    must see it on the next question, because ingestion changed the shared collection's version stamp."""
    login = _ok(httpx.post(f"{stack.a.url}/v1/auth/login",
                           json={"email": ADMIN_EMAIL, "password": ADMIN_PASSWORD, "clinic_id": CLINIC}))
    staff = {"Authorization": f"Bearer {login['access_token']}"}
    question = {"content": "별관 타워주차장 발렛 요금이 얼마예요?"}
    start = {"language": "ko", "channel": "kiosk", "consents": {"photo_storage": False, "text_version": "v1"}}

    before_id = _ok(stack.b.client.post("/v1/consultations", json=start), 201)["id"]
    before = _ok(stack.b.client.post(f"/v1/consultations/{before_id}/messages", json=question), 201)
    assert "deploy-parking-ko" not in {c["doc_id"] for c in before["citations"]}  # B has built its index

    upload = httpx.post(f"{stack.a.url}/v1/staff/knowledge", headers=staff, timeout=300,
                        files=[("files", ("parking-tower.md", UPLOADED_DOC.encode(), "text/markdown"))])
    assert upload.status_code == 200, upload.text[:500]
    assert upload.json()["report"]["added"] >= 1

    after_id = _ok(stack.b.client.post("/v1/consultations", json=start), 201)["id"]
    after = _ok(stack.b.client.post(f"/v1/consultations/{after_id}/messages", json=question), 201)
    assert "deploy-parking-ko" in {c["doc_id"] for c in after["citations"]}, after


# ---- the real proxy config in front of the two replicas ---------------------------------------------------

def _nginx_binary() -> str | None:
    """Debian's nginx, or SKINCHAT_TEST_NGINX. Optional: without it only the proxy tests are skipped."""
    found = os.environ.get("SKINCHAT_TEST_NGINX") or shutil.which("nginx")
    if not found and Path("/usr/sbin/nginx").is_file():
        found = "/usr/sbin/nginx"
    return found


@pytest.fixture(scope="module")
def proxy(stack: Stack, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """docker/nginx.conf as shipped, with only the upstream addresses and the listen port made local."""
    binary = _nginx_binary()
    if not binary:
        pytest.skip("no nginx binary (Debian's nginx package, or SKINCHAT_TEST_NGINX=/path/to/nginx)")
    work = tmp_path_factory.mktemp("nginx")
    work.chmod(0o777)  # started as root, nginx's workers run as nobody and write their temp files here
    port = free_port()
    conf = (ROOT / "docker" / "nginx.conf").read_text(encoding="utf-8")
    for old, new in (("server api-a:8000", f"server {stack.a.url.removeprefix('http://')}"),
                     ("server api-b:8000", f"server {stack.b.url.removeprefix('http://')}"),
                     ("listen 8080;", f"listen 127.0.0.1:{port};")):
        assert old in conf, old
        conf = conf.replace(old, new)
    (work / "default.conf").write_text(conf, encoding="utf-8")
    temp = "".join(f"{kind}_temp_path {work}/{kind};\n"
                   for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"))
    (work / "nginx.conf").write_text(
        f"daemon off;\npid {work}/nginx.pid;\nerror_log {work}/error.log;\nevents {{}}\n"
        f"http {{\n{temp}include {work}/default.conf;\n}}\n", encoding="utf-8")
    log = work / "access.log"
    with log.open("wb") as out:
        process = subprocess.Popen([binary, "-p", str(work), "-c", str(work / "nginx.conf")],
                                   stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                if httpx.get(f"{url}/nginx-health", timeout=2).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                errors = (work / "error.log").read_text(errors="replace")[-2000:]
                pytest.fail(f"nginx did not start: {errors}")
            time.sleep(0.2)
        yield url
    finally:
        _stop(process)


def test_the_proxy_spreads_requests_over_both_replicas_and_carries_the_request_id(stack: Stack,
                                                                                 proxy: str) -> None:
    auth = {"Authorization": f"Bearer {stack.kiosk_token}"}
    ids = [f"proxy-{uuid.uuid4().hex[:12]}" for _ in range(8)]
    for rid in ids:
        response = httpx.get(f"{proxy}/v1/booking/items", headers={**auth, "X-Request-ID": rid}, timeout=60)
        assert response.status_code == 200 and response.headers["x-request-id"] == rid
    served = {name: sum(rid in replica.log_tail_full() for rid in ids)
              for name, replica in (("A", stack.a), ("B", stack.b))}
    assert served["A"] + served["B"] == len(ids), served
    assert served["A"] >= 2 and served["B"] >= 2, f"round-robin should use both replicas: {served}"
    # without a caller's id, nginx makes one and the replica logs that same id
    response = httpx.get(f"{proxy}/v1/booking/items", headers=auth, timeout=60)
    made = response.headers["x-request-id"]
    assert len(made) >= 16
    assert made in stack.a.log_tail_full() + stack.b.log_tail_full()


def test_the_proxy_streams_chat_and_hides_metrics_and_limits_bodies(stack: Stack, proxy: str) -> None:
    auth = {"Authorization": f"Bearer {stack.kiosk_token}"}
    start = {"language": "ko", "channel": "kiosk", "consents": {"photo_storage": False, "text_version": "v1"}}
    cid = _ok(httpx.post(f"{proxy}/v1/consultations", json=start, headers=auth, timeout=60), 201)["id"]
    events: list[str] = []
    with httpx.stream("POST", f"{proxy}/v1/consultations/{cid}/messages", timeout=120,
                      headers={**auth, "Accept": "text/event-stream"},
                      json={"content": "여드름 압출 가격이 얼마예요?"}) as response:
        assert response.status_code == 200
        assert response.headers["content-type"].startswith("text/event-stream")
        events = [line.removeprefix("event: ") for line in response.iter_lines()
                  if line.startswith("event: ")]
    assert events[-1] == "final" and "token" in events, events

    assert httpx.get(f"{proxy}/metrics", timeout=10).status_code == 404
    assert httpx.get(f"{stack.a.url}/metrics", timeout=10).status_code == 200

    too_big = httpx.post(f"{proxy}/v1/analyses", headers=auth, timeout=60, data={"consultation_id": cid},
                         files={"photo": ("big.jpg", b"\0" * (17 * 1024 * 1024), "image/jpeg")})
    assert too_big.status_code == 413
    assert too_big.json()["code"] == "payload_too_large"  # nginx's own 413, in the API's problem format
