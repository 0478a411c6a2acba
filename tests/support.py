"""Helpers several test rooms share: a free loopback port, and an emptied PostgreSQL schema."""

from __future__ import annotations

import socket
import subprocess


def free_port() -> int:
    """A port nothing listens on right now (loopback only: tests never leave the machine)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def reset_postgres(url: str) -> None:
    """Drop and recreate the public schema, so a test starts from an empty database."""
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def stop_process(process: subprocess.Popen, timeout: float = 10) -> None:
    """Ask a server a test started to stop, and kill it if it does not within ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
