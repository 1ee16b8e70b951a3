"""The contract between the build and its readers: layer names and columns of the GeoPackage.

The build (:mod:`atlas.build`) writes these layers; :mod:`atlas.atlasdata`, the register and the feature
packages read them. Both sides import the names from here, so neither imports the other (data flows one
way: sources → build → data → features → pages, see ARCHITECTURE.md). This module imports nothing from
the project.
"""

from __future__ import annotations

#: Layer names in the GeoPackage. Readers and the build use these constants, never the string literals.
GEMEINDEN_LAYER = "gemeinden"  #: the county's Gemeinden with population and indicators
KREIS_LAYER = "kreis"  #: the county outline with the Kreis indicators
NEIGHBOUR_GEMEINDEN_LAYER = "nachbar_gemeinden"  #: Gemeinden around the county (context)
NEIGHBOUR_KREISE_LAYER = "nachbar_kreise"  #: Kreise around the county (context)
GRID_LAYER = "bevoelkerung_1km"  #: Census 1 km population grid
PLACES_LAYER = "orte"  #: localities (GeoNames)
STATIONS_LAYER = "bahnhoefe"  #: railway stations (DB)
STOPS_LAYER = "haltestellen"  #: every public transport stop of the study area
OFFERS_LAYER = "angebote"  #: the placed offers of the register
UNPLACED_OFFERS_LAYER = "angebote_ohne_lage"  #: offers that could not be placed, with the reason
RESIDENCES_LAYER = "wohnorte"  #: settlement points where people live (origins of the accessibility analysis)

#: Layer names in the GeoPackage, in write order.
LAYER_NAMES: tuple[str, ...] = (
    GEMEINDEN_LAYER, KREIS_LAYER, NEIGHBOUR_GEMEINDEN_LAYER, NEIGHBOUR_KREISE_LAYER, GRID_LAYER,
    PLACES_LAYER, STATIONS_LAYER, STOPS_LAYER, OFFERS_LAYER, UNPLACED_OFFERS_LAYER, RESIDENCES_LAYER,
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
