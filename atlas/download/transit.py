"""Where a German county gets its stop register and a GTFS timetable – and ``atlas fahrplan``.

Only addresses found in use are claimed as stable (checked 2026-12-01 by searching public code and
pages, not by downloading here: this machine has no internet). The gtfs.de files are daily builds of
the DELFI data; ``nv_free`` holds local transport (bus, tram) of all Germany, ``rv_free`` regional
rail, ``fv_free`` long-distance rail, ``free`` everything. A download is checked with
:func:`atlas.transit.read_feed` before it replaces anything (German error naming file and line).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from atlas.download.http import fetch_to_file
from atlas.errors import SourceError
from atlas.transit import GtfsError, read_feed
from atlas.transit.clip import clip_feed


@dataclass(frozen=True)
class Bezugsquelle:
    """One source: what, who, where, whether the address is stable, licence, remark."""

    was: str
    anbieter: str
    adresse: str
    stabil: bool
    lizenz: str
    hinweis: str


GTFS_VARIANTEN: dict[str, str] = {
    "nv": "https://download.gtfs.de/germany/nv_free/latest.zip",
    "rv": "https://download.gtfs.de/germany/rv_free/latest.zip",
    "fv": "https://download.gtfs.de/germany/fv_free/latest.zip",
    "alle": "https://download.gtfs.de/germany/free/latest.zip",
}

QUELLEN: tuple[Bezugsquelle, ...] = (
    Bezugsquelle(
        "Haltestellen (Register)", "DB InfraGO AG über das npm-Paket db-hafas-stations 2.0.0 (full.ndjson)",
        "https://registry.npmjs.org/db-hafas-stations/-/db-hafas-stations-2.0.0.tgz", True,
        "CC BY 4.0 (DB InfraGO) und ODbL (OpenStreetMap), laut license-data.md des Pakets",
        "Quelle der Haltestellen-Ebene des Atlas (PROVENANCE §11); `atlas download` lädt und wandelt es um."),
    Bezugsquelle(
        "Haltestellen (amtlich)", "DELFI e. V.: Zentrales Haltestellenverzeichnis (zHV) mit DHID",
        "https://www.delfi.de", False, "nicht geprüft",
        "Bezug über die Mobilithek (Registrierung nötig); keine feste Download-Adresse gefunden."),
    Bezugsquelle(
        "Fahrplan Nahverkehr Deutschland (GTFS)", "gtfs.de (aufbereitet aus den DELFI-Solldaten)",
        GTFS_VARIANTEN["nv"], True, "laut gtfs.de CC BY 4.0 – vor der Veröffentlichung prüfen",
        "Ganz Deutschland (mehrere hundert MB); enthält die Busse des Kreises. `atlas fahrplan --dest DIR`."),
    Bezugsquelle(
        "Fahrplan Regionalverkehr Schiene (GTFS)", "gtfs.de", GTFS_VARIANTEN["rv"], True,
        "laut gtfs.de CC BY 4.0 – vor der Veröffentlichung prüfen", "Nur Züge des Regionalverkehrs."),
    Bezugsquelle(
        "Fahrplan Deutschland (NeTEx/GTFS, amtlich)", "DELFI e. V. über die Mobilithek (Nationaler Zugangspunkt)",
        "https://mobilithek.info", False, "nicht geprüft",
        "Deutschlandweiter Sollfahrplan; Anmeldung nötig, daher kein automatischer Download."),
    Bezugsquelle(
        "Fahrplan Verkehrsverbund Mittelthüringen (VMT)", "VMT GmbH", "https://www.vmt-thueringen.de", False,
        "nicht geprüft",
        "Schmalkalden-Meiningen will dem VMT beitreten (Absichtserklärung 2025, Ziel etwa 2028); "
        "ob der VMT GTFS-Daten frei anbietet, ist nicht geprüft."),
)


def quellen_text() -> str:
    """The sources as German text for the command line."""
    lines = ["Bezugsquellen für Haltestellen und Fahrpläne (GTFS):", ""]
    for q in QUELLEN:
        lines += [
            f"- {q.was}: {q.anbieter}",
            f"  Adresse: {q.adresse}{'' if q.stabil else '  (keine feste Download-Adresse)'}",
            f"  Lizenz: {q.lizenz}",
            f"  {q.hinweis}",
        ]
    lines += ["", "Danach: ATLAS_GTFS=/pfad/fahrplan.zip setzen; die Seite „Bus und Bahn“ nutzt ihn."]
    return "\n".join(lines)


def download_gtfs(dest: str | Path, variante: str = "nv", *, bbox: Sequence[float] | None = None,
                  aus_datei: str | Path | None = None) -> Path:
    """Fetch the gtfs.de feed *variante* (or take the local feed *aus_datei*), cut it to *bbox*
    (``[min_lon, min_lat, max_lon, max_lat]``, :func:`atlas.transit.clip.clip_feed`) and write it to
    ``DEST/fahrplan_gtfs_<variante>.zip``; the previous file stays if anything fails. Without *bbox*
    the whole feed is only checked (fine for a county's own feed, far too large for all Germany).

    Raises
    ------
    SourceError
        Unknown variant, network failure or a feed that does not read (message names the URL/line).
    """
    if variante not in GTFS_VARIANTEN:
        raise SourceError(f"Unbekannte Fahrplan-Variante {variante!r}; möglich: {', '.join(GTFS_VARIANTEN)}.")
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"fahrplan_gtfs_{variante}.zip"
    raw = folder / f"fahrplan_gtfs_{variante}.zip.download"
    try:
        if aus_datei is not None:
            raw = Path(aus_datei)
        else:
            fetch_to_file(GTFS_VARIANTEN[variante], raw, titel=f"Fahrplan gtfs.de ({variante})")
        try:
            if bbox is not None:
                clip_feed(raw, target, bbox)
            else:
                read_feed(raw)
                part = target.with_name(target.name + ".part")
                part.write_bytes(raw.read_bytes())
                part.replace(target)
        except GtfsError as exc:
            raise SourceError(f"Der Fahrplan ist nicht verwendbar: {exc}") from exc
    finally:
        if aus_datei is None:
            raw.unlink(missing_ok=True)
    return target
