"""The trained model: retrained when its inputs change, and never otherwise.

A model's file name carries the fingerprint of everything it was trained from (config, domain,
stories and rules, NLU data, the pinned Rasa environment), so "is the model current?" is one
file lookup and needs no Rasa start-up.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import TextIO

from backend.settings import Settings

MODEL_PREFIX = "askel-"
# Measured on the 2-core machines this project runs on; shown to the person waiting.
TYPICAL_TRAINING_SECONDS = 30


def training_inputs(settings: Settings) -> list[Path]:
    """Every file the model is trained from, in a stable order."""
    root = settings.project_root
    files = [settings.bot_dir / "config.yml", root / "requirements" / "rasa.txt"]
    for folder in (settings.bot_dir / "domain", settings.bot_dir / "data", root / "data" / "nlu"):
        files.extend(sorted(folder.rglob("*.yml")))
    # Our own NLU components are part of the model too.
    files.extend(sorted((settings.bot_dir / "nlu_components").rglob("*.py")))
    return files


def fingerprint(settings: Settings) -> str:
    """A short hash of the training inputs' names and contents."""
    digest = hashlib.sha256()
    for path in training_inputs(settings):
        digest.update(str(path.relative_to(settings.project_root)).encode())
        digest.update(b"\0")
        digest.update(path.read_bytes())
        digest.update(b"\0")
    return digest.hexdigest()[:16]


def model_path(settings: Settings) -> Path:
    """Where the model for the current inputs is (or will be)."""
    return settings.models_dir / f"{MODEL_PREFIX}{fingerprint(settings)}.tar.gz"


def rasa_environment(settings: Settings) -> dict[str, str]:
    """Environment for Rasa's own processes: no telemetry calls, quiet TensorFlow."""
    env = dict(os.environ)
    env.update(
        {
            "RASA_TELEMETRY_ENABLED": "false",
            "TF_CPP_MIN_LOG_LEVEL": "2",
            "SQLALCHEMY_SILENCE_UBER_WARNING": "1",
            "PYTHONWARNINGS": "ignore",
            "PYTHONPATH": str(settings.bot_dir),
        }
    )
    return env


def rasa_executable(settings: Settings) -> Path:
    """The `rasa` command of `.venv-rasa`."""
    return settings.project_root / ".venv-rasa" / "bin" / "rasa"


def _training_command(settings: Settings, target: Path) -> list[str]:
    bot = settings.bot_dir
    return [
        str(rasa_executable(settings)),
        "train",
        "--config", str(bot / "config.yml"),
        "--domain", str(bot / "domain"),
        "--data", str(bot / "data"), str(settings.project_root / "data" / "nlu"),
        "--out", str(settings.models_dir),
        "--fixed-model-name", target.name.removesuffix(".tar.gz"),
    ]  # fmt: skip


def _progress_line(log: Path, started: float) -> str:
    """What is being trained, read from Rasa's log, with the elapsed time."""
    component = "reading the training data"
    if log.exists():
        for line in log.read_text(encoding="utf-8", errors="replace").splitlines():
            if "Starting to train component" in line:
                component = line.rsplit("component", 1)[-1].strip(" '.")
    elapsed = int(time.monotonic() - started)
    return f"  {elapsed:3d} s  {component}"


def ensure_model(settings: Settings, *, force: bool = False, out: TextIO | None = None) -> Path:
    """Train a model unless one for the current inputs exists; returns the model to serve.

    Progress goes to standard output while training runs (the person waiting sees what is
    happening and roughly how long it takes); Rasa's own log goes to `var/log/train.log`.
    """
    stream = out or sys.stdout
    target = model_path(settings)
    if target.exists() and not force:
        os.utime(target)  # the newest model is the one served
        return target
    settings.models_dir.mkdir(parents=True, exist_ok=True)
    log = settings.var_dir / "log" / "train.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    print(
        f"==> Training the Finnish model (its data changed); usually about "
        f"{TYPICAL_TRAINING_SECONDS} s on 2 cores. Log: {log}",
        file=stream,
        flush=True,
    )
    started = time.monotonic()
    with log.open("w", encoding="utf-8") as handle:
        process = subprocess.Popen(
            _training_command(settings, target),
            stdout=handle,
            stderr=subprocess.STDOUT,
            env=rasa_environment(settings),
            cwd=settings.var_dir,
        )
        while process.poll() is None:
            time.sleep(5)
            print(_progress_line(log, started), file=stream, flush=True)
    if process.returncode != 0 or not target.exists():
        tail = log.read_text(encoding="utf-8", errors="replace").splitlines()[-30:]
        raise RuntimeError("training failed:\n" + "\n".join(tail))
    print(
        f"==> Model trained in {int(time.monotonic() - started)} s: {target.name}",
        file=stream,
        flush=True,
    )
    return target
