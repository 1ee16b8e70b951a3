"""The layer registry is declarative (issue 14 point 3): a new layer file on built data is drawn without a
code change, and points are filtered on the columns the file declares (``filter_feld``)."""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from atlas import settings
from atlas.atlasdata import AtlasData
from atlas.layers import load_layers
from atlas.mapview import MapOptions, build_map, prepare_base

NEW_LAYER = {
    "id": "orte_test", "titel": "Orte (Test-Ebene)", "beschreibung": "Neue Ebene nur aus einer YAML-Datei.",
    "gpkg_ebene": "orte", "geometrie": "punkt", "art": "punkte", "quellen": ["orte"], "sichtbar": True,
    "reihenfolge": 65, "nur_im_kreis": True, "filter_feld": "ags", "tooltip": "name",
    "stil": {"farbe": "#123456", "radius": 3, "fuelldeckkraft": 1.0},
    "popup": [{"feld": "name", "label": "Ort"}, {"feld": "plz", "label": "PLZ"}],
}


def _layers_with_new_file(tmp_path: Path) -> Path:
    folder = tmp_path / "layers"
    shutil.copytree(settings.LAYERS_DIR, folder)
    (folder / "orte_test.yaml").write_text(yaml.safe_dump(NEW_LAYER, allow_unicode=True), encoding="utf-8")
    return folder


def test_a_new_layer_file_is_drawn_and_filtered_on_its_filter_field(tmp_path: Path, atlas_data: AtlasData) -> None:
    layers = load_layers(_layers_with_new_file(tmp_path))
    assert "orte_test" in [layer.id for layer in layers]
    base = prepare_base(atlas_data, layers)
    result = build_map(base, layers, MapOptions())
    orte = atlas_data["orte"]
    in_kreis = orte[orte["in_kreis"].astype(bool)]
    assert result.counts["orte_test"] == len(in_kreis)
    page = result.map.get_root().render()
    assert "Orte (Test-Ebene)" in page and "#123456" in page
    # generic filter: the layer declares filter_feld 'ags'; filtering on one Gemeinde keeps exactly its places
    ags = str(in_kreis["ags"].iloc[0])
    filtered = build_map(base, layers, MapOptions(filters={"ags": frozenset({ags})}))
    assert filtered.counts["orte_test"] == int((in_kreis["ags"].astype(str) == ags).sum())
    # the other layers are unaffected by a filter on a column they do not declare
    assert filtered.counts["angebote"] == result.counts["angebote"]


def test_every_layer_file_of_the_project_is_drawn(atlas_data: AtlasData) -> None:
    layers = load_layers()
    result = build_map(prepare_base(atlas_data, layers), layers, MapOptions())
    assert set(result.counts) == {layer.id for layer in layers if layer.gpkg_ebene in atlas_data.layers}
