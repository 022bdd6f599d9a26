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
