"""Settings: defaults, overrides, bad values, and the docs page in step with the code."""

from __future__ import annotations

from pathlib import Path

import pytest

from ciwhy import config

DOC = Path(__file__).parents[1] / "docs" / "configuration.md"


def test_defaults_put_sqlite_in_the_data_dir(tmp_path: Path) -> None:
    s = config.Settings.from_env({"XDG_DATA_HOME": str(tmp_path)})
    assert s.data_dir == tmp_path / "ciwhy"
    assert s.database_url == f"sqlite:///{tmp_path / 'ciwhy' / 'ciwhy.db'}"
    assert s.ingest_rate_limit == "60/minute" and s.port == 8080 and s.redis_url is None


def test_environment_and_overrides(tmp_path: Path) -> None:
    env = {"CIWHY_DATA_DIR": str(tmp_path), "CIWHY_PORT": "9000", "CIWHY_WORKERS": "0",
           "CIWHY_DATABASE_URL": "postgresql://u@h/db"}  # fmt: skip
    s = config.Settings.from_env(env, port=9100)
    assert s.port == 9100 and s.workers == 0 and s.database_url == "postgresql://u@h/db"
    assert s.spool_dir == tmp_path / "spool"


def test_a_bad_number_names_the_variable() -> None:
    with pytest.raises(ValueError, match="CIWHY_PORT"):
        config.Settings.from_env({"CIWHY_PORT": "eighty"})


def test_docs_page_lists_every_setting() -> None:
    assert config.describe() in DOC.read_text()
