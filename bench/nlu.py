"""The held-out NLU evaluation of each candidate pipeline, side by side, in one run.

Candidates: Askel's own pipeline (bot/config.yml) and the ones in bench/nlu_pipelines/. Each is
trained on data/nlu/ and scored on tests/nlu/ (written separately, never trained on): intent
macro-F1, accuracy, per-intent precision and recall, training time and median parse time.
"""

from __future__ import annotations

import json
import os
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from bench.common import write_result

ROOT = Path(__file__).resolve().parent.parent


def candidates() -> dict[str, Path]:
    """Pipeline name -> its config file."""
    found = {"askel": ROOT / "bot" / "config.yml"}
    for path in sorted((ROOT / "bench" / "nlu_pipelines").glob("*.yml")):
        found[path.stem] = path
    return found


def evaluate(config: Path) -> dict[str, Any]:
    """Train and score one pipeline in the Rasa environment."""
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "result.json"
        env = {
            **os.environ,
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "3",
            "PYTHONPATH": str(ROOT / "bot"),
        }
        subprocess.run(
            [str(ROOT / ".venv-rasa" / "bin" / "python"), str(ROOT / "bench" / "nlu_eval.py"),
             str(config), str(out)],
            check=True, env=env, cwd=folder, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        result: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
        return result


def run() -> dict[str, Any]:
    """Evaluate every candidate; print a table and write bench/results/nlu.json."""
    results = {name: evaluate(config) for name, config in candidates().items()}
    write_result("nlu", {"pipelines": results})
    first = next(iter(results.values()))
    print(
        f"held-out phrases: {first['held_out']}, of which also in the training data: "
        f"{len(first['trained_on'])}"
    )
    print(
        f"{'pipeline':16} {'macro-F1':>8} {'accuracy':>8} {'train s':>8} {'parse ms':>8}  lowest F1"
    )
    for name, result in results.items():
        worst = min(result["per_intent"].items(), key=lambda item: item[1]["f1"])
        print(
            f"{name:16} {result['macro_f1']:8.3f} {result['accuracy']:8.3f} "
            f"{result['training_seconds']:8.1f} {result['median_parse_ms']:8.1f}  "
            f"{worst[0]} {worst[1]['f1']:.2f}"
        )
    for name, result in results.items():
        print(f"\n{name}: intent precision / recall / F1 (n)")
        for intent, item in result["per_intent"].items():
            print(
                f"  {intent:24} {item['precision']:.2f} {item['recall']:.2f} "
                f"{item['f1']:.2f} ({item['n']})"
            )
    return results


if __name__ == "__main__":
    run()
