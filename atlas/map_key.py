"""Cache keys for maps: one short string naming *every* input a map is built from.

The pages render a folium map once per input and keep the result (``pages/_maps.py``); a map must
change when any of its inputs changes – a new data build (:attr:`atlas.atlasdata.AtlasData.version`
changes with every ``atlas build``, also the one started by "Karten jetzt aktualisieren"), another
indicator, class count, filter, a changed layer file or indicator definition. :func:`map_key` turns
such inputs into a stable digest: numbers, strings, sequences, sets (sorted), mappings (sorted by key),
dataclasses and pydantic models (all their fields, with their type name) are taken apart recursively.
Anything else – a GeoDataFrame, a folium object – is refused, so a key can never silently miss an
input by hashing an object's identity.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import math
from collections.abc import Mapping
from pathlib import PurePath
from typing import Any

from pydantic import BaseModel


def _plain(value: Any) -> Any:
    """*value* as JSON-compatible data that is equal exactly when the inputs are equal."""
    if value is None or isinstance(value, (bool, str, int)):
        return value
    if isinstance(value, float):
        return repr(value) if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, PurePath):
        return str(value)
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
                    "(nur Zahlen, Texte, Folgen, Mengen, Abbildungen, Datenklassen und pydantic-Modelle).")


def _sort_key(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def map_key(*parts: Any) -> str:
    """A digest of *parts* (see the module docstring); equal inputs give equal keys in every process."""
    text = json.dumps([_plain(p) for p in parts], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
