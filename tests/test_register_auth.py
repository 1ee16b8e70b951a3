"""Password hashes, login backoff (pure) and the public report checks and rate limits."""

from __future__ import annotations

import base64
import hashlib

from atlas.register.auth import (
    LoginThrottle, backoff_seconds, check_login, hash_password, users_from_secrets, verify_password,
)
from atlas.register.reports import RateLimiter, ReportInput, check_report, wait_message


def test_scrypt_hash_round_trip_and_salt() -> None:
    first, second = hash_password("geheimes-passwort"), hash_password("geheimes-passwort")
    assert first != second and first.startswith("scrypt$16384$8$1$")
    assert verify_password("geheimes-passwort", first)
    assert not verify_password("falsches-passwort", first)
    assert not verify_password("geheimes-passwort", "geheimes-passwort")  # plain text is never accepted


def test_pbkdf2_hash_from_other_tools_is_accepted() -> None:
    salt = b"salzsalzsalzsalz"
    digest = hashlib.pbkdf2_hmac("sha256", b"pw-1234567", salt, 200_000)
    stored = f"pbkdf2_sha256$200000${base64.b64encode(salt).decode()}${base64.b64encode(digest).decode()}"
    assert verify_password("pw-1234567", stored) and not verify_password("pw-7654321", stored)


def test_users_from_secrets_drops_plain_passwords() -> None:
    good = hash_password("x" * 12)
    users = users_from_secrets({"users": {"anna": good, "ben": "klartext"}})
    assert users == {"anna": good}
    assert check_login(users, " anna ", "x" * 12)
    assert not check_login(users, "ben", "klartext") and not check_login(users, "unbekannt", "x")
    assert users_from_secrets(None) == {} and users_from_secrets({"users": "kaputt"}) == {}


def test_backoff_doubles_and_is_capped() -> None:
    assert [backoff_seconds(n) for n in range(6)] == [0.0, 1.0, 2.0, 4.0, 8.0, 16.0]
    assert backoff_seconds(20) == 900.0 and backoff_seconds(10_000) == 900.0


def test_throttle_per_user_and_session() -> None:
    throttle = LoginThrottle()
    keys = ("user:anna", "session:s1")
    assert throttle.wait_remaining(keys, now=100.0) == 0.0
    throttle.record_failure(keys, now=100.0)
    throttle.record_failure(keys, now=101.0)
    throttle.record_failure(keys, now=102.0)  # 3 failures → 4 s after the last one
    assert throttle.wait_remaining(keys, now=103.0) == 3.0
    # another session for the same user is slowed down as well
    assert throttle.wait_remaining(("user:anna", "session:s2"), now=103.0) == 3.0
    assert throttle.wait_remaining(("user:ben", "session:s3"), now=103.0) == 0.0
    assert throttle.wait_remaining(keys, now=106.0) == 0.0
    throttle.record_success(keys)
    assert throttle.failures == {} and throttle.wait_remaining(keys, now=106.0) == 0.0


def test_report_checks() -> None:
    assert check_report(ReportInput("fehlt", "Die Tafel in Wasungen fehlt.", name="Tafel Wasungen")) == []
    assert check_report(ReportInput("fehlt", "kurz")) == [
        "Bitte den Namen des fehlenden Angebots angeben.",
        "Bitte kurz beschreiben, was fehlt oder falsch ist (mindestens 10 Zeichen).",
    ]
    assert check_report(ReportInput("x", "x" * 2001, name="n")) == [
        "Bitte auswählen, ob ein Angebot fehlt oder Angaben falsch sind.",
        "Die Beschreibung ist zu lang (höchstens 2000 Zeichen).",
    ]


def test_rate_limiter_sliding_window() -> None:
    limiter = RateLimiter(limit=3, window=600.0)
    for t in (0.0, 10.0, 20.0):
        assert limiter.wait("s1", t) == 0.0
        limiter.record("s1", t)
    assert limiter.wait("s1", 30.0) == 570.0
    assert limiter.wait("s2", 30.0) == 0.0
    assert limiter.wait("s1", 600.0) == 0.0  # the first report has left the window
    assert wait_message(570.0) == "Bitte in 10 Minuten erneut versuchen."
    assert wait_message(1.2) == "Bitte in 2 Sekunden erneut versuchen."
    assert wait_message(60.0) == "Bitte in 1 Minute erneut versuchen."
