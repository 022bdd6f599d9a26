"""The heuristic vocabulary: what error lines, cascades, frames and CI structure look like.

Each Feature is one pattern scanned with the signatures in the same multi-pattern pass. Weights
add up to a line's score (see locate.py). Roles other than "score" describe the job's structure.
Nothing here names a project: these are the shapes of tools and CI systems.
"""

from __future__ import annotations

from ciwhy.analysis.feature import Feature
from ciwhy.analysis.structure_vocabulary import (
    ROLE_FEATURES,
    STEP_CAPTURES,
    STRUCTURE_CAPTURES,
)

__all__ = ["FEATURES", "STEP_CAPTURES", "STRUCTURE_CAPTURES", "WORDS", "Feature"]


# A location (`src/a.c:12:5`, `File.cs(10,4)`): it starts at a line start or after a separator,
# so that a search cannot retry the path's repeat at every position of a long run.
_LOC = r"(?:^|[\s'\"(\[])[\w./\\~+-]+(?:[:(]\d+(?:[:,.]\d+){0,3}\)?)"

FEATURES: tuple[Feature, ...] = (
    # --- strong error heads ----------------------------------------------------------------
    Feature(
        "located_error",
        _LOC + r":?\s*-?\s*(?:fatal |FATAL )?(?:[Ee]rror|ERROR)\b|❌\s+\S{1,300}?:\d+(?::\d+)?:"
        # (Nim's `file.nim(24, 20) Error:`: a space after the comma; xcpretty's project-level
        # `❌  App.xcodeproj: error:`, without a line)
        r"|\.nim\(\d+, \d+\) Error:|❌\s+\S{1,300}?: error:"
        # (compilers speaking the runner's language: `datei.c:8:2: Fehler: ...`)
        + "|"
        + _LOC
        + r": (?:schwerwiegender )?(?:Fehler|erreur|errore|ошибка|エラー|错误|錯誤) ?:"
        # (kotlinc's `e: file.kt:57:38 ...`, a symbol processor's `e: [ksp] file.kt:47: ...`)
        r"|^e: (?:\[\w{1,20}\] )?\S{1,300}?(?::\d+:\d+ |: \(\d+, \d+\): |:\d+: )",
        9,
    ),
    Feature(
        "located_message",
        r"^\s{0,4}\S{1,200}?(?::\s?\d+(?::\d+)?:|\(\d+(?:,\d+)?\):)\s?\S|^\s{0,8}\d+:\d+\s+(?:error|✖|×|✗)",
        3,
    ),
    # (also a log level ahead of a message: `error - 2025-03-01 ... -- Upload failed`, logfmt's
    # `level=error`, and a CI's error annotation)
    Feature(
        "error_colon",
        r"(?i)^\W{0,12}(?:==\d+==)?(?:fatal )?error(?:\[[\w-]+\])?\s*[:!]"
        r"|^(?:error|fatal|critical)\s+[-|]\s|\blevel=(?:error|fatal)\b"
        # a CI's own error annotation (GitHub `##[error]`/`::error`, Azure `logissue`): the
        # message an action failed with (the exit-code markers among them are failure markers)
        r"|^##\[error\]|^::error\b|^##vso\[task\.logissue type=error",
        6,
    ),
    Feature("short_error_tag", r"^(?:E|F|ERR|ERRO|FATA):? \S", 3),
    Feature("error_tag", r"(?i)^\s*\[?(?:error|err|fatal|fail|failed)\]\s", 3),
    Feature(
        "exception",
        r"(?:^\s*|^E\s+|:\s*)(?:[a-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception|Failure|Fault)\b(?:[:(]|\s*$)"
        r"|\s(?:[a-z_$][\w$]*\.)+[A-Z][\w$]*(?:Error|Exception|Failure|Fault)\b(?:[:(]|\s*$)"
        # (an unqualified class after a word, `maps 401 to UnauthenticatedException`, is a
        # test's title, unless its message follows)
        r"|\s[A-Z][\w$]*(?:Error|Exception|Failure|Fault)\b[:(]"
        # (Snakemake's: `KeyError in file workflow/rules/common.smk, line 14:`, its message under)
        r"|^[A-Z]\w{0,100}(?:Error|Exception) in (?:rule \S{1,200} in )?file \S{1,300}, line \d+:",
        6,
    ),
    Feature("pytest_e", r"^E\s{2,}\S", 5),
    Feature("traceback", r"^\s*Traceback \(most recent call last\)", 4),
    Feature("panic", r"(?i)^\s*(?:panic|fatal error|thread '.{1,80}' panicked)\b", 6),
    Feature(
        "crash",
        r"(?i)segmentation fault|core dumped|AddressSanitizer|LeakSanitizer|ThreadSanitizer|MemorySanitizer|UndefinedBehaviorSanitizer|\bruntime error:|\bSIGSEGV\b|\bSIGABRT\b|stack overflow|\bDATA RACE\b",
        5,
    ),
    Feature("fatal_word", r"(?i)\bfatal\b", 3),
    # --- test runners ------------------------------------------------------------------------
    Feature(
        "test_fail",
        r"--- FAIL:|\[FAIL\]|\bFAILED\b|\*\*\* FAILED|<<< (?:FAILURE|ERROR)!|Failure/Error:|^\s*not ok \d|^FAIL\b|\bFAIL:|(?:^|\s)(?:✗|✖|✕|✘)(?:\s|$)|(?:^\s*|[^\s\d]\s)×(?:\s|$)|^\s*● [^\s(]|\(FAILED - \d+\)|^\s*\[-\] |\bfailed on line \d+",
        7,
    ),
    Feature("numbered_failure", r"^\s{0,4}\d{1,4}\) \S", 3),
    Feature("pytest_header", r"^_{3,} .{1,300} _{3,}$", 4),
    Feature(
        "failure_header",
        r"(?i)^\s*(?:=+ )?(?:failures|errors|failed tests|failing tests)\s*:?\s*(?:=+)?\s*$"
        # (vitest's `⎯⎯⎯ Failed Tests 3 ⎯⎯⎯`)
        r"|^\s*(?:⎯){3,} Failed (?:Tests|Suites) \d+ (?:⎯){3,}\s*$",
        2,
    ),
    Feature("assertion", r"(?i)\bassert(?:ion)?(?:error|failed)?\b", 3),
    Feature(
        "expected",
        r"(?i)^\W{0,8}expected\b|\bbut (?:was|got|received|found)\b|^\s*(?:actual|received|got)\s*:|\bexpected .{0,120}(?:got|to (?:be|equal|have|match|contain))\b",
        3,
    ),
    # --- general trouble vocabulary ----------------------------------------------------------
    Feature("error_word", r"(?i)\berr(?:or|ors)?\b", 2),
    Feature("fail_word", r"(?i)\bfail(?:s|ed|ing|ures?)?\b", 2),
    Feature(
        "trouble",
        r"(?i)\b(?:cannot|can't|could not|no \S{1,40} found|couldn't|unable to|not found|no such|undefined|undeclared"
        r"|not defined|unresolved|missing|denied|refused|forbidden|unauthori[sz]ed|timed? ?out"
        r"|killed|invalid|unexpected|illegal|not allowed|does ?n[o']t exist|no matching|conflict"
        r"|incompatible|mismatch|violat|exceeded|unreachable|not installed|is required|broken"
        r"|aborting|aborted|rejected|unsatisfi|no space left|out of memory|permission"
        r"|did not find expected|while (?:parsing|scanning) an?\b)",
        3,
    ),
    Feature("npm_err", r"^npm ERR! ", 1),
    # --- discounts ---------------------------------------------------------------------------
    # (and a warning's sign, stylelint's `31:5  ⚠  Unexpected duplicate selector`)
    Feature("warning", r"(?i)\bwarn(?:ing|ings)?\b|\bdeprecat|\bnotice\b|⚠", -5),
    Feature(
        "zero_errors",
        r"(?i)\b(?:0|no) (?:errors?|failures?|failed|problems?|issues?)\b|\b(?:errors?|failures?|failed)\s*[:=]\s*0\b",
        -6,
    ),
    # (a program's own log record: a date and time, then a level; what a test or a service
    # logged, not a tool's diagnostic)
    Feature(
        "app_log",
        r"^\d{4}[/-]\d\d[/-]\d\d[ T]\d\d:\d\d:\d\d\S*\s+(?:\[[^\]]{1,40}\]\s+)?"
        r"(?:ERROR|ERRO|WARN|WARNING|INFO|DEBUG|FATAL|error|warn|info)\b|\blevel=(?:error|warn|fatal|ERROR|WARN|FATAL)\b"
        # (what the web server Playwright started for the tests printed)
        r"|^\[WebServer\] "
        # (Python's logging without a format: `ERROR:payments.webhooks:Invalid signature`)
        # (after a test runner's progress dots: `..ERROR:payments.webhooks:Invalid signature`)
        r"|^[.sFEx]{0,200}(?:CRITICAL|ERROR|WARNING|INFO|DEBUG):[\w.]{1,100}:\S",
        0,
    ),
    Feature("success", r"(?i)\b(?:passed|succeeded|successful(?:ly)?|\bok\b|done)\b", -2),
    Feature("retry", r"(?i)\bretry(?:ing)?\b|\bretries\b|\battempt \d+", -3),
    Feature("command_echo", r"^(?:\$|\+{1,3}|>|#) \S", -4),
    Feature(
        "compile_command",
        r"^\s*(?:\S*/)?(?:gcc|g\+\+|cc|c\+\+|clang\+\+|clang|libtool|ld|ar|javac|rustc|ccache|nvcc|mpicc)\b.{0,200}\s-[A-Za-z]",
        -5,
    ),
    Feature(
        "progress",
        r"\b\d{1,3}(?:\.\d+)?%|\[[=#>▬█░▒▓■-]{3,}\s*\]|\beta\b|\b\d+(?:\.\d+)? ?[kKMG]i?B/s|\(\d+/\d+\)\s*$",
        -3,
    ),
    Feature(
        "flag_noise",
        r"-Werror|-Wno-error|\berror_reporting\b|_errors?\.(?:c|h|cc|py|js|go|rb|txt|log|o)\b|[-_]errors?[-_]|errors?\.(?:h|c|cc|go|js|ts|py|rb)\b",
        -4,
    ),
    Feature(
        "download",
        r"(?i)^\s*(?:- )?(?:get|hit|ign|fetched|downloading|downloaded|collecting|installing|unpacking|setting up|selecting|preparing|resolving|receiving|extracting|using cached|requirement already)\b",
        -3,
    ),
    # --- cascades: they say that something failed, the cause is earlier ---------------------
    Feature(
        "cascade",
        r"(?i)make(?:\[\d+\])?: \*\*\*|^npm ERR! (?:code (?:ELIFECYCLE|\d+)\s*$|errno|syscall|exit status|failed at|this is probably|a complete log|tell the author|you can get|not with npm|test failed|missing script|\s*$|\s*/)|^error Command failed with exit code|^info Visit https://yarnpkg|\bBUILD FAILED\b|\*\* (?:ARCHIVE|TEST|ANALYZE|CLEAN|INSTALL) FAILED \*\*|^FAILURE: Build failed|^\[ERROR\] (?:Failed to execute goal|-> \[Help|To see the full|Re-run Maven|For more information|After correcting|\s*$)|^ERROR: \".{1,80}\" exited with|\bELIFECYCLE\b|Tests? failed\.|(?:there (?:was|were)|ran) \d+ (?:tests?|failures?|errors?)|^\s*Tests run: \d+, Failures|^\s*\d+ (?:examples?|tests?|specs?|assertions?),? \d+ failures?|^FAILED \(|^=+ .{0,80}\d+ failed|error: could not compile|error: aborting due to|\bexit(?:ed)? (?:with )?(?:code|status) \d+(?:\s*$|[^\d\s(]|\s[^\s(])|returned (?:a )?non-zero|returned (?:status|exit) code [1-9]|did not complete successfully: exit code|^> Task \S+ FAILED$|^FAILED: \S|^\w+ (?:FAILED|ok), \w+ (?:FAILED|ok)\b|ld returned \d+ exit status|^\s*\d+ failing\s*$|^\s*\d+ FAILED TESTS?\s*$|^\s*\d+ errors?\s*$|\bTest Suites?: \d+ failed|^Tests:\s+\d+ failed|^\s*Failed tests?:\s*$|^FAIL\s*$|^FAIL\s+\S+\s+[\d.]+s\s*$|\bsummary\b|^rake aborted!|error: Recipe `|Command exited with non-zero|\bscript returned exit code|^Error: Process completed|Error: Command failed|^\s*Command \".{0,200}\" failed"
        # (Nx's closing list of the tasks that failed: their output says why)
        r"|\btargets? failed, including the following|^\W{0,3}NX\s+Running targets? .{1,200} failed\s*$"
        r"|^Failed tasks:\s*$"
        # (Turborepo's verdict on a task and on the run: the task's output above says why)
        r"|^ERROR: command finished with error: |^\s*ERROR\s+run failed: "
        # (Grunt's closing word, after the warning it stopped on)
        r"|^Aborted due to warnings\.\s*$"
        # (Jenkins' publishers after a build that made no reports: its failure came first)
        r"|No test report files were found\. Configuration error\?"
        r"|No artifacts found that match the file pattern",
        0,
        "cascade",
    ),
    # --- stack frames: never the head, but they point at the line before them ----------------
    # (`at x.y.z(` matches the same lines as `at [...]+[ (.:]`, but the path's run stops at its
    # first dot: the scan reports one hit per frame line instead of one per dot.)
    Feature(
        "frame",
        r"^\s+at [\w$.<>/\\\[\]@-][\w$<>/\\\[\]@-]*[ (.:]|^\s+at \S+ \(|^\s*File \".{1,400}\", line \d+|^\s*#\d+\s+0x[0-9a-fA-F]+|^\s+from \S+:\d+:in|^\s*# \S+:\d+:in|^\s*\S+\.(?:rb|py|js|ts|go|rs|php|ex|exs|pm|pl):\d+:in |^\s*/\S+:\d+:in [`'‘]|^\s+\d+: 0x[0-9a-f]+ - |^\s*\.\.\. \d+ more|^goroutine \d+ \[|^\s*\+ (?:CategoryInfo|FullyQualifiedErrorId)\s*:"
        # (PowerShell 5.1 puts where an error was raised under its message; MSBuild's Exec indents
        # it)
        r"|^\s{0,8}At (?:line:\d+|\S.{0,400}:\d+) char:\d+\s*$"
        # (Elixir's: `    (elixir 1.15.7) lib/code.ex:572: Code.eval/3`, `    config.exs:26: (file)`)
        r"|^\s+\([a-z_]{1,60} \d[\w.+-]{0,40}\) \S|\.exs?:\d+: \((?:file|module)\)\s*$",
        0,
        "frame",
    ),
    # (then the roles that describe the job's structure: structure_vocabulary.py)
    *ROLE_FEATURES,
)

#: Words whose presence on a candidate line is evidence of its own (weights in weights.py):
#: the generic language of build output, not of any project.
# fmt: off
WORDS = frozenset([
    "error", "errors", "failed", "failure", "failures", "fail", "fatal", "exception",
    "expected", "actual", "got", "received", "assert", "assertion", "undefined", "cannot",
    "unable", "missing", "not", "no", "invalid", "denied", "refused", "timeout", "warning",
    "warn", "deprecated", "info", "debug", "note", "hint", "see", "run", "running", "ok",
    "passed", "success", "done", "skipped", "pending", "test", "tests", "build", "compiling",
    "installing", "downloading", "fetching", "npm", "err", "at", "line", "file", "exit", "code",
    "status", "make", "command", "aborted", "abort", "killed", "panic", "traceback", "caused",
    "by", "unexpected", "unknown", "found", "require", "required", "module", "package",
    "version", "conflict", "because", "should", "must",
])
# fmt: on
