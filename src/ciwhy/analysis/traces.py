"""A shell's trace of a script (`set -x`): the commands it ran, not what they printed.

A traced line starts with one `+` per level of nesting (`+ make`, `++ echo` inside a function
or a command substitution). What it says is the script's own text; and once the script has
caught a failure (`rc=$?` traced as `+ rc=1`, in an EXIT trap's handler or after `cmd ||`),
what follows is its reporting and cleanup, not the cause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import MAX_LINE, Hits
from ciwhy.analysis.lines import Lines

# A traced `echo`/`printf`: the line after it is what the script said, not a tool.
_ECHO_TRACE = re.compile(r"\+{1,3} (?:echo|printf) ")
# A nested trace (`++ cmd`): always the shell's (a tool's own `+ ` lists packages).
_NESTED = re.compile(r"\+{2,3} \S")
# The script keeping a failed command's status: `+ rc=1`, `++ local status=2`.
_CAUGHT = re.compile(
    r"\+{1,3} (?:local )?(?:rc|ret|retval|status|exit_?code|exit_?status|code|result|err)"
    r"=[1-9]\d{0,2}\s*$",
    re.IGNORECASE,
)
# A bare function call (`+ on_exit`): the handler that then reads the status.
_CALL = re.compile(r"\+{1,3} [\w:.-]+\s*$")


def echoed(lines: Sequence[str], hits: Hits, i: int, line: str) -> bool:
    """Whether line i (`line`) is a shell's trace of a command (the command, not what it
    printed: the scan reads a single-level one as a step), or what a traced `echo` printed."""
    if (line[:2] == "+ " and "step" in hits.features.get(i, ())) or _NESTED.match(line):
        return True
    return _ECHO_TRACE.match(line) is not None or (
        i > 0 and (above := lines[i - 1])[:1] == "+" and _ECHO_TRACE.match(above) is not None
    )


#: How far before the job's end a script's failure handler is looked for.
REACH = 300


def caught(lines: Sequence[str], start: int, end: int) -> int | None:
    """Where a traced script's handling of a failure begins, among the REACH lines before
    `end` and after `start` (the call of the handler that then keeps the status, or the keeping
    itself), if it does."""
    found = None
    low = max(start, end - REACH, 0)
    if isinstance(lines, Lines) and not lines.any_starts_with("+", low, end):
        return None  # (no traced line there: one search of the text)
    for i in range(end - 1, low - 1, -1):
        line = lines[i]
        if line[:1] == "+" and _CAUGHT.match(line):
            found = i - 1 if i > start and _CALL.match(lines[i - 1]) else i
    return found


#: A step as `structure` reads it: its line, its kind (CI section, `$ cmd` echo, `+ cmd` trace:
#: PLUS), its name and its command.
Kind = tuple[int, int, str | None, str | None]
PLUS = 0


#: Output that says why something failed (as locate reads it: an error with its location, an
#: exception, a crash; not a bare `FAILED`, which a script's own summary says too).
_SAYS_WHY = frozenset(
    ("located_error", "error_colon", "error_word", "exception", "panic", "crash", "traceback")
)


#: A shell's trace of `|| true` (or `|| :`) running: the command traced before it failed, and
#: the script went on regardless.
OR_TRUE = re.compile(r"^\+{1,3} (?:true|:)\s*$")
_ECHO_OR_TRUE = re.compile(r"\|\|\s*(?:true|:)\s*$")


#: Jenkins' Docker plugin asks whether an image is there before it pulls it (`+ docker inspect
#: -f . node:20`, then `Error: No such object: node:20` when it is not): a question, not a failure.
_DOCKER_PROBE = re.compile(r"^\+ docker inspect -f \. \S+\s*$")
#: How far the probe's answer may run.
PROBE_LINES = 4


def ignored_failures(lines: Sequence[str], hits: Hits, fail: int) -> dict[int, int]:
    """Where a traced script ignored a failed command: the `+ true` line (or the last line of
    the Docker plugin's probe's answer), and the line of the command's trace before it."""
    steps = [i for i in hits.roles.get("step", ()) if i < fail]
    found = {
        i: steps[k - 1]
        for k, i in enumerate(steps)
        if k and lines[i][:1] == "+" and OR_TRUE.match(lines[i]) and lines[steps[k - 1]][:1] == "+"
    }
    for k, i in enumerate(steps):
        line, end = lines[i][:MAX_LINE], steps[k + 1] if k + 1 < len(steps) else fail
        if line[:2] in ("$ ", "+ ") and _ECHO_OR_TRUE.search(line):
            # (a CI's echo or a shell's trace of a command that ignores its failure: `$ cc-test-
            # reporter ... || true`; its output runs to the next step)
            pass
        elif line[:1] == "+" and _DOCKER_PROBE.match(line):
            end = min(end, i + 1 + PROBE_LINES)
        else:
            continue
        if end - 1 > i:
            found[end - 1] = i
    return found


#: A traced command that tells people of the failure: a mail, a chat or webhook message.
_NOTIFIES = re.compile(
    r"(?i)^(?:mail|mailx|sendmail)\b|\b(?:slack|webhook|ntfy|notif\w*)\b|hook_?url\b|\bhooks\.\w"
)


def traced_failure(hits: Hits, kinds: list[Kind], fail: int, ignored: dict[int, int]) -> list[Kind]:
    """A traced script's (`set -x`) steps up to the one that failed: a script that goes on
    after a failure (`|| status=$?`, an EXIT trap) traces its reports and cleanup after the
    failing command, which alone printed why. The last traced command whose output says why
    failed, when a later one said nothing of the kind; else all of them."""
    for k in range(len(kinds) - 1, -1, -1):
        if kinds[k][1] > PLUS:
            break
        end = kinds[k + 1][0] if k + 1 < len(kinds) else fail
        if end < fail and end in ignored:
            continue  # (`cmd || true`: the script ignored what it printed)
        if (command := kinds[k][3]) and _NOTIFIES.search(command):
            continue  # (a mail or a webhook about the failure: what it printed is its own)
        if any(
            j in hits.signatures or not _SAYS_WHY.isdisjoint(hits.features.get(j, ()))
            for j in range(kinds[k][0] + 1, end)
        ):
            return kinds[: k + 1]
    return kinds
