"""The job's structure: where the failing step starts, where the failure is declared, the
failing command and its exit code. Lines after the failure marker are never the cause."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from ciwhy.analysis.gha import GHA_FAILED, GHA_RUN, action_failed, gha_script, job_failure
from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.traces import PLUS, caught, ignored_failures, traced_failure
from ciwhy.analysis.vocabulary import STEP_CAPTURES, STRUCTURE_CAPTURES

_STEP = tuple(re.compile(p) for p in STEP_CAPTURES)
_FAIL = tuple(re.compile(p) for p in STRUCTURE_CAPTURES)
# Step kinds by strength: CI sections beat shell echoes (`$ cmd`), which beat `+ cmd` traces.
_SECTION, _DOLLAR, _PLUS = 2, 1, PLUS
# GitHub opens every step with `##[group]Run ...`; its other groups (`Fetching submodules`, a
# script's own `::group::`) are parts of a step.
_RUN_STEP = 3


@dataclass(frozen=True, slots=True)
class Structure:
    fail_line: int  # 0-based index of the failure marker, or len(lines) when none
    step_line: int  # 0-based index where the failing step starts (-1: the log's start)
    step_name: str | None
    command: str | None
    exit_code: int | None
    marker: str | None  # the failure marker line, as the CI printed it


# A script's own bookkeeping after a failed command (`exit 1`, `echo "build failed"`): never the
# command that failed.
_BAILS_OUT = re.compile(r"(?:exit|return)(?: -?\d{1,3})?\s*$|false\s*$|(?:echo|printf)\b")
# A tool's own `+ ` line, not a shell's trace: a package listed with its version (pnpm's
# `+ vitest 1.6.0`), a plugin with its own (`+ ruleset.aws (0.30.0)`), an installer's prose.
_LISTED = re.compile(r"\S+ (?:v?\d+\.\d+|\()|[^:]{0,80}: https?://|[A-Z][a-z]+(?: [a-z]+){2}")


#: The first line of a step in a CI that groups each step's output (GitHub Actions' `Run`
#: groups, GitLab's sections).
_GROUPED_STEP = re.compile(r"^##\[group\]Run |^section_start:\d+:")


def grouped(lines: Sequence[str], st: Structure) -> bool:
    """Whether the failing step is one of a CI's groups of a step's output, and the CI marked
    its failure: the groups before it are steps that passed."""
    return (
        st.marker is not None
        and st.step_line >= 0
        and bool(_GROUPED_STEP.match(lines[st.step_line]))
    )


#: GitLab's section of the job's script: it runs its commands one after the other and stops at
#: the first that fails.
_GITLAB_SCRIPT = re.compile(r"^section_start:\d+:(?:step_script|build_script)\b")


def failing_echo(lines: Sequence[str], st: Structure) -> int | None:
    """Where GitLab echoed the command that failed (`$ cmd`, the last in its script section):
    the commands echoed before it succeeded, so their output is not the cause."""
    if st.command is None or st.step_line < 0 or not _GITLAB_SCRIPT.match(lines[st.step_line]):
        return None
    wanted = st.command.strip()
    for j in range(st.fail_line - 1, st.step_line, -1):
        line = lines[j]
        if line.startswith("$ ") and line[2:].strip() == wanted:
            return j
    return None


def _step_kind(line: str) -> tuple[int, str | None, str | None]:
    for rx in _STEP:
        m = rx.match(line)
        if m:
            groups = m.groupdict()
            if "run" in groups:
                run = groups["run"].strip()
                return _RUN_STEP, run, run
            if "command" in groups:
                if _BAILS_OUT.match(groups["command"]) or (
                    line.startswith("+") and _LISTED.match(groups["command"])
                ):
                    return -1, None, None
                kind = _PLUS if line.startswith("+") else _DOLLAR
                return kind, None, groups["command"].strip()
            name = groups.get("name", "").strip()
            if name.endswith(" ---"):  # (.NET's `--- End of stack trace ... ---` separates)
                return -1, None, None
            return _SECTION, name or None, None
    return -1, None, None


#: Travis prints a command that spans lines as `The command "first line` ... `last" exited with 1.`
_CLOSES_COMMAND = re.compile(r'^([^"]{0,300})" (?:exited|failed) with \d+')
_OPENS_COMMAND = 'The command "'
MULTILINE_COMMAND_LINES = 200


def _multiline_command(lines: Sequence[str], fail: int) -> tuple[int, str] | None:
    """Where the echo of a command spanning lines opens, and the command."""
    for i in range(fail - 1, max(-1, fail - MULTILINE_COMMAND_LINES), -1):
        if lines[i].startswith(_OPENS_COMMAND):
            last = _CLOSES_COMMAND.match(lines[fail])
            body = [lines[i][len(_OPENS_COMMAND) :], *lines[i + 1 : fail]]
            if last and last.group(1):
                body.append(last.group(1))
            return i, "\n".join(x[:MAX_LINE] for x in body).strip()
    return None


def _last_nonblank(lines: Sequence[str]) -> int:
    i = len(lines) - 1
    while i > 0 and not lines[i].strip():
        i -= 1
    return i


#: A retry notice under a failure marker (Jenkins' `retry` prints `Retrying`): that attempt's
#: failure was not the job's.
_RETRIED = re.compile(
    r"(?i)^(?:Retrying\b|Will retry\b|Retry(?:ing)? attempt\b|Attempt \d+ failed)"
)
RETRY_LOOKAHEAD = 3


def _retried(lines: Sequence[str], i: int) -> bool:
    for j in range(i + 1, min(len(lines), i + 1 + RETRY_LOOKAHEAD)):
        if _RETRIED.match(lines[j].strip()):
            return True
    return False


def _code(marker: str) -> int | None:
    for rx in _FAIL:
        m = rx.search(marker)
        if m and m.groupdict().get("code") is not None:
            return int(m.group("code"))
    return None


_POINTS_BACK = "^^^ +++"


def _is_output(line: str, is_step: bool) -> bool:
    return not is_step and bool(line.strip()) and not line.startswith(_POINTS_BACK)


JENKINS_POST = "[Pipeline] { (Declarative: Post Actions)"
JENKINS_END = "[Pipeline] End of Pipeline"
#: A declarative pipeline's stage after the one that failed (the end of the job's own work).
_JENKINS_SKIPPED = re.compile(r'^Stage "[^"]{1,200}" skipped due to earlier failure')


def jenkins_pipeline_end(lines: Sequence[str], hits: Hits, start: int, limit: int) -> int | None:
    """Jenkins' `End of Pipeline` line after `start` and before `limit`, if any."""
    noise = hits.roles.get("noise", ())
    return next((i for i in noise if start < i < limit and lines[i].startswith(JENKINS_END)), None)


def _aborted_after_post(lines: Sequence[str], hits: Hits, end: int, marker: int) -> bool:
    """Whether Jenkins printed the error that aborted the pipeline after its post actions
    (between `End of Pipeline` and `Finished: FAILURE`), the job's work having ended with them
    or with a stage skipped after the failure: then that error, not the post actions' work,
    ends the job's own output. (After skipped stages, only an error not printed before: a
    repeated one, `ERROR: Error cloning remote repo 'origin'`, was said where it happened.)"""
    skipped = _JENKINS_SKIPPED.match(lines[end]) is not None
    if not (skipped or lines[end].startswith(JENKINS_POST)):
        return False
    closing = jenkins_pipeline_end(lines, hits, end, marker)
    if closing is None:
        return False
    said = [lines[j] for j in range(closing + 1, marker) if lines[j].strip()]
    if skipped and said:
        return said[0] not in set(lines[:end])
    return bool(said)


_FOLD_START, _FOLD_END = "travis_fold:start:", "travis_fold:end:"


def _closed_folds(lines: Sequence[str], hits: Hits, upto: int) -> dict[str, list[int]]:
    """Where each Travis fold was closed before `upto` (`travis_fold:end:NAME`, a noise line)."""
    ends: dict[str, list[int]] = {}
    for j in hits.roles.get("noise", ()):
        if j >= upto:
            break
        if (line := lines[j]).startswith(_FOLD_END):
            ends.setdefault(line[len(_FOLD_END) :].strip(), []).append(j)
    return ends


def _fold_closed(line: str, i: int, ends: dict[str, list[int]]) -> bool:
    """Whether line i opens a Travis fold that one of `ends` closes after it."""
    if not line.startswith(_FOLD_START):
        return False
    return any(j > i for j in ends.get(line[len(_FOLD_START) :].strip(), ()))


def action_error(st: Structure) -> bool:
    """Whether the job's failure marker is a GitHub Action's own error message (`##[error]
    Failed to restore cache entry...`), not a run step's exit code."""
    return (
        st.marker is not None
        and st.marker.startswith("##[error]")
        and not st.marker.startswith(GHA_FAILED)
        and _code(st.marker) is None
    )


def find(lines: Sequence[str], hits: Hits) -> Structure:
    markers = [i for i in hits.roles.get("fail", []) if not _retried(lines, i)]
    ends = hits.roles.get("end", [])
    ended = bool(ends) and (not markers or ends[0] < markers[0])
    post = None  # where Jenkins' post actions start, when the aborting error comes after them
    if ended and markers and _aborted_after_post(lines, hits, ends[0], markers[0]):
        ended, post = False, ends[0]
    if ended or not markers:
        # (no step said it exited with a code: an action that failed says why in its own
        # `##[error]` line, and the steps after it ran because they run on failure)
        said = action_failed(hits, ends[0] if ends else len(lines))
        if said is not None:
            markers, ended = [said], False
    if ended:
        markers = [ends[0]]  # post-job work began before any failure marker
    elif ends:
        markers = [i for i in markers if i < ends[0]]
    fail = job_failure(lines, hits, markers) if markers else _last_nonblank(lines) + 1
    command: str | None = None
    code: int | None = None
    marker = lines[fail][:MAX_LINE] if markers else None
    if marker is not None:
        for rx in _FAIL:
            m = rx.search(marker)
            if m:
                g = m.groupdict()
                command = command or g.get("command")
                if g.get("code") is not None and code is None:
                    code = int(g["code"])
    if marker is not None and code is None:
        # The marker that ended the output says no code (GitLab's `section_start:` of its
        # after-failure work): the job's final verdict does (`ERROR: Job failed: exit code 1`).
        later = (i for i in hits.roles.get("fail", ()) if i > fail)
        code = next((c for i in later if (c := _code(lines[i][:MAX_LINE])) is not None), None)
    if command is not None and '\\"' in command:  # (Travis escapes the quotes it quotes)
        command = command.replace('\\"', '"')
    if marker is not None and command is None and _CLOSES_COMMAND.match(marker):
        opened = _multiline_command(lines, fail)
        if opened is not None:  # the command's echo is not output: the failure starts there
            fail, command = opened
            marker = lines[fail][:MAX_LINE]
    # Where the failing step starts: the echo of the failing command when the CI names it,
    # otherwise the last step of the strongest kind before the failure.
    steps = [i for i in hits.roles.get("step", []) if i < (fail if post is None else post)]
    if ended:
        # The job's post work began (a CI's end marker, no failure marker): steps opened just
        # before it, with no output of their own, never ran (Jenkins opens each stage it skips).
        step_lines = set(steps)
        while steps and all(
            j in step_lines or not lines[j].strip() for j in range(steps[-1] + 1, fail)
        ):
            steps.pop()
    # A section opened just before the failure, with no output of its own, is a script's
    # banner for the failure (Buildkite's `+++ :boom: tests failed` then `^^^ +++`, which
    # points back at the section above): the failing step is an earlier one.
    step_lines = set(steps)
    kind_of = {i: _step_kind(lines[i][:MAX_LINE]) for i in steps}  # (read once, used below)
    sections = [k for k, i in enumerate(steps) if kind_of[i][0] == _SECTION]
    while sections:
        at = steps[sections[-1]]
        points_back = at + 1 < fail and lines[at + 1].startswith(_POINTS_BACK)
        if not points_back and any(
            _is_output(lines[j], j in step_lines) for j in range(at + 1, fail)
        ):
            break
        del steps[sections.pop() :]  # (with the commands run under the banner)
    start, name, best = -1, None, -1
    if command:
        for i in reversed(steps):
            if lines[i][2:].strip() == command.strip():
                start, best = i, _RUN_STEP + 1
                break
    if best < 0:
        kinds = [(i, *kind_of[i]) for i in steps]
        if kinds and kinds[-1][1] != _SECTION:
            # (a Travis fold closed before the last command echoed held a phase that passed:
            # the script's commands after it are not folded)
            closed = _closed_folds(lines, hits, kinds[-1][0])
            kinds = [
                k for k in kinds if k[1] != _SECTION or not _fold_closed(lines[k[0]], k[0], closed)
            ]
        strongest = max((k for _, k, _, _ in kinds), default=-1)
        if strongest == _PLUS:  # (a traced script: its last commands may be its cleanup)
            # (where the script caught the failure, `+ rc=1`, its handler's commands begin)
            handled = caught(lines, kinds[0][0] + 1, fail)
            kinds = traced_failure(
                hits,
                [k for k in kinds if handled is None or k[0] < handled],
                fail if handled is None else handled,
                ignored_failures(lines, hits, fail),
            )
        for i, kind, step_name, step_command in reversed(kinds):
            if kind == strongest:
                start, name, command = i, step_name, command or step_command
                break
    if command is None:  # the last shell echo inside the step is the command that failed
        for i in reversed(steps):
            if i <= start:
                break
            _, _, echoed = kind_of[i]
            if echoed:
                command = echoed
                break
    if 0 <= start < fail - 1 and lines[start].startswith(GHA_RUN):
        command = gha_script(lines, start, fail) or command
    if command is None and 0 <= start < fail - 1 and lines[start].startswith("#!"):
        # CircleCI opens a run step with its shell's `#!/bin/bash -eo pipefail`, then the
        # command as written
        command = lines[start + 1].strip()[:MAX_LINE] or None
    if start >= 0 and name is None:
        name = command
    return Structure(fail, start, name, command, code, marker)
