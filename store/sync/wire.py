"""Events on the wire between a seat and the central server: plain JSON objects.

Both ends use these two functions, so a field added to :class:`~store.core.events.Event` is
added to the protocol in one place. ``from_wire`` never trusts what arrives: a malformed
event raises :class:`~store.core.errors.InvalidInput` with a Chinese message naming the field.
"""

from __future__ import annotations

import json
from typing import Any

from store.core.errors import InvalidInput
from store.core.events import Event, encode_payload

STREAMS: tuple[str, ...] = ("ticket", "kb", "directory", "config", "shift", "call", "training")
# What a seat receives may be a knowledge-base entry (20,000 characters of answer); what it
# pushes is a ticket's work, whose longest text is a 4,000-character complaint: ~20 KB.
MAX_PAYLOAD_BYTES = 256 * 1024
PUSH_PAYLOAD_BYTES = 48 * 1024
# Sequence numbers fit a signed 64-bit column (and a JSON reader's exact integers).
MAX_SEQ = 2**53 - 1

_TEXT_FIELDS = {
    "id": 64,
    "device_id": 64,
    "type": 64,
    "actor_id": 64,
    "actor_role": 32,
    "occurred_at": 40,
}


def to_wire(event: Event, server_seq: int | None = None) -> dict[str, Any]:
    """The JSON object for ``event`` (with its place in the server's order, if it has one)."""
    data: dict[str, Any] = {
        "id": event.id,
        "device_id": event.device_id,
        "device_seq": event.device_seq,
        "stream": event.stream,
        "subject_id": event.subject_id,
        "type": event.type,
        "version": event.version,
        "payload": event.payload,
        "actor_id": event.actor_id,
        "actor_role": event.actor_role,
        "occurred_at": event.occurred_at,
    }
    if server_seq is not None:
        data["server_seq"] = server_seq
    return data


def from_wire(data: object, *, max_payload: int = MAX_PAYLOAD_BYTES) -> Event:
    """Check and convert one event object; raise ``InvalidInput`` if anything is off."""
    if not isinstance(data, dict):
        raise InvalidInput("事件格式错误：应为 JSON 对象。", field="event")
    for name, limit in _TEXT_FIELDS.items():
        value = data.get(name)
        if not isinstance(value, str) or not value or len(value) > limit:
            raise InvalidInput(f"事件字段 {name} 缺失或无效。", field=name)
    for name in ("device_seq", "version"):
        value = data.get(name)
        if not isinstance(value, int) or isinstance(value, bool) or not 1 <= value <= MAX_SEQ:
            raise InvalidInput(f"事件字段 {name} 应为不超过 {MAX_SEQ} 的正整数。", field=name)
    if data.get("stream") not in STREAMS:
        raise InvalidInput(f"事件流 {data.get('stream')!r} 不存在。", field="stream")
    subject = data.get("subject_id")
    if subject is not None and (not isinstance(subject, str) or len(subject) > 128):
        raise InvalidInput("事件字段 subject_id 无效。", field="subject_id")
    payload = data.get("payload")
    if not isinstance(payload, dict):
        raise InvalidInput("事件内容 payload 应为 JSON 对象。", field="payload")
    if len(encode_payload(payload).encode()) > max_payload:
        raise InvalidInput("事件内容过大。", field="payload")
    return Event(
        id=data["id"],
        device_id=data["device_id"],
        device_seq=data["device_seq"],
        stream=data["stream"],
        subject_id=subject,
        type=data["type"],
        version=data["version"],
        payload=payload,
        actor_id=data["actor_id"],
        actor_role=data["actor_role"],
        occurred_at=data["occurred_at"],
    )


def row_to_wire(row: Any) -> dict[str, Any]:
    """A stored event row (seat or server, SQLite or PostgreSQL) as a wire object."""
    payload = row["payload"]
    if isinstance(payload, str):
        payload = json.loads(payload)
    return {
        "id": row["id"],
        "device_id": row["device_id"],
        "device_seq": row["device_seq"],
        "stream": row["stream"],
        "subject_id": row["subject_id"],
        "type": row["type"],
        "version": row["version"],
        "payload": payload,
        "actor_id": row["actor_id"],
        "actor_role": row["actor_role"],
        "occurred_at": row["occurred_at"],
        "server_seq": row["server_seq"],
    }
