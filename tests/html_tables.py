"""Read the plain tables a page shows with :func:`atlas.display.html_table` (``st.html``) back into frames
of their cell texts, as a person sees them – for AppTest, which reads ``st.dataframe`` natively but an
``st.html`` element only as its HTML."""

from __future__ import annotations

from html.parser import HTMLParser

import pandas as pd
from streamlit.testing.v1 import AppTest

from atlas.display import TABLE_CLASS


class _Tables(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._classes: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table" and TABLE_CLASS in (a.get("class") or "").split():
            self.tables.append(([], [], []))
        elif self.tables and tag == "tr":
            self._row, self._classes = [], []
        elif self.tables and tag in ("th", "td") and self._row is not None:
            self._cell = []
            self._classes.append(a.get("class") or "")

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None and self._row is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            header, rows, classes = self.tables[-1]
            if not header:
                header.extend(self._row)
            else:
                rows.append(self._row)
                classes.append(self._classes or [])
            self._row = None


def parse_tables(html: str) -> list[pd.DataFrame]:
    """Every :func:`~atlas.display.html_table` in *html* as a frame of cell texts; ``frame.attrs["num"]``
    names the columns whose cells are marked as numbers (right-aligned)."""
    parser = _Tables()
    parser.feed(html)
    frames = []
    for header, rows, classes in parser.tables:
        frame = pd.DataFrame(rows, columns=header)
        frame.attrs["num"] = [c for i, c in enumerate(header) if classes and "num" in classes[0][i].split()]
        frames.append(frame)
    return frames


def html_tables(at: AppTest) -> list[pd.DataFrame]:
    """The plain tables of the page in *at*, in page order."""
    return [frame for element in at.get("html") for frame in parse_tables(element.proto.body)]
