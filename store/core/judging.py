"""One judgement per event type, for the command that writes the event and for the central
server that receives it.

Each event type that a seat may write declares its payload :class:`~store.core.payloads.Schema`
and its rules: the checks that need the store (the unit exists, the extension stays within
the maximum, the reply carries no phone number, the number is free …). A command cleans its
inputs and runs the rules through :func:`prepare` before it writes; the central server runs
:func:`judge` on what a seat pushed — the same schema, verified strictly, and the same rules,
on its own copy of the projections.

This module knows no domain: a bounded context declares its event types here, with a
``subject`` hook that loads and checks what the event is about (a ticket's state, say).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from store.core.clock import from_text, to_text
from store.core.errors import Forbidden, InvalidInput
from store.core.events import Event
from store.core.payloads import Schema
from store.core.roles import Actor
from store.core.seat import Store
from store.core.upcasting import current_version, upcast

# How far ahead of the server's clock an event may say it happened (seats' clocks drift).
CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True, slots=True)
class Context:
    """What a rule judges against: who acts, on what, when, on which store."""

    store: Store
    actor: Actor
    subject_id: str
    subject: sqlite3.Row | None  # the row the event is about, where its context loads one
    at: datetime


Rule = Callable[[Context, dict[str, Any]], None]
# Loads the event's subject and checks it may be acted on; may take fields out of the
# payload that the context adds itself (a ticket move's ``moves_seen``).
SubjectHook = Callable[[Store, Actor, Event, dict[str, Any]], sqlite3.Row | None]


@dataclass
class Judgement:
    stream: str
    schema: Schema
    subject: SubjectHook | None = None
    rules: list[Rule] = field(default_factory=list)


JUDGEMENTS: dict[str, Judgement] = {}


def declare(
    event_type: str, schema: Schema, *, stream: str, subject: SubjectHook | None = None
) -> None:
    """Say what ``event_type``'s payload holds (once, beside its command)."""
    JUDGEMENTS[event_type] = Judgement(stream, schema, subject)


def rule(event_type: str) -> Callable[[Rule], Rule]:
    """Decorator: a check ``event_type`` must pass, with the store as it stands."""

    def register(fn: Rule) -> Rule:
        JUDGEMENTS[event_type].rules.append(fn)
        return fn

    return register


def prepare(context: Context, event_type: str, raw: dict[str, Any]) -> dict[str, Any]:
    """A command's payload: ``raw`` cleaned by the schema and passed through every rule."""
    judgement = JUDGEMENTS[event_type]
    payload = judgement.schema.clean(raw)
    for check in judgement.rules:
        check(context, payload)
    return payload


def judge(store: Store, actor: Actor, event: Event) -> None:
    """Raise a ``DomainError`` (in Chinese) unless the store's own command, run by
    ``actor`` on this store as it stands, could have written ``event``.

    ``actor`` comes from the judge's own directory, never from the event.
    """
    judgement = JUDGEMENTS.get(event.type)
    if judgement is None:
        raise Forbidden(
            f"“{event.type[:40]}”类事件不能由座席提交（目录、配置和知识库须联网办理）。"
        )
    if event.stream != judgement.stream:
        raise InvalidInput(f"事件流 {event.stream} 与事件类型不符。", field="stream")
    if not 1 <= event.version <= current_version(event.type):
        raise InvalidInput(
            f"事件版本 {event.version} 无法识别（本程序最高为 {current_version(event.type)}）。",
            field="version",
        )
    at = event_time(store, event)
    payload = dict(upcast(event).payload)
    subject = judgement.subject(store, actor, event, payload) if judgement.subject else None
    judgement.schema.verify(payload)
    context = Context(store, actor, event.subject_id or "", subject, at)
    for check in judgement.rules:
        check(context, payload)


def event_time(store: Store, event: Event) -> datetime:
    """When the event says it happened, if that is a plausible time for this store."""
    text = event.occurred_at
    try:
        at = from_text(text)
    except (TypeError, ValueError):
        raise InvalidInput(f"事件时间无效：{text[:40]!r}。", field="occurred_at") from None
    if to_text(at) != text:  # a naive time, another offset, fractions: not a seat's own form
        raise InvalidInput(f"事件时间格式不规范：{text[:40]!r}。", field="occurred_at")
    if at > store.now() + CLOCK_SKEW:
        raise InvalidInput("事件时间晚于中心服务器时间，请校准座席时钟。", field="occurred_at")
    if at.year < 2000:
        raise InvalidInput("事件时间无效。", field="occurred_at")
    return at
