"""The server's limits and its privacy: bodies capped before they are read, logins slowed,
devices revoked within seconds, secrets and numbers kept where they belong."""

from __future__ import annotations

import http.client
import os
import stat
import subprocess
import threading
import time

import httpx
import pytest
from support.central_harness import (
    PASSWORD,
    ROOT,
    CentralProcess,
    check_invariants,
    forge,
    hotline_command,
    push_raw,
    signed_in,
)
from support.lifecycle import draft

from store.sync import client
from store.tickets import workflow

SQLITE = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


def _rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


@SQLITE
def test_a_huge_body_costs_the_server_nothing(central, make_seat):
    seat = make_seat("a")
    before = _rss_mb(central.proc.pid)
    port = central.port
    answers: list[int] = []

    def send(auth: str | None, total: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        conn.putrequest("POST", "/v1/sync/push")
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(total))
        if auth:
            conn.putheader("Authorization", f"Bearer {auth}")
        conn.endheaders()
        chunk = b"[" * 1024 * 1024
        try:
            for _ in range(total // len(chunk)):
                conn.send(chunk)
        except OSError:
            pass  # the server answered and closed: it read none of it
        try:
            answers.append(conn.getresponse().status)
        except (OSError, http.client.HTTPException):
            answers.append(0)
        conn.close()

    threads = [
        threading.Thread(target=send, args=(None, 53 * 1024 * 1024)),
        threading.Thread(target=send, args=(seat.token(), 53 * 1024 * 1024)),
    ]
    for t in threads:
        t.start()
    slowest = 0.0
    while any(t.is_alive() for t in threads):
        started = time.perf_counter()
        assert httpx.get(f"{central.url}/v1/health", timeout=10).status_code == 200
        slowest = max(slowest, time.perf_counter() - started)
    for t in threads:
        t.join()
    assert set(answers) <= {413, 0}, answers
    assert slowest < 1.0
    assert _rss_mb(central.proc.pid) - before < 60
    # Without a Content-Length, an unauthenticated body is refused before it is read.
    chunked = httpx.post(
        f"{central.url}/v1/sync/push", content=iter([b"{" * 1024] * 10), timeout=10
    )
    assert chunked.status_code == 401
    # Notes ten times the command's limit never reach the log.
    with seat.open() as store:
        agent = signed_in(store, "a1")
        ticket = workflow.register(store, agent, draft()).subject_id
    seat.sync()
    with seat.open() as store:
        notes = [
            forge(
                store,
                "ticket.noted",
                {"text": "长" * 20_000},
                subject=ticket,
                actor="a1",
                role="agent",
                offset=i,
            )
            for i in range(5)
        ]
    assert {r["status"] for r in push_raw(central, seat, notes)} == {"rejected"}
    check_invariants(central, [seat])


def _unit(server: str, agent: str, *args: str, password: str = PASSWORD):
    env = {**os.environ, "HOTLINE_PASSWORD": password, "HOTLINE_SERVER": server}
    command = hotline_command("unit", "--as", agent, *args)
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)


@SQLITE
def test_a_unit_never_reads_a_callers_number_nor_prints_escape_sequences(central, make_seat):
    seat = make_seat("a")
    with seat.open() as store:
        agent = signed_in(store, "a1")
        ticket = workflow.register(store, agent, draft(caller_phone="13900009999"))
        workflow.note(
            store, agent, ticket.subject_id, "来电人另留手机１３９ ００００ ９９９９，白天可联系"
        )
        workflow.dispatch(store, agent, ticket.subject_id, "U2")
    seat.sync()
    number = ticket.payload["number"]
    shown = _unit(central.url, "l2", "show", number)
    assert shown.returncode == 0, shown.stderr
    assert "号码已隐去" in shown.stdout
    assert "9999" not in shown.stdout.replace(number, "")
    assert _unit(central.url, "l2", "sign", number).returncode == 0
    spoken = _unit(
        central.url, "l2", "reply", number, "--text", "已联系来电人一三九〇〇〇〇九九九九。"
    )
    assert spoken.returncode == 1 and "请删除" in spoken.stderr
    check_invariants(central, [seat])
    # Text that got into a store before it refused control characters is printed as data.
    with seat.open() as store:
        store.conn.execute(
            "UPDATE tickets SET caller_name = ? WHERE id = ?",
            ("\x1b]0;已被控制\x07王\x1b[2J", ticket.subject_id),
        )
    env = {**os.environ, "HOTLINE_PASSWORD": PASSWORD}
    local = subprocess.run(
        hotline_command("unit", "--db", str(seat.path), "--as", "l2", "show", number),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert local.returncode == 0, local.stderr
    assert "王" in local.stdout and "\x1b" not in local.stdout and "\x07" not in local.stdout


@SQLITE
def test_seats_hold_no_secret_they_do_not_need(central, make_seat):
    seat = make_seat("a")
    assert stat.S_IMODE(os.stat(seat.path).st_mode) == 0o600  # the token is in it
    page = httpx.post(
        f"{central.url}/v1/sync/pull",
        json={"cursors": {}, "limit": 2000},
        headers={"Authorization": f"Bearer {seat.token()}"},
    ).json()
    hashes = {
        e["payload"]["id"]: e["payload"]["password_hash"]
        for e in page["events"]
        if e["type"] == "agent.defined"
    }
    assert hashes["a1"] and hashes["s1"]  # agents who log in at a seat
    assert hashes["admin"] == "" and hashes["l2"] == ""  # online only


@SQLITE
def test_logins_are_slowed_per_agent(central):
    url = f"{central.url}/v1/sessions"
    for _ in range(5):
        wrong = httpx.post(url, json={"agent_id": "admin", "password": "guess"})
        assert wrong.status_code == 401
    locked = httpx.post(url, json={"agent_id": "admin", "password": PASSWORD})
    assert locked.status_code == 429 and "秒后再试" in locked.json()["detail"]
    assert int(locked.headers["Retry-After"]) >= 1
    assert central.login("a1")  # another agent is not held up


@SQLITE
def test_a_revoked_device_is_shut_out_within_seconds(central, make_seat):
    seat = make_seat("a")
    device = _device_id(seat)
    revoke = subprocess.run(
        hotline_command("central", "--database", central.database, "devices", "revoke", device),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert revoke.returncode == 0, revoke.stderr
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            seat.sync()
        except client.Refused as error:
            assert "注销" in error.message
            break
        time.sleep(0.2)
    else:
        pytest.fail("the revoked seat still syncs")
    with seat.open() as store:
        again = client.register(store, central.url, "admin", PASSWORD, "重新注册")
    assert again["device_id"] != device  # a revoked id is never given out again


def _device_id(seat) -> str:
    with seat.open() as store:
        return store.device_id


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_a_second_server_process_answers_with_fresh_data(central, make_seat, tmp_path):
    other = CentralProcess(tmp_path / "second", central.database)
    (tmp_path / "second").mkdir()
    other.start()
    try:
        token = other.login("l2")  # logs in against the second process's own mirror
        seat = make_seat("a")
        with seat.open() as store:
            agent = signed_in(store, "a1")
            ticket = workflow.register(store, agent, draft())
            workflow.dispatch(store, agent, ticket.subject_id, "U2")
        seat.sync()  # pushed through the first process
        listed = httpx.get(
            f"{other.url}/v1/unit/tickets", headers={"Authorization": f"Bearer {token}"}
        )
        assert ticket.payload["number"] in [t["number"] for t in listed.json()["tickets"]]
    finally:
        other.stop()
