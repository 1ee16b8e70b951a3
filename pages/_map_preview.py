"""A warm-up visit's first map becomes its address's preview (:mod:`atlas.map_preview`; Streamlit glue).

``app.py`` calls :func:`note_address` before every page; only in a visit by the server's own warm-up (its
secret in the request header) does it note the address asked for. ``pages/_maps.show_map`` then hands the
run's first map to :func:`record_preview`. Light to import: the start page loads no map library for it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

import streamlit as st

from atlas.page_preview import WARM_UP_HEADER, warm_up_token

if TYPE_CHECKING:
    from atlas.map_preview import PreviewParts
    from atlas.preview_elements import Block
    from pages._map_render import RenderedGroups, RenderedMap

#: Session keys: the address a warm-up visit asked for, until the run's first map is recorded; then the
#: address and data build it was recorded for, until the page draws the column beside it (legend, figures).
ADDRESS = "_atlas_vorschau_adresse"
RECORDED_AT = "_atlas_vorschau_aufgenommen"


def note_address(page: str, query: dict[str, str]) -> None:
    """In a warm-up visit, note the address this run was asked for – before the page changes its query."""
    if st.context.headers.get(WARM_UP_HEADER) == warm_up_token():
        st.session_state[ADDRESS] = (page, urlencode(query))


def record_preview(rendered: RenderedMap, groups: RenderedGroups | None, height: int, title: str,
                   parts: Callable[[], PreviewParts] | None = None) -> None:
    """Record *rendered* (with the layers *groups* added to it), the page's *title* above it and what the page
    shows around it (made by *parts*) as the noted address's preview, once per run – and as the preview of the
    address the page has written by then (its settings in the query), which a reload opens."""
    where = st.session_state.pop(ADDRESS, None)
    if where is None:
        return
    from atlas.atlasdata import data_version
    from atlas.map_preview import RECORDED, PreviewParts, map_document

    css, js = list(rendered.css_links), list(rendered.js_links)
    if groups is not None:
        css, js = [*css, *groups.css_links], [*js, *groups.js_links]
    document = map_document(script=rendered.script, header=rendered.header, css_links=css, js_links=js,
                            groups_script=groups.script if groups is not None else "")
    version, around = data_version(), parts() if parts is not None else PreviewParts()
    # the address asked for, and the one the page has written by now (Karte's ``?indikator=einwohner``): a
    # reload or a copied address bar shows the same page, and gets the same preview
    queries = dict.fromkeys([where[1], urlencode(st.query_params.to_dict())])
    recorded = [(where[0], query, version) for query in queries
                if RECORDED.record(where[0], query, version, document, height, title, around) is not None]
    if recorded:
        st.session_state[RECORDED_AT] = recorded


def preview_aside(aside_html: str, map_share: float) -> str:
    """*aside_html* unchanged – what the page draws beside its map (its legend column; the map has
    *map_share* of the width). In a warm-up visit it also goes beside the map just recorded, so the preview
    shows the page's legend too: ``legend_col.html(preview_aside(page_legend(...), 4 / 5))``."""
    preview_beside(lambda: aside_html, map_share)
    return aside_html


def preview_beside(make: Callable[[], str], map_share: float) -> None:
    """In a warm-up visit, put what *make* returns (HTML, escaped: the column the page draws beside its map
    with Streamlit's elements) beside the map just recorded; elsewhere nothing is made."""
    addresses = st.session_state.pop(RECORDED_AT, None)
    if addresses:
        from atlas.map_preview import RECORDED

        aside = make()
        for address in addresses:
            RECORDED.set_aside(*address, aside, map_share)


class Above:
    """What a page draws above its map, drawn with Streamlit and noted for its preview
    (:mod:`atlas.preview_elements`): ``above = Above()``, ``above.caption(text)`` instead of
    ``st.caption(text)`` …, then ``show_map(..., preview_parts=above.parts)``. Outside a warm-up visit only a
    short list of texts is kept, and never rendered."""

    def __init__(self) -> None:
        self.blocks: list[Block] = []

    def caption(self, text: str) -> None:
        from atlas.preview_elements import Caption

        st.caption(text)
        self.blocks.append(Caption(text))

    def alert(self, kind: str, text: str) -> None:
        """``st.info`` / ``st.warning`` / ``st.success`` / ``st.error`` (*kind*) with *text*."""
        from atlas.preview_elements import Alert

        getattr(st, kind)(text)
        self.blocks.append(Alert(kind, text))

    def metrics(self, figures: Sequence[tuple[str, str, str | None]], **kwargs: Any) -> None:
        """Key figures (label, value, change or None) in equal columns (``st.metric``, *kwargs* to each)."""
        from atlas.preview_elements import Metrics

        for col, (label, value, delta) in zip(st.columns(len(figures)), figures, strict=True):
            col.metric(label, value, delta=delta, **kwargs)
        self.blocks.append(Metrics(tuple(figures)))

    def tabs(self, labels: Sequence[str], **kwargs: Any) -> Sequence[Any]:
        """``st.tabs(labels, **kwargs)``; what the page then draws in the first tab is noted after it."""
        from atlas.preview_elements import Tabs

        self.blocks.append(Tabs(tuple(labels)))
        return st.tabs(list(labels), **kwargs)

    def caption_button(self, text: str, label: str, **kwargs: Any) -> bool:
        """A caption beside a button (``st.columns([3, 1], vertical_alignment="bottom")``; *kwargs* to the
        button, which stretches over its column); returns the button's value."""
        from atlas.preview_elements import CaptionButton

        left, right = st.columns([3, 1], vertical_alignment="bottom")
        left.caption(text)
        self.blocks.append(CaptionButton(text, label))
        return right.button(label, width="stretch", **kwargs)

    def parts(self) -> PreviewParts:
        """The noted elements as the preview's lead (between the page's title and its map)."""
        from atlas.map_preview import PreviewParts
        from atlas.preview_elements import blocks_html

        return PreviewParts(lead=blocks_html(self.blocks))
