"""Which frontend files the pages ask the browser to fetch early (atlas/preload.py), on a synthetic directory."""

from __future__ import annotations

import re
from pathlib import Path

from atlas.preload import module_files, preload_script, preload_urls


def _write(directory: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (directory / name).write_text(text, encoding="utf-8")
    return directory


def test_module_files_follow_imports_once_and_skip_unknown_names(tmp_path):
    js = _write(tmp_path, {
        "Selectbox.Ab1_x.js": 'import{a}from"./dep.Q9.js";import"./leaf.Z-1.js";',
        "dep.Q9.js": 'import{b}from"./leaf.Z-1.js";import{c}from"./Selectbox.Ab1_x.js";',  # a cycle
        "leaf.Z-1.js": "export const b=1;",
        "SelectboxExtra.K2.js": 'import"./other.P.js";',  # another module whose name starts alike
        "other.P.js": "",
        "Slider.M3.js": 'import"./missing.N.js";',  # an import without a file is skipped
    })
    files = module_files(js, ["Selectbox", "Slider", "Table"])  # no Table file: skipped
    assert files == ["Selectbox.Ab1_x.js", "Slider.M3.js", "dep.Q9.js", "leaf.Z-1.js"]
    assert preload_urls(js, ["Slider"]) == ["./static/js/Slider.M3.js"]
    # files every page has loaded (the entry module and its imports) are not named again
    _write(js, {"index.E1.js": 'import"./leaf.Z-1.js";'})
    assert preload_urls(js, ["Selectbox"]) == ["./static/js/Selectbox.Ab1_x.js", "./static/js/dep.Q9.js"]


def test_the_installed_streamlit_frontend_has_the_widget_modules():
    """The names in WIDGET_MODULES exist in the installed Streamlit (a new release that renames one makes the
    hint silently smaller; this test says so)."""
    import streamlit as st

    from atlas.preload import WIDGET_MODULES

    js = Path(st.__file__).parent / "static" / "static" / "js"
    files = module_files(js)
    entries = {re.match(r"^([^.]+)\.", f).group(1) for f in files}  # type: ignore[union-attr]
    assert set(WIDGET_MODULES) <= entries
    assert len(files) > len(WIDGET_MODULES)  # their imports are included


def test_preload_script_adds_each_link_once_and_passes_the_sanitiser():
    script = preload_script(["./static/js/A.1.js"], ["/app/static/vendor/leaflet.js"])
    body = script.removeprefix("<script>").removesuffix("</script>")
    assert "<" not in body and "//" not in body.replace("://", "")  # Streamlit's sanitiser; joined lines
    assert '"modulepreload": ["./static/js/A.1.js"]' in body and '"prefetch": ["/app/static/vendor/leaflet.js"]' in body
    assert "getElementById('atlas-preload')" in body  # a second page adds nothing
