"""Admin page "Register (Verwaltung)": editing the offer register behind a login.

Thin page: widgets and drawing only; tables, texts, the edit rule and the login step live in
:mod:`atlas.register.admin_view`, storage and checks in :mod:`atlas.register`. Nothing of this page is
reachable without a successful login. A conflict is kept in the session state, so that "Neu laden" is
drawn on every run (a button drawn only inside the save branch never receives its own click).
"""

from __future__ import annotations

import streamlit as st

from atlas.errors import AtlasError
from atlas.register import admin_view as view
from atlas.register.errors import ConflictError
from atlas.register.importer import MAX_UPLOAD_BYTES, commit_import, prepare_import, read_upload
from atlas.register.models import FIELD_LABELS
from atlas.safe_text import markdown_text
from pages._admin_login import login, logout
from pages._common import attribution_footer
from pages._guard import run_guarded
from pages._position_editor import position_editor
from pages._register_tabs import export_tab, maps_tab, osm_tab, reports_tab, show_error
from pages._report_form import get_geodata, get_store

CONFLICT_KEY = "register_conflict"


def _reload(choice: str) -> None:
    """Forget the loaded version of *choice* and give its form new widget keys: the browser keeps a widget's
    typed value under its key, so only new keys show the stored state again."""
    generation = f"register_form_generation_{choice}"
    st.session_state[generation] = int(st.session_state.get(generation, 0)) + 1
    st.session_state.pop(f"register_loaded_version_{choice}", None)
    st.session_state.pop(CONFLICT_KEY, None)


def _form_key(choice: str) -> str:
    generation = int(st.session_state.get(f"register_form_generation_{choice}", 0))
    return f"edit_{choice}" if generation == 0 else f"edit_{choice}_v{generation}"


def _offer_tab(store, user: str) -> None:
    offers = store.offers(include_deleted=st.checkbox("Gelöschte Angebote anzeigen"))
    offers, frame = view.offer_table(offers, st.text_input("Suchen (Name, Gemeinde, Kategorie)"))
    st.dataframe(frame, hide_index=True, width="stretch", height=260)
    if not offers:
        st.info("Keine Angebote gefunden.")
        return
    names = {str(o["id"]): str(o["name"]) for o in offers}
    choice = st.selectbox("Angebot bearbeiten", list(names), format_func=lambda i: f"{i} – {names[i]}")
    offer = store.offer(choice)
    loaded_key = f"register_loaded_version_{choice}"
    if loaded_key not in st.session_state or st.session_state.get("register_last_choice") != choice:
        st.session_state[loaded_key] = offer["version"]
        st.session_state["register_last_choice"] = choice
    base_version = int(st.session_state[loaded_key])
    st.caption(view.offer_caption(offer))
    conflict = st.session_state.get(CONFLICT_KEY)
    if conflict and conflict[0] == choice:
        st.error(markdown_text(conflict[1]))
        st.button("Neu laden", key=f"reload_{choice}", on_click=_reload, args=(choice,))
    with st.expander("Ansicht wie für Familien (Texte und Links geprüft)"):
        st.markdown(view.detail_html(offer), unsafe_allow_html=True)
    with st.form(_form_key(choice)):
        values = {f: st.text_input(FIELD_LABELS[f], value=str(offer[f] or ""), key=f"{_form_key(choice)}_{f}")
                  for f in view.EDIT_FIELDS}
        save = st.form_submit_button("Änderungen speichern")
    col1, col2 = st.columns(2)
    action = None
    if save:
        changes = view.edit_changes(offer, values, get_geodata())
        action = ("Gespeichert", lambda: store.update_offer(choice, changes, base_version, user, ctx=_context()))
    elif col1.button("Als geprüft markieren (heute)", key=f"verify_{choice}"):
        action = ("Als geprüft markiert", lambda: store.mark_verified(choice, base_version, user))
    elif not offer["geloescht"] and col2.button("Angebot löschen", key=f"delete_{choice}"):
        action = ("Gelöscht (wiederherstellbar über den Verlauf)",
                  lambda: store.delete_offer(choice, base_version, user))
    if (position := position_editor(offer, get_geodata(), _form_key(choice))) is not None and action is None:
        action = ("Lage gesetzt", lambda: store.update_offer(choice, position, base_version, user))
    history = store.history(choice)
    st.markdown("**Verlauf**")
    st.dataframe(view.history_frame(history), hide_index=True, width="stretch")
    target = st.selectbox("Stand einer Version wiederherstellen", [h["version"] for h in history],
                          key=f"restore_sel_{choice}")
    if st.button("Diese Version wiederherstellen", key=f"restore_{choice}"):
        action = (f"Stand von Version {target} wiederhergestellt",
                  lambda: store.restore_version(choice, int(target), base_version, user))
    if action is not None:
        try:
            updated = action[1]()
        except ConflictError as exc:
            st.session_state[CONFLICT_KEY] = (choice, str(exc))
            st.rerun()
        except AtlasError as exc:
            show_error(exc)
        else:
            st.session_state[loaded_key] = updated["version"]
            st.success(f"{action[0]} (Version {updated['version']}).")


def _context():
    return get_geodata().validation_base()


def _new_tab(store, user: str) -> None:
    with st.form("register_new"):
        values = {f: st.text_input(FIELD_LABELS[f] + (" *" if f in view.REQUIRED_FIELDS else ""), key=f"new_{f}")
                  for f in view.EDIT_FIELDS}
        sent = st.form_submit_button("Angebot anlegen")
    if sent:
        try:
            offer = store.create_offer(view.new_record(values, get_geodata()), user, _context())
        except AtlasError as exc:
            show_error(exc)
        else:
            st.success(f"Angelegt als {offer['id']}.")


def _import_tab(store, user: str) -> None:
    st.write("CSV- oder Excel-Datei mit den Spalten der Vorlage `geodata/angebote_vorlage.csv`. Alle Zeilen werden "
             "geprüft; gespeichert wird nur, wenn keine Zeile ein Problem hat – dann alle auf einmal.")
    upload = st.file_uploader("Datei wählen", type=["csv", "xlsx", "txt"], key="register_import_file")
    if upload is None:
        return
    if upload.size > MAX_UPLOAD_BYTES:
        st.error(f"Die Datei ist zu groß; erlaubt sind höchstens {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return
    try:
        preview = prepare_import(read_upload(upload.getvalue(), upload.name), store, get_geodata())
    except AtlasError as exc:
        show_error(exc)
        return
    for note in preview.hinweise:
        st.warning(note)
    if preview.problems:
        st.error(f"{len(preview.problems)} Problem(e) – nichts wird gespeichert, bis alle behoben sind:")
        st.dataframe(view.problems_frame(preview.problems), hide_index=True, width="stretch")
        return
    st.success(f"Alle {len(preview.records)} Zeilen sind in Ordnung. Vorschau:")
    st.dataframe(preview.frame(), hide_index=True, width="stretch", height=240)
    if st.button(f"Alle {len(preview.records)} Angebote übernehmen", type="primary"):
        try:
            ids = commit_import(preview, store, user)
        except AtlasError as exc:
            show_error(exc)
        else:
            st.success(f"{len(ids)} Angebote gespeichert ({ids[0]} bis {ids[-1]}).")


def _page() -> None:
    st.title("Register (Verwaltung)")
    editor = login()
    if editor:
        register = get_store()
        with st.sidebar:
            st.write(f"Angemeldet als **{markdown_text(editor)}**")
            if st.button("Abmelden"):
                logout()
        tabs = st.tabs(["Angebote", "Neues Angebot", "Import", "Export", "OSM-Vorschläge", "Meldungen",
                        "Karten aktualisieren"])
        for tab, draw in zip(tabs, (lambda: _offer_tab(register, editor), lambda: _new_tab(register, editor),
                                    lambda: _import_tab(register, editor), lambda: export_tab(register),
                                    lambda: osm_tab(register, editor, _context), lambda: reports_tab(register, editor),
                                    maps_tab), strict=True):
            with tab:
                draw()


run_guarded(_page)  # also when this page runs on its own (AppTest, legacy page scan)
attribution_footer(["Angebotsregister: eigene Zusammenstellung aus öffentlichen Quellen (siehe quelle_url)",
                    "OpenStreetMap-Vorschläge: © OpenStreetMap contributors (ODbL)"])
