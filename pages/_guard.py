"""Page exceptions: a German message for the user, the full trace in the log (helper module, not a page).

``.streamlit/config.toml`` sets ``client.showErrorDetails = "none"`` so that Streamlit itself never shows a
trace to users; :func:`run_guarded` runs the selected page and turns an unexpected exception into a short
German message with a reference number that is also written to the log next to the trace. With
``ATLAS_DEBUG=1`` (set by the test suite) the exception is raised again after logging, so tests and
developers still see it.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

import streamlit as st

from atlas import settings

LOG = logging.getLogger("atlas.pages")

MESSAGE = ("Auf dieser Seite ist leider ein Fehler aufgetreten. Bitte laden Sie die Seite neu oder versuchen Sie "
           "es später noch einmal. Wenn der Fehler bleibt, nennen Sie der Sozialplanung bitte die Fehlernummer {ref}.")


def run_guarded(run: Callable[[], object]) -> None:
    """Run *run* (``navigation.run``); Streamlit's own control flow (rerun, stop) passes through."""
    try:
        run()
    except Exception:  # noqa: BLE001 - every page error becomes a German message; st.rerun/st.stop are BaseException
        ref = uuid.uuid4().hex[:8]
        LOG.exception("Fehler %s auf einer Seite", ref)
        if settings.debug_env():
            raise
        st.error(MESSAGE.format(ref=ref))
