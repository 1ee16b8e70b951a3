"""Settings: paths, coordinate reference systems and environment configuration.

All configuration is read from environment variables (or passed explicitly by the CLI), never
hard-wired into other modules:

``ATLAS_SOURCE_DIR``
    Folder with the third-party source files (default ``../shared/geodata-src`` relative to the
    project root). The project never commits copies of them.
``ATLAS_DATA_DIR``
    Folder for built data (default ``geodata/build`` in the project root).
``ATLAS_KREIS_AGS``
    The five-digit key of the Landkreis (default ``16066``, Schmalkalden-Meiningen).
``ATLAS_DATABASE_URL``
    SQLAlchemy URL of the offers register (default: SQLite file in the data folder).
``ATLAS_OSM_PBF``
    OSM ``.osm.pbf`` extract for road-network travel times (default: none, straight line).
``ATLAS_ADRESSEN_CSV``
    Address points (CSV) for the family page's street search (default: none).
``ATLAS_GTFS``
    GTFS timetable (zip) for travel times by bus and train (default: none).
``ATLAS_ZENSUS_100M``
    Zensus 2022 100-m population grid (CSV or the official ZIP) for reachability origins (default: none,
    1-km cells split over settlement points).
``ATLAS_DEBUG``
    ``1``: a page error is raised again after its German message (tests, development); default off.
``ATLAS_KARTEN_CACHE``
    ``0``: maps are built and rendered anew on every rerun instead of once per input (for the
    comparison in ``bench/bench_pages.py``); default on.

No other module reads the environment: each variable has one function here (a test checks this).
"""

from __future__ import annotations

import os
from pathlib import Path

#: Project root (the folder holding ``pyproject.toml``).
PROJECT_ROOT: Path = Path(__file__).resolve().parent.parent

#: Metric CRS for distances and areas: ETRS89 / UTM zone 32N.
METRIC_CRS: str = "EPSG:25832"
#: CRS for drawing maps (Leaflet).
MAP_CRS: str = "EPSG:4326"

#: Folder with the declarative layer definitions.
LAYERS_DIR: Path = PROJECT_ROOT / "layers"
#: Folder with descriptions of the inputs (sources, indicator catalogue, standards).
GEODATA_DIR: Path = PROJECT_ROOT / "geodata"
#: Standards, travel model and service levels (``geodata/standards.yaml``).
STANDARDS_FILE: Path = GEODATA_DIR / "standards.yaml"
#: Folder served by Streamlit's static file serving (``/app/static/...``).
STATIC_DIR: Path = PROJECT_ROOT / "static"

#: Name of the GeoPackage written by the build.
GPKG_NAME: str = "atlas.gpkg"
#: Name of the manifest written next to it.
MANIFEST_NAME: str = "manifest.json"

DEFAULT_KREIS_AGS: str = "16066"


def source_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Folder with the source files: *override*, else ``ATLAS_SOURCE_DIR``, else ``../shared/geodata-src``."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("ATLAS_SOURCE_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return (PROJECT_ROOT.parent / "shared" / "geodata-src").resolve()


def data_dir(override: str | os.PathLike[str] | None = None) -> Path:
    """Folder for built data: *override*, else ``ATLAS_DATA_DIR``, else ``geodata/build``."""
    if override:
        return Path(override).expanduser().resolve()
    env = os.environ.get("ATLAS_DATA_DIR")
    if env:
        return Path(env).expanduser().resolve()
    return (GEODATA_DIR / "build").resolve()


def kreis_ags(override: str | None = None) -> str:
    """Five-digit key of the Landkreis the atlas is built for."""
    value = override or os.environ.get("ATLAS_KREIS_AGS") or DEFAULT_KREIS_AGS
    if not (len(value) == 5 and value.isdigit()):
        from atlas.errors import AtlasError

        raise AtlasError(
            f"Der Kreisschlüssel (AGS) muss fünf Ziffern haben, z. B. 16066; angegeben war {value!r}."
        )
    return value


def gpkg_path(data: str | os.PathLike[str] | None = None) -> Path:
    """Path of the built GeoPackage."""
    return data_dir(data) / GPKG_NAME


def manifest_path(data: str | os.PathLike[str] | None = None) -> Path:
    """Path of the build manifest."""
    return data_dir(data) / MANIFEST_NAME


def gtfs_path(override: str | os.PathLike[str] | None = None) -> Path | None:
    """GTFS timetable (zip) for travel times by bus and train: *override*, else ``ATLAS_GTFS``, else None."""
    value = override or os.environ.get(ENV_GTFS)
    if not value:
        return None
    return Path(value).expanduser().resolve()


#: Environment variables read by this module, by purpose.
ENV_SOURCE_DIR = "ATLAS_SOURCE_DIR"
ENV_DATA_DIR = "ATLAS_DATA_DIR"
ENV_KREIS_AGS = "ATLAS_KREIS_AGS"
ENV_DATABASE_URL = "ATLAS_DATABASE_URL"
ENV_OSM_PBF = "ATLAS_OSM_PBF"
ENV_ADDRESS_CSV = "ATLAS_ADRESSEN_CSV"
ENV_GTFS = "ATLAS_GTFS"
ENV_DEBUG = "ATLAS_DEBUG"


def _env(name: str) -> str:
    """The stripped value of environment variable *name* ('' when unset)."""
    return os.environ.get(name, "").strip()


def debug_env() -> bool:
    """``ATLAS_DEBUG`` set to 1/true/yes: page errors are raised again after their German message."""
    return _env(ENV_DEBUG).lower() in ("1", "true", "yes")


def database_url_env() -> str:
    """``ATLAS_DATABASE_URL`` ('' when unset: the register then uses SQLite in the data folder)."""
    return _env(ENV_DATABASE_URL)


def osm_pbf_env() -> str:
    """``ATLAS_OSM_PBF`` ('' when unset: travel times from the straight line)."""
    return _env(ENV_OSM_PBF)


def address_csv_env() -> str:
    """``ATLAS_ADRESSEN_CSV`` ('' when unset: no street search)."""
    return _env(ENV_ADDRESS_CSV)


def map_cache_env() -> bool:
    """``ATLAS_KARTEN_CACHE`` (default on; ``0``/``false``/``no``: maps rendered on every rerun, as without cache)."""
    return _env("ATLAS_KARTEN_CACHE").lower() not in ("0", "false", "no")


def warm_up_env() -> bool:
    """``ATLAS_VORWAERMEN`` (default on; ``0``/``false``/``no``: ``scripts/serve.py`` does not open every page once
    after the start, so the first visitor of each page waits for its data and maps)."""
    return _env("ATLAS_VORWAERMEN").lower() not in ("0", "false", "no")


def zensus_100m_env() -> str:
    """``ATLAS_ZENSUS_100M`` ('' when unset: origins from the 1-km cells split over settlement points)."""
    return _env("ATLAS_ZENSUS_100M")


ENV_GEOCODER_URL = "ATLAS_GEOCODER_URL"
ENV_GEOCODER_AGENT = "ATLAS_GEOCODER_USER_AGENT"
#: Public Nominatim (usage policy: at most 1 request/s, an identifying User-Agent, results cached).
DEFAULT_GEOCODER_URL = "https://nominatim.openstreetmap.org/search"
#: (HTTP headers are Latin-1: keep it ASCII.)
DEFAULT_GEOCODER_AGENT = "Standortatlas/1.0 (Sozialplanung; set ATLAS_GEOCODER_USER_AGENT to name office and contact)"


def geocoder_url(override: str | None = None) -> str:
    """Search endpoint of a Nominatim-compatible geocoder: *override*, ``ATLAS_GEOCODER_URL``, public Nominatim."""
    return override or _env(ENV_GEOCODER_URL) or DEFAULT_GEOCODER_URL


def geocoder_user_agent() -> str:
    """User-Agent sent to the geocoder (``ATLAS_GEOCODER_USER_AGENT``; name your office and a contact).
    Characters outside Latin-1 are replaced (HTTP headers cannot carry them)."""
    value = _env(ENV_GEOCODER_AGENT) or DEFAULT_GEOCODER_AGENT
    return value.encode("latin-1", "replace").decode("latin-1")


def geocoder_cache_dir(data: str | os.PathLike[str] | None = None) -> Path:
    """On-disk cache of geocoder answers: ``geocode_cache`` in the data folder."""
    return data_dir(data) / "geocode_cache"
