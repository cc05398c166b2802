"""Normalisation of client text for the safety rules.

Clients write short, colloquial Finnish (and some Swedish and English) from phones:
typos, no ä/ö, all caps, stretched letters ("kuolllla"), emoji. The safety patterns
are written against one canonical form so that every such variant of a phrase reaches
the same regular expression. The result is only ever used for matching, never shown.

What this module deliberately does NOT do: rewrite words (spoken forms, typos,
dialect). Those variants are spelled out in the patterns themselves, where a reviewer
can see exactly which forms are covered.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise"]

# Folded explicitly (not by stripping diacritics) because the Finnish and Swedish
# letters must fold the way people type them without the letter: "å" is written "o"
# in the patterns (the spec of the rule table), and "ø"/"æ"/"ı" do not decompose in
# Unicode at all, so stripping marks would turn them into gaps that split words.
_LETTER_FOLD = str.maketrans(
    {
        "ä": "a",
        "ö": "o",
        "å": "o",
        "ø": "o",
        "æ": "a",
        "œ": "oe",
        "ı": "i",
    }
)

# Everything that is not a folded letter or digit (punctuation, emoji, other scripts,
# underscores) becomes a word gap, so "kuolla!!!" and "kuolla :(" match like "kuolla".
_NOT_WORD = re.compile(r"[^a-z0-9]+")

# Stretched letters ("kuolllla", "eläääää") are collapsed to two, not one: Finnish
# has meaningful double letters ("kuolla", "haluun"), and two is the canonical maximum.
_LONG_RUN = re.compile(r"([a-z])\1{2,}")


def _drop_format_characters(text: str) -> str:
    # Zero-width spaces/joiners and soft hyphens can sit *inside* a word (pasted text,
    # some keyboards); removing them without a gap keeps "kuo\u200blla" one word.
    return "".join(ch for ch in text if unicodedata.category(ch) != "Cf")


def _strip_marks(text: str) -> str:
    # Remaining accents (é, ü, à, ...) are typed inconsistently; dropping them makes
    # "tyhjä"/"tyhja"/"tÿhjä" the same word. Runs after the explicit fold above.
    decomposed = unicodedata.normalize("NFD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalise(text: str) -> str:
    """Return the canonical matching form of ``text``.

    Steps: NFKC (full-width and compatibility letters become plain letters), removal of
    invisible format characters, case folding, ä→a, ö→o, å→o, removal of other
    diacritics, every run of non-letters/non-digits to a single space, letters repeated
    more than twice collapsed to two, and surrounding whitespace stripped.

    The output contains only ``a``-``z``, ``0``-``9`` and single spaces, so patterns can
    rely on ``\\b`` word boundaries and on single spaces between words.

    >>> normalise("MÄ HALUUN KUOLLLLA!!! 😭")
    'ma haluun kuolla'
    """
    folded = unicodedata.normalize("NFKC", text)
    if not folded.isascii():
        folded = _drop_format_characters(folded)
    folded = folded.casefold().translate(_LETTER_FOLD)
    if not folded.isascii():
        folded = _strip_marks(folded)
    folded = _NOT_WORD.sub(" ", folded)
    folded = _LONG_RUN.sub(r"\1\1", folded)
    return folded.strip()
