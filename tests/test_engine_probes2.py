# ruff: noqa: E501
"""Output shapes found by a second round of probing with realistic logs of other CI systems and
tools: the line a person would point at, and what the report says of it."""

from __future__ import annotations

import pytest

from ciwhy.analysis import analyse

JAVA_CHAIN = """\
[INFO] Running com.acme.orders.OrderServiceIT
[ERROR] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 4.112 s <<< FAILURE! - in com.acme.orders.OrderServiceIT
[ERROR] placesOrder(com.acme.orders.OrderServiceIT)  Time elapsed: 2.01 s  <<< ERROR!
org.springframework.beans.factory.BeanCreationException: Error creating bean with name 'dataSource' defined in class path resource [com/acme/DbConfig.class]: Failed to instantiate [javax.sql.DataSource]
	at org.springframework.beans.factory.support.ConstructorResolver.instantiate(ConstructorResolver.java:658)
	at org.springframework.beans.factory.support.AbstractAutowireCapableBeanFactory.createBean(AbstractAutowireCapableBeanFactory.java:517)
Caused by: org.springframework.beans.BeanInstantiationException: Failed to instantiate [javax.sql.DataSource]: Factory method 'dataSource' threw exception
	at org.springframework.beans.factory.support.SimpleInstantiationStrategy.instantiate(SimpleInstantiationStrategy.java:185)
	... 42 more
Caused by: com.zaxxer.hikari.pool.HikariPool$PoolInitializationException: Failed to initialize pool: Connection to localhost:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
	at com.zaxxer.hikari.pool.HikariPool.throwPoolInitializationException(HikariPool.java:596)
	... 50 more
Caused by: org.postgresql.util.PSQLException: Connection to localhost:5432 refused. Check that the hostname and port are correct and that the postmaster is accepting TCP/IP connections.
	at org.postgresql.core.v3.ConnectionFactoryImpl.openConnectionImpl(ConnectionFactoryImpl.java:319)
	... 60 more
Caused by: java.net.ConnectException: Connection refused
	at java.base/sun.nio.ch.Net.connect0(Native Method)
	... 70 more

[INFO]
[INFO] Results:
[INFO]
[ERROR] Errors:
[ERROR]   OrderServiceIT.placesOrder » BeanCreation Error creating bean with name 'dataSo...
[INFO]
[ERROR] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0
[INFO] ------------------------------------------------------------------------
[INFO] BUILD FAILURE
[INFO] ------------------------------------------------------------------------
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-failsafe-plugin:3.2.5:integration-test (default) on project orders: There are test failures.
"""


def test_a_java_cause_chain_is_read_down_to_the_refused_connection() -> None:
    # The test's header (`<<< ERROR!`) is not the cause, nor the wrapper exceptions: the
    # `Caused by:` naming the refused host and port is.
    a = analyse(JAVA_CHAIN.encode())
    assert a.root_cause_line == 13, a.root_cause
    assert a.signature == "net.connection.refused"
    assert "localhost:5432" in a.root_cause
    assert a.category == "network"


UNITTEST_VERBOSE = """\
$ python -m unittest -v
test_cannot_parse_empty_input (tests.test_parser.ParserTest) ... ok
test_error_on_bad_token (tests.test_parser.ParserTest) ... ok
test_raises_error_when_closed (tests.test_stream.StreamTest) ... skipped 'needs network'
test_round_trip (tests.test_stream.StreamTest) ... FAIL

======================================================================
FAIL: test_round_trip (tests.test_stream.StreamTest)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/src/tests/test_stream.py", line 41, in test_round_trip
    self.assertEqual(decode(encode(b"abc")), b"abc")
AssertionError: b'ab' != b'abc'

----------------------------------------------------------------------
Ran 4 tests in 0.012s

FAILED (failures=1, skipped=1)
"""


def test_unittest_results_reported_ok_or_skipped_are_never_causes() -> None:
    from ciwhy.analysis.library_index import default_library

    lines = UNITTEST_VERBOSE.splitlines()
    hits = default_library().scan(lines, UNITTEST_VERBOSE)
    for i in (1, 2, 3):
        assert "not_failed" in hits.features.get(i, ()), lines[i]
    assert "not_failed" not in hits.features.get(4, ())
    # (the failing test's header, or its assertion)
    assert analyse(UNITTEST_VERBOSE.encode()).root_cause_line in (8, 13)


GRADLE_STACKTRACE = """\
$ ./gradlew build --stacktrace
> Task :core:compileKotlin
> Task :api:compileKotlin FAILED
e: file:///builds/acme/api/src/main/kotlin/com/acme/api/Routes.kt:57:38 Unresolved reference: findByCode
e: file:///builds/acme/api/src/main/kotlin/com/acme/api/Routes.kt:63:31 Type mismatch: inferred type is String? but String was expected

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':api:compileKotlin'.
> A failure occurred while executing org.jetbrains.kotlin.compilerRunner.GradleCompilerRunnerWithWorkers$GradleKotlinCompilerWorkAction
   > Compilation error. See log for more details

* Exception is:
org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':api:compileKotlin'.
\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.lambda$executeIfValid$1(ExecuteActionsTaskExecuter.java:148)
\tat org.gradle.internal.Try$Failure.ifSuccessfulOrElse(Try.java:282)
Caused by: org.gradle.workers.internal.DefaultWorkerExecutor$WorkExecutionException: A failure occurred while executing org.jetbrains.kotlin.compilerRunner.GradleCompilerRunnerWithWorkers$GradleKotlinCompilerWorkAction
\tat org.gradle.workers.internal.DefaultWorkerExecutor$WorkItemExecution.waitForCompletion(DefaultWorkerExecutor.java:287)
Caused by: org.gradle.api.GradleException: Compilation error. See log for more details
\tat org.jetbrains.kotlin.gradle.tasks.TasksUtilsKt.throwExceptionIfCompilationFailed(tasksUtils.kt:22)

BUILD FAILED in 41s
ERROR: Job failed: exit code 1
"""


def test_gradles_stacktrace_wrappers_are_not_the_cause_of_a_compile_error() -> None:
    # `TaskExecutionException` also reads as an exception with frames below it: the symptom
    # signature that knows it for Gradle's wrapper speaks for the line.
    a = analyse(GRADLE_STACKTRACE.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.signature == "jvm.kotlinc.error"
    assert a.category == "compile"


BUILDKITE_BOOM = """\
~~~ Running commands
--- :rust: cargo fmt --check
--- :paperclip: cargo clippy
+ cargo clippy --all-targets -- -D warnings
    Checking relay-core v0.4.0 (/workdir/crates/relay-core)
error[E0308]: mismatched types
  --> crates/relay-core/src/router.rs:88:20
error: could not compile `relay-core` (lib) due to 1 previous error
+++ :boom: clippy found problems
^^^ +++
+ buildkite-agent annotate --style error --context clippy < clippy-annotation.md
2024-05-03 14:22:09 INFO   Annotation added with context "clippy"
🚨 Error: The command exited with status 101
~~~ Running global pre-exit hook
"""


def test_a_buildkite_banner_pointing_back_is_not_the_failing_step() -> None:
    # `^^^ +++` under a section tells Buildkite to open the section above: that one failed.
    a = analyse(BUILDKITE_BOOM.encode())
    assert a.root_cause_line == 6, a.root_cause
    assert a.failing_step is not None and a.failing_step.name == ":paperclip: cargo clippy"
    assert a.failing_step.exit_code == 101


def _gha(body: str) -> bytes:
    """A GitHub Actions log: every line stamped as the runner does."""
    return "".join(
        f"2025-03-14T09:03:{i // 1000 % 60:02d}.{i:07d}Z {line}\n"
        for i, line in enumerate(body.splitlines())
    ).encode()


GHA_TIMEOUT = """\
##[group]Run go test ./...
go test ./...
##[endgroup]
=== RUN   TestRebalance
    rebalance_test.go:61: stopping member relay-1, waiting for group to rebalance
##[error]The job running on runner GitHub Actions 1000004821 has exceeded the maximum execution time of 45 minutes.
##[error]The operation was canceled.
Post job cleanup.
"""
GHA_CANCELLED = """\
##[group]Run go test ./...
go test ./...
##[endgroup]
=== RUN   TestRebalance
##[error]The operation was canceled.
Post job cleanup.
"""


def test_a_time_limit_and_a_cancellation_do_not_share_a_fingerprint() -> None:
    timeout, cancelled = analyse(_gha(GHA_TIMEOUT)), analyse(_gha(GHA_CANCELLED))
    assert timeout.root_cause_line == 6 and timeout.category == "timeout"
    assert timeout.fingerprint.rule == timeout.signature
    assert "maximum execution time" in timeout.fingerprint.template
    assert cancelled.category == "cancelled"
    assert timeout.fingerprint.hash != cancelled.fingerprint.hash


GHA_RUFF_ANNOTATIONS = """\
##[group]Run ruff check --output-format=github .
ruff check --output-format=github .
##[endgroup]
##[error]src/ledgerly/importers/ofx.py:12:8: F401 `os` imported but unused
##[error]Process completed with exit code 1.
"""


def test_a_ci_annotation_prefix_is_not_part_of_a_captured_file_name() -> None:
    a = analyse(_gha(GHA_RUFF_ANNOTATIONS))
    assert a.root_cause_line == 4 and a.signature == "python.lint.violation"
    assert "##[" not in a.root_cause + a.fix_suggestion, (a.root_cause, a.fix_suggestion)
    assert "src/ledgerly/importers/ofx.py:12" in a.fix_suggestion


GHA_SERVICE = """\
##[group]Initialize containers
##[command]/usr/bin/docker create --name 3f8a1c_postgres16 --network github_network -e "POSTGRES_PASSWORD=" postgres:16
Service container postgres failed.
##[command]/usr/bin/docker logs --details 3f8a1c_postgres16
 Error: Database is uninitialized and superuser password is not specified.
##[error]Failed to initialize container postgres:16
##[error]One or more containers failed to start.
##[group]Print service container logs: 3f8a1c_postgres16
 Error: Database is uninitialized and superuser password is not specified.
##[endgroup]
Post job cleanup.
"""


def test_a_github_service_container_that_fails_to_start_ends_the_job() -> None:
    # No `Process completed` line: the job stops at the container failure, and the service's
    # log printed after it is post-job work.
    a = analyse(_gha(GHA_SERVICE))
    assert a.root_cause_line in (5, 6), a.root_cause
    assert a.failing_step is not None and a.failing_step.end_line <= 8


XDIST_CRASH = """\
$ poetry run pytest -n 4
..............................[gw2] node down: Not properly terminated
F
replacing crashed worker gw2
=================================== FAILURES ===================================
__________________________ test_tile_large_mosaic[cog-4096] __________________________
[gw2] linux -- Python 3.12.2 /home/runner/.venv/bin/python
worker 'gw2' crashed while running 'tests/raster/test_tiling.py::test_tile_large_mosaic[cog-4096]'
=========================== short test summary info ============================
FAILED tests/raster/test_tiling.py::test_tile_large_mosaic[cog-4096]
======================== 1 failed, 211 passed in 44.18s ========================
ERROR: Job failed: exit code 1
"""


def test_a_crashed_xdist_worker_is_infrastructure_not_an_assertion() -> None:
    a = analyse(XDIST_CRASH.encode())
    assert a.root_cause_line in (2, 8), a.root_cause
    assert a.signature == "python.xdist.worker_crashed"
    assert a.category == "infrastructure"


TRAVIS_FAILED_AND_EXITED = """\
$ pip install -r requirements.txt
ERROR: Could not install packages due to an OSError: HTTPSConnectionPool(host='pypi.org', port=443): Max retries exceeded with url: /simple/requests/ (Caused by SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: self-signed certificate in certificate chain (_ssl.c:1006)')))
The command "pip install -r requirements.txt" failed and exited with 1 during .
Your build has been stopped.
"""


def test_travis_failed_and_exited_marker_gives_the_command_and_code() -> None:
    a = analyse(TRAVIS_FAILED_AND_EXITED.encode())
    assert a.exit_code == 1
    assert (
        a.failing_step is not None and a.failing_step.command == "pip install -r requirements.txt"
    )
    assert a.root_cause_line == 2


RSPEC_PENDING_FAILURE = """\
$ bundle exec rspec
.....*..*...F

Pending: (Failures listed here are expected and do not affect your suite's status)

  1) Carriers::UpsClient#track parses multi-piece shipments
     # Waiting on UPS sandbox credentials
     Failure/Error: expect(result.pieces.size).to eq(3)

       expected: 3
            got: 1
     # ./spec/lib/carriers/ups_client_spec.rb:77:in `block (3 levels) in <top (required)>'

  2) Webhooks::Dispatcher retries with exponential backoff
     # Temporarily skipped with xit
     # ./spec/services/webhooks/dispatcher_spec.rb:64

Failures:

  1) Api::V2::ShipmentsController POST /api/v2/shipments with an expired token returns 422
     Failure/Error: expect(response).to have_http_status(:unprocessable_entity)
       expected the response to have status code :unprocessable_entity (422) but it was :internal_server_error (500)
     # ./spec/requests/api/v2/shipments_spec.rb:88:in `block (4 levels) in <top (required)>'

Finished in 3.2 seconds (files took 1.9 seconds to load)
13 examples, 1 failure, 2 pending

Failed examples:

rspec ./spec/requests/api/v2/shipments_spec.rb:84 # Api::V2::ShipmentsController POST /api/v2/shipments with an expired token returns 422
Exited with code exit status 1
"""


def test_rspec_pending_examples_are_neither_the_cause_nor_failing_tests() -> None:
    a = analyse(RSPEC_PENDING_FAILURE.encode())
    assert a.root_cause_line in (21, 22), a.root_cause
    names = [t.name for t in a.failing_tests]
    assert names and all(n.startswith("Api::V2::ShipmentsController POST") for n in names), names


SUREFIRE_LOGGED_EXCEPTION = """\
[INFO] Running com.acme.billing.InvoiceServiceTest
2024-03-06 09:14:02.118 ERROR 4121 --- [main] c.a.billing.InvoiceService : ledger call failed
com.acme.billing.ledger.LedgerUnavailableException: ledger-stub refused connection
\tat com.acme.billing.ledger.LedgerClient.post(LedgerClient.java:88)
\tat com.acme.billing.InvoiceService.issue(InvoiceService.java:142)
[INFO] Tests run: 14, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 2.311 s - in com.acme.billing.InvoiceServiceTest
[INFO] Running com.acme.billing.export.ReportExportTest
[ERROR] Tests run: 3, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 41.2 s <<< FAILURE! - in com.acme.billing.export.ReportExportTest
[ERROR] com.acme.billing.export.ReportExportTest.exportsFullYearCsv -- Time elapsed: 40.9 s <<< ERROR!
java.lang.OutOfMemoryError: Java heap space
\tat java.base/java.util.Arrays.copyOf(Arrays.java:3537)
\tat com.acme.billing.export.CsvWriter.append(CsvWriter.java:61)
[INFO]
[ERROR] Tests run: 17, Failures: 0, Errors: 1, Skipped: 0
[INFO] BUILD FAILURE
Finished: FAILURE
"""


def test_an_exception_logged_by_a_passing_junit_class_is_not_the_cause() -> None:
    a = analyse(SUREFIRE_LOGGED_EXCEPTION.encode())
    assert a.root_cause_line in (9, 10), a.root_cause
    assert a.category == "infrastructure"


NEXTEST_RETRY = """\
$ cargo nextest run --workspace --retries 2
    Starting 212 tests across 9 binaries
        PASS [   0.011s] quiverdb-wal recovery::tests::replays_clean_log
   TRY 1 FAIL [   0.512s] quiverdb-net client::tests::reconnects_after_reset
──── TRY 1 STDERR:       quiverdb-net client::tests::reconnects_after_reset
thread 'client::tests::reconnects_after_reset' panicked at crates/net/src/client.rs:301:14:
connection was not re-established within 500ms
note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
  TRY 2 PASS [   0.204s] quiverdb-net client::tests::reconnects_after_reset
        FAIL [   0.032s] quiverdb-wal recovery::tests::replays_torn_write
──── STDERR:             quiverdb-wal recovery::tests::replays_torn_write
thread 'recovery::tests::replays_torn_write' panicked at crates/wal/src/recovery.rs:214:9:
assertion `left == right` failed
  left: 17
 right: 16
     Summary [   1.244s] 212 tests run: 211 passed (1 flaky), 1 failed, 0 skipped
       FLAKY 2/3 [   0.204s] quiverdb-net client::tests::reconnects_after_reset
        FAIL [   0.032s] quiverdb-wal recovery::tests::replays_torn_write
error: test run failed
##[error]Process completed with exit code 100.
"""


def test_a_test_that_failed_a_try_and_passed_the_next_is_not_the_cause() -> None:
    a = analyse(NEXTEST_RETRY.encode())
    assert a.root_cause_line in (12, 13), a.root_cause
    assert "replays_torn_write" in a.root_cause + " ".join(t.name for t in a.failing_tests)


VITEST_DURATIONS = """\
$ npx vitest run
 ❯ src/report/summary.test.ts (9 tests | 2 failed) 27ms
   × summarizeRuns > groups runs by status 6ms
     → Object.groupBy is not a function
   × summarizeRuns > counts flaky runs once 1ms
     → Object.groupBy is not a function
   ✓ renderSummary > escapes pipes in job names 1ms

⎯⎯⎯⎯⎯⎯⎯ Failed Tests 2 ⎯⎯⎯⎯⎯⎯⎯

 FAIL  src/report/summary.test.ts > summarizeRuns > groups runs by status
TypeError: Object.groupBy is not a function
 ❯ summarizeRuns src/report/summary.ts:14:25
 FAIL  src/report/summary.test.ts > summarizeRuns > counts flaky runs once
TypeError: Object.groupBy is not a function
 ❯ summarizeRuns src/report/summary.ts:14:25

 Test Files  1 failed (1)
      Tests  2 failed | 7 passed (9)
ERROR: Job failed: exit code 1
"""


def test_vitest_names_lose_their_duration_and_are_listed_once() -> None:
    names = [t.name for t in analyse(VITEST_DURATIONS.encode()).failing_tests]
    assert names == [
        "summarizeRuns > groups runs by status",
        "summarizeRuns > counts flaky runs once",
    ]


GO_TIMEOUT = """\
$ go test ./...
ok  \tgithub.com/acme/replica/internal/wal\t0.812s
panic: test timed out after 8m0s
\trunning tests:
\t\tTestReplicator_CatchUpAfterFailover (7m59s)

goroutine 41 [chan receive, 7 minutes]:
github.com/acme/replica/internal/replica.(*Replicator).waitApplied(0xc0001a2000, 0x2a)
\t/home/circleci/project/internal/replica/replicator.go:203 +0x9c
FAIL\tgithub.com/acme/replica/internal/replica\t480.021s
FAIL
Exited with code exit status 1
"""


def test_the_test_go_was_running_when_it_timed_out_is_the_failing_test() -> None:
    a = analyse(GO_TIMEOUT.encode())
    assert a.root_cause_line == 3 and a.category == "timeout"
    assert [t.name for t in a.failing_tests] == ["TestReplicator_CatchUpAfterFailover"]


PHPUNIT_DEPRECATIONS = """\
$ make qa
vendor/bin/phpunit
...........................D.............................. 58 / 58 (100%)

1 test triggered 1 PHP deprecation:

1) /home/ci/work/app/src/Support/Str.php:33
strtolower(): Passing null to parameter #1 ($string) of type string is deprecated

OK, but there were issues!
vendor/bin/phpstan analyse --no-progress
 ------ ------------------------------------------------------------------
  Line   src/Billing/InvoiceMailer.php
 ------ ------------------------------------------------------------------
  42     Method App\\Billing\\InvoiceMailer::send() should return bool but returns int|false.
 ------ ------------------------------------------------------------------

 [ERROR] Found 1 error
make: *** [Makefile:12: qa] Error 1
"""


def test_phpunits_deprecation_list_names_no_failing_test() -> None:
    assert analyse(PHPUNIT_DEPRECATIONS.encode()).failing_tests == ()


SET_X_EXIT = """\
+ cmake -S . -B build -G Ninja
CMake Error at CMakeLists.txt:41 (find_package):
  Could not find a package configuration file provided by "PROJ".
-- Configuring incomplete, errors occurred!
+ echo '=== nightly.sh: libgeo FAILED (exit 1) ==='
=== nightly.sh: libgeo FAILED (exit 1) ===
+ exit 1
"""


def test_a_scripts_own_exit_is_not_the_failing_command() -> None:
    a = analyse(SET_X_EXIT.encode())
    assert a.failing_step is not None
    assert (a.failing_step.command or "").startswith("cmake -S"), a.failing_step
    # (nor is the script's echoed banner the cause: the tool's error above it is)
    assert a.root_cause_line == 2, a.root_cause


JEST_COVERAGE = """\
$ npx jest --ci --coverage
PASS src/orders/orders.service.spec.ts
PASS src/errors/errors.spec.ts
Test Suites: 2 passed, 2 total
Tests:       187 passed, 187 total
----------------|---------|----------|---------|---------|
File            | % Stmts | % Branch | % Funcs | % Lines |
----------------|---------|----------|---------|---------|
 errors.ts      |     100 |      100 |     100 |     100 |
 orders.ts      |   71.22 |    60.11 |   80.00 |   70.95 |
----------------|---------|----------|---------|---------|
Jest: "global" coverage threshold for lines (80%) not met: 76.42%
Jest: "global" coverage threshold for branches (70%) not met: 66.84%
ERROR: Job failed: exit code 1
"""


def test_a_coverage_threshold_is_the_cause_when_every_test_passed() -> None:
    a = analyse(JEST_COVERAGE.encode())
    assert a.root_cause_line == 12, a.root_cause
    assert a.signature == "js.coverage.threshold_not_met"
    assert "76.42%" in a.root_cause and "80%" in a.root_cause


JEST_TIMEOUT = """\
$ yarn test:ci
FAIL src/orders/orders.service.spec.ts (12.904 s)
  ● OrderService › syncOrders › pushes pending orders to the ERP gateway

    thrown: "Exceeded timeout of 5000 ms for a test.
    Add a timeout value to this test to increase the timeout, if this is a long-running test. See https://jestjs.io/docs/api#testname-fn-timeout."

      40 |   });
      41 |
    > 42 |   it('pushes pending orders to the ERP gateway', async () => {

Tests:       1 failed, 41 passed, 42 total
ERROR: Job failed: exit code 1
"""


def test_a_jest_timeout_names_the_timeout() -> None:
    a = analyse(JEST_TIMEOUT.encode())
    assert a.root_cause_line in (3, 5), a.root_cause
    assert a.signature in ("js.jest.test_timeout", "js.jest.test_failed")
    assert a.root_cause_line == 3 or "5000 ms" in a.root_cause


PLAYWRIGHT_RULE = """\
$ npx playwright test
  1) [chromium] › settings/profile.spec.ts:88:7 › Profile › uploads an avatar ──────────────────────

    Error: expect(locator).toBeVisible() failed
  1 failed
ERROR: Job failed: exit code 1
"""


def test_a_runners_rule_after_a_title_is_not_part_of_the_title() -> None:
    a = analyse(PLAYWRIGHT_RULE.encode())
    assert "─" not in a.root_cause + a.explanation, a.root_cause


MOCHA_NESTED = """\
$ npx mocha
  19 passing (2s)
  2 failing

  1) TransferService
       #transfer()
         applies the FX rate for cross-currency transfers:

      AssertionError: expected 91.27 to equal 91.28
      at Context.<anonymous> (test/services/transfer.spec.js:112:39)

  2) TransferService
       #reverse()
         refuses to reverse a transfer older than 90 days:
     AssertionError: expected [Function] to throw an error
      at Context.<anonymous> (test/services/transfer.spec.js:187:55)

##[error]Process completed with exit code 2.
"""


def test_a_mocha_title_nested_over_several_lines_is_one_name() -> None:
    tests = analyse(MOCHA_NESTED.encode()).failing_tests
    assert [(t.name, t.line) for t in tests] == [
        ("TransferService #transfer() applies the FX rate for cross-currency transfers", 112),
        ("TransferService #reverse() refuses to reverse a transfer older than 90 days", 187),
    ]


GERMAN_GCC = """\
+ make -j4
gcc -O2 -Wall -c can_driver.c -o can_driver.o
can_driver.c: In Funktion »can_init«:
can_driver.c:88:26: Fehler: »CAN_RX_FIFO_DEPTH« nicht deklariert (erste Benutzung in dieser Funktion)
   88 |     uint8_t fifo[CAN_RX_FIFO_DEPTH];
      |                  ^~~~~~~~~~~~~~~~~
can_driver.c:88:26: Anmerkung: jeder nicht deklarierte Bezeichner wird nur einmal aufgeführt
make: *** [Makefile:14: can_driver.o] Fehler 1
Finished: FAILURE
"""


def test_a_compiler_speaking_the_runners_language_still_reports_an_error() -> None:
    a = analyse(GERMAN_GCC.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.signature == "c.compiler.error" and a.category == "compile"


MAVEN_WINDOWS = """\
[INFO] --- compiler:3.13.0:compile (default-compile) @ ledger-core ---
[ERROR] /D:/a/ledger/ledger/ledger-core/src/main/java/com/acme/ledger/PostingService.java:[57,31] cannot find symbol
  symbol:   method postAll(java.util.List<com.acme.ledger.Entry>)
[INFO] BUILD FAILURE
##[error]Process completed with exit code 1.
"""


def test_maven_prints_windows_paths_with_a_leading_slash() -> None:
    a = analyse(_gha(MAVEN_WINDOWS))
    assert a.root_cause_line == 2 and a.signature == "jvm.maven.compile_error"
    assert "PostingService.java:57" in a.root_cause


PS51_ERROR = """\
##[group]Run ./ci/Install-Toolchain.ps1
./ci/Install-Toolchain.ps1
shell: C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.EXE -command ". '{0}'"
##[endgroup]
Downloading https://artifacts.example.net/toolchains/arm-gnu-toolchain-13.2.zip
Invoke-WebRequest : Unable to connect to the remote server
At C:\\actions-runner\\_work\\fw\\fw\\ci\\Install-Toolchain.ps1:12 char:5
+     Invoke-WebRequest -Uri $url -OutFile $zip -UseBasicParsing
+     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
    + CategoryInfo          : InvalidOperation: (System.Net.HttpWebRequest:HttpWebRequest) [Invoke-WebRequest], WebException
    + FullyQualifiedErrorId : WebCmdletWebResponseException,Microsoft.PowerShell.Commands.InvokeWebRequestCommand

##[error]Process completed with exit code 1.
"""


def test_a_powershell_error_is_its_message_not_its_location_or_quoted_code() -> None:
    a = analyse(_gha(PS51_ERROR))
    assert a.root_cause_line == 6, a.root_cause


AZURE_GRADLE = """\
##[section]Starting: Gradle lintRelease
##[command]/home/vsts/work/1/s/gradlew -p . :app:lintRelease
> Task :app:lintRelease FAILED
/home/vsts/work/1/s/app/src/main/java/com/acme/SettingsActivity.kt:112: Error: Call requires API level 31 (current min is 26): android.app.Activity#setTranslucent [NewApi]
Lint found errors in the project; aborting build.
##[error]Error: /home/vsts/work/1/s/gradlew failed with return code: 1
##[section]Finishing: Gradle lintRelease
##[section]Starting: Post-job: Checkout app@refs/pull/1187/merge to s
Cleaning any cached credential from repository: app (Git)
##[section]Finishing: Post-job: Checkout app@refs/pull/1187/merge to s
##[section]Starting: Finalize Job
##[section]Finishing: Finalize Job
"""


def test_an_azure_task_failing_with_a_return_code_is_the_failing_step() -> None:
    a = analyse(_gha(AZURE_GRADLE))
    assert a.root_cause_line == 4 and a.category == "lint", (a.root_cause, a.category)
    assert a.failing_step is not None and a.failing_step.name == "Gradle lintRelease"
    assert a.exit_code == 1


BITRISE_PUB = """\
+------------------------------------------------------------------------------+
| (3) restore-dart-cache@1                                                     |
+------------------------------------------------------------------------------+
Restoring cache...
+---+---------------------------------------------------------------+----------+
| ✓ | restore-dart-cache@1                                          | 10.12 sec|
+---+---------------------------------------------------------------+----------+
+------------------------------------------------------------------------------+
| (4) Flutter pub get + test                                                   |
+------------------------------------------------------------------------------+
+ flutter pub get
Resolving dependencies...
Because every version of flutter_localizations from sdk depends on intl 0.19.0 and harbor depends on intl ^0.18.1, flutter_localizations from sdk is forbidden.
So, because harbor depends on flutter_localizations from sdk, version solving failed.
+---+---------------------------------------------------------------+----------+
| x | Flutter pub get + test (exit code: 1)                         | 3.71 sec |
+---+---------------------------------------------------------------+----------+
+------------------------------------------------------------------------------+
| (5) deploy-to-bitrise-io@2                                                   |
+------------------------------------------------------------------------------+
Uploading artifacts... done
"""


def test_a_bitrise_step_box_bounds_the_failing_step() -> None:
    a = analyse(BITRISE_PUB.encode())
    assert a.root_cause_line in (13, 14), a.root_cause
    assert a.category == "dependency"
    assert a.failing_step is not None and a.failing_step.name == "Flutter pub get + test"
    assert a.exit_code == 1


PIP_ERROR_BOX = """\
$ pip install -r requirements.txt
      src/_helpers.c:12:10: fatal error: Python.h: No such file or directory
  error: subprocess-exited-with-error

  × Building wheel for aiohttp (pyproject.toml) did not run successfully.
  │ exit code: 1
  ╰─> [203 lines of output]
ERROR: Failed to build installable wheels for some pyproject.toml based projects (aiohttp)
Exited with code exit status 1
"""


def test_pips_error_box_names_no_failing_test() -> None:
    assert analyse(PIP_ERROR_BOX.encode()).failing_tests == ()


# A third round: each shape in a few lines, the line a person would point at.
ROUND3 = [
    (  # clojure.test's uncaught exception is a test's error, not webpack's `ERROR in`
        "lein test\nlein test acme.dates-test\n\n"
        "ERROR in (parses-iso-dates) (DateTimeFormatter.java:2108)\n"
        'expected: (= (parse "2024-02-30") nil)\n'
        "  actual: java.time.format.DateTimeParseException: Text '2024-02-30' could not be parsed\n"
        "Ran 12 tests containing 40 assertions.\n0 failures, 1 errors.\nTests failed.\n"
        "Finished: FAILURE\n",
        (4, 6),
        ("test", "unknown"),  # (the exception line under it is taken as well, by its words)
    ),
    (  # nimble's unsatisfiable requirement
        "$ nimble install --depsOnly\nDownloading https://github.com/status-im/nim-chronos\n"
        "Error: Cannot satisfy the dependency on chronos 3.2.0 and chronos 4.0.0\nBuild failed.\n",
        (3, 3),
        "dependency",
    ),
    (  # Bazel's analysis phase names the missing target
        "$ bazel build //services/...\n"
        "ERROR: /builds/acme/services/api/BUILD.bazel:22:13: no such target '//libs/auth:jwt_verifier': "
        "target 'jwt_verifier' not declared in package 'libs/auth'\n"
        "ERROR: Analysis of target '//services/api:api' failed; build aborted\nFAILED: \n"
        "ERROR: Job failed: exit code 1\n",
        (2, 2),
        "config",
    ),
    (  # the Kotlin daemon running out of memory is not a compile error
        "> Task :feature:maps:compileReleaseKotlin\n"
        "e: Not enough memory to run compilation. Try to increase it via 'gradle.properties':\n"
        "    kotlin.daemon.jvmargs=-Xmx<size>\n> Task :feature:maps:compileReleaseKotlin FAILED\n"
        "BUILD FAILED in 3m 2s\n##[error]Process completed with exit code 1.\n",
        (2, 2),
        "infrastructure",
    ),
    (  # meson's test runner: the TIMEOUT row, not its summary's `Expected Fail: 0`
        "$ meson test -C build\n 1/3 vfx:unit / tokens          OK              0.02s\n"
        " 2/3 vfx:integration / ipc-roundtrip        TIMEOUT        30.03s   killed by signal 15 SIGTERM\n"
        " 3/3 vfx:unit / parse           OK              0.41s\n\nOk:                 2\n"
        "Expected Fail:      0\nFail:               0\nTimeout:            1\n"
        "ERROR: Job failed: exit code 1\n",
        (3, 3),
        "test",
    ),
    (  # pnpm's 401 from a private registry
        "$ rush install\nERR_PNPM_FETCH_401  GET https://npm.pkg.github.com/download/@acme/tokens/1.4.0: "
        "Unauthorized - 401\nERROR: Error: The command failed:\nERROR: Job failed: exit code 1\n",
        (2, 2),
        "credentials",
    ),
    (  # kubectl's strict decoding of a misspelt field
        "$ kubectl apply -f deploy.yaml\nError from server (BadRequest): error when creating "
        '"deploy.yaml": Deployment in version "v1" cannot be handled as a Deployment: strict decoding '
        'error: unknown field "spec.template.spec.containers[0].resource"\n'
        "ERROR: Job failed: exit code 1\n",
        (2, 2),
        "config",
    ),
    (  # Alembic's two heads
        "$ alembic upgrade head\nFAILED: Multiple head revisions are present for given argument 'head'; "
        "please specify a specific target revision\nERROR: Job failed: exit code 1\n",
        (2, 2),
        "config",
    ),
    (  # Grype's threshold, commitlint and changesets
        "$ grype registry.example.com/app:1.2 --fail-on high\n"
        "NAME      INSTALLED  FIXED-IN  TYPE  VULNERABILITY   SEVERITY\n"
        "openssl   3.0.2      3.0.7     deb   CVE-2022-3602   High\n"
        "[0023] ERROR discovered vulnerabilities at or above the severity threshold\n"
        "ERROR: Job failed: exit code 1\n",
        (4, 4),
        "dependency",
    ),
    (
        "$ npx commitlint --from origin/main\n⧗   input: update stuff\n"
        "✖   subject may not be empty [subject-empty]\n✖   type may not be empty [type-empty]\n\n"
        "✖   found 2 problems, 0 warnings\n##[error]Process completed with exit code 1.\n",
        (3, 3),
        "lint",
    ),
    (  # a Maven reactor summary's FAILURE row is a symptom of the module's own error
        "[INFO] --- dependency-check:10.0.4:check (default) @ orders-domain ---\n[INFO] \n"
        "[INFO] orders-service ..................................... FAILURE [ 52.904 s]\n"
        "[INFO] BUILD FAILURE\n"
        "[ERROR] Failed to execute goal org.owasp:dependency-check-maven:10.0.4:check (default) on project orders-service:\n"
        "[ERROR] One or more dependencies were identified with vulnerabilities that have a CVSS score greater than or equal to '7.0': \n"
        "[ERROR] snakeyaml-1.33.jar: CVE-2022-1471(9.8)\n##[error]Build failed.\n",
        (6, 7),
        "dependency",
    ),
]


@pytest.mark.parametrize("log, lines, category", ROUND3)
def test_third_round_shapes(
    log: str, lines: tuple[int, int], category: str | tuple[str, ...]
) -> None:
    a = analyse(log.encode())
    assert a.root_cause_line is not None and lines[0] <= a.root_cause_line <= lines[1], a.root_cause
    assert a.category in ((category,) if isinstance(category, str) else category), a.signature


def test_a_tools_own_plus_lines_are_not_shell_traces() -> None:
    # pnpm lists what it installed as `+ name version`: not the command that failed
    log = (
        "$ pnpm install --frozen-lockfile\ndependencies:\n+ prisma 5.14.0\n+ vitest 1.6.0\n\n"
        "$ pnpm prisma migrate deploy\nError: P3018\nA migration failed to apply.\n"
        "Exited with code exit status 1\n"
    )
    a = analyse(log.encode())
    assert a.failing_step is not None
    assert a.failing_step.command == "pnpm prisma migrate deploy", a.failing_step


JENKINS_END_OF_PIPELINE = """\
Started by user Mara Ilić
[Pipeline] Start of Pipeline
[Pipeline] node
[Pipeline] stage
[Pipeline] { (Checkout)
 > git rev-list --no-walk 6e8a2f1c9b # timeout=10
[Pipeline] }
[Pipeline] stage
[Pipeline] { (Publish)
[Pipeline] withCredentials
[Pipeline] // withCredentials
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
ERROR: Could not find credentials entry with ID 'harbor-robot-backend-push'
Finished: FAILURE
"""


def test_what_jenkins_prints_after_the_pipeline_ended_is_its_verdict() -> None:
    # (and the git plugin's `# timeout=10` on every command is no timeout)
    a = analyse(JENKINS_END_OF_PIPELINE.encode())
    assert a.root_cause_line == 17, a.root_cause
    assert a.category == "credentials" and "harbor-robot-backend-push" in a.root_cause


GHA_ACTION_INPUTS = """\
##[group]Run actions/deploy-pages@v4
with:
  timeout: 600000
  error_count: 10
  token: ***
##[endgroup]
Fetching artifact metadata for "github-pages" in this workflow run
##[error]Creating Pages deployment failed
##[error]HttpError: Not Found
    at /home/runner/work/_actions/actions/deploy-pages/v4/node_modules/@octokit/request/dist-node/index.js:124:1
    at process.processTicksAndRejections (node:internal/process/task_queues:95:5)
##[error]Failed to create deployment (status: 404). Ensure GitHub Pages has been enabled: https://github.com/acme/site/settings/pages
Post job cleanup.
"""


def test_a_github_steps_inputs_and_a_scoped_packages_frames_are_not_causes() -> None:
    a = analyse(_gha(GHA_ACTION_INPUTS))
    assert a.root_cause_line in (8, 9, 12), a.root_cause
    shown = {n for b in a.excerpt for n in range(b.start_line, b.end_line + 1)}
    assert not shown & {2, 3, 4, 5}, a.excerpt


def test_registry_logins_refused_and_gcp_permissions_are_access_failures() -> None:
    docker = analyse(
        _gha(
            "##[group]Run docker/login-action@v3\n##[endgroup]\nLogging into ghcr.io...\n"
            '##[error]Error response from daemon: Get "https://ghcr.io/v2/": denied: denied\n'
        )
    )
    assert docker.root_cause_line == 4 and docker.category == "credentials", docker.signature
    gcp = analyse(
        b"$ gcloud auth print-access-token\n"
        b'  "message": "Permission \'iam.serviceAccounts.getAccessToken\' denied on resource (or it may not exist).",\n'
        b'  "status": "PERMISSION_DENIED"\nERROR: Job failed: exit code 1\n'
    )
    assert gcp.root_cause_line == 2 and gcp.category == "permission", gcp.signature


DOTNET_ASYNC_TRACE = """\
$ dotnet restore
  Retrying 'FindPackagesByIdAsync' for source 'https://api.nuget.org/v3-flatcontainer/polly/index.json'.
  Unable to read data from the transport connection: Connection reset by peer.
  Restored /builds/acme/inventory/src/Inventory.Api/Inventory.Api.csproj (in 4.1 sec).
$ dotnet test --no-restore
[xUnit.net 00:00:02.31]     Inventory.Api.Tests.StockControllerTests.Reserve_ReturnsConflict_WhenInsufficientStock [FAIL]
  Failed Inventory.Api.Tests.StockControllerTests.Reserve_ReturnsConflict_WhenInsufficientStock [41 ms]
  Error Message:
   Assert.Equal() Failure: Values differ
Expected: Conflict
Actual:   OK
  Stack Trace:
     at Inventory.Api.Tests.StockControllerTests.Reserve_ReturnsConflict_WhenInsufficientStock() in /builds/acme/inventory/tests/StockControllerTests.cs:line 57
--- End of stack trace from previous location ---
Failed!  - Failed:     1, Passed:    88, Skipped:     0, Total:    89, Duration: 3 s
ERROR: Job failed: exit code 1
"""


def test_a_stack_trace_separator_is_not_a_section() -> None:
    a = analyse(DOTNET_ASYNC_TRACE.encode())
    assert a.failing_step is not None and a.failing_step.command == "dotnet test --no-restore"
    assert 6 <= (a.root_cause_line or 0) <= 11, a.root_cause
    assert a.category == "test"


PHPUNIT10_WARNING = """\
$ vendor/bin/phpunit
..F.....W........ 17 / 17 (100%)

There was 1 failure:

1) App\\Tests\\Unit\\Tax\\VatCalculatorTest::testReverseChargeAppliesToEuB2B
Failed asserting that 19.0 matches expected 0.0.

/builds/acme/shop/tests/Unit/Tax/VatCalculatorTest.php:42

--

There was 1 PHPUnit warning:

1) App\\Tests\\Unit\\Mail\\InvoiceMailerTest::testAttachesPdf
Test method testAttachesPdf uses a data provider that returns no data

FAILURES!
Tests: 17, Assertions: 40, Failures: 1, Warnings: 1.
ERROR: Job failed: exit code 1
"""


def test_phpunits_warning_list_is_not_a_failure() -> None:
    a = analyse(PHPUNIT10_WARNING.encode())
    assert a.root_cause_line in (6, 7), a.root_cause
    assert [t.name for t in a.failing_tests] == [
        "App\\Tests\\Unit\\Tax\\VatCalculatorTest::testReverseChargeAppliesToEuB2B"
    ]


TURBO_PREFIXED = """\
$ pnpm turbo run build lint
@tidewater/ui:build: cache hit, replaying logs
@tidewater/web:build: > next build
@tidewater/web:build:    Creating an optimized production build ...
@tidewater/web:build: ./src/app/orders/[id]/page.tsx:42:17
@tidewater/web:build: Type error: Property 'shippingAddress' does not exist on type 'Order'.
@tidewater/web:build: ERROR: command finished with error: command (/builds/app/apps/web) pnpm run build exited (1)
 ERROR  run failed: command  exited (1)
ERROR: Job failed: exit code 1
"""


def test_a_monorepo_runners_prefix_does_not_hide_the_tools_line() -> None:
    a = analyse(TURBO_PREFIXED.encode())
    assert a.root_cause_line in (5, 6), a.root_cause
    assert a.signature == "js.nextjs.type_error" and a.category == "compile"
