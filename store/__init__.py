"""The seat store: the hotline's domain and its persistence.

Plain Python, no user interface: ``store`` never imports ``console``, ``central``,
``textual`` or ``prompt_toolkit`` (a test checks this).

- :mod:`store.seat` — :class:`Store`, the SQLite event log with its projections
- :mod:`store.workflow` — every command of the ticket workflow
- :mod:`store.directory` — units, desks, topics, reasons, agents, configuration
- :mod:`store.deadlines`, :mod:`store.workdays` — time limits on the working-day calendar
- :mod:`store.queries`, :mod:`store.timeline` — what the screens read
- :mod:`store.rebuild` — replaying the log, checking the projections
"""

from store.errors import DomainError
from store.roles import Actor, Role
from store.seat import Store

__all__ = ["Actor", "DomainError", "Role", "Store"]
