"""Timeliness lights as coloured text."""

from __future__ import annotations

from rich.text import Text

from store.services.vocabulary import Light

_STYLE = {Light.GREEN: "bold green", Light.YELLOW: "bold yellow", Light.RED: "bold red"}


def light_text(light: Light | None) -> Text:
    """● 正常 / ● 临期 / ● 超期, or a dash for a ticket with no open clock."""
    if light is None:
        return Text("—", style="dim")
    return Text(f"● {light.label}", style=_STYLE[light])
