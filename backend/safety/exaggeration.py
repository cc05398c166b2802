"""Telling an everyday exaggeration from a crisis, for the NLU model's second net.

The NLU model's `crisis` intent catches what the rule layer misses, but it cannot tell
"kuolen tylsyyteen" from a real wish to die. Where the rule layer has a named exaggeration for
the message and no crisis rule fires outside it, the rules' judgement stands.
"""

from __future__ import annotations

from backend.safety.crisis import HYPERBOLE_RULES, detect_crisis
from backend.safety.normalise import normalise


def everyday_exaggeration(text: str) -> bool:
    """A known everyday exaggeration, with no sign of crisis outside it."""
    if detect_crisis(text) is not None:
        return False
    # The rule patterns start with the space before their first word.
    padded = " " + normalise(text)
    return any(rule.pattern.search(padded) for rule in HYPERBOLE_RULES)
