"""Running the product: db upgrade, serve, kiosk, and ``up`` (the README's main job)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import typer

from api.settings import REPO_ROOT, get_settings


def _upgrade() -> None:
    from api.db.migrate import upgrade

    settings = get_settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)


def _wait_http(url: str, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if httpx.get(url, timeout=2).status_code < 500:
                return True
        except httpx.HTTPError:
            pass
        time.sleep(0.5)
    return False


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    db_app = typer.Typer(help="Database schema and first-run data.", no_args_is_help=True)
    app.add_typer(db_app, name="db")

    @db_app.command("upgrade")
    def db_upgrade() -> None:
        """Apply Alembic migrations to the configured database (SQLite file or PostgreSQL)."""
        _upgrade()
        typer.echo("database is at the latest revision")

    @db_app.command("seed")
    def db_seed() -> None:
        """Create the configured clinic, its admin user and a kiosk device, if missing."""
        from api.bootstrap import seed_clinic

        result = seed_clinic(get_settings())
        typer.echo(f"clinic {result.clinic_id} ready")
        if result.admin_password:
            typer.echo(f"admin login: {result.admin_email} / {result.admin_password}  (shown once)")

    @app.command()
    def purge(clinic: str = typer.Option(None, "--clinic", help="only this clinic (default: all)")) -> None:
        """Delete consented photos whose retention period has passed (counts and grades stay). Run daily."""
        from api.staff.retention import purge_expired_photos

        report = purge_expired_photos(get_settings(), clinic_id=clinic)
        typer.echo(json.dumps(report.to_dict()))

    @app.command()
    def serve(host: str = typer.Option(None), port: int = typer.Option(None), workers: int = 1) -> None:
        """Run the FastAPI backend with uvicorn."""
        import uvicorn

        from api.startup import DependencyUnavailable, wait_for_dependencies

        settings = get_settings()
        try:
            wait_for_dependencies(settings)
        except DependencyUnavailable as exc:
            typer.echo(f"SkinChat start-up: {exc}", err=True)
            raise typer.Exit(1) from exc
        uvicorn.run("api.app:create_app", factory=True, host=host or settings.api_host,
                    port=port or settings.api_port, workers=workers, log_config=None)

    @app.command()
    def kiosk(
        port: int = typer.Option(None), console: bool = typer.Option(False, help="staff console instead")
    ) -> None:
        """Run the Streamlit kiosk (or the staff console) against the API at SKINCHAT_API_BASE_URL."""
        settings = get_settings()
        script = REPO_ROOT / "kiosk" / ("console_app.py" if console else "kiosk_app.py")
        port = port or (settings.kiosk_port + (1 if console else 0))
        os.execvp(sys.executable, [
            sys.executable, "-m", "streamlit", "run", str(script), "--server.port", str(port),
            "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--client.showErrorDetails", "none", "--client.toolbarMode", "minimal",
            "--theme.primaryColor", "#1f6f5c",
            "--server.address", settings.api_host,
        ])

    @app.command()
    def up(ingest: bool = typer.Option(True, help="index the bundled knowledge first"),
           detach: bool = typer.Option(False, help="start, print the URLs and return")) -> None:
        """The main job on embedded defaults: migrate, seed the demo clinic, index its documents,
        start the API and the kiosk, and print their URLs."""
        from api.bootstrap import seed_clinic

        settings = get_settings()
        _upgrade()
        token_file = settings.data_dir / "kiosk_token"
        token = token_file.read_text().strip() if token_file.exists() else None
        seed = seed_clinic(settings, kiosk_token=token)
        if seed.kiosk_token:
            token_file.write_text(seed.kiosk_token)
            token_file.chmod(0o600)
        token = token_file.read_text().strip()
        if seed.admin_password:
            typer.echo(f"staff console login: {seed.admin_email} / {seed.admin_password}  (shown once)")
        if ingest:
            subprocess.run([sys.executable, "-m", "api.cli.main", "ingest", str(settings.knowledge_dir),
                            "--clinic", settings.clinic_id], check=False)
        env = {**os.environ, "SKINCHAT_KIOSK_DEVICE_TOKEN": token,
               "SKINCHAT_API_BASE_URL": settings.resolved_api_base_url}
        logs = settings.data_dir / "logs"
        logs.mkdir(parents=True, exist_ok=True)
        procs = []
        for name, args in (("api", ["serve"]), ("kiosk", ["kiosk"]), ("console", ["kiosk", "--console"])):
            out = (logs / f"{name}.log").open("ab")
            procs.append(subprocess.Popen([sys.executable, "-m", "api.cli.main", *args], env=env,
                                          stdout=out, stderr=subprocess.STDOUT, start_new_session=True))
        api_url = settings.resolved_api_base_url
        kiosk_url = f"http://{settings.api_host}:{settings.kiosk_port}"
        console_url = f"http://{settings.api_host}:{settings.kiosk_port + 1}"
        ok = _wait_http(f"{api_url}/readyz", 120) and _wait_http(kiosk_url, 60)
        typer.echo(f"API      {api_url}   (docs {api_url}/docs, ready: {ok})")
        typer.echo(f"Kiosk    {kiosk_url}")
        typer.echo(f"Console  {console_url}")
        typer.echo(f"logs in {Path(logs).resolve()}")
        if detach:
            (settings.data_dir / "pids").write_text(" ".join(str(p.pid) for p in procs))
            raise typer.Exit(0 if ok else 1)
        typer.echo("Ctrl-C stops everything.")
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            for p in procs:
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGTERM)
