"""The offer register (Angebotsregister) maintained by the social-planning coordinator.

* :mod:`atlas.register.models`         – table definitions (SQLAlchemy Core), field list, categories
* :mod:`atlas.register.store`          – one store interface for SQLite (default) and PostgreSQL/PostGIS:
  history, soft delete, restore, optimistic locking, moderation queue, OSM review queue
* :mod:`atlas.register.validation`     – row checks with German messages naming row and field (pure)
* :mod:`atlas.register.importer`       – reading CSV/XLSX, preview, all-or-nothing commit
* :mod:`atlas.register.exporter`       – CSV, GeoJSON and GeoPackage export
* :mod:`atlas.register.osm_candidates` – OSM facilities (Overpass JSON, OSM XML/PBF) as review candidates
* :mod:`atlas.register.auth`           – password hashes and login backoff (pure)
* :mod:`atlas.register.reports`        – public reports "Angebot fehlt / Angaben falsch": checks, rate limit
* :mod:`atlas.register.backup`         – backup and restore of the whole store as one JSON file
* :mod:`atlas.register.cli`            – ``atlas backup``, ``atlas restore``, ``atlas passwort-hash``
"""

from atlas.register.errors import ConflictError, RegisterError, ValidationFailed

__all__ = ["ConflictError", "RegisterError", "ValidationFailed"]
