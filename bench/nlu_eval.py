"""Trains one NLU pipeline and evaluates it on the held-out set. Runs inside `.venv-rasa`.

Called by bench/nlu.py as `.venv-rasa/bin/python bench/nlu_eval.py CONFIG OUT_JSON`; prints
nothing but writes its figures as JSON, so the application environment never imports Rasa.
"""

import asyncio
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent


def _plain(text):
    """Lower-case, ä/ö folded, punctuation dropped: how the overlap check compares phrases."""
    folded = text.lower().translate(str.maketrans({"ä": "a", "ö": "o", "å": "o"}))
    return " ".join("".join(c if c.isalnum() else " " for c in folded).split())


def trained_on(examples):
    """Held-out phrases that also occur in the training data (should be none)."""
    seen = set()
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in (block.get("examples") or "").splitlines():
                if line.strip().startswith("- "):
                    seen.add(_plain(line.strip()[2:]))
    return [text for text, _ in examples if _plain(text) in seen]


def held_out():
    examples = []
    for path in sorted((ROOT / "tests" / "nlu").glob("*.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            for line in block["examples"].splitlines():
                if line.strip().startswith("- "):
                    examples.append((line.strip()[2:].strip(), block["intent"]))
    return examples


async def evaluate(model_path, examples):
    from rasa.core.agent import Agent

    agent = Agent.load(model_path)
    predictions, times = [], []
    for text, _ in examples:
        started = time.perf_counter()
        parsed = await agent.parse_message(text)
        times.append((time.perf_counter() - started) * 1000)
        predictions.append(parsed["intent"]["name"])
    return predictions, times


def scores(examples, predictions):
    pairs = [(gold, predicted) for (_, gold), predicted in zip(examples, predictions, strict=True)]
    per_intent = {}
    for intent in sorted({gold for gold, _ in pairs}):
        tp = sum(1 for gold, predicted in pairs if gold == intent == predicted)
        fp = sum(1 for gold, predicted in pairs if gold != intent == predicted)
        fn = sum(1 for gold, predicted in pairs if gold == intent != predicted)
        precision = tp / (tp + fp) if tp + fp else 0.0
        recall = tp / (tp + fn) if tp + fn else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[intent] = {"precision": precision, "recall": recall, "f1": f1, "n": tp + fn}
    accuracy = sum(1 for gold, predicted in pairs if gold == predicted) / len(pairs)
    macro_f1 = statistics.fmean(item["f1"] for item in per_intent.values())
    return {"accuracy": accuracy, "macro_f1": macro_f1, "per_intent": per_intent}


def main():
    config, out = Path(sys.argv[1]), Path(sys.argv[2])
    from rasa.model_training import train_nlu

    with tempfile.TemporaryDirectory() as folder:
        started = time.monotonic()
        model = train_nlu(str(config), str(ROOT / "data" / "nlu"), folder, fixed_model_name="bench")
        training_seconds = time.monotonic() - started
        examples = held_out()
        predictions, times = asyncio.run(evaluate(model, examples))
    result = scores(examples, predictions)
    result.update(
        {
            "training_seconds": training_seconds,
            "median_parse_ms": statistics.median(times),
            "held_out": len(examples),
            "trained_on": trained_on(examples),
            "errors": [
                {"text": text, "expected": gold, "predicted": predicted}
                for (text, gold), predicted in zip(examples, predictions, strict=True)
                if gold != predicted
            ],
        }
    )
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
