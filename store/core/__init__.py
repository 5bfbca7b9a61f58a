"""The event-log engine: every change is an event appended to one SQLite log, and projections
(tables the screens read) are kept by handlers registered per event type.

This package knows nothing of tickets, units or the knowledge base: the contexts above it
(``store.directory``, ``store.kb``, ``store.tickets``) register their tables, their handlers and
their rules for who may emit what, and the core applies them.
"""
