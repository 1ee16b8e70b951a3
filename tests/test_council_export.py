"""Exports: the Sozialraumprofil PDF (text read back with pypdf) and server-side PNG maps (Pillow)."""

from __future__ import annotations

import io

import pytest
from PIL import Image
from pypdf import PdfReader

from atlas.council.errors import CouncilError
from atlas.council.indicator_maps import classify_indicator
from atlas.council.map_png import attribution_lines, render_map_png
from atlas.council.profile import build_profile, straight_line_table
from atlas.council.profile_pdf import profile_pdf
from atlas.indicators import indicator_by_id

BROTTERODE = "16066074"


@pytest.fixture(scope="module")
def profile_png(atlas_data) -> bytes:
    return render_map_png(atlas_data, focus_ags=BROTTERODE, show_offers=True, show_stations=True, radius_m=5000,
                          title="Sozialraumprofil Brotterode-Trusetal")


def _de(value: float, decimals: int = 0) -> str:
    """*value* in German notation ("1.811", "11,5"), written here independently of the atlas' formatter."""
    return f"{value:,.{decimals}f}".replace(",", " ").replace(".", ",").replace(" ", ".")


def test_profile_pdf_has_expected_text_figures_and_map(atlas_data, profile_png, source_kreis):
    profil = build_profile(atlas_data, BROTTERODE, estimates=straight_line_table(atlas_data))
    reader = PdfReader(io.BytesIO(profile_pdf(profil, profile_png)))
    assert 1 <= len(reader.pages) <= 2
    for page in reader.pages:  # A4 portrait, in points
        assert float(page.mediabox.width) == pytest.approx(595.28, abs=0.1)
        assert float(page.mediabox.height) == pytest.approx(841.89, abs=0.1)
    text = "\n".join(page.extract_text() for page in reader.pages)
    # Figures from the Gemeinde's row of the build (population: the Zensus file), German-formatted here.
    row = atlas_data.gemeinden.set_index("ags").loc[BROTTERODE]
    u15, ue65 = int(row["einw_u15"]), int(row["einw_65plus"])
    for expected in ("Sozialraumprofil Brotterode-Trusetal", "Gemeindeschlüssel 16066074",
                     "Einwohner (Zensus 2022)", source_kreis.german(BROTTERODE), f"{_de(row['flaeche_km2'], 1)} km²",
                     "unter 15 Jahre (Schätzung)", _de(u15), f"{_de(100 * u15 / row['einwohner'], 1)} %",
                     "65 Jahre und älter (Schätzung)", _de(ue65),
                     "Altersgruppen sind geschätzt", "Erreichbarkeit (Deutschlandatlas)",
                     "Pkw-Fahrzeit zur nächsten Hausarztpraxis", _de(row["p_harzt"], 2), "Eigene Schätzung",
                     "Grundschule zu Fuß (2 km)", profil.bahnhof.name, "Angebote in der Gemeinde",
                     f"Rang unter den {len(atlas_data.gemeinden)} Gemeinden", "Seite 1",
                     "Deutschlandatlas der Bundesregierung (Stand 12.12.2024)",
                     "Statistische Ämter des Bundes und der Länder, Zensus 2022"):
        assert expected in text, expected
    # The rank of the GP drive time, as computed, appears as "n von <number of Gemeinden>"
    rank = profil.erreichbarkeit.set_index("id").loc["p_harzt", "Rang"]
    assert f"{rank} von {len(atlas_data.gemeinden)}" in text
    assert reader.metadata.title == "Sozialraumprofil Brotterode-Trusetal"
    assert len(reader.pages[0].images) == 1  # the map


def test_profile_png_is_a_png_of_the_default_size(profile_png):
    image = Image.open(io.BytesIO(profile_png))
    assert image.format == "PNG"
    assert image.size == (1600, 1200)
    assert len(image.convert("RGB").getcolors(maxcolors=1_000_000)) > 50  # a map, not a blank page


def test_indicator_png_has_requested_size_and_attribution(atlas_data):
    ind = indicator_by_id("p_harzt")
    classification = classify_indicator(atlas_data.gemeinden, ind, "quantile", 5)
    png = render_map_png(atlas_data, indicator=ind, classification=classification, size_px=(1000, 700), dpi=100)
    image = Image.open(io.BytesIO(png))
    assert image.size == (1000, 700)
    rgb = image.convert("RGB")
    colours = {c for _, c in rgb.getcolors(maxcolors=1_000_000)}
    # the five class colours (ColorBrewer YlOrRd) are on the image
    assert {tuple(int(e.colour[i:i + 2], 16) for i in (1, 3, 5)) for e in classification.legend} <= colours
    assert attribution_lines(ind) == ["© GeoBasis-DE / BKG (2025) (Daten verändert)",
                                      "Deutschlandatlas der Bundesregierung (Stand 12.12.2024)"]


def test_png_refuses_unknown_gemeinde_and_tiny_size(atlas_data):
    with pytest.raises(CouncilError, match=r"^Unbekannte Gemeinde \(Gemeindeschlüssel 1\)\.$"):
        render_map_png(atlas_data, focus_ags="1")
    with pytest.raises(CouncilError, match="mindestens 200 × 150 Pixel"):
        render_map_png(atlas_data, size_px=(100, 100))
