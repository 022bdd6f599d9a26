"""Shapes from the ninth round of probe logs: each test fails on the engine as it was before
the change it covers."""

from __future__ import annotations

from ciwhy.analysis import analyse


def test_a_go_test_s_log_is_not_a_cause_when_the_test_passed() -> None:
    # (since Go 1.14 the log streams before the result; before, it followed the result)
    for log in (
        "$ go test -v ./...\n"
        "=== RUN   TestClient_Retries\n"
        "    client_test.go:88: server returned 503, retrying (attempt 1/3)\n"
        "--- PASS: TestClient_Retries (0.01s)\n"
        "PASS\n"
        "$ goreleaser release --clean\n"
        "   ⨯ release failed after 0s                   error=git is in a dirty state\n"
        'The command "goreleaser release --clean" exited with 1.\n',
        "$ go test -v ./...\n"
        "--- PASS: TestClient_Retries (0.01s)\n"
        "        client_test.go:88: server returned 503, retrying (attempt 1/3)\n"
        "PASS\n"
        "$ goreleaser release --clean\n"
        "   ⨯ release failed after 0s                   error=git is in a dirty state\n"
        'The command "goreleaser release --clean" exited with 1.\n',
    ):
        a = analyse(log.encode())
        assert "client_test.go" not in a.root_cause, a.root_cause


def test_compose_s_container_progress_and_sbt_s_closing_time_are_not_causes() -> None:
    sbt = (
        "$ sbt mimaReportBinaryIssues\n"
        "[info] tempo-core: found 1 potential binary incompatibilities while checking against "
        "org.x:tempo-core_2.12:0.4.0\n"
        "[error]  * method withTimeout(scala.concurrent.duration.FiniteDuration)tempo.Client in "
        "class tempo.Client does not have a correspondent in current version\n"
        '[error]    filter with: ProblemFilters.exclude[DirectMissingMethodProblem]("x")\n'
        "[error] (core / mimaReportBinaryIssues) tempo-core: Binary compatibility check failed!\n"
        "[error] Total time: 3 s, completed Feb 11, 2019 9:12:47 AM\n"
        'The command "sbt mimaReportBinaryIssues" exited with 1.\n'
    )
    a = analyse(sbt.encode())
    assert a.root_cause_line == 3, a.root_cause
    assert a.category == "lint"
    compose = (
        "$ docker compose up -d --wait\n"
        " Container orders-db-1  Started\n"
        " Container orders-db-1  Healthy\n"
        " Container orders-api-1  Started\n"
        " Container orders-db-1  Healthy\n"
        "container orders-api-1 exited (1)\n"
        " Network orders_default  Removed\n"
    )
    a = analyse(compose.encode())
    assert a.root_cause_line == 6, a.root_cause
    assert a.signature == "docker.compose.container_exited"


def test_nim_s_located_error_with_a_space_after_the_comma_is_located() -> None:
    log = (
        "$ nimble test\n"
        "Hint: parser [Processing]\n"
        "/home/travis/build/x/tests/test_parse.nim(24, 20) Error: undeclared identifier: "
        "'parseDuration'\n"
        "stack trace: (most recent call last)\n"
        "/home/travis/build/x/x.nimble(18, 8) testTask\n"
        "/home/travis/.choosenim/lib/system/nimscript.nim(241, 7) exec\n"
        "/home/travis/.choosenim/lib/system/nimscript.nim(241, 7) Error: unhandled exception: "
        "FAILED: nim c -r tests/test_parse\n"
        "     Error: Exception raised during nimble script execution\n"
        'The command "nimble test" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3, a.root_cause
    assert a.category == "compile"


def test_a_caret_line_is_never_the_cause() -> None:
    log = (
        "$ crystal spec\n"
        "Error in spec/router_spec.cr:12: instantiating 'TinyRouter::Node#match(String)'\n"
        "\n"
        "in src/tiny_router/node.cr:61: undefined method 'path_params' for HTTP::Request\n"
        "\n"
        "      request.path_params\n"
        "              ^~~~~~~~~~~\n"
        "\n"
        "Rerun with --error-trace to show a complete error trace.\n"
        'The command "crystal spec" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (2, 4), a.root_cause
    assert "^~" not in a.root_cause


def test_categories_of_linters_compilers_and_fetches_from_their_words() -> None:
    cases = {
        "lint": '22:7      error    duplication of key "tag" in mapping  (key-duplicates)',
        "compile": "# Error: This expression has type Token.t option",
    }
    for category, line in cases.items():
        a = analyse(f"$ make check\n{line}\nmake: *** [check] Error 1\n".encode())
        assert a.root_cause_line == 2, a.root_cause
        assert a.category == category, (line, a.category)
    bazel = (
        "$ bazel build //...\n"
        "ERROR: An error occurred during the fetch of repository 'com_google_absl':\n"
        "   java.io.IOException: Error downloading [https://github.com/abseil/abseil-cpp/"
        "archive/20230802.1.tar.gz] to /tmp/absl.tar.gz: connect timed out\n"
        "ERROR: no such package '@com_google_absl//absl/strings': connect timed out\n"
        'The command "bazel build //..." exited with 1.\n'
    )
    a = analyse(bazel.encode())
    assert a.root_cause_line in (2, 3), a.root_cause
    assert a.category == "network"
    webpack = (
        "$ npm run build\n"
        "ERROR in ./src/scales/time.js\n"
        "Module not found: Error: Can't resolve 'd3-time-format' in '/home/travis/build/x/src'\n"
        'The command "npm run build" exited with 2.\n'
    )
    a = analyse(webpack.encode())
    assert a.category == "dependency", (a.root_cause, a.category)


def test_ruby_s_syntax_error_is_ruby_s_not_python_s() -> None:
    log = (
        "$ bin/rails db:migrate\n"
        "bin/rails aborted!\n"
        "SyntaxError: /builds/shop/db/migrate/20240313_add_status.rb:14: syntax error, "
        "unexpected end-of-input, expecting `end' (SyntaxError)\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3
    assert a.signature == "ruby.syntax.error", a.signature
    assert "Python" not in a.root_cause + a.explanation + a.fix_suggestion


ANSIBLE = """\
$ ansible-playbook -i inventories/prod site.yml
TASK [Gathering Facts] *********************************************************
ok: [web-01]
fatal: [web-03]: UNREACHABLE! => {"msg": "Failed to connect to the host via ssh: {timeout}"}

TASK [nginx : Check whether legacy vhost is still enabled] *********************
fatal: [web-01]: FAILED! => {"cmd": ["test", "-e", "/etc/nginx/legacy.conf"], "rc": 1}
...ignoring

TASK [app : Wait for the health endpoint] **************************************
FAILED - RETRYING: [web-01]: Wait for the health endpoint (10 retries left).
ok: [web-01]

PLAY RECAP *********************************************************************
web-01                     : ok=12   changed=3    unreachable=0    failed=0    ignored=1
web-03                     : ok=0    changed=0    unreachable=1    failed=0    ignored=0
ERROR: Job failed: exit code 4
"""


def test_a_failure_ansible_ignores_or_retries_is_not_the_cause() -> None:
    log = ANSIBLE.replace(
        "{timeout}", "ssh: connect to host 10.20.4.33 port 22: Connection timed out"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.category == "network"


def test_tools_that_close_with_their_own_summary_line() -> None:
    cases = [
        (
            "   ⨯ release failed after 0s                  error=git is in a dirty state\n",
            "infra.goreleaser.failed",
            "config",
        ),
        (
            "Unexpected error running Liquibase: Cannot find database driver: "
            "com.mysql.cj.jdbc.Driver\n",
            "infra.liquibase.unexpected_error",
            "dependency",
        ),
        (
            "Parameter 2 of constructor in com.acme.orders.CheckoutService required a bean of "
            "type 'com.acme.orders.PaymentGateway' that could not be found.\n",
            "jvm.spring.missing_bean",
            "config",
        ),
    ]
    for line, signature, category in cases:
        a = analyse(f"$ make release\nERROR: Exception Details\n{line}make: *** Error 1\n".encode())
        assert a.root_cause_line == 3, (signature, a.root_cause)
        assert a.signature == signature
        assert a.category == category, (signature, a.category)


def test_testify_s_report_outranks_the_failed_test_s_header_below_it() -> None:
    log = (
        "$ go test -v ./integration/...\n"
        "=== RUN   TestOrderAPI_Create/idempotent_retry\n"
        "    order_api_test.go:88: \n"
        "        \tError Trace:\t/home/runner/work/orders/integration/order_api_test.go:88\n"
        "        \tError:      \tNot equal: \n"
        "        \t            \texpected: 200\n"
        "        \t            \tactual  : 409\n"
        "        \tTest:       \tTestOrderAPI_Create/idempotent_retry\n"
        "--- FAIL: TestOrderAPI_Create (0.47s)\n"
        "    --- FAIL: TestOrderAPI_Create/idempotent_retry (0.22s)\n"
        "FAIL\n"
        "FAIL\tgithub.com/acme/orders/integration\t4.118s\n"
        'The command "go test -v ./integration/..." exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 5, a.root_cause


def test_travis_s_failing_step_is_the_command_not_a_fold_that_closed_before_it() -> None:
    log = (
        "travis_fold:start:install.npm\n"
        "travis_time:start:0a1b\n"
        "$ npm ci\n"
        "added 1021 packages in 21.3s\n"
        "travis_time:end:0a1b:start=1,finish=2,duration=1\n"
        "travis_fold:end:install.npm\n"
        "travis_time:start:0c2d\n"
        "$ npm test\n"
        "  19 passing (2s)\n"
        "\n"
        "No output has been received in the last 10m0s, this potentially indicates a stalled "
        "build or something wrong with the build itself.\n"
    )
    a = analyse(log.encode())
    assert a.failing_step is not None
    assert a.failing_step.name == "npm test", a.failing_step
    quoted = (
        "travis_fold:start:install.2\n"
        "$ pip install -r docs/requirements.txt\n"
        "travis_fold:end:install.2\n"
        '$ make -C docs html SPHINXOPTS="-W -n"\n'
        "Warning, treated as error:\n"
        "autodoc: failed to import module 'ghostwriter.render'; the following exception was "
        "raised: No module named 'jinja2'\n"
        'The command "make -C docs html SPHINXOPTS=\\"-W -n\\"" exited with 2.\n'
    )
    a = analyse(quoted.encode())
    assert a.failing_step is not None
    assert a.failing_step.command == 'make -C docs html SPHINXOPTS="-W -n"', a.failing_step
    assert a.failing_step.start_line == 4


def test_a_github_service_container_that_exits_is_explained_by_its_own_log() -> None:
    lines = [
        "##[group]Starting postgres service container",
        "##[command]/usr/bin/docker create --name postgres_a1 --network github_network "
        "-e GITHUB_ACTIONS=true postgres:16",
        "##[command]/usr/bin/docker start c41b7a9e",
        "##[endgroup]",
        "##[group]Waiting for all services to be ready",
        "##[command]/usr/bin/docker ps --all --filter id=c41b7a9e --no-trunc",
        " c41b7a9e Exited (1) Less than a second ago",
        "##[command]/usr/bin/docker logs --details c41b7a9e",
        '  The files belonging to this database system will be owned by user "postgres".',
        "  Error: Database is uninitialized and superuser password is not specified.",
        "         You must specify POSTGRES_PASSWORD to a non-empty value for the",
        '         superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
        "##[warning]Docker container c41b7a9e is not in running state.",
        "##[error]Failed to initialize, postgres service is unhealthy.",
        "##[endgroup]",
        "Stop and remove container: c41b7a9e",
        "##[command]/usr/bin/docker rm --force c41b7a9e",
    ]
    log = "".join(f"2024-05-14T09:13:{k:02d}.0000000Z {line}\n" for k, line in enumerate(lines))
    a = analyse(log.encode())
    assert a.root_cause_line == 10, a.root_cause
    assert a.category == "config"
    assert a.signature == "docker.service.database_password_missing"


DART = """\
$ pub run test
00:01 +7: test/parser_test.dart: Parser reports error on unterminated string
00:01 +8: test/parser_test.dart: Parser reports error on trailing garbage
ERROR: unterminated string at 1:5
00:01 +9: test/parser_test.dart: Parser handles trailing commas
00:01 +9 -1: test/parser_test.dart: Parser handles trailing commas [E]
  Expected: <3>
    Actual: <2>

  package:test_api                 expect
  test/parser_test.dart 58:7       main.<fn>.<fn>

00:02 +20 -1: Some tests failed.
The command "pub run test" exited with 1.
"""


def test_what_a_passing_dart_test_printed_is_not_the_cause_of_the_one_that_failed() -> None:
    a = analyse(DART.encode())
    assert a.root_cause_line in (6, 7, 8), a.root_cause
    assert a.signature == "dart.test.failed" or a.root_cause_line != 6


def test_gitlab_s_commands_before_the_one_that_failed_succeeded() -> None:
    log = (
        'section_start:1715684011:step_script\r\x1b[0KExecuting "step_script" stage\n'
        "$ pnpm install --frozen-lockfile\n"
        " WARN  Issues with peer dependencies found\n"
        "apps/web\n"
        "└─┬ @testing-library/react 14.2.1\n"
        "  └── ✕ unmet peer react@^18.0.0: found 17.0.2\n"
        "Done in 9.8s\n"
        "$ pnpm turbo run test\n"
        "@shop/web:test: FAIL src/cart/CartSummary.test.tsx\n"
        "@shop/web:test:   ● CartSummary › shows free shipping banner\n"
        "@shop/web:test:     expect(received).toBeInTheDocument()\n"
        "@shop/web:test: ERROR: command finished with error: command exited (1)\n"
        "section_end:1715684061:step_script\r\x1b[0K\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (10, 11, 12), a.root_cause


def test_a_flutter_test_s_name_is_not_what_went_wrong() -> None:
    log = (
        "$ flutter test\n"
        "00:03 +1: test/bloc/list_bloc_test.dart: ListBloc emits [loading, loaded]\n"
        "00:03 +2: test/bloc/list_bloc_test.dart: ListBloc emits [loading, failure] when "
        "repository throws StorageException\n"
        "00:04 +3: test/widget/item_list_test.dart: ItemList renders items grouped by aisle\n"
        "══╡ EXCEPTION CAUGHT BY FLUTTER TEST FRAMEWORK ╞═══════════════════════════════\n"
        "The following TestFailure was thrown running a test:\n"
        "Expected: exactly one matching candidate\n"
        '  Actual: _TextWidgetFinder:<Found 0 widgets with text "Dairy": []>\n'
        "   Which: means none were found but one was expected\n"
        "00:06 +3 -1: test/widget/item_list_test.dart: ItemList renders items grouped by aisle "
        "[E]\n"
        "00:07 +9 -1: Some tests failed.\n"
        "ERROR: Job failed: exit code 1\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line in range(5, 11), a.root_cause


def test_xcodebuild_s_summary_banners_yield_to_the_error_xcpretty_marks() -> None:
    log = (
        "$ bundle exec fastlane ios beta\n"
        "[14:02:45]: ▸ Create build description\n"
        "[14:02:46]: ▸ ❌  /Users/runner/work/orbit/Orbit.xcodeproj: error: No profile for team "
        "'ABCDE12345' matching 'match AppStore com.orbit.widget' found\n"
        "[14:02:46]: ▸ ** ARCHIVE FAILED **\n"
        "[14:02:46]: ▸ The following build commands failed:\n"
        "[14:02:46]: Exit status: 65\n"
        "[!] Error building the application - see the log above\n"
        'The command "bundle exec fastlane ios beta" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3, a.root_cause
    assert a.category == "credentials"


def test_mobile_and_scanner_tools_closing_lines() -> None:
    cases = [
        (
            "e: /home/runner/.gradle/caches/jetified-kotlin-stdlib-1.9.10.jar!/META-INF/kotlin-"
            "stdlib.kotlin_module: Module was compiled with an incompatible version of Kotlin. "
            "The binary version of its metadata is 1.9.0, expected version is 1.7.1.\n",
            "jvm.kotlin.incompatible_metadata",
            "dependency",
        ),
        (
            "error Unable to resolve module ../screens/Settings from /app/src/nav/Root.tsx: \n",
            "js.metro.unable_to_resolve",
            "compile",
        ),
        (
            "error Unable to resolve module react-native-svg from /app/src/icons/Icon.tsx: \n",
            "js.metro.unable_to_resolve",
            "dependency",
        ),
        (" ERROR   Authentication error (SNYK-0005)\n", "security.snyk.cli_error", "credentials"),
    ]
    for line, signature, category in cases:
        log = (
            f"$ ./ci.sh\nStarting\n{line}\nBUILD FAILED in 1m 51s\nERROR: Job failed: exit code 1\n"
        )
        a = analyse(log.encode())
        assert a.root_cause_line == 3, (signature, a.root_cause)
        assert a.signature == signature
        assert a.category == category, (signature, a.category)


def test_security_gates_point_at_their_finding() -> None:
    bandit = (
        "$ bandit -r services -ll\n"
        "Test results:\n"
        ">> Issue: [B602:subprocess_popen_with_shell_equals_true] subprocess call with "
        "shell=True identified, security issue.\n"
        "   Severity: High   Confidence: High\n"
        "   Location: services/exporter/archive.py:57:8\n"
        "Run metrics:\n"
        "\tTotal issues (by severity):\n"
        "\t\tUndefined: 0\n"
        "\t\tHigh: 1\n"
        "ERROR: Job failed: exit code 1\n"
    )
    audit = (
        "$ npm audit --audit-level=high\n"
        "tar  <6.2.1\n"
        "Severity: moderate\n"
        "xml2js  <0.5.0\n"
        "Severity: high\n"
        "xml2js is vulnerable to prototype pollution - https://github.com/advisories/GHSA-776f\n"
        "5 vulnerabilities (4 moderate, 1 high)\n"
        "To address issues that do not require attention, run:\n"
        "  npm audit fix\n"
        "ERROR: Job failed: exit code 1\n"
    )
    for log, line, category in ((bandit, 3, "lint"), (audit, 5, "dependency")):
        a = analyse(log.encode())
        assert a.root_cause_line == line, a.root_cause
        assert a.category == category
