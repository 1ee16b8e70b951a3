"""Calibrated car model: fit on SYNTHETIC points, the model in the straight-line method, the manifest.

Expected values are computed by hand from the synthetic fixtures (or derived from the source data and
the catalogue for the real build), never taken from today's counts of a third-party file.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime

import numpy as np
import pandas as pd
import pytest

from atlas.accessibility import Luftlinie, compute_reachability, prepare_origins, prepare_sites
from atlas.accessibility.calibration import (
    MANIFEST_KEY,
    PkwModell,
    apply_model,
    calibration_indicators,
    fit_line,
    fit_points,
    lad_line,
    leave_one_out_mae,
    model_from_manifest,
    model_report,
    travel_parameters,
    travel_time_note,
)
from atlas.accessibility.errors import StandardsError
from atlas.accessibility.parameters import DEFAULTS, load_verkehrsmodell, parse_verkehrsmodell
from atlas.indicators import load_catalogue
from tests.fixtures.synthetic_accessibility import origins_gdf, sites_gdf


def _points(x: list[float], y: list[float]) -> pd.DataFrame:
    return pd.DataFrame({"median_km": x, "da_wert": y, "indikator": "p_test", "kategorie": "Testschule"})


def test_exact_line_is_recovered_with_zero_error() -> None:
    x = [0.5, 1.0, 2.0, 3.0, 4.5, 6.0, 7.0, 8.0, 9.5, 11.0]
    y = [2.0 + 1.5 * v for v in x]
    m = fit_line(_points(x, y), today=date(2026, 12, 1))
    assert m is not None
    assert m.grundzeit_min == pytest.approx(2.0)
    assert m.min_pro_km == pytest.approx(1.5)
    assert m.r == pytest.approx(1.0)
    assert m.fehler_min == pytest.approx(0.0, abs=1e-9) and m.mae_min == pytest.approx(0.0, abs=1e-9)
    assert (m.n, m.datum, m.indikatoren, m.kategorien) == (10, "2026-12-01", ("p_test",), ("Testschule",))
    assert (m.km_von, m.km_bis) == (0.5, 11.0)  # the fitted range of distances, from the fixture
    assert m.spearman == pytest.approx(1.0)


def test_one_outlier_does_not_pull_the_line() -> None:
    # SYNTHETIC: 11 Gemeinden on 1 + 2x, one (a school the Deutschlandatlas does not count) 10 min too high.
    x = [float(v) for v in range(1, 12)]
    y = [1.0 + 2.0 * v for v in x]
    y[-1] += 10.0
    m = fit_line(_points(x, y))
    assert m is not None
    assert m.min_pro_km == pytest.approx(2.0) and m.grundzeit_min == pytest.approx(1.0)
    # in-sample error: only the outlier misses, by 10 min
    assert m.mae_min == pytest.approx(10.0 / 11)
    assert m.fehler_min >= m.mae_min  # leave-one-out is never kinder than in-sample here


def test_lad_line_on_five_hand_checked_points() -> None:
    # SYNTHETIC: four points on y = 1 + 2x (x = 0..3) and one at x = 4 that is 11 min above the line.
    # Hand check: for any other line g = (a-1) + (b-2)x the four exact points add |g(0)|+|g(1)|+|g(2)|+|g(3)|,
    # the fifth saves at most g(4) = g(3) + g(1) - g(0) <= |g(3)|+|g(1)|+|g(0)| (equality only for g = 0):
    # the LAD line is exactly 1 + 2x, its mean absolute error 11 / 5 = 2.2 min.
    x = np.array([0.0, 1.0, 2.0, 3.0, 4.0])
    y = np.array([1.0, 3.0, 5.0, 7.0, 9.0 + 11.0])
    a, b = lad_line(x, y)
    assert (a, b) == (pytest.approx(1.0), pytest.approx(2.0))
    m = fit_line(_points(list(x), list(y)), min_gemeinden=5)
    assert m is not None and m.mae_min == pytest.approx(2.2)
    # least squares would be pulled towards the outlier (slope 4.2): LAD is not
    assert np.polyfit(x, y, 1)[0] == pytest.approx(4.2)


def test_leave_one_out_error_by_hand() -> None:
    # SYNTHETIC: six points on y = 1 + 2x (x = 0..5), the one at x = 2 six minutes too high. Leaving out the
    # outlier, the exact line predicts it 6 min off; leaving out any other point, the remaining exact points
    # lie on both sides of x = 2 (|g(l)| + |g(r)| >= 2 |g(2)| for a linear g), so the line stays 1 + 2x and
    # predicts the left-out point exactly. Leave-one-out MAE = 6 / 6 = 1.0; in-sample MAE also 1.0.
    x = np.arange(6, dtype=float)
    y = 1.0 + 2.0 * x
    y[2] += 6.0
    assert leave_one_out_mae(x, y) == pytest.approx(1.0)
    m = fit_line(_points(list(x), list(y)), min_gemeinden=6)
    assert m is not None
    assert (m.grundzeit_min, m.min_pro_km) == (pytest.approx(1.0), pytest.approx(2.0))
    assert m.mae_min == pytest.approx(1.0) and m.fehler_min == pytest.approx(1.0)


def test_lad_minimises_the_mean_absolute_error() -> None:
    # SYNTHETIC scatter: no line on a fine grid around the LAD solution has a smaller mean absolute error.
    rng = np.random.default_rng(7)
    x = rng.uniform(0, 8, 40)
    y = 2.5 + 1.3 * x + rng.laplace(0, 1.0, 40)
    a, b = lad_line(x, y)
    best = np.mean(np.abs(y - a - b * x))
    for da in np.linspace(-0.5, 0.5, 21):
        for db in np.linspace(-0.2, 0.2, 21):
            assert np.mean(np.abs(y - (a + da) - (b + db) * x)) >= best - 1e-9


def test_no_fit_with_too_few_points_or_a_useless_slope() -> None:
    assert fit_line(_points([1, 2, 3], [3, 5, 7])) is None
    x = [float(v) for v in range(12)]
    assert fit_line(_points(x, [20 - v for v in x])) is None  # farther = faster: rejected
    assert fit_line(_points([2.0] * 12, [5.0] * 12)) is None  # no spread in distance


def test_fit_points_use_population_weighted_median_per_gemeinde() -> None:
    # SYNTHETIC: Gemeinde A has 3 origins 1, 2 and 10 km from the only site (weights 10, 30, 5):
    # weighted median = 2 km. Gemeinde B: one origin 4 km away. Gemeinde C has no DA value (-9999).
    origins = prepare_origins(origins_gdf([
        (1000, 0, 10, 1, 1, "A"), (2000, 0, 30, 1, 1, "A"), (10_000, 0, 5, 1, 1, "A"),
        (0, 4000, 7, 1, 1, "B"), (0, -3000, 9, 1, 1, "C"),
    ]))
    sites = prepare_sites(sites_gdf([("S", 0, 0, "Testschule")]))
    gem = pd.DataFrame({"ags": ["A", "B", "C"], "p_test": [5.0, 7.5, -9999]})

    class Ind:
        id = "p_test"
        kategorie_register = "Testschule"

    pts = fit_points(origins, [(Ind(), sites)], gem).set_index("ags")
    assert list(pts.index) == ["A", "B"]
    assert pts.loc["A", "median_km"] == pytest.approx(2.0)
    assert pts.loc["A", "mittel_km"] == pytest.approx((10 * 1 + 30 * 2 + 5 * 10) / 45)
    assert pts.loc["B", "median_km"] == pytest.approx(4.0)
    assert pts.loc["B", "da_wert"] == pytest.approx(7.5)


def test_calibrated_straight_line_time_and_coverage_agree() -> None:
    params = dataclasses.replace(DEFAULTS, pkw_grundzeit_min=2.0, pkw_min_pro_km=1.5)
    # SYNTHETIC: origins 3, 4 and 6 km (straight line) from the site → 6.5, 8.0 and 11.0 min
    origins = prepare_origins(origins_gdf([(3000, 0, 1, 0, 0, "X"), (0, 4000, 1, 0, 0, "X"),
                                           (0, -6000, 1, 0, 0, "X")]))
    sites = prepare_sites(sites_gdf([("S", 0, 0, "K")]))
    verfahren = Luftlinie("car", params)
    res = compute_reachability(origins, sites, verfahren)
    np.testing.assert_allclose(res.costs.zeit_min, [6.5, 8.0, 11.0])
    np.testing.assert_allclose(res.costs.distanz_m, np.array([3000, 4000, 6000]) * params.umwegfaktor)
    cov = verfahren.coverage(origins, sites, 8.0, "min", inclusive=False)
    assert cov.toarray().tolist() == [[True, True, False]]
    assert verfahren.coverage(origins, sites, 1.5, "min", inclusive=False).nnz == 0  # below the intercept
    assert "2 min + 1,5 min je km Luftlinie" in verfahren.beschreibung
    # walking is unchanged: detour factor at the walking speed
    walk = compute_reachability(origins, sites, Luftlinie("walk", params))
    np.testing.assert_allclose(walk.costs.zeit_min, np.array([3, 4, 6]) * 1.3 / 4.5 * 60)


def test_manifest_round_trip_and_the_one_sentence() -> None:
    m = PkwModell(2.4, 1.45, 39, 0.84, 1.23, 1.1, "2026-12-01", ("p_grunds",), ("Grundschule",), "siedlungen")
    again = model_from_manifest({MANIFEST_KEY: m.to_manifest()})
    assert again == m
    assert model_from_manifest({}) is None
    assert model_from_manifest({MANIFEST_KEY: {"grundzeit_min": None, "hinweis": "zu wenige"}}) is None
    params = apply_model(DEFAULTS, m)
    assert params.pkw_kalibriert and params.pkw_fehler_min == pytest.approx(1.23)
    text = travel_time_note(params)
    assert "2,4 min + 1,45 min je km Luftlinie" in text and "typisch ± 1,2 min" in text and "p_grunds" in text
    assert "typically ± 1.2 min" in travel_time_note(params, lang="en")
    assert "nicht angepasst" in travel_time_note(DEFAULTS)
    assert "Straßennetz" in travel_time_note(params, methode="netz")


def test_travel_model_section_is_data_with_sources() -> None:
    params = load_verkehrsmodell()
    assert params.umweg_quelle and params.tempo_quelle
    assert "Quellen:" in Luftlinie("walk", params).beschreibung
    with pytest.raises(StandardsError, match="umwegfaktor"):
        parse_verkehrsmodell({"verkehrsmodell": {"umwegfaktor": 0.5}})
    with pytest.raises(StandardsError, match="geschwindigkeit_kmh.boat"):
        parse_verkehrsmodell({"verkehrsmodell": {"geschwindigkeit_kmh": {"boat": 5}}})
    with pytest.raises(StandardsError, match="geschwindigkeit_kmh.walk"):
        parse_verkehrsmodell({"verkehrsmodell": {"geschwindigkeit_kmh": {"walk": -1}}})
    assert parse_verkehrsmodell({}) == DEFAULTS


def test_only_verified_minute_indicators_of_categories_with_sites_are_used() -> None:
    cat = load_catalogue()
    all_cats = {i.kategorie_register for i in cat if i.kategorie_register}
    used = calibration_indicators(cat, all_cats)
    assert used, "the catalogue names at least one indicator with a register category"
    for ind in used:
        assert ind.einheit == "Minuten" and ind.einheit_geprueft and ind.ebene == "gemeinde"
    unverified = [i for i in cat if i.kategorie_register and not i.einheit_geprueft]
    assert not set(i.id for i in unverified) & set(i.id for i in used)
    assert calibration_indicators(cat, set()) == []


def test_the_build_stores_the_fit(built, atlas_data) -> None:
    entry = built.manifest_data[MANIFEST_KEY]
    cats = set(atlas_data["angebote"]["kategorie"].astype(str))
    expected_inds = [i.id for i in calibration_indicators(load_catalogue(), cats)]
    assert entry["indikatoren"] == expected_inds
    values = pd.to_numeric(atlas_data.gemeinden[expected_inds[0]], errors="coerce")
    assert entry["n"] == int(values.notna().sum())
    assert entry["min_pro_km"] > 0 and entry["fehler_min"] >= 0 and -1 <= entry["r"] <= 1
    assert -1 <= entry["spearman"] <= 1 and entry["km_von"] <= entry["km_bis"]
    # the day of the fit: not before the build began (its stamp, in local time), not after today – a build
    # running across midnight stays right
    began = datetime.fromisoformat(built.manifest_data["erstellt"]).astimezone().date()
    assert began <= date.fromisoformat(entry["datum"]) <= date.today()
    params = travel_parameters(atlas_data.manifest)
    assert params.pkw_kalibriert and params.pkw_grundzeit_min == pytest.approx(entry["grundzeit_min"])


def test_model_report_for_daten_und_quellen() -> None:
    m = PkwModell(2.4, 1.45, 39, 0.84, 1.23, 1.1, "2026-12-01", ("p_grunds",), ("Grundschule",), "siedlungen",
                  km_von=0.12, km_bis=6.13, spearman=0.747)
    assert model_from_manifest({MANIFEST_KEY: m.to_manifest()}) == m
    lines = model_report({MANIFEST_KEY: m.to_manifest()})
    assert "geprüft bis 6,1 km Luftlinie" in travel_time_note(apply_model(DEFAULTS, m))
    assert "Rangkorrelation (Spearman) 0,75" in lines[0]
    assert "von 0,1 bis 6,1 km" in lines[0] and "Verlängerung" in lines[0] and "Anpassung selbst 1,1 min" in lines[0]
    assert "2,4 min + 1,45 min je km Luftlinie" in lines[0] and "± 1,2 min" in lines[0] and "39 Gemeinden" in lines[0]
    assert "Umwegfaktor 1,3" in lines[1] and "arXiv" in lines[1]
    assert lines[2].startswith("Wohnorte:") and "Siedlungspunkte" in lines[2]
    none = model_report({MANIFEST_KEY: {"grundzeit_min": None, "hinweis": "Zu wenige Vergleichswerte"}})
    assert "keine Anpassung" in none[0] and "Zu wenige Vergleichswerte" in none[0]


def test_daten_und_quellen_states_the_travel_model(built, monkeypatch) -> None:
    from streamlit.testing.v1 import AppTest

    from atlas import settings

    monkeypatch.setenv("ATLAS_DATA_DIR", str(built.gpkg.parent))
    at = AppTest.from_file(str(settings.PROJECT_ROOT / "app.py"), default_timeout=60)
    at.switch_page("pages/quellen.py")
    at.run()
    assert not at.exception
    texts = [m.value for m in at.markdown]
    assert any("typischer Fehler ±" in t and "p\\_grunds" in t for t in texts)
    assert any(t.startswith("- Wohnorte:") for t in texts)
