"""The seat's sync client facing answers it cannot use: it says so and loses nothing."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from support.central_harness import signed_in
from support.lifecycle import draft

from store.sync import client, state
from store.tickets import workflow


class _Garbled(BaseHTTPRequestHandler):
    """Answers every request with 200 and JSON of the wrong shape (a server of some other
    version, or a proxy's page)."""

    def do_POST(self):  # noqa: N802 - the http.server API
        body = json.dumps({"results": "not a list", "events": 7}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def garbled_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Garbled)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_an_unusable_answer_is_reported_and_the_events_stay_queued(store, garbled_server):
    workflow.register(store, signed_in(store, "a1"), draft())
    before = store.unsent_count()
    state.put(store.conn, {state.SERVER_URL: garbled_server, state.DEVICE_TOKEN: "t"})
    with pytest.raises(client.Refused, match="中心应答无法使用"), client.connect(store) as link:
        client.run_round(store, link)
    status = state.status(store.conn)
    assert status.online is False and "中心应答无法使用" in status.last_error
    assert store.unsent_count() == before  # nothing marked sent, nothing lost
