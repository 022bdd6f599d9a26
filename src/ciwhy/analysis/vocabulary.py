"""The heuristic vocabulary: what error lines, cascades, frames and CI structure look like.

Each Feature is one pattern scanned with the signatures in the same multi-pattern pass. Weights
add up to a line's score (see locate.py). Roles other than "score" describe the job's structure.
Nothing here names a project: these are the shapes of tools and CI systems.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Feature:
    name: str
    pattern: str
    weight: float = 0.0
    role: str = "score"  # score | frame | step | fail | end | cascade | noise

    @property
    def gate(self) -> bool:
        """Gate features make a line a candidate and run in the multi-pattern scan; the others
        (discounts) only modify a candidate's evidence and are checked on candidates alone."""
        return self.weight > 0 or self.role != "score"


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
        r"(?:^|\s|:)(?:[a-z_$][\w$]*\.)*[A-Z][\w$]*(?:Error|Exception|Failure|Fault)\b(?:[:(]|\s*$)",
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
        r"(?i)^\s*(?:=+ )?(?:failures|errors|failed tests|failing tests)\s*:?\s*(?:=+)?\s*$",
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
    Feature("warning", r"(?i)\bwarn(?:ing|ings)?\b|\bdeprecat|\bnotice\b", -5),
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
        r"(?i)make(?:\[\d+\])?: \*\*\*|^npm ERR! (?:code (?:ELIFECYCLE|\d+)\s*$|errno|syscall|exit status|failed at|this is probably|a complete log|tell the author|you can get|not with npm|test failed|missing script|\s*$|\s*/)|^error Command failed with exit code|^info Visit https://yarnpkg|\bBUILD FAILED\b|\*\* (?:ARCHIVE|TEST|ANALYZE|CLEAN|INSTALL) FAILED \*\*|^FAILURE: Build failed|^\[ERROR\] (?:Failed to execute goal|-> \[Help|To see the full|Re-run Maven|For more information|After correcting|\s*$)|^ERROR: \".{1,80}\" exited with|\bELIFECYCLE\b|Tests? failed\.|(?:there (?:was|were)|ran) \d+ (?:tests?|failures?|errors?)|^\s*Tests run: \d+, Failures|^\s*\d+ (?:examples?|tests?|specs?|assertions?),? \d+ failures?|^FAILED \(|^=+ .{0,80}\d+ failed|error: could not compile|error: aborting due to|\bexit(?:ed)? (?:with )?(?:code|status) \d|returned (?:a )?non-zero|returned (?:status|exit) code [1-9]|did not complete successfully: exit code|^> Task \S+ FAILED$|^FAILED: \S|^\w+ (?:FAILED|ok), \w+ (?:FAILED|ok)\b|ld returned \d+ exit status|^\s*\d+ failing\s*$|^\s*\d+ FAILED TESTS?\s*$|^\s*\d+ errors?\s*$|\bTest Suites?: \d+ failed|^Tests:\s+\d+ failed|^\s*Failed tests?:\s*$|^FAIL\s*$|^FAIL\s+\S+\s+[\d.]+s\s*$|\bsummary\b|^rake aborted!|error: Recipe `|Command exited with non-zero|\bscript returned exit code|^Error: Process completed|Error: Command failed|^\s*Command \".{0,200}\" failed"
        # (Nx's closing list of the tasks that failed: their output says why)
        r"|\btargets? failed, including the following|^\W{0,3}NX\s+Running targets? .{1,200} failed\s*$"
        r"|^Failed tasks:\s*$",
        0,
        "cascade",
    ),
    # --- stack frames: never the head, but they point at the line before them ----------------
    # (`at x.y.z(` matches the same lines as `at [...]+[ (.:]`, but the path's run stops at its
    # first dot: the scan reports one hit per frame line instead of one per dot.)
    Feature(
        "frame",
        r"^\s+at [\w$.<>/\\\[\]@-][\w$<>/\\\[\]@-]*[ (.:]|^\s+at \S+ \(|^\s*File \".{1,400}\", line \d+|^\s*#\d+\s+0x[0-9a-fA-F]+|^\s+from \S+:\d+:in|^\s*# \S+:\d+:in|^\s*\S+\.(?:rb|py|js|ts|go|rs|php|ex|exs|pm|pl):\d+:in |^\s*/\S+:\d+:in [`'‘]|^\s+\d+: 0x[0-9a-f]+ - |^\s*\.\.\. \d+ more|^goroutine \d+ \[|^\s*\+ (?:CategoryInfo|FullyQualifiedErrorId)\s*:"
        # (PowerShell 5.1 puts where an error was raised under its message)
        r"|^At (?:line:\d+|\S.{0,400}:\d+) char:\d+\s*$"
        # (Elixir's: `    (elixir 1.15.7) lib/code.ex:572: Code.eval/3`, `    config.exs:26: (file)`)
        r"|^\s+\([a-z_]{1,60} \d[\w.+-]{0,40}\) \S|\.exs?:\d+: \((?:file|module)\)\s*$",
        0,
        "frame",
    ),
    # --- a program's usage text, printed after it refused its arguments: the refusal is
    # the line before it; the options listed in it are not causes.
    Feature("usage", r"(?i)^\s*usage(?: of \S{1,200})?:\s*(?:$|[\w./-]+ )", 0, "usage"),
    # --- a test runner's capture of what a test printed (jest's `● Console`, or each call's
    # `  console.error` header): its errors are the test's chatter, whether the test passed or not.
    Feature(
        "console",
        r"^\s*● Console\s*$|^\s{0,4}console\.(?:log|error|warn|info|debug)\s*$",
        0,
        "console",
    ),
    # (Gradle's capture of what a test printed: `CacheTest > refreshes() STANDARD_OUT`)
    Feature(
        "gradle_output", r"^\S.{0,500} > .{1,500} STANDARD_(?:OUT|ERROR)\s*$", 0, "gradle_output"
    ),
    # (vitest's capture of what a test printed: `stderr | src/a.test.ts > Suite > test`)
    Feature("vitest_console", r"^(?:stdout|stderr) \| \S{1,300} > ", 0, "vitest_console"),
    # --- rspec's pending examples, Surefire's classes and retried tests (asides.py) -----------
    Feature("rspec_pending", r"^Pending: \(Failures listed here are expected", 0, "rspec_pending"),
    Feature("diff_header", r"^diff --git a/\S", 0, "diff"),
    Feature("ansible_ignoring", r"^\.\.\.ignoring\s*$", 0, "ansible_ignoring"),
    # (package:test's and flutter test's progress: `00:01 +9 -1: file: name`)
    Feature(
        "dart_progress",
        r"^\d{1,3}:\d\d \+\d{1,7}(?: ~\d{1,7})?(?: -\d{1,7})?: ",
        0,
        "dart_progress",
    ),
    Feature("pytest_warnings", r"^=+ warnings summary =+\s*$", 0, "pytest_warnings"),
    Feature(
        "surefire",
        r"^(?:\[INFO\] )?Running [\w$]+(?:\.[\w$]+)+\s*$"
        r"|Tests run: \d+, Failures: 0, Errors: 0,.{0,200} (?:-|--) in [\w$.]+",
        0,
        "surefire",
    ),
    Feature("retry", r"^\s*TRY \d+ (?:FAIL|PASS)\b", 0, "retry"),
    # (what a Go test logged, `t.Log`: `    config_test.go:71: got expected error: ...`; the
    # literal alone: the aside checks the indentation, which costs the scan dearly)
    Feature("go_test_log", r"_test\.go:\d+: ", 0, "go_test_log"),
    # (a test's start and its passing end, as googletest prints them)
    Feature("test_bracket", r"^\[ RUN {6}\] \S|^\[ {7}OK \] \S", 0, "test_bracket"),
    # (a tool's or a CI's notice that it tries the work again: wget's `Retrying.`, `Will retry
    # in 10 seconds`, Travis' `The command "npm ci" failed. Retrying, 2 of 3.`)
    Feature(
        "retry_notice",
        r"(?i)^\W{0,4}(?:retrying\b|will retry\b|retry(?:ing)?:? (?:in|after|attempt)\b)"
        r"|\bfailed\. Retrying, \d+ of \d+"
        # (a script's retry helper: `retry: attempt 1/3 failed (exit 1), sleeping 5s`)
        r"|^\W{0,4}attempt \d+ ?(?:/|of) ?\d+ failed\b",
        0,
        "retry_notice",
    ),
    # (a GitHub Action's own error: `##[error]Failed to restore cache entry. Exiting ...`)
    Feature("gha_error", r"^##\[error\]", 0, "gha_error"),
    # (a runner's list of tests that failed, then passed when tried again: Bazel's `FLAKY:`
    # summary, Playwright's `2 flaky`, Maven Surefire's `Flakes:`; `flaky.py`)
    Feature(
        "flaky",
        r"^FLAKY: //\S{1,300} \(Summary\)|^\s{0,8}\d{1,6} flaky\s*$|^\[WARNING\] Flakes:\s*$"
        r"|^//\S{1,300}\s+FLAKY, failed in ",
        0,
        "flaky",
    ),
    # (GitLab's report of a service container that failed its health check: `services`)
    Feature(
        "service_warning",
        r"^\*\*\* WARNING: Service \S{1,300} probably didn't start properly\.",
        0,
        "service_warning",
    ),
    Feature(
        "numbered_list", r"^There (?:was|were) \d+ |^\d+ tests? triggered \d+ ", 0, "numbered_list"
    ),
    # --- CI bookkeeping: never a cause -------------------------------------------------------
    Feature(
        "ci_noise",
        r"^travis_(?:time|fold):|^##\[(?:endgroup|group)\]|^section_(?:start|end):\d|^\[Pipeline\] |^(?:store build )?cache(?:s)? (?:uploaded|upload|restored)|^Post job cleanup|^Cleaning up (?:project directory|file based variables|orphan)|^Uploading artifacts|^Removing intermediate container|^ ---> |^debconf: |^\^\^\^ \+\+\+\s*$"
        # (the Jenkins git plugin echoes each git command it runs)
        r"|^ > git(?:\.exe)? .{1,2000} # timeout=\d+\s*$"
        # (sbt's closing line of a command, its pointer to a stack trace it did not print;
        # docker compose's progress of its containers)
        r"|^\[error\] Total time: \d+ s\b|^\[error\] stack trace is suppressed; run "
        # (Ansible's `until` loop: the attempt that finally fails says `fatal: ... FAILED!`; its
        # play and task headers, `TASK [Assert version] ****`, are names, not results)
        r"|^FAILED - RETRYING: |^(?:PLAY|TASK|RUNNING HANDLER) \[.{0,300}\] \*{3,}\s*$"
        r"|^PLAY RECAP \*{3,}\s*$"
        # (pytest's verbose result cut from its test's id by output in between, a timeout's
        # thread dump: its FAILURES section says which test failed and why)
        r"|^(?:FAILED|ERROR) {2,}\[ {0,2}\d{1,3}%\]\s*$"
        # (the Dart analyzer's infos: advice, not failures, unless `--fatal-infos` says so)
        r"|^\s*info • .{1,600} • \S{1,300}:\d+:\d+ • \w+\s*$"
        # (npm audit's advice after its report)
        r"|^\s*npm audit fix(?: --force)?\s*$"
        # (xcodebuild's lists of destinations after it found none to match: the error says it)
        r"|^\s*(?:Available|Ineligible) destinations for the \".{1,200}\" scheme:"
        r"|^\s*\{ platform:[^,]{1,100}, (?:arch:|id:|OS:|name:)"
        # (a build service's link to its own view of the run: Nx Cloud's; where dbt wrote a
        # failed test's SQL)
        r"|^View structured, searchable error logs at https?://|^\s*(?:\d\d:\d\d:\d\d\s+)?[Cc]ompiled (?:[Cc]ode|SQL) at \S"
        # (a test's time in a slowest-tests report: minitest's ` 3.6053ms - TestSite#test_x`,
        # pytest's `0.52s call     tests/test_x.py::test_y`)
        r"|^\s{0,4}\d{1,6}\.\d{1,6}m?s (?:- \S|(?:call|setup|teardown)\s{1,8}\S)"
        r"|^\s?(?:Container|Network|Volume) \S{1,200}\s+(?:Creating|Created|Starting|Started|Stopping|Stopped|Removing|Removed|Healthy|Waiting|Running|Recreated?)\s*$",
        0,
        "noise",
    ),
    # --- a test reported as passed or skipped: whatever its title says, never a cause ---------
    Feature(
        "not_failed",
        r"^\s*(?:PASS|PASSED|SKIP|SKIPPED|XFAIL|ok)(?::|\s)|^\s*--- (?:PASS|SKIP):|^test \S+ \.\.\. (?:ok|ignored)\s*$"
        # (unittest's `test_x (pkg.TestY) ... ok`, prove's `t/05-db.t ...... skipped: no db`;
        # alcotest's `[OK]  suite  0  case`, hspec's `case title [✔] (0.02s)`)
        r"|\s\.{3,} (?:ok|skipped\b.{0,300}|expected failure)\s*$|^\s*\[(?:OK|PASS|SKIP)\]\s"
        r"|\s\[✔\](?: \(\d{1,6}(?:\.\d{1,6})?m?s\))?\s*$"
        # (a count of none: automake's test summary `# FAIL:  0`, `# ERROR: 0`)
        r"|^#?\s{0,4}(?:FAIL|FAILED|FAILURES|ERROR|ERRORS|XPASS):\s+0\s*$"
        # (ESLint's summary of warnings alone: `✖ 2 problems (0 errors, 2 warnings)`)
        r"|^\s*✖ \d+ problems? \(0 errors?, "
        # (mocha's, jest's, vitest's and Playwright's check mark before a passed test's title,
        # maybe after a workspace runner's `@scope/pkg: `; alternatives, not a class: Hyperscan
        # reads bytes, and a class would hold each byte of the marks alone)
        r"|^(?:@[\w.-]{1,100}/[\w.-]{1,100}: )?\s*(?:✔|✓|√) ",
        0,
        "noise",
    ),
    # --- source code quoted in a report (pytest's `>   raise ...`, the `42 |  code` frames of
    # compilers and test runners) and work that was retried until it succeeded: not causes.
    Feature(
        "quoted_code",
        r"^>\s{3,}\S|^>?\s{0,8}\d{1,6} \|\s|\b[Rr]etr(?:y|ying|ied)\b.{0,80}\b(?:[Ss]ucceeded|[Ss]uccess(?:ful)?)\b"
        # (a traceback's quoted source: `    raise TypeError(msg)` or `  throw new AssertionError(m);`
        # is code, not what was raised)
        r"|^\s+raise [A-Z]\w{0,100}(?:\.\w{1,100}){0,5}\(|^\s*throw new [A-Z]\w{0,100}\("
        # (PowerShell quotes the failing statement and underlines it: `+     Invoke-WebRequest ...`
        # / `+     ~~~~`; pwsh 7: `     |  ~~~~`)
        r"|^\+\s{3,}\S|^\s{0,12}[+|]\s{1,12}~{3,}\s*$",
        0,
        "noise",
    ),
    # --- CI structure ------------------------------------------------------------------------
    Feature(
        "step",
        r"^\$ \S|^##\[command\]\S|^##\[group\]|^section_start:\d+:|^travis_fold:start:|^\[Pipeline\] \{ \(|^(?:---|\+\+\+|~~~) (?::[\w+-]+: ?|[A-Z][a-z])|^##\[section\]Starting: |^\[Step \d+/\d+\]|^Step \d+/\d+: |^#!/bin/(?:ba)?sh -e|^##teamcity\[blockOpened|^\+ [^\s\]})]|^\| \(\d{1,4}\) \S",
        0,
        "step",
    ),
    # After these lines only post-job work runs: nothing after them is the cause.
    Feature(
        "end_marker",
        r"^Post job cleanup\.|^Running after_script|^section_start:\d+:(?:after_script|archive_cache\w*|upload_artifacts\w*|cleanup_file_variables)\b|^Uploading artifacts for failed job|^\[Pipeline\] \{ \(Declarative: Post Actions\)|^Stage \"[^\"]{1,200}\" skipped due to earlier failure"
        # (Bitbucket Pipelines looks for test reports after every step)
        r"|^Searching for test report files in directories named \["
        # (Azure Pipelines' post-job steps)
        r"|^##\[section\]Starting: (?:Post-job: |Finalize Job$)",
        0,
        "end",
    ),
    Feature(
        "fail_marker",
        r"^The command \".{0,2000}\" (?:exited|failed)(?: and exited)? with [1-9]\d*\.?|^[^\"]{0,300}\" (?:exited|failed) with [1-9]\d*\.\s*$|^##\[error\]Process completed with exit code [1-9]|^ERROR: Job failed|^ERROR: script returned exit code [1-9]|Error: The command exited with status -?[1-9]|^##\[error\].{0,120}(?:exited|failed) with (?:exit |return )?code:? '?[1-9]|^Exited with code (?:exit status )?[1-9]|^Process exited with code [1-9]|^Finished: (?:FAILURE|ABORTED|UNSTABLE)|^Done\. Your build exited with [1-9]|^Step failed|^exit (?:code|status) [1-9]\d*\s*$|^Script exited with status [1-9]"
        # (Buildkite's docker-compose plugin, before its own after-failure work)
        r"|^\+\+\+ :\w+: Failed to run command, exited with -?[1-9]"
        # (Travis' deploy provider, dpl, when its deploy failed: the job's verdict comes later)
        r"|^failed to deploy\s*$"
        # (GitHub's service containers: the job stops before its steps)
        r"|^##\[error\]One or more containers failed to start|^##\[error\]Build failed\.$"
        r"|^##\[error\]Failed to initialize, [\w.-]{1,200} service is (?:unhealthy|not running)"
        # (GitHub stops a step at its timeout-minutes)
        r"|^##\[error\]The action '.{1,300}' has timed out after \d"
        # (Bitrise closes a failed step's box with `| x | name (exit code: 1) | 3.71 sec |`)
        r"|^\| x \| .{1,300}\(exit code: [1-9]"
        # (a traced shell script's own `exit 1`: what runs after it is its EXIT trap's cleanup)
        r"|^\+{1,3} exit [1-9]\d{0,2}\s*$",
        0,
        "fail",
    ),
)

#: Values for the failing command, step name and exit code, read from structure lines.
STRUCTURE_CAPTURES = (
    r"^The command \"(?P<command>.{0,2000})\" (?:exited|failed)(?: and exited)? with (?P<code>\d+)",
    r"^[^\"]{0,300}\" (?:exited|failed) with (?P<code>\d+)\.\s*$",
    r"(?:exit(?:ed)? (?:with )?|returned )(?:exit )?(?:code|status) '?(?:exit status )?(?P<code>-?\d+)",
    r"failed with return code:? (?P<code>-?\d+)",  # (Azure Pipelines' tasks)
    r"^\| x \| .{1,300}\(exit code: (?P<code>\d+)\)",  # (Bitrise)
    r"^ERROR: Job failed: (?P<reason>.{1,200})",
    r"^Finished: (?P<reason>\w+)",
)
STEP_CAPTURES = (
    r"^\$ (?P<command>.{1,1000})",
    r"^\+ (?P<command>[^\s\]})].{0,1000})",  # (not a diff's `+ ]`)
    r"^##\[command\](?P<command>.{1,1000})",  # Azure Pipelines echoes each task's command
    r"^##\[group\]Run (?P<run>.{1,300})",  # GitHub Actions names a run step by its command
    r"^##\[group\](?P<name>.{1,300})",
    r"^section_start:\d+:(?P<name>[\w.-]{1,200})",
    r"^travis_fold:start:(?P<name>[\w.-]{1,200})",
    r"^\[Pipeline\] \{ \((?P<name>[^)]{1,200})\)",
    r"^(?:---|\+\+\+|~~~) (?P<name>.{1,300})",
    r"^##\[section\]Starting: (?P<name>.{1,300})",
    r"^\[Step \d+/\d+\] ?(?P<name>.{0,300})",
    # TeamCity, its time and status stripped, and the step's duration: `Step 2/3: Build (1m:02s)`
    r"^Step \d+/\d+: (?P<name>.{1,300}?)(?: \((?:\d+h:)?(?:\d+m:)?\d+s\))?$",
    r"^##teamcity\[blockOpened name='(?P<name>[^']{1,200})'",
    r"^\| \(\d{1,4}\) (?P<name>.{1,300}?)\s*\|$",  # Bitrise's step box
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
