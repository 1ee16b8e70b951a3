"""Which indicators a Gemeinde map can show, grouped and ordered by Handlungsfeld."""

from __future__ import annotations

from collections.abc import Iterable

from atlas.indicators import Indicator, load_catalogue, load_handlungsfelder


def map_indicators(columns: Iterable[str]) -> list[Indicator]:
    """Numeric Gemeinde-level indicators present in *columns*, ordered by Handlungsfeld, then label."""
    available = set(columns)
    order = {h.label: i for i, h in enumerate(load_handlungsfelder())}
    chosen = [ind for ind in load_catalogue()
              if ind.ebene in ("gemeinde", "gemeindeverband") and ind.werttyp == "zahl" and ind.id in available]
    return sorted(chosen, key=lambda ind: (order.get(ind.handlungsfeld, 99), ind.label.lower()))


def indicator_option_label(indicator: Indicator) -> str:
    """'Gesundheit · Pkw-Fahrzeit zum Hausarzt (Min.)' – the label shown in the picker."""
    short = {h.label: (h.kurz or h.label) for h in load_handlungsfelder()}
    unit = f" ({indicator.einheit})" if indicator.einheit_geprueft else ""
    level = " [Gemeindeverband]" if indicator.ebene == "gemeindeverband" else ""
    return f"{short.get(indicator.handlungsfeld, indicator.handlungsfeld)} · {indicator.label}{unit}{level}"
