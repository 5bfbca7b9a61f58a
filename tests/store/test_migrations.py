"""Schema versions by PRAGMA user_version; a migration never loses an event."""

from __future__ import annotations

import sqlite3

import pytest
from support.lifecycle import bring_to

from store import Store
from store.core import migrations as schema
from store.core.db import connect
from store.tickets.states import State


def test_new_database_is_at_the_current_version_with_wal_and_full_sync(tmp_path, clock):
    with Store.open(tmp_path / "new.db", clock=clock) as store:
        conn = store.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_database_from_a_newer_hotline_is_refused(tmp_path):
    conn = sqlite3.connect(tmp_path / "future.db")
    conn.execute(f"PRAGMA user_version={schema.SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(schema.SchemaTooNew, match="请升级"):
        Store.open(tmp_path / "future.db")


def test_a_migration_that_would_drop_unsynced_events_is_rolled_back(
    store, actors, db_path, monkeypatch
):
    bring_to(store, actors, State.HANDLING)
    events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    store.close()
    careless = "DELETE FROM outbox; ALTER TABLE tickets ADD COLUMN note TEXT"
    monkeypatch.setattr(schema, "MIGRATIONS", (*schema.MIGRATIONS, careless))
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    conn = connect(db_path)
    with pytest.raises(RuntimeError, match="丢失事件"):
        schema.migrate(conn)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION - 1
    assert conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == events
    columns = [r[1] for r in conn.execute("PRAGMA table_info(tickets)")]
    assert "note" not in columns  # the whole migration was rolled back
    conn.close()


def test_a_good_migration_runs_once_and_keeps_events(store, actors, db_path, monkeypatch):
    bring_to(store, actors, State.REPLIED)
    events = store.conn.execute("SELECT count(*) FROM events").fetchone()[0]
    store.close()
    monkeypatch.setattr(
        schema,
        "MIGRATIONS",
        (*schema.MIGRATIONS, "CREATE TABLE shift_notes (id INTEGER PRIMARY KEY)"),
    )
    monkeypatch.setattr(schema, "SCHEMA_VERSION", len(schema.MIGRATIONS))
    with Store.open(db_path) as again:
        assert again.conn.execute("SELECT count(*) FROM outbox").fetchone()[0] == events
        assert again.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
    with Store.open(db_path) as third:  # opening again does not run it twice
        assert third.conn.execute("SELECT count(*) FROM shift_notes").fetchone()[0] == 0
