# ruff: noqa: E501
"""More output shapes, each found by probing the engine with realistic logs of other CI systems
and tools than the benchmark's: the line a person would point at, the failing tests and step."""

from __future__ import annotations

import pytest

from ciwhy.analysis import analyse

GTEST = """\
$ ctest --test-dir build --output-on-failure
    Start 2: parser_test
2/3 Test #2: parser_test ......................***Failed    0.01 sec
[==========] Running 3 tests from 1 test suite.
[ RUN      ] Parser.EmptyInput
[       OK ] Parser.EmptyInput (0 ms)
[ RUN      ] Parser.HandlesEscapedQuotes
/builds/acme/tokenizer/tests/parser_test.cpp:58: Failure
Expected equality of these values:
  tok.value
    Which is: "a\\\\b"
  "a\\"b"
[  FAILED  ] Parser.HandlesEscapedQuotes (0 ms)
[ RUN      ] Parser.NestedBrackets
[       OK ] Parser.NestedBrackets (0 ms)
[==========] 3 tests from 1 test suite ran. (1 ms total)
[  PASSED  ] 2 tests.
[  FAILED  ] 1 test, listed below:
[  FAILED  ] Parser.HandlesEscapedQuotes

 1 FAILED TEST
67% tests passed, 1 tests failed out of 3
The following tests FAILED:
\t  2 - parser_test (Failed)
Errors while running CTest
The command "ctest --test-dir build --output-on-failure" exited with 8.
"""


def test_a_googletest_failure_is_its_assertion_not_its_summary_line() -> None:
    a = analyse(GTEST.encode())
    assert a.root_cause_line == 8, a.root_cause
    assert a.signature == "c.gtest.assertion"
    assert "Parser.HandlesEscapedQuotes" in [t.name for t in a.failing_tests]
    assert a.excerpt[0].start_line <= 8 <= a.excerpt[0].end_line
    assert "Which is" in a.excerpt[0].text


RSPEC_PENDING = """\
$ bundle exec rspec
...........F.....*.....

Pending: (Failures listed here are expected and do not affect your suite's status)

  1) Checkout gift cards applies the gift card balance
     # Temporarily skipped with xit
     # ./spec/services/checkout_spec.rb:77


Failures:

  1) Order#total_cents applies the bulk discount above 10 items
     Failure/Error: expect(order.total_cents).to eq(9000)

       expected: 9000
            got: 10000

       (compared using ==)
     # ./spec/models/order_spec.rb:34:in `block (3 levels) in <top (required)>'

Finished in 4.82 seconds (files took 2.31 seconds to load)
23 examples, 1 failure, 1 pending

Failed examples:

rspec ./spec/models/order_spec.rb:29 # Order#total_cents applies the bulk discount above 10 items

The command "bundle exec rspec" exited with 1.
"""


def test_rspec_pending_examples_are_not_failures_and_the_summary_names_the_file() -> None:
    a = analyse(RSPEC_PENDING.encode())
    assert a.root_cause_line == 14, a.root_cause  # Failure/Error: ...
    assert [(t.name, t.file, t.line) for t in a.failing_tests] == [
        (
            "Order#total_cents applies the bulk discount above 10 items",
            "./spec/models/order_spec.rb",
            29,
        )
    ]
    assert "gift card" not in a.fingerprint.template


SUREFIRE3 = """\
[INFO] Running com.acme.orders.DiscountCalculatorTest
[ERROR] Tests run: 8, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.087 s <<< FAILURE! -- in com.acme.orders.DiscountCalculatorTest
[ERROR] com.acme.orders.DiscountCalculatorTest.appliesLoyaltyDiscount -- Time elapsed: 0.011 s <<< FAILURE!
org.opentest4j.AssertionFailedError: expected: <90.00> but was: <100.00>
\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)
\tat org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow(AssertionFailureBuilder.java:132)
\tat org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:197)
\tat org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:182)
\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:1156)
\tat com.acme.orders.DiscountCalculatorTest.appliesLoyaltyDiscount(DiscountCalculatorTest.java:64)
\tat java.base/java.lang.reflect.Method.invoke(Method.java:568)

[INFO] Results:
[INFO]
[ERROR] Failures:
[ERROR]   DiscountCalculatorTest.appliesLoyaltyDiscount:64 expected: <90.00> but was: <100.00>
[INFO]
[ERROR] Tests run: 30, Failures: 1, Errors: 0, Skipped: 1
[INFO] BUILD FAILURE
"""


def test_surefire_3_names_the_failing_method_and_its_own_frame() -> None:
    a = analyse(SUREFIRE3.encode())
    assert [(t.name, t.file, t.line) for t in a.failing_tests] == [
        (
            "com.acme.orders.DiscountCalculatorTest.appliesLoyaltyDiscount",
            "DiscountCalculatorTest.java",
            64,
        )
    ]


MAKE_WITH_TRACEBACK = """\
$ make all
gcc -c src/util.c -o build/util.o
Traceback (most recent call last):
  File "tools/gen_version.py", line 3, in <module>
    import yaml
ModuleNotFoundError: No module named 'yaml'
gcc -c src/app.c -o build/app.o
src/app.c: In function 'main':
src/app.c:12:5: error: 'count' undeclared (first use in this function)
   12 |     count++;
      |     ^~~~~
make: *** [Makefile:8: build/app.o] Error 1
The command "make all" exited with 2.
"""


def test_the_fingerprint_is_the_root_s_own_cause_not_the_first_block_of_the_excerpt() -> None:
    a = analyse(MAKE_WITH_TRACEBACK.encode())
    assert a.root_cause_line == 6, a.root_cause
    assert a.excerpt[0].start_line < a.root_cause_line  # a block above the root's own
    # (every Python traceback would otherwise share the fingerprint of its first line)
    assert a.fingerprint.rule == a.signature == "python.import.module_not_found"
    assert "yaml" in a.fingerprint.template


NPM_CI = """\
$ npm ci
npm ERR! code EUSAGE
npm ERR!
npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing.
npm ERR!
npm ERR! Missing: zod@3.23.8 from lock file
npm ERR! Invalid: lock file's typescript@5.3.3 does not satisfy typescript@5.4.5
npm ERR!

npm ERR! A complete log of this run can be found in: /home/runner/.npm/_logs/2024-05-01T10_00_03_120Z-debug-0.log
The command "npm ci" exited with 1.
"""


def test_the_excerpt_keeps_what_a_tool_says_past_its_own_empty_lines() -> None:
    # (npm ends its empty lines with a space)
    a = analyse(NPM_CI.replace("npm ERR!\n", "npm ERR! \n").encode())
    assert a.root_cause_line == 4, a.root_cause
    assert "Missing: zod@3.23.8" in a.excerpt[0].text


GO_SUBTEST = """\
$ go test ./...
=== RUN   TestLoadConfig
=== RUN   TestLoadConfig/defaults
    config_test.go:48: expected 30, got 0
--- FAIL: TestLoadConfig (0.00s)
    --- FAIL: TestLoadConfig/defaults (0.00s)
FAIL
FAIL\tgithub.com/acme/svc/internal/config\t0.029s
The command "go test ./..." exited with 1.
"""


def test_a_go_test_that_failed_through_its_subtest_is_listed_by_the_subtest() -> None:
    a = analyse(GO_SUBTEST.encode())
    assert [t.name for t in a.failing_tests] == ["TestLoadConfig/defaults"]


GO_GOROUTINE_PANIC = """\
$ go test -v ./...
=== RUN   TestPool_SubmitAfterClose
    pool_test.go:33: got expected error: pool: closed
--- PASS: TestPool_SubmitAfterClose (0.00s)
=== RUN   TestPool_Drain
panic: runtime error: index out of range [3] with length 3

goroutine 23 [running]:
github.com/acme/ingest/pool.(*Pool).worker(0xc000118000, 0x3)
\t/home/runner/work/ingest/ingest/pool/pool.go:88 +0x1f4
created by github.com/acme/ingest/pool.New in goroutine 21
\t/home/runner/work/ingest/ingest/pool/pool.go:41 +0x12c
FAIL\tgithub.com/acme/ingest/pool\t0.021s
The command "go test -v ./..." exited with 1.
"""


def test_a_panic_outranks_a_test_s_log_line_above_it() -> None:
    a = analyse(GO_GOROUTINE_PANIC.encode())
    assert a.root_cause_line == 6, a.root_cause
    assert a.signature == "go.runtime.panic"


PYTEST_QUOTED_RAISE = """\
$ pytest
=================================== FAILURES ===================================
_______________________________ test_parse_date ________________________________

    def test_parse_date():
>       assert parse("2024-05-01 10:00") == datetime(2024, 5, 1, 10, 0)

tests/test_dates.py:31:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _
/usr/lib/python3.11/_strptime.py:349: in _strptime
    if not isinstance(arg, str):
        raise TypeError(msg.format(index, type(arg)))
    found = format_regex.match(data_string)
    if not found:
>       raise ValueError("time data %r does not match format %r" % (data_string, format))
E       ValueError: time data '2024-05-01 10:00' does not match format '%Y-%m-%dT%H:%M'

/usr/lib/python3.11/_strptime.py:349: ValueError
=========================== short test summary info ============================
FAILED tests/test_dates.py::test_parse_date - ValueError: time data '2024-05-01 10:00' does not match format
The command "pytest" exited with 1.
"""


def test_a_raise_quoted_from_source_is_not_what_was_raised() -> None:
    a = analyse(PYTEST_QUOTED_RAISE.encode())
    assert a.root_cause_line in (16, 18), a.root_cause
    assert a.category == "test"


SHELLCHECK = """\
$ shellcheck --severity=warning scripts/*.sh

In scripts/deploy.sh line 6:
for f in $(ls dist/*.tar.gz); do
         ^-------------------^ SC2045 (error): Iterating over ls output is fragile. Use globs.
  ^-- SC2086 (info): Double quote to prevent globbing and word splitting.

In scripts/release.sh line 22:
git tag "$relase_tag"
         ^-----------^ SC2154 (warning): relase_tag is referenced but not assigned.

For more information:
  https://www.shellcheck.net/wiki/SC2045 -- Iterating over ls output is fragile...
  https://www.shellcheck.net/wiki/SC2154 -- relase_tag is referenced but not ...
The command "shellcheck --severity=warning scripts/*.sh" exited with 1.
"""


def test_shellcheck_s_finding_is_the_cause_not_its_wiki_footer() -> None:
    a = analyse(SHELLCHECK.encode())
    assert a.root_cause_line in (5, 10), a.root_cause
    assert a.signature == "shell.shellcheck.finding"
    assert a.category == "lint"


NUNIT = """\
$ dotnet test tests/Billing.Tests
  Failed ApplyLateFee_AfterDueDate_AddsFivePercent [38 ms]
  Error Message:
     Expected: 105.00m
  But was:  100.00m

  Stack Trace:
     at Billing.Tests.LateFeeTests.ApplyLateFee_AfterDueDate_AddsFivePercent() in /src/tests/Billing.Tests/LateFeeTests.cs:line 31

Failed!  - Failed:     1, Passed:   213, Skipped:     0, Total:   214, Duration: 2 s
The command "dotnet test tests/Billing.Tests" exited with 1.
"""


def test_a_dotnet_test_s_location_is_read_from_its_stack_frame() -> None:
    a = analyse(NUNIT.encode())
    assert [(t.name, t.file, t.line) for t in a.failing_tests] == [
        (
            "ApplyLateFee_AfterDueDate_AddsFivePercent",
            "/src/tests/Billing.Tests/LateFeeTests.cs",
            31,
        )
    ]


def _stamped(text: str) -> bytes:
    return "".join(
        f"2024-05-01T10:00:0{k % 10}.1234567Z {x}\n" for k, x in enumerate(text.splitlines())
    ).encode()


AZURE_TASK = """\
##[section]Starting: dotnet restore
==============================================================================
Task         : .NET Core
==============================================================================
##[command]/home/vsts/work/_tool/dotnet/dotnet restore /home/vsts/work/1/s/Inventory.sln --verbosity Normal
  Determining projects to restore...
/home/vsts/work/1/s/src/Inventory.Api/Inventory.Api.csproj : error NU1101: Unable to find package Contoso.Telemetry.Abstractions. No packages exist with this id in source(s): nuget.org
  Failed to restore /home/vsts/work/1/s/src/Inventory.Api/Inventory.Api.csproj (in 1.2 sec).
##[error]Error: The process '/home/vsts/work/_tool/dotnet/dotnet' failed with exit code 1
##[error]Dotnet command failed with non-zero exit code on the following projects : /home/vsts/work/1/s/Inventory.sln
##[section]Finishing: dotnet restore
"""


def test_azure_s_command_echo_names_the_failing_command() -> None:
    a = analyse(_stamped(AZURE_TASK))
    assert a.root_cause_line == 7, a.root_cause
    assert a.failing_step is not None and a.failing_step.name == "dotnet restore"
    assert (a.failing_step.command or "").endswith(
        "dotnet restore /home/vsts/work/1/s/Inventory.sln --verbosity Normal"
    )


UNITY_C = """\
$ ./build/test_ringbuf
tests/test_ringbuf.c:112:test_push_pop:PASS
tests/test_ringbuf.c:48:test_wraparound:FAIL: Expected 3 Was 2
tests/test_ringbuf.c:131:test_empty:PASS

-----------------------
3 Tests 1 Failures 0 Ignored
FAIL
The command "./build/test_ringbuf" exited with 1.
"""


def test_unity_names_its_failing_test_and_where() -> None:
    a = analyse(UNITY_C.encode())
    assert a.root_cause_line == 3, a.root_cause
    assert [(t.name, t.file, t.line) for t in a.failing_tests] == [
        ("test_wraparound", "tests/test_ringbuf.c", 48)
    ]


GRADLE_401 = """\
$ ./gradlew clean build
> Task :compileJava FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':compileJava'.
> Could not resolve all files for configuration ':compileClasspath'.
   > Could not resolve com.acme:lib:1.2.3.
     Required by:
         project :
      > Could not resolve com.acme:lib:1.2.3.
         > Could not get resource 'https://nexus.example.internal/repository/maven-releases/com/acme/lib/1.2.3/lib-1.2.3.pom'.
            > Could not GET 'https://nexus.example.internal/repository/maven-releases/com/acme/lib/1.2.3/lib-1.2.3.pom'. Received status code 401 from server: Unauthorized

* Try:
> Run with --stacktrace option to get the stack trace.

BUILD FAILED in 14s
The command "./gradlew clean build" exited with 1.
"""


def test_a_rejected_credential_outranks_the_resolution_failure_it_causes() -> None:
    a = analyse(GRADLE_401.encode())
    assert a.root_cause_line == 14, a.root_cause
    assert a.category == "credentials"


TEAMCITY_STEP = """\
[10:00:01]i: Step 1/2: Checkout (1s)
[10:00:02]i: Step 2/2: Build (Gradle) (1m:02s)
[10:00:03]i: \t [Step 2/2] Starting: /opt/gradle/bin/gradle clean build
[10:01:04]E: \t [Step 2/2] e: file:///src/Main.kt:12:5 Unresolved reference: noteDao
[10:01:05]E: \t [Step 2/2] Process exited with code 1
"""


def test_a_teamcity_step_is_named_without_its_duration() -> None:
    a = analyse(TEAMCITY_STEP.encode())
    assert a.failing_step is not None and a.failing_step.name == "Build (Gradle)"


def test_an_exit_or_status_code_is_kept_in_the_fingerprint() -> None:
    from ciwhy.analysis.fingerprint import fingerprint

    oom = fingerprint("[ERROR] Process Exit Code: 137", "r")
    other = fingerprint("[ERROR] Process Exit Code: 1", "r")
    assert oom.hash != other.hash and "137" in oom.template
    assert fingerprint("took 12 tries", "r").template == "took <num> tries"


PYTEST_SUMMARY = """\
$ pytest
=========================== short test summary info ============================
FAILED tests/test_users.py::test_get_user - assert 404 == 200
ERROR tests/test_users.py::test_create_user - ImportError: cannot import name 'RedisCache' from 'myapp.cache'
==================== 1 failed, 12 passed, 1 error in 2.31s =====================
The command "pytest" exited with 1.
"""


def test_pytest_s_failed_and_errored_tests_are_named_alike() -> None:
    a = analyse(PYTEST_SUMMARY.encode())
    assert {(t.name, t.file) for t in a.failing_tests} == {
        ("test_get_user", "tests/test_users.py"),
        ("test_create_user", "tests/test_users.py"),
    }


GHA_SCRIPT = [
    "##[group]Run actions/setup-node@v4",
    "with:",
    "  node-version: 20",
    "##[endgroup]",
    "##[group]Run export NODE_OPTIONS=--max-old-space-size=4096",
    "export NODE_OPTIONS=--max-old-space-size=4096",
    "node scripts/build-search-index.js",
    "npm run build",
    "shell: /usr/bin/bash -e {0}",
    "env:",
    "  CI: true",
    "##[endgroup]",
    "Error: Cannot find module '/home/runner/work/site/site/scripts/build-search-index.js'",
    "##[error]Process completed with exit code 1.",
]


def test_a_github_run_step_s_command_is_its_whole_script() -> None:
    a = analyse(_stamped("\n".join(GHA_SCRIPT)))
    assert a.failing_step is not None
    assert a.failing_step.command == (
        "export NODE_OPTIONS=--max-old-space-size=4096\nnode scripts/build-search-index.js\nnpm run build"
    )


NPM_AUDIT_GATE = """\
$ npm audit --audit-level=high
# npm audit report

lodash  <4.17.21
Severity: high
Prototype Pollution in lodash - https://github.com/advisories/GHSA-p6mc-m468-83gw
fix available via `npm audit fix`
node_modules/lodash

found 3 vulnerabilities (1 low, 1 moderate, 1 high) in 1432 scanned packages
  3 vulnerabilities require manual review. See the full report for details.
The command "npm audit --audit-level=high" exited with 1.
"""

NPM_INSTALL_THEN_BUILD = """\
$ npm install
added 1432 packages, and audited 1433 packages in 12s
8 vulnerabilities (2 low, 6 moderate)
To address all issues, run:
  npm audit fix
$ npm run build
src/app.ts(12,5): error TS2322: Type 'string' is not assignable to type 'number'.
The command "npm run build" exited with 2.
"""


def test_an_audit_gate_fails_on_its_findings_but_an_install_s_count_is_information() -> None:
    a = analyse(NPM_AUDIT_GATE.encode())
    assert a.root_cause_line == 10 and a.signature == "security.npm.audit", a.root_cause
    b = analyse(NPM_INSTALL_THEN_BUILD.encode())
    assert b.root_cause_line == 7, b.root_cause


S3_DENIED = """\
+ aws sts get-caller-identity --query Arn --output text
arn:aws:iam::123456789012:user/ci-deployer
+ aws s3 sync dist/ s3://acme-site/ --delete
upload failed: dist/app.js to s3://acme-site/app.js An error occurred (AccessDenied) when calling the PutObject operation: Access Denied
upload failed: dist/app.css to s3://acme-site/app.css An error occurred (AccessDenied) when calling the PutObject operation: Access Denied
ERROR: script returned exit code 1
Finished: FAILURE
"""


def test_an_aws_access_denied_is_a_permission_failure() -> None:
    a = analyse(S3_DENIED.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.category == "permission" and a.signature == "cred.aws.access_denied"


RAILS_MIGRATE = """\
+ bin/rails db:migrate
== 20240428101500 AddIndexToProjectsAccountId: migrating ======================
-- add_index(:projects, :account_id)
bin/rails aborted!
StandardError: An error has occurred, this and all later migrations canceled: (StandardError)

PG::UndefinedColumn: ERROR:  column "account_id" does not exist
/app/db/migrate/20240428101500_add_index_to_projects_account_id.rb:3:in `change'
Tasks: TOP => db:migrate
(See full trace by running task with --trace)
"""


def test_a_rails_migration_s_cause_is_the_database_s_error_not_its_cancellation() -> None:
    a = analyse(RAILS_MIGRATE.encode())
    assert a.root_cause_line == 7, a.root_cause
    assert a.category == "config"


BITBUCKET_CONDA = """\
+ conda env create -f environment.yml
Collecting package metadata (repodata.json): done
Solving environment: failed

ResolvePackageNotFound:
  - cudatoolkit=11.8.0
  - pytorch==2.1.0=py3.11_cuda11.8_cudnn8.7.0_0

Searching for test report files in directories named [test-results, failsafe-reports, test-reports, TestResults, surefire-reports] down to a depth of 4
Finished scanning for test reports. Found 0 test report files.
Merged test suites, total number tests is 0, with 0 failures and 0 errors.
"""


def test_bitbucket_s_test_report_search_is_after_the_step() -> None:
    a = analyse(BITBUCKET_CONDA.encode())
    assert a.root_cause_line == 5, a.root_cause
    assert a.category == "dependency"


PEST = """\
$ php artisan test
   FAIL  Tests\\Feature\\UserTest
  ⨯ it creates a user                                                  0.12s
  ───────────────────────────────────────────────────────────────────────────
   FAILED  Tests\\Feature\\UserTest > it creates a user
  Failed asserting that 500 is identical to 201.

  at tests/Feature/UserTest.php:31
The command "php artisan test" exited with 1.
"""


def test_pest_names_its_failing_test_and_where() -> None:
    a = analyse(PEST.encode())
    assert [(t.name, t.file, t.line) for t in a.failing_tests] == [
        ("Tests\\Feature\\UserTest > it creates a user", "tests/Feature/UserTest.php", 31)
    ]


GHA_CHECKOUT_SUBMODULE = [
    "##[group]Run actions/checkout@v4",
    "with:",
    "  submodules: recursive",
    "##[endgroup]",
    "Syncing repository: acme/app",
    "##[group]Fetching the repository",
    "[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin",
    "##[endgroup]",
    "##[group]Fetching submodules",
    "[command]/usr/bin/git submodule update --init --force --depth=1 --recursive",
    "Cloning into '/home/runner/work/app/app/vendor/private-lib'...",
    "remote: Repository not found.",
    "fatal: repository 'https://github.com/acme/private-lib/' not found",
    "fatal: clone of 'https://github.com/acme/private-lib.git' into submodule path '/home/runner/work/app/app/vendor/private-lib' failed",
    "##[error]The process '/usr/bin/git' failed with exit code 1",
    "##[endgroup]",
]


def test_a_github_step_is_its_run_group_not_a_group_inside_it() -> None:
    a = analyse(_stamped("\n".join(GHA_CHECKOUT_SUBMODULE)))
    assert a.failing_step is not None and a.failing_step.name == "actions/checkout@v4"
    assert a.root_cause_line in (12, 13), a.root_cause


PYTEST_COLLECT_SYNTAX = """\
$ tox
py27 run-test: commands[0] | pytest tests
============================= test session starts ==============================
collected 0 items / 1 error

==================================== ERRORS ====================================
____________________ ERROR collecting tests/test_render.py _____________________
.tox/py27/lib/python2.7/site-packages/_pytest/python.py:468: in _importtestmodule
    mod = self.fspath.pyimport(ensuresyspath=importmode)
E     File "/build/.tox/py27/lib/python2.7/site-packages/tinyfmt/render.py", line 12
E       return f"<{tag}>{body}</{tag}>"
E                                     ^
E   SyntaxError: invalid syntax
!!!!!!!!!!!!!!!!!!! Interrupted: 1 errors during collection !!!!!!!!!!!!!!!!!!!!
=========================== 1 error in 0.21s ===========================
ERROR: InvocationError for command /build/.tox/py27/bin/pytest tests (exited with code 2)
The command "tox" exited with 1.
"""


def test_an_exception_pytest_reports_outranks_its_collection_header() -> None:
    a = analyse(PYTEST_COLLECT_SYNTAX.encode())
    assert a.root_cause_line == 13, a.root_cause
    assert a.signature == "python.syntax.error" and a.category == "compile"


OCAML = """\
$ dune build
File "bin/main.ml", line 3, characters 10-13:
3 | let () = foo ()
              ^^^
Error: Unbound value foo
The command "dune build" exited with 1.
"""


def test_an_ocaml_compiler_error_is_a_compile_failure() -> None:
    a = analyse(OCAML.encode())
    assert a.root_cause_line in (2, 5), a.root_cause
    assert a.category == "compile"


CLOJURE_AND_PERL = [
    (
        """\
$ lein test
lein test calc.core-test

FAIL in (test-add) (core_test.clj:7)
expected: (= 5 (add 2 2))
  actual: (not (= 5 4))

Ran 3 tests containing 3 assertions.
1 failures, 0 errors.
Tests failed.
The command "lein test" exited with 1.
""",
        ("test-add", "core_test.clj", 7),
    ),
    (
        """\
$ prove -lv t/
t/basic.t ..
ok 1 - subtracts
not ok 2 - adds

#   Failed test 'adds'
#   at t/basic.t line 8.
#          got: '4'
#     expected: '5'
# Looks like you failed 1 test of 2.
Result: FAIL
The command "prove -lv t/" exited with 1.
""",
        ("adds", "t/basic.t", 8),
    ),
]


@pytest.mark.parametrize("log, test", CLOJURE_AND_PERL)
def test_clojure_and_perl_name_their_failing_test_and_where(log: str, test: tuple) -> None:
    a = analyse(log.encode())
    assert test in [(t.name, t.file, t.line) for t in a.failing_tests]


def test_a_call_s_arguments_are_not_a_location() -> None:
    from ciwhy.analysis.testnames import _location

    assert _location(["  Calc.add(2, 2).should eq(5)"], "Calc adds two numbers") == (None, None)
    assert _location(["  at Tests/CalcTests.cs(42,0): at Calc"], "CalcTests.Adds") == (
        "Tests/CalcTests.cs",
        "42",
    )


DENO = """\
$ deno test
running 2 tests from ./duration_test.ts
parseDuration handles minutes ... ok (2ms)
parseDuration handles hours ... FAILED (3ms)

 ERRORS

parseDuration handles hours => ./duration_test.ts:9:6
error: AssertionError: Values are not equal.

    [Diff] Actual / Expected

-   3600
+   7200

  throw new AssertionError(message);
        ^
    at assertEquals (https://jsr.io/@std/assert/1.0.0/equals.ts:51:9)
    at file:///home/runner/work/app/app/duration_test.ts:10:3

 FAILURES

parseDuration handles hours => ./duration_test.ts:9:6

FAILED | 1 passed | 1 failed (12ms)
The command "deno test" exited with 1.
"""


def test_a_thrown_exception_quoted_from_source_is_not_the_error() -> None:
    a = analyse(DENO.encode())
    assert a.root_cause_line == 9, a.root_cause  # error: AssertionError: Values are not equal.


def test_a_runner_s_count_of_failed_tests_is_a_cascade() -> None:
    from ciwhy.analysis import lines as lines_mod
    from ciwhy.analysis.library_index import default_library

    log = lines_mod.read(b"[  FAILED  ] StringsTest.Join\n\n 1 FAILED TEST\n 12 FAILED TESTS\n")
    hits = default_library().scan(log.lines, log.text)
    assert "cascade" in hits.features.get(2, ()) and "cascade" in hits.features.get(3, ())
