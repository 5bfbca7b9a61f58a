"""Agent passwords, stored only as argon2id hashes."""

from __future__ import annotations

import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret

# OWASP's recommended argon2id minimum (19 MiB, 2 passes, 1 lane): ~25 ms a hash, so a
# login never keeps an agent waiting, yet far too costly for bulk guessing.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


def hash_password(password: str, *, salt_seed: str | None = None) -> str:
    """Hash ``password``. ``salt_seed`` gives a reproducible salt (sample database only)."""
    if salt_seed is None:
        return _HASHER.hash(password)
    salt = hashlib.sha256(salt_seed.encode()).digest()[:16]
    return hash_secret(
        password.encode(),
        salt,
        time_cost=_HASHER.time_cost,
        memory_cost=_HASHER.memory_cost,
        parallelism=_HASHER.parallelism,
        hash_len=_HASHER.hash_len,
        type=Type.ID,
    ).decode()


def verify_password(stored_hash: str, password: str) -> bool:
    """True if ``password`` matches ``stored_hash``; never raises on a bad hash."""
    try:
        return _HASHER.verify(stored_hash, password)
    except (VerificationError, InvalidHashError):
        return False
