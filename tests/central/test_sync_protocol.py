"""The sync protocol against the real central server, once on SQLite and once on PostgreSQL."""

from __future__ import annotations

import os
import subprocess
import threading

import httpx
from support.central_harness import PASSWORD, ROOT, check_invariants, hotline_command, signed_in
from support.lifecycle import draft

from store.sync import outbox
from store.tickets import workflow
from store.tickets.numbers import LEASED_MAX
from store.tickets.read.queries import get_ticket


def _register_ticket(seat, agent="a1", **overrides) -> tuple[str, str]:
    with seat.open() as store:
        event = workflow.register(store, signed_in(store, agent), draft(**overrides))
        return event.subject_id, event.payload["number"]


def test_only_health_and_the_openapi_description_are_open(central, make_seat):
    spec = httpx.get(f"{central.url}/openapi.json").json()
    assert {"/v1/sync/push", "/v1/sync/pull", "/v1/unit/tickets"} <= set(spec["paths"])
    anonymous = httpx.post(f"{central.url}/v1/sync/pull", json={"cursors": {}})
    assert anonymous.status_code == 401
    assert "登录凭据" in anonymous.json()["detail"]
    forged = httpx.post(
        f"{central.url}/v1/sync/pull", json={}, headers={"Authorization": "Bearer forged"}
    )
    assert forged.status_code == 401
    # An agent's session is not a device: it cannot sync.
    agent = central.login("a1")
    as_agent = httpx.post(
        f"{central.url}/v1/sync/pull", json={}, headers={"Authorization": f"Bearer {agent}"}
    )
    assert as_agent.status_code == 403


def test_wrong_password_and_wrong_role_are_refused_in_chinese(central):
    wrong = httpx.post(
        f"{central.url}/v1/sessions", json={"agent_id": "admin", "password": "guess"}
    )
    assert wrong.status_code == 401 and wrong.json()["detail"] == "工号或密码错误。"
    agent = central.login("a1")
    refused = httpx.post(
        f"{central.url}/v1/devices",
        json={"name": "x"},
        headers={"Authorization": f"Bearer {agent}"},
    )
    assert refused.status_code == 403 and "不能注册座席" in refused.json()["detail"]


def test_a_ticket_registered_on_one_seat_reaches_another(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    ticket_id, number = _register_ticket(a)
    report = a.sync()
    assert report.pushed == 1 and report.rejected == 0
    b.sync()
    with b.open() as store:
        assert get_ticket(store.conn, number)["id"] == ticket_id
    check_invariants(central, [a, b])


def test_a_repeated_push_gets_the_first_answer_and_stores_nothing_twice(central, make_seat):
    a = make_seat("a")
    _register_ticket(a)
    _register_ticket(a)
    with a.open() as store:
        batch = outbox.pending_batch(store.conn)
        sign_ins = outbox.pending_sign_ins(store.conn)
    headers = {"Authorization": f"Bearer {a.token()}"}
    url = f"{central.url}/v1/sync/push"
    answers: list[dict] = []

    def push() -> None:
        body = {"events": batch, "sign_ins": sign_ins}
        answers.append(httpx.post(url, json=body, headers=headers).json())

    threads = [threading.Thread(target=push) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    push()  # and once more, later: a replay
    assert all(answer == answers[0] for answer in answers)
    assert [r["status"] for r in answers[0]["results"]] == ["accepted", "accepted"]
    ids = [r["id"] for r in central.log()]
    assert sum(1 for e in batch if e["id"] in ids) == 2
    check_invariants(central, [a])


def test_two_seats_moving_one_ticket_offline_the_first_wins(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    ticket_id, number = _register_ticket(a)
    a.sync()
    b.sync()
    # Both offline now: A sends it to a desk, B dispatches it to a unit.
    with a.open() as store:
        workflow.transfer_desk(store, signed_in(store, "a1"), ticket_id, "YSHJ")
    with b.open() as store:
        workflow.dispatch(store, signed_in(store, "s1"), ticket_id, "U2")
    _, later = _register_ticket(b)  # B goes on working after the doomed dispatch
    assert a.sync().rejected == 0
    report = b.sync()
    assert report.rejected == 1
    with b.open() as store:
        assert get_ticket(store.conn, number)["state"] == "at_desk"  # the server's outcome
        assert get_ticket(store.conn, later)  # the queue was not blocked
        rejected = outbox.rejected_events(store.conn)
    assert [r.type for r in rejected] == ["ticket.dispatched"]
    assert "已被其他座席先行处理" in rejected[0].reason
    assert rejected[0].ticket_number == number
    check_invariants(central, [a, b])


def test_notes_on_one_ticket_from_two_offline_seats_both_land(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    ticket_id, _ = _register_ticket(a)
    a.sync()
    b.sync()
    for seat, agent in ((a, "a1"), (b, "s1")):
        with seat.open() as store:
            workflow.note(store, signed_in(store, agent), ticket_id, f"{agent} 的备注")
    assert a.sync().rejected == 0 and b.sync().rejected == 0
    notes = [r for r in central.log() if r["type"] == "ticket.noted"]
    assert len(notes) == 2
    check_invariants(central, [a, b])


def test_streams_are_decided_by_the_server_not_the_seat(central, make_seat):
    seat = make_seat("seat")
    _register_ticket(seat)
    seat.sync()
    editor = make_seat("editor", profile="reference")
    headers = {"Authorization": f"Bearer {editor.token()}"}
    page = httpx.post(
        f"{central.url}/v1/sync/pull",
        json={"cursors": {"ticket": 0, "kb": 0}, "limit": 2000},
        headers=headers,
    ).json()
    assert "ticket" not in page["streams"]
    assert {e["stream"] for e in page["events"]} <= {"kb", "directory", "config"}
    # Nor may it write tickets.
    _register_ticket(editor, agent="a1")
    assert editor.sync().rejected == 1
    with editor.open() as store:
        assert "不能提交ticket事件" in outbox.rejected_events(store.conn)[0].reason


def test_malformed_requests_get_clear_chinese_answers(central, make_seat):
    seat = make_seat("a")
    headers = {"Authorization": f"Bearer {seat.token()}"}
    url = central.url
    not_json = httpx.post(f"{url}/v1/sync/push", content=b"{oops", headers=headers)
    assert not_json.status_code == 422 and "请求格式错误" in not_json.json()["detail"]
    bad_cursor = httpx.post(
        f"{url}/v1/sync/pull", json={"cursors": {"ticket": -3}}, headers=headers
    )
    assert bad_cursor.status_code == 422 and "游标" in bad_cursor.json()["detail"]
    _register_ticket(seat)
    with seat.open() as store:
        good = outbox.pending_batch(store.conn)[0]
        sign_ins = outbox.pending_sign_ins(store.conn)
    forged_role = {**good, "id": good["id"][:-4] + "beef", "actor_role": "supervisor"}
    huge = {**good, "id": good["id"][:-4] + "cafe", "payload": {"content": "投" * 100_000}}
    items = [42, {"id": "x"}, forged_role, huge, good]
    body = {"events": items, "sign_ins": sign_ins}
    results = httpx.post(f"{url}/v1/sync/push", json=body, headers=headers).json()
    statuses = [r["status"] for r in results["results"]]
    assert statuses == ["rejected", "rejected", "rejected", "rejected", "accepted"]
    reasons = [r.get("reason", "") for r in results["results"]]
    assert "JSON 对象" in reasons[0] and "角色" in reasons[2] and "过大" in reasons[3]
    check_invariants(central, [seat])


def test_ticket_numbers_come_from_leased_blocks_that_never_overlap(central, make_seat):
    a, b = make_seat("a"), make_seat("b")  # registering ran a round: both hold leases
    numbers = [_register_ticket(s)[1] for s in (a, b, a, b)]
    assert len(set(numbers)) == 4
    assert all(int(n[6:13]) <= LEASED_MAX for n in numbers)  # leased, not the offline range
    day = numbers[0][:6]
    for seat in (a, b):
        seat.sync()
    with a.open() as store:
        blocks = store.conn.execute("SELECT next, last FROM number_leases").fetchall()
    assert blocks and all(last <= LEASED_MAX for _, last in blocks)
    assert {n[:6] for n in numbers} == {day}
    check_invariants(central, [a, b])


def test_a_liaison_works_a_ticket_over_http_with_hotline_unit(central, make_seat):
    seat = make_seat("a")
    ticket_id, number = _register_ticket(seat)
    with seat.open() as store:
        workflow.dispatch(store, signed_in(store, "a1"), ticket_id, "U2")
    seat.sync()
    env = {**os.environ, "HOTLINE_PASSWORD": PASSWORD, "HOTLINE_SERVER": central.url}

    def unit(*args: str, agent: str = "l2") -> subprocess.CompletedProcess:
        command = hotline_command("unit", "--as", agent, *args)
        return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)

    listed = unit("list")
    assert listed.returncode == 0 and number[:6] in listed.stdout and "待签收" in listed.stdout
    assert "13812345678" not in unit("show", number).stdout  # the caller's phone never leaves
    assert unit("sign", number).returncode == 0
    reply = unit("reply", number, "--text", "已督促商户安装油烟净化器。", "--basis", "现场核查")
    assert reply.returncode == 0, reply.stderr
    other = unit("show", number, agent="l3")
    assert other.returncode == 1 and other.stderr.strip()  # another unit's ticket: refused
    wrong = subprocess.run(
        hotline_command("unit", "--as", "l2", "list"),
        cwd=ROOT,
        env={**env, "HOTLINE_PASSWORD": "nope"},
        capture_output=True,
        text=True,
    )
    assert wrong.returncode == 1 and "工号或密码错误" in wrong.stderr
    seat.sync()
    with seat.open() as store:
        assert get_ticket(store.conn, number)["state"] == "replied"
    check_invariants(central, [seat])


def test_an_event_by_a_liaison_pushed_from_a_seat_is_refused(central, make_seat):
    seat = make_seat("a")
    ticket_id, _ = _register_ticket(seat)
    with seat.open() as store:
        workflow.dispatch(store, signed_in(store, "a1"), ticket_id, "U2")
        workflow.sign(store, signed_in(store, "l2"), ticket_id)
    assert seat.sync().rejected == 1
    with seat.open() as store:
        assert "单位接口" in outbox.rejected_events(store.conn)[0].reason
        assert (
            store.conn.execute("SELECT state FROM tickets WHERE id = ?", (ticket_id,)).fetchone()[0]
            == "dispatched"
        )
    check_invariants(central, [seat])


def test_a_seat_pushing_another_registered_seats_events_is_refused(central, make_seat):
    a, b = make_seat("a"), make_seat("b")
    _register_ticket(a)
    with a.open() as store:
        stolen = outbox.pending_batch(store.conn)
    answer = httpx.post(
        f"{central.url}/v1/sync/push",
        json={"events": stolen},
        headers={"Authorization": f"Bearer {b.token()}"},
    ).json()
    assert answer["results"][0]["status"] == "rejected"
    assert "另一台" in answer["results"][0]["reason"]
    # B's attempt does not spoil A's own push.
    assert a.sync().rejected == 0
    check_invariants(central, [a, b])
