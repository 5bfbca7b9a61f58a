"""What the server knows of each seat, to trust nothing an event claims about it.

- **Device ids.** Every event carries the device id of the seat that made it. A registered
  device owns its own id and every other id its events were the first to carry (a seat that
  found it is a copy takes a new id before it writes anything). An id owned by another
  device is refused — unless that device is the one this one was copied from (a restored
  seat sends what its original made and never sent): nobody writes in another seat's name.
- **Who logged in where.** A seat sends, with its events, the proof of each login made at it
  (the agent's signature over the device id and the time, see ``store.directory.passwords``). The
  server checks it against the agent's public login key in its directory and remembers that
  the agent worked at that device. An event whose actor never proved a login at the device
  (or at the one it was copied from) is refused.
- **Ticket numbers.** A registration's number must be one this device may issue: from a
  block leased to it (or to the device it was copied from) for that day, or from its own
  offline range (device number 0 is the range of a seat not yet registered).
- **Training or production.** A training sandbox's device ids begin with ``sandbox-``, on
  every event it writes: a production server refuses them, and a training server
  (``hotline central --sandbox``) refuses everything else.
"""

from __future__ import annotations

from typing import Any

from central.credentials import Device
from central.db.port import Transaction
from store.core.events import Event
from store.core.identity import SANDBOX_PREFIX
from store.directory.passwords import verify_sign_in
from store.tickets.numbers import OFFLINE_BASE

MAX_SIGN_INS = 100

SANDBOX_EVENT = "培训环境（沙盒）写下的数据，不能上报生产中心服务器。"
PRODUCTION_EVENT = "这是培训用中心服务器，只接受培训库（沙盒）写下的数据。"


def from_sandbox(device_id: str) -> bool:
    """Whether a device id is a training sandbox's."""
    return device_id.startswith(SANDBOX_PREFIX)


def claim(tx: Transaction, device: Device, alias: str, at: str) -> str | None:
    """Make sure ``device`` may write events carrying ``alias``; else say why not."""
    owner = tx.scalar("SELECT device_id FROM device_aliases WHERE alias = ?", (alias,))
    if owner is not None and owner in lineage(tx, device.id):
        return None
    if owner is not None or tx.execute("SELECT 1 FROM devices WHERE id = ?", (alias,)):
        return "事件属于另一台已注册的座席，不能代为提交。"
    tx.execute(
        "INSERT INTO device_aliases (alias, device_id, claimed_at) VALUES (?, ?, ?)",
        (alias, device.id, at),
    )
    return None


def record_sign_ins(
    tx: Transaction, device: Device, items: list[Any], login_key: Any, at: str
) -> list[dict[str, Any]]:
    """Check each login proof a seat sent; remember the good ones. ``login_key(agent_id)``
    is the agent's public key from the directory ('' if none)."""
    answers = []
    for item in items[:MAX_SIGN_INS]:
        if not isinstance(item, dict):
            continue
        n = item.get("n")
        fields = [item.get(k) for k in ("agent_id", "device_id", "at", "proof")]
        if not isinstance(n, int) or not all(isinstance(f, str) and len(f) < 200 for f in fields):
            answers.append({"n": n, "status": "rejected", "reason": "登录记录格式错误。"})
            continue
        agent_id, alias, signed_at, proof = fields
        refused = claim(tx, device, alias, at)
        key = login_key(agent_id)
        if refused is None and not (key and verify_sign_in(key, agent_id, alias, signed_at, proof)):
            refused = f"工号 {agent_id[:20]} 的登录凭证无法验证（密码已更改或凭证不符）。"
        if refused is not None:
            answers.append({"n": n, "status": "rejected", "reason": refused})
            continue
        if tx.execute(
            "SELECT 1 FROM device_agents WHERE device_id = ? AND agent_id = ?",
            (device.id, agent_id),
        ):
            tx.execute(
                "UPDATE device_agents SET last_at = ? WHERE device_id = ? AND agent_id = ?",
                (signed_at, device.id, agent_id),
            )
        else:
            tx.execute(
                "INSERT INTO device_agents (device_id, agent_id, first_at, last_at)"
                " VALUES (?, ?, ?, ?)",
                (device.id, agent_id, signed_at, signed_at),
            )
        answers.append({"n": n, "status": "accepted"})
    return answers


def signed_in(tx: Transaction, device: Device, event: Event) -> str | None:
    """None if the event's actor proved a login at ``device`` (or the one it was copied
    from)."""
    chain = lineage(tx, device.id)
    marks = ",".join("?" for _ in chain)
    if tx.execute(
        f"SELECT 1 FROM device_agents WHERE agent_id = ? AND device_id IN ({marks})",
        (event.actor_id, *chain),
    ):
        return None
    return f"工号 {event.actor_id[:20]} 未在本座席登录（或登录凭证尚未送达），不能以其名义提交。"


def number_owned(tx: Transaction, device: Device, event: Event) -> str | None:
    """None if the registration's number is one ``device`` may issue."""
    number = event.payload.get("number")
    if not isinstance(number, str) or len(number) != 14 or not number.isdigit():
        return None  # malformed: the store's judgement says so
    day = f"20{number[:2]}-{number[2:4]}-{number[4:6]}"
    serial = int(number[6:13])
    chain = lineage(tx, device.id)
    if serial < OFFLINE_BASE:
        marks = ",".join("?" for _ in chain)
        owned = tx.execute(
            "SELECT 1 FROM number_blocks WHERE day = ? AND first <= ? AND last >= ?"
            f" AND device_id IN ({marks})",
            (day, serial, serial, *chain),
        )
    else:
        device_no = (serial - OFFLINE_BASE) // 1000
        numbers = [0] + [
            int(tx.scalar("SELECT device_no FROM devices WHERE id = ?", (d,))) for d in chain
        ]
        owned = device_no in numbers
    if owned:
        return None
    return "工单号不属于本座席（既非中心分配的号段，也非本座席的离线号段）。"


def lineage(tx: Transaction, device_id: str) -> list[str]:
    """The device and those it was copied from, nearest first."""
    chain = [device_id]
    while len(chain) < 20:
        parent = tx.scalar("SELECT parent_id FROM devices WHERE id = ?", (chain[-1],))
        if not parent:
            break
        chain.append(parent)
    return chain
