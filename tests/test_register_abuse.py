"""Login throttling, report rate limits, reporter contacts and the password prompt (issue 12, point 9)."""

from __future__ import annotations

import io
import json
import threading
from pathlib import Path

import pytest

from atlas.cli import main as cli_main
from atlas.register.auth import LoginThrottle, check_login, hash_password, verify_password
from atlas.register.backup import backup
from atlas.register.reports import ReportGate
from atlas.register.store import RegisterStore
from tests.fixtures.synthetic_register import store  # noqa: F401

PASSWORD = "richtig-geheim-123"


def test_password_spraying_over_many_sessions_is_slowed_down_globally() -> None:
    """20 user names from 20 sessions: after the global limit every further attempt waits."""
    throttle = LoginThrottle(global_limit=10, global_window=300.0, global_interval=5.0)
    allowed = 0
    for i in range(20):
        if throttle.attempt((f"user:name{i}", f"session:s{i}"), now=100.0 + i * 0.1) == 0.0:
            allowed += 1
            throttle.failed((f"user:name{i}", f"session:s{i}"), now=100.0 + i * 0.1)
    assert allowed == 11  # ten within the limit, then one attempt per global interval
    # ... but nobody is locked out: the real user gets an attempt after a few seconds
    assert throttle.attempt(("user:anna", "session:real"), now=106.0) == 0.0
    throttle.succeeded(("user:anna", "session:real"), now=106.0)


def test_parallel_submits_cannot_pass_a_lockout() -> None:
    """12 simultaneous submits for one account: exactly one is checked, the others must wait."""
    throttle = LoginThrottle()
    users = {"anna": hash_password(PASSWORD)}
    keys = ("user:anna", "session:s1")
    throttle.failed(keys, now=0.0)  # one failure before: the next attempt only after 1 s
    checked: list[int] = []
    barrier = threading.Barrier(12)

    def submit(i: int) -> None:
        barrier.wait()
        if throttle.attempt(("user:anna", f"session:p{i}"), now=1.5) == 0.0:
            checked.append(i)
            if check_login(users, "anna", "falsch-falsch-1"):
                throttle.succeeded(("user:anna", f"session:p{i}"), now=1.5)
            else:
                throttle.failed(("user:anna", f"session:p{i}"), now=1.5)

    threads = [threading.Thread(target=submit, args=(i,)) for i in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(checked) == 1


def test_account_backoff_is_capped_so_an_attacker_cannot_lock_out_the_owner_for_long() -> None:
    throttle = LoginThrottle()
    for n in range(30):
        throttle.failed(("user:anna", f"session:attacker{n}"), now=1000.0)
    wait = throttle.attempt(("user:anna", "session:owner"), now=1000.0)
    assert 0 < wait <= throttle.account_cap
    assert throttle.attempt(("user:anna", "session:owner"), now=1000.0 + throttle.account_cap) == 0.0


def test_success_clears_only_the_own_keys() -> None:
    throttle = LoginThrottle()
    throttle.failed(("user:ben", "session:x"), now=0.0)
    assert throttle.attempt(("user:anna", "session:y"), now=0.0) == 0.0
    throttle.succeeded(("user:anna", "session:y"), now=0.0)
    assert throttle.attempt(("user:ben", "session:z"), now=0.5) > 0


def test_report_flood_from_new_sessions_does_not_close_the_form_for_everyone() -> None:
    """70 reports from new sessions of one client: that client is stopped early, others can still report."""
    gate = ReportGate()
    accepted = 0
    for i in range(70):
        if gate.allow(session=f"s{i}", client="203.0.113.7", now=1000.0 + i, recent_total=accepted) == 0.0:
            gate.record(session=f"s{i}", client="203.0.113.7", now=1000.0 + i)
            accepted += 1
    assert accepted == gate.client_limit
    assert gate.allow(session="family", client="198.51.100.20", now=1100.0, recent_total=accepted) == 0.0


def test_report_gate_keeps_per_session_and_global_limits() -> None:
    gate = ReportGate()
    for t in range(gate.session_limit):
        assert gate.allow("s1", None, float(t), 0) == 0.0
        gate.record("s1", None, float(t))
    assert gate.allow("s1", None, 10.0, 0) > 0
    assert gate.allow("s2", None, 10.0, gate.global_limit) > 0


def test_reporter_contacts_are_deleted_when_closed_and_on_request_and_after_retention(store: RegisterStore) -> None:  # noqa: F811
    first = store.add_report("fehlt", "Die Tafel in Wasungen fehlt.", name="Tafel", kontakt="a@b.de")
    second = store.add_report("falsch", "Telefonnummer stimmt nicht.", name="Kita", kontakt="c@d.de")
    third = store.add_report("fehlt", "Jugendclub fehlt in Breitungen.", name="Club", kontakt="e@f.de")
    store.set_report_status(first, "erledigt", "anna")
    assert _contact(store, first) == ""  # closed: no longer needed
    store.delete_report_contact(second, "anna")
    assert _contact(store, second) == ""
    assert _contact(store, third) == "e@f.de"
    assert store.purge_report_contacts(older_than_days=0, now_iso_text="2999-01-01T00:00:00+00:00") == 1
    assert _contact(store, third) == ""


def _contact(store: RegisterStore, nr: int) -> str:  # noqa: F811
    return next(str(r["kontakt"]) for r in store.reports() if r["nr"] == nr)


def test_backup_leaves_out_reporter_contacts_unless_asked(store: RegisterStore, tmp_path: Path) -> None:  # noqa: F811
    store.add_report("fehlt", "Die Tafel in Wasungen fehlt.", name="Tafel", kontakt="a@b.de")
    plain, full = tmp_path / "ohne.json", tmp_path / "mit.json"
    backup(store, plain)
    backup(store, full, include_contacts=True)
    assert json.loads(plain.read_text("utf-8"))["tabellen"]["meldungen"][0]["kontakt"] == ""
    assert json.loads(full.read_text("utf-8"))["tabellen"]["meldungen"][0]["kontakt"] == "a@b.de"


def test_password_hash_reads_stdin_not_the_command_line(monkeypatch, capsys) -> None:
    with pytest.raises(SystemExit):
        cli_main(["passwort-hash", "--passwort", PASSWORD])
    capsys.readouterr()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert cli_main(["passwort-hash"]) == 0
    out = capsys.readouterr().out.strip()
    assert verify_password(PASSWORD, out) and PASSWORD not in out
    monkeypatch.setattr("sys.stdin", io.StringIO("kurz\n"))
    assert cli_main(["passwort-hash"]) == 1


def test_default_site_wide_limit_stops_the_twenty_name_spray_of_the_attack() -> None:
    throttle = LoginThrottle()
    checked = 0
    for i in range(20):
        keys = (f"user:name{i}", f"session:s{i}")
        if throttle.attempt(keys, now=50.0 + i * 0.05) == 0.0:
            checked += 1
            throttle.failed(keys, now=50.0 + i * 0.05)
    assert checked < 20 and checked == throttle.global_limit + 1
