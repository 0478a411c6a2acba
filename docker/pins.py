"""Print pinned requirements from pyproject.toml, so the images install exactly what the project pins.

Why a script: the Dockerfiles install dependencies in a layer of their own (cached while only source code
changes), before the source is copied; pyproject.toml stays the one place where versions are written.

    python docker/pins.py pyproject.toml                       # every runtime dependency
    python docker/pins.py pyproject.toml --exclude torch torchvision
    python docker/pins.py pyproject.toml --only torch torchvision
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from pathlib import Path

_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")


def _name(requirement: str) -> str:
    match = _NAME.match(requirement)
    if not match:
        raise ValueError(f"cannot read a package name from {requirement!r}")
    return re.sub(r"[-_.]+", "-", match.group(1)).lower()


def pins(pyproject: Path, only: list[str] | None = None, exclude: list[str] | None = None) -> list[str]:
    """The ``[project] dependencies`` lines, filtered by normalised package name."""
    data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
    wanted = {_name(n) for n in only} if only else None
    dropped = {_name(n) for n in exclude or []}
    lines = []
    for requirement in data["project"]["dependencies"]:
        name = _name(requirement)
        if name in dropped or (wanted is not None and name not in wanted):
            continue
        lines.append(requirement)
    if wanted is not None:
        missing = wanted - {_name(line) for line in lines}
        if missing:
            raise SystemExit(f"not pinned in {pyproject}: {', '.join(sorted(missing))}")
    return lines


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pyproject", type=Path)
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--only", nargs="+")
    group.add_argument("--exclude", nargs="+")
    args = parser.parse_args(argv)
    sys.stdout.write("\n".join(pins(args.pyproject, args.only, args.exclude)) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
