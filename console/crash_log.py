"""When something unexpected happens: a short Chinese sentence for the person, the details
in a log file for the administrator — never a traceback on the screen.

The log holds the exception and the code lines it passed through, never local variables
(a login's password, a form's caller number live there), and every number in it that looks
like a phone or ID number is masked.
"""

from __future__ import annotations

import re
import traceback
from datetime import datetime
from pathlib import Path

import platformdirs

from store.services.vocabulary import mask_personal

# Digit runs long enough to be a phone or an ID number, however the text wrote them.
_LONG_NUMBER = re.compile(r"\d{7,}")


def log_path() -> Path:
    """Where unexpected errors are written (numbers masked): the user's log directory."""
    return Path(platformdirs.user_log_dir("hotline")) / "console.log"


def masked(text: str) -> str:
    """``text`` with phone and ID numbers masked."""
    text = mask_personal(text)
    return _LONG_NUMBER.sub(lambda m: m.group()[:3] + "*" * (len(m.group()) - 3), text)


def record(error: BaseException, where: str = "console") -> Path | None:
    """Append ``error`` (type, message, the lines of code — no locals) to the log; return the
    log's path, or None if it could not be written."""
    lines = traceback.format_exception(type(error), error, error.__traceback__)
    entry = f"--- {datetime.now():%Y-%m-%d %H:%M:%S} {where}\n" + masked("".join(lines))
    path = log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(entry + "\n")
    except OSError:
        return None
    return path


def sentence(path: Path | None) -> str:
    """What the person reads after an unexpected error."""
    where = f"详情已记录在 {path}（不含密码和来电号码）" if path else "详情未能写入日志"
    return f"座席控制台遇到意外错误，已退出；{where}。已保存的工单不受影响，请联系管理员。"
