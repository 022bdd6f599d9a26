"""A runner's verdict, summary or detail line yields to the report it closes, printed above it.

Some runners print why a test failed before the line that says it failed (ERT's `Test x
condition:` then `   FAILED  17/34  x`), or a detail under the line that names the failed check
(vader's `(X)` check, then `- Expected:`; Test::More's `#   Failed test 'name'`, then where).
Each rule: the chosen line's shape, the shape of the line above it to go to, how far above it
may be, and which line of it says why (0: that line, 1: the one under it). A tool's summary
(`[ERROR] Found 2 errors`, `leaks found: 1`) yields to the first finding of the report above it
(SUMMARIES).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.chains import at
from ciwhy.analysis.library_index import MAX_LINE
from ciwhy.analysis.locate import Candidate

ABOVE: tuple[tuple[re.Pattern[str], re.Pattern[str], int, int], ...] = (
    # ERT (Emacs' test runner): `   FAILED  17/34  name`, after `Test name condition:` and the
    # condition indented under it, `    (wrong-type-argument number-or-marker-p nil)`
    (
        re.compile(r"^\s*FAILED\s+\d+/\d+\s+\S"),
        re.compile(r"^Test \S{1,300} condition:\s*$"),
        60,
        1,
    ),
    # vader.vim: the `(X)` of the check that failed, over its `- Expected:` / `- Got:` lines
    (
        re.compile(r"^\s+- (?:Expected|Got):\s*$"),
        re.compile(r"^\s*\(\s*\d+/\s*\d+\) \[\s*\w+\] \(X\) \S"),
        3,
        0,
    ),
    # Bundler's `An error occurred while installing x (1.0), and Bundler cannot continue.`
    # after a native extension's build: what its extconf said it lacks (`*** icu required
    # (... apt-get install libicu-dev) ***`, `Can't find the 'libpq-fe.h header`)
    (
        re.compile(r"^An error occurred while installing \S+ \(\S+\), and Bundler cannot continue"),
        re.compile(
            # (pg's extconf says `Can't find the 'libpq-fe.h header`, its quote unclosed)
            r"^\*{3,} (?!extconf\.rb failed)\S.{0,300} \*{3,}\s*$"
            r"|^Can't find the '.{1,200}?'? ?header"
            r"|^ERROR: cannot discover where .{1,200} is located"
            # (or RubyGems' own refusal just above: `Gem::RuntimeRequirementNotMetError: sidekiq
            # requires Ruby version >= 2.5.0`)
            r"|^Gem::(?:\w{1,100}::)?\w{1,100}Error: \S"
        ),
        # (Bundler's backtrace of its installer may stand between: `--verbose`, `DEBUG=1`)
        150,
        0,
    ),
    # rcmdcheck's closing `1 error ✖ | 0 warnings ✔ | 0 notes ✔`: the failed check above it, a
    # testthat failure in its output first
    (
        re.compile(r"^\s*\d+ errors? ✖ \|"),
        re.compile(r"^\s*── (?:\d+\. )?(?:Failure|Error)\b|^\s{0,2}E\s{2}\S"),
        400,
        0,
    ),
    # Test::More: a test script that died (`# Looks like your test exited with 255 just after
    # 3.`) after Perl's message of why (`Can't call method "x" on an undefined value at
    # lib/X.pm line 64.`)
    (
        re.compile(r"^# Looks like your test exited with \d+ (?:just after|before)"),
        re.compile(r"^[^#\s].{0,500} at \S{1,300} line \d+\.$"),
        20,
        0,
    ),
    # Test::More: `#   at t/x.t line 41.` names where the test it follows failed
    (
        re.compile(r"^#\s{1,4}at \S{1,300} line \d+\."),
        re.compile(r"^#\s{1,4}Failed (?:\(TODO\) )?test '"),
        1,
        0,
    ),
)


def past_verdict(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The report above a chosen verdict or detail line (ABOVE); else `chosen`."""
    if chosen is None:
        return None
    line = lines[chosen.index][:MAX_LINE]
    for verdict, report, reach, offset in ABOVE:
        if not verdict.match(line):
            continue
        for j in range(chosen.index - 1, max(-1, chosen.index - 1 - reach), -1):
            if report.match(lines[j][:MAX_LINE]):
                return at(cands, min(j + offset, chosen.index), chosen)
    return chosen


#: A summary that yields to the first finding of the report above it: (the summary, the
#: report's file header, a finding under that header, how far above the summary it may start).
SUMMARIES: tuple[tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str], int], ...] = (
    # PHPStan's `[ERROR] Found 2 errors` closes tables headed `Line   src/File.php`, each row
    # a line number and its message
    (
        re.compile(r"^\s*\[ERROR\] Found \d+ errors?\s*$"),
        re.compile(r"^\s{1,4}Line\s{2,}\S+\.php\b"),
        re.compile(r"^\s{1,4}\d{1,7}\s{2,}\S"),
        400,
    ),
    # gitleaks' `leaks found: 1` closes its findings, each opening with `Finding:  ...`
    (
        re.compile(r"^\W{0,3}(?:WRN |WARN )?\s*leaks found: [1-9]"),
        re.compile(r"^Finding:\s+\S"),
        re.compile(r"^Finding:\s+\S"),
        400,
    ),
    # PSScriptAnalyzer's count of errors closes its table of findings: its first Error row
    # (the Warning rows above it did not fail the step)
    (
        re.compile(r"^(?:##\[error\]|\W{0,3})(?:ERROR: )?PSScriptAnalyzer reported \d+ errors?\b"),
        re.compile(r"^RuleName\s+Severity\s+ScriptName\s"),
        re.compile(r"^PS\w{1,200}\s+(?:Error|ParseError)\s+\S"),
        200,
    ),
    # PSScriptAnalyzer's verdict closes its table of findings (`RuleName  Severity ...`)
    (
        re.compile(
            r"^(?:##\[error\]|\W{0,3})(?:ERROR: )?PSScriptAnalyzer found \d+ rule violation"
        ),
        re.compile(r"^RuleName\s+Severity\s+ScriptName\s"),
        re.compile(r"^PS\w{1,200}\s+(?:Error|Warning|Information|ParseError)\s+\S"),
        200,
    ),
    # `pod lib lint`'s `[!] Kit did not pass validation, due to 1 warning` closes the results it
    # listed under the pod's name (`    - WARN  | [iOS] xcodebuild:  file.m:58:25: warning: ...`)
    (
        re.compile(r"^\W{0,3}\[!\] \S{1,200} did not pass validation, due to \d"),
        re.compile(r"^\s+- (?:ERROR|WARN)\s*\| "),
        re.compile(r"^\s+- (?:ERROR|WARN)\s*\| "),
        200,
    ),
)


#: How far under its table's header a summary's finding may be (a count of errors goes to the
#: first error row, past the warnings).
ROWS = 60


def past_summary(
    lines: Sequence[str], cands: Sequence[Candidate], chosen: Candidate | None
) -> Candidate | None:
    """The first finding of the report a chosen summary closes (SUMMARIES); else `chosen`."""
    if chosen is None:
        return None
    for summary, header, finding, reach in SUMMARIES:
        if not summary.match(lines[chosen.index]):
            continue
        first = None
        for j in range(chosen.index - 1, max(-1, chosen.index - reach), -1):
            if header.match(lines[j]):
                row = next(
                    (k for k in range(j, min(chosen.index, j + ROWS)) if finding.match(lines[k])),
                    None,
                )
                first = row if row is not None else first
        if first is not None:
            return at(cands, first, chosen)
    return chosen
