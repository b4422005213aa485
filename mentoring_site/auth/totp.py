"""One-time codes from a phone app (RFC 6238 TOTP: HMAC-SHA1, 6 digits, 30 seconds).

The stdlib is enough for the algorithm, so no third-party OTP library stands between the
curator and her account. A code is accepted one step early or late (phone clocks drift),
and ``verify`` returns the step it matched: the caller stores it, and a code of that step
or any earlier one is refused afterwards, so a code seen over a shoulder cannot be replayed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import struct
from urllib.parse import quote

from .. import clock

STEP_SECONDS = 30
DIGITS = 6
#: Steps accepted either side of the current one.
WINDOW = 1
SECRET_BYTES = 20  # 160 bits, the HMAC-SHA1 block RFC 4226 recommends


def new_secret() -> str:
    """A fresh base32 secret (32 letters and digits, no padding)."""
    return base64.b32encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii").rstrip("=")


def secret_bytes(secret: str) -> bytes:
    """The key behind a base32 secret; spaces and letter case, as people type it, ignored."""
    text = re.sub(r"[\s-]+", "", secret).upper()
    return base64.b32decode(text + "=" * (-len(text) % 8))


def hotp(key: bytes, counter: int, digits: int = DIGITS) -> str:
    """RFC 4226: the code for one counter value (TOTP's counter is the time step)."""
    mac = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = mac[-1] & 0x0F
    number = struct.unpack(">I", mac[offset:offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def current_step(now: float | None = None) -> int:
    return int((clock.epoch_seconds() if now is None else now) // STEP_SECONDS)


def code_at(secret: str, step: int) -> str:
    return hotp(secret_bytes(secret), step)


def normalize_code(code: str) -> str | None:
    """«123 456», «123-456» or «123456» -> «123456»; anything else -> None."""
    digits = re.sub(r"[\s\u00a0-]+", "", code or "")
    return digits if re.fullmatch(rf"[0-9]{{{DIGITS}}}", digits) else None


def verify(secret: str, code: str, *, last_step: int | None, now: float | None = None
           ) -> int | None:
    """The step the code belongs to, or None: wrong, malformed, or already used.

    Every candidate step is compared in constant time, so the answer's timing does not
    tell which step (if any) came close.
    """
    typed = normalize_code(code)
    if typed is None:
        return None
    key = secret_bytes(secret)
    here = current_step(now)
    matched = None
    for step in range(here - WINDOW, here + WINDOW + 1):
        fresh = last_step is None or step > last_step
        if hmac.compare_digest(hotp(key, step), typed) and fresh:
            matched = step
    return matched


def grouped(secret: str) -> str:
    """The secret in groups of four, easier to type from the screen into a phone."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def provisioning_uri(secret: str, *, login: str, issuer: str) -> str:
    """The otpauth:// address a phone app reads from the QR code (Key Uri Format).

    The label is «issuer:login» with a literal colon, so neither part may hold one.
    """
    issuer, login = issuer.replace(":", " ").strip(), login.replace(":", " ").strip()
    label = f"{quote(issuer, safe='')}:{quote(login, safe='')}"
    return (f"otpauth://totp/{label}?secret={secret}&issuer={quote(issuer, safe='')}"
            f"&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}")
