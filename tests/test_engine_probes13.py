# ruff: noqa: E501  (log lines as the tools print them: long)
"""Shapes from the thirty-first round of probe logs (GitLab CI jobs across ecosystems; CircleCI,
Buildkite, Drone and Bitbucket jobs; GitHub Actions jobs of less common ecosystems; deployment
and infrastructure jobs): each test fails on the engine as it was before the round (e600bf3)."""

from __future__ import annotations

from ciwhy.analysis import analyse, classify


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
    assert classify.refine("credentials", "denied: access forbidden", "docker push") == (
        "permission",
        "code",
        "medium",
    )
    assert classify.classify("Error: superuser password is not specified.")[0] == "config"
    # (a name a program does not know is not a missing setting)
    assert classify.classify("ReferenceError: foo is not defined")[0] != "config"


def test_quota_is_infrastructure_and_a_missing_system_package_a_dependency() -> None:
    assert classify.refine(
        "config", "Error 403: Quota 'C2_CPUS' exceeded.  Limit: 48.0 in region us-central1.", ""
    ) == ("infrastructure", "platform", "high")
    words = 'Resource handler returned message: "The maximum number of addresses has been reached."'
    assert classify.classify(words)[0] == "infrastructure"
    assert classify.refine("config", "No package matching 'libssl1.1' is available", "") == (
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
