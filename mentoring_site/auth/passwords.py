"""Curator passwords: argon2id hashes and rules after NIST SP 800-63B.

Long passphrases (Russian welcome) instead of composition rules; no password that is easy
to guess whatever its length (``blocklist``: common passwords, the school's own words,
keyboard walks, sequences, repetitions). werkzeug's default scrypt parameters are below
OWASP's minimum, hence argon2id through argon2-cffi.
"""

from __future__ import annotations

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError

from .blocklist import guessable

MIN_LENGTH = 15
#: With a one-time code from a phone as well, a password need not be as long (SP 800-63B).
MIN_LENGTH_WITH_SECOND_FACTOR = 8
MAX_LENGTH = 256

#: argon2id with RFC 9106's low-memory profile (t=3, 64 MiB, p=4): argon2-cffi's defaults.
PRODUCTION_PARAMETERS = profiles.RFC_9106_LOW_MEMORY

#: The hasher that makes new hashes. The test suite swaps it for a cheap one
#: (tests/conftest.py), as hashing at the production cost was a third of its run; nothing
#: else should. Verifying reads the parameters from the hash itself, so hashes made before a
#: swap still verify.
hasher = PasswordHasher.from_parameters(PRODUCTION_PARAMETERS)


def min_length(*, has_second_factor: bool = False) -> int:
    return MIN_LENGTH_WITH_SECOND_FACTOR if has_second_factor else MIN_LENGTH


def password_problems(password: str, *, login: str = "", school_name: str = "",
                      has_second_factor: bool = False) -> list[str]:
    """Russian messages saying what is wrong; an empty list means the password is fine.

    ``has_second_factor``: the account also asks for a code from a phone app, so a
    shorter password will do; the blocklist applies all the same.
    """
    problems = []
    shortest = min_length(has_second_factor=has_second_factor)
    if len(password) < shortest:
        problems.append(
            f"Пароль слишком короткий: нужно не меньше {shortest} символов. "
            "Удобно взять фразу из нескольких слов, например строчку из стихотворения."
        )
    if len(password) > MAX_LENGTH:
        problems.append(f"Пароль длиннее {MAX_LENGTH} символов.")
    reason = guessable(password, login=login, school_name=school_name)
    if reason:
        problems.append(reason)
    return problems


def hash_password(password: str) -> str:
    return hasher.hash(password)


#: Hashes of a throwaway password, one per set of parameters (see ``dummy_hash``).
_dummy_hashes: dict[tuple[int, int, int, int, int], str] = {}


def dummy_hash() -> str:
    """A hash to verify when the login is unknown, so both answers take the same time.

    Made on first use, not at import (0.36 s of every worker's start), with the hasher's
    parameters of the moment, so it costs what the accounts' hashes cost; kept afterwards.
    The login asks for it before looking at the account, so the one-time cost falls on the
    first attempt whatever the login and tells nothing about it.
    """
    key = (hasher.time_cost, hasher.memory_cost, hasher.parallelism, hasher.hash_len,
           hasher.salt_len)
    found = _dummy_hashes.get(key)
    if found is None:
        found = _dummy_hashes[key] = hasher.hash("mentoring-dummy-password-for-timing")
    return found


def verify_password(password_hash: str, password: str) -> bool:
    try:
        return hasher.verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False
