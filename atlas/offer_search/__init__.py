"""Angebote in meiner Nähe: find the nearest prevention offers to a place (families, on phones).

Modules, by what users do:

* :mod:`.gazetteer` – *where am I*: place names, Ortsteile, Gemeinden, postcodes (typo-tolerant,
  rapidfuzz), map points, and pluggable street-address sources (:class:`~.gazetteer.AddressSource`);
* :mod:`.targets` – *what I need*: topics → Handlungsfelder, target groups and step-free access, all
  as keyword rules in YAML (``geodata/angebote_themen.yaml``, ``geodata/zielgruppen.yaml``,
  ``geodata/angebote_zugang.yaml``);
* :mod:`.opening_hours` – "heute geöffnet" only where the register's text is unambiguous;
* :mod:`.search` – filter and rank by estimated distance and travel time (straight line × detour
  factor, speeds from :mod:`atlas.accessibility.parameters`), nearest railway station per offer;
* :mod:`.cards`, :mod:`.resultmap`, :mod:`.printout` – result cards (escaped HTML), the offline map,
  the tagged PDF (WeasyPrint);
* :mod:`.i18n` – German/English texts from ``geodata/angebote_finden_texte.yaml``;
* :mod:`.share` – the search as URL query parameters (share links) and back.

Privacy: nothing here logs or stores the searched place; all work is in memory.
No Streamlit import here; ``pages/angebote_finden.py`` only reads widgets and draws.
"""

from atlas.offer_search.gazetteer import (
    AUSWAHL,
    GEFUNDEN,
    LEER,
    UNBEKANNT,
    AddressSource,
    CsvAddressSource,
    Gazetteer,
    Lookup,
    Place,
    gazetteer_from_atlas,
    parse_point,
)
from atlas.offer_search.i18n import LANGUAGE_LABELS, LANGUAGES, Texts, check_language
from atlas.offer_search.search import Filter, Hit, Offer, OfferIndex, SearchResult, index_from_atlas, search

__all__ = [
    "AUSWAHL",
    "GEFUNDEN",
    "LANGUAGES",
    "LANGUAGE_LABELS",
    "LEER",
    "UNBEKANNT",
    "AddressSource",
    "CsvAddressSource",
    "Filter",
    "Gazetteer",
    "Hit",
    "Lookup",
    "Offer",
    "OfferIndex",
    "Place",
    "SearchResult",
    "Texts",
    "check_language",
    "gazetteer_from_atlas",
    "index_from_atlas",
    "parse_point",
    "search",
]
