"""The sync state in one short line for the header: always in view, on every screen."""

from __future__ import annotations

from store.services.sync import SyncStatus
from store.services.vocabulary import from_text


def _age(seconds: float) -> str:
    if seconds < 60:
        return "不到 1 分钟"
    if seconds < 3600:
        return f"{int(seconds // 60)} 分钟"
    return f"{seconds / 3600:.1f} 小时"


def status_line(status: SyncStatus, now: str) -> str:
    """``● 在线 · 待发 0 · 同步于 23:10:05`` and so on; F10 opens the details."""
    if not status.registered:
        return f"单机（未连中心）· 待发 {status.unsent}"
    link = {None: "◌ 连接中", True: "● 在线", False: "○ 离线"}[status.online]
    parts = [link, f"待发 {status.unsent}"]
    age = status.oldest_unsent_age_s(now)
    if status.unsent and age is not None:
        parts[-1] += f"（最早 {_age(age)}前）"
    if status.last_ok:
        parts.append(f"同步于 {from_text(status.last_ok):%H:%M:%S}")
    else:
        parts.append("尚未同步")
    if status.rejected:
        parts.append(f"被拒 {status.rejected}（F10）")
    if status.needs_identity:
        parts.append("复制的数据库：待取得新身份（F10）")
    return " · ".join(parts)


def describe(status: SyncStatus) -> str:
    """The sync state in a few Chinese lines."""
    if not status.registered:
        return f"未注册中心服务器（离线工作）。待发送 {status.unsent} 个事件。"
    link = {None: "尚未同步", True: "在线", False: "离线"}[status.online]
    lines = [
        f"中心服务器：{status.server_url}（{link}）",
        f"待发送：{status.unsent} 个事件"
        + (f"，最早的产生于 {status.oldest_unsent_at}" if status.oldest_unsent_at else ""),
        f"上次成功同步：{status.last_ok or '从未'}",
        f"被拒事件：{status.rejected} 个",
    ]
    if status.last_error:
        lines.append(f"上次错误：{status.last_error}")
    if status.identity_note:
        lines.append(f"座席身份：{status.identity_note}")
    return "\n".join(lines)
