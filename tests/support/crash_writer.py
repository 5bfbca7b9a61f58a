"""Child process for the crash test: writes tickets as fast as it can until it is killed.

Prints ``<number>`` on its own line (flushed) after each registration has committed, and
dispatches and signs every other ticket so kills also land inside multi-event work.
"""

from __future__ import annotations

import sys

from store import Store
from store.directory import commands as d
from store.tickets import workflow


def main(path: str) -> None:
    store = Store.open(path)
    agent, liaison = d.get_actor(store.conn, "a1"), d.get_actor(store.conn, "l2")
    i = 0
    while True:
        i += 1
        draft = workflow.TicketDraft(
            content=f"第 {i} 次来电：小区附近工地夜间施工噪声扰民。",
            topic_code="0301",
            caller_phone=f"139{i % 100_000_000:08d}",
            type="complaint",
            district_code="D1",
        )
        event = workflow.register(store, agent, draft)
        print(event.payload["number"], flush=True)
        if i % 2:
            workflow.dispatch(store, agent, event.subject_id, "U2")
            workflow.sign(store, liaison, event.subject_id)


if __name__ == "__main__":
    main(sys.argv[1])
