"""Origins: where people live, with population by age group and the Gemeinde key (``ags``).

Three origin models (field :attr:`Origins.modell`, German description :func:`origins_note`):

* ``raster_1km`` – the centre of each populated 1-km cell of the Census grid (the old model: often in
  forest next to the village);
* ``siedlungen`` – each 1-km cell's population placed on the settlements inside it
  (:func:`settlement_origins`): settlement markers are public transport stops and GeoNames localities;
  markers closer than 150 m merge (stops on both sides of a road); the cell's population and age groups
  are split **in equal shares** (whole people) over the merged markers (an ESTIMATE, labelled so), each share measured
  from its marker and belonging to the Gemeinde the marker lies in; a cell without a marker keeps its
  centre. The map shows each share as the part of the cell nearest to its marker (Voronoi, shapely);
* ``zensus_100m`` – the Zensus 2022 100-m grid when supplied (:func:`zensus100m_origins`, environment
  variable ``ATLAS_ZENSUS_100M``): each populated 100-m cell is an origin; age groups are not in that
  table and are ESTIMATED from the shares of the enclosing 1-km cell.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from atlas import schema
from atlas.accessibility._helpers import metric_xy, require_columns
from atlas.accessibility.errors import OriginsError
from atlas.settings import METRIC_CRS

#: Column names of the Census 2021 1-km grid (Eurostat/Destatis GEOSTAT format).
CENSUS_COLUMNS: dict[str, str] = {"einwohner": "T", "u15": "Y_LT15", "ue65": "Y_GE65"}


@dataclass(frozen=True)
class Origins:
    """Origins prepared for computation (all arrays have one entry per origin).

    Attributes
    ----------
    index:
        Index of the GeoDataFrame the origins came from (results are returned with it).
    xy:
        Coordinates in metres (*crs*), shape ``(n, 2)``.
    einwohner, u15, ue65:
        Population in total, under 15, 65 and over.
    ags:
        Gemeinde key per origin (string).
    crs:
        Metric CRS of *xy*.
    """

    index: pd.Index
    xy: np.ndarray
    einwohner: np.ndarray
    u15: np.ndarray
    ue65: np.ndarray
    ags: np.ndarray
    crs: str = METRIC_CRS
    #: Origin model: ``raster_1km``, ``siedlungen`` or ``zensus_100m`` (see module docstring).
    modell: str = "raster_1km"

    def __len__(self) -> int:
        return len(self.index)

    def subset(self, mask: np.ndarray) -> Origins:
        """The origins where boolean *mask* (or integer positions) selects."""
        return Origins(
            index=self.index[mask],
            xy=self.xy[mask],
            einwohner=self.einwohner[mask],
            u15=self.u15[mask],
            ue65=self.ue65[mask],
            ags=self.ags[mask],
            crs=self.crs,
            modell=self.modell,
        )


def prepare_origins(
    gdf: gpd.GeoDataFrame,
    *,
    einwohner: str = "einwohner",
    u15: str = "u15",
    ue65: str = "ue65",
    ags: str = "ags",
    crs: str = METRIC_CRS,
    only_populated: bool = True,
    cap_age_groups: bool = True,
) -> Origins:
    """Turn a GeoDataFrame of grid cells (points or polygons) into :class:`Origins`.

    Parameters
    ----------
    gdf:
        One row per cell; polygons are reduced to their centroid in *crs*.
    einwohner, u15, ue65, ags:
        Names of the columns holding total population, under 15, 65 and over, and the Gemeinde key.
    crs:
        Metric CRS for the computation (default EPSG:25832).
    only_populated:
        Drop cells with ``einwohner == 0`` (they do not change any population figure).
    cap_age_groups:
        Census grid values are perturbed for confidentiality, so in small cells an age group can
        exceed the total; by default such an age group is capped at the total. With ``False`` this
        raises :class:`OriginsError`.

    Raises
    ------
    OriginsError
        A column is missing, a population value is missing, negative or an age group exceeds the total.
    """
    what = "Ausgangspunkte (Rasterzellen)"
    require_columns(gdf, [einwohner, u15, ue65, ags], what, OriginsError)
    pops: dict[str, np.ndarray] = {}
    for label, col in (("einwohner", einwohner), ("u15", u15), ("ue65", ue65)):
        values = pd.to_numeric(gdf[col], errors="coerce").to_numpy(dtype=float)
        bad = np.isnan(values) | (values < 0)
        if bad.any():
            pos = int(np.flatnonzero(bad)[0])
            raise OriginsError(
                f"{what}: Spalte {col!r} enthält {int(bad.sum())} fehlende oder negative Werte, "
                f"z. B. in Zeile {gdf.index[pos]} ({gdf[col].iloc[pos]!r})."
            )
        pops[label] = values
    for label in ("u15", "ue65"):
        over = pops[label] > pops["einwohner"]
        if over.any() and cap_age_groups:
            pops[label] = np.minimum(pops[label], pops["einwohner"])
        elif over.any():
            pos = int(np.flatnonzero(over)[0])
            raise OriginsError(
                f"{what}: In Zeile {gdf.index[pos]} ist die Altersgruppe {label!r} größer als die "
                f"Einwohnerzahl insgesamt."
            )
    ags_values = gdf[ags]
    if bool(ags_values.isna().any()):
        pos = int(np.flatnonzero(ags_values.isna().to_numpy())[0])
        raise OriginsError(f"{what}: In Zeile {gdf.index[pos]} fehlt der Gemeindeschlüssel (Spalte {ags!r}).")
    xy = metric_xy(gdf, crs, what, OriginsError)
    origins = Origins(
        index=gdf.index,
        xy=xy,
        einwohner=pops["einwohner"],
        u15=pops["u15"],
        ue65=pops["ue65"],
        ags=ags_values.astype(str).to_numpy(dtype=object),
        crs=crs,
    )
    if only_populated:
        origins = origins.subset(origins.einwohner > 0)
    if len(origins) == 0:
        raise OriginsError(f"{what}: Es gibt keine bewohnte Zelle.")
    return origins


def assign_ags(
    cells: gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    *,
    ags: str = "ags",
    crs: str = METRIC_CRS,
) -> gpd.GeoDataFrame:
    """Copy of *cells* with column *ags* taken from the Gemeinde polygon that holds each cell's centroid.

    Cells whose centroid lies in no Gemeinde get the Gemeinde nearest to the centroid (border cells).
    """
    require_columns(gemeinden, [ags], "Gemeindegrenzen", OriginsError)
    pts = gpd.GeoDataFrame(geometry=cells.geometry.to_crs(crs).centroid, index=cells.index)
    gem = gemeinden[[ags, "geometry"]].to_crs(crs)
    joined = gpd.sjoin_nearest(pts, gem, how="left")
    joined = joined[~joined.index.duplicated(keep="first")]
    out = cells.copy()
    out[ags] = joined[ags].astype(str).reindex(cells.index).to_numpy()
    return out


def census_grid_origins(
    grid: gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    *,
    only_kreis: bool = True,
    ags: str = "ags",
    crs: str = METRIC_CRS,
    cap_age_groups: bool = True,
) -> Origins:
    """Origins from the Census 2021 1-km grid (columns ``T``, ``Y_LT15``, ``Y_GE65``).

    *gemeinden* gives the ``ags`` of each cell. With *only_kreis* only cells flagged
    ``centroid_in_sm`` are kept (if that column exists).
    """
    cells = grid
    if only_kreis and "centroid_in_sm" in grid.columns:
        cells = grid[grid["centroid_in_sm"].astype(bool)]
    cells = assign_ags(cells, gemeinden, ags=ags, crs=crs)
    return prepare_origins(
        cells,
        einwohner=CENSUS_COLUMNS["einwohner"],
        u15=CENSUS_COLUMNS["u15"],
        ue65=CENSUS_COLUMNS["ue65"],
        ags=ags,
        crs=crs,
        cap_age_groups=cap_age_groups,
    )


# ------------------------------------------------------------------------ where people live

#: German description of each origin model (page captions, comparison notes, README).
MODELL_TEXT: dict[str, str] = {
    "raster_1km": "Einwohner je 1-km-Rasterzelle (Zensus 2022), gemessen vom Zellmittelpunkt; Zellen gehören zu "
                  "der Gemeinde, in der ihr Mittelpunkt liegt.",
    "siedlungen": "Einwohner je 1-km-Rasterzelle (Zensus 2022), zu gleichen Teilen auf die Siedlungspunkte in der "
                  "Zelle verteilt (Haltestellen und Orte; geschätzte Anteile) und von dort gemessen; Zellen ohne "
                  "Siedlungspunkt vom Zellmittelpunkt.",
    "zensus_100m": "Einwohner je 100-m-Gitterzelle (Zensus 2022), gemessen vom Zellmittelpunkt; Altersgruppen aus "
                   "der umgebenden 1-km-Zelle geschätzt.",
}

#: Markers closer than this (m) count as one settlement point (stops on both sides of a road).
MERGE_M = 150.0
#: Environment variable naming the Zensus 2022 100-m grid (CSV or the official ZIP).
ZENSUS_100M_ENV = "ATLAS_ZENSUS_100M"


def origins_note(modell: str) -> str:
    """German one-liner on how the origins were placed (estimate labelled as such)."""
    return MODELL_TEXT.get(modell, MODELL_TEXT["raster_1km"])


def share_label(anteil: object, marker: object) -> str:
    """Tooltip line for a settlement share, e.g. ``"geschätzt: 1/3 der Rasterzelle, um Haltestelle
    Ernststraße, Meiningen"`` ('' for a whole cell or a 100-m cell)."""
    try:
        share = float(anteil)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return ""
    if not 0 < share < 1 - 1e-9:
        return ""
    where = f", um {marker}" if marker else ""
    return f"geschätzt: 1/{round(1 / share)} der Rasterzelle{where}"


def _merge_markers(xy: np.ndarray, names: np.ndarray, merge_m: float) -> tuple[np.ndarray, np.ndarray]:
    """Greedy clustering within *merge_m* (scipy cKDTree pairs + connected components)."""
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components
    from scipy.spatial import cKDTree

    if len(xy) <= 1:
        return xy, names
    pairs = cKDTree(xy).query_pairs(merge_m, output_type="ndarray")
    graph = coo_matrix((np.ones(len(pairs)), (pairs[:, 0], pairs[:, 1])), shape=(len(xy), len(xy)))
    n, labels = connected_components(graph, directed=False)
    out_xy = np.vstack([xy[labels == k].mean(axis=0) for k in range(n)])
    out_names = np.array([names[np.flatnonzero(labels == k)[0]] for k in range(n)], dtype=object)
    return out_xy, out_names


def _equal_integer_shares(total: float, n: int) -> list[float]:
    """*total* (whole people) in *n* nearly equal whole parts that add up to it (the first get the rest)."""
    whole = int(round(total))
    base, rest = divmod(whole, n)
    return [float(base + (1 if k < rest else 0)) for k in range(n)]


def settlement_origins(
    cells: gpd.GeoDataFrame,
    markers: gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    *,
    merge_m: float = MERGE_M,
    crs: str = METRIC_CRS,
) -> gpd.GeoDataFrame:
    """One row per settlement share of each populated cell (see module docstring).

    Parameters
    ----------
    cells:
        1-km cells (polygons) with ``grd_id``, ``einwohner``, ``u15``, ``ue65``, ``ags``.
    markers:
        Settlement markers (points) with a ``marker`` column (label, e.g. "Haltestelle Ernststraße").
    gemeinden:
        Gemeinden of the Kreis (``ags``, polygons): markers outside them are ignored; a share belongs to
        the Gemeinde its marker lies in.

    Returns a GeoDataFrame (polygons = the part of the cell nearest to the marker, *crs*) with
    ``origin_id`` (``grd_id`` or ``grd_id-k``), ``grd_id``, ``x``, ``y`` (the marker, metres), ``ags``,
    ``einwohner``, ``u15``, ``ue65`` (floats), ``anteil`` (share of the cell), ``marker``, ``modell``.
    Population sums per cell are preserved.
    """
    import shapely

    require_columns(cells, ["grd_id", "einwohner", "u15", "ue65", "ags"], "Rasterzellen", OriginsError)
    cells = cells.to_crs(crs)
    cells = cells[pd.to_numeric(cells["einwohner"]) > 0]
    gem = gemeinden[["ags", "geometry"]].to_crs(crs)
    mk = markers.to_crs(crs)
    mk = mk[~mk.geometry.is_empty & mk.geometry.notna()]
    inside = gpd.sjoin(gpd.GeoDataFrame({"marker": mk["marker"].astype(str).to_numpy()},
                                        geometry=mk.geometry.to_numpy(), crs=crs),
                       gem, how="inner", predicate="within")
    inside = inside[~inside.index.duplicated()]
    in_cell = gpd.sjoin(inside[["marker", "ags", "geometry"]], cells[["grd_id", "geometry"]], how="inner",
                        predicate="within")
    by_cell: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    for grd, part in in_cell.groupby("grd_id", sort=False):
        xy = np.column_stack([part.geometry.x.to_numpy(), part.geometry.y.to_numpy()])
        by_cell[str(grd)] = _merge_markers(xy, part["marker"].to_numpy(dtype=object), merge_m)
    rows: list[dict] = []
    geoms: list[object] = []
    gem_tree = gem.sindex
    for cell in cells.itertuples(index=False):
        poly = cell.geometry
        grd = str(cell.grd_id)
        pops = (float(cell.einwohner), float(cell.u15), float(cell.ue65))
        if grd not in by_cell:
            c = poly.centroid
            rows.append({"origin_id": grd, "grd_id": grd, "x": c.x, "y": c.y, "ags": str(cell.ags),
                         "einwohner": pops[0], "u15": pops[1], "ue65": pops[2], "anteil": 1.0,
                         "marker": "Zellmitte (kein Siedlungspunkt)"})
            geoms.append(poly)
            continue
        xy, names = by_cell[grd]
        n = len(xy)
        pts = shapely.points(xy)
        if n == 1:
            parts = [poly]
        else:
            regions = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=poly))
            parts = []
            for p in pts:  # the Voronoi region holding each marker, clipped to the cell
                hit = [r for r in regions if r.covers(p)]
                parts.append(shapely.intersection(hit[0], poly) if hit else poly)
        shares = [_equal_integer_shares(v, n) for v in pops]  # whole people, sums kept per cell
        for k in range(n):
            idx = gem_tree.query(pts[k], predicate="within")
            ags = str(gem["ags"].iloc[int(idx[0])]) if len(idx) else str(cell.ags)
            rows.append({"origin_id": f"{grd}-{k + 1}", "grd_id": grd, "x": float(xy[k, 0]), "y": float(xy[k, 1]),
                         "ags": ags, "einwohner": shares[0][k], "u15": shares[1][k], "ue65": shares[2][k],
                         "anteil": 1.0 / n, "marker": str(names[k])})
            geoms.append(parts[k])
    out = gpd.GeoDataFrame(rows, geometry=geoms, crs=crs)
    out["modell"] = "siedlungen"
    return out


#: File name of the 100-m grid cut to the study area (written by ``atlas download``, read by the build
#: when ``ATLAS_ZENSUS_100M`` is not set).
ZENSUS_100M_FILE = "zensus2022_100m_sm_buffer15km.csv"
_ZENSUS_COLUMNS = ["GITTER_ID_100m", "x_mp_100m", "y_mp_100m", "Einwohner"]


def _zensus_chunks(path: Path, chunksize: int | None):
    """Chunks of the 100-m table (CSV, or the official ZIP holding it); German errors."""
    import zipfile

    if not path.is_file():
        raise OriginsError(f"Zensus-100-m-Gitter: Die Datei {str(path)!r} wurde nicht gefunden.")
    opts = {"sep": ";", "usecols": _ZENSUS_COLUMNS, "dtype": str, "encoding": "utf-8-sig", "chunksize": chunksize}
    try:
        if path.suffix.lower() == ".zip":
            with zipfile.ZipFile(path) as zf:
                members = [m for m in zf.namelist() if "100m" in m and m.lower().endswith(".csv")]
                if not members:
                    raise OriginsError(f"Zensus-100-m-Gitter: In {path.name} gibt es keine CSV-Datei mit '100m' im Namen.")
                with zf.open(members[0]) as fh:
                    if chunksize is None:
                        yield pd.read_csv(fh, **opts)
                    else:
                        yield from pd.read_csv(fh, **opts)
        elif chunksize is None:
            yield pd.read_csv(path, **opts)
        else:
            yield from pd.read_csv(path, **opts)
    except ValueError as exc:
        raise OriginsError(f"Zensus-100-m-Gitter {path.name}: erwartete Spalten {', '.join(_ZENSUS_COLUMNS)} "
                           f"(Trennzeichen ;) – {exc}") from None


def cut_zensus_100m(path: str | os.PathLike[str], area_3035: object, chunksize: int = 500_000) -> pd.DataFrame:
    """The rows of the (national) 100-m table whose cell centre lies in *area_3035* (a shapely polygon in
    EPSG:3035), read in chunks so that the ≈ 3 million rows never sit in memory at once."""
    import shapely

    minx, miny, maxx, maxy = shapely.bounds(area_3035)
    parts = []
    for chunk in _zensus_chunks(Path(path), chunksize):
        x = pd.to_numeric(chunk["x_mp_100m"], errors="coerce")
        y = pd.to_numeric(chunk["y_mp_100m"], errors="coerce")
        box_hit = (x >= minx) & (x <= maxx) & (y >= miny) & (y <= maxy)
        if not box_hit.any():
            continue
        sub = chunk[box_hit]
        inside = shapely.contains_xy(area_3035, x[box_hit].to_numpy(), y[box_hit].to_numpy())
        parts.append(sub[inside])
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=_ZENSUS_COLUMNS)


def _read_zensus_100m_table(path: str | os.PathLike[str]) -> pd.DataFrame:
    """The 100-m table (CSV, ``;``-separated, or the official ZIP holding it), German errors."""
    return next(iter(_zensus_chunks(Path(path), None)))


def zensus100m_origins(
    path: str | os.PathLike[str],
    cells: gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    *,
    crs: str = METRIC_CRS,
) -> gpd.GeoDataFrame:
    """Origins from the Zensus 2022 100-m grid (columns ``GITTER_ID_100m``, ``x_mp_100m``, ``y_mp_100m``
    (cell centre, EPSG:3035), ``Einwohner``), limited to the Gemeinden given.

    Age groups: the shares of the 1-km cell (*cells*, with ``grd_id``, ``einwohner``, ``u15``, ``ue65``)
    that holds the 100-m centre (an ESTIMATE). Non-numeric or negative counts (secrecy marks) count as 0
    and are dropped. Same columns as :func:`settlement_origins` (``marker`` = the 100-m cell id).
    """
    table = _read_zensus_100m_table(path)
    x = pd.to_numeric(table["x_mp_100m"], errors="coerce")
    y = pd.to_numeric(table["y_mp_100m"], errors="coerce")
    pop = pd.to_numeric(table["Einwohner"].str.replace(",", ".", regex=False), errors="coerce").fillna(0.0)
    keep = x.notna() & y.notna() & (pop > 0)
    gem = gemeinden[["ags", "geometry"]].to_crs(crs)
    bounds = gem.to_crs("EPSG:3035").total_bounds
    keep &= (x >= bounds[0] - 100) & (x <= bounds[2] + 100) & (y >= bounds[1] - 100) & (y <= bounds[3] + 100)
    t = table[keep]
    pts = gpd.GeoDataFrame({"marker": t["GITTER_ID_100m"].astype(str).to_numpy(),
                            "einwohner": pop[keep].to_numpy(dtype=float)},
                           geometry=gpd.points_from_xy(x[keep], y[keep]), crs="EPSG:3035")
    squares = pts.geometry.buffer(50.0, cap_style="square")
    pts = pts.to_crs(crs)
    pts["square"] = gpd.GeoSeries(squares.to_numpy(), crs="EPSG:3035").to_crs(crs).to_numpy()
    pts = gpd.sjoin(pts, gem, how="inner", predicate="within").drop(columns="index_right")
    pts = pts[~pts.index.duplicated()]
    if len(pts) == 0:
        raise OriginsError(f"Zensus-100-m-Gitter {Path(path).name}: keine bewohnte Zelle im Kreis.")
    c = cells.to_crs(crs)
    share = pd.DataFrame({"grd_id": c["grd_id"].astype(str).to_numpy(),
                          "a_u15": (pd.to_numeric(c["u15"]) / pd.to_numeric(c["einwohner"]).replace(0, np.nan)).to_numpy(),
                          "a_ue65": (pd.to_numeric(c["ue65"]) / pd.to_numeric(c["einwohner"]).replace(0, np.nan)).to_numpy()})
    joined = gpd.sjoin(pts, gpd.GeoDataFrame(share, geometry=c.geometry.to_numpy(), crs=crs), how="left",
                       predicate="within")
    joined = joined[~joined.index.duplicated()]
    a_u15 = np.clip(joined["a_u15"].fillna(np.nanmean(share["a_u15"])).to_numpy(dtype=float), 0, 1)
    a_ue65 = np.clip(joined["a_ue65"].fillna(np.nanmean(share["a_ue65"])).to_numpy(dtype=float), 0, 1)
    out = gpd.GeoDataFrame({
        "origin_id": joined["marker"].to_numpy(), "grd_id": joined["grd_id"].fillna("").astype(str).to_numpy(),
        "x": joined.geometry.x.to_numpy(), "y": joined.geometry.y.to_numpy(), "ags": joined["ags"].astype(str).to_numpy(),
        "einwohner": joined["einwohner"].to_numpy(dtype=float),
        "u15": np.round(joined["einwohner"].to_numpy(dtype=float) * a_u15),
        "ue65": np.round(joined["einwohner"].to_numpy(dtype=float) * a_ue65),
        "anteil": 1.0, "marker": joined["marker"].to_numpy(),
    }, geometry=joined["square"].to_numpy(), crs=crs)
    out["modell"] = "zensus_100m"
    return out.reset_index(drop=True)


def origins_from_layer(layer: gpd.GeoDataFrame) -> Origins:
    """:class:`Origins` from a layer written by :func:`settlement_origins` / :func:`zensus100m_origins`
    (measured from ``x``, ``y``, not from the polygon), index ``origin_id``."""
    require_columns(layer, ["origin_id", "x", "y", "einwohner", "u15", "ue65", "ags"], "Wohnorte", OriginsError)
    frame = layer.set_index("origin_id", drop=False)
    origins = Origins(
        index=frame.index,
        xy=np.column_stack([pd.to_numeric(frame["x"]).to_numpy(dtype=float), pd.to_numeric(frame["y"]).to_numpy(dtype=float)]),
        einwohner=pd.to_numeric(frame["einwohner"]).to_numpy(dtype=float),
        u15=np.minimum(pd.to_numeric(frame["u15"]).to_numpy(dtype=float), pd.to_numeric(frame["einwohner"]).to_numpy(dtype=float)),
        ue65=np.minimum(pd.to_numeric(frame["ue65"]).to_numpy(dtype=float), pd.to_numeric(frame["einwohner"]).to_numpy(dtype=float)),
        ags=frame["ags"].astype(str).to_numpy(dtype=object),
        crs=str(layer.crs) if layer.crs is not None else METRIC_CRS,
        modell=str(frame["modell"].iloc[0]) if "modell" in frame.columns and len(frame) else "siedlungen",
    )
    return origins.subset(origins.einwohner > 0)


def build_wohnorte(
    grid: gpd.GeoDataFrame,
    gemeinden: gpd.GeoDataFrame,
    orte: gpd.GeoDataFrame,
    stops: gpd.GeoDataFrame | None,
    zensus_100m: str | os.PathLike[str] | None = None,
) -> gpd.GeoDataFrame:
    """The build's origin layer ``wohnorte``: the Zensus 100-m grid when *zensus_100m* names a file,
    else settlement shares of the 1-km cells in the Kreis (``in_kreis``) on stops and localities."""
    cells = grid[grid["in_kreis"].astype(bool)] if "in_kreis" in grid.columns else grid
    if zensus_100m:
        return zensus100m_origins(zensus_100m, cells, gemeinden)
    parts = [gpd.GeoDataFrame({"marker": ("Ort " + orte["name"].astype(str)).to_numpy()},
                              geometry=orte.geometry.to_numpy(), crs=orte.crs)]
    if stops is not None and len(stops):
        parts.append(gpd.GeoDataFrame({"marker": ("Haltestelle " + stops["name"].astype(str)).to_numpy()},
                                      geometry=stops.geometry.to_numpy(), crs=stops.crs).to_crs(orte.crs))
    markers = gpd.GeoDataFrame(pd.concat(parts, ignore_index=True), crs=orte.crs)
    out = settlement_origins(cells, markers, gemeinden)
    import shapely

    polys = [shapely.union_all(shapely.get_parts(g)[shapely.get_type_id(shapely.get_parts(g)) >= 3])
             if g.geom_type not in ("Polygon", "MultiPolygon") else g for g in out.geometry]
    out = out.set_geometry(gpd.GeoSeries(polys, crs=out.crs))
    return out


#: The stop register's file name in the source folder (PROVENANCE §11), read when the build has no
#: ``haltestellen`` layer of its own.
STOPS_FILE = "haltestellen_db_hafas_sm_buffer15km.geojson"


def stop_markers(layers: dict, folder: str | os.PathLike[str]) -> gpd.GeoDataFrame | None:
    """Stops as settlement markers: the build's ``haltestellen`` layer, else the stop file in the
    source folder, else None (then only localities mark settlements)."""
    if layers.get(schema.STOPS_LAYER) is not None:
        return layers[schema.STOPS_LAYER]
    path = Path(folder) / STOPS_FILE
    if not path.is_file():
        return None
    import pyogrio

    return pyogrio.read_dataframe(path, columns=["name"])


def zensus_100m_source(folder: str | os.PathLike[str]) -> str | None:
    """The Zensus 100-m grid to use: ``ATLAS_ZENSUS_100M``, else :data:`ZENSUS_100M_FILE` in the source
    folder (written by ``atlas download --from-file zensus_100m=…``), else None."""
    from atlas import settings

    given = settings.zensus_100m_env()
    if given:
        return given
    cut = Path(folder) / ZENSUS_100M_FILE
    return str(cut) if cut.is_file() else None
