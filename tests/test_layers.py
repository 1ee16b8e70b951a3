"""The declarative layer registry: the shipped files are valid, broken files are named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from atlas import settings
from atlas.errors import LayerDefinitionError
from atlas.layers import check_against_data, load_layer_file, load_layers


def test_shipped_layers_are_valid_and_match_the_built_data(atlas_data):
    layers = load_layers()
    assert {l.id for l in layers} == {"kreis", "gemeinden", "nachbar_gemeinden", "nachbar_kreise",
                                      "bevoelkerung_1km", "bahnhoefe", "haltestellen", "angebote"}
    check_against_data(layers, atlas_data.columns())
    angebote = next(l for l in layers if l.id == "angebote")
    assert angebote.gruppierung is not None and len(angebote.gruppierung.werte) == 8


def _write(tmp_path: Path, name: str, changes: dict, drop: tuple[str, ...] = ()) -> Path:
    data = yaml.safe_load((settings.LAYERS_DIR / "bahnhoefe.yaml").read_text(encoding="utf-8"))
    data.update(changes)
    for key in drop:
        data.pop(key)
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("changes", "drop", "message"),
    [
        ({}, ("titel",), "Ebenen-Datei kaputt.yaml: Feld 'titel' fehlt."),
        ({"stil": {"farbe": "rot"}}, (), "Ebenen-Datei kaputt.yaml: Feld 'stil.farbe' muss eine Farbe wie #1f78b4 sein."),
        ({"art": "kreise"}, (), "Ebenen-Datei kaputt.yaml: Feld 'art' muss einer der Werte"),
        ({"farbe": "#ffffff"}, (), "Ebenen-Datei kaputt.yaml: Feld 'farbe' ist kein bekanntes Feld (Tippfehler?)."),
        ({"quellen": ["erfunden"]}, (), "Feld 'quellen' nennt die unbekannte Quelle 'erfunden'"),
        ({"handlungsfeld": "Sport"}, (), "Feld 'handlungsfeld' – 'Sport' ist kein Handlungsfeld."),
        ({"id": "Bahn Höfe"}, (), "Feld 'id' darf nur Kleinbuchstaben, Ziffern und _ enthalten."),
        ({"stil": {"radius": 99}}, (), "Feld 'stil.radius' darf höchstens 30 sein"),
        ({"popup": [{"feld": "name"}]}, (), "Feld 'popup.0.label' fehlt."),
    ],
)
def test_broken_layer_file_names_file_and_field(tmp_path, changes, drop, message):
    path = _write(tmp_path, "kaputt.yaml", changes, drop)
    with pytest.raises(LayerDefinitionError) as info:
        load_layer_file(path)
    assert message in str(info.value)


def test_invalid_yaml_and_duplicate_ids(tmp_path):
    bad = tmp_path / "a.yaml"
    bad.write_text("id: [unclosed", encoding="utf-8")
    with pytest.raises(LayerDefinitionError, match="Ebenen-Datei a.yaml: Die Datei ist kein gültiges YAML"):
        load_layer_file(bad)
    folder = tmp_path / "dup"
    folder.mkdir()
    _write(folder, "eins.yaml", {})
    _write(folder, "zwei.yaml", {})
    with pytest.raises(LayerDefinitionError, match="Ebenen-Datei zwei.yaml: Feld 'id' – 'bahnhoefe' ist schon in eins.yaml vergeben."):
        load_layers(folder)


def test_popup_field_missing_in_data_is_named(tmp_path, atlas_data):
    path = _write(tmp_path, "bahnhoefe.yaml", {"popup": [{"feld": "gleise", "label": "Gleise"}]})
    layer = load_layer_file(path)
    with pytest.raises(LayerDefinitionError,
                       match="Ebenen-Datei bahnhoefe.yaml: Feld 'popup' nennt die Spalte 'gleise', die es in der Ebene 'bahnhoefe' nicht gibt."):
        check_against_data((layer,), atlas_data.columns())


def test_adding_a_layer_is_a_data_change(tmp_path, atlas_data):
    folder = tmp_path / "layers"
    folder.mkdir()
    for path in settings.LAYERS_DIR.glob("*.yaml"):
        (folder / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    _write(folder, "orte.yaml", {"id": "orte", "titel": "Orte", "gpkg_ebene": "orte", "quellen": ["orte"],
                                 "popup": [{"feld": "name", "label": "Ort"}, {"feld": "plz", "label": "PLZ"}],
                                 "tooltip": "name"})
    layers = load_layers(folder)
    assert "orte" in {l.id for l in layers}
    check_against_data(layers, atlas_data.columns())
