"""Sync with the central server: the wire format and the seat's side of the protocol.

``store.sync.client`` runs a round; ``outbox`` and ``inbox`` record what the server said;
``state`` keeps the link's status for the console's status line.
"""
