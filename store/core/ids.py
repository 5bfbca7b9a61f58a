"""UUIDv7 identifiers (RFC 9562): time-ordered, so events sort by creation time."""

from __future__ import annotations

import random
import secrets
import uuid
from datetime import datetime


def uuid7(when: datetime, rng: random.Random | None = None) -> str:
    """Return a UUIDv7 string whose timestamp is ``when``.

    ``rng`` makes ids reproducible (the sample database is built deterministically);
    without it the 74 random bits come from the operating system.
    """
    ms = int(when.timestamp() * 1000) & ((1 << 48) - 1)
    rand = rng.getrandbits(74) if rng is not None else secrets.randbits(74)
    rand_a = rand >> 62  # the top 12 random bits
    rand_b = rand & ((1 << 62) - 1)
    value = (ms << 80) | (0x7 << 76) | (rand_a << 64) | (0b10 << 62) | rand_b
    return str(uuid.UUID(int=value))
