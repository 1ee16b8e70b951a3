"""What a typed search means: needs (topics) and a place in one box – "Kita Wasungen",
"Schuldnerberatung 98574", "Kita" alone.

The words that name a topic are data (``woerter`` in ``geodata/angebote_themen.yaml``); filler words
("in", "bei", …) are listed in :data:`FILLER`. Matching works on folded words
(:func:`atlas._helpers.normalise_name`: case, umlauts, hyphens), longest phrase first; single words of
five letters or more also match with a small typo (rapidfuzz ratio ≥ :data:`SCORE_WORD`). Whatever is
not a need or a filler word is the place part, looked up by :class:`~.gazetteer.Gazetteer`.
A text that is exactly a known place name is always a place (a village could share a word with a
topic), see :func:`understand`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from atlas._helpers import normalise_name
from atlas.offer_search.targets import Thema

#: Words between need and place that carry no meaning for the search.
FILLER = frozenset({"in", "im", "bei", "nahe", "naehe", "der", "die", "das", "den", "dem", "und", "fuer", "von",
                    "nach", "um", "near", "at", "for", "an", "am", "zu", "meiner", "mir", "ich", "suche",
                    "brauche", "eine", "einen", "ein"})
#: Minimum rapidfuzz ratio for a typed word (≥ 5 letters) to count as a topic word.
SCORE_WORD = 88.0
_MIN_FUZZY_LEN = 5
_MAX_PHRASE = 3


@dataclass(frozen=True)
class Intent:
    """The typed text split into topics and a place part."""

    themen: tuple[str, ...] = ()      # topic ids named in the text, in file order
    ort: str = ""                     # the place part, as typed (may be empty)
    woerter: tuple[str, ...] = ()     # the words recognised as needs, as typed


def _vocabulary(themen: Sequence[Thema]) -> dict[tuple[str, ...], str]:
    vocab: dict[tuple[str, ...], str] = {}
    for thema in themen:
        for word in thema.woerter:
            key = tuple(normalise_name(word).split())
            if key:
                vocab[key] = thema.id
    return vocab


def understand(text: str, themen: Sequence[Thema], is_place: Callable[[str], bool] | None = None) -> Intent:
    """Split *text* into topic words and a place part.

    *is_place* (e.g. :meth:`~.gazetteer.Gazetteer.has_name`) protects real place names: when the whole
    text is a place, it is not read as a topic.
    """
    raw = [w for w in text.replace(",", " ").replace(";", " ").split() if w]
    if not raw or (is_place is not None and is_place(text)):
        return Intent(ort=" ".join(raw))
    folded = [normalise_name(w) for w in raw]
    vocab = _vocabulary(themen)
    singles = {k[0]: v for k, v in vocab.items() if len(k) == 1 and len(k[0]) >= _MIN_FUZZY_LEN}
    found: list[str] = []
    words: list[str] = []
    rest: list[str] = []
    i = 0
    while i < len(raw):
        hit = None
        for n in range(min(_MAX_PHRASE, len(raw) - i), 0, -1):
            key = tuple(" ".join(folded[i:i + n]).split())
            if key in vocab:
                hit = (vocab[key], n)
                break
        if hit is None and len(folded[i]) >= _MIN_FUZZY_LEN and " " not in folded[i]:
            best = max(((fuzz.ratio(folded[i], w), tid) for w, tid in singles.items()), default=(0.0, ""))
            if best[0] >= SCORE_WORD:
                hit = (best[1], 1)
        if hit is not None:
            tid, n = hit
            if tid not in found:
                found.append(tid)
            words.append(" ".join(raw[i:i + n]))
            i += n
            continue
        if folded[i] not in FILLER or not found:
            rest.append(raw[i])
        i += 1
    # Filler words are dropped only once a need was found ("Kita in Wasungen"); a leading filler word
    # of a plain place search stays part of the place.
    place = [w for w in rest if normalise_name(w) not in FILLER] if found else rest
    order = [t.id for t in themen]
    return Intent(themen=tuple(sorted(found, key=order.index)), ort=" ".join(place), woerter=tuple(words))
