"""Every PDF the atlas exports is a tagged PDF (atlas.pdf_tags, WeasyPrint): read back with pikepdf, pypdf and
poppler's pdfinfo.

Checked: ``/MarkInfo /Marked true``, a structure tree with the expected headings (texts from each document's
inputs), tables with ``TH`` header cells, the map as a ``Figure`` whose ``/Alt`` is the generated text
alternative, ``/Lang`` (de-DE, en-GB in English), the title shown by readers, reading order = structure order
(the heading first) and the running footer as an artifact (on the page, in no structure element).
"""

from __future__ import annotations

import io
import shutil
import subprocess
from datetime import date

import pikepdf
import pytest

from atlas.council.map_png import render_map_png
from atlas.council.profile import build_profile, straight_line_table
from atlas.council.profile_pdf import profile_map_alt, profile_pdf
from atlas.offer_search import Filter, Texts, index_from_atlas, search
from atlas.offer_search.gazetteer import gazetteer_from_atlas
from atlas.offer_search.printout import build_pdf
from atlas.pdf_tags import css_string, mark_unlinked_as_artifacts, pdf_language, render_pdf
from tests.pdf_structure import page_texts, structure_elements

# A synthetic page: heading, paragraph, table, figure and a running footer in a page margin box.
PIXEL_PNG = ("data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQ"
             "AAAABJRU5ErkJggg==")
SYNTHETIC_HTML = f"""<!DOCTYPE html><html lang="de-DE"><head><meta charset="utf-8"><title>Testdokument</title>
<style>@page {{ @bottom-right {{ content: "Fußzeile " counter(page) }} }}</style></head><body>
<h1>Überschrift</h1><p>Absatz</p><table><thead><tr><th scope="col">Spalte</th></tr></thead>
<tbody><tr><td>Zelle</td></tr></tbody></table><figure><img src="{PIXEL_PNG}" alt="Eine Karte"></figure>
<img src="file:///etc/hostname" alt="verboten"></body></html>"""


def _catalog(pdf: bytes, title: str, lang: str) -> None:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        root = doc.Root
        assert bool(root.MarkInfo.Marked) is True
        assert "/StructTreeRoot" in root
        assert str(root.Lang) == lang
        assert bool(root.ViewerPreferences.DisplayDocTitle) is True
        assert str(doc.docinfo["/Title"]) == title


def _artifact_count(pdf: bytes) -> int:
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        return sum(1 for page in doc.pages for operands, op in pikepdf.parse_content_stream(page)
                   if str(op) == "BDC" and operands[0] == pikepdf.Name.Artifact)


def _assert_footer_is_artifact(pdf: bytes, footer: str) -> None:
    elements = structure_elements(pdf)
    assert any(footer in text for text in page_texts(pdf))          # printed on the page …
    assert not any(footer in text for _, text, _ in elements)       # … but in no structure element
    assert _artifact_count(pdf) >= 1


def test_pdf_language_tags():
    assert pdf_language("de") == "de-DE" and pdf_language("en") == "en-GB" and pdf_language("xx") == "de-DE"


def test_css_string_cannot_leave_the_string_or_the_style_element():
    assert css_string('a"b</style>') == '"a\\22 b\\3C /style\\3E "'
    assert css_string("Seite 1 · Größe") == '"Seite 1 · Größe"'


def test_synthetic_document_is_tagged_with_footer_as_artifact_and_no_file_access():
    pdf = render_pdf(SYNTHETIC_HTML)
    _catalog(pdf, "Testdokument", "de-DE")
    elements = structure_elements(pdf)
    blocks = [(tag, text) for tag, text, _ in elements if tag not in ("Span", "NonStruct")]
    assert blocks[0][0] == "Document" and blocks[1:3] == [("H1", "Überschrift"), ("P", "Absatz")]
    assert ("TH", "Spalte", "") in elements and ("TD", "Zelle", "") in elements
    figures = [alt for tag, _, alt in elements if tag == "Figure"]
    assert figures[0] == "Eine Karte"
    # the file: image was refused – only the inline image is embedded (the refused one shows its alt text)
    with pikepdf.open(io.BytesIO(pdf)) as doc:
        assert len(doc.pages[0].get_images()) == 1
    _assert_footer_is_artifact(pdf, "Fußzeile 1")
    assert mark_unlinked_as_artifacts(pdf) == pdf    # nothing left to rewrite


@pytest.fixture(scope="module")
def profile_and_pdf(atlas_data):
    ags = str(atlas_data.gemeinden.sort_values("name").iloc[0]["ags"])
    profil = build_profile(atlas_data, ags, estimates=straight_line_table(atlas_data))
    png = render_map_png(atlas_data, focus_ags=ags, show_offers=True, show_stations=True, radius_m=profil.radius_m,
                         size_px=(800, 600), dpi=100)
    return profil, profile_pdf(profil, png, stand="01.12.2026")


def test_profile_pdf_is_tagged_with_headings_tables_and_the_map_alternative(profile_and_pdf):
    profil, pdf = profile_and_pdf
    title = f"Sozialraumprofil {profil.name}"
    _catalog(pdf, title, "de-DE")
    elements = structure_elements(pdf)
    headings = [(tag, text) for tag, text, _ in elements if tag in ("H1", "H2")]
    assert headings[0] == ("H1", title)              # reading order: the title comes first
    h2 = [text for tag, text in headings if tag == "H2"]
    radius = f"{profil.radius_m / 1000:.0f}"
    assert h2[:2] == ["Erreichbarkeit (Deutschlandatlas)",
                      f"Angebote in der Gemeinde (Gem.) und im Umkreis von {radius} km"]
    assert h2[-1].startswith("Weitere Indikatoren: Rang unter den")
    header_cells = {text for tag, text, _ in elements if tag == "TH"}
    assert {"Kennzahl", "Wert", "Altersgruppe", "Indikator", "Rang", "Einwohner (Zensus 2022)"} <= header_cells
    reach = set(profil.erreichbarkeit["Indikator"])
    assert reach <= header_cells                     # each indicator row is headed by its name
    tags = [tag for tag, _, _ in elements]
    assert tags.count("Table") >= 5
    figures = [(i, alt) for i, (tag, _, alt) in enumerate(elements) if tag == "Figure"]
    assert [alt for _, alt in figures] == [profile_map_alt(profil)]
    assert profil.name in figures[0][1] and f"{profil.angebote_gesamt[0]} in der" in figures[0][1]
    first_h2 = next(i for i, (tag, _, _) in enumerate(elements) if tag == "H2")
    assert figures[0][0] < first_h2                  # the map stands before the tables, as on the page
    _assert_footer_is_artifact(pdf, "Seite 1")


def test_pdfinfo_reports_tagged(profile_and_pdf, tmp_path):
    pdfinfo = shutil.which("pdfinfo")
    assert pdfinfo, "pdfinfo fehlt: Debian-Paket poppler-utils installieren (scripts/test.sh tut das)"
    path = tmp_path / "profil.pdf"
    path.write_bytes(profile_and_pdf[1])
    info = subprocess.run([pdfinfo, str(path)], capture_output=True, text=True, check=True).stdout
    assert "Tagged:          yes" in info
    assert f"Title:           Sozialraumprofil {profile_and_pdf[0].name}" in info


@pytest.mark.parametrize("lang", ["de", "en"])
def test_family_pdf_is_tagged_in_its_language(atlas_data, lang):
    index = index_from_atlas(atlas_data)
    place = gazetteer_from_atlas(atlas_data, address_sources=[]).lookup("Rosa").place
    result = search(index, place.x, place.y, Filter(), day=date(2026, 11, 25), limit=3)
    t = Texts(lang)
    title = f"{t('titel')} – {place.label}"
    pdf = build_pdf(title, place.label, "", "", result.hits, result.ohne_lage, index.themen, t, "",
                    ["GeoNames (www.geonames.org), CC BY 4.0"], t("datenschutz"))
    _catalog(pdf, title, pdf_language(lang))
    elements = structure_elements(pdf)
    assert [(tag, text) for tag, text, _ in elements][1] == ("H1", title)
    h2 = [text for tag, text, _ in elements if tag == "H2"]
    assert h2[:len(result.hits)] == [f"{hit.rang}. {hit.offer['name']}" for hit in result.hits]
    header_cells = {text for tag, text, _ in elements if tag == "TH"}
    assert {t("adresse"), t("stand")} <= header_cells
    if any(hit.offer["telefon"] for hit in result.hits):
        assert t("telefon") in header_cells
    if result.ohne_lage:                             # offers without a location: own section, one level down
        assert t("ohne_lage_titel") in h2
        assert [text for tag, text, _ in elements if tag == "H3"] == [o["name"] for o in result.ohne_lage]
    _assert_footer_is_artifact(pdf, t("seite", n=1))


def test_indicator_map_pdf_is_tagged_with_the_page_sentence_as_alt_and_the_ranked_table(atlas_data):
    from atlas.council.indicator_maps import MapChoice, classify_indicator
    from atlas.council.indicator_pdf import indicator_map_alt, indicator_pdf_from_atlas
    from atlas.indicators import indicator_by_id
    from atlas.text_alternatives import class_labels, extremes_sentence, ranked_table

    ind = indicator_by_id("p_harzt")
    gem = atlas_data.gemeinden
    classification = classify_indicator(gem, ind, "quantile", 5)
    png = render_map_png(atlas_data, indicator=ind, classification=classification, size_px=(800, 600), dpi=100)
    pdf = indicator_pdf_from_atlas(atlas_data, MapChoice(indicator=ind, method="quantile", k=5), classification, png)
    _catalog(pdf, f"Karte: {ind.label}", "de-DE")
    elements = structure_elements(pdf)
    names, values = gem["name"].astype(str).tolist(), gem[ind.id].tolist()
    unit = ind.einheit if ind.einheit_geprueft else ""
    sentence = extremes_sentence(names, values, unit, what=ind.label)   # the sentence under the page's map
    assert indicator_map_alt(ind, names, values) == sentence
    assert [alt for tag, _, alt in elements if tag == "Figure"] == [sentence]
    assert [(tag, text) for tag, text, _ in elements if tag in ("H1", "H2")] == [
        ("H1", f"Karte: {ind.label}"), ("H2", "Klassen der Karte"), ("H2", "Alle Gemeinden nach Wert")]
    header_cells = [text for tag, text, _ in elements if tag == "TH"]
    table = ranked_table(names, values, unit)
    assert "Gemeinde" in header_cells and "Rang" in header_cells
    row_heads = [h for h in header_cells if h in set(names)]
    assert row_heads == table["Gemeinde"].tolist()                      # every Gemeinde, ranked as on the page
    numbers = [str(n) for n in range(1, classification.k + 1)]
    assert set(numbers) <= set(class_labels(classification.classes))   # the class numbers of the map
    _assert_footer_is_artifact(pdf, "Seite 1")
