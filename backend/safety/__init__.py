"""Safety rule layer: crisis detection that runs before, and independently of, the NLU.

Public API: :func:`detect_crisis` (the check every inbound message goes through),
:class:`CrisisMatch`, :func:`is_everyday_exaggeration` (the check the NLU model's crisis intent
goes through), and :func:`normalise` (the matching form of a message). The rule
tables are exported for review and tests.
"""

from __future__ import annotations

from backend.safety.crisis import (
    CRISIS_RULES,
    FAIL_SAFE_RULE,
    HYPERBOLE_RULES,
    CrisisKind,
    CrisisMatch,
    CrisisRule,
    HyperboleRule,
    detect_crisis,
    is_everyday_exaggeration,
)
from backend.safety.normalise import normalise

__all__ = [
    "CRISIS_RULES",
    "FAIL_SAFE_RULE",
    "HYPERBOLE_RULES",
    "CrisisKind",
    "CrisisMatch",
    "CrisisRule",
    "HyperboleRule",
    "detect_crisis",
    "is_everyday_exaggeration",
    "normalise",
]
