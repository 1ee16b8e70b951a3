"""PDF exports carry title (shown by readers), language and reading order (atlas.pdf_tags), read back with pypdf.

The expected title and first line come from the inputs of each document, not from fixed counts.
"""

from __future__ import annotations

import io
from datetime import date

import pytest
from pypdf import PdfReader

from atlas.council.profile import build_profile, straight_line_table
from atlas.council.profile_pdf import profile_pdf
from atlas.offer_search import Filter, Texts, index_from_atlas, search
from atlas.offer_search.gazetteer import gazetteer_from_atlas
from atlas.offer_search.printout import build_pdf
from atlas.pdf_tags import pdf_language

pytestmark = pytest.mark.data


def _check_tags(pdf: bytes, title: str, lang: str) -> PdfReader:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert reader.metadata.title == title
    assert str(root["/Lang"]) == lang
    assert bool(root["/ViewerPreferences"]["/DisplayDocTitle"]) is True
    return reader


def _first_line(reader: PdfReader) -> str:
    return next(line.strip() for line in reader.pages[0].extract_text().splitlines() if line.strip())


def test_pdf_language_tags():
    assert pdf_language("de") == "de-DE" and pdf_language("en") == "en-GB" and pdf_language("xx") == "de-DE"


def test_profile_pdf_has_title_language_and_starts_with_its_heading(atlas_data):
    ags = str(atlas_data.gemeinden.sort_values("name").iloc[0]["ags"])
    profil = build_profile(atlas_data, ags, estimates=straight_line_table(atlas_data))
    reader = _check_tags(profile_pdf(profil), f"Sozialraumprofil {profil.name}", "de-DE")
    # Reading order: the heading comes before the running footer ("… · Seite 1").
    assert _first_line(reader) == f"Sozialraumprofil {profil.name}"
    assert "Seite 1" in reader.pages[0].extract_text().splitlines()[-1]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_family_pdf_has_title_language_and_starts_with_its_heading(atlas_data, lang):
    index = index_from_atlas(atlas_data)
    place = gazetteer_from_atlas(atlas_data, address_sources=[]).lookup("Rosa").place
    result = search(index, place.x, place.y, Filter(), day=date(2026, 11, 25), limit=3)
    t = Texts(lang)
    title = f"{t('titel')} – {place.label}"
    pdf = build_pdf(title, place.label, "", "", result.hits, result.ohne_lage, index.themen, t, "",
                    ["GeoNames (www.geonames.org), CC BY 4.0"], t("datenschutz"))
    reader = _check_tags(pdf, title, pdf_language(lang))
    assert _first_line(reader) == title
