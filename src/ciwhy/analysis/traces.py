"""A shell's trace of a script (`set -x`): the commands it ran, not what they printed.

A traced line starts with one `+` per level of nesting (`+ make`, `++ echo` inside a function
or a command substitution). What it says is the script's own text; and once the script has
caught a failure (`rc=$?` traced as `+ rc=1`, in an EXIT trap's handler or after `cmd ||`),
what follows is its reporting and cleanup, not the cause.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.library_index import Hits
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
