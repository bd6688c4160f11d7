"""Settings: KIZASHI_* variables, validated, and every one documented in docs/settings.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kizashi.errors import ConfigError
from kizashi.settings import DEFAULT_WORKSPACE, Settings, get_settings

DOC = Path(__file__).parents[1] / "docs" / "settings.md"


def test_every_setting_is_documented() -> None:
    assert DOC.exists(), "docs/settings.md is missing"
    text = DOC.read_text(encoding="utf-8")
    documented = set(re.findall(r"`(KIZASHI_[A-Z0-9_]+)`", text))
    for name in Settings.model_fields:
        variable = f"KIZASHI_{name.upper()}"
        assert variable in documented, f"{variable} is not documented in docs/settings.md"


def test_every_setting_has_a_description() -> None:
    for name, field in Settings.model_fields.items():
        assert field.description, name


@pytest.fixture
def clean_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in Settings.model_fields:
        monkeypatch.delenv(f"KIZASHI_{name.upper()}", raising=False)
    return monkeypatch


def test_defaults(clean_env: pytest.MonkeyPatch) -> None:
    settings = get_settings()
    assert settings.workspace == DEFAULT_WORKSPACE == Path("kizashi-workspace")
    assert settings.database_url is None
    assert settings.batch_size == 2000


def test_from_the_environment(clean_env: pytest.MonkeyPatch, tmp_path: Path) -> None:
    clean_env.setenv("KIZASHI_WORKSPACE", str(tmp_path))
    clean_env.setenv("KIZASHI_DATABASE_URL", "postgresql+psycopg://u@h/db")
    clean_env.setenv("KIZASHI_BATCH_SIZE", "500")
    clean_env.setenv("KIZASHI_NOT_A_SETTING", "ignored")
    settings = get_settings()
    assert (settings.workspace, settings.database_url, settings.batch_size) == (
        tmp_path,
        "postgresql+psycopg://u@h/db",
        500,
    )


@pytest.mark.parametrize("value", ["0", "100001", "many"])
def test_an_invalid_setting_is_a_config_error_naming_the_variable(clean_env: pytest.MonkeyPatch, value: str) -> None:
    clean_env.setenv("KIZASHI_BATCH_SIZE", value)
    with pytest.raises(ConfigError, match="KIZASHI_BATCH_SIZE") as caught:
        get_settings()
    assert caught.value.exit_code == 2


def test_the_cli_reports_an_invalid_setting_with_exit_2(clean_env: pytest.MonkeyPatch, cli, tmp_path: Path) -> None:
    clean_env.setenv("KIZASHI_BATCH_SIZE", "-5")
    result = cli("status", "--workspace", tmp_path)
    assert result.code == 2
    assert "KIZASHI_BATCH_SIZE" in result.err
    assert "Traceback" not in result.err


def test_match_weights_are_validated(monkeypatch: pytest.MonkeyPatch) -> None:
    from kizashi.retrieval import configured_settings

    monkeypatch.setenv("KIZASHI_MATCH_WEIGHTS", '{"lexical": 2, "concepts": 0}')
    monkeypatch.setenv("KIZASHI_MATCH_BIGRAM_WEIGHT", "0.25")
    settings = configured_settings()
    assert settings.weights == {"lexical": 2.0, "concepts": 0.0} and settings.bigram_weight == 0.25
    for bad in ('{"lexcal": 1}', '{"lexical": -1}', '{"lexical": 0}', "not json"):
        monkeypatch.setenv("KIZASHI_MATCH_WEIGHTS", bad)
        with pytest.raises(ConfigError, match="KIZASHI_MATCH_WEIGHTS"):
            get_settings()
