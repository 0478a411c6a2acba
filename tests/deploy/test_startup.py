"""api/startup.py: a starting replica or job waits for the database and Chroma, then names what never came."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

from api.startup import DependencyUnavailable, wait_for_dependencies

ROOT = Path(__file__).resolve().parents[2]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.now += seconds


def flaky(failures: int) -> tuple[list[int], object]:
    calls = [0]

    def probe() -> None:
        calls[0] += 1
        if calls[0] <= failures:
            raise ConnectionRefusedError("connection refused")

    return calls, probe


def test_waits_until_every_dependency_answers(settings_factory) -> None:
    clock = FakeClock()
    db_calls, db = flaky(3)
    chroma_calls, chroma = flaky(0)
    settings = settings_factory(startup_wait_seconds=10)
    probes = {"database": db, "vector_store": chroma}
    took = wait_for_dependencies(settings, probes, sleep=clock.sleep, clock=clock)
    assert took == {"database": 3.0, "vector_store": 0.0}
    assert db_calls == [4]
    assert chroma_calls == [1], "a dependency that answered is not asked again"


def test_names_only_what_never_came(settings_factory) -> None:
    clock = FakeClock()
    _, db = flaky(0)
    _, chroma = flaky(10_000)
    with pytest.raises(DependencyUnavailable) as info:
        wait_for_dependencies(settings_factory(startup_wait_seconds=5),
                              {"database": db, "vector_store": chroma}, sleep=clock.sleep, clock=clock)
    assert set(info.value.missing) == {"vector_store"}
    assert "connection refused" in info.value.missing["vector_store"]
    assert "vector_store" in str(info.value) and "SKINCHAT_STARTUP_WAIT_SECONDS" in str(info.value)
    assert 5.0 <= clock.now < 6.5


def test_zero_wait_tries_once(settings_factory) -> None:
    clock = FakeClock()
    calls, db = flaky(1)
    with pytest.raises(DependencyUnavailable):
        wait_for_dependencies(settings_factory(startup_wait_seconds=0), {"database": db},
                              sleep=clock.sleep, clock=clock)
    assert calls == [1]


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_real_probes_report_an_unreachable_postgres_and_chroma(settings_factory) -> None:
    port = _closed_port()
    settings = settings_factory(startup_wait_seconds=1, database_url=f"postgresql+psycopg://u:p@127.0.0.1:{port}/x",
                                chroma_mode="server", chroma_url=f"http://127.0.0.1:{port}")
    with pytest.raises(DependencyUnavailable) as info:
        wait_for_dependencies(settings, interval_s=0.2)
    assert set(info.value.missing) == {"database", "vector_store"}


def test_module_entry_point(tmp_path: Path) -> None:
    """``python -m api.startup`` is what the compose jobs run: 0 on an embedded setup, 2 for a bad name."""
    env = {"PATH": "/usr/bin:/bin", "SKINCHAT_DATA_DIR": str(tmp_path), "SKINCHAT_ENV": "test",
           "ANONYMIZED_TELEMETRY": "False"}
    ok = subprocess.run([sys.executable, "-m", "api.startup", "database"], cwd=ROOT, env=env,
                        capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    assert "database ready" in ok.stderr
    bad = subprocess.run([sys.executable, "-m", "api.startup", "redis"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "redis" in bad.stderr
