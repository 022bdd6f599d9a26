# ruff: noqa: E501, W291  (log lines as the tools print them: long, tabs, trailing blanks)
"""Shapes from the twenty-seventh round of probe logs (Jenkins, TeamCity, Azure and Bitbucket
jobs; mobile and embedded builds on GitLab, CircleCI, Buildkite and Drone; scientific, data and
documentation projects): each test fails on the engine as it was before the round (2c9377d)."""

from __future__ import annotations

from ciwhy.analysis import analyse, asides, lines
from ciwhy.analysis.library_index import default_library


def _features(log: str, text: str) -> frozenset[str]:
    """The vocabulary's features on the first line that contains `text`."""
    read = lines.read(log)
    return (
        default_library()
        .scan(read.lines, read.text)
        .features.get(_line(log, text) - 1, frozenset())
    )


def _line(log: str, text: str) -> int:
    """The 1-based number of the first line that contains `text`."""
    return next(n for n, ln in enumerate(log.split("\n"), 1) if text in ln)


# `flutter doctor -v` marks what the machine lacks for platforms the job does not build.
DOCTOR = """\
--- :stethoscope: flutter doctor
$ flutter doctor -v --suppress-analytics
[✓] Flutter (Channel stable, 3.19.6, on Ubuntu 22.04.4 LTS 5.15.0-1061-aws, locale C.UTF-8)
    • Flutter version 3.19.6 on channel stable at /opt/flutter

[✗] Chrome - develop for the web (Cannot find Chrome executable at google-chrome)
    ! Cannot find Chrome. Try setting CHROME_EXECUTABLE to a Chrome executable.

[✗] Linux toolchain - develop for Linux desktop
    ✗ clang++ is required for Linux development.
      It is likely available from your distribution (e.g.: apt install clang), or can be downloaded from https://releases.llvm.org/
    ✗ CMake is required for Linux development.
      It is likely available from your distribution (e.g.: apt install cmake), or can be downloaded from https://cmake.org/download/

[!] Android Studio (not installed)
    • Android Studio not found; download from https://developer.android.com/studio/index.html

! Doctor found issues in 3 categories.
--- :dart: pub get apps/driver_app
$ (cd apps/driver_app && flutter pub get --suppress-analytics)
Resolving dependencies...
Note: intl is pinned to version 0.18.1 by flutter_localizations from the flutter SDK.
Because driver_app depends on intl ^0.19.0 which doesn't match any versions, version solving failed.
Failed to update packages.
🚨 Error: The command exited with status 1
"""


def test_what_flutter_doctor_marks_is_not_the_cause() -> None:
    a = analyse(DOCTOR)
    assert a.root_cause_line == _line(DOCTOR, "version solving failed")


# A script's closing table marks the package whose step failed: a summary, not why.
TABLE = """\
--- :dart: pub get apps/driver_app
$ (cd apps/driver_app && flutter pub get --suppress-analytics)
Resolving dependencies...
Note: intl is pinned to version 0.18.1 by flutter_localizations from the flutter SDK.

Because every version of flutter_localizations from sdk depends on intl 0.18.1 and driver_app depends on intl ^0.19.0, flutter_localizations from sdk is forbidden.
So, because driver_app depends on flutter_localizations from sdk, version solving failed.
Failed to update packages.
^^^ +++
--- :test_tube: flutter test (skipped: pub get failed for apps/driver_app)
ci/flutter-checks.sh: line 41: step_failed: apps/driver_app
+++ :warning: Summary
| package              | pub get | analyze | test    |
|----------------------|---------|---------|---------|
| packages/fleet_core  | ok      | skipped | skipped |
| apps/driver_app      | FAILED  | skipped | skipped |
🚨 Error: The command exited with status 1
"""


def test_a_status_table_is_not_the_cause() -> None:
    assert "ci_noise" in _features(TABLE, "| apps/driver_app      | FAILED")
    assert "ci_noise" not in _features("| a | b |\n| x | 1 |\n", "| x | 1 |")
    a = analyse(TABLE)
    assert a.root_cause_line == _line(TABLE, "Because every version")
    assert a.category == "dependency"


# An error that says on its own line that it is tried again, then the work succeeded.
RETRIED_INLINE = """\
[14:21:02]: ▸ > Task :app:minifyReleaseWithR8
[14:21:30]: ▸ error: api.sentry.io: request failed (HTTP 502), retrying (1/3)
[14:21:41]: ▸ > Upload successful (id 3b8c91f2)
[14:21:44]: ▸ BUILD SUCCESSFUL in 5m 37s
[14:21:45]: --- Step: upload_to_play_store ---
[14:21:47]: Preparing aab at path 'app/build/outputs/bundle/release/app-release.aab' for upload...
[14:23:33]: Google Api Error: forbidden: The caller does not have permission - The caller does not have permission
[14:23:33]: +---------------------------------------+
[14:23:33]: |              Lane Context             |
[14:23:33]: +---------------------------------------+
[14:23:33]: | LANE_NAME       | android internal    |
[14:23:33]: +---------------------------------------+
[14:23:33]: Error in your Fastfile at line 41
[14:23:33]:     41:      upload_to_play_store(track: "internal", aab: aab_path)
[14:23:33]: fastlane finished with errors
[!] Google Api Error: forbidden: The caller does not have permission - The caller does not have permission
Exited with code exit status 1
"""


def test_an_error_that_says_it_is_retried_yields_to_the_final_one() -> None:
    """(and fastlane's `Error in your Fastfile at line 41` yields to its `[!]` message)"""
    a = analyse(RETRIED_INLINE)
    assert a.root_cause_line in (
        _line(RETRIED_INLINE, "Google Api Error"),
        _line(RETRIED_INLINE, "[!] Google Api Error"),
    )
    assert a.category == "permission"
    # (the retried error alone before the failure: not the cause either)
    cut = RETRIED_INLINE.split("[14:21:45]")[0] + "Exited with code exit status 1\n"
    assert analyse(cut).root_cause_line != _line(cut, "retrying (1/3)")


# rustc reports a failed link, then the linker's command and its output as notes.
RUST_LINK = """\
[build-firmware:40]    Compiling sprinkler-fw v0.3.0 (/drone/src/firmware)
[build-firmware:47] error: linking with `rust-lld` failed: exit status: 1
[build-firmware:48]   |
[build-firmware:49]   = note: LC_ALL="C" PATH="/usr/local/rustup/toolchains/1.78.0/bin" "rust-lld" "-flavor" "gnu" "/tmp/rustcXy/symbols.o" "-o" "sprinkler-fw"
[build-firmware:50]   = note: rust-lld: error: section '.text' will not fit in region 'FLASH': overflowed by 6312 bytes
[build-firmware:51]           rust-lld: error: section '.rodata' will not fit in region 'FLASH': overflowed by 19444 bytes
[build-firmware:52] 
[build-firmware:53] error: could not compile `sprinkler-fw` (bin "sprinkler-fw") due to 1 previous error
exit status 101
"""


def test_a_failed_rust_link_yields_to_the_linkers_error() -> None:
    a = analyse(RUST_LINK)
    assert a.root_cause_line == _line(RUST_LINK, "'.text' will not fit")
    assert a.category == "compile"


# Zephyr's Kconfig run treats its warnings as fatal: the first warning is why.
KCONFIG = """\
$ west build -b nrf52840dk_nrf52840 app -- -DOVERLAY_CONFIG=overlay-ble.conf
/builds/fw/app/src/sensor_poll.c:88:13: warning: unused variable 'err_count' [-Wunused-variable]
-- Build files have been written to: /builds/fw/app/build/base
Parsing /builds/fw/zephyr/Kconfig
Loaded configuration '/builds/fw/zephyr/boards/arm/nrf52840dk_nrf52840/nrf52840dk_nrf52840_defconfig'
Merged configuration '/builds/fw/app/overlay-ble.conf'

warning: BT_PERIPHERAL (defined at /builds/fw/zephyr/subsys/bluetooth/Kconfig:59) was assigned the value 'y' but got the value 'n'. Check these unsatisfied dependencies: BT (=n).

error: Aborting due to Kconfig warnings

CMake Error at /builds/fw/zephyr/cmake/modules/kconfig.cmake:358 (message):
  command failed with return code: 1
Call Stack (most recent call first):
  CMakeLists.txt:6 (find_package)
-- Configuring incomplete, errors occurred!
FATAL ERROR: command exited with status 1: /usr/local/bin/cmake -B/builds/fw/app/build
ERROR: Job failed: exit code 1
"""


def test_kconfig_warnings_made_fatal_yield_to_the_first_warning() -> None:
    a = analyse(KCONFIG)
    assert a.root_cause_line == _line(KCONFIG, "warning: BT_PERIPHERAL")


# Python's chained traceback: an exception caught, then another raised while handling it.
HANDLING = """\
Traceback (most recent call last):
  File "/opt/lib/python3.11/site-packages/nbclient/client.py", line 782, in _async_poll_for_reply
    msg = await ensure_async(self.kc.shell_channel.get_msg(timeout=new_timeout))
  File "/opt/lib/python3.11/site-packages/jupyter_client/channels.py", line 315, in get_msg
    raise Empty
_queue.Empty

During handling of the above exception, another exception occurred:

Traceback (most recent call last):
  File "/opt/bin/jupyter-nbconvert", line 8, in <module>
    sys.exit(main())
  File "/opt/lib/python3.11/site-packages/nbclient/client.py", line 838, in _async_handle_timeout
    raise CellTimeoutError.error_from_timeout_and_cell(
nbclient.exceptions.CellTimeoutError: A cell timed out while it was being executed, after 600 seconds.
The message was: Cell execution timed out.
##[error]Process completed with exit code 1.
"""


def test_an_exception_raised_while_handling_another_is_the_cause() -> None:
    a = analyse(HANDLING)
    assert a.root_cause_line == _line(HANDLING, "CellTimeoutError: A cell")
    assert a.category == "timeout"


# Snakemake's exception line (`KeyError in file ..., line 14:`) under a Compose service prefix.
SNAKEMAKE = """\
$ docker compose -f ci/compose.yml up --abort-on-container-exit pipeline
minio-1     | WARNING: Detected default credentials 'minioadmin:minioadmin'
pipeline-1  | Building DAG of jobs...
pipeline-1  | KeyError in file /work/workflow/rules/common.smk, line 14:
pipeline-1  | 'reference'
pipeline-1  |   File "/work/workflow/Snakefile", line 11, in <module>
pipeline-1  |   File "/work/workflow/rules/common.smk", line 14, in <module>
pipeline-1 exited with code 1
Aborting on container exit...
minio-1     | INFO: Exiting on signal: TERMINATED
minio-1 exited with code 0
ERROR: Job failed: exit code 1
"""


def test_snakemakes_exception_line_is_an_exception() -> None:
    a = analyse(SNAKEMAKE)
    assert a.root_cause_line == _line(SNAKEMAKE, "KeyError in file")


# CTest's closing list yields to what the failed test printed under its result
# (`--output-on-failure`); Open MPI refusing more processes than slots.
CTEST = """\
$ cd build && ctest --output-on-failure
Test project /home/travis/build/sw/build
      Start  5: halo_exchange_np2
 5/7 Test  #5: halo_exchange_np2 ................   Passed    0.74 sec
      Start  6: halo_exchange_np4
 6/7 Test  #6: halo_exchange_np4 ................***Failed    0.19 sec
--------------------------------------------------------------------------
There are not enough slots available in the system to satisfy the 4
slots that were requested by the application:

  /home/travis/build/sw/build/tests/test_halo

Either request fewer slots for your application, or make more slots
available for use.
--------------------------------------------------------------------------

      Start  7: io_error_paths
 7/7 Test  #7: io_error_paths ...................   Passed    0.12 sec

86% tests passed, 1 tests failed out of 7

Total Test time (real) =  11.66 sec

The following tests FAILED:
\t  6 - halo_exchange_np4 (Failed)
Errors while running CTest
The command "cd build && ctest --output-on-failure" exited with 8.
"""


def test_ctests_list_yields_to_the_failed_tests_output() -> None:
    a = analyse(CTEST)
    assert a.root_cause_line == _line(CTEST, "not enough slots")
    assert a.signature == "mpi.openmpi.not_enough_slots"
    assert a.category == "config"


# R CMD check: a NOTE (an unreachable URL) fails no check; the tests' ERROR does.
R_CHECK = """\
* checking CRAN incoming feasibility ... NOTE
Maintainer: 'Ines Okafor <ines@smoothstats.org>'

Found the following (possibly) invalid URLs:
  URL: https://smoothstats.org/loessr/errors.html
    From: README.md
    Status: Error
    Message: Could not resolve host: smoothstats.org
* checking package namespace information ... OK
* checking tests ...
  Running 'testthat.R' [41s/44s]
 [41s/44s] ERROR
Running the tests in 'tests/testthat.R' failed.
Last 13 lines of output:
  ══ Failed tests ════════════════════════════════════════════════════════════════
  ── Failure ('test-smooth.R:27:3'): smooth_series keeps endpoints ───────────────
  out[c(1, n)] (`actual`) not equal to x[c(1, n)] (`expected`).

  [ FAIL 1 | WARN 2 | SKIP 3 | PASS 147 ]
  Error: Test failures
  Execution halted
* DONE

Status: 1 ERROR, 1 NOTE
The command "R CMD check --as-cran loessr_1.2.0.tar.gz" exited with 1.
"""


def test_what_r_cmd_check_noted_is_not_the_cause() -> None:
    a = analyse(R_CHECK)
    assert a.root_cause_line == _line(R_CHECK, "── Failure")
    assert a.category == "test"


# A declarative pipeline: the stages after the failure are skipped, the post actions run, and
# Jenkins prints the exception that failed the build after `End of Pipeline`.
JENKINS = """\
[Pipeline] { (Deploy to staging)
[Pipeline] sh
[2024-05-14T09:15:04.712Z] + helm repo update acme
[2024-05-14T09:15:05.912Z] ...Successfully got an update from the "acme" chart repository
[2024-05-14T09:15:06.512Z] Update Complete. ⎈Happy Helming!⎈
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Smoke test)
Stage "Smoke test" skipped due to earlier failure(s)
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Declarative: Post Actions)
[Pipeline] junit
[2024-05-14T09:15:06.712Z] Recording test results
[Pipeline] }
[Pipeline] // stage
[Pipeline] }
[Pipeline] // node
[Pipeline] End of Pipeline
groovy.lang.MissingPropertyException: No such property: HELM_VALUES_FILE for class: deployHelm
	at org.codehaus.groovy.runtime.ScriptBytecodeAdapter.unwrap(ScriptBytecodeAdapter.java:66)
	at org.jenkinsci.plugins.workflow.cps.CpsScript.getProperty(CpsScript.java:104)
Finished: FAILURE
"""


def test_jenkins_prints_why_after_the_skipped_stages_and_post_actions() -> None:
    a = analyse(JENKINS)
    assert a.root_cause_line == _line(JENKINS, "MissingPropertyException")


# TeamCity's Gradle runner lists each test by its title; a title may end with a class's name.
TEAMCITY = """\
[09:03:14] :	 [Step 2/3] :catalog-service:test
[09:03:14] :		 [:catalog-service:test] com.acme.catalog.auth.AuthClientErrorMappingTest
[09:03:14] :		 [:catalog-service:test] com.acme.catalog.auth.AuthClientErrorMappingTest.maps 401 to UnauthenticatedException
[09:03:14] :		 [:catalog-service:test] com.acme.catalog.auth.AuthClientErrorMappingTest.maps 403 to ForbiddenException
[09:03:33]E:	 [Step 2/3] FAILURE: Build failed with an exception.
[09:03:33]E:	 [Step 2/3] * What went wrong:
[09:03:33]E:	 [Step 2/3] Execution failed for task ':inventory-service:compileKotlin'.
[09:03:33]E:	 [Step 2/3] > Could not resolve all files for configuration ':inventory-service:compileClasspath'.
[09:03:33]E:	 [Step 2/3]    > Could not find com.acme.platform:acme-auth-client:3.7.0.
[09:03:33]E:	 [Step 2/3]      Searched in the following locations:
[09:03:33]E:	 [Step 2/3] BUILD FAILED in 58s
[09:03:34]W:	 [Step 2/3] Process exited with code 1
"""


def test_a_test_title_ending_with_an_exceptions_name_is_no_exception() -> None:
    assert "exception" not in _features(TEAMCITY, "maps 401 to UnauthenticatedException")
    for line in (
        "java.lang.IllegalStateException",
        'Exception in thread "main" java.lang.NullPointerException',
        "E       ZeroDivisionError",
        "Caused by: FooException",
        "  raised ValueError: bad input",
    ):
        assert "exception" in _features(line + "\n", line), line
    a = analyse(TEAMCITY)
    assert a.root_cause_line == _line(TEAMCITY, "Could not find com.acme")
    assert a.category == "dependency"


# A BuildKit step that succeeded (`#8 DONE`) after its script retried a failed `apk add`.
BUILDKIT = """\
+ docker build -t harbor.acme.io/platform/geo-router:1.31.0 .
#8 [build 2/7] RUN for i in 1 2 3; do apk add --no-cache git tzdata && break || sleep 5; done
#8 0.412 fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz
#8 5.871 ERROR: unable to select packages:
#8 5.871   git (no such package):
#8 5.871     required by: world[git]
#8 11.02 (1/8) Installing ca-certificates (20240226-r0)
#8 12.09 OK: 18 MiB in 25 packages
#8 DONE 12.2s

#9 [build 3/7] WORKDIR /src
#9 DONE 0.0s
+ docker login harbor.acme.io -u **** --password-stdin
Error response from daemon: Get "https://harbor.acme.io/v2/": unauthorized: authentication required
[Pipeline] }
ERROR: script returned exit code 1
Finished: FAILURE
"""


def test_what_a_buildkit_step_that_succeeded_printed_is_not_the_cause() -> None:
    read = lines.read(BUILDKIT)
    hits = default_library().scan(read.lines, read.text)
    spans = asides.find(read.lines, hits, _line(BUILDKIT, "Finished: FAILURE") - 1)
    assert asides.within(spans, _line(BUILDKIT, "unable to select packages") - 1)
    # (a step that failed, `#8 ERROR: process ...`, or another step's line between: no aside)
    failed = BUILDKIT.replace(
        "#8 DONE 12.2s",
        '#8 ERROR: process "/bin/sh -c apk add" did not complete successfully: exit code: 1',
    )
    mixed = BUILDKIT.replace(
        "#8 11.02", "#7 [stage-1 2/3] COPY --from=build /out/app /app\n#8 11.02"
    )
    for other in (failed, mixed):
        read = lines.read(other)
        hits = default_library().scan(read.lines, read.text)
        spans = asides.find(read.lines, hits, _line(other, "Finished: FAILURE") - 1)
        assert not asides.within(spans, _line(other, "unable to select packages") - 1)
    a = analyse(BUILDKIT)
    assert a.root_cause_line == _line(BUILDKIT, "unauthorized: authentication required")
    assert a.category == "credentials"


# End-to-end tests that could not reach the API, then `docker compose logs` on failure: the
# service the client named (`getaddrinfo ENOTFOUND api`) says why, not another's noise.
COMPOSE_E2E = """\
##[group]Run docker compose run --rm e2e
##[endgroup]
 ❯ tests/orders.e2e.test.ts (2 tests | 2 failed) 58ms
   × orders API > creates an order with a single line item 21ms
     → fetch failed
   × orders API > lists orders for a customer 3ms
     → fetch failed

 FAIL  tests/orders.e2e.test.ts > orders API > creates an order with a single line item
TypeError: fetch failed
 ❯ request tests/helpers/client.ts:14:21

Caused by: Error: getaddrinfo ENOTFOUND api
 ❯ GetAddrInfoReqWrap.onlookup [as oncomplete] node:dns:120:26

 Test Files  1 failed (1)
 ELIFECYCLE  Test failed. See above for more details.
##[error]Process completed with exit code 1.
##[group]Run docker compose logs --no-color --tail=200
##[endgroup]
postgres-1  | 2026-03-12 10:01:48.541 UTC [1] LOG:  database system is ready to accept connections
postgres-1  | 2026-03-12 10:01:50.877 UTC [63] FATAL:  role "root" does not exist
api-1       | > node --enable-source-maps dist/main.js
api-1       | ❌ Invalid environment variables: { PAYMENTS_WEBHOOK_SECRET: [ 'Required' ] }
api-1       |         throw new Error("Invalid environment variables");
api-1       | Error: Invalid environment variables
api-1       |     at createEnv (/app/node_modules/@t3-oss/env-core/dist/index.js:29:15)
"""


def test_the_service_the_client_could_not_reach_says_why() -> None:
    a = analyse(COMPOSE_E2E)
    assert a.root_cause_line == _line(COMPOSE_E2E, "❌ Invalid environment variables")


def test_an_unknown_host_is_the_network() -> None:
    log = (
        "ERROR: An error occurred during the fetch of repository 'com_github_acme_protos':\n"
        "Error in download_and_extract: java.io.IOException: Error downloading "
        "[https://artifacts.acme.internal/protos/v3.8.0.tar.gz] to /tmp/v3.8.0.tar.gz: "
        "Unknown host: artifacts.acme.internal\n"
        "ERROR: Build did NOT complete successfully\n"
    )
    assert analyse(log).category == "network"


# What a failing JUnit class logged while it ran (a background thread's exception) is not why
# its test failed: Surefire's report under the class's verdict says.
SUREFIRE = """\
Running com.acme.cache.CacheTest
Tests run: 5, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.21 sec - in com.acme.cache.CacheTest
Running com.acme.net.ClientTest
2019-03-01 10:00:01 INFO  Client - connecting to localhost:8080
Exception in thread "pool-2-thread-1" java.lang.IllegalStateException: Connection pool shut down
	at org.apache.http.util.Asserts.check(Asserts.java:34)
	at java.lang.Thread.run(Thread.java:748)
Tests run: 4, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 1.337 sec <<< FAILURE! - in com.acme.net.ClientTest
testRetryOnTimeout(com.acme.net.ClientTest)  Time elapsed: 0.512 sec  <<< ERROR!
com.acme.net.RetryBudgetExhausted: gave up after 3 attempts
	at com.acme.net.ClientTest.testRetryOnTimeout(ClientTest.java:77)

Results :

Tests in error: 
  ClientTest.testRetryOnTimeout:77 » RetryBudgetExhausted gave up after 3 attempts

Tests run: 9, Failures: 0, Errors: 1, Skipped: 0

[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.19.1:test (default-test) on project acme-client: There are test failures.
The command "mvn test -B" exited with 1.
"""


def test_what_a_failing_junit_class_logged_yields_to_its_report() -> None:
    a = analyse(SUREFIRE)
    assert a.root_cause_line == _line(SUREFIRE, "RetryBudgetExhausted: gave up")
    assert a.category == "test"
    # (a class that passed is an aside already; a line outside any class's run stays)
    passed = SUREFIRE.replace(
        "Errors: 1, Skipped: 0, Time elapsed: 1.337 sec <<< FAILURE!",
        "Errors: 0, Skipped: 0, Time elapsed: 1.337 sec",
    )
    assert analyse(passed).root_cause_line != _line(passed, 'Exception in thread "pool-2')
