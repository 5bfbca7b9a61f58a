"""The seat store: the hotline's domain and its persistence.

Plain Python, no user interface: ``store`` never imports ``console``, ``central``,
``textual`` or ``prompt_toolkit`` (a test checks this).

- :mod:`store.core.seat` — :class:`Store`, the SQLite event log with its projections
- :mod:`store.tickets.workflow` — every command of the ticket workflow
- :mod:`store.directory.commands` — units, desks, topics, reasons, agents, configuration
- :mod:`store.tickets.deadlines`, :mod:`store.directory.workdays` — time limits on the working-day calendar
- :mod:`store.tickets.read.queries`, :mod:`store.tickets.read.timeline` — what the screens read
- :mod:`store.core.rebuild` — replaying the log, checking the projections
"""

from store.core.errors import DomainError
from store.core.roles import Actor, Role
from store.core.seat import Store

__all__ = ["Actor", "DomainError", "Role", "Store"]
