"""Start the Standortatlas server: ``python scripts/serve.py [streamlit options]``.

Same as ``streamlit run app.py``, with one difference: Streamlit decides on the *first* request after
start whether the app uses the legacy ``pages/`` folder scan, because ``st.navigation`` in ``app.py`` has
not run yet. A first request that goes straight to a sub-page (``/karte``, a shared link) would then be
answered with "Page not found" and the folder listing. The page modules live in ``pages/`` but are
listed explicitly with ``st.navigation``, so the folder scan is switched off here before the server starts.

``python scripts/serve.py other_app.py [options]`` serves another script the same way (used by
``bench/bench_pages.py --grundlinie`` for the floor app ``bench/grundlinie/app.py``).

Once the server answers, a headless visitor opens every page once (``scripts/warm_up.py``), so that the first
person after a (re)start does not wait for the data and maps to be prepared; it prints
``Standortatlas: … Seiten vorgewärmt …`` when done, and does it again after every new data build while the
server runs (``Standortatlas: neuer Datenstand (…): … vorgewärmt …``). ``ATLAS_VORWAERMEN=0`` switches it off.

Streamlit's index page is served with the app's language and title and with the server's base address, so
that a page opened at its own address connects at the first try, and – for the start page, a family link
with a place and the map pages – with the page's answer as plain HTML (the map in a
frame), shown until Streamlit has drawn its own (``scripts/index_page.py``, :func:`preview`). A map page's
link with settings that has no preview yet is handed to the warm-up (:data:`REQUESTED`), which opens it for the
link's next visitor.
"""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from urllib.parse import urlencode

from streamlit.runtime.pages_manager import PagesManager
from streamlit.web import cli

from index_page import install as serve_changed_index  # scripts/index_page.py (this script's folder is on the path)
from warm_up import Requested, start_in_background  # scripts/warm_up.py

from atlas import settings
from atlas.offer_search.preview import URL_PATH as FAMILY_PAGE, current_results_preview
from atlas.offer_search.preview import prepare_current as prepare_family_preview
from atlas.map_preview import RECORDED, current_map_preview, worth_recording
from atlas.start_page import current_preview

APP = Path(__file__).resolve().parent.parent / "app.py"

#: Addresses with settings that visitors opened without a preview: the warm-up opens them (and forgets the
#: oldest one's map when it forgets the address).
REQUESTED = Requested(forget=RECORDED.forget)


def data_version() -> str:
    """The data build's version (:func:`atlas.atlasdata.data_version`), its libraries imported only when first
    asked – after the server has started."""
    from atlas.atlasdata import data_version as version

    return version()


def prepared_sessions(folder: Path | None = None) -> list[tuple[str, str]]:
    """Every slide of the Sitzungsmodus's prepared sessions (``geodata/sitzungen``) as addresses for the
    warm-up: a presenter opens a session by its link (``/sitzung?sitzung=…``, the first slide) and goes from
    slide to slide (``…&nr=2``); each slide's map is then already made and its preview recorded. A session
    file that cannot be read is left to the page (which says why). *folder*: the sessions' folder (default:
    the project's)."""
    from atlas.council.slides import SESSIONS_DIR, available_decks, load_deck
    from atlas.errors import AtlasError

    addresses = []
    for name, path in available_decks(folder or SESSIONS_DIR).items():
        try:
            count = len(load_deck(path))
        except (AtlasError, OSError, ValueError):
            continue
        addresses.append(("sitzung", urlencode({"sitzung": name})))  # the link as shared: the first slide
        addresses += [("sitzung", urlencode({"sitzung": name, "nr": nr})) for nr in range(1, count + 1)]
    return addresses


def preview(page: str, query: str, base: str) -> str:
    """What a page shows before Streamlit has drawn it (``scripts/index_page.py``): the start page, the
    family page's result cards for a link with a place, and a map page's map (with what the page shows
    above and beside it) as the warm-up saw it at the same address (:mod:`atlas.map_preview`)."""
    if page == "":
        return current_preview(base)
    if page == FAMILY_PAGE:
        return current_results_preview(query, base)
    shown = current_map_preview(page, query, base)
    if not shown and worth_recording(page, query):  # a link with settings: its next visitor gets the preview
        REQUESTED.ask(page, query)
    return shown


if __name__ == "__main__":
    PagesManager.uses_pages_directory = False
    args = sys.argv[1:]
    app = args.pop(0) if args and args[0].endswith(".py") else str(APP)
    sys.argv = ["streamlit", "run", app, *args]
    atlas = Path(app).resolve() == APP  # the pages' previews only for the atlas (not e.g. the bench's floor app)
    if problem := serve_changed_index(preview if atlas else None):
        print(f"Standortatlas: Streamlits Startseite bleibt unverändert ({problem}).", file=sys.stderr)
    if settings.warm_up_env():
        # the atlas: warmed again after every new data build, with the family links' preview data
        start_in_background(data_version=data_version if atlas else None,
                            after_new_build=prepare_family_preview if atlas else None,
                            addresses=prepared_sessions if atlas else tuple, requested=REQUESTED if atlas else None)
        if atlas:
            threading.Thread(target=prepare_family_preview, name="vorschau-daten", daemon=True).start()
    sys.exit(cli.main())
