"""CI environment detection: one realistic environment per vendor, the shared-variable traps,
and a property test that detection never raises."""

from __future__ import annotations

import dataclasses

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ciwhy.cli import ci_env
from ciwhy.cli.ci_env import CIContext, detect, slug_from_git_url

SHA = "3f4e1a9c2b7d8e6f5a4b3c2d1e0f9a8b7c6d5e4f"

# One environment per vendor, shaped like what the vendor really exports (reference §1.2),
# including the noise a real job has, and the CIContext expected from it.
CASES: dict[str, tuple[dict[str, str], CIContext]] = {
    "github_actions": (
        {
            "CI": "true",
            "GITHUB_ACTIONS": "true",
            "GITHUB_SERVER_URL": "https://github.com",
            "GITHUB_REPOSITORY": "octo-org/widgets",
            "GITHUB_RUN_ID": "9876543210",
            "GITHUB_RUN_NUMBER": "412",
            "GITHUB_RUN_ATTEMPT": "2",
            "GITHUB_WORKFLOW": "CI",
            "GITHUB_JOB": "unit-tests",
            "GITHUB_EVENT_NAME": "push",
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main",
            "GITHUB_HEAD_REF": "",  # set but empty outside pull requests
            "GITHUB_SHA": SHA,
            "RUNNER_OS": "Linux",
        },
        CIContext(
            vendor="github_actions",
            project="octo-org/widgets",
            pipeline_id="9876543210",
            job_id=None,  # GITHUB_JOB is a key, not the numeric job id
            job_name="unit-tests",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://github.com/octo-org/widgets/actions/runs/9876543210/attempts/2",
            build_number="412",
        ),
    ),
    "gitlab": (
        {
            "CI": "true",
            "GITLAB_CI": "true",
            "CI_SERVER_URL": "https://gitlab.example.com",
            "CI_PROJECT_PATH": "platform/backend/api",
            "CI_PROJECT_URL": "https://gitlab.example.com/platform/backend/api",
            "CI_PIPELINE_ID": "1203344",
            "CI_PIPELINE_IID": "87",
            "CI_PIPELINE_URL": "https://gitlab.example.com/platform/backend/api/-/pipelines/1203344",
            "CI_JOB_ID": "99887766",
            "CI_JOB_NAME": "rspec 1/3",
            "CI_JOB_STAGE": "test",
            "CI_JOB_URL": "https://gitlab.example.com/platform/backend/api/-/jobs/99887766",
            "CI_JOB_STATUS": "failed",
            # A tag pipeline: CI_COMMIT_BRANCH is unset, CI_COMMIT_REF_NAME is the tag.
            "CI_COMMIT_REF_NAME": "v1.4.0",
            "CI_COMMIT_TAG": "v1.4.0",
            "CI_COMMIT_SHA": SHA,
        },
        CIContext(
            vendor="gitlab",
            project="platform/backend/api",
            pipeline_id="1203344",
            job_id="99887766",
            job_name="rspec 1/3",
            branch="v1.4.0",
            commit_sha=SHA,
            pipeline_url="https://gitlab.example.com/platform/backend/api/-/pipelines/1203344",
            job_url="https://gitlab.example.com/platform/backend/api/-/jobs/99887766",
            build_number="87",
            status="failed",
        ),
    ),
    "jenkins": (
        {
            "JENKINS_URL": "https://jenkins.example.com/",
            "BUILD_ID": "57",
            "BUILD_NUMBER": "57",
            "BUILD_TAG": "jenkins-acme-api-main-57",
            "BUILD_URL": "https://jenkins.example.com/job/acme/job/api/job/main/57/",
            "JOB_NAME": "acme/api/main",
            "JOB_BASE_NAME": "main",
            "NODE_NAME": "agent-3",
            "BRANCH_NAME": "main",
            "GIT_URL": "https://github.com/acme/api.git",
            "GIT_BRANCH": "origin/main",
            "GIT_COMMIT": SHA,
        },
        CIContext(
            vendor="jenkins",
            project="acme/api",
            pipeline_id="jenkins-acme-api-main-57",
            job_name="acme/api/main",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://jenkins.example.com/job/acme/job/api/job/main/57/",
            job_url="https://jenkins.example.com/job/acme/job/api/job/main/57/",
            build_number="57",
        ),
    ),
    "circleci": (
        {
            "CI": "true",
            "CIRCLECI": "true",
            "CIRCLE_PROJECT_USERNAME": "acme",
            "CIRCLE_PROJECT_REPONAME": "web",
            "CIRCLE_REPOSITORY_URL": "git@github.com:acme/web.git",
            "CIRCLE_PIPELINE_ID": "0e4f7d8a-1111-4c3b-9c1a-6c0f2b1d2e3f",
            "CIRCLE_WORKFLOW_ID": "5b2f7a44-2222-4d9e-8f3a-1a2b3c4d5e6f",
            "CIRCLE_WORKFLOW_JOB_ID": "c1d2e3f4-3333-4a5b-9c8d-7e6f5a4b3c2d",
            "CIRCLE_BUILD_NUM": "1234",
            "CIRCLE_JOB": "build",
            "CIRCLE_BRANCH": "main",
            "CIRCLE_SHA1": SHA,
            "CIRCLE_BUILD_URL": "https://circleci.com/gh/acme/web/1234",
            "CIRCLE_NODE_INDEX": "0",
            "CIRCLE_NODE_TOTAL": "1",
        },
        CIContext(
            vendor="circleci",
            project="acme/web",
            pipeline_id="5b2f7a44-2222-4d9e-8f3a-1a2b3c4d5e6f",
            job_id="c1d2e3f4-3333-4a5b-9c8d-7e6f5a4b3c2d",
            job_name="build",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://app.circleci.com/pipelines/workflows/5b2f7a44-2222-4d9e-8f3a-1a2b3c4d5e6f",
            job_url="https://circleci.com/gh/acme/web/1234",
            build_number="1234",
        ),
    ),
    "buildkite": (
        {
            "CI": "true",
            "BUILDKITE": "true",
            "BUILDKITE_ORGANIZATION_SLUG": "acme",
            "BUILDKITE_PIPELINE_SLUG": "monorepo",
            "BUILDKITE_REPO": "git@github.com:acme/monorepo.git",
            "BUILDKITE_BUILD_ID": "01890f3e-4444-4b1c-a2d3-e4f5a6b7c8d9",
            "BUILDKITE_BUILD_NUMBER": "1514",
            "BUILDKITE_BUILD_URL": "https://buildkite.com/acme/monorepo/builds/1514",
            "BUILDKITE_JOB_ID": "01890f3e-5555-4c2d-b3e4-f5a6b7c8d9e0",
            "BUILDKITE_LABEL": ":pytest: unit",
            "BUILDKITE_STEP_KEY": "unit",
            "BUILDKITE_BRANCH": "main",
            "BUILDKITE_COMMIT": SHA,
            "BUILDKITE_PULL_REQUEST": "false",
            "BUILDKITE_COMMAND_EXIT_STATUS": "1",
        },
        CIContext(
            vendor="buildkite",
            project="acme/monorepo",
            pipeline_id="01890f3e-4444-4b1c-a2d3-e4f5a6b7c8d9",
            job_id="01890f3e-5555-4c2d-b3e4-f5a6b7c8d9e0",
            job_name=":pytest: unit",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://buildkite.com/acme/monorepo/builds/1514",
            job_url="https://buildkite.com/acme/monorepo/builds/1514#01890f3e-5555-4c2d-b3e4-f5a6b7c8d9e0",
            build_number="1514",
            status="1",
        ),
    ),
    "drone": (
        {
            "CI": "true",
            "DRONE": "true",
            "DRONE_REPO": "octocat/hello-world",
            "DRONE_REPO_OWNER": "octocat",
            "DRONE_REPO_NAME": "hello-world",
            "DRONE_BUILD_NUMBER": "22",
            "DRONE_BUILD_LINK": "https://drone.example.com/octocat/hello-world/22",
            "DRONE_BUILD_EVENT": "push",
            "DRONE_BUILD_STATUS": "failure",
            "DRONE_STAGE_NAME": "default",
            "DRONE_STAGE_NUMBER": "1",
            "DRONE_STEP_NAME": "test",
            "DRONE_STEP_NUMBER": "2",
            "DRONE_BRANCH": "main",
            "DRONE_SOURCE_BRANCH": "main",
            "DRONE_TARGET_BRANCH": "main",
            "DRONE_COMMIT_SHA": SHA,
            "DRONE_COMMIT": SHA,
            "DRONE_FAILED_STEPS": "test",
            # Drone's legacy names, which look like Woodpecker's.
            "CI_BUILD_NUMBER": "22",
            "CI_COMMIT_SHA": SHA,
            "CI_REPO": "octocat/hello-world",
        },
        CIContext(
            vendor="drone",
            project="octocat/hello-world",
            job_id="2",
            job_name="default/test",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://drone.example.com/octocat/hello-world/22",
            build_number="22",
            status="failure",
        ),
    ),
    "woodpecker": (
        {
            "CI": "woodpecker",
            "CI_REPO": "john-doe/my-repo",
            "CI_REPO_OWNER": "john-doe",
            "CI_REPO_NAME": "my-repo",
            "CI_FORGE_URL": "https://codeberg.org",
            "CI_PIPELINE_NUMBER": "8",
            "CI_PIPELINE_URL": "https://ci.example.com/repos/7/pipeline/8",
            "CI_PIPELINE_STATUS": "failure",
            "CI_PIPELINE_EVENT": "push",
            "CI_WORKFLOW_NAME": "build",
            "CI_STEP_NAME": "test",
            "CI_STEP_NUMBER": "3",
            "CI_STEP_URL": "https://ci.example.com/repos/7/pipeline/8/3",
            "CI_COMMIT_BRANCH": "main",
            "CI_COMMIT_SHA": SHA,
        },
        CIContext(
            vendor="woodpecker",
            project="john-doe/my-repo",
            job_id="3",
            job_name="build/test",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://ci.example.com/repos/7/pipeline/8",
            job_url="https://ci.example.com/repos/7/pipeline/8/3",
            build_number="8",
            status="failure",
        ),
    ),
    "harness": (
        {
            "CI": "true",
            "HARNESS_BUILD_ID": "42",
            "HARNESS_STAGE_ID": "build",
            "HARNESS_STEP_ID": "run_tests",
            "CI_BUILD_NUMBER": "42",
            "CI_REPO": "acme/payments",
            "CI_BUILD_LINK": "https://app.harness.io/ng/account/abc/ci/orgs/default/projects/pay/pipelines/ci/executions/xyz",
            # Harness is built on Drone.
            "DRONE": "true",
            "DRONE_COMMIT_BRANCH": "main",
            "DRONE_COMMIT_SHA": SHA,
            "DRONE_BUILD_NUMBER": "42",
        },
        CIContext(
            vendor="harness",
            project="acme/payments",
            pipeline_id="42",
            job_id="run_tests",
            job_name="build/run_tests",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://app.harness.io/ng/account/abc/ci/orgs/default/projects/pay/pipelines/ci/executions/xyz",
            build_number="42",
        ),
    ),
    "teamcity": (
        {
            "TEAMCITY_VERSION": "2024.03.1 (build 156606)",
            "TEAMCITY_PROJECT_NAME": "Backend",
            "TEAMCITY_BUILDCONF_NAME": "Unit tests",
            "TEAMCITY_BUILD_PROPERTIES_FILE": "/opt/agent/temp/buildTmp/teamcity.build1.properties",
            "BUILD_NUMBER": "318",
            "BUILD_VCS_NUMBER": SHA,
        },
        CIContext(
            vendor="teamcity",
            project="Backend",
            job_name="Unit tests",
            commit_sha=SHA,
            build_number="318",
        ),
    ),
    "appveyor": (
        {
            "CI": "True",
            "APPVEYOR": "True",
            "APPVEYOR_URL": "https://ci.appveyor.com",
            "APPVEYOR_ACCOUNT_NAME": "acme",
            "APPVEYOR_PROJECT_SLUG": "widgets",
            "APPVEYOR_BUILD_ID": "48913247",
            "APPVEYOR_BUILD_NUMBER": "112",
            "APPVEYOR_BUILD_VERSION": "1.0.112",
            "APPVEYOR_JOB_ID": "ab12cd34ef56gh78",
            "APPVEYOR_JOB_NAME": "Environment: PY=3.12",
            "APPVEYOR_REPO_NAME": "acme/widgets",
            "APPVEYOR_REPO_BRANCH": "main",
            "APPVEYOR_REPO_COMMIT": SHA,
        },
        CIContext(
            vendor="appveyor",
            project="acme/widgets",
            pipeline_id="48913247",
            job_id="ab12cd34ef56gh78",
            job_name="Environment: PY=3.12",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://ci.appveyor.com/project/acme/widgets/builds/48913247",
            job_url="https://ci.appveyor.com/project/acme/widgets/builds/48913247/job/ab12cd34ef56gh78",
            build_number="112",
        ),
    ),
    "azure_pipelines": (
        {
            "TF_BUILD": "True",
            "BUILD_BUILDURI": "vstfs:///Build/Build/20512",
            "BUILD_BUILDID": "20512",
            "BUILD_BUILDNUMBER": "20240101.3",
            "BUILD_REPOSITORY_NAME": "acme/api",
            "BUILD_SOURCEBRANCH": "refs/heads/feature/login",
            "BUILD_SOURCEBRANCHNAME": "login",  # only the last segment: not the branch
            "BUILD_SOURCEVERSION": SHA,
            "SYSTEM_JOBID": "12f1170f-54f2-53f3-20dd-22fc7dff55f9",
            "SYSTEM_JOBDISPLAYNAME": "Linux py312",
            "SYSTEM_TEAMFOUNDATIONCOLLECTIONURI": "https://dev.azure.com/acme/",
            "SYSTEM_TEAMPROJECT": "Acme Platform",
            "AGENT_JOBSTATUS": "Failed",
        },
        CIContext(
            vendor="azure_pipelines",
            project="acme/api",
            pipeline_id="20512",
            job_id="12f1170f-54f2-53f3-20dd-22fc7dff55f9",
            job_name="Linux py312",
            branch="feature/login",
            commit_sha=SHA,
            pipeline_url="https://dev.azure.com/acme/Acme%20Platform/_build/results?buildId=20512",
            job_url="https://dev.azure.com/acme/Acme%20Platform/_build/results?buildId=20512"
            "&view=logs&j=12f1170f-54f2-53f3-20dd-22fc7dff55f9",
            build_number="20240101.3",
            status="Failed",
        ),
    ),
    "bitbucket": (
        {
            "CI": "true",
            "BITBUCKET_BUILD_NUMBER": "345",
            "BITBUCKET_COMMIT": SHA,
            "BITBUCKET_BRANCH": "main",
            "BITBUCKET_WORKSPACE": "acme",
            "BITBUCKET_REPO_SLUG": "site",
            "BITBUCKET_REPO_FULL_NAME": "acme/site",
            "BITBUCKET_PIPELINE_UUID": "{a1b2c3d4-6666-4e5f-8a9b-0c1d2e3f4a5b}",
            "BITBUCKET_STEP_UUID": "{b2c3d4e5-7777-4f6a-9b0c-1d2e3f4a5b6c}",
            "BITBUCKET_EXIT_CODE": "1",
        },
        CIContext(
            vendor="bitbucket",
            project="acme/site",
            pipeline_id="{a1b2c3d4-6666-4e5f-8a9b-0c1d2e3f4a5b}",
            job_id="{b2c3d4e5-7777-4f6a-9b0c-1d2e3f4a5b6c}",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://bitbucket.org/acme/site/addon/pipelines/home#!/results/345",
            build_number="345",
            status="1",
        ),
    ),
    "travis": (
        {
            "CI": "true",
            "TRAVIS": "true",
            "CONTINUOUS_INTEGRATION": "true",
            "TRAVIS_REPO_SLUG": "acme/lib",
            "TRAVIS_BUILD_ID": "1234567",
            "TRAVIS_BUILD_NUMBER": "89",
            "TRAVIS_JOB_ID": "1234568",
            "TRAVIS_JOB_NUMBER": "89.1",
            "TRAVIS_BRANCH": "main",  # a pull request's target
            "TRAVIS_PULL_REQUEST": "42",
            "TRAVIS_PULL_REQUEST_BRANCH": "fix/typo",
            "TRAVIS_COMMIT": SHA,
            "TRAVIS_BUILD_WEB_URL": "https://app.travis-ci.com/acme/lib/builds/1234567",
            "TRAVIS_JOB_WEB_URL": "https://app.travis-ci.com/acme/lib/jobs/1234568",
            "TRAVIS_TEST_RESULT": "1",
        },
        CIContext(
            vendor="travis",
            project="acme/lib",
            pipeline_id="1234567",
            job_id="1234568",
            job_name="89.1",
            branch="fix/typo",
            commit_sha=SHA,
            pipeline_url="https://app.travis-ci.com/acme/lib/builds/1234567",
            job_url="https://app.travis-ci.com/acme/lib/jobs/1234568",
            build_number="89",
            status="1",
        ),
    ),
    "gocd": (
        {
            "GO_SERVER_URL": "https://gocd.example.com/go/",
            "GO_PIPELINE_NAME": "api-build",
            "GO_PIPELINE_COUNTER": "231",
            "GO_PIPELINE_LABEL": "231",
            "GO_STAGE_NAME": "test",
            "GO_STAGE_COUNTER": "1",
            "GO_JOB_NAME": "unit",
            "GO_REVISION": SHA,
            "GO_TRIGGER_USER": "changes",
        },
        CIContext(
            vendor="gocd",
            project="api-build",
            pipeline_id="api-build/231",
            job_name="unit",
            commit_sha=SHA,
            job_url="https://gocd.example.com/go/tab/build/detail/api-build/231/test/1/unit",
            build_number="231",
        ),
    ),
    "bamboo": (
        {
            "bamboo_planKey": "ACME-API",
            "bamboo_buildKey": "ACME-API-JOB1",
            "bamboo_buildResultKey": "ACME-API-JOB1-57",
            "bamboo_buildNumber": "57",
            "bamboo_shortJobName": "Default Job",
            "bamboo_agentId": "131073",
            "bamboo_planRepository_branch": "main",
            "bamboo_planRepository_revision": SHA,
            "bamboo_planRepository_repositoryUrl": "ssh://git@bitbucket.example.com:7999/acme/api.git",
            "bamboo_buildResultsUrl": "https://bamboo.example.com/browse/ACME-API-JOB1-57",
        },
        CIContext(
            vendor="bamboo",
            project="acme/api",
            pipeline_id="ACME-API-JOB1-57",
            job_id="ACME-API-JOB1",
            job_name="Default Job",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://bamboo.example.com/browse/ACME-API-JOB1-57",
            build_number="57",
        ),
    ),
    "semaphore": (
        {
            "CI": "true",
            "SEMAPHORE": "true",
            "SEMAPHORE_ORGANIZATION_URL": "https://acme.semaphoreci.com",
            "SEMAPHORE_GIT_REPO_SLUG": "acme/shop",
            "SEMAPHORE_WORKFLOW_ID": "65c3b1a0-8888-4b2c-9d3e-4f5a6b7c8d9e",
            "SEMAPHORE_WORKFLOW_NUMBER": "44",
            "SEMAPHORE_PIPELINE_ID": "7d8e9f0a-9999-4c3d-8e4f-5a6b7c8d9e0f",
            "SEMAPHORE_JOB_ID": "0a1b2c3d-aaaa-4d4e-9f5a-6b7c8d9e0f1a",
            "SEMAPHORE_JOB_NAME": "RSpec 1/4",
            "SEMAPHORE_GIT_BRANCH": "main",
            "SEMAPHORE_GIT_SHA": SHA,
            "SEMAPHORE_JOB_RESULT": "failed",
        },
        CIContext(
            vendor="semaphore",
            project="acme/shop",
            pipeline_id="65c3b1a0-8888-4b2c-9d3e-4f5a6b7c8d9e",
            job_id="0a1b2c3d-aaaa-4d4e-9f5a-6b7c8d9e0f1a",
            job_name="RSpec 1/4",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://acme.semaphoreci.com/workflows/65c3b1a0-8888-4b2c-9d3e-4f5a6b7c8d9e",
            job_url="https://acme.semaphoreci.com/jobs/0a1b2c3d-aaaa-4d4e-9f5a-6b7c8d9e0f1a",
            build_number="44",
            status="failed",
        ),
    ),
    "codefresh": (
        {
            "CF_BUILD_ID": "5f1e2d3c4b5a69788796a5b4",
            "CF_BUILD_URL": "https://g.codefresh.io/build/5f1e2d3c4b5a69788796a5b4",
            "CF_PIPELINE_NAME": "api/ci",
            "CF_STEP_NAME": "unit_tests",
            "CF_REPO_OWNER": "acme",
            "CF_REPO_NAME": "api",
            "CF_BRANCH": "main",
            "CF_REVISION": SHA,
        },
        CIContext(
            vendor="codefresh",
            project="acme/api",
            pipeline_id="5f1e2d3c4b5a69788796a5b4",
            job_name="unit_tests",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://g.codefresh.io/build/5f1e2d3c4b5a69788796a5b4",
        ),
    ),
    "codebuild": (
        {
            "AWS_REGION": "eu-west-1",
            "AWS_DEFAULT_REGION": "eu-west-1",
            "CODEBUILD_BUILD_ARN": "arn:aws:codebuild:eu-west-1:123456789012:build/"
            "api-ci:0d1e2f3a-bbbb-4c5d-8e6f-7a8b9c0d1e2f",
            "CODEBUILD_BUILD_ID": "api-ci:0d1e2f3a-bbbb-4c5d-8e6f-7a8b9c0d1e2f",
            "CODEBUILD_BUILD_NUMBER": "17",
            "CODEBUILD_INITIATOR": "GitHub-Hookshot/1c6af21",
            "CODEBUILD_PUBLIC_BUILD_URL": "",
            "CODEBUILD_RESOLVED_SOURCE_VERSION": SHA,
            "CODEBUILD_SOURCE_REPO_URL": "https://github.com/acme/api.git",
            "CODEBUILD_SOURCE_VERSION": SHA,
            "CODEBUILD_WEBHOOK_EVENT": "PUSH",
            "CODEBUILD_WEBHOOK_HEAD_REF": "refs/heads/main",
            "CODEBUILD_WEBHOOK_TRIGGER": "branch/main",
        },
        CIContext(
            vendor="codebuild",
            project="acme/api",
            pipeline_id="api-ci:0d1e2f3a-bbbb-4c5d-8e6f-7a8b9c0d1e2f",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://eu-west-1.console.aws.amazon.com/codesuite/codebuild/projects/api-ci"
            "/build/api-ci%3A0d1e2f3a-bbbb-4c5d-8e6f-7a8b9c0d1e2f/",
            build_number="17",
        ),
    ),
    "gitea_actions": (
        {
            "CI": "true",
            "GITEA_ACTIONS": "true",
            "GITHUB_ACTIONS": "true",  # the act-based runner sets it too
            "GITHUB_SERVER_URL": "https://gitea.example.com/",
            "GITHUB_REPOSITORY": "acme/tool",
            "GITHUB_RUN_ID": "1399",  # instance-wide id
            "GITHUB_RUN_NUMBER": "148",  # what the run's web page uses
            "GITHUB_JOB": "test",
            "GITHUB_REF": "refs/heads/main",
            "GITHUB_REF_NAME": "main",
            "GITHUB_SHA": SHA,
        },
        CIContext(
            vendor="gitea_actions",
            project="acme/tool",
            pipeline_id="1399",
            job_name="test",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://gitea.example.com/acme/tool/actions/runs/148",
            build_number="148",
        ),
    ),
    "google_cloud_build": (
        {
            "BUILDER_OUTPUT": "/builder/outputs",
            # Substitutions mapped into the step's env by hand.
            "BUILD_ID": "a1b2c3d4-cccc-4e5f-9a0b-1c2d3e4f5a6b",
            "PROJECT_ID": "acme-prod",
            "PROJECT_NUMBER": "123456789012",
            "LOCATION": "europe-west1",
            "REPO_FULL_NAME": "acme/api",
            "BRANCH_NAME": "main",
            "COMMIT_SHA": SHA,
            "TRIGGER_NAME": "api-push",
        },
        CIContext(
            vendor="google_cloud_build",
            project="acme/api",
            pipeline_id="a1b2c3d4-cccc-4e5f-9a0b-1c2d3e4f5a6b",
            job_name="api-push",
            branch="main",
            commit_sha=SHA,
            pipeline_url="https://console.cloud.google.com/cloud-build/builds;region=europe-west1"
            "/a1b2c3d4-cccc-4e5f-9a0b-1c2d3e4f5a6b?project=acme-prod",
        ),
    ),
    "generic": (
        {"CI": "true", "BUILD_NUMBER": "7", "BUILD_ID": "run-7"},
        CIContext(vendor="generic", pipeline_id="run-7", build_number="7"),
    ),
}

ORDER = [
    "harness",
    "woodpecker",
    "gitea_actions",
    "github_actions",
    "gitlab",
    "drone",
    "circleci",
    "buildkite",
    "azure_pipelines",
    "codebuild",
    "bitbucket",
    "travis",
    "appveyor",
    "semaphore",
    "codefresh",
    "bamboo",
    "gocd",
    "teamcity",
    "jenkins",
    "google_cloud_build",
    "generic",
]


@pytest.mark.parametrize("vendor", sorted(CASES))
def test_each_vendor(vendor: str) -> None:
    env, expected = CASES[vendor]
    assert detect(env) == expected


def test_every_vendor_has_a_case_and_the_order_is_the_reference_one() -> None:
    assert [v.slug for v in ci_env.VENDORS] == ORDER
    assert sorted(CASES) == sorted(ORDER)


# --- the shared-variable traps ----------------------------------------------------------------


def test_harness_wins_over_drone_and_its_ci_names() -> None:
    env = CASES["harness"][0] | {"DRONE_REPO": "acme/payments", "DRONE_BUILD_STATUS": "success"}
    ctx = detect(env)
    assert ctx is not None and ctx.vendor == "harness"


def test_harness_repo_without_owner_falls_back_to_the_remote() -> None:
    env = CASES["harness"][0] | {
        "CI_REPO": "payments",
        "CI_REPO_REMOTE": "https://github.com/acme/payments.git",
    }
    ctx = detect(env)
    assert ctx is not None and ctx.project == "acme/payments"


def test_woodpecker_wins_over_gitlab_and_drone_lookalikes() -> None:
    env = CASES["woodpecker"][0] | {
        "DRONE": "true",
        "CI_JOB_ID": "12",
        "CI_PIPELINE_ID": "34",
        "CI_BUILD_NUMBER": "8",
    }
    assert detect(env) == CASES["woodpecker"][1]


def test_gitea_wins_over_github() -> None:
    ctx = detect(CASES["gitea_actions"][0])
    assert ctx is not None and ctx.vendor == "gitea_actions"
    forgejo = {k: v for k, v in CASES["gitea_actions"][0].items() if k != "GITEA_ACTIONS"}
    ctx = detect(forgejo | {"FORGEJO_ACTIONS": "true"})
    assert ctx is not None and ctx.vendor == "gitea_actions"


@pytest.mark.parametrize(
    "extra",
    [{}, {"JENKINS_URL": "https://jenkins.example.com/", "BUILD_ID": "318", "GIT_COMMIT": SHA}],
)
def test_teamcity_with_build_number_is_not_jenkins(extra: dict[str, str]) -> None:
    assert detect(CASES["teamcity"][0] | extra) == CASES["teamcity"][1]


def test_drone_is_not_woodpecker_or_gitlab() -> None:
    assert detect(CASES["drone"][0]) == CASES["drone"][1]


# --- disabling, absence, edge values ----------------------------------------------------------


@pytest.mark.parametrize("value", ["false", "False", "0"])
def test_ci_false_disables_detection(value: str) -> None:
    assert detect(CASES["github_actions"][0] | {"CI": value}) is None
    assert detect({"CI": value}) is None


def test_empty_env_is_not_ci() -> None:
    assert detect({}) is None


def test_a_developer_shell_is_not_ci() -> None:
    shell = {"HOME": "/home/dev", "PATH": "/usr/bin", "JENKINS_URL": "https://jenkins.example.com"}
    assert detect(shell) is None
    assert detect({"GITHUB_ACTIONS": "false", "TRAVIS": "", "CI": ""}) is None


def test_detect_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    import os

    for name in list(os.environ):
        monkeypatch.delenv(name)
    for name, value in CASES["gitlab"][0].items():
        monkeypatch.setenv(name, value)
    assert detect() == CASES["gitlab"][1]


def test_whitespace_values_count_as_unset() -> None:
    env = CASES["circleci"][0] | {"CIRCLE_BRANCH": "  ", "CIRCLE_SHA1": f" {SHA}\n"}
    ctx = detect(env)
    assert ctx is not None and ctx.branch is None and ctx.commit_sha == SHA


def test_github_pull_request_uses_the_head_branch() -> None:
    env = CASES["github_actions"][0] | {
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_REF": "refs/pull/17/merge",
        "GITHUB_REF_NAME": "17/merge",
        "GITHUB_HEAD_REF": "feature/login",
    }
    ctx = detect(env)
    assert ctx is not None and ctx.branch == "feature/login"


@pytest.mark.parametrize(
    ("ref", "branch"),
    [("refs/heads/release/2.x", "release/2.x"), ("refs/pull/3/merge", None)],
)
def test_github_branch_from_ref_on_old_runners(ref: str, branch: str | None) -> None:
    env = {"GITHUB_ACTIONS": "true", "GITHUB_REF": ref, "GITHUB_REPOSITORY": "o/r"}
    ctx = detect(env)
    assert ctx is not None and ctx.branch == branch


def test_github_url_without_attempt() -> None:
    env = {k: v for k, v in CASES["github_actions"][0].items() if k != "GITHUB_RUN_ATTEMPT"}
    ctx = detect(env)
    assert ctx is not None
    assert ctx.pipeline_url == "https://github.com/octo-org/widgets/actions/runs/9876543210"


def test_gitlab_job_url_is_built_when_missing() -> None:
    env = {k: v for k, v in CASES["gitlab"][0].items() if k != "CI_JOB_URL"}
    ctx = detect(env)
    assert ctx is not None and ctx.job_url == CASES["gitlab"][1].job_url


@pytest.mark.parametrize(
    ("extra", "branch"),
    [
        ({"BRANCH_NAME": "PR-12", "CHANGE_BRANCH": "feature/x"}, "feature/x"),
        ({"BRANCH_NAME": "", "GIT_BRANCH": "origin/feature/login"}, "feature/login"),
        ({"BRANCH_NAME": "", "GIT_BRANCH": "refs/remotes/origin/dev"}, "dev"),
    ],
)
def test_jenkins_branch(extra: dict[str, str], branch: str) -> None:
    ctx = detect(CASES["jenkins"][0] | extra)
    assert ctx is not None and ctx.branch == branch


def test_hudson_counts_as_jenkins() -> None:
    ctx = detect({"HUDSON_URL": "http://hudson.local/", "BUILD_NUMBER": "3", "JOB_NAME": "nightly"})
    assert ctx == CIContext(
        vendor="jenkins", project="nightly", job_name="nightly", build_number="3"
    )


def test_buildkite_head_is_not_a_commit() -> None:
    ctx = detect(CASES["buildkite"][0] | {"BUILDKITE_COMMIT": "HEAD"})
    assert ctx is not None and ctx.commit_sha is None


def test_azure_pull_request_source_branch() -> None:
    env = CASES["azure_pipelines"][0] | {
        "BUILD_SOURCEBRANCH": "refs/pull/9/merge",
        "SYSTEM_PULLREQUEST_SOURCEBRANCH": "refs/heads/fix/crash",
    }
    ctx = detect(env)
    assert ctx is not None and ctx.branch == "fix/crash"


def test_bamboo_names_upper_cased_by_windows() -> None:
    env = {k.upper(): v for k, v in CASES["bamboo"][0].items()}
    assert detect(env) == CASES["bamboo"][1]


@pytest.mark.parametrize(
    ("url", "slug"),
    [
        ("https://github.com/acme/api.git", "acme/api"),
        ("git@github.com:acme/api.git", "acme/api"),
        ("ssh://git@host:7999/group/sub/app.git/", "group/sub/app"),
        ("https://example.com/single", None),
        ("not a url", None),
        ("", None),
    ],
)
def test_slug_from_git_url(url: str, slug: str | None) -> None:
    assert slug_from_git_url(url) == slug


@pytest.mark.parametrize(
    "table",
    [
        "x: nope=FOO",  # unknown field
        "x: branch=",  # no alternative
        "x: job_url={pipeline_url}/x pipeline_url=FOO",  # field used before it is read
        "x: branch=bogus:FOO",  # unknown filter
        "x: pipeline_url=http://{A",  # unbalanced brace
    ],
)
def test_the_table_parser_rejects_mistakes(table: str) -> None:
    with pytest.raises(ValueError):
        ci_env._parse_table(table)


# --- property: detection never raises ---------------------------------------------------------

KNOWN_NAMES = sorted({name for env, _ in CASES.values() for name in env})
VALUES = st.one_of(
    st.sampled_from(["", " ", "true", "false", "True", "0", "woodpecker", "HEAD", "refs/heads/x"]),
    st.sampled_from(["refs/", "refs/remotes/", "origin/", "https://h/", "git@h:", "{", "a:b/c"]),
    st.text(st.characters(exclude_categories=())),
)
ENVS = st.dictionaries(st.one_of(st.sampled_from(KNOWN_NAMES), st.text()), VALUES, max_size=40)


@settings(max_examples=300, deadline=None)
@given(ENVS)
def test_detect_never_raises(env: dict[str, str]) -> None:
    ctx = detect(env)
    if ctx is not None:
        assert ctx.vendor in ORDER
        for field in dataclasses.fields(ctx):
            value = getattr(ctx, field.name)
            assert value is None or isinstance(value, str)


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(ORDER), ENVS)
def test_each_vendor_tolerates_noise(vendor: str, noise: dict[str, str]) -> None:
    noise = {k: v for k, v in noise.items() if k != "CI"}  # CI=false would switch detection off
    ctx = detect(noise | CASES[vendor][0])
    assert ctx is not None and ctx.vendor in ORDER
