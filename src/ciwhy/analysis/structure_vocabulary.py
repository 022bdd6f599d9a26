"""The vocabulary of a job's structure: features with a role other than scoring (steps,
failure and end markers, asides' bounds, noise), and what structure lines capture.

Scanned with the scoring features (vocabulary.py) in the same multi-pattern pass; nothing here
names a project.
"""

from __future__ import annotations

from ciwhy.analysis.feature import Feature

ROLE_FEATURES: tuple[Feature, ...] = (
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
    # (what a Bazel action that succeeded printed: `INFO: From Compiling x.cc:`, not a test's
    # output, `INFO: From Testing //pkg:test:`, printed when it failed)
    Feature(
        "bazel_output",
        r"^INFO: From (?:[A-SU-Za-z]|T[a-df-z])\S{0,100} .{0,500}:\s*$",
        0,
        "bazel_output",
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
        r"|^\W{0,4}attempt \d+ ?(?:/|of) ?\d+ failed\b"
        # (an error that says itself that it is tried again: `error: api.sentry.io: request
        # failed (HTTP 502), retrying (1/3)`)
        r"|\w\)?[,;] (?:retrying|will retry)\b",
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
        r"|^\s?(?:Container|Network|Volume) \S{1,200}\s+(?:Creating|Created|Starting|Started|Stopping|Stopped|Removing|Removed|Healthy|Waiting|Running|Recreated?)\s*$"
        # (a script's table of what passed and what failed, `| apps/web | FAILED | skipped |`:
        # a summary of the output above, which says why)
        r"|^\s*\|.{0,1000}\|\s*(?:FAILED|FAILURE|FAIL|ERROR|failed|failure|error|✗|✘|❌)\s*\|",
        0,
        "noise",
    ),
    # --- R CMD check's checks that ended with a NOTE or a WARNING (`* checking CRAN incoming
    # feasibility ... NOTE`), their findings under them
    Feature(
        "r_check_note", r"^\* checking .{1,300} \.\.\. (?:NOTE|WARNING)\s*$", 0, "r_check_note"
    ),
    # --- a BuildKit step that succeeded (`#8 DONE 12.2s`): what it printed on the way, a
    # retried `apk add` that failed once, did not fail the build
    Feature("buildkit_done", r"^#\d{1,5} DONE \d", 0, "buildkit_done"),
    # --- Travis' folds of the phases whose output is no failure of the job's work
    # (`travis_fold:start:install`, `travis_fold:start:after_success`), and the clone that ends
    # its preparation of the machine
    Feature(
        "travis_phase_fold",
        r"^travis_fold:(?:start|end):(?:(?:before_)?install|after_success|git\.checkout)(?:\.\d+)?\s*$",
        0,
        "travis_phase_fold",
    ),
    # --- Travis' verdict on a command that succeeded: what the command printed failed nothing
    Feature("command_ok", r"^The command \".{0,2000}\" exited with 0\.\s*$", 0, "command_ok"),
    # --- tox's closing verdict on each environment (tox 3: `  py35: commands succeeded`,
    # `ERROR:   flake8: commands failed`; tox 4: `  py311: OK (12.3=setup[1.2]+cmd[11.1]
    # seconds)`, `  lint: FAIL code 1 (...)`)
    Feature(
        "tox_result",
        r"^(?:ERROR: )?\s{1,4}[\w.-]{1,60}: (?:commands (?:succeeded|failed)|OK \(|FAIL code \d)",
        0,
        "tox_result",
    ),
    # --- XCTest's start and end of each test case (`Test Case '-[Suite test]' started.`)
    Feature(
        "xctest_case",
        r"^Test Case '(?:-\[[^\]]{1,300}\]|[\w.]{1,300})' (?:started|passed)",
        0,
        "xctest_case",
    ),
    # --- a tool's check of its own set-up (`flutter doctor`): advice, whatever it marks ✗
    Feature(
        "doctor",
        r"^Doctor summary \(to see all details, run flutter doctor -v\):"
        # (`-v` has no summary line: the first check is Flutter's own, `[√]` and `[X]` on Windows)
        r"|^\[(?:✓|✗|!|☠|√|X)\] Flutter \((?:Channel|on )",
        0,
        "doctor",
    ),
    # --- a test reported as passed or skipped: whatever its title says, never a cause ---------
    Feature(
        "not_failed",
        r"^\s*(?:PASS|PASSED|SKIP|SKIPPED|XFAIL|ok)(?::|\s)|^\s*--- (?:PASS|SKIP):|^test \S+ \.\.\. (?:ok|ignored)\s*$"
        # (Go's `=== RUN   TestConnError`: a test starting, whatever its name ends with)
        r"|^\s*=== (?:RUN|PAUSE|CONT|NAME) "
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
        r"^>\s{3,}\S|^>?\s{0,8}\d{1,6} \|\s|^\s{0,8}(?:➜\s{1,4})?\d{1,6}▕|\b[Rr]etr(?:y|ying|ied)\b.{0,80}[\s(](?:[Ss]ucceeded|[Ss]uccess(?:ful)?)\b"
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
        # (a Jenkins freestyle job's verdict on its build step; its post-build publishers follow)
        r"|^Build step '[^']{1,200}' marked build as failure"
        # (Buildkite's docker-compose plugin, before its own after-failure work)
        r"|^\+\+\+ :\w+: Failed to run command, exited with -?[1-9]"
        # (AppVeyor's verdict on a build or test script's command)
        r"|^Command exited with code [1-9]\d*\s*$"
        # (Buildkite's agent, when its own work failed: `🚨 Error: cleaning repository: exit
        # status 1` at checkout, a hook's `exited with status 1`)
        r"|^🚨 Error: .{1,300}(?:: exit status|exited with status) -?[1-9]"
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
