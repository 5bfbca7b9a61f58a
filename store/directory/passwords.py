"""Agent passwords: stored only as argon2id hashes, and the login key a password gives.

A seat checks a password offline against the hash. The central server must also know
that an agent really logged in at a seat, without trusting the seat: the password also
derives an Ed25519 key pair (argon2id, with a salt of its own), whose public half is in the
directory. At login the seat signs "this agent, at this device, at this time" with the
private half, computed from the typed password and never stored; the server checks the
signature. A seat holding every hash still cannot sign for an agent whose password it does
not know."""

from __future__ import annotations

import base64
import hashlib

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from argon2.low_level import Type, hash_secret, hash_secret_raw
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

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


def _login_private_key(agent_id: str, password: str) -> Ed25519PrivateKey:
    salt = hashlib.sha256(f"hotline-login-key:{agent_id}".encode()).digest()[:16]
    seed = hash_secret_raw(
        password.encode(),
        salt,
        time_cost=_HASHER.time_cost,
        memory_cost=_HASHER.memory_cost,
        parallelism=_HASHER.parallelism,
        hash_len=32,
        type=Type.ID,
    )
    return Ed25519PrivateKey.from_private_bytes(seed)


def login_key(agent_id: str, password: str) -> str:
    """The public login key of ``agent_id``'s password (base64), kept in the directory."""
    public = _login_private_key(agent_id, password).public_key()
    return base64.b64encode(public.public_bytes(Encoding.Raw, PublicFormat.Raw)).decode()


def _statement(agent_id: str, device_id: str, at: str) -> bytes:
    return f"hotline-sign-in|{agent_id}|{device_id}|{at}".encode()


def sign_in_proof(agent_id: str, password: str, device_id: str, at: str) -> str:
    """The agent's signature over "logged in at ``device_id`` at ``at``" (base64)."""
    key = _login_private_key(agent_id, password)
    return base64.b64encode(key.sign(_statement(agent_id, device_id, at))).decode()


def verify_sign_in(public_key: str, agent_id: str, device_id: str, at: str, proof: str) -> bool:
    """True if ``proof`` is ``agent_id``'s signature for this device and time; never raises."""
    try:
        key = Ed25519PublicKey.from_public_bytes(base64.b64decode(public_key, validate=True))
        key.verify(base64.b64decode(proof, validate=True), _statement(agent_id, device_id, at))
    except (InvalidSignature, ValueError, TypeError):
        return False
    return True
