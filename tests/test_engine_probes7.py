# ruff: noqa: E501, W291  (log lines as the tools print them: long, some with a trailing blank)
"""Shapes from the thirteenth round of probe logs: each test fails on the engine as it was before
the change it covers, except the guards that say what a change must leave alone."""

from __future__ import annotations

from ciwhy.analysis import analyse

ANSIBLE = (
    """\
+ ansible-playbook -i inventories/prod deploy.yml --limit web
PLAY [Deploy storefront] *******************************************************

TASK [Gathering Facts] *********************************************************
ok: [web-prod-01]
fatal: [web-prod-03]: UNREACHABLE! => {"changed": false, "msg": "Failed to connect to the host via ssh: ssh: connect to host 10.40.12.23 port 22: Connection timed out", "unreachable": true}
ok: [web-prod-02]

TASK [Check maintenance flag] **************************************************
fatal: [web-prod-01]: FAILED! => {"changed": false, "msg": "non-zero return code", "rc": 1}
...ignoring

"""
    + "".join(
        f"TASK [Render config {n}] *****************************************************\n"
        f"changed: [web-prod-01]\nchanged: [web-prod-02]\n\n"
        for n in range(30)
    )
    + """TASK [Assert deployed version] *************************************************
ok: [web-prod-01] => {"changed": false, "msg": "All assertions passed"}
ok: [web-prod-02] => {"changed": false, "msg": "All assertions passed"}

PLAY RECAP *********************************************************************
web-prod-01                : ok=15   changed=8    unreachable=0    failed=0    skipped=0
web-prod-03                : ok=0    changed=0    unreachable=1    failed=0    skipped=0

ERROR: script returned exit code 4
Finished: FAILURE
"""
)


def test_an_ansible_task_header_names_a_task_it_is_not_its_result() -> None:
    a = analyse(ANSIBLE.encode())
    assert a.root_cause_line == 6, a.root_cause
    assert "web-prod-03" in a.root_cause


GITLAB_SERVICE = """\
Running with gitlab-runner 16.11.0 (91a27b2a)
  on docker-auto-scale-7 zr8pq1vx, system ID: s_6d2f1a
section_start:1717402330:prepare_executor\r\x1b[0KPreparing the "docker" executor\x1b[0;m
Using Docker executor with image ruby:3.3.1-bookworm ...
Starting service postgres:16 ...
Pulling docker image postgres:16 ...
Waiting for services to be up and running (timeout 30 seconds)...

*** WARNING: Service runner-zr8pq1vx-project-1207-concurrent-0-postgres-0 probably didn't start properly.

Health check error:
service "runner-zr8pq1vx-project-1207-concurrent-0-postgres-0-wait-for-service" timeout

Health check container logs:
2024-06-03T08:12:18.402917366Z waiting for TCP connection to 172.17.0.4 on [5432]...

Service container logs:
2024-06-03T08:12:17.881205633Z Error: Database is uninitialized and superuser password is not specified.
2024-06-03T08:12:17.881240115Z        You must specify POSTGRES_PASSWORD to a non-empty value for the
2024-06-03T08:12:17.881243702Z        superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".

*********

section_end:1717402360:prepare_executor\r\x1b[0K
section_start:1717402361:step_script\r\x1b[0KExecuting "step_script" stage of the job script\x1b[0;m
$ bundle exec rails db:create db:schema:load
connection to server at "172.17.0.4", port 5432 failed: Connection refused
\tIs the server running on that host and accepting TCP/IP connections?
Couldn't create 'shop_test' database. Please check your configuration.
rails aborted!
ActiveRecord::ConnectionNotEstablished: connection to server at "172.17.0.4", port 5432 failed: Connection refused
section_end:1717402370:step_script\r\x1b[0K
ERROR: Job failed: exit code 1
"""


def test_a_gitlab_service_that_never_started_says_why_the_job_cannot_reach_it() -> None:
    a = analyse(GITLAB_SERVICE.encode())
    assert "Database is uninitialized" in a.root_cause, (a.root_cause_line, a.root_cause)


def test_without_the_service_warning_the_connection_failure_stays_the_cause() -> None:
    log = GITLAB_SERVICE.replace("*** WARNING: Service", "*** NOTE: Service")
    a = analyse(log.encode())
    assert "Connection refused" in a.root_cause, a.root_cause


GO_SUBTESTS = (
    """\
##[group]Run go test -v ./...
go test -v ./...
shell: /usr/bin/bash -e {0}
##[endgroup]
=== RUN   TestCreateAccount
--- PASS: TestCreateAccount (0.00s)
=== RUN   TestErrorHandling
=== RUN   TestErrorHandling/upstream_timeout
    handler_test.go:97: level=ERROR msg="ledger upstream failed" err="context deadline exceeded"
=== RUN   TestErrorHandling/invalid_json
    handler_test.go:97: level=ERROR msg="decode request body" err="invalid character '}'"
--- PASS: TestErrorHandling (0.01s)
    --- PASS: TestErrorHandling/upstream_timeout (0.00s)
    --- PASS: TestErrorHandling/invalid_json (0.00s)
PASS
ok  \tgithub.com/acme/ledger/internal/api\t0.047s
"""
    + "".join(
        f"=== RUN   TestAmount_Case{n}\n--- PASS: TestAmount_Case{n} (0.00s)\n" for n in range(20)
    )
    + """=== RUN   TestReconcile_PartialRefund
    reconcile_test.go:142: 
        \tError Trace:\t/home/runner/work/ledger/internal/reconcile/reconcile_test.go:142
        \tError:      \tNot equal: 
        \t            \texpected: money.Amount{Minor:4250, Currency:"EUR"}
        \t            \tactual  : money.Amount{Minor:4225, Currency:"EUR"}
        \tTest:       \tTestReconcile_PartialRefund
--- FAIL: TestReconcile_PartialRefund (0.00s)
FAIL
FAIL\tgithub.com/acme/ledger/internal/reconcile\t0.012s
FAIL
##[error]Process completed with exit code 1.
"""
)


def test_what_a_go_subtest_logged_is_an_aside_when_its_test_passed() -> None:
    a = analyse(GO_SUBTESTS.encode())
    assert 57 <= a.root_cause_line <= 64, (a.root_cause_line, a.root_cause)


PIP_BUILD = """\
+ pip install -r requirements.txt
Collecting pyquadtree==0.4.1
  Downloading pyquadtree-0.4.1.tar.gz (48 kB)
Building wheels for collected packages: pyquadtree
  Building wheel for pyquadtree (pyproject.toml): started
  error: subprocess-exited-with-error

  × Building wheel for pyquadtree (pyproject.toml) did not run successfully.
  │ exit code: 1
  ╰─> [12 lines of output]
      running build_ext
      building 'pyquadtree._qtree' extension
      gcc -fno-strict-overflow -Wsign-compare -DNDEBUG -g -O2 -Wall -fPIC -I/usr/include/python3.12 -c src/_qtree.c -o build/_qtree.o
      src/_qtree.c: In function ‘qtree_label’:
      src/_qtree.c:204:5: warning: ‘Py_UNICODE’ is deprecated [-Wdeprecated-declarations]
      src/_qtree.c: In function ‘qtree_insert_many’:
      src/_qtree.c:318:15: error: ‘PyThreadState’ {aka ‘struct _ts’} has no member named ‘recursion_depth’
        318 |     if (tstate->recursion_depth > QTREE_MAX_DEPTH) {
            |               ^~
      error: command '/usr/bin/gcc' failed with exit code 1
      [end of output]

  note: This error originates from a subprocess, and is likely not a problem with pip.
  ERROR: Failed building wheel for pyquadtree
Failed to build pyquadtree
ERROR: Could not build wheels for pyquadtree, which is required to install pyproject.toml-based projects
ERROR: script returned exit code 1
"""


def test_pip_s_failed_wheel_is_the_summary_of_the_compiler_error_above_it() -> None:
    a = analyse(PIP_BUILD.encode())
    assert a.root_cause_line == 17, (a.root_cause_line, a.root_cause)


def test_pip_s_failed_wheel_still_speaks_when_the_build_said_nothing_more() -> None:
    log = (
        "+ pip install -r requirements.txt\n"
        "Collecting pyquadtree==0.4.1\n"
        "Building wheels for collected packages: pyquadtree\n"
        "  ERROR: Failed building wheel for pyquadtree\n"
        "Failed to build pyquadtree\n"
        "ERROR: script returned exit code 1\n"
    )
    a = analyse(log.encode())
    assert "pyquadtree" in a.root_cause and a.category == "dependency", a


def test_pytest_s_result_cut_from_its_test_yields_to_the_failure_s_report() -> None:
    log = (
        "tests/test_workers.py::test_pool_drain_after_shutdown \n"
        "+++++++++++++++++++++++++++++++++++ Timeout ++++++++++++++++++++++++++++++++++++\n"
        '  File "/usr/lib/python3.11/threading.py", line 327, in wait\n'
        "    waiter.acquire()\n"
        "+++++++++++++++++++++++++++++++++++ Timeout ++++++++++++++++++++++++++++++++++++\n"
        "FAILED                                                                   [ 56%]\n"
        "tests/test_cli.py::test_cli_help PASSED                                  [ 66%]\n"
        "\n"
        "=================================== FAILURES ===================================\n"
        "_______________________ test_pool_drain_after_shutdown ________________________\n"
        "\n"
        "    def wait(self, timeout=None):\n"
        ">               waiter.acquire()\n"
        "E               Failed: Timeout >120.0s\n"
        "\n"
        "/usr/lib/python3.11/threading.py:327: Failed\n"
        "=========================== short test summary info ============================\n"
        "FAILED tests/test_workers.py::test_pool_drain_after_shutdown - Failed: Timeout >120.0s\n"
        "=================== 1 failed, 40 passed in 122.84s (0:02:02) ===================\n"
        "Process exited with code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 14, (a.root_cause_line, a.root_cause)


def test_cargo_s_rustc_killed_by_signal_9_is_out_of_memory_not_a_compile_error() -> None:
    log = (
        "   Compiling datafusion-physical-plan v37.1.0\n"
        "warning: `dfq-udf` (lib) generated 1 warning\n"
        "error: could not compile `datafusion-physical-plan` (lib)\n"
        "\n"
        "Caused by:\n"
        "  process didn't exit successfully: `/home/runner/.rustup/toolchains/1.77.2/bin/rustc"
        " --crate-name datafusion_physical_plan --edition=2021 src/lib.rs` (signal: 9, SIGKILL: kill)\n"
        "warning: build failed, waiting for other jobs to finish...\n"
        "##[error]Process completed with exit code 101.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 6 and a.category == "infrastructure", a


def test_fastlane_s_marker_before_a_tool_s_line_does_not_hide_its_signature() -> None:
    log = (
        "[10:04:10]: $ bundle exec pod install\n"
        "[10:04:16]: ▸ Analyzing dependencies\n"
        '[10:04:16]: ▸ [!] CocoaPods could not find compatible versions for pod "GoogleUtilities/Environment":\n'
        "[10:04:16]: ▸   In Podfile:\n"
        "[10:04:17]: Exit status of command 'bundle exec pod install' was 1 instead of 0.\n"
        "\n"
        '[!] CocoaPods could not find compatible versions for pod "GoogleUtilities/Environment":\n'
        "  In Podfile:\n"
        "\n"
        "Exited with code exit status 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3, (a.root_cause_line, a.root_cause)


DART = """\
$ flutter analyze --no-fatal-infos
Analyzing mobile-app...

   info • Avoid `print` calls in production code • lib/core/error/error_reporter.dart:23:5 • avoid_print
   info • Prefer const with constant constructors • lib/app.dart:14:12 • prefer_const_constructors
warning • The value of the local variable 'subtotal' isn't used • lib/features/checkout/checkout_controller.dart:88:11 • unused_local_variable
   info • Avoid `print` calls in production code • lib/core/error/error_reporter.dart:31:5 • avoid_print

4 issues found. (ran in 11.2s)
Cleaning up project directory and file based variables
ERROR: Job failed: exit code 1
"""


def test_the_dart_analyzer_fails_on_its_first_warning_not_its_infos() -> None:
    a = analyse(DART.encode())
    assert a.root_cause_line == 6 and a.category == "lint", a


def test_the_dart_analyzer_s_error_comes_before_its_warnings() -> None:
    log = DART.replace(
        "   info • Prefer const",
        "  error • Undefined name 'cart' • lib/features/cart/cart_page.dart:40:7 • undefined_identifier\n"
        "   info • Prefer const",
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 5, (a.root_cause_line, a.root_cause)


def test_a_jvm_exception_yields_to_the_deepest_cause_of_its_chain() -> None:
    log = (
        "> Task :app:minifyReleaseWithR8\n"
        "Expiring Daemon because JVM heap space is exhausted\n"
        "> Task :app:minifyReleaseWithR8 FAILED\n"
        "\n"
        "FAILURE: Build failed with an exception.\n"
        "\n"
        "* Exception is:\n"
        "org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':app:minifyReleaseWithR8'.\n"
        "\tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.execute(ExecuteActionsTaskExecuter.java:134)\n"
        + "\tat org.gradle.internal.operations.DefaultBuildOperationRunner.execute(DefaultBuildOperationRunner.java:66)\n"
        * 20
        + "Caused by: org.gradle.workers.internal.DefaultWorkerExecutor$WorkExecutionException: A failure occurred while executing R8Task\n"
        "\tat org.gradle.workers.internal.DefaultWorkerExecutor$WorkItemExecution.waitForCompletion(DefaultWorkerExecutor.java:287)\n"
        "\t... 31 more\n"
        "Caused by: java.lang.OutOfMemoryError: Java heap space\n"
        "\tat com.android.tools.r8.ir.code.IRCode.<init>(R8_8.3.37:25)\n"
        "\t... 40 more\n"
        "\n"
        "BUILD FAILED in 6m 29s\n"
        "##[error]Error: The process '/home/vsts/work/1/s/gradlew' failed with exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 33 and a.category == "infrastructure", a


def test_docker_s_push_without_a_login_is_a_credentials_failure() -> None:
    log = (
        "+ docker push 381902746155.dkr.ecr.us-east-2.amazonaws.com/ledger-worker:1.42.0\n"
        "The push refers to repository [381902746155.dkr.ecr.us-east-2.amazonaws.com/ledger-worker]\n"
        "5a1f3c7e9b2d: Preparing\n"
        "no basic auth credentials\n"
        "ERROR: script returned exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 4 and a.category == "credentials", a


def test_a_passed_test_s_title_is_not_a_cause_whatever_it_names() -> None:
    log = (
        "> @quill/http-client@2.1.0 test\n"
        "> mocha 'test/**/*.spec.js'\n"
        "\n"
        "  formatRelative\n"
        "    ✔ returns 'today' for the same day\n"
        "    1) returns 'yesterday' across DST boundary\n"
        "  retry\n"
        "    ✔ retries on ECONNRESET and succeeds on the third attempt (612ms)\n"
        "    ✔ gives up after connect ECONNREFUSED 127.0.0.1:59231 three times (905ms)\n"
        "\n"
        "  3 passing (1s)\n"
        "  1 failing\n"
        "\n"
        "  1) formatRelative\n"
        "       returns 'yesterday' across DST boundary:\n"
        "\n"
        "      AssertionError [ERR_ASSERTION]: Expected values to be strictly equal:\n"
        "'2 days ago' !== 'yesterday'\n"
        "      at Context.<anonymous> (test/formatRelative.spec.js:58:14)\n"
        "\n"
        "npm ERR! Lifecycle script `test` failed with error:\n"
        "npm ERR! Error: command failed\n"
        "Error: Process completed with exit code 1.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (15, 17), (a.root_cause_line, a.root_cause)


COMPOSE_DUMP = """\
##[group]Run docker compose up -d --wait db api
 Container shop-db-1  Started
 Container shop-db-1  Healthy
 Container shop-api-1  Started
##[endgroup]
##[group]Run pytest tests/integration -q
E           httpx.ConnectError: [Errno 111] Connection refused
FAILED tests/integration/test_orders.py::test_create_order - httpx.ConnectError: [Errno 111] Connection refused
1 failed, 12 passed in 3.10s
##[error]Process completed with exit code 1.
##[group]Run docker compose logs
db-1   | 2024-05-21 13:44:02.535 UTC [1] LOG:  database system is ready to accept connections
db-1   | 2024-05-21 13:44:04.871 UTC [67] FATAL:  password authentication failed for user "orders"
api-1  | asyncpg.exceptions.InvalidPasswordError: password authentication failed for user "orders"
##[endgroup]
Post job cleanup.
"""


def test_a_failure_to_connect_yields_to_the_service_s_error_dumped_after_it() -> None:
    a = analyse(COMPOSE_DUMP.encode())
    assert a.root_cause_line == 13, (a.root_cause_line, a.root_cause)


def test_a_dump_of_healthy_services_leaves_the_failure_to_connect() -> None:
    log = "\n".join(line for line in COMPOSE_DUMP.splitlines() if "password" not in line)
    a = analyse(log.encode())
    assert "Connection refused" in a.root_cause, (a.root_cause_line, a.root_cause)


BAZEL = """\
+++ :bazel: Test
$ bazel test //... --config=ci --flaky_test_attempts=2
INFO: Analyzed 212 targets (0 packages loaded, 0 targets configured).
FLAKY: //services/auth:token_test (Summary)
      /var/cache/bazel/abc/execroot/acme/bazel-out/k8-fastbuild/testlogs/services/auth/token_test/test_attempts/attempt_1.log
INFO: From Testing //services/auth:token_test:
==================== Test output for //services/auth:token_test:
=== RUN   TestVerify_ClockSkew
    token_test.go:77: token not yet valid: iat=1714569012 now=1714569011 (skew 1s > leeway 0s)
--- FAIL: TestVerify_ClockSkew (0.00s)
FAIL
================================================================================
[1,512 / 1,530] 1 action running
    Testing //services/ratelimit:ratelimit_integration_test; 241s linux-sandbox
TIMEOUT: //services/ratelimit:ratelimit_integration_test (Summary)
      /var/cache/bazel/abc/execroot/acme/bazel-out/k8-fastbuild/testlogs/services/ratelimit/ratelimit_integration_test/test.log
INFO: Build completed, 1 test FAILED, 1530 total actions
//services/auth:token_test                                               FLAKY, failed in 1 out of 2 in 0.4s
//services/ratelimit:ratelimit_integration_test                          TIMEOUT in 300.0s
Executed 38 out of 38 tests: 36 tests pass, 1 fails locally and 1 was flaky.
^^^ +++
🚨 Error: The command exited with status 3
"""


def test_a_flaky_bazel_test_s_failed_attempt_is_an_aside_and_a_timeout_is_the_cause() -> None:
    a = analyse(BAZEL.encode())
    assert a.root_cause_line == 15 and a.category == "timeout", a
