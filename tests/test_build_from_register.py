"""The build takes the offers from the register store once it exists, so edits reach the maps."""

from __future__ import annotations

import pyogrio
import pytest

from atlas import settings
from atlas.build import build
from atlas.register.store import RegisterStore

#: Every test here reads the third-party source folder (tests/conftest.py)
pytestmark = [pytest.mark.data, pytest.mark.slow]


@pytest.fixture()
def data_with_register(tmp_path):
    out = tmp_path / "data"
    first = build(data=out)
    assert first.manifest_data["angebote"]["quelle"] == "csv"
    url = f"sqlite:///{out / 'register.sqlite'}"
    store = RegisterStore.open(url)
    store.seed_from_atlas(first.gpkg)
    return out, url, store


def test_edits_in_the_register_reach_the_next_build(data_with_register, monkeypatch):
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    out, _url, store = data_with_register
    kita = next(o for o in store.offers() if o["kategorie"] == "Kita")
    # Exact position from the coordinator (Schwallungen, inside the county) and a new name.
    store.update_offer(kita["id"], {"name": "Kita Sonnenschein (geprüft)", "lon": 10.3558, "lat": 50.6923},
                       expected_version=kita["version"], who="test")
    gone = next(o for o in store.offers() if o["kategorie"] == "Tafel")
    store.delete_offer(gone["id"], expected_version=gone["version"], who="test")

    result = build(data=out)
    assert result.manifest_data["angebote"]["quelle"] == "register"
    placed = pyogrio.read_dataframe(out / settings.GPKG_NAME, layer="angebote").set_index("id")
    assert placed.loc[kita["id"], "name"] == "Kita Sonnenschein (geprüft)"
    assert placed.loc[kita["id"], "lage_genauigkeit"] in {"punkt", "ortsteil", "gemeinde"}
    point = placed.to_crs("EPSG:4326").loc[kita["id"], "geometry"]
    assert point.x == pytest.approx(10.3558, abs=1e-5) and point.y == pytest.approx(50.6923, abs=1e-5)
    assert gone["id"] not in placed.index
    unplaced = pyogrio.read_dataframe(out / settings.GPKG_NAME, layer="angebote_ohne_lage")
    assert len(placed) + len(unplaced) == store.count()  # every active register offer, the deleted one not


def test_confidential_offer_stays_off_the_map_even_with_coordinates(data_with_register, monkeypatch):
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    out, _url, store = data_with_register
    shelter = store.offer("SM-0149")
    store.update_offer("SM-0149", {"lon": 10.41, "lat": 50.57}, expected_version=shelter["version"], who="test")
    build(data=out)
    placed = pyogrio.read_dataframe(out / settings.GPKG_NAME, layer="angebote")
    assert "SM-0149" not in set(placed["id"])


def test_csv_can_be_forced(data_with_register, monkeypatch):
    monkeypatch.delenv("ATLAS_DATABASE_URL", raising=False)
    out, _url, _store = data_with_register
    assert build(data=out, use_register=False).manifest_data["angebote"]["quelle"] == "csv"


def test_admin_rebuild_button_puts_register_edits_on_the_map(data_with_register, monkeypatch):
    from unittest import mock

    from streamlit.testing.v1 import AppTest

    from atlas.register.auth import hash_password

    out, url, store = data_with_register
    monkeypatch.setenv("ATLAS_DATA_DIR", str(out))
    monkeypatch.setenv("ATLAS_DATABASE_URL", url)
    store.update_offer("SM-0001", {"name": "Jugendamt – Kinderschutz (neu)"}, expected_version=1, who="anna")
    with mock.patch("streamlit_folium.st_folium", return_value={}):
        at = AppTest.from_file(str(settings.PROJECT_ROOT / "app.py"), default_timeout=90)
        at.secrets["admin"] = {"users": {"anna": hash_password("richtig-geheim-123")}}
        at.switch_page("pages/register_admin.py")
        at.session_state["register_admin_user"] = "anna"
        at.run()
        assert not at.exception
        next(b for b in at.button if b.label == "Karten jetzt aktualisieren").click().run()
        assert not at.exception
        assert any(s.value.startswith("Aktualisiert: ") for s in at.success)
    placed = pyogrio.read_dataframe(out / settings.GPKG_NAME, layer="angebote").set_index("id")
    assert placed.loc["SM-0001", "name"] == "Jugendamt – Kinderschutz (neu)"
