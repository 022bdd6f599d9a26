# ruff: noqa: E501, W291  (log lines as the tools print them: long, trailing blanks)
"""Shapes from the twenty-eighth round of probe logs (Travis CI jobs of 2015-2019 for JVM,
native and scripting languages; GitHub Actions jobs of ordinary open-source projects): each
test fails on the engine as it was before the round (8ce33c8)."""

from __future__ import annotations

import pytest

from ciwhy.analysis import analyse, asides, lines, locate, structure
from ciwhy.analysis.library_index import default_library


def _line(log: str, text: str) -> int:
    """The 1-based number of the first line that contains `text`."""
    return next(n for n, ln in enumerate(log.split("\n"), 1) if text in ln)


def _set_aside(log: str, text: str) -> bool:
    """Whether the first line that contains `text` lies in one of the log's asides."""
    read = lines.read(log)
    hits = default_library().scan(read.lines, read.text)
    st = structure.find(read.lines, hits)
    return asides.within(asides.find(read.lines, hits, st.fail_line), _line(log, text) - 1)


def _candidate(log: str, text: str) -> bool:
    """Whether the first line that contains `text` is a candidate for the root cause."""
    read = lines.read(log)
    hits = default_library().scan(read.lines, read.text)
    st = structure.find(read.lines, hits)
    cands = locate.candidates(read.lines, hits, st, asides.find(read.lines, hits, st.fail_line))
    return any(c.index == _line(log, text) - 1 for c in cands)


def _gha(*lines: str) -> str:
    return "".join(f"2025-03-17T06:04:{i % 60:02d}.0000000Z {ln}\n" for i, ln in enumerate(lines))


# Travis runs every `script` command: one that exited with 0 failed nothing, whatever it printed.
GO_VET = """\
$ golint $(go list ./... | grep -v /vendor/)
cmd/tidepoold/main.go:41:2: exported var Version should have comment or be unexported
pkg/ingest/batcher.go:22:6: exported type Batcher should have comment or be unexported
pkg/ingest/errors.go:9:2: error var errBatchFull should have name of the form ErrFoo

The command "golint $(go list ./... | grep -v /vendor/)" exited with 0.
$ go vet $(go list ./... | grep -v /vendor/)
# github.com/harborlight/tidepool/pkg/ingest
pkg/ingest/batcher.go:77: Flush passes lock by value: ingest.Batcher contains sync.Mutex

The command "go vet $(go list ./... | grep -v /vendor/)" exited with 2.
$ go test -race ./...
ok  	github.com/harborlight/tidepool/pkg/ingest	1.204s

The command "go test -race ./..." exited with 0.

Done. Your build exited with 1.
"""


def test_what_a_travis_command_that_exited_with_0_printed_is_not_the_cause() -> None:
    a = analyse(GO_VET)
    assert a.root_cause_line == _line(GO_VET, "passes lock by value")


# tox runs each environment; its summary says which failed. The others' output (Sphinx's
# warnings in a docs build that passed) failed nothing, and the summary is not why.
TOX = """\
$ tox
flake8 create: /home/travis/build/relaybird/hookshot/.tox/flake8
flake8 runtests: commands[0] | flake8 hookshot tests
hookshot/retry.py:57:9: F841 local variable 'exc' is assigned to but never used
ERROR: InvocationError: '/home/travis/build/relaybird/hookshot/.tox/flake8/bin/flake8 hookshot tests'
docs create: /home/travis/build/relaybird/hookshot/.tox/docs
docs runtests: commands[0] | sphinx-build -b html docs docs/_build/html
/home/travis/build/relaybird/hookshot/docs/api.rst:41: WARNING: duplicate object description of hookshot.dispatch.Dispatcher, other instance in api, use :noindex: for one of them
build succeeded, 1 warning.
___________________________________ summary ____________________________________
ERROR:   flake8: commands failed
  docs: commands succeeded
The command "tox" exited with 1.
"""


def test_what_a_tox_environment_that_succeeded_printed_is_not_the_cause() -> None:
    assert _set_aside(TOX, "WARNING: duplicate object description")
    assert not _set_aside(TOX, "F841")
    assert not _candidate(TOX, "ERROR:   flake8: commands failed")
    a = analyse(TOX)
    assert a.root_cause_line == _line(TOX, "F841")
    assert a.category == "lint"


# rspec's `Failure/Error:` over a Ruby class whose name says no `Error`, its message indented.
RSPEC_PG = """\
$ bundle exec rspec
An error occurred while loading ./spec/models/cart_spec.rb.
Failure/Error: ActiveRecord::Migration.maintain_test_schema!

PG::ConnectionBad:
  FATAL:  password authentication failed for user "shopfront"
# ./vendor/bundle/ruby/2.6.0/gems/pg-1.1.4/lib/pg.rb:56:in `initialize'
# ./spec/rails_helper.rb:28:in `<top (required)>'
No examples found.

Finished in 0.00038 seconds (files took 3.41 seconds to load)
0 examples, 0 failures, 1 error occurred outside of examples
The command "bundle exec rspec" exited with 1.
"""


def test_rspecs_failure_yields_to_a_ruby_class_without_error_in_its_name() -> None:
    a = analyse(RSPEC_PG)
    assert a.root_cause_line == _line(RSPEC_PG, "PG::ConnectionBad:")
    assert a.category == "credentials"


# rustc's diagnostic with its location under it: the compiler's, though the command also tested.
RUST_DENY = """\
$ cargo build --verbose --all-features && cargo test --verbose --all-features
   Compiling quill v0.4.1 (/home/travis/build/quill)
error: trait objects without an explicit `dyn` are deprecated
  --> src/sink.rs:14:22
   |
14 |     inner: Box<Write + Send>,
   |                ^^^^^^^^^^^^ help: use `dyn`: `dyn Write + Send`
   |
note: lint level defined here
error: aborting due to previous error
error: Could not compile `quill`.
The command "cargo build --verbose --all-features && cargo test --verbose --all-features" exited with 101.
"""


def test_a_diagnostic_with_rustcs_location_under_it_is_compile() -> None:
    a = analyse(RUST_DENY)
    assert a.root_cause_line == _line(RUST_DENY, "trait objects without")
    assert a.category == "compile"


# Surefire 2.20 and later name the class again in its `Flakes:` list.
SUREFIRE_FLAKES = """\
[INFO] Running com.ledgerline.core.ClockSkewTest
[ERROR] Tests run: 3, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 1.318 s <<< FAILURE! - in com.ledgerline.core.ClockSkewTest
[ERROR] toleratesDrift(com.ledgerline.core.ClockSkewTest)  Time elapsed: 1.207 s  <<< FAILURE!
java.lang.AssertionError: drift of 1203ms exceeded tolerance of 1000ms
	at com.ledgerline.core.ClockSkewTest.toleratesDrift(ClockSkewTest.java:41)

[INFO] Running com.ledgerline.core.ClockSkewTest
[INFO] Tests run: 1, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.214 s - in com.ledgerline.core.ClockSkewTest
[INFO] Results:
[WARNING] Flakes: 
[WARNING] com.ledgerline.core.ClockSkewTest.toleratesDrift(com.ledgerline.core.ClockSkewTest)
[ERROR]   Run 1: ClockSkewTest.toleratesDrift:41 drift of 1203ms exceeded tolerance of 1000ms
[INFO]   Run 2: PASS
[INFO] Running com.ledgerline.rest.AccountResourceTest
[ERROR] Tests run: 6, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 2.311 s <<< FAILURE! - in com.ledgerline.rest.AccountResourceTest
[ERROR] closedAccountReturns404(com.ledgerline.rest.AccountResourceTest)  Time elapsed: 0.112 s  <<< FAILURE!
java.lang.AssertionError: expected:<404> but was:<200>
	at com.ledgerline.rest.AccountResourceTest.closedAccountReturns404(AccountResourceTest.java:88)

[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:2.21.0:test (default-test) on project ledgerline-rest: There are test failures.
The command "mvn -B verify" exited with 1.
"""


def test_a_flaky_test_surefire_lists_with_its_class_is_not_the_cause() -> None:
    a = analyse(SUREFIRE_FLAKES)
    assert a.root_cause_line == _line(SUREFIRE_FLAKES, "expected:<404>")


# Gradle's report: its first line under `* What went wrong:` yields to its deepest `>` line.
ANDROID = """\
$ ./gradlew clean build
> Configure project :app
Warning: License for package Android SDK Build-Tools 27.0.3 not accepted.

FAILURE: Build failed with an exception.

* What went wrong:
A problem occurred configuring project ':app'.
> You have not accepted the license agreements of the following SDK components:
  [Android SDK Build-Tools 27.0.3, Android SDK Platform 27].

* Try:
Run with --stacktrace option to get the stack trace.

BUILD FAILED in 1m 12s
The command "./gradlew clean build" exited with 1.
"""


def test_gradles_report_yields_to_its_deepest_line_and_sdk_licences_are_config() -> None:
    a = analyse(ANDROID)
    assert a.root_cause_line == _line(ANDROID, "> You have not accepted")
    assert a.category == "config"


# Travis' `after_success` (a coverage upload) cannot fail the build; a deploy after it can.
AFTER_SUCCESS = """\
The command "mvn -B verify" exited with 0.
travis_fold:start:after_success
$ bash <(curl -s https://codecov.io/bash)
==> Travis CI detected.
    Yaml not found, that's ok! Learn more at http://docs.codecov.io/docs/codecov-yaml
==> Python coveragepy not found
HTTP 502
    X> Failed to upload
    -> Uploading
travis_fold:end:after_success
travis_fold:start:dpl_0
Installing deploy dependencies
Successfully installed dpl-script-1.10.8
travis_fold:end:dpl_0
Deploying application
[INFO] --- maven-deploy-plugin:2.8.2:deploy (default-deploy) @ cobalt-http ---
[INFO] BUILD FAILURE
[ERROR] Failed to execute goal org.apache.maven.plugins:maven-deploy-plugin:2.8.2:deploy (default-deploy) on project cobalt-http: Failed to deploy artifacts: Could not transfer artifact io.cobalt:cobalt-http:jar:2.3.0-20190412.101549-1 from/to ossrh: Failed to transfer file. Return code is: 401, ReasonPhrase: Unauthorized. -> [Help 1]
Script failed with status 1
failed to deploy
Done. Your build exited with 1.
"""


def test_travis_after_success_is_not_the_cause() -> None:
    assert _set_aside(AFTER_SUCCESS, "Yaml not found")
    assert not _set_aside(AFTER_SUCCESS, "Return code is: 401")
    a = analyse(AFTER_SUCCESS)
    assert a.root_cause_line == _line(AFTER_SUCCESS, "Return code is: 401")
    assert a.category == "credentials"


# A JVM exception that already says what its `Caused by:` says (the same cause signature).
CODEQL = _gha(
    "##[group]Run github/codeql-action/analyze@v3",
    "##[endgroup]",
    "[2025-03-20 11:05:08] [ERROR] Import of TRAP files failed.",
    "com.semmle.util.exception.CatastrophicError: java.io.IOException: No space left on device",
    "\tat com.semmle.inmemory.trap.TrapImporter.run(TrapImporter.java:212)",
    "\tat com.semmle.cli2.database.ImportCommand.executeSubcommand(ImportCommand.java:118)",
    "Caused by: java.io.IOException: No space left on device",
    "\tat java.base/sun.nio.ch.FileDispatcherImpl.write0(Native Method)",
    "##[error]Encountered a fatal error while running codeql database finalize.",
)


def test_an_exception_that_says_what_its_cause_says_is_the_root() -> None:
    a = analyse(CODEQL)
    assert a.root_cause_line == _line(CODEQL, "CatastrophicError")
    assert a.category == "infrastructure"


# A step that runs on failure (github-script commenting on the PR) and fails itself.
COMMENT = _gha(
    "##[group]Run npx eslint .",
    "npx eslint .",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    "",
    "Oops! Something went wrong! :(",
    "",
    "ESLint: 9.18.0",
    "",
    "ESLint couldn't find an eslint.config.(js|mjs|cjs) file.",
    "##[error]Process completed with exit code 2.",
    "##[group]Run actions/github-script@v7",
    "with:",
    "  script: await github.rest.issues.createComment({ ...context.repo, issue_number: context.issue.number, body })",
    "  github-token: ***",
    "##[endgroup]",
    "RequestError [HttpError]: Resource not accessible by integration",
    "    at /home/runner/work/_actions/actions/github-script/v7/dist/index.js:9537:21",
    "##[error]Unhandled error: HttpError: Resource not accessible by integration",
    "Post job cleanup.",
)


def test_an_action_that_comments_after_the_failure_is_after_failure_work() -> None:
    a = analyse(COMMENT)
    assert a.root_cause_line == _line(COMMENT, "couldn't find an eslint.config")


GOVULNCHECK = _gha(
    "##[group]Run govulncheck ./...",
    "govulncheck ./...",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    "=== Symbol Results ===",
    "",
    "Vulnerability #1: GO-2025-3487",
    "    Potential denial of service in golang.org/x/crypto",
    "  More info: https://pkg.go.dev/vuln/GO-2025-3487",
    "  Module: golang.org/x/crypto",
    "    Found in: golang.org/x/crypto@v0.31.0",
    "    Fixed in: golang.org/x/crypto@v0.35.0",
    "",
    "Your code is affected by 1 vulnerability from 1 module.",
    "This scan also found 1 vulnerability in packages you import and 3",
    "vulnerabilities in modules you require, but your code doesn't appear to call",
    "these vulnerabilities.",
    "##[error]Process completed with exit code 3.",
)


def test_govulncheck_names_the_vulnerability_the_code_calls() -> None:
    a = analyse(GOVULNCHECK)
    assert a.root_cause_line == _line(GOVULNCHECK, "Vulnerability #1")
    assert a.category == "dependency"


@pytest.mark.parametrize(
    "line, category",
    [
        (
            "configure: error: Package requirements (libsodium >= 1.0.12) were not met:",
            "dependency",
        ),
        ("configure: error: gdal-config not found or not executable.", "dependency"),
        ("Gem::InstallError: activesupport requires Ruby version >= 2.2.2.", "dependency"),
        (
            "Compiler version mismatched, found ghc-8.4.4 (x86_64), but expected minor version match with ghc-8.6.5 (x86_64)",
            "config",
        ),
        (
            '** (Mix) The database for Ledgerline.Repo couldn\'t be created: FATAL 28P01 (invalid_password) password authentication failed for user "ledgerline"',
            "credentials",
        ),
    ],
)
def test_category_words_of_round_twenty_eight(line: str, category: str) -> None:
    log = f'$ make\n{line}\nThe command "make" exited with 1.\n'
    assert analyse(log).category == category, line


# What Travis printed preparing the machine, before it cloned the repository.
TRAVIS_PREPARATION = """\
travis_fold:start:worker_info
Worker information
travis_fold:end:worker_info
Network availability confirmed.
Fix WWDRCA Certificate
Unable to delete certificate matching "0950B6CD3D2F37EA246A1AAA20DFAADBD6FE1F75"
$ rvm use
/Users/travis/.travis/job_stages: line 475: yarn: command not found
sudo: apt-get: command not found
travis_fold:start:git.checkout
$ git clone --depth=50 --branch=master https://github.com/acme/swiftly.git acme/swiftly
travis_fold:end:git.checkout
$ xcodebuild -workspace Swiftly.xcworkspace -scheme "Swiftly tvOS" -destination "platform=tvOS Simulator,name=Apple TV 1080p" build-for-testing test | xcpretty
xcodebuild: error: Unable to find a destination matching the provided destination specifier:
		{ platform:tvOS Simulator, name:Apple TV 1080p }
The command "xcodebuild -workspace Swiftly.xcworkspace -scheme "Swiftly tvOS" -destination "platform=tvOS Simulator,name=Apple TV 1080p" build-for-testing test | xcpretty" exited with 70.
Done. Your build exited with 1.
"""


def test_what_travis_printed_before_the_clone_is_not_the_cause() -> None:
    assert _set_aside(TRAVIS_PREPARATION, "yarn: command not found")
    assert not _set_aside(TRAVIS_PREPARATION, "Unable to find a destination")
    a = analyse(TRAVIS_PREPARATION)
    assert a.root_cause_line == _line(TRAVIS_PREPARATION, "Unable to find a destination")


# Round twenty-nine (Travis on Apple and mobile workers, services and containers, GitLab CI,
# GitHub Actions on Windows and macOS).

# What an XCTest case printed before it passed (an error its code logged on purpose).
XCTEST = """\
$ xcodebuild -quiet -workspace AuthKit.xcworkspace -scheme AuthKit -destination 'platform=iOS Simulator,name=iPhone 8' test
Test Case '-[AuthKitTests.TokenRefresherTests testInvalidGrantSurfacesAuthError]' started.
xctest[5234:33112] [AuthKit] ERROR token refresh rejected: invalid_grant (Refresh token expired) — signing out
Test Case '-[AuthKitTests.TokenRefresherTests testInvalidGrantSurfacesAuthError]' passed (0.001 seconds).
Test Case '-[AuthKitTests.TokenStoreTests testRefreshTokenIsPersisted]' started.
/Users/travis/build/keyhole-io/AuthKit/Tests/AuthKitTests/TokenStoreTests.swift:57: error: -[AuthKitTests.TokenStoreTests testRefreshTokenIsPersisted] : XCTAssertEqual failed: ("nil") is not equal to ("Optional("r-123")")
Test Case '-[AuthKitTests.TokenStoreTests testRefreshTokenIsPersisted]' failed (0.006 seconds).
** TEST FAILED **
The command "xcodebuild -quiet test" exited with 65.
"""


def test_what_an_xctest_case_that_passed_printed_is_not_the_cause() -> None:
    assert _set_aside(XCTEST, "token refresh rejected")
    assert not _set_aside(XCTEST, "XCTAssertEqual failed")
    a = analyse(XCTEST)
    assert a.root_cause_line == _line(XCTEST, "XCTAssertEqual failed")
    assert a.category == "test"


# Signing that failed, then a verification of the file it did not sign.
SIGNTOOL = _gha(
    "##[group]Run ./scripts/sign.ps1",
    "##[endgroup]",
    "Signing Quill.Core.dll",
    "SignTool Error: The specified PFX password is not correct.",
    "",
    "Number of files successfully Signed: 0",
    "Verifying Quill.Core.dll",
    "SignTool Error: No signature found.",
    "Number of errors: 1",
    "##[error]Process completed with exit code 1.",
)


def test_signtools_password_error_is_the_cause_not_the_later_verification() -> None:
    a = analyse(SIGNTOOL)
    assert a.root_cause_line == _line(SIGNTOOL, "PFX password is not correct")
    assert a.category == "credentials"


@pytest.mark.parametrize(
    "line, category",
    [
        (
            "error: bundling failed: Error: Unable to resolve module `./src/screens/Onboarding` from `/Users/travis/build/acme/app/App.js`: The module could not be found",
            "compile",
        ),
        (
            "error: package at '/Users/travis/build/wirebird/Relay' is using Swift tools version 5.1.0 but the installed version is 5.0.1",
            "config",
        ),
    ],
)
def test_category_words_of_round_twenty_nine(line: str, category: str) -> None:
    log = f'$ make\n{line}\nThe command "make" exited with 1.\n'
    assert analyse(log).category == category, line


# PSScriptAnalyzer's count of errors under GitHub's annotation: its first Error row, not the
# Warning rows above it.
PSSA = _gha(
    "##[group]Run Invoke-ScriptAnalyzer -Path ./src -Recurse",
    "##[endgroup]",
    "",
    "RuleName                                       Severity ScriptName             Line Message",
    "--------                                       -------- ----------             ---- -------",
    "PSAvoidUsingWriteHost                          Warning  Export-VaultReport.ps1   37 File 'Export-VaultReport.ps1' uses Write-Host.",
    "PSAvoidUsingConvertToSecureStringWithPlainText Error    Connect-Vault.ps1        41 File 'Connect-Vault.ps1' uses ConvertTo-SecureString with plaintext.",
    "PSUseSingularNouns                             Warning  Get-VaultErrors.ps1       1 The cmdlet 'Get-VaultErrors' uses a plural noun.",
    "",
    "##[error]PSScriptAnalyzer reported 1 error(s)",
    "##[error]Process completed with exit code 1.",
)


def test_psscriptanalyzers_error_count_yields_to_its_first_error_row() -> None:
    a = analyse(PSSA)
    assert a.root_cause_line == _line(PSSA, "PSAvoidUsingConvertToSecureStringWithPlainText")
    assert a.category == "lint"


# A service Travis started with systemd that failed, long before the tests that cannot reach it.
SYSTEMD = """\
travis_fold:start:services
$ sudo systemctl start mongod
Job for mongod.service failed because the control process exited with error code. See "systemctl status mongod.service" and "journalctl -xe" for details.
travis_fold:end:services
$ npm test
 FAIL  test/orders.test.js
  ● orders › creates an order

    MongoNetworkError: failed to connect to server [localhost:27017] on first connect [MongoNetworkError: connect ECONNREFUSED 127.0.0.1:27017]

Tests:       1 failed, 12 passed, 13 total
The command "npm test" exited with 1.
"""


def test_a_service_that_failed_to_start_is_why_the_tests_cannot_connect() -> None:
    a = analyse(SYSTEMD)
    assert a.root_cause_line == _line(SYSTEMD, "Job for mongod.service failed")
    assert a.category == "infrastructure"


def test_a_compose_file_named_test_is_no_test() -> None:
    log = (
        "$ docker-compose -f docker-compose.test.yml build app\n"
        'ERROR: Version in "./docker-compose.test.yml" is unsupported. You might be seeing '
        "this error because you're using the wrong Compose file version.\n"
        'The command "docker-compose -f docker-compose.test.yml build app" exited with 1.\n'
    )
    assert analyse(log).category == "config"


# Go's dialer timing out (Windows' connectex words) under electron-builder's closing error.
DIAL_TIMEOUT = """\
  • downloading      url=https://github.com/electron-userland/electron-builder-binaries/releases/download/nsis-3.0.4.1/nsis-3.0.4.1.7z
  • retrying         attempt=1
  ⨯ Get "https://github.com/electron-userland/electron-builder-binaries/releases/download/nsis-3.0.4.1/nsis-3.0.4.1.7z": dial tcp 140.82.113.3:443: connectex: A connection attempt failed because the connected party did not properly respond after a period of time, or established connection failed because connected host has failed to respond.
github.com/develar/app-builder/pkg/download.(*Downloader).follow.func1
	/Users/runner/work/app-builder/app-builder/pkg/download/downloader.go:206
  ⨯ D:\\a\\ledgerly\\node_modules\\app-builder-bin\\win\\x64\\app-builder.exe process failed ERR_ELECTRON_BUILDER_CANNOT_EXECUTE
Exit code:
1
##[error]Process completed with exit code 1.
"""


def test_a_dial_that_timed_out_is_the_network() -> None:
    a = analyse(DIAL_TIMEOUT)
    assert a.root_cause_line == _line(DIAL_TIMEOUT, "connectex:")
    assert a.category == "network"


# A monorepo runner's tasks interleaved: vitest's capture of a passing test's stderr (under
# the task's prefix) and Turborepo's verdicts are not why; the jest failure is.
TURBO = """\
$ pnpm turbo run test --continue
@shop/api:test: stderr | src/services/__tests__/payments.test.ts > PaymentsService > surfaces upstream timeout as 504
@shop/api:test: Error: upstream timeout after 3000ms (provider=stripe, op=capture)
@shop/api:test:     at PaymentsService.capture (/builds/web/shop/apps/api/src/services/payments.ts:88:13)
@shop/api:test: 
@shop/api:test:  ✓ src/services/__tests__/payments.test.ts  (9 tests) 57ms
@shop/web:test: FAIL src/features/cart/__tests__/CartSummary.test.tsx
@shop/web:test:   ● CartSummary › applies percentage discount before tax
@shop/web:test: 
@shop/web:test:     expect(received).toBe(expected) // Object.is equality
@shop/web:test: 
@shop/web:test:     Expected: "$107.10"
@shop/web:test:     Received: "$108.00"
@shop/web:test: ERROR: command finished with error: command (/builds/web/shop/apps/web) /usr/local/bin/pnpm run test exited (1)
 ERROR  run failed: command  exited (1)
ERROR: Job failed: exit code 1
"""


def test_turborepos_verdicts_and_a_prefixed_vitest_capture_are_not_the_cause() -> None:
    assert _set_aside(TURBO, "Error: upstream timeout")
    a = analyse(TURBO)
    assert a.root_cause_line in (_line(TURBO, "● CartSummary"), _line(TURBO, 'Expected: "$107.10"'))
    assert a.category == "test"


# kaniko's logrus levels: `INFO[0002]` is what it did.
KANIKO = """\
$ /kaniko/executor --context $CI_PROJECT_DIR --dockerfile Dockerfile --destination $IMAGE
INFO[0001] Building stage 'nginx:1.25-alpine' [idx: '0', base-idx: '-1']
WARN[0002] Error while retrieving image from cache: registry.example.com/web/cache:cb01 MANIFEST_UNKNOWN: manifest unknown
INFO[0002] No cached layer found for cmd RUN apk add --no-cache tini
error building image: error building stage: failed to optimize instructions: failed to get files used from context: failed to get fileinfo for /builds/web/storefront/dist: lstat /builds/web/storefront/dist: no such file or directory
ERROR: Job failed: exit code 1
"""


def test_logrus_info_and_warn_levels_are_not_the_cause() -> None:
    a = analyse(KANIKO)
    assert a.root_cause_line == _line(KANIKO, "error building image")


# Round thirty (Travis jobs of several script commands, older Travis .NET/PHP/Python, GitHub
# Actions containers and services, CircleCI, Jenkins freestyle and Buildkite).

# A Jenkins freestyle job: its build step's verdict, then its post-build publishers.
FREESTYLE = """\
Started by an SCM change
[ledgerline-ci] $ /bin/sh -xe /tmp/jenkins1234.sh
+ docker compose up --abort-on-container-exit --exit-code-from app
app-1  | == Compilation error in file lib/ledgerline/entries/entry.ex ==
app-1  |     error: undefined function normalize_amount/1 (expected Ledgerline.Entries.Entry to define such a function or for it to be imported, but none are available)
app-1  | ** (CompileError) lib/ledgerline/entries/entry.ex: cannot compile module Ledgerline.Entries.Entry (errors have been logged)
app-1 exited with code 1
Build step 'Execute shell' marked build as failure
Recording test results
ERROR: Step ‘Publish JUnit test result report’ failed: No test report files were found. Configuration error?
Finished: FAILURE
"""


def test_a_jenkins_freestyle_jobs_publishers_after_the_failure_are_not_the_cause() -> None:
    read = lines.read(FREESTYLE)
    st = structure.find(read.lines, default_library().scan(read.lines, read.text))
    assert st.fail_line == _line(FREESTYLE, "marked build as failure") - 1
    a = analyse(FREESTYLE)
    assert a.root_cause_line == _line(FREESTYLE, "undefined function normalize_amount")


PHPCS = """\
$ vendor/bin/phpcs --standard=PSR2 src
FILE: /home/travis/build/ferngrove/http-kit/src/Response/ErrorResponse.php
----------------------------------------------------------------------
FOUND 1 ERROR AFFECTING 1 LINE
----------------------------------------------------------------------
 47 | ERROR | [x] Expected 1 space after closing parenthesis; found 0
----------------------------------------------------------------------
PHPCBF CAN FIX THE 1 MARKED SNIFF VIOLATIONS AUTOMATICALLY
----------------------------------------------------------------------
The command "vendor/bin/phpcs --standard=PSR2 src" exited with 2.
"""

COMPOSER = """\
$ composer install --no-interaction
Installing dependencies (including require-dev) from lock file
Your requirements could not be resolved to an installable set of packages.

  Problem 1
    - Installation request for doctrine/instantiator 1.1.0 -> satisfiable by doctrine/instantiator[1.1.0].
    - doctrine/instantiator 1.1.0 requires php ^7.1 -> your PHP version (5.6.31) does not satisfy that requirement.
The command "composer install --no-interaction" failed and exited with 2 during .
"""

BUNDLER = """\
$ bundle install --jobs=3 --retry=3
Fetching sidekiq 6.0.0
Gem::RuntimeRequirementNotMetError: sidekiq requires Ruby version >= 2.5.0. The current ruby version is 2.4.5.335.
An error occurred while installing sidekiq (6.0.0), and Bundler cannot continue.
Make sure that `gem install sidekiq -v '6.0.0' --source 'https://rubygems.org/'` succeeds before bundling.
The command "bundle install --jobs=3 --retry=3" failed and exited with 5 during .
"""


@pytest.mark.parametrize(
    "log, text, category",
    [
        (PHPCS, "47 | ERROR |", "lint"),
        (COMPOSER, "requires php ^7.1", "dependency"),
        (BUNDLER, "Gem::RuntimeRequirementNotMetError", "dependency"),
    ],
)
def test_a_tools_verdict_yields_to_its_first_finding(log: str, text: str, category: str) -> None:
    a = analyse(log)
    assert a.root_cause_line == _line(log, text)
    assert a.category == category


# Travis' install phase closed its fold and let the script run: it succeeded, whatever it warned.
TRAVIS_SETUP = """\
travis_fold:start:install
$ dep ensure -vendor-only -v
Warning: the following project(s) have [[constraint]] stanzas in Gopkg.toml:

  ✗  github.com/pkg/errors

However, these projects are not direct dependencies of the current project.
travis_fold:end:install
$ make fmt-check
==> Checking that code complies with gofmt requirements...
gofmt needs running on the following files:
./internal/ingest/batcher.go
make: *** [fmt-check] Error 1
The command "make fmt-check" exited with 2.
Done. Your build exited with 1.
"""


def test_a_travis_install_phase_that_ended_is_not_the_cause() -> None:
    assert _set_aside(TRAVIS_SETUP, "github.com/pkg/errors")
    a = analyse(TRAVIS_SETUP)
    assert a.root_cause_line in (
        _line(TRAVIS_SETUP, "gofmt needs running"),
        _line(TRAVIS_SETUP, "batcher.go"),
    )
    assert a.category == "lint"


def test_an_assertions_expected_line_is_a_test() -> None:
    log = (
        "$ mono packages/NUnit.Runners/tools/nunit-console.exe build/Lexer.Tests.dll\n"
        "1) Lexer.Tests.NumberTests.ParsesNegativeExponent :\n"
        "  Expected: -1.5E-3\n"
        "  But was:  1.5E-3\n"
        'The command "./build.sh" exited with 1.\n'
    )
    a = analyse(log)
    assert a.category == "test", (a.root_cause, a.category)


# A tool's failure mark on a file alone, its message indented under it (graphql-codegen).
CODEGEN = """\
$ npm run codegen
[13:02:41] Generate src/generated/graphql.tsx [failed]
[13:02:41] → Failed to load schema
  Found 1 error

  ✖ src/generated/graphql.tsx
    Failed to load schema from ./schema/schema.graphql:

        Unable to find any GraphQL type definitions for the following pointers: ./schema/schema.graphql
The command "npm run codegen" exited with 1.
"""


def test_a_failure_mark_on_a_file_yields_to_the_message_under_it() -> None:
    a = analyse(CODEGEN)
    assert a.root_cause_line == _line(CODEGEN, "Failed to load schema from")


# GitHub's verdict on a service container, then the container's own log under it.
SERVICE_LOGS = _gha(
    "##[group]Starting postgres service container",
    '##[command]/usr/bin/docker inspect --format="{{if .Config.Healthcheck}}{{print .State.Health.Status}}{{end}}" 14e23acedbd6',
    "unhealthy",
    "##[endgroup]",
    "##[error]Failed to initialize container postgres:16",
    "##[error]One or more containers failed to start.",
    "Print service container logs: a36d0840164709ab7f3f386d0cd56664_postgres16_7b5aa6",
    "##[command]/usr/bin/docker logs --details 14e23acedbd6b0165debbc6530a2c6a8835c4abd",
    " Error: Database is uninitialized and superuser password is not specified.",
    "        You must specify POSTGRES_PASSWORD to a non-empty value for the",
    '        superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".',
    "Stop and remove container: a36d0840164709ab7f3f386d0cd56664_postgres16_7b5aa6",
)


def test_githubs_service_container_verdict_yields_to_the_services_log() -> None:
    a = analyse(SERVICE_LOGS)
    assert a.root_cause_line == _line(SERVICE_LOGS, "Database is uninitialized")
    assert a.category == "config"
