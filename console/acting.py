"""Who runs a reference-data command from the command line (``hotline kb``, ``catalogue``).

On a seat of its own, the command runs locally as the system (an import is a batch job) or,
with ``--as``, as that agent. On a seat registered with a central server, it runs there:
``--as`` is required, and the agent logs in at the server with their password.
"""

from __future__ import annotations

import sys

from console.password_prompt import read_password
from console.text import say
from store import Actor, Role, Store
from store.services import reference, session
from store.services.sync import AgentSession, Offline, Refused


def acting(store: Store, agent_id: str | None) -> tuple[Actor, AgentSession | None] | None:
    """The actor and, on a registered seat, their session at the server; None (having said
    why on stderr) when the command cannot run."""
    online = reference.is_online_only(store)
    if agent_id is None:
        if online:
            say(f"{reference.ONLINE_ONLY}请用 --as 工号 登录。", file=sys.stderr)
            return None
        return Actor.system(), None
    password = read_password(agent_id)
    if password is None:
        return None
    if not online:
        return session.authenticate(store, agent_id, password), None
    try:
        online_session = AgentSession.for_seat(store, agent_id, password)
    except Refused as error:
        say(error.message, file=sys.stderr)
        return None
    except Offline as error:
        say(f"{error}：这项修改须联网办理，请稍后再试。", file=sys.stderr)
        return None
    return Actor(agent_id, Role(online_session.role or "agent")), online_session
