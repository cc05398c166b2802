"""Fold client text into the small alphabet the rules are written in.

Clients type on phones, often without ä/ö, in any case and with emoji, so every
rule downstream works on lower-case ASCII letters, digits and a few separators.
The folding keeps one bookkeeping detail: which output positions came from
ä/ö/å.  That lets a rule tell the colloquial pronoun "mä" (I) from the weekday
abbreviation "ma" (Monday), which fold to the same letters.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# A Telegram message is at most 4096 characters and an SMS far less; the cap only
# bounds the work done on pasted documents, so a time named after it is missed.
MAX_INPUT_CHARS = 16_384

# Separators that carry meaning in dates and times ("25.11.", "14:30", "14,30",
# "ma-pe") or mark amounts ("12 €", "50 %") that must not be read as times.
_KEPT_PUNCTUATION = frozenset(".,:?!-/€%")
_DASHES = frozenset("\u2010\u2011\u2012\u2013\u2014\u2015\u2212")
_UMLAUT_FOLDS = {"ä": "a", "ö": "o", "å": "a"}


@dataclass(frozen=True)
class Normalised:
    """Folded text plus the positions whose letter was written with an umlaut."""

    text: str
    umlaut_positions: frozenset[int]

    def has_umlaut(self, start: int, end: int) -> bool:
        """True when any character in ``text[start:end]`` was typed as ä, ö or å."""
        return any(pos in self.umlaut_positions for pos in range(start, end))


def normalise(raw: str) -> Normalised:
    """Lower-case, strip accents, fold ä/ö/å and blank out everything else.

    Letters become a-z, digits 0-9 (full-width and other compatibility digits
    included), the separators in ``_KEPT_PUNCTUATION`` stay, and any other
    character (emoji, control characters, quotes) becomes a single space.
    """
    # NFC first so that "a" + combining diaeresis is seen as the single letter "ä".
    composed = unicodedata.normalize("NFC", raw[:MAX_INPUT_CHARS])
    out: list[str] = []
    umlauts: set[int] = set()
    for char in composed:
        lower = char.lower()
        folded = _UMLAUT_FOLDS.get(lower)
        if folded is not None:
            umlauts.add(len(out))
            out.append(folded)
            continue
        for piece in unicodedata.normalize("NFKD", lower):
            if "a" <= piece <= "z" or "0" <= piece <= "9" or piece in _KEPT_PUNCTUATION:
                out.append(piece)
            elif piece in _DASHES:
                out.append("-")
            elif not unicodedata.combining(piece):
                # A space per unknown piece keeps "½" from turning into the number 12.
                out.append(" ")
    return Normalised("".join(out), frozenset(umlauts))
