"""The password of a command-line user: ``HOTLINE_PASSWORD``, or a prompt on a terminal."""

from __future__ import annotations

import getpass
import os
import sys


def read_password(agent_id: str) -> str | None:
    """The password for ``agent_id``; ``None`` (having said why) when there is no way to ask."""
    password = os.environ.get("HOTLINE_PASSWORD")
    if password is not None:
        return password
    if not sys.stdin.isatty():
        print("请设置 HOTLINE_PASSWORD，或在终端中运行以输入密码。", file=sys.stderr)
        return None
    return getpass.getpass(f"{agent_id} 的密码：")
