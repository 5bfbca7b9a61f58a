"""The seat database schema and its migrations, versioned by ``PRAGMA user_version``.

A migration runs inside one transaction. Migrations may reshape projections freely (they
can be rebuilt from the events) but never touch the ``events`` or ``outbox`` rows: an
unsynced event is the only copy of somebody's work.

The schema is one history for the whole file (SQLite keeps one version number), so the
tables of every context are created here in the order they were added; which of them are
projections, and whose, each context declares with its handlers
(:func:`store.core.projector.table`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from store.core.db import transaction

_V1 = """
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

-- The event log: the single source of truth.
CREATE TABLE events (
    pos         INTEGER PRIMARY KEY,          -- local apply order
    id          TEXT NOT NULL UNIQUE,         -- UUIDv7
    device_id   TEXT NOT NULL,
    device_seq  INTEGER NOT NULL,             -- gap-free per device
    stream      TEXT NOT NULL,                -- ticket | directory | config
    subject_id  TEXT,                         -- the ticket (or directory entry) concerned
    type        TEXT NOT NULL,
    version     INTEGER NOT NULL,
    payload     TEXT NOT NULL CHECK (json_valid(payload)),
    actor_id    TEXT NOT NULL,
    actor_role  TEXT NOT NULL,
    occurred_at TEXT NOT NULL,                -- local time, ISO 8601 with offset
    server_seq  INTEGER,                      -- set when the central server has it
    UNIQUE (device_id, device_seq)
);
CREATE INDEX events_subject ON events (subject_id, pos);

-- Events waiting to be pushed (or rejected by the server, with its reason).
-- Keyed by the event's local position: an integer key keeps this small on a busy seat.
CREATE TABLE outbox (
    pos    INTEGER PRIMARY KEY REFERENCES events (pos),
    state  TEXT NOT NULL DEFAULT 'pending' CHECK (state IN ('pending', 'rejected')),
    reason TEXT
);

-- Per-day counters of this seat's offline ticket numbers.
CREATE TABLE number_counters (
    day  TEXT PRIMARY KEY,
    next INTEGER NOT NULL
);

-- Projections ----------------------------------------------------------------

CREATE TABLE config (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL CHECK (json_valid(value))
);

-- Directory tables carry pinyin search keys (full and initials) for the pickers.
CREATE TABLE districts (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    pinyin   TEXT NOT NULL DEFAULT '',
    initials TEXT NOT NULL DEFAULT ''
);

CREATE TABLE streets (
    code          TEXT PRIMARY KEY,
    district_code TEXT NOT NULL REFERENCES districts (code),
    name          TEXT NOT NULL,
    pinyin        TEXT NOT NULL DEFAULT '',
    initials      TEXT NOT NULL DEFAULT ''
);

CREATE TABLE units (
    id        TEXT PRIMARY KEY,
    name      TEXT NOT NULL,
    level     INTEGER NOT NULL CHECK (level IN (1, 2, 3)),
    parent_id TEXT REFERENCES units (id),
    kind      TEXT NOT NULL,
    active    INTEGER NOT NULL DEFAULT 1,
    pinyin    TEXT NOT NULL DEFAULT '',
    initials  TEXT NOT NULL DEFAULT ''
);
CREATE INDEX units_parent ON units (parent_id);

CREATE TABLE unit_areas (
    unit_id       TEXT NOT NULL REFERENCES units (id),
    district_code TEXT NOT NULL REFERENCES districts (code),
    street_code   TEXT NOT NULL DEFAULT '',   -- '' = the whole district
    PRIMARY KEY (unit_id, district_code, street_code)
) WITHOUT ROWID;

CREATE TABLE desks (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    line        TEXT NOT NULL DEFAULT '',
    description TEXT NOT NULL DEFAULT '',
    active      INTEGER NOT NULL DEFAULT 1,
    pinyin      TEXT NOT NULL DEFAULT '',
    initials    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE topics (
    code        TEXT PRIMARY KEY,
    name        TEXT NOT NULL,
    parent_code TEXT REFERENCES topics (code),
    level       INTEGER NOT NULL CHECK (level IN (1, 2)),
    pinyin      TEXT NOT NULL DEFAULT '',
    initials    TEXT NOT NULL DEFAULT ''
);

CREATE TABLE reasons (
    code     TEXT PRIMARY KEY,
    name     TEXT NOT NULL,
    guidance TEXT NOT NULL DEFAULT ''
);

CREATE TABLE agents (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    role          TEXT NOT NULL,
    unit_id       TEXT REFERENCES units (id),
    desk_id       TEXT REFERENCES desks (id),
    password_hash TEXT NOT NULL,
    active        INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE tickets (
    id               TEXT PRIMARY KEY,
    number           TEXT NOT NULL UNIQUE,
    state            TEXT NOT NULL,
    channel          TEXT NOT NULL,
    type             TEXT NOT NULL,
    topic_code       TEXT NOT NULL,
    urgency          TEXT NOT NULL,
    caller_phone     TEXT NOT NULL DEFAULT '',
    caller_name      TEXT NOT NULL DEFAULT '',
    caller_gender    TEXT NOT NULL DEFAULT '',
    callback_phone   TEXT NOT NULL DEFAULT '',
    anonymous        INTEGER NOT NULL DEFAULT 0,
    confidential     INTEGER NOT NULL DEFAULT 0,
    district_code    TEXT NOT NULL DEFAULT '',
    street_code      TEXT NOT NULL DEFAULT '',
    address          TEXT NOT NULL DEFAULT '',
    happened         TEXT NOT NULL DEFAULT '',
    content          TEXT NOT NULL,
    request          TEXT NOT NULL DEFAULT '',
    business         INTEGER NOT NULL DEFAULT 0,
    repeat           INTEGER NOT NULL DEFAULT 0,
    leader_attention INTEGER NOT NULL DEFAULT 0,
    incident_110     TEXT NOT NULL DEFAULT '',
    registered_at    TEXT NOT NULL,
    registered_by    TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    closed_at        TEXT,
    desk_id          TEXT,
    lead_unit_id     TEXT,
    dispatch_count   INTEGER NOT NULL DEFAULT 0,
    return_count     INTEGER NOT NULL DEFAULT 0,
    assigned         INTEGER NOT NULL DEFAULT 0,  -- unit named by the hotline: no more returns
    redo_count       INTEGER NOT NULL DEFAULT 0,
    extension_count  INTEGER NOT NULL DEFAULT 0,
    extensions_allowed INTEGER NOT NULL DEFAULT 1,
    requested_due    TEXT,
    resume_state     TEXT,                        -- state to go back to when a request is refused
    urge_count       INTEGER NOT NULL DEFAULT 0,
    supervised       INTEGER NOT NULL DEFAULT 0,
    escalated        INTEGER NOT NULL DEFAULT 0,
    merged_into      TEXT,
    reason_code      TEXT,
    transfer_line    TEXT,
    kb_refs          TEXT NOT NULL DEFAULT '[]',
    reply            TEXT NOT NULL DEFAULT '',
    callback_attempts INTEGER NOT NULL DEFAULT 0,
    next_callback_at TEXT,
    satisfaction     TEXT,
    solved           INTEGER
);
CREATE INDEX tickets_phone ON tickets (caller_phone, registered_at);
CREATE INDEX tickets_state ON tickets (state);
CREATE INDEX tickets_registered ON tickets (registered_at);
CREATE INDEX tickets_lead_unit ON tickets (lead_unit_id, state);
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;

CREATE TABLE ticket_units (
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    unit_id   TEXT NOT NULL REFERENCES units (id),
    role      TEXT NOT NULL CHECK (role IN ('lead', 'assist')),
    PRIMARY KEY (ticket_id, unit_id)
) WITHOUT ROWID;
CREATE INDEX ticket_units_unit ON ticket_units (unit_id);

-- Deadlines: one row per clock of a ticket (sign, contact, handle, return, callback).
CREATE TABLE clocks (
    ticket_id  TEXT NOT NULL REFERENCES tickets (id),
    kind       TEXT NOT NULL,
    rule       TEXT NOT NULL,                 -- e.g. '5wd' or '24h'
    started_at TEXT NOT NULL,
    due_at     TEXT NOT NULL,
    stopped_at TEXT,
    PRIMARY KEY (ticket_id, kind)
) WITHOUT ROWID;
CREATE INDEX clocks_open_due ON clocks (due_at) WHERE stopped_at IS NULL;

CREATE TABLE callbacks (
    ticket_id    TEXT NOT NULL REFERENCES tickets (id),
    attempt      INTEGER NOT NULL,
    at           TEXT NOT NULL,
    agent_id     TEXT NOT NULL,
    reached      INTEGER NOT NULL,
    solved       INTEGER,
    satisfaction TEXT,
    note         TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (ticket_id, attempt)
) WITHOUT ROWID;

-- Every reveal of a caller's number: who, when, which ticket, why.
CREATE TABLE reveals (
    event_id  TEXT PRIMARY KEY,
    ticket_id TEXT NOT NULL REFERENCES tickets (id),
    agent_id  TEXT NOT NULL,
    at        TEXT NOT NULL,
    reason    TEXT NOT NULL
);
"""

# V2: the knowledge base (issue 4). Entries are events on the ``kb`` stream; the search
# index holds overlapping two-character tokens (see store/kb/tokens.py) and a trigram index
# over each title's pinyin and initials.
_V2 = """
CREATE TABLE kb_entries (
    n              INTEGER PRIMARY KEY,        -- row id of the search indexes
    id             TEXT NOT NULL UNIQUE,
    title          TEXT NOT NULL,
    questions      TEXT NOT NULL DEFAULT '[]', -- JSON list of the ways callers ask
    answer         TEXT NOT NULL,
    topic_code     TEXT NOT NULL DEFAULT '',
    owner_unit     TEXT NOT NULL DEFAULT '',
    doc_no         TEXT NOT NULL DEFAULT '',   -- 文号 of the source document
    region         TEXT NOT NULL DEFAULT '',
    effective_from TEXT,                       -- first day in force
    expires_on     TEXT,                       -- last day in force
    status         TEXT NOT NULL CHECK (status IN ('draft','review','published','withdrawn')),
    visibility     TEXT NOT NULL CHECK (visibility IN ('internal','public')),
    last_verified  TEXT,
    metadata       TEXT NOT NULL DEFAULT '{}',
    title_pinyin   TEXT NOT NULL DEFAULT '',
    title_initials TEXT NOT NULL DEFAULT '',
    use_count      INTEGER NOT NULL DEFAULT 0,
    answered_count INTEGER NOT NULL DEFAULT 0, -- feedback "answered the caller"
    outdated_count INTEGER NOT NULL DEFAULT 0, -- feedback "outdated"
    updated_at     TEXT NOT NULL,
    updated_by     TEXT NOT NULL
);
CREATE INDEX kb_entries_expiry ON kb_entries (expires_on) WHERE expires_on IS NOT NULL;
CREATE INDEX kb_entries_status ON kb_entries (status, updated_at);

CREATE TABLE kb_feedback (
    event_id  TEXT PRIMARY KEY,
    entry_id  TEXT NOT NULL,
    agent_id  TEXT NOT NULL,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('answered', 'outdated')),
    note      TEXT NOT NULL DEFAULT '',
    ticket_id TEXT
);
CREATE INDEX kb_feedback_entry ON kb_feedback (entry_id, at);

-- Everyday word -> official term; searched both ways.
CREATE TABLE kb_synonyms (
    term      TEXT PRIMARY KEY,
    canonical TEXT NOT NULL
) WITHOUT ROWID;

CREATE VIRTUAL TABLE kb_fts USING fts5 (title, questions, body, tokenize = 'unicode61');
CREATE VIRTUAL TABLE kb_vocab USING fts5vocab (kb_fts, row);
CREATE VIRTUAL TABLE kb_title_keys USING fts5 (pinyin, initials, tokenize = 'trigram');
"""

# V3: the dispatch catalogue (issue 5): topic + district → the lead unit to suggest.
_V3 = """
CREATE TABLE dispatch_rules (
    topic_code    TEXT NOT NULL,
    district_code TEXT NOT NULL DEFAULT '',  -- '' = any district
    unit_id       TEXT NOT NULL,             -- a unit id, or '@street': the street's office
    PRIMARY KEY (topic_code, district_code)
) WITHOUT ROWID;
"""

# V4: who took a ticket at a desk, and which desk specialists are on duty (issue 5).
_V4 = """
ALTER TABLE tickets ADD COLUMN taken_by TEXT;
ALTER TABLE agents ADD COLUMN on_duty INTEGER NOT NULL DEFAULT 0;
"""

# V5: sync with the central server (issue 6): how far each stream has been pulled, and the
# blocks of ticket numbers the server leased to this seat.
_V5 = """
CREATE TABLE sync_cursors (
    stream     TEXT PRIMARY KEY,
    server_seq INTEGER NOT NULL
);
CREATE TABLE number_leases (
    day  TEXT NOT NULL,
    next INTEGER NOT NULL,                    -- next serial to hand out
    last INTEGER NOT NULL,                    -- last serial of the block
    PRIMARY KEY (day, next)
);
CREATE INDEX events_server_seq ON events (server_seq) WHERE server_seq IS NOT NULL;
"""

# V6 (issue 11): who logged in at this seat, with the proof the central server checks; each
# agent's public login key; a ticket number unique by rule, not by the projection.
_V6 = """
CREATE TABLE sign_ins (
    n         INTEGER PRIMARY KEY,
    agent_id  TEXT NOT NULL,
    device_id TEXT NOT NULL,
    at        TEXT NOT NULL,
    proof     TEXT NOT NULL,              -- the agent's signature over device and time
    sent      INTEGER NOT NULL DEFAULT 0  -- 1 once the central server has it
);
ALTER TABLE agents ADD COLUMN login_key TEXT NOT NULL DEFAULT '';
"""


_V6_TICKET_INDEXES = """
CREATE INDEX tickets_number ON tickets (number);
CREATE INDEX tickets_phone ON tickets (caller_phone, registered_at);
CREATE INDEX tickets_state ON tickets (state);
CREATE INDEX tickets_registered ON tickets (registered_at);
CREATE INDEX tickets_lead_unit ON tickets (lead_unit_id, state);
CREATE INDEX tickets_merged_into ON tickets (merged_into) WHERE merged_into IS NOT NULL;
"""


def _v6(conn: sqlite3.Connection) -> None:
    # ``tickets.number`` loses its UNIQUE constraint: uniqueness is the commands' and the
    # central server's rule (a duplicate is refused with a reason). A projection must never
    # refuse, or delete, a row the log holds: with the constraint, ``INSERT OR REPLACE``
    # erased the earlier ticket of a repeated number everywhere.
    (ddl,) = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'tickets'").fetchone()
    unique = "number           TEXT NOT NULL UNIQUE"
    if unique not in ddl:
        raise RuntimeError("迁移 6：tickets 表结构与预期不符。")
    ddl = ddl.replace("CREATE TABLE tickets", "CREATE TABLE tickets_v6", 1)
    conn.execute(ddl.replace(unique, "number           TEXT NOT NULL"))
    conn.execute("INSERT INTO tickets_v6 SELECT * FROM tickets")
    conn.execute("DROP TABLE tickets")
    conn.execute("ALTER TABLE tickets_v6 RENAME TO tickets")
    _run_script(conn, _V6_TICKET_INDEXES + _V6)


# V7 (issue 12): which topics each specialist desk takes (the transfer dialog starts on the
# desk that fits the ticket); since when a ticket is in its state (queues keep their order
# when a ticket is urged); what a return, an extension or a reply says, for the review.
_V7 = """
ALTER TABLE desks ADD COLUMN topics TEXT NOT NULL DEFAULT '[]';
ALTER TABLE desks ADD COLUMN business INTEGER NOT NULL DEFAULT 0;
ALTER TABLE tickets ADD COLUMN state_since TEXT;
UPDATE tickets SET state_since = updated_at;
ALTER TABLE tickets ADD COLUMN pending_note TEXT;  -- what waits for a decision, in the unit's words
"""

# V8 (issue 14): shift handovers — the summary and notes a supervisor hands over, and who
# took the shift over.
_V8 = """
CREATE TABLE handovers (
    id              TEXT PRIMARY KEY,
    at              TEXT NOT NULL,
    by_agent        TEXT NOT NULL,
    since           TEXT NOT NULL,         -- when the shift handed over began
    summary         TEXT NOT NULL,         -- JSON: [[label, value], ...]
    notes           TEXT NOT NULL,
    acknowledged_at TEXT,
    acknowledged_by TEXT,
    ack_note        TEXT
);
CREATE INDEX handovers_at ON handovers (at);
"""

# V9 (issue 18): the answers' own index — the knowledge base's Q&A entries (not the articles
# of laws and regulations), searched first so the city's answer comes before the articles.
_V9 = """
CREATE VIRTUAL TABLE kb_answers_fts USING fts5 (title, questions, body, tokenize = 'unicode61');
CREATE VIRTUAL TABLE kb_answers_vocab USING fts5vocab (kb_answers_fts, row);
INSERT INTO kb_answers_fts (rowid, title, questions, body)
    SELECT f.rowid, f.title, f.questions, f.body FROM kb_fts f
    JOIN kb_entries e ON e.n = f.rowid
    WHERE json_extract(e.metadata, '$.instrument') IS NULL;
"""

# V10 (issue 18): each character of the knowledge base's pairs with the entries its pairs
# occur in (summed) — the typo correction and the pinyin reading read it instead of
# scanning the whole vocabulary in every new process.
_V10 = """
CREATE TABLE kb_characters (
    char    TEXT PRIMARY KEY,
    entries INTEGER NOT NULL
) WITHOUT ROWID;
INSERT INTO kb_characters (char, entries)
    SELECT char, sum(doc) FROM (
        SELECT substr(term, 1, 1) AS char, doc FROM kb_vocab
        WHERE length(term) = 2 AND unicode(substr(term, 1, 1)) > 127
        UNION ALL
        SELECT substr(term, 2, 1), doc FROM kb_vocab
        WHERE length(term) = 2 AND unicode(substr(term, 1, 1)) > 127
    ) GROUP BY char;
"""

# V11 (issue 15): calls as the switch tells of them, and the ticket each call led to.
_V11 = """
CREATE TABLE calls (
    id             TEXT PRIMARY KEY,       -- the switch's call id
    queue          TEXT NOT NULL DEFAULT '',
    caller         TEXT NOT NULL DEFAULT '', -- digits; '' when withheld
    withheld       INTEGER NOT NULL DEFAULT 0,
    offered_at     TEXT NOT NULL,          -- entered the queue (or rang, without one)
    answered_at    TEXT,
    answer_wait_s  INTEGER,                -- waited before the answer
    extension      TEXT,                   -- the phone it was answered on
    seat           TEXT,                   -- the device of the seat that answered
    agent_id       TEXT,
    abandoned_at   TEXT,
    abandon_wait_s INTEGER,                -- waited before hanging up unanswered
    ended_at       TEXT,
    talk_s         INTEGER
);
CREATE INDEX calls_offered ON calls (offered_at);
CREATE TABLE call_tickets (
    ticket_id TEXT PRIMARY KEY,
    call_id   TEXT NOT NULL
);
CREATE INDEX call_tickets_call ON call_tickets (call_id);
"""

# The training sandbox: its mark, the scripted calls, the trainees' attempts and scores.
_V12 = """
CREATE TABLE sandbox (
    id        TEXT PRIMARY KEY,
    marked_at TEXT NOT NULL,
    origin    TEXT NOT NULL
);
CREATE TABLE training_scenarios (
    code     TEXT PRIMARY KEY,
    title    TEXT NOT NULL,
    outcome  TEXT NOT NULL,
    body     TEXT NOT NULL,            -- the whole scenario, JSON
    saved_at TEXT NOT NULL,
    saved_by TEXT NOT NULL
);
CREATE TABLE training_attempts (
    id            TEXT PRIMARY KEY,
    scenario_code TEXT NOT NULL,
    trainee_id    TEXT NOT NULL,
    mode          TEXT NOT NULL,        -- practice | exam
    exam_id       TEXT NOT NULL DEFAULT '',
    earlier       TEXT NOT NULL DEFAULT '[]', -- the caller's history put in for it
    started_at    TEXT NOT NULL,
    finished_at   TEXT,
    ticket_id     TEXT,
    score         INTEGER,
    passed        INTEGER,
    fatal         TEXT NOT NULL DEFAULT '[]',
    items         TEXT NOT NULL DEFAULT '[]',
    seconds       INTEGER,
    comment       TEXT NOT NULL DEFAULT '',
    commented_by  TEXT,
    commented_at  TEXT
);
CREATE INDEX training_attempts_trainee ON training_attempts (trainee_id, started_at);
CREATE TABLE training_assignments (
    trainee_id    TEXT NOT NULL,
    scenario_code TEXT NOT NULL,
    exam          INTEGER NOT NULL DEFAULT 0,
    minutes       INTEGER NOT NULL DEFAULT 0,
    assigned_by   TEXT NOT NULL,
    assigned_at   TEXT NOT NULL,
    PRIMARY KEY (trainee_id, scenario_code)
);
"""

# What agents' searches ended in (the knowledge base's learning loop), and the editor's
# decisions on the proposals they make.
_V13 = """
CREATE TABLE kb_evidence (
    query    TEXT NOT NULL,             -- the search's words, normalised
    entry_id TEXT NOT NULL,             -- the entry cited; '' when nothing was
    hits     INTEGER NOT NULL,
    last_at  TEXT NOT NULL,
    PRIMARY KEY (query, entry_id)
);
CREATE INDEX kb_evidence_hits ON kb_evidence (entry_id, hits);
CREATE TABLE kb_proposal_decisions (
    query      TEXT NOT NULL,
    entry_id   TEXT NOT NULL,
    accepted   INTEGER NOT NULL,
    decided_by TEXT NOT NULL,
    decided_at TEXT NOT NULL,
    PRIMARY KEY (query, entry_id)
);
"""

Migration = str | Callable[[sqlite3.Connection], None]
MIGRATIONS: tuple[Migration, ...] = (
    *(_V1, _V2, _V3, _V4, _V5, _v6, _V7, _V8, _V9, _V10, _V11, _V12),
    _V13,
)
SCHEMA_VERSION = len(MIGRATIONS)


class SchemaTooNew(RuntimeError):
    """The database was written by a newer hotline; this one must not touch it."""


def migrate(conn: sqlite3.Connection) -> int:
    """Bring the database to ``SCHEMA_VERSION``; return the version it was at."""
    current = conn.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise SchemaTooNew(
            f"数据库版本 {current} 高于本程序支持的 {SCHEMA_VERSION}，请升级 hotline。"
        )
    if current == SCHEMA_VERSION:
        return current
    # A migration may rebuild a table others refer to (SQLite's own recipe for changing a
    # constraint): foreign keys are off meanwhile and checked before each commit.
    conn.execute("PRAGMA foreign_keys=OFF")
    try:
        for version in range(current, SCHEMA_VERSION):
            with transaction(conn):
                before = _event_counts(conn)
                step = MIGRATIONS[version]
                if isinstance(step, str):
                    _run_script(conn, step)
                else:
                    step(conn)
                after = _event_counts(conn)
                if before is not None and after != before:
                    raise RuntimeError(
                        f"迁移 {version + 1} 会丢失事件：之前 {before}，之后 {after}，已回滚。"
                    )
                if conn.execute("PRAGMA foreign_key_check").fetchone() is not None:
                    raise RuntimeError(f"迁移 {version + 1} 破坏了表之间的引用，已回滚。")
                conn.execute(f"PRAGMA user_version={version + 1}")
    finally:
        conn.execute("PRAGMA foreign_keys=ON")
    return current


def _run_script(conn: sqlite3.Connection, script: str) -> None:
    # executescript() would COMMIT the open transaction; run statement by statement.
    for statement in statements(script):
        conn.execute(statement)


def statements(script: str) -> list[str]:
    """The statements of a SQL script, ``--`` comments removed."""
    lines = [line.split("--", 1)[0] for line in script.splitlines()]
    return [s.strip() for s in "\n".join(lines).split(";") if s.strip()]


def _event_counts(conn: sqlite3.Connection) -> tuple[int, int] | None:
    has = conn.execute(
        "SELECT count(*) FROM sqlite_master WHERE type='table' AND name IN ('events','outbox')"
    ).fetchone()[0]
    if has < 2:
        return None
    return (
        conn.execute("SELECT count(*) FROM events").fetchone()[0],
        conn.execute("SELECT count(*) FROM outbox").fetchone()[0],
    )
