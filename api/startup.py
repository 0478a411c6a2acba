"""Wait for the database and the vector store before a process starts serving.

Why: in a compose or Kubernetes deployment the API replicas, the ``migrate`` job and the ``ingest`` job
start at the same time as PostgreSQL and the Chroma server, which take a few seconds to accept
connections. Without a wait the first process to lose that race exits with a driver traceback and
the orchestrator restarts it in a loop; with it, the process waits up to
``SKINCHAT_STARTUP_WAIT_SECONDS`` and then stops with one line that names what never came up.

Run it alone before a job: ``python -m api.startup [database] [vector_store]`` (default both; exit 0 when
all named answer, 1 otherwise, 2 for an unknown name).
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable

from api.settings import Settings

Probe = Callable[[], None]


class DependencyUnavailable(RuntimeError):
    """A dependency never answered within the start-up wait; ``missing`` maps each one to its last error."""

    def __init__(self, missing: dict[str, str], waited_s: float) -> None:
        self.missing = missing
        self.waited_s = waited_s
        names = ", ".join(f"{name} ({error})" for name, error in missing.items())
        super().__init__(f"not reachable after {waited_s:.0f}s (SKINCHAT_STARTUP_WAIT_SECONDS): {names}")


def _database_probe(settings: Settings) -> Probe:
    def probe() -> None:
        from api.db.session import ping

        ping(settings.resolved_database_url)

    return probe


def _vector_store_probe(settings: Settings) -> Probe:
    def probe() -> None:
        from rag.vectorstore import ping_vector_store

        ping_vector_store(settings.chroma_mode, settings.resolved_chroma_path, settings.chroma_url)

    return probe


def default_probes(settings: Settings) -> dict[str, Probe]:
    """The database (SQLite file or PostgreSQL) and the vector store (embedded folder or Chroma server)."""
    return {"database": _database_probe(settings), "vector_store": _vector_store_probe(settings)}


def wait_for_dependencies(
    settings: Settings,
    probes: dict[str, Probe] | None = None,
    *,
    interval_s: float = 1.0,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> dict[str, float]:
    """Retry every probe until all have answered once or ``settings.startup_wait_seconds`` have passed.

    Returns the seconds each dependency took to answer. Raises :class:`DependencyUnavailable` naming every
    dependency that never answered, with its last error. A probe that answered is not asked again.
    """
    probes = dict(probes if probes is not None else default_probes(settings))
    started = clock()
    deadline = started + settings.startup_wait_seconds
    answered: dict[str, float] = {}
    errors: dict[str, str] = {}
    while True:
        for name, probe in list(probes.items()):
            try:
                probe()
            except Exception as exc:  # any failure means "not yet"; the last one is reported
                errors[name] = f"{type(exc).__name__}: {exc}"[:200]
                continue
            answered[name] = round(clock() - started, 2)
            errors.pop(name, None)
            del probes[name]
        if not probes:
            return answered
        if clock() >= deadline:
            raise DependencyUnavailable({name: errors.get(name, "no answer") for name in probes},
                                        settings.startup_wait_seconds)
        sleep(min(interval_s, max(0.0, deadline - clock())))


def main(argv: list[str] | None = None) -> int:
    from api.settings import get_settings

    settings = get_settings()
    probes = default_probes(settings)
    names = sys.argv[1:] if argv is None else argv
    unknown = [n for n in names if n not in probes]
    if unknown:
        usage = " ".join(f"[{name}]" for name in probes)
        sys.stderr.write(f"usage: python -m api.startup {usage}; unknown: {', '.join(unknown)}\n")
        return 2
    if names:
        probes = {n: probes[n] for n in names}
    try:
        took = wait_for_dependencies(settings, probes)
    except DependencyUnavailable as exc:
        sys.stderr.write(f"SkinChat start-up: {exc}\n")
        return 1
    ready = ", ".join(f"{name} ready after {seconds}s" for name, seconds in took.items())
    sys.stderr.write(f"SkinChat start-up: {ready}\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
