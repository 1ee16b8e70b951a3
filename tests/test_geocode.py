"""``atlas geocode`` with recorded (SYNTHETIC) answers of a Nominatim-compatible service; no network."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import requests

from atlas import settings
from atlas.cli import main
from atlas.geocode import (
    AnswerCache, Geocoder, GeocoderOffline, RateLimiter, address_query, geocode_register,
)
from atlas.register.store import RegisterStore
from tests.fixtures import synthetic_places as fx
from tests.fixtures.synthetic_register import synthetic_row

RECORDED = Path(__file__).parent / "fixtures" / "geocode"
#: street sent → recorded answer file
ANSWERS = {"Ernststraße 7": "gefunden", "Hauptstraße 2": "mehrdeutig", "Nirgendwo 1": "nicht_gefunden",
           "Gartenweg": "nur_strasse", "Schulstraße 1": "ausserhalb", "Lindenweg 3": "nur_strasse"}
ALLOWED_PARAMS = {"street", "postalcode", "city", "country", "format", "limit", "countrycodes", "addressdetails"}


class FakeResponse:
    def __init__(self, body: object, status: int = 200) -> None:
        self.status_code, self._body = status, body

    def json(self) -> object:
        return self._body


class RecordedSession:
    """Answers from the recorded files; remembers every request."""

    def __init__(self) -> None:
        self.calls: list[dict] = []

    def get(self, url, params=None, timeout=None, headers=None):
        self.calls.append({"url": url, "params": dict(params or {}), "headers": dict(headers or {})})
        name = ANSWERS[params["street"]]
        return FakeResponse(json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8")))


class OfflineSession:
    def get(self, *args, **kwargs):
        raise requests.ConnectionError("Name or service not known")


class FakeClock:
    def __init__(self) -> None:
        self.now, self.slept = 100.0, []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)
        self.now += seconds


def _offer(i: int, **kw) -> dict:
    return synthetic_row(i, **{"ort": "Testdorf/Werra", "plz": "99999", "lage_genauigkeit": "ortsteil",
                               "lon": 10.47, "lat": 50.58, **kw})


@pytest.fixture()
def store(tmp_path):
    store = RegisterStore.open(f"sqlite:///{tmp_path / 'register.sqlite'}")
    store.insert_offers([
        _offer(1, id="G-1", strasse="Ernststraße 7", telefon="03693 111111"),
        _offer(2, id="G-2", strasse="Hauptstraße 2"),
        _offer(3, id="G-3", strasse="Nirgendwo 1"),
        _offer(4, id="G-4", strasse="Gartenweg"),
        _offer(5, id="G-5", strasse="Schulstraße 1"),
        _offer(6, id="G-6", name="Frauenhaus Testdorf", strasse="Ernststraße 7"),     # confidential: never sent
        _offer(7, id="G-7", strasse="Ernststraße 7", lage_genauigkeit="punkt"),       # set by a person: kept
        _offer(8, id="G-8", strasse=""),                                               # no address
    ], "test")
    yield store
    store.dispose()


def _gemeinden() -> dict:
    gem = fx.gemeinden().to_crs(settings.MAP_CRS)
    return dict(zip(gem["name"], gem.geometry, strict=True))


def _geocoder(tmp_path, session, clock=None) -> Geocoder:
    clock = clock or FakeClock()
    return Geocoder("https://geocoder.example/search", cache=AnswerCache(tmp_path / "cache"), session=session,
                    limiter=RateLimiter(1.0, clock=clock, sleep=clock.sleep), user_agent="Standortatlas-Test/1.0")


def test_only_the_public_address_is_sent_once_per_second_and_found_addresses_are_stored(store, tmp_path):
    session, clock = RecordedSession(), FakeClock()
    report = geocode_register(store, _gemeinden(), _geocoder(tmp_path, session, clock), confidential=["Frauenhaus"])
    # asked: the five offers with an address that are neither confidential nor set by a person
    assert sorted(c["params"]["street"] for c in session.calls) == sorted(
        ["Ernststraße 7", "Hauptstraße 2", "Nirgendwo 1", "Gartenweg", "Schulstraße 1"])
    for call in session.calls:
        assert set(call["params"]) <= ALLOWED_PARAMS
        assert call["headers"]["User-Agent"] == "Standortatlas-Test/1.0"
        assert "03693" not in json.dumps(call) and "Synthetisches Angebot" not in json.dumps(call)
    assert clock.slept == [pytest.approx(1.0)] * 4          # 5 requests, at most one per second
    status = {o.id: o.status for o in report.outcomes}
    assert status == {"G-1": "gefunden", "G-2": "mehrdeutig", "G-3": "nicht_gefunden", "G-4": "zu_grob",
                      "G-5": "ausserhalb"}
    assert report.stored == ["G-1"]
    found = store.offer("G-1")
    assert found["lage_genauigkeit"] == "adresse"
    assert (found["lon"], found["lat"]) == (pytest.approx(10.484732), pytest.approx(50.588335))
    assert "Ernststraße, Testdorf" in str(found["lage_hinweis"])
    assert store.history("G-1")[0]["wer"] == "atlas geocode"
    for other in ("G-2", "G-3", "G-4", "G-5", "G-6", "G-7"):
        assert store.offer(other)["lage_genauigkeit"] in ("ortsteil", "punkt")
        assert store.offer(other)["lon"] == pytest.approx(10.47)
    assert any("Mehrdeutig" in line for line in report.lines())


def test_answers_are_cached_on_disk(store, tmp_path):
    geocode_register(store, _gemeinden(), _geocoder(tmp_path, RecordedSession()), dry_run=True)
    second = RecordedSession()
    report = geocode_register(store, _gemeinden(), _geocoder(tmp_path, second), dry_run=True)
    assert second.calls == [] and report.requests_sent == 0 and len(report.outcomes) == 6
    assert store.offer("G-1")["lage_genauigkeit"] == "ortsteil"   # dry run: nothing stored


def test_offline_says_so_in_german_and_changes_nothing(store, tmp_path):
    before = store.offers()
    with pytest.raises(GeocoderOffline, match="nicht erreichbar .*Es wurde nichts geändert"):
        geocode_register(store, _gemeinden(), _geocoder(tmp_path, OfflineSession()))
    assert store.offers() == before


def test_address_query_sends_street_postcode_and_gemeinde_only():
    record = {"name": "Kita Sonnenschein", "email": "a@b.de", "telefon": "1", "strasse": "Rathausstraße 4 (im Rathaus)",
              "plz": "98544", "ort": "Zella-Mehlis", "ortsteil": "Mehlis"}
    assert address_query(record) == {"street": "Rathausstraße 4", "postalcode": "98544", "city": "Zella-Mehlis",
                                     "country": "Deutschland"}
    assert address_query({"strasse": "", "ort": "Meiningen"}) is None


def test_cli_offline_exit_code_and_german_message(built, tmp_path, capsys):
    data = tmp_path / "daten"
    data.mkdir()
    shutil.copy(built.gpkg, data / settings.GPKG_NAME)
    url = f"sqlite:///{tmp_path / 'reg.sqlite'}"
    store = RegisterStore.open(url)
    store.insert_offers([synthetic_row(1, id="C-1", ort="Meiningen", strasse="Ernststraße 7")], "test")
    before = store.offers()
    store.dispose()
    code = main(["geocode", "--data", str(data), "--database", url, "--url", "http://127.0.0.1:9/search"])
    assert code == 1
    assert "nicht erreichbar" in capsys.readouterr().err
    store = RegisterStore.open(url)
    assert store.offers() == before
    store.dispose()
