"""A training sandbox never reaches production: refused by the seat (``hotline sync
register``, the sync round) and, without trusting the seat, by the real central server on
SQLite and PostgreSQL. A training server (``hotline central --sandbox``) takes sandbox seats
only, and their scores travel to it."""

from __future__ import annotations

import os
import sqlite3
import subprocess

import httpx
from support.central_harness import (
    PASSWORD,
    ROOT,
    CentralProcess,
    Seat,
    forge,
    hotline_command,
    push_raw,
    signed_in,
)
from support.lifecycle import draft

from store.services import sandbox
from store.sync import client, state
from store.tickets import workflow
from store.training import commands as training
from store.training.sandbox import REFUSED_PRODUCTION, REFUSED_SYNC


def _sandbox(city_template, tmp_path, name="training.db") -> Seat:
    made = sandbox.create(tmp_path / name, city_template)
    return Seat.at(made.path)


def _register(seat: Seat, url: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        hotline_command(
            "--db", str(seat.path), "sync", "register", "--server", url, "--as", "admin"
        ),
        cwd=ROOT,
        env={**os.environ, "HOTLINE_PASSWORD": PASSWORD},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_a_sandbox_is_refused_by_the_seat_and_by_the_server(
    central, make_seat, city_template, tmp_path
):
    training_seat = _sandbox(city_template, tmp_path)
    done = _register(training_seat, central.url)
    assert done.returncode != 0
    assert "培训环境" in done.stderr and "Traceback" not in done.stderr
    with training_seat.open() as store:
        assert not state.get(store.conn, state.DEVICE_TOKEN)
        sandbox_device = store.device_id
    assert sandbox_device.startswith("sandbox-")

    # A production seat's registration copied into the sandbox: the round refuses it.
    production = make_seat("a")
    with production.open() as store:
        copied = {k: state.get(store.conn, k) for k in (state.SERVER_URL, state.DEVICE_TOKEN)}
    with training_seat.open() as store:
        state.put(store.conn, copied)
        try:
            client.connect(store)
        except client.Refused as refused:
            assert refused.message == REFUSED_SYNC
        else:
            raise AssertionError("a sandbox store synced with a production server")

    # Past the seat: the server itself refuses a sandbox device and its events.
    token = central.login("admin")
    answer = httpx.post(
        f"{central.url}/v1/devices",
        json={"name": "培训", "profile": "seat", "device_id": sandbox_device},
        headers={"Authorization": f"Bearer {token}"},
        timeout=30,
    )
    assert answer.status_code == 403 and "培训库" in answer.json()["detail"]
    with training_seat.open() as store:
        event = forge(
            store, "ticket.note_added", {"note": "x"}, subject="t", actor="a1", role="agent"
        )
    results = push_raw(central, production, [event])
    assert results[0]["status"] == "rejected" and "培训环境" in results[0]["reason"]
    with production.open() as store:  # the honest seat's own work still lands
        workflow.register(store, signed_in(store, "a1"), draft())
    assert production.sync().rejected == 0


def test_a_training_server_takes_sandbox_seats_and_their_scores(city_template, tmp_path):
    seed = _sandbox(city_template, tmp_path, "seed.db")
    server = CentralProcess(tmp_path, str(tmp_path / "training-central.db"), seed.path, True)
    server.start()
    try:
        assert httpx.get(f"{server.url}/v1/health", timeout=5).json()["sandbox"] is True
        production = Seat(tmp_path / "prod.db", city_template)
        refused = _register(production, server.url)
        assert refused.returncode != 0 and REFUSED_PRODUCTION[:10] in refused.stderr

        seat = _sandbox(city_template, tmp_path, "trainee.db")
        done = _register(seat, server.url)
        assert done.returncode == 0, done.stderr
        with seat.open() as store:
            trainee = signed_in(store, "t1")
            attempt = training.start(store, trainee, "A10")
            ticket = workflow.register(
                store, trainee, draft(content="已起诉的房屋纠纷，要求催法院")
            )
            workflow.not_accept(store, trainee, ticket.subject_id, "LITIGATION", "请向法院了解")
            training.finish(store, trainee, attempt)
        report = seat.sync()
        assert report.rejected == 0
        mirror = sqlite3.connect(server.mirror)
        scored = mirror.execute(
            "SELECT score FROM training_attempts WHERE id = ?", (attempt,)
        ).fetchone()
        assert scored is not None and scored[0] is not None
    finally:
        server.stop()


def test_a_production_database_never_serves_as_a_training_one(central, tmp_path):
    central.stop()
    done = subprocess.run(
        hotline_command(
            "central",
            "--database",
            central.database,
            "--mirror",
            str(central.mirror),
            "--port",
            str(central.port),
            "--sandbox",
        ),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "生产" in done.stderr and "Traceback" not in done.stderr
