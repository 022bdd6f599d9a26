"""Shapes found by the fifth round of probe logs (helper-written realistic failed logs of
GitHub monorepos, older Travis projects, systems languages and platform failures): each test
is the generic rule a miss showed, on a log cut down to that shape."""

from __future__ import annotations

from ciwhy.analysis import analyse
from tests.test_engine_probes2 import _gha

CONTINUED = """\
##[group]Run npm run lint:experimental
npm run lint:experimental
shell: /usr/bin/bash -e {0}
##[endgroup]
/home/runner/work/app/app/src/log.ts
  4:3  error  Unexpected console statement  no-console

✖ 1 problem (1 error, 0 warnings)

##[error]Process completed with exit code 1.
##[group]Run npm test
npm test
shell: /usr/bin/bash -e {0}
##[endgroup]
 FAIL  src/cart.test.ts > cart > applies discount
AssertionError: expected 100 to be 90 // Object.is equality
 Test Files  1 failed | 1 passed (2)
##[error]Process completed with exit code 1.
{after}Post job cleanup.
[command]/usr/bin/git version
"""

UPLOAD = """\
##[group]Run cat build/reports/*.log
cat build/reports/*.log
shell: /usr/bin/bash -e {0}
##[endgroup]
cat: 'build/reports/*.log': No such file or directory
##[error]Process completed with exit code 1.
"""


def test_a_step_allowed_to_fail_is_not_the_jobs_failure() -> None:
    # GitHub runs no step after a failed one unless it was allowed to fail: the later failing
    # step failed the job.
    a = analyse(_gha(CONTINUED.replace("{after}", "")))
    assert a.failing_step is not None and a.failing_step.command == "npm test"
    assert a.root_cause_line == 16
    assert a.category == "test"


def test_a_step_that_runs_after_the_failure_to_show_logs_is_not_the_jobs_failure() -> None:
    a = analyse(_gha(CONTINUED.replace("{after}", UPLOAD)))
    assert a.failing_step is not None and a.failing_step.command == "npm test"
    assert a.root_cause_line == 16


RACE = (
    """\
$ go test -race -v ./...
=== RUN   TestConcurrentSetGet
==================
WARNING: DATA RACE
Read at 0x00c0000b6030 by goroutine 14:
  github.com/acme/lru.(*Cache).Len()
      /home/travis/gopath/src/github.com/acme/lru/cache.go:118 +0x3e
"""
    + "".join(f"  frame{k}()\n      /usr/lib/go/src/x{k}.go:{k} +0x1\n" for k in range(12))
    + """\
==================
--- FAIL: TestConcurrentSetGet (0.02s)
    testing.go:771: race detected during execution of test
FAIL
FAIL\tgithub.com/acme/lru\t0.031s
The command "go test -race -v ./..." exited with 1.
"""
)


def test_a_race_report_far_above_the_test_it_failed_is_the_cause() -> None:
    # Go prints a test's output, the race report, before the `--- FAIL` that closes it; the
    # testing package's `race detected` line is its consequence.
    a = analyse(RACE)
    assert a.root_cause_line == 4
    assert a.signature == "go.test.data_race"


def test_a_github_step_timeout_is_the_failure_whatever_runs_after_it() -> None:
    log = _gha(
        "##[group]Run pnpm test:e2e\npnpm test:e2e\n##[endgroup]\n"
        "  ✓  10 [chromium] › email.spec.ts:38:5 › sends a reminder (5.1s)\n"
        "##[error]The action 'Run pnpm test:e2e' has timed out after 15 minutes.\n"
        "##[group]Run docker compose down\ndocker compose down\n##[endgroup]\n"
        " Network docker_default  Removed\n"
        "Post job cleanup.\n"
    )
    a = analyse(log)
    assert a.root_cause_line == 5
    assert a.category == "timeout"
    assert a.signature == "infra.timeout.github_step"


def test_minitests_numbered_header_yields_to_the_test_it_names() -> None:
    log = (
        "$ bundle exec rake test\n\n..F..\n\n  1) Failure:\n"
        "DurationTest#test_weeks [/home/travis/build/a/b/test/duration_test.rb:44]:\n"
        "Expected: 1209600\n  Actual: 86400\n\n"
        "5 runs, 7 assertions, 1 failures, 0 errors, 0 skips\n"
        'The command "bundle exec rake test" exited with 1.\n'
    )
    a = analyse(log)
    assert a.root_cause_line == 6
    assert [t.name for t in a.failing_tests] == ["DurationTest#test_weeks"]


def test_a_violation_its_tool_tags_as_a_warning_is_not_the_cause() -> None:
    log = (
        "$ mvn verify -B\n[INFO] --- maven-checkstyle-plugin:2.17:check (validate) @ app ---\n"
        "[WARNING] src/main/java/a/Client.java:[131] (sizes) LineLength: Line is longer than"
        " 120 characters (found 127).\n"
        "[ERROR] src/main/java/a/Upload.java:[88,13] (whitespace) WhitespaceAround: 'if' is not"
        " followed by whitespace.\n"
        "[WARNING] src/main/java/a/Errors.java:[54,5] (javadoc) JavadocMethod: Missing a Javadoc"
        " comment.\n"
        "[INFO] BUILD FAILURE\n"
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-checkstyle-plugin:2.17:check"
        " (validate) on project app: You have 1 Checkstyle violation. -> [Help 1]\n"
        'The command "mvn verify -B" exited with 1.\n'
    )
    a = analyse(log)
    assert a.root_cause_line == 4
    assert a.category == "lint"


def test_buildkit_clocks_with_two_decimals_are_stripped() -> None:
    log = _gha(
        "##[group]Run docker/build-push-action@v5\n##[endgroup]\n"
        "#13 [build 6/6] RUN go build -o /out/ingest ./cmd/ingest\n"
        "#13 0.412 go: downloading github.com/segmentio/kafka-go v0.4.47\n"
        "#13 18.93 internal/pipeline/batcher.go:131:10: undefined: metrics.RecordBatchSize\n"
        '#13 ERROR: process "/bin/sh -c go build -o /out/ingest ./cmd/ingest" did not complete'
        " successfully: exit code: 1\n"
        'ERROR: failed to solve: process "/bin/sh -c go build -o /out/ingest ./cmd/ingest" did'
        " not complete successfully: exit code: 1\n"
        "##[error]buildx failed with: ERROR: failed to solve: exit code: 1\n"
    )
    a = analyse(log)
    assert a.root_cause_line == 5
    assert a.category == "compile"


WGET = """\
##[group]Run ./ci/install-tools.sh
./ci/install-tools.sh
##[endgroup]
--2024-05-01 12:00:31--  https://objects.example.com/kubeconform.tar.gz
Connecting to objects.example.com (objects.example.com)|185.199.108.133|:443... connected.
HTTP request sent, awaiting response... 503 Service Unavailable
Retrying.

--2024-05-01 12:00:33--  (try: 2)  https://objects.example.com/kubeconform.tar.gz
Connecting to objects.example.com (objects.example.com)|185.199.108.133|:443... connected.
HTTP request sent, awaiting response... {second}
{rest}##[error]Process completed with exit code 4.
"""


def test_an_error_a_retry_got_past_is_not_the_cause() -> None:
    log = WGET.replace("{second}", "200 OK").replace(
        "{rest}",
        "Saving to: 'kubeconform.tar.gz'\n"
        "--2024-05-01 12:00:34--  https://artifacts.acme-internal.net/kustomize.tar.gz\n"
        "Resolving artifacts.acme-internal.net (artifacts.acme-internal.net)... failed:"
        " Temporary failure in name resolution.\n"
        "wget: unable to resolve host address 'artifacts.acme-internal.net'\n",
    )
    a = analyse(_gha(log))
    assert a.root_cause_line in (14, 15)
    assert a.category == "network"


def test_an_error_every_attempt_repeated_is_still_the_cause() -> None:
    log = WGET.replace("{second}", "503 Service Unavailable").replace("{rest}", "Giving up.\n")
    a = analyse(_gha(log))
    assert a.root_cause_line in (6, 11)


def test_a_workspace_runners_prefix_does_not_hide_a_test_failure() -> None:
    log = _gha(
        "##[group]Run yarn workspaces foreach -Avt run test\n"
        "yarn workspaces foreach -Avt run test\n##[endgroup]\n"
        "[@acme/pricing]: Process started\n"
        "[@acme/pricing]: FAIL src/discounts.test.ts\n"
        "[@acme/pricing]:   ● applyDiscount › caps percentage discounts\n"
        "[@acme/pricing]: \n"
        "[@acme/pricing]:     expect(received).toBe(expected) // Object.is equality\n"
        "[@acme/pricing]: \n"
        "[@acme/pricing]:     Expected: 100\n"
        "[@acme/pricing]:     Received: 120\n"
        "[@acme/pricing]: \n"
        "[@acme/pricing]:       at Object.<anonymous> (src/discounts.test.ts:14:26)\n"
        "[@acme/pricing]: \n"
        "[@acme/pricing]: Tests:       1 failed, 12 passed, 13 total\n"
        "[@acme/pricing]: Process exited (exit code 1), completed in 19s 512ms\n"
        "The command failed for workspaces that are depended upon by other workspaces\n"
        "##[error]Process completed with exit code 1.\n"
    )
    a = analyse(log)
    assert 5 <= a.root_cause_line <= 11, a.root_cause
    assert a.category == "test"


def test_clang_tidy_findings_are_lint_and_cargo_deny_findings_are_dependencies() -> None:
    tidy = analyse(
        "$ run-clang-tidy -p build\n"
        "/builds/acme/px/src/frame_pool.cpp:93:19: error: 'frame' used after it was moved"
        " [bugprone-use-after-move,-warnings-as-errors]\n"
        "1 warning treated as error\n"
        "ERROR: Job failed: exit code 1\n"
    )
    assert (tidy.root_cause_line, tidy.category) == (2, "lint")
    deny = analyse(
        "$ cargo deny check advisories\n"
        "error[vulnerability]: `rustls::ConnectionCommon::complete_io` could fall into an"
        " infinite loop based on network input\n"
        "advisories FAILED\n"
        "ERROR: Job failed: exit code 1\n"
    )
    assert (deny.root_cause_line, deny.category) == (2, "dependency")


def test_a_compilers_located_error_is_compile_in_a_step_named_test() -> None:
    a = analyse(
        "$ zig build test\n"
        "src/parser.zig:142:30: error: expected type 'u32', found 'i64'\n"
        "error: 1 compilation errors\n"
        'The command "zig build test" exited with 1.\n'
    )
    assert (a.root_cause_line, a.category) == (2, "compile")


JENKINS_ABORTED = """\
[Pipeline] stage
[Pipeline] { (Declarative: Checkout SCM)
[Pipeline] checkout
 > git rev-parse --resolve-git-dir /home/jenkins/agent/workspace/api/.git # timeout=10
 > git submodule sync # timeout=10
 > git submodule update --init --recursive third_party/protos # timeout=10
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Declarative: Post Actions)
[Pipeline] publishChecks
[Checks API] No suitable checks publisher found.
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
hudson.plugins.git.GitException: Command "git submodule update --init" returned status code 1:
stdout:
stderr: Cloning into '/home/jenkins/agent/workspace/api/third_party/protos'...
fatal: could not read Username for 'https://github.com': No such device or address
\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2842)
Finished: FAILURE
"""


def test_the_error_jenkins_prints_after_the_post_actions_is_the_cause() -> None:
    a = analyse(JENKINS_ABORTED)
    assert a.root_cause_line == 19
    assert a.category == "credentials"
    assert a.failing_step is not None and a.failing_step.name == "Declarative: Checkout SCM"


def test_an_npm_auth_failure_reported_by_a_wrapper_is_a_credentials_failure() -> None:
    a = analyse(
        "$ pnpm changeset publish\n"
        '🦋  info Publishing "@acme/icons" at "0.1.0"\n'
        "🦋  error an error occurred while publishing @acme/icons: E401 Unable to authenticate,"
        " your authentication token seems to be invalid.\n"
        "🦋  error packages failed to publish:\n"
        "🦋  @acme/icons@0.1.0\n"
        "ERROR: Job failed: exit code 1\n"
    )
    assert (a.root_cause_line, a.category) == (3, "credentials")


def test_what_a_passing_googletest_test_printed_is_not_the_cause() -> None:
    a = analyse(
        "$ ctest --output-on-failure\n"
        "[ RUN      ] QueueTest.EncodeNegativeDelta\n"
        "src/codec.cpp:42:17: runtime error: left shift of negative value -3\n"
        "    #0 0x55d6c1e51c3a in bq::zigzag(int) src/codec.cpp:42:17\n"
        "[       OK ] QueueTest.EncodeNegativeDelta (1 ms)\n"
        "[ RUN      ] QueueTest.DrainAfterClear\n"
        "=================================================================\n"
        "==5127==ERROR: AddressSanitizer: heap-use-after-free on address 0x602000000b30\n"
        "READ of size 8 at 0x602000000b30 thread T0\n"
        "    #0 0x55d6c1e4a7f1 in bq::Queue::pop() src/queue.cpp:74:22\n"
        "==5127==ABORTING\n"
        "The following tests FAILED:\n"
        "\t  3 - queue_tests (Subprocess aborted)\n"
        'The command "ctest --output-on-failure" exited with 8.\n'
    )
    assert a.root_cause_line == 8


def test_the_first_of_several_errors_of_one_kind_is_the_cause() -> None:
    a = analyse(
        "$ python setup.py build_ext --inplace\n"
        "Error compiling Cython file:\n"
        "sparrow/_kernels.pyx:57:21: Calling gil-requiring function not allowed without gil\n"
        "Error compiling Cython file:\n"
        "sparrow/_kernels.pyx:61:15: Accessing Python attribute not allowed without gil\n"
        "Error compiling Cython file:\n"
        "sparrow/_kernels.pyx:64:47: Converting to Python object not allowed without gil\n"
        "Traceback (most recent call last):\n"
        '  File "setup.py", line 12, in <module>\n'
        "Cython.Compiler.Errors.CompileError: sparrow/_kernels.pyx\n"
        'The command "python setup.py build_ext --inplace" exited with 1.\n'
    )
    assert (a.root_cause_line, a.category) == (3, "compile")
    assert a.signature == "python.cython.compile_error"


def test_a_quoted_timeout_atom_is_not_a_timeout_and_env_assignments_are_not_the_command() -> None:
    dialyzer = analyse(
        "$ rebar3 dialyzer\n"
        "src/conn.erl\n"
        "Line 97: The pattern {'error', 'closed'} can never match the type"
        " {'ok',binary()} | {'error','timeout'}\n"
        'The command "rebar3 dialyzer" exited with 1.\n'
    )
    assert dialyzer.category != "timeout"
    wae = analyse(
        "$ MIX_ENV=test mix compile --warnings-as-errors\n"
        'warning: variable "bucket" is unused\n'
        "  lib/limiter.ex:40: Limiter.take/2\n"
        "Compilation failed due to warnings while using the --warnings-as-errors option\n"
        'The command "MIX_ENV=test mix compile --warnings-as-errors" exited with 1.\n'
    )
    assert wae.category == "compile"


def test_credo_issues_and_indented_testthat_headers_are_recognised() -> None:
    credo = analyse(
        "$ mix credo --strict\n"
        "  Readability Issues\n"
        "┃ \n"
        "┃ [R] → Modules should have a @moduledoc tag.\n"
        "┃       lib/shortlink_web/views/error_view.ex:1:11 #(ShortlinkWeb.ErrorView)\n"
        "Please report incorrect results: https://github.com/rrrene/credo/issues\n"
        'The command "mix credo --strict" exited with 4.\n'
    )
    assert (credo.root_cause_line, credo.category) == (4, "lint")
    testthat = analyse(
        "$ R CMD check pkg.tar.gz\n"
        "Last 13 lines of output:\n"
        "  ── 1. Failure: tidy_dates() keeps time zone (@test-tidy.R#47)  ────────\n"
        '  attr(res, "tzone") not equal to "America/Chicago".\n'
        'The command "R CMD check pkg.tar.gz" exited with 1.\n'
    )
    assert testthat.signature == "r.testthat.failure"


def test_detekt_findings_dotnet_failures_at_line_start_and_dotted_exceptions() -> None:
    detekt = analyse(
        "$ ./gradlew detekt\n"
        "> Task :sync:detekt FAILED\n"
        "/w/app/sync/src/main/kotlin/SyncWorker.kt:87:5: The function doWork appears to be too"
        " complex (complexity: 17). [CyclomaticComplexMethod]\n"
        "FAILURE: Build failed with an exception.\n"
        'The command "./gradlew detekt" exited with 1.\n'
    )
    assert (detekt.root_cause_line, detekt.category) == (3, "lint")
    vstest = analyse(
        "$ dotnet test\n"
        "Failed Plan_ExceedsCartCapacity_SplitsBatches [41 ms]\n"
        "Error Message:\n"
        "   Expected: 3\n"
        "  But was:  2\n"
        'The command "dotnet test" exited with 1.\n'
    )
    assert 2 <= vstest.root_cause_line <= 4
    assert [t.name for t in vstest.failing_tests] == ["Plan_ExceedsCartCapacity_SplitsBatches"]
    django = analyse(
        "$ python manage.py test\n"
        "Traceback (most recent call last):\n"
        '  File "/app/settings.py", line 30, in <module>\n'
        '    "default": env.db("DATABASE_URL"),\n'
        "django.core.exceptions.ImproperlyConfigured: Set the DATABASE_URL environment variable\n"
        'The command "python manage.py test" exited with 1.\n'
    )
    assert django.root_cause_line == 5


def test_a_version_solver_failure_names_no_particular_tool() -> None:
    a = analyse(
        "$ poetry install\n"
        "Updating dependencies\n"
        "Resolving dependencies...\n"
        "So, because orbit depends on both httpx (^0.27) and respx (0.20.0), version solving"
        " failed.\n"
        'The command "poetry install" exited with 1.\n'
    )
    assert (a.root_cause_line, a.category) == (4, "dependency")
    assert a.signature == "deps.solver.version_solving_failed"
    assert "Flutter" not in a.root_cause + a.fix_suggestion


def test_a_failed_pre_commit_hook_yields_to_the_findings_under_it() -> None:
    a = analyse(
        "$ pre-commit run --all-files\n"
        "trim trailing whitespace.................................................Passed\n"
        "ruff.....................................................................Failed\n"
        "- hook id: ruff\n"
        "- exit code: 1\n"
        "\n"
        "src/orbit/deploy.py:27:5: B006 Do not use mutable data structures for argument defaults\n"
        "src/orbit/deploy.py:141:13: E722 Do not use bare `except`\n"
        "Found 2 errors.\n"
        "check yaml...............................................................Passed\n"
        'The command "pre-commit run --all-files" exited with 1.\n'
    )
    assert a.root_cause_line == 7
    assert a.category == "lint"


def test_an_exception_in_a_module_without_error_in_its_name_is_read() -> None:
    a = analyse(
        "$ pytest\n"
        "    def split(self, n):\n"
        ">       return [self.amount.quantize(CENTS, context=STRICT) / n] * n\n"
        "E       decimal.InvalidOperation: [<class 'decimal.Inexact'>]\n"
        "\n"
        "src/ledgerly/money.py:47: InvalidOperation\n"
        'The command "pytest" exited with 1.\n'
    )
    assert a.root_cause_line in (4, 6)
    assert "InvalidOperation" in a.root_cause
    line = analyse("E       decimal.InvalidOperation: [<class 'decimal.Inexact'>]\n")
    assert line.signature == "python.traceback.exception"


def test_travis_wait_stopping_a_command_is_the_cause() -> None:
    a = analyse(
        "$ travis_wait 30 ./gradlew integrationTest\n"
        "Still running (29 of 30): ./gradlew integrationTest\n"
        'Timeout (30 minutes) reached. Terminating "./gradlew integrationTest"\n'
        'The command "travis_wait 30 ./gradlew integrationTest" exited with 137.\n'
        "Log:\n"
        "15:02:41.118 [Test worker] INFO EsClusterRule - Waiting for Elasticsearch\n"
        "Done. Your build exited with 1.\n"
    )
    assert (a.root_cause_line, a.category) == (3, "timeout")


def test_what_a_program_logged_does_not_outrank_a_race_report() -> None:
    a = analyse(
        "$ go test -race ./...\n"
        "=== RUN   TestLimiterConcurrent\n"
        '2024/05/21 18:21:46 ERROR ratelimit: store unavailable, failing open err="dial tcp'
        ' 127.0.0.1:6379: connect: connection refused"\n'
        "==================\n"
        "WARNING: DATA RACE\n"
        "Write at 0x00c0001b40a8 by goroutine 23:\n"
        + "".join(f"  frame{k}()\n      /w/limiter.go:{k} +0x1\n" for k in range(10))
        + "==================\n"
        "--- FAIL: TestLimiterConcurrent (0.12s)\n"
        "    testing.go:1398: race detected during execution of test\n"
        "FAIL\n"
        'The command "go test -race ./..." exited with 1.\n'
    )
    assert a.root_cause_line == 5


def test_a_native_extensions_build_error_yields_to_the_missing_library() -> None:
    a = analyse(
        "$ bundle install\n"
        "Installing rmagick 2.16.0 with native extensions\n"
        "Gem::Ext::BuildError: ERROR: Failed to build gem native extension.\n"
        "\n"
        "    current directory: /home/travis/.rvm/gems/ruby-2.3/gems/rmagick-2.16.0/ext\n"
        "checking for pkg-config... yes\n"
        "Package MagickCore was not found in the pkg-config search path.\n"
        "Perhaps you should add the directory containing `MagickCore.pc'\n"
        "No package 'MagickCore' found\n"
        "An error occurred while installing rmagick (2.16.0), and Bundler cannot continue.\n"
        'The command "bundle install" failed and exited with 5 during .\n'
    )
    assert 7 <= a.root_cause_line <= 9


def test_a_killed_clang_and_a_refused_aws_key_are_named() -> None:
    oom = analyse(
        "$ ninja -j32\n"
        "[812/2210] Building CXX object src/CMakeFiles/core.dir/solver.cpp.o\n"
        "clang++-17: error: unable to execute command: Killed\n"
        "clang++-17: error: clang frontend command failed due to signal\n"
        "ninja: build stopped: subcommand failed.\n"
        'The command "ninja -j32" exited with 1.\n'
    )
    assert (oom.root_cause_line, oom.category) == (3, "infrastructure")
    aws = analyse(
        "$ make release\n"
        "aws s3 cp dist/ s3://acme-web/ --recursive --only-show-errors\n"
        "upload failed: dist/app.js to s3://acme-web/app.js An error occurred (InvalidAccessKeyId)"
        " when calling the PutObject operation: The AWS Access Key Id you provided does not exist"
        " in our records.\n"
        "make: *** [Makefile:31: release] Error 1\n"
        'The command "make release" exited with 2.\n'
    )
    assert (aws.root_cause_line, aws.category) == (3, "credentials")
