# ruff: noqa: E501
"""Fingerprint-stability pairs.

"same" pairs: one cause seen in two runs that differ only in what a run varies (CI system, checkout
path, temp dirs, line numbers in stack traces, timestamps, hashes, durations, PIDs, ports).
"different" pairs: near-identical runs whose causes truly differ (another module, another test).
"""

from __future__ import annotations

import random
from collections.abc import Callable

from _logkit import (
    BOLD,
    DIM,
    GREEN,
    RED,
    RESET,
    Case,
    Item,
    Sleep,
    also,
    case,
    cause,
    flat,
    gha_job,
    gha_run,
    gha_setup_python,
    gl_cmd,
    gl_simple,
    go_downloads,
    hexs,
    jk_cleanws,
    jk_simple,
    npm_ci,
    pair,
    pip_install,
    pytest_header,
    pytest_progress,
    rule,
)

Body = Callable[[str], list[Item]]


def run_ci(
    rng: random.Random,
    ci: str,
    name: str,
    cmd: str,
    body: Body,
    exit_code: int,
    start: str,
    image: str,
    setup: Body | None = None,
) -> list[str]:
    """Run `cmd` printing `body(workdir)` on GitHub Actions or GitLab, with set-up noise."""
    if ci == "github":
        wd = f"/home/runner/work/{name}/{name}"
        steps = flat(setup(wd) if setup else [], gha_run(cmd, body(wd), exit_code=exit_code))
        return gha_job(rng, f"acme/{name}", "test", steps, start)
    wd = f"/builds/acme/{name}"
    script = flat(setup(wd) if setup else [], gl_cmd(cmd), body(wd))
    return gl_simple(
        rng,
        f"acme/{name}",
        image,
        script,
        start,
        cache_key="deps",
        failure=f"ERROR: Job failed: exit code {exit_code}",
    )


def py_setup(rng: random.Random, ci: str) -> Body:
    def setup(wd: str) -> list[Item]:
        install = pip_install(
            rng,
            [
                ("pytest", "8.2.0"),
                ("pluggy", "1.5.0"),
                ("openpyxl", "3.1.2"),
                ("pandas", "2.2.2"),
                ("numpy", "1.26.4"),
            ],
            cached=2,
        )
        if ci == "github":
            return flat(gha_setup_python(rng), gha_run("pip install -e '.[test]'", install))
        return flat(gl_cmd("pip install -e '.[test]'"), install)

    return setup


# --- same cause, different runs -------------------------------------------------------------------


def pytest_tmpdir(
    rng: random.Random, ci: str, user: str, session: int, lineno: int, secs: float, start: str
) -> Case:
    def body(wd: str) -> list[Item]:
        tmp = f"/tmp/pytest-of-{user}/pytest-{session}/test_export_xlsx0"
        return flat(
            pytest_header(wd, 44),
            pytest_progress(
                [
                    ("tests/test_cli.py", "......."),
                    ("tests/test_export.py", "....F......"),
                    ("tests/test_import.py", ".........................."),
                ]
            ),
            "",
            rule("FAILURES"),
            rule("test_export_xlsx", "_"),
            "",
            f"tmp_path = PosixPath('{tmp}')",
            f"sample_frame = <pandas.DataFrame object at 0x7f{hexs(rng, 10)}>",
            "",
            "    def test_export_xlsx(tmp_path, sample_frame):",
            '        out = tmp_path / "out" / "report.xlsx"',
            ">       export_xlsx(sample_frame, out)",
            "",
            f"tests/test_export.py:{lineno}: ",
            "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ",
            "src/reports/export.py:88: in export_xlsx",
            '    with open(path, "wb") as fh:',
            cause(
                f"E   FileNotFoundError: [Errno 2] No such file or directory: '{tmp}/out/report.xlsx'"
            ),
            rule("short test summary info"),
            also(
                f"FAILED tests/test_export.py::test_export_xlsx - FileNotFoundError: [Errno 2] No such file or directory: '{tmp}/out/report.xlsx'"
            ),
            rule(f"1 failed, 43 passed in {secs:.2f}s"),
        )

    lines = run_ci(
        rng,
        ci,
        "reports",
        "pytest -p no:cacheprovider",
        body,
        1,
        start,
        "python:3.12",
        py_setup(rng, ci),
    )
    return Case(
        lines,
        "test",
        "FileNotFoundError: [Errno 2] No such file or directory",
        ["tests/test_export.py::test_export_xlsx"],
        1,
    )


@case("fingerprint", "pytest_tmpdir_a")
def fp_pytest_a(rng: random.Random) -> Case:
    return pytest_tmpdir(rng, "github", "runner", 0, 31, 3.12, "2024-05-01T10:00:00.2")


@case("fingerprint", "pytest_tmpdir_b")
def fp_pytest_b(rng: random.Random) -> Case:
    return pytest_tmpdir(rng, "gitlab", "root", 3, 34, 5.87, "2024-05-09T16:41:13.9")


def node_port(rng: random.Random, ci: str, port: int, ms: int, start: str) -> Case:
    def setup(wd: str) -> list[Item]:
        if ci == "github":
            return gha_run("npm ci", npm_ci(rng, 640, warns=2))
        return flat(gl_cmd("npm ci"), npm_ci(rng, 640, warns=2))

    def body(wd: str) -> list[Item]:
        return flat(
            "",
            "> sessions@2.0.1 test",
            "> vitest run --reporter=verbose",
            "",
            f" RUN  v1.6.0 {wd}",
            "",
            f"[testcontainers] Started redis:7.2-alpine ({hexs(rng, 12)}) mapped 6379/tcp -> 127.0.0.1:{port}",
            f" {GREEN}✓{RESET} test/token.test.ts > issues a signed token {DIM}{ms // 40}ms{RESET}",
            f" {GREEN}✓{RESET} test/token.test.ts > rejects a tampered token {DIM}{ms // 50}ms{RESET}",
            f" {RED}×{RESET} test/store.test.ts > stores and loads a session {DIM}{ms}ms{RESET}",
            f"   {RED}→ connect ECONNREFUSED 127.0.0.1:{port}{RESET}",
            f" {GREEN}✓{RESET} test/errors.test.ts > maps error codes {DIM}2ms{RESET}",
            "",
            f"{RED}⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯{RESET}",
            "",
            also(f"{BOLD}{RED} FAIL {RESET} test/store.test.ts > stores and loads a session"),
            cause(f"{RED}{BOLD}Error{RESET}{RED}: connect ECONNREFUSED 127.0.0.1:{port}{RESET}"),
            f"{DIM} ❯ TCPConnectWrap.afterConnect [as oncomplete] node:net:1605:16{RESET}",
            "",
            f"{RED}⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯⎯[1/1]⎯{RESET}",
            "",
            f" Test Files  {RED}1 failed{RESET} | {GREEN}2 passed{RESET} (3)",
            f"      Tests  {RED}1 failed{RESET} | {GREEN}3 passed{RESET} (4)",
            f"   Duration  {ms / 1000 + 1.4:.2f}s",
        )

    lines = run_ci(rng, ci, "sessions", "npm test", body, 1, start, "node:20", setup)
    return Case(
        lines,
        "network",
        "connect ECONNREFUSED 127.0.0.1:",
        ["test/store.test.ts > stores and loads a session"],
        1,
    )


@case("fingerprint", "node_econnrefused_port_a")
def fp_node_a(rng: random.Random) -> Case:
    return node_port(rng, "github", 49153, 5012, "2024-05-01T08:12:44.1")


@case("fingerprint", "node_econnrefused_port_b")
def fp_node_b(rng: random.Random) -> Case:
    return node_port(rng, "gitlab", 32791, 5007, "2024-05-03T21:05:10.6")


def gradle_npe(rng: random.Random, job: str, lineno: int, secs: str, start: str) -> Case:
    ws = f"/var/lib/jenkins/workspace/{job}"
    test = flat(
        "[Pipeline] sh",
        "+ ./gradlew --no-daemon test",
        "> Task :compileJava",
        "> Task :processResources",
        "> Task :classes",
        "> Task :compileTestJava",
        "> Task :testClasses",
        "> Task :test",
        Sleep(9),
        "",
        also("InvoiceServiceTest > rendersTaxIdForBusinessCustomers() FAILED"),
        cause(f"    java.lang.NullPointerException at InvoiceService.java:{lineno}"),
        "",
        "InvoiceServiceTest > rendersTotals() PASSED",
        "",
        "37 tests completed, 1 failed",
        "",
        "> Task :test FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':test'.",
        f"> There were failing tests. See the report at: file://{ws}/build/reports/tests/test/index.html",
        "",
        f"BUILD FAILED in {secs}",
        "4 actionable tasks: 4 executed",
    )
    post = flat(
        "[Pipeline] junit",
        "Recording test results",
        "[Checks API] No suitable checks publisher found.",
        jk_cleanws(),
    )
    lines = jk_simple(
        rng,
        job,
        "https://git.acme.io/finance/billing.git",
        [("Test", test)],
        ["Publish"],
        post,
        "ERROR: script returned exit code 1",
        start,
        timestamps=True,
        message="Tidy invoice rendering",
    )
    return Case(
        lines,
        "test",
        "java.lang.NullPointerException at InvoiceService.java:",
        ["InvoiceServiceTest.rendersTaxIdForBusinessCustomers"],
        1,
    )


@case("fingerprint", "gradle_npe_lineno_a")
def fp_gradle_a(rng: random.Random) -> Case:
    return gradle_npe(rng, "billing_PR-212", 142, "48s", "2024-05-01T10:00:00")


@case("fingerprint", "gradle_npe_lineno_b")
def fp_gradle_b(rng: random.Random) -> Case:
    return gradle_npe(rng, "billing_main", 148, "1m 3s", "2024-05-04T13:27:51")


def oom_pid(rng: random.Random, ci: str, pid: int, script_line: int, start: str) -> Case:
    def body(wd: str) -> list[Item]:
        shell = (
            f"/home/runner/work/_temp/{hexs(rng, 8)}-{hexs(rng, 4)}-{hexs(rng, 4)}-{hexs(rng, 4)}-{hexs(rng, 12)}.sh"
            if ci == "github"
            else "/usr/bin/bash"
        )
        return flat(
            "[index] reading 418,220 documents from data/export.ndjson",
            Sleep(12),
            "[index] tokenized 100000 documents",
            "[index] tokenized 200000 documents",
            Sleep(12),
            "[index] tokenized 300000 documents",
            "[index] building postings (0 errors so far)",
            Sleep(20),
            cause(
                f"{shell}: line {script_line}: {pid:5d} Killed                  node --max-old-space-size=8192 scripts/build-index.js"
            ),
        )

    lines = run_ci(
        rng,
        ci,
        "search-index",
        "node --max-old-space-size=8192 scripts/build-index.js",
        body,
        137,
        start,
        "node:20",
    )
    return Case(lines, "infrastructure", "Killed", exit_code=137)


@case("fingerprint", "oom_killed_pid_a")
def fp_oom_a(rng: random.Random) -> Case:
    return oom_pid(rng, "github", 2841, 1, "2024-05-01T02:00:00.2")


@case("fingerprint", "oom_killed_pid_b")
def fp_oom_b(rng: random.Random) -> Case:
    return oom_pid(rng, "gitlab", 417, 152, "2024-05-02T02:00:03.7")


def rust_tmpdir(rng: random.Random, ci: str, tmp: str, line: int, secs: float, start: str) -> Case:
    def body(wd: str) -> list[Item]:
        return flat(
            "   Compiling walstore v0.3.1 (" + wd + ")",
            Sleep(20),
            f"    Finished `test` profile [unoptimized + debuginfo] target(s) in {secs * 10:.2f}s",
            f"     Running unittests src/lib.rs (target/debug/deps/walstore-{hexs(rng, 16)})",
            "",
            "running 6 tests",
            "test codec::tests::roundtrip ... ok",
            "test store::tests::append_and_read ... ok",
            "test store::tests::reopen_after_crash ... FAILED",
            "test store::tests::compaction_keeps_latest ... ok",
            "test store::tests::errors_on_corrupt_header ... ok",
            "test wal::tests::rotates_segments ... ok",
            "",
            "failures:",
            "",
            "---- store::tests::reopen_after_crash stdout ----",
            cause(f"thread 'store::tests::reopen_after_crash' panicked at src/store.rs:{line}:14:"),
            also(
                f'called `Result::unwrap()` on an `Err` value: Os {{ code: 2, kind: NotFound, message: "No such file or directory" }} (path: {tmp}/wal/000001.log)'
            ),
            "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
            "",
            "",
            "failures:",
            "    store::tests::reopen_after_crash",
            "",
            f"test result: FAILED. 5 passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in {secs:.2f}s",
            "",
            "error: test failed, to rerun pass `--lib`",
        )

    def setup(wd: str) -> list[Item]:
        crates = [
            "libc v0.2.154",
            "crc32fast v1.4.0",
            "tempfile v3.10.1",
            "fastrand v2.1.0",
            "rustix v0.38.34",
            "bitflags v2.5.0",
            "linux-raw-sys v0.4.13",
            "cfg-if v1.0.0",
            "once_cell v1.19.0",
        ]
        lines = [f"   Compiling {c}" for c in crates]
        if ci == "github":
            return gha_run(
                "cargo build --locked",
                [*lines, "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 9.12s"],
            )
        return flat(
            gl_cmd("cargo build --locked"),
            lines,
            "    Finished `dev` profile [unoptimized + debuginfo] target(s) in 11.40s",
        )

    lines = run_ci(rng, ci, "walstore", "cargo test --locked", body, 101, start, "rust:1.77", setup)
    return Case(
        lines, "test", "panicked at src/store.rs:", ["store::tests::reopen_after_crash"], 101
    )


@case("fingerprint", "rust_panic_tmpdir_a")
def fp_rust_a(rng: random.Random) -> Case:
    return rust_tmpdir(rng, "github", "/tmp/.tmpX7aK2q", 212, 0.04, "2024-05-01T10:00:00.2")


@case("fingerprint", "rust_panic_tmpdir_b")
def fp_rust_b(rng: random.Random) -> Case:
    return rust_tmpdir(rng, "gitlab", "/tmp/.tmp0Pz9Lw", 215, 0.07, "2024-05-06T18:22:40.5")


def webpack_path(rng: random.Random, ci: str, build_hash: str, ms: int, start: str) -> Case:
    def setup(wd: str) -> list[Item]:
        if ci == "github":
            return gha_run("npm ci", npm_ci(rng, 1212, warns=3))
        return flat(gl_cmd("npm ci"), npm_ci(rng, 1212, warns=3))

    def body(wd: str) -> list[Item]:
        return flat(
            "",
            "> web@8.1.0 build",
            "> webpack --mode production",
            "",
            Sleep(30),
            f"asset main.{build_hash[:20]}.js 1.41 MiB [emitted] [immutable] [minimized] [big] (name: main)",
            f"asset vendors.{build_hash[20:40]}.js 688 KiB [emitted] [immutable] [minimized] [big] (name: vendors)",
            "orphan modules 3.12 MiB [orphan] 1288 modules",
            "cacheable modules 4.21 MiB",
            "",
            also(
                f"{RED}{BOLD}ERROR{RESET} in {BOLD}./src/router.ts{RESET} {GREEN}{BOLD}3:0-41{RESET}"
            ),
            cause(f"Module not found: Error: Can't resolve './generated/routes' in '{wd}/src'"),
            "",
            f"webpack 5.91.0 compiled with {RED}{BOLD}1 error{RESET} in {ms} ms",
        )

    lines = run_ci(rng, ci, "web", "npm run build", body, 1, start, "node:20", setup)
    return Case(lines, "compile", "Can't resolve './generated/routes'", exit_code=1)


@case("fingerprint", "webpack_module_path_a")
def fp_webpack_a(rng: random.Random) -> Case:
    return webpack_path(rng, "github", hexs(rng, 40), 38412, "2024-05-01T10:00:00.2")


@case("fingerprint", "webpack_module_path_b")
def fp_webpack_b(rng: random.Random) -> Case:
    return webpack_path(rng, "gitlab", hexs(rng, 40), 41977, "2024-05-02T11:30:00.8")


for _name in (
    "pytest_tmpdir",
    "node_econnrefused_port",
    "gradle_npe_lineno",
    "oom_killed_pid",
    "rust_panic_tmpdir",
    "webpack_module_path",
):
    pair("same", f"{_name}_a", f"{_name}_b")


# --- truly different causes in near-identical runs -------------------------------------------------


def py_missing(rng: random.Random, module: str, importer: str) -> Case:
    def body(wd: str) -> list[Item]:
        return flat(
            "",
            rule("ERRORS"),
            rule(f"ERROR collecting tests/test_{importer}.py", "_"),
            also(f"ImportError while importing test module '{wd}/tests/test_{importer}.py'."),
            "Hint: make sure your test modules/packages have valid Python names.",
            "Traceback:",
            "/opt/hostedtoolcache/Python/3.12.3/x64/lib/python3.12/importlib/__init__.py:90: in import_module",
            "    return _bootstrap._gcd_import(name[level:], package, level)",
            f"tests/test_{importer}.py:3: in <module>",
            f"    from reports.{importer} import load",
            f"src/reports/{importer}.py:5: in <module>",
            f"    import {module}",
            cause(f"E   ModuleNotFoundError: No module named '{module}'"),
            rule("short test summary info"),
            also(f"ERROR tests/test_{importer}.py"),
            "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
            "1 error in 0.61s",
        )

    lines = run_ci(
        rng,
        "github",
        "reports",
        "pytest -q",
        body,
        2,
        "2024-05-01T10:00:00.2",
        "python:3.12",
        py_setup(rng, "github"),
    )
    return Case(lines, "dependency", f"No module named '{module}'", exit_code=2)


@case("fingerprint", "py_missing_module_a")
def fp_missing_a(rng: random.Random) -> Case:
    return py_missing(rng, "requests", "fetch")


@case("fingerprint", "py_missing_module_b")
def fp_missing_b(rng: random.Random) -> Case:
    return py_missing(rng, "yaml", "config")


def pytest_which(
    rng: random.Random, test: str, code: str, left: int, right: int, lineno: int
) -> Case:
    def body(wd: str) -> list[Item]:
        return flat(
            pytest_header(wd, 38),
            pytest_progress(
                [
                    ("tests/test_auth.py", "..F......"),
                    ("tests/test_users.py", "............................."),
                ]
            ),
            "",
            rule("FAILURES"),
            rule(test, "_"),
            "",
            "client = <starlette.testclient.TestClient object at 0x7f" + hexs(rng, 10) + ">",
            "",
            f"    def {test}(client, session_cookie):",
            f'        resp = client.post("{code}", cookies=session_cookie)',
            ">       assert resp.status_code == " + str(right),
            cause(f"E       assert {left} == {right}"),
            f"E        +  where {left} = <Response [{left}]>.status_code",
            "",
            also(f"tests/test_auth.py:{lineno}: AssertionError"),
            rule("short test summary info"),
            also(f"FAILED tests/test_auth.py::{test} - assert {left} == {right}"),
            rule("1 failed, 37 passed in 2.77s"),
        )

    lines = run_ci(
        rng,
        "gitlab",
        "accounts",
        "pytest",
        body,
        1,
        "2024-05-01T10:00:00.2",
        "python:3.12",
        py_setup(rng, "gitlab"),
    )
    return Case(lines, "test", f"assert {left} == {right}", [f"tests/test_auth.py::{test}"], 1)


@case("fingerprint", "pytest_failing_test_a")
def fp_which_a(rng: random.Random) -> Case:
    return pytest_which(rng, "test_login", "/api/login", 401, 200, 42)


@case("fingerprint", "pytest_failing_test_b")
def fp_which_b(rng: random.Random) -> Case:
    return pytest_which(rng, "test_logout", "/api/logout", 500, 204, 58)


def go_which(rng: random.Random, test: str, message: str) -> Case:
    mod = "github.com/acme/gatekeeper"

    def body(wd: str) -> list[Item]:
        return flat(
            go_downloads(
                [
                    "github.com/go-chi/chi/v5 v5.0.12",
                    "gopkg.in/yaml.v3 v3.0.1",
                    "github.com/google/go-cmp v0.6.0",
                ]
            ),
            f"ok  \t{mod}/internal/http\t0.041s",
            also(f"--- FAIL: {test} (0.00s)"),
            cause(f"    {message}"),
            "FAIL",
            f"FAIL\t{mod}/internal/config\t0.015s",
            f"ok  \t{mod}/internal/policy\t0.058s",
            "FAIL",
        )

    def setup(wd: str) -> list[Item]:
        return flat(gl_cmd("go version"), "go version go1.22.2 linux/amd64", gl_cmd("go vet ./..."))

    lines = run_ci(
        rng,
        "gitlab",
        "gatekeeper",
        "go test ./...",
        body,
        1,
        "2024-05-01T10:00:00.2",
        "golang:1.22",
        setup,
    )
    return Case(lines, "test", message.split(":")[0], [test], 1)


@case("fingerprint", "go_failing_test_a")
def fp_go_a(rng: random.Random) -> Case:
    return go_which(
        rng, "TestParseConfig", "config_test.go:47: ParseConfig() Port = 8080, want 9090"
    )


@case("fingerprint", "go_failing_test_b")
def fp_go_b(rng: random.Random) -> Case:
    return go_which(
        rng,
        "TestLoadSecrets",
        "secrets_test.go:22: LoadSecrets() error = permission denied, want nil",
    )


for _name in ("py_missing_module", "pytest_failing_test", "go_failing_test"):
    pair("different", f"{_name}_a", f"{_name}_b")
