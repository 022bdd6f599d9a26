"""③ Kept build logs: redacted text, compressed with zstd, on the filesystem (under the data
directory) or in S3-compatible storage; served back by byte range for a viewer.

A log is one zstd frame. A range read decompresses as a stream up to the end of the range, so
reading the start of any log is cheap and the end of a large one costs one pass over it
(about 1 GB/s), never the whole text in memory.
"""

from __future__ import annotations

import io
import os
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

import zstandard

LEVEL = 6  # a build log compresses 10-20x at this level, at well over 100 MB/s


def compress(data: bytes) -> bytes:
    return zstandard.ZstdCompressor(level=LEVEL).compress(data)


def read_range(blob: bytes | io.BufferedIOBase, start: int, end: int | None) -> bytes:
    """Decompressed bytes [start, end) of a stored log (end None: to the end)."""
    src: Any = io.BytesIO(blob) if isinstance(blob, bytes) else blob
    out = bytearray()
    pos = 0
    with zstandard.ZstdDecompressor().stream_reader(src) as reader:
        while end is None or pos < end:
            chunk = reader.read(1 << 20)
            if not chunk:
                break
            lo, hi = max(start - pos, 0), len(chunk) if end is None else min(end - pos, len(chunk))
            if lo < hi:
                out += chunk[lo:hi]
            pos += len(chunk)
    return bytes(out)


class LogStore(Protocol):
    def put(self, tenant_id: str, run_id: str, data: bytes) -> str: ...
    def get(self, location: str) -> bytes: ...
    def delete(self, location: str) -> None: ...


@dataclass
class FileLogStore:
    """Files under `root`/<tenant>/<run>-<random>.log.zst, written atomically (rename)."""

    root: Path

    def put(self, tenant_id: str, run_id: str, data: bytes) -> str:
        rel = Path(tenant_id) / f"{run_id}-{uuid.uuid4().hex[:8]}.log.zst"
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = path.with_suffix(".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
        return f"file:{rel.as_posix()}"

    def _path(self, location: str) -> Path:
        rel = location.removeprefix("file:")
        path = (self.root / rel).resolve()
        if not path.is_relative_to(self.root.resolve()):
            raise ValueError(f"not a location of this store: {location!r}")
        return path

    def get(self, location: str) -> bytes:
        return self._path(location).read_bytes()

    def delete(self, location: str) -> None:
        self._path(location).unlink(missing_ok=True)


@dataclass
class S3LogStore:
    """Objects under s3://bucket/prefix/<tenant>/<run>-<random>.log.zst (boto3)."""

    bucket: str
    prefix: str
    client: Any

    @classmethod
    def from_url(cls, url: str, endpoint_url: str | None) -> S3LogStore:
        try:
            import boto3
        except ImportError as exc:  # pragma: no cover - depends on the install
            raise RuntimeError("S3 log storage needs boto3: pip install 'ciwhy[s3]'") from exc
        rest = url.removeprefix("s3://")
        bucket, _, prefix = rest.partition("/")
        if not bucket:
            raise ValueError(f"CIWHY_BUILD_LOG_STORE={url!r}: expected s3://bucket/prefix")
        client = boto3.client("s3", endpoint_url=endpoint_url)
        return cls(bucket, prefix.strip("/"), client)

    def _key(self, location: str) -> str:
        return location.removeprefix(f"s3://{self.bucket}/")

    def put(self, tenant_id: str, run_id: str, data: bytes) -> str:
        key = "/".join(p for p in (self.prefix, tenant_id,
                                   f"{run_id}-{uuid.uuid4().hex[:8]}.log.zst") if p)  # fmt: skip
        self.client.put_object(Bucket=self.bucket, Key=key, Body=data,
                               ContentType="application/zstd")  # fmt: skip
        return f"s3://{self.bucket}/{key}"

    def get(self, location: str) -> bytes:
        obj = self.client.get_object(Bucket=self.bucket, Key=self._key(location))
        return bytes(obj["Body"].read())

    def delete(self, location: str) -> None:
        self.client.delete_object(Bucket=self.bucket, Key=self._key(location))


def open_store(settings: Any) -> LogStore:
    where = settings.build_log_store
    if where == "file":
        return FileLogStore(Path(settings.data_dir) / "build-logs")
    if where.startswith("s3://"):
        return S3LogStore.from_url(where, settings.s3_endpoint_url)
    raise ValueError(f"CIWHY_BUILD_LOG_STORE must be file or s3://bucket/prefix (not {where!r})")


def count_lines(data: bytes) -> int:
    if not data:
        return 0
    return data.count(b"\n") + (0 if data.endswith(b"\n") else 1)


def chunks(data: bytes, size: int = 1 << 20) -> Iterator[bytes]:
    for i in range(0, len(data), size):
        yield data[i : i + size]
