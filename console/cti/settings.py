"""The seat's link settings: which switch, how to log in, which phone is this seat's.

Read from ``cti.toml`` in the user's configuration directory (or ``hotline console --cti
FILE``, or ``HOTLINE_CTI``). The file holds the switch's password: it must be readable by its
owner only, as ``keys.toml`` need not be. No message here ever repeats the password.

    record_queue = false        # true on one seat per queue: it records offered and abandoned calls

    [ami]                       # Asterisk's manager interface
    host = "10.20.0.5"
    port = 5038
    username = "seat017"
    secret = "…"
    extension = "8017"          # this seat's phone: SIP/8017, PJSIP/8017 or the member name
    queues = ["12345"]          # the queues this seat hears of (all, when left out)

    [http]                      # any other switch posts the generic contract here
    listen = "127.0.0.1:8790"
    token = "…"
    extension = "8017"
"""

from __future__ import annotations

import os
import stat
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

import platformdirs


class SettingsError(Exception):
    """The settings file cannot be used; the message says why, in Chinese."""


@dataclass(frozen=True)
class AmiSettings:
    host: str
    port: int
    username: str
    secret: str = field(repr=False)
    extension: str
    queues: tuple[str, ...] = ()


@dataclass(frozen=True)
class HttpSettings:
    host: str
    port: int
    token: str = field(repr=False)
    extension: str


@dataclass(frozen=True)
class CtiSettings:
    ami: AmiSettings | None = None
    http: HttpSettings | None = None
    record_queue: bool = False

    @property
    def configured(self) -> bool:
        """True if the seat has a switch to follow."""
        return self.ami is not None or self.http is not None


def settings_path() -> Path:
    """Where the seat's link settings live unless named otherwise."""
    named = os.environ.get("HOTLINE_CTI")
    return Path(named) if named else Path(platformdirs.user_config_dir("hotline")) / "cti.toml"


def load(path: Path | None = None) -> CtiSettings:
    """The settings in ``path`` (default :func:`settings_path`); none configured if there is
    no such file. Raises :class:`SettingsError` for a file that cannot be used."""
    path = path or settings_path()
    if not path.exists():
        return CtiSettings()
    try:
        if path.stat().st_mode & (stat.S_IRWXG | stat.S_IRWXO):
            raise SettingsError(f"话机配置文件 {path} 含密码，只能由本人读写（chmod 600）。")
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as exc:
        raise SettingsError(f"话机配置文件 {path} 无法读取：{exc.__class__.__name__}。") from None
    except tomllib.TOMLDecodeError as exc:
        raise SettingsError(f"话机配置文件 {path} 格式不对：{exc}。") from None
    record = data.get("record_queue", False)
    if not isinstance(record, bool):
        raise SettingsError("话机配置：record_queue 应为 true 或 false。")
    ami = _ami(data["ami"]) if "ami" in data else None
    http = _http(data["http"]) if "http" in data else None
    return CtiSettings(ami, http, record)


def _text(section: dict, key: str, where: str) -> str:
    value = section.get(key)
    if not isinstance(value, str) or not value.strip():
        raise SettingsError(f"话机配置：[{where}] 缺少 {key}。")
    return value.strip()


def _port(value: object, where: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 < value < 65536:
        raise SettingsError(f"话机配置：[{where}] 的端口应为 1–65535。")
    return value


def _ami(section: object) -> AmiSettings:
    if not isinstance(section, dict):
        raise SettingsError("话机配置：[ami] 应为一节设置。")
    queues = section.get("queues", [])
    if not isinstance(queues, list) or not all(isinstance(q, str) for q in queues):
        raise SettingsError("话机配置：[ami] 的 queues 应为队列名列表。")
    return AmiSettings(
        host=_text(section, "host", "ami"),
        port=_port(section.get("port", 5038), "ami"),
        username=_text(section, "username", "ami"),
        secret=_text(section, "secret", "ami"),
        extension=_text(section, "extension", "ami"),
        queues=tuple(queues),
    )


def _http(section: object) -> HttpSettings:
    if not isinstance(section, dict):
        raise SettingsError("话机配置：[http] 应为一节设置。")
    host, _, port = _text(section, "listen", "http").rpartition(":")
    if not host or not port.isdigit():
        raise SettingsError("话机配置：[http] 的 listen 应写作 地址:端口，如 127.0.0.1:8790。")
    token = _text(section, "token", "http")
    if len(token) < 16:
        raise SettingsError("话机配置：[http] 的 token 至少 16 个字符。")
    return HttpSettings(host, _port(int(port), "http"), token, _text(section, "extension", "http"))
