"""``atlas download``: fetch the build's sources from their official public endpoints.

For any Kreis (five-digit AGS) the originals are fetched, converted into exactly the files the build
reads (names, columns and CRS of ``geodata/sources.yaml``; see ``PROVENANCE.md`` of the source folder)
and filtered to the study area = the Kreis's Gemeinden dissolved and buffered by 15 km in EPSG:25832
(tables without geometry: the Kreise that intersect that buffer).

==================  ==========================================================  =====================
original            endpoint                                                    files written
==================  ==========================================================  =====================
``vg5000``          BKG VG5000 01.01.2021 shapefile zip                         vg5000_2021_*.geojson
``vg250_gem/_krs``  BKG WFS ``wfs_vg250-ew`` (GeoJSON, EPSG:4326, BBOX)         gemeinden_…, study
                                                                                area, Kreis outline
``geonames``        GeoNames ``DE.zip``                                         geonames_…csv
``db_stations``     npm tarball ``db-stations-5.0.2.tgz`` (``full.ndjson``)     db_stationen_…geojson
``db_hafas_stations`` npm tarball ``db-hafas-stations-2.0.0.tgz`` (DB InfraGO   haltestellen_…geojson
                    RIS::Stations; ``full.ndjson``, see :mod:`atlas.download.stops`)
``raster_1km``      GISCO Census 2021 grid zip (V2.2, V2.1, V2-0 tried in turn)  census2021_…gpkg
``zensus_gemeinden`` manual: Zensus database, table 1000A-0000, "CSV (flat)"     zensus2022_…csv
``deutschlandatlas`` manual: ``Deutschlandatlas-Daten.xlsx``                     deutschlandatlas_*.csv
==================  ==========================================================  =====================

Sources without a confirmed direct download (Zensus: the database API needs a login; Deutschlandatlas:
the site answers only browsers) are reported with the official page to download them from; a
manually downloaded original is converted when given with ``--from-file KEY=PFAD`` or placed as
``<dest>/originale/<original file name>``. ``--from-file`` works for every original (offline use).
The offers register (``angebote``) has no endpoint: it is copied from ``--angebote PFAD`` or left as is.

Writing is all-or-nothing (see :mod:`atlas.download.staging`): a failed download leaves the
destination exactly as it was. Every failure is a :class:`~atlas.errors.SourceError` with a German
message naming the source and the URL.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import pandas as pd
import requests

from atlas import settings
from atlas.download import boundaries, deutschlandatlas, places, population
from atlas.download import stops as hafas_stops
from atlas.download.http import fetch_to_file
from atlas.download.staging import Staging
from atlas.download.study_area import StudyArea, study_area, study_area_frames
from atlas.errors import AtlasError, SourceError
from atlas.sources import Source, load_sources

__all__ = ["ORIGINALS", "DownloadResult", "Original", "download", "parse_from_files"]

#: Helper layers of the source folder that the build does not read (kept for the folder's layout).
STUDY_AREA_FILE = "study_area_sm_buffer15km.geojson"
KREIS_OUTLINE_FILE = "kreis_sm_outline_vg250ew.geojson"
VG5000_EXTRA_FILES = {"vwg": "vg5000_2021_vwg_sm_buffer15km.geojson",
                      "lan": "vg5000_2021_lan_clipped_sm_buffer15km.geojson"}
PROTOCOL_FILE = "download_protokoll.json"
MANUAL_FOLDER = "originale"


@dataclass(frozen=True)
class Original:
    """One original file (or service) as published by its producer."""

    key: str
    titel: str
    urls: tuple[str, ...]
    seite: str
    datei: str


ORIGINALS: dict[str, Original] = {o.key: o for o in (
    Original("vg5000", boundaries.VG5000_TITEL, (boundaries.VG5000_URL,),
             "https://gdz.bkg.bund.de/index.php/default/verwaltungsgebiete-1-5-000-000-stand-01-01-vg5000-01-01.html",
             "vg5000_01-01.gk3.shape.ebenen.zip"),
    Original("vg250_gem", boundaries.WFS_TITEL, (boundaries.WFS_URL,),
             "https://gdz.bkg.bund.de/index.php/default/wfs-verwaltungsgebiete-1-250-000-mit-einwohnerzahlen-stand-31-12-wfs-vg250-ew.html",
             "vg250_gem.geojson"),
    Original("vg250_krs", boundaries.WFS_TITEL + ", Kreise", (boundaries.WFS_URL,),
             "https://gdz.bkg.bund.de/index.php/default/wfs-verwaltungsgebiete-1-250-000-mit-einwohnerzahlen-stand-31-12-wfs-vg250-ew.html",
             "vg250_krs.geojson"),
    Original("geonames", places.GEONAMES_TITEL, (places.GEONAMES_URL,),
             "https://download.geonames.org/export/zip/", "DE.zip"),
    Original("db_stations", places.DB_STATIONS_TITEL, (places.DB_STATIONS_URL,),
             "https://www.npmjs.com/package/db-stations", "db-stations-5.0.2.tgz"),
    Original("db_hafas_stations", hafas_stops.HAFAS_STOPS_TITEL, (hafas_stops.HAFAS_STOPS_URL,),
             hafas_stops.HAFAS_STOPS_PAGE, hafas_stops.HAFAS_STOPS_ORIGINAL),
    Original("raster_1km", population.GRID_TITEL, population.GRID_URLS, population.GRID_PAGE,
             population.GRID_ORIGINAL),
    Original("zensus_gemeinden", population.ZENSUS_TITEL, (), population.ZENSUS_PAGE,
             population.ZENSUS_ORIGINAL),
    Original("deutschlandatlas", deutschlandatlas.DA_TITEL, (), deutschlandatlas.DA_PAGE,
             deutschlandatlas.DA_ORIGINAL),
    # optional: only when given (--from-file zensus_100m=PFAD or placed in originale/); no note otherwise
    Original("zensus_100m", "Zensus 2022, Gitterdaten Bevölkerungszahl (100-m-Gitter)", (),
             "https://www.zensus2022.de/ (Ergebnisse, Gitterdaten)", "Zensus2022_Bevoelkerungszahl.zip"),
)}

#: Source keys of ``sources.yaml`` accepted as aliases in ``--from-file``.
_ALIASES = {"gemeinden": "vg250_gem", "vg5000_gem": "vg5000", "vg5000_krs": "vg5000", "orte": "geonames",
            "bahnhoefe": "db_stations", "haltestellen": "db_hafas_stations"}


class DownloadResult(list):
    """The paths written (a ``list[Path]``) plus German notes on what still needs doing by hand."""

    def __init__(self, paths: Sequence[Path], hinweise: Sequence[str]) -> None:
        super().__init__(paths)
        self.hinweise: list[str] = list(hinweise)


def parse_from_files(items: Sequence[str] | Mapping[str, str | os.PathLike[str]] | None) -> dict[str, Path]:
    """``["KEY=PFAD", …]`` (or a mapping) → ``{original key: path}``; German errors for bad entries."""
    if not items:
        return {}
    pairs: Iterable[tuple[str, str | os.PathLike[str]]] = items.items() if isinstance(items, Mapping) else []
    if not isinstance(items, Mapping):
        parsed = []
        for item in items:
            key, sep, value = str(item).partition("=")
            if not sep or not key.strip() or not value.strip():
                raise SourceError(f"--from-file erwartet SCHLÜSSEL=PFAD, angegeben war {item!r}.")
            parsed.append((key.strip(), value.strip()))
        pairs = parsed
    result: dict[str, Path] = {}
    for key, given in pairs:
        original = "deutschlandatlas" if key.startswith("da_") else _ALIASES.get(key, key)
        if original not in ORIGINALS:
            raise SourceError(
                f"--from-file: unbekannter Schlüssel '{key}'. Möglich sind: {', '.join(ORIGINALS)}."
            )
        path = Path(given).expanduser()
        if not path.is_file():
            raise SourceError(f"--from-file {key}: die Datei {path} existiert nicht.")
        result[original] = path.resolve()
    return result


@contextmanager
def _converting(titel: str, where: str) -> Iterator[None]:
    """Turn an unexpected parsing error of an original into a German :class:`SourceError`."""
    try:
        yield
    except AtlasError:
        raise
    except Exception as exc:  # any parser/geometry error means: not the expected format
        raise SourceError(
            f"{titel}: {where} hat nicht das erwartete Format ({type(exc).__name__}: {exc})."
        ) from exc


class _Run:
    """State of one download run."""

    def __init__(self, dest: Path, stage: Staging, local: dict[str, Path], urls: Mapping[str, Sequence[str]],
                 session: requests.Session | None) -> None:
        self.dest, self.stage, self.local, self.urls, self.session = dest, stage, local, urls, session
        self.notes: list[str] = []
        self.protocol: dict[str, dict[str, object]] = {}

    def obtain(self, key: str, targets: Sequence[str]) -> Path | None:
        """Local path of original *key*: given, placed by hand, or downloaded; ``None`` if manual."""
        original = ORIGINALS[key]
        if key in self.local:
            self.protocol[key] = {"herkunft": "Datei", "pfad": str(self.local[key])}
            return self.local[key]
        placed = self.dest / MANUAL_FOLDER / original.datei
        if placed.is_file():
            self.protocol[key] = {"herkunft": "Datei", "pfad": str(placed)}
            return placed
        urls = tuple(self.urls.get(key, original.urls))
        if not urls:
            kept = [t for t in targets if (self.dest / t).is_file()]
            self.notes.append(
                f"{original.titel}: kein bestätigter Direkt-Download – bitte manuell laden von {original.seite} "
                f"und als {placed} ablegen (oder mit --from-file {key}=PFAD angeben); daraus entstehen "
                f"{', '.join(targets)}."
                + (" Die vorhandenen Dateien bleiben bis dahin unverändert." if kept else "")
            )
            self.protocol[key] = {"herkunft": "manuell", "seite": original.seite}
            return None
        target = self.stage.raw / original.datei
        errors: list[SourceError] = []
        for url in urls:
            try:
                fetch_to_file(url, target, titel=original.titel, session=self.session)
            except SourceError as exc:
                errors.append(exc)
                continue
            self.protocol[key] = {"herkunft": "Download", "url": url}
            return target
        message = str(errors[-1])
        if len(urls) > 1:
            message += f" (ebenfalls vergeblich versucht: {', '.join(urls[:-1])})"
        raise SourceError(message)

    def record(self, key: str, **info: object) -> None:
        self.protocol.setdefault(key, {}).update(info)


def _boundaries(run: _Run, sources: dict[str, Source], kreis: str) -> StudyArea:
    v5_path = run.obtain("vg5000", [sources["vg5000_gem"].datei, sources["vg5000_krs"].datei])
    assert v5_path is not None  # has a URL
    with _converting(boundaries.VG5000_TITEL, v5_path.name):
        vg5000 = boundaries.read_vg5000(v5_path)
    if "vg250_gem" in run.local:
        gem_features = boundaries.read_geojson_file(run.local["vg250_gem"], what="vg250_gem")
        krs_features = (boundaries.read_geojson_file(run.local["vg250_krs"], what="vg250_krs")
                        if "vg250_krs" in run.local else [])
        run.record("vg250_gem", herkunft="Datei", pfad=str(run.local["vg250_gem"]))
    else:
        url = tuple(run.urls.get("vg250_gem", ORIGINALS["vg250_gem"].urls))[0]
        bbox = boundaries.kreis_bbox(vg5000, kreis)
        gem_features = boundaries.fetch_wfs_layer(url, "vg250_gem", bbox, session=run.session)
        krs_features = boundaries.fetch_wfs_layer(url, "vg250_krs", bbox, session=run.session)
        run.record("vg250_gem", herkunft="Download", url=url, bbox_epsg25832=list(bbox))
    with _converting(boundaries.WFS_TITEL, "die Antwort"):
        gem = boundaries.features_to_frame(gem_features, what="vg250_gem")
        krs = (boundaries.features_to_frame(krs_features, what="vg250_krs") if krs_features
               else pd.DataFrame(columns=["ars", "gen", "bez"]))
        gemeinden = boundaries.convert_vg250(gem, krs)
        name, bez = boundaries.kreis_name(krs, vg5000["krs"], kreis)
    area = study_area(gemeinden, kreis, name, bez)
    with _converting(boundaries.WFS_TITEL, "die Antwort"):
        selected = boundaries.select_vg250(gemeinden, area)
    run.stage.write_geojson(sources["gemeinden"].datei, selected)
    buffer_frame, outline_frame = study_area_frames(area)
    run.stage.write_geojson(STUDY_AREA_FILE, buffer_frame)
    run.stage.write_geojson(KREIS_OUTLINE_FILE, outline_frame)
    run.record("vg250_gem", gemeinden=len(selected), gemeinden_im_kreis=area.n_gemeinden)
    with _converting(boundaries.VG5000_TITEL, v5_path.name):
        layers, kreise = boundaries.convert_vg5000(vg5000, area)
    names = {"gem": sources["vg5000_gem"].datei, "krs": sources["vg5000_krs"].datei, **VG5000_EXTRA_FILES}
    for level, frame in layers.items():
        run.stage.write_geojson(names[level], frame)
    run.record("vg5000", kreise=kreise, **{level: len(frame) for level, frame in layers.items()})
    return area.with_kreise(kreise)


def _points(run: _Run, sources: dict[str, Source], area: StudyArea) -> None:
    path = run.obtain("geonames", [sources["orte"].datei])
    assert path is not None
    with _converting(places.GEONAMES_TITEL, path.name):
        orte = places.convert_geonames(places.read_geonames(path.read_bytes()), area)
    run.stage.write_csv(sources["orte"].datei, orte)
    run.record("geonames", zeilen=len(orte))
    path = run.obtain("db_stations", [sources["bahnhoefe"].datei])
    assert path is not None
    with _converting(places.DB_STATIONS_TITEL, path.name):
        stations = places.convert_db_stations(places.read_db_stations(path.read_bytes()), area)
    run.stage.write_geojson(sources["bahnhoefe"].datei, stations)
    run.record("db_stations", bahnhoefe=len(stations))
    path = run.obtain("db_hafas_stations", [sources["haltestellen"].datei])
    assert path is not None
    with _converting(hafas_stops.HAFAS_STOPS_TITEL, path.name):
        stops = hafas_stops.convert_stops(hafas_stops.read_stops(path.read_bytes(), hafas_stops.area_bbox(area)), area)
    run.stage.write_geojson(sources["haltestellen"].datei, stops)
    run.record("db_hafas_stations", haltestellen=len(stops))


def _population(run: _Run, sources: dict[str, Source], area: StudyArea) -> None:
    grid_source = sources["raster_1km"]
    path = run.obtain("raster_1km", [grid_source.datei])
    assert path is not None
    with _converting(population.GRID_TITEL, path.name), population.open_grid_csv(path) as stream:
        grid = population.convert_census_grid(stream, area)
    run.stage.write_gpkg(grid_source.datei, grid, layer=grid_source.ebene or population.GRID_LAYER)
    run.record("raster_1km", zellen=len(grid), zellen_mit_mittelpunkt_im_kreis=int(grid["centroid_in_sm"].sum()))
    zensus = sources["zensus_gemeinden"]
    path = run.obtain("zensus_gemeinden", [zensus.datei])
    if path is not None:
        with _converting(population.ZENSUS_TITEL, path.name):
            table = population.convert_zensus(path.read_bytes(), area.kreise, area.kreis)
        run.stage.write_csv(zensus.datei, table, sep=zensus.trennzeichen)
        run.record("zensus_gemeinden", zeilen=len(table))
    _zensus_100m(run, area)


def _zensus_100m(run: _Run, area: StudyArea) -> None:
    """The optional Zensus 100-m grid, cut to the study area (the build then takes origins from it)."""
    from atlas.accessibility.origins import ZENSUS_100M_FILE, cut_zensus_100m

    original = ORIGINALS["zensus_100m"]
    path = run.local.get("zensus_100m") or run.dest / MANUAL_FOLDER / original.datei
    if not path.is_file():
        return
    with _converting(original.titel, path.name):
        table = cut_zensus_100m(path, area.buffer_in("EPSG:3035"))
    run.stage.write_csv(ZENSUS_100M_FILE, table, sep=";")
    run.protocol["zensus_100m"] = {"herkunft": "Datei", "pfad": str(path)}
    run.record("zensus_100m", zellen=len(table))


def _deutschlandatlas(run: _Run, sources: dict[str, Source], area: StudyArea) -> None:
    da_sources = [s for key, s in sources.items() if key.startswith("da_")]
    path = run.obtain("deutschlandatlas", [s.datei for s in da_sources])
    if path is None:
        return
    workbook = deutschlandatlas.open_workbook(path)
    try:
        with _converting(deutschlandatlas.DA_TITEL, path.name):
            for source in da_sources:
                run.stage.write_text(source.datei, deutschlandatlas.convert_sheet(workbook, source, area.kreise))
    finally:
        workbook.close()
    run.record("deutschlandatlas", blaetter=[deutschlandatlas.sheet_name(s) for s in da_sources])


def _angebote(run: _Run, source: Source, register: Path | None) -> None:
    if register is None:
        present = (run.dest / source.datei).is_file()
        run.notes.append(
            f"{source.titel}: ohne Endpunkt – "
            + ("die vorhandene Datei bleibt unverändert." if present
               else f"bitte mit --angebote PFAD eine Datei {source.datei} übernehmen (Spalten: "
                    f"{', '.join(source.spalten)}).")
        )
        return
    try:
        header = pd.read_csv(register, nrows=0, dtype=str, encoding="utf-8").columns
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise SourceError(f"{source.titel}: {register} ist kein lesbares CSV ({exc}).") from exc
    missing = [c for c in source.spalten if c not in header]
    if missing:
        raise SourceError(f"{source.titel}: in {register} fehlt die Spalte '{missing[0]}'.")
    run.stage.copy(source.datei, register)
    run.record("angebote", herkunft="Datei", pfad=str(register))


def download(dest: str | os.PathLike[str], kreis: str | None = None, *,
             from_files: Sequence[str] | Mapping[str, str | os.PathLike[str]] | None = None,
             angebote: str | os.PathLike[str] | None = None,
             urls: Mapping[str, Sequence[str]] | None = None,
             session: requests.Session | None = None) -> DownloadResult:
    """Fetch and convert all sources for *kreis* into *dest*; return the files written.

    *from_files* gives local originals (``["KEY=PFAD"]`` or a mapping), *angebote* a register CSV to
    copy, *urls* replaces endpoints by original key (tests). On any error nothing in *dest* changes.
    """
    kreis = settings.kreis_ags(kreis)
    folder = Path(dest).expanduser().resolve()
    sources = load_sources()
    local = parse_from_files(from_files)
    register = Path(angebote).expanduser().resolve() if angebote else None
    if register is not None and not register.is_file():
        raise SourceError(f"--angebote: die Datei {register} existiert nicht.")
    try:
        stage = Staging(folder)
    except OSError as exc:
        raise SourceError(f"Der Zielordner {folder} kann nicht angelegt werden ({exc}).") from exc
    run = _Run(folder, stage, local, dict(urls or {}), session)
    try:
        area = _boundaries(run, sources, kreis)
        _points(run, sources, area)
        _population(run, sources, area)
        _deutschlandatlas(run, sources, area)
        _angebote(run, sources["angebote"], register)
        protocol = {
            "erstellt": datetime.now(timezone.utc).isoformat(timespec="seconds"), "kreis_ags": kreis,
            "kreis_name": f"{area.bez} {area.name}".strip(), "puffer_m": 15000,
            "kreise_im_gebiet": list(area.kreise), "quellen": run.protocol, "hinweise": run.notes,
        }
        stage.write_text(PROTOCOL_FILE, json.dumps(protocol, ensure_ascii=False, indent=2))
        written = stage.commit()
    except AtlasError as exc:
        stage.discard()
        raise SourceError(f"{str(exc).rstrip('.')}. Der Quellordner {folder} bleibt unverändert.") from exc
    except Exception as exc:  # noqa: BLE001 - never a traceback for the user; nothing is written
        stage.discard()
        raise SourceError(
            f"Download abgebrochen ({type(exc).__name__}: {exc}). Der Quellordner {folder} bleibt unverändert."
        ) from exc
    stage.discard()
    return DownloadResult(written, run.notes)
