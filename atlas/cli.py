"""Command line: ``atlas build``, ``atlas check``, ``atlas download`` (+ register: ``backup``, ``restore``).

Errors are printed in German on stderr and the exit code is 1; nothing already built is touched.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from atlas import schema, settings
from atlas.errors import AtlasError


def _cmd_build(args: argparse.Namespace) -> int:
    from atlas.build import build

    result = build(source=args.source, data=args.data, kreis=args.kreis, use_register=not args.ohne_register)
    info = result.manifest_data
    offers = info["angebote"]
    print(f"GeoPackage geschrieben: {result.gpkg}")
    print(f"Gemeinden: {info['gemeinden_anzahl']}, Einwohner (Zensus 2022): {info['einwohner_zensus_2022']}")
    print("Ebenen: " + ", ".join(f"{k} {v}" for k, v in info["ebenen"].items()))
    source = "Angebotsregister (Datenbank)" if offers["quelle"] == "register" else "CSV der öffentlichen Quellen"
    print(f"Angebote aus: {source}")
    print(f"Angebote: {offers['gesamt']} – verortet {json.dumps(offers['verortet'], ensure_ascii=False)}, "
          f"ohne Lage {len(offers['ohne_lage'])}")
    for row in offers["ohne_lage"]:
        print(f"  nicht verortet: {row['id']} {row['name']} – {row['grund']}")
    print(f"Dauer: {info['dauer_s']} s")
    return 0


def _cmd_check(args: argparse.Namespace) -> int:
    from atlas.datacheck import check_data_files

    data = settings.data_dir(args.data)
    with_build = args.data is not None or settings.gpkg_path(data).exists()
    report = check_data_files(Path(args.geodata) if args.geodata else None,
                              Path(args.layers) if args.layers else None, data if with_build else None)
    for line in report.checked:
        print(f"geprüft: {line}")
    for note in report.notes:
        print(f"Hinweis: {note}")
    if not with_build:
        print(f"Hinweis: keine gebauten Daten in {data} – die Ebenen wurden nicht mit den Daten abgeglichen.")
    for problem in report.problems:
        print(f"FEHLER: {problem}", file=sys.stderr)
    if not report.ok:
        print(f"{len(report.problems)} Problem(e) in den Datendateien.", file=sys.stderr)
        return 1
    print("Alle Datendateien sind gültig.")
    return 0


def _cmd_download(args: argparse.Namespace) -> int:
    from atlas.download import download

    written = download(args.dest, kreis=args.kreis, from_files=args.from_file, angebote=args.angebote)
    for path in written:
        print(f"geschrieben: {path}")
    for note in getattr(written, "hinweise", []):
        print(f"Hinweis: {note}")
    return 0


def _study_area_bbox(data: str | None) -> list[float]:
    """Kreis + 15 km of the built atlas, in degrees – the area a downloaded feed is cut to."""
    from atlas.accessibility.county import county_bbox_wgs84
    from atlas.atlasdata import load_atlas

    try:
        return county_bbox_wgs84(load_atlas(data))
    except AtlasError as exc:
        raise AtlasError(f"Für den Zuschnitt des Fahrplans fehlt das Gebiet: {exc} Alternativ --bbox angeben.") from exc


def _cmd_fahrplan(args: argparse.Namespace) -> int:
    from atlas.download.transit import download_gtfs, quellen_text

    if args.quellen or not args.dest:
        print(quellen_text())
        return 0
    bbox = [float(v) for v in args.bbox.split(",")] if args.bbox else _study_area_bbox(args.data)
    path = download_gtfs(args.dest, args.variante, bbox=bbox, aus_datei=args.aus_datei)
    print(f"Fahrplan gespeichert (Gebiet {', '.join(f'{v:.3f}' for v in bbox)}): {path}\n"
          f"Jetzt ATLAS_GTFS={path} setzen.")
    return 0


def _cmd_geocode(args: argparse.Namespace) -> int:
    from atlas.geocode import AnswerCache, Geocoder, geocode_register
    from atlas.register.store import RegisterStore

    gemeinden = _gemeinden_wgs84(args.data)
    store = RegisterStore.open(args.database, args.data)
    try:
        geocoder = Geocoder(args.url, cache=AnswerCache(settings.geocoder_cache_dir(args.data)))
        from atlas.sources import load_sources

        report = geocode_register(store, gemeinden, geocoder, load_sources()["angebote"].vertraulich,
                                  dry_run=args.probelauf, again=args.erneut)
    finally:
        store.dispose()
    for line in report.lines():
        print(line)
    if report.stored:
        print("Die Karten zeigen die neuen Lagen nach 'atlas build' (oder „Karten jetzt aktualisieren“).")
    return 0


def _gemeinden_wgs84(data: str | None) -> dict:
    import pyogrio

    path = settings.gpkg_path(data)
    if not path.exists():
        raise AtlasError(f"Es gibt noch keine aufbereiteten Daten ({path}); bitte zuerst 'atlas build' ausführen.")
    gem = pyogrio.read_dataframe(path, layer=schema.GEMEINDEN_LAYER, columns=["name"]).to_crs(settings.MAP_CRS)
    return dict(zip(gem["name"].astype(str), gem.geometry, strict=True))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="atlas", description="Standortatlas – Daten aufbereiten und prüfen")
    sub = parser.add_subparsers(dest="command", required=True)
    p_build = sub.add_parser("build", help="Quelldaten zu einem GeoPackage aufbereiten")
    p_build.add_argument("--source", help="Quellordner (Standard: ATLAS_SOURCE_DIR oder ../shared/geodata-src)")
    p_build.add_argument("--data", help="Zielordner (Standard: ATLAS_DATA_DIR oder geodata/build)")
    p_build.add_argument("--kreis", help="Kreisschlüssel, fünfstellig (Standard: ATLAS_KREIS_AGS oder 16066)")
    p_build.add_argument("--ohne-register", action="store_true",
                         help="Angebote aus der CSV-Quelle lesen, auch wenn es ein Angebotsregister gibt")
    p_build.set_defaults(func=_cmd_build)
    p_check = sub.add_parser("check", help="alle Datendateien prüfen (Quellen, Katalog, Ebenen, Kategorien, "
                                           "Standards, Themen, Zielgruppen, Texte, Folien)")
    p_check.add_argument("--data", help="Ordner der aufbereiteten Daten (Abgleich der Ebenen; Standard: wenn gebaut)")
    p_check.add_argument("--geodata", help="Ordner der Datendateien (Standard: geodata/)")
    p_check.add_argument("--layers", help="Ordner der Ebenen-Dateien (Standard: layers/)")
    p_check.set_defaults(func=_cmd_check)
    p_dl = sub.add_parser("download", help="Quelldaten von den amtlichen Endpunkten laden (braucht Internet)")
    p_dl.add_argument("--dest", required=True,
                      help="Zielordner für die Quelldateien (danach: atlas build --source ZIELORDNER)")
    p_dl.add_argument("--kreis", help="Kreisschlüssel, fünfstellig")
    p_dl.add_argument("--from-file", action="append", metavar="SCHLÜSSEL=PFAD",
                      help="Original aus einer lokalen Datei umwandeln statt laden (mehrfach möglich)")
    p_dl.add_argument("--angebote", metavar="PFAD", help="Angebotsregister (CSV) in den Quellordner übernehmen")
    p_dl.set_defaults(func=_cmd_download)
    p_fp = sub.add_parser("fahrplan", help="Bezugsquellen für Haltestellen und GTFS-Fahrpläne; Fahrplan laden")
    p_fp.add_argument("--quellen", action="store_true", help="Bezugsquellen anzeigen (ohne Internet)")
    p_fp.add_argument("--dest", help="Zielordner für den Fahrplan (GTFS-ZIP von gtfs.de)")
    p_fp.add_argument("--variante", default="nv", help="nv (Nahverkehr), rv (Regionalzüge), fv (Fernverkehr), alle")
    p_fp.add_argument("--bbox", help="Gebiet min_lon,min_lat,max_lon,max_lat (Standard: Kreis + 15 km des Builds)")
    p_fp.add_argument("--data", help="Ordner der aufbereiteten Daten (für das Gebiet)")
    p_fp.add_argument("--aus-datei", metavar="PFAD", help="GTFS-ZIP von Hand geladen (z. B. Mobilithek): nur zuschneiden")
    p_fp.set_defaults(func=_cmd_fahrplan)
    p_gc = sub.add_parser("geocode", help="Straßenadressen des Registers über einen Nominatim-Dienst in Lagen "
                                          "umrechnen (braucht Internet)")
    p_gc.add_argument("--data", help="Ordner der aufbereiteten Daten und des Registers")
    p_gc.add_argument("--database", help="Datenbankadresse (Standard: ATLAS_DATABASE_URL oder SQLite im Datenordner)")
    p_gc.add_argument("--url", help="Suchadresse des Dienstes (Standard: ATLAS_GEOCODER_URL oder nominatim.openstreetmap.org)")
    p_gc.add_argument("--probelauf", action="store_true", help="nur anfragen und berichten, nichts speichern")
    p_gc.add_argument("--erneut", action="store_true", help="auch schon geokodierte Angebote erneut anfragen")
    p_gc.set_defaults(func=_cmd_geocode)
    from atlas.register.cli import add_commands as add_register_commands

    add_register_commands(sub)
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except AtlasError as exc:
        print(f"Fehler: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
