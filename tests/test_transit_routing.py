"""Travel times by bus and train: SYNTHETIC line with hand-computed times, and journeys on the REAL
Cairns feed (gtfs-kit's sdist, see tests/fixtures/real_gtfs.py) checked by hand against its stop_times.txt.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from atlas.accessibility import STATUS_OK, Origins, Sites, compute_reachability
from atlas.accessibility.errors import AccessibilityError
from atlas.transit import TransitError, read_feed
from atlas.transit.routing import Abfahrtsfenster, Fahrplan, travel_times
from atlas.transit.timetable import Gehparameter, build_timetable, stop_xy
from tests.fixtures import synthetic_gtfs as syn
from tests.fixtures.real_gtfs import cairns_gtfs

MONDAY = dt.date(2026, 1, 5)
WALK_S_PER_M = 1.3 / (4.5 / 3.6)  # detour factor / walking speed: seconds per straight-line metre


def _xy(*points: tuple[float, float]) -> np.ndarray:
    """Metric points; a synthetic stop's offset gives the stop's position *as read back from the feed*
    (WGS84 with 7 decimals, off by millimetres), so that the walk to it is zero."""
    stops = {v: k for k, v in syn.STOPS.items()}
    xy = stop_xy(_FEED[0], syn.CRS) if _FEED else None
    out = []
    for p in points:
        if p in stops and xy is not None:
            out.append(xy[_FEED[0].stops.index[_FEED[0].stops["stop_id"] == stops[p]][0]])
        else:
            out.append([syn.X0 + p[0], syn.Y0 + p[1]])
    return np.array(out, dtype=float)


_FEED: list = []


def _window(h: int, m: int, minutes: int = 1) -> Abfahrtsfenster:
    start = dt.datetime(2026, 1, 1, h, m)
    end = start + dt.timedelta(minutes=minutes)
    return Abfahrtsfenster(start.time(), end.time(), 1)


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory: pytest.TempPathFactory):
    feed = read_feed(syn.write_feed(tmp_path_factory.mktemp("gtfs") / "linie.zip"))
    _FEED[:] = [feed]
    return feed


def test_direct_trip_and_next_departure(synthetic) -> None:
    """At A, 07:00: T1 leaves at once, reaches C 07:20 (20 min). At 07:01 T1 is gone: T2 07:30 → 07:50 (49 min)."""
    g = build_timetable(synthetic, MONDAY, syn.CRS)
    site = _xy(syn.STOPS["C"])
    r = travel_times(g, _xy(syn.STOPS["A"]), site, _window(7, 0))
    assert r.median_min[0] == pytest.approx(20.0)
    r = travel_times(g, _xy(syn.STOPS["A"]), site, _window(7, 1))
    assert r.median_min[0] == pytest.approx(49.0)


def test_median_and_best_over_window(synthetic) -> None:
    """07:00, 07:01, 07:02 from A to C: 20, 49, 48 minutes → median 48, best 20."""
    g = build_timetable(synthetic, MONDAY, syn.CRS)
    r = travel_times(g, _xy(syn.STOPS["A"]), _xy(syn.STOPS["C"]), _window(7, 0, 3))
    assert r.median_min[0] == pytest.approx(48.0)
    assert r.best_min[0] == pytest.approx(20.0)
    assert r.anteil_verbunden[0] == 1.0


def test_change_with_walk_between_stops(synthetic) -> None:
    """A 07:00 (T1) → C 07:20, walk 100 m to E (100 × 1.3 / 1.25 m/s = 104 s, less than the 2-min change
    time, so the change takes 120 s: at E 07:22) → T3 E 07:25 → D 07:40: 40 minutes."""
    g = build_timetable(synthetic, MONDAY, syn.CRS)
    r = travel_times(g, _xy(syn.STOPS["A"]), _xy(syn.STOPS["D"]), _window(7, 0))
    assert r.median_min[0] == pytest.approx(40.0)
    assert not r.nur_fuss[0]


def test_access_walk_is_added(synthetic) -> None:
    """300 m west of A: walk 312 s. Leaving 07:00 → at A 07:05:12, T1 missed → T2 07:30 → C 07:50 (50 min);
    leaving 06:50 → at A 06:55:12 → T1 07:00 → C 07:20 (30 min)."""
    g = build_timetable(synthetic, MONDAY, syn.CRS)
    assert 300 * WALK_S_PER_M == pytest.approx(312.0)
    origin = _xy((-300.0, 0.0))
    assert travel_times(g, origin, _xy(syn.STOPS["C"]), _window(7, 0)).median_min[0] == pytest.approx(50.0)
    assert travel_times(g, origin, _xy(syn.STOPS["C"]), _window(6, 50)).median_min[0] == pytest.approx(30.0)


def test_egress_walk_is_added(synthetic) -> None:
    """Site 200 m north of C: T1 arrives C 07:20, then 208 s on foot: 20 min + 3.4667 min."""
    g = build_timetable(synthetic, MONDAY, syn.CRS)
    r = travel_times(g, _xy(syn.STOPS["A"]), _xy((10000.0, 200.0)), _window(7, 0))
    # E (100 m from C, 100 m from the site) is not served after 07:25 towards the site: C is the egress stop
    assert r.median_min[0] == pytest.approx(20.0 + 200 * WALK_S_PER_M / 60, abs=1e-3)


def test_walk_only_and_unreachable(synthetic) -> None:
    """500 m from the site and no useful stop: walk 520 s = 8.67 min. 50 km away: no result."""
    g = build_timetable(synthetic, MONDAY, syn.CRS)
    r = travel_times(g, _xy((20000.0, 20000.0), (50000.0, 50000.0)), _xy((20500.0, 20000.0)), _window(7, 0))
    assert r.median_min[0] == pytest.approx(500 * WALK_S_PER_M / 60)
    assert r.nur_fuss[0]
    assert np.isnan(r.median_min[1]) and r.standort[1] == -1


def test_saturday_and_holiday(synthetic) -> None:
    """Saturday 10.01.2026: only T4 A 09:00 → C 09:20; leaving A 07:00 → 140 min. Tuesday 06.01.2026: the
    weekday service is removed by calendar_dates.txt and nothing runs."""
    g = build_timetable(synthetic, dt.date(2026, 1, 10), syn.CRS)
    r = travel_times(g, _xy(syn.STOPS["A"]), _xy(syn.STOPS["C"]), _window(7, 0))
    assert r.median_min[0] == pytest.approx(140.0)
    with pytest.raises(TransitError, match="06.01.2026"):
        build_timetable(synthetic, dt.date(2026, 1, 6), syn.CRS)


def test_fahrplan_in_the_engine(synthetic) -> None:
    """Fahrplan as a reachability method: nearest of two sites (C by bus in 20 min, a far one unreachable)."""
    origins = Origins(
        index=pd.Index(["z0", "z1"]),
        xy=_xy(syn.STOPS["A"], (90000.0, 0.0)),
        einwohner=np.array([100.0, 50.0]),
        u15=np.array([10.0, 5.0]),
        ue65=np.array([20.0, 10.0]),
        ags=np.array(["16066001", "16066002"], dtype=object),
    )
    sites = Sites(ids=np.array(["fern", "c"], dtype=object), xy=_xy((0.0, 60000.0), syn.STOPS["C"]))
    fp = Fahrplan(synthetic, MONDAY, _window(7, 0))
    res = compute_reachability(origins, sites, fp)
    z = res.zellen()
    assert z.loc["z0", "zeit_min"] == pytest.approx(20.0) and z.loc["z0", "standort_id"] == "c"
    assert z.loc["z0", "status"] == STATUS_OK and z.loc["z1", "status"] == STATUS_OK
    assert np.isinf(z.loc["z1", "zeit_min"])  # no connection: beyond every standard, not "no result"
    from atlas.accessibility import evaluate, load_standards

    std = load_standards()["kita-pkw-15min"].model_copy(update={"mode": "pt", "schwelle": 45.0})
    bew = evaluate(res, std)
    assert bew.jenseits.tolist() == [False, True]
    g = bew.gesamt()
    assert g["einwohner_jenseits"] == 50.0 and g["zeit_min_mittel"] == pytest.approx(20.0)
    assert g["anteil_einwohner_jenseits"] == pytest.approx(50 / 150)
    assert res.mode == "pt" and "Testbus Synthetisch" in res.methode_beschreibung and "05.01.2026" in res.methode_beschreibung
    with pytest.raises(AccessibilityError, match="Bus und Bahn"):
        fp.coverage(origins, sites, 30, "min", False)


def test_empty_window_is_refused() -> None:
    with pytest.raises(TransitError, match="leer"):
        Abfahrtsfenster(dt.time(9, 0), dt.time(8, 0)).seconds()


# ---------------------------------------------------------------- the REAL Cairns feed
CAIRNS_CRS = "EPSG:28355"  # GDA94 / MGA zone 55: metric CRS for Cairns
#: Only the stop itself within walking distance, so every journey is the timetable's own.
NO_WALK = Gehparameter(max_fussweg_m=1.0, umstieg_max_m=1.0)


@pytest.fixture(scope="module")
def cairns():
    return read_feed(cairns_gtfs())


def _stop_point(feed, stop_id: str) -> np.ndarray:
    xy = stop_xy(feed, CAIRNS_CRS)
    return xy[feed.stops.index[feed.stops["stop_id"] == stop_id]]


def _cairns_minutes(feed, day: dt.date, h: int, m: int, gehen: Gehparameter = NO_WALK) -> float:
    g = build_timetable(feed, day, CAIRNS_CRS, gehen)
    r = travel_times(g, _stop_point(feed, "750337"), _stop_point(feed, "750449"), _window(h, m))
    return float(r.median_min[0])


def test_cairns_weekday_journeys(cairns) -> None:
    """Hand check in stop_times.txt, Warren St (750337) → The Pier Cairns Terminus Stop E (750449), route 110,
    Monday 26.05.2014 (calendar.txt: service CNS2014-CNS_MUL-Weekday-00):

    * trip …-4165878 departs 750337 05:50:00, arrives 750449 06:50:00 (stop_sequence 1 → 35):
      leaving at 05:45 → 65 min;
    * leaving at 05:51 the next trip is …-4165879, 06:20:00 → 07:20:00 → 89 min;
    * leaving at 07:00: trip …-4165881, 07:15:00 → 08:20:00 → 80 min.
    """
    monday = dt.date(2014, 5, 26)
    assert _cairns_minutes(cairns, monday, 5, 45) == pytest.approx(65.0)
    assert _cairns_minutes(cairns, monday, 5, 51) == pytest.approx(89.0)
    assert _cairns_minutes(cairns, monday, 7, 0) == pytest.approx(80.0)


def test_cairns_holiday_runs_sunday_timetable(cairns) -> None:
    """Monday 09.06.2014: calendar_dates.txt removes CNS2014-CNS_MUL-Weekday-00 (exception 2) and adds
    CNS2014-CNS_MUL-Sunday-00 (exception 1). Sunday trip …-4165971 departs 750337 07:16:00 and arrives
    750449 08:10:00: leaving at 07:00 → 70 min (a normal Monday gives 80 min, see above)."""
    assert _cairns_minutes(cairns, dt.date(2014, 6, 9), 7, 0) == pytest.approx(70.0)


def test_cairns_trip_after_midnight(cairns) -> None:
    """Friday service CNS2014-CNS_MUL-Weekday-00-0000100 (from 30.05.2014), trip …-4166108 (route 110N):
    750337 at 24:50:00, 750449 at 25:35:00. On Saturday 31.05.2014 that is 00:50 → 01:35: leaving at
    00:40 → 55 min (a trip of the previous service day)."""
    assert _cairns_minutes(cairns, dt.date(2014, 5, 31), 0, 40) == pytest.approx(55.0)


def test_cairns_fahrplan_weekday(cairns) -> None:
    """Fahrplan.for_weekday picks a regular Monday (not 09.06.2014); the label carries feed name and dates."""
    fp = Fahrplan.for_weekday(cairns, 0)
    assert fp.datum.weekday() == 0 and fp.datum != dt.date(2014, 6, 9)
    assert "gültig 26.05.2014–28.12.2014" in fp.beschreibung


def test_what_if_recomputes_the_median(synthetic) -> None:
    """Window 07:00–07:03 from A to C: 20, 49, 48 minutes → median 48 (beyond 30 min). A new site 100 m from A
    is walked to in 104 s every minute → 1.73 min. The scenario must equal a fresh computation with both sites
    (the timetable method recomputes in full: a median over minutes cannot be merged site by site), and
    removing the new site again gives 48 min."""
    from atlas.accessibility import evaluate, load_standards, scenario_delta, sites_from_xy

    origins = Origins(index=pd.Index(["z0"]), xy=_xy(syn.STOPS["A"]), einwohner=np.array([10.0]),
                      u15=np.array([1.0]), ue65=np.array([2.0]), ags=np.array(["1"], dtype=object))
    fp = Fahrplan(synthetic, MONDAY, _window(7, 0, 3))
    sites = Sites(ids=np.array(["c"], dtype=object), xy=_xy(syn.STOPS["C"]))
    std = load_standards()["kita-pkw-15min"].model_copy(update={"mode": "pt", "schwelle": 30.0})
    bew = evaluate(compute_reachability(origins, sites, fp), std)
    assert bew.result.costs.zeit_min[0] == pytest.approx(48.0) and bew.jenseits[0]
    near = sites_from_xy(_xy((100.0, 0.0)))
    new, d = scenario_delta(bew, fp, add=near)
    fresh = compute_reachability(origins, sites.concat(near), fp)
    assert new.result.costs.zeit_min[0] == pytest.approx(fresh.costs.zeit_min[0])
    assert new.result.costs.zeit_min[0] == pytest.approx(100 * WALK_S_PER_M / 60, abs=1e-3)
    assert not new.jenseits[0]
    gone, _ = scenario_delta(new, fp, remove=["neu-1"])
    assert gone.result.costs.zeit_min[0] == pytest.approx(48.0)
