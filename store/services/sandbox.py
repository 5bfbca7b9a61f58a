"""The training sandbox as the front ends see it: making one, and whether a store is one.

A sandbox is a seat store of its own, marked at creation (``store.training.sandbox``): made
from the sample city, or from a real seat's directory and knowledge base with no ticket, no
caller and no phone of it. The shipped scenarios are put in it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from store.core import events as event_log
from store.core import health
from store.core import projector
from store.core.db import connect_readonly, restrict, transaction
from store.core.errors import DomainError
from store.core.events import Event
from store.core.roles import Actor
from store.core.seat import Store
from store.training import commands as training
from store.training import sandbox
from store.training.sandbox import BANNER, Mark, problems
from store.training.shipped import shipped

__all__ = ["BANNER", "Created", "Mark", "banner", "create", "mark_of", "problems"]

# What a sandbox takes from a real seat: who works there, the city's settings and its
# knowledge base — never a ticket, a call or a shift.
_TAKEN_STREAMS = ("directory", "config", "kb")


@dataclass(frozen=True, slots=True)
class Created:
    path: Path
    mark: Mark
    scenarios: int
    events_taken: int  # from the seat it was made from (0 from the sample)


def create(out: Path, sample: Path, seat: Path | None = None) -> Created:
    """A new sandbox store at ``out``: the sample city's copy, or (``seat``) a real seat's
    directory and knowledge base. Refuses to overwrite a file."""
    if out.exists():
        raise DomainError(f"{out} 已存在：培训库不会覆盖已有文件，请换一个文件名。", code="exists")
    source = sample if seat is None else seat
    if not source.is_file():
        raise DomainError(f"找不到座席库 {source}。", code="missing")
    health.preflight(source, write=False)  # an empty, truncated or foreign file, said so
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if seat is None:
            _copy(sample, partial)
            taken, origin = 0, "样例城市"
        else:
            taken, origin = _take_reference(seat, partial), f"座席库 {seat.name} 的目录与知识库"
        with Store.open(partial) as store:
            found = sandbox.mark(store, origin)
            for scenario in shipped():
                training.save_scenario(store, Actor.system(), scenario)
            with transaction(store.conn):  # set-up, like the mark: every seat makes its own
                store.conn.execute("DELETE FROM outbox")
        restrict(partial)
        partial.replace(out)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    with Store.open(out) as store:  # the mark as the finished file reads it
        return Created(out, sandbox.current(store.conn) or found, len(shipped()), taken)


def mark_of(store: Store) -> Mark | None:
    """The sandbox mark of ``store`` (None: production). A store with only some of its
    marks left is still a sandbox: it gets a mark saying so."""
    found = sandbox.current(store.conn)
    if found is None and sandbox.is_sandbox(store.conn):
        return Mark("", "", "（培训标记被改动过）")
    return found


def banner(store: Store) -> str:
    """The banner every screen of a sandbox shows ('' for a production store)."""
    return BANNER if sandbox.is_sandbox(store.conn) else ""


def _copy(source: Path, target: Path) -> None:
    src = connect_readonly(source)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def _take_reference(seat: Path, target: Path) -> int:
    """Copy the directory, settings and knowledge-base events of ``seat`` into a new store."""
    try:
        source = connect_readonly(seat)
    except sqlite3.DatabaseError as error:
        raise DomainError(f"无法读取座席库 {seat}：{error}", code="unreadable") from None
    try:
        rows = source.execute(
            f"SELECT * FROM events WHERE stream IN ({','.join('?' for _ in _TAKEN_STREAMS)})"
            " ORDER BY server_seq IS NULL, server_seq, pos",
            _TAKEN_STREAMS,
        )
        with Store.open(target) as store, transaction(store.conn):
            count = 0
            while page := rows.fetchmany(1000):
                for row in page:
                    event = Event.from_row(row)
                    event_log.insert(store.conn, event)
                    projector.apply(store.conn, event)
                    count += 1
    except sqlite3.DatabaseError as error:
        raise DomainError(f"无法读取座席库 {seat}：{error}", code="unreadable") from None
    finally:
        source.close()
    if not count:
        raise DomainError(f"{seat} 中没有目录和知识库，不能据此建培训库。", code="empty")
    return count
