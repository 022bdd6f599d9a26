"""Shapes from the eighth round of probe logs (GitHub Actions, Travis, GitLab, Woodpecker,
Jenkins): each test fails on the engine as it was before the change it covers."""

from __future__ import annotations

from ciwhy.analysis import analyse, refine

GHA = "2024-06-12T09:18:{:02d}.0000000Z {}"


def _gha(*lines: str) -> bytes:
    return "\n".join(GHA.format(k % 60, line) for k, line in enumerate(lines)).encode() + b"\n"


# -- categories ------------------------------------------------------------------------------

PIP_READ_TIMEOUT = """\
+ pip install --timeout 15 -r requirements.txt
Collecting fastapi==0.110.0
ERROR: Exception:
Traceback (most recent call last):
  File "/venv/lib/python3.12/site-packages/pip/_vendor/urllib3/response.py", line 438, in read
    yield
TimeoutError: The read operation timed out
"""


def test_a_socket_read_that_timed_out_is_the_network_not_a_time_limit() -> None:
    a = analyse(PIP_READ_TIMEOUT.encode())
    assert a.category == "network", (a.root_cause, a.category)
    assert a.severity == "high"


PLAYWRIGHT = """\
Running 20 tests using 2 workers
  1) [chromium] › checkout.spec.ts:41:7 › saved card › pays with a saved card ──────────────

    Error: Timed out 10000ms waiting for expect(locator).toHaveURL(expected)

    Expected pattern: /\\/orders\\/\\d+/
    Received string:  "http://localhost:3000/checkout"

  1 failed
  19 passed (48.2s)
Error: Process completed with exit code 1.
"""


def test_an_assertion_that_waited_out_its_own_time_limit_is_a_test_failure() -> None:
    a = analyse(PLAYWRIGHT.encode())
    assert a.category == "test", (a.root_cause, a.category)


def test_a_registry_download_that_timed_out_is_the_network() -> None:
    log = (
        "$ yarn install --frozen-lockfile\n"
        "yarn install v1.22.19\n"
        "[2/4] Fetching packages...\n"
        "info There appears to be trouble with your network connection. Retrying...\n"
        'error An unexpected error occurred: "https://registry.yarnpkg.com/@angular/core/-/'
        'core-9.1.6.tgz: ESOCKETTIMEDOUT".\n'
        'The command "yarn install --frozen-lockfile" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 5
    assert a.category == "network", (a.root_cause, a.category)


def test_a_backend_that_answers_403_is_a_missing_permission() -> None:
    log = (
        "Initializing the backend...\n"
        "╷\n"
        "│ Error: Failed to get existing workspaces: containers.Client#ListBlobs: Failure "
        "responding to request: StatusCode=403 -- Original Error: autorest/azure: Service "
        'returned an error. Status=403 Code="AuthorizationPermissionMismatch"\n'
        "│\n"
        "╵\n"
        "##[error]Bash exited with code '1'.\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 3
    assert a.category == "permission", (a.root_cause, a.category)


CLIPPY = """\
##[group]Run cargo clippy --workspace --all-targets --locked -- -D warnings
cargo clippy --workspace --all-targets --locked -- -D warnings
shell: /usr/bin/bash --noprofile --norc -e -o pipefail {0}
env:
  CARGO_TERM_COLOR: always
##[endgroup]
    Checking parking_lot v0.12.3
    Checking quill-core v0.6.0 (/home/runner/work/quill/quill/crates/quill-core)
error: this `impl` can be derived
  --> crates/quill-core/src/codec.rs:41:1
   |
41 | / impl Default for Compression {
45 | | }
   | |_^
   |
   = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#derivable_impls
   = note: `-D clippy::derivable-impls` implied by `-D warnings`
help: make this an enum and use `#[derive(Default)]` instead
   |
12 + #[derive(Default)]
   |

error: redundant clone
   --> crates/quill-core/src/segment.rs:207:38
    |
207 |         let name = self.header.name.clone().to_string();
    |                                      ^^^^^^^^ help: remove this
    = note: `-D clippy::redundant-clone` implied by `-D warnings`

error: could not compile `quill-core` (lib) due to 2 previous errors
warning: build failed, waiting for other jobs to finish...
error: could not compile `quill-core` (lib test) due to 2 previous errors
##[error]Process completed with exit code 101.
"""


def test_a_compiler_shaped_finding_of_clippy_is_lint() -> None:
    a = analyse(_gha(*CLIPPY.splitlines()))
    assert a.root_cause_line in (9, 10), a.root_cause
    assert a.category == "lint", (a.root_cause, a.category)
    # (a compiler's signature on the line: the linter the step ran decides)
    line = "  --> crates/quill-core/src/codec.rs:41:1"
    assert refine.refine("compile", line, "cargo clippy -- -D warnings") == (
        "lint",
        "code",
        "low",
    )
    assert refine.refine("compile", line, "cargo build --locked") is None


def test_gometalinter_and_android_lint_findings_are_lint() -> None:
    go = (
        "$ gometalinter --vendor --deadline=120s ./...\n"
        "server/handler.go:23:6:warning: exported type Handler should have comment or be "
        "unexported (golint)\n"
        'The command "gometalinter --vendor --deadline=120s ./..." exited with 1.\n'
    )
    android = (
        "$ ./gradlew lintDebug\n"
        "/home/travis/build/app/src/main/java/com/app/ui/NoteListActivity.java:88: Error: "
        "Call requires API level 24 (current min is 21): java.util.Map#getOrDefault [NewApi]\n"
        'The command "./gradlew lintDebug" exited with 1.\n'
    )
    for log in (go, android):
        a = analyse(log.encode())
        assert a.root_cause_line == 2
        assert a.category == "lint", (a.root_cause, a.category)


def test_an_android_device_that_stopped_answering_is_infrastructure() -> None:
    log = (
        "$ ./gradlew connectedCheck\n"
        "> Task :app:connectedDebugAndroidTest\n"
        "Unable to install /home/travis/build/app/app-debug.apk\n"
        "com.android.ddmlib.InstallException: Failed to install all\n"
        "Caused by: com.android.ddmlib.ShellCommandUnresponsiveException\n"
        'The command "./gradlew connectedCheck" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.category == "infrastructure", (a.root_cause, a.category)


# -- reading ---------------------------------------------------------------------------------


def test_woodpecker_s_line_and_time_tags_are_not_the_line_s_text() -> None:
    log = (
        "[test:L0:0s] + pip install -r requirements.txt\n"
        "[test:L1:3s] ERROR: Could not find a version that satisfies the requirement "
        "fastapi==9.9 (from versions: 0.110.0)\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 2
    assert "[test:" not in a.root_cause and "[test:" not in a.fingerprint.template


# -- where the cause is ----------------------------------------------------------------------

PYTEST_WARNINGS = """\
============================= test session starts ==============================
collected 3 items

tests/test_rollup.py .F.                                                  [100%]

=================================== FAILURES ===================================
_______________________ test_rollup_crosses_dst_boundary _______________________

    def test_rollup_crosses_dst_boundary():
>       assert [b.month for b in buckets] == ["2024-03"]
E       AssertionError: assert ['2024-03', '2024-04'] == ['2024-03']

tests/test_rollup.py:41: AssertionError
------------------------------ Captured log call -------------------------------
ERROR    tally.ledger:ledger.py:211 failed to reconcile account 'utilities': delta=84.10
=============================== warnings summary ===============================
tests/test_db.py::test_bulk_insert_rollback
  /venv/lib/python3.12/site-packages/_pytest/unraisableexception.py:80: {warning}
{blank}
  Traceback (most recent call last):
    File "/venv/lib/python3.12/site-packages/tally/db.py", line 58, in close
      self._conn.rollback()
  sqlite3.ProgrammingError: Cannot operate on a closed database.
{blank}
    warnings.warn(pytest.PytestUnraisableExceptionWarning(msg))

-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html
=========================== short test summary info ============================
FAILED tests/test_rollup.py::test_rollup_crosses_dst_boundary - AssertionError
==================== 1 failed, 2 passed, 1 warning in 0.31s ====================
"""


def test_a_traceback_in_pytest_s_warnings_summary_did_not_fail_a_test() -> None:
    log = PYTEST_WARNINGS.format(
        warning="PytestUnraisableExceptionWarning: Exception ignored in: <sqlite3.Connection>",
        blank="  ",  # (pytest indents the blank lines of a warning's text too)
    )
    a = analyse(log.encode())
    assert a.root_cause_line in (10, 11), a.root_cause
    assert a.category == "test"


def test_a_diff_printed_by_a_drift_check_is_the_cause_and_its_lines_are_file_content() -> None:
    log = _gha(
        "##[group]Run go generate ./... && git diff --exit-code",
        "go generate ./... && git diff --exit-code",
        "##[endgroup]",
        "diff --git a/internal/store/mocks/mock_OrderStore.go b/internal/store/mocks/mock_Order"
        "Store.go",
        "index 4c1d2e7..9a0b3f5 100644",
        "--- a/internal/store/mocks/mock_OrderStore.go",
        "+++ b/internal/store/mocks/mock_OrderStore.go",
        "@@ -141,6 +141,9 @@ func (_c *MockOrderStore_GetOrder_Call) Run(run func()) {",
        "+func (_m *MockOrderStore) DeleteOrder(ctx context.Context, id string) error {",
        "+\tret := _m.Called(ctx, id)",
        "+\treturn ret.Error(0)",
        "+}",
        " // ListOrders provides a mock function with given fields: ctx, filter",
        ' \tif err != nil { return nil, fmt.Errorf("list failed: %w", err) }',
        "##[error]Process completed with exit code 1.",
    )
    a = analyse(log)
    assert a.root_cause_line == 4, a.root_cause
    assert a.category == "lint"
    assert a.signature == "git.diff.uncommitted_changes"
    assert "mock_OrderStore.go" in a.root_cause


def test_vcpkg_s_failed_download_outranks_the_port_script_that_gives_up() -> None:
    log = (
        "Downloading https://github.com/madler/zlib/archive/v1.3.1.tar.gz -> zlib.tar.gz\n"
        "warning: Download failed -- retrying after 1000ms\n"
        "error: Failed to download from mirror set\n"
        "error: https://github.com/madler/zlib/archive/v1.3.1.tar.gz: failed: status code 502\n"
        "note: If you are using a proxy, please ensure your proxy settings are correct.\n"
        "CMake Error at scripts/cmake/vcpkg_download_distfile.cmake:136 (message):\n"
        "  Download failed, halting portfile.\n"
        "error: building zlib:x64-linux failed with: BUILD_FAILED\n"
        "CMake Error at /usr/local/share/vcpkg/scripts/buildsystems/vcpkg.cmake:904 (message):\n"
        "  vcpkg install failed.\n"
        "-- Configuring incomplete, errors occurred!\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 4, a.root_cause
    assert a.category == "network"


def test_a_failing_github_step_that_says_why_beats_a_passed_step_s_output() -> None:
    log = _gha(
        "##[group]Run go test -v ./...",
        "go test -v ./...",
        "##[endgroup]",
        "=== RUN   TestLoad_InvalidYAML",
        "    config_test.go:71: got expected error: yaml: line 3: mapping values are not "
        "allowed in this context",
        "--- PASS: TestLoad_InvalidYAML (0.00s)",
        "PASS",
        "ok  \tgithub.com/acme/fleetd/internal/config\t0.041s",
        "##[group]Run golangci-lint run --timeout=5m ./...",
        "golangci-lint run --timeout=5m ./...",
        "##[endgroup]",
        "golangci-lint has version 2.1.6 built with go1.24.2",
        'Error: can\'t load config: unsupported version of the configuration: ""',
        "The command is terminated due to an error: can't load config: unsupported version",
        "##[error]Process completed with exit code 3.",
    )
    a = analyse(log)
    assert a.root_cause_line == 13, a.root_cause


XCPRETTY = """\
$ set -o pipefail && xcodebuild test -workspace K.xcworkspace | xcpretty
▸ Compiling RaisesException.swift
⚠️  /Users/travis/build/k/Pods/Nimble/RaisesException.swift:147:17: 'init' is deprecated

                return NSException(name: name, reason: reason, userInfo: nil).description
                ^


▸ Compiling QueryEncoder.swift

❌  /Users/travis/build/k/Classes/QueryEncoder.swift:34:33: 'Substring' has no member 'encoded'

        let escaped = key[...].encoded()
                      ~~~~~~~~ ^~~~~~~


Testing cancelled because the build failed.

** TEST FAILED **

The command "set -o pipefail && xcodebuild test -workspace K.xcworkspace | xcpretty" exited with 65.
"""


def test_a_source_line_a_compiler_quotes_above_its_caret_is_not_the_cause() -> None:
    a = analyse(XCPRETTY.encode())
    assert a.root_cause_line == 11, a.root_cause


def test_r_s_anticonf_box_names_the_missing_system_library() -> None:
    log = (
        "* installing *source* package ‘xml2’ ...\n"
        "Package libxml-2.0 was not found in the pkg-config search path.\n"
        "No package 'libxml-2.0' found\n"
        "------------------------- ANTICONF ERROR ---------------------------\n"
        "Configuration failed because libxml-2.0 was not found. Try installing:\n"
        " * deb: libxml2-dev (Debian, Ubuntu, etc)\n"
        "--------------------------------------------------------------------\n"
        "ERROR: configuration failed for package ‘xml2’\n"
        "* removing ‘/home/travis/R/Library/xml2’\n"
        "ERROR: dependency ‘xml2’ is not available for package ‘rvest’\n"
        "* removing ‘/home/travis/R/Library/rvest’\n"
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 5, a.root_cause
    assert a.signature == "r.package.system_library_missing"
    assert "libxml-2.0" in a.root_cause


def test_an_attempt_a_program_retried_does_not_outrank_the_failed_test_below_it() -> None:
    log = (
        "$ lein test\n"
        "lein test datetick.store-test\n"
        "ERROR datetick.store - write failed, retrying (attempt 1/3): java.io.IOException: "
        "No space left on device (simulated)\n"
        "WARN  datetick.store - write succeeded after 2 attempts\n"
        + "".join(f"lein test datetick.case{k}-test\n\n" for k in range(7))
        + "FAIL in (parse-iso-week) (parse_test.clj:42)\n"
        "ISO week dates\n"
        'expected: (= (local-date 2018 12 31) (parse "2019-W01-1"))\n'
        "  actual: (not (= 2018-12-31 2019-01-07))\n"
        "\n"
        "Ran 41 tests containing 133 assertions.\n"
        "1 failures, 0 errors.\n"
        "Tests failed.\n"
        'The command "lein test" exited with 1.\n'
    )
    a = analyse(log.encode())
    assert a.root_cause_line == 19, a.root_cause
    assert a.category == "test"


MIX_WARNINGS = """\
$ mix compile --warnings-as-errors
==> plug
Compiling 1 file (.ex)
warning: Plug.Conn.Utils.media_type/1 is deprecated
  lib/plug/parsers.ex:12
Generated plug app
==> beacon
Compiling 31 files (.ex)
warning: variable "opts" is unused (if the variable is not meant to be used, prefix it with _)
  lib/beacon/router.ex:41: Beacon.Router.dispatch/3

warning: function legacy_error_body/1 is unused
  lib/beacon/error_view.ex:88

Compilation failed due to warnings while using the --warnings-as-errors option
The command "mix compile --warnings-as-errors" exited with 1.
"""


def test_warnings_that_failed_the_build_start_at_the_first_of_its_compilation() -> None:
    a = analyse(MIX_WARNINGS.encode())
    assert a.root_cause_line == 9, a.root_cause
    assert a.category == "compile"
    assert a.signature == "heuristic:fatal_warning"


JEST = """\
$ npm test -- --ci
PASS src/components/__tests__/Header.test.jsx
  ● Console

    console.warn src/api/client.js:44
      retrying GET /api/products (attempt 2 of 3)

FAIL src/components/__tests__/Cart.test.jsx
  ● Cart › shows total including tax

    expect(received).toBe(expected) // Object.is equality

    Expected: "$10.80"
    Received: "$10.00"

      23 |     const { getByTestId } = render(<Cart items={items} taxRate={0.08} />);
    > 25 |       .toBe("$10.80");
         |        ^

Tests:       1 failed, 23 passed, 24 total
npm ERR! Test failed.  See above for more details.
The command "npm test -- --ci" exited with 1.
"""


def test_jest_s_file_header_yields_to_the_failed_test_under_it() -> None:
    a = analyse(JEST.encode())
    assert a.root_cause_line == 9, a.root_cause
    assert [t.name for t in a.failing_tests] == ["Cart › shows total including tax"]


RSPEC_LOAD_ERROR = """\
$ bundle exec rspec
DEPRECATION WARNING: `Rails.application.secrets` is deprecated (called from <main>)

An error occurred while loading ./spec/models/booking_spec.rb.
Failure/Error: Stripe.api_key = ENV.fetch("STRIPE_TEST_SECRET_KEY")

KeyError:
  key not found: "STRIPE_TEST_SECRET_KEY"
# ./spec/support/stripe.rb:3:in `fetch'
# ./spec/rails_helper.rb:14:in `<top (required)>'

Finished in 0.00004 seconds (files took 1.92 seconds to load)
0 examples, 0 failures, 1 error occurred outside of examples
ERROR: Job failed: exit code 1
"""


def test_rspec_s_failure_error_yields_to_the_exception_it_quotes_the_code_of() -> None:
    a = analyse(RSPEC_LOAD_ERROR.encode())
    assert a.root_cause_line == 7, a.root_cause
    assert "key not found" in a.root_cause  # (the class's message is on the next line)
    assert a.category == "config"
