"""Reads a tagged PDF's structure tree back (tests only): tags, their text and /Alt, in reading order.

pikepdf walks the tree; the text of each marked-content sequence comes from pypdf's text extractor
(it knows the fonts' ToUnicode maps), attributed to the innermost MCID open when the text is emitted.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

import pikepdf

def structure_elements(pdf_bytes: bytes) -> list[tuple[str, str, str]]:
    """(tag, text, /Alt) of every structure element in reading order; text = the element's own marked text.

    For tests and checks: reads the tree back with pikepdf and the page text of each MCID with
    pikepdf's content-stream parser (text as shown, as far as the font's ToUnicode map gives it).
    """
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        texts = _mcid_texts(pdf)
        out: list[tuple[str, str, str]] = []
        root = pdf.Root.get("/StructTreeRoot")
        if root is None:
            return out

        def walk(node: Any, page: Any) -> str:
            if isinstance(node, int):
                return texts.get((page.objgen, node), "") if page is not None else ""
            if not isinstance(node, pikepdf.Dictionary):
                return ""
            page = node.get("/Pg", page)
            if node.get("/Type") == "/MCR":
                return walk(int(node["/MCID"]), page)
            index = len(out)
            tag = str(node.get("/S", ""))
            if tag:
                out.append((tag.lstrip("/"), "", str(node.get("/Alt", ""))))
            kids = node.get("/K")
            text = "".join(walk(k, page) for k in (kids if isinstance(kids, pikepdf.Array) else
                                                     ([] if kids is None else [kids])))
            if tag:
                out[index] = (out[index][0], " ".join(text.split()), out[index][2])
            return text + " "

        walk(root, None)
        return out


def _mcid_texts(pdf: pikepdf.Pdf) -> dict[tuple[tuple[int, int], int], str]:
    """Text of each marked-content sequence (keyed by page object id and MCID)."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(_saved(pdf)))
    result: dict[tuple[tuple[int, int], int], str] = {}
    for page, ppage in zip(pdf.pages, reader.pages, strict=True):
        for mcid, text in _page_mcid_texts(ppage).items():
            result[(page.obj.objgen, mcid)] = text
    return result


def _page_mcid_texts(ppage: Any) -> dict[int, str]:
    """MCID → text of one pypdf page: the innermost open MCID when pypdf emits a piece of text."""
    parts: dict[int, list[str]] = {}
    current: list[int | None] = []

    def visitor(op: bytes, args: list, cm: object, tm: object) -> None:
        if op == b"BDC":
            props = args[1] if len(args) > 1 else {}
            current.append(props.get("/MCID") if hasattr(props, "get") else None)
        elif op == b"BMC":
            current.append(None)
        elif op == b"EMC" and current:
            current.pop()

    def text_visitor(text: str, cm: object, tm: object, font: object, size: object) -> None:
        mcid = next((m for m in reversed(current) if m is not None), None)
        if mcid is not None:
            parts.setdefault(int(mcid), []).append(text)

    ppage.extract_text(visitor_operand_before=visitor, visitor_text=text_visitor)
    return {mcid: "".join(chunks) for mcid, chunks in parts.items()}


def _saved(pdf: pikepdf.Pdf) -> bytes:
    out = io.BytesIO()
    pdf.save(out)
    return out.getvalue()


def tags_of(elements: Iterable[tuple[str, str, str]]) -> list[str]:
    """Only the tag names of :func:`structure_elements`."""
    return [tag for tag, _, _ in elements]


def page_texts(pdf_bytes: bytes) -> list[str]:
    """The extracted text of each page (pypdf), marked content and artifacts alike."""
    from pypdf import PdfReader

    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf_bytes)).pages]
