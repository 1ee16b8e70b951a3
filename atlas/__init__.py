"""Standortatlas – Standorte sozialer Infrastruktur eines Landkreises.

The package is organised by what users do and what the data is:

* :mod:`atlas.settings`   – paths, CRS and environment configuration (the only reader of the environment)
* :mod:`atlas.schema`     – names and columns of the built GeoPackage layers (build ↔ readers)
* :mod:`atlas.datafile`   – the one loader for data files (YAML → pydantic, German errors); ``atlas.datacheck``
  validates them all (``atlas check``)
* :mod:`atlas.sources`    – the third-party input files (description, reading, validation, download)
* :mod:`atlas.build`      – the build pipeline: sources → one GeoPackage + manifest
* :mod:`atlas.download`   – ``atlas download``: fetch the sources from their official endpoints
* :mod:`atlas.placement`  – placing offers without coordinates at Ortsteil or Gemeinde precision
* :mod:`atlas.indicators` – the indicator catalogue (data in ``geodata/indicators.yaml``)
* :mod:`atlas.layers`     – the declarative layer registry (data in ``layers/*.yaml``)
* :mod:`atlas.atlasdata`  – loading the built GeoPackage once
* :mod:`atlas.choropleth` – classification and colours for Gemeinde maps
* :mod:`atlas.mapview`    – building the folium map (offline, no CDN)
* :mod:`atlas.offer_search` – "Angebote in meiner Nähe": nearest offers for a place (families, phones)
* :mod:`atlas.accessibility` – reachability: engine, county analysis, what-if, proposals, comparison, downloads
* :mod:`atlas.council`    – council views: indicator maps, comparisons, Sozialraumprofil (PDF/PNG), Sitzungsmodus slides
* :mod:`atlas.register`   – the offer register: store (SQLite/PostGIS) with history, import, export, admin
* :mod:`atlas.transit`    – Bus und Bahn: stop catchment and GTFS timetable travel times

Nothing in this package imports Streamlit; pages in ``pages/`` only read widgets and draw. The layers and
the one-way import rule are described in ARCHITECTURE.md and checked by ``tests/test_architecture.py``.
"""

__version__ = "0.1.0"
