"""Finnish number words in the grammatical cases that clock phrases use.

Times of day are said with inflected numbers, and the case tells the role:

* ablative  "kymmeneltä", "kahdeltatoista"  - *at* ten, *at* twelve
* nominative / genitive  "kymmenen aikaan", "kahden maissa" - around ten, two
* partitive  "viittä vaille", "kymmentä yli" - minutes before / after
* illative  "kahteen mennessä" - by two
* elative   "kahdeksasta alkaen" - from eight on

The table is generated from the unit words so that teens ("yhdeltätoista") and
tens ("kahdeltakymmeneltä") come out in every case, plus the spoken short forms
clients actually type ("kaks", "kahelta", "yheksältä", "seittemän") and the
numeral nicknames ("kasilta", "ysiltä", "kympiltä").  All spellings are already
folded (ä -> a, ö -> o) as in :mod:`.normalise`.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class Case(enum.Enum):
    """Grammatical case of a number word."""

    NOM = "nominative"
    GEN = "genitive"
    PART = "partitive"
    ABL = "ablative"
    ILL = "illative"
    ELA = "elative"


@dataclass(frozen=True)
class NumberWord:
    """The value of a number word and every case its spelling can stand for."""

    value: int
    cases: frozenset[Case]
    # Nicknames such as "kasi" (eight) fold to the same letters as ordinary words
    # ("käsi", hand), so they only count when typed without ä/ö.
    plain_only: bool = False


_Forms = dict[Case, tuple[str, ...]]

_UNITS: dict[int, _Forms] = {
    1: {
        Case.NOM: ("yksi", "yks"),
        Case.GEN: ("yhden", "yhen"),
        Case.PART: ("yhta",),
        Case.ABL: ("yhdelta", "yhelta"),
        Case.ILL: ("yhteen",),
        Case.ELA: ("yhdesta", "yhesta"),
    },
    2: {
        Case.NOM: ("kaksi", "kaks"),
        Case.GEN: ("kahden", "kahen"),
        Case.PART: ("kahta",),
        Case.ABL: ("kahdelta", "kahelta"),
        Case.ILL: ("kahteen",),
        Case.ELA: ("kahdesta", "kahesta"),
    },
    3: {
        Case.NOM: ("kolme",),
        Case.GEN: ("kolmen",),
        Case.PART: ("kolmea", "kolmee"),
        Case.ABL: ("kolmelta",),
        Case.ILL: ("kolmeen",),
        Case.ELA: ("kolmesta",),
    },
    4: {
        Case.NOM: ("nelja",),
        Case.GEN: ("neljan",),
        Case.PART: ("neljaa",),
        Case.ABL: ("neljalta",),
        Case.ILL: ("neljaan",),
        Case.ELA: ("neljasta",),
    },
    5: {
        Case.NOM: ("viisi", "viis"),
        Case.GEN: ("viiden", "viien"),
        Case.PART: ("viitta",),
        Case.ABL: ("viidelta", "viielta"),
        Case.ILL: ("viiteen",),
        Case.ELA: ("viidesta", "viiesta"),
    },
    6: {
        Case.NOM: ("kuusi", "kuus"),
        Case.GEN: ("kuuden", "kuuen"),
        Case.PART: ("kuutta",),
        Case.ABL: ("kuudelta", "kuuelta"),
        Case.ILL: ("kuuteen",),
        Case.ELA: ("kuudesta", "kuuesta"),
    },
    7: {
        Case.NOM: ("seitseman", "seitteman", "seitsaman"),
        Case.GEN: ("seitseman", "seitteman", "seitsaman"),
        Case.PART: ("seitsemaa", "seittemaa"),
        Case.ABL: ("seitsemalta", "seittemalta", "seitsamalta"),
        Case.ILL: ("seitsemaan", "seittemaan"),
        Case.ELA: ("seitsemasta", "seittemasta"),
    },
    8: {
        Case.NOM: ("kahdeksan", "kaheksan"),
        Case.GEN: ("kahdeksan", "kaheksan"),
        Case.PART: ("kahdeksaa", "kaheksaa"),
        Case.ABL: ("kahdeksalta", "kaheksalta"),
        Case.ILL: ("kahdeksaan", "kaheksaan"),
        Case.ELA: ("kahdeksasta", "kaheksasta"),
    },
    9: {
        Case.NOM: ("yhdeksan", "yheksan"),
        Case.GEN: ("yhdeksan", "yheksan"),
        Case.PART: ("yhdeksaa", "yheksaa"),
        Case.ABL: ("yhdeksalta", "yheksalta"),
        Case.ILL: ("yhdeksaan", "yheksaan"),
        Case.ELA: ("yhdeksasta", "yheksasta"),
    },
}

_TEN: _Forms = {
    Case.NOM: ("kymmenen",),
    Case.GEN: ("kymmenen",),
    Case.PART: ("kymmenta",),
    Case.ABL: ("kymmenelta",),
    Case.ILL: ("kymmeneen",),
    Case.ELA: ("kymmenesta",),
}

# "kaksikymmentä" puts ten in the partitive after a nominative multiplier; in the
# other cases both parts agree ("kahdeltakymmeneltä").
_TENS_SUFFIX: dict[Case, str] = {
    Case.NOM: "kymmenta",
    Case.GEN: "kymmenen",
    Case.PART: "kymmenta",
    Case.ABL: "kymmenelta",
    Case.ILL: "kymmeneen",
    Case.ELA: "kymmenesta",
}

# Spoken tens: "kakskyt", "kolkyt".
_SPOKEN_TENS: dict[int, str] = {2: "kakskyt", 3: "kolkyt", 4: "nelkyt", 5: "viiskyt"}

# Numeral nicknames: (value, case, spelling, plain_only).
_NICKNAMES: tuple[tuple[int, Case, str, bool], ...] = (
    (5, Case.NOM, "vitonen", False),
    (5, Case.GEN, "vitosen", False),
    (5, Case.ABL, "vitoselta", False),
    (5, Case.ILL, "vitoseen", False),
    (6, Case.NOM, "kutonen", False),
    (6, Case.GEN, "kutosen", False),
    (6, Case.ABL, "kutoselta", False),
    (6, Case.ILL, "kutoseen", False),
    (7, Case.NOM, "seiska", False),
    (7, Case.GEN, "seiskan", False),
    (7, Case.ABL, "seiskalta", False),
    (7, Case.ILL, "seiskaan", False),
    (8, Case.NOM, "kasi", True),
    (8, Case.GEN, "kasin", True),
    (8, Case.ABL, "kasilta", True),
    (8, Case.ILL, "kasiin", True),
    (9, Case.NOM, "ysi", False),
    (9, Case.GEN, "ysin", False),
    (9, Case.ABL, "ysilta", False),
    (9, Case.ILL, "ysiin", False),
    (10, Case.NOM, "kymppi", False),
    (10, Case.GEN, "kympin", False),
    (10, Case.PART, "kymppia", False),
    (10, Case.ABL, "kympilta", False),
    (10, Case.ILL, "kymppiin", False),
    (0, Case.NOM, "nolla", False),
    (0, Case.GEN, "nollan", False),
)


def _build_table() -> dict[str, NumberWord]:
    entries: dict[str, tuple[int, set[Case], bool]] = {}

    def add(spelling: str, value: int, case: Case, plain_only: bool = False) -> None:
        known = entries.get(spelling)
        if known is None:
            entries[spelling] = (value, {case}, plain_only)
            return
        # One spelling may stand for several cases ("kymmenen" is NOM and GEN) but
        # never for two values; a clash would be a typo in the tables above.
        if known[0] != value:
            raise ValueError(f"number word {spelling!r} has two values")
        known[1].add(case)

    for case in Case:
        for value, forms in _UNITS.items():
            for spelling in forms.get(case, ()):
                add(spelling, value, case)
                add(spelling + "toista", value + 10, case)
        for spelling in _TEN.get(case, ()):
            add(spelling, 10, case)
        for tens in range(2, 6):
            prefixes = [unit + _TENS_SUFFIX[case] for unit in _UNITS[tens][case]]
            if case in (Case.NOM, Case.PART):
                prefixes.append(_SPOKEN_TENS[tens])
            for prefix in prefixes:
                add(prefix, tens * 10, case)
                for unit_value, unit_forms in _UNITS.items():
                    for unit in unit_forms[case]:
                        add(prefix + unit, tens * 10 + unit_value, case)
    # Spoken teens drop the final vowel: "kakstoist", "kahdeltatoist".
    for case in Case:
        for value, forms in _UNITS.items():
            for spelling in forms.get(case, ()):
                add(spelling + "toist", value + 10, case)
    for value, case, spelling, plain_only in _NICKNAMES:
        add(spelling, value, case, plain_only)
    return {
        spelling: NumberWord(value, frozenset(cases), plain_only)
        for spelling, (value, cases, plain_only) in entries.items()
    }


_TABLE = _build_table()


def number_word(token: str, *, typed_with_umlaut: bool = False) -> NumberWord | None:
    """Look up a folded token such as ``"kymmenelta"``; None when it is not a number word.

    ``typed_with_umlaut`` says whether the client wrote ä/ö in the token, which
    rules out the nicknames that collide with ordinary words ("käsi").
    """
    word = _TABLE.get(token)
    if word is None or (word.plain_only and typed_with_umlaut):
        return None
    return word


def cardinal(token: str) -> int | None:
    """Value of a token written in digits (at most three), else None."""
    if token.isascii() and token.isdigit() and len(token) <= 3:
        return int(token)
    return None
