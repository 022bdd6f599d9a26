"""GitHub Actions' shape of a failure: which step's `Process completed with exit code N`
failed the job, an action's own `##[error]` lines where no step reports a code, and a run
step's whole script."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import MAX_LINE, Hits

GHA_RUN = "##[group]Run "
#: GitHub prints a run step's script under its `##[group]Run first line`, then `shell: ...`.
SCRIPT_LINES = 40


def gha_script(lines: Sequence[str], start: int, fail: int) -> str | None:
    """A GitHub run step's whole script, when it has more than one line (its group's title
    names only the first)."""
    first = lines[start][len(GHA_RUN) : MAX_LINE].strip()
    script: list[str] = []
    for i in range(start + 1, min(fail, start + 1 + SCRIPT_LINES)):
        line = lines[i][:MAX_LINE]
        if line.startswith(("shell: ", "##[endgroup]")) or line in ("with:", "env:"):
            if script and script[0].strip() != first:  # (the body repeats the title's line)
                script.insert(0, first)
            return "\n".join(script) if len(script) > 1 else None
        script.append(line.rstrip())
    return None


GHA_FAILED = "##[error]Process completed with exit code"


#: A step's command that reads as work done because an earlier step failed (or always):
#: uploading logs and reports, notifying, cleaning up.
_AFTER_FAILURE = re.compile(
    r"(?i)upload|artifact|report|notif|slack|clean|\blogs?\b|teardown|coverage|codecov|summary"
    r"|\bcomment\b"
    r"|dump|debug|diagnos|\bcat\b|\btail\b"
)


# A step that runs an action (`uses: docker/build-push-action@v6`), not a script.
_ACTION = re.compile(r"^##\[group\]Run [\w.-]+/[\w./-]+@\S+\s*$")

_OPTION = re.compile(r"\s-{1,2}[\w-]+(?:=\S*)?")


def _without_options(command: str) -> str:
    """A command without its options: `pytest --cov-report=xml` reads as a test run, not as
    reporting."""
    return _OPTION.sub("", command)


def job_failure(lines: Sequence[str], hits: Hits, markers: list[int]) -> int:
    """Which of GitHub's `Process completed with exit code N` markers failed the job. GitHub
    runs no step after a failed one unless the failed one was allowed to fail
    (`continue-on-error`) or the later one runs on failure (`if: always()`): a later run step
    that failed, and whose command is not after-failure work (uploading logs, notifying,
    cleaning up), is the job's failure."""
    gha = [m for m in markers if lines[m].startswith(GHA_FAILED)]
    if not gha:
        return markers[0]
    steps = [i for i in hits.roles.get("step", []) if lines[i].startswith(GHA_RUN)]
    # (an action that failed says so in its own `##[error]` lines, with no exit code: the
    # steps after it ran because they run on failure, unless they are the job's own work)
    action = action_failed(hits, gha[0])
    k = bisect.bisect_right(steps, action if action is not None else -1) - 1
    if action is None or k < 0 or steps[k] > action or not _ACTION.match(lines[steps[k]]):
        action = None
    elif not any(action < i < gha[0] for i in steps):
        action = None  # (the same step's annotations: its exit code says whether it failed)
    runs = [i for i in steps if i > (gha[0] if action is None else action)]
    chosen = gha[0] if action is None else action
    for m in gha[1 if action is None else 0 :]:
        opened = [i for i in runs if chosen < i < m]
        if opened:
            # (the step's whole script: `curl -X POST \` names its webhook on the next line)
            script = gha_script(lines, opened[-1], m) or lines[opened[-1]][:MAX_LINE]
            if not _AFTER_FAILURE.search(_without_options(script)):
                chosen = m
    if chosen == action:
        return chosen
    if chosen == gha[0]:
        return markers[0]
    # (the first marker of the chosen step: a tool's `exit status 3` before GitHub's own)
    step = max(i for i in runs if i < chosen)
    return next(m for m in markers if step < m <= chosen)


#: An action's error lines follow each other this closely (`##[error]HttpError: Not Found`,
#: its stack, then `##[error]Failed to create deployment`).
ACTION_ERROR_LINES = 10


def action_failed(hits: Hits, limit: int) -> int | None:
    """The last of the first burst of `##[error]` lines before `limit` (in one step), if any:
    where a GitHub Action that failed finished saying why."""
    errors = [i for i in hits.roles.get("gha_error", ()) if i < limit]
    if not errors:
        return None
    steps = hits.roles.get("step", [])  # (sorted)
    said = errors[0]
    for e in errors[1:]:
        # (a step opened between them: the later error is another step's)
        if e - said > ACTION_ERROR_LINES or bisect.bisect_left(steps, e) > bisect.bisect_right(
            steps, said
        ):
            break
        said = e
    return said
