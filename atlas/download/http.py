"""Fetching originals from the official endpoints over HTTP(S).

Library choice: ``requests`` (already a dependency; simple streaming, per-request timeouts). Every
failure – no network, DNS, timeout, an HTTP error status, a truncated body – becomes a
:class:`~atlas.errors.SourceError` with a German message that names the source and the URL. Bodies
are streamed into a file the caller chose inside the staging folder, never into the source folder.
"""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import requests

from atlas.errors import SourceError

#: (connect, read) timeout in seconds for every request.
TIMEOUT: tuple[float, float] = (15.0, 120.0)
_CHUNK = 1 << 20
_USER_AGENT = "standortatlas-download/0.1 (+https://www.govdata.de/dl-de/by-2-0)"


def _fail(titel: str, url: str, reason: str) -> SourceError:
    return SourceError(f"Download fehlgeschlagen: {titel} – {url}: {reason}")


def _reason(exc: requests.RequestException) -> str:
    if isinstance(exc, requests.Timeout):
        return "keine Antwort innerhalb der Wartezeit (Zeitüberschreitung)"
    if isinstance(exc, requests.exceptions.ChunkedEncodingError):
        return "die Übertragung brach vorzeitig ab (Datei unvollständig)"
    if isinstance(exc, requests.ConnectionError):
        return "Server nicht erreichbar (keine Internetverbindung oder Adresse nicht auflösbar)"
    return f"Anfrage fehlgeschlagen ({type(exc).__name__})"


def fetch_to_file(url: str, target: Path, *, titel: str, params: Mapping[str, str] | None = None,
                  timeout: tuple[float, float] = TIMEOUT, session: requests.Session | None = None) -> Path:
    """Stream *url* into *target*; :class:`SourceError` on any failure (then *target* is removed)."""
    http = session or requests.Session()
    shown = url
    try:
        with http.get(url, params=params, stream=True, timeout=timeout,
                      headers={"User-Agent": _USER_AGENT}) as response:
            shown = response.url or url
            if response.status_code != 200:
                raise _fail(titel, shown, f"der Server antwortete mit HTTP-Status {response.status_code}")
            expected = response.headers.get("Content-Length")
            written = 0
            with open(target, "wb") as out:
                for chunk in response.iter_content(_CHUNK):
                    out.write(chunk)
                    written += len(chunk)
            if expected is not None and expected.isdigit() and int(expected) != written \
                    and not response.headers.get("Content-Encoding"):
                raise _fail(titel, shown, f"die Datei ist unvollständig ({written} von {expected} Bytes)")
            if written == 0:
                raise _fail(titel, shown, "die Antwort war leer")
    except requests.RequestException as exc:
        target.unlink(missing_ok=True)
        raise _fail(titel, shown, _reason(exc)) from exc
    except SourceError:
        target.unlink(missing_ok=True)
        raise
    except OSError as exc:
        target.unlink(missing_ok=True)
        raise _fail(titel, shown, f"die Datei konnte nicht geschrieben werden ({exc})") from exc
    return target


def fetch_bytes(url: str, *, titel: str, params: Mapping[str, str] | None = None,
                timeout: tuple[float, float] = TIMEOUT, session: requests.Session | None = None) -> bytes:
    """The body of *url* (for small answers such as one WFS page); :class:`SourceError` on failure."""
    http = session or requests.Session()
    try:
        response = http.get(url, params=params, timeout=timeout, headers={"User-Agent": _USER_AGENT})
    except requests.RequestException as exc:
        raise _fail(titel, url, _reason(exc)) from exc
    if response.status_code != 200:
        raise _fail(titel, response.url or url, f"der Server antwortete mit HTTP-Status {response.status_code}")
    return response.content
