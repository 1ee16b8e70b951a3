"""Opening hours: parse the register's free text ``oeffnungszeiten`` only where it is unambiguous.

The register's texts are written by hand ("Mo–Fr 6–17 Uhr", "Di und Do 13.00–18.00 Uhr (lt. Quelle)",
"Mo, Di, Fr 8.30–12 Uhr; Do 8.30–12 und 13–17.30 Uhr"). A small hand-written grammar (regular
expressions, no third-party parser: the texts are German and not in the OSM ``opening_hours`` syntax)
accepts exactly:

* segments ``DAYS TIMES`` separated by ``,`` or ``;`` where DAYS are weekday names or abbreviations
  joined by ``,`` / ``und`` / ``–`` (range) and TIMES are ``H[:.]MM–H[:.]MM`` ranges joined by
  ``und`` / ``,``, optionally followed by ``Uhr``;
* a monthly segment ``1. Samstag im Monat TIMES``;
* a final ``sonst nach Vereinbarung`` (other times by appointment);
* a trailing remark in brackets that is known to be harmless: ``(lt. Quelle)``,
  ``(offene Sprechzeiten)``, ``(Zimmer …)``.

Anything else – no weekday ("Betreuung 6:30–16:30 Uhr"), "werktags", days without times, notes about
moves or dates – yields ``None``: the page then says "Öffnungszeiten unbekannt" and shows the text as it
is. Public holidays in Thuringia (package ``holidays``, well-kept, subdivision ``TH``) make the status
"unbekannt" for that day: the register does not say whether offices open on holidays.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

import holidays

WEEKDAYS = ("mo", "di", "mi", "do", "fr", "sa", "so")
_DAY_NAMES = {
    "montag": 0, "dienstag": 1, "mittwoch": 2, "donnerstag": 3, "freitag": 4, "samstag": 5, "sonnabend": 5,
    "sonntag": 6, "mo": 0, "di": 1, "mi": 2, "do": 3, "fr": 4, "sa": 5, "so": 6,
}
_DAY = r"(?:montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonnabend|sonntag|mo|di|mi|do|fr|sa|so)\.?"
_TIME = r"\d{1,2}(?:[:.]\d{2})?"
_RANGE = rf"{_TIME}\s*-\s*{_TIME}"
_TIMES = rf"{_RANGE}(?:\s*(?:und|,)\s*{_RANGE})*(?:\s*uhr)?"
_DAYS = rf"{_DAY}(?:\s*(?:,|und|-)\s*{_DAY})*"
_SEG_WEEKLY = rf"(?P<days>{_DAYS})\s+(?P<times>{_TIMES})"
_SEG_MONTHLY = rf"(?P<nth>[1-4])\.\s*(?P<mday>{_DAY})\s+im\s+monat\s+(?P<mtimes>{_TIMES})"
_SEG = rf"(?:{_SEG_MONTHLY}|{_SEG_WEEKLY})"
_SEG_PLAIN = re.sub(r"\(\?P<[a-z]+>", "(?:", _SEG)
_FULL = re.compile(rf"^{_SEG_PLAIN}(?:\s*[,;]\s*{_SEG_PLAIN})*$")
_SEG_RE = re.compile(_SEG)
_RANGE_RE = re.compile(rf"(?P<a>{_TIME})\s*-\s*(?P<b>{_TIME})")
_REMARK = re.compile(r"\s*\((?:lt\. quelle|offene sprechzeiten|zimmer [^()]{1,20})\)\s*$")
_APPOINTMENT = re.compile(r"\s*;\s*sonst nach vereinbarung\s*$")

OFFEN = "offen"
GESCHLOSSEN = "geschlossen"
UNBEKANNT = "unbekannt"

Interval = tuple[int, int]  # minutes since midnight, [start, end)


@dataclass(frozen=True)
class DayStatus:
    """Whether an offer is open on one day.

    ``art``: ``offen`` (with ``zeiten``), ``geschlossen`` or ``unbekannt``; ``grund`` says why it is
    unknown: ``keine_angabe`` (empty text), ``nicht_eindeutig`` (text not parseable), ``feiertag``,
    ``nach_vereinbarung``.
    """

    art: str
    zeiten: tuple[Interval, ...] = ()
    grund: str = ""


@dataclass(frozen=True)
class OpeningHours:
    """Parsed weekly hours (weekday 0 = Monday) plus monthly rules ("1. Samstag im Monat")."""

    woche: dict[int, tuple[Interval, ...]]
    monatlich: tuple[tuple[int, int, tuple[Interval, ...]], ...] = ()  # (nth, weekday, intervals)
    nach_vereinbarung: bool = False
    text: str = field(default="", compare=False)

    def intervals_on(self, day: date) -> tuple[Interval, ...]:
        """Intervals on *day* (without holiday handling)."""
        result = list(self.woche.get(day.weekday(), ()))
        for nth, weekday, intervals in self.monatlich:
            if day.weekday() == weekday and (day.day - 1) // 7 + 1 == nth:
                result.extend(intervals)
        return tuple(sorted(result))


def _minutes(text: str) -> int | None:
    parts = re.split(r"[:.]", text)
    hour = int(parts[0])
    minute = int(parts[1]) if len(parts) > 1 else 0
    if hour > 24 or minute > 59 or (hour == 24 and minute):
        return None
    return hour * 60 + minute


def _intervals(text: str) -> tuple[Interval, ...] | None:
    result = []
    for m in _RANGE_RE.finditer(text):
        a, b = _minutes(m.group("a")), _minutes(m.group("b"))
        if a is None or b is None or a >= b:
            return None
        result.append((a, b))
    return tuple(result) or None


def _days(text: str) -> list[int] | None:
    tokens = re.findall(rf"{_DAY}|-|,|und", text)
    days: list[int] = []
    pending_range = False
    for token in tokens:
        if token == "-":
            pending_range = True
            continue
        if token in (",", "und"):
            continue
        day = _DAY_NAMES[token.rstrip(".")]
        if pending_range:
            if not days or day <= days[-1]:
                return None
            days.extend(range(days[-1] + 1, day + 1))
            pending_range = False
        else:
            days.append(day)
    return None if pending_range or not days else days


def _normalise(text: str) -> str:
    value = text.strip().lower()
    value = re.sub(r"\s*[–—−‐-]\s*", "-", value)
    value = re.sub(r"(\d)\s+bis\s+(\d)", r"\1-\2", value)
    return " ".join(value.split())


@lru_cache(maxsize=1024)
def parse_opening_hours(text: str) -> OpeningHours | None:
    """Parse *text*; ``None`` when it is empty or not unambiguous (see module docstring)."""
    if not text or not text.strip():
        return None
    value = _normalise(text)
    appointment = bool(_APPOINTMENT.search(value))
    value = _APPOINTMENT.sub("", value)
    value = _REMARK.sub("", value)
    value = value.rstrip(" ;,")
    if not _FULL.match(value):
        return None
    week: dict[int, list[Interval]] = {}
    monthly: list[tuple[int, int, tuple[Interval, ...]]] = []
    for m in _SEG_RE.finditer(value):
        if m.group("nth"):
            intervals = _intervals(m.group("mtimes"))
            if intervals is None:
                return None
            monthly.append((int(m.group("nth")), _DAY_NAMES[m.group("mday").rstrip(".")], intervals))
            continue
        days = _days(m.group("days"))
        intervals = _intervals(m.group("times"))
        if days is None or intervals is None:
            return None
        for day in days:
            week.setdefault(day, []).extend(intervals)
    return OpeningHours(woche={d: tuple(sorted(v)) for d, v in sorted(week.items())}, monatlich=tuple(monthly),
                        nach_vereinbarung=appointment, text=text)


@lru_cache(maxsize=8)
def _holidays(year: int) -> holidays.HolidayBase:
    return holidays.Germany(subdiv="TH", years=year, language="de")


def holiday_name(day: date) -> str | None:
    """Name of the public holiday in Thuringia on *day*, else None."""
    return _holidays(day.year).get(day)


def status_on(text: str, day: date) -> DayStatus:
    """Open, closed or unknown on *day* for the register text *text*."""
    if not text or not text.strip():
        return DayStatus(UNBEKANNT, grund="keine_angabe")
    hours = parse_opening_hours(text)
    if hours is None:
        return DayStatus(UNBEKANNT, grund="nicht_eindeutig")
    intervals = hours.intervals_on(day)
    if intervals and holiday_name(day):
        # Normally open, but a public holiday: the register does not say whether it opens.
        return DayStatus(UNBEKANNT, grund="feiertag")
    if intervals:
        return DayStatus(OFFEN, zeiten=intervals)
    if hours.nach_vereinbarung:
        return DayStatus(UNBEKANNT, grund="nach_vereinbarung")
    return DayStatus(GESCHLOSSEN)


def format_intervals(intervals: tuple[Interval, ...]) -> str:
    """``((510, 720),)`` → ``"8:30–12:00"``."""
    return ", ".join(f"{a // 60}:{a % 60:02d}–{b // 60}:{b % 60:02d}" for a, b in intervals)
