# ruff: noqa: E501  (log lines as the tools print them: long)
"""Shapes from the thirty-first round of probe logs (GitLab CI jobs across ecosystems; CircleCI,
Buildkite, Drone and Bitbucket jobs; GitHub Actions jobs of less common ecosystems; deployment
and infrastructure jobs): each test fails on the engine as it was before the round (e600bf3)."""

from __future__ import annotations

from ciwhy.analysis import analyse, classify, firsts, lines, locate, refine, tool_reports
from ciwhy.analysis.library_index import default_library


def _line(log: str, text: str) -> int:
    """The 1-based number of the first line that contains `text`."""
    return next(n for n, ln in enumerate(log.split("\n"), 1) if text in ln)


# GitLab showed the service as not started, with its log; the job then failed to reach it, in
# Prisma's words (`Can't reach database server`).
GITLAB_SERVICE = (
    """\
Running with gitlab-runner 17.6.0 (374d34fd)
Starting service postgres:16.4-alpine ...
Waiting for services to be up and running (timeout 30 seconds)...
*** WARNING: Service runner-j2nyww-s-project-41877-concurrent-0-postgres-0 probably didn't start properly.

Health check error:
start service container: Error response from daemon: Cannot link to a non running container

Service container logs:
2024-11-25T10:25:14.702118640Z Error: Database is uninitialized and superuser password is not specified.
2024-11-25T10:25:14.702162371Z        You must specify POSTGRES_PASSWORD to a non-empty value for the

*********

section_start:1732530302:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting "step_script" stage of the job script\x1b[0;m
$ npm ci
"""
    + "".join(f"added package-{i}@1.0.{i}\n" for i in range(120))
    + """\
$ npx prisma migrate deploy
Prisma schema loaded from prisma/schema.prisma
Datasource "db": PostgreSQL database "orders_test", schema "public" at "postgres:5432"

Error: P1001: Can't reach database server at `postgres:5432`

Please make sure your database server is running at `postgres:5432`.
ERROR: Job failed: exit code 1
"""
)


def test_a_server_the_client_cannot_reach_yields_to_the_service_log_gitlab_showed() -> None:
    result = analyse(GITLAB_SERVICE)
    assert result.root_cause_line == _line(GITLAB_SERVICE, "Database is uninitialized")
    assert result.category == "config"


# vcpkg downloads through curl and names curl's exit code and its reason.
VCPKG = """\
$ cmake -S . -B build -G Ninja -DCMAKE_TOOLCHAIN_FILE=vcpkg/scripts/buildsystems/vcpkg.cmake
Building libpq[core,lz4,openssl,zlib]:x64-linux@16.4...
-- Downloading https://ftp.postgresql.org/pub/source/v16.4/postgresql-16.4.tar.bz2 -> postgresql-16.4.tar.bz2...
error: https://ftp.postgresql.org/pub/source/v16.4/postgresql-16.4.tar.bz2: curl failed to download with exit code 28 (Timeout was reached)
error: building libpq:x64-linux failed with: BUILD_FAILED
ERROR: Job failed: exit code 1
"""


def test_a_download_that_curl_failed_is_a_network_failure_with_its_code() -> None:
    result = analyse(VCPKG)
    assert result.root_cause_line == _line(VCPKG, "curl failed to download")
    assert result.signature == "net.download.curl_exit"
    assert result.category == "network"


def test_registry_refusing_a_known_login_is_a_permission_and_a_missing_setting_config() -> None:
    assert refine.refine("credentials", "denied: access forbidden", "docker push") == (
        "permission",
        "code",
        "medium",
    )
    assert classify.classify("Error: superuser password is not specified.")[0] == "config"
    # (a name a program does not know is not a missing setting)
    assert classify.classify("ReferenceError: foo is not defined")[0] != "config"


def test_quota_is_infrastructure_and_a_missing_system_package_a_dependency() -> None:
    assert refine.refine(
        "config", "Error 403: Quota 'C2_CPUS' exceeded.  Limit: 48.0 in region us-central1.", ""
    ) == ("infrastructure", "platform", "high")
    words = 'Resource handler returned message: "The maximum number of addresses has been reached."'
    assert classify.classify(words)[0] == "infrastructure"
    assert refine.refine("config", "No package matching 'libssl1.1' is available", "") == (
        "dependency",
        "code",
        "medium",
    )


# `aws cloudformation deploy` names no resource; a step run on failure lists the stack's events
# (newest first), and the earliest failure with its reason is the cause.
CFN = """\
2024-04-02T13:47:29.9761764Z ##[group]Run aws cloudformation deploy \\
2024-04-02T13:47:29.9893431Z aws cloudformation deploy --stack-name edge-network-prod --template-file templates/network.yaml
2024-04-02T13:47:30.0699095Z ##[endgroup]
2024-04-02T13:47:32.5331624Z Waiting for changeset to be created..
2024-04-02T13:47:46.8060407Z Waiting for stack create/update to complete
2024-04-02T13:48:47.0956876Z Failed to create/update the stack. Run the following command
2024-04-02T13:48:47.0971926Z to fetch the list of events leading up to the failure
2024-04-02T13:48:47.0998817Z aws cloudformation describe-stack-events --stack-name edge-network-prod
2024-04-02T13:48:47.1253426Z ##[error]Process completed with exit code 255.
2024-04-02T13:48:47.1518565Z ##[group]Run aws cloudformation describe-stack-events --stack-name edge-network-prod --output text
2024-04-02T13:48:47.2328853Z ##[endgroup]
2024-04-02T13:48:47.6633845Z 2024-04-02T13:48:37.517000+00:00\tedge-network-prod\tAWS::CloudFormation::Stack\tUPDATE_ROLLBACK_COMPLETE\tNone
2024-04-02T13:48:47.6731763Z 2024-04-02T13:47:58.578000+00:00\tPrivateSubnetC\tAWS::EC2::Subnet\tCREATE_FAILED\tResource creation cancelled
2024-04-02T13:48:47.6735171Z 2024-04-02T13:47:58.416000+00:00\tRouteC\tAWS::EC2::Route\tCREATE_FAILED\tResource handler returned message: "Route table rtb-0a1 was deleted (Service: Ec2, Status Code: 400)"
2024-04-02T13:48:47.6741649Z 2024-04-02T13:47:57.719000+00:00\tNatEipC\tAWS::EC2::EIP\tCREATE_FAILED\tResource handler returned message: "The maximum number of addresses has been reached. (Service: Ec2, Status Code: 400)"
2024-04-02T13:48:47.6744199Z 2024-04-02T13:47:56.964000+00:00\tPrivateSubnetC\tAWS::EC2::Subnet\tCREATE_IN_PROGRESS\tResource creation Initiated
2024-04-02T13:48:47.6789674Z 2024-04-02T13:47:47.017000+00:00\tedge-network-prod\tAWS::CloudFormation::Stack\tUPDATE_IN_PROGRESS\tUser Initiated
2024-04-02T13:48:48.1000000Z ##[group]Run actions/upload-artifact@v4
"""


def test_a_stack_that_failed_yields_to_its_earliest_failed_event_listed_after_it() -> None:
    result = analyse(CFN)
    assert result.root_cause_line == _line(CFN, "The maximum number of addresses")
    assert result.signature == "cloudformation.resource.failed"
    assert result.category == "infrastructure"


# Playwright's attachment (`Usage:` then `npx playwright show-trace ...`) is not a program's
# usage text: it ends at the report's rule, before the next test's report.
PLAYWRIGHT = """\
+++ :docker: Running npx playwright test --shard=3/4 in service playwright
  ✘  26 [chromium] › settings/team.spec.ts:31:7 › Team settings › removes a member (1.9s)
  ✓  28 [chromium] › settings/team.spec.ts:55:7 › Team settings › invites a member by email (1.6s)


  1) [chromium] › billing/invoices.spec.ts:44:7 › Invoices › downloads invoice PDF ───────────────

    Test timeout of 30000ms exceeded.

    attachment #1: trace (application/zip) ────────────────────────────────
    test-results/billing-invoices-chromium/trace.zip
    Usage:

        npx playwright show-trace test-results/billing-invoices-chromium/trace.zip

    ─────────────────────────────────────────────

  2) [chromium] › settings/team.spec.ts:31:7 › Team settings › removes a member ───────────────

    Error: locator.click: Error: strict mode violation: getByRole('button', { name: 'Remove' }) resolved to 2 elements:

      41 |     await expect(page.getByText('jordan@acme.test')).toBeVisible();
    > 42 |     await page.getByRole('button', { name: 'Remove' }).click();

    attachment #1: trace (application/zip) ────────────────────────────────
    test-results/settings-team-chromium/trace.zip
    Usage:

        npx playwright show-trace test-results/settings-team-chromium/trace.zip

    ─────────────────────────────────────────────

  1 failed
    [chromium] › settings/team.spec.ts:31:7 › Team settings › removes a member ──────────────────
  1 flaky
    [chromium] › billing/invoices.spec.ts:44:7 › Invoices › downloads invoice PDF ─────────────────
  38 passed (1.7m)
🚨 Error: The command exited with status 1
"""


def test_a_playwright_attachment_usage_line_sets_aside_no_more_than_its_block() -> None:
    result = analyse(PLAYWRIGHT)
    assert result.root_cause_line in (
        _line(PLAYWRIGHT, "  2) [chromium]"),
        _line(PLAYWRIGHT, "strict mode violation"),
    )
    assert result.category == "test"


# Cypress' `Timed out retrying after 10000ms` with a `toast--success` class in the element it
# quotes is a failed assertion, not work retried until it succeeded.
CYPRESS = """\
#!/bin/bash -eo pipefail
npx cypress run --spec "$SPECS" --record false
  Running:  checkout/saved-card.cy.ts                                                       (1 of 4)

  Checkout with saved card
    1) charges the saved card and shows confirmation
    ✓ keeps the card selected after reload (1211ms)

  1 passing (52s)
  1 failing

  1) Checkout with saved card
       charges the saved card and shows confirmation:
     AssertionError: Timed out retrying after 10000ms: Expected to find content: 'Payment confirmed' within the element: <div.toast.toast--success> but never did.
      at Context.eval (webpack://storefront/./cypress/e2e/checkout/saved-card.cy.ts:64:10)

  (Run Finished)

       Spec                                              Tests  Passing  Failing  Pending  Skipped
  ┌──────────────────────────────────────────────────────────────────────────────────────────────┐
  │ ✖  checkout/saved-card.cy.ts                00:52        2        1        1        -        - │
  └──────────────────────────────────────────────────────────────────────────────────────────────┘
    ✖  1 of 4 failed (25%)                      01:45       26       24        1        1        -

Exited with code exit status 1
"""


def test_an_assertion_that_timed_out_retrying_is_no_retry_that_succeeded() -> None:
    result = analyse(CYPRESS)
    assert result.root_cause_line in (
        _line(CYPRESS, "  1) Checkout with saved card"),
        _line(CYPRESS, "AssertionError: Timed out retrying"),
    )


# `aws ecr get-login-password | docker login --password-stdin`: the AWS CLI's error, then docker's
# complaint that it was given no password.
ECR = """\
#!/usr/bin/env bash
# aws-ecr/ecr_login
aws ecr get-login-password --region "${AWS_ECR_STR_REGION}" | docker login --username AWS --password-stdin "${AWS_ECR_STR_REGISTRY_URL}"

An error occurred (UnrecognizedClientException) when calling the GetAuthorizationToken operation: The security token included in the request is invalid.
Error: Cannot perform an interactive login from a non TTY device

Exited with code exit status 1
"""


def test_docker_login_given_no_password_yields_to_the_command_that_should_give_it() -> None:
    result = analyse(ECR)
    assert result.root_cause_line == _line(ECR, "UnrecognizedClientException")
    assert result.category == "credentials"


PIP_MIRROR = """\
+ pip install -r requirements.txt
Collecting pydantic-core==2.14.6 (from pydantic==2.5.3->-r requirements.txt (line 8))
WARNING: Retrying (Retry(total=1, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3b2c1da990>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/pydantic-core/
WARNING: Retrying (Retry(total=0, connect=None, read=None, redirect=None, status=None)) after connection broken by 'NewConnectionError('<pip._vendor.urllib3.connection.HTTPSConnection object at 0x7f3b2c1dad50>: Failed to establish a new connection: [Errno 111] Connection refused')': /simple/pydantic-core/
ERROR: Could not find a version that satisfies the requirement pydantic-core==2.14.6 (from pydantic) (from versions: none)
ERROR: No matching distribution found for pydantic-core==2.14.6
"""


def test_no_version_found_after_the_index_could_not_be_reached_is_a_network_failure() -> None:
    result = analyse(PIP_MIRROR)
    assert result.category == "network"
    # (the same words with an index that answered are the requirement's fault)
    answered = "\n".join(ln for ln in PIP_MIRROR.split("\n") if "Retrying" not in ln)
    assert analyse(answered).category == "dependency"


OPAM = """\
2024-06-12T03:27:10.0000000Z ##[group]Run opam install . --deps-only --with-test --yes
2024-06-12T03:27:10.0000000Z ##[endgroup]
2024-06-12T03:28:40.4000000Z ⬇ retrieved sedlex.3.2  (https://opam.ocaml.org/cache)
2024-06-12T03:28:40.4785080Z \x1b[31m[ERROR]\x1b[0m Failed to get sources of zarith.1.13: curl error code 504
2024-06-12T03:28:40.5000000Z
2024-06-12T03:28:40.5100000Z #=== ERROR while fetching sources for zarith.1.13 =============================#
2024-06-12T03:28:40.5200000Z OpamSolution.Fetch_fail("https://github.com/ocaml/Zarith/archive/release-1.13.tar.gz (curl: code 504 while downloading https://github.com/ocaml/Zarith/archive/release-1.13.tar.gz)")
2024-06-12T03:29:59.0000000Z <><> Error report <><><><><><><><><><><><><><><><><><><><><><><><><><><><><><><>
2024-06-12T03:29:59.0100000Z ┌─ The following actions failed
2024-06-12T03:29:59.0200000Z │ λ fetch zarith 1.13
2024-06-12T03:29:59.0300000Z └─
2024-06-12T03:29:59.1000000Z Or you can retry to install your package selection with:
2024-06-12T03:29:59.1931394Z     /opt/hostedtoolcache/opam/2.1.6/x86_64/opam install --restore
2024-06-12T03:29:59.2000000Z ##[error]Process completed with exit code 40.
"""


def test_opam_that_could_not_fetch_a_package_names_it_and_the_server_s_answer() -> None:
    result = analyse(OPAM)
    assert result.root_cause_line == _line(OPAM, "Failed to get sources of zarith")
    assert result.signature == "ocaml.opam.fetch_failed"
    assert result.category == "network"


DIALYZER = """\
2024-05-28T08:46:04.0000000Z ##[group]Run rebar3 dialyzer
2024-05-28T08:46:04.0100000Z ##[endgroup]
2024-05-28T08:46:04.1000000Z ===> Analyzing 31 files with _build/default/rebar3_26.2.5_plt...
2024-05-28T08:46:04.1100000Z
2024-05-28T08:46:04.1110000Z apps/ledger/src/ledger_api.erl
2024-05-28T08:46:04.1120000Z Line 57 Column 1: Function commit/2 has no local return
2024-05-28T08:46:04.1130000Z
2024-05-28T08:46:04.1140000Z apps/ledger/src/ledger_srv.erl
2024-05-28T08:46:04.1150000Z Line 118 Column 1: Function handle_call/3 has no local return
2024-05-28T08:46:04.1155184Z Line 141 Column 9: The call ledger_store:put(Key::binary(),Entry::map(),'infinity') will never return since it differs in the 3rd argument from the success typing arguments: (binary(),map(),non_neg_integer())
2024-05-28T08:46:04.1160000Z
2024-05-28T08:46:04.1170000Z apps/ledger_http/src/ledger_http_handler.erl
2024-05-28T08:46:04.1219620Z Line 44 Column 1: Function init/2 has no local return
2024-05-28T08:46:04.1300000Z ===> Warnings occurred running dialyzer: 4
2024-05-28T08:46:04.1400000Z ##[error]Process completed with exit code 1.
"""


def test_dialyzer_s_discrepancy_over_the_functions_it_leaves_with_no_local_return() -> None:
    result = analyse(DIALYZER)
    assert result.root_cause_line == _line(DIALYZER, "The call ledger_store:put")
    assert result.category == "lint"


LUAROCKS = """\
2024-03-05T17:40:40.0000000Z ##[group]Run make ci
2024-03-05T17:40:40.0100000Z ##[endgroup]
2024-03-05T17:40:44.0000000Z for r in busted:2.2.0-1 luacheck:1.1.2-1; do \\
2024-03-05T17:40:44.0100000Z \tluarocks --lua-version=5.4 install $(echo $r | tr ':' ' ') 2>&1 | tee -a .ci/deps.log; \\
2024-03-05T17:40:44.0200000Z done
2024-03-05T17:40:44.9000000Z Warning: falling back to wget - install luasec 1.1 or higher to get native HTTPS support
2024-03-05T17:40:44.9570799Z Error: Your user does not have write permissions in /usr/local/lib/luarocks/rocks-5.4
2024-03-05T17:40:44.9600000Z -- you may want to run as a privileged user or use your local tree with --local.
2024-03-05T17:40:45.9000000Z Warning: falling back to wget - install luasec 1.1 or higher to get native HTTPS support
2024-03-05T17:40:45.9570799Z Error: Your user does not have write permissions in /usr/local/lib/luarocks/rocks-5.4
2024-03-05T17:40:45.9600000Z -- you may want to run as a privileged user or use your local tree with --local.
2024-03-05T17:40:46.0000000Z eval "$(luarocks --lua-version=5.4 path --bin)" && luacheck --formatter TAP --codes src/ spec/
2024-03-05T17:40:46.2662103Z /bin/sh: 1: luacheck: not found
2024-03-05T17:40:46.2700000Z make: *** [Makefile:21: lint] Error 127
2024-03-05T17:40:46.2800000Z ##[error]Process completed with exit code 2.
"""


def test_a_tree_the_user_may_not_write_is_a_permission_failure_before_the_missing_command() -> None:
    result = analyse(LUAROCKS)
    assert result.root_cause_line == _line(LUAROCKS, "Your user does not have write permissions")
    assert result.category == "permission"


def _pytest_setup_error(test: str, frames: int) -> list[str]:
    return [
        f"_______________ ERROR at setup of {test} _______________",
        *[
            f"/usr/local/lib/python3.12/site-packages/django/db/backends/base/base.py:{k}: in ensure_connection"
            for k in range(frames)
        ],
        'E   psycopg.OperationalError: connection failed: connection to server at "postgres" (172.17.0.3), port 5432 failed: FATAL:  password authentication failed for user "shop"',
        "",
        "The above exception was the direct cause of the following exception:",
        *[
            f"/usr/local/lib/python3.12/site-packages/django/db/utils.py:{k}: in inner"
            for k in range(frames)
        ],
        'E   django.db.utils.OperationalError: connection failed: connection to server at "postgres" (172.17.0.3), port 5432 failed: FATAL:  password authentication failed for user "shop"',
    ]


# pytest's short summary wraps the first failure's message, its traceback far above.
PYTEST_SUMMARY = "\n".join(
    [
        "$ pytest --tb=short --maxfail=3",
        "============================= test session starts ==============================",
        "==================================== ERRORS ====================================",
        *_pytest_setup_error("test_order_total", 110),
        *_pytest_setup_error("test_order_refund", 110),
        "=========================== short test summary info ============================",
        'ERROR apps/orders/tests/test_models.py::test_order_total - django.db.utils.OperationalError: connection failed: connection to server at "postgres" (172.17.0.3), port 5432 failed: FATAL:  password authentication failed for user "shop"',
        'ERROR apps/orders/tests/test_models.py::test_order_refund - django.db.utils.OperationalError: connection failed: connection to server at "postgres" (172.17.0.3), port 5432 failed: FATAL:  password authentication failed for user "shop"',
        "!!!!!!!!!!!!!!!!!!!!!!!!!! stopping after 2 failures !!!!!!!!!!!!!!!!!!!!!!!!!!!",
        "========================= 2 errors in 3.21s =========================",
        "ERROR: Job failed: exit code 1",
        "",
    ]
)


def test_pytest_s_summary_yields_to_the_first_report_it_wraps_far_above() -> None:
    # (chosen by its score, the summary's line yields to the first `E` line it repeats)
    log = PYTEST_SUMMARY.split("\n")
    first, summary = (_line(PYTEST_SUMMARY, t) - 1 for t in ("E   django", "ERROR apps/"))
    moved = tool_reports.past_repeat(log, [], locate.candidate(summary, 3.0, {}, None))
    assert moved is not None and moved.index == first
    result = analyse(PYTEST_SUMMARY)
    first = _line(PYTEST_SUMMARY, "E   django.db.utils.OperationalError")
    assert result.root_cause_line in (first, _line(PYTEST_SUMMARY, "E   psycopg.OperationalError"))
    assert result.category == "credentials"


PYTEST_TRAILER = """\
$ pytest -ra
=================================== FAILURES ===================================
_____________________________ test_roundtrip_text ______________________________

    @given(st.text())
>   def test_roundtrip_text(s):

tests/test_codec.py:41:
_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _

    def encode(text: str, errors: str = "strict") -> bytes:
>       raw = text.encode("utf-8", errors)
E       UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in position 0: surrogates not allowed
E       Falsifying example: test_roundtrip_text(
E           s='\\ud800',
E       )

src/unicodec/codec.py:61: UnicodeEncodeError
=========================== short test summary info ============================
FAILED tests/test_codec.py::test_roundtrip_text - UnicodeEncodeError: 'utf-8' codec can't encode character '\\ud800' in p...
========================= 1 failed, 80 passed in 9.02s =========================
ERROR: Job failed: exit code 1
"""


def test_pytest_s_location_trailer_yields_to_the_exception_it_names_above() -> None:
    result = analyse(PYTEST_TRAILER)
    assert result.root_cause_line == _line(PYTEST_TRAILER, "E       UnicodeEncodeError")


# The Angular CLI refuses the matrix' Node.js; stylelint's `⚠` rows before it are warnings.
ANGULAR = """\
2024-04-02T16:42:14.0000000Z ##[group]Run npm run lint:styles
2024-04-02T16:42:14.1000000Z ##[endgroup]
2024-04-02T16:42:14.5000000Z src/app/appointment-card.component.scss
2024-04-02T16:42:14.6000000Z  14:3  ⚠  Expected "word-wrap" to be "overflow-wrap"  property-no-vendor-prefix
2024-04-02T16:42:14.6064553Z  31:5  ⚠  Unexpected duplicate selector ".card__title", first used at line 9  no-duplicate-selectors
2024-04-02T16:42:14.7000000Z
2024-04-02T16:42:14.8000000Z 2 problems (0 errors, 2 warnings)
2024-04-02T16:42:15.0000000Z ##[group]Run npx ng build --configuration production --progress=false
2024-04-02T16:42:15.1000000Z npx ng build --configuration production --progress=false
2024-04-02T16:42:15.2000000Z ##[endgroup]
2024-04-02T16:42:15.9465902Z Node.js version v16.20.2 detected.
2024-04-02T16:42:15.9500000Z The Angular CLI requires a minimum Node.js version of v18.13.
2024-04-02T16:42:15.9600000Z
2024-04-02T16:42:15.9700000Z Please update your Node.js version or visit https://nodejs.org/ for additional instructions.
2024-04-02T16:42:16.0000000Z ##[error]Process completed with exit code 3.
"""


def test_a_tool_that_refuses_the_node_version_is_config_and_stylelint_s_warnings_are_none() -> None:
    result = analyse(ANGULAR)
    assert result.root_cause_line == _line(ANGULAR, "requires a minimum Node.js version")
    assert result.signature == "js.node.version_unsupported"
    assert result.category == "config"


JEST_SNAPSHOT = """\
$ npm test -- --ci
 FAIL  src/components/Button/Button.test.tsx
  ● Button › renders the primary variant

    expect(received).toMatchSnapshot()

    Snapshot name: `Button renders the primary variant 1`

    - Snapshot  - 1
    + Received  + 1

    @@ -1,8 +1,8 @@
      <button
    -   class="btn btn--primary"
    +   class="btn btn--primary btn--rounded"

Tests:       1 failed, 41 passed, 42 total
Snapshots:   1 failed, 12 passed, 13 total
##[error]Process completed with exit code 1.
"""


def test_a_snapshot_s_name_is_no_message_under_jest_s_test_header() -> None:
    assert analyse(JEST_SNAPSHOT).root_cause_line == _line(JEST_SNAPSHOT, "● Button › renders")


def _vitest(title: str, got: int, want: int) -> str:
    return (
        f" FAIL  src/cart/discounts.test.ts > applyDiscount > {title}\n"
        f"AssertionError: expected {got} to be {want} // Object.is equality\n\n"
        " ❯ src/cart/discounts.test.ts:41:22\n\n"
        "⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/2]⎯\n\n"
    )


# vitest's `Failed Tests` section opens with the first failure; a later one's title says `at`.
VITEST = (
    "$ npm run test --workspaces\n"
    + "".join(f" ✓ src/lib/part{i}.test.ts  (9 tests) 4ms\n" for i in range(90))
    + "\n⎯⎯⎯⎯⎯⎯⎯ Failed Tests 2 ⎯⎯⎯⎯⎯⎯⎯\n\n"
    + _vitest("stacks percentage and fixed discounts in order", 4250, 4500)
    + _vitest("caps the discount at the cart subtotal", -120, 0)
    + " Test Files  1 failed | 12 passed (13)\n      Tests  2 failed | 180 passed (182)\n"
    + "ERROR: Job failed: exit code 1\n"
)


def test_vitest_s_failed_tests_section_opens_with_the_first_failure() -> None:
    read = lines.read(VITEST)
    hits = default_library().scan(read.lines, read.text)
    assert "failure_header" in hits.features[_line(VITEST, "Failed Tests 2") - 1]
    result = analyse(VITEST)
    assert result.root_cause_line in (
        _line(VITEST, "stacks percentage"),
        _line(VITEST, "expected 4250 to be 4500"),
    )


def test_netlify_s_twelve_hour_clock_is_a_timestamp() -> None:
    log = "2:08:19 PM: build-image version: 4b1f\n2:09:40 PM: Error: Missing required environment variable: PRICING_API_TOKEN\n12:09:41 AM:     at requireEnv (/opt/build/repo/.next/server/chunks/4127.js:1:611)\n"
    read = lines.read(log.encode())
    assert read.lines[1] == "Error: Missing required environment variable: PRICING_API_TOKEN"
    assert read.lines[2] == "    at requireEnv (/opt/build/repo/.next/server/chunks/4127.js:1:611)"
    assert list(lines.read(log).lines) == list(read.lines)


# Gradle with --stacktrace: the exception's `Execution failed for task` wraps the report's first
# line, which yields to the report's deepest `>` line.
GRADLE_MANIFEST = """\
2024-05-20T06:50:05.0000000Z ##[section]Starting: Gradle bundleProdRelease
2024-05-20T06:50:07.0000000Z > Task :app:processProdReleaseMainManifest FAILED
2024-05-20T06:50:07.2778540Z /home/vsts/work/1/s/app/src/main/AndroidManifest.xml:14:9-36 Error:
2024-05-20T06:50:07.2800000Z \tAttribute application@allowBackup value=(false) from AndroidManifest.xml:14:9-36
2024-05-20T06:50:07.2900000Z \tis also present at [com.zendesk:messaging-android:2.19.0] AndroidManifest.xml:11:9-35 value=(true).
2024-05-20T06:50:07.3000000Z
2024-05-20T06:50:07.3500000Z FAILURE: Build failed with an exception.
2024-05-20T06:50:07.3600000Z
2024-05-20T06:50:07.3700000Z * What went wrong:
2024-05-20T06:50:07.4027739Z Execution failed for task ':app:processProdReleaseMainManifest'.
2024-05-20T06:50:07.4100000Z > Manifest merger failed : Attribute application@allowBackup value=(false) from AndroidManifest.xml:14:9-36
2024-05-20T06:50:07.4200000Z
2024-05-20T06:50:07.4300000Z * Try:
2024-05-20T06:50:07.4400000Z > Run with --info or --debug option to get more log output.
2024-05-20T06:50:07.4500000Z
2024-05-20T06:50:07.4600000Z * Exception is:
2024-05-20T06:50:07.4700000Z org.gradle.api.tasks.TaskExecutionException: Execution failed for task ':app:processProdReleaseMainManifest'.
2024-05-20T06:50:07.4800000Z \tat org.gradle.api.internal.tasks.execution.ExecuteActionsTaskExecuter.lambda$executeIfValid$1(ExecuteActionsTaskExecuter.java:130)
2024-05-20T06:50:07.4900000Z Caused by: java.lang.RuntimeException: Manifest merger failed : Attribute application@allowBackup value=(false) from AndroidManifest.xml:14:9-36
2024-05-20T06:50:07.5000000Z \tat com.android.build.gradle.internal.tasks.manifest.ManifestHelperKt.mergeManifests(ManifestHelper.kt:65)
2024-05-20T06:50:07.6000000Z
2024-05-20T06:50:07.7000000Z BUILD FAILED in 1m 54s
2024-05-20T06:50:08.0000000Z ##[error]Error: The process '/home/vsts/work/1/s/gradlew' failed with exit code 1
"""


def test_gradle_s_report_first_line_yields_to_its_deepest_detail_and_manifest_merger_is_config() -> (
    None
):
    text = [ln.split("Z ", 1)[-1] for ln in GRADLE_MANIFEST.split("\n")]
    first = _line(GRADLE_MANIFEST, "Z Execution failed for task") - 1
    moved = tool_reports.past_task(text, [], locate.candidate(first, 1.0, {}, None))
    assert moved is not None and moved.index == first + 1
    result = analyse(GRADLE_MANIFEST)
    assert result.root_cause_line in (
        _line(GRADLE_MANIFEST, "> Manifest merger failed"),
        _line(GRADLE_MANIFEST, "AndroidManifest.xml:14:9-36 Error:"),
    )
    assert result.category == "config"


JACOCO = """\
2024-05-15T07:05:00.0000000Z ##[section]Starting: Maven verify
2024-05-15T07:05:06.1000000Z [INFO] --- jacoco:0.8.12:check (jacoco-check) @ billing-invoicing ---
2024-05-15T07:05:06.1500000Z [INFO] Loading execution data file /home/vsts/work/1/s/billing-invoicing/target/jacoco.exec
2024-05-15T07:05:06.2000000Z [INFO] Analyzed bundle 'billing-invoicing' with 58 classes
2024-05-15T07:05:06.2340404Z [WARNING] Rule violated for bundle billing-invoicing: lines covered ratio is 0.76, but expected minimum is 0.80
2024-05-15T07:05:06.3000000Z [INFO] ------------------------------------------------------------------------
2024-05-15T07:05:06.3100000Z [INFO] BUILD FAILURE
2024-05-15T07:05:06.3200000Z [INFO] ------------------------------------------------------------------------
2024-05-15T07:05:06.4446813Z [ERROR] Failed to execute goal org.jacoco:jacoco-maven-plugin:0.8.12:check (jacoco-check) on project billing-invoicing: Coverage checks have not been met. See log for details. -> [Help 1]
2024-05-15T07:05:06.4500000Z [ERROR]
2024-05-15T07:05:06.4600000Z [ERROR] For more information about the errors and possible solutions, please read the following articles:
2024-05-15T07:05:06.4700000Z [ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoExecutionException
2024-05-15T07:05:08.4326121Z ##[error]Build failed.
"""


def test_jacoco_s_failed_check_yields_to_the_rule_it_printed_as_a_warning() -> None:
    result = analyse(JACOCO)
    assert result.root_cause_line == _line(JACOCO, "Rule violated for bundle")
    assert result.category == "test"


def test_a_crashed_test_host_is_a_test_and_a_profile_without_the_certificate_credentials() -> None:
    crash = "The active test run was aborted. Reason: Test host process crashed : Stack overflow."
    assert classify.classify(crash)[0] == "test"
    profile = 'error: Provisioning profile "match AppStore com.acme.shop" doesn\'t include signing certificate "Apple Distribution: Acme (8XK2L9QZ3M)".'
    assert classify.classify(profile)[0] == "credentials"


# Buildkite's agent failed its own checkout (`git clean` could not remove root-owned files): its
# `🚨 Error:` ends the job's work; the plugins' and hooks' cleanup after it is not the cause.
BUILDKITE_CHECKOUT = """\
~~~ Preparing working directory
$ git clean -ffxdq
warning: failed to remove build/CMakeCache.txt: Permission denied
warning: failed to remove build/build.ninja: Permission denied
⚠️ Warning: Checkout failed! cleaning repository: exit status 1 (Attempt 1/3 Retrying in 2s)
$ git clean -ffxdq
warning: failed to remove build/CMakeCache.txt: Permission denied
warning: failed to remove build/build.ninja: Permission denied
🚨 Error: cleaning repository: exit status 1
~~~ Running plugin docker-compose pre-exit hook
$ docker compose -f docker-compose.ci.yml -p buildkite018fab3c kill
No stopped containers
~~~ Running global pre-exit hook
$ /etc/buildkite-agent/hooks/pre-exit
Disk usage on /var/lib/buildkite-agent/builds:
Filesystem      Size  Used Avail Use% Mounted on
/dev/nvme1n1    493G  212G  281G  43% /var/lib/buildkite-agent/builds
Removing secrets directory /tmp/bk-secrets.Z2k9fA
"""


def test_buildkite_s_agent_error_is_the_failure_marker() -> None:
    result = analyse(BUILDKITE_CHECKOUT)
    assert result.root_cause_line < _line(BUILDKITE_CHECKOUT, "🚨 Error: cleaning repository") + 1


NEXTEST = """\
+++ :rust: cargo nextest run
    Starting 46 tests across 9 binaries (3 skipped)
        PASS [   0.251s] raftkv-storage wal::tests::rotate_segment_at_limit
        SLOW [>120.000s] raftkv::integration snapshot::install_during_leader_change
     TIMEOUT [ 180.004s] raftkv::integration snapshot::install_during_leader_change
--- STDOUT:              raftkv::integration snapshot::install_during_leader_change ---
running 1 test
        PASS [   0.141s] raftkv election::tests::prevote_does_not_bump_term
------------
     Summary [ 189.612s] 46 tests run: 45 passed (1 flaky), 1 timed out, 3 skipped
   FLAKY 2/3 [   0.377s] raftkv net::tests::reconnect_backoff
     TIMEOUT [ 180.004s] raftkv::integration snapshot::install_during_leader_change
error: test run failed
🚨 Error: The command exited with status 100
"""


def test_nextest_s_status_line_of_a_test_that_did_not_pass() -> None:
    result = analyse(NEXTEST)
    assert result.signature == "rust.nextest.test_failed"
    assert "install_during_leader_change" in result.root_cause


JENKINS_SUPERSEDED = """\
[Pipeline] { (Test)
+ ./gradlew --no-daemon --console=plain test jacocoTestReport
> Task :auth:test
com.acme.auth.JwtVerifierTest > rejects expired token() PASSED
Superseded by #58
Sending interrupt signal to process
/var/lib/jenkins/workspace/mobile-backend_PR-1187@tmp/durable-8a1f2c3d/script.sh.copy: line 1:  41235 Terminated              ./gradlew --no-daemon --console=plain test jacocoTestReport
script returned exit code 143
[Pipeline] }
Stage "Package" skipped due to earlier failure(s)
[Pipeline] End of Pipeline
Finished: ABORTED
"""


def test_a_jenkins_build_superseded_by_a_newer_one_was_cancelled() -> None:
    result = analyse(JENKINS_SUPERSEDED)
    assert result.root_cause_line == _line(JENKINS_SUPERSEDED, "Superseded by #58")
    assert result.category == "cancelled"
    assert classify.classify("##[error]Username and password required")[0] == "credentials"


# pg's extconf (its quote unclosed), then Bundler's backtrace of its installer, then its verdict.
BUNDLER_PG = (
    "$ bundle install --jobs 4 --retry 3\n"
    "Installing pg 1.5.6 with native extensions\n"
    "Gem::Ext::BuildError: ERROR: Failed to build gem native extension.\n\n"
    "    current directory: /builds/acme/billing-api/vendor/bundle/ruby/3.3.0/gems/pg-1.5.6/ext\n"
    "/usr/local/bin/ruby extconf.rb\n"
    "checking for pg_config... no\n"
    "checking for libpq-fe.h... no\n"
    "Can't find the 'libpq-fe.h header\n"
    "*****************************************************************************\n\n"
    "Unable to find PostgreSQL client library.\n\n"
    + "".join(
        f"  /usr/local/bundle/gems/bundler-2.5.6/lib/bundler/worker.rb:{k}:in `process_queue'\n"
        for k in range(70)
    )
    + "\nAn error occurred while installing pg (1.5.6), and Bundler cannot continue.\n\n"
    "In Gemfile:\n  pg\n"
    "ERROR: Job failed: exit code 5\n"
)


def test_bundler_s_verdict_yields_to_extconf_s_words_past_its_backtrace() -> None:
    result = analyse(BUNDLER_PG)
    assert result.root_cause_line == _line(BUNDLER_PG, "Can't find the 'libpq-fe.h header")


COMPOSER = """\
$ composer update --prefer-lowest --prefer-stable --no-interaction
Loading composer repositories with package information
Updating dependencies
Your requirements could not be resolved to an installable set of packages.

  Problem 1
    - Root composer.json requires orchestra/testbench ^7.33 -> satisfiable by orchestra/testbench[v7.33.0, ..., v7.41.1].
    - orchestra/testbench[v7.33.0, ..., v7.41.1] require laravel/framework ^9.52.9 -> satisfiable by laravel/framework[v9.52.9, ..., v9.52.16].
    - Only one of these can be installed: illuminate/contracts[v5.0.0, ..., v10.48.4], laravel/framework[v9.52.9, ..., v9.52.16]. laravel/framework replaces illuminate/contracts and thus cannot coexist with it.

ERROR: Job failed: exit code 2
"""


def test_composer_s_problem_is_the_link_refused_not_the_links_satisfied() -> None:
    result = analyse(COMPOSER)
    assert result.root_cause_line == _line(COMPOSER, "Only one of these can be installed")
    assert result.category == "dependency"


# Laravel's exception page in a terminal (Collision): the code around the throw is quoted code.
LARAVEL = """\
2024-03-18T08:41:40.0000000Z ##[group]Run php artisan migrate --force --seed
2024-03-18T08:41:40.1000000Z ##[endgroup]
2024-03-18T08:41:44.8600000Z
2024-03-18T08:41:44.8650000Z    Illuminate\\Database\\QueryException
2024-03-18T08:41:44.8680000Z
2024-03-18T08:41:44.8700160Z   SQLSTATE[HY000] [1045] Access denied for user 'root'@'172.18.0.1' (using password: YES) (Connection: mysql, SQL: select * from information_schema.tables)
2024-03-18T08:41:44.8710000Z
2024-03-18T08:41:44.8720000Z   at vendor/laravel/framework/src/Illuminate/Database/Connection.php:829
2024-03-18T08:41:44.8730000Z     825▕                     $this->getName(), $query, $this->prepareBindings($bindings), $e
2024-03-18T08:41:44.8740000Z     826▕                 );
2024-03-18T08:41:44.8750000Z     827▕             }
2024-03-18T08:41:44.8789290Z   ➜ 829▕             throw new QueryException(
2024-03-18T08:41:44.8790000Z     830▕                 $this->getName(), $query, $this->prepareBindings($bindings), $e
2024-03-18T08:41:44.8800000Z
2024-03-18T08:41:44.8810000Z   1   vendor/laravel/framework/src/Illuminate/Database/Connectors/Connector.php:65
2024-03-18T08:41:44.8820000Z       PDOException::("SQLSTATE[HY000] [1045] Access denied for user 'root'@'172.18.0.1' (using password: YES)")
2024-03-18T08:41:44.9000000Z ##[error]Process completed with exit code 1.
"""


def test_collision_s_quoted_code_is_no_cause_and_mysql_s_refused_password_is_credentials() -> None:
    result = analyse(LARAVEL)
    assert result.root_cause_line in (
        _line(LARAVEL, "SQLSTATE[HY000] [1045]"),
        _line(LARAVEL, 'PDOException::("SQLSTATE'),
    )
    assert result.category == "credentials"


# Lerna builds packages side by side; each meets the full disk in its turn.
LERNA_DISK = """\
[2024-09-04T21:31:30.000Z] + npx lerna run build --concurrency=4
[2024-09-04T21:31:38.800Z] > @acme/dashboard:build
[2024-09-04T21:31:38.855Z] <w> [webpack.cache.PackFileCacheStrategy] Caching failed for pack: Error: ENOSPC: no space left on device, write
[2024-09-04T21:31:38.900Z] [webpack-cli] [Error: ENOSPC: no space left on device, write] {
[2024-09-04T21:31:38.901Z]   errno: -28,
[2024-09-04T21:31:38.902Z]   code: 'ENOSPC',
[2024-09-04T21:31:38.903Z]   syscall: 'write'
[2024-09-04T21:31:38.904Z] }
[2024-09-04T21:31:38.950Z] npm error Lifecycle script `build` failed with error:
[2024-09-04T21:31:38.951Z] npm error code 2
[2024-09-04T21:31:38.952Z] npm error path /var/lib/jenkins/workspace/frontend-monorepo_release/apps/dashboard
[2024-09-04T21:31:38.953Z] npm error workspace @acme/dashboard@2.9.0
[2024-09-04T21:31:38.954Z] npm error location /var/lib/jenkins/workspace/frontend-monorepo_release/apps/dashboard
[2024-09-04T21:31:38.955Z] npm error command failed
[2024-09-04T21:31:38.956Z] npm error command sh -c webpack --mode production --config webpack.prod.js
[2024-09-04T21:31:40.000Z]
[2024-09-04T21:31:40.100Z] > @acme/admin:build
[2024-09-04T21:31:40.200Z] > tsc -p tsconfig.build.json && vite build
[2024-09-04T21:31:51.538Z] error TS5033: Could not write file '/var/lib/jenkins/workspace/frontend-monorepo_release/apps/admin/dist/types/routes.d.ts': ENOSPC: no space left on device, write.
[2024-09-04T21:31:51.540Z] error TS5033: Could not write file '/var/lib/jenkins/workspace/frontend-monorepo_release/apps/admin/dist/types/main.d.ts': ENOSPC: no space left on device, write.
[2024-09-04T21:31:51.677Z] Found 2 errors.
[2024-09-04T21:31:51.722Z]
[2024-09-04T21:31:51.766Z] npm error Lifecycle script `build` failed with error:
[2024-09-04T21:31:51.787Z] npm error code 2
[2024-09-04T21:31:51.827Z] npm error path /var/lib/jenkins/workspace/frontend-monorepo_release/apps/admin
[2024-09-04T21:31:51.951Z] npm error command sh -c tsc -p tsconfig.build.json && vite build
[2024-09-04T21:31:52.000Z]
[2024-09-04T21:31:52.051Z]  ——————————————————————————————————————————————
[2024-09-04T21:31:52.151Z]  Lerna (powered by Nx)   Ran target build for 11 projects (2m)
[2024-09-04T21:31:52.251Z]     ✔  8/11 succeeded [0 read from cache]
[2024-09-04T21:31:52.301Z]
[2024-09-04T21:31:52.100Z]     ✖  2/11 targets failed, including the following:
[2024-09-04T21:31:52.200Z]        - @acme/dashboard:build
[2024-09-04T21:31:52.300Z]        - @acme/admin:build
[2024-09-04T21:31:52.400Z] script returned exit code 1
[2024-09-04T21:31:52.500Z] Finished: FAILURE
"""


def test_a_full_disk_is_where_the_first_process_met_it() -> None:
    result = analyse(LERNA_DISK)
    assert result.root_cause_line in (
        _line(LERNA_DISK, "Caching failed for pack"),
        _line(LERNA_DISK, "[webpack-cli] [Error: ENOSPC"),
    )
    assert result.category == "infrastructure"


CARGO_PUBLISH = """\
2024-05-09T16:23:37.2381612Z    Packaging acme-client v0.9.0 (/home/runner/work/acme-rs/acme-rs/crates/acme-client)
2024-05-09T16:23:38.1381618Z     Updating crates.io index
2024-05-09T16:23:38.1581614Z error: failed to prepare local package for uploading
2024-05-09T16:23:38.1781611Z
2024-05-09T16:23:38.1981614Z Caused by:
2024-05-09T16:23:38.2181612Z   failed to select a version for the requirement `acme-proto = "^0.9.0"`
2024-05-09T16:23:38.2381614Z   candidate versions found which didn't match: 0.8.3, 0.8.2, 0.8.1, ...
2024-05-09T16:23:38.3000000Z ##[error]Process completed with exit code 101.
"""


def test_the_chain_under_an_error_gives_its_category_words() -> None:
    assert analyse(CARGO_PUBLISH).category == "dependency"
    snowflake = "250001 (08001): Failed to connect to DB: qz41873.eu-central-1.snowflakecomputing.com:443. Incorrect username or password was specified."
    assert classify.classify(snowflake)[0] == "credentials"


TERRAFORM_BOXES = """\
[2024-03-12T16:40:10.000Z] + terraform init -input=false
[2024-03-12T16:40:18.800Z] - Using previously-installed hashicorp/null v3.2.2
[2024-03-12T16:40:18.850Z] ╷
[2024-03-12T16:40:18.904Z] │ Error: Failed to query available provider packages
[2024-03-12T16:40:18.905Z] │
[2024-03-12T16:40:18.906Z] │ Could not retrieve the list of available versions for provider
[2024-03-12T16:40:18.907Z] │ hashicorp/aws: locked provider registry.terraform.io/hashicorp/aws 4.67.0
[2024-03-12T16:40:18.908Z] │ does not match configured version constraint >= 5.34.0; must use terraform
[2024-03-12T16:40:18.909Z] │ init -upgrade to allow selection of new versions
[2024-03-12T16:40:18.910Z] ╵
[2024-03-12T16:40:18.950Z] ╷
[2024-03-12T16:40:18.982Z] │ Error: Inconsistent dependency lock file
[2024-03-12T16:40:18.983Z] │
[2024-03-12T16:40:18.984Z] │ The following dependency selections recorded in the lock file are
[2024-03-12T16:40:18.985Z] │ inconsistent with the current configuration:
[2024-03-12T16:40:18.986Z] │   - provider registry.terraform.io/hashicorp/aws: locked version selection 4.67.0 doesn't match the updated version constraints ">= 5.34.0"
[2024-03-12T16:40:18.990Z] ╵
[2024-03-12T16:40:19.000Z] script returned exit code 1
[2024-03-12T16:40:19.100Z] Finished: FAILURE
"""


def test_terraform_s_first_diagnostic_box_of_a_run_is_its_root() -> None:
    result = analyse(TERRAFORM_BOXES)
    assert result.root_cause_line == _line(TERRAFORM_BOXES, "Error: Failed to query available")
    assert result.category == "dependency"


GRUNT = """\
10:40:50 + ./node_modules/.bin/grunt ci --no-color
10:40:56 >> Local Npm module "grunt-contrib-uglify" not found. Is it installed?
10:40:56 Running "clean:dist" (clean) task
10:40:56 >> 1 path cleaned.
10:41:06 Running "copy:assets" (copy) task
10:41:07 Created 14 directories, copied 83 files
10:41:07
10:41:07 Warning: Task "uglify:dist" not found. Use --force to continue.
10:41:07
10:41:07 Aborted due to warnings.
10:41:07 Build step 'Execute shell' marked build as failure
10:41:08 Archiving artifacts
10:41:08 Finished: FAILURE
"""


def test_grunt_s_missing_plugin_over_the_task_it_could_not_find() -> None:
    result = analyse(GRUNT)
    assert result.root_cause_line in (
        _line(GRUNT, "Local Npm module"),
        _line(GRUNT, 'Task "uglify:dist" not found'),
    )
    assert result.category == "dependency"


APPVEYOR_TIMEOUT = """\
Running tests...
  Passed TcpTransport_Reconnect_AfterServerRestart [2149 ms]
  Standard Output Messages:
 [info] tcp: connection reset by peer, reconnecting in 250 ms (attempt 1/5)
 [info] tcp: reconnected to 127.0.0.1:49731

  Passed TcpTransport_NagleDisabled [286 ms]
  Passed NamedPipeTransport_MessageMode [375 ms]
Build execution time has reached the maximum allowed time for your plan (60 minutes).
"""


def test_appveyor_s_time_limit_is_the_build_s_verdict() -> None:
    result = analyse(APPVEYOR_TIMEOUT)
    assert result.root_cause_line == _line(APPVEYOR_TIMEOUT, "maximum allowed time")
    assert result.category == "timeout"


# Pester's failures, each a `[-]` header and its message: the first test's, not the last's.
PESTER = "".join(
    f"2024-03-11T16:20:{i:02d}.0000000Z {ln}\n"
    for i, ln in enumerate(
        [
            "##[section]Starting: Run Pester tests",
            "Running tests.",
            "[+] D:\\a\\1\\s\\tests\\ConvertTo-DeploySlug.Tests.ps1 318ms (127ms|159ms)",
            "[-] Get-DeployManifest.when the manifest file has a UTF-8 BOM.returns the service name 48ms (41ms|7ms)",
            " Expected 'billing-api', but got $null.",
            " at $manifest.Name | Should -Be 'billing-api', D:\\a\\1\\s\\tests\\Get-DeployManifest.Tests.ps1:37",
            " at <ScriptBlock>, D:\\a\\1\\s\\tests\\Get-DeployManifest.Tests.ps1:37",
            "[-] Get-DeployManifest.when the manifest file has a UTF-8 BOM.reads every environment block 12ms (10ms|2ms)",
            " Expected 3, but got 0.",
            " at $manifest.Environments.Count | Should -Be 3, D:\\a\\1\\s\\tests\\Get-DeployManifest.Tests.ps1:42",
            " at <ScriptBlock>, D:\\a\\1\\s\\tests\\Get-DeployManifest.Tests.ps1:42",
            *[f"[+] D:\\a\\1\\s\\tests\\Module{k}.Tests.ps1 1.22s (489ms|611ms)" for k in range(6)],
            "[-] Publish-Deployment.with a manifest exported from the portal.publishes to every ring 311ms (290ms|21ms)",
            " Expected Invoke-Rollout to be called 3 times exactly, but was called 0 times",
            " at Should -Invoke Invoke-Rollout -Times 3 -Exactly, D:\\a\\1\\s\\tests\\Publish-Deployment.Tests.ps1:88",
            " at <ScriptBlock>, D:\\a\\1\\s\\tests\\Publish-Deployment.Tests.ps1:88",
            "Tests completed in 14.2s",
            "Tests Passed: 212, Failed: 3, Skipped: 0 NotRun: 0",
            "##[error]PowerShell exited with code '3'.",
        ]
    )
)


def test_a_runner_s_first_failed_test_not_its_third() -> None:
    expected = {"expected": 1.0, "in_step": 1.0}
    first, third = (
        locate.candidate(4, 3.05, expected, None),
        locate.candidate(18, 3.4, expected, None),
    )
    other = locate.candidate(8, 3.3, {"exception": 1.0}, None)
    assert firsts.first_of_same([first, other, third], third, step=0) == first
    assert firsts.first_of_same([first, third], third, step=5) == third  # (another step's)
    result = analyse(PESTER)
    assert result.root_cause_line in (
        _line(PESTER, "returns the service name"),
        _line(PESTER, "Expected 'billing-api'"),
    )


# MSBuild's Exec indents what PowerShell printed: its `At file.ps1:31 char:5` is still a frame.
MSBUILD_POWERSHELL = """\
2024-01-18T19:03:04.9000000Z    Copying 214 files ...
2024-01-18T19:03:04.9226677Z    Copy-Item : Access to the path 'C:\\inetpub\\wwwroot\\contoso-portal\\Web.config' is denied.
2024-01-18T19:03:04.9609313Z    At C:\\agent\\_work\\3\\s\\build\\deploy-local.ps1:31 char:5
2024-01-18T19:03:04.9700000Z    +     Copy-Item -Path (Join-Path $SourceDir '*') -Destination $Target -R ...
2024-01-18T19:03:04.9710000Z    +     ~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~~
2024-01-18T19:03:04.9720000Z        + CategoryInfo          : PermissionDenied: (C:\\inetpub\\wwwroot\\contoso-portal\\Web.config:FileInfo) [Copy-Item], UnauthorizedAccessException
2024-01-18T19:03:04.9730000Z        + FullyQualifiedErrorId : CopyFileInfoItemUnauthorizedAccessError,Microsoft.PowerShell.Commands.CopyItemCommand
2024-01-18T19:03:05.0000000Z ##[error]C:\\Program Files (x86)\\Microsoft Visual Studio\\2019\\BuildTools\\MSBuild\\Current\\Bin\\Microsoft.Common.CurrentVersion.targets(5266,5): Error MSB3073: The command "powershell.exe -File build\\deploy-local.ps1" exited with code 1.
2024-01-18T19:03:05.1000000Z ##[error]Process 'msbuild.exe' exited with code '1'.
"""


def test_an_indented_powershell_location_is_a_frame_and_a_denied_path_a_permission() -> None:
    result = analyse(MSBUILD_POWERSHELL)
    assert result.root_cause_line == _line(MSBUILD_POWERSHELL, "Copy-Item : Access to the path")
    assert result.category == "permission"
    assert refine.refine(
        "config", "SignTool Error: No certificates were found that met all the given criteria.", ""
    ) == ("credentials", "platform", "high")


CARGO_SYS = """\
2024-05-14T11:04:02.0000000Z ##[group]Run cargo build --workspace --locked --keep-going
2024-05-14T11:04:02.1000000Z ##[endgroup]
2024-05-14T11:04:03.0510002Z error: failed to run custom build command for `openssl-sys v0.9.102`
2024-05-14T11:04:03.0600000Z
2024-05-14T11:04:03.0700000Z Caused by:
2024-05-14T11:04:03.0800000Z   process didn't exit successfully: `/__w/app/target/debug/build/openssl-sys-2f5c/build-script-main` (exit status: 101)
2024-05-14T11:04:03.0900000Z   --- stdout
2024-05-14T11:04:03.1000000Z   run pkg_config fail: Could not run `PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 pkg-config --libs --cflags openssl`
2024-05-14T11:04:03.1100000Z   The pkg-config command could not be found.
2024-05-14T11:04:03.1200000Z
2024-05-14T11:04:03.1250000Z   --- stderr
2024-05-14T11:04:03.1290007Z   thread 'main' panicked at /github/home/.cargo/registry/src/index.crates.io-6f17d22bba15001f/openssl-sys-0.9.102/build/find_normal.rs:190:5:
2024-05-14T11:04:03.1300000Z
2024-05-14T11:04:03.1310000Z
2024-05-14T11:04:03.1320000Z   Could not find directory of OpenSSL installation, and this `-sys` crate cannot
2024-05-14T11:04:03.1330000Z   proceed without this knowledge. If OpenSSL is installed and this crate had
2024-05-14T11:04:03.1340000Z   note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace
2024-05-14T11:04:03.2000000Z ##[error]Process completed with exit code 101.
"""


def test_rust_s_panic_yields_to_its_message_and_openssl_is_no_network_word() -> None:
    result = analyse(CARGO_SYS)
    assert result.root_cause_line in (
        _line(CARGO_SYS, "Could not find directory of OpenSSL"),
        _line(CARGO_SYS, "error: failed to run custom build command"),
        _line(CARGO_SYS, "pkg-config command could not be found"),
    )
    assert result.category == "dependency"


JENKINS_NINJA = """\
[2024-05-14T17:02:20.000Z] + ninja -C build/arm64 -j8
[2024-05-14T17:02:21.500Z] [1/136] Building CXX object src/core/CMakeFiles/core.dir/math/vec2.cpp.o
[2024-05-14T17:02:21.545Z] FAILED: src/core/CMakeFiles/core.dir/math/vec3.cpp.o
[2024-05-14T17:02:21.600Z] /usr/bin/ccache /usr/bin/c++ -DENGINE_ARCH_ARM64 -Werror -O2 -o src/core/CMakeFiles/core.dir/math/vec3.cpp.o -c /home/jenkins/workspace/engine_PR-991/src/core/math/vec3.cpp
[2024-05-14T17:02:21.670Z] ccache: error: Failed to create temporary file for /ccache/tmp/vec3.stdout: Permission denied
[2024-05-14T17:02:21.700Z] [2/136] Building CXX object src/core/CMakeFiles/core.dir/math/mat4.cpp.o
[2024-05-14T17:02:21.745Z] FAILED: src/core/CMakeFiles/core.dir/math/mat4.cpp.o
[2024-05-14T17:02:21.800Z] /usr/bin/ccache /usr/bin/c++ -DENGINE_ARCH_ARM64 -Werror -O2 -o src/core/CMakeFiles/core.dir/math/mat4.cpp.o -c /home/jenkins/workspace/engine_PR-991/src/core/math/mat4.cpp
[2024-05-14T17:02:21.870Z] ccache: error: Failed to create temporary file for /ccache/tmp/mat4.stdout: Permission denied
[2024-05-14T17:02:22.000Z] ninja: build stopped: subcommand failed.
[2024-05-14T17:02:29.561Z] ERROR: Step ‘Publish JUnit test result report’ failed: No test report files were found. Configuration error?
[2024-05-14T17:02:30.000Z] ERROR: No artifacts found that match the file pattern "build/arm64/bin/engine_*". Configuration error?
[2024-05-14T17:02:30.500Z] Failed in branch arm64
[2024-05-14T17:02:31.000Z] Finished: FAILURE
"""


def test_ninja_s_failed_target_yields_to_what_its_command_said() -> None:
    result = analyse(JENKINS_NINJA)
    assert result.root_cause_line == _line(JENKINS_NINJA, "vec3.stdout: Permission denied")
    assert result.category == "permission"


# `make ci` runs golint (advice: it exits 0), then go vet, whose finding failed the command.
GOLINT_VET = """\
$ make ci
golint ./...
cmd/kvstash/main.go:21:2: exported var Version should have comment or be unexported
internal/cache/lru.go:29:1: exported function NewLRU should have comment or be unexported
internal/httpapi/middleware.go:14:6: func name will be used as httpapi.HttpapiLogger by other packages, and that stutters; consider calling this Logger
pkg/store/memory.go:23:2: struct field ttlMs should be ttlMS
go vet ./...
# github.com/acme/kvstash/pkg/store
pkg/store/redis.go:142:17: Errorf format %d has arg key of wrong type string
make: *** [Makefile:14: vet] Error 2

The command "make ci" exited with 2.

Done. Your build exited with 1.
"""


def test_golint_s_advice_yields_to_go_vet_s_finding() -> None:
    result = analyse(GOLINT_VET)
    assert result.root_cause_line == _line(GOLINT_VET, "Errorf format %d has arg")
    assert result.category == "lint"


CODECOV = """\
2025-01-22T10:07:33.9000000Z ==> Running upload-coverage
2025-01-22T10:07:33.9880000Z debug - 2025-01-22 10:07:33,988 -- No token provided
2025-01-22T10:07:34.0380000Z debug - 2025-01-22 10:07:34,038 -- Sending request to https://ingest.codecov.io/upload/github/encode::::starlette/commits
2025-01-22T10:07:34.4426533Z debug - 2025-01-22 10:07:34,438 -- Response status code: 401
2025-01-22T10:07:34.4526534Z error - 2025-01-22 10:07:34,448 -- Commit creating failed: {"message":"Token required because branch is protected"}
2025-01-22T10:07:35.2180000Z debug - 2025-01-22 10:07:35,218 -- Response status code: 401
2025-01-22T10:07:35.2280000Z error - 2025-01-22 10:07:35,228 -- Upload failed: {"message":"Token required because branch is protected"}
2025-01-22T10:07:35.3000000Z ==> Failed to upload-coverage
2025-01-22T10:07:35.4000000Z ##[error]Process completed with exit code 1.
"""


def test_a_logger_s_debug_record_is_no_cause() -> None:
    result = analyse(CODECOV)
    assert result.root_cause_line == _line(CODECOV, "Commit creating failed")


GITLAB_EVICTED = """\
$ pytest -n 4 tests/
........................................................................ [ 40%]
............................................
section_end:1717405285:step_script\r\x1b[0Ksection_start:1717405285:cleanup_file_variables\r\x1b[0K\x1b[0K\x1b[36;1mCleaning up project directory and file based variables\x1b[0;m
\x1b[0;33mWARNING: Event retrieved from the cluster: The node was low on resource: ephemeral-storage. Threshold quantity: 10737418240, available: 10214436Ki.\x1b[0;m
\x1b[0;33mWARNING: Event retrieved from the cluster: Container runtime did not kill the pod within specified grace period.\x1b[0;m
section_end:1717405287:cleanup_file_variables\r\x1b[0K\x1b[31;1mERROR: Job failed (system failure): pod "ci-jobs/runner-zq9mw3xk-project-3307-concurrent-5-k2v8c1px" is disrupted: reason "TerminationByKubelet"
"""


def test_a_pod_evicted_by_the_node_s_pressure_is_infrastructure() -> None:
    result = analyse(GITLAB_EVICTED)
    assert result.signature == "k8s.node.pressure_eviction"
    assert result.category == "infrastructure"


SONAR = """\
$ sonar-scanner -Dsonar.qualitygate.wait=true
INFO: EXECUTION FAILURE
INFO: ------------------------------------------------------------------------
INFO: Total time: 1:14.221s
ERROR: Error during SonarScanner execution
ERROR: QUALITY GATE STATUS: FAILED - View details on https://sonarqube.corp.example.net/dashboard?id=claims-portal&pullRequest=412
ERROR:
ERROR: Re-run SonarScanner using the -X switch to enable full debug logging.
ERROR: Job failed: exit code 2
"""


def test_sonarscanner_s_error_yields_to_its_next_error_line() -> None:
    result = analyse(SONAR)
    assert result.root_cause_line == _line(SONAR, "QUALITY GATE STATUS: FAILED")
    assert result.category == "lint"


# AppVeyor on a Chinese Windows: its `Command exited with code 1` ends the build script; the
# localised linker's LNK2019 is the cause.
APPVEYOR_ZH = """\
Build started
cmake --build build --config Release
  render.cpp
C:\\projects\\raytracer\\src\\core\\mesh.cpp(157,22): warning C4267: “初始化”: 从“size_t”转换到“int”，可能丢失数据 [C:\\projects\\raytracer\\build\\core\\core.vcxproj]
rtrender.lib(render.obj) : error LNK2019: 无法解析的外部符号 "public: class rt::Vec3 __cdecl rt::Camera::ray_dir(float,float)const "，函数 main 中引用了该符号 [C:\\projects\\raytracer\\build\\app\\rt.vcxproj]
C:\\projects\\raytracer\\build\\app\\Release\\rt.exe : fatal error LNK1120: 1 个无法解析的外部命令 [C:\\projects\\raytracer\\build\\app\\rt.vcxproj]
  rt_tests.vcxproj -> C:\\projects\\raytracer\\build\\tests\\Release\\rt_tests.exe
Command exited with code 1
Running "on_finish" scripts
powershell -NoProfile -Command "Write-Host ('构建结束: ' + $env:APPVEYOR_JOB_ID)"
构建结束: 8k2qv1xj5m0n7r3c
"""


def test_appveyor_s_verdict_ends_the_script_and_a_localised_lnk2019_is_a_link_error() -> None:
    result = analyse(APPVEYOR_ZH)
    assert result.root_cause_line == _line(APPVEYOR_ZH, "error LNK2019")
    assert result.category == "compile"
    assert classify.classify("error: ConnectionRefused downloading tarball @acme/tokens@2.4.1")[
        0
    ] == ("network")
    nuget = "error NU1101: Impossible de trouver le package Contoso.Sage.Connector."
    assert classify.classify(nuget)[0] == "dependency"


SYFT = """\
$ syft registry.gitlab.com/quayside/checkout-api:4f1d2c3b -o cyclonedx-json=sbom.json
[0000]  WARN no explicit name and version provided for image source, deriving artifact ID from the given input
[0001] ERROR could not determine source: errors occurred attempting to resolve 'registry.gitlab.com/quayside/checkout-api:4f1d2c3b': registry: unauthorized: HTTP Basic: Access denied
ERROR: Job failed: exit code 1
"""


def test_syft_s_counted_warning_is_a_warning() -> None:
    assert analyse(SYFT).root_cause_line == _line(SYFT, "[0001] ERROR could not determine source")
