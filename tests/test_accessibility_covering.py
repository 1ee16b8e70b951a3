"""Greedy maximal covering (best k new sites) on SYNTHETIC data with a hand-checked best site."""

from __future__ import annotations

import dataclasses

import pytest

from atlas.accessibility import (
    DEFAULTS,
    AccessibilityError,
    Luftlinie,
    Netz,
    Standard,
    add_sites,
    best_new_sites,
    build_network,
    compute_reachability,
    evaluate,
    prepare_origins,
    prepare_sites,
    sites_from_xy,
)
from tests.fixtures.synthetic_accessibility import X0, Y0, network_edges, origins_gdf, sites_gdf

NO_DETOUR = dataclasses.replace(DEFAULTS, umwegfaktor=1.0)
STD = Standard(id="t", kategorie="K", label="T", mode="walk", schwelle=1, einheit="km", art="deskriptiv", quelle="synthetisch")

# existing site at 0; O1 (60 people) and O2 (60) are 1500 m apart, O3 (100) alone, O4 (500) already served
ROWS = [
    (10_000, 0, 60, 30, 0, "A"),
    (11_500, 0, 60, 0, 20, "A"),
    (30_000, 0, 100, 10, 10, "B"),
    (500, 0, 500, 0, 0, "C"),
]


@pytest.fixture
def bew():
    verfahren = Luftlinie("walk", NO_DETOUR)
    origins = prepare_origins(origins_gdf(ROWS))
    sites = prepare_sites(sites_gdf([("S", 0, 0, "K")]))
    return evaluate(compute_reachability(origins, sites, verfahren), STD), verfahren


def test_midpoint_candidate_wins(bew) -> None:
    b, verfahren = bew
    # hand check: M (10750, 0) is 750 m from O1 and O2 → covers 120 > O3's 100
    cands = sites_from_xy([[X0 + 10_750, Y0], [X0 + 30_000, Y0], [X0 + 10_000, Y0]], ["M", "O3", "O1"])
    out = best_new_sites(b, verfahren, k=3, kandidaten=cands)
    a = out.auswahl
    assert list(a["kandidat_id"]) == ["M", "O3"]  # stops: nobody left beyond
    assert list(a["einwohner_gewonnen"]) == [120, 100]
    assert list(a["u15_gewonnen"]) == [30, 10] and list(a["ue65_gewonnen"]) == [20, 10]
    assert list(a["einwohner_gewonnen_kumuliert"]) == [120, 220]
    assert out.jenseits_vorher == 220 and a["einwohner_jenseits_danach"].iloc[-1] == 0


def test_default_candidates_are_cells_and_gain_matches_what_if(bew) -> None:
    b, verfahren = bew
    out = best_new_sites(b, verfahren, k=1)  # cells only: O3 (100) beats O1 or O2 alone (60)
    assert list(out.auswahl["kandidat_id"]) == ["z2"]
    after = evaluate(add_sites(b.result, verfahren, out.als_standorte()), STD)
    assert b.gesamt()["einwohner_jenseits"] - after.gesamt()["einwohner_jenseits"] == out.auswahl["einwohner_gewonnen"].sum()


def test_weighting_by_age_group(bew) -> None:
    b, verfahren = bew
    out = best_new_sites(b, verfahren, k=1, gewicht="u15")  # O1 has 30 under 15, O3 has 10
    assert list(out.auswahl["kandidat_id"]) == ["z0"]
    with pytest.raises(AccessibilityError, match="Unbekannte Gewichtung"):
        best_new_sites(b, verfahren, gewicht="kinder")
    with pytest.raises(AccessibilityError, match="mindestens 1"):
        best_new_sites(b, verfahren, k=0)


def test_network_covering() -> None:
    # synthetic network, walk, 1.5 km: site at A; origins at C and D are beyond; a site at C covers C (0 m)
    # and D (1000 m); a site at D covers D and C as well – tie → first candidate in the list wins
    verfahren = Netz(build_network(network_edges(), "walk"))
    origins = prepare_origins(origins_gdf([(0, 0, 10, 0, 0, "1"), (2000, 0, 30, 0, 0, "1"), (2000, 1000, 40, 0, 0, "1")]))
    b = evaluate(compute_reachability(origins, prepare_sites(sites_gdf([("A", 0, 0, "K")])), verfahren),
                 STD.model_copy(update={"schwelle": 1.5}))
    assert list(b.jenseits) == [False, True, True]
    cands = sites_from_xy([[X0 + 1000, Y0], [X0 + 2000, Y0 + 1000], [X0 + 2000, Y0]], ["B", "D", "C"])
    out = best_new_sites(b, verfahren, k=2, kandidaten=cands)
    assert list(out.auswahl["kandidat_id"]) == ["D"] and list(out.auswahl["einwohner_gewonnen"]) == [70]
