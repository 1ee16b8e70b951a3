"""Cache keys for maps: one short string naming *every* input a map is built from.

The pages render a folium map once per input and keep the result (``pages/_maps.py``); a map must
change when any of its inputs changes – a new data build (:attr:`atlas.atlasdata.AtlasData.version`
changes with every ``atlas build``, also the one started by "Karten jetzt aktualisieren"), another
indicator, class count, filter, a changed layer file or indicator definition. :func:`map_key` turns
such inputs into a stable digest: numbers, strings, dates, sequences, sets (sorted), mappings (sorted by
key), dataclasses and pydantic models (all their fields, with their type name) are taken apart
recursively; a (Geo)DataFrame or Series is hashed by its *content* (columns, dtypes, index, values with
``pandas.util.hash_pandas_object``, geometries as WKB), so a map computed from a result table changes
exactly when the table does. Anything else – a folium object, an open file – is refused, so a key can
never silently miss an input by hashing an object's identity.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely
from pydantic import BaseModel


def _frame_digest(frame: pd.DataFrame | pd.Series) -> str:
    """A digest of a table's content: columns, dtypes, index and values (geometries as WKB)."""
    digest = hashlib.sha256()
    table = frame.to_frame() if isinstance(frame, pd.Series) else frame
    digest.update(json.dumps([[str(c), str(t)] for c, t in table.dtypes.items()]).encode("utf-8"))
    geometry = [c for c, t in table.dtypes.items() if isinstance(t, gpd.array.GeometryDtype)]
    for column in geometry:
        for wkb in shapely.to_wkb(table[column].to_numpy(), hex=False):
            digest.update(wkb if wkb is not None else b"-")
    plain = table.drop(columns=geometry)
    try:
        hashed = pd.util.hash_pandas_object(plain, index=True)
    except TypeError:  # unhashable cells (lists, dicts): by their text
        hashed = pd.util.hash_pandas_object(plain.astype(str), index=True)
    digest.update(hashed.to_numpy().tobytes())
    return digest.hexdigest()


def _plain(value: Any) -> Any:
    """*value* as JSON-compatible data that is equal exactly when the inputs are equal."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return repr(value) if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, PurePath):
        return str(value)
    if isinstance(value, enum.Enum):
        return {"__enum__": type(value).__qualname__, "value": _plain(value.value)}
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return {"__date__": value.isoformat()}
    if isinstance(value, (pd.DataFrame, pd.Series)):
        return {"__frame__": type(value).__qualname__, "digest": _frame_digest(value)}
    if isinstance(value, BaseModel):
        return {"__type__": type(value).__qualname__, **_plain(value.model_dump(mode="json"))}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
        return {"__type__": type(value).__qualname__, **fields}
    if isinstance(value, Mapping):
        return {"__map__": sorted(([_plain(k), _plain(v)] for k, v in value.items()), key=_sort_key)}
    if isinstance(value, (set, frozenset)):
        return {"__set__": sorted((_plain(v) for v in value), key=_sort_key)}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and callable(value.item):  # numpy scalars
        return _plain(value.item())
    raise TypeError(f"map_key: {type(value).__name__} kann nicht Teil eines Kartenschlüssels sein "
                    "(nur Zahlen, Texte, Daten, Folgen, Mengen, Abbildungen, Tabellen, Datenklassen und "
                    "pydantic-Modelle).")


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def map_key(*parts: Any) -> str:
    """A digest of *parts* (see the module docstring); equal inputs give equal keys in every process."""
    text = json.dumps([_plain(p) for p in parts], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
