"""The scenarios shipped with hotline (``store/training/catalogue/*.toml``)."""

from __future__ import annotations

from importlib import resources

from store.training.scenarios import Scenario, from_toml


def shipped() -> list[Scenario]:
    """Every shipped scenario, in code order."""
    folder = resources.files("store.training").joinpath("catalogue")
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".toml"))
    return [from_toml(f.read_text(encoding="utf-8")) for f in files]
