"""The scale-out stack's files, checked without a Docker engine.

* ``docker compose config`` (or the standalone ``docker-compose config``) validates docker/compose.yaml
  against the Compose schema and its variable interpolation. No engine is needed for ``config``. In CI the
  tool must be there (scripts/test.sh installs it); locally it is skipped when missing.
* A static reading of compose.yaml, the Dockerfiles and .env.example with pyyaml checks what the schema
  cannot: two API replicas behind the proxy, health checks, start order, non-root images, offline
  settings, no secret written into the files, and every SKINCHAT_* setting documented.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCKER = ROOT / "docker"
COMPOSE = DOCKER / "compose.yaml"
ENV_EXAMPLE = ROOT / ".env.example"
REQUIRED_SECRETS = ("POSTGRES_PASSWORD", "SKINCHAT_SECRET_KEY", "SKINCHAT_KIOSK_DEVICE_TOKEN")
SECRET_WORDS = re.compile(r"(PASSWORD|SECRET|TOKEN|API_KEY)$")
# SKINCHAT_* variables read outside api/settings.py (documented in .env.example all the same).
READ_ELSEWHERE = {"SKINCHAT_KIOSK_IDLE_SECONDS"}  # kiosk/config.py


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))


def _service_command(service: dict) -> str:
    command = service.get("command", "")
    return " ".join(command) if isinstance(command, list) else str(command)


def _api_services(compose: dict) -> dict[str, dict]:
    return {name: s for name, s in compose["services"].items()
            if s.get("build", {}).get("dockerfile") == "docker/api.Dockerfile"
            and "serve" in _service_command(s)}


# ---- docker compose config --------------------------------------------------------------------------------

def compose_command() -> list[str] | None:
    """``docker compose`` (v2 plugin) when it answers, else the standalone ``docker-compose``, else None."""
    if shutil.which("docker"):
        probe = subprocess.run(["docker", "compose", "version"], capture_output=True, text=True, timeout=60)
        if probe.returncode == 0:
            return ["docker", "compose"]
    if shutil.which("docker-compose"):
        return ["docker-compose"]
    return None


@pytest.fixture(scope="module")
def compose_cli() -> list[str]:
    command = compose_command()
    if command is None:
        if os.environ.get("CI"):
            pytest.fail("neither `docker compose` nor `docker-compose` is installed; scripts/test.sh must "
                        "install Debian's docker-compose package in CI")
        pytest.skip("no docker compose / docker-compose on this machine")
    return command


def _config(cli: list[str], compose_file: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run ``config`` with .env.example and ``env`` only: none of this shell's own compose variables."""
    ours = ("SKINCHAT_", "POSTGRES_", "PUBLISH_", "IMAGE_TAG", "COMPOSE_")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(ours)}
    return subprocess.run([*cli, "--env-file", str(ENV_EXAMPLE), "-f", str(compose_file), "config"],
                          capture_output=True, text=True, timeout=120, cwd=ROOT, env={**clean, **env})


def _secrets() -> dict[str, str]:
    return {"POSTGRES_PASSWORD": "pgtestpassword0123", "SKINCHAT_SECRET_KEY": "t" * 48,
            "SKINCHAT_KIOSK_DEVICE_TOKEN": "kiosk_test_token_0123"}


def test_compose_config_validates(compose_cli: list[str]) -> None:
    out = _config(compose_cli, COMPOSE, _secrets())
    assert out.returncode == 0, out.stderr
    rendered = yaml.safe_load(out.stdout)
    expected = {"db", "chroma", "migrate", "ingest", "api-a", "api-b", "proxy", "kiosk", "console"}
    assert expected <= set(rendered["services"])
    env = rendered["services"]["api-b"]["environment"]
    assert env["SKINCHAT_DATABASE_URL"] == "postgresql+psycopg://skinchat:pgtestpassword0123@db:5432/skinchat"
    assert env["SKINCHAT_CHROMA_MODE"] == "server"


def test_compose_config_refuses_to_run_without_the_secrets(compose_cli: list[str]) -> None:
    """.env.example ships the secrets empty, and compose stops with a message rather than starting."""
    out = _config(compose_cli, COMPOSE, {})
    assert out.returncode != 0
    assert any(name in out.stderr for name in REQUIRED_SECRETS), out.stderr


def test_compose_config_rejects_an_invalid_file(compose_cli: list[str], tmp_path: Path) -> None:
    """The validator itself can fail: a misspelt start condition is caught."""
    broken = tmp_path / "compose.yaml"
    broken.write_text(COMPOSE.read_text(encoding="utf-8").replace(
        "service_completed_successfully", "service_completed_succesfully"), encoding="utf-8")
    shutil.copy(DOCKER / "nginx.conf", tmp_path / "nginx.conf")
    out = _config(compose_cli, broken, _secrets())
    assert out.returncode != 0
    assert "condition" in out.stderr, out.stderr


# ---- static reading -------------------------------------------------------------------------------------

def test_two_api_replicas_behind_the_proxy(compose: dict) -> None:
    apis = _api_services(compose)
    replicas = sum(int(s.get("deploy", {}).get("replicas", 1)) for s in apis.values())
    assert replicas == 2, f"expected two API replicas, found {sorted(apis)}"
    nginx = (DOCKER / "nginx.conf").read_text(encoding="utf-8")
    upstream = re.search(r"upstream\s+\w+\s*\{(.*?)\}", nginx, re.S)
    assert upstream, "nginx.conf has no upstream block"
    servers = set(re.findall(r"^\s*server\s+([\w.-]+):8000", upstream.group(1), re.M))
    assert servers == set(apis), f"the proxy must balance exactly the API services: {servers} vs {set(apis)}"
    proxy = compose["services"]["proxy"]
    assert "nginx" in proxy["image"]
    assert any("nginx.conf" in v for v in proxy["volumes"])
    assert {name: {"condition": "service_healthy"} for name in apis}.items() <= proxy["depends_on"].items()
    assert "proxy_buffering off" in nginx, "SSE chat answers must not be buffered by the proxy"


def test_replicas_share_state_only_through_services(compose: dict) -> None:
    """Stateless replicas: same database and Chroma server, the photos volume shared, nothing embedded."""
    apis = list(_api_services(compose).values())
    envs = [s["environment"] for s in apis]
    assert all(e["SKINCHAT_CHROMA_MODE"] == "server" and e["SKINCHAT_CHROMA_URL"] == "http://chroma:8000"
               for e in envs)
    assert len({e["SKINCHAT_DATABASE_URL"] for e in envs}) == 1
    assert all(e["SKINCHAT_DATABASE_URL"].startswith("postgresql+psycopg://") for e in envs)
    assert len({tuple(s["volumes"]) for s in apis}) == 1, "both replicas must mount the same data volume"
    volume, data_dir = apis[0]["volumes"][0].split(":")[:2]
    assert data_dir == envs[0]["SKINCHAT_DATA_DIR"]
    # staff uploads land in the knowledge folder of whichever replica took them: it must be shared too,
    # and the ingest job must index that same folder
    assert envs[0]["SKINCHAT_KNOWLEDGE_DIR"].startswith(data_dir + "/")
    ingest = compose["services"]["ingest"]
    assert f"{volume}:{data_dir}" in ingest["volumes"]
    assert "SKINCHAT_KNOWLEDGE_DIR" in _service_command(ingest)


def test_every_long_running_service_has_a_healthcheck(compose: dict) -> None:
    for name, service in compose["services"].items():
        if service.get("restart") == "no":
            continue  # one-shot jobs
        check = service.get("healthcheck")
        assert check and check.get("test"), f"{name} has no healthcheck"
    for name in _api_services(compose):
        assert "/readyz" in " ".join(compose["services"][name]["healthcheck"]["test"])
    assert "/_stcore/health" in (DOCKER / "kiosk.Dockerfile").read_text(encoding="utf-8")
    assert "/healthz" in (DOCKER / "api.Dockerfile").read_text(encoding="utf-8")


def test_jobs_run_in_order(compose: dict) -> None:
    services = compose["services"]
    assert "db upgrade" in _service_command(services["migrate"])
    assert "db seed" in _service_command(services["migrate"])
    assert "skinchat ingest" in _service_command(services["ingest"])
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert services["ingest"]["depends_on"]["chroma"]["condition"] == "service_healthy"
    for name in _api_services(compose):
        deps = services[name]["depends_on"]
        assert deps["migrate"]["condition"] == "service_completed_successfully"
        assert deps["ingest"]["condition"] == "service_completed_successfully"
        assert deps["db"]["condition"] == "service_healthy"


def test_chroma_server_is_pinned_to_the_client_minor_version(compose: dict) -> None:
    image = compose["services"]["chroma"]["image"]
    assert re.fullmatch(r"chromadb/chroma:1\.5\.\d+", image), image
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"chromadb==1\.5\.\d+"', pyproject)


def _secret_values(node: object, path: str = "") -> list[tuple[str, str]]:
    """(path, value) for every mapping entry whose key looks like a secret."""
    found: list[tuple[str, str]] = []
    if isinstance(node, dict):
        for key, value in node.items():
            here = f"{path}.{key}"
            if isinstance(value, (str, int)) and SECRET_WORDS.search(str(key)):
                found.append((here, str(value)))
            found.extend(_secret_values(value, here))
    elif isinstance(node, list):
        for i, item in enumerate(node):
            found.extend(_secret_values(item, f"{path}[{i}]"))
    return found


def test_no_secret_is_written_into_the_compose_file(compose: dict) -> None:
    secrets = _secret_values(compose)
    assert secrets, "the check found no secret-like keys at all; it would pass vacuously"
    for where, value in secrets:
        assert value == "" or re.fullmatch(r"\$\{[A-Z0-9_]+(:[-?][^}]*)?\}", value), (
            f"{where} must come from the environment, not be written in the file: {value!r}")
    for name in REQUIRED_SECRETS:
        required = re.search(r"\$\{" + name + r":\?", COMPOSE.read_text(encoding="utf-8"))
        assert required, f"{name} must be required (${{{name}:?...}})"
    url = compose["x-skinchat-env"]["SKINCHAT_DATABASE_URL"]
    assert "${POSTGRES_PASSWORD:?" in url


def test_no_secret_is_written_into_the_dockerfiles_or_env_example() -> None:
    for dockerfile in ("api.Dockerfile", "kiosk.Dockerfile"):
        text = (DOCKER / dockerfile).read_text(encoding="utf-8")
        for line in text.splitlines():
            if line.lstrip().startswith("ENV") or re.match(r"\s+[A-Z_]+=", line):
                assert not re.search(r"(PASSWORD|SECRET_KEY|DEVICE_TOKEN|API_KEY)=\S", line), line
    values = dict(re.findall(r"^([A-Z0-9_]+)=(.*)$", ENV_EXAMPLE.read_text(encoding="utf-8"), re.M))
    for name in REQUIRED_SECRETS:
        assert values.get(name) == "", f".env.example must list {name} with an empty value"


def test_dockerfiles_run_as_non_root_and_offline() -> None:
    for dockerfile in ("api.Dockerfile", "kiosk.Dockerfile"):
        text = (DOCKER / dockerfile).read_text(encoding="utf-8")
        stages = re.split(r"^FROM\s", text, flags=re.M)
        runtime = stages[-1]
        users = re.findall(r"^USER\s+(\S+)", runtime, re.M)
        assert users, f"{dockerfile}: the runtime stage sets no USER"
        assert users[-1].split(":")[0] not in ("root", "0"), f"{dockerfile} runs as root"
        assert len(stages) >= 3, f"{dockerfile} must be multi-stage (builder + runtime)"
        assert "COPY --from=builder /opt/venv /opt/venv" in runtime
        assert re.search(r"^HEALTHCHECK\s", runtime, re.M), f"{dockerfile} has no HEALTHCHECK"
        assert "ARG PYTHON_IMAGE=python:3.11-slim" in text
    api = (DOCKER / "api.Dockerfile").read_text(encoding="utf-8")
    offline = ("YOLO_OFFLINE=1", "YOLO_AUTOINSTALL=False", "ANONYMIZED_TELEMETRY=False", "HF_HUB_OFFLINE=1")
    for setting in offline:
        assert setting in api, setting
    assert "download.pytorch.org/whl/cpu" in api, "torch must come from the CPU wheel index"
    # the detector weights (under vision/weights) and the knowledge are baked into the image
    assert "COPY vision ./vision" in api and "COPY knowledge ./knowledge" in api
    assert "--network=none" in api, "the image's smoke check must run without network"


def test_image_pins_come_from_pyproject() -> None:
    """docker/pins.py is what the images install from: it must yield the pinned torch pair."""
    import sys

    sys.path.insert(0, str(DOCKER))
    try:
        from pins import pins
    finally:
        sys.path.remove(str(DOCKER))
    torch_pair = pins(ROOT / "pyproject.toml", only=["torch", "torchvision"])
    assert torch_pair == ["torch==2.14.1", "torchvision==0.29.1"]
    rest = pins(ROOT / "pyproject.toml", exclude=["torch", "torchvision"])
    assert not any(r.startswith(("torch==", "torchvision==")) for r in rest)
    assert any(r.startswith("ultralytics==") for r in rest)
    with pytest.raises(SystemExit):
        pins(ROOT / "pyproject.toml", only=["no-such-package"])


def test_env_example_documents_every_setting() -> None:
    from api.settings import Settings

    text = ENV_EXAMPLE.read_text(encoding="utf-8")
    listed = set(re.findall(r"^#?\s?(SKINCHAT_[A-Z0-9_]+)=", text, re.M))
    expected = {f"SKINCHAT_{name.upper()}" for name in Settings.model_fields}
    assert expected - listed == set(), f".env.example lacks {sorted(expected - listed)}"
    unknown = listed - expected - READ_ELSEWHERE
    assert not unknown, f".env.example lists variables nothing reads: {sorted(unknown)}"
    lines = text.splitlines()
    variable_line = re.compile(r"^#?\s?[A-Z][A-Z0-9_]*=")
    for name in expected:
        at = next(i for i, line in enumerate(lines) if re.match(rf"^#?\s?{name}=", line))
        above = at - 1
        while above >= 0 and variable_line.match(lines[above]):
            above -= 1  # a group of related variables shares one comment
        assert above >= 0 and lines[above].startswith("# ") and len(lines[above]) > 10, (
            f"{name} has no explanatory comment above it")


def test_compose_sets_only_real_settings(compose: dict) -> None:
    """A misspelt SKINCHAT_* name in compose would be ignored silently by pydantic-settings."""
    from api.settings import Settings

    known = {f"SKINCHAT_{name.upper()}" for name in Settings.model_fields}
    known |= READ_ELSEWHERE | {"SKINCHAT_KIOSK_APP"}  # SKINCHAT_KIOSK_APP: docker/kiosk.Dockerfile's CMD
    for name, service in compose["services"].items():
        env = service.get("environment") or {}
        names = env if isinstance(env, dict) else [item.split("=", 1)[0] for item in env]
        unknown = {n for n in names if n.startswith("SKINCHAT_")} - known
        assert not unknown, f"{name} sets variables nothing reads: {sorted(unknown)}"


def test_dockerfiles_parse_with_the_buildkit_parser() -> None:
    """Docker's own Dockerfile parser (the ``dockerfile`` package wraps it), where installed: catches syntax
    the regex checks above cannot, such as a bad ``RUN --network`` flag or a broken line continuation."""
    dockerfile = pytest.importorskip("dockerfile")
    for name in ("api.Dockerfile", "kiosk.Dockerfile"):
        commands = dockerfile.parse_file(str(DOCKER / name))
        kinds = [c.cmd for c in commands]
        assert kinds.count("FROM") == 2, f"{name}: builder + runtime stages"
        runtime = commands[max(i for i, c in enumerate(commands) if c.cmd == "FROM"):]
        users = [c.value[0] for c in runtime if c.cmd == "USER"]
        assert users and not users[-1].startswith(("root", "0")), f"{name} must end as a non-root user"
        assert any(c.cmd == "HEALTHCHECK" for c in runtime) and kinds[-1] == "CMD"
        assert any(c.cmd == "RUN" and "--network=none" in c.flags for c in runtime)
