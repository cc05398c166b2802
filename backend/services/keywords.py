"""Channel keywords that work in any state: STOP/LOPETA, ALOITA/START, VALIKKO.

A keyword is the whole message (any case, surrounding punctuation ignored), never a word inside
a longer one: "tulen" is not "en", and "lopeta muistutukset huomiseen" is a sentence for the
dialogue, not a keyword.
"""

from __future__ import annotations

import enum
import re


class Keyword(enum.Enum):
    STOP = "stop"
    START = "start"
    MENU = "menu"


_WORDS = {
    "stop": Keyword.STOP,
    "lopeta": Keyword.STOP,
    "aloita": Keyword.START,
    "start": Keyword.START,
    "valikko": Keyword.MENU,
    "menu": Keyword.MENU,
}
_EDGES = re.compile(r"^[\s\W_]+|[\s\W_]+$")


# Telegram's "/start", sent by the app's Start button and by invite links ("/start CODE").
_TELEGRAM_START = re.compile(r"^\s*/start(\s|$)", re.IGNORECASE)


def keyword_of(text: str) -> Keyword | None:
    """The keyword this whole message is, if it is one."""
    if _TELEGRAM_START.match(text):
        return Keyword.START
    return _WORDS.get(_EDGES.sub("", text).lower())
