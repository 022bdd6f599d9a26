"""Output shapes the engine must read right: each test is one realistic log and the line a
person would point at."""

from __future__ import annotations

from pathlib import Path

from ciwhy.analysis import analyse, asides, lines, locate, structure
from ciwhy.analysis.library_index import default_library
from ciwhy.analysis.spans import union

# Travis prints a command that spans lines as it was written: the marker closes on its last
# line. The echo is not output, and the cache upload after it is not the cause.
TRAVIS_MULTILINE = """$ npm ci
added 310 packages in 6.2s
$ case "$SUITE" in
  unit) npm test ;;
  *) echo none ;;
esac
  1) Cart totals the items:
     Error: timeout of 2000ms exceeded. Ensure the done() callback is being called in this test.
The command "case "$SUITE" in
  unit) npm test ;;
  *) echo none ;;
esac" exited with 1.
travis_fold:start:cache.2
store build cache
changes detected, packing new archive
uploading main/cache-linux-trusty-0123456789abcdef.tgz
  permissions: public-read
cache uploaded
Done. Your build exited with 1.
"""


def test_a_command_spanning_lines_ends_the_search_where_its_echo_opens() -> None:
    a = analyse(TRAVIS_MULTILINE.encode())
    assert a.root_cause_line in (7, 8), a.root_cause
    assert a.exit_code == 1
    assert a.failing_step is not None and a.failing_step.end_line <= 9
    assert a.failing_step.command is not None and "npm test" in a.failing_step.command


# Ruby backtraces name executables without an extension (`bin/rake:27:in ...`): frames all
# the same, never the head.
RAKE = """$ bundle exec rake
rake aborted!
No Rakefile found (looking for: rakefile, Rakefile, rakefile.rb, Rakefile.rb)
/home/ci/.rvm/gems/ruby-2.7.1/gems/rake-13.0.1/exe/rake:27:in `<top (required)>'
/home/ci/.rvm/gems/ruby-2.7.1/bin/ruby_executable_hooks:22:in `eval'
/home/ci/.rvm/gems/ruby-2.7.1/bin/ruby_executable_hooks:22:in `<main>'
(See full trace by running task with --trace)
The command "bundle exec rake" exited with 1.
"""


def test_ruby_frames_without_an_extension_are_frames() -> None:
    a = analyse(RAKE.encode())
    assert a.root_cause_line in (2, 3), a.root_cause


# xcpretty marks a compiler error with a cross before its location.
XCPRETTY = """$ xcodebuild -scheme App build | xcpretty
▸ Compiling Model.swift
▸ Compiling View.swift
❌  /Users/ci/build/App/Sources/Model.swift:97:2: unknown attribute 'dynamicMemberLookup'

@dynamicMemberLookup
 ^

▸ Compiling Store.swift
** BUILD FAILED **

The following build commands failed:
	CompileSwift normal x86_64 /Users/ci/build/App/Sources/Model.swift
(1 failure)
The command "xcodebuild -scheme App build | xcpretty" exited with 65.
"""


def test_xcpretty_error_mark() -> None:
    a = analyse(XCPRETTY.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert "Model.swift:97" in a.root_cause


# Erlang's common_test: `suite:case failed on line N` and its reason, far before the end.
COMMON_TEST = (
    "$ rebar3 ct\n"
    + "".join(
        f"Testing app.suite: TEST COMPLETE, {i} ok, 0 failed of 80 test cases\n" for i in range(3)
    )
    + "suite:send_recv failed on line 593\n"
    + "Reason: timetrap_timeout\n"
    + "".join(f"%%% suite ==> case_{i}: OK\n" for i in range(2000))
    + "Testing app.suite: *** FAILED test case 12 of 80 ***\n"
    + "Testing app.suite: TEST COMPLETE, 79 ok, 1 failed of 80 test cases\n"
    + 'The command "rebar3 ct" exited with 1.\n'
)


def test_a_common_test_failure_far_from_the_end() -> None:
    a = analyse(COMMON_TEST.encode())
    assert a.root_cause_line in (5, 6), a.root_cause  # the case's line or its reason


# A YAML parser's message names the file and the place; the summary after it does not.
YAML = """$ bundle exec rake
Checking 214 files
(./docs/guide.html.markdown): did not find expected ',' or ']' while parsing a flow sequence \
at line 5 column 7
FAILURE!!! 1 files were unable to be parsed!
rake aborted!
Tasks: TOP => default => return_code
The command "bundle exec rake" exited with 1.
"""


def test_yaml_parse_error() -> None:
    a = analyse(YAML.encode())
    assert a.root_cause_line == 3, a.root_cause


# A program that refuses its arguments prints its usage: the refusal is the cause, not the
# options listed after it (which sit at the end of the output, where causes usually are).
USAGE = """$ ./validate --schema=strict.json --trace_file=/tmp/trace.json
flag provided but not defined: -trace_file
Usage of ./validate:
  -progress int
    \tPrint a progress message every this many lines
  -schema string
    \tJSON-Schema file name
  -trace-file string
    \ttrace event file name
The command "./validate --schema=strict.json --trace_file=/tmp/trace.json" exited with 2.
"""


def test_usage_text_is_not_the_cause() -> None:
    a = analyse(USAGE.encode())
    assert a.root_cause_line == 2, a.root_cause


# rustc prints warnings before errors; the location under a warning belongs to the warning.
RUSTC = """$ cargo build --locked
   Compiling pricing v0.4.0 (/work/pricing)
warning: unused variable: `region`
  --> src/tax.rs:18:9
   |
18 |     let region = ctx.region();
   |         ^^^^^^ help: if this is intentional, prefix it with an underscore: `_region`

error[E0308]: mismatched types
  --> src/discount.rs:42:20
   |
42 |         amount * pct.to_f64().unwrap()
   |                  ^^^^^^^^^^^^^^^^^^^^^ expected `Decimal`, found `f64`

Some errors have detailed explanations: E0277, E0308.
warning: `pricing` (lib) generated 1 warning
error: could not compile `pricing` (lib) due to 1 previous error; 1 warning emitted
The command "cargo build --locked" exited with 101.
"""


def test_a_location_under_a_warning_is_not_the_cause() -> None:
    a = analyse(RUSTC.encode())
    assert a.root_cause_line in (9, 10), a.root_cause


# A test reported as skipped or passed is not a failure, whatever its title says.
RUN_TESTS = """$ php run-tests.php -g FAIL,SKIP
PASS Bug #71412 ArrayIterator reflection [ext/spl/tests/bug71412.phpt]
SKIP Bug #76348 (WSDL_CACHE_MEMORY causes Segmentation fault) [ext/soap/tests/bug76348.phpt]
--- PASS: TestConnectionRefusedIsRetried (0.01s)
ok  \tgithub.com/acme/app/net\t0.112s
001+ ** ERROR: process timed out **
001- OK.
========DONE========
FAIL Bug #60120 (proc_open hangs when data is larger than 2048) [ext/standard/tests/bug60120.phpt]
The command "php run-tests.php -g FAIL,SKIP" exited with 1.
"""


def test_skipped_and_passed_tests_are_not_causes() -> None:
    a = analyse(RUN_TESTS.encode())
    assert a.root_cause_line in (6, 9), a.root_cause


# Go prints a parent test's FAIL before its subtests': the failing subtest is the cause.
GO_SUBTESTS = """$ go test -v ./...
=== RUN   TestSort
=== RUN   TestSort/empty
=== RUN   TestSort/meetups
--- FAIL: TestSort (0.02s)
    --- PASS: TestSort/empty (0.00s)
    --- FAIL: TestSort/meetups (0.00s)
        sort_test.go:131: expected 'auckland' but actual is 'baltimore'
FAIL
FAIL\tgithub.com/acme/lists\t0.031s
The command "go test -v ./..." exited with 1.
"""


def test_a_failing_subtest_beats_its_parent() -> None:
    a = analyse(GO_SUBTESTS.encode())
    assert a.root_cause_line in (7, 8), a.root_cause


# `timeout 35m make` exits with 124 when it stops the command: that is the cause, not the
# last line the command managed to print.
TIMED_OUT = """$ timeout 35m ci/build.sh
[ 41 of 120] Compiling Language.PureScript.Errors
src/Errors.hs:12:1: warning: [-Wunused-imports] The import of 'Data.List' is redundant
[ 42 of 120] Compiling Language.PureScript.Make
The command "timeout 35m ci/build.sh" exited with 124.
"""


def test_the_timeout_exit_code_makes_the_marker_the_cause() -> None:
    a = analyse(TIMED_OUT.encode())
    assert a.root_cause_line == 5, a.root_cause
    assert a.category == "timeout" and a.exit_code == 124
    assert a.signature == "heuristic:timeout"


# GitLab says it stopped the job after its cleanup sections; the test the clock cut short
# is not the cause.
GITLAB_TIMEOUT = """section_start:1714723370:step_script\r\x1b[0KExecuting "step_script" stage
$ npx playwright test
  ✓  15 [chromium] › checkout/address.spec.ts:57:3 › keeps the address after reload (8.3s)
  ✘  16 [chromium] › checkout/payment.spec.ts:41:7 › payment › 3-D Secure challenge (30.0s)
section_end:1714726970:step_script\r\x1b[0K
section_start:1714726970:cleanup_file_variables\r\x1b[0KCleaning up project directory
section_end:1714726970:cleanup_file_variables\r\x1b[0K
ERROR: Job failed: execution took longer than 1h0m0s seconds
"""


def test_a_job_stopped_by_its_time_limit() -> None:
    a = analyse(GITLAB_TIMEOUT.encode())
    assert a.root_cause_line == 12, a.root_cause  # `\r` breaks lines too
    assert a.category == "timeout" and a.confidence >= 0.5


# Go's race detector, and jest's header for captured console output (not a failing test).
DATA_RACE = """$ go test -race ./...
==================
WARNING: DATA RACE
Write at 0x00c0000a4010 by goroutine 8:
  github.com/acme/cache.(*Cache).Set()
      /src/cache.go:41 +0x64
==================
--- FAIL: TestCache_ConcurrentAccess (0.01s)
    testing.go:1465: race detected during execution of test
FAIL
The command "go test -race ./..." exited with 1.
"""
JEST_CONSOLE = """$ npx jest --ci
 PASS  src/api/client.test.ts
  ● Console

    console.error
      Error: Request failed with status code 503 (mocked for the retry test)

      at Object.<anonymous> (src/api/client.test.ts:88:13)

 FAIL  src/components/Cart.test.tsx
  ● Cart › applies the discount code to the subtotal

    expect(received).toBe(expected) // Object.is equality
The command "npx jest --ci" exited with 1.
"""


def test_data_race_and_jest_console() -> None:
    assert analyse(DATA_RACE.encode()).root_cause_line == 3
    # (the failed test's bullet, or the assertion under it)
    assert analyse(JEST_CONSOLE.encode()).root_cause_line in (11, 12, 13, 14)


# Work retried until it succeeded is not the cause, nor is source code a report quotes.
RETRIED_AND_QUOTED = """$ go mod download
go: github.com/acme/grpc-gateway@v2.19.1: read: connection reset by peer; retrying... succeeded
$ pytest -q
    def parse_duration(text: str) -> timedelta:
        if not match:
>           raise ValueError(f"invalid duration: {text!r}")
E           ValueError: invalid duration: '1h30'

src/chrono/parse.py:41: ValueError
The command "pytest -q" exited with 1.
"""


def test_retried_work_and_quoted_code_are_not_causes() -> None:
    log = lines.read(RETRIED_AND_QUOTED.encode())
    hits = default_library().scan(log.lines, log.text)
    cands = {
        c.index + 1 for c in locate.candidates(log.lines, hits, structure.find(log.lines, hits))
    }
    assert 7 in cands and not {2, 6} & cands, cands
    assert analyse(RETRIED_AND_QUOTED.encode()).root_cause_line in (7, 9)


# Test runners number their failures from 1; the first is where a reader starts.
MOCHA = """$ npm test
  119 passing (13s)
  2 failing

  1) AtomWindow creating a real window creates a properly configured BrowserWindow:
     Error: timeout of 10000ms exceeded. Ensure the done() callback is being called in this test.

  2) AtomWindow restores the window state:
     Error: ENOENT: no such file or directory, open '/tmp/state.json'
      at Object.openSync (fs.js:462:3)

The command "npm test" exited with 1.
"""


def test_the_first_numbered_failure_is_evidence() -> None:
    log = lines.read(MOCHA.encode())
    hits = default_library().scan(log.lines, log.text)
    ev = {i + 1: e for i, e, _ in locate.evidence(log.lines, hits, structure.find(log.lines, hits))}
    assert "first_numbered" in ev[5] and "first_numbered" in ev[6]
    assert "first_numbered" not in ev.get(8, {}) and "first_numbered" not in ev.get(9, {})
    assert analyse(MOCHA.encode()).root_cause_line in (5, 6)


# A runner's closing `Failures:` section repeats what failed, and opens with its first failure.
SUMMARY = """$ make test
Executed 52 tests in 15.38 seconds
Caught exception in Test_popup(): Vim(call):E958: Job already finished
-------------------------------
Executed:  2190 Tests
  FAILED:     1 Tests

Failures:
\tFrom test_popupwin.vim:
\tFound errors in Test_popup():
\tCaught exception in Test_popup(): Vim(call):E958: Job already finished

TEST FAILURE
The command "make test" exited with 2.
"""


def test_the_first_line_of_a_failures_section_is_evidence() -> None:
    log = lines.read(SUMMARY.encode())
    hits = default_library().scan(log.lines, log.text)
    ev = {i + 1: e for i, e, _ in locate.evidence(log.lines, hits, structure.find(log.lines, hits))}
    firsts = [n for n, e in ev.items() if "first_after_header" in e]
    assert firsts and all(9 <= n <= 11 for n in firsts), firsts


def test_a_report_followed_by_its_source_location_is_evidence() -> None:
    text = (
        "ObjectNotifierTests\n\n"
        "  testMultipleObjectNotifiers, ((previousValue) equal to (@1)) failed: (null) != 1\n\n"
        "  /Users/ci/build/Realm/Tests/NotificationTests.m:1051\n\n"
        "  XCTAssertEqualObjects(changes[0].previousValue, @1);\n"
        'The command "./build.sh test" exited with 1.\n'
    )
    log = lines.read(text.encode())
    hits = default_library().scan(log.lines, log.text)
    ev = {i + 1: e for i, e, _ in locate.evidence(log.lines, hits, structure.find(log.lines, hits))}
    assert "location_follows" in ev[3]


def test_an_excerpt_block_stops_at_a_passing_test() -> None:
    text = (
        "$ cargo test\n"
        "test codec::tests::parses_header ... FAILED\n"
        "test frame::tests::ping_pong ... ok\n"
        "\n"
        "failures:\n"
        "---- codec::tests::parses_header stdout ----\n"
        "thread 'codec::tests::parses_header' panicked at src/codec.rs:212:9:\n"
        "assertion `left == right` failed\n"
        'The command "cargo test" exited with 101.\n'
    )
    a = analyse(text.encode())
    assert a.root_cause_line == 7, a.root_cause
    assert all(not (b.start_line <= 3 <= b.end_line) for b in a.excerpt), a.excerpt


def test_asides_are_exact_however_they_overlap() -> None:
    spans = union([(10, 400), (20, 80), (30, 90), (40, 100), (50, 110), (500, 510)])
    assert spans == [(10, 400), (500, 510)]
    assert asides.within(spans, 399) and asides.within(spans, 10)
    assert not asides.within(spans, 9) and not asides.within(spans, 450)


def test_a_progress_counter_is_progress() -> None:
    log = lines.read(b"$ swiftlint\nLinting 'Support.swift' (53/53)\n")
    hits = default_library().scan(log.lines, log.text)
    assert "progress" in hits.discounts(log.lines[1])


# Jenkins opens every stage it skips after a failure, then says so: the failing stage is the
# one that ran, not the last one opened.
JENKINS_SKIPPED = """[Pipeline] Start of Pipeline
[Pipeline] node
Running on linux-agent-05 in /var/lib/jenkins/workspace/firmware_main
[Pipeline] {
[Pipeline] stage
[Pipeline] { (Checkout)
[Pipeline] checkout
 > git fetch --tags --force --progress -- git@github.com:acme/firmware.git # timeout=10
ERROR: Error cloning remote repo 'origin'
hudson.plugins.git.GitException: Command "git fetch --tags" returned status code 128:
stderr: git@github.com: Permission denied (publickey).
fatal: Could not read from remote repository.
\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2842)
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Build)
Stage "Build" skipped due to earlier failure(s)
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Declarative: Post Actions)
[Pipeline] cleanWs
[Pipeline] End of Pipeline
Finished: FAILURE
"""


def test_a_stage_jenkins_skipped_is_not_the_failing_step() -> None:
    a = analyse(JENKINS_SKIPPED.encode())
    assert a.failing_step is not None and a.failing_step.name == "Checkout", a.failing_step
    assert a.failing_step.start_line == 6


def test_a_wrapper_saying_a_command_returned_a_status_code_is_a_cascade() -> None:
    log = lines.read(JENKINS_SKIPPED.encode())
    hits = default_library().scan(log.lines, log.text)
    assert "cascade" in hits.features.get(9, set())  # the GitException line


# A CI's own statement that it stopped the job for time is the cause wherever it stands: the
# test output before it was cut off, and GitHub prints it after the step's failure marker.
GITHUB_MAX_TIME = """2024-05-01T03:00:00.0000000Z ##[group]Run pytest -x tests/integration
2024-05-01T03:00:00.0000000Z pytest -x tests/integration
2024-05-01T03:00:00.0000000Z ##[endgroup]
2024-05-01T03:00:05.0000000Z tests/integration/test_sync.py::test_full_sync PASSED
2024-05-01T03:00:06.0000000Z tests/integration/test_sync.py::test_retry_after_error
2024-05-01T08:59:59.0000000Z ##[error]Process completed with exit code 143.
2024-05-01T09:00:00.0000000Z ##[error]The job running on runner GitHub Actions 12 has exceeded \
the maximum execution time of 360 minutes.
2024-05-01T09:00:00.0000000Z ##[error]The operation was canceled.
2024-05-01T09:00:01.0000000Z Post job cleanup.
"""


def test_the_ci_saying_it_stopped_the_job_for_time_is_the_cause() -> None:
    a = analyse(GITHUB_MAX_TIME.encode())
    assert a.root_cause_line == 7, a.root_cause
    assert a.category == "timeout"
    assert a.signature == "infra.timeout.github_max_execution"
    assert "360 minutes" in a.root_cause


def test_a_github_run_step_names_its_command_and_a_diff_line_is_not_a_trace() -> None:
    """`##[group]Run npx vitest run` names the command; the `+ ]` of a test's diff below it is
    not a shell trace (`+ cmd`) of another command."""
    data = (Path(__file__).parent / "corpus" / "github_actions" / "vitest_diff.log").read_bytes()
    a = analyse(data)
    assert a.failing_step is not None and a.failing_step.command == "npx vitest run"
    assert a.category == "test"


CIRCLECI_RUN = """#!/bin/bash -eo pipefail
go test ./... -race -count=1
ok  \tgithub.com/acme/svc/internal/config\t0.021s
--- FAIL: TestRetryPolicy (0.00s)
    retry_test.go:33: attempts = 2, want 3
FAIL
FAIL\tgithub.com/acme/svc/internal/retry\t0.014s
FAIL

Exited with code exit status 1
"""


def test_a_circleci_step_names_the_command_under_its_shell_line() -> None:
    a = analyse(CIRCLECI_RUN.encode())
    assert a.failing_step is not None
    assert a.failing_step.command == "go test ./... -race -count=1"
    assert a.root_cause_line == 4


MOCHA_SPEC = """> api@1.0.0 test
> mocha 'test/**/*.spec.js'

  Users API
    ✔ lists users
    1) creates a user


  1 passing (48ms)
  1 failing

  1) Users API
       creates a user:
     AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:

201 !== 400

      at Context.<anonymous> (test/users.spec.js:31:12)

npm ERR! Test failed.  See above for more details.
"""


def test_a_mocha_failure_is_one_test_under_its_full_title() -> None:
    """mocha names a failure twice: `1) creates a user` in the run, then the suite and the
    test on two lines in its report. One test, by its full title."""
    a = analyse(MOCHA_SPEC.encode())
    assert [t.name for t in a.failing_tests] == ["Users API creates a user"]


PYTEST_SECTION = """============================= test session starts ==============================
collected 3 items

tests/test_api.py F..                                                    [100%]

=================================== FAILURES ===================================
_______________________________ test_create_order _______________________________

client = <FlaskClient <Flask 'app'>>

    def test_create_order(client):
        payload = {"sku": "A1", "qty": 2}
        resp = client.post("/orders", json=payload)
        body = resp.get_json()
>       assert resp.status_code == 201
E       assert 500 == 201
E        +  where 500 = <WrapperTestResponse streamed [500 INTERNAL SERVER ERROR]>.status_code

tests/test_api.py:42: AssertionError
=========================== short test summary info ============================
FAILED tests/test_api.py::test_create_order - assert 500 == 201
========================= 1 failed, 2 passed in 1.32s ==========================
"""


def test_the_root_block_starts_at_the_header_of_its_test() -> None:
    a = analyse(PYTEST_SECTION.encode())
    assert a.root_cause_line == 16, a.root_cause
    assert a.excerpt[0].start_line == 7  # `___ test_create_order ___`
    # a small budget never loses the root line to the header
    small = analyse(PYTEST_SECTION.encode(), max_lines=6)
    assert any(b.start_line <= 16 <= b.end_line for b in small.excerpt)
    assert sum(b.end_line - b.start_line + 1 for b in small.excerpt) <= 6


GITLAB_SYSTEM_FAILURE = """Running with gitlab-runner 17.5.0 (12334567)
  on docker-runner-2 XyZ98765, system ID: s_0123456789ab
section_start:1714557600:prepare_executor\r\x1b[0K\x1b[0K\x1b[36;1mPreparing the "docker" \
executor\x1b[0;m\x1b[0;m
Using Docker executor with image node:20 ...
Pulling docker image node:20 ...
section_end:1714557601:prepare_executor\r\x1b[0K
\x1b[31;1mERROR: Job failed (system failure): failed to pull image "node:20" with specified \
policies [always]: Error response from daemon: toomanyrequests: You have reached your pull rate \
limit. You may increase the limit by authenticating and upgrading: \
https://www.docker.com/increase-rate-limit (manager.go:237:0s)
\x1b[0;m
"""


def test_a_failure_marker_that_names_its_cause_is_the_root() -> None:
    a = analyse(GITLAB_SYSTEM_FAILURE.encode())
    assert a.root_cause_line == 9, (
        a.root_cause
    )  # (GitLab's `\r` after a section mark breaks a line)
    assert a.signature == "docker.hub.rate_limit"
    assert a.category == "network"


def test_a_marker_reading_only_its_exit_code_yields_to_the_line_that_says_more() -> None:
    data = (Path(__file__).parent / "corpus" / "fingerprint" / "oom_killed_pid_a.log").read_bytes()
    a = analyse(data)
    assert "Killed" in a.excerpt[0].text.split("\n")[a.root_cause_line - a.excerpt[0].start_line]


GRADLE_JUNIT = """> Task :test

InvoiceServiceTest > rendersTaxId() FAILED
    org.opentest4j.AssertionFailedError: expected: <DE123> but was: <null>
        at org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
        at app//com.acme.billing.InvoiceServiceTest.rendersTaxId(InvoiceServiceTest.java:42)

12 tests completed, 1 failed

> Task :test FAILED

FAILURE: Build failed with an exception.
BUILD FAILED in 38s
"""


def test_a_junit_failure_names_its_message_and_the_test_s_own_frame() -> None:
    a = analyse(GRADLE_JUNIT.encode())
    assert a.root_cause == "JUnit assertion failed: expected: <DE123> but was: <null>"
    (test,) = a.failing_tests
    assert (test.file, test.line) == ("InvoiceServiceTest.java", 42)  # not the library's frame


EXUNIT = """  1) test total/1 applies discounts (Shop.CartTest)
     test/shop/cart_test.exs:18
     Assertion with == failed
     code:  assert Cart.total(cart) == Decimal.new("90.00")
     left:  Decimal.new("100.00")
     right: Decimal.new("90.00")

Finished in 0.2 seconds (0.1s async, 0.1s sync)
12 tests, 1 failure
"""


def test_an_exunit_failure_is_listed_once() -> None:
    a = analyse(EXUNIT.encode())
    assert [t.name for t in a.failing_tests] == ["Shop.CartTest.test total/1 applies discounts"]


TEAMCITY_GRADLE = """[10:00:00] : Step 1/2: Gradle (Gradle)
[10:00:01] :\t [Step 1/2] Starting: /opt/gradle/bin/gradle build
[10:00:30] :\t [Step 1/2] > Task :compileKotlin FAILED
[10:00:30]E:\t [Step 1/2] e: file:///opt/buildagent/work/abc/src/main/kotlin/Main.kt:7:9 \
Unresolved reference: fooBar
[10:00:30] :\t [Step 1/2] FAILURE: Build failed with an exception.
[10:00:31] :\t [Step 1/2] Process exited with code 1
[10:00:31] : Step 1/2: Gradle (Gradle) failed
"""


def test_teamcity_s_line_prefixes_go_and_its_steps_are_steps() -> None:
    """`[time]E:\\t [Step 1/2] ` is TeamCity's prefix, not the line: anchored patterns must see
    `e: file:...`, and `Step 1/2: Gradle (Gradle)` opens the failing step."""
    a = analyse(TEAMCITY_GRADLE.encode())
    assert a.root_cause_line == 4 and a.signature == "jvm.kotlinc.error", a.root_cause
    assert a.failing_step is not None and a.failing_step.name == "Gradle (Gradle)"
    assert a.exit_code == 1
