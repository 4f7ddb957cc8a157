"""The cryptographic pieces of login: password hashing, random tokens and their hashes,
initial passwords, and the check that a `next` address stays on this site."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from functools import cache
from urllib.parse import urlsplit

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

# argon2id with the library's defaults (RFC 9106 "low memory" profile: 64 MiB, 3 passes).
# Read at each call, so the test suite can put a cheap one in its place (tests/conftest.py):
# a hash names its own cost, so each still verifies whichever hasher checks it.
password_hasher = PasswordHasher()

# Initial passwords are read off a screen and typed once: no letters that look alike (l, 1,
# o, 0, i), in groups of four. 16 of these 31 characters: about 79 bits.
INITIAL_PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
INITIAL_PASSWORD_GROUPS = 4

API_KEY_PREFIX = "isp_"
API_KEY_VISIBLE_CHARS = 12  # "isp_" and 8 random characters: enough to tell keys apart


def hash_password(password: str, *, hasher: PasswordHasher | None = None) -> str:
    return (hasher or password_hasher).hash(password)


@cache
def _dummy_hash(hasher: PasswordHasher) -> str:
    return hasher.hash(secrets.token_urlsafe(16))


def verify_password(
    password_hash: str | None, password: str, *, hasher: PasswordHasher | None = None
) -> bool:
    """True when the password matches. Without a hash (unknown user) a dummy hash is checked,
    so a wrong user name takes as long as a wrong password."""
    hasher = hasher or password_hasher
    try:
        return hasher.verify(password_hash or _dummy_hash(hasher), password) and bool(password_hash)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, *, hasher: PasswordHasher | None = None) -> bool:
    return (hasher or password_hasher).check_needs_rehash(password_hash)


def new_token() -> str:
    """A random token for cookies and forms: 256 bits, URL-safe."""
    return secrets.token_urlsafe(32)


def new_initial_password() -> str:
    """A random password for an account's first login, e.g. "k7qm-x3vd-9hte-pw2n"."""
    groups = (
        "".join(secrets.choice(INITIAL_PASSWORD_ALPHABET) for _ in range(4))
        for _ in range(INITIAL_PASSWORD_GROUPS)
    )
    return "-".join(groups)


def new_api_key() -> str:
    return API_KEY_PREFIX + secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """SHA-256 is enough for tokens this random: nobody can guess their way back."""
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_match(given: str | None, expected: str | None) -> bool:
    """Constant-time comparison; an empty or missing token never matches."""
    if not given or not expected:
        return False
    return hmac.compare_digest(given.encode(), expected.encode())


def safe_next(target: str | None, default: str) -> str:
    """`target` when it is a path on this site, else `default`: a login link must not send
    people on to another site (open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target
