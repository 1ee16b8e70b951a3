"""The contract between the build and its readers: layer names and columns of the GeoPackage.

The build (:mod:`atlas.build`) writes these layers; :mod:`atlas.atlasdata`, the register and the feature
packages read them. Both sides import the names from here, so neither imports the other (data flows one
way: sources → build → data → features → pages, see ARCHITECTURE.md). This module imports nothing from
the project.
"""

from __future__ import annotations

#: Layer names in the GeoPackage, in write order.
LAYER_NAMES: tuple[str, ...] = (
    "gemeinden", "kreis", "nachbar_gemeinden", "nachbar_kreise", "bevoelkerung_1km",
    "orte", "bahnhoefe", "haltestellen", "angebote", "angebote_ohne_lage", "wohnorte",
)

#: Offer fields, in the order of the public-sources CSV, the import template and the register.
OFFER_COLUMNS: tuple[str, ...] = (
    "id", "name", "kategorie", "handlungsfeld", "traeger", "strasse", "plz", "ort", "ortsteil",
    "telefon", "email", "website", "oeffnungszeiten", "zielgruppe", "quelle_url", "quelle_stand",
)
#: Columns the build adds to a placed offer (layer ``angebote``).
OFFER_LOCATION_COLUMNS: tuple[str, ...] = ("ags", "lage_genauigkeit", "lage_hinweis")
#: Column with the reason why an offer could not be placed (layer ``angebote_ohne_lage``).
UNPLACED_REASON_COLUMN = "grund"

#: Values of ``lage_genauigkeit``: exact coordinates, the Ortsteil's locality point, the Gemeinde's centre.
PRECISION_POINT = "punkt"
PRECISION_ORTSTEIL = "ortsteil"
PRECISION_GEMEINDE = "gemeinde"
