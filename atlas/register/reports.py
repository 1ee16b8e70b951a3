"""Public reports "Angebot fehlt / Angaben falsch": checks and rate limiting (pure, no Streamlit).

A report is stored in the moderation queue (:meth:`RegisterStore.add_report`) and NEVER changes the
register by itself; the coordinator reads it on the admin page and decides. Limits: see
:class:`ReportGate` (per session, per client address, site-wide).

Reporter contacts (e-mail or phone, voluntary) are kept only while needed: cleared when a report is closed,
deletable on the admin page, cleared after :data:`CONTACT_RETENTION_DAYS` days in any case, and left out of
backups unless asked for (``atlas backup --mit-kontakten``).
"""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass, field

#: Kinds of report with their German labels.
REPORT_KINDS: dict[str, str] = {"fehlt": "Angebot fehlt", "falsch": "Angaben falsch"}
#: A barrier in the atlas itself, sent from the "Erklärung zur Barrierefreiheit" (BITV 2.0 feedback).
BARRIER_KIND = "barriere"
#: Every kind the moderation queue knows, with its label (the admin page shows these).
ALL_REPORT_KINDS: dict[str, str] = {**REPORT_KINDS, BARRIER_KIND: "Barriere im Standortatlas"}
SESSION_LIMIT, SESSION_WINDOW_S = 3, 600.0
GLOBAL_LIMIT, GLOBAL_WINDOW_S = 60, 3600.0
MAX_DESCRIPTION, MAX_FIELD = 2000, 300
#: Days a reporter's contact is kept at most, even when the report is still open.
CONTACT_RETENTION_DAYS = 90


@dataclass(frozen=True)
class ReportInput:
    """What a person typed into the form (already stripped)."""

    art: str
    beschreibung: str
    name: str = ""
    ort: str = ""
    kontakt: str = ""
    angebot_id: str = ""


def check_report(report: ReportInput) -> list[str]:
    """German problems with a report; empty when it can be stored."""
    problems: list[str] = []
    if report.art not in ALL_REPORT_KINDS:
        problems.append("Bitte auswählen, ob ein Angebot fehlt oder Angaben falsch sind.")
    if report.art == "fehlt" and not report.name:
        problems.append("Bitte den Namen des fehlenden Angebots angeben.")
    if report.art == "falsch" and not report.angebot_id and not report.name:
        problems.append("Bitte das Angebot auswählen oder seinen Namen angeben, dessen Angaben falsch sind.")
    if len(report.beschreibung) < 10:
        what = "welche Barriere Sie bemerkt haben" if report.art == BARRIER_KIND else "was fehlt oder falsch ist"
        problems.append(f"Bitte kurz beschreiben, {what} (mindestens 10 Zeichen).")
    if len(report.beschreibung) > MAX_DESCRIPTION:
        problems.append(f"Die Beschreibung ist zu lang (höchstens {MAX_DESCRIPTION} Zeichen).")
    for label, value in (("Name", report.name), ("Ort", report.ort), ("Kontakt", report.kontakt)):
        if len(value) > MAX_FIELD:
            problems.append(f"Das Feld '{label}' ist zu lang (höchstens {MAX_FIELD} Zeichen).")
    return problems


@dataclass
class RateLimiter:
    """At most *limit* events per *window* seconds per key (sliding window; time passed in)."""

    limit: int = SESSION_LIMIT
    window: float = SESSION_WINDOW_S
    events: dict[str, deque[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def wait(self, key: str, now: float) -> float:
        """Seconds until *key* may send again (0 = now)."""
        with self._lock:
            queue = self.events.setdefault(key, deque())
            while queue and queue[0] <= now - self.window:
                queue.popleft()
            if len(queue) < self.limit:
                return 0.0
            return float(queue[0] + self.window - now)

    def record(self, key: str, now: float) -> None:
        with self._lock:
            self.events.setdefault(key, deque()).append(now)


#: Reports per client address (IP) and window: one source cannot use up the site-wide budget.
CLIENT_LIMIT, CLIENT_WINDOW_S = 5, 3600.0


@dataclass
class ReportGate:
    """All limits of the public report form in one place (time passed in; thread-safe).

    * per browser session: :data:`SESSION_LIMIT` per :data:`SESSION_WINDOW_S`;
    * per client address: :data:`CLIENT_LIMIT` per :data:`CLIENT_WINDOW_S` – a flood from new sessions of
      one machine is stopped after a few reports, long before the site-wide budget is used up;
    * site-wide: :data:`GLOBAL_LIMIT` per :data:`GLOBAL_WINDOW_S` (*recent_total*, counted in the store so
      that it holds across restarts) – the last line against a distributed flood.

    The client address comes from the page (``st.context.ip_address``; None when unknown, then only the
    session and site-wide limits apply).
    """

    session_limit: int = SESSION_LIMIT
    session_window: float = SESSION_WINDOW_S
    client_limit: int = CLIENT_LIMIT
    client_window: float = CLIENT_WINDOW_S
    global_limit: int = GLOBAL_LIMIT
    sessions: RateLimiter = field(init=False)
    clients: RateLimiter = field(init=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def __post_init__(self) -> None:
        self.sessions = RateLimiter(limit=self.session_limit, window=self.session_window)
        self.clients = RateLimiter(limit=self.client_limit, window=self.client_window)

    def allow(self, session: str, client: str | None, now: float, recent_total: int) -> float:
        """Seconds until this sender may report again (0 = now; ``inf`` when the site-wide budget is used)."""
        wait = self.sessions.wait(session, now)
        if client:
            wait = max(wait, self.clients.wait(client, now))
        if wait == 0.0 and recent_total >= self.global_limit:
            return float("inf")
        return wait

    def record(self, session: str, client: str | None, now: float) -> None:
        self.sessions.record(session, now)
        if client:
            self.clients.record(client, now)

    def take(self, session: str, client: str | None, now: float, recent_total: int) -> float:
        """:meth:`allow` and, when allowed, :meth:`record` in one step (parallel submits cannot both pass)."""
        with self._lock:
            wait = self.allow(session, client, now, recent_total)
            if wait == 0.0:
                self.record(session, client, now)
            return wait


def wait_message(seconds: float) -> str:
    """'Bitte in 3 Minuten erneut versuchen.' (German, rounded up)."""
    if seconds < 60:
        return f"Bitte in {max(1, int(seconds + 0.999))} Sekunden erneut versuchen."
    minutes = int(seconds / 60 + 0.999)
    return f"Bitte in {minutes} Minute{'n' if minutes != 1 else ''} erneut versuchen."
