"""Tables for people: numbers in German notation (1.234,5), missing values spelt out.

Streamlit's table widget formats numbers with the browser's locale (often English: 4.0404); pages pass
their tables through :func:`german_frame` so that every figure reads the same way as in the maps and
metrics. Integer columns such as ranks stay numeric, so tables remain sortable by rank.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from functools import partial

import numpy as np
import pandas as pd

MISSING = "–"
NO_DATA_LABEL = "keine Angabe"


def format_number(value: float | int | None, decimals: int | None = None) -> str:
    """German number format: 1.234,5 (thousands dot, decimal comma)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_DATA_LABEL
    if decimals is None:
        magnitude = abs(float(value))
        decimals = 0 if magnitude >= 100 or float(value).is_integer() else (1 if magnitude >= 10 else 2)
    text = f"{float(value):,.{decimals}f}"
    return text.replace(",", "\u2009").replace(".", ",").replace("\u2009", ".")


def german_number(value: object, decimals: int | None = None) -> str:
    """One value in German notation; '–' for missing values; text passes through unchanged."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or value is pd.NA:
        return MISSING
    if isinstance(value, (bool, np.bool_)):
        return "ja" if value else "nein"
    if isinstance(value, (int, float, np.integer, np.floating)):
        return format_number(float(value), decimals)
    return str(value)


def german_frame(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None,
                 keep_numeric: tuple[str, ...] = ("Rang", "von", "Nr.")) -> pd.DataFrame:
    """A copy of *frame* whose float columns (and integer columns ≥ 10,000) are German-formatted text.

    *decimals* fixes the number of decimals per column; otherwise it follows :func:`format_number`
    (0 from 100 on, 1 from 10 on, else 2). Columns named in *keep_numeric* stay numbers.
    """
    decimals = dict(decimals or {})
    out = frame.copy()
    for column in out.columns:
        if column in keep_numeric:
            continue
        series = out[column]
        if pd.api.types.is_bool_dtype(series):
            out[column] = series.map(lambda v: german_number(v))
        elif pd.api.types.is_float_dtype(series) or (
                pd.api.types.is_integer_dtype(series) and series.abs().max() >= 10_000) or column in decimals:
            out[column] = series.map(partial(german_number, decimals=decimals.get(column)))
        elif pd.api.types.is_object_dtype(series) and series.map(lambda v: isinstance(v, float)).any():
            out[column] = series.map(partial(german_number, decimals=decimals.get(column)))
    return out


#: CSS class of :func:`html_table`'s table and of the box around it (styled in :data:`atlas.ui_style.APP_CSS`;
#: the box becomes a named Tab stop when it scrolls, :func:`atlas.ui_style.page_script`).
TABLE_CLASS = "atlas-tabelle"
TABLE_BOX_CLASS = "atlas-tabelle-box"


#: Extra class of the box when the table is shown at its full height (no vertical scrolling).
TABLE_FULL_CLASS = "atlas-tabelle-ganz"


def html_table(frame: pd.DataFrame, decimals: Mapping[str, int] | None = None,
               keep_numeric: tuple[str, ...] = ("Rang", "von", "Nr."), full_height: bool = False) -> str:
    """*frame* as a plain HTML ``<table>`` in a box of limited height that scrolls (``st.html``), or – with
    *full_height* – at its whole length (a profile read out in a meeting): numbers in German notation
    (:func:`german_frame`, same *decimals* and *keep_numeric*) and right-aligned, missing values "–", every
    header and cell HTML-escaped, no index. On a narrow screen a wide table scrolls sideways in its box.

    For tables shown on a page's first view next to a map: Streamlit's data grid loads 1.5 MB of frontend code
    and draws on a canvas, and the map frame waited for it; ``st.table`` draws one element per cell. Timed in
    turn, the pages drawing their tables this way were 10–20 % faster in most columns (README, *Known
    limitations*). A real table is also read cell by cell by screen readers. Sorting and search stay with the
    grid (``st.dataframe``) where a page offers them. Rendered with pandas' ``Styler``."""
    from pandas.io.formats.style import Styler

    numeric = {c for c in frame.columns
               if pd.api.types.is_numeric_dtype(frame[c]) and not pd.api.types.is_bool_dtype(frame[c])}
    shown = german_frame(frame, decimals, keep_numeric)
    shown.columns = [str(c) for c in shown.columns]
    classes = pd.DataFrame([["num" if c in numeric else "" for c in frame.columns]] * len(shown),
                           index=shown.index, columns=shown.columns)
    styler = (Styler(shown, cell_ids=False, uuid="tabelle")
              .hide(axis="index")
              .format(german_number, na_rep=MISSING, escape="html")
              .format_index(escape="html", axis=1)
              .set_td_classes(classes)
              .set_table_attributes(f'class="{TABLE_CLASS}"'))
    box = f"{TABLE_BOX_CLASS} {TABLE_FULL_CLASS}" if full_height else TABLE_BOX_CLASS
    return f'<div class="{box}">{styler.to_html()}</div>'


#: Streamlit's own control texts (English, built into its frontend) and their German wording.
STREAMLIT_GERMAN: dict[str, str] = {
    "Choose options": "Bitte wählen …",
    "Choose an option": "Bitte wählen …",
    "No results": "Keine Treffer",
    "No options to select.": "Keine Auswahl möglich.",
    "Clear all": "Alle entfernen",
    "Copy to clipboard": "In die Zwischenablage kopieren",
    "Copied to clipboard": "In die Zwischenablage kopiert",
    "Download as CSV": "Als CSV herunterladen",
    "Search": "Suchen",
    "Fullscreen": "Vollbild",
    "Close fullscreen": "Vollbild beenden",
    "Show/hide columns": "Spalten ein-/ausblenden",
    "Add row": "Zeile hinzufügen",
    "Delete row(s)": "Zeile(n) löschen",
    "Drag and drop file here": "Datei hierher ziehen",
    "Browse files": "Datei auswählen",
    "Limit 200MB per file": "höchstens 200 MB je Datei",
    # dropdowns (selectbox, multiselect): the arrow button and the chosen values
    "Open": "Auswahl öffnen",
    "Close": "Schließen",
    "Clear value": "Auswahl löschen",
    "Selected values": "Ausgewählte Werte",
    "Select all": "Alle auswählen",
    "Clear selection": "Auswahl aufheben",
    "Select...": "Bitte wählen …",
    # sidebar, header, headings, tabs, number inputs, file upload
    "Sidebar": "Seitenleiste",
    "Collapse sidebar": "Seitenleiste einklappen",
    "Expand sidebar": "Seitenleiste ausklappen",
    "Main menu": "Hauptmenü",
    "Running...": "Läuft …",
    "Stop script": "Anhalten",
    "Skip to main content": "Zum Inhalt springen",
    "Link to heading": "Link zu dieser Überschrift",
    "Scroll tabs left": "Reiter nach links blättern",
    "Scroll tabs right": "Reiter nach rechts blättern",
    "Increment": "Erhöhen",
    "Decrement": "Verringern",
    "Add files": "Dateien hinzufügen",
    "Upload": "Hochladen",
    "file upload": "Datei hochladen",
    "Clear all files": "Alle Dateien entfernen",
    "Notifications": "Mitteilungen",
    # table: search, fullscreen and the column menu
    "Toggle fullscreen": "Vollbild ein/aus",
    "Close Search": "Suche schließen",
    "Previous Result": "Vorheriger Treffer",
    "Next Result": "Nächster Treffer",
    "Dataframe column menu": "Spaltenmenü",
    "Sort ascending": "Aufsteigend sortieren",
    "Sort descending": "Absteigend sortieren",
    "Pin column": "Spalte fixieren",
    "Unpin column": "Spalte lösen",
    "Hide column": "Spalte ausblenden",
    "Autosize": "Breite anpassen",
    "Format": "Zahlenformat",
    "Copy column name": "Spaltenname kopieren",
    "Automatic": "Automatisch",
    "Localized": "Landesüblich",
    "Plain": "Ohne Format",
    "Percent": "Prozent",
    "Scientific": "Wissenschaftlich",
    "Accounting": "Buchhaltung",
    "Compact": "Kompakt",
    "Statistics": "Statistik",
    "Values": "Werte",
    "Empty": "Leer",
    "Distinct": "Verschiedene",
    "Average": "Mittelwert",
    "Standard deviation": "Standardabweichung",
    "25th percentile": "25. Perzentil",
    "75th percentile": "75. Perzentil",
    "Sum": "Summe",
    "Count": "Anzahl",
    "Average length": "Mittlere Länge",
    "Minimum length": "Kleinste Länge",
    "Maximum length": "Größte Länge",
    "Based on sample": "aus einer Stichprobe",
    "Top values frequency chart": "Häufigste Werte",
    "Distribution histogram": "Verteilung",
    "Type to search": "Zum Suchen tippen",
    "No options": "Keine Auswahl möglich",
    "No data": "Keine Daten",
    "Copy": "Kopieren",
    "Cancel": "Abbrechen",
    "Rerun": "Neu laden",
}

#: Streamlit's English texts with a variable part (regular expression → German, ``$1`` = the part).
STREAMLIT_GERMAN_PATTERNS: tuple[tuple[str, str], ...] = (
    ("^Remove (.+)$", "$1 entfernen"),            # the × of a chosen value in a multiselect
    ("^Limit 200MB per file(.*)$", "höchstens 200 MB je Datei$1"),
    ("^([0-9]+) ?([KMG]B) per file(.*)$", "bis $1 $2 je Datei$3"),   # file upload: "200MB per file • CSV"
)


def german_controls_script(texts: dict[str, str] | None = None,
                           patterns: tuple[tuple[str, str], ...] = STREAMLIT_GERMAN_PATTERNS) -> str:
    """A ``<script>`` that puts Streamlit's built-in English control texts (placeholders, tooltips and
    labels of the table toolbar, the copy button, …) into German while the page is German
    (``<html lang="de">``). Streamlit offers no locale setting; the script rewrites exactly the listed
    strings – in text nodes and in ``aria-label``, ``title`` and ``placeholder`` – whenever the page changes."""
    mapping = json.dumps(texts or STREAMLIT_GERMAN, ensure_ascii=False)
    rules = json.dumps([list(p) for p in patterns], ensure_ascii=False)
    return f"""<script>
(function () {{
  const doc = window.parent ? window.parent.document : document;
  const map = {mapping};
  const rules = {rules}.map(function (r) {{ return [new RegExp(r[0]), r[1]]; }});
  if (doc.__atlasGermanControls) {{ doc.__atlasGermanControls.map = map; doc.__atlasGermanControls.rules = rules;
                                    return; }}
  const state = {{map: map, rules: rules}};
  doc.__atlasGermanControls = state;
  function german() {{ return (doc.documentElement.lang || 'de').slice(0, 2) === 'de'; }}
  function word(t) {{  // the German wording of an English control text, or undefined
    if (state.map[t] !== undefined) {{ return state.map[t]; }}
    for (const [re, to] of state.rules) {{ if (re.test(t)) {{ return t.replace(re, to); }} }}
    return undefined;
  }}
  function fix(root) {{
    if (!german()) {{ return; }}
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let node;
    while ((node = walker.nextNode())) {{
      const t = node.nodeValue.trim();
      const w = t ? word(t) : undefined;
      if (w !== undefined) {{ node.nodeValue = node.nodeValue.replace(t, w); }}
    }}
    if (!root.querySelectorAll) {{ return; }}
    const labelled = Array.from(root.querySelectorAll('[aria-label],[title],[placeholder]'));
    if (root.getAttribute) {{ labelled.push(root); }}  // an added element itself may carry the label
    labelled.forEach(function (el) {{
      ['aria-label', 'title', 'placeholder'].forEach(function (a) {{
        const v = el.getAttribute(a);
        const w = v ? word(v.trim()) : undefined;
        if (w !== undefined) {{ el.setAttribute(a, w); }}
      }});
    }});
  }}
  fix(doc.body);
  new MutationObserver(function (records) {{
    records.forEach(function (r) {{
      if (r.type === 'childList') {{ r.addedNodes.forEach(function (n) {{ if (n.nodeType === 1) {{ fix(n); }}
        else if (n.nodeType === 3 && n.parentNode) {{ fix(n.parentNode); }} }}); }}
      else if (r.target && r.target.nodeType === 1) {{ fix(r.target.parentNode || r.target); }}
    }});
  }}).observe(doc.body, {{childList: true, subtree: true, characterData: true, attributes: true,
                          attributeFilter: ['aria-label', 'title', 'placeholder']}});
}})();
</script>"""
