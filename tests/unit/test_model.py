"""The model is retrained when what it is trained from changes, and never otherwise."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from backend.settings import Settings
from backend.stack.model import ensure_model, fingerprint, model_path, training_inputs

ROOT = Path(__file__).resolve().parents[2]


class TreeSettings(Settings):
    """Settings for a copy of the project's training inputs in a temporary folder."""

    tree: Path

    @property
    def project_root(self) -> Path:
        return self.tree


@pytest.fixture
def tree(tmp_path: Path) -> TreeSettings:
    for part in ("bot/config.yml", "bot/domain", "bot/data", "bot/nlu_components", "data/nlu",
                 "requirements/rasa.txt"):  # fmt: skip
        source, target = ROOT / part, tmp_path / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_dir():
            shutil.copytree(source, target)
        else:
            shutil.copy(source, target)
    return TreeSettings(_env_file=None, tree=tmp_path, var_dir=tmp_path / "var")


def test_the_inputs_are_config_domain_rules_nlu_components_and_the_rasa_pins(
    tree: TreeSettings,
) -> None:
    names = {str(path.relative_to(tree.tree)) for path in training_inputs(tree)}
    assert {"bot/config.yml", "requirements/rasa.txt", "data/nlu/basics.yml"} <= names
    assert "bot/nlu_components/known_words.py" in names
    assert any(name.startswith("bot/domain/") for name in names)
    assert any(name.startswith("bot/data/") for name in names)


@pytest.mark.parametrize(
    "changed", ["bot/config.yml", "data/nlu/basics.yml", "bot/nlu_components/known_words.py"]
)
def test_changing_an_input_changes_the_fingerprint(tree: TreeSettings, changed: str) -> None:
    before = fingerprint(tree)
    with (tree.tree / changed).open("a", encoding="utf-8") as handle:
        handle.write("\n# changed\n")
    assert fingerprint(tree) != before


def test_a_new_nlu_file_changes_the_fingerprint(tree: TreeSettings) -> None:
    before = fingerprint(tree)
    (tree.tree / "data/nlu/more.yml").write_text('version: "3.1"\n', encoding="utf-8")
    assert fingerprint(tree) != before


def test_unrelated_files_do_not_change_it(tree: TreeSettings) -> None:
    before = fingerprint(tree)
    (tree.tree / "README.md").write_text("words", encoding="utf-8")
    (tree.tree / "bot/models").mkdir(parents=True)
    assert fingerprint(tree) == before


def test_an_existing_model_for_these_inputs_is_served_without_training(
    tree: TreeSettings,
) -> None:
    # No .venv-rasa in the temporary tree: any attempt to train would fail.
    target = model_path(tree)
    target.parent.mkdir(parents=True)
    target.write_bytes(b"model")
    out = io.StringIO()
    assert ensure_model(tree, out=out) == target
    assert out.getvalue() == ""
