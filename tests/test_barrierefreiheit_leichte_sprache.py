"""Leichte Sprache on the family page (atlas.plain_language): data file checks and fallback to German."""

from __future__ import annotations

import pytest

from atlas.errors import CatalogueError
from atlas.offer_search.i18n import Texts, load_texts
from atlas.plain_language import PLAIN_FILE, PlainTexts, load_plain_texts


def test_shipped_file_loads_and_every_key_is_a_page_text():
    plain = load_plain_texts()
    german = load_texts()
    assert plain and set(plain) <= set(german)
    assert all(text != german[key]["de"] for key, text in plain.items()), "ein Text ist nicht vereinfacht"


def test_plain_texts_use_the_file_and_fall_back_to_german():
    plain, german = PlainTexts(), Texts("de")
    table = load_plain_texts()
    for key in ("titel", "einleitung", "methode"):
        assert plain(key) == table[key] if key in table else plain(key) == german(key)
    missing = next(k for k in load_texts() if k not in table)
    assert plain(missing) == german(missing)
    assert plain("ergebnisse_titel", ort="Rosa").endswith("Rosa")
    assert plain.number(1234.5) == "1.234,5" and plain.lang == "de"


def _write(tmp_path, body: str):
    path = tmp_path / PLAIN_FILE.name
    path.write_text(body, encoding="utf-8")
    load_plain_texts.cache_clear()
    return path


def test_unknown_key_and_foreign_placeholder_are_named(tmp_path):
    try:
        with pytest.raises(CatalogueError, match="Text 'gibtsnicht'"):
            load_plain_texts(_write(tmp_path, "leichte_sprache:\n  gibtsnicht: Hallo\n"))
        with pytest.raises(CatalogueError, match=r"Text 'titel': unbekannte Platzhalter \['ort'\]"):
            load_plain_texts(_write(tmp_path, "leichte_sprache:\n  titel: Hilfe in {ort}\n"))
        with pytest.raises(CatalogueError, match="'leichte_sprache:' fehlt"):
            load_plain_texts(_write(tmp_path, "andere: 1\n"))
    finally:
        load_plain_texts.cache_clear()
