"""Streamlit's lazily loaded controls fetched ahead (``atlas.prefetch``): which files, and the script."""

from __future__ import annotations

from atlas.prefetch import CHUNKS, chunk_files, part_name, prefetch_script
from pages._common import streamlit_frontend_files


def test_part_files_are_picked_by_name_and_hash_only():
    listing = ["Slider.WU6er_Bo.js", "Slider.WU6er_Bo.js.map", "SliderTrack.x1.js", "DataFrame.-f9-1zS0.js",
               "DataFrame.DUkanX9_.css", "index.DormvYxC.js", "Selectbox.7rsxE6LC.js", "Selectbox.js"]
    assert chunk_files(listing, ("Selectbox", "DataFrame", "Slider", "Radio")) == [
        "Selectbox.7rsxE6LC.js", "DataFrame.-f9-1zS0.js", "Slider.WU6er_Bo.js"]  # the names' order; Radio absent


def test_every_listed_part_exists_in_the_installed_streamlit():
    """An upgrade of Streamlit that renames a part fails here (the page would simply not fetch it ahead)."""
    found = chunk_files(streamlit_frontend_files())
    assert [f.split(".")[0] for f in found] == list(CHUNKS)


def test_part_names_follow_the_protocol_names():
    assert part_name("number_input") == "NumberInput"
    assert part_name("component_instance") == "ComponentInstance"
    assert part_name("dataframe") == "DataFrame"
    assert part_name("selectbox") == "Selectbox"


def test_script_imports_each_file_once_per_tab_in_idle_time():
    script = prefetch_script(["Slider.WU6er_Bo.js", "DataFrame.-f9-1zS0.js"])
    assert script.startswith("<script>") and script.endswith("</script>")
    assert '["Slider.WU6er_Bo.js", "DataFrame.-f9-1zS0.js"]' in script
    assert "if (window.atlasPrefetch) { return; }" in script and "requestIdleCallback" in script
    assert "(max-width: 700px)" in script and "saveData" in script  # not on phones, not when saving data
    assert "//" not in script.replace("://", "")  # Streamlit may join the lines: no line comments
    assert prefetch_script([]) == ""
