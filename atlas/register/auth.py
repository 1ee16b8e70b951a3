"""Admin login: password hashes and slowing down failed logins (pure functions, no Streamlit).

Hashing uses the standard library's ``hashlib.scrypt`` (memory-hard, salted; no extra dependency) in the
format ``scrypt$n$r$p$<salt b64>$<hash b64>``; ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` is
accepted as well. Comparison is constant-time (``hmac.compare_digest``). Users live in Streamlit secrets::

    [admin]
    users = { koordination = "scrypt$16384$8$1$…" }

A hash is made with ``atlas passwort-hash``. Plain-text passwords in the secrets are refused.

Failed logins are slowed down per user name *and* per browser session: after the n-th failure the next
attempt is allowed only after :func:`backoff_seconds` (1, 2, 4, … s, at most 15 minutes).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 900.0


def clock() -> float:
    """Seconds since the epoch; the one clock of the login throttle (tests replace it)."""
    return time.time()


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str, salt: bytes | None = None) -> str:
    """A salted scrypt hash of *password* in the format described above."""
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32)
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str) -> bool:
    """True when *password* matches the *stored* hash; False for a wrong password or an unknown format."""
    try:
        parts = stored.split("$")
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = int(parts[1]), int(parts[2]), int(parts[3])
            salt, expected = base64.b64decode(parts[4]), base64.b64decode(parts[5])
            digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=n, r=r, p=p, dklen=len(expected),
                                    maxmem=256 * 1024 * 1024)
        elif parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            salt, expected = base64.b64decode(parts[2]), base64.b64decode(parts[3])
            digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, int(parts[1]), len(expected))
        else:
            return False
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest, expected)


def is_hash(value: str) -> bool:
    return value.startswith(("scrypt$", "pbkdf2_sha256$"))


def users_from_secrets(admin: Mapping[str, object] | None) -> dict[str, str]:
    """User name → hash from the ``[admin]`` secrets section; entries that are not hashes are dropped."""
    if not admin:
        return {}
    users = admin.get("users") or {}
    if not isinstance(users, Mapping):
        return {}
    return {str(k): str(v) for k, v in users.items() if isinstance(v, str) and is_hash(v)}


def check_login(users: Mapping[str, str], name: str, password: str) -> bool:
    """True for a known user with the right password. Unknown users cost the same time as known ones."""
    stored = users.get(name.strip())
    if stored is None:
        verify_password(password, _DUMMY_HASH)
        return False
    return verify_password(password, stored)


def backoff_seconds(failures: int, base: float = BACKOFF_BASE_S, cap: float = BACKOFF_CAP_S) -> float:
    """Wait before the next attempt after *failures* consecutive failures: 0, 1, 2, 4, 8 … s, at most *cap*."""
    if failures <= 0:
        return 0.0
    return float(min(cap, base * 2 ** min(failures - 1, 40)))


@dataclass
class LoginThrottle:
    """Consecutive failures per key (user name or session id) and the time of the last one.

    Time is passed in (``now``, seconds), so the logic is testable without waiting.
    """

    failures: dict[str, int] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait_remaining(self, keys: tuple[str, ...], now: float) -> float:
        """Seconds until an attempt for any of *keys* is allowed again (0 = allowed now)."""
        with self._lock:
            waits = [self.last.get(k, 0.0) + backoff_seconds(self.failures.get(k, 0)) - now for k in keys]
        return max(0.0, *waits)

    def record_failure(self, keys: tuple[str, ...], now: float) -> None:
        with self._lock:
            for key in keys:
                self.failures[key] = self.failures.get(key, 0) + 1
                self.last[key] = now

    def record_success(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                self.failures.pop(key, None)
                self.last.pop(key, None)


_DUMMY_HASH = hash_password("dummy-password-for-timing", salt=b"0123456789abcdef")
