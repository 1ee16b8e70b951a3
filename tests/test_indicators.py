"""The indicator catalogue covers every Deutschlandatlas column once and is validated."""

from __future__ import annotations

import pandas as pd
import pytest
import yaml

from atlas import settings
from atlas.errors import CatalogueError
from atlas.indicators import HANDLUNGSFELDER_FILE, load_catalogue, load_handlungsfelder
from atlas.sources import load_sources


@pytest.mark.data
def test_catalogue_covers_every_deutschlandatlas_column_once():
    catalogue = load_catalogue()
    by_file: dict[str, list[str]] = {}
    for ind in catalogue:
        if ind.datei:
            by_file.setdefault(ind.datei, []).append(ind.spalte)
    for source in load_sources().values():
        if not source.datei.startswith("deutschlandatlas_"):
            continue
        header = pd.read_csv(settings.source_dir() / source.datei, nrows=0).columns
        expected = [c for c in header if c != source.schluessel and not c.endswith("name")]
        assert sorted(by_file[source.datei]) == sorted(expected), source.datei


@pytest.mark.data
def test_handlungsfelder_match_the_offer_register():
    labels = {h.label for h in load_handlungsfelder()}
    offers = pd.read_csv(settings.source_dir() / "angebote_sm_oeffentliche_quellen.csv", dtype=str)
    assert set(offers["handlungsfeld"].dropna()) <= labels
    assert len(labels) == 8


def test_unverified_units_are_labelled():
    for ind in load_catalogue():
        if not ind.einheit_geprueft:
            assert "nicht geprüft" in ind.unit_label


def _catalogue_with(tmp_path, change: dict):
    data = yaml.safe_load((settings.GEODATA_DIR / "indicators.yaml").read_text(encoding="utf-8"))
    data["indicators"][0].update(change)
    path = tmp_path / "indicators.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(("change", "message"), [
    ({"richtung": "aufwaerts"}, "Indikator 'bev_dicht': Feld 'richtung' muss einer der Werte"),
    ({"handlungsfeld": "Sport"}, "Indikator 'bev_dicht': Feld 'handlungsfeld' – 'Sport' ist kein Handlungsfeld"),
    ({"label": ""}, "Indikator 'bev_dicht': Feld 'label' darf nicht leer sein"),
    ({"bezugsjahr": "zwanzig"}, "Indikator 'bev_dicht': Feld 'bezugsjahr' muss eine ganze Zahl sein"),
])
def test_broken_catalogue_entry_names_indicator_and_field(tmp_path, change, message):
    path = _catalogue_with(tmp_path, change)
    with pytest.raises(CatalogueError) as info:
        load_catalogue(path, HANDLUNGSFELDER_FILE)
    assert message in str(info.value)
