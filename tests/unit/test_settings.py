"""Settings: every one is documented in .env.example with a default that parses."""

from __future__ import annotations

from pathlib import Path

import pytest

from backend.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _example() -> dict[str, str]:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = [line.split("=", 1) for line in lines if line and not line.startswith("#")]
    return {key: value for key, value in pairs}


def test_env_example_lists_every_setting_and_nothing_else() -> None:
    documented = set(_example())
    expected = {f"ASKEL_{name.upper()}" for name in Settings.model_fields}
    assert documented == expected


def test_env_example_defaults_parse(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    env_file = tmp_path / ".env"
    env_file.write_text((ROOT / ".env.example").read_text(encoding="utf-8"), encoding="utf-8")
    settings = Settings(_env_file=env_file)
    assert settings.timezone == "Europe/Helsinki"
    assert settings.database_url == f"sqlite:///{Path('var').resolve() / 'askel.db'}"
    assert settings.rasa_token.get_secret_value() == ""


def test_an_empty_database_url_means_sqlite_in_the_var_folder(tmp_path: Path) -> None:
    settings = Settings(_env_file=None, var_dir=tmp_path)
    assert settings.database_url == f"sqlite:///{tmp_path / 'askel.db'}"


def test_secrets_do_not_show_in_the_settings_repr() -> None:
    settings = Settings(_env_file=None, telegram_token="123:secret-token")
    assert "secret-token" not in repr(settings)
