"""Imports flow one way: ``store`` never pulls in the UI, the server or their libraries."""

from __future__ import annotations

import pkgutil
import subprocess
import sys
from pathlib import Path

import central
import store

ROOT = Path(__file__).resolve().parents[2]


def _leaked(modules: list[str], banned: set[str]) -> str:
    """Import ``modules`` in a fresh interpreter; the banned packages that came with them."""
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}: importlib.import_module(name)\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {banned!r})\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_store_and_all_its_submodules_import_without_ui_or_server():
    modules = [m.name for m in pkgutil.walk_packages(store.__path__, "store.")]
    assert len(modules) >= 15
    assert _leaked(modules, {"textual", "prompt_toolkit", "console", "central", "rich"}) == ""


def test_store_commands_of_the_cli_do_not_load_textual():
    code = "import sys; from console import cli, store_commands; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.stdout.strip() == "False", result.stderr


def test_central_imports_neither_the_console_nor_textual():
    modules = [m.name for m in pkgutil.walk_packages(central.__path__, "central.")]
    assert {"central.app", "central.service", "central.mirror"} <= set(modules)
    assert _leaked(modules, {"textual", "prompt_toolkit", "console"}) == ""
