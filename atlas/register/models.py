"""Tables of the register store (SQLAlchemy 2 Core) and the offer field list.

Plain tables with ``lon``/``lat`` columns (WGS84) work the same on SQLite and PostgreSQL. GDAL's
GeoPackage is not used as the editable store because its spatial-index triggers make plain SQLite
UPDATEs fail (see NOTES.md); the GeoPackage is an *export*. On PostgreSQL/PostGIS the store adds a
generated ``geom geometry(Point, 4326)`` column computed by ``ST_SetSRID(ST_MakePoint(lon, lat), 4326)``
(see :func:`postgis_ddl`), so GIS clients can read the live register directly.

Timestamps are stored as ISO-8601 text in UTC (identical on both backends, sortable as text).
"""

from __future__ import annotations

import sqlalchemy as sa

from atlas import schema

#: Offer fields of the register, in the order of the public-sources CSV and the import template.
OFFER_FIELDS: tuple[str, ...] = schema.OFFER_COLUMNS
#: Optional columns of the import template beyond :data:`OFFER_FIELDS`.
IMPORT_EXTRA_FIELDS: tuple[str, ...] = ("lon", "lat", "zuletzt_geprueft")
#: Columns of the register's own export beyond the template: accepted by the import so that an export
#: imports again unchanged (the position's precision and note are kept for rows with coordinates; the
#: bookkeeping columns are ignored – the importing store writes its own).
EXPORT_ONLY_FIELDS: tuple[str, ...] = ("ags", "lage_genauigkeit", "lage_hinweis", "version", "geaendert_am",
                                       "geaendert_von")
#: Columns written by the store itself (placement and bookkeeping).
LOCATION_FIELDS: tuple[str, ...] = ("lon", "lat", "ags", "lage_genauigkeit", "lage_hinweis")
#: Fields an editor may change (everything except the id and the bookkeeping columns).
EDITABLE_FIELDS: tuple[str, ...] = (*OFFER_FIELDS[1:], "lon", "lat", "lage_genauigkeit", "lage_hinweis",
                                    "ags", "zuletzt_geprueft")

#: German labels of the fields (forms, messages, exports).
FIELD_LABELS: dict[str, str] = {
    "id": "Kennung", "name": "Name", "kategorie": "Kategorie", "handlungsfeld": "Handlungsfeld",
    "traeger": "Träger", "strasse": "Straße", "plz": "PLZ", "ort": "Gemeinde", "ortsteil": "Ortsteil",
    "telefon": "Telefon", "email": "E-Mail", "website": "Webseite", "oeffnungszeiten": "Öffnungszeiten",
    "zielgruppe": "Zielgruppe", "quelle_url": "Quelle", "quelle_stand": "Stand der Quelle",
    "lon": "Längengrad", "lat": "Breitengrad", "zuletzt_geprueft": "Zuletzt geprüft",
    "lage_genauigkeit": "Lagegenauigkeit", "lage_hinweis": "Lage", "ags": "Gemeindeschlüssel",
}

#: Precision of a position given as coordinates (import with lon/lat or OSM).
PRECISION_POINT = schema.PRECISION_POINT

metadata = sa.MetaData()

_text = sa.Text

angebote = sa.Table(
    "angebote", metadata,
    sa.Column("id", sa.String(40), primary_key=True),
    *(sa.Column(name, _text, nullable=False, server_default="") for name in OFFER_FIELDS[1:]),
    sa.Column("lon", sa.Float, nullable=True),
    sa.Column("lat", sa.Float, nullable=True),
    sa.Column("ags", _text, nullable=False, server_default=""),
    sa.Column("lage_genauigkeit", _text, nullable=False, server_default=""),
    sa.Column("lage_hinweis", _text, nullable=False, server_default=""),
    sa.Column("zuletzt_geprueft", sa.String(10), nullable=True),
    sa.Column("geloescht", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("version", sa.Integer, nullable=False, server_default="1"),
    sa.Column("geaendert_am", sa.String(32), nullable=False),
    sa.Column("geaendert_von", _text, nullable=False),
)

historie = sa.Table(
    "angebote_historie", metadata,
    sa.Column("nr", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("angebot_id", sa.String(40), nullable=False, index=True),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("aktion", sa.String(24), nullable=False),
    sa.Column("wer", _text, nullable=False),
    sa.Column("wann", sa.String(32), nullable=False),
    sa.Column("vorher", sa.JSON, nullable=True),
    sa.Column("nachher", sa.JSON, nullable=True),
    sa.Column("kommentar", _text, nullable=False, server_default=""),
)

meldungen = sa.Table(
    "meldungen", metadata,
    sa.Column("nr", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("art", sa.String(16), nullable=False),          # 'fehlt' | 'falsch'
    sa.Column("angebot_id", sa.String(40), nullable=True),
    sa.Column("name", _text, nullable=False, server_default=""),
    sa.Column("ort", _text, nullable=False, server_default=""),
    sa.Column("beschreibung", _text, nullable=False),
    sa.Column("kontakt", _text, nullable=False, server_default=""),
    sa.Column("eingegangen", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="offen"),
    sa.Column("bearbeitet_von", _text, nullable=False, server_default=""),
    sa.Column("bearbeitet_am", sa.String(32), nullable=True),
    sa.Column("notiz", _text, nullable=False, server_default=""),
)

osm_kandidaten = sa.Table(
    "osm_kandidaten", metadata,
    sa.Column("nr", sa.Integer, sa.Identity(), primary_key=True),
    sa.Column("osm_typ", sa.String(10), nullable=False),
    sa.Column("osm_id", sa.BigInteger, nullable=False),
    sa.Column("name", _text, nullable=False),
    sa.Column("kategorie", _text, nullable=False),
    sa.Column("handlungsfeld", _text, nullable=False),
    sa.Column("strasse", _text, nullable=False, server_default=""),
    sa.Column("plz", _text, nullable=False, server_default=""),
    sa.Column("ort", _text, nullable=False, server_default=""),
    sa.Column("telefon", _text, nullable=False, server_default=""),
    sa.Column("email", _text, nullable=False, server_default=""),
    sa.Column("website", _text, nullable=False, server_default=""),
    sa.Column("oeffnungszeiten", _text, nullable=False, server_default=""),
    sa.Column("lon", sa.Float, nullable=False),
    sa.Column("lat", sa.Float, nullable=False),
    sa.Column("tags", sa.JSON, nullable=True),
    sa.Column("quelle", _text, nullable=False, server_default=""),
    sa.Column("eingelesen", sa.String(32), nullable=False),
    sa.Column("status", sa.String(16), nullable=False, server_default="offen"),
    sa.Column("angebot_id", sa.String(40), nullable=True),
    sa.Column("bearbeitet_von", _text, nullable=False, server_default=""),
    sa.UniqueConstraint("osm_typ", "osm_id", name="uq_osm_kandidat"),
)

#: Tables in dependency-free order (backup/restore).
TABLES: tuple[sa.Table, ...] = (angebote, historie, meldungen, osm_kandidaten)


def postgis_ddl() -> list[str]:
    """DDL that adds the PostGIS geometry column (generated from lon/lat) and its index; idempotent."""
    return [
        "CREATE EXTENSION IF NOT EXISTS postgis",
        "ALTER TABLE angebote ADD COLUMN IF NOT EXISTS geom geometry(Point, 4326) GENERATED ALWAYS AS "
        "(CASE WHEN lon IS NOT NULL AND lat IS NOT NULL THEN ST_SetSRID(ST_MakePoint(lon, lat), 4326) END) STORED",
        "CREATE INDEX IF NOT EXISTS angebote_geom_idx ON angebote USING GIST (geom)",
    ]
