"""A whitespace tokenizer that hands the featurizers a normalised form of each word.

Clients often write without ä/ö ("mita sa osaat") and stretch words ("heiii", "kiitos!!!"). This
tokenizer splits exactly like Rasa's WhitespaceTokenizer and keeps each token's text as written
(so entity offsets and the lexical features are untouched), but sets the token's *lemma* to a
normalised form: lower-cased, ä→a, ö→o (å→o, é→e), runs of three or more equal letters squeezed
to two, and optionally a few Finnish clitic endings (-kin, -kaan/-kään, -han/-hän, -pa/-pä, -ko/-kö)
stripped. CountVectorsFeaturizer reads the lemma (its default `use_lemma: true`), so the word
and character n-gram vocabularies see "mitä" and "mita" as the same word.

It runs inside the Rasa server (`.venv-rasa`), so it uses only the standard library and Rasa.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "o", "é": "e"})
_REPEATS = re.compile(r"(.)\1{2,}")
# Longest first; only stripped when at least four letters of stem remain.
_CLITICS = ("kaan", "kään", "kin", "han", "hän", "pa", "pä", "ko", "kö")
_MIN_STEM = 4


def normalise(word: Text, squeeze: bool = True, strip_clitics: bool = False) -> Text:
    """Lower-case `word`, fold ä/ö, squeeze letter runs and optionally strip a clitic."""
    word = word.lower()
    if strip_clitics:
        for clitic in _CLITICS:
            if word.endswith(clitic) and len(word) - len(clitic) >= _MIN_STEM:
                word = word[: -len(clitic)]
                break
    word = word.translate(_FOLD)
    if squeeze:
        word = _REPEATS.sub(r"\1\1", word)
    return word


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class FoldingWhitespaceTokenizer(WhitespaceTokenizer):
    """WhitespaceTokenizer whose token lemmas are lower-cased, ä/ö-folded and squeezed."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # squeeze: "heiii" -> "heii"; strip_clitics: "tiedätkö" -> "tiedat".
        return {
            **WhitespaceTokenizer.get_default_config(),
            "squeeze": True,
            "strip_clitics": False,
        }

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "FoldingWhitespaceTokenizer":
        return cls(config)

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        if attribute != TEXT:
            return tokens
        for token in tokens:
            token.lemma = normalise(
                token.text,
                squeeze=self._config["squeeze"],
                strip_clitics=self._config["strip_clitics"],
            )
        return tokens
