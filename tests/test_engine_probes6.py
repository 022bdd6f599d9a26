"""Shapes from the eleventh round of probe logs: each test fails on the engine as it was before
the change it covers, except the guards that say what a change must leave alone."""

from __future__ import annotations

from ciwhy.analysis import analyse, lines, locate, structure
from ciwhy.analysis.library_index import default_library

GRADLE_MERGE = """\
> Task :app:mergeDebugResources FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':app:mergeDebugResources'.
> A failure occurred while executing com.android.build.gradle.internal.res.Aapt2CompileRunnable
   > Resource compilation failed: [color/brand] duplicate value for resource 'color/brand'

* Try:
> Run with --stacktrace option to get the stack trace.

BUILD FAILED in 1m 58s
94 actionable tasks: 94 executed
"""


def test_a_gradle_task_failure_yields_to_the_deepest_line_of_its_report() -> None:
    a = analyse(GRADLE_MERGE.encode())
    assert a.root_cause_line == 8, a.root_cause
    assert "duplicate value" in a.root_cause


def test_a_gradle_report_that_points_back_at_failing_tests_keeps_the_test_failure() -> None:
    log = (
        "> Task :core:test\n"
        "\n"
        "OrderTest > totals() FAILED\n"
        "    org.opentest4j.AssertionFailedError: expected: <12> but was: <11>\n"
        "        at app//OrderTest.totals(OrderTest.kt:30)\n"
        "\n"
        "1 test completed, 1 failed\n"
        "\n"
        "> Task :core:test FAILED\n"
        "\n"
        "FAILURE: Build failed with an exception.\n"
        "\n"
        "* What went wrong:\n"
        "Execution failed for task ':core:test'.\n"
        "> There were failing tests. See the report at: file:///w/core/build/reports/index.html\n"
        "\n"
        "BUILD FAILED in 21s\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (3, 4), a.root_cause


def test_a_nested_shell_trace_s_echo_is_the_script_s_words_not_the_failure() -> None:
    log = GRADLE_MERGE + (
        "++ on_exit\n"
        "++ rc=1\n"
        "++ echo '==> nightly-build.sh FAILED (exit 1) at Sat Mar  1 02:02:14 UTC 2025'\n"
        "==> nightly-build.sh FAILED (exit 1) at Sat Mar  1 02:02:14 UTC 2025\n"
        "++ curl -sS -X POST -d @- https://hooks.example.com/ci\n"
    )
    read = lines.read(log.encode())
    hits = default_library().scan(read.lines, read.text)
    found = [
        c.index + 1 for c in locate.candidates(read.lines, hits, structure.find(read.lines, hits))
    ]
    assert 8 in found and 20 not in found, found


def test_ninja_s_failed_target_yields_to_the_first_undefined_reference() -> None:
    fn = "/usr/bin/ld: src/libcore.a(zstd_codec.cpp.o): in function `pf::ZstdCodec::{}()':\n"
    ref = "undefined reference to `ZSTD_{}'\n"
    log = (
        "##[group]Run cmake --build build --parallel 4\n"
        "[40/62] Building CXX object tests/CMakeFiles/tests.dir/index_test.cpp.o\n"
        "[41/62] Linking CXX executable tools/packtool/packtool\n"
        "FAILED: tools/packtool/packtool \n"
        ": && /usr/bin/g++-13 -O3 main.cpp.o -o tools/packtool/packtool src/libcore.a && :\n"
        + fn.format("compress")
        + "zstd_codec.cpp:(.text+0x1b4): "
        + ref.format("compressBound")
        + "/usr/bin/ld: zstd_codec.cpp:(.text+0x21e): "
        + ref.format("compressCCtx")
        + "/usr/bin/ld: zstd_codec.cpp:(.text+0x232): "
        + ref.format("isError")
        + fn.format("decompress")
        + "zstd_codec.cpp:(.text+0x3a9): "
        + ref.format("getFrameContentSize")
        + "/usr/bin/ld: zstd_codec.cpp:(.text+0x41f): "
        + ref.format("decompressDCtx")
        + "/usr/bin/ld: zstd_codec.cpp:(.text+0x433): "
        + ref.format("isError")
        + fn.format("close")
        + "zstd_codec.cpp:(.text+0x61e): "
        + ref.format("freeDCtx")
        + "/usr/bin/ld: zstd_codec.cpp:(.text+0x62a): "
        + ref.format("freeCCtx")
        + "collect2: error: ld returned 1 exit status\n"
        "[42/62] Building CXX object tests/CMakeFiles/tests.dir/error_test.cpp.o\n"
        "[43/62] Building CXX object tests/CMakeFiles/tests.dir/builder_test.cpp.o\n"
        "[44/62] Building CXX object tests/CMakeFiles/tests.dir/extractor_test.cpp.o\n"
        "ninja: build stopped: subcommand failed.\n"
        "##[error]Process completed with exit code 1.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 7, a.root_cause
    assert a.signature == "c.linker.undefined_reference"


def test_cmake_s_status_for_an_optional_package_is_not_the_missing_requirement() -> None:
    log = (
        "-- Boost version: 1.54.0\n"
        "-- Could NOT find Doxygen (missing:  DOXYGEN_EXECUTABLE) \n"
        "CMake Error at /usr/share/cmake/Modules/FindPackageHandleStandardArgs.cmake:138 "
        "(message):\n"
        "  Could NOT find Halide (missing: HALIDE_LIBRARIES HALIDE_INCLUDE_DIR)\n"
        "Call Stack (most recent call first):\n"
        "  CMakeLists.txt:46 (include)\n"
        "\n"
        "-- Configuring incomplete, errors occurred!\n"
        'The command "cmake .." exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (3, 4), a.root_cause
    assert "Doxygen" not in a.root_cause


def test_a_slowest_tests_report_is_not_a_failure() -> None:
    log = (
        "Finished tests in 72.704466s, 11.9387 tests/s, 21.3880 assertions/s.\n"
        "\n"
        "Failure:\n"
        "TestKramdown#test_highlighter [/w/test/test_kramdown.rb:106]\n"
        "Minitest::Assertion: Expected true to not be truthy.\n"
        "\n"
        "868 tests, 1555 assertions, 1 failures, 0 errors, 0 skips\n"
        "Your 10 Slowest Tests\n"
        " 3.6053ms - TestSite#test_: creating sites should fail when the file is missing. \n"
        " 3.4580ms - TestSite#test_: missing static files raise an error. \n"
        "0.52s call     tests/test_io.py::test_error_when_missing\n"
        'The command "bundle exec rake test" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert 3 <= a.root_cause_line <= 5, a.root_cause


HELM_SCRIPT = """\
+ retry 3 helm repo add jetstack https://charts.jetstack.io --force-update
Error: looks like "https://charts.jetstack.io" is not a valid chart repository or cannot be \
reached: failed to fetch https://charts.jetstack.io/index.yaml : 503 Service Unavailable
retry: attempt 1/3 failed (exit 1), sleeping 5s
"jetstack" has been added to your repositories
+ helm dependency build charts/analytics --skip-refresh
Saving 3 charts
Error: could not download oci://registry-1.docker.io/bitnamicharts/postgresql: failed to do \
request: Head "https://registry-1.docker.io/v2/bitnamicharts/postgresql/manifests/16.4.5": dial \
tcp 54.227.20.253:443: i/o timeout
++ on_error 118 'helm dependency build "charts/$chart" --skip-refresh'
++ echo '!!! nightly-release.sh failed at line 118 (exit 1)'
!!! nightly-release.sh failed at line 118 (exit 1)
++ exit 1
+ cleanup
+ rm -rf /tmp/release.Qm7c2
+ curl -sS -X POST --data @- https://hooks.example.com/services/T0/B0/X
ok
+ echo '=== nightly-release.sh finished with status 1 after 00:02:21 ==='
=== nightly-release.sh finished with status 1 after 00:02:21 ===
"""


def test_a_traced_script_s_exit_ends_its_output_and_its_retry_helper_s_notice_counts() -> None:
    # (the `retry` helper's notice: the first error was retried and passed; the script's own
    # `exit 1`: the cleanup, the notification's `ok` and the last echo come after the failure)
    a = analyse(HELM_SCRIPT.encode())
    assert a.root_cause_line == 7, a.root_cause
    assert a.category == "network"
    assert a.failing_step is not None and a.failing_step.start_line == 5


def _goroutines(n: int) -> str:
    return "".join(
        f"goroutine {k} [chan receive]:\n"
        f"github.com/acme/keeper/integration.wait{k}(0xc000{k:04d})\n"
        f"\t/src/integration/failover_test.go:{100 + k} +0x1d2\n\n"
        for k in range(n)
    )


def test_go_s_package_summary_yields_to_the_test_timeout_above_its_goroutine_dump() -> None:
    log = (
        "$ go test -tags=integration -timeout 10m -count=1 -v ./integration/...\n"
        "=== RUN   TestFailover_PromotesReplica\n"
        "    failover_test.go:77: waiting for pg-replica to report role=primary\n"
        "panic: test timed out after 10m0s\n"
        "\trunning tests:\n"
        "\t\tTestFailover_PromotesReplica (9m31s)\n\n"
        + _goroutines(30)
        + "FAIL\tgitlab.com/acme/keeper/integration\t600.118s\n"
        "FAIL\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.category == "timeout"


def test_a_go_test_s_failure_yields_to_its_data_race_report_however_long() -> None:
    race = "".join(
        f"  github.com/acme/cache.(*LRU).f{k}()\n      /src/cache/lru.go:{70 + k} +0x1d2\n"
        for k in range(35)
    )
    log = (
        "$ go test -race -count=1 -v ./...\n"
        "=== RUN   TestLRU_ConcurrentAccess\n"
        "==================\n"
        "WARNING: DATA RACE\n"
        "Write at 0x00c0001b6090 by goroutine 27:\n"
        + race
        + "\nPrevious read at 0x00c0001b6090 by goroutine 28:\n"
        + race
        + "==================\n"
        "    testing.go:1399: race detected during execution of test\n"
        "--- FAIL: TestLRU_ConcurrentAccess (0.03s)\n"
        "FAIL\n"
        "FAIL\tgithub.com/acme/cache\t0.412s\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.signature == "go.test.data_race"


def test_an_unhealthy_service_container_is_the_root_when_its_log_says_nothing_more() -> None:
    log = (
        "##[group]Starting postgres service container\n"
        "##[command]/usr/bin/docker logs --details 63c3382a4c4b\n"
        " 2025-03-11 08:41:41.540 UTC [48] LOG:  checkpoint starting: time\n"
        " CREATE EXTENSION\n"
        " 2025-03-11 08:41:48.140 UTC [204] WARNING:  there is no transaction in progress\n"
        "##[endgroup]\n"
        "##[error]Failed to initialize, postgres service is unhealthy.\n"
        "##[group]Stop and remove container: d479ad8178aa_postgis\n"
        "##[command]/usr/bin/docker rm --force 63c3382a4c4b\n"
        "##[endgroup]\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 7, a.root_cause
    assert a.signature == "ci.github.service_unhealthy"
    assert a.category == "infrastructure"


def test_a_traced_script_s_failing_step_is_the_command_that_said_why() -> None:
    log = (
        "+ curl -fsS --max-time 5 https://artifacts.acme.internal/api/health\n"
        "curl: (6) Could not resolve host: artifacts.acme.internal\n"
        "+ echo 'WARN: artifact mirror unreachable, falling back to Maven Central'\n"
        "WARN: artifact mirror unreachable, falling back to Maven Central\n"
        "+ docker compose -f ci/docker-compose.yml up -d --wait\n"
        + "".join(
            f" Container billing-ci-{s}-1  Started\n"
            for s in ("db", "mq", "cache", "s3", "mail", "search", "auth", "web")
        )
        + "+ git log -1 --format='%h %an %s'\n"
        "d68355b09 Priya Raman BILL-2240 Add credit note endpoint to InvoiceController\n"
        "+ export GRADLE_OPTS=-Xmx2g\n"
        "+ ./gradlew --no-daemon build\n"
        "> Task :billing-web:spotlessJavaCheck FAILED\n"
        "\n"
        "FAILURE: Build failed with an exception.\n"
        "\n"
        "* What went wrong:\n"
        "Execution failed for task ':billing-web:spotlessJavaCheck'.\n"
        "> The following files had format violations:\n"
        "      src/main/java/com/acme/billing/web/InvoiceController.java\n"
        "  Run './gradlew :billing-web:spotlessApply' to fix these violations.\n"
        "\n"
        "BUILD FAILED in 2m 31s\n"
        "+ status=1\n"
        "+ tar -czvf /srv/ci/reports/reports.tgz build/reports\n"
        "build/reports/tests/test/index.html\n"
        "build/reports/problems/problems-report.html\n"
        "+ curl -fsS -X POST --data @/tmp/slack.json https://hooks.example.com/services/T0/B0\n"
        "ok\n"
        "+ rm -f /tmp/slack.json\n"
        "+ exit 1\n"
    )
    a = analyse(log.encode())
    assert a.failing_step is not None and a.failing_step.start_line == 17, a.failing_step
    assert a.root_cause_line == 24, a.root_cause


def test_bash_s_killed_report_after_a_test_id_is_the_out_of_memory_kill() -> None:
    log = (
        "+ .venv/bin/python -m pytest -v tests/\n"
        "tests/raster/test_mosaic.py::test_mosaic_full_tile_set[z13] PASSED\n"
        "tests/raster/test_mosaic.py::test_mosaic_full_tile_set[z14] .buildkite/steps/test.sh: "
        "line 31: 48213 Killed                  .venv/bin/python -m pytest -v tests/\n"
        "🚨 Error: The command exited with status 137\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3, a.root_cause
    assert a.signature == "infra.oom.killed"


def test_a_net_analyzer_error_is_the_first_of_the_build_s_errors() -> None:
    root = "/home/runner/work/shipping/src/Infra/Carriers/"
    log = (
        "##[group]Run dotnet build --no-restore -c Release\n"
        f"{root}DhlRateClient.cs(47,27): error CA2016: Forward the 'cancellationToken' parameter "
        "to the 'GetFromJsonAsync' method [/w/Infra.csproj]\n"
        f"{root}RateAggregator.cs(62,13): error CA1859: Change type of variable 'quotes' from "
        "'IEnumerable<RateQuote>' to 'List<RateQuote>' for improved performance [/w/Infra.csproj]\n"
        f"{root}UpsRateClient.cs(3,1): error IDE0005: Using directive is unnecessary. "
        "[/w/Infra.csproj]\n"
        "\n"
        "Build FAILED.\n"
        "    0 Warning(s)\n"
        "    3 Error(s)\n"
        "##[error]Process completed with exit code 1.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 2, a.root_cause
    assert a.signature == "dotnet.analyzer.error"
    assert a.category == "lint"


def test_r_cmd_check_s_failed_check_yields_to_r_s_error_below_it() -> None:
    log = (
        "* checking data for ASCII and uncompressed saves ... OK\n"
        "* checking examples ... ERROR\n"
        "Running examples in ‘ratesR-Ex.R’ failed\n"
        "The error most likely occurred in:\n"
        "\n"
        "> ### Name: summarise_rates\n"
        "> ### ** Examples\n"
        '> summarise_rates(example_rates, by = "region")\n'
        "Error in `summarise_rates()`:\n"
        "! Column `rate` not found in `.data`.\n"
        "Backtrace:\n"
        "    ▆\n"
        ' 1. └─ratesR::summarise_rates(example_rates, by = "region")\n'
        "Execution halted\n"
        "* checking for unstated dependencies in ‘tests’ ... OK\n"
        "* DONE\n"
        "Status: 1 ERROR\n"
        "##[error]Process completed with exit code 1.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (9, 10), a.root_cause


def test_a_failed_action_s_own_error_is_the_cause_when_later_steps_ran_on_failure() -> None:
    log = (
        "##[group]Run pip install -e '.[test]'\n"
        "ERROR: pip's dependency resolver does not currently take into account all the packages "
        "that are installed.\n"
        "moto 5.0.28 requires responses>=0.15.0, but you have responses 0.13.4 which is "
        "incompatible.\n"
        "Successfully installed tilecache-0.1.0\n"
        "##[endgroup]\n"
        "##[group]Run actions/cache/restore@v4\n"
        "with:\n"
        "  fail-on-cache-miss: true\n"
        "##[endgroup]\n"
        "##[warning]Failed to restore: getCacheEntry failed: Cache service responded with 503\n"
        "##[error]Failed to restore cache entry. Exiting as fail-on-cache-miss is set. Input "
        "key: fixtures-v3-Linux-4805d24f\n"
        "##[group]Run actions/upload-artifact@v4\n"
        "With the provided path, there will be 1 file uploaded\n"
        "Artifact integration-logs.zip successfully finalized. Artifact ID 2614338571\n"
        "Artifact download URL: https://github.com/acme/tilecache/actions/runs/1/artifacts/2\n"
        "##[endgroup]\n"
        "Post job cleanup.\n"
        "[command]/usr/bin/git version\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (10, 11), a.root_cause
    assert a.failing_step is not None and a.failing_step.start_line == 6


def test_what_a_vitest_test_printed_is_not_the_unhandled_rejection() -> None:
    log = (
        "$ npm test --workspaces --if-present\n"
        " ✓ src/clock.test.ts (9 tests) 3ms\n"
        "stderr | src/errors.test.ts > TaskError > prints cause chain when DEBUG is set\n"
        "TaskError: job 42 failed\n"
        "    caused by: Error: simulated failure (attempt 3/3)\n"
        "\n"
        " ✓ src/errors.test.ts (11 tests) 5ms\n"
        "⎯⎯⎯⎯⎯⎯⎯ Unhandled Rejection ⎯⎯⎯⎯⎯⎯⎯\n"
        "TypeError: Cannot read properties of undefined (reading 'quit')\n"
        " ❯ Queue.shutdown src/queue.ts:188:27\n"
        "\n"
        " Test Files  5 passed (5)\n"
        "      Tests  87 passed (87)\n"
        "     Errors  1 error\n"
        'The command "npm test --workspaces --if-present" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 9, a.root_cause


def test_cargo_deny_s_summary_yields_to_the_advisory() -> None:
    log = (
        "#!/bin/bash -eo pipefail\n"
        "cargo deny --locked check advisories bans licenses sources\n"
        "error[vulnerability]: Timing variability in `curve25519-dalek`'s `Scalar29::sub`\n"
        "    ┌─ /home/circleci/project/Cargo.lock:61:1\n"
        "    │\n"
        " 61 │ curve25519-dalek 4.1.2 registry+https://github.com/rust-lang/crates.io-index\n"
        "    ├ ID: RUSTSEC-2024-0344\n"
        + "".join(
            f"warning[duplicate]: found 2 duplicate entries for crate 'c{k}'\n" for k in range(3)
        )
        + "advisories FAILED, bans ok, licenses ok, sources ok\n"
        "\n"
        "Exited with code exit status 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3, a.root_cause


def test_a_warnings_as_errors_build_s_warnings_start_at_its_own_command() -> None:
    log = (
        'section_start:1740674400:step_script\r\x1b[0KExecuting "step_script" stage\n'
        "$ pip install -r docs/requirements.txt\n"
        "  WARNING: Retrying (Retry(total=4, connect=None, read=None)) after connection broken "
        "by 'ReadTimeoutError(\"HTTPSConnectionPool(host='nexus.lab.internal', port=443)\")'\n"
        "Successfully installed sphinx-8.1.3\n"
        "$ sphinx-build -n -W --keep-going -b html docs public\n"
        "Running Sphinx v8.1.3\n"
        "WARNING: failed to reach any of the inventories with the following issues:\n"
        "intersphinx inventory 'https://numpy.org/doc/stable/objects.inv' not fetchable\n"
        "docs/guide.rst:48: WARNING: py:func reference target not found: scipy.signal.sosfilt\n"
        "build finished with problems, 2 warnings (with warnings treated as errors).\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 8, a.root_cause


def test_jenkins_losing_the_agent_is_the_cause_before_the_errors_that_follow() -> None:
    offline = (
        "org.jenkinsci.plugins.workflow.support.steps.AgentOfflineException: Unable to create "
        "live FilePath for linux-build-07; linux-build-07 was marked offline\n"
        + "".join(f"\tat hudson.FilePath.act(FilePath.java:{1200 + k})\n" for k in range(40))
    )
    log = (
        "[Pipeline] sh\n"
        "+ go test ./...\n"
        "=== RUN   TestRebalance_LargeCluster\n"
        "    rebalance_test.go:211: seeding 48 shards x 250000 docs\n"
        "Cannot contact linux-build-07: java.io.IOException: Backing channel 'JNLP4-connect "
        "connection from ip-10-40-12-87.ec2.internal/10.40.12.87:48212' is disconnected.\n"
        "Waiting for reconnection of linux-build-07 before proceeding with build\n"
        "[Pipeline] { (Declarative: Post Actions)\n"
        "Error when executing always post condition:\n"
        + offline
        * 8
        + "[Pipeline] End of Pipeline\n"
        'hudson.remoting.ChannelClosedException: Channel "hudson.remoting.Channel@5f1e2b3a:'
        'JNLP4-connect connection from ip-10-40-12-87.ec2.internal/10.40.12.87:48212": Remote '
        "call on JNLP4-connect connection failed. The channel is closing down or has closed down\n"
        "Finished: FAILURE\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 5, a.root_cause
    assert a.signature == "infra.jenkins.agent_lost"


def test_a_publish_that_needs_a_one_time_password_before_the_failure_notice() -> None:
    eotp = (
        "🦋  error an error occurred while publishing @acme-ui/{}: EOTP This operation requires "
        "a one-time password from your authenticator.\n"
        "🦋  error You can provide a one-time password by passing --otp=<code> to the command.\n"
    )
    log = (
        "[publish:1] + pnpm changeset publish\n"
        '[publish:2] 🦋  info Publishing "@acme-ui/core" at "4.2.0"\n'
        + "".join(
            f"[publish:{3 + 2 * k}] {line}\n"
            for k, p in enumerate(("core", "icons"))
            for line in eotp.format(p).splitlines()
        )
        + "[publish:7] 🦋  error packages failed to publish:\n"
        "[publish:8] 🦋  @acme-ui/core@4.2.0\n"
        "[publish:9] 🦋  @acme-ui/icons@0.1.0\n"
        '[publish:10] + test "$DRONE_BUILD_STATUS" = "failure" && curl -fsS -X POST '
        "--data @.drone/slack-failure.json https://hooks.example.com/x\n"
        "[publish:11] ok\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3, a.root_cause
    assert a.signature == "cred.npm.otp_required"
    assert a.failing_step is not None and a.failing_step.start_line == 1


def test_phpstan_s_error_count_yields_to_the_first_row_of_its_tables() -> None:
    rule = " ------ --------------------------------------------------------------------- \n"
    log = (
        "+++ :phpstan: PHPStan (level 8)\n"
        "Note: Using configuration file /w/phpstan.neon.\n"
        "\n" + rule + "  Line   src/Invoices/InvoiceRepository.php\n" + rule + "  64     Method "
        "App\\Invoices\\InvoiceRepository::findByNumber() should return\n"
        "         App\\Invoices\\Data\\InvoiceData but returns InvoiceData|null.\n"
        "         🪪  return.type\n"
        + rule
        + "\n"
        + rule
        + "  Line   src/Http/Controller.php\n"
        + rule
        + "  12     Parameter #1 $id of method find() expects int, string given.\n"
        + rule
        + "\n"
        "  [ERROR] Found 2 errors\n"
        "\n"
        "🚨 Error: The command exited with status 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 7, a.root_cause


def test_pre_commit_s_diff_of_the_changes_yields_to_the_hook_that_failed() -> None:
    log = (
        "##[group]Run pre-commit run --show-diff-on-failure --color=always --all-files\n"
        "ruff.....................................................................Passed\n"
        "ruff-format..............................................................Failed\n"
        "- hook id: ruff-format\n"
        "- files were modified by this hook\n"
        "\n"
        "1 file reformatted, 212 files left unchanged\n"
        "\n"
        + "".join(f"{h}{'.' * (73 - len(h))}Passed\n" for h in ("codespell", "mypy", "actionlint"))
        + "pre-commit hook(s) made changes.\n"
        "If you are seeing this message in CI, reproduce locally with: "
        "`pre-commit run --all-files`.\n"
        "All changes made by hooks:\n"
        "diff --git a/src/tessera/backends/registry.py b/src/tessera/backends/registry.py\n"
        "index 4e1c0a9..b72f3d5 100644\n"
        "--- a/src/tessera/backends/registry.py\n"
        "+++ b/src/tessera/backends/registry.py\n"
        "@@ -12,7 +12,9 @@ def register(name):\n"
        "-    return _REGISTRY.setdefault(name, Backend(name, error_policy='raise'))\n"
        "+    return _REGISTRY.setdefault(\n"
        "+        name, Backend(name, error_policy='raise')\n"
        "+    )\n"
        "##[error]Process completed with exit code 1.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3, a.root_cause


def test_a_test_step_with_report_options_is_not_after_failure_work() -> None:
    log = (
        "##[group]Run mypy src/humandelta\n"
        "##[endgroup]\n"
        "src/humandelta/_compat.py:8: error: Cannot find implementation or library stub for "
        'module named "pandas"  [import-untyped]\n'
        "Found 1 error in 1 file (checked 17 source files)\n"
        "##[error]Process completed with exit code 1.\n"
        "##[group]Run python -m pytest -v --cov=humandelta --cov-report=xml:coverage.xml\n"
        "##[endgroup]\n"
        "tests/test_iso8601.py::test_fractional_seconds FAILED\n"
        "    def test_fractional_seconds():\n"
        '>       assert parse("PT1.5S") == timedelta(seconds=1, microseconds=500000)\n'
        "E       AssertionError: assert datetime.timedelta(seconds=1) == "
        "datetime.timedelta(seconds=1, microseconds=500000)\n"
        "FAILED tests/test_iso8601.py::test_fractional_seconds - AssertionError\n"
        "##[error]Process completed with exit code 1.\n"
        "##[group]Run actions/upload-artifact@v4\n"
        "##[endgroup]\n"
        "Post job cleanup.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 11, a.root_cause


def test_github_s_low_disk_warning_is_not_the_first_report_of_the_full_disk() -> None:
    log = (
        "##[group]Run npm run build\n"
        "##[endgroup]\n"
        "   Generating static pages (212/431)\n"
        "##[warning]You are running out of disk space. The runner will stop working when the "
        "machine runs out of disk space. Free space left: 41 MB\n"
        "   Generating static pages (318/431)\n"
        "[Error: ENOSPC: no space left on device, write] {\n"
        "  errno: -28,\n"
        "  code: 'ENOSPC',\n"
        "  syscall: 'write'\n"
        "}\n"
        "Error: ENOSPC: no space left on device, write\n"
        "##[error]Process completed with exit code 1.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 6, a.root_cause
    assert a.signature == "infra.disk.full"


def test_pytest_s_short_summary_yields_to_the_failure_it_repeats() -> None:
    log = (
        "##[group]Run python -m pytest -v\n"
        "##[endgroup]\n"
        "=================================== FAILURES ===================================\n"
        "_____________________ test_parse_iso8601[PT1.5S-expected3] _____________________\n"
        "    def test_parse_iso8601(text, expected):\n"
        ">       assert parse_iso8601(text) == expected\n"
        "E       AssertionError: assert datetime.timedelta(seconds=1) == "
        "datetime.timedelta(seconds=1, microseconds=500000)\n"
        "E        +  where datetime.timedelta(seconds=1) = parse_iso8601('PT1.5S')\n"
        "\n"
        "tests/test_iso8601.py:31: AssertionError\n"
        + "".join(f"src/humandelta/m{k}.py    104      6    94%   33\n" for k in range(30))
        + "=========================== short test summary info ============================\n"
        "FAILED tests/test_iso8601.py::test_parse_iso8601[PT1.5S-expected3] - AssertionError: "
        "assert datetime.timedelta(seconds=1) == datetime.timedelt\n"
        "======= 1 failed, 168 passed in 41.87s =======\n"
        "##[error]Process completed with exit code 1.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 7, a.root_cause


def test_a_go_test_s_failure_yields_to_the_message_its_test_printed() -> None:
    log = (
        "$ go test -v -count=1 ./...\n"
        "=== RUN   TestResolveInclude\n"
        "=== RUN   TestResolveInclude/relative_sibling\n"
        "=== RUN   TestResolveInclude/relative_nested\n"
        '    resolve_test.go:57: ResolveInclude("configs/base.yaml", "conf.d/app.yaml") '
        "mismatch\n"
        '        got:  "configs\\\\conf.d\\\\app.yaml"\n'
        '        want: "configs/conf.d/app.yaml"\n'
        "=== RUN   TestResolveInclude/parent_escape_rejected\n"
        "--- FAIL: TestResolveInclude (0.00s)\n"
        "    --- PASS: TestResolveInclude/relative_sibling (0.00s)\n"
        "    --- FAIL: TestResolveInclude/relative_nested (0.00s)\n"
        "    --- PASS: TestResolveInclude/parent_escape_rejected (0.00s)\n"
        "=== RUN   TestSymlinkInclude\n"
        "    resolve_test.go:112: symlinks require Developer Mode or admin rights on windows\n"
        "--- SKIP: TestSymlinkInclude (0.00s)\n"
        "FAIL\n"
        "FAIL\tgithub.com/acme/confkit\t0.412s\n"
        'The command "go test -v -count=1 ./..." exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 5, a.root_cause


def test_xcodebuild_s_lists_of_destinations_are_not_the_error() -> None:
    log = (
        '$ set -o pipefail && xcodebuild -scheme Orbit-iOS -destination "$IOS_DESTINATION" '
        "test | xcpretty\n"
        "xcodebuild: error: Unable to find a destination matching the provided destination "
        "specifier:\n"
        "\t\t{ platform:iOS Simulator, OS:10.3.1, name:iPhone 7 }\n"
        "\n"
        '\tAvailable destinations for the "Orbit-iOS" scheme:\n'
        "\t\t{ platform:iOS Simulator, id:5E1A-77B2, OS:11.4, name:iPhone 7 }\n"
        "\t\t{ platform:iOS Simulator, id:9C0F-1D3E, OS:11.4, name:iPhone 8 }\n"
        "\n"
        '\tIneligible destinations for the "Orbit-iOS" scheme:\n'
        "\t\t{ platform:iOS, id:dvtdevice-DVTiPhonePlaceholder-iphoneos:placeholder, "
        "name:Generic iOS Device }\n"
        'The command "set -o pipefail && xcodebuild -scheme Orbit-iOS test | xcpretty" exited '
        "with 70.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 2, a.root_cause


def test_teamcity_s_empty_block_line_is_blank_and_an_aws_refusal_is_the_cause() -> None:
    log = (
        "[06:14:15] : Step 4/5: Deploy stack (Command Line) (3s)\n"
        "[06:14:15]W:\t [Step 4/5] + aws cloudformation deploy --template-file packaged.yaml "
        "--stack-name reporting-api-prod\n"
        "[06:14:17]W:\t [Step 4/5]\n"
        "[06:14:17]W:\t [Step 4/5] An error occurred (ValidationError) when calling the "
        "CreateChangeSet operation: Stack:arn:aws:cloudformation:us-east-1:210987654321:stack/"
        "reporting-api-prod/0b6e4c20 is in UPDATE_ROLLBACK_FAILED state and can not be updated.\n"
        "[06:14:17] :\t [Step 4/5] Process exited with code 254\n"
        "[06:14:17]E:\t [Step 4/5] Step Deploy stack (Command Line) failed\n"
    )
    assert lines.read(log.encode()).lines[2] == ""
    a = analyse(log.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.signature == "cloud.aws.api_error"
    assert "CreateChangeSet" in a.root_cause
