"""A reply as one plain SMS: GSM-7 characters only, choices as numbered lines.

Outside GSM-7 a whole message is sent as UCS-2, at 70 characters a segment instead of 160: one
curly quote would make a two-segment text cost four. So typographic characters are mapped to
their plain forms and anything left outside the alphabet is dropped.
"""

from __future__ import annotations

import unicodedata

from backend.texts.responses import Reply

# The GSM 03.38 basic alphabet, and the extension table whose characters take two septets.
GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = frozenset("^{}\\[~]|€\f")
SINGLE_SEGMENT = 160
MULTI_SEGMENT = 153  # the rest of 160 carries the header that joins the parts

_PLAIN = {
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2026": "...",
    "\u2022": "-",
    "\t": " ",
}


def to_gsm7(text: str) -> str:
    """`text` in characters every phone shows and GSM-7 encodes (Finnish letters stay)."""
    out: list[str] = []
    for char in text:
        char = _PLAIN.get(char, char)
        if all(c in GSM7_BASIC or c in GSM7_EXTENDED for c in char):
            out.append(char)
            continue
        # "š" -> "s", "å" stays (it is GSM-7), an emoji goes.
        base = unicodedata.normalize("NFD", char)[0]
        if base in GSM7_BASIC:
            out.append(base)
    return "".join(out).replace("  ", " ").strip()


def septets(text: str) -> int:
    """How many GSM-7 septets `text` takes (extension characters take two)."""
    return sum(2 if char in GSM7_EXTENDED else 1 for char in text)


def segments(text: str) -> int:
    """How many SMS segments a GSM-7 `text` is sent as."""
    length = septets(text)
    if length <= SINGLE_SEGMENT:
        return 1
    return -(-length // MULTI_SEGMENT)


def sms_body(reply: Reply) -> str:
    """The SMS for `reply`: its text, then its choices numbered, so that a digit answers."""
    lines = [reply.text]
    lines.extend(f"{n}) {button.title}" for n, button in enumerate(reply.buttons, start=1))
    return to_gsm7("\n".join(lines))
