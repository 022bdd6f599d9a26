# ruff: noqa: E501, W291  (log lines as the tools print them: long, tabs, trailing blanks)
"""Shapes from the twenty-third round of probe logs (databases and service containers,
infrastructure as code, build systems beyond the usual): each test fails on the engine as it
was at the session's start (983ab92)."""

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
