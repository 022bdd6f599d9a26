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
#: uploading logs, artifacts and reports, notifying, cleaning up. (Not every upload: `twine
#: upload` after an allowed failure publishes the package.)
_AFTER_FAILURE = re.compile(
    r"(?i)artifact|report|notif|slack|clean|\blogs?\b|teardown|coverage|codecov|summary"
    r"|\bcomment\b|create_?comment|screenshot|\bresults?\b|upload[-_]|sarif"
    r"|dump|debug|diagnos|\bcat\b|\btail\b"
)

#: A script that starts by building or testing the project is its work, whatever its arguments
#: name (`dotnet test --logger "trx;LogFileName=test-results.trx"`).
_WORK = re.compile(
    r"(?i)^\s*(?:dotnet (?:test|build)|(?:python3? -m )?pytest|(?:npm|yarn|pnpm) (?:run )?test"
    r"|(?:go|cargo) (?:test|build)|mvn|\./gradlew|gradle|bundle exec (?:rspec|rake)|tox|nox"
    r"|make(?:\s+-\S+)*(?:\s+(?:test|check|build|all)\b|\s*$)"
    r"|ctest|swift (?:test|build)|mix test)\b"
)

# A step that runs an action (`uses: docker/build-push-action@v6`), not a script.
_ACTION = re.compile(r"^##\[group\]Run [\w.-]+/[\w./-]+@\S+\s*$")

_OPTION = re.compile(r"\s-{1,2}[\w-]+(?:=\S*)?")


def _inputs(lines: Sequence[str], start: int, end: int) -> str:
    """The `with:` inputs an action's step shows under its title, up to its `##[endgroup]`."""
    shown = []
    for i in range(start + 1, min(end, start + 1 + SCRIPT_LINES)):
        if lines[i].startswith("##[endgroup]"):
            break
        shown.append(lines[i][:MAX_LINE])
    return "\n".join(shown)


def _without_options(command: str) -> str:
    """A command without its options: `pytest --cov-report=xml` reads as a test run, not as
    reporting."""
    return _OPTION.sub("", command)


def job_failure(lines: Sequence[str], hits: Hits, markers: list[int]) -> int:
    """Which step's failure failed the job: a run step's `Process completed with exit code N`,
    or an action's own `##[error]` lines (an action reports no exit code). GitHub runs no step
    after a failed one unless the failed one was allowed to fail (`continue-on-error`) or the
    later one runs on failure (`if: always()`): a later step that failed, and whose work is
    not after-failure work (uploading logs, notifying, cleaning up), is the job's failure."""
    gha = [m for m in markers if lines[m].startswith(GHA_FAILED)]
    if not gha:
        return _azure_failure(lines, hits, markers)
    steps = [i for i in hits.roles.get("step", []) if lines[i].startswith(GHA_RUN)]
    failures = sorted({*gha, *_actions_failed(lines, hits, steps)})
    chosen = failures[0]
    for m in failures[1:]:
        opened = [i for i in steps if chosen < i < m]
        if opened:
            # (the step's whole script: `curl -X POST \` names its webhook on the next line)
            script = gha_script(lines, opened[-1], m) or lines[opened[-1]][:MAX_LINE]
            if _ACTION.match(script):
                # (an action's inputs say what it does: github-script's `createComment`)
                script += "\n" + _inputs(lines, opened[-1], m)
            work = script.removeprefix(GHA_RUN)
            if _WORK.match(work) or not _AFTER_FAILURE.search(_without_options(script)):
                chosen = m
    if chosen not in gha:
        return chosen  # (an action's error)
    if chosen == gha[0] and (chosen == failures[0] or markers[0] < failures[0]):
        return markers[0]
    # (the first marker of the chosen step: a tool's `exit status 3` before GitHub's own)
    step = max(i for i in steps if i < chosen)
    return next(m for m in markers if step < m <= chosen)


AZURE_TASK = "##[section]Starting: "
# An Azure Pipelines task's failure: `##[error]Bash exited with code '1'.`, `##[error]Error: The
# process '/usr/bin/dotnet' failed with exit code 1`.
_AZURE_FAILED = re.compile(r"^##\[error\].{0,300}(?:exited with code|failed with exit code) '?\d")


def _azure_failure(lines: Sequence[str], hits: Hits, markers: list[int]) -> int:
    """Which Azure Pipelines task failed the job: as on GitHub, a later task that failed, and
    whose name is not after-failure work, means the earlier one was allowed to fail
    (`continueOnError`); the first marker of that task."""
    failed = [m for m in markers if _AZURE_FAILED.match(lines[m][:MAX_LINE])]
    if len(failed) < 2:
        return markers[0]
    tasks = [i for i in hits.roles.get("step", []) if lines[i].startswith(AZURE_TASK)]
    chosen = failed[0]
    for m in failed[1:]:
        opened = [i for i in tasks if chosen < i < m]
        if opened and not _AFTER_FAILURE.search(lines[opened[-1]][len(AZURE_TASK) : MAX_LINE]):
            chosen = m
    if chosen == failed[0]:
        return markers[0]
    task = max(i for i in tasks if i < chosen)
    return next(m for m in markers if task < m <= chosen)


def _actions_failed(lines: Sequence[str], hits: Hits, steps: list[int]) -> list[int]:
    """Where each action step that failed said so, last, in its first burst of `##[error]`
    lines, up to the job's post-job work. (A run step's `##[error]` annotations are not its
    failure: its exit code is.)"""
    found = []
    errors = hits.roles.get("gha_error", ())
    ends = hits.roles.get("end", ())
    for k, start in enumerate(steps):
        if not _ACTION.match(lines[start]):
            continue
        end = steps[k + 1] if k + 1 < len(steps) else len(lines)
        j = bisect.bisect_right(ends, start)
        end = min(end, ends[j]) if j < len(ends) else end
        mine = [e for e in errors if start < e < end]
        if mine and not any(lines[e].startswith(GHA_FAILED) for e in mine):
            said = mine[0]
            for e in mine[1:]:
                if e - said > ACTION_ERROR_LINES:
                    break
                said = e
            found.append(said)
    return found


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
