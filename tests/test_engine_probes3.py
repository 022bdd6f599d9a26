"""Shapes found by the fifth round of probe logs (helper-written realistic failed logs of
GitHub monorepos, older Travis projects, systems languages and platform failures): each test
is the generic rule a miss showed, on a log cut down to that shape."""

from __future__ import annotations

from ciwhy.analysis import analyse
from tests.test_engine_probes2 import _gha

CONTINUED = """\
##[group]Run npm run lint:experimental
npm run lint:experimental
shell: /usr/bin/bash -e {0}
##[endgroup]
/home/runner/work/app/app/src/log.ts
  4:3  error  Unexpected console statement  no-console

✖ 1 problem (1 error, 0 warnings)

##[error]Process completed with exit code 1.
##[group]Run npm test
npm test
shell: /usr/bin/bash -e {0}
##[endgroup]
 FAIL  src/cart.test.ts > cart > applies discount
AssertionError: expected 100 to be 90 // Object.is equality
 Test Files  1 failed | 1 passed (2)
##[error]Process completed with exit code 1.
{after}Post job cleanup.
[command]/usr/bin/git version
"""

UPLOAD = """\
##[group]Run cat build/reports/*.log
cat build/reports/*.log
shell: /usr/bin/bash -e {0}
##[endgroup]
cat: 'build/reports/*.log': No such file or directory
##[error]Process completed with exit code 1.
"""


def test_a_step_allowed_to_fail_is_not_the_jobs_failure() -> None:
    # GitHub runs no step after a failed one unless it was allowed to fail: the later failing
    # step failed the job.
    a = analyse(_gha(CONTINUED.replace("{after}", "")))
    assert a.failing_step is not None and a.failing_step.command == "npm test"
    assert a.root_cause_line == 16
    assert a.category == "test"


def test_a_step_that_runs_after_the_failure_to_show_logs_is_not_the_jobs_failure() -> None:
    a = analyse(_gha(CONTINUED.replace("{after}", UPLOAD)))
    assert a.failing_step is not None and a.failing_step.command == "npm test"
    assert a.root_cause_line == 16
