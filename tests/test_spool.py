"""The spool file: what goes in comes out, and a deleted log is in no file afterwards."""

from __future__ import annotations

import gzip
import os
import threading
from pathlib import Path

import pytest

from ciwhy.store.spool import FileSpool, pack


def _files_bytes(directory: Path) -> bytes:
    return b"".join(p.read_bytes() for p in directory.rglob("*") if p.is_file())


@pytest.mark.parametrize("fsync", [False, True])
def test_put_get_delete(tmp_path: Path, fsync: bool) -> None:
    sp = FileSpool(tmp_path / "spool", fsync)
    sp.put_many([("a", pack("log a")), ("b", pack("log b"))])
    assert sp.keys() == {"a", "b"}
    assert gzip.decompress(sp.get("a") or b"") == b"log a"
    sp.delete("a")
    assert sp.get("a") is None and sp.keys() == {"b"}
    assert oct((tmp_path / "spool").stat().st_mode & 0o777) == "0o700"


def test_a_deleted_log_is_in_no_file(tmp_path: Path) -> None:
    """Incompressible bytes, so that their presence on disk can be checked at all."""
    secret = os.urandom(64 * 1024)
    keep = os.urandom(64 * 1024)
    sp = FileSpool(tmp_path / "spool")
    sp.put_many([("secret", secret), ("keep", keep)])
    probe = secret[1000:1064]
    assert probe in _files_bytes(tmp_path), "the check must see a stored log"
    sp.delete("secret")
    on_disk = _files_bytes(tmp_path)
    assert probe not in on_disk and secret[50_000:50_064] not in on_disk
    assert keep[1000:1064] in on_disk  # the neighbour is untouched
    assert sp.get("keep") == keep


def test_a_failed_batch_stores_nothing(tmp_path: Path) -> None:
    sp = FileSpool(tmp_path / "spool")
    sp.put("dup", b"first")
    with pytest.raises(Exception, match="UNIQUE"):
        sp.put_many([("new", b"x"), ("dup", b"again")])
    assert sp.keys() == {"dup"} and sp.get("dup") == b"first"


def test_sweep_keeps_only_what_jobs_need(tmp_path: Path) -> None:
    sp = FileSpool(tmp_path / "spool")
    sp.put_many([(k, pack(k)) for k in ("a", "b", "c")])
    assert sp.sweep({"b"}) == 2 and sp.keys() == {"b"}


def test_logs_spooled_as_files_by_earlier_versions_are_adopted(tmp_path: Path) -> None:
    d = tmp_path / "spool"
    d.mkdir()
    (d / "old.log.gz").write_bytes(pack("an old log"))
    (d / "half.123.tmp").write_bytes(b"partial")
    sp = FileSpool(d)
    assert sp.keys() == {"old"} and gzip.decompress(sp.get("old") or b"") == b"an old log"
    assert sorted(p.name for p in d.iterdir() if not p.name.startswith("spool.db")) == []


def test_threads_share_one_spool(tmp_path: Path) -> None:
    sp = FileSpool(tmp_path / "spool")

    def work(n: int) -> None:
        for i in range(50):
            sp.put(f"{n}-{i}", pack(f"log {n} {i}"))
            if i % 2:
                sp.delete(f"{n}-{i}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sp.keys() == {f"{n}-{i}" for n in range(6) for i in range(0, 50, 2)}
