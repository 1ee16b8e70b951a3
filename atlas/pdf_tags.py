"""Tagged, accessible PDFs from HTML (issue 15): WeasyPrint writes the structure tree.

Why WeasyPrint (BSD, maintained by CourtBouillon, ≥ 61): it lays out HTML and CSS for print and, with
``pdf_tags=True``, writes a *tagged* PDF – ``/MarkInfo /Marked true``, a ``/StructTreeRoot`` whose
elements follow the HTML (``h1``/``h2`` → ``H1``/``H2``, ``p`` → ``P``, ``table``/``tr``/``th``/``td``
→ ``Table``/``TR``/``TH``/``TD``, ``img alt`` → ``Figure`` with ``/Alt``, ``figcaption`` → ``Caption``),
``/Lang`` from ``<html lang>``, the ``<title>`` with ``/DisplayDocTitle true``. Reading order is the
structure order, i.e. the order of the HTML. Open-source reportlab (used before) writes no structure tree.

One gap is closed here: WeasyPrint 70 marks the text of page margin boxes (running header/footer, page
number) as ordinary marked content that is simply left out of the structure tree. PDF/UA (ISO 14289-1
§ 7.1) wants such content marked as an *artifact*; :func:`mark_unlinked_as_artifacts` rewrites it with
pikepdf (qpdf) to ``/Artifact <</Type /Pagination>> BDC``, so screen readers skip it explicitly.

The documents are tagged PDF 1.7; they do not *declare* PDF/UA conformance (no ``pdfuaid`` in the XMP
metadata), because no PDF/UA validator (veraPDF, PAC) has been run on them.

Safety: the HTML may contain register texts (escaped by the templates). WeasyPrint would fetch
resources named in the HTML; :func:`render_pdf` allows only inline ``data:`` URLs.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pikepdf
from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

PDF_LANGUAGES = {"de": "de-DE", "en": "en-GB"}
TEMPLATE_DIR = Path(__file__).with_name("pdf_templates")

_env = Environment(loader=FileSystemLoader(TEMPLATE_DIR), autoescape=select_autoescape(["html", "css"]),
                   trim_blocks=True, lstrip_blocks=True)


def css_string(text: object) -> Markup:
    """*text* as a quoted CSS string (for ``content:`` of the running footer): every character that could
    end the string or the ``<style>`` element is written as a CSS hex escape."""
    out = []
    for ch in str(text):
        out.append(ch if ch.isalnum() or ch in " .,:;–-·()/_" else f"\\{ord(ch):X} ")
    return Markup('"' + "".join(out) + '"')


_env.filters["css_string"] = css_string


def pdf_language(lang: str) -> str:
    """The BCP 47 tag written to ``/Lang``: ``de-DE`` unless *lang* is another supported language."""
    return PDF_LANGUAGES.get(lang, PDF_LANGUAGES["de"])


def render_html(template: str, **context: Any) -> str:
    """The HTML of *template* (a file in ``atlas/pdf_templates``), every value escaped unless marked safe."""
    return _env.get_template(template).render(**context)


def render_pdf(html: str) -> bytes:
    """*html* as a tagged PDF (bytes, built in memory); margin-box text becomes artifacts."""
    from weasyprint import HTML  # imported on use: loads Pango (a few hundred ms), only when a PDF is made
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"})  # inline images only: nothing from disk or network
    pdf = HTML(string=html, url_fetcher=fetcher).write_pdf(pdf_tags=True)
    return mark_unlinked_as_artifacts(pdf)


def _linked_mcids(pdf: pikepdf.Pdf) -> set[tuple[tuple[int, int], int]]:
    """(page object id, MCID) of every marked-content sequence the structure tree reaches."""
    found: set[tuple[tuple[int, int], int]] = set()
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return found
    stack: list[tuple[Any, Any]] = [(root, None)]
    seen: set[tuple[int, int]] = set()
    while stack:
        node, page = stack.pop()
        if isinstance(node, int):
            if page is not None:
                found.add((page.objgen, int(node)))
            continue
        if not isinstance(node, pikepdf.Dictionary):
            continue
        if node.is_indirect:
            if node.objgen in seen:
                continue
            seen.add(node.objgen)
        page = node.get("/Pg", page)
        if node.get("/Type") == "/MCR":
            stack.append((int(node["/MCID"]), page))
            continue
        kids = node.get("/K")
        if kids is None:
            continue
        for kid in (kids if isinstance(kids, pikepdf.Array) else [kids]):
            stack.append((kid, page))
    return found


def mark_unlinked_as_artifacts(pdf_bytes: bytes) -> bytes:
    """Marked content that no structure element reaches (WeasyPrint's margin boxes) → ``/Artifact``."""
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        linked = _linked_mcids(pdf)
        changed = False
        for page in pdf.pages:
            ops: list[Any] = []
            page_changed = False
            for instruction in pikepdf.parse_content_stream(page):
                if isinstance(instruction, pikepdf.ContentStreamInstruction) and str(instruction.operator) == "BDC":
                    operands = instruction.operands
                    mcid = operands[1].get("/MCID") if isinstance(operands[-1], pikepdf.Dictionary) else None
                    if mcid is not None and (page.obj.objgen, int(mcid)) not in linked:
                        instruction = pikepdf.ContentStreamInstruction(
                            [pikepdf.Name.Artifact, pikepdf.Dictionary(Type=pikepdf.Name.Pagination)],
                            instruction.operator)
                        page_changed = True
                ops.append(instruction)
            if page_changed:
                page.obj.Contents = pdf.make_stream(pikepdf.unparse_content_stream(ops))
                changed = True
        if not changed:
            return pdf_bytes
        out = io.BytesIO()
        pdf.save(out, compress_streams=True)
        return out.getvalue()
