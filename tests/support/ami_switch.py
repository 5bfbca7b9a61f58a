"""A stand-in for an Asterisk switch: a manager-interface (AMI) server on 127.0.0.1 that
speaks the real protocol — the ``Asterisk Call Manager/…`` banner, ``Action: Login`` answered
``Response: Success`` (or ``Error`` for a wrong secret), ``Action: Ping`` answered, events as
``Key: Value`` lines ending in a blank line — and plays scripted call flows to every client
logged in. No PBX can be installed on these machines; this is the only double in the suite.

It runs on a thread of its own (its own event loop), so a Pilot test on another loop, a
bench or a person in tmux can drive it alike:

    python tests/support/ami_switch.py --port 5038 --secret s3cret --answer 13812345678
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import threading
import time

BANNER = b"Asterisk Call Manager/5.0.1\r\n"
_ids = itertools.count(1)


def message(fields: dict[str, object]) -> bytes:
    return ("".join(f"{k}: {v}\r\n" for k, v in fields.items()) + "\r\n").encode()


class AmiSwitch:
    """The double: ``start()``, ``play(events)``, ``drop()``, ``stop()``."""

    def __init__(self, username: str = "seat", secret: str = "s3cret", port: int = 0):
        self.username, self.secret, self.port = username, secret, port
        self.logins = 0  # successful logins so far
        self.refused = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._server: asyncio.Server | None = None
        self._clients: set[asyncio.StreamWriter] = set()
        self._thread: threading.Thread | None = None

    # running --------------------------------------------------------------------------
    def start(self) -> AmiSwitch:
        """Listen (on the same port as before, after a ``stop``)."""
        ready = threading.Event()

        def serve() -> None:
            self._loop = asyncio.new_event_loop()
            self._server = self._loop.run_until_complete(
                asyncio.start_server(self._client, "127.0.0.1", self.port)
            )
            self.port = self._server.sockets[0].getsockname()[1]
            ready.set()
            self._loop.run_forever()
            self._loop.close()

        self._thread = threading.Thread(target=serve, daemon=True)
        self._thread.start()
        ready.wait(10)
        return self

    def stop(self) -> None:
        """The switch goes away: every connection closed, nothing listening."""
        if self._loop is None:
            return

        async def shut() -> None:
            self._server.close()
            for writer in list(self._clients):
                writer.close()
            self._clients.clear()

        asyncio.run_coroutine_threadsafe(shut(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop = None

    def drop(self) -> None:
        """Close every client's connection (the switch restarts), still listening."""

        async def close_all() -> None:
            for writer in list(self._clients):
                writer.close()
            self._clients.clear()

        asyncio.run_coroutine_threadsafe(close_all(), self._loop).result(10)

    @property
    def clients(self) -> int:
        """Clients logged in now."""
        return len(self._clients)

    def play(self, events: list[dict[str, object]], gap_s: float = 0.0) -> None:
        """Send ``events`` to every logged-in client, ``gap_s`` apart."""

        async def send() -> None:
            for fields in events:
                for writer in list(self._clients):
                    writer.write(message(fields))
                    await writer.drain()
                if gap_s:
                    await asyncio.sleep(gap_s)

        asyncio.run_coroutine_threadsafe(send(), self._loop).result(60 + gap_s * len(events))

    def send_raw(self, data: bytes) -> None:
        """Send bytes as they are to every logged-in client (a broken or hostile switch)."""

        async def send() -> None:
            for writer in list(self._clients):
                writer.write(data)
                await writer.drain()

        asyncio.run_coroutine_threadsafe(send(), self._loop).result(60)

    async def _client(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(BANNER)
        try:
            while True:
                raw = await reader.readuntil(b"\r\n\r\n")
                fields = dict(
                    line.split(": ", 1) for line in raw.decode().split("\r\n") if ": " in line
                )
                action, aid = fields.get("Action", ""), fields.get("ActionID", "")
                if action == "Login":
                    if (
                        fields.get("Username") == self.username
                        and fields.get("Secret") == self.secret
                    ):
                        self.logins += 1
                        writer.write(
                            message(
                                {
                                    "Response": "Success",
                                    "ActionID": aid,
                                    "Message": "Authentication accepted",
                                }
                            )
                        )
                        writer.write(message({"Event": "FullyBooted", "Status": "Fully Booted"}))
                        self._clients.add(writer)
                    else:
                        self.refused += 1
                        writer.write(
                            message(
                                {
                                    "Response": "Error",
                                    "ActionID": aid,
                                    "Message": "Authentication failed",
                                }
                            )
                        )
                elif action == "Ping":
                    writer.write(message({"Response": "Success", "ActionID": aid, "Ping": "Pong"}))
                elif action == "Logoff":
                    writer.write(message({"Response": "Goodbye", "ActionID": aid}))
                    break
                await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            self._clients.discard(writer)
            writer.close()


# scripted call flows ----------------------------------------------------------------------


def call_ids() -> tuple[str, str]:
    """A new call's caller channel id (its Linkedid too) and the agent leg's."""
    n = next(_ids)
    base = f"{int(time.time())}.{n * 2}"
    return base, f"{int(time.time())}.{n * 2 + 1}"


def _caller(uid: str, number: str) -> dict[str, object]:
    return {
        "Channel": f"SIP/trunk-{uid[-6:]}",
        "Uniqueid": uid,
        "Linkedid": uid,
        "CallerIDNum": number,
        "CallerIDName": "<unknown>",
    }


def joined(uid: str, number: str, queue: str = "12345") -> list[dict[str, object]]:
    """A call arrives and enters the queue."""
    return [
        {"Event": "Newchannel", "ChannelState": "0", "Exten": "12345", **_caller(uid, number)},
        {
            "Event": "QueueCallerJoin",
            "Queue": queue,
            "Position": "1",
            "Count": "1",
            **_caller(uid, number),
        },
    ]


def answered(
    uid: str,
    agent_uid: str,
    number: str,
    member: str = "SIP/8001",
    hold: int = 6,
    queue: str = "12345",
) -> list[dict[str, object]]:
    """It rings at ``member`` and is answered after ``hold`` seconds in the queue."""
    agent = {
        "Interface": member,
        "MemberName": member.split("/")[-1],
        "Queue": queue,
        "DestChannel": f"{member}-0001",
        "DestUniqueid": agent_uid,
    }
    return [
        {"Event": "AgentCalled", **agent, **_caller(uid, number)},
        {"Event": "QueueCallerLeave", "Queue": queue, "Count": "0", **_caller(uid, number)},
        {
            "Event": "AgentConnect",
            **agent,
            "HoldTime": str(hold),
            "RingTime": "2",
            **_caller(uid, number),
        },
    ]


def completed(
    uid: str,
    number: str,
    member: str = "SIP/8001",
    talk: int = 95,
    reason: str = "caller",
    queue: str = "12345",
) -> list[dict[str, object]]:
    """The member's part ends (``reason`` transfer for a transfer), then the caller's channel."""
    done = [
        {
            "Event": "AgentComplete",
            "Interface": member,
            "MemberName": member.split("/")[-1],
            "Queue": queue,
            "HoldTime": "6",
            "TalkTime": str(talk),
            "Reason": reason,
            **_caller(uid, number),
        }
    ]
    if reason != "transfer":
        done.append(
            {
                "Event": "Hangup",
                "Cause": "16",
                "Cause-txt": "Normal Clearing",
                **_caller(uid, number),
            }
        )
    return done


def abandoned(
    uid: str, number: str, hold: int = 40, queue: str = "12345"
) -> list[dict[str, object]]:
    """The caller hangs up while waiting in the queue."""
    return [
        {
            "Event": "QueueCallerAbandon",
            "Queue": queue,
            "Position": "1",
            "OriginalPosition": "1",
            "HoldTime": str(hold),
            **_caller(uid, number),
        },
        {"Event": "Hangup", "Cause": "16", "Cause-txt": "Normal Clearing", **_caller(uid, number)},
    ]


def main() -> None:  # pragma: no cover - a person's tool
    parser = argparse.ArgumentParser(description="AMI 交换机替身：演示弹屏")
    parser.add_argument("--port", type=int, default=5038)
    parser.add_argument("--user", default="seat")
    parser.add_argument("--secret", default="s3cret")
    parser.add_argument("--member", default="SIP/8001")
    parser.add_argument("--answer", action="append", default=[], help="接通这些号码的来电")
    parser.add_argument("--abandon", action="append", default=[], help="这些号码排队后放弃")
    parser.add_argument("--every", type=float, default=20.0, help="每隔几秒来一个电话")
    args = parser.parse_args()
    switch = AmiSwitch(args.user, args.secret, args.port).start()
    print(f"AMI 替身监听 127.0.0.1:{switch.port}", flush=True)
    while not switch.clients:
        time.sleep(0.2)
    for number in args.abandon:
        uid, _ = call_ids()
        switch.play(joined(uid, number) + abandoned(uid, number))
    for number in args.answer:
        time.sleep(args.every)
        uid, agent_uid = call_ids()
        switch.play(joined(uid, number) + answered(uid, agent_uid, number, args.member))
        print(f"已接通 {number[:3]}****{number[-4:]}", flush=True)
    while True:
        time.sleep(3600)


if __name__ == "__main__":  # pragma: no cover
    main()
