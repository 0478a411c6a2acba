"""The CLI surface, and the no-network rule (the guard itself must be able to fail)."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path

import pytest

SKINCHAT = Path(sys.executable).with_name("skinchat")
COMMANDS = ["serve", "kiosk", "db", "ingest", "ask", "analyze", "guard", "train", "eval", "recommend", "up"]


def test_help_lists_every_command() -> None:
    out = subprocess.run([str(SKINCHAT), "--help"], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    for command in COMMANDS:
        assert f" {command} " in out.stdout, command
    evals = subprocess.run([str(SKINCHAT), "eval", "--help"], capture_output=True, text=True, timeout=120)
    for sub in ("vision", "rag", "guardrails"):
        assert sub in evals.stdout


def test_db_upgrade_and_seed_on_a_fresh_data_dir(tmp_path: Path) -> None:
    env = {"SKINCHAT_DATA_DIR": str(tmp_path), "PATH": "/usr/bin:/bin", "SKINCHAT_ADMIN_PASSWORD": "pw-test-123"}
    up = subprocess.run([str(SKINCHAT), "db", "upgrade"], env=env, capture_output=True, text=True, timeout=120)
    assert up.returncode == 0, up.stderr
    seed = subprocess.run([str(SKINCHAT), "db", "seed"], env=env, capture_output=True, text=True, timeout=120)
    assert seed.returncode == 0, seed.stderr
    assert "demo-clinic" in seed.stdout
    assert (tmp_path / "skinchat.db").exists()


def test_a_connection_to_the_internet_fails_the_test() -> None:
    with pytest.raises(AssertionError, match="offline"), socket.socket() as sock:
        sock.settimeout(0.1)
        sock.connect(("203.0.113.7", 443))


def test_loopback_connections_are_allowed() -> None:
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=2):
            pass


def test_libraries_apply_their_offline_settings_on_import() -> None:
    code = "import os, rag, vision; print(os.environ.get('YOLO_OFFLINE'), os.environ.get('ANONYMIZED_TELEMETRY'))"
    env = {"PATH": "/usr/bin:/bin", "HOME": "/tmp"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert out.returncode == 0, out.stderr
    yolo, telemetry = out.stdout.split()
    assert yolo in {"1", "True", "true"} and telemetry == "False"
