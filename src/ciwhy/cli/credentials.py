"""Where the ciwhy client keeps its server URL and token.

* ``CIWHY_URL`` / ``CIWHY_TOKEN`` in the environment win (what a CI job uses).
* Otherwise the URL comes from ``<config dir>/config.json`` (``$XDG_CONFIG_HOME/ciwhy`` or
  ``~/.config/ciwhy``) and the token from the system keyring (service ``ciwhy``, user name = the
  URL, so a token is only ever sent to the server it was saved for).
* Headless machines have no usable keyring (keyring's ``fail`` backend, ``NoKeyringError``): the
  token then goes to ``<config dir>/token``, created with mode 0600 and never read when other
  users can read it. The file records the URL too, for the same reason as the keyring.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import keyring
import keyring.errors
from keyring.backends import fail, null

SERVICE = "ciwhy"
DEFAULT_URL = "http://127.0.0.1:8080"
CONFIG_FILE = "config.json"
TOKEN_FILE = "token"
URL_ENV = "CIWHY_URL"
TOKEN_ENV = "CIWHY_TOKEN"


class CredentialsError(Exception):
    """A problem the user has to fix; the message says how."""


@dataclass(frozen=True)
class Credentials:
    url: str
    token: str | None = field(repr=False)  # never printed by accident
    #: Where the token came from ("env", "keyring", "file"); without a token, where the URL did
    #: ("env", "file", "default").
    source: str


def default_config_dir(env: Mapping[str, str] | None = None) -> Path:
    """``$XDG_CONFIG_HOME/ciwhy``, else ``~/.config/ciwhy``."""
    env = os.environ if env is None else env
    xdg = env.get("XDG_CONFIG_HOME", "").strip()
    if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore a relative path
        return Path(xdg) / "ciwhy"
    home = env.get("HOME", "").strip()
    return (Path(home) if home else Path.home()) / ".config" / "ciwhy"


def normalize_url(url: str) -> str:
    """``http(s)://host[:port][/path]``, scheme and host lower-cased, no trailing slash."""
    text = url.strip()
    try:
        parts = urlsplit(text)
        port = parts.port  # validates it
    except ValueError as exc:
        raise CredentialsError(f"not a valid server URL: {url!r} ({exc})") from exc
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise CredentialsError(f"the server URL must look like http://host:port, not {url!r}")
    if parts.username is not None or parts.password is not None:
        raise CredentialsError("keep credentials out of the server URL: use the token instead")
    if parts.query or parts.fragment:
        raise CredentialsError(f"the server URL takes no query or fragment: {url!r}")
    host = parts.hostname.lower()
    netloc = f"[{host}]" if ":" in host else host
    if port is not None:
        netloc += f":{port}"
    return urlunsplit((parts.scheme.lower(), netloc, parts.path.rstrip("/"), "", ""))


# --- files ------------------------------------------------------------------------------------


def _directory(config_dir: str | os.PathLike[str] | None) -> Path:
    return Path(config_dir) if config_dir is not None else default_config_dir()


def _atomic_write(path: Path, data: str) -> None:
    """Write ``path`` through a temporary file created 0600, then rename it into place."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if hasattr(os, "fchmod"):
                os.fchmod(handle.fileno(), 0o600)  # whatever the umask made of it
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _read_json(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text("utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CredentialsError(f"cannot read {path}: {exc}; fix or delete the file") from exc
    if not isinstance(data, dict):
        raise CredentialsError(f"{path} must hold a JSON object; fix or delete the file")
    return data


def _saved_url(directory: Path) -> str | None:
    url = _read_json(directory / CONFIG_FILE).get("url")
    if url is not None and not isinstance(url, str):
        raise CredentialsError(f"'url' in {directory / CONFIG_FILE} must be a string")
    return normalize_url(url) if url else None


def _read_token_file(path: Path, url: str) -> str | None:
    """The token saved in ``path`` for ``url``; refuses a file other users can read."""
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise CredentialsError(f"cannot read the token file {path}: {exc}") from exc
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise CredentialsError(f"the token file {path} is not a regular file")
        if os.name != "nt" and info.st_mode & 0o077:
            raise CredentialsError(
                f"the token file {path} can be read by other users "
                f"(mode {stat.S_IMODE(info.st_mode):04o}); refusing to use it. "
                f"Run: chmod 600 {path}"
            )
        raw = handle.read()
    try:
        data = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise CredentialsError(f"the token file {path} is damaged; log in again") from exc
    if not isinstance(data, dict) or not isinstance(data.get("token"), str):
        raise CredentialsError(f"the token file {path} is damaged; log in again")
    saved_for = data.get("url")
    if not isinstance(saved_for, str) or saved_for != url:
        return None  # saved for another server: never send it elsewhere
    return data["token"] or None


# --- keyring ----------------------------------------------------------------------------------


def keyring_usable() -> bool:
    """False on headless machines: keyring's ``fail`` backend (or the do-nothing ``null``)."""
    try:
        backend = keyring.get_keyring()
    except Exception:  # a broken backend configuration counts as no keyring
        return False
    return not isinstance(backend, (fail.Keyring, null.Keyring))


def _keyring_get(url: str) -> str | None:
    """The keyring's token for ``url``; None when there is none or no keyring is usable."""
    if not keyring_usable():
        return None
    try:
        return keyring.get_password(SERVICE, url) or None
    except keyring.errors.NoKeyringError:
        return None
    except keyring.errors.KeyringError as exc:
        raise CredentialsError(
            f"the system keyring failed ({exc}); unlock it, or set {TOKEN_ENV}"
        ) from exc


# --- the API ----------------------------------------------------------------------------------


def load(
    env: Mapping[str, str] | None = None, config_dir: str | os.PathLike[str] | None = None
) -> Credentials:
    """The server URL and token to use, environment first."""
    env = os.environ if env is None else env
    directory = Path(config_dir) if config_dir is not None else default_config_dir(env)
    env_url = env.get(URL_ENV, "").strip()
    if env_url:
        url, url_source = normalize_url(env_url), "env"
    else:
        saved = _saved_url(directory)
        url, url_source = (saved, "file") if saved else (DEFAULT_URL, "default")
    env_token = env.get(TOKEN_ENV, "").strip()
    if env_token:
        return Credentials(url, env_token, "env")
    token = _keyring_get(url)
    if token:
        return Credentials(url, token, "keyring")
    token = _read_token_file(directory / TOKEN_FILE, url)
    if token:
        return Credentials(url, token, "file")
    return Credentials(url, None, url_source)


def save(url: str, token: str, config_dir: str | os.PathLike[str] | None = None) -> str:
    """Remember ``url`` and its ``token``; returns where the token went: "keyring" or a path."""
    url = normalize_url(url)
    token = token.strip()
    if not token:
        raise CredentialsError("the token is empty")
    directory = _directory(config_dir)
    config = _read_json(directory / CONFIG_FILE)
    _atomic_write(directory / CONFIG_FILE, json.dumps({**config, "url": url}, indent=2) + "\n")
    if keyring_usable():
        try:
            keyring.set_password(SERVICE, url, token)
        except keyring.errors.NoKeyringError:
            pass  # fall back to the file below
        except keyring.errors.KeyringError as exc:
            raise CredentialsError(f"the system keyring refused the token: {exc}") from exc
        else:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(directory / TOKEN_FILE)  # an older copy must not outlive this one
            return "keyring"
    path = directory / TOKEN_FILE
    _atomic_write(path, json.dumps({"url": url, "token": token}) + "\n")
    return str(path)


def clear(config_dir: str | os.PathLike[str] | None = None) -> None:
    """Forget the saved token (keyring and file). The URL stays; nothing there is no error."""
    directory = _directory(config_dir)
    try:
        url = _saved_url(directory) or DEFAULT_URL
    except CredentialsError:
        url = DEFAULT_URL
    if keyring_usable():
        try:
            keyring.delete_password(SERVICE, url)
        except (keyring.errors.PasswordDeleteError, keyring.errors.NoKeyringError):
            pass  # nothing saved there
        except keyring.errors.KeyringError as exc:
            raise CredentialsError(f"the system keyring refused to forget it: {exc}") from exc
    with contextlib.suppress(FileNotFoundError):
        os.unlink(directory / TOKEN_FILE)
