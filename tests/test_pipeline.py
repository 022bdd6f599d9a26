"""The analysis process pool survives a process killed from outside."""

from __future__ import annotations

import os
import signal
from concurrent.futures.process import BrokenProcessPool

import pytest

from ciwhy.pipeline import AnalysisPool

LOG = b"$ make\nsrc/a.c:3:1: error: expected ';' before '}' token\nmake: *** [all] Error 1\n"


def test_a_killed_analysis_process_is_replaced() -> None:
    pool = AnalysisPool(1)
    try:
        assert pool.analyse(LOG).root_cause_line == 2
        for pid in list(pool._pool._processes):  # type: ignore[attr-defined]
            os.kill(pid, signal.SIGKILL)  # as the OOM killer would
        with pytest.raises(BrokenProcessPool):
            pool.analyse(LOG)  # the job that was running fails (and is retried by the worker)
        assert pool.analyse(LOG).root_cause_line == 2  # a new pool takes the next one
    finally:
        pool.shutdown()
