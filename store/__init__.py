"""The seat store: the hotline's domain and its persistence.

Plain Python, no user interface: ``store`` never imports ``console``, ``central``,
``textual``, ``prompt_toolkit`` or ``rich`` (import-linter and a test check this).

- :mod:`store.core` — the event-log engine: :class:`Store`, migrations, the projector registry
- :mod:`store.directory` — units, desks, topics, reasons, agents, configuration, the calendar
- :mod:`store.tickets` — the ticket workflow, deadlines, numbers and what the screens read
- :mod:`store.kb` — the knowledge base and its search
- :mod:`store.shifts` — supervisors' shift handovers
- :mod:`store.calls` — calls as the telephone switch tells of them (接通率, 15 秒接通率)
- :mod:`store.training` — the training sandbox: its mark, scripted calls, scores
- :mod:`store.reports` — the watch's figures, the indicators and the bulletins
- :mod:`store.sync` — the seat's side of the sync protocol
- :mod:`store.services` — what every front end calls

Importing ``store`` registers every context's projections and configuration, once.
"""

from store.calls import projection as _calls  # noqa: F401
from store.core.errors import DomainError
from store.core.roles import Actor, Role
from store.core.seat import Store
from store.directory import config as _config  # noqa: F401  (registers the loader)
from store.directory import projection as _directory  # noqa: F401
from store.kb import learning as _kb_learning  # noqa: F401
from store.kb import projection as _kb  # noqa: F401
from store.shifts import projection as _shifts  # noqa: F401
from store.tickets import projection as _tickets  # noqa: F401
from store.training import projection as _training  # noqa: F401

__all__ = ["Actor", "DomainError", "Role", "Store"]
