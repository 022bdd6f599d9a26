"""Client credentials: environment override, keyring, and the 0600 file fallback."""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import keyring
import keyring.errors
import pytest
from keyring.backend import KeyringBackend
from keyring.backends import fail

from ciwhy.cli import credentials
from ciwhy.cli.credentials import DEFAULT_URL, Credentials, CredentialsError, clear, load, save

posix_only = pytest.mark.skipif(os.name == "nt", reason="POSIX file modes")


class MemoryKeyring(KeyringBackend):
    """A working keyring that lives in a dict (never chosen automatically: priority 0)."""

    priority = 0

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        if self.store.pop((service, username), None) is None:
            raise keyring.errors.PasswordDeleteError("not found")


@pytest.fixture
def no_keyring() -> Iterator[None]:
    """A headless machine: keyring's fail backend, restored afterwards."""
    previous = keyring.get_keyring()
    keyring.set_keyring(fail.Keyring())  # type: ignore[no-untyped-call]
    try:
        yield
    finally:
        keyring.set_keyring(previous)


@pytest.fixture
def memory_keyring() -> Iterator[MemoryKeyring]:
    previous = keyring.get_keyring()
    backend = MemoryKeyring()
    keyring.set_keyring(backend)
    try:
        yield backend
    finally:
        keyring.set_keyring(previous)


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


# --- environment ------------------------------------------------------------------------------


@pytest.mark.usefixtures("no_keyring")
def test_env_overrides_everything(tmp_path: Path) -> None:
    save("http://saved.example.com:9000", "saved-token", config_dir=tmp_path)
    env = {"CIWHY_URL": "https://ciwhy.example.com/", "CIWHY_TOKEN": "env-token"}
    assert load(env, config_dir=tmp_path) == Credentials(
        "https://ciwhy.example.com", "env-token", "env"
    )


@pytest.mark.usefixtures("no_keyring")
def test_env_token_with_the_saved_url(tmp_path: Path) -> None:
    save("http://saved.example.com:9000", "saved-token", config_dir=tmp_path)
    creds = load({"CIWHY_TOKEN": " env-token\n"}, config_dir=tmp_path)
    assert creds == Credentials("http://saved.example.com:9000", "env-token", "env")


@pytest.mark.usefixtures("no_keyring")
def test_nothing_saved_gives_the_default(tmp_path: Path) -> None:
    assert load({}, config_dir=tmp_path) == Credentials(DEFAULT_URL, None, "default")
    assert load({"CIWHY_URL": "", "CIWHY_TOKEN": ""}, config_dir=tmp_path).source == "default"


@pytest.mark.usefixtures("no_keyring")
def test_env_url_without_token(tmp_path: Path) -> None:
    creds = load({"CIWHY_URL": "https://other.example.com"}, config_dir=tmp_path)
    assert creds == Credentials("https://other.example.com", None, "env")


# --- the file fallback ------------------------------------------------------------------------


@posix_only
@pytest.mark.usefixtures("no_keyring")
def test_save_without_keyring_writes_a_0600_file(tmp_path: Path) -> None:
    where = save("http://ciwhy.example.com:8080", "s3cret", config_dir=tmp_path)
    token_file = tmp_path / "token"
    assert where == str(token_file)
    assert _mode(token_file) == 0o600
    assert load({}, config_dir=tmp_path) == Credentials(
        "http://ciwhy.example.com:8080", "s3cret", "file"
    )
    assert sorted(p.name for p in tmp_path.iterdir()) == ["config.json", "token"]  # no temp left


@posix_only
@pytest.mark.usefixtures("no_keyring")
def test_the_file_is_0600_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0)
    try:
        save("http://ciwhy.example.com", "s3cret", config_dir=tmp_path / "fresh")
    finally:
        os.umask(old)
    assert _mode(tmp_path / "fresh" / "token") == 0o600
    assert _mode(tmp_path / "fresh") == 0o700


@posix_only
@pytest.mark.usefixtures("no_keyring")
@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604])
def test_a_token_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    save("http://ciwhy.example.com", "s3cret", config_dir=tmp_path)
    token_file = tmp_path / "token"
    token_file.chmod(mode)
    with pytest.raises(CredentialsError, match=r"chmod 600") as info:
        load({}, config_dir=tmp_path)
    assert str(token_file) in str(info.value)
    token_file.chmod(0o600)
    assert load({}, config_dir=tmp_path).token == "s3cret"


@posix_only
@pytest.mark.usefixtures("no_keyring")
def test_a_symlinked_token_file_is_refused(tmp_path: Path) -> None:
    save("http://ciwhy.example.com", "s3cret", config_dir=tmp_path)
    (tmp_path / "real").write_bytes((tmp_path / "token").read_bytes())
    (tmp_path / "token").unlink()
    (tmp_path / "token").symlink_to(tmp_path / "real")
    with pytest.raises(CredentialsError):
        load({}, config_dir=tmp_path)


@pytest.mark.usefixtures("no_keyring")
def test_a_token_is_only_sent_to_its_own_server(tmp_path: Path) -> None:
    save("https://ciwhy.example.com", "s3cret", config_dir=tmp_path)
    creds = load({"CIWHY_URL": "https://evil.example.net"}, config_dir=tmp_path)
    assert creds.token is None


@pytest.mark.usefixtures("no_keyring")
def test_clear_removes_the_file_and_is_idempotent(tmp_path: Path) -> None:
    clear(config_dir=tmp_path / "never-used")  # nothing there: no error
    save("http://ciwhy.example.com", "s3cret", config_dir=tmp_path)
    clear(config_dir=tmp_path)
    assert not (tmp_path / "token").exists()
    assert load({}, config_dir=tmp_path) == Credentials("http://ciwhy.example.com", None, "file")
    clear(config_dir=tmp_path)


# --- the keyring ------------------------------------------------------------------------------


def test_save_load_clear_with_a_keyring(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    (tmp_path / "token").write_text("stale")  # an older file copy must not survive
    assert save("https://ciwhy.example.com/", "s3cret", config_dir=tmp_path) == "keyring"
    assert memory_keyring.store == {("ciwhy", "https://ciwhy.example.com"): "s3cret"}
    assert not (tmp_path / "token").exists()
    assert load({}, config_dir=tmp_path) == Credentials(
        "https://ciwhy.example.com", "s3cret", "keyring"
    )
    clear(config_dir=tmp_path)
    assert memory_keyring.store == {}
    clear(config_dir=tmp_path)  # already gone: no error


def test_a_locked_keyring_is_reported(tmp_path: Path, memory_keyring: MemoryKeyring) -> None:
    def locked(service: str, username: str) -> str | None:
        raise keyring.errors.KeyringLocked("locked")

    memory_keyring.get_password = locked  # type: ignore[method-assign]
    with pytest.raises(CredentialsError, match="CIWHY_TOKEN"):
        load({}, config_dir=tmp_path)
    assert load({"CIWHY_TOKEN": "t"}, config_dir=tmp_path).token == "t"


def test_no_keyring_error_falls_back_to_the_file(
    tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    def missing(*args: str) -> None:
        raise keyring.errors.NoKeyringError("no backend")

    memory_keyring.set_password = missing  # type: ignore[method-assign,assignment]
    memory_keyring.get_password = missing  # type: ignore[method-assign,assignment]
    where = save("http://ciwhy.example.com", "s3cret", config_dir=tmp_path)
    assert where == str(tmp_path / "token")
    assert load({}, config_dir=tmp_path).source == "file"


# --- URLs and config --------------------------------------------------------------------------


@pytest.mark.usefixtures("no_keyring")
def test_url_trailing_slash_is_normalised(tmp_path: Path) -> None:
    save("HTTPS://CIWHY.Example.com:8443/api//", "s3cret", config_dir=tmp_path)
    config = json.loads((tmp_path / "config.json").read_text())
    assert config == {"url": "https://ciwhy.example.com:8443/api"}
    creds = load({"CIWHY_URL": "https://ciwhy.example.com:8443/api/"}, config_dir=tmp_path)
    assert creds == Credentials("https://ciwhy.example.com:8443/api", "s3cret", "file")


@pytest.mark.parametrize(
    "url",
    [
        "ciwhy.example.com",
        "ftp://host",
        "http://",
        "http://user:pw@host",
        "http://h:99999",
        "http://h/?q=1",
    ],
)
def test_bad_urls_are_refused(url: str) -> None:
    with pytest.raises(CredentialsError):
        credentials.normalize_url(url)


def test_ipv6_url() -> None:
    assert credentials.normalize_url("http://[::1]:8080/") == "http://[::1]:8080"


@pytest.mark.usefixtures("no_keyring")
def test_a_damaged_config_is_reported(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text("{not json")
    with pytest.raises(CredentialsError, match=r"config\.json"):
        load({}, config_dir=tmp_path)


@pytest.mark.usefixtures("no_keyring")
def test_save_keeps_other_config_keys(tmp_path: Path) -> None:
    (tmp_path / "config.json").write_text('{"color": "never"}')
    save("http://ciwhy.example.com", "s3cret", config_dir=tmp_path)
    assert json.loads((tmp_path / "config.json").read_text()) == {
        "color": "never",
        "url": "http://ciwhy.example.com",
    }


def test_empty_token_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CredentialsError):
        save("http://ciwhy.example.com", "  ", config_dir=tmp_path)


def test_default_config_dir() -> None:
    assert credentials.default_config_dir({"XDG_CONFIG_HOME": "/x/cfg"}) == Path("/x/cfg/ciwhy")
    assert credentials.default_config_dir({"HOME": "/home/u"}) == Path("/home/u/.config/ciwhy")
    relative = {"XDG_CONFIG_HOME": "cfg", "HOME": "/home/u"}  # ignored, per the XDG spec
    assert credentials.default_config_dir(relative) == Path("/home/u/.config/ciwhy")


@pytest.mark.usefixtures("no_keyring")
def test_load_uses_xdg_config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    save("http://ciwhy.example.com", "s3cret")  # default dir, from os.environ
    assert (tmp_path / "ciwhy" / "token").exists()
    env = {"XDG_CONFIG_HOME": str(tmp_path)}
    assert load(env) == Credentials("http://ciwhy.example.com", "s3cret", "file")
    clear()
    assert not (tmp_path / "ciwhy" / "token").exists()


def test_the_token_is_not_in_the_repr() -> None:
    assert "s3cret" not in repr(Credentials("http://h", "s3cret", "env"))
