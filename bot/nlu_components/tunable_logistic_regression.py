"""Rasa's LogisticRegressionClassifier with its regularisation and class weights configurable.

Rasa 3.6 hard-codes scikit-learn's defaults C=1.0 and class_weight="balanced". On raw
CountVectors counts and fourteen intents, C=1.0 spreads the probability thinly, so many
correctly ranked messages stay under the FallbackClassifier threshold. This subclass adds two
options, `C` (inverse regularisation strength) and `class_weight` ("balanced" or null), and is
otherwise the same component (training, persistence with skops, prediction).

It runs inside the Rasa server (`.venv-rasa`), so it uses only scikit-learn and Rasa.
"""

from __future__ import annotations

from typing import Any, Dict, Text

from sklearn.linear_model import LogisticRegression

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.logistic_regression_classifier import (
    LogisticRegressionClassifier,
)


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True
)
class TunableLogisticRegressionClassifier(LogisticRegressionClassifier):
    """Logistic regression intent classifier with configurable C and class_weight."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {
            **LogisticRegressionClassifier.get_default_config(),
            "C": 1.0,
            "class_weight": "balanced",
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        name: Text,
        model_storage: ModelStorage,
        resource: Resource,
    ) -> None:
        super().__init__(config, name, model_storage, resource)
        self.clf = LogisticRegression(
            C=float(self.config["C"]),
            solver=self.config["solver"],
            max_iter=self.config["max_iter"],
            class_weight=self.config["class_weight"],
            tol=self.config["tol"],
            random_state=self.config["random_state"],
            dual=False,
            fit_intercept=True,
            intercept_scaling=1,
            multi_class="auto",
            verbose=0,
            warm_start=False,
            n_jobs=None,
            l1_ratio=None,
        )
