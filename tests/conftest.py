"""Shared fixtures: a small city built once through the store's commands, copied per test."""

from __future__ import annotations

import os
import random
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from support.lifecycle import START, MutableClock

from store import Actor, Store
from store.directory import commands as d
from store.directory.defaults import install_defaults
from store.kb import importer, synonyms

PASSWORD = "secret-1"


@pytest.fixture(scope="session", autouse=True)
def _state_directory(tmp_path_factory):
    """Seats keep a journal in the user's state directory: the tests' own, not the user's
    (subprocesses inherit it)."""
    previous = os.environ.get("XDG_STATE_HOME")
    os.environ["XDG_STATE_HOME"] = str(tmp_path_factory.mktemp("state"))
    yield
    if previous is None:
        os.environ.pop("XDG_STATE_HOME", None)
    else:
        os.environ["XDG_STATE_HOME"] = previous


DATA = Path(__file__).parent.parent / "scripts" / "data"


def build_city(store: Store, kb: bool = True) -> None:
    sysa = Actor.system()
    install_defaults(store, sysa)
    d.define_district(store, sysa, "D1", "东湖区")
    d.define_district(store, sysa, "D2", "西陵区")
    d.define_street(store, sysa, "S11", "D1", "湖滨街道")
    d.define_street(store, sysa, "S21", "D2", "新桥街道")
    d.define_unit(store, sysa, "U1", "市住建局", 1)
    d.define_unit(store, sysa, "G1", "东湖区人民政府", 1, kind="district", areas=[("D1", "")])
    d.define_unit(store, sysa, "U2", "东湖区住建局", 2, parent_id="G1", areas=[("D1", "")])
    d.define_unit(
        store, sysa, "U3", "湖滨街道办事处", 2, parent_id="G1", kind="street", areas=[("D1", "S11")]
    )
    d.define_unit(
        store,
        sysa,
        "U4",
        "湖滨街道锦绣社区",
        3,
        parent_id="U3",
        kind="community",
        areas=[("D1", "S11")],
    )
    d.define_unit(store, sysa, "U5", "东湖区城管局", 2, parent_id="G1", areas=[("D1", "")])
    d.define_desk(store, sysa, "YSHJ", "营商环境专席", topics=["12"], business=True)
    d.define_desk(store, sysa, "12333", "12333 人社专席", "12333", topics=["06"])
    people = [
        ("a1", "张敏", "agent", None),
        ("k1", "钱进", "desk", None),
        ("c1", "赵丽", "callback", None),
        ("s1", "王芳", "supervisor", None),
        ("s2", "刘洋", "supervisor", None),
        ("t1", "孙悦", "trainee", None),
        ("e1", "周文", "editor", None),
        ("admin", "吴管理", "admin", None),
        ("l2", "李强", "liaison", "U2"),
        ("l3", "陈静", "liaison", "U3"),
        ("l5", "郑刚", "liaison", "U5"),
    ]
    for agent_id, name, role, unit in people:
        d.define_agent(
            store, sysa, agent_id, name, role, PASSWORD, unit_id=unit, salt_seed=agent_id
        )
    if kb:
        synonyms.install_starter(store, sysa)
        importer.import_file(store, sysa, DATA / "kb-jiangcheng.jsonl")


def _template(path: Path, kb: bool) -> Path:
    store = Store.open(
        path, clock=MutableClock(START - timedelta(days=1)), rng=random.Random(7), device_no=3
    )
    build_city(store, kb=kb)
    store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return path


@pytest.fixture(scope="session")
def city_template(tmp_path_factory) -> Path:
    """The test city with its knowledge base (20 Q&A entries, the starter synonyms)."""
    return _template(tmp_path_factory.mktemp("template") / "city.db", kb=True)


@pytest.fixture(scope="session")
def workflow_city_template(tmp_path_factory) -> Path:
    """The city without a knowledge base: the property test replays every event after
    every step, and 165 knowledge-base events would only slow it down."""
    return _template(tmp_path_factory.mktemp("template") / "workflow.db", kb=False)


@pytest.fixture
def clock() -> MutableClock:
    return MutableClock()


@pytest.fixture
def db_path(city_template, tmp_path) -> Path:
    path = tmp_path / "seat.db"
    shutil.copyfile(city_template, path)
    return path


@pytest.fixture
def store(db_path, clock) -> Store:
    s = Store.open(db_path, clock=clock)
    yield s
    s.close()


@pytest.fixture
def actors(store) -> dict[str, Actor]:
    ids = [r[0] for r in store.conn.execute("SELECT id FROM agents")]
    return {i: d.get_actor(store.conn, i) for i in ids}


# The central server ------------------------------------------------------------------


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """The central database: a SQLite file, then a fresh PostgreSQL database."""
    if request.param == "sqlite":
        yield str(tmp_path / "central.db")
        return
    from support.central_harness import pg_database

    with pg_database() as url:
        yield url


@pytest.fixture
def central(database_url, city_template, tmp_path):
    """The real central server, seeded with the test city, on a loopback port."""
    from support.central_harness import CentralProcess

    process = CentralProcess(tmp_path, database_url, seed=city_template).start()
    yield process
    process.stop()


@pytest.fixture
def make_seat(city_template, tmp_path, central):
    """``make_seat(name)``: a copy of the test city registered with ``central``."""
    from support.central_harness import Seat

    def make(name: str, profile: str = "seat") -> Seat:
        seat = Seat(tmp_path / f"{name}.db", city_template)
        seat.register(central, name, profile)
        return seat

    return make
