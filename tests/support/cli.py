"""Running ``hotline`` commands as a person would, in a subprocess."""

from __future__ import annotations

import os
import subprocess
import sys


def unit_cli(db_path, *args, password="secret-1"):
    env = dict(os.environ, HOTLINE_PASSWORD=password)
    return subprocess.run(
        [sys.executable, "-m", "console.cli", "unit", "--db", str(db_path), *args],
        capture_output=True,
        text=True,
        env=env,
    )
