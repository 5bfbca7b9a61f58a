"""The central database's tables, versioned: each migration runs in one transaction.

The version is kept in ``central_meta`` (key ``schema_version``). A database made before
versions were kept has the first version's tables and no key: it is version 1.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from store.core.migrations import statements

if TYPE_CHECKING:
    from central.db.port import Database, Transaction

_V1 = """
CREATE TABLE IF NOT EXISTS log (
    server_seq    BIGINT PRIMARY KEY,      -- commit order, gap-free
    id            TEXT NOT NULL UNIQUE,    -- the event's UUIDv7: pushes are idempotent by it
    device_id     TEXT NOT NULL,
    device_seq    BIGINT NOT NULL,
    stream        TEXT NOT NULL,
    subject_id    TEXT,
    type          TEXT NOT NULL,
    version       INTEGER NOT NULL,
    payload       TEXT NOT NULL,
    actor_id      TEXT NOT NULL,
    actor_role    TEXT NOT NULL,
    occurred_at   TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    received_from TEXT NOT NULL,          -- the device that pushed it ('central': made here)
    wire          TEXT NOT NULL           -- the event as pulled, encoded once (central/feed.py)
);
CREATE INDEX IF NOT EXISTS log_stream ON log (stream, server_seq);
CREATE TABLE IF NOT EXISTS rejections (
    id            TEXT PRIMARY KEY,
    device_id     TEXT NOT NULL,
    device_seq    BIGINT NOT NULL,
    type          TEXT NOT NULL,
    subject_id    TEXT,
    reason        TEXT NOT NULL,
    received_at   TEXT NOT NULL,
    received_from TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS devices (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    device_no     INTEGER NOT NULL UNIQUE,  -- 1-4999: the seat's offline ticket-number range
    profile       TEXT NOT NULL,
    registered_by TEXT NOT NULL,
    registered_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS tokens (
    hash       TEXT PRIMARY KEY,           -- sha256 of the token: a leaked table logs nobody in
    kind       TEXT NOT NULL,              -- device | agent
    subject    TEXT NOT NULL,              -- device id or agent id
    expires_at TEXT                        -- agents' sessions end; device tokens do not
);
CREATE TABLE IF NOT EXISTS central_meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL                    -- instance: ties a mirror file to this database
);
CREATE TABLE IF NOT EXISTS number_blocks (
    day       TEXT NOT NULL,
    first     BIGINT NOT NULL,
    last      BIGINT NOT NULL,
    device_id TEXT NOT NULL,
    leased_at TEXT NOT NULL,
    PRIMARY KEY (day, first)
);
"""

# V2 (issue 11): devices can be revoked and re-keyed (a restored or copied seat gets a new
# identity of its own, linked to the one it was copied from); every device id a device's
# events carry is claimed by that device for good; and the agents who proved they logged in
# at a device.
_V2 = """
ALTER TABLE devices ADD COLUMN revoked_at TEXT;
ALTER TABLE devices ADD COLUMN parent_id TEXT;
CREATE TABLE device_aliases (
    alias      TEXT PRIMARY KEY,           -- a device id that events carry
    device_id  TEXT NOT NULL,              -- the registered device that owns it
    claimed_at TEXT NOT NULL
);
INSERT INTO device_aliases (alias, device_id, claimed_at)
    SELECT id, id, registered_at FROM devices;
CREATE INDEX log_device_seq ON log (device_id, device_seq);
CREATE TABLE device_agents (
    device_id TEXT NOT NULL,               -- the registered device the agent signed in at
    agent_id  TEXT NOT NULL,
    first_at  TEXT NOT NULL,
    last_at   TEXT NOT NULL,
    PRIMARY KEY (device_id, agent_id)
);
"""

MIGRATIONS: tuple[str, ...] = (_V1, _V2)
SCHEMA_VERSION = len(MIGRATIONS)


def migrate(db: Database) -> int:
    """Bring the central database to ``SCHEMA_VERSION``; return the version it was at."""
    with db.transaction(write=True) as tx:
        version = _version(db, tx)
    if version > SCHEMA_VERSION:
        raise RuntimeError(
            f"中心数据库版本 {version} 高于本程序支持的 {SCHEMA_VERSION}，请升级 hotline。"
        )
    for step in range(version, SCHEMA_VERSION):
        with db.transaction(write=True) as tx:
            if _version(db, tx) != step:  # another server process migrated meanwhile
                continue
            for statement in statements(MIGRATIONS[step]):
                tx.execute(statement)
            tx.execute(
                "INSERT INTO central_meta (key, value) VALUES ('schema_version', ?)"
                " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (str(step + 1),),
            )
    return version


def _version(db: Database, tx: Transaction) -> int:
    if db.dialect == "postgresql":
        exists = tx.scalar("SELECT to_regclass('central_meta') IS NOT NULL")
    else:
        exists = tx.scalar("SELECT count(*) FROM sqlite_master WHERE name = 'central_meta'")
    if not exists:
        return 0
    row = tx.execute("SELECT value FROM central_meta WHERE key = 'schema_version'")
    return int(row[0]["value"]) if row else 1
