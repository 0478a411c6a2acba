"""Suite-wide fixtures.

* No network: any connection to a non-loopback address fails the test (the product must run offline).
* ``db_url``: every database test runs on SQLite and, when SKINCHAT_TEST_POSTGRES_URL is set (always in CI),
  on the real PostgreSQL too. In CI a missing PostgreSQL is an error, not a skip.
"""

from __future__ import annotations

import ipaddress
import os
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import reset_postgres

os.environ.setdefault("SKINCHAT_ENV", "test")
_real_connect = socket.socket.connect
_real_connect_ex = socket.socket.connect_ex


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # AF_UNIX path
        return True
    host = address[0] if isinstance(address, tuple) and address else ""
    if host in ("localhost", ""):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _guarded_connect(self: socket.socket, address: object) -> None:
    if not _is_local(address):
        raise AssertionError(f"test tried to open a network connection to {address!r}; SkinChat must run offline")
    return _real_connect(self, address)


def _guarded_connect_ex(self: socket.socket, address: object) -> int:
    if not _is_local(address):
        raise AssertionError(f"test tried to open a network connection to {address!r}; SkinChat must run offline")
    return _real_connect_ex(self, address)


@pytest.fixture(autouse=True)
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setattr(socket.socket, "connect", _guarded_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", _guarded_connect_ex)
    yield


POSTGRES_URL = os.environ.get("SKINCHAT_TEST_POSTGRES_URL", "")
DB_BACKENDS = ["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)]


@pytest.fixture(params=DB_BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, migrated database: a SQLite file, or the real PostgreSQL emptied for this test."""
    from api.db.migrate import upgrade
    from api.db.session import engine_for

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'test.db'}"
    else:
        if not POSTGRES_URL:
            if os.environ.get("CI"):
                pytest.fail("SKINCHAT_TEST_POSTGRES_URL is not set in CI; .ci/run must start PostgreSQL")
            pytest.skip("no PostgreSQL (set SKINCHAT_TEST_POSTGRES_URL)")
        url = POSTGRES_URL.replace("postgresql://", "postgresql+psycopg://", 1)
        engine_for(url).dispose()
        reset_postgres(url)
    upgrade(url)
    return url


@pytest.fixture
def settings_factory(tmp_path: Path):
    """Settings isolated in tmp_path; pass overrides as keyword arguments."""
    from api.settings import Settings

    def make(**overrides: object) -> Settings:
        base = {"data_dir": tmp_path / "var", "env": "test", "warm_up_on_start": False}
        base.update(overrides)
        return Settings(**base)  # type: ignore[arg-type]

    return make
