"""Admin login: password hashes and slowing down failed logins (pure functions, no Streamlit).

Hashing uses the standard library's ``hashlib.scrypt`` (memory-hard, salted; no extra dependency) in the
format ``scrypt$n$r$p$<salt b64>$<hash b64>``; ``pbkdf2_sha256$<iterations>$<salt b64>$<hash b64>`` is
accepted as well. Comparison is constant-time (``hmac.compare_digest``). Users live in Streamlit secrets::

    [admin]
    users = { koordination = "scrypt$16384$8$1$…" }

A hash is made with ``atlas passwort-hash``. Plain-text passwords in the secrets are refused.

Failed logins are slowed down (:class:`LoginThrottle`):

* per browser session: after the n-th failure the next attempt only after :func:`backoff_seconds`
  (1, 2, 4, … s, at most 15 minutes);
* per account: the same, but capped at :data:`ACCOUNT_CAP_S` – an attacker can slow the owner down, not
  lock them out;
* globally: more than ``global_limit`` failures within ``global_window`` seconds (password spraying: many
  names from many sessions) allow only one attempt per ``global_interval`` seconds for everyone – slower,
  never closed.

An attempt is *reserved* before the password is checked (:meth:`LoginThrottle.attempt` counts it as a
failure until :meth:`LoginThrottle.succeeded` says otherwise), all under one lock: parallel submits cannot
slip through a lockout between "is it allowed?" and "it failed".
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import threading
import time
from collections import deque
from collections.abc import Mapping
from dataclasses import dataclass, field

SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 900.0
#: Longest wait per account (seconds).
ACCOUNT_CAP_S = 60.0
GLOBAL_LIMIT, GLOBAL_WINDOW_S, GLOBAL_INTERVAL_S = 10, 300.0, 5.0


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
    """Failures per key (``user:<name>``, ``session:<id>``) and site-wide (see module docstring).

    Time is passed in (``now``, seconds), so the logic is testable without waiting. Use
    :meth:`attempt` before checking a password, then :meth:`failed` or :meth:`succeeded`.
    """

    failures: dict[str, int] = field(default_factory=dict)
    last: dict[str, float] = field(default_factory=dict)
    account_cap: float = ACCOUNT_CAP_S
    global_limit: int = GLOBAL_LIMIT
    global_window: float = GLOBAL_WINDOW_S
    global_interval: float = GLOBAL_INTERVAL_S
    recent: deque[float] = field(default_factory=deque)
    next_global: float = 0.0
    pending: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _cap(self, key: str) -> float:
        return self.account_cap if key.startswith("user:") else BACKOFF_CAP_S

    def _key_waits(self, keys: tuple[str, ...], now: float) -> float:
        waits = [self.last.get(k, 0.0) + backoff_seconds(self.failures.get(k, 0), cap=self._cap(k)) - now
                 for k in keys]
        return max(0.0, *waits)

    def _prune(self, now: float) -> None:
        while self.recent and self.recent[0] <= now - self.global_window:
            self.recent.popleft()

    def wait_remaining(self, keys: tuple[str, ...], now: float) -> float:
        """Seconds until an attempt for any of *keys* is allowed again (0 = allowed now); reserves nothing."""
        with self._lock:
            self._prune(now)
            wait = self._key_waits(keys, now)
            if len(self.recent) >= self.global_limit:
                wait = max(wait, self.next_global - now)
        return max(0.0, wait)

    def attempt(self, keys: tuple[str, ...], now: float) -> float:
        """0 and the attempt is reserved (counted as a failure until :meth:`succeeded`), or the seconds to
        wait (nothing reserved). Atomic."""
        with self._lock:
            self._prune(now)
            wait = self._key_waits(keys, now)
            crowded = len(self.recent) >= self.global_limit
            if crowded:
                wait = max(wait, self.next_global - now)
            if wait > 0:
                return wait
            if crowded:
                self.next_global = now + self.global_interval
            for key in keys:
                self.failures[key] = self.failures.get(key, 0) + 1
                self.last[key] = now
                self.pending[key] = self.pending.get(key, 0) + 1
            self.recent.append(now)
            return 0.0

    def failed(self, keys: tuple[str, ...], now: float) -> None:
        """The reserved attempt failed (or record a failure without reservation)."""
        with self._lock:
            reserved = all(self.pending.get(k, 0) > 0 for k in keys)
            for key in keys:
                if reserved:
                    self.pending[key] -= 1
                else:
                    self.failures[key] = self.failures.get(key, 0) + 1
                self.last[key] = max(self.last.get(key, 0.0), now)
            if not reserved:
                self.recent.append(now)

    def succeeded(self, keys: tuple[str, ...], now: float) -> None:
        """The reserved attempt succeeded: forget the failures of *keys* and the reserved global failure."""
        with self._lock:
            for key in keys:
                self.failures.pop(key, None)
                self.last.pop(key, None)
                self.pending.pop(key, None)
            if self.recent:
                self.recent.pop()

    # Earlier interface (kept for callers that record after checking).
    def record_failure(self, keys: tuple[str, ...], now: float) -> None:
        self.failed(keys, now)

    def record_success(self, keys: tuple[str, ...]) -> None:
        with self._lock:
            for key in keys:
                self.failures.pop(key, None)
                self.last.pop(key, None)
                self.pending.pop(key, None)


_DUMMY_HASH = hash_password("dummy-password-for-timing", salt=b"0123456789abcdef")
