"""The `askel` command: time parsing as the contract says, and every command documented."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

import pytest

from backend.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parents[2]


def test_parse_time_prints_one_json_object_a_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    phrases = "huomenna kymmeneltä\nto klo 14\nviikon päästä\nkiitos\n"
    monkeypatch.setattr("sys.stdin", io.StringIO(phrases))
    assert main(["parse-time", "--now", "2026-11-23T09:00", "--tz", "Europe/Helsinki"]) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == [
        {"text": "huomenna kymmeneltä", "value": "2026-11-24T10:00"},
        {"text": "to klo 14", "value": "2026-11-26T14:00"},
        {"text": "viikon päästä", "value": "2026-11-30"},
        {"text": "kiitos", "value": None},
    ]


def test_every_command_is_in_the_readme() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    subparsers = next(a for a in build_parser()._actions if a.dest == "command")
    commands = set(subparsers.choices)  # type: ignore[arg-type]
    missing = {name for name in commands if f"askel {name}" not in readme}
    assert missing == set()


def test_every_make_target_in_the_readme_exists() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set(re.findall(r"^([a-z][a-z-]*):", makefile, flags=re.MULTILINE))
    mentioned = set(re.findall(r"`make ([a-z-]+)`", readme))
    assert mentioned and mentioned <= targets
    assert {"run", "test", "serve", "train", "bench"} <= mentioned
