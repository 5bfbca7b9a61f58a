"""Running ``hotline`` commands as a person would, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def hotline(*args: str) -> subprocess.CompletedProcess:
    """``hotline ARGS`` from the project's root, its output captured."""
    return subprocess.run(
        [sys.executable, "-m", "console.cli", *args], capture_output=True, text=True, cwd=ROOT
    )


def unit_cli(db_path, *args, password="secret-1"):
    env = dict(os.environ, HOTLINE_PASSWORD=password)
    return subprocess.run(
        [sys.executable, "-m", "console.cli", "unit", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        env=env,
    )
