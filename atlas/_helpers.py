"""Small private helpers shared by several modules."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import Path

_UMLAUTS = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~$])")


def normalise_name(text: str) -> str:
    """Fold a place name for comparison: lower case, umlauts spelt out, accents and punctuation removed.

    >>> normalise_name("Zella-Mehlis")
    'zella mehlis'
    >>> normalise_name("Roßdorf") == normalise_name("Rossdorf")
    True
    """
    folded = text.strip().lower().translate(_UMLAUTS)
    folded = unicodedata.normalize("NFKD", folded)
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return _NON_ALNUM.sub(" ", folded).strip()


def name_variants(name: str) -> list[str]:
    """Normalised variants of a place name: 'Breitungen/Werra' → ['breitungen werra', 'breitungen'] (the part
    before '/', '(' or ',' too); used by placement and the gazetteer alike."""
    variants = [normalise_name(name)]
    for sep in ("/", "(", ","):
        if sep in name:
            variants.append(normalise_name(name.split(sep)[0]))
    return [v for i, v in enumerate(variants) if v and v not in variants[:i]]


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, as hex."""
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def is_blank(value: object) -> bool:
    """True for None, NaN and strings that are empty after stripping."""
    if value is None:
        return True
    if isinstance(value, float) and value != value:  # NaN
        return True
    return isinstance(value, str) and not value.strip()


def escape_markdown(text: object) -> str:
    """*text* with Markdown and HTML specials escaped, so data or user text shows literally in Markdown."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", str(text))
