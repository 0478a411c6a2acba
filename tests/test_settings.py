"""Bad configuration must stop the process at start-up and name the variable."""

from __future__ import annotations

import subprocess
import sys

import pytest

from api.settings import Settings


def _start_with(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    code = "from api.settings import get_settings; get_settings(); print('started')"
    clean = {k: v for k, v in __import__("os").environ.items() if not k.startswith("SKINCHAT_")}
    return subprocess.run([sys.executable, "-c", code], env={**clean, **env}, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SKINCHAT_DATABASE_URL": "mysql://x"}, "SKINCHAT_DATABASE_URL"),
        ({"SKINCHAT_API_PORT": "not-a-port"}, "SKINCHAT_API_PORT"),
        ({"SKINCHAT_RETENTION_DAYS": "0"}, "SKINCHAT_RETENTION_DAYS"),
        ({"SKINCHAT_CHROMA_MODE": "server"}, "SKINCHAT_CHROMA_URL"),
        ({"SKINCHAT_LLM_BACKEND": "openai"}, "SKINCHAT_LLM_BASE_URL"),
        ({"SKINCHAT_ENV": "production"}, "SKINCHAT_SECRET_KEY"),
        ({"SKINCHAT_CLINIC_ID": "Bad Clinic!"}, "SKINCHAT_CLINIC_ID"),
        ({"SKINCHAT_DETECTOR_MAX_SIDE": "300"}, "SKINCHAT_DETECTOR_MAX_SIDE"),
    ],
)
def test_bad_settings_fail_at_startup_naming_the_variable(env: dict[str, str], named: str) -> None:
    result = _start_with(env)
    assert result.returncode == 2, result.stdout + result.stderr
    assert "started" not in result.stdout
    assert named in result.stderr


def test_good_settings_start() -> None:
    result = _start_with({"SKINCHAT_DATABASE_URL": "postgresql://u@127.0.0.1/db", "SKINCHAT_RETENTION_DAYS": "90"})
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_defaults_are_embedded(tmp_path) -> None:
    s = Settings(data_dir=tmp_path)
    assert s.resolved_database_url == f"sqlite:///{(tmp_path / 'skinchat.db').resolve()}"
    assert s.resolved_chroma_path == (tmp_path / "chroma").resolve()
    assert s.chroma_mode == "embedded" and s.llm_backend == "offline"
    assert s.resolved_api_base_url == "http://127.0.0.1:8000"


def test_plain_postgres_url_gets_the_psycopg_driver() -> None:
    assert Settings(database_url="postgresql://u@h/db").database_url == "postgresql+psycopg://u@h/db"
