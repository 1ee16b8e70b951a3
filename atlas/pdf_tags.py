"""Accessible PDF metadata and reading order for the atlas's reportlab documents (issue 15).

What reportlab (open-source 4.x/5.x) can do, and therefore what the atlas's PDFs carry:

- the document title in the info dictionary *and* ``/ViewerPreferences /DisplayDocTitle true``, so
  readers show the title instead of the file name (PDF/UA 7.1, WCAG 2.4.2);
- the document language ``/Lang`` in the catalogue (``de-DE`` or ``en-GB``; WCAG 3.1.1);
- reading order = content-stream order: the page body is drawn in story order, and the running
  footer is drawn *after* the body (``onPageEnd``), so text extraction and screen readers that read
  untagged PDFs meet the heading first, not "Seite 1".

What it cannot do: open-source reportlab writes no structure tree (``/StructTreeRoot``, ``/MarkInfo``),
so headings, tables and figures are not tagged and images have no alternative text inside the PDF.
The PDFs are therefore not PDF/UA; the atlas says so in its accessibility statement and offers the same
content as HTML (family print list) or on the page (Sozialraumprofil).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate, SimpleDocTemplate

PDF_LANGUAGES = {"de": "de-DE", "en": "en-GB"}


def pdf_language(lang: str) -> str:
    """The BCP 47 tag written to ``/Lang``: ``de-DE`` unless *lang* is another supported language."""
    return PDF_LANGUAGES.get(lang, PDF_LANGUAGES["de"])


def build_accessible(doc: SimpleDocTemplate, story: Sequence[Flowable],
                     footer: Callable[[object, object], None] | None = None) -> None:
    """Build *doc* with its title shown by readers and *footer* drawn after each page's body.

    *doc* must have been created with ``title=`` and ``lang=`` (see :func:`pdf_language`). Replaces
    ``doc.build(story, onFirstPage=footer, onLaterPages=footer)``: same page layout (one frame inside
    the margins), only the footer moves to the end of the page's content stream.
    """
    def page_begin(canvas, _doc) -> None:  # noqa: ANN001 - reportlab callback
        canvas.setViewerPreference("DisplayDocTitle", "true")

    def page_end(canvas, doc_) -> None:  # noqa: ANN001 - reportlab callback
        if footer is not None:
            footer(canvas, doc_)

    frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height, id="normal")
    # SimpleDocTemplate switches to the template "Later" after the first page: give both names.
    doc.addPageTemplates([PageTemplate(id=name, frames=[frame], onPage=page_begin, onPageEnd=page_end,
                                       pagesize=doc.pagesize) for name in ("First", "Later")])
    BaseDocTemplate.build(doc, list(story))
