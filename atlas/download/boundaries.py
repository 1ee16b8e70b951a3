"""Administrative boundaries from the BKG: VG250-EW (WFS) and VG5000 01.01.2021 (shapefile zip).

VG250-EW is requested from the BKG WFS ``wfs_vg250-ew`` as GeoJSON in EPSG:4326 (``SRSNAME=EPSG:4326``
gives longitude/latitude order, as the repository behind ``PROVENANCE.md`` shows) with a BBOX in
EPSG:25832 (no axis-order ambiguity) around the Kreis, paged with ``COUNT``/``STARTINDEX``. The
attributes are reduced the way the source folder has them: ``id, name, county, ags, pop (EWZ),
area_km2 (KFL), density, kind`` plus ``in_sm`` (= the Gemeinde belongs to the requested Kreis; the
column name is kept because the build's file layout uses it). Coordinates are not rounded.

VG5000 is read from the official zip with pyogrio (``/vsizip/``), reprojected from EPSG:31467 to
EPSG:4326 with all original attributes; GEM, KRS and VWG keep whole features intersecting the study
area, LAN is clipped to it and repaired with ``make_valid``.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import requests
import shapely

from atlas import settings
from atlas.download.http import fetch_bytes
from atlas.download.study_area import BUFFER_M, StudyArea
from atlas.errors import SourceError

WFS_URL = "https://sgx.geodatenzentrum.de/wfs_vg250-ew"
WFS_TITEL = "Gemeindegrenzen VG250-EW (BKG-WFS)"
VG5000_URL = "https://daten.gdz.bkg.bund.de/produkte/vg/vg5000_0101/2021/vg5000_01-01.gk3.shape.ebenen.zip"
VG5000_TITEL = "Verwaltungsgebiete VG5000 01.01.2021 (BKG)"
VG5000_CRS = "EPSG:31467"
#: Extra margin around the Kreis box for the WFS query (VG5000 is generalised).
_BBOX_MARGIN_M = 5_000.0
_PAGE = 1000
_MAX_PAGES = 200

VG250_COLUMNS = ["id", "name", "county", "ags", "pop", "area_km2", "density", "kind", "in_sm"]


# ------------------------------------------------------------------------------------------ VG5000

def read_vg5000(zip_path: Path) -> dict[str, gpd.GeoDataFrame]:
    """The GEM, KRS, VWG and LAN layers of the VG5000 "Ebenen" zip, keyed by level (lower case)."""
    try:
        with zipfile.ZipFile(zip_path) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceError(f"{VG5000_TITEL}: die Datei {zip_path.name} ist kein gültiges ZIP-Archiv ({exc}).") from exc
    layers: dict[str, gpd.GeoDataFrame] = {}
    for level in ("gem", "krs", "vwg", "lan"):
        member = next((n for n in names if n.lower().endswith(f"vg5000_{level}.shp")), None)
        if member is None:
            raise SourceError(f"{VG5000_TITEL}: im Archiv {zip_path.name} fehlt die Ebene VG5000_{level.upper()}.shp.")
        try:
            frame = gpd.read_file(f"/vsizip/{zip_path}/{member}")
        except Exception as exc:  # pyogrio raises several error types for broken files
            raise SourceError(f"{VG5000_TITEL}: {member} ist nicht lesbar ({exc}).") from exc
        if frame.crs is None:
            frame = frame.set_crs(VG5000_CRS)
        layers[level] = frame
    return layers


def kreis_bbox(vg5000: dict[str, gpd.GeoDataFrame], kreis: str) -> tuple[float, float, float, float]:
    """Box (EPSG:25832) around the Kreis in VG5000, widened by the buffer and a margin."""
    krs = vg5000["krs"]
    own = krs[krs["AGS"].astype(str) == kreis]
    if own.empty:
        raise SourceError(
            f"Der Kreis {kreis} ist in VG5000 (Stand 01.01.2021) nicht enthalten; bitte den Kreisschlüssel prüfen."
        )
    x0, y0, x1, y1 = own.to_crs(settings.METRIC_CRS).total_bounds
    pad = BUFFER_M + _BBOX_MARGIN_M
    return (float(x0 - pad), float(y0 - pad), float(x1 + pad), float(y1 + pad))


def convert_vg5000(vg5000: dict[str, gpd.GeoDataFrame], area: StudyArea
                   ) -> tuple[dict[str, gpd.GeoDataFrame], list[str]]:
    """Layers filtered to the study area (EPSG:4326) and the keys of the Kreise intersecting it."""
    out: dict[str, gpd.GeoDataFrame] = {}
    for level in ("gem", "krs", "vwg"):
        frame = vg5000[level]
        out[level] = frame[area.intersects(frame)].to_crs(settings.MAP_CRS).reset_index(drop=True)
    lan = vg5000["lan"].to_crs(settings.METRIC_CRS)
    clipped = shapely.make_valid(shapely.intersection(lan.geometry.to_numpy(), area.buffer))
    lan = lan.set_geometry(clipped)
    lan = lan[~lan.geometry.is_empty]
    out["lan"] = lan.to_crs(settings.MAP_CRS).reset_index(drop=True)
    kreise = sorted(out["krs"]["AGS"].astype(str).unique())
    if area.kreis not in kreise:
        raise SourceError(f"{VG5000_TITEL}: der Kreis {area.kreis} fehlt in der Kreisebene.")
    return out, kreise


# ------------------------------------------------------------------------------------- VG250-EW WFS

def wfs_params(typename: str, bbox: tuple[float, float, float, float], start: int, count: int) -> dict[str, str]:
    """Query parameters of one GetFeature page."""
    x0, y0, x1, y1 = bbox
    return {
        "SERVICE": "WFS", "VERSION": "2.0.0", "REQUEST": "GetFeature",
        "TYPENAMES": f"vg250-ew:{typename}", "SRSNAME": "EPSG:4326",
        "OUTPUTFORMAT": "application/json",
        "BBOX": f"{x0:.0f},{y0:.0f},{x1:.0f},{y1:.0f},urn:ogc:def:crs:EPSG::25832",
        "COUNT": str(count), "STARTINDEX": str(start),
    }


def parse_wfs_geojson(body: bytes, *, url: str) -> list[dict]:
    """Features of one WFS GeoJSON answer; an OGC exception report becomes :class:`SourceError`."""
    text = body.lstrip()
    if text.startswith(b"<"):
        snippet = text[:400].decode("utf-8", "replace")
        raise SourceError(f"{WFS_TITEL} – {url}: der Dienst meldete einen Fehler statt Daten: {snippet}")
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise SourceError(f"{WFS_TITEL} – {url}: die Antwort ist kein gültiges GeoJSON ({exc}).") from exc
    features = data.get("features") if isinstance(data, dict) else None
    if not isinstance(features, list):
        raise SourceError(f"{WFS_TITEL} – {url}: die Antwort enthält keine Objektliste ('features').")
    return features


def fetch_wfs_layer(url: str, typename: str, bbox: tuple[float, float, float, float], *,
                    session: requests.Session | None = None, page: int = _PAGE) -> list[dict]:
    """All features of *typename* in *bbox*, page by page."""
    features: list[dict] = []
    for number in range(_MAX_PAGES):
        body = fetch_bytes(url, titel=f"{WFS_TITEL}, Ebene {typename}",
                           params=wfs_params(typename, bbox, number * page, page), session=session)
        batch = parse_wfs_geojson(body, url=url)
        features.extend(batch)
        if len(batch) < page:
            return features
    raise SourceError(f"{WFS_TITEL} – {url}: mehr als {_MAX_PAGES * page} Objekte, Abfrage abgebrochen.")


def features_to_frame(features: list[dict], *, what: str) -> gpd.GeoDataFrame:
    """GeoDataFrame (EPSG:4326) with lower-case column names from GeoJSON features."""
    if not features:
        raise SourceError(f"{WFS_TITEL}: die Ebene {what} lieferte keine Objekte.")
    frame = gpd.GeoDataFrame.from_features(features, crs=settings.MAP_CRS)
    frame.columns = [c if c == "geometry" else str(c).lower() for c in frame.columns]
    return _fix_axis_order(frame)


def _fix_axis_order(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Swap x/y when a server answered latitude/longitude (Germany: lon 5–16°, lat 47–56°)."""
    x0, y0, x1, y1 = frame.total_bounds
    if 46 <= x0 and x1 <= 56 and 4 <= y0 and y1 <= 16 and not (46 <= y0 and y1 <= 56):
        return frame.set_geometry(shapely.transform(frame.geometry.to_numpy(), lambda c: c[:, ::-1]))
    return frame


def read_geojson_file(path: Path, *, what: str) -> list[dict]:
    """Features of a WFS answer saved as a file (for ``--from-file``)."""
    try:
        body = path.read_bytes()
    except OSError as exc:
        raise SourceError(f"{WFS_TITEL}: die Datei {path} ist nicht lesbar ({exc}).") from exc
    return parse_wfs_geojson(body, url=str(path))


def _key(frame: pd.DataFrame, column: str, width: int) -> pd.Series:
    return frame[column].astype(str).str.strip().str.zfill(width)


def convert_vg250(gem: gpd.GeoDataFrame, krs: gpd.GeoDataFrame | pd.DataFrame) -> gpd.GeoDataFrame:
    """VG250-EW Gemeinden (WFS attributes) → the reduced layout of the source folder (all rows)."""
    for column in ("ags", "gen", "ewz", "kfl"):
        if column not in gem.columns:
            raise SourceError(f"{WFS_TITEL}: der Ebene vg250_gem fehlt das Attribut '{column}'.")
    if "gf" in gem.columns:  # water areas (GF 1/2) are not Gemeinde land
        gem = gem[~pd.to_numeric(gem["gf"], errors="coerce").isin([1, 2])]
    ags = _key(gem, "ags", 8)
    kreis_key = _key(gem, "ars", 12).str[:5] if "ars" in gem.columns else ags.str[:5]
    krs_names: dict[str, tuple[str, str]] = {}
    if len(krs):
        keys = _key(krs, "ars" if "ars" in krs.columns else "ags", 5).str[:5]
        krs_names = {k: (str(g), str(b)) for k, g, b in zip(keys, krs["gen"], krs["bez"], strict=True)}
    county = [
        (str(name) if "kreisfrei" in krs_names.get(k, ("", ""))[1].lower() else krs_names.get(k, ("", ""))[0])
        for k, name in zip(kreis_key, gem["gen"], strict=True)
    ]
    pop = pd.to_numeric(gem["ewz"], errors="coerce").fillna(0).astype(int)
    area = pd.to_numeric(gem["kfl"], errors="coerce")
    out = gpd.GeoDataFrame({
        "id": ags.to_numpy(), "name": gem["gen"].astype(str).to_numpy(), "county": county,
        "ags": ags.to_numpy(), "pop": pop.to_numpy(), "area_km2": area.to_numpy(),
        "density": (pop / area).to_numpy(), "kind": "gemeinde",
    }, geometry=gem.geometry.to_numpy(), crs=gem.crs)
    if out["ags"].duplicated().any():  # several parts of one Gemeinde: one feature each
        geoms = out.groupby("ags", sort=False).geometry.agg(lambda g: shapely.union_all(g.to_numpy()))
        out = out.drop_duplicates("ags").set_index("ags", drop=False)
        out = out.set_geometry(geoms.reindex(out.index).to_numpy()).reset_index(drop=True)
    return out


def kreis_name(krs: gpd.GeoDataFrame | pd.DataFrame, vg5000_krs: gpd.GeoDataFrame, kreis: str) -> tuple[str, str]:
    """(name, Bezeichnung) of the Kreis from VG250 Kreise, else VG5000."""
    if len(krs) and "gen" in krs.columns:
        keys = _key(krs, "ars" if "ars" in krs.columns else "ags", 5).str[:5]
        row = krs[keys.to_numpy() == kreis]
        if len(row):
            return str(row["gen"].iloc[0]), str(row["bez"].iloc[0]) if "bez" in row.columns else ""
    row = vg5000_krs[vg5000_krs["AGS"].astype(str) == kreis]
    if len(row):
        return str(row["GEN"].iloc[0]), str(row["BEZ"].iloc[0])
    return f"Kreis {kreis}", ""


def select_vg250(gemeinden: gpd.GeoDataFrame, area: StudyArea) -> gpd.GeoDataFrame:
    """Gemeinden intersecting the study area, with ``in_sm`` (= in the requested Kreis)."""
    kept = gemeinden[area.intersects(gemeinden)].copy()
    kept["in_sm"] = kept["ags"].str.startswith(area.kreis)
    return kept[[*VG250_COLUMNS, "geometry"]].to_crs(settings.MAP_CRS).reset_index(drop=True)
