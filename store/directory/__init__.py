"""The directory: who and where — districts and streets, handling units in three levels,
specialist desks, the topic tree, not-accepted reasons, agents and their passwords — and the
city's configuration and working-day calendar, the dispatch catalogue, the pickers' lists.

Its commands (``store.directory.commands``) change it by events on the ``directory`` and
``config`` streams; its projection (``store.directory.projection``) keeps the tables.
"""

from store.directory.commands import (
    SEAT_ROLES,
    UNIT_KINDS,
    acting_agent,
    actor_of,
    authenticate,
    define_agent,
    define_desk,
    define_district,
    define_reason,
    define_street,
    define_topic,
    define_unit,
    get_actor,
    require_area,
    require_desk,
    require_reason,
    require_topic,
    require_unit,
    set_config,
    set_password,
    sign_in,
)

__all__ = [
    "SEAT_ROLES",
    "UNIT_KINDS",
    "acting_agent",
    "actor_of",
    "authenticate",
    "define_agent",
    "define_desk",
    "define_district",
    "define_reason",
    "define_street",
    "define_topic",
    "define_unit",
    "get_actor",
    "require_area",
    "require_desk",
    "require_reason",
    "require_topic",
    "require_unit",
    "set_config",
    "set_password",
    "sign_in",
]
