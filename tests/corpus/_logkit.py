# ruff: noqa: E501
"""Building blocks for the synthetic failed-CI logs of the ciwhy test corpus.

A log is composed as a list of *items*: plain strings (one console line each; a line may hold
`\\r` progress redraws), `Line`s (a string tagged as the root cause or an acceptable alternative),
`Sleep`s (time passes, nothing is printed) and `Dyn`s (text computed from the clock when the log
is written, e.g. GitLab section markers or Travis fold timings). `materialize` turns the items
into final text lines, adding a CI system's timestamp prefix where that system writes one.
"""

from __future__ import annotations

import random
import uuid
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

# --- ANSI -------------------------------------------------------------------------------------

RESET = "\x1b[0m"
BOLD = "\x1b[1m"
DIM = "\x1b[2m"
RED = "\x1b[31m"
GREEN = "\x1b[32m"
YELLOW = "\x1b[33m"
BLUE = "\x1b[34m"
MAGENTA = "\x1b[35m"
CYAN = "\x1b[36m"
GREY = "\x1b[90m"
BRED = "\x1b[31;1m"
BGREEN = "\x1b[32;1m"
BYELLOW = "\x1b[33;1m"
BCYAN = "\x1b[36;1m"
GL_RESET = "\x1b[0;m"
EL = "\x1b[0K"


# --- items ------------------------------------------------------------------------------------


class Line(str):
    """A console line tagged as the root cause ("cause") or an acceptable alternative ("accept").

    When the text holds `\\r` or `\\n`, the tag applies to its last physical line.
    """

    role: str

    def __new__(cls, text: str, role: str) -> Line:
        obj = super().__new__(cls, text)
        obj.role = role
        return obj


def cause(text: str) -> Line:
    return Line(text, "cause")


def also(text: str) -> Line:
    return Line(text, "accept")


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Dyn:
    """A line whose text depends on the clock at the moment it is printed."""

    fn: Callable[[Clock], str]
    role: str | None = None


Item = str | Sleep | Dyn


def retag(item: object, text: str) -> str:
    role = getattr(item, "role", None)
    return Line(text, role) if role else text


def flat(*parts: object) -> list[Item]:
    out: list[Item] = []
    for part in parts:
        if part is None:
            continue
        if isinstance(part, (list, tuple)):
            out.extend(flat(*part))
        elif isinstance(part, (str, Sleep, Dyn)):
            out.append(part)
        else:
            raise TypeError(f"not a log item: {part!r}")
    return out


# --- time -------------------------------------------------------------------------------------


class Clock:
    def __init__(
        self, start: datetime, rng: random.Random, step: tuple[float, float] = (0.0004, 0.05)
    ):
        self.t = start
        self.rng = rng
        self.step = step
        self.origin = start

    def now(self) -> datetime:
        return self.t

    def tick(self) -> datetime:
        self.t += timedelta(seconds=self.rng.uniform(*self.step))
        return self.t

    def sleep(self, seconds: float) -> None:
        self.t += timedelta(seconds=seconds)

    def unix(self) -> int:
        return int(self.t.timestamp())

    def ns(self) -> int:
        return int(self.t.timestamp() * 1_000_000) * 1000 + self.t.microsecond % 997

    def ms(self) -> int:
        return int(self.t.timestamp() * 1000)


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def iso7(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}{(t.microsecond * 7) % 10}Z"


def iso6(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond:06d}Z"


def iso3(t: datetime) -> str:
    return t.strftime("%Y-%m-%dT%H:%M:%S.") + f"{t.microsecond // 1000:03d}Z"


PREFIX: dict[str, Callable[[datetime], str]] = {
    "github": lambda t: iso7(t) + " ",
    "azure": lambda t: iso7(t) + " ",
    "gitlab": lambda t: iso6(t) + " 00O ",
    "jenkins": lambda t: f"[{iso3(t)}] ",
    "buildkite": lambda t: f"\x1b_bk;t={int(t.timestamp() * 1000)}\x07",
    "teamcity": lambda t: t.strftime("[%H:%M:%S]"),
}


def materialize(items: Iterable[Item], clock: Clock, prefix: str | None = None) -> list[str]:
    fmt = PREFIX[prefix] if prefix else None
    out: list[str] = []
    for item in items:
        if isinstance(item, Sleep):
            clock.sleep(item.seconds)
            continue
        clock.tick()
        text = item.fn(clock) if isinstance(item, Dyn) else item
        if fmt is not None:
            text = fmt(clock.now()) + text
        out.append(retag(item, text))
    return out


# --- random values ------------------------------------------------------------------------------


def rng_for(name: str) -> random.Random:
    return random.Random(zlib.crc32(name.encode()))


def hexs(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789abcdef") for _ in range(n))


def uid(rng: random.Random) -> str:
    return str(uuid.UUID(int=rng.getrandbits(128), version=4))


def alnum(rng: random.Random, n: int) -> str:
    return "".join(
        rng.choice("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        for _ in range(n)
    )


# --- progress redraws -------------------------------------------------------------------------


def redraw(frames: Iterable[str]) -> str:
    """One console line redrawn with carriage returns (each frame is a line for ciwhy)."""
    return "\r".join(frames)


def percent_frames(fmt: str, total: int, steps: int = 5) -> list[str]:
    frames = []
    for i in range(1, steps + 1):
        done = total * i // steps
        frames.append(fmt.format(pct=100 * i // steps, done=done, total=total))
    return frames


def git_remote_progress(rng: random.Random, objects: int, redraws: bool = True) -> list[str]:
    delta = objects // 3
    kb = rng.randint(300, 9000)
    lines = [f"remote: Enumerating objects: {objects}, done.        "]
    for label, total in (("Counting", objects), ("Compressing", objects - delta)):
        frames = percent_frames(
            f"remote: {label} objects: {{pct:3d}}% ({{done}}/{{total}})        ", total, 4
        )
        frames[-1] = frames[-1].rstrip() + ", done.        "
        lines.extend([redraw(frames)] if redraws else frames)
    recv = [
        f"Receiving objects: {p:3d}% ({objects * p // 100}/{objects}), {kb * p // 100} KiB | {rng.uniform(3, 40):.2f} MiB/s"
        for p in (12, 47, 81, 100)
    ]
    recv[-1] += ", done."
    lines.append(redraw(recv) if redraws else recv[-1])
    lines.append(
        f"Total {objects} (delta {delta}), reused {objects - 20} (delta {delta - 9}), pack-reused 0"
    )
    res = [f"Resolving deltas: {p:3d}% ({delta * p // 100}/{delta})" for p in (25, 50, 100)]
    res[-1] += ", done."
    lines.append(redraw(res) if redraws else res[-1])
    return lines


# --- ecosystem noise ----------------------------------------------------------------------------


def pip_install(
    rng: random.Random, pkgs: list[tuple[str, str]], bar: bool = True, cached: int = 0
) -> list[str]:
    out: list[str] = []
    for i, (name, ver) in enumerate(pkgs):
        out.append(
            f"Collecting {name}=={ver}"
            if i % 3 == 0
            else f"Collecting {name}>={ver.split('.')[0]}.0 (from -r requirements.txt (line {i + 1}))"
        )
        wheel = f"{name.replace('-', '_')}-{ver}-py3-none-any.whl"
        if i < cached:
            out.append(f"  Using cached {wheel} ({rng.randint(20, 900)} kB)")
            continue
        size = rng.uniform(12, 2400)
        unit = "kB" if size < 1000 else "MB"
        shown = size if size < 1000 else size / 1000
        out.append(f"  Downloading {wheel} ({shown:.1f} {unit})")
        if bar:
            frames = []
            for frac in (0.18, 0.55, 1.0):
                n = int(40 * frac)
                frames.append(
                    "     "
                    + "\x1b[38;2;249;38;114m"
                    + "━" * n
                    + RESET
                    + "\x1b[38;5;237m"
                    + "━" * (40 - n)
                    + RESET
                    + f" {GREEN}{shown * frac:.1f}/{shown:.1f} {unit}{RESET} {RED}{rng.uniform(1, 30):.1f} MB/s{RESET} eta {CYAN}0:00:0{0 if frac == 1 else 1}{RESET}"
                )
            out.append(redraw(frames))
    names = ", ".join(n for n, _ in pkgs)
    out.append(f"Installing collected packages: {names}")
    out.append("Successfully installed " + " ".join(f"{n}-{v}" for n, v in pkgs))
    return out


NPM_DEPRECATIONS = [
    "npm WARN deprecated rimraf@3.0.2: Versions before 4 are unmaintained; please upgrade",
    "npm WARN deprecated inflight@1.0.6: unsupported and known to leak memory, use lru-cache instead",
    "npm WARN deprecated glob@7.2.3: glob versions below 9 no longer receive fixes",
    "npm WARN deprecated @humanwhocodes/config-array@0.11.14: moved to @eslint/config-array",
    "npm WARN deprecated abab@2.0.6: use the platform's native atob() and btoa() instead",
    "npm WARN deprecated domexception@4.0.0: use the platform's native DOMException instead",
    "npm WARN deprecated stable@0.1.8: Array#sort is stable in every supported runtime now",
    "npm WARN deprecated sourcemap-codec@1.4.8: superseded by @jridgewell/sourcemap-codec",
]


def npm_ci(
    rng: random.Random,
    packages: int | None = None,
    vulns: str = "found 0 vulnerabilities",
    warns: int = 4,
) -> list[Item]:
    packages = packages or rng.randint(600, 1600)
    dep = rng.sample(NPM_DEPRECATIONS, warns)
    return flat(
        dep,
        Sleep(rng.uniform(10, 40)),
        "",
        f"added {packages} packages, and audited {packages + 1} packages in {rng.randint(14, 58)}s",
        "",
        f"{rng.randint(90, 260)} packages are looking for funding",
        "  run `npm fund` for details",
        "",
        vulns.split("\n"),
    )


def npm_script_header(pkg: str, version: str, script: str, command: str, cwd: str) -> list[str]:
    return ["", f"> {pkg}@{version} {script}", f"> {command}", ""]


def npm6_elifecycle(
    pkg: str, script: str, command: str, log_dir: str = "/home/travis/.npm/_logs"
) -> list[str]:
    """The block npm 6 prints after a package script fails (ELIFECYCLE)."""
    return [
        "npm ERR! code ELIFECYCLE",
        "npm ERR! errno 1",
        f"npm ERR! {pkg} {script}: `{command}`",
        "npm ERR! Exit status 1",
        "npm ERR! ",
        f"npm ERR! Failed at the {pkg} {script} script.",
        "npm ERR! This is probably not a problem with npm. There is likely additional logging output above.",
        "",
        "npm ERR! A complete log of this run can be found in:",
        f"npm ERR!     {log_dir}/2024-05-01T10_14_07_512Z-debug.log",
    ]


def maven_downloads(
    rng: random.Random,
    artifacts: list[str],
    repo: str = "central",
    url: str = "https://repo.maven.apache.org/maven2",
) -> list[str]:
    out = []
    for art in artifacts:
        group, name, ver = art.split(":")
        path = f"{url}/{group.replace('.', '/')}/{name}/{ver}/{name}-{ver}"
        for ext in ("pom", "jar"):
            out.append(f"Downloading from {repo}: {path}.{ext}")
            kb = rng.randint(2, 900)
            out.append(
                f"Downloaded from {repo}: {path}.{ext} ({kb} kB at {rng.randint(200, 4000)} kB/s)"
            )
    return out


def go_downloads(mods: list[str]) -> list[str]:
    return [f"go: downloading {m}" for m in mods]


def cargo_fetch(rng: random.Random, crates: list[str]) -> list[str]:
    out = ["    Updating crates.io index"]
    out.append(redraw([f"  Downloaded {c}" for c in crates[:3]]))
    out.extend(f"  Downloaded {c}" for c in crates[3:])
    out.append(
        f"  Downloaded {len(crates)} crates ({rng.uniform(2, 30):.1f} MB) in {rng.uniform(0.8, 4):.2f}s"
    )
    return out


def cargo_compiling(crates: list[str]) -> list[str]:
    return [f"   Compiling {c}" for c in crates]


def apt_get(
    rng: random.Random,
    pkgs: list[str],
    dist: str = "jammy",
    mirror: str = "http://archive.ubuntu.com/ubuntu",
) -> list[Item]:
    out: list[Item] = [
        f"Hit:1 {mirror} {dist} InRelease",
        f"Get:2 {mirror} {dist}-updates InRelease [128 kB]",
        f"Get:3 {mirror} {dist}-security InRelease [129 kB]",
        f"Get:4 {mirror} {dist}-updates/main amd64 Packages [{rng.randint(1500, 2200)} kB]",
        f"Fetched {rng.uniform(2, 9):.1f} MB in {rng.randint(1, 4)}s ({rng.uniform(1, 5):.1f} MB/s)",
        redraw(
            [
                "Reading package lists... 0%",
                "Reading package lists... 47%",
                "Reading package lists... Done",
            ]
        ),
        redraw(["Reading package lists... 0%", "Reading package lists... Done"]),
        redraw(["Building dependency tree... 50%", "Building dependency tree... Done"]),
        redraw(["Reading state information... 0%", "Reading state information... Done"]),
        "The following NEW packages will be installed:",
        "  " + " ".join(pkgs),
        f"0 upgraded, {len(pkgs)} newly installed, 0 to remove and {rng.randint(3, 40)} not upgraded.",
        f"Need to get {rng.uniform(0.4, 9):.1f} MB of archives.",
        f"After this operation, {rng.uniform(1, 30):.1f} MB of additional disk space will be used.",
    ]
    for i, p in enumerate(pkgs, start=1):
        out.append(
            f"Get:{i} {mirror} {dist}/main amd64 {p} amd64 {rng.randint(1, 9)}.{rng.randint(0, 20)}-{rng.randint(1, 4)} [{rng.randint(20, 900)} kB]"
        )
    out.append(Sleep(2))
    for p in pkgs:
        out.append(f"Selecting previously unselected package {p}:amd64.")
        out.append(f"Setting up {p}:amd64 ...")
    out.append("Processing triggers for libc-bin (2.35-0ubuntu3.7) ...")
    return out


def docker_pull(rng: random.Random, image: str, layers: int = 5) -> list[str]:
    ids = [hexs(rng, 12) for _ in range(layers)]
    tag = image.split(":")[-1] if ":" in image else "latest"
    out = [f"{tag}: Pulling from {image.split(':')[0]}"]
    out += [f"{i}: Pulling fs layer" for i in ids]
    out += [f"{i}: Verifying Checksum" for i in ids[:2]]
    out += [f"{i}: Download complete" for i in ids]
    out += [f"{i}: Pull complete" for i in ids]
    out.append(f"Digest: sha256:{hexs(rng, 64)}")
    out.append(f"Status: Downloaded newer image for {image}")
    return out


# --- GitHub Actions -----------------------------------------------------------------------------


def gha_setup(
    rng: random.Random,
    job: str,
    actions: list[str],
    image: str = "ubuntu22",
    os_lines: tuple[str, ...] = ("Ubuntu", "22.04.4", "LTS"),
    permissions: tuple[str, ...] = ("Contents: read", "Metadata: read", "Packages: read"),
) -> list[Item]:
    ver = f"20240{rng.randint(4, 5)}{rng.randint(10, 28)}.{rng.randint(1, 3)}"
    out: list[Item] = [
        "Current runner version: '2.316.1'",
        "##[group]Operating System",
        *os_lines,
        "##[endgroup]",
        "##[group]Runner Image",
        f"Image: {image.replace('ubuntu22', 'ubuntu-22.04').replace('macos14', 'macos-14-arm64')}",
        f"Version: {ver}",
        f"Included Software: https://github.com/actions/runner-images/blob/{image}/{ver}/images/{'macos' if 'mac' in image else 'ubuntu'}/README.md",
        f"Image Release: https://github.com/actions/runner-images/releases/tag/{image}%2F{ver}",
        "##[endgroup]",
        "##[group]Runner Image Provisioner",
        f"2.0.{rng.randint(300, 380)}.1",
        "##[endgroup]",
        "##[group]GITHUB_TOKEN Permissions",
        *permissions,
        "##[endgroup]",
        "Secret source: Actions",
        "Prepare workflow directory",
        "Prepare all required actions",
        "Getting action download info",
    ]
    for a in actions:
        out.append(f"Download action repository '{a}' (SHA:{hexs(rng, 40)})")
    out.append(f"Complete job name: {job}")
    return out


def gha_checkout(
    rng: random.Random,
    repo: str,
    sha: str,
    branch: str = "main",
    redraws: bool = True,
    workdir: str | None = None,
) -> list[Item]:
    name = repo.split("/")[1]
    wd = workdir or f"/home/runner/work/{name}/{name}"
    objects = rng.randint(150, 2500)
    return flat(
        "##[group]Run actions/checkout@v4",
        "with:",
        f"  repository: {repo}",
        "  token: ***",
        "  ssh-strict: true",
        "  ssh-user: git",
        "  persist-credentials: true",
        "  clean: true",
        "  sparse-checkout-cone-mode: true",
        "  fetch-depth: 1",
        "  fetch-tags: false",
        "  show-progress: true",
        "  lfs: false",
        "  submodules: false",
        "  set-safe-directory: true",
        "##[endgroup]",
        f"Syncing repository: {repo}",
        "##[group]Getting Git version info",
        f"Working directory is '{wd}'",
        "[command]/usr/bin/git version",
        "git version 2.45.0",
        "##[endgroup]",
        f"Temporarily overriding HOME='/home/runner/work/_temp/{uid(rng)}' before making global git config changes",
        "Adding repository directory to the temporary git global config as a safe directory",
        f"[command]/usr/bin/git config --global --add safe.directory {wd}",
        f"Deleting the contents of '{wd}'",
        "##[group]Initializing the repository",
        f"[command]/usr/bin/git init {wd}",
        f"Initialized empty Git repository in {wd}/.git/",
        f"[command]/usr/bin/git remote add origin https://github.com/{repo}",
        "##[endgroup]",
        "##[group]Disabling automatic garbage collection",
        "[command]/usr/bin/git config --local gc.auto 0",
        "##[endgroup]",
        "##[group]Setting up auth",
        "[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand",
        "[command]/usr/bin/git config --local http.https://github.com/.extraheader AUTHORIZATION: basic ***",
        "##[endgroup]",
        "##[group]Fetching the repository",
        f"[command]/usr/bin/git -c protocol.version=2 fetch --no-tags --prune --no-recurse-submodules --depth=1 origin +{sha}:refs/remotes/origin/{branch}",
        git_remote_progress(rng, objects, redraws),
        f"From https://github.com/{repo}",
        f" * [new ref]         {sha} -> origin/{branch}",
        "##[endgroup]",
        "##[group]Determining the checkout info",
        "##[endgroup]",
        "[command]/usr/bin/git sparse-checkout disable",
        "[command]/usr/bin/git config --local --unset-all extensions.worktreeConfig",
        "##[group]Checking out the ref",
        f"[command]/usr/bin/git checkout --progress --force -B {branch} refs/remotes/origin/{branch}",
        f"Switched to a new branch '{branch}'",
        f"branch '{branch}' set up to track 'origin/{branch}'.",
        "##[endgroup]",
        "[command]/usr/bin/git log -1 --format='%H'",
        f"'{sha}'",
    )


def gha_run(
    cmd: str | list[str],
    body: list[Item],
    exit_code: int | None = None,
    env: dict[str, str] | None = None,
    shell: str = "/usr/bin/bash -e {0}",
) -> list[Item]:
    cmds = [cmd] if isinstance(cmd, str) else cmd
    head = ["##[group]Run " + cmds[0], *cmds, f"shell: {shell}"]
    if env:
        head.append("env:")
        head += [f"  {k}: {v}" for k, v in env.items()]
    head.append("##[endgroup]")
    tail = (
        [f"##[error]Process completed with exit code {exit_code}."] if exit_code is not None else []
    )
    return flat(head, body, tail)


def gha_action(name: str, with_: dict[str, str], body: list[Item]) -> list[Item]:
    head = (
        [f"##[group]Run {name}", "with:"]
        + [f"  {k}: {v}" for k, v in with_.items()]
        + ["##[endgroup]"]
    )
    return flat(head, body)


def gha_post_checkout(repo: str, workdir: str | None = None) -> list[Item]:
    name = repo.split("/")[1]
    wd = workdir or f"/home/runner/work/{name}/{name}"
    return [
        "Post job cleanup.",
        "[command]/usr/bin/git version",
        "git version 2.45.0",
        f"Copying '/home/runner/.gitconfig' to '/home/runner/work/_temp/{name}-gitconfig'",
        f"Temporarily overriding HOME='/home/runner/work/_temp/{name}-home' before making global git config changes",
        "Adding repository directory to the temporary git global config as a safe directory",
        f"[command]/usr/bin/git config --global --add safe.directory {wd}",
        "[command]/usr/bin/git config --local --name-only --get-regexp core\\.sshCommand",
        "[command]/usr/bin/git config --local --name-only --get-regexp http\\.https\\:\\/\\/github\\.com\\/\\.extraheader",
        "http.https://github.com/.extraheader",
        "[command]/usr/bin/git config --local --unset-all http.https://github.com/.extraheader",
        "Cleaning up orphan processes",
    ]


# --- GitLab -------------------------------------------------------------------------------------


def gl_cmd(cmd: str) -> str:
    return f"{BGREEN}$ {cmd}{GL_RESET}"


def gl_info(text: str) -> str:
    return f"{BGREEN}{text}{GL_RESET}"


def gl_job(
    rng: random.Random,
    sections: list[tuple[str, str, list[Item]]],
    failure: Item | None = "ERROR: Job failed: exit code 1",
    runner: str = "gitlab-runner 16.11.0 (91a27b2a)",
    on: str = "shared-docker-runner-4",
) -> list[Item]:
    """sections: (name, title, lines). Section markers chain the way the runner writes them."""
    out: list[Item] = [
        f"Running with {runner}",
        f"  on {on} {alnum(rng, 8)}, system ID: s_{hexs(rng, 12)}",
    ]
    prev: list[str] = []
    for name, title, lines in sections:
        closing = prev[0] if prev else None

        def head(
            c: Clock, name: str = name, title: str = title, closing: str | None = closing
        ) -> str:
            start = f"section_start:{c.unix()}:{name}\r{EL}{EL}{BCYAN}{title}{GL_RESET}"
            return (f"section_end:{c.unix()}:{closing}\r{EL}" if closing else "") + start

        out.append(Dyn(head))
        out.extend(flat(lines))
        prev = [name]
    if failure is not None:
        last = prev[0]
        role = getattr(failure, "role", None)
        text = str(failure)
        out.append(Dyn(lambda c: f"section_end:{c.unix()}:{last}\r{EL}{BRED}{text}", role=role))
        out.append(GL_RESET)
    else:
        last = prev[0]
        out.append(Dyn(lambda c: f"section_end:{c.unix()}:{last}\r{EL}"))
    return out


def gl_prepare(
    rng: random.Random,
    image: str,
    executor: str = "docker",
    project: str = "platform/api",
    host: str = "runner-7f3k2m-shared",
) -> list[tuple[str, str, list[Item]]]:
    digest = hexs(rng, 64)
    img = image.split(":")[0]
    return [
        (
            "prepare_executor",
            f'Preparing the "{executor}" executor',
            [
                f"{EL}Using Docker executor with image {image} ...{GL_RESET}",
                f"{EL}Pulling docker image {image} ...{GL_RESET}",
                Sleep(rng.uniform(2, 9)),
                f"{EL}Using docker image sha256:{hexs(rng, 64)} for {image} with digest {img}@sha256:{digest} ...{GL_RESET}",
            ],
        ),
        (
            "prepare_script",
            "Preparing environment",
            [f"Running on {host}-project-{rng.randint(10, 900)}-concurrent-0 via {host}..."],
        ),
    ]


def gl_sources(
    rng: random.Random, project: str, sha: str, ref: str = "main", depth: int = 20
) -> tuple[str, str, list[Item]]:
    return (
        "get_sources",
        "Getting source from Git repository",
        [
            gl_info(f"Fetching changes with git depth set to {depth}..."),
            f"Initialized empty Git repository in /builds/{project}/.git/",
            gl_info("Created fresh repository."),
            gl_info(f"Checking out {sha[:8]} as detached HEAD (ref is {ref})..."),
            "",
            gl_info("Skipping Git submodules setup"),
        ],
    )


def gl_cache(
    rng: random.Random, key: str, restore: bool = True, hit: bool = True
) -> tuple[str, str, list[Item]]:
    if restore:
        lines: list[Item] = [gl_info(f"Checking cache for {key}-protected...")]
        if hit:
            lines += [
                f'Downloading cache from https://storage.googleapis.com/gl-runner-cache/project/{rng.randint(1000, 9999)}/{key}-protected{GL_RESET}  ETag{GL_RESET}="{hexs(rng, 32)}"',
                Sleep(rng.uniform(1, 6)),
                gl_info("Successfully extracted cache"),
            ]
        else:
            lines += [
                f"{YELLOW}WARNING: file does not exist                      {GL_RESET} ",
                f"{YELLOW}Failed to extract cache{GL_RESET}",
            ]
        return ("restore_cache", "Restoring cache", lines)
    return (
        "archive_cache_on_failure",
        "Saving cache for failed job",
        [
            gl_info(f"Creating cache {key}-non_protected..."),
            ".cache/: found 2841 matching artifact files and directories" + GL_RESET,
            f"Uploading cache.zip to https://storage.googleapis.com/gl-runner-cache/project/{rng.randint(1000, 9999)}/{key}-non_protected{GL_RESET} ",
            gl_info("Created cache"),
        ],
    )


def gl_artifacts(
    rng: random.Random, paths: list[str], kind: str = "junit"
) -> tuple[str, str, list[Item]]:
    lines: list[Item] = [gl_info("Uploading artifacts...")]
    for p in paths:
        lines.append(f"{p}: found 1 matching artifact files and directories{GL_RESET} ")
    lines.append(
        f'Uploading artifacts as "{kind}" to coordinator... 201 Created{GL_RESET}  id{GL_RESET}={rng.randint(10**9, 2 * 10**9)} responseStatus{GL_RESET}=201 Created token{GL_RESET}=glcbt-64'
    )
    return ("upload_artifacts_on_failure", "Uploading artifacts for failed job", lines)


def gl_cleanup() -> tuple[str, str, list[Item]]:
    return ("cleanup_file_variables", "Cleaning up project directory and file based variables", [])


# --- Jenkins ------------------------------------------------------------------------------------


def jk_start(
    rng: random.Random,
    job: str,
    url: str,
    agent: str,
    cause_line: str = "Started by user Dana Whitfield",
) -> list[Item]:
    return [
        cause_line,
        f"Obtained Jenkinsfile from git {url}",
        "[Pipeline] Start of Pipeline",
        "[Pipeline] node",
        f"Running on {agent} in /var/lib/jenkins/workspace/{job}",
        "[Pipeline] {",
    ]


def jk_checkout(
    rng: random.Random, job: str, url: str, sha: str, message: str, cred: str = "git-https-ro"
) -> list[Item]:
    ws = f"/var/lib/jenkins/workspace/{job}"
    return [
        "[Pipeline] stage",
        "[Pipeline] { (Declarative: Checkout SCM)",
        "[Pipeline] checkout",
        "The recommended git tool is: NONE",
        f"using credential {cred}",
        "Cloning the remote Git repository",
        f"Cloning repository {url}",
        f" > git init {ws} # timeout=10",
        f"Fetching upstream changes from {url}",
        " > git --version # timeout=10",
        " > git --version # 'git version 2.39.2'",
        "using GIT_ASKPASS to set credentials read-only token for the build bots",
        f" > git fetch --tags --force --progress -- {url} +refs/heads/*:refs/remotes/origin/* # timeout=10",
        f" > git config remote.origin.url {url} # timeout=10",
        " > git config --add remote.origin.fetch +refs/heads/*:refs/remotes/origin/* # timeout=10",
        "Avoid second fetch",
        f"Checking out Revision {sha} (refs/remotes/origin/main)",
        " > git config core.sparsecheckout # timeout=10",
        f" > git checkout -f {sha} # timeout=10",
        f'Commit message: "{message}"',
        f" > git rev-list --no-walk {hexs(rng, 40)} # timeout=10",
        "[Pipeline] }",
        "[Pipeline] // stage",
        "[Pipeline] withEnv",
        "[Pipeline] {",
    ]


def jk_stage(name: str, body: list[Item]) -> list[Item]:
    return flat(
        "[Pipeline] stage", f"[Pipeline] {{ ({name})", body, "[Pipeline] }", "[Pipeline] // stage"
    )


def jk_skipped(name: str) -> list[Item]:
    return jk_stage(
        name, [f'Stage "{name}" skipped due to earlier failure(s)', "[Pipeline] getContext"]
    )


def jk_end(post: list[Item], error: Item | None, result: str = "FAILURE") -> list[Item]:
    return flat(
        jk_stage("Declarative: Post Actions", post),
        "[Pipeline] }",
        "[Pipeline] // withEnv",
        "[Pipeline] }",
        "[Pipeline] // node",
        "[Pipeline] End of Pipeline",
        error,
        f"Finished: {result}",
    )


def jk_cleanws() -> list[str]:
    return [
        "[Pipeline] cleanWs",
        "[WS-CLEANUP] Deleting project workspace...",
        "[WS-CLEANUP] Deferred wipeout is used...",
        "[WS-CLEANUP] done",
    ]


# --- Travis ---------------------------------------------------------------------------------------


def tv_header(rng: random.Random, language: str, dist: str = "focal") -> list[Item]:
    return [
        f"travis_fold:start:worker_info\r{EL}{BYELLOW}Worker information{RESET}",
        f"hostname: {uid(rng)}",
        f"version: v6.2.24 https://github.com/travis-ci/worker/tree/{hexs(rng, 40)}",
        f"instance: travis-job-{uid(rng)} travis-ci-{dist}-amd64-1712{rng.randint(100000, 999999)}-{hexs(rng, 8)} (via amqp)",
        f"startup: {rng.uniform(5, 9):.9f}s",
        f"travis_fold:end:worker_info\r{EL}{BYELLOW}Build system information{RESET}",
        f"Build language: {language}",
        f"Build dist: {dist}",
        f"Build id: {rng.randint(270000000, 279999999)}",
        f"Job id: {rng.randint(610000000, 619999999)}",
        "Runtime kernel version: 5.4.0-1106-gcp",
        f"travis-build version: {hexs(rng, 9)}",
        f"{BLUE}{BOLD}Build image provisioning date and time{RESET}",
        "Tue Apr 16 09:12:44 UTC 2024",
        f"{BLUE}{BOLD}Operating System Details{RESET}",
        "Distributor ID:\tUbuntu",
        "Description:\tUbuntu 20.04.6 LTS",
        "Release:\t20.04",
        f"Codename:\t{dist}",
        "",
        f"travis_time:start:{hexs(rng, 8)}\r{EL}travis_time:end:{hexs(rng, 8)}:start=1714557600100200300,finish=1714557600110200300,duration=10000000,event=no_world_writable_dirs\r{EL}travis_time:start:{hexs(rng, 8)}\r{EL}travis_time:end:{hexs(rng, 8)}:start=1714557600120200300,finish=1714557600130200300,duration=10000000,event=fix_etc_hosts\r{EL}",
    ]


def tv_cmd(
    rng: random.Random,
    cmd: str,
    body: list[Item],
    event: str,
    exit_code: int | None = 0,
    fold: str | None = None,
    result: Item | None = None,
) -> list[Item]:
    """A timed command; `exit_code` None prints no result line (install steps)."""
    tid = hexs(rng, 8)
    cell: dict[str, int] = {}

    def start(c: Clock) -> str:
        cell["t"] = c.ns()
        pre = f"travis_fold:start:{fold}\r{EL}" if fold else ""
        return f"{pre}travis_time:start:{tid}\r{EL}$ {cmd}"

    def end(c: Clock) -> str:
        fin = c.ns()
        line = f"travis_time:end:{tid}:start={cell['t']},finish={fin},duration={fin - cell['t']},event={event}\r{EL}"
        if exit_code is not None:
            colour = BGREEN if exit_code == 0 else BRED
            line += f'{colour}The command "{cmd}" exited with {exit_code}.{RESET}'
        elif fold:
            line += f"travis_fold:end:{fold}\r{EL}"
        return line

    role = getattr(result, "role", None)
    return flat(Dyn(start), body, Dyn(end, role=role))


def tv_done(code: int = 1) -> list[str]:
    return ["", "", f"Done. Your build exited with {code}."]


# --- Azure Pipelines ----------------------------------------------------------------------------


def az_task(
    name: str,
    task: str,
    description: str,
    version: str,
    body: list[Item],
    error: Item | None = None,
) -> list[Item]:
    return flat(
        f"##[section]Starting: {name}",
        "==============================================================================",
        f"Task         : {task}",
        f"Description  : {description}",
        f"Version      : {version}",
        "Author       : Microsoft Corporation",
        "Help         : https://docs.microsoft.com/azure/devops/pipelines/tasks",
        "==============================================================================",
        body,
        error,
        f"##[section]Finishing: {name}",
    )


def az_init(
    rng: random.Random,
    agent: str = "Azure Pipelines 4",
    image: str = "ubuntu-22.04",
    machine: str | None = None,
) -> list[Item]:
    return [
        "##[section]Starting: Initialize job",
        f"Agent name: '{agent}'",
        f"Agent machine name: '{machine or 'fv-az' + str(rng.randint(100, 999)) + '-' + str(rng.randint(100, 999))}'",
        "Current agent version: '3.238.0'",
        "##[group]Operating System",
        *(
            ["Microsoft Windows Server 2022", "10.0.20348", "Datacenter"]
            if "windows" in image
            else ["Ubuntu", "22.04.4", "LTS"]
        ),
        "##[endgroup]",
        "##[group]Runner Image",
        f"Image: {image}",
        f"Version: 20240{rng.randint(4, 5)}{rng.randint(10, 28)}.{rng.randint(1, 3)}.0",
        "##[endgroup]",
        "Current image version: '20240422.1.0'",
        "Agent running as: 'vsts'"
        if "windows" not in image
        else "Agent running as: 'VssAdministrator'",
        "Prepare build directory.",
        "Set build variables.",
        "Download all required tasks.",
        "Downloading task: CmdLine (2.231.1)",
        "Downloading task: UseDotNet (2.238.1)"
        if "windows" in image
        else "Downloading task: UsePythonVersion (0.238.1)",
        "Checking job knob settings.",
        "   Knob: AgentToolsDirectory = C:\\hostedtoolcache\\windows Source: ${AGENT_TOOLSDIRECTORY} "
        if "windows" in image
        else "   Knob: AgentToolsDirectory = /opt/hostedtoolcache Source: ${AGENT_TOOLSDIRECTORY} ",
        "   Knob: AgentPerflog = C:\\agents\\perflog Source: ${VSTS_AGENT_PERFLOG} "
        if "windows" in image
        else "   Knob: AgentPerflog = /home/vsts/perflog Source: ${VSTS_AGENT_PERFLOG} ",
        "Finished checking job knob settings.",
        "Start tracking orphan processes.",
        "##[section]Finishing: Initialize job",
    ]


# --- CircleCI -----------------------------------------------------------------------------------


def cc_spinup(rng: random.Random, image: str) -> list[Item]:
    return [
        "Spin up environment",
        f"Build-agent version 1.0.{rng.randint(220000, 240000)}-{hexs(rng, 8)} (2024-04-24T17:02:51+0000)",
        "System information:",
        " Server Version: 24.0.9",
        " Storage Driver: overlay2",
        "  Backing Filesystem: xfs",
        " Cgroup Driver: cgroupfs",
        " Cgroup Version: 1",
        " Kernel Version: 5.15.0-1057-aws",
        " Operating System: Ubuntu 20.04.6 LTS",
        " OSType: linux",
        " Architecture: x86_64",
        "",
        f"Starting container {image}",
        f"{image}:",
        f"  using image {image.split(':')[0]}@sha256:{hexs(rng, 64)}",
        "",
        f"Time to upload agent and config: {rng.uniform(300, 900):.1f}ms",
        f"Time to start containers: {rng.uniform(300, 1500):.1f}ms",
        "",
    ]


def cc_env(rng: random.Random, project: str, branch: str = "main") -> list[Item]:
    org, repo = project.split("/")
    return [
        "Preparing environment variables",
        "Using build environment variables:",
        f"  BASH_ENV=/tmp/.bash_env-{hexs(rng, 24)}-0-build",
        "  CI=true",
        "  CIRCLECI=true",
        f"  CIRCLE_BRANCH={branch}",
        f"  CIRCLE_BUILD_NUM={rng.randint(10000, 90000)}",
        f"  CIRCLE_BUILD_URL=https://circleci.com/gh/{project}/{rng.randint(10000, 90000)}",
        "  CIRCLE_JOB=test",
        "  CIRCLE_NODE_INDEX=0",
        "  CIRCLE_NODE_TOTAL=1",
        f"  CIRCLE_PROJECT_REPONAME={repo}",
        f"  CIRCLE_PROJECT_USERNAME={org}",
        f"  CIRCLE_REPOSITORY_URL=git@github.com:{project}.git",
        f"  CIRCLE_SHA1={hexs(rng, 40)}",
        f"  CIRCLE_WORKFLOW_ID={uid(rng)}",
        "  CIRCLE_WORKING_DIRECTORY=~/project",
        "",
        "Using environment variables from project settings and/or contexts:",
        "  CODECOV_TOKEN=**REDACTED**",
        "  NPM_TOKEN=**REDACTED**",
        "",
        "The redacted variables listed above will be masked in run step output.",
        "",
    ]


def cc_checkout(rng: random.Random, project: str) -> list[Item]:
    sha = hexs(rng, 40)
    return [
        "Checkout code",
        "#!/bin/sh",
        "set -e",
        "",
        "# Workaround old docker images with incorrect $HOME",
        "# check https://github.com/docker/docker/issues/2968 for details",
        'if [ "${HOME}" = "/" ]',
        "then",
        "  export HOME=$(getent passwd $(id -un) | cut -d: -f6)",
        "fi",
        "",
        "Using SSH Config Dir '/home/circleci/.ssh'",
        "git version 2.44.0",
        "Cloning git repository",
        "Cloning into '.'...",
        "Warning: Permanently added 'github.com' (ED25519) to the list of known hosts.",
        git_remote_progress(rng, rng.randint(500, 3000), False)[-3],
        "Checking out branch",
        f"HEAD is now at {sha[:7]} Merge pull request #{rng.randint(100, 999)} from {project.split('/')[0]}/feature",
        "",
    ]


def cc_run(
    name: str,
    command: list[str],
    body: list[Item],
    exit_code: int | None = None,
    shell: str = "#!/bin/bash -eo pipefail",
) -> list[Item]:
    tail: list[Item] = []
    if exit_code is not None:
        tail = ["", f"Exited with code exit status {exit_code}", ""]
    return flat(name, shell, command, body, tail)


# --- TeamCity -----------------------------------------------------------------------------------


def tc(text: str, step: str | None = None, kind: str = " ", depth: int = 1) -> str:
    if step:
        return f"{kind}:{chr(9) * depth} [{step}] {text}"
    return f"{kind}: {text}"


def gha_setup_node(
    rng: random.Random,
    version: str = "20.12.2",
    repo_dir: str = "/home/runner/work/app/app",
    cache: str = "npm",
) -> list[Item]:
    key = f"node-cache-Linux-x64-{cache}-{hexs(rng, 64)}"
    size = rng.randint(40_000_000, 160_000_000)
    return gha_action(
        "actions/setup-node@v4",
        {
            "node-version": version.split(".")[0],
            "cache": cache,
            "always-auth": "false",
            "check-latest": "false",
            "token": "***",
        },
        [
            f"Found in cache @ /opt/hostedtoolcache/node/{version}/x64",
            "##[group]Environment details",
            f"node: v{version}",
            "npm: 10.5.0",
            "yarn: 1.22.22",
            "##[endgroup]",
            f"[command]/opt/hostedtoolcache/node/{version}/x64/bin/npm config get cache",
            "/home/runner/.npm",
            f"Cache hit for: {key}",
            f"Received {size // 3} of {size} (33.3%), {rng.uniform(20, 60):.1f} MBs/sec",
            f"Received {size} of {size} (100.0%), {rng.uniform(20, 60):.1f} MBs/sec",
            f"Cache Size: ~{size // 1_048_576} MB ({size} B)",
            f"[command]/usr/bin/tar -xf /home/runner/work/_temp/{uid(rng)}/cache.tzst -P -C {repo_dir} --use-compress-program unzstd",
            "Cache restored successfully",
            f"Cache restored from key: {key}",
        ],
    )


def gha_setup_python(rng: random.Random, version: str = "3.12.3") -> list[Item]:
    return gha_action(
        "actions/setup-python@v5",
        {
            "python-version": version.rsplit(".", 1)[0],
            "cache": "pip",
            "check-latest": "false",
            "token": "***",
            "update-environment": "true",
            "allow-prereleases": "false",
        },
        [
            "##[group]Installed versions",
            f"Successfully set up CPython ({version})",
            "##[endgroup]",
            f"[command]/opt/hostedtoolcache/Python/{version}/x64/bin/pip cache dir",
            "/home/runner/.cache/pip",
            f"Cache hit for: setup-python-Linux-22.04-Ubuntu-python-{version}-pip-{hexs(rng, 64)}",
            f"Received {rng.randint(20_000_000, 90_000_000)} of {rng.randint(90_000_000, 99_000_000)} (100.0%), {rng.uniform(20, 60):.1f} MBs/sec",
            "Cache restored successfully",
        ],
    )


def gha_setup_go(rng: random.Random, version: str = "1.22.2") -> list[Item]:
    return gha_action(
        "actions/setup-go@v5",
        {"go-version-file": "go.mod", "check-latest": "false", "token": "***", "cache": "true"},
        [
            "Setup go version spec 1.22",
            f"Found in cache @ /opt/hostedtoolcache/go/{version}/x64",
            "Added go to the path",
            f"Successfully set up Go version {version}",
            f"[command]/opt/hostedtoolcache/go/{version}/x64/bin/go env GOMODCACHE",
            f"[command]/opt/hostedtoolcache/go/{version}/x64/bin/go env GOCACHE",
            "/home/runner/go/pkg/mod",
            "/home/runner/.cache/go-build",
            f"Cache hit for: setup-go-Linux-ubuntu22-go-{version}-{hexs(rng, 64)}",
            "Cache restored successfully",
            f"go version go{version} linux/amd64",
            "",
            "##[group]go env",
            "GO111MODULE=''",
            "GOARCH='amd64'",
            "GOFLAGS=''",
            "GOOS='linux'",
            f"GOVERSION='go{version}'",
            "##[endgroup]",
        ],
    )


def gha_cache_post(rng: random.Random, key: str, hit: bool) -> list[Item]:
    if hit:
        return [
            "Post job cleanup.",
            f"Cache hit occurred on the primary key {key}, not saving cache.",
        ]
    return [
        "Post job cleanup.",
        "[command]/usr/bin/tar --posix -cf cache.tzst --exclude cache.tzst -P -C /home/runner/work --files-from manifest.txt --use-compress-program zstdmt",
        f"Sent {rng.randint(10_000_000, 80_000_000)} of {rng.randint(80_000_000, 90_000_000)} (100.0%), {rng.uniform(20, 90):.1f} MBs/sec",
        f"Cache saved with key: {key}",
    ]


# --- registry -----------------------------------------------------------------------------------


@dataclass
class Case:
    lines: list[str]
    category: str
    contains: str
    failing_tests: list[str] | None = None
    exit_code: int | None = None
    newline: str = "\n"


CaseFn = Callable[[random.Random], Case]
CASES: list[tuple[str, str, CaseFn]] = []
PAIRS: dict[str, list[list[str]]] = {"same": [], "different": []}


def case(group: str, name: str) -> Callable[[CaseFn], CaseFn]:
    def register(fn: CaseFn) -> CaseFn:
        CASES.append((group, name, fn))
        return fn

    return register


def pair(kind: str, a: str, b: str) -> None:
    PAIRS[kind].append([a, b])


# --- test-runner output shared by several cases ------------------------------------------------


def rule(title: str = "", char: str = "=", width: int = 80) -> str:
    return f" {title} ".center(width, char) if title else char * width


def pytest_header(
    rootdir: str,
    items: int,
    python: str = "3.12.3",
    plugins: str = "anyio-4.3.0, cov-5.0.0, xdist-3.5.0",
) -> list[str]:
    return [
        rule("test session starts"),
        f"platform linux -- Python {python}, pytest-8.2.0, pluggy-1.5.0",
        f"rootdir: {rootdir}",
        "configfile: pyproject.toml",
        f"plugins: {plugins}",
        f"collected {items} items",
        "",
    ]


def pytest_progress(files: list[tuple[str, str]], total: int | None = None) -> list[str]:
    total = total or sum(len(o) for _, o in files)
    done = 0
    out = []
    for path, outcomes in files:
        done += len(outcomes)
        out.append(f"{path} {outcomes}".ljust(73) + f"[{100 * done // total:3d}%]")
    return out


# --- whole-job shortcuts ------------------------------------------------------------------------


def gha_job(
    rng: random.Random,
    repo: str,
    job: str,
    steps: list[Item],
    start: str,
    actions: tuple[str, ...] = ("actions/checkout@v4",),
    post: list[Item] | None = None,
    image: str = "ubuntu22",
    workdir: str | None = None,
    **setup: object,
) -> list[str]:
    """A GitHub Actions job: set-up, checkout, the given steps, post steps; timestamped."""
    body = flat(
        gha_setup(rng, job, list(actions), image, **setup),  # type: ignore[arg-type]
        gha_checkout(rng, repo, hexs(rng, 40), workdir=workdir),
        steps,
        post or [],
        gha_post_checkout(repo, workdir),
    )
    return materialize(body, Clock(utc(start), rng), "github")


def gl_simple(
    rng: random.Random,
    project: str,
    image: str,
    script: list[Item],
    start: str,
    cache_key: str | None = None,
    after: list[Item] | None = None,
    artifacts: list[str] | None = None,
    failure: Item | None = "ERROR: Job failed: exit code 1",
    timestamps: bool = False,
) -> list[str]:
    """A GitLab job with the usual sections around one step_script."""
    sections: list[tuple[str, str, list[Item]]] = [
        *gl_prepare(rng, image, project=project),
        gl_sources(rng, project, hexs(rng, 40)),
    ]
    if cache_key:
        sections.append(gl_cache(rng, cache_key))
    sections.append(
        (
            "step_script",
            'Executing "step_script" stage of the job script',
            flat(
                f"{EL}Using docker image sha256:{hexs(rng, 64)} for {image} with digest {image.split(':')[0]}@sha256:{hexs(rng, 64)} ...{GL_RESET}",
                script,
            ),
        )
    )
    if after:
        sections.append(
            (
                "after_script",
                "Running after_script",
                flat(gl_info("Running after script..."), after),
            )
        )
    if cache_key:
        sections.append(gl_cache(rng, cache_key, restore=False))
    if artifacts:
        sections.append(gl_artifacts(rng, artifacts))
    sections.append(gl_cleanup())
    items = gl_job(
        rng,
        sections,
        failure=failure,
        runner="gitlab-runner 17.0.0 (44feccdf)"
        if timestamps
        else "gitlab-runner 16.11.0 (91a27b2a)",
    )
    return materialize(items, Clock(utc(start), rng), "gitlab" if timestamps else None)


def jk_simple(
    rng: random.Random,
    job: str,
    url: str,
    stages: list[tuple[str, list[Item]]],
    skipped: list[str],
    post: list[Item],
    error: Item | None,
    start: str,
    timestamps: bool = False,
    message: str = "Bump dependencies",
    result: str = "FAILURE",
) -> list[str]:
    body = flat(
        jk_start(rng, job, url, f"linux-agent-{rng.randint(1, 20):02d}"),
        jk_checkout(rng, job, url, hexs(rng, 40), message),
        [jk_stage(name, items) for name, items in stages],
        [jk_skipped(name) for name in skipped],
        jk_end(post, error, result),
    )
    return materialize(body, Clock(utc(start), rng), "jenkins" if timestamps else None)
