# ruff: noqa: E101, E501, W291, W293  (log lines as the tools print them: long, tabs, trailing blanks)
"""Shapes from the fourteenth round of probe logs and the session after it: each test fails on
the engine as it was before the change it covers, except the guards."""

from __future__ import annotations

from ciwhy.analysis import analyse, captured, flaky, lines, structure
from ciwhy.analysis.library_index import default_library

MAVEN_DEPLOY_401 = """\
[INFO] Scanning for projects...
[INFO] ------------------------------------------------------------------------
[INFO] Building acme-core 2.3.0
[INFO] Compiling 0 source files to /build/acme-core/target/classes
[INFO] Compiling 1 source files to /build/acme-core/target/classes
[INFO] Compiling 2 source files to /build/acme-core/target/classes
[INFO] Compiling 3 source files to /build/acme-core/target/classes
[INFO] Compiling 4 source files to /build/acme-core/target/classes
[INFO] Compiling 5 source files to /build/acme-core/target/classes
[INFO] Compiling 6 source files to /build/acme-core/target/classes
[INFO] Compiling 7 source files to /build/acme-core/target/classes
[INFO] Compiling 8 source files to /build/acme-core/target/classes
[INFO] Compiling 9 source files to /build/acme-core/target/classes
[INFO] Compiling 10 source files to /build/acme-core/target/classes
[INFO] Compiling 11 source files to /build/acme-core/target/classes
[INFO] Compiling 12 source files to /build/acme-core/target/classes
[INFO] Compiling 13 source files to /build/acme-core/target/classes
[INFO] Compiling 14 source files to /build/acme-core/target/classes
[INFO] Compiling 15 source files to /build/acme-core/target/classes
[INFO] Compiling 16 source files to /build/acme-core/target/classes
[INFO] Compiling 17 source files to /build/acme-core/target/classes
[INFO] Compiling 18 source files to /build/acme-core/target/classes
[INFO] Compiling 19 source files to /build/acme-core/target/classes
[INFO] Compiling 20 source files to /build/acme-core/target/classes
[INFO] Compiling 21 source files to /build/acme-core/target/classes
[INFO] Compiling 22 source files to /build/acme-core/target/classes
[INFO] Compiling 23 source files to /build/acme-core/target/classes
[INFO] Compiling 24 source files to /build/acme-core/target/classes
[INFO] Compiling 25 source files to /build/acme-core/target/classes
[INFO] Compiling 26 source files to /build/acme-core/target/classes
[INFO] Compiling 27 source files to /build/acme-core/target/classes
[INFO] Compiling 28 source files to /build/acme-core/target/classes
[INFO] Compiling 29 source files to /build/acme-core/target/classes
[INFO] Compiling 30 source files to /build/acme-core/target/classes
[INFO] Compiling 31 source files to /build/acme-core/target/classes
[INFO] Compiling 32 source files to /build/acme-core/target/classes
[INFO] Compiling 33 source files to /build/acme-core/target/classes
[INFO] Compiling 34 source files to /build/acme-core/target/classes
[INFO] Compiling 35 source files to /build/acme-core/target/classes
[INFO] Compiling 36 source files to /build/acme-core/target/classes
[INFO] Compiling 37 source files to /build/acme-core/target/classes
[INFO] Compiling 38 source files to /build/acme-core/target/classes
[INFO] Compiling 39 source files to /build/acme-core/target/classes
[INFO] --- maven-javadoc-plugin:3.6.3:jar (attach-javadocs) @ acme-core ---
[WARNING] /build/acme-core/src/main/java/com/acme/core/Parser.java:41: warning: no @throws for com.acme.core.ParseException
[WARNING]   public Node parse(String s) throws ParseException {
[WARNING]               ^
[WARNING] /build/acme-core/src/main/java/com/acme/core/Client.java:88: warning: no comment
[INFO] Building jar: /build/acme-core/target/acme-core-2.3.0-javadoc.jar
[INFO] --- maven-deploy-plugin:3.1.1:deploy (default-deploy) @ acme-core ---
Uploading to acme-releases: https://nexus.acme.internal/repository/releases/com/acme/acme-core/2.3.0/acme-core-2.3.0.jar
[INFO] ------------------------------------------------------------------------
[INFO] BUILD FAILURE
[INFO] ------------------------------------------------------------------------
[INFO] Total time:  01:02 min
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:3.1.1:deploy (default-deploy) on project acme-core: Failed to deploy artifacts: Could not transfer artifact com.acme:acme-core:jar:2.3.0 from/to acme-releases (https://nexus.acme.internal/repository/releases): status code: 401, reason phrase: Unauthorized (401) -> [Help 1]
[ERROR] 
[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.
[ERROR] Re-run Maven using the -X switch to enable full debug logging.
[ERROR] 
[ERROR] For more information about the errors and possible solutions, please read the following articles:
[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException
##[error]Process completed with exit code 1.
"""


SPHINX_AFTER_PIP_RETRY = """\
##[group]Run pip install -r docs/requirements.txt
pip install -r docs/requirements.txt
shell: /usr/bin/bash -e {0}
##[endgroup]
Collecting sphinx==7.2.6
WARNING: Retrying (Retry(total=4, connect=None, read=None, redirect=None, status=None)) after connection broken by 'ReadTimeoutError("HTTPSConnectionPool(host='pypi.org', port=443): Read timed out. (read timeout=15)")': /simple/sphinx/
  Downloading sphinx-7.2.6-py3-none-any.whl (3.2 MB)
Collecting alabaster
  Using cached alabaster-1.0.0-py3-none-any.whl (100 kB)
Collecting babel
  Using cached babel-1.0.0-py3-none-any.whl (100 kB)
Collecting docutils
  Using cached docutils-1.0.0-py3-none-any.whl (100 kB)
Collecting imagesize
  Using cached imagesize-1.0.0-py3-none-any.whl (100 kB)
Collecting jinja2
  Using cached jinja2-1.0.0-py3-none-any.whl (100 kB)
Collecting packaging
  Using cached packaging-1.0.0-py3-none-any.whl (100 kB)
Collecting pygments
  Using cached pygments-1.0.0-py3-none-any.whl (100 kB)
Collecting requests
  Using cached requests-1.0.0-py3-none-any.whl (100 kB)
Collecting snowballstemmer
  Using cached snowballstemmer-1.0.0-py3-none-any.whl (100 kB)
Successfully installed alabaster-0.7.16 babel-2.14.0 sphinx-7.2.6
##[group]Run sphinx-build -W --keep-going -b html docs docs/_build/html
sphinx-build -W --keep-going -b html docs docs/_build/html
shell: /usr/bin/bash -e {0}
##[endgroup]
Running Sphinx v7.2.6
making output directory... done
loading intersphinx inventory from https://docs.python.org/3/objects.inv...
building [mo]: targets for 0 po files that are out of date
writing output... 
building [html]: targets for 14 source files that are out of date
updating environment: [new config] 14 added, 0 changed, 0 removed
reading sources... [  7%] api
WARNING: autodoc: failed to import module 'engine' from module 'quill'; the following exception was raised:
No module named 'numpy'
reading sources... [ 14%] changelog
reading sources... [ 21%] config
reading sources... [ 28%] errors
reading sources... [ 35%] index
reading sources... [ 42%] install
reading sources... [ 49%] usage
looking for now-outdated files... none found
pickling environment... done
checking consistency... done
preparing documents... done
copying assets... copying static files... done
writing output... [100%] usage
generating indices... genindex py-modindex done
dumping search index in English (code: en)... done
dumping object inventory... done
build finished with problems, 1 warning (with warnings treated as errors).
##[error]Process completed with exit code 1.
Post job cleanup.
"""


PLAYWRIGHT_FLAKY = """\
##[group]Run npx playwright test
npx playwright test
shell: /usr/bin/bash -e {0}
##[endgroup]

Running 40 tests using 2 workers

  ✓  1 [chromium] › auth.spec.ts:12:5 › logs in 0 (1.0s)
  ✓  2 [chromium] › cart.spec.ts:31:5 › adds item to cart 1 (1.1s)
  ✓  3 [chromium] › checkout.spec.ts:46:5 › pays with saved card 2 (1.2s)
  ✓  4 [chromium] › search.spec.ts:11:5 › finds products 3 (1.3s)
  ✓  5 [chromium] › auth.spec.ts:16:5 › logs in 4 (1.4s)
  ✘  6 [chromium] › cart.spec.ts:30:5 › adds item to cart (5.1s)
  ✓  7 [chromium] › checkout.spec.ts:50:5 › pays with saved card 6 (1.6s)
  ✓  8 [chromium] › search.spec.ts:15:5 › finds products 7 (1.7s)
  ✓  9 [chromium] › auth.spec.ts:20:5 › logs in 8 (1.8s)
  ✘  10 [chromium] › checkout.spec.ts:44:5 › pays with saved card (30.0s)
  ✓  11 [chromium] › checkout.spec.ts:54:5 › pays with saved card 10 (1.1s)
  ✓  12 [chromium] › search.spec.ts:19:5 › finds products 11 (1.2s)
  ✓  13 [chromium] › auth.spec.ts:24:5 › logs in 12 (1.3s)
  ✓  14 [chromium] › cart.spec.ts:43:5 › adds item to cart 13 (1.4s)
  ✓  15 [chromium] › checkout.spec.ts:58:5 › pays with saved card 14 (1.5s)
  ✓  16 [chromium] › search.spec.ts:23:5 › finds products 15 (1.6s)
  ✓  17 [chromium] › auth.spec.ts:28:5 › logs in 16 (1.7s)
  ✓  18 [chromium] › cart.spec.ts:47:5 › adds item to cart 17 (1.8s)
  ✓  19 [chromium] › checkout.spec.ts:62:5 › pays with saved card 18 (1.0s)
  ✓  20 [chromium] › search.spec.ts:27:5 › finds products 19 (1.1s)
  ✓  21 [chromium] › auth.spec.ts:32:5 › logs in 20 (1.2s)
  ✓  22 [chromium] › cart.spec.ts:51:5 › adds item to cart 21 (1.3s)
  ✓  23 [chromium] › checkout.spec.ts:66:5 › pays with saved card 22 (1.4s)
  ✓  24 [chromium] › search.spec.ts:31:5 › finds products 23 (1.5s)
  ✓  25 [chromium] › auth.spec.ts:36:5 › logs in 24 (1.6s)
  ✓  26 [chromium] › cart.spec.ts:55:5 › adds item to cart 25 (1.7s)
  ✓  27 [chromium] › checkout.spec.ts:70:5 › pays with saved card 26 (1.8s)
  ✓  28 [chromium] › search.spec.ts:35:5 › finds products 27 (1.0s)
  ✓  29 [chromium] › auth.spec.ts:40:5 › logs in 28 (1.1s)
  ✓  30 [chromium] › cart.spec.ts:59:5 › adds item to cart 29 (1.2s)
  ✓  31 [chromium] › checkout.spec.ts:74:5 › pays with saved card 30 (1.3s)
  ✓  32 [chromium] › search.spec.ts:39:5 › finds products 31 (1.4s)
  ✓  33 [chromium] › auth.spec.ts:44:5 › logs in 32 (1.5s)
  ✓  34 [chromium] › cart.spec.ts:63:5 › adds item to cart 33 (1.6s)
  ✓  35 [chromium] › checkout.spec.ts:78:5 › pays with saved card 34 (1.7s)
  ✓  36 [chromium] › search.spec.ts:43:5 › finds products 35 (1.8s)
  ✓  37 [chromium] › cart.spec.ts:30:5 › adds item to cart (retry #1) (1.3s)
  ✘  38 [chromium] › checkout.spec.ts:44:5 › pays with saved card (retry #1) (30.0s)


  1) [chromium] › checkout.spec.ts:44:5 › pays with saved card ─────────────────────────────────

    Test timeout of 30000ms exceeded.

    Error: locator.click: Test timeout of 30000ms exceeded.
    Call log:
      - waiting for getByRole('button', { name: 'Pay now' })


      50 |     await page.goto('/checkout');
      51 |     await page.getByLabel('Saved card').check();
    > 52 |     await page.getByRole('button', { name: 'Pay now' }).click();
         |                                                       ^
      53 |     await expect(page.getByText('Thank you')).toBeVisible();

        at /home/runner/work/shop/shop/e2e/checkout.spec.ts:52:55

    Retry #1 ───────────────────────────────────────────────────────────────────────────────────────

    Test timeout of 30000ms exceeded.

    Error: locator.click: Test timeout of 30000ms exceeded.

  2) [chromium] › cart.spec.ts:30:5 › adds item to cart ────────────────────────────────────────────

    Error: expect(received).toBe(expected) // Object.is equality

    Expected: 1
    Received: 0

      33 |     await expect(badge).toBe(1);

        at /home/runner/work/shop/shop/e2e/cart.spec.ts:33:25

  1 failed
    [chromium] › checkout.spec.ts:44:5 › pays with saved card ──────────────────────────────────────
  1 flaky
    [chromium] › cart.spec.ts:30:5 › adds item to cart ─────────────────────────────────────────────
  36 passed (2.1m)
##[error]Process completed with exit code 1.
"""


def _line(log: str, n: int) -> str:
    return log.splitlines()[n - 1]


def test_a_line_its_tool_tags_as_a_warning_is_not_the_cause_whatever_it_names() -> None:
    # (javadoc's `[WARNING] ...: warning: no @throws for ...ParseException` named an exception)
    a = analyse(MAVEN_DEPLOY_401.encode())
    assert "status code: 401" in _line(MAVEN_DEPLOY_401, a.root_cause_line or 0), a.root_cause
    assert a.category == "credentials"


def test_pips_retry_warning_is_no_cause_and_sphinx_fails_on_its_first_warning() -> None:
    # (a guard: `WARNING:` at a line's start is now a warning tag, and Sphinx's first warning
    # must still be the cause of its `-W` failure)
    a = analyse(SPHINX_AFTER_PIP_RETRY.encode())
    assert _line(SPHINX_AFTER_PIP_RETRY, a.root_cause_line or 0).startswith(
        "WARNING: autodoc: failed to import module 'engine'"
    ), a.root_cause


def test_a_test_playwright_lists_as_flaky_is_not_the_cause() -> None:
    a = analyse(PLAYWRIGHT_FLAKY.encode())
    line = _line(PLAYWRIGHT_FLAKY, a.root_cause_line or 0)
    assert "cart.spec.ts" not in line and "adds item" not in line, line
    # (the report of the test that failed every try, not its `✘` line in the run above it)
    assert a.root_cause_line in (48, 50, 52), line
    assert any(w in a.root_cause for w in ("pays with saved card", "Test timeout", "timed out"))


def test_playwrights_asides_are_the_flaky_tests_tries_and_the_run_lines_of_reported_tests() -> None:
    log = lines.read(PLAYWRIGHT_FLAKY.encode())
    hits = default_library().scan(log.lines, log.text)
    fail = structure.find(log.lines, hits).fail_line
    spans = flaky.playwright(log.lines, hits, fail)
    report = next(i for i, x in enumerate(log.lines) if x.startswith("  2) [chromium]"))
    summary = next(i for i, x in enumerate(log.lines) if x == "  1 failed")
    assert (report, summary - 1) in spans  # (the flaky test's report, to the summary)
    ran = [i for i, x in enumerate(log.lines) if x.startswith("  ✘ ")]
    assert len(ran) == 3 and all((i, i) in spans for i in ran), (ran, spans)
    failed = next(i for i, x in enumerate(log.lines) if x.startswith("  1) [chromium]"))
    assert not any(a <= failed <= b for a, b in spans)
    # (no flaky list before the failure: only the run's lines of the test reported before it)
    assert flaky.playwright(log.lines, hits, report) == [(i, i) for i in ran[1:]]


SUREFIRE_FLAKE_THEN_FORK_CRASH = (
    """\
10:07:50 [INFO] Running com.acme.ledger.api.LedgerControllerTest
10:07:54 [ERROR] Tests run: 17, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 6.881 s <<< FAILURE! -- in com.acme.ledger.api.LedgerControllerTest
10:07:54 [ERROR] com.acme.ledger.api.LedgerControllerTest.streamsEntriesAsNdjson -- Time elapsed: 0.517 s <<< FAILURE!
10:07:54 org.opentest4j.AssertionFailedError: Status expected:<200> but was:<503>
10:07:54 	at org.springframework.test.util.AssertionErrors.fail(AssertionErrors.java:59)
10:07:54 	at com.acme.ledger.api.LedgerControllerTest.streamsEntriesAsNdjson(LedgerControllerTest.java:142)
10:07:54 
10:07:54 [WARNING] Tests run: 17, Failures: 0, Errors: 0, Skipped: 0, Flakes: 1, Time elapsed: 7.402 s -- in com.acme.ledger.api.LedgerControllerTest
"""
    + "".join(
        f"10:08:{n:02d} [INFO] Tests run: 9, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.{n} s -- in com.acme.ledger.Part{n}Test\n"
        for n in range(40)
    )
    + """\
10:09:41 [INFO] Results:
10:09:41 [INFO] 
10:09:41 [WARNING] Flakes: 
10:09:41 [WARNING] com.acme.ledger.api.LedgerControllerTest.streamsEntriesAsNdjson
10:09:41 [ERROR]   Run 1: LedgerControllerTest.streamsEntriesAsNdjson:142 Status expected:<200> but was:<503>
10:09:41 [INFO]   Run 2: PASS
10:09:41 [INFO] 
10:09:41 [WARNING] Tests run: 377, Failures: 0, Errors: 0, Skipped: 1, Flakes: 1
10:09:41 [INFO] BUILD FAILURE
10:09:41 [ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project ledger-service: 
10:09:41 [ERROR] 
10:09:41 [ERROR] The forked VM terminated without properly saying goodbye. VM crash or System.exit called?
10:09:41 [ERROR] Command was /bin/sh -c cd '/home/jenkins/agent/workspace/ledger' && '/opt/java/openjdk/bin/java' '-jar' 'surefirebooter.jar'
10:09:41 [ERROR] Process Exit Code: 137
10:09:41 [ERROR] Crashed tests:
10:09:41 [ERROR] com.acme.ledger.reconcile.BulkReconciliationServiceTest
10:09:42 ERROR: script returned exit code 1
10:09:42 Finished: FAILURE
"""
)


def test_a_test_surefire_lists_under_flakes_is_not_the_cause() -> None:
    a = analyse(SUREFIRE_FLAKE_THEN_FORK_CRASH.encode())
    line = _line(SUREFIRE_FLAKE_THEN_FORK_CRASH, a.root_cause_line or 0)
    assert "forked VM terminated" in line or "Exit Code: 137" in line, line
    assert a.category == "infrastructure"


def test_jenkins_timestampers_bare_clock_is_no_part_of_the_line() -> None:
    log = lines.read(SUREFIRE_FLAKE_THEN_FORK_CRASH.encode())
    assert log.lines[0] == "[INFO] Running com.acme.ledger.api.LedgerControllerTest"
    assert log.lines[6] == ""  # (the clock and the blank after it)


KSP_ERROR = """\
> Task :core:database:kspDebugKotlin FAILED
w: [ksp] /home/ci/app/core/src/main/kotlin/app/db/SyncErrorDao.kt:31: The query returns some columns [error_message, retry_count] which are not used
e: [ksp] /home/ci/app/core/src/main/kotlin/app/db/TripDao.kt:47: Not sure how to convert a Cursor to this method's return type (java.time.Instant).
e: Error occurred in KSP, check log for detail

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':core:database:kspDebugKotlin'.
> Compilation error. See log for more details

BUILD FAILED in 1m 58s
"""


def test_a_symbol_processors_error_on_a_source_line_is_the_cause() -> None:
    a = analyse(KSP_ERROR.encode())
    assert a.root_cause_line == 3, a.root_cause
    assert a.category == "compile" and "TripDao.kt" in a.root_cause


def _gha(*steps: tuple[str, list[str], int | None]) -> str:
    """A GitHub Actions log: each step's script, output and exit code (None: it passed)."""
    out = []
    for script, output, code in steps:
        first, *rest = script.split("\n")
        out.append(f"##[group]Run {first}")
        out += [first, *rest, "shell: /usr/bin/bash -e {0}", "##[endgroup]", *output]
        if code is not None:
            out.append(f"##[error]Process completed with exit code {code}.")
    out += ["Post job cleanup.", "[command]/usr/bin/git version", "git version 2.45.1"]
    return "".join(f"2026-03-05T07:13:{n % 60:02d}.{n:07d}Z {line}\n" for n, line in enumerate(out))


GO_RACE_AFTER_ALLOWED_FAILURE = _gha(
    ("go run golang.org/x/vuln/cmd/govulncheck@v1.1.4 ./...",
     ["=== Symbol Results ===", "", "Vulnerability #1: GO-2025-3487",
      "    Potential denial of service in golang.org/x/crypto",
      "Your code is affected by 1 vulnerability from 1 module.", "exit status 3"], 1),
    ("go test -race -count=1 -v ./... 2>&1 | tee test-output.txt",
     ["=== RUN   TestLeasePool_Acquire", "--- PASS: TestLeasePool_Acquire (0.01s)",
      "=== RUN   TestLeasePool_ReleaseDuringRenew", "==================", "WARNING: DATA RACE",
      "Write at 0x00c0001180a8 by goroutine 12:",
      "  github.com/acme/relayd/internal/lease.(*Pool).Release()",
      "      /home/runner/work/relayd/relayd/internal/lease/pool.go:88 +0x64",
      "==================", "    testing.go:1490: race detected during execution of test",
      "--- FAIL: TestLeasePool_ReleaseDuringRenew (0.04s)", "FAIL",
      "FAIL\tgithub.com/acme/relayd/internal/lease\t3.118s", "FAIL"], 1),
    ("actions/upload-artifact@v4", ["With the provided path, there will be 1 file uploaded"], None),
)  # fmt: skip


def test_a_go_tools_exit_status_before_an_allowed_failure_does_not_hide_the_later_step() -> None:
    # (govulncheck's step was allowed to fail: the test step after it ran, and failed the job)
    a = analyse(GO_RACE_AFTER_ALLOWED_FAILURE.encode())
    assert _line(GO_RACE_AFTER_ALLOWED_FAILURE, a.root_cause_line or 0).endswith(
        "WARNING: DATA RACE"
    ), a.root_cause
    assert a.failing_step is not None and "go test" in (a.failing_step.command or "")


NOTIFY_AFTER_PLAYWRIGHT = _gha(
    ("npx playwright test --project=chromium",
     ["Running 3 tests using 1 worker", "",
      "  ✓  1 [chromium] › search.spec.ts:8:5 › finds mugs (3.8s)",
      "  ✘  2 [chromium] › discount.spec.ts:42:7 › applies SPRING25 (6.1s)",
      "  ✓  3 [chromium] › meta.spec.ts:6:5 › has a canonical url (0.7s)", "", "",
      "  1) [chromium] › discount.spec.ts:42:7 › applies SPRING25 ─────────────", "",
      "    Error: Timed out 5000ms waiting for expect(locator).toHaveText(expected)", "",
      "    Locator: getByTestId('order-total')", '    Expected string: "$67.50"',
      '    Received string: "$90.00"', "    Call log:",
      "      - expect.toHaveText with timeout 5000ms",
      '        9 × locator resolved to <span data-testid="order-total">$90.00</span>',
      '          - unexpected value "$90.00"', "", "  1 failed",
      "    [chromium] › discount.spec.ts:42:7 › applies SPRING25 ─────────────",
      "  2 passed (14.2s)"], 1),
    ("curl -fsS -X POST -H 'Content-type: application/json' \\\n"
     '  --data "{\\"text\\":\\"e2e failed\\"}" "$SLACK_WEBHOOK_URL"',
     ["curl: (3) URL rejected: Malformed input to a URL function"], 3),
)  # fmt: skip


def test_a_step_whose_script_notifies_on_its_second_line_is_after_failure_work() -> None:
    a = analyse(NOTIFY_AFTER_PLAYWRIGHT.encode())
    line = _line(NOTIFY_AFTER_PLAYWRIGHT, a.root_cause_line or 0)
    assert "1) [chromium]" in line or "Error: Timed out" in line, line
    # (`9 ×` counts the locator's tries: no test runner's cross)
    assert "resolved to" not in line


GRADLE_RETRIED_TEST_THEN_LINT = (
    """\
+ ./gradlew --console=plain testReleaseUnitTest lintRelease
> Task :app:testReleaseUnitTest

com.acme.booking.BookingRepositoryTest > cachesBookings() PASSED

com.acme.booking.BookingRepositoryTest > refreshRetriesOnTimeout() FAILED
    java.lang.AssertionError at BookingRepositoryTest.kt:77

com.acme.booking.BookingRepositoryTest > refreshRetriesOnTimeout() PASSED

"""
    + "".join(f"com.acme.booking.Case{n}Test > works() PASSED\n\n" for n in range(30))
    + """\
> Task :app:lintReportRelease FAILED
Lint found 1 error, 37 warnings. First failure:

/home/ci/app/src/main/java/com/acme/util/ReceiptFormatter.kt:58: Error: Call requires API level 26 (current min is 24): java.time.format.DateTimeFormatter#ofPattern [NewApi]
        private val bookingDate = DateTimeFormatter.ofPattern("dd MMM yyyy", locale)

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':app:lintReportRelease'.
> Lint found errors in the project; aborting build.
  
  Lint found 1 error, 37 warnings. First failure:
  
  /home/ci/app/src/main/java/com/acme/util/ReceiptFormatter.kt:58: Error: Call requires API level 26 (current min is 24): java.time.format.DateTimeFormatter#ofPattern [NewApi]
          private val bookingDate = DateTimeFormatter.ofPattern("dd MMM yyyy", locale)
  

BUILD FAILED in 1m 4s
ERROR: script returned exit code 1
"""
)


def test_a_gradle_test_that_passed_when_retried_is_not_the_cause_and_a_summary_copy_yields() -> (
    None
):
    a = analyse(GRADLE_RETRIED_TEST_THEN_LINT.encode())
    # (the lint error where the task printed it, not its copy under `* What went wrong:`)
    assert a.root_cause_line == 74, (a.root_cause_line, a.root_cause)
    assert a.category == "lint"


BUILDX_ACTION_THEN_COMMENT = _gha(
    ("actions/checkout@v4", ["Syncing repository: acme/courier-api"], None),
    ("docker/build-push-action@v6",
     ["#26 exporting to image", "#26 pushing layers 1.3s done",
      "#26 ERROR: failed to push ghcr.io/acme/courier-api:main: unexpected status from POST "
      "request to https://ghcr.io/v2/acme/courier-api/blobs/uploads/: 403 Forbidden", "",
      "ERROR: failed to solve: failed to push ghcr.io/acme/courier-api:main: unexpected status "
      "from POST request to https://ghcr.io/v2/acme/courier-api/blobs/uploads/: 403 Forbidden",
      "##[error]buildx failed with: ERROR: failed to solve: failed to push "
      "ghcr.io/acme/courier-api:main: unexpected status: 403 Forbidden"], None),
    ('gh pr comment "$PR" --body "Image publish failed" || gh issue comment 412 --body "failed"',
     ['no pull requests found for branch "main"',
      "GraphQL: Resource not accessible by integration (addComment)"], 1),
)  # fmt: skip


def test_an_actions_own_error_fails_the_job_before_a_later_step_that_comments_on_it() -> None:
    a = analyse(BUILDX_ACTION_THEN_COMMENT.encode())
    line = _line(BUILDX_ACTION_THEN_COMMENT, a.root_cause_line or 0)
    assert "403 Forbidden" in line and "Resource not accessible" not in line, line


def test_a_run_steps_annotations_do_not_make_it_an_action_that_failed() -> None:
    # (a guard: `##[error]` lines a linter's step printed, then passed, are no action's failure)
    log = _gha(
        ("npx eslint . --format github",
         ["##[error]src/a.ts:3:1: 'x' is assigned a value but never used"], None),
        ("npm test", ["FAIL src/cart.test.ts", "  ● Cart › adds item", "",
                      "    expect(received).toBe(expected)"], 1),
    )  # fmt: skip
    a = analyse(log.encode())
    assert "eslint" not in _line(log, a.root_cause_line or 0)
    assert a.failing_step is not None and a.failing_step.command == "npm test"


NX_JEST_CONFIG = (
    """\
> nx run web:lint

/home/runner/work/fleet/fleet/apps/web/src/app/map.tsx
  12:7  warning  'zoom' is assigned a value but never used  @typescript-eslint/no-unused-vars

✖ 2 problems (0 errors, 2 warnings)

> nx run billing:test

● Validation Error:

  Module <rootDir>/src/test-setup.ts in the setupFilesAfterEnv option was not found.
         <rootDir> is: /home/runner/work/fleet/fleet/libs/billing

  Configuration Documentation:
  https://jestjs.io/docs/configuration

> nx run web:test

 PASS  web  apps/web/src/app/fleet/vehicle-card.spec.tsx (1.473 s)
  console.error
    Error: Uncaught [Error: invoices request failed (500)]
        at reportException (/home/runner/work/fleet/fleet/node_modules/jsdom/lib/jsdom/living/helpers/runtime-script-errors.js:66:24)

 PASS  web  apps/web/src/app/billing/invoice-list.spec.tsx (6.368 s)

Test Suites: 4 passed, 4 total
"""
    + "".join(f"webpack compiled successfully ({n:08x})\n" for n in range(40))
    + """\

 NX   Ran targets lint, test, build for 6 projects (2m)

   ✔  17/18 succeeded [0 read from cache]

   ✖  1/18 targets failed, including the following:

      - nx run billing:test

"""
)


def test_jests_configuration_error_beats_a_passing_tests_console_error_and_nxs_summary() -> None:
    a = analyse(NX_JEST_CONFIG.encode())
    assert a.root_cause_line in (10, 12), (a.root_cause_line, a.root_cause)
    assert a.category == "config"
    assert a.signature == "js.jest.validation_error"


def test_bundlers_unverified_certificate_is_a_tls_failure() -> None:
    log = (
        "$ bundle install --jobs=3 --retry=3\n"
        "Fetching gem metadata from https://rubygems.org/.........\n"
        "Fetching gem metadata from https://gems.acme.net/\n"
        "Could not verify the SSL certificate for https://gems.acme.net/versions.\n"
        "There is a chance you are experiencing a man-in-the-middle attack, but most likely your"
        " system doesn't have the CA certificates needed for verification.\n"
        'The command "bundle install --jobs=3 --retry=3" failed and exited with 17 during .\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.signature == "net.tls.verify_failed" and a.category == "network"


def test_a_tap_test_marked_todo_is_an_expected_failure() -> None:
    log = (
        "t/02-params.t .......... \n1..13\nok 1 - parses type\n"
        "not ok 9 - decodes RFC 2231 parameter continuations # TODO continuations not done yet\n"
        "#   Failed (TODO) test 'decodes RFC 2231 parameter continuations'\n"
        "#   at t/02-params.t line 61.\n#          got: 'report_'\n"
        "#     expected: 'report_2024_q1.pdf'\nok 10 - charset and language\nok\n"
        "t/03-folding.t .......... \n1..31\nok 1 - fold at 78 chars\n"
        "not ok 17 - unfold() joins continuation lines with a single space\n\n"
        "#   Failed test 'unfold() joins continuation lines with a single space'\n"
        "#   at t/03-folding.t line 88.\n"
        "#          got: 'multipart/mixed;boundary=\"=_qx81\"'\n"
        "#     expected: 'multipart/mixed; boundary=\"=_qx81\"'\n"
        "# Looks like you failed 1 test of 31.\n"
        "Files=3, Tests=52,  1 wallclock secs\nResult: FAIL\n"
        'The command "prove -lv t/" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (14, 16, 17), (a.root_cause_line, a.root_cause)


def test_a_tools_info_line_is_no_cause() -> None:
    log = _gha(
        ("pre-commit run --all-files",
         ["[INFO] Initializing environment for https://github.com/psf/black-pre-commit-mirror.",
          "[INFO] Initializing environment for https://github.com/astral-sh/ruff-pre-commit.",
          "[ERROR] `ruff-check` is not present in repository "
          "https://github.com/astral-sh/ruff-pre-commit.  Typo? Perhaps it is introduced in a "
          "newer version?"], 1),
    )  # fmt: skip
    a = analyse(log.encode())
    assert "is not present in repository" in _line(log, a.root_cause_line or 0), a.root_cause


TWINE_AFTER_TESTPYPI = _gha(
    ("twine upload --repository testpypi dist/*",
     ["Uploading hexbloom-2.1.0-py3-none-any.whl",
      "WARNING  Error during upload. Retry with the --verbose option for more details.",
      "ERROR    HTTPError: 400 Bad Request from https://test.pypi.org/legacy/",
      "         File already exists ('hexbloom-2.1.0-py3-none-any.whl')."], 1),
    ("twine upload --non-interactive dist/*",
     ["Uploading hexbloom-2.1.0-py3-none-any.whl",
      "WARNING  Error during upload. Retry with the --verbose option for more details.",
      "ERROR    HTTPError: 403 Forbidden from https://upload.pypi.org/legacy/",
      "         Invalid or non-existent authentication information. See "
      "https://pypi.org/help/#invalid-auth for more information."], 1),
)  # fmt: skip


def test_publishing_with_twine_upload_is_the_jobs_work_not_after_failure_work() -> None:
    a = analyse(TWINE_AFTER_TESTPYPI.encode())
    line = _line(TWINE_AFTER_TESTPYPI, a.root_cause_line or 0)
    assert "403 Forbidden" in line or "Invalid or non-existent" in line, line
    assert a.category == "credentials"


PAGES_ACTION_AFTER_LINKCHECK = _gha(
    ("sphinx-build -b linkcheck docs docs/_build/linkcheck",
     ["(changelog: line   45) broken   https://old.acme.org/releases/0.5 - "
      "HTTPSConnectionPool(host='old.acme.org', port=443): Max retries exceeded with url: "
      "/releases/0.5 (Caused by NameResolutionError(\"Failed to resolve 'old.acme.org' "
      "([Errno -3] Temporary failure in name resolution)\"))",
      "build finished with problems."], 1),
    ("peaceiris/actions-gh-pages@v4",
     ["[command]/usr/bin/git push origin gh-pages",
      "remote: Permission to acme/orbit.git denied to github-actions[bot].",
      "fatal: unable to access 'https://github.com/acme/orbit.git/': The requested URL "
      "returned error: 403",
      "##[error]Action failed with \"The process '/usr/bin/git' failed with exit code 128\""],
     None),
)  # fmt: skip


def test_an_action_that_failed_after_an_allowed_run_step_failed_the_job() -> None:
    a = analyse(PAGES_ACTION_AFTER_LINKCHECK.encode())
    line = _line(PAGES_ACTION_AFTER_LINKCHECK, a.root_cause_line or 0)
    assert "Permission to acme/orbit.git denied" in line or "error: 403" in line, line


GRADLE_DAEMON_GONE = (
    """\
+ ./gradlew build --console=plain
> Task :core:test

LoadingCacheTest > refreshFailureKeepsOldValue() STANDARD_OUT
    14:52:47.027 [refresh-1] WARN  io.acme.core.LoadingCache - refresh of key 'k-17' failed; keeping previous value
    io.acme.api.LoaderException: backend unavailable
    	at io.acme.core.LoadingCacheTest.lambda$refreshFailureKeepsOldValue$7(LoadingCacheTest.java:203)

    	at io.acme.core.LoadingCache.doRefresh(LoadingCache.java:318)

LoadingCacheTest > refreshFailureKeepsOldValue() PASSED

ReplicatedInvalidationTest > reconnectsAfterPeerRestart() FAILED
    java.net.SocketTimeoutException: Read timed out
        at io.acme.core.ReplicatedInvalidationTest.reconnectsAfterPeerRestart(ReplicatedInvalidationTest.java:118)

"""
    + "".join(f"OffHeapStoreTest > case{n}() PASSED\n\n" for n in range(30))
    + """\
FAILURE: Build failed with an exception.

* What went wrong:
Gradle build daemon disappeared unexpectedly (it may have been killed or may have crashed)

BUILD FAILED in 2m 3s
"""
)


def test_gradles_verdict_that_its_daemon_died_is_the_cause_and_a_tests_stdout_is_no_cause() -> None:
    a = analyse(GRADLE_DAEMON_GONE.encode())
    assert "daemon disappeared" in _line(GRADLE_DAEMON_GONE, a.root_cause_line or 0), a.root_cause
    assert a.category == "infrastructure"


def test_gradles_capture_of_a_tests_output_is_an_aside_to_its_last_indented_line() -> None:
    log = lines.read(GRADLE_DAEMON_GONE.encode())
    hits = default_library().scan(log.lines, log.text)
    assert captured.gradle(log.lines, hits, len(log.lines)) == [(3, 8)]


GITLAB_DIND = """\
Running with gitlab-runner 17.0.0 (44feccdf)
Starting service docker:26-dind ...
Waiting for services to be up and running (timeout 30 seconds)...

*** WARNING: Service runner-abc-project-1-concurrent-0-docker-0 probably didn't start properly.

Health check error:
service "runner-abc-project-1-concurrent-0-docker-0-wait-for-service" timeout

Service container logs:
2024-06-10T09:40:05.135Z time="2024-06-10T09:40:05.13Z" level=warning msg="Binding to IP address without --tlsverify is insecure"
2024-06-10T09:40:05.168Z time="2024-06-10T09:40:05.16Z" level=info msg="skip loading plugin \\"io.containerd.snapshotter.v1.aufs\\"..." error="aufs is not supported (modprobe aufs failed)"
2024-06-10T09:40:06.001Z time="2024-06-10T09:40:06.00Z" level=info msg="API listen on [::]:2376"

*********

$ echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"
error during connect: Post "http://docker:2375/v1.24/auth": dial tcp 172.17.0.3:2375: connect: connection refused
ERROR: Job failed: exit code 1
"""


def test_a_services_info_and_warning_lines_do_not_say_why_it_failed() -> None:
    # (dockerd starting well logs `level=info ... error="aufs is not supported"`)
    a = analyse(GITLAB_DIND.encode())
    assert "connection refused" in _line(GITLAB_DIND, a.root_cause_line or 0), a.root_cause


GO_RECOVERED_PANIC_THEN_DNS = """\
$ go test ./...
=== RUN   TestRecoverMiddleware
    middleware_test.go:20: recovered: boom
        goroutine 37 [running]:
        runtime/debug.Stack()
        	/usr/local/go/src/runtime/debug/stack.go:24 +0x5e
        panic({0x9b43a0?, 0xc4c1d0?})
        	/usr/local/go/src/runtime/panic.go:770 +0x132
--- PASS: TestRecoverMiddleware (1.16s)
PASS
ok  	github.com/acme/ingest/internal/handler	1.2s
$ go install github.com/swaggo/swag/cmd/swag@v1.16.3
go: github.com/swaggo/swag/cmd/swag@v1.16.3: github.com/swaggo/swag@v1.16.3: Get "https://proxy.golang.org/github.com/swaggo/swag/@v/v1.16.3.info": dial tcp: lookup proxy.golang.org on 10.96.0.10:53: read udp 10.244.3.17:41822->10.96.0.10:53: i/o timeout
ERROR: Job failed: exit code 1
"""


def test_a_passing_go_tests_logged_stack_is_an_aside_and_a_timed_out_lookup_is_dns() -> None:
    a = analyse(GO_RECOVERED_PANIC_THEN_DNS.encode())
    assert a.root_cause_line == 13, (a.root_cause_line, a.root_cause)
    assert a.signature == "net.dns.lookup_failed" and "proxy.golang.org" in a.root_cause


JENKINS_DOCKER_AGENT_NPM = """\
[Pipeline] stage
[Pipeline] { (Install & Test)
[Pipeline] sh
[2024-06-19T08:47:31.690Z] + docker inspect -f . node:20.14-bookworm
[2024-06-19T08:47:31.708Z] 
[2024-06-19T08:47:31.721Z] Error: No such object: node:20.14-bookworm
[Pipeline] sh
[2024-06-19T08:47:31.800Z] + docker pull node:20.14-bookworm
[2024-06-19T08:47:40.100Z] Status: Downloaded newer image for node:20.14-bookworm
[Pipeline] withDockerContainer
[Pipeline] {
[Pipeline] sh
[2024-06-19T08:48:03.484Z] + npm ci --no-audit --prefer-offline
[2024-06-19T08:48:05.384Z] npm ERR! code EACCES
[2024-06-19T08:48:05.400Z] npm ERR! syscall mkdir
[2024-06-19T08:48:05.439Z] npm ERR! path /.npm
[2024-06-19T08:48:05.471Z] npm ERR! errno -13
[2024-06-19T08:48:05.685Z] npm ERR! Your cache folder contains root-owned files, due to a bug in
[2024-06-19T08:48:05.764Z] npm ERR! previous versions of npm which has since been addressed.
[Pipeline] }
[2024-06-19T08:48:06.119Z] $ docker stop --time=1 965a8c70b0bd
[2024-06-19T08:48:07.419Z] $ docker rm -f --volumes 965a8c70b0bd
[Pipeline] // withDockerContainer
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Build image)
[2024-06-19T08:48:07.498Z] Stage "Build image" skipped due to earlier failure(s)
[Pipeline] End of Pipeline
ERROR: script returned exit code 243
Finished: FAILURE
"""


def test_jenkins_docker_plugins_image_probe_is_no_cause_and_npm_eacces_is_permission() -> None:
    a = analyse(JENKINS_DOCKER_AGENT_NPM.encode())
    assert a.root_cause_line == 14, (a.root_cause_line, a.root_cause)
    assert a.category == "permission"


def test_jenkins_abort_is_its_verdict_whatever_failed_before() -> None:
    log = (
        "[Pipeline] sh\n+ .venv/bin/pytest -v tests/integration\n"
        "tests/integration/test_e2e.py::test_corrupt_file_is_quarantined \n"
        "Traceback (most recent call last):\n"
        '  File "/ws/recon/parsers/mt940.py", line 133, in parse\n'
        '    raise StatementParseError(f"unexpected tag {tag!r}")\n'
        "recon.parsers.errors.StatementParseError: unexpected tag ':99X:' at line 17\n"
        "PASSED                                                                [ 41%]\n"
        "tests/integration/test_e2e.py::test_full_day_reconciliation_large \n"
        "16:08:15 INFO recon.matcher:matcher.py:210 matched 125000 / 1000000 candidate pairs\n"
        "Aborted by Priya Raman\nSending interrupt signal to process\n"
        "script returned exit code 143\n[Pipeline] }\nFinished: ABORTED\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 11 and a.category == "cancelled", (a.root_cause_line, a.root_cause)


FLUTTER_PUB_MIRROR = (
    """\
====>> Install tools
#!/bin/bash -eo pipefail
for i in 1 2 3; do dart pub global activate very_good_cli && break || sleep 5; done
Resolving dependencies...
Got socket error trying to find package very_good_cli at https://pub-mirror.acme.dev.
Resolving dependencies...
Activated very_good_cli 0.22.1.
"""
    + "".join(f"step output line {n}\n" for n in range(40))
    + """\
====>> flutter pub get
#!/bin/bash -eo pipefail
flutter pub get --enforce-lockfile
Resolving dependencies... 
Got socket error trying to find package flutter_bloc at https://pub-mirror.acme.dev.

Exited with code exit status 69
CircleCI received exit code 69
"""
)


def test_pubs_socket_error_in_the_failing_step_beats_the_same_error_a_retried_step_survived() -> (
    None
):
    a = analyse(FLUTTER_PUB_MIRROR.encode())
    assert "flutter_bloc" in _line(FLUTTER_PUB_MIRROR, a.root_cause_line or 0), a.root_cause
    assert a.signature == "dart.pub.socket_error" and a.category == "network"


XCODE_RETRIED_TEST = """\
Test Suite 'All tests' started at 2024-05-23 10:09:10.001
RoadSnapperTests
    ✔ testSnapsToSingleSegment (0.079 seconds)
    ✖ testSnapsToNearestRoadSegment, Asynchronous wait failed: Exceeded timeout of 2 seconds, with unfulfilled expectations: "snap completed".
    ✔ testSnapsToNearestRoadSegment (0.844 seconds)
    ✔ testIgnoresPointsFarFromRoads (0.023 seconds)
RouteFormatterTests
    ✔ testFormatsDurationUnderOneHour (0.018 seconds)
    ✖ testFormatsMixedUnitSummary, XCTAssertEqual failed: ("1.2 mi") is not equal to ("1.9 mi")
    ✔ testSummaryUsesLocaleDecimalSeparator (0.013 seconds)

Executed 240 tests, with 2 failures (0 unexpected) in 12.301 (12.5) seconds

Exited with code exit status 65
"""


def test_a_test_xcode_retried_until_it_passed_is_not_the_cause() -> None:
    a = analyse(XCODE_RETRIED_TEST.encode())
    assert a.root_cause_line == 9, (a.root_cause_line, a.root_cause)


TRAVIS_HEROKU = """\
travis_fold:start:after_success.1
$ ./cc-test-reporter after-build --exit-code $TRAVIS_TEST_RESULT || true
Error: open coverage/codeclimate.json: no such file or directory
Usage:
  cc-test-reporter after-build [flags]

Flags:
  -s, --batch-size int             batch size for source files (default 500)
travis_fold:end:after_success.1
travis_fold:start:dpl_0
Installing deploy dependencies
Successfully installed dpl-heroku-1.9.1
travis_fold:end:dpl_0
Preparing deploy
API request failed.
Message: Invalid credentials provided.
Reference: 
failed to deploy
travis_fold:start:after_script.1
$ echo "deploy target: harborline-staging"
deploy target: harborline-staging
travis_fold:end:after_script.1

Done. Your build exited with 1.
"""


def test_a_travis_command_run_with_or_true_is_ignored_and_its_usage_ends_at_the_next_step() -> None:
    a = analyse(TRAVIS_HEROKU.encode())
    assert a.root_cause_line in (15, 16), (a.root_cause_line, a.root_cause)
    assert a.category == "credentials"


def test_a_test_summarys_count_of_no_failures_is_no_cause() -> None:
    log = (
        "$ make check VERBOSE=1\n"
        "============================================================================\n"
        "Testsuite summary for libquern 0.4.1\n"
        "============================================================================\n"
        "# TOTAL: 24\n# PASS:  22\n# SKIP:  1\n# XFAIL: 1\n# FAIL:  0\n# XPASS: 0\n# ERROR: 0\n"
        "============================================================================\n"
        "make[2]: Entering directory `/home/travis/build/acme/libquern'\n"
        "./tests/fuzz/run-corpus.sh ./tests/fuzz/corpus\n"
        "/bin/bash: ./tests/fuzz/run-corpus.sh: Permission denied\n"
        "make[2]: *** [check-local] Error 126\n"
        "make[1]: *** [check-am] Error 2\n"
        'The command "make check VERBOSE=1" exited with 2.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 15, (a.root_cause_line, a.root_cause)


AZURE_FORMAT_ALLOWED_THEN_BUILD = """\
##[section]Starting: Check formatting
==============================================================================
[command]/usr/bin/dotnet format Ledger.sln --verify-no-changes --no-restore
/home/vsts/work/1/s/src/Api/Program.cs(41,2): error WHITESPACE: Fix whitespace formatting. Replace 9 characters with '\\n'. [/home/vsts/work/1/s/src/Api/Api.csproj]
##[error]Error: The process '/usr/bin/dotnet' failed with exit code 2
##[section]Finishing: Check formatting
##[section]Starting: dotnet build
[command]/usr/bin/dotnet build Ledger.sln -c Release -warnaserror
/home/vsts/work/1/s/src/Infra/FxRateClient.cs(77,17): warning CA1848: For improved performance, use the LoggerMessage delegates [/home/vsts/work/1/s/src/Infra/Infra.csproj]
/home/vsts/work/1/s/src/Infra/PostingRepository.cs(88,41): error CA2016: Forward the 'cancellationToken' parameter to the 'ToListAsync' method [/home/vsts/work/1/s/src/Infra/Infra.csproj]
Build FAILED.
##[error]Error: The process '/usr/bin/dotnet' failed with exit code 1
##[section]Finishing: dotnet build
##[section]Starting: Publish MSBuild logs
##[error]Publishing build artifacts failed with an error: Not found PathtoPublish: /home/vsts/work/1/a/msbuild-logs
##[section]Finishing: Publish MSBuild logs
##[section]Finishing: Build_Ledger
"""


def test_an_azure_task_allowed_to_fail_is_not_the_jobs_failure() -> None:
    a = analyse(AZURE_FORMAT_ALLOWED_THEN_BUILD.encode())
    assert "CA2016" in _line(AZURE_FORMAT_ALLOWED_THEN_BUILD, a.root_cause_line or 0), a.root_cause
    assert a.failing_step is not None and "dotnet build" in a.failing_step.name


def test_protocs_error_after_its_warnings_is_the_cause() -> None:
    log = (
        "$ make proto\n"
        "python -m grpc_tools.protoc -Iproto \\\n"
        "\t--python_out=src/gen \\\n"
        "\tproto/payments/v1/common.proto proto/payments/v1/errors.proto proto/payments/v1/refund.proto\n"
        "payments/v1/ledger.proto:4:1: warning: Import google/protobuf/empty.proto is unused.\n"
        'payments/v1/refund.proto:31:3: "RefundStatus" is not defined.\n'
        'payments/v1/refund_service.proto:6:1: Import "payments/v1/refund.proto" was not found or had errors.\n'
        "make: *** [Makefile:12: proto] Error 1\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 6, (a.root_cause_line, a.root_cause)
    assert a.signature == "protobuf.protoc.error" and a.category == "compile"


def test_a_dbt_data_test_that_failed_is_the_cause_not_its_compiled_sql_path() -> None:
    log = (
        "$ dbt build --target ci\n"
        "07:42:50  39 of 52 PASS not_null_fct_orders_order_id ........ [PASS in 0.09s]\n"
        "07:42:51  40 of 52 FAIL 3 relationships_fct_orders_customer_id .. [FAIL 3 in 0.04s]\n"
        "07:42:52  41 of 52 PASS dbt_utils_expression_is_true_amount ... [PASS in 0.11s]\n"
        "07:42:58  Completed with 1 error and 0 warnings:\n"
        "07:42:58  \n"
        "07:42:58  Failure in test relationships_fct_orders_customer_id (models/marts/core/_core.yml)\n"
        "07:42:58    Got 3 results, configured to fail if != 0\n"
        "07:42:58  \n"
        "07:42:58    compiled code at target/compiled/shop/models/marts/core/_core.yml/rel_fct.sql\n"
        "07:42:58  \n"
        "07:42:58  Done. PASS=50 WARN=0 ERROR=1 SKIP=1 TOTAL=52\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (3, 7), (a.root_cause_line, a.root_cause)
    assert a.category == "test"


def test_a_notebook_runners_exception_yields_to_the_notebooks_own() -> None:
    log = (
        "$ papermill notebooks/train.ipynb out/train.ipynb\n"
        "Traceback (most recent call last):\n"
        '  File "/usr/local/bin/papermill", line 8, in <module>\n'
        "    sys.exit(papermill())\n"
        '  File "/usr/local/lib/python3.11/dist-packages/papermill/execute.py", line 251, in raise_for_execution_errors\n'
        "    raise error\n"
        "papermill.exceptions.PapermillExecutionError: \n"
        "---------------------------------------------------------------------------\n"
        'Exception encountered at "In [4]":\n'
        "HTTPError                                 Traceback (most recent call last)\n"
        "Cell In[4], line 14\n"
        "---> 14 resp.raise_for_status()\n\n"
        "HTTPError: 503 Server Error: Service Unavailable for url: https://artifacts.acme.io/ml-25m.parquet\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 14, (a.root_cause_line, a.root_cause)


def test_a_line_beside_a_warning_in_one_indented_box_is_not_under_it() -> None:
    log = (
        "$ composer install --prefer-dist --no-interaction\n"
        "  - Installing acme/billing-sdk (v2.3.1): Cloning 8f3a1c2e4b\n\n"
        "  [RuntimeException]\n"
        "  Failed to execute git clone --no-checkout 'git@github.com:acme/billing-sdk.git' 'vendor/acme/billing-sdk'\n"
        "  Cloning into 'vendor/acme/billing-sdk'...\n"
        "  Warning: Permanently added the RSA host key for IP address '192.30.253.112' to the list of known hosts.\n"
        "  Permission denied (publickey).\n"
        "  fatal: Could not read from remote repository.\n\n"
        'The command "composer install --prefer-dist --no-interaction" failed and exited with 1 during .\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 8, (a.root_cause_line, a.root_cause)
    assert a.category == "credentials"


TRACED_NIGHTLY = """\
+ cmake --build build -j16
[ 56%] Building CXX object src/storage/CMakeFiles/kestrel_storage.dir/btree/node_cache.cc.o
{standard input}: Assembler messages:
{standard input}:412967: Fatal error: can't write 4096 bytes to section .debug_info of node_cache.cc.o: 'No space left on device'
make[2]: *** [src/storage/CMakeFiles/kestrel_storage.dir/build.make:104: node_cache.cc.o] Error 1
make: *** [Makefile:146: all] Error 2
+ on_exit 2
+ rc=2
+ mail -s '[ci-bm-03] kestrel nightly FAILED' kestrel-dev@lists.acme.org
send-mail: cannot write to /var/spool/nullmailer/tmp/1721354792.771204: No space left on device
+ curl -fsS -X POST -d 'build failed' "$NTFY_URL" || true
curl: (22) The requested URL returned error: 429
+ exit 2
"""


def test_a_traced_scripts_mail_and_ignored_notification_are_not_its_failure() -> None:
    # (a guard for the rules on traced `mail`, `|| true` and the traces themselves)
    log = "".join(
        f"[2024-07-19 02:08:{n:02d}] {line}\n" for n, line in enumerate(TRACED_NIGHTLY.splitlines())
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 4, (a.root_cause_line, a.root_cause)
    assert a.category == "infrastructure"


def test_nvccs_fatal_error_is_the_cause_not_ninjas_failed_header() -> None:
    # (ninja's `FAILED:` header names the object; nvcc's own line says why)
    log = (
        "+ cmake --build build\n"
        "[15/71] Building CUDA object src/CMakeFiles/fold_cuda.dir/kernels/spmv_csr.cu.o\n"
        "FAILED: src/CMakeFiles/fold_cuda.dir/kernels/spmv_csr.cu.o \n"
        "/usr/local/cuda/bin/nvcc -O3 -std=c++17 --generate-code=arch=compute_35,code=[sm_35] -c spmv_csr.cu\n"
        "nvcc fatal   : Unsupported gpu architecture 'compute_35'\n"
        "ninja: build stopped: subcommand failed.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 5, (a.root_cause_line, a.root_cause)
    assert a.signature == "cuda.nvcc.fatal"


def test_an_upload_action_that_runs_always_is_after_failure_work() -> None:
    log = _gha(
        ("pnpm exec eslint . --format @microsoft/eslint-formatter-sarif -o eslint-results.sarif",
         ["/home/runner/work/notes/src/routes/api/upload/+server.ts",
          "  33:15  error  Unsafe assignment of an error typed value  "
          "@typescript-eslint/no-unsafe-assignment", "",
          "✖ 4 problems (1 error, 3 warnings)", "",
          " ELIFECYCLE  Command failed with exit code 1."], 1),
        ("github/codeql-action/upload-sarif@v3",
         ["##[error]Path does not exist: eslint-results.sarif"], None),
    )  # fmt: skip
    a = analyse(log.encode())
    assert "no-unsafe-assignment" in _line(log, a.root_cause_line or 0), a.root_cause
