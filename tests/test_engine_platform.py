# ruff: noqa: E501
"""Platform failures read from realistic CI logs: the line a person would point at, the
failing step and the exit code, when a retry, a DNS failure or the CI's after-failure work
stands between the cause and the job's end."""

from __future__ import annotations

from ciwhy.analysis import analyse


def _gha(lines: list[str]) -> bytes:
    return "".join(
        f"2024-05-08T07:05:{k // 10:02d}.{k:07d}Z {x}\n" for k, x in enumerate(lines)
    ).encode()


APT_DNS = [
    "##[group]Run sudo apt-get update && sudo apt-get install -y python3-pip libpq-dev",
    "sudo apt-get update && sudo apt-get install -y python3-pip libpq-dev",
    "shell: /usr/bin/bash -e {0}",
    "##[endgroup]",
    "Ign:1 http://archive.ubuntu.com/ubuntu jammy InRelease",
    "Ign:2 http://security.ubuntu.com/ubuntu jammy-security InRelease",
    "Err:1 http://archive.ubuntu.com/ubuntu jammy InRelease",
    "  Could not resolve 'archive.ubuntu.com'",  # 8
    "Err:2 http://security.ubuntu.com/ubuntu jammy-security InRelease",
    "  Could not resolve 'security.ubuntu.com'",
    "Reading package lists...",
    "W: Failed to fetch http://archive.ubuntu.com/ubuntu/dists/jammy/InRelease  Could not resolve 'archive.ubuntu.com'",
    "W: Failed to fetch http://security.ubuntu.com/ubuntu/dists/jammy-security/InRelease  Could not resolve 'security.ubuntu.com'",
    "W: Some index files failed to download. They have been ignored, or old ones used instead.",
    "Reading package lists...",
    "Building dependency tree...",
    "Reading state information...",
    "E: Unable to locate package python3-pip",
    "E: Unable to locate package libpq-dev",
    "##[error]Process completed with exit code 100.",
    "Post job cleanup.",
]


def test_apt_cannot_locate_packages_because_dns_failed() -> None:
    a = analyse(_gha(APT_DNS))
    assert a.root_cause_line in (8, 10, 12, 13), a.root_cause
    assert a.category == "network"
    assert "archive.ubuntu.com" in a.root_cause or "security.ubuntu.com" in a.root_cause
    assert a.exit_code == 100


JENKINS_RETRY = """\
[Pipeline] stage
[Pipeline] { (Fetch artifact)
[Pipeline] retry
[Pipeline] {
[Pipeline] sh
+ curl -fsSL -o orders.jar https://nexus.example.internal/orders-2.8.1.jar
curl: (7) Failed to connect to nexus.example.internal port 443 after 3 ms: Couldn't connect to server
[Pipeline] }
ERROR: script returned exit code 7
Retrying
[Pipeline] {
[Pipeline] sh
+ curl -fsSL -o orders.jar https://nexus.example.internal/orders-2.8.1.jar
[Pipeline] }
[Pipeline] // retry
[Pipeline] }
[Pipeline] // stage
[Pipeline] stage
[Pipeline] { (Deploy)
[Pipeline] sh
+ scp -o BatchMode=yes orders.jar deploy@app-prod-02.example.internal:/opt/orders/
Host key verification failed.
lost connection
[Pipeline] }
[Pipeline] // stage
[Pipeline] End of Pipeline
ERROR: script returned exit code 1
Finished: FAILURE
"""


def test_a_failed_attempt_that_jenkins_retried_is_not_the_failure() -> None:
    a = analyse(JENKINS_RETRY.encode())
    assert a.root_cause_line == 22, a.root_cause
    assert a.failing_step is not None and a.failing_step.name == "Deploy"
    assert a.exit_code == 1


GITLAB_AFTER_FAILURE = [
    'section_start:1714557600:step_script\r\x1b[0K\x1b[0K\x1b[36;1mExecuting "step_script" stage of the job script\x1b[0;m',
    "\x1b[32;1m$ terraform plan -input=false\x1b[0;m",
    "\x1b[31m╷\x1b[0m\x1b[0m",
    "\x1b[31m│\x1b[0m \x1b[0m\x1b[1m\x1b[31mError: \x1b[0m\x1b[0m\x1b[1mInvalid reference\x1b[0m",  # 4
    "\x1b[31m│\x1b[0m \x1b[0m",
    '\x1b[31m│\x1b[0m \x1b[0m\x1b[0m  on main.tf line 12, in resource "aws_s3_bucket" "logs":',
    "\x1b[31m╵\x1b[0m\x1b[0m",
    "section_end:1714557612:step_script\r\x1b[0K",
    "section_start:1714557612:upload_artifacts_on_failure\r\x1b[0K\x1b[0K\x1b[36;1mUploading artifacts for failed job\x1b[0;m",
    "\x1b[33mWARNING: plan.cache: no matching files.\x1b[0;m",
    "\x1b[31;1mERROR: No files to upload                         \x1b[0;m",
    "section_end:1714557613:upload_artifacts_on_failure\r\x1b[0K",
    "\x1b[31;1mERROR: Job failed: exit code 1",
    "\x1b[0;m",
]


def test_gitlab_names_the_exit_code_after_its_after_failure_work() -> None:
    a = analyse("\n".join(GITLAB_AFTER_FAILURE).encode())
    # (a bare `\r` is a line break: every section marker holds one)
    assert a.root_cause_line == 5, a.root_cause
    assert a.category == "config"
    assert a.exit_code == 1
    assert a.failing_step is not None and a.failing_step.exit_code == 1
