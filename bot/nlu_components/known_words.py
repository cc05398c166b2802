"""An intent guard: a message with no word the bot has ever seen is not understood.

An intent classifier spreads all of its belief over the intents it knows, so keyboard mashing
("xqzv plörk") or an unrelated word ("banaani") can come out as a confident "deny". This
component remembers the vocabulary of the training data and, when not one word of a message is
close to it, sets the intent's confidence to zero, so that the FallbackClassifier after it says
"I did not understand" instead of guessing. "Close" tolerates Finnish inflection (a shared stem)
and typos (a similar spelling), and ä/ö written as a/o.

It runs inside the Rasa server (`.venv-rasa`), so it uses only the standard library and Rasa.
"""

from __future__ import annotations

import difflib
import json
import re
from typing import Any, Dict, List, Optional, Set, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.constants import INTENT, PREDICTED_CONFIDENCE_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

_WORD = re.compile(r"[a-z0-9]+")
_FOLD = str.maketrans({"ä": "a", "ö": "o", "å": "o", "é": "e"})


def words(text: Text) -> List[Text]:
    """Lower-case words with ä/ö folded, punctuation dropped."""
    return _WORD.findall(text.lower().translate(_FOLD))


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class KnownWordsGuard(GraphComponent):
    """Zeroes the intent confidence of messages made only of unknown words."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        # stem: letters two words must share at the start to count as one word inflected;
        # similarity: difflib ratio above which a word is a typo of a known one.
        return {"stem": 4, "similarity": 0.8}

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        vocabulary: Optional[Set[Text]] = None,
    ) -> None:
        self._config = config
        self._storage = model_storage
        self._resource = resource
        self.vocabulary = vocabulary or set()
        self._stems = {word[: config["stem"]] for word in self.vocabulary
                       if len(word) >= config["stem"]}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "KnownWordsGuard":
        return cls(config, model_storage, resource)

    def train(self, training_data: TrainingData) -> Resource:
        vocabulary = set()
        for example in training_data.intent_examples:
            vocabulary.update(words(example.get(TEXT) or ""))
        with self._storage.write_to(self._resource) as folder:
            (folder / "vocabulary.json").write_text(json.dumps(sorted(vocabulary)))
        return self._resource

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "KnownWordsGuard":
        with model_storage.read_from(resource) as folder:
            vocabulary = set(json.loads((folder / "vocabulary.json").read_text()))
        return cls(config, model_storage, resource, vocabulary)

    def known(self, word: Text) -> bool:
        """Whether `word` is a known word, an inflection of one, or a typo of one."""
        if word in self.vocabulary:
            return True
        stem = self._config["stem"]
        if len(word) >= stem and word[:stem] in self._stems:
            return True
        return bool(
            difflib.get_close_matches(word, self.vocabulary, n=1,
                                      cutoff=self._config["similarity"])
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            intent = message.get(INTENT)
            if not intent:
                continue
            if not any(self.known(word) for word in words(message.get(TEXT) or "")):
                message.set(INTENT, {**intent, PREDICTED_CONFIDENCE_KEY: 0.0},
                            add_to_output=True)
        return messages
