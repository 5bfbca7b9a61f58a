"""User key bindings: every binding has an id, and ``keys.toml`` may give it other keys.

# ~/.config/hotline/keys.toml
[keys]
"intake.save" = "f10"
"app.search" = "ctrl+f,f12"
"""

from __future__ import annotations

import tomllib
from pathlib import Path

import platformdirs


def keymap_path() -> Path:
    """The agent's own key bindings file, in the user's configuration directory."""
    return Path(platformdirs.user_config_dir("hotline")) / "keys.toml"


def load_keymap(path: Path | None = None) -> tuple[dict[str, str], str | None]:
    """The user's remapped keys, and a Chinese warning if the file could not be used."""
    path = path or keymap_path()
    if not path.exists():
        return {}, None
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        return {}, f"按键配置文件 {path} 无法读取，已使用默认按键：{exc}"
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(isinstance(v, str) for v in keys.values()):
        return {}, f'按键配置文件 {path} 格式不对：[keys] 下应为 "绑定编号" = "按键"。'
    return dict(keys), None
