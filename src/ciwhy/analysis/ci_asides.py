"""Asides of tools' and CI systems' own bookkeeping: `flutter doctor`'s report, R CMD check's
NOTEs, a BuildKit step that reached DONE, and Travis' verdicts on commands that succeeded, its
`after_success` phase and its preparation of the machine. Each function is a finder
(`asides.FINDERS` registers them)."""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import MAX_LINE, Hits

#: How long `flutter doctor`'s summary may run, and the line that ends it.
DOCTOR_LINES = 60
_DOCTOR_END = re.compile(r"^\W{0,3}(?:Doctor found issues in \d+ categor|No issues found!)")


def doctor(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """`flutter doctor`'s summary, to its closing `! Doctor found issues in 3 categories.`: what
    the machine lacks for platforms the job may not build (`✗ clang++ is required for Linux
    development.`); the doctor does not fail the job, a later step's own error says why."""
    spans = []
    for start in hits.roles.get("doctor", ()):
        for end in range(start + 1, min(fail, start + DOCTOR_LINES)):
            if _DOCTOR_END.match(lines[end]):
                spans.append((start, end))
                break
    return spans


_R_CHECK_NEXT = re.compile(r"^\* |^Status: ")
_R_CHECK_ERROR = re.compile(r"^\* checking .{1,300} \.\.\. ERROR\s*$|^\s*\[\d+s/\d+s\] ERROR\s*$")
#: How long the findings under one of R CMD check's checks may run.
R_CHECK_LINES = 200


def r_check_note(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """A check of R CMD check that ended with a NOTE (`* checking CRAN incoming feasibility
    ... NOTE`, a URL it could not reach under it) and the findings under it, to the next check:
    a NOTE fails no check. So does a WARNING where a check ended with an ERROR: that is why."""
    notes = [i for i in hits.roles.get("r_check_note", ()) if i < fail]
    if not notes:
        return []
    errors = any(_R_CHECK_ERROR.match(lines[i]) for i in range(notes[0], fail))
    spans = []
    for start in notes:
        if not errors and lines[start].rstrip().endswith("WARNING"):
            continue
        end = start + 1
        while end < min(fail, start + R_CHECK_LINES) and not _R_CHECK_NEXT.match(lines[end]):
            end += 1
        spans.append((start, end - 1))
    return spans


_BUILDKIT_LINE = re.compile(r"^#(\d{1,5}) ")
#: How far above its `#N DONE` a BuildKit step's header may stand.
BUILDKIT_LINES = 5000


def buildkit_done(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a BuildKit step that succeeded printed (`#8 [build 2/7] RUN apk add ...` to `#8
    DONE 12.2s`): a command its script retried, an error it let pass. Only a step whose output
    no other step's interleaves is read so (the reader keeps `#N` on the step's own lines)."""
    spans = []
    for done in hits.roles.get("buildkit_done", ()):
        if done >= fail:
            break
        step = lines[done].split(" ", 1)[0]
        for j in range(done - 1, max(-1, done - BUILDKIT_LINES), -1):
            m = _BUILDKIT_LINE.match(lines[j])
            if m is None:
                continue
            if "#" + m.group(1) != step:
                break  # (another step's line: interleaved output)
            if lines[j].startswith(step + " ["):
                spans.append((j + 1, done))
                break
    return spans


_COMMAND_OK = re.compile(r'^The command "(?P<command>.{0,2000})" exited with 0\.\s*$')
#: How far above Travis' verdict on a command its echo may stand.
COMMAND_LINES = 20000


def command_ok(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What a command printed that Travis then says exited with 0 (`$ golint ./...` to `The
    command "golint ./..." exited with 0.`): its findings failed nothing. (Travis runs each
    `script` command whatever the one before did: the failing one comes later.)"""
    spans = []
    steps = hits.roles.get("step", [])
    for ok in hits.roles.get("command_ok", ()):
        if ok >= fail:
            break
        m = _COMMAND_OK.match(lines[ok][:MAX_LINE])
        if m is None:
            continue
        echo = "$ " + m.group("command").replace('\\"', '"')
        k = bisect.bisect_left(steps, ok) - 1
        while k >= 0 and ok - steps[k] < COMMAND_LINES:
            if lines[steps[k]].rstrip() == echo:
                spans.append((steps[k] + 1, ok))
                break
            k -= 1
    return spans


_AFTER_SUCCESS = "travis_fold:start:after_success"
_FOLD_END = "travis_fold:end:after_success"


def travis_after_success(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """Travis' `after_success` phase (a coverage upload): its commands cannot fail the build,
    whatever they print (`X> Failed to upload`, `Yaml not found`); a deploy after it can."""
    spans: list[tuple[int, int]] = []
    folds = hits.roles.get("travis_phase_fold", ())
    for i, n in enumerate(folds):
        if n >= fail:
            break
        if lines[n].startswith(_AFTER_SUCCESS):
            end = next((m for m in folds[i + 1 :] if lines[m].startswith(_FOLD_END)), None)
            if end is not None and end < fail:
                spans.append((n, end))
    return spans


_CHECKOUT = "travis_fold:start:git.checkout"


def travis_preparation(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """What Travis printed preparing the machine before it cloned the repository (its hosts
    file, a certificate it could not delete, `yarn: command not found` from its own stages
    script): the job's work starts with the clone, after it."""
    for n in hits.roles.get("travis_phase_fold", ()):
        if n >= fail:
            break
        if lines[n].startswith(_CHECKOUT):
            return [(0, n)] if n else []
    return []


_SETUP_FOLD = re.compile(r"^travis_fold:start:((?:before_)?install(?:\.\d+)?)\s*$")


def travis_setup(lines: Sequence[str], hits: Hits, fail: int) -> list[tuple[int, int]]:
    """Travis' `before_install` and `install` phases that ended before the failure: Travis stops
    the build when one of their commands fails, so one that closed its fold and let the
    `script` phase run succeeded, whatever its commands warned (`dep ensure`'s `✗ pkg`)."""
    spans = []
    opened: dict[str, int] = {}
    for n in hits.roles.get("travis_phase_fold", ()):
        if n >= fail:
            break
        line = lines[n]
        if (m := _SETUP_FOLD.match(line)) is not None:
            opened[m.group(1)] = n
        elif line.startswith("travis_fold:end:"):
            start = opened.pop(line[len("travis_fold:end:") :].strip(), None)
            if start is not None:
                spans.append((start, n))
    return spans
