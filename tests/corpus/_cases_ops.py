# ruff: noqa: E501
"""Cases grouped by domain: shell, Docker, Kubernetes, Terraform, git, network, infrastructure, credentials."""

from __future__ import annotations

import random

from _logkit import (
    BOLD,
    DIM,
    GL_RESET,
    GREEN,
    RED,
    RESET,
    YELLOW,
    Case,
    Clock,
    Sleep,
    also,
    case,
    cause,
    docker_pull,
    flat,
    gha_action,
    gha_job,
    gha_run,
    gha_setup_node,
    git_remote_progress,
    gl_cmd,
    gl_info,
    gl_job,
    gl_prepare,
    gl_simple,
    hexs,
    jk_cleanws,
    jk_end,
    jk_simple,
    jk_start,
    materialize,
    npm_ci,
    pip_install,
    redraw,
    tv_cmd,
    tv_header,
    uid,
    utc,
)

# --- shell ----------------------------------------------------------------------------------------


@case("shell", "command_not_found")
def sh_not_found(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("apk add --no-cache git bash curl"),
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/main/x86_64/APKINDEX.tar.gz",
        "fetch https://dl-cdn.alpinelinux.org/alpine/v3.19/community/x86_64/APKINDEX.tar.gz",
        "(1/9) Installing ncurses-terminfo-base (6.4_p20231125-r0)",
        "(2/9) Installing libncursesw (6.4_p20231125-r0)",
        "(3/9) Installing readline (8.2.1-r2)",
        "(4/9) Installing bash (5.2.21-r0)",
        "Executing bash-5.2.21-r0.post-install",
        "(5/9) Installing brotli-libs (1.1.0-r1)",
        "(6/9) Installing c-ares (1.27.0-r0)",
        "(7/9) Installing libcurl (8.5.0-r0)",
        "(8/9) Installing curl (8.5.0-r0)",
        "(9/9) Installing git (2.43.0-r0)",
        "Executing busybox-1.36.1-r15.trigger",
        "OK: 19 MiB in 24 packages",
        gl_cmd("git fetch --tags --quiet"),
        gl_cmd("./scripts/release-notes.sh v2.7.0"),
        "==> Collecting merged MRs since v2.6.3",
        "==> 14 commits, 6 merge requests",
        "==> Writing CHANGELOG section (errors and warnings from the API are written to error_log.txt)",
        cause("./scripts/release-notes.sh: line 14: jq: command not found"),
        "==> Done",
        "./scripts/release-notes.sh: line 31: CHANGELOG.tmp: No such file or directory",
    )
    after = [
        gl_cmd("cat error_log.txt || true"),
        "cat: can't open 'error_log.txt': No such file or directory",
    ]
    lines = gl_simple(
        rng,
        "platform/release-tools",
        "alpine:3.19",
        script,
        "2024-05-01T10:00:00",
        after=after,
        failure="ERROR: Job failed: exit code 127",
    )
    return Case(lines, "config", "jq: command not found", exit_code=127)


@case("shell", "unbound_variable")
def sh_unbound(rng: random.Random) -> Case:
    build = flat(
        "[Pipeline] sh",
        "+ make dist",
        "rm -rf dist && mkdir -p dist",
        "tar --exclude=.git -czf dist/inventory-admin-2.4.0.tar.gz app/ config/ bin/",
        "sha256sum dist/inventory-admin-2.4.0.tar.gz > dist/SHA256SUMS",
        "[Pipeline] archiveArtifacts",
        "Archiving artifacts",
        "Recording fingerprints",
    )
    deploy = flat(
        "[Pipeline] withCredentials",
        "Masking supported pattern matches of $DEPLOY_KEY",
        "[Pipeline] {",
        "[Pipeline] sh",
        "+ ./ci/deploy.sh",
        "[deploy] using artifact dist/inventory-admin-2.4.0.tar.gz",
        "[deploy] checksum ok",
        cause("./ci/deploy.sh: line 9: DEPLOY_ENV: unbound variable"),
        "[Pipeline] }",
        "[Pipeline] // withCredentials",
    )
    post = flat("[Pipeline] echo", "Deployment failed; nothing was uploaded", jk_cleanws())
    lines = jk_simple(
        rng,
        "inventory-admin_release",
        "https://git.acme.io/ops/inventory-admin.git",
        [("Build", build), ("Deploy", deploy)],
        [],
        post,
        "ERROR: script returned exit code 1",
        "2024-05-01T10:00:00",
        timestamps=True,
        message="Deploy from CI instead of by hand",
    )
    return Case(lines, "config", "DEPLOY_ENV: unbound variable", exit_code=1)


# --- Docker ---------------------------------------------------------------------------------------


@case("docker", "build_nonzero_code_classic")
def docker_classic(rng: random.Random) -> Case:
    build = flat(
        "[Pipeline] sh",
        "+ docker build -t registry.acme.io/ml/scorer:2024.05.01 .",
        "DEPRECATED: The legacy builder is deprecated and will be removed in a future release.",
        "            Install the buildx component to build images with BuildKit:",
        "            https://docs.docker.com/go/buildx/",
        "",
        "Sending build context to Docker daemon  4.218MB",
        "Step 1/9 : FROM python:3.11-slim",
        docker_pull(rng, "python:3.11-slim", 5),
        f" ---> {hexs(rng, 12)}",
        "Step 2/9 : ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1",
        f" ---> Running in {hexs(rng, 12)}",
        f"Removing intermediate container {hexs(rng, 12)}",
        f" ---> {hexs(rng, 12)}",
        "Step 3/9 : WORKDIR /app",
        f" ---> {hexs(rng, 12)}",
        "Step 4/9 : COPY requirements.txt .",
        f" ---> {hexs(rng, 12)}",
        "Step 5/9 : RUN pip install --no-cache-dir -r requirements.txt",
        f" ---> Running in {hexs(rng, 12)}",
        "Collecting numpy==1.26.4 (from -r requirements.txt (line 1))",
        "  Downloading numpy-1.26.4-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.metadata (61 kB)",
        "Collecting pandas==2.2.2 (from -r requirements.txt (line 2))",
        "  Downloading pandas-2.2.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.metadata (19 kB)",
        "Collecting scikit-learn==1.4.2 (from -r requirements.txt (line 3))",
        "  Downloading scikit_learn-1.4.2-cp311-cp311-manylinux_2_17_x86_64.manylinux2014_x86_64.whl.metadata (11 kB)",
        Sleep(5),
        cause(
            "ERROR: Could not find a version that satisfies the requirement torch==2.3.0+cpu (from versions: 2.0.0, 2.0.1, 2.1.0, 2.1.1, 2.1.2, 2.2.0, 2.2.1, 2.2.2, 2.3.0)"
        ),
        also("ERROR: No matching distribution found for torch==2.3.0+cpu"),
        "The command '/bin/sh -c pip install --no-cache-dir -r requirements.txt' returned a non-zero code: 1",
    )
    post = flat(
        "[Pipeline] sh", "+ docker image prune -f", "Total reclaimed space: 0B", jk_cleanws()
    )
    lines = jk_simple(
        rng,
        "scorer_main",
        "https://git.acme.io/ml/scorer.git",
        [("Docker image", build)],
        ["Push", "Deploy to staging"],
        post,
        "ERROR: script returned exit code 1",
        "2024-05-01T10:00:00",
        message="Pin torch CPU wheel",
    )
    return Case(lines, "dependency", "torch==2.3.0+cpu", exit_code=1)


@case("docker", "pull_rate_limit")
def docker_rate_limit(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("docker info --format '{{.ServerVersion}}'"),
        "26.1.1",
        gl_cmd(
            'echo "$CI_REGISTRY_PASSWORD" | docker login -u "$CI_REGISTRY_USER" --password-stdin "$CI_REGISTRY"'
        ),
        "WARNING! Your password will be stored unencrypted in /root/.docker/config.json.",
        "Configure a credential helper to remove this warning. See",
        "https://docs.docker.com/engine/reference/commandline/login/#credential-stores",
        "",
        "Login Succeeded",
        gl_cmd("docker compose -f docker-compose.ci.yml pull --quiet"),
        Sleep(4),
        " redis Pulling ",
        " db Pulling ",
        " app Pulling ",
        " app Pulled ",
        " redis Pulled ",
        cause(
            " db Error Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit"
        ),
        "Error response from daemon: toomanyrequests: You have reached your pull rate limit. You may increase the limit by authenticating and upgrading: https://www.docker.com/increase-rate-limit",
    )
    after = [
        gl_cmd("docker compose -f docker-compose.ci.yml down -v --remove-orphans"),
        " Network checkout_default  Removing",
        " Network checkout_default  Removed",
    ]
    prep_extra = [
        gl_info("Starting service docker:26-dind ..."),
        "Pulling docker image docker:26-dind ...",
        f"Using docker image sha256:{hexs(rng, 64)} for docker:26-dind with digest docker@sha256:{hexs(rng, 64)} ...",
        "Waiting for services to be up and running (timeout 30 seconds)...",
    ]
    lines = gl_simple(
        rng,
        "shop/checkout",
        "docker:26",
        flat(prep_extra, script),
        "2024-05-01T10:00:00",
        after=after,
    )
    return Case(lines, "network", "toomanyrequests", exit_code=1)


@case("docker", "buildkit_apt_unable_to_locate")
def docker_buildkit(rng: random.Random) -> Case:
    dig = hexs(rng, 64)
    n = 9
    out = flat(
        '#0 building with "builder-' + uid(rng) + '" instance using docker-container driver',
        "",
        "#1 [internal] load build definition from Dockerfile",
        "#1 transferring dockerfile: 1.02kB done",
        "#1 DONE 0.0s",
        "",
        "#2 [internal] load metadata for docker.io/library/debian:bookworm-slim",
        "#2 DONE 0.9s",
        "",
        "#3 [internal] load .dockerignore",
        "#3 transferring context: 212B done",
        "#3 DONE 0.0s",
        "",
        f"#4 [1/6] FROM docker.io/library/debian:bookworm-slim@sha256:{dig}",
        f"#4 resolve docker.io/library/debian:bookworm-slim@sha256:{dig} done",
        f"#4 sha256:{hexs(rng, 64)} 29.13MB / 29.13MB 0.6s done",
        f"#4 extracting sha256:{hexs(rng, 64)} 1.1s done",
        "#4 DONE 1.8s",
        "",
        "#5 [internal] load build context",
        "#5 transferring context: 1.91MB 0.1s done",
        "#5 DONE 0.1s",
        "",
        f"#{n - 1} [2/6] RUN useradd --system --uid 10001 app",
        f"#{n - 1} DONE 0.4s",
        "",
        f"#{n} [3/6] RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl1.1 tini",
        f"#{n} 0.412 Get:1 http://deb.debian.org/debian bookworm InRelease [151 kB]",
        f"#{n} 0.498 Get:2 http://deb.debian.org/debian bookworm-updates InRelease [55.4 kB]",
        f"#{n} 0.533 Get:3 http://deb.debian.org/debian-security bookworm-security InRelease [48.0 kB]",
        f"#{n} 0.701 Get:4 http://deb.debian.org/debian bookworm/main amd64 Packages [8786 kB]",
        f"#{n} 2.114 Fetched 9136 kB in 2s (4790 kB/s)",
        f"#{n} 2.114 Reading package lists...",
        f"#{n} 2.801 Reading package lists...",
        f"#{n} 3.362 Building dependency tree...",
        f"#{n} 3.498 Reading state information...",
        cause(f"#{n} 3.512 E: Unable to locate package libssl1.1"),
        f'#{n} ERROR: process "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl1.1 tini" did not complete successfully: exit code: 100',
        "------",
        " > [3/6] RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl1.1 tini:",
        "2.801 Reading package lists...",
        "3.362 Building dependency tree...",
        "3.498 Reading state information...",
        also("3.512 E: Unable to locate package libssl1.1"),
        "------",
        "Dockerfile:8",
        "--------------------",
        "   7 |     ",
        "   8 | >>> RUN apt-get update && apt-get install -y --no-install-recommends \\",
        "   9 | >>>     ca-certificates libssl1.1 tini",
        "  10 |     ",
        "--------------------",
        'ERROR: failed to solve: process "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl1.1 tini" did not complete successfully: exit code: 100',
        '##[error]buildx failed with: ERROR: failed to solve: process "/bin/sh -c apt-get update && apt-get install -y --no-install-recommends ca-certificates libssl1.1 tini" did not complete successfully: exit code: 100',
    )
    steps = flat(
        gha_action(
            "docker/setup-buildx-action@v3",
            {
                "driver": "docker-container",
                "install": "false",
                "use": "true",
                "cache-binary": "true",
            },
            [
                "##[group]Docker info",
                "[command]/usr/bin/docker version",
                "Client: Docker Engine - Community",
                " Version:           26.0.2",
                "##[endgroup]",
                "##[group]Creating a new builder instance",
                "[command]/usr/bin/docker buildx create --name builder-"
                + uid(rng)
                + " --driver docker-container --buildkitd-flags --allow-insecure-entitlement security.insecure --allow-insecure-entitlement network.host --use",
                "##[endgroup]",
                "##[group]Booting builder",
                "#1 [internal] booting buildkit",
                "#1 pulling image moby/buildkit:buildx-stable-1",
                "#1 pulling image moby/buildkit:buildx-stable-1 1.4s done",
                "#1 creating container buildx_buildkit_builder0",
                "#1 creating container buildx_buildkit_builder0 0.7s done",
                "#1 DONE 2.1s",
                "##[endgroup]",
            ],
        ),
        gha_action(
            "docker/build-push-action@v5",
            {
                "context": ".",
                "push": "false",
                "tags": "ghcr.io/acme/edge:pr-412",
                "load": "false",
                "no-cache": "false",
                "pull": "false",
                "github-token": "***",
            },
            flat(
                "##[group]GitHub Actions runtime token ACs",
                "ghcr.io/acme/edge: read/write",
                "##[endgroup]",
                "##[group]Docker info",
                "##[endgroup]",
                "[command]/usr/bin/docker buildx build --iidfile /home/runner/work/_temp/docker-actions-toolkit-"
                + alnum_safe(rng)
                + "/iidfile --tag ghcr.io/acme/edge:pr-412 --metadata-file /home/runner/work/_temp/docker-actions-toolkit-x/metadata-file .",
                Sleep(3),
                out,
            ),
        ),
        "Post job cleanup.",
        "##[group]Removing builder",
        "[command]/usr/bin/docker buildx rm builder-" + uid(rng),
        "builder-x removed",
        "##[endgroup]",
    )
    lines = gha_job(
        rng,
        "acme/edge",
        "image",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "docker/setup-buildx-action@v3", "docker/build-push-action@v5"),
    )
    return Case(lines, "dependency", "Unable to locate package libssl1.1", exit_code=100)


def alnum_safe(rng: random.Random) -> str:
    return "".join(
        rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz") for _ in range(6)
    )


# --- Kubernetes -----------------------------------------------------------------------------------


@case("kubernetes", "image_pull_backoff")
def k8s_image_pull(rng: random.Random) -> Case:
    tag = hexs(rng, 7)
    rs_new, rs_old = hexs(rng, 10), hexs(rng, 10)
    pods = [f"api-{rs_new}-{hexs(rng, 5)}" for _ in range(2)]
    img = f"ghcr.io/acme/api:{tag}"
    deploy = flat(
        "deployment.apps/api configured",
        "service/api unchanged",
        "horizontalpodautoscaler.autoscaling/api unchanged",
        "configmap/api-config unchanged",
        Sleep(2),
        'Waiting for deployment "api" rollout to finish: 0 out of 3 new replicas have been updated...',
        'Waiting for deployment "api" rollout to finish: 1 out of 3 new replicas have been updated...',
        Sleep(300),
        'error: deployment "api" exceeded its progress deadline',
    )
    debug = flat(
        "NAME                      READY   STATUS             RESTARTS   AGE",
        also(f"{pods[0]}   0/1     ImagePullBackOff   0          5m2s"),
        f"{pods[1]}   0/1     ErrImagePull       0          5m2s",
        f"api-{rs_old}-{hexs(rng, 5)}   1/1     Running            0          2d3h",
        f"api-{rs_old}-{hexs(rng, 5)}   1/1     Running            0          2d3h",
        f"api-{rs_old}-{hexs(rng, 5)}   1/1     Running            0          2d3h",
        "",
        "LAST SEEN   TYPE      REASON              OBJECT                           MESSAGE",
        f"5m3s        Normal    ScalingReplicaSet   deployment/api                   Scaled up replica set api-{rs_new} to 1",
        f"5m2s        Normal    Scheduled           pod/{pods[0]}   Successfully assigned prod/{pods[0]} to ip-10-0-3-41.ec2.internal",
        f'5m1s        Normal    Pulling             pod/{pods[0]}   Pulling image "{img}"',
        cause(
            f'4m59s       Warning   Failed              pod/{pods[0]}   Failed to pull image "{img}": rpc error: code = NotFound desc = failed to pull and unpack image "{img}": failed to resolve reference "{img}": {img}: not found'
        ),
        also(f"4m59s       Warning   Failed              pod/{pods[0]}   Error: ErrImagePull"),
        f'4m44s       Normal    BackOff             pod/{pods[0]}   Back-off pulling image "{img}"',
        f"4m44s       Warning   Failed              pod/{pods[0]}   Error: ImagePullBackOff",
    )
    steps = flat(
        gha_action(
            "azure/setup-kubectl@v4",
            {"version": "v1.30.0"},
            [
                "Downloading kubectl v1.30.0",
                "kubectl v1.30.0 installed at /opt/hostedtoolcache/kube/1.30.0/x64/kubectl",
            ],
        ),
        gha_action(
            "aws-actions/configure-aws-credentials@v4",
            {
                "role-to-assume": "arn:aws:iam::123456789012:role/gha-deploy",
                "aws-region": "eu-west-1",
                "audience": "sts.amazonaws.com",
            },
            [],
        ),
        gha_run(
            "aws eks update-kubeconfig --name prod-eu --region eu-west-1",
            [
                "Added new context arn:aws:eks:eu-west-1:123456789012:cluster/prod-eu to /home/runner/.kube/config"
            ],
        ),
        gha_run(
            [
                "kubectl -n prod set image deployment/api api=" + img,
                "kubectl -n prod apply -f deploy/k8s/",
                "kubectl -n prod rollout status deployment/api --timeout=5m",
            ],
            flat("deployment.apps/api image updated", deploy),
            exit_code=1,
        ),
        gha_run(
            [
                "kubectl -n prod get pods -l app=api",
                "kubectl -n prod get events --sort-by=.lastTimestamp | tail -n 8",
            ],
            debug,
        ),
        gha_run("kubectl -n prod rollout undo deployment/api", ["deployment.apps/api rolled back"]),
    )
    lines = gha_job(
        rng,
        "acme/api",
        "deploy (prod)",
        steps,
        "2024-05-01T10:00:00.2",
        (
            "actions/checkout@v4",
            "azure/setup-kubectl@v4",
            "aws-actions/configure-aws-credentials@v4",
        ),
        permissions=("Contents: read", "IdToken: write", "Metadata: read"),
    )
    return Case(lines, "config", "Failed to pull image", exit_code=1)


@case("kubernetes", "kubectl_unable_to_connect")
def k8s_unable(rng: random.Random) -> Case:
    pid = rng.randint(1000, 9999)
    host = "k8s-api.prod.acme.internal"
    err = f'couldn\'t get current server API group list: Get "https://{host}:6443/api?timeout=32s": dial tcp: lookup {host} on 10.20.0.2:53: no such host'
    klog = [
        f"E0501 10:02:{11 + i:02d}.{rng.randint(100000, 999999)}    {pid} memcache.go:265] {err}"
        for i in range(5)
    ]
    deploy = flat(
        "[Pipeline] withKubeConfig",
        "[Pipeline] {",
        "[Pipeline] sh",
        "+ kubectl version --client",
        "Client Version: v1.29.4",
        "Kustomize Version: v5.0.4-0.20230601165947-6ce0bf390ce3",
        "[Pipeline] sh",
        "+ kustomize build deploy/overlays/prod",
        "+ kubectl apply -f -",
        cause(klog[0]),
        klog[1:],
        also(
            f"Unable to connect to the server: dial tcp: lookup {host} on 10.20.0.2:53: no such host"
        ),
        "[Pipeline] }",
        "[kubernetes-cli] kubectl configuration cleaned up",
        "[Pipeline] // withKubeConfig",
    )
    build = flat(
        "[Pipeline] sh",
        "+ docker build -t registry.acme.io/search/api:1.42.0 .",
        '#0 building with "default" instance using docker driver',
        "#8 [4/4] RUN go build -o /out/api ./cmd/api",
        "#8 DONE 38.2s",
        "#9 exporting to image",
        "#9 naming to registry.acme.io/search/api:1.42.0 done",
        "#9 DONE 0.4s",
        "[Pipeline] sh",
        "+ docker push registry.acme.io/search/api:1.42.0",
        "The push refers to repository [registry.acme.io/search/api]",
        f"{hexs(rng, 12)}: Pushed",
        f"{hexs(rng, 12)}: Layer already exists",
        f"1.42.0: digest: sha256:{hexs(rng, 64)} size: 1158",
    )
    post = flat(
        "[Pipeline] slackSend",
        "Slack Send Pipeline step running, values are - baseUrl: <empty>, teamDomain: acme, channel: #deploys, color: danger, botUser: true, tokenCredentialId: slack-bot",
        jk_cleanws(),
    )
    lines = jk_simple(
        rng,
        "search-api_deploy",
        "https://git.acme.io/search/api.git",
        [("Build image", build), ("Deploy to prod", deploy)],
        ["Smoke test"],
        post,
        "ERROR: script returned exit code 1",
        "2024-05-01T10:00:00",
        timestamps=True,
        message="Release 1.42.0",
    )
    return Case(lines, "network", host, exit_code=1)


# --- Terraform ------------------------------------------------------------------------------------


def tf_init(rng: random.Random, backend: str) -> list:
    return [
        "",
        f"{BOLD}Initializing the backend...{RESET}",
        f"{GREEN}",
        f'Successfully configured the backend "{backend}"! Terraform will automatically',
        f"use this backend unless the backend configuration changes.{RESET}",
        "",
        f"{BOLD}Initializing provider plugins...{RESET}",
        '- Finding hashicorp/aws versions matching "~> 5.40"...',
        '- Finding hashicorp/random versions matching "~> 3.6"...',
        "- Installing hashicorp/aws v5.47.0...",
        "- Installed hashicorp/aws v5.47.0 (signed by HashiCorp)",
        "- Installing hashicorp/random v3.6.1...",
        "- Installed hashicorp/random v3.6.1 (signed by HashiCorp)",
        "",
        "Terraform has created a lock file .terraform.lock.hcl to record the provider",
        "selections it made above. Include this file in your version control repository",
        "so that Terraform can guarantee to make the same selections by default when",
        'you run "terraform init" in the future.',
        "",
        f"{BOLD}{GREEN}Terraform has been successfully initialized!{RESET}",
    ]


@case("terraform", "unsupported_argument")
def tf_unsupported(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("terraform version"),
        "Terraform v1.8.2",
        "on linux_amd64",
        gl_cmd("terraform fmt -check -recursive"),
        gl_cmd("terraform init -input=false -backend-config=backend/prod.hcl"),
        tf_init(rng, "s3"),
        gl_cmd("terraform validate -no-color"),
        "╷",
        "│ Warning: Argument is deprecated",
        "│ ",
        "│   with aws_s3_bucket.logs,",
        '│   on storage.tf line 12, in resource "aws_s3_bucket" "logs":',
        '│   12:   acl    = "log-delivery-write"',
        "│ ",
        "│ Use the aws_s3_bucket_acl resource instead",
        "╵",
        "╷",
        cause("│ Error: Unsupported argument"),
        "│ ",
        also(
            '│   on storage.tf line 42, in resource "aws_s3_bucket_lifecycle_configuration" "logs":'
        ),
        "│   42:     expiration_days = 90",
        "│ ",
        also('│ An argument named "expiration_days" is not expected here.'),
        "╵",
    )
    lines = gl_simple(
        rng,
        "infra/platform-aws",
        "hashicorp/terraform:1.8",
        script,
        "2024-05-01T10:00:00",
        cache_key="tf-plugins",
    )
    return Case(lines, "config", "Error: Unsupported argument", exit_code=1)


@case("terraform", "state_lock")
def tf_lock(rng: random.Random) -> Case:
    lock = uid(rng)
    plan = flat(
        f"[command]/home/runner/work/_temp/{uid(rng)}/terraform-bin plan -input=false -lock-timeout=60s -out=tfplan",
        f"{BOLD}Acquiring state lock. This may take a few moments...{RESET}",
        Sleep(60),
        "╷",
        cause(f"│ {RED}{BOLD}Error: {RESET}{BOLD}Error acquiring the state lock{RESET}"),
        "│ ",
        also("│ Error message: ConditionalCheckFailedException: The conditional request failed"),
        "│ Lock Info:",
        f"│   ID:        {lock}",
        "│   Path:      acme-tfstate/network/prod/terraform.tfstate",
        "│   Operation: OperationTypeApply",
        "│   Who:       runner@fv-az1234-567",
        "│   Version:   1.8.2",
        "│   Created:   2024-05-01 09:41:12.402113 +0000 UTC",
        "│   Info:      ",
        "│ ",
        "│ ",
        "│ Terraform acquires a state lock to protect the state from being written",
        "│ by multiple users at the same time. Please resolve the issue above and try",
        '│ again. For most commands, you can disable locking with the "-lock=false"',
        "│ flag, but this is not recommended.",
        "╵",
        "",
        "##[error]Terraform exited with code 1.",
        "##[error]Process completed with exit code 1.",
    )
    steps = flat(
        gha_action(
            "hashicorp/setup-terraform@v3",
            {
                "terraform_version": "1.8.2",
                "cli_config_credentials_hostname": "app.terraform.io",
                "terraform_wrapper": "true",
            },
            [],
        ),
        gha_action(
            "aws-actions/configure-aws-credentials@v4",
            {"role-to-assume": "arn:aws:iam::123456789012:role/tf-plan", "aws-region": "eu-west-1"},
            [],
        ),
        gha_run(
            "terraform init -input=false",
            [
                f"[command]/home/runner/work/_temp/{uid(rng)}/terraform-bin init -input=false",
                *tf_init(rng, "s3"),
            ],
            shell="/usr/bin/bash -e {0}",
            env={"TF_IN_AUTOMATION": "1"},
        ),
        gha_run(
            "terraform plan -input=false -lock-timeout=60s -out=tfplan",
            plan,
            env={"TF_IN_AUTOMATION": "1"},
        ),
    )
    lines = gha_job(
        rng,
        "acme/network-infra",
        "plan (prod)",
        steps,
        "2024-05-01T09:44:00.2",
        (
            "actions/checkout@v4",
            "hashicorp/setup-terraform@v3",
            "aws-actions/configure-aws-credentials@v4",
        ),
    )
    return Case(lines, "infrastructure", "Error acquiring the state lock", exit_code=1)


# --- git ------------------------------------------------------------------------------------------


@case("git", "could_not_read_username")
def git_username(rng: random.Random) -> Case:
    wd = "/home/runner/work/mobile-api/mobile-api"
    steps = flat(
        gha_run(
            "git submodule update --init --recursive",
            [
                "Submodule 'third_party/googleapis' (https://github.com/googleapis/googleapis.git) registered for path 'third_party/googleapis'",
                "Submodule 'vendor/proto' (https://github.com/acme/proto.git) registered for path 'vendor/proto'",
                f"Cloning into '{wd}/third_party/googleapis'...",
                f"Cloning into '{wd}/vendor/proto'...",
                cause(
                    "fatal: could not read Username for 'https://github.com': No such device or address"
                ),
                also(
                    f"fatal: clone of 'https://github.com/acme/proto.git' into submodule path '{wd}/vendor/proto' failed"
                ),
                "Failed to clone 'vendor/proto'. Retry scheduled",
                f"Cloning into '{wd}/vendor/proto'...",
                "fatal: could not read Username for 'https://github.com': No such device or address",
                f"fatal: clone of 'https://github.com/acme/proto.git' into submodule path '{wd}/vendor/proto' failed",
                "Failed to clone 'vendor/proto' a second time, aborting",
            ],
            exit_code=1,
        ),
    )
    lines = gha_job(rng, "acme/mobile-api", "build", steps, "2024-05-01T10:00:00.2")
    return Case(
        lines, "credentials", "could not read Username for 'https://github.com'", exit_code=1
    )


@case("git", "lfs_smudge_missing_object")
def git_lfs(rng: random.Random) -> Case:
    project = "ml/vision"
    oid = hexs(rng, 64)
    fetch = flat(
        gl_info("Fetching changes with git depth set to 20..."),
        f"Initialized empty Git repository in /builds/{project}/.git/",
        gl_info("Created fresh repository."),
        gl_info(f"Checking out {hexs(rng, 8)} as detached HEAD (ref is main)..."),
        redraw(["Downloading models/tokenizer.json (2.1 MB)", "Downloaded models/tokenizer.json"]),
        redraw(["Downloading models/labels.csv (88 KB)", "Downloaded models/labels.csv"]),
        "Downloading models/detector.onnx (212 MB)",
        cause(
            f"Error downloading object: models/detector.onnx ({oid[:7]}): Smudge error: Error downloading models/detector.onnx ({oid}): [{oid}] Object does not exist on the server: [404] Object does not exist on the server"
        ),
        "",
        f"Errors logged to '/builds/{project}/.git/lfs/logs/20240501T100214.{rng.randint(100000000, 999999999)}.log'.",
        "Use `git lfs logs last` to view the log.",
        "error: external filter 'git-lfs filter-process' failed",
        also("fatal: models/detector.onnx: smudge filter lfs failed"),
    )
    services = [
        gl_info("Starting service postgres:16 ..."),
        "Pulling docker image postgres:16 ...",
        f"Using docker image sha256:{hexs(rng, 64)} for postgres:16 with digest postgres@sha256:{hexs(rng, 64)} ...",
        gl_info("Starting service minio/minio:RELEASE.2024-04-28T17-53-50Z ..."),
        "Pulling docker image minio/minio:RELEASE.2024-04-28T17-53-50Z ...",
        f"Using docker image sha256:{hexs(rng, 64)} for minio/minio:RELEASE.2024-04-28T17-53-50Z with digest minio/minio@sha256:{hexs(rng, 64)} ...",
        "Waiting for services to be up and running (timeout 30 seconds)...",
    ]
    prepare = gl_prepare(rng, "python:3.11", project=project)
    prepare[0] = (prepare[0][0], prepare[0][1], flat(prepare[0][2], services))
    sections = [
        *prepare,
        ("get_sources", "Getting source from Git repository", fetch),
        (
            "upload_artifacts_on_failure",
            "Uploading artifacts for failed job",
            [
                gl_info("Uploading artifacts..."),
                f"{YELLOW}WARNING: reports/: no matching files. Ensure that the artifact path is relative to the working directory (/builds/{project}){GL_RESET} ",
                f"{RED}ERROR: No files to upload                         {GL_RESET} ",
            ],
        ),
        ("cleanup_file_variables", "Cleaning up project directory and file based variables", []),
    ]
    lines = materialize(gl_job(rng, sections), Clock(utc("2024-05-01T10:02:00"), rng), None)
    return Case(lines, "dependency", "Smudge error", exit_code=1)


# --- network --------------------------------------------------------------------------------------


@case("network", "dns_could_not_resolve")
def net_dns(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("apt-get update -qq"),
        gl_cmd("apt-get install -y -qq unzip curl > /dev/null"),
        "debconf: delaying package configuration, since apt-utils is not installed",
        gl_cmd("go env -w GOPRIVATE=git.acme.io/*"),
        gl_cmd("go mod download"),
        "go: downloading github.com/grpc-ecosystem/grpc-gateway/v2 v2.19.1",
        "go: downloading google.golang.org/protobuf v1.34.0",
        "go: github.com/grpc-ecosystem/grpc-gateway/v2@v2.19.1: read: connection reset by peer; retrying... succeeded",
        gl_cmd(
            "curl -fsSL --retry 2 https://example-registry.internal/artifacts/protoc/26.1/protoc-26.1-linux-x86_64.zip -o /tmp/protoc.zip"
        ),
        "Warning: Problem : timeout. Will retry in 1 seconds. 2 retries left.",
        "Warning: Problem : timeout. Will retry in 2 seconds. 1 retries left.",
        cause("curl: (6) Could not resolve host: example-registry.internal"),
    )
    after = [
        gl_cmd("cat /etc/resolv.conf"),
        "nameserver 10.96.0.10",
        "search gitlab-runner.svc.cluster.local svc.cluster.local cluster.local",
        "options ndots:5",
    ]
    lines = gl_simple(
        rng,
        "rpc/gateway",
        "golang:1.22-bookworm",
        script,
        "2024-05-01T10:00:00",
        cache_key="gomod",
        after=after,
        failure="ERROR: Job failed: exit code 6",
    )
    return Case(lines, "network", "Could not resolve host: example-registry.internal", exit_code=6)


@case("network", "econnrefused_postgres")
def net_econnrefused(rng: random.Random) -> Case:
    wd = "/home/runner/work/orders/orders"
    suites = [
        "test/integration/orders.int.test.ts",
        "test/integration/customers.int.test.ts",
        "test/integration/refunds.int.test.ts",
    ]
    fails: list = []
    for i, s in enumerate(suites):
        d, f = s.rsplit("/", 1)
        fails += [
            f"{RESET}\x1b[7m{BOLD}{RED} FAIL {RESET}\x1b[27m {DIM}{d}/\x1b[22m{BOLD}{f}\x1b[22m",
            (also if i == 0 else str)(
                f"{BOLD}{RED}  {BOLD}● {RESET}{BOLD}Test suite failed to run{RESET}"
            ),
            "",
            (cause if i == 0 else str)("    connect ECONNREFUSED 127.0.0.1:5432"),
            "",
            f"{DIM}      at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1605:16){RESET}",
            "",
        ]
    test = flat(
        "",
        "> orders@3.1.0 test:integration",
        "> jest --config jest.integration.config.ts --runInBand",
        "",
        f"{RESET}\x1b[7m{BOLD}{GREEN} PASS {RESET}\x1b[27m {DIM}test/integration/{RESET}{BOLD}health.int.test.ts{RESET}",
        Sleep(5),
        fails,
        f"{BOLD}Test Suites: {RESET}{BOLD}{RED}3 failed{RESET}, {BOLD}{GREEN}1 passed{RESET}, 4 total",
        f"{BOLD}Tests:       {RESET}{BOLD}{GREEN}2 passed{RESET}, 2 total",
        f"{BOLD}Snapshots:   {RESET}0 total",
        f"{BOLD}Time:{RESET}        6.018 s",
        f"{DIM}Ran all test suites{RESET}{DIM}.{RESET}",
    )
    svc = [
        "##[group]Starting postgres service container",
        "##[command]/usr/bin/docker pull postgres:16",
        *docker_pull(rng, "postgres:16", 4),
        f'##[command]/usr/bin/docker create --name {hexs(rng, 32)}_postgres16_{hexs(rng, 5)} --label {hexs(rng, 6)} --network github_network_{hexs(rng, 32)} --network-alias postgres -e "POSTGRES_PASSWORD=test" -e GITHUB_ACTIONS=true -e CI=true postgres:16',
        hexs(rng, 64),
        "##[endgroup]",
        "##[group]Waiting for all services to be ready",
        "postgres service is healthy.",
        "##[endgroup]",
    ]
    steps = flat(
        svc,
        gha_setup_node(rng, "20.12.2", wd),
        gha_run("npm ci", npm_ci(rng, 744, warns=2)),
        gha_run(
            "npm run db:migrate",
            [
                "",
                "> orders@3.1.0 db:migrate",
                "> node scripts/migrate.js --if-reachable",
                "",
                "database not reachable at postgresql://postgres:***@127.0.0.1:5432/orders, skipping migrations (set MIGRATE_STRICT=1 to fail)",
            ],
            env={"DATABASE_URL": "postgresql://postgres:***@127.0.0.1:5432/orders"},
        ),
        gha_run(
            "npm run test:integration",
            test,
            exit_code=1,
            env={"DATABASE_URL": "postgresql://postgres:***@127.0.0.1:5432/orders"},
        ),
        "Post job cleanup.",
        "Stop and remove container: " + hexs(rng, 32) + "_postgres16_" + hexs(rng, 5),
        "##[command]/usr/bin/docker rm --force " + hexs(rng, 64),
        "Remove container network: github_network_" + hexs(rng, 32),
    )
    lines = gha_job(
        rng,
        "acme/orders",
        "integration",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "actions/setup-node@v4"),
    )
    return Case(lines, "network", "ECONNREFUSED 127.0.0.1:5432", exit_code=1)


@case("network", "tls_certificate_verify_failed")
def net_tls(rng: random.Random) -> Case:
    err = "SSLError(SSLCertVerificationError(1, '[SSL: CERTIFICATE_VERIFY_FAILED] certificate verify failed: unable to get local issuer certificate (_ssl.c:1006)'))"
    retries = [
        f"WARNING: Retrying (Retry(total={n}, connect=None, read=None, redirect=None, status=None)) after connection broken by '{err}': /simple/acme-common/"
        for n in (4, 3, 2, 1, 0)
    ]
    install = flat(
        "Looking in indexes: https://pypi.org/simple, https://pypi.acme.internal/simple",
        pip_install(
            rng,
            [
                ("requests", "2.31.0"),
                ("urllib3", "2.2.1"),
                ("certifi", "2024.2.2"),
                ("idna", "3.7"),
            ],
            bar=False,
        )[:-2],
        cause(retries[0]),
        retries[1:],
        also(
            f"Could not fetch URL https://pypi.acme.internal/simple/acme-common/: There was a problem confirming the ssl certificate: HTTPSConnectionPool(host='pypi.acme.internal', port=443): Max retries exceeded with url: /simple/acme-common/ (Caused by {err}) - skipping"
        ),
        "ERROR: Could not find a version that satisfies the requirement acme-common==1.8.2 (from versions: none)",
        "ERROR: No matching distribution found for acme-common==1.8.2",
    )
    body = flat(
        tv_header(rng, "python"),
        tv_cmd(
            rng,
            "git clone --depth=50 --branch=main https://github.com/acme/harvester.git acme/harvester",
            ["Cloning into 'acme/harvester'...", *git_remote_progress(rng, 402)],
            "checkout",
            None,
            fold="git.checkout",
        ),
        "$ cd acme/harvester",
        f"$ git checkout -qf {hexs(rng, 40)}",
        "",
        tv_cmd(rng, "source ~/virtualenv/python3.10/bin/activate", [], "setup_virtualenv", None),
        "$ python --version",
        "Python 3.10.14",
        tv_cmd(
            rng,
            "pip install --extra-index-url https://pypi.acme.internal/simple -r requirements.txt",
            install,
            "install",
            1,
            fold="install",
        ),
        "",
        "",
        f'{RED}{BOLD}The command "pip install --extra-index-url https://pypi.acme.internal/simple -r requirements.txt" failed and exited with 1 during .{RESET}',
        "",
        "Your build has been stopped.",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "network", "CERTIFICATE_VERIFY_FAILED", exit_code=1)


# --- infrastructure -------------------------------------------------------------------------------


@case("infrastructure", "oom_killed_137")
def infra_oom(rng: random.Random) -> Case:
    ws = "/var/lib/jenkins/workspace/site_main"
    pid = rng.randint(1000, 60000)
    build = flat(
        "[Pipeline] sh",
        "+ npm ci --no-audit",
        npm_ci(rng, 1466, warns=3, vulns=""),
        "[Pipeline] sh",
        "+ node --max-old-space-size=6144 scripts/build-sitemap.js",
        "[sitemap] loading 1,284,113 product URLs from catalog export",
        Sleep(20),
        "[sitemap] shard 1/26 written (50000 urls)",
        "[sitemap] shard 2/26 written (50000 urls)",
        "[sitemap] shard 3/26 written (50000 urls)",
        Sleep(30),
        "[sitemap] shard 4/26 written (50000 urls)",
        "[sitemap] shard 5/26 written (50000 urls)",
        "[sitemap] 0 errors so far, heap used 3.71 GB",
        Sleep(30),
        cause(
            f"{ws}@tmp/durable-{hexs(rng, 8)}/script.sh.copy: line 1: {pid} Killed                  node --max-old-space-size=6144 scripts/build-sitemap.js"
        ),
    )
    post = flat(
        "[Pipeline] sh",
        "+ dmesg | tail -n 3 || true",
        "dmesg: read kernel buffer failed: Operation not permitted",
        "[Pipeline] sh",
        "+ cat /sys/fs/cgroup/memory.max",
        "4294967296",
        jk_cleanws(),
    )
    lines = jk_simple(
        rng,
        "site_main",
        "https://git.acme.io/web/site.git",
        [("Install", []), ("Build sitemap", build)],
        ["Upload"],
        post,
        "ERROR: script returned exit code 137",
        "2024-05-01T02:00:00",
        timestamps=True,
        message="Include discontinued products in the sitemap",
    )
    return Case(lines, "infrastructure", "Killed", exit_code=137)


@case("infrastructure", "no_space_left_on_device")
def infra_disk(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("python -m pip install --upgrade pip wheel"),
        "Requirement already satisfied: pip in /usr/local/lib/python3.11/site-packages (24.0)",
        "Collecting wheel",
        "  Downloading wheel-0.43.0-py3-none-any.whl.metadata (2.2 kB)",
        "Successfully installed wheel-0.43.0",
        gl_cmd("pip install -r requirements/train.txt"),
        "Collecting torch==2.3.0 (from -r requirements/train.txt (line 1))",
        "  Downloading torch-2.3.0-cp311-cp311-manylinux1_x86_64.whl.metadata (26 kB)",
        "Collecting torchvision==0.18.0 (from -r requirements/train.txt (line 2))",
        "  Downloading torchvision-0.18.0-cp311-cp311-manylinux1_x86_64.whl.metadata (6.6 kB)",
        "Collecting nvidia-cudnn-cu12==8.9.2.26 (from torch==2.3.0->-r requirements/train.txt (line 1))",
        "  Downloading nvidia_cudnn_cu12-8.9.2.26-py3-none-manylinux1_x86_64.whl.metadata (1.6 kB)",
        "Downloading torch-2.3.0-cp311-cp311-manylinux1_x86_64.whl (779.1 MB)",
        redraw(
            [
                f"   {'━' * k}{' ' * (40 - k)} {779.1 * k / 40:.1f}/779.1 MB {rng.uniform(40, 90):.1f} MB/s eta 0:00:{max(0, 20 - k // 2):02d}"
                for k in (4, 12, 24, 36, 40)
            ]
        ),
        "Downloading nvidia_cudnn_cu12-8.9.2.26-py3-none-manylinux1_x86_64.whl (731.7 MB)",
        redraw(
            [
                f"   {'━' * k}{' ' * (40 - k)} {731.7 * k / 40:.1f}/731.7 MB {rng.uniform(40, 90):.1f} MB/s eta 0:00:{max(0, 20 - k // 2):02d}"
                for k in (6, 18, 30, 40)
            ]
        ),
        "Installing collected packages: mpmath, typing-extensions, sympy, nvidia-nvtx-cu12, nvidia-nvjitlink-cu12, nvidia-nccl-cu12, nvidia-curand-cu12, nvidia-cufft-cu12, nvidia-cuda-runtime-cu12, nvidia-cuda-nvrtc-cu12, nvidia-cuda-cupti-cu12, nvidia-cublas-cu12, networkx, MarkupSafe, fsspec, filelock, triton, nvidia-cusparse-cu12, nvidia-cudnn-cu12, jinja2, nvidia-cusolver-cu12, torch, torchvision",
        Sleep(40),
        cause(
            "ERROR: Could not install packages due to an OSError: [Errno 28] No space left on device"
        ),
        "",
    )
    after = [
        gl_cmd("df -h / /builds /tmp"),
        "Filesystem      Size  Used Avail Use% Mounted on",
        "overlay          25G   25G     0 100% /",
        "/dev/sda1        25G   25G     0 100% /builds",
        "overlay          25G   25G     0 100% /tmp",
    ]
    lines = gl_simple(
        rng,
        "ml/detector-training",
        "python:3.11",
        script,
        "2024-05-01T10:00:00",
        cache_key="pip-train",
        after=after,
    )
    return Case(lines, "infrastructure", "No space left on device", exit_code=1)


# --- credentials ----------------------------------------------------------------------------------


@case("credentials", "npm_e401_expired_token")
def cred_npm(rng: random.Random) -> Case:
    wd = "/home/runner/work/portal/portal"
    steps = flat(
        gha_setup_node(rng, "20.12.2", wd),
        gha_run(
            "npm ci",
            flat(
                "npm WARN config `always-auth` has been removed",
                Sleep(6),
                cause("npm ERR! code E401"),
                also(
                    "npm ERR! 401 Unauthorized - GET https://npm.pkg.github.com/download/@acme/ui-kit/4.2.0/8f1c2d3e4a5b6c7d - Your token has expired."
                ),
                "",
                "npm ERR! A complete log of this run can be found in: /home/runner/.npm/_logs/2024-05-01T10_01_12_804Z-debug-0.log",
            ),
            exit_code=1,
            env={"NODE_AUTH_TOKEN": "***"},
        ),
    )
    lines = gha_job(
        rng,
        "acme/portal",
        "build",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "actions/setup-node@v4"),
        post=[
            "Post job cleanup.",
            "Cache saved with key: node-cache-Linux-x64-npm-"
            + hexs(rng, 64)
            + " was not saved: the job failed",
        ],
    )
    return Case(lines, "credentials", "E401", exit_code=1)


@case("credentials", "ssh_permission_denied_publickey")
def cred_ssh(rng: random.Random) -> Case:
    url = "git@github.com:acme/firmware.git"
    ws = "/var/lib/jenkins/workspace/firmware_main"
    trace = [
        "\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandIn(CliGitAPIImpl.java:2842)",
        "\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl.launchCommandWithCredentials(CliGitAPIImpl.java:2185)",
        "\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl$1.execute(CliGitAPIImpl.java:635)",
        "\tat org.jenkinsci.plugins.gitclient.CliGitAPIImpl$2.execute(CliGitAPIImpl.java:871)",
        "\tat hudson.plugins.git.GitSCM.retrieveChanges(GitSCM.java:1220)",
        "\tat hudson.plugins.git.GitSCM.checkout(GitSCM.java:1310)",
        "\tat org.jenkinsci.plugins.workflow.steps.scm.SCMStep.checkout(SCMStep.java:136)",
        "\tat java.base/java.lang.Thread.run(Thread.java:1583)",
    ]
    checkout = flat(
        "[Pipeline] stage",
        "[Pipeline] { (Declarative: Checkout SCM)",
        "[Pipeline] checkout",
        "The recommended git tool is: NONE",
        "using credential github-deploy-key-firmware",
        "Cloning the remote Git repository",
        f"Cloning repository {url}",
        f" > git init {ws} # timeout=10",
        f"Fetching upstream changes from {url}",
        " > git --version # timeout=10",
        " > git --version # 'git version 2.39.2'",
        "using GIT_SSH to set credentials deploy key for firmware (read-only)",
        "Verifying host key using known hosts file",
        f" > git fetch --tags --force --progress -- {url} +refs/heads/*:refs/remotes/origin/* # timeout=10",
        "ERROR: Error cloning remote repo 'origin'",
        f'hudson.plugins.git.GitException: Command "git fetch --tags --force --progress -- {url} +refs/heads/*:refs/remotes/origin/*" returned status code 128:',
        "stdout: ",
        cause("stderr: git@github.com: Permission denied (publickey)."),
        also("fatal: Could not read from remote repository."),
        "",
        "Please make sure you have the correct access rights",
        "and the repository exists.",
        "",
        trace,
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] withEnv",
        "[Pipeline] {",
    )
    body = flat(
        jk_start(rng, "firmware_main", url, "linux-agent-05", "Started by timer"),
        checkout,
        [
            flat(
                "[Pipeline] stage",
                f"[Pipeline] {{ ({s})",
                f'Stage "{s}" skipped due to earlier failure(s)',
                "[Pipeline] getContext",
                "[Pipeline] }",
                "[Pipeline] // stage",
            )
            for s in ("Build", "Unit tests", "Flash image")
        ],
        jk_end(flat("[Pipeline] mail", jk_cleanws()), "ERROR: Error cloning remote repo 'origin'"),
    )
    lines = materialize(body, Clock(utc("2024-05-01T03:00:00"), rng), None)
    return Case(lines, "credentials", "Permission denied (publickey)", exit_code=128)


@case("credentials", "aws_expired_token")
def cred_aws(rng: random.Random) -> Case:
    files = [
        "index.html",
        "assets/app.3f9c2e1a.js",
        "assets/app.5d8e7f60.css",
        "assets/vendor.a1b2c3d4.js",
        "favicon.ico",
        "robots.txt",
    ]
    script = flat(
        gl_cmd("npm ci && npm run build"),
        npm_ci(rng, 903, warns=2),
        "",
        "> web@5.0.3 build",
        "> vite build",
        "",
        "vite v5.2.11 building for production...",
        "transforming...",
        "✓ 1412 modules transformed.",
        "rendering chunks...",
        "computing gzip size...",
        "dist/index.html                      0.61 kB │ gzip:   0.37 kB",
        "dist/assets/app.5d8e7f60.css        41.22 kB │ gzip:   8.90 kB",
        "dist/assets/app.3f9c2e1a.js        188.40 kB │ gzip:  61.02 kB",
        "dist/assets/vendor.a1b2c3d4.js     402.91 kB │ gzip: 128.37 kB",
        "✓ built in 7.41s",
        gl_cmd("aws --version"),
        "aws-cli/2.15.42 Python/3.11.8 Linux/5.15.0-1057-aws exe/x86_64.debian.12",
        gl_cmd("aws s3 sync dist/ s3://acme-web-prod/ --delete --only-show-errors"),
        Sleep(3),
        cause(
            f"upload failed: dist/{files[0]} to s3://acme-web-prod/{files[0]} An error occurred (ExpiredToken) when calling the PutObject operation: The provided token has expired."
        ),
        [
            f"upload failed: dist/{f} to s3://acme-web-prod/{f} An error occurred (ExpiredToken) when calling the PutObject operation: The provided token has expired."
            for f in files[1:]
        ],
    )
    lines = gl_simple(
        rng, "web/storefront", "node:20-bookworm", script, "2024-05-01T10:00:00", cache_key="npm"
    )
    return Case(lines, "credentials", "ExpiredToken", exit_code=1)
