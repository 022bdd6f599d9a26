# ruff: noqa: E501, W291  (log lines as the tools print them: long, tabs, trailing blanks)
"""Shapes from the twenty-third round of probe logs (databases and service containers,
infrastructure as code, build systems beyond the usual), the twenty-fourth (Travis CI logs of
2016-2019 in the corpus' languages), the twenty-fifth (more of them, and GitHub Actions logs
in less common languages) and the twenty-sixth (GitHub Actions' plumbing): each test fails on
the engine as it was before its round (983ab92, 5b6841d, 88dbd8a, 965fd2c), except the two
marked guards."""

from __future__ import annotations

from ciwhy.analysis import analyse
from ciwhy.analysis.lines import _STAMP_B, read
from ciwhy.analysis.sweep import drop_stamps


def _line(log: str, text: str) -> int:
    """The 1-based number of the first line that contains `text`."""
    return next(n for n, ln in enumerate(log.split("\n"), 1) if text in ln)


# Bazel prints what an action that succeeded said under `INFO: From <action>:`; the action that
# failed prints its output under its own `ERROR: ... failed` line.
BAZEL = """\
$ bazel test //...
INFO: Analyzed 212 targets (301 packages loaded, 11432 targets configured).
[811 / 1,873] GoCompilePkg external/gazelle~~go_deps~com_github_prometheus_client_golang/prometheus/prometheus.a; 14s linux-sandbox
INFO: From GoCompilePkg external/gazelle~~go_deps~com_github_prometheus_client_golang/prometheus/prometheus.a:
external/gazelle~~go_deps~com_github_prometheus_client_golang/prometheus/go_collector_latest.go:124:2: "runtime/metrics" imported and not used (ignored by nogo)
[988 / 1,873] GoCompilePkg pkg/money/money.a; 10s linux-sandbox
ERROR: /home/runner/work/ledger/ledger/proto/ledger/v1/BUILD.bazel:6:14: Generating Descriptor Set proto_library //proto/ledger/v1:ledger_proto failed: (Exit 1): protoc failed: error executing GenProtoDescriptorSet command
google/protobuf/timestamp.proto: File not found.
proto/ledger/v1/ledger.proto:7:1: Import "google/protobuf/timestamp.proto" was not found or had errors.
proto/ledger/v1/ledger.proto:41:3: "google.protobuf.Timestamp" is not defined.
[1,269 / 1,873] GoCompilePkg services/accounts/internal/api/api.a; 4s linux-sandbox
INFO: Elapsed time: 112.204s, Critical Path: 41.93s
ERROR: Build did NOT complete successfully
##[error]Process completed with exit code 1.
"""


def test_what_a_bazel_action_that_succeeded_printed_is_not_the_cause() -> None:
    a = analyse(BAZEL)
    assert a.root_cause_line in (_line(BAZEL, "File not found"), _line(BAZEL, "ledger.proto:7:1"))


# Packer's `-timestamp-ui`: a colon after the stamp, then the builder's name before what its
# provisioner printed.
PACKER = """\
+ packer build -color=false -timestamp-ui .
2024-05-01T10:02:52Z:     amazon-ebs.base: Reading package lists...
2024-05-01T10:02:53Z:     amazon-ebs.base: Package libssl1.1 is not available, but is referred to by another package.
2024-05-01T10:02:53Z:     amazon-ebs.base: This may mean that the package is missing, has been obsoleted, or
2024-05-01T10:02:53Z:     amazon-ebs.base: is only available from another source
2024-05-01T10:02:54Z:     amazon-ebs.base: E: Package 'libssl1.1' has no installation candidate
2024-05-01T10:02:55Z: ==> amazon-ebs.base: Provisioning step had errors: Running the cleanup provisioner, if present...
2024-05-01T10:03:30Z: Build 'amazon-ebs.base' errored after 3 minutes 21 seconds: Script exited with non-zero exit status: 100. Allowed exit codes are: [0]
2024-05-01T10:03:30Z: ==> Some builds didn't complete successfully and had errors:
2024-05-01T10:03:30Z: ==> Builds finished but no artifacts were created.
+ exit 1
"""


def test_packer_stamps_and_builder_prefixes_are_seen_through() -> None:
    a = analyse(PACKER)
    assert a.root_cause_line == _line(PACKER, "has no installation candidate")
    assert a.category == "dependency"
    assert read(PACKER).lines[1] == "    amazon-ebs.base: Reading package lists..."


def test_the_array_sweep_strips_packer_stamps_as_the_reference_does() -> None:
    buf = b"2024-05-01T10:02:54Z: E: x\n2024-05-01T10:02:54Z:x\n2024-05-01T10:02:54Z:  y\n"
    swept = drop_stamps(buf, _STAMP_B)
    assert swept == b"E: x\n:x\n y\n"
    assert swept == b"".join(
        _STAMP_B.sub(b"", ln, count=1) if _STAMP_B.match(ln) else ln
        for ln in buf.splitlines(keepends=True)
    )


CHECKOV = """\
Run bridgecrewio/checkov-action@v12
Check: CKV_AWS_24: "Ensure no security groups allow ingress from 0.0.0.0:0 to port 22"
\tPASSED for resource: aws_security_group.alb
\tFile: /stacks/edge/sg.tf:1-30
Check: CKV_AWS_20: "S3 Bucket has an ACL defined which allows public READ access."
\tFAILED for resource: aws_s3_bucket_acl.assets
\tFile: /stacks/edge/s3.tf:19-25
\tGuide: https://docs.prismacloud.io/en/enterprise-edition/policy-reference/aws-policies/s3-policies/s3-1-acl-read-permissions-everyone

Passed checks: 41, Failed checks: 1, Skipped checks: 0
##[error]Process completed with exit code 1.
"""


def test_a_checkov_finding_is_lint() -> None:
    a = analyse(CHECKOV)
    assert a.root_cause_line in (_line(CHECKOV, "CKV_AWS_20"), _line(CHECKOV, "FAILED for"))
    assert a.category == "lint"
    assert a.signature == "security.checkov.failed_check"


TERRAFORM_LOCK = """\
[10:02:19] :\t [Step 2/4] - Installing hashicorp/aws v5.46.0...
[10:02:26] :\t [Step 2/4] - Installed hashicorp/random v3.6.1 (signed by HashiCorp)
[10:02:26]W:\t [Step 2/4] Error: Failed to install provider
[10:02:26]W:\t [Step 2/4] 
[10:02:26]W:\t [Step 2/4] Error while installing hashicorp/aws v5.46.0: the current package for
[10:02:26]W:\t [Step 2/4] registry.terraform.io/hashicorp/aws 5.46.0 doesn't match any of the
[10:02:26]W:\t [Step 2/4] checksums previously recorded in the dependency lock file
[10:02:27]E:\t [Step 2/4] Process exited with code 1
"""


def test_terraform_says_why_a_provider_failed_to_install_under_its_summary() -> None:
    a = analyse(TERRAFORM_LOCK)
    assert a.root_cause_line == _line(TERRAFORM_LOCK, "Error while installing")
    assert a.category == "dependency"


CDK = """\
Prod-Notifications: creating CloudFormation changeset...
Prod-Notifications | 0/7 | 10:15:44 AM | UPDATE_IN_PROGRESS   | AWS::SQS::Queue           | DigestQueue (DigestQueue8C3D6F21) 
Prod-Notifications | 1/7 | 10:16:05 AM | UPDATE_FAILED        | AWS::Lambda::Function     | DigestSender (DigestSenderF3A9C1B2) Resource handler returned message: "The runtime parameter of nodejs14.x is no longer supported for creating or updating AWS Lambda functions."
Prod-Notifications | 1/7 | 10:16:06 AM | UPDATE_FAILED        | AWS::SQS::Queue           | DigestQueue (DigestQueue8C3D6F21) Resource update cancelled
Prod-Notifications | 3/7 | 10:17:07 AM | UPDATE_ROLLBACK_COMP | AWS::CloudFormation::Stack | Prod-Notifications 

Failed resources:
Prod-Notifications | 10:16:05 AM | UPDATE_FAILED        | AWS::Lambda::Function     | DigestSender (DigestSenderF3A9C1B2) Resource handler returned message: "The runtime parameter of nodejs14.x is no longer supported for creating or updating AWS Lambda functions."

 ❌  Prod-Notifications failed: Error: The stack named Prod-Notifications failed to deploy: UPDATE_ROLLBACK_COMPLETE: Resource handler returned message: "The runtime parameter of nodejs14.x is no longer supported"
    at FullCloudFormationDeployment.monitorDeployment (/app/node_modules/aws-cdk/lib/index.js:455:10568)

 ❌ Deployment failed: Error: The stack named Prod-Notifications failed to deploy: UPDATE_ROLLBACK_COMPLETE
    at FullCloudFormationDeployment.monitorDeployment (/app/node_modules/aws-cdk/lib/index.js:455:10568)
🚨 Error: The command exited with status 1
"""


def test_cloudformation_names_the_resource_that_failed_before_the_deploy_says_so() -> None:
    a = analyse(CDK)
    assert a.signature == "cloudformation.resource.failed"
    assert "UPDATE_FAILED" in CDK.split("\n")[a.root_cause_line - 1]
    assert "Resource handler" in CDK.split("\n")[a.root_cause_line - 1]
    assert a.category == "config"


def _category(line: str, then: str = "##[error]Process completed with exit code 1.") -> str:
    return analyse(f"$ ./ci/build.sh\n{line}\n{then}\n").category


def test_categories_from_the_words_of_round_twenty_three() -> None:
    # (a checksum, whatever the derivation is called: `edge-proxy` is not the network)
    assert (
        _category(
            "error: hash mismatch in fixed-output derivation '/nix/store/5phc-edge-proxy-1.9.0-go-modules.drv':"
        )
        == "dependency"
    )
    # (a package source that refused the login)
    assert (
        _category(
            "ERROR: Package 'acme-wire/2.4.1' not resolved: Wrong user or password. [Remote: acme-artifactory]"
        )
        == "credentials"
    )
    # (an identity that logged in but may not push)
    assert (
        _category(
            "denied: User: arn:aws:sts::731204958812:assumed-role/deployer/ci-18342 is not authorized to perform: ecr:InitiateLayerUpload on resource: arn:aws:ecr:eu-west-1:731204958812:repository/billing"
        )
        == "permission"
    )
    # (a linker the machine lacks: the toolchain's set-up, not the code)
    assert _category("error: linker `aarch64-linux-gnu-gcc-13` not found") == "config"


RSPEC = """\
Failures:

  1) Subscriptions::Upgrade moves the account to the new plan
     Failure/Error: Subscription.create!(account: account, plan: new_plan, status: :active)

     ActiveRecord::RecordNotUnique:
       PG::UniqueViolation: ERROR:  duplicate key value violates unique constraint "index_subscriptions_one_active_per_account"
       DETAIL:  Key (account_id)=(1042) already exists.
     # ./app/services/subscriptions/upgrade.rb:31:in `call'
     # ./spec/services/subscriptions/upgrade_spec.rb:18:in `block (2 levels) in <top (required)>'

Finished in 2.31 seconds (files took 1.9 seconds to load)
12 examples, 1 failure

Failed examples:

rspec ./spec/services/subscriptions/upgrade_spec.rb:14 # Subscriptions::Upgrade moves the account to the new plan
🚨 Error: The command exited with status 1
"""


def test_rspec_names_what_the_code_under_failure_error_raised() -> None:
    a = analyse(RSPEC)
    assert a.root_cause_line in (
        _line(RSPEC, "ActiveRecord::RecordNotUnique:"),
        _line(RSPEC, "PG::UniqueViolation"),
    )
    assert a.category == "test"


COMPOSE = """\
##[group]Run docker compose -f docker-compose.ci.yml up -d --wait
docker compose -f docker-compose.ci.yml up -d --wait
##[endgroup]
 Container orders-api-mysql-1  Started
 Container orders-api-redis-1  Healthy
container orders-api-mysql-1 exited (1)
##[error]Process completed with exit code 1.
##[group]Run docker compose -f docker-compose.ci.yml logs mysql
docker compose -f docker-compose.ci.yml logs mysql
##[endgroup]
mysql-1  | 2024-05-01 10:03:37+00:00 [Note] [Entrypoint]: Entrypoint script for MySQL Server 8.4.0-1.el9 started.
mysql-1  | \t2024-05-01T10:03:38.064539Z 0 [ERROR] [MY-000067] [Server] unknown variable 'default-authentication-plugin=mysql_native_password'.
mysql-1  | 2024-05-01T10:03:38.066201Z 0 [ERROR] [MY-010119] [Server] Aborting
Post job cleanup.
"""


def test_a_service_container_that_exited_says_why_in_the_logs_dumped_after() -> None:
    a = analyse(COMPOSE)
    assert a.root_cause_line == _line(COMPOSE, "unknown variable")
    assert a.category == "config"


TESTCONTAINERS = """\
+ mvn -B verify
[INFO] Running com.acme.orders.OrderRepositoryIT
10:40:42.377 [main] ERROR org.testcontainers.dockerclient.DockerClientProviderStrategy -- Could not find a valid Docker environment. Please check configuration.
\tUnixSocketClientProviderStrategy: failed with exception InvalidConfigurationException (Could not find unix domain socket). Root cause NoSuchFileException (/var/run/docker.sock)
[ERROR] Tests run: 1, Failures: 0, Errors: 1, Skipped: 0, Time elapsed: 0.9 s <<< FAILURE! -- in com.acme.orders.OrderRepositoryIT
[ERROR] com.acme.orders.OrderRepositoryIT -- Time elapsed: 0.9 s <<< ERROR!
java.lang.ExceptionInInitializerError
Caused by: java.lang.IllegalStateException: Could not find a valid Docker environment. Please see logs and check configuration
\tat org.testcontainers.dockerclient.DockerClientProviderStrategy.lambda$getFirstValidStrategy$7(DockerClientProviderStrategy.java:274)
[INFO] BUILD FAILURE
Finished: FAILURE
"""


def test_no_docker_for_testcontainers_is_the_infrastructure() -> None:
    a = analyse(TESTCONTAINERS)
    assert a.root_cause_line in (_line(TESTCONTAINERS, "ERROR org.testcontainers"),)
    assert a.category == "infrastructure"


PRISMA = """\
$ npx prisma migrate deploy
Prisma schema loaded from prisma/schema.prisma
Datasource "db": PostgreSQL database
Error: Prisma schema validation - (get-config wasm)
Error code: P1012
error: Environment variable not found: DATABASE_URL.
  -->  prisma/schema.prisma:7
   | 
 6 |   provider = "postgresql"
 7 |   url      = env("DATABASE_URL")
   | 

Validation Error Count: 1
[Context: getConfig]
The command "npx prisma migrate deploy" exited with 1.
"""


def test_prisma_names_the_environment_variable_it_lacks() -> None:
    a = analyse(PRISMA)
    assert a.root_cause_line == _line(PRISMA, "Environment variable not found")
    assert a.category == "config"


# --- round twenty-four: Travis CI logs of 2016-2019 in the corpus' languages -------------------

AUTOMAKE_DUMP = """\
$ make check
PASS: test_links
FAIL: test_table
PASS: test_html
============================================================================
# TOTAL: 3
# FAIL:  1
See tests/test-suite.log
make[3]: *** [test-suite.log] Error 1
make: *** [check-recursive] Error 1
The command "make check" exited with 2.
travis_fold:start:after_failure
$ cat tests/test-suite.log
FAIL: test_table
================

table: pipe table with header ............................ ok
table: ragged rows (fewer cells than header) .............
=================================================================
==9217==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x603000000ff4 at pc 0x0000005130b7
READ of size 1 at 0x603000000ff4 thread T0
    #0 0x5130b6 in parse_row_cells /home/travis/build/x/libmdp/src/table.c:211:13
travis_fold:end:after_failure
Done. Your build exited with 1.
"""


def test_a_bare_test_failure_yields_to_its_output_dumped_after_the_failure() -> None:
    a = analyse(AUTOMAKE_DUMP)
    assert a.root_cause_line == _line(AUTOMAKE_DUMP, "AddressSanitizer")


def test_a_bare_test_failure_with_no_dump_stays() -> None:
    # (guard: without the repeated heading, the runner's line is the cause)
    log = AUTOMAKE_DUMP.split("travis_fold:start:after_failure")[0]
    assert analyse(log).root_cause_line == _line(log, "FAIL: test_table")


SBCL = """\
$ ros -s prove -e '(prove:run :cl-geohash-test)'
; compiling file "/home/travis/build/x/cl-geohash/src/encode.lisp" (written 02 APR 2019 03:14:07 PM):

; file: /home/travis/build/x/cl-geohash/src/encode.lisp
; caught ERROR:
;   READ error during COMPILE-FILE:
;   
;     Symbol "CLAMPF" not found in the ALEXANDRIA package.
;   
;       Line: 38, Column: 35, File-Position: 1164
; compilation aborted after 0:00:00.012
;   caught 1 fatal ERROR condition
Unhandled UIOP/LISP-BUILD:COMPILE-FILE-ERROR in thread #<SB-THREAD:THREAD "main thread" RUNNING
                                                          {10005505B3}>:
  COMPILE-FILE-ERROR while
  compiling #<ASDF/LISP-ACTION:CL-SOURCE-FILE "cl-geohash" "src" "encode">

Backtrace for: #<SB-THREAD:THREAD "main thread" RUNNING {10005505B3}>
0: (SB-DEBUG::DEBUGGER-DISABLED-HOOK #<UIOP/LISP-BUILD:COMPILE-FILE-ERROR {1004A1C0B3}> #<unused argument> :QUIT T)
unhandled condition in --disable-debugger mode, quitting
The command "ros -s prove -e '(prove:run :cl-geohash-test)'" exited with 1.
"""


def test_sbcl_s_compile_file_error_yields_to_what_the_compiler_caught() -> None:
    a = analyse(SBCL)
    assert a.root_cause_line == _line(SBCL, 'Symbol "CLAMPF"')
    assert a.category == "compile"


FIVEAM = """\
$ ros -s fiveam -e '(fiveam:run! :cl-toml)'
 Running test PARSE-ARRAY .........
 Did 203 checks.
    Pass: 202 (99%)
    Fail: 1 ( 0%)

 Failure Details:
 --------------------------------
 PARSE-OFFSET-DATETIME [Offset date-times keep their UTC offset]: 
      (CL-TOML::TIMESTAMP-STRING (CL-TOML:GET-VALUE DOC "odt2"))

 evaluated to 

"1979-05-27T07:32:00.000000Z"

 which is not 

STRING=

 to 

"1979-05-27T00:32:00-07:00"


 --------------------------------

The command "ros -s fiveam -e '(fiveam:run! :cl-toml)'" exited with 1.
"""


def test_fiveam_s_failure_details_yield_to_the_failed_test() -> None:
    a = analyse(FIVEAM)
    assert a.root_cause_line == _line(FIVEAM, "PARSE-OFFSET-DATETIME")
    assert a.category == "test"


POD_LINT = """\
$ pod lib lint --quick
 -> TouchKit (1.2.0)
    - WARN  | [iOS] xcodebuild:  TouchKit/Classes/TKVelocityEstimator.m:58:25: warning: implicit conversion loses integer precision: 'NSUInteger' (aka 'unsigned long') to 'int'
    - NOTE  | [iOS] xcodebuild:  TouchKit/Classes/TKVelocityEstimator.m:12:1: note: previous definition is here

[!] TouchKit did not pass validation, due to 1 warning (but you can use `--allow-warnings` to ignore it).
The command "pod lib lint --quick" exited with 1.
"""


def test_pod_lib_lint_s_verdict_yields_to_its_first_result() -> None:
    a = analyse(POD_LINT)
    assert a.root_cause_line == _line(POD_LINT, "- WARN")
    assert a.category == "lint"


CARTHAGE = """\
$ carthage update --platform iOS
*** Fetching ReactiveSwift
*** Fetching Result
Could not pick a version for github "ReactiveCocoa/ReactiveSwift", due to mutually incompatible requirements:
\t~> 3.1 (github "ReactiveCocoa/ReactiveCocoa")
\t~> 2.1
The command "carthage update --platform iOS" failed and exited with 1 during .
"""


def test_carthage_s_incompatible_requirements_are_the_cause() -> None:
    a = analyse(CARTHAGE)
    assert a.root_cause_line == _line(CARTHAGE, "Could not pick a version")
    assert a.category == "dependency"


GRADLE_ANT = """\
$ ./gradlew check
:kumo-core:checkstyleMain
[ant:checkstyle] [ERROR] /home/travis/build/x/kumo/kumo-core/src/main/java/io/kumo/core/RetryPolicy.java:22:8: Unused import - java.util.concurrent.TimeUnit. [UnusedImports]
:kumo-core:checkstyleMain FAILED

FAILURE: Build failed with an exception.

* What went wrong:
Execution failed for task ':kumo-core:checkstyleMain'.
> Checkstyle rule violations were found. See the report at: file:///home/travis/build/x/kumo/kumo-core/build/reports/checkstyle/main.html

BUILD FAILED
The command "./gradlew check" exited with 1.
"""


def test_gradle_s_ant_task_prefix_is_seen_through() -> None:
    a = analyse(GRADLE_ANT)
    assert a.root_cause_line == _line(GRADLE_ANT, "[ant:checkstyle]")
    assert a.signature == "jvm.checkstyle.violation"


ERT = """\
$ cask exec ert-runner
   passed  16/34  caddyfile-mode-test-indent-block
Test caddyfile-mode-test-indent-nested-proxy backtrace:
  indent-line-to(nil)
  caddyfile-indent-line()
Test caddyfile-mode-test-indent-nested-proxy condition:
    (wrong-type-argument number-or-marker-p nil)
   FAILED  17/34  caddyfile-mode-test-indent-nested-proxy
   passed  18/34  caddyfile-mode-test-indent-simple

Ran 34 tests, 33 results as expected, 1 unexpected
The command "cask exec ert-runner" exited with 1.
"""

VADER = """\
$ vim -Nu test/vimrc -c 'Vader! test/*.vader'
    ( 6/11) [  GIVEN] Document with fenced code blocks
    ( 6/11) [EXECUTE] Generate TOC
    ( 6/11) [ EXPECT] (X) Headings inside fenced code blocks are ignored
      - Expected:
          * [Install](#install)
      - Got:
          * [Install](#install)
          * [Not a heading](#not-a-heading)
  Success/Total: 10/11
Elapsed time: 0.41 sec.
The command "vim -Nu test/vimrc -c 'Vader! test/*.vader'" exited with 1.
"""

TEST_MORE = """\
$ prove -lv t/
t/03-quoting.t .. 
ok 1 - plain field
not ok 2 - quoted field with embedded newline is kept intact

#   Failed test 'quoted field with embedded newline is kept intact'
#   at t/03-quoting.t line 41.
#          got: 'line one'
#     expected: 'line one
# line two'
# Looks like you failed 1 test of 2.
Result: FAIL
The command "prove -lv t/" exited with 1.
"""

PESTER = """\
$ pwsh -c Invoke-Pester -EnableExit
    Context Error handling
      [+] throws a terminating error on HTTP 401 27ms
      [-] retries on HTTP 429 before giving up 61ms
        Expected Invoke-RestMethod in module PSNetbox to be called 3 times exactly but was called 1 times
        at <ScriptBlock>, /home/travis/build/x/PSNetbox/Tests/Invoke-NetboxRequest.Tests.ps1: line 71
Tests completed in 2.1s
Passed: 40 Failed: 1 Skipped: 0 Pending: 0 Inconclusive: 0
The command "pwsh -c Invoke-Pester -EnableExit" exited with 1.
"""


def test_verdicts_and_details_yield_to_the_reports_above_them() -> None:
    a = analyse(ERT)
    assert a.root_cause_line == _line(ERT, "(wrong-type-argument")
    a = analyse(VADER)
    assert a.root_cause_line == _line(VADER, "(X)")
    a = analyse(TEST_MORE)
    assert a.root_cause_line == _line(TEST_MORE, "#   Failed test")
    a = analyse(PESTER)
    assert a.root_cause_line == _line(PESTER, "Expected Invoke-RestMethod")
    assert a.category == "test"


PSSA = """\
$ pwsh -c Invoke-Build Analyze
Analyzed 24 file(s): 0 information, 0 warning(s), 1 error(s)

RuleName                                       Severity ScriptName        Line Message
--------                                       -------- ----------        ---- -------
PSAvoidUsingConvertToSecureStringWithPlainText Error    Connect-Vault.ps1   38 File 'Connect-Vault.ps1' uses ConvertTo-SecureString with plaintext.


ERROR: PSScriptAnalyzer found 1 rule violation(s) with severity Error.
At /home/travis/build/x/PSVaultKit/PSVaultKit.build.ps1:41 char:9
Build FAILED. 1 tasks, 1 errors, 0 warnings 00:00:07.6012338
The command "pwsh -c Invoke-Build Analyze" exited with 1.
"""


def test_psscriptanalyzer_s_verdict_yields_to_its_finding() -> None:
    a = analyse(PSSA)
    assert a.root_cause_line == _line(PSSA, "PSAvoidUsing")
    assert a.category == "lint"


LATEX = """\
$ latexmk -pdf thesis.tex
LaTeX Warning: Citation `srivastava2014' on page 17 undefined on input line 53.

! Undefined control sequence.
l.57 ...ectures discussed above are compared in \\Cref
                                                  {tab:results}.
Latexmk: Errors, so I did not complete making targets
The command "latexmk -pdf thesis.tex" exited with 12.
"""


def test_a_tex_error_is_the_cause_not_its_warnings() -> None:
    a = analyse(LATEX)
    assert a.root_cause_line == _line(LATEX, "! Undefined control sequence")
    assert a.category == "compile"


LEIN_DEPLOY = """\
$ lein deploy clojars
Sending geohex-clj/geohex-clj/0.7.0/geohex-clj-0.7.0.jar (24k)
    to https://repo.clojars.org/
Could not transfer artifact geohex-clj:geohex-clj:jar:0.7.0 from/to clojars (https://repo.clojars.org/): Failed to transfer file: https://repo.clojars.org/geohex-clj/geohex-clj/0.7.0/geohex-clj-0.7.0.jar. Return code is: 401, ReasonPhrase: Unauthorized.
Failed to deploy artifacts: Could not transfer artifact geohex-clj:geohex-clj:jar:0.7.0 from/to clojars (https://repo.clojars.org/): Failed to transfer file: https://repo.clojars.org/geohex-clj/geohex-clj/0.7.0/geohex-clj-0.7.0.jar. Return code is: 401, ReasonPhrase: Unauthorized.
The command "lein deploy clojars" exited with 1.
"""


def test_maven_wagon_s_return_code_401_is_credentials() -> None:
    a = analyse(LEIN_DEPLOY)
    assert a.root_cause_line == _line(LEIN_DEPLOY, "Could not transfer artifact")
    assert a.category == "credentials"


def test_categories_from_the_words_of_round_twenty_four() -> None:
    # (a settings or data file the job expects, whatever runner's name it holds)
    assert (
        _category('Could not read "phpunit.xml.dist".', 'The command "phpunit" exited with 2.')
        == "config"
    )
    assert _category("ERROR - Cannot find 'references.bib'!") == "config"
    # (grunt's `>> ` before a compiler's located error)
    assert (
        _category(
            ">> src/lib/router.coffee:57:5: error: unexpected else",
            'The command "grunt test" exited with 1.',
        )
        == "compile"
    )
    # (luacheck's finding, whatever the linted directories are called)
    assert (
        _category(
            "    lib/ratelimit/bucket.lua:57:13: accessing undefined variable tokns",
            'The command "luacheck lib spec" exited with 1.',
        )
        == "lint"
    )


# --- round twenty-five: Travis CI and GitHub Actions logs in the corpus' languages -------------

GO_BUILD_FAILED = """\
$ go test -v -race -tags integration ./...
=== RUN   TestScopesDeny
--- PASS: TestScopesDeny (0.00s)
PASS
ok  \tgithub.com/acme/evenlog/auth\t1.220s
# github.com/acme/evenlog/store/postgres [github.com/acme/evenlog/store/postgres.test]
store/postgres/events_integration_test.go:61:18: too many arguments in call to s.AppendBatch
\thave (context.Context, string, []evenlog.Event, int64)
\twant (context.Context, string, []evenlog.Event)
=== RUN   TestRedisConnError
time="2018-03-14T10:14:47Z" level=warning msg="redis unavailable, retrying" addr="127.0.0.1:1" attempt=1 error="dial tcp 127.0.0.1:1: connect: connection refused"
time="2018-03-14T10:14:47Z" level=error msg="panic recovered" error="boom"
--- PASS: TestRedisConnError (0.31s)
PASS
ok  \tgithub.com/acme/evenlog/store/redis\t1.884s
FAIL\tgithub.com/acme/evenlog/store/postgres [build failed]
The command "go test -v -race -tags integration ./..." exited with 2.
"""


def test_go_s_build_failed_yields_to_the_compiler_and_a_passed_test_s_logs_are_aside() -> None:
    a = analyse(GO_BUILD_FAILED)
    assert a.root_cause_line == _line(GO_BUILD_FAILED, "too many arguments")
    assert a.category == "compile"


GOMETALINTER = """\
$ make lint
gometalinter --vendor --disable-all --enable=vet --enable=errcheck --deadline=5m ./...
server/listener.go:97:24:warning: error return value not checked (conn.SetReadBuffer(l.cfg.ReadBufferBytes)) (errcheck)
make: *** [lint] Error 1
The command "make lint" exited with 2.
"""


def test_a_gometalinter_warning_is_the_finding_that_failed_it() -> None:
    a = analyse(GOMETALINTER)
    assert a.root_cause_line == _line(GOMETALINTER, "server/listener.go")
    assert a.category == "lint"


UNITTEST = """\
$ python manage.py test
..F.
======================================================================
FAIL: test_total_rounds_vat_half_up (invoices.tests.test_models.InvoiceTotalsTests)
----------------------------------------------------------------------
Traceback (most recent call last):
  File "/home/travis/build/x/invoices/tests/test_models.py", line 42, in test_total_rounds_vat_half_up
    self.assertEqual(invoice.total, Decimal("121.01"))
AssertionError: Decimal('121.00') != Decimal('121.01')

----------------------------------------------------------------------
Ran 4 tests in 0.231s

FAILED (failures=1)
The command "python manage.py test" exited with 1.
"""


def test_unittest_s_fail_header_yields_to_what_its_traceback_ends_with() -> None:
    a = analyse(UNITTEST)
    assert a.root_cause_line == _line(UNITTEST, "AssertionError:")
    assert a.category == "test"


HEX = """\
$ mix deps.get
Resolving Hex dependencies...
Request failed ({:failed_connect, [{:to_address, {'repo.hex.pm', 443}}, {:inet, [:inet], :nxdomain}]})
** (Mix) Package fetch failed and no cached copy available (https://repo.hex.pm/tarballs/plug_crypto-1.0.0.tar)
The command "mix deps.get" failed and exited with 1 during .
"""

PERL_DIED = """\
$ prove -lrv t
t/01-parse.t ..
ok 1 - parses RSS
ok 2 - parses Atom
ok 3 - keeps entry order
Can't call method "set_time_zone" on an undefined value at lib/Feedr/Date.pm line 64.
# Looks like your test exited with 255 just after 3.
Dubious, test returned 255 (wstat 65280, 0xff00)
All 3 subtests passed
The command "prove -lrv t" exited with 1.
"""

STACK_PLAN = """\
$ stack --resolver lts-11.22 build --test --only-dependencies

Error: While constructing the build plan, the following exceptions were encountered:

In the dependencies for feedr-0.3.0:
    hasql-1.1.1 from stack configuration does not match >=1.3 && <1.4  (latest matching version is 1.3.0.3)
needed since feedr is a build target.

Some different approaches to resolving this:
The command "stack --resolver lts-11.22 build --test --only-dependencies" failed and exited with 1 during .
"""

RCMDCHECK = """\
##[group]Run r-lib/actions/check-r-package@v2
##[endgroup]
 ✔  checking for unstated dependencies in ‘tests’
 ─  checking tests ...
 E  Running ‘testthat.R’ (13.1s)
    Running the tests in ‘tests/testthat.R’ failed.
    Last 13 lines of output:
      ══ Failed tests ════════════════════════════════════════════════════════════════
      ── Failure ('test-parse.R:45:3'): parse_duration handles ISO 8601 weeks ────────
      parse_duration("P2W") (`actual`) not equal to 1209600 (`expected`).
      [ FAIL 1 | WARN 0 | SKIP 3 | PASS 212 ]
      Error: Test failures
      Execution halted
 ✔  checking PDF version of manual
   1 error ✖ | 0 warnings ✔ | 0 notes ✔
Error: R CMD check found ERRORs
##[error]Process completed with exit code 1.
"""

YARN = """\
$ yarn
yarn install v1.3.2
[1/4] Resolving packages...
error Couldn't find any versions for "eslint-config-pinecone" that matches "^2.3.0"
info Visit https://yarnpkg.com/en/docs/cli/install for documentation about this command.
The command "yarn" failed and exited with 1 during .
"""


def test_round_twenty_five_causes_and_their_categories() -> None:
    a = analyse(HEX)
    assert (a.root_cause_line, a.category) == (_line(HEX, "Request failed"), "network")
    a = analyse(PERL_DIED)
    assert a.root_cause_line == _line(PERL_DIED, "Can't call method")
    a = analyse(STACK_PLAN)
    assert (a.root_cause_line, a.category) == (_line(STACK_PLAN, "hasql-1.1.1"), "dependency")
    a = analyse(RCMDCHECK)
    assert (a.root_cause_line, a.category) == (_line(RCMDCHECK, "── Failure"), "test")
    a = analyse(YARN)
    assert (a.root_cause_line, a.category) == (_line(YARN, "Couldn't find any"), "dependency")


def test_categories_from_the_words_of_round_twenty_five() -> None:
    assert _category("Error: Version 3.12 of the dune language is not supported.") == "config"
    assert (
        _category(
            "     | Cannot validate argument on parameter 'NuGetApiKey'. The argument is null or empty."
        )
        == "credentials"
    )
    assert (
        _category(
            'Error: Undefined variable: "$gl-gutter-width".',
            'The command "npm test" exited with 1.',
        )
        == "compile"
    )


# --- round twenty-six: Travis test runs and builds, GitLab and Jenkins jobs, GitHub plumbing ----

CONTINUE_ON_ERROR = """\
2022-06-14T13:20:38.0000000Z ##[group]Run dotnet list package --vulnerable --include-transitive 2>&1 | tee vulnerable.txt
2022-06-14T13:20:38.0000001Z dotnet list package --vulnerable --include-transitive 2>&1 | tee vulnerable.txt
2022-06-14T13:20:38.0000002Z ! grep -q -i "has the following vulnerable packages" vulnerable.txt
2022-06-14T13:20:38.0000003Z shell: /usr/bin/bash -e {0}
2022-06-14T13:20:38.0000004Z ##[endgroup]
2022-06-14T13:20:39.0000000Z Project `Ledger.Api` has the following vulnerable packages
2022-06-14T13:20:39.0000001Z    > System.Net.Http                    4.3.0      High       https://github.com/advisories/GHSA-7jgj-8wvc-jh57
2022-06-14T13:20:40.0953171Z ##[error]Process completed with exit code 1.
2022-06-14T13:20:41.0000000Z ##[group]Run dotnet test --no-build --logger "trx;LogFileName=test-results.trx"
2022-06-14T13:20:41.0000001Z dotnet test --no-build --logger "trx;LogFileName=test-results.trx"
2022-06-14T13:20:41.0000002Z shell: /usr/bin/bash -e {0}
2022-06-14T13:20:41.0000003Z ##[endgroup]
2022-06-14T13:21:04.0747343Z   Failed Ledger.Tests.InvoiceCalculatorTests.ApplyDiscount_RoundsToTwoDecimals(amount: 19.99, rate: 0.15) [4 ms]
2022-06-14T13:21:04.0750000Z   Error Message:
2022-06-14T13:21:04.0764468Z    Assert.Equal() Failure
2022-06-14T13:21:04.0770000Z Expected: 16.99
2022-06-14T13:21:04.0780000Z Actual:   16.9915
2022-06-14T13:21:07.0000000Z Failed!  - Failed:     1, Passed:    41, Skipped:     0, Total:    42
2022-06-14T13:21:07.6625067Z ##[error]Process completed with exit code 1.
2022-06-14T13:21:08.0000000Z Post job cleanup.
"""


def test_a_later_step_that_tests_is_the_job_s_failure_whatever_its_arguments_name() -> None:
    a = analyse(CONTINUE_ON_ERROR)
    assert a.root_cause_line in (
        _line(CONTINUE_ON_ERROR, "  Failed Ledger"),
        _line(CONTINUE_ON_ERROR, "Assert.Equal() Failure"),
    )
    assert a.category == "test"


CODECOV = """\
2023-11-14T09:40:20.0000000Z ##[group]Run codecov/codecov-action@v3
2023-11-14T09:40:20.0000001Z with:
2023-11-14T09:40:20.0000002Z   fail_ci_if_error: true
2023-11-14T09:40:20.0000003Z ##[endgroup]
2023-11-14T09:40:26.9934836Z [2023-11-14T09:40:26.962Z] ['info'] => Project root located at: /home/runner/work/geofence/geofence
2023-11-14T09:40:27.0000000Z [2023-11-14T09:40:27.001Z] ['info'] -> Token of length 0 detected
2023-11-14T09:40:30.0776530Z [2023-11-14T09:40:30.069Z] ['error'] There was an error running the uploader: Error uploading to https://codecov.io: Error: There was an error fetching the storage URL during POST: 429 - {'detail': ErrorDetail(string='Rate limit reached.', code='throttled')}
2023-11-14T09:40:30.0800000Z ##[error]Codecov: Failed to properly upload: The process '/home/runner/work/_actions/codecov/codecov-action/v3/dist/codecov' failed with exit code 255
2023-11-14T09:40:31.0000000Z Post job cleanup.
"""


def test_codecov_s_uploader_error_is_the_cause_and_its_429_the_network() -> None:
    a = analyse(CODECOV)
    assert a.root_cause_line == _line(CODECOV, "['error']")
    assert a.category == "network"


def test_a_later_make_step_that_gathers_logs_stays_after_failure_work() -> None:
    # (guard: `make logs`, run on failure, is not the job's work; `make test` before it failed)
    log = CONTINUE_ON_ERROR.replace("dotnet test --no-build", "make logs").replace(
        ' --logger "trx;LogFileName=test-results.trx"', ""
    )
    a = analyse(log)
    assert a.root_cause_line < _line(log, "Run make logs")


BUNDLER_NATIVE = """\
$ bundle install --jobs=3 --retry=3 --deployment
Installing charlock_holmes 0.7.6 with native extensions
Gem::Ext::BuildError: ERROR: Failed to build gem native extension.

    current directory: /home/travis/build/x/repostats/vendor/bundle/ruby/2.4.0/gems/charlock_holmes-0.7.6/ext/charlock_holmes
/home/travis/.rvm/rubies/ruby-2.4.4/bin/ruby -r ./siteconf20180813-5123-1b3k9qm.rb extconf.rb
checking for -licui18n... no
checking for -licui18n... no


***************************************************************************************
*********** icu required (brew install icu4c or apt-get install libicu-dev) ***********
***************************************************************************************

To see why this extension failed to compile, please check the mkmf.log which can be found here:

extconf failed, exit code 1

An error occurred while installing charlock_holmes (0.7.6), and Bundler cannot continue.
Make sure that `gem install charlock_holmes -v '0.7.6' --source 'https://rubygems.org/'` succeeds before bundling.
The command "eval bundle install --jobs=3 --retry=3 --deployment" failed 3 times.
The command "eval bundle install --jobs=3 --retry=3 --deployment" failed and exited with 5 during .
"""


def test_bundler_s_native_extension_failure_yields_to_what_extconf_lacks() -> None:
    a = analyse(BUNDLER_NATIVE)
    assert a.root_cause_line == _line(BUNDLER_NATIVE, "icu required")
    assert a.category == "dependency"
