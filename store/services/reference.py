"""Changes to reference data — the directory, passwords, configuration and calendar, the
dispatch catalogue, the knowledge base — by name, for every front end.

Reference data is what every seat trusts: a password hash lets an agent in, a unit in the
catalogue receives tickets, an entry is read to callers. So a seat registered with a
central server never writes it itself: the command goes to the server, which runs it as
the agent logged in there (online, with their own password) and under the command's own
permission checks; the change reaches every seat, this one included, by the next pull. A
seat on its own (a demo, a training room, the sample) runs the command locally.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from store.core.errors import DomainError, InvalidInput
from store.core.progress import SILENT, Progress
from store.core.roles import Actor
from store.core.seat import Store
from store.directory import catalogue as dispatch_catalogue
from store.directory import commands as directory
from store.kb import entries, importer, learning, synonyms
from store.sync import client, state
from store.tickets import calendar_years

Command = Callable[[Store, Actor, dict[str, Any]], Any]

ONLINE_ONLY = "本座席已连接中心服务器：目录、配置和知识库的修改须联网登录后由中心办理。"


def _save_entry(store: Store, actor: Actor, a: dict[str, Any]) -> Any:
    return asdict(entries.save_entry(store, actor, a["entry"]))


def _save_entries(store: Store, actor: Actor, a: dict[str, Any]) -> Any:
    rows = [(int(number), raw) for number, raw in a["rows"]]
    return importer.save_rows(store, actor, rows).as_json()


def _load_calendar(store: Store, actor: Actor, a: dict[str, Any]) -> None:
    calendar_years.load_year(store, actor, calendar_years.plan_of(a["plan"]))


def _set_password(store: Store, actor: Actor, a: dict[str, Any]) -> None:
    directory.set_password(store, actor, a["agent_id"], a["password"])


def _set_config(store: Store, actor: Actor, a: dict[str, Any]) -> None:
    directory.set_config(store, actor, a["key"], a["value"])


COMMANDS: dict[str, Command] = {
    "kb.save_entry": _save_entry,
    "kb.save_entries": _save_entries,
    "kb.set_status": lambda s, actor, a: entries.set_status(
        s, actor, a["entry_id"], a["status"], a.get("note", ""), a.get("verified_on")
    ),
    "kb.synonym_set": lambda s, actor, a: synonyms.set_synonym(s, actor, a["term"], a["canonical"]),
    "kb.synonym_remove": lambda s, actor, a: synonyms.remove_synonym(s, actor, a["term"]),
    "kb.proposal_decide": lambda s, actor, a: learning.decide(
        s, actor, a["query"], a["entry_id"], bool(a["accept"])
    ),
    "catalogue.set": lambda s, actor, a: dispatch_catalogue.set_rule(
        s, actor, a["topic_code"], a.get("district_code", ""), a["unit_id"]
    ),
    "catalogue.remove": lambda s, actor, a: dispatch_catalogue.remove_rule(
        s, actor, a["topic_code"], a.get("district_code", "")
    ),
    "directory.set_password": _set_password,
    "config.set": _set_config,
    "calendar.load": _load_calendar,
}


def execute(store: Store, actor: Actor, name: str, args: dict[str, Any]) -> Any:
    """Run command ``name`` on this store (a standalone seat's, or the central server's
    own copy); bad arguments are refused in Chinese."""
    command = COMMANDS.get(name)
    if command is None:
        raise InvalidInput(f"没有这个操作：{name[:40]!r}", field="command")
    if not isinstance(args, dict):
        raise InvalidInput("操作参数应为键值对。", field="args")
    try:
        return command(store, actor, args)
    except (KeyError, TypeError, ValueError) as error:
        if isinstance(error, DomainError):
            raise
        raise InvalidInput(f"操作 {name} 的参数不完整或类型不对。", field="args") from None


def run(
    store: Store,
    actor: Actor,
    name: str,
    args: dict[str, Any],
    session: client.AgentSession | None = None,
) -> Any:
    """Run ``name`` where it belongs: on the central server (through ``session``, the actor
    logged in there) if this seat is registered with one, else on this store."""
    if not state.get(store.conn, state.DEVICE_TOKEN):
        return execute(store, actor, name, args)
    if session is None:
        raise DomainError(ONLINE_ONLY, code="online_only")
    result = session.reference(name, args)
    catch_up(store)
    return result


def catch_up(store: Store) -> None:
    """Bring changes made at the central server here now, rather than at the next round."""
    try:
        with client.connect(store) as central:
            client.run_round(store, central)
    except (client.Offline, client.Refused):
        pass  # the next round brings them


def catalogue_rules(store: Store) -> list[dispatch_catalogue.Rule]:
    """The dispatch catalogue: topic and district → the suggested lead unit."""
    return dispatch_catalogue.rules(store.conn)


def is_online_only(store: Store) -> bool:
    """True if reference changes made here must go through the central server."""
    return bool(state.get(store.conn, state.DEVICE_TOKEN))


def import_kb(
    store: Store,
    actor: Actor,
    path: Any,
    mapping: dict[str, str],
    status: str,
    session: client.AgentSession | None = None,
    progress: Progress = SILENT,
) -> importer.Report:
    """Import a knowledge-base file here, or — on a registered seat — at the central server
    in batches (the file is read here; the server validates and saves each row)."""
    if not is_online_only(store):
        return importer.import_file(store, actor, path, mapping, status, progress=progress)
    if session is None:
        raise DomainError(ONLINE_ONLY, code="online_only")

    def save(rows: importer.Rows) -> importer.Report:
        return importer.Report.from_json(session.reference("kb.save_entries", {"rows": rows}))

    report = importer.import_file(store, actor, path, mapping, status, save=save, progress=progress)
    catch_up(store)
    return report
