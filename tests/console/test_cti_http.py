"""The generic HTTP contract, posted to with real requests: a switch that is not Asterisk
tells the seat of its calls, and the answered one pops on the intake screen."""

from __future__ import annotations

import os
import socket

import httpx
from support.lifecycle import MutableClock
from support.pilot import PHONE, ready, stored, text_of, until
from textual.widgets import Input

from console.app import HotlineApp

TOKEN = "a-long-seat-token-0017"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _settings(tmp_path, port):
    path = tmp_path / "cti.toml"
    path.write_text(
        f'[http]\nlisten = "127.0.0.1:{port}"\ntoken = "{TOKEN}"\nextension = "8017"\n',
        encoding="utf-8",
    )
    os.chmod(path, 0o600)
    return path


async def test_the_contract_pops_the_call_and_refuses_what_it_cannot_read(db_path, tmp_path):
    port = _free_port()
    app = HotlineApp(
        db_path,
        clock=MutableClock(),
        login=("a1", "secret-1"),
        cti_file=_settings(tmp_path, port),
    )
    url = f"http://127.0.0.1:{port}/cti"
    async with app.run_test(size=(160, 48)) as pilot:
        await ready(app, pilot)
        await until(pilot, lambda: "话机：已连接" in app.sub_title, "listening")
        async with httpx.AsyncClient() as client:

            async def post(**kwargs):
                return await client.post(url, **kwargs)

            new = {
                "event": "newCall",
                "from": PHONE,
                "to": "12345",
                "direction": "in",
                "callId": "zx-0001",
                "token": TOKEN,
            }
            assert (await post(data=new)).status_code == 200
            answer = {"event": "answer", "callId": "zx-0001", "answeringNumber": "8017"}
            reply = await post(json=answer, headers={"Authorization": f"Bearer {TOKEN}"})
            assert reply.status_code == 200 and reply.json() == {}
            await until(
                pilot,
                lambda: app.screen.query_one("#caller_phone", Input).value == PHONE,
                "the popped number",
            )
            assert "139****5678" in text_of(app, "#call-info")

            wrong = await post(data={**new, "token": "guess"})
            assert wrong.status_code == 401 and "令牌不对" in wrong.json()["error"]
            assert "guess" not in wrong.text
            bad = await client.post(
                url + f"?token={TOKEN}",
                content=b"{not json",
                headers={"Content-Type": "application/json"},
            )
            assert bad.status_code == 400 and "JSON" in bad.json()["error"]
            odd = await post(data={"event": "ring", "callId": "x", "token": TOKEN})
            assert odd.status_code == 400 and "newCall" in odd.json()["error"]
            big = await post(data={"event": "newCall", "from": "1" * 70_000, "token": TOKEN})
            assert big.status_code == 413
            assert (await client.get(url)).status_code == 405

            # a call nobody answered: the caller hung up while it rang
            lost = {
                "event": "newCall",
                "from": "051268001234",
                "direction": "in",
                "callId": "zx-0002",
                "token": TOKEN,
            }
            await post(data=lost)
            await post(
                data={"event": "hangup", "callId": "zx-0002", "cause": "cancel", "token": TOKEN}
            )
            await post(
                data={
                    "event": "hangup",
                    "callId": "zx-0001",
                    "cause": "normalClearing",
                    "token": TOKEN,
                }
            )

        async def rows():
            return await app.backend.call(
                lambda s: {r["id"]: dict(r) for r in s.conn.execute("SELECT * FROM calls")}
            )

        found = await stored(
            pilot, rows, lambda r: r.get("zx-0001", {}).get("ended_at"), "the call's end"
        )
        assert found["zx-0001"]["answered_at"] and found["zx-0001"]["ended_at"]
        # an agent's seat does not record the queue's abandoned calls (record_queue is off)
        assert "zx-0002" not in found
        assert app.screen.query_one("#caller_phone", Input).value == PHONE  # still there
