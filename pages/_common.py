"""Streamlit glue shared by the pages: cached data loading and the attribution footer.

Only caching and drawing live here; every computation is in :mod:`atlas`.
"""

from __future__ import annotations

import functools
import html
import importlib
import os
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.delta_generator import DeltaGenerator
from streamlit.errors import StreamlitAPIException

from atlas import settings
from atlas.atlasdata import AtlasData, data_version, load_atlas
from atlas.errors import AtlasError

if TYPE_CHECKING:  # the map modules (folium, mapclassify) are imported only by pages that draw maps
    import pandas as pd

    from atlas.offer_search.i18n import Texts
    from atlas.layers import LayerDefinition
    from atlas.mapview import MapBase


@st.cache_resource(show_spinner=False, max_entries=2)
def _load(version: str) -> AtlasData:
    return load_atlas()


@st.cache_resource(show_spinner=False, max_entries=2)
def _base(version: str, _data: AtlasData) -> MapBase:
    from atlas.mapview import prepare_base

    return prepare_base(_data)


def get_data() -> AtlasData:
    """The built data, loaded once per build; builds it first when it is missing and sources exist."""
    version = data_version()
    if not version:
        if settings.source_dir().is_dir():
            with st.spinner("Daten werden zum ersten Mal aufbereitet …"):
                from atlas.build import build

                try:
                    build()
                except AtlasError as exc:
                    st.error(f"Die Daten konnten nicht aufbereitet werden: {exc}")
                    st.stop()
            version = data_version()
        else:
            st.error(
                "Es gibt noch keine aufbereiteten Daten und der Quellordner "
                f"{settings.source_dir()} fehlt. Bitte 'atlas build --source ORDNER' ausführen."
            )
            st.stop()
    return _load(version)


def get_base(data: AtlasData) -> MapBase:
    """Simplified map geometries for *data* (prepared once per build)."""
    return _base(data.version, data)


def get_layers(data: AtlasData) -> tuple[LayerDefinition, ...]:
    """The layer registry, checked against the built data; a broken file stops the page with its message."""
    from atlas.layers import check_against_data, load_layers

    try:
        layers = load_layers()
        check_against_data(layers, data.columns())
    except AtlasError as exc:
        st.error(str(exc))
        st.stop()
    return layers


def streamlit_frontend_files() -> list[str]:
    """The file names of the installed Streamlit's frontend scripts (its main bundle and lazily loaded parts);
    empty when the folder is not where Streamlit keeps it."""
    folder = Path(st.__file__).parent / "static" / "static" / "js"
    return os.listdir(folder) if folder.is_dir() else []


@functools.cache
def frontend_prefetch() -> str:
    """The script that loads the next pages' controls in the browser's idle time (:mod:`atlas.prefetch`),
    with the part files of the installed Streamlit (read once per process)."""
    from atlas.prefetch import chunk_files, prefetch_script

    return prefetch_script(chunk_files(streamlit_frontend_files()))


_WARMED = threading.Event()


def warm_up_map_modules() -> None:
    """Import the map libraries (folium, mapclassify, …) in a background thread, once per server process.

    The start page needs none of them and is shown at once; by the time a user opens a map page the
    imports (about 1–2 s on a small machine) are done.
    """
    if _WARMED.is_set():
        return
    _WARMED.set()

    def _import() -> None:
        # Only plain libraries: streamlit_folium registers its component and must be imported by a page.
        for module in ("atlas.mapview", "atlas.layers"):
            importlib.import_module(module)

    threading.Thread(target=_import, name="atlas-warm-up", daemon=True).start()


def attribution_footer(texts: list[str], words: Callable[[str], str] | None = None) -> None:
    """Show the attribution of every source on the page and the link to the accessibility statement.

    *words* translates the footer's own words (the family page passes its :class:`Texts`); default German."""
    label = words("quellen") if words else "Quellen"
    st.caption(f"{label}: " + " · ".join(html.escape(t) for t in texts))
    try:
        st.page_link("pages/barrierefreiheit.py",
                     label=words("barrierefreiheit_link") if words else "Erklärung zur Barrierefreiheit – Barriere melden",
                     icon=":material/accessibility_new:")
    except StreamlitAPIException:  # a page run on its own (AppTest of one page file) has no navigation
        pass


def set_page_language(lang: str) -> None:
    """Set ``<html lang>`` (and the skip link's text) for a page shown in *lang* ('de' or 'en').

    ``app.py`` sets German for every page; a page with a language switch calls this after it.
    """
    from atlas.ui_style import page_script

    st.html(page_script(lang), unsafe_allow_javascript=True)


def family_texts(lang: str) -> Texts:
    """The family page's texts: English, German, or – switch "Leichte Sprache" – plain German (issue 15).

    Draws the switch (German only) and sets ``<html lang>``; the plain texts are data
    (:mod:`atlas.plain_language`).
    """
    from atlas.offer_search.i18n import Texts
    from atlas.plain_language import PlainTexts

    plain = lang == "de" and st.toggle("Leichte Sprache", key="of_leicht",
                                       help="Kurze Sätze und einfache Wörter für die wichtigsten Texte dieser Seite.")
    set_page_language(lang)
    return PlainTexts() if plain else Texts(lang)


def gap_map_sentence(table: pd.DataFrame) -> None:
    """The Erreichbarkeit gap map in one sentence (its ranked Gemeinde table is on the page already)."""
    map_text_alternative(table["name"].tolist(), table["einwohner_jenseits"].tolist(), "Einwohner",
                         what="Einwohner jenseits des Standards", table=False)


def plain_or_sortable_table(container: DeltaGenerator, frame: pd.DataFrame, *, key: str) -> None:
    """*frame* in *container* as a plain table (:func:`atlas.display.html_table`); Streamlit's data grid, with
    sorting and search, only when the user switches it on. The grid's frontend code (1.5 MB) then loads on
    request, not on the page's first view, where the map frame would wait for it."""
    from atlas.display import german_frame, html_table

    if container.toggle("Tabelle sortieren und durchsuchen", key=key):
        container.dataframe(german_frame(frame), hide_index=True, width="stretch")
    else:
        container.html(html_table(frame))


def map_text_alternative(names: list[str], values: list[object], unit: str = "", *, what: str = "",
                         value_label: str = "Wert", decimals: int | None = None, descending: bool = True,
                         table: bool = True) -> None:
    """The map's content for screen readers and without colours: one sentence, and a ranked HTML table.

    The sentence (highest and lowest value, :func:`atlas.text_alternatives.extremes_sentence`) is plain
    text right below the map; the table (:func:`atlas.display.html_table`, a real ``<table>``, one element for
    the browser to draw instead of one per cell) sits in an expander.
    """
    from atlas._helpers import escape_markdown
    from atlas.display import html_table
    from atlas.text_alternatives import extremes_sentence, ranked_table

    st.markdown(escape_markdown(extremes_sentence(names, values, unit, decimals, what)))
    if table:
        with st.expander(f"Karte als Text: alle Gemeinden nach {value_label}"):
            st.html(html_table(ranked_table(names, values, unit, decimals, value_label, descending)))
