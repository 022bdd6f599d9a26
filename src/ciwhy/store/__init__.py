"""③ ⑤ Storage: tenants and tokens, analyses, the jobs queue, and the reads the API serves.

`Store.open(url)` is explicit; nothing connects at import time.
"""

from __future__ import annotations

from ciwhy.store.store import Store

__all__ = ["Store"]
