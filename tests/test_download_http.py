"""``atlas download`` over HTTP, against a local server on 127.0.0.1 serving SYNTHETIC originals.

No request leaves the machine: every endpoint is replaced by a URL of the local server (or, for the
CLI, by a closed local port).
"""

from __future__ import annotations

import hashlib
import http.server
import threading
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest

import atlas.download as dl
from atlas import cli
from atlas.download import boundaries, download
from atlas.download.http import fetch_to_file
from atlas.errors import SourceError
from atlas.sources import load_sources, read_table, read_vector
from tests.fixtures import synthetic_download_originals as syn


class _Server:
    """A threaded HTTP server on 127.0.0.1 with per-path handlers; records every request."""

    def __init__(self, routes: dict) -> None:
        self.routes = routes
        self.requests: list[str] = []
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 - http.server API
                url = urlparse(self.path)
                server.requests.append(self.path)
                route = server.routes.get(url.path)
                if route is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                status, body, declared = route({k: v[0] for k, v in parse_qs(url.query).items()})
                self.send_response(status)
                self.send_header("Content-Length", str(declared if declared is not None else len(body)))
                self.end_headers()
                self.wfile.write(body)
                self.wfile.flush()
                if declared is not None:  # truncated answer: close before the declared length
                    self.close_connection = True

            def log_message(self, *args: object) -> None:
                return

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def __enter__(self) -> "_Server":
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)


def _static(body: bytes):
    return lambda _q: (200, body, None)


def _wfs(q: dict) -> tuple[int, bytes, None]:
    assert q["BBOX"].endswith("urn:ogc:def:crs:EPSG::25832") and q["SRSNAME"] == "EPSG:4326"
    features = syn.wfs_gem_features() if q["TYPENAMES"] == "vg250-ew:vg250_gem" else syn.wfs_krs_features()
    return 200, syn.wfs_page(features, int(q["STARTINDEX"]), int(q["COUNT"])), None


@pytest.fixture()
def originals(tmp_path: Path) -> dict[str, bytes]:
    folder = tmp_path / "originale-synthetisch"
    folder.mkdir()
    return {
        "/vg5000.zip": syn.vg5000_zip(folder).read_bytes(),
        "/DE.zip": syn.geonames_zip(folder).read_bytes(),
        "/db-stations-5.0.2.tgz": syn.db_stations_tgz(folder).read_bytes(),
        "/db-hafas-stations-2.0.0.tgz": syn.hafas_stops_tgz(folder).read_bytes(),
        "/grid.zip": syn.census_grid_zip(folder).read_bytes(),
    }


@pytest.fixture()
def server(originals):
    routes = {path: _static(body) for path, body in originals.items()}
    routes["/wfs"] = _wfs
    grid = originals["/grid.zip"]
    routes["/grid-abgebrochen.zip"] = lambda _q: (200, grid[: len(grid) // 2], len(grid))
    routes["/kaputt"] = lambda _q: (500, b"Interner Fehler", None)
    with _Server(routes) as running:
        yield running


def _urls(base: str, grid: str = "/grid.zip") -> dict[str, list[str]]:
    return {"vg5000": [f"{base}/vg5000.zip"], "vg250_gem": [f"{base}/wfs"], "geonames": [f"{base}/DE.zip"],
            "db_stations": [f"{base}/db-stations-5.0.2.tgz"],
            "db_hafas_stations": [f"{base}/db-hafas-stations-2.0.0.tgz"], "raster_1km": [f"{base}/fehlt.zip", f"{base}{grid}"]}


def _snapshot(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_download_over_http_writes_the_build_layout(server, tmp_path):
    dest = tmp_path / "quellen"
    result = download(dest, syn.KREIS, urls=_urls(server.base))
    sources = load_sources()
    automatic = [k for k in sources if k != "angebote" and k != "zensus_gemeinden" and not k.startswith("da_")]
    for key in automatic:  # the build's own readers accept every file written
        source = sources[key]
        frame = read_vector(source, dest) if source.format == "vector" else read_table(source, dest)
        assert len(frame) > 0, key
    assert read_vector(sources["gemeinden"], dest).crs.to_epsg() == 4326
    assert read_vector(sources["raster_1km"], dest).crs.to_epsg() == 3035
    names = {p.name for p in result}
    assert {"study_area_sm_buffer15km.geojson", "download_protokoll.json"} <= names
    assert not [p for p in dest.iterdir() if p.name.startswith(".download-")]
    # grid: the first URL answers 404, the second one is used
    assert "/fehlt.zip" in server.requests and "/grid.zip" in server.requests
    # WFS: one page per layer, both with a BBOX in EPSG:25832
    assert sum(r.startswith("/wfs?") for r in server.requests) == 2
    zensus, atlas_note, register = result.hinweise
    assert zensus == (
        "Zensus 2022, Tabelle 1000A-0000 (Bevölkerung kompakt): kein bestätigter Direkt-Download – bitte manuell "
        "laden von https://ergebnisse.zensus2022.de/datenbank/online/statistic/1000A/table/1000A-0000 und als "
        f"{dest}/originale/1000A-0000_de_flat.csv ablegen (oder mit --from-file zensus_gemeinden=PFAD angeben); "
        "daraus entstehen zensus2022_bevoelkerung_gemeinden_sm_region.csv."
    )
    assert atlas_note.startswith(
        "Deutschlandatlas (Arbeitsmappe Deutschlandatlas-Daten.xlsx): kein bestätigter Direkt-Download – bitte "
        "manuell laden von https://www.deutschlandatlas.bund.de/SharedDocs/Downloads/DE/Deutschlandatlas-Daten.html"
    )
    assert register.startswith("Angebotsregister (Erststand aus öffentlichen Quellen): ohne Endpunkt – bitte mit "
                                "--angebote PFAD")


def test_manually_placed_originals_are_converted(server, tmp_path):
    dest = tmp_path / "quellen"
    (dest / "originale").mkdir(parents=True)
    syn.zensus_flat_csv(dest / "originale")
    sources = load_sources()
    register = syn.angebote_csv(tmp_path, sources["angebote"].spalten)
    result = download(dest, syn.KREIS, urls=_urls(server.base), angebote=register,
                      from_files={"deutschlandatlas": syn.deutschlandatlas_xlsx(
                          tmp_path, {f"Deutschlandatlas_{k.removeprefix('da_').upper()}": s.schluessel
                                     for k, s in sources.items() if k.startswith("da_")})})
    assert result.hinweise == []
    for key, source in sources.items():
        frame = read_vector(source, dest) if source.format == "vector" else read_table(source, dest)
        assert len(frame) > 0, key
    assert read_table(sources["angebote"], dest)["id"].tolist() == ["SYN-0001"]



def test_optional_zensus_100m_grid_is_cut_to_the_study_area(server, tmp_path):
    from pyproj import Transformer

    from atlas.accessibility.origins import ZENSUS_100M_FILE

    to_3035 = Transformer.from_crs("EPSG:25832", "EPSG:3035", always_xy=True)
    inside = to_3035.transform(605_000, 5_605_000)  # in Synthdorf A (SYNTHETIC)
    far = to_3035.transform(900_000, 5_900_000)  # far outside the 15-km buffer
    grid = tmp_path / "Zensus2022_Bevoelkerungszahl_100m-Gitter.csv"
    grid.write_text("GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner\n"
                    f"N1E1;{inside[0]:.0f};{inside[1]:.0f};17\nN2E2;{far[0]:.0f};{far[1]:.0f};99\n", encoding="utf-8")
    dest = tmp_path / "quellen"
    download(dest, syn.KREIS, urls=_urls(server.base), from_files={"zensus_100m": grid})
    cut = (dest / ZENSUS_100M_FILE).read_text(encoding="utf-8").splitlines()
    assert cut[0] == "GITTER_ID_100m;x_mp_100m;y_mp_100m;Einwohner" and len(cut) == 2 and cut[1].startswith("N1E1;")
    # without the original nothing is written and no note asks for it (it is optional)
    other = tmp_path / "ohne"
    result = download(other, syn.KREIS, urls=_urls(server.base))
    assert not (other / ZENSUS_100M_FILE).exists()
    assert not any("100-m" in note for note in result.hinweise)


def test_wfs_is_read_page_by_page(server):
    features = boundaries.fetch_wfs_layer(f"{server.base}/wfs", "vg250_gem", (0, 0, 1, 1), page=2)
    assert len(features) == len(syn.wfs_gem_features()) == 6
    starts = [r for r in server.requests if "STARTINDEX" in r]
    assert len(starts) == 4  # 2 + 2 + 2 + an empty last page


def test_truncated_download_leaves_a_complete_folder_untouched(server, tmp_path):
    dest = tmp_path / "quellen"
    download(dest, syn.KREIS, urls=_urls(server.base))
    before = _snapshot(dest)
    url = f"{server.base}/grid-abgebrochen.zip"
    with pytest.raises(SourceError) as info:
        download(dest, syn.KREIS, urls={**_urls(server.base), "raster_1km": [url]})
    message = str(info.value)
    assert message.startswith(f"Download fehlgeschlagen: Census 2021 population grid 1 km (Eurostat/GISCO) – {url}: ")
    assert "unvollständig" in message and message.endswith(f"Der Quellordner {dest} bleibt unverändert.")
    assert _snapshot(dest) == before


def test_http_error_status_is_named(server, tmp_path):
    target = tmp_path / "x.bin"
    with pytest.raises(SourceError, match=r"^Download fehlgeschlagen: Testquelle – http://127\.0\.0\.1:\d+/kaputt: "
                                          r"der Server antwortete mit HTTP-Status 500$"):
        fetch_to_file(f"{server.base}/kaputt", target, titel="Testquelle")
    assert not target.exists()


def _closed_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_cli_without_network_ends_with_a_german_error(monkeypatch, tmp_path, capsys):
    url = f"http://127.0.0.1:{_closed_port()}/vg5000_01-01.gk3.shape.ebenen.zip"
    monkeypatch.setitem(dl.ORIGINALS, "vg5000", dl.Original("vg5000", boundaries.VG5000_TITEL, (url,),
                                                            "https://gdz.bkg.bund.de/", "vg5000.zip"))
    dest = tmp_path / "neu"
    assert cli.main(["download", "--dest", str(dest), "--kreis", "16066"]) == 1
    err = capsys.readouterr().err
    assert err == (f"Fehler: Download fehlgeschlagen: Verwaltungsgebiete VG5000 01.01.2021 (BKG) – {url}: Server "
                   "nicht erreichbar (keine Internetverbindung oder Adresse nicht auflösbar). "
                   f"Der Quellordner {dest} bleibt unverändert.\n")
    assert not dest.exists()


def test_cli_rejects_a_malformed_from_file(tmp_path, capsys):
    assert cli.main(["download", "--dest", str(tmp_path), "--from-file", "orte"]) == 1
    assert capsys.readouterr().err == "Fehler: --from-file erwartet SCHLÜSSEL=PFAD, angegeben war 'orte'.\n"
