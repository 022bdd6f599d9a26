# ruff: noqa: E501
"""Cases grouped by ecosystem: Python, JavaScript, JVM, Go, Rust, C/C++ and .NET."""

from __future__ import annotations

import random

from _cases_ci import bk_checkout, drone_step
from _logkit import (
    BOLD,
    CYAN,
    DIM,
    RED,
    RESET,
    YELLOW,
    Case,
    Clock,
    Sleep,
    also,
    apt_get,
    az_init,
    az_task,
    cargo_compiling,
    cargo_fetch,
    case,
    cause,
    cc_checkout,
    cc_env,
    cc_run,
    cc_spinup,
    flat,
    gha_action,
    gha_cache_post,
    gha_job,
    gha_run,
    gha_setup_go,
    gha_setup_node,
    gha_setup_python,
    gl_cmd,
    gl_simple,
    go_downloads,
    hexs,
    jk_cleanws,
    jk_simple,
    materialize,
    maven_downloads,
    npm_ci,
    pip_install,
    pytest_header,
    pytest_progress,
    redraw,
    rule,
    utc,
)

# --- Python -------------------------------------------------------------------------------------


@case("python", "pytest_assertion")
def py_pytest(rng: random.Random) -> Case:
    wd = "/home/runner/work/accounts/accounts"
    files = [
        ("tests/test_api.py", "...F......"),
        ("tests/test_errors.py", "........."),
        ("tests/test_models.py", "......................"),
        ("tests/test_tokens.py", ".............."),
    ]
    out = flat(
        pytest_header(wd, 55, python="3.12.3", plugins="anyio-4.3.0, cov-5.0.0"),
        pytest_progress(files),
        "",
        rule("FAILURES"),
        rule("test_login", "_"),
        "",
        "client = <starlette.testclient.TestClient object at 0x7f5e1c2b3d90>",
        "user = User(id=17, email='ada@example.com', active=True)",
        "",
        "    def test_login(client, user):",
        "        resp = client.post(",
        '            "/api/login",',
        '            json={"email": user.email, "password": "correct horse"},',
        "        )",
        ">       assert resp.status_code == 200",
        cause("E       assert 401 == 200"),
        also("E        +  where 401 = <Response [401 Unauthorized]>.status_code"),
        "",
        also("tests/test_api.py:42: AssertionError"),
        "------------------------------ Captured log call -------------------------------",
        "ERROR    accounts.auth:auth.py:88 password check failed for user 17: hash scheme 'argon2id' not enabled",
        rule("warnings summary"),
        "tests/test_models.py::test_created_at_default",
        "  /home/runner/work/accounts/accounts/src/accounts/models.py:31: DeprecationWarning: datetime.datetime.utcnow() is deprecated and scheduled for removal in a future version. Use timezone-aware objects to represent datetimes in UTC: datetime.datetime.now(datetime.UTC).",
        "    created_at: datetime = field(default_factory=datetime.utcnow)",
        "",
        "-- Docs: https://docs.pytest.org/en/stable/how-to/capture-warnings.html",
        rule("short test summary info"),
        also("FAILED tests/test_api.py::test_login - assert 401 == 200"),
        rule("1 failed, 54 passed, 1 warning in 4.87s"),
    )
    steps = flat(
        gha_setup_python(rng),
        gha_run(
            "pip install -e '.[test]'",
            flat(
                f"Obtaining file://{wd}",
                "  Installing build dependencies: started",
                "  Installing build dependencies: finished with status 'done'",
                "  Checking if build backend supports build_editable: started",
                "  Checking if build backend supports build_editable: finished with status 'done'",
                pip_install(
                    rng,
                    [
                        ("starlette", "0.37.2"),
                        ("httpx", "0.27.0"),
                        ("argon2-cffi", "23.1.0"),
                        ("sqlalchemy", "2.0.29"),
                        ("pytest", "8.2.0"),
                        ("pytest-cov", "5.0.0"),
                    ],
                    cached=1,
                ),
            ),
        ),
        gha_run(
            "ruff check . && ruff format --check .",
            ["All checks passed!", "41 files already formatted"],
        ),
        gha_run("pytest", out, exit_code=1),
    )
    lines = gha_job(
        rng,
        "acme/accounts",
        "tests (3.12)",
        steps,
        "2024-05-01T10:00:00.4",
        ("actions/checkout@v4", "actions/setup-python@v5"),
    )
    return Case(lines, "test", "assert 401 == 200", ["tests/test_api.py::test_login"], 1)


@case("python", "pip_resolution_impossible")
def py_pip_conflict(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("python -m venv .venv && source .venv/bin/activate"),
        gl_cmd("pip install --upgrade pip"),
        "Requirement already satisfied: pip in ./.venv/lib/python3.11/site-packages (24.0)",
        gl_cmd("pip install -r requirements.txt"),
        pip_install(
            rng,
            [
                ("asgiref", "3.8.1"),
                ("sqlparse", "0.5.0"),
                ("Django", "4.2.11"),
                ("djangorestframework", "3.15.1"),
                ("psycopg", "3.1.18"),
            ],
            cached=2,
        )[:-2],
        "Collecting django-filter==24.2 (from -r requirements.txt (line 6))",
        "  Downloading django_filter-24.2-py3-none-any.whl.metadata (5.2 kB)",
        "INFO: pip is looking at multiple versions of djangorestframework to determine which version is compatible with other requirements. This could take a while.",
        Sleep(6),
        cause(
            "ERROR: Cannot install -r requirements.txt (line 3) and Django==4.2.11 because these package versions have conflicting dependencies."
        ),
        "",
        "The conflict is caused by:",
        "    The user requested Django==4.2.11",
        "    djangorestframework 3.15.1 depends on django>=4.2",
        also("    django-filter 24.2 depends on Django>=5.0"),
        "",
        "To fix this you could try to:",
        "1. loosen the range of package versions you've specified",
        "2. remove package versions to allow pip to attempt to solve the dependency conflict",
        "",
        also(
            "ERROR: ResolutionImpossible: for help visit https://pip.pypa.io/en/latest/topics/dependency-resolution/#dealing-with-dependency-conflicts"
        ),
    )
    lines = gl_simple(
        rng,
        "events/tickets",
        "python:3.11-bookworm",
        script,
        "2024-05-01T10:00:00",
        cache_key="pip-311",
    )
    return Case(lines, "dependency", "Django==4.2.11", exit_code=1)


@case("python", "mypy_errors")
def py_mypy(rng: random.Random) -> Case:
    lint = flat(
        "[Pipeline] sh",
        "+ ruff check src tests",
        "All checks passed!",
        "[Pipeline] sh",
        "+ black --check src tests",
        "All done! ✨ 🍰 ✨",
        "63 files would be left unchanged.",
        "[Pipeline] sh",
        "+ mypy --strict src",
        Sleep(19),
        cause(
            'src/shipping/rates.py:42: error: Argument 1 to "quote" of "Carrier" has incompatible type "str | None"; expected "str"  [arg-type]'
        ),
        'src/shipping/rates.py:57: error: Incompatible return value type (got "float", expected "Decimal")  [return-value]',
        "src/shipping/api.py:13: note: By default the bodies of untyped functions are not checked, consider using --check-untyped-defs  [annotation-unchecked]",
        "Found 2 errors in 1 file (checked 48 source files)",
    )
    install = flat(
        "[Pipeline] sh",
        "+ python3 -m venv .venv",
        "+ .venv/bin/pip install -q -r requirements-dev.txt",
        Sleep(31),
        "+ .venv/bin/pip list --format=freeze",
        "black==24.4.2",
        "mypy==1.10.0",
        "mypy-extensions==1.0.0",
        "ruff==0.4.3",
        "types-requests==2.31.0.20240406",
    )
    post = flat(
        "[Pipeline] recordIssues",
        "[MyPy] Searching for all files in '/var/lib/jenkins/workspace/shipping_PR-88' that match the pattern 'mypy.log'",
        "[MyPy] -> found 1 file",
        "[MyPy] Successfully parsed file /var/lib/jenkins/workspace/shipping_PR-88/mypy.log",
        "[MyPy] -> found 2 issues (skipped 0 duplicates)",
        jk_cleanws(),
    )
    lines = jk_simple(
        rng,
        "shipping_PR-88",
        "https://git.acme.io/logistics/shipping.git",
        [("Install", install), ("Static checks", lint)],
        ["Unit tests", "Package"],
        post,
        "ERROR: script returned exit code 1",
        "2024-05-01T10:00:00",
        timestamps=True,
        message="Quote carriers with optional service level",
    )
    return Case(lines, "compile", "src/shipping/rates.py:42", exit_code=1)


@case("python", "module_not_found_collection")
def py_collection(rng: random.Random) -> Case:
    root = "/home/circleci/project"
    body = flat(
        cc_spinup(rng, "cimg/python:3.11"),
        cc_env(rng, "acme/reports"),
        cc_checkout(rng, "acme/reports"),
        "Restoring cache",
        "No cache is found for key: deps-v2-" + hexs(rng, 40),
        "",
        cc_run(
            "Install",
            ["pip install -r requirements.txt -r requirements-test.txt"],
            pip_install(
                rng,
                [
                    ("jinja2", "3.1.4"),
                    ("markupsafe", "2.1.5"),
                    ("pandas", "2.2.2"),
                    ("numpy", "1.26.4"),
                    ("pytest", "8.2.0"),
                    ("freezegun", "1.5.0"),
                ],
            ),
        ),
        cc_run(
            "Test",
            ["pytest -q tests"],
            [
                "",
                rule("ERRORS"),
                rule("ERROR collecting tests/test_exporter.py", "_"),
                also(f"ImportError while importing test module '{root}/tests/test_exporter.py'."),
                "Hint: make sure your test modules/packages have valid Python names.",
                "Traceback:",
                "/home/circleci/.pyenv/versions/3.11.9/lib/python3.11/importlib/__init__.py:126: in import_module",
                "    return _bootstrap._gcd_import(name[level:], package, level)",
                "tests/test_exporter.py:5: in <module>",
                "    from reports.exporter import export_pdf",
                "src/reports/exporter.py:3: in <module>",
                "    import weasyprint",
                cause("E   ModuleNotFoundError: No module named 'weasyprint'"),
                rule("short test summary info"),
                also("ERROR tests/test_exporter.py"),
                "!!!!!!!!!!!!!!!!!!!! Interrupted: 1 error during collection !!!!!!!!!!!!!!!!!!!!",
                "1 error in 1.42s",
            ],
            exit_code=2,
        ),
        "Uploading test results",
        "Archiving the following test results",
        "  * /home/circleci/project/test-results",
        "",
        "Found no path with test results, skipping",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "dependency", "No module named 'weasyprint'", exit_code=2)


# --- JavaScript / TypeScript --------------------------------------------------------------------


@case("javascript", "tsc_ts2322")
def js_tsc(rng: random.Random) -> Case:
    wd = "/home/runner/work/backoffice/backoffice"
    steps = flat(
        gha_setup_node(rng, "20.12.2", wd),
        gha_run("npm ci", npm_ci(rng, 1034)),
        gha_run(
            "npm run typecheck",
            [
                "",
                "> backoffice@0.31.0 typecheck",
                "> tsc --noEmit -p tsconfig.json",
                "",
                Sleep(22),
                cause(
                    "src/features/orders/OrderTable.tsx(88,7): error TS2322: Type 'string | undefined' is not assignable to type 'string'."
                ),
                also("  Type 'undefined' is not assignable to type 'string'."),
                "src/features/orders/useOrders.ts(31,18): error TS2339: Property 'totl' does not exist on type 'Order'.",
            ],
            exit_code=2,
        ),
    )
    lines = gha_job(
        rng,
        "acme/backoffice",
        "typecheck",
        steps,
        "2024-05-01T10:00:00.7",
        ("actions/checkout@v4", "actions/setup-node@v4"),
        post=gha_cache_post(rng, "node-cache-Linux-x64-npm-" + hexs(rng, 64), True),
    )
    return Case(lines, "compile", "OrderTable.tsx(88,7): error TS2322", exit_code=2)


@case("javascript", "eslint_errors")
def js_eslint(rng: random.Random) -> Case:
    root = "/builds/web/admin"
    script = flat(
        gl_cmd("corepack enable"),
        gl_cmd("pnpm install --frozen-lockfile"),
        "Lockfile is up to date, resolution step is skipped",
        redraw(
            [
                "Progress: resolved 1, reused 0, downloaded 0, added 0",
                "Progress: resolved 412, reused 398, downloaded 11, added 390",
                "Progress: resolved 988, reused 960, downloaded 27, added 985",
                "Progress: resolved 988, reused 960, downloaded 28, added 988, done",
            ]
        ),
        "",
        "dependencies:",
        "+ @tanstack/react-query 5.32.0",
        "+ react 18.3.1",
        "+ react-dom 18.3.1",
        "",
        "devDependencies:",
        "+ eslint 8.57.0",
        "+ typescript 5.4.5",
        "+ vite 5.2.11",
        "",
        f"{YELLOW} WARN {RESET} Issues with peer dependencies found",
        "└─┬ eslint-plugin-react-hooks 4.6.2",
        '  └── ✕ unmet peer eslint@"^3.0.0 || ^4.0.0 || ^5.0.0 || ^6.0.0 || ^7.0.0 || ^8.0.0-0": found 9.1.1',
        "Done in 9.4s",
        gl_cmd("pnpm lint"),
        "",
        "> admin@1.8.0 lint /builds/web/admin",
        "> eslint . --ext .ts,.tsx --max-warnings 0",
        "",
        Sleep(14),
        "",
        also(f"{root}/src/pages/Users.tsx"),
        cause(
            f"  12:7   {RED}error{RESET}    'setFilter' is assigned a value but never used  {DIM}@typescript-eslint/no-unused-vars{RESET}"
        ),
        f"  45:11  {YELLOW}warning{RESET}  Unexpected console statement                    {DIM}no-console{RESET}",
        "",
        f"{root}/src/api/http.ts",
        f"  3:1  {RED}error{RESET}  `axios` import should occur before import of `./errors`  {DIM}import/order{RESET}",
        "",
        f"{RED}{BOLD}✖ 3 problems (2 errors, 1 warning){RESET}",
        f"{RED}{BOLD}  1 error and 0 warnings potentially fixable with the `--fix` option.{RESET}",
        "",
        f"{RED} ELIFECYCLE {RESET} Command failed with exit code 1.",
    )
    lines = gl_simple(
        rng, "web/admin", "node:20-alpine", script, "2024-05-01T10:00:00", cache_key="pnpm-store"
    )
    return Case(lines, "lint", "'setFilter' is assigned a value but never used", exit_code=1)


@case("javascript", "npm_ci_lockfile_out_of_sync")
def js_npm_ci_sync(rng: random.Random) -> Case:
    sha = hexs(rng, 40)
    body = flat(
        bk_checkout(rng, "acme/design-system", sha, "agent-linux-medium-2"),
        "$ .buildkite/scripts/install.sh",
        "--- :nodejs: Node toolchain",
        "+ node --version",
        "v20.12.2",
        "+ npm --version",
        "10.5.0",
        "--- :npm: Install",
        "+ npm ci --no-audit --no-fund",
        Sleep(3),
        "npm ERR! code EUSAGE",
        "npm ERR! ",
        cause(
            "npm ERR! `npm ci` can only install packages when your package.json and package-lock.json or npm-shrinkwrap.json are in sync. Please update your lock file with `npm install` before continuing."
        ),
        "npm ERR! ",
        also("npm ERR! Missing: @acme/design-tokens@2.4.0 from lock file"),
        "npm ERR! Invalid: lock file's zod@3.22.4 does not satisfy zod@3.23.6",
        "npm ERR! ",
        "npm ERR! Clean install a project",
        "npm ERR! ",
        "npm ERR! Usage:",
        "npm ERR! npm ci",
        "npm ERR! ",
        "npm ERR! Options:",
        "npm ERR! [--install-strategy <hoisted|nested|shallow|linked>] [--legacy-bundling]",
        "npm ERR! [--global-style] [--omit <dev|optional|peer> [--omit <dev|optional|peer> ...]]",
        "npm ERR! [--include <prod|dev|optional|peer> [--include <prod|dev|optional|peer> ...]]",
        "npm ERR! [--strict-peer-deps] [--foreground-scripts] [--ignore-scripts] [--no-audit]",
        "npm ERR! [--no-bin-links] [--no-fund] [--dry-run]",
        "npm ERR! ",
        "npm ERR! aliases: clean-install, ic, install-clean, isntall-clean",
        "npm ERR! ",
        'npm ERR! Run "npm help ci" for more info',
        "",
        "npm ERR! A complete log of this run can be found in: /var/lib/buildkite-agent/.npm/_logs/2024-05-01T10_02_13_091Z-debug-0.log",
        "^^^ +++",
        "🚨 Error: The command exited with status 1",
        "~~~ Running plugin cache post-command hook",
        "$ /var/lib/buildkite-agent/plugins/github-com-buildkite-plugins-cache-buildkite-plugin-v1-0-0/hooks/post-command",
        "Skipping cache save: the command failed",
        "user command error: exit status 1",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:02:00"), rng), "buildkite")
    return Case(lines, "dependency", "are in sync", exit_code=1)


# --- JVM ------------------------------------------------------------------------------------------


@case("jvm", "maven_cannot_find_symbol")
def jvm_maven_symbol(rng: random.Random) -> Case:
    wd = "/home/runner/work/inventory/inventory"
    f = f"{wd}/inventory-core/src/main/java/com/acme/inventory/StockService.java"
    plugins = [
        "org.apache.maven.plugins:maven-compiler-plugin:3.13.0",
        "com.google.errorprone:error_prone_core:2.27.1",
        "com.google.errorprone:error_prone_annotations:2.27.1",
        "org.codehaus.plexus:plexus-compiler-javac:2.15.0",
    ]
    mvn = flat(
        "[INFO] Scanning for projects...",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] Reactor Build Order:",
        "[INFO] ",
        "[INFO] inventory                                                          [pom]",
        "[INFO] inventory-model                                                    [jar]",
        "[INFO] inventory-core                                                     [jar]",
        "[INFO] inventory-api                                                      [jar]",
        "[INFO] ",
        "[INFO] --------------------------< com.acme:inventory >--------------------------",
        "[INFO] Building inventory 1.9.0-SNAPSHOT                                   [1/4]",
        maven_downloads(rng, plugins),
        "[INFO] ",
        "[INFO] -----------------------< com.acme:inventory-model >-----------------------",
        "[INFO] Building inventory-model 1.9.0-SNAPSHOT                             [2/4]",
        "[INFO] --- compiler:3.13.0:compile (default-compile) @ inventory-model ---",
        "[INFO] Compiling 24 source files with javac [debug release 17] to target/classes",
        "[WARNING] [options] system modules path not set in conjunction with -source 17",
        "[INFO] ",
        "[INFO] -----------------------< com.acme:inventory-core >------------------------",
        "[INFO] Building inventory-core 1.9.0-SNAPSHOT                              [3/4]",
        "[INFO] --- compiler:3.13.0:compile (default-compile) @ inventory-core ---",
        "[INFO] Compiling 112 source files with javac [debug release 17] to target/classes",
        "[INFO] -------------------------------------------------------------",
        "[ERROR] COMPILATION ERROR : ",
        "[INFO] -------------------------------------------------------------",
        cause(f"[ERROR] {f}:[73,25] cannot find symbol"),
        also("  symbol:   method reserveQuantity(java.lang.String,int)"),
        also("  location: variable warehouse of type com.acme.inventory.Warehouse"),
        "[INFO] 1 error",
        "[INFO] -------------------------------------------------------------",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] Reactor Summary for inventory 1.9.0-SNAPSHOT:",
        "[INFO] ",
        "[INFO] inventory .......................................... SUCCESS [  0.412 s]",
        "[INFO] inventory-model .................................... SUCCESS [  3.118 s]",
        "[INFO] inventory-core ..................................... FAILURE [  4.901 s]",
        "[INFO] inventory-api ...................................... SKIPPED",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] BUILD FAILURE",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] Total time:  12.046 s",
        "[INFO] Finished at: 2024-05-01T10:03:41Z",
        "[INFO] ------------------------------------------------------------------------",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-compiler-plugin:3.13.0:compile (default-compile) on project inventory-core: Compilation failure",
        also(f"[ERROR] {f}:[73,25] cannot find symbol"),
        "[ERROR]   symbol:   method reserveQuantity(java.lang.String,int)",
        "[ERROR]   location: variable warehouse of type com.acme.inventory.Warehouse",
        "[ERROR] ",
        "[ERROR] -> [Help 1]",
        "[ERROR] ",
        "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
        "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
        "[ERROR] ",
        "[ERROR] For more information about the errors and possible solutions, please read the following articles:",
        "[ERROR] [Help 1] http://cwiki.apache.org/confluence/display/MAVEN/MojoFailureException",
        "[ERROR] ",
        "[ERROR] After correcting the problems, you can resume the build with the command",
        "[ERROR]   mvn <args> -rf :inventory-core",
    )
    steps = flat(
        gha_action(
            "actions/setup-java@v4",
            {
                "distribution": "temurin",
                "java-version": "17",
                "cache": "maven",
                "java-package": "jdk",
                "check-latest": "false",
                "server-id": "github",
                "server-username": "GITHUB_ACTOR",
                "server-password": "GITHUB_TOKEN",
                "overwrite-settings": "true",
                "job-status": "success",
                "token": "***",
            },
            [
                "##[group]Installed distributions",
                "Resolved Java 17.0.11+9 from tool-cache",
                "Setting Java 17.0.11+9 as the default",
                "Creating toolchains.xml for JDK version 17 from temurin",
                "Writing to /home/runner/.m2/toolchains.xml",
                "",
                "Java configuration:",
                "  Distribution: temurin",
                "  Version: 17.0.11+9",
                "  Path: /opt/hostedtoolcache/Java_Temurin-Hotspot_jdk/17.0.11-9/x64",
                "",
                "##[endgroup]",
                "Creating settings.xml with server-id: github",
                "Writing to /home/runner/.m2/settings.xml",
                "maven cache is not found",
            ],
        ),
        gha_run("mvn -B -ntp -Pci verify", mvn, exit_code=1),
    )
    lines = gha_job(
        rng,
        "acme/inventory",
        "build",
        steps,
        "2024-05-01T10:02:58.2",
        ("actions/checkout@v4", "actions/setup-java@v4"),
    )
    return Case(lines, "compile", "StockService.java:[73,25] cannot find symbol", exit_code=1)


@case("jvm", "gradle_test_failure")
def jvm_gradle_test(rng: random.Random) -> Case:
    root = "/builds/logistics/shipping"
    script = flat(
        gl_cmd("./gradlew --no-daemon --console=plain build"),
        "Downloading https://services.gradle.org/distributions/gradle-8.7-bin.zip",
        redraw(
            [f"{'.' * k}{p}%" for k, p in ((10, 10), (20, 20), (30, 30), (40, 40), (50, 50))]
            + [
                "..........10%..........20%..........30%..........40%..........50%..........60%..........70%..........80%..........90%..........100%"
            ]
        ),
        "",
        "Welcome to Gradle 8.7!",
        "",
        "Here are the highlights of this release:",
        " - Compiling and testing with Java 22",
        " - Cacheable Groovy script compilation",
        " - New methods in lazy collection properties",
        "",
        "For more details see https://docs.gradle.org/8.7/release-notes.html",
        "",
        "To honour the JVM settings for this build a single-use Daemon process will be forked.",
        "Daemon will be stopped at the end of the build ",
        "> Task :buildSrc:compileKotlin",
        "> Task :app:compileJava",
        "Note: Some input files use unchecked or unsafe operations.",
        "Note: Recompile with -Xlint:unchecked for details.",
        "> Task :app:processResources",
        "> Task :app:classes",
        "> Task :app:jar",
        "> Task :app:compileTestJava",
        "> Task :app:processTestResources NO-SOURCE",
        "> Task :app:testClasses",
        "> Task :app:test",
        Sleep(12),
        "",
        cause("com.acme.shipping.RateCalculatorTest > expressRateForRemoteZones() FAILED"),
        also("    org.opentest4j.AssertionFailedError: expected: <29.90> but was: <24.90>"),
        "        at app//org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)",
        "        at app//org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow(AssertionFailureBuilder.java:132)",
        "        at app//org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:197)",
        "        at app//org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:1156)",
        also(
            "        at app//com.acme.shipping.RateCalculatorTest.expressRateForRemoteZones(RateCalculatorTest.java:64)"
        ),
        "",
        "48 tests completed, 1 failed, 2 skipped",
        "",
        "> Task :app:test FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':app:test'.",
        f"> There were failing tests. See the report at: file://{root}/app/build/reports/tests/test/index.html",
        "",
        "* Try:",
        "> Run with --scan to get full insights.",
        "",
        "BUILD FAILED in 1m 4s",
        "7 actionable tasks: 7 executed",
    )
    lines = gl_simple(
        rng,
        "logistics/shipping",
        "eclipse-temurin:21-jdk",
        script,
        "2024-05-01T10:00:00",
        cache_key="gradle-8",
        artifacts=["app/build/test-results/test/TEST-com.acme.shipping.RateCalculatorTest.xml"],
    )
    return Case(
        lines,
        "test",
        "expressRateForRemoteZones",
        ["com.acme.shipping.RateCalculatorTest.expressRateForRemoteZones"],
        1,
    )


@case("jvm", "gradle_could_not_resolve")
def jvm_gradle_resolve(rng: random.Random) -> Case:
    s = "/home/vsts/work/1/s"
    feed = "https://pkgs.dev.azure.com/acme/_packaging/acme-maven/maven/v1"
    gradle = flat(
        "SYSTEMVSSCONNECTION exists true",
        f"[command]{s}/gradlew -p {s} :service:build --no-daemon",
        "Starting a Gradle Daemon, 1 incompatible and 0 stopped Daemons could not be reused, use --status for details",
        "> Task :buildSrc:checkKotlinGradlePluginConfigurationErrors",
        "> Task :buildSrc:compileKotlin UP-TO-DATE",
        "> Task :platform:compileJava",
        "> Task :platform:processResources",
        "> Task :platform:classes",
        "> Task :platform:jar",
        "> Task :service:compileJava FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':service:compileJava'.",
        also("> Could not resolve all files for configuration ':service:compileClasspath'."),
        cause("   > Could not find com.acme.platform:platform-auth:3.2.0."),
        "     Searched in the following locations:",
        "       - https://repo.maven.apache.org/maven2/com/acme/platform/platform-auth/3.2.0/platform-auth-3.2.0.pom",
        f"       - {feed}/com/acme/platform/platform-auth/3.2.0/platform-auth-3.2.0.pom",
        "     Required by:",
        "         project :service",
        "",
        "* Try:",
        "> If the artifact you are trying to retrieve can be found in the repository but without metadata in 'Maven POM' format, you need to adjust the 'metadataSources { ... }' of the repository declaration.",
        "> Run with --stacktrace option to get the stack trace.",
        "> Run with --info or --debug option to get more log output.",
        "",
        "BUILD FAILED in 38s",
        "5 actionable tasks: 5 executed",
    )
    body = flat(
        az_init(rng),
        az_task(
            "Checkout acme/identity@main to s",
            "Get sources",
            "Get sources from a repository. Supports Git, TfsVC, and SVN repositories.",
            "1.0.0",
            [
                "Syncing repository: acme/identity (Azure Repos Git)",
                f'git init "{s}"',
                f"Initialized empty Git repository in {s}/.git/",
                "git remote add origin https://dev.azure.com/acme/identity/_git/identity",
                'git -c http.extraheader="AUTHORIZATION: bearer ***" fetch --force --tags --prune --progress --no-recurse-submodules origin --depth=1',
                f"HEAD is now at {hexs(rng, 7)} Split token validation into platform-auth",
            ],
        ),
        az_task(
            "Maven authenticate",
            "Maven Authenticate",
            "Provides credentials for Azure Artifacts feeds and external maven repositories",
            "0.238.0",
            [
                "Adding authentication to settings file /home/vsts/.m2/settings.xml.",
                "Adding credentials for acme-maven.",
                "Settings file written successfully.",
            ],
        ),
        az_task(
            "Gradle build",
            "Gradle",
            "Build using a Gradle wrapper script",
            "3.238.0",
            gradle,
            [
                "##[error]Error: The process '/home/vsts/work/1/s/gradlew' failed with exit code 1",
            ],
        ),
        "##[section]Starting: Finalize Job",
        "Cleaning up task key",
        "Start cleaning up orphan processes.",
        "##[section]Finishing: Finalize Job",
        "##[section]Finishing: build",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), "azure")
    return Case(lines, "dependency", "platform-auth:3.2.0", exit_code=1)


# --- Go ---------------------------------------------------------------------------------------------


@case("go", "go_test_fail_verbose")
def go_test(rng: random.Random) -> Case:
    mod = "github.com/acme/gatekeeper"
    out = flat(
        go_downloads(
            [
                "github.com/go-chi/chi/v5 v5.0.12",
                "gopkg.in/yaml.v3 v3.0.1",
                "github.com/google/go-cmp v0.6.0",
                "golang.org/x/time v0.5.0",
            ]
        ),
        "=== RUN   TestErrorHandler_WritesProblemJSON",
        "--- PASS: TestErrorHandler_WritesProblemJSON (0.00s)",
        "=== RUN   TestRateLimiter_Allows",
        "--- PASS: TestRateLimiter_Allows (0.01s)",
        "PASS",
        f"ok  \t{mod}/internal/http\t0.041s",
        "=== RUN   TestParseConfig",
        "=== RUN   TestParseConfig/defaults",
        "=== RUN   TestParseConfig/env_override",
        cause("    config_test.go:47: ParseConfig() Port = 8080, want 9090"),
        "=== RUN   TestParseConfig/invalid_yaml",
        "    config_test.go:61: expected error, got error: yaml: line 3: mapping values are not allowed in this context (ok)",
        "--- FAIL: TestParseConfig (0.00s)",
        "    --- PASS: TestParseConfig/defaults (0.00s)",
        also("    --- FAIL: TestParseConfig/env_override (0.00s)"),
        "    --- PASS: TestParseConfig/invalid_yaml (0.00s)",
        "=== RUN   TestLoadSecrets",
        "--- PASS: TestLoadSecrets (0.00s)",
        "FAIL",
        f"FAIL\t{mod}/internal/config\t0.015s",
        "=== RUN   TestPolicy_Evaluate",
        "--- PASS: TestPolicy_Evaluate (0.02s)",
        "PASS",
        f"ok  \t{mod}/internal/policy\t0.058s",
        "FAIL",
    )
    steps = flat(
        gha_setup_go(rng),
        gha_run("go vet ./...", []),
        gha_run("go test -v -race ./...", out, exit_code=1),
    )
    lines = gha_job(
        rng,
        "acme/gatekeeper",
        "test",
        steps,
        "2024-05-01T10:00:00.3",
        ("actions/checkout@v4", "actions/setup-go@v5"),
    )
    return Case(lines, "test", "config_test.go:47", ["TestParseConfig/env_override"], 1)


@case("go", "go_build_undefined")
def go_undefined(rng: random.Random) -> Case:
    mods = [
        ("github.com/cenkalti/backoff/v4", "v4.3.0"),
        ("github.com/nats-io/nats.go", "v1.34.1"),
        ("github.com/prometheus/client_golang", "v1.19.0"),
        ("go.uber.org/zap", "v1.27.0"),
        ("golang.org/x/sync", "v0.7.0"),
        ("github.com/klauspost/compress", "v1.17.8"),
    ]
    gets: list[str] = []
    for m, v in mods:
        gets.append(f"# get https://proxy.golang.org/{m}/@v/{v}.zip")
        gets.append(
            f"# get https://proxy.golang.org/{m}/@v/{v}.zip: 200 OK ({rng.uniform(0.02, 0.6):.3f}s)"
        )
    body = flat(
        drone_step(
            "clone",
            [
                "+ git init",
                "Initialized empty Git repository in /drone/src/.git/",
                "+ git remote add origin https://git.acme.io/infra/relay.git",
                "+ git fetch origin +refs/heads/feature/backoff:",
                "From https://git.acme.io/infra/relay",
                " * branch            feature/backoff -> FETCH_HEAD",
                f"+ git checkout {hexs(rng, 40)} -b feature/backoff",
                "Switched to a new branch 'feature/backoff'",
            ],
        ),
        drone_step(
            "tools",
            flat(
                "+ go version",
                "go version go1.22.2 linux/amd64",
                "+ go install go.uber.org/mock/mockgen@v0.4.0",
                go_downloads(
                    [
                        "go.uber.org/mock v0.4.0",
                        "golang.org/x/mod v0.14.0",
                        "golang.org/x/tools v0.16.1",
                    ]
                ),
                "+ go install golang.org/x/tools/cmd/stringer@v0.20.0",
                go_downloads(
                    [
                        "golang.org/x/tools v0.20.0",
                        "golang.org/x/sync v0.7.0",
                        "golang.org/x/mod v0.17.0",
                    ]
                ),
            ),
        ),
        drone_step(
            "deps", flat("+ go mod download -x", gets, "+ go mod verify", "all modules verified")
        ),
        drone_step(
            "generate",
            [
                "+ go generate ./...",
                "mockgen -source=internal/queue/consumer.go -destination=internal/queue/mock_consumer.go -package=queue",
                "stringer -type=State -output=internal/queue/state_string.go",
                "+ git diff --exit-code",
            ],
        ),
        drone_step(
            "build",
            flat(
                "+ go build ./...",
                Sleep(14),
                "# github.com/acme/relay/internal/queue",
                cause("internal/queue/consumer.go:61:14: undefined: backoff.NewExponential"),
                "internal/queue/consumer.go:88:9: c.metrics.observe undefined (type *metrics has no field or method observe, but does have method Observe)",
            ),
        ),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(
        lines, "compile", "consumer.go:61:14: undefined: backoff.NewExponential", exit_code=1
    )


@case("go", "data_race")
def go_race(rng: random.Random) -> Case:
    root = "/builds/platform/cache"
    mod = "github.com/acme/cache"
    g1, g2 = rng.randint(20, 40), rng.randint(41, 60)
    addr = f"0x00c000{hexs(rng, 6)}"
    script = flat(
        gl_cmd("go version"),
        "go version go1.22.2 linux/amd64",
        gl_cmd("go mod download"),
        gl_cmd("go test -race -count=1 ./..."),
        Sleep(30),
        f"ok  \t{mod}/internal/clock\t1.022s",
        f"ok  \t{mod}/internal/errorsx\t1.011s",
        "==================",
        cause("WARNING: DATA RACE"),
        also(f"Write at {addr} by goroutine {g1}:"),
        f"  {mod}/lru.(*Cache).Put()",
        f"      {root}/lru/lru.go:74 +0x1a4",
        f"  {mod}/lru.TestCache_ConcurrentAccess.func1()",
        f"      {root}/lru/lru_test.go:118 +0x9c",
        "",
        f"Previous read at {addr} by goroutine {g2}:",
        f"  {mod}/lru.(*Cache).Get()",
        f"      {root}/lru/lru.go:52 +0x88",
        f"  {mod}/lru.TestCache_ConcurrentAccess.func2()",
        f"      {root}/lru/lru_test.go:126 +0x7e",
        "",
        f"Goroutine {g1} (running) created at:",
        f"  {mod}/lru.TestCache_ConcurrentAccess()",
        f"      {root}/lru/lru_test.go:115 +0x1d0",
        "  testing.tRunner()",
        "      /usr/local/go/src/testing/testing.go:1689 +0x21e",
        "",
        f"Goroutine {g2} (finished) created at:",
        f"  {mod}/lru.TestCache_ConcurrentAccess()",
        f"      {root}/lru/lru_test.go:123 +0x2a8",
        "==================",
        "--- FAIL: TestCache_ConcurrentAccess (0.03s)",
        also("    testing.go:1398: race detected during execution of test"),
        "FAIL",
        f"FAIL\t{mod}/lru\t0.214s",
        f"ok  \t{mod}/ttl\t1.304s",
        "FAIL",
    )
    lines = gl_simple(
        rng, "platform/cache", "golang:1.22", script, "2024-05-01T10:00:00", cache_key="gomod"
    )
    return Case(lines, "test", "DATA RACE", ["TestCache_ConcurrentAccess"], 1)


# --- Rust -----------------------------------------------------------------------------------------


@case("rust", "rustc_e0308")
def rust_e0308(rng: random.Random) -> Case:
    wd = "/home/runner/work/pricing/pricing"
    crates = [
        "autocfg v1.2.0",
        "arrayvec v0.7.4",
        "num-traits v0.2.18",
        "serde v1.0.200",
        "rust_decimal v1.35.0",
        "thiserror v1.0.59",
        "itoa v1.0.11",
        "ryu v1.0.17",
        "serde_json v1.0.116",
    ]
    build = flat(
        cargo_fetch(rng, crates),
        cargo_compiling(crates),
        f"   Compiling pricing v0.4.0 ({wd})",
        Sleep(9),
        "warning: unused variable: `region`",
        "  --> src/tax.rs:18:9",
        "   |",
        "18 |     let region = ctx.region();",
        "   |         ^^^^^^ help: if this is intentional, prefix it with an underscore: `_region`",
        "   |",
        "   = note: `#[warn(unused_variables)]` on by default",
        "",
        cause(f"{RED}{BOLD}error[E0308]{RESET}{BOLD}: mismatched types{RESET}"),
        also(f"  {CYAN}{BOLD}--> {RESET}src/discount.rs:42:20"),
        "   |",
        "40 |     pub fn apply(&self, amount: Decimal) -> Decimal {",
        "   |                                             ------- expected `Decimal` because of return type",
        "41 |         let pct = self.percent / Decimal::ONE_HUNDRED;",
        "42 |         amount * pct.to_f64().unwrap()",
        "   |                  ^^^^^^^^^^^^^^^^^^^^^ expected `Decimal`, found `f64`",
        "   |",
        "help: call `Into::into` on this expression to convert `f64` into `Decimal`",
        "",
        "Some errors have detailed explanations: E0277, E0308.",
        "For more information about an error, try `rustc --explain E0277`.",
        "warning: `pricing` (lib) generated 1 warning",
        f"{RED}{BOLD}error{RESET}{BOLD}: could not compile `pricing` (lib) due to 2 previous errors; 1 warning emitted{RESET}",
    )
    steps = flat(
        gha_action(
            "dtolnay/rust-toolchain@stable",
            {"toolchain": "stable", "components": "clippy"},
            [
                "##[group]Run : parse toolchain version",
                "##[endgroup]",
                "info: syncing channel updates for 'stable-x86_64-unknown-linux-gnu'",
                "info: latest update on 2024-04-09, rust version 1.77.2 (25ef9e3d8 2024-04-09)",
                "info: component 'clippy' is up to date",
                "stable-x86_64-unknown-linux-gnu unchanged - rustc 1.77.2 (25ef9e3d8 2024-04-09)",
            ],
        ),
        gha_run(
            "cargo build --all-targets --locked",
            build,
            exit_code=101,
            env={"CARGO_TERM_COLOR": "always", "RUSTFLAGS": "-D warnings -A unused"},
        ),
    )
    lines = gha_job(
        rng,
        "acme/pricing",
        "build",
        steps,
        "2024-05-01T10:00:00.3",
        ("actions/checkout@v4", "dtolnay/rust-toolchain@stable"),
    )
    return Case(lines, "compile", "E0308", exit_code=101)


@case("rust", "cargo_test_panic")
def rust_panic(rng: random.Random) -> Case:
    sha = hexs(rng, 40)
    ok = [
        "codec::tests::roundtrip_empty",
        "codec::tests::roundtrip_large_frame",
        "codec::tests::rejects_bad_magic",
        "frame::tests::error_frame_has_code",
        "frame::tests::ping_pong",
        "session::tests::closes_on_eof",
        "session::tests::keepalive_interval",
        "varint::tests::encodes_max",
        "varint::tests::decodes_zero",
    ]
    results = (
        [f"test {t} ... ok" for t in ok[:3]]
        + [also("test codec::tests::parses_header ... FAILED")]
        + [f"test {t} ... ok" for t in ok[3:]]
    )
    body = flat(
        bk_checkout(rng, "acme/wire", sha, "agent-rust-1"),
        "$ cargo test --locked",
        "--- :rust: Build",
        cargo_compiling(
            [
                "proc-macro2 v1.0.81",
                "quote v1.0.36",
                "syn v2.0.60",
                "bytes v1.6.0",
                "tokio v1.37.0",
                "tokio-util v0.7.10",
                "futures-core v0.3.30",
            ]
        ),
        "   Compiling wire v0.9.3 (/var/lib/buildkite-agent/builds/agent-rust-1/acme/wire)",
        Sleep(35),
        "    Finished `test` profile [unoptimized + debuginfo] target(s) in 41.27s",
        "+++ :test_tube: Tests",
        "     Running unittests src/lib.rs (target/debug/deps/wire-3f1c2a9b7d4e5f60)",
        "",
        f"running {len(ok) + 1} tests",
        results,
        "",
        "failures:",
        "",
        "---- codec::tests::parses_header stdout ----",
        cause("thread 'codec::tests::parses_header' panicked at src/codec.rs:212:9:"),
        also("assertion `left == right` failed"),
        also("  left: 3"),
        also(" right: 4"),
        "note: run with `RUST_BACKTRACE=1` environment variable to display a backtrace",
        "",
        "",
        "failures:",
        "    codec::tests::parses_header",
        "",
        f"test result: FAILED. {len(ok)} passed; 1 failed; 0 ignored; 0 measured; 0 filtered out; finished in 0.02s",
        "",
        "error: test failed, to rerun pass `--lib`",
        "^^^ +++",
        "🚨 Error: The command exited with status 101",
        "user command error: exit status 101",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "test", "codec::tests::parses_header", ["codec::tests::parses_header"], 101)


# --- C / C++ --------------------------------------------------------------------------------------


@case("c_cpp", "gcc_error_make")
def c_gcc(rng: random.Random) -> Case:
    cflags = "-std=c11 -Wall -Wextra -Werror -O2 -Iinclude"
    objs = ["arena", "buffer", "hash", "log"]
    script = flat(
        gl_cmd(
            "apt-get update -qq && apt-get install -y -qq build-essential libyaml-dev > /dev/null"
        ),
        "debconf: delaying package configuration, since apt-utils is not installed",
        gl_cmd("gcc --version | head -1"),
        "gcc (Debian 12.2.0-14) 12.2.0",
        gl_cmd("make -j4 all"),
        "mkdir -p build",
        [f"cc {cflags} -c src/{o}.c -o build/{o}.o" for o in objs],
        f"cc {cflags} -c src/parser.c -o build/parser.o",
        f"cc {cflags} -c src/error_log.c -o build/error_log.o",
        also("src/parser.c: In function ‘parse_header’:"),
        cause(
            "src/parser.c:120:14: error: implicit declaration of function ‘strndup_safe’; did you mean ‘strndup’? [-Werror=implicit-function-declaration]"
        ),
        "  120 |     char *key = strndup_safe(line, colon - line);",
        "      |                 ^~~~~~~~~~~~",
        "      |                 strndup",
        "src/parser.c:120:14: error: initialization of ‘char *’ from ‘int’ makes pointer from integer without a cast [-Werror=int-conversion]",
        "cc1: all warnings being treated as errors",
        "make: *** [Makefile:12: build/parser.o] Error 1",
        "make: *** Waiting for unfinished jobs....",
    )
    after = [gl_cmd("ls build/ || true"), "arena.o  buffer.o  error_log.o  hash.o  log.o"]
    lines = gl_simple(
        rng,
        "tools/confparse",
        "debian:bookworm",
        script,
        "2024-05-01T10:00:00",
        after=after,
        failure="ERROR: Job failed: exit code 2",
    )
    return Case(lines, "compile", "src/parser.c:120:14", exit_code=2)


@case("c_cpp", "undefined_reference")
def c_undefined_ref(rng: random.Random) -> Case:
    wd = "/home/runner/work/imgtool/imgtool"
    srcs = ["image.cpp", "io/png.cpp", "io/jpeg.cpp", "filters/blur.cpp", "filters/sharpen.cpp"]
    build = flat(
        [
            f"[{8 + 14 * i:3d}%] Building CXX object CMakeFiles/imgcore.dir/src/{s}.o"
            for i, s in enumerate(srcs)
        ],
        "[ 78%] Linking CXX static library libimgcore.a",
        "[ 78%] Built target imgcore",
        "[ 85%] Building CXX object CMakeFiles/imgtool.dir/src/main.cpp.o",
        "[ 92%] Building CXX object CMakeFiles/imgtool.dir/src/cli_errors.cpp.o",
        "[100%] Linking CXX executable bin/imgtool",
        also("/usr/bin/ld: CMakeFiles/imgtool.dir/src/main.cpp.o: in function `main':"),
        cause(
            "main.cpp:(.text.startup+0x1a4): undefined reference to `img::resize(img::Image const&, int, int)'"
        ),
        "/usr/bin/ld: main.cpp:(.text.startup+0x2c8): undefined reference to `img::encode_webp(img::Image const&, int)'",
        "collect2: error: ld returned 1 exit status",
        "gmake[2]: *** [CMakeFiles/imgtool.dir/build.make:112: bin/imgtool] Error 1",
        "gmake[1]: *** [CMakeFiles/Makefile2:98: CMakeFiles/imgtool.dir/all] Error 2",
        "gmake: *** [Makefile:136: all] Error 2",
    )
    steps = flat(
        gha_run(
            "sudo apt-get update && sudo apt-get install -y libpng-dev libjpeg-turbo8-dev",
            apt_get(rng, ["libpng-dev", "libjpeg-turbo8-dev", "libjpeg8-dev"]),
        ),
        gha_run(
            "cmake -S . -B build -DCMAKE_BUILD_TYPE=RelWithDebInfo -DIMG_WERROR=ON",
            [
                "-- The CXX compiler identification is GNU 13.1.0",
                "-- Detecting CXX compiler ABI info",
                "-- Detecting CXX compiler ABI info - done",
                '-- Found PNG: /usr/lib/x86_64-linux-gnu/libpng.so (found version "1.6.37")',
                '-- Found JPEG: /usr/lib/x86_64-linux-gnu/libjpeg.so (found version "80")',
                "-- WebP support: OFF (libwebp not found)",
                "-- Configuring done (0.9s)",
                "-- Generating done (0.0s)",
                f"-- Build files have been written to: {wd}/build",
            ],
        ),
        gha_run("cmake --build build -j 4", build, exit_code=2),
    )
    lines = gha_job(
        rng, "acme/imgtool", "build (ubuntu-22.04, gcc-13)", steps, "2024-05-01T10:00:00.1"
    )
    return Case(lines, "compile", "undefined reference to `img::resize", exit_code=2)


@case("c_cpp", "cmake_could_not_find")
def c_cmake_missing(rng: random.Random) -> Case:
    ws = "/var/lib/jenkins/workspace/tunnel_main"
    configure = flat(
        "[Pipeline] sh",
        "+ cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release -DTUNNEL_WERROR=ON",
        "-- The C compiler identification is GNU 12.2.0",
        "-- The CXX compiler identification is GNU 12.2.0",
        "-- Detecting C compiler ABI info",
        "-- Detecting C compiler ABI info - done",
        "-- Check for working C compiler: /usr/bin/cc - skipped",
        "-- Detecting CXX compiler ABI info",
        "-- Detecting CXX compiler ABI info - done",
        "-- Check for working CXX compiler: /usr/bin/c++ - skipped",
        "-- Performing Test CMAKE_HAVE_LIBC_PTHREAD",
        "-- Performing Test CMAKE_HAVE_LIBC_PTHREAD - Success",
        "-- Found Threads: TRUE",
        '-- Found PkgConfig: /usr/bin/pkg-config (found version "1.8.1")',
        "-- Checking for module 'libuv>=1.40'",
        "--   Found libuv, version 1.44.2",
        also(
            "CMake Error at /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:230 (message):"
        ),
        cause("  Could NOT find OpenSSL, try to set the path to OpenSSL root folder in the"),
        "  system variable OPENSSL_ROOT_DIR (missing: OPENSSL_CRYPTO_LIBRARY",
        "  OPENSSL_INCLUDE_DIR)",
        "Call Stack (most recent call first):",
        "  /usr/share/cmake-3.25/Modules/FindPackageHandleStandardArgs.cmake:600 (_FPHSA_FAILURE_MESSAGE)",
        "  /usr/share/cmake-3.25/Modules/FindOpenSSL.cmake:670 (find_package_handle_standard_args)",
        "  CMakeLists.txt:31 (find_package)",
        "",
        "",
        "-- Configuring incomplete, errors occurred!",
        f'See also "{ws}/build/CMakeFiles/CMakeOutput.log".',
    )
    post = flat(
        "[Pipeline] archiveArtifacts",
        "Archiving artifacts",
        "‘build/CMakeFiles/CMakeError.log’ doesn’t match anything, but ‘CMakeError.log’ does. Perhaps that’s what you mean?",
        jk_cleanws(),
    )
    lines = jk_simple(
        rng,
        "tunnel_main",
        "https://git.acme.io/net/tunnel.git",
        [("Configure", configure)],
        ["Build", "Test", "Package"],
        post,
        "ERROR: script returned exit code 1",
        "2024-05-01T10:00:00",
        timestamps=False,
        message="Use system OpenSSL instead of the vendored copy",
    )
    return Case(lines, "dependency", "Could NOT find OpenSSL", exit_code=1)


@case("c_cpp", "ctest_gtest_failure")
def c_ctest(rng: random.Random) -> Case:
    wd = "/home/runner/work/tiles/tiles"
    gt_pass = [
        "TileCodec.EncodesEmpty",
        "TileCodec.EncodesSolidColor",
        "TileCodec.RoundTripsRandom",
    ]
    test = flat(
        f"Test project {wd}/build",
        "      Start  1: geometry_tests",
        " 1/6 Test  #1: geometry_tests ...................   Passed    0.04 sec",
        "      Start  2: codec_tests",
        also(" 2/6 Test  #2: codec_tests ......................***Failed    0.11 sec"),
        "[==========] Running 18 tests from 3 test suites.",
        "[----------] Global test environment set-up.",
        "[----------] 6 tests from TileCodec",
        [[f"[ RUN      ] {t}", f"[       OK ] {t} ({rng.randint(0, 3)} ms)"] for t in gt_pass],
        "[ RUN      ] TileCodec.DecodesRunLength",
        cause(f"{wd}/tests/codec_test.cpp:57: Failure"),
        "Expected equality of these values:",
        "  decoded.size()",
        "    Which is: 255",
        "  expected.size()",
        "    Which is: 256",
        also("[  FAILED  ] TileCodec.DecodesRunLength (0 ms)"),
        "[ RUN      ] TileCodec.RejectsTruncatedInput",
        "[       OK ] TileCodec.RejectsTruncatedInput (0 ms)",
        "[ RUN      ] TileCodec.ErrorOnBadHeader",
        "[       OK ] TileCodec.ErrorOnBadHeader (0 ms)",
        "[----------] 6 tests from TileCodec (2 ms total)",
        "",
        "[----------] Global test environment tear-down",
        "[==========] 18 tests from 3 test suites ran. (7 ms total)",
        "[  PASSED  ] 17 tests.",
        "[  FAILED  ] 1 test, listed below:",
        "[  FAILED  ] TileCodec.DecodesRunLength",
        "",
        " 1 FAILED TEST",
        "",
        "      Start  3: raster_tests",
        " 3/6 Test  #3: raster_tests .....................   Passed    0.31 sec",
        "      Start  4: pyramid_tests",
        " 4/6 Test  #4: pyramid_tests ....................   Passed    0.52 sec",
        "      Start  5: http_tests",
        " 5/6 Test  #5: http_tests .......................   Passed    0.09 sec",
        "      Start  6: cli_tests",
        " 6/6 Test  #6: cli_tests ........................   Passed    0.12 sec",
        "",
        "83% tests passed, 1 tests failed out of 6",
        "",
        "Total Test time (real) =   1.19 sec",
        "",
        "The following tests FAILED:",
        "\t  2 - codec_tests (Failed)",
        "Errors while running CTest",
        f"Output from these tests are in: {wd}/build/Testing/Temporary/LastTest.log",
        'Use "--rerun-failed --output-on-failure" to re-run the failed cases verbosely.',
    )
    steps = flat(
        gha_run(
            "cmake -S . -B build -DCMAKE_BUILD_TYPE=Debug -DTILES_BUILD_TESTS=ON",
            [
                "-- The CXX compiler identification is GNU 11.4.0",
                '-- Found GTest: /usr/lib/x86_64-linux-gnu/cmake/GTest/GTestConfig.cmake (found version "1.11.0")',
                "-- Configuring done (1.0s)",
                "-- Generating done (0.0s)",
                f"-- Build files have been written to: {wd}/build",
            ],
        ),
        gha_run(
            "cmake --build build -j 4",
            [
                f"[{p:3d}%] Building CXX object tests/CMakeFiles/{t}.dir/{t.removesuffix('_tests')}_test.cpp.o"
                for p, t in zip(
                    (16, 33, 50, 66, 83, 100),
                    (
                        "geometry_tests",
                        "codec_tests",
                        "raster_tests",
                        "pyramid_tests",
                        "http_tests",
                        "cli_tests",
                    ),
                    strict=True,
                )
            ],
        ),
        gha_run("ctest --test-dir build --output-on-failure", test, exit_code=8),
    )
    lines = gha_job(rng, "acme/tiles", "test", steps, "2024-05-01T10:00:00.1")
    return Case(lines, "test", "codec_test.cpp:57: Failure", ["TileCodec.DecodesRunLength"], 8)


@case("c_cpp", "asan_heap_buffer_overflow")
def c_asan(rng: random.Random) -> Case:
    root = "/home/circleci/project"
    pid = rng.randint(1000, 40000)
    pc = f"0x55d4{hexs(rng, 8)}"
    body = flat(
        cc_spinup(rng, "cimg/base:2024.05"),
        cc_env(rng, "acme/ringbuf"),
        cc_checkout(rng, "acme/ringbuf"),
        cc_run(
            "Build with sanitizers",
            [
                "make CFLAGS='-O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Werror' test-bin"
            ],
            [
                "cc -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Werror -Iinclude -c src/ring.c -o build/ring.o",
                "cc -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -Werror -Iinclude -c tests/test_ring.c -o build/test_ring.o",
                "cc -fsanitize=address,undefined build/ring.o build/test_ring.o -o build/test_ring",
            ],
        ),
        cc_run(
            "Run tests",
            ["./build/test_ring"],
            [
                "test_ring_init ... ok",
                "test_ring_push_pop ... ok",
                "test_ring_full_returns_error ... ok",
                "test_ring_wraps ... ",
                "=================================================================",
                cause(
                    f"=={pid}==ERROR: AddressSanitizer: heap-buffer-overflow on address 0x602000000a1c at pc {pc} bp 0x7ffd5e2c1a90 sp 0x7ffd5e2c1a88"
                ),
                also("WRITE of size 4 at 0x602000000a1c thread T0"),
                also(f"    #0 {pc} in ring_push {root}/src/ring.c:41:18"),
                f"    #1 0x55d4c3a1a8b0 in test_ring_wraps {root}/tests/test_ring.c:77:5",
                f"    #2 0x55d4c3a19f01 in main {root}/tests/test_ring.c:140:3",
                "    #3 0x7f2a8be29d8f in __libc_start_call_main ../sysdeps/nptl/libc_start_call_main.h:58:16",
                "    #4 0x7f2a8be29e3f in __libc_start_main csu/../csu/libc-start.c:392:3",
                "    #5 0x55d4c3a19a24 in _start (/home/circleci/project/build/test_ring+0x1fa24)",
                "",
                "0x602000000a1c is located 0 bytes after 12-byte region [0x602000000a10,0x602000000a1c)",
                "allocated by thread T0 here:",
                "    #0 0x7f2a8c0b4887 in malloc (/lib/x86_64-linux-gnu/libasan.so.6+0xb4887)",
                f"    #1 0x55d4c3a1b0c1 in ring_new {root}/src/ring.c:17:22",
                f"    #2 0x55d4c3a1a86e in test_ring_wraps {root}/tests/test_ring.c:72:19",
                "",
                also(
                    f"SUMMARY: AddressSanitizer: heap-buffer-overflow {root}/src/ring.c:41:18 in ring_push"
                ),
                "Shadow bytes around the buggy address:",
                "  0x602000000780: fa fa fd fd fa fa fd fd fa fa fd fa fa fa fd fd",
                "  0x602000000800: fa fa fd fd fa fa 00 04 fa fa 00 00 fa fa 00 fa",
                "=>0x602000000a00: fa fa 00[04]fa fa fa fa fa fa fa fa fa fa fa fa",
                "  0x602000000a80: fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa fa",
                "Shadow byte legend (one shadow byte represents 8 application bytes):",
                "  Addressable:           00",
                "  Partially addressable: 01 02 03 04 05 06 07 ",
                "  Heap left redzone:       fa",
                "  Freed heap region:       fd",
                f"=={pid}==ABORTING",
            ],
            exit_code=1,
        ),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "test", "AddressSanitizer: heap-buffer-overflow", ["test_ring_wraps"], 1)


# --- .NET -------------------------------------------------------------------------------------------


@case("dotnet", "xunit_fail")
def dotnet_xunit(rng: random.Random) -> Case:
    wd = "/home/runner/work/shop/shop"
    x = "[xUnit.net 00:00:0{}]"
    test = flat(
        "  Determining projects to restore...",
        "  All projects are up-to-date for restore.",
        f"  Shop.Domain -> {wd}/src/Shop.Domain/bin/Release/net8.0/Shop.Domain.dll",
        f"  Shop.Api -> {wd}/src/Shop.Api/bin/Release/net8.0/Shop.Api.dll",
        f"  Shop.Api.Tests -> {wd}/tests/Shop.Api.Tests/bin/Release/net8.0/Shop.Api.Tests.dll",
        f"Test run for {wd}/tests/Shop.Api.Tests/bin/Release/net8.0/Shop.Api.Tests.dll (.NETCoreApp,Version=v8.0)",
        "Microsoft (R) Test Execution Command Line Tool Version 17.9.0 (x64)",
        "Copyright (c) Microsoft Corporation.  All rights reserved.",
        "",
        "Starting test execution, please wait...",
        "A total of 1 test files matched the specified pattern.",
        f"{x.format('0.00')} xUnit.net VSTest Adapter v2.5.8+{hexs(rng, 10)} (64-bit .NET 8.0.4)",
        f"{x.format('0.41')}   Discovering: Shop.Api.Tests",
        f"{x.format('0.52')}   Discovered:  Shop.Api.Tests",
        f"{x.format('0.53')}   Starting:    Shop.Api.Tests",
        Sleep(1),
        cause(f"{x.format('1.23')}     Shop.Api.Tests.CartTests.Total_IncludesVat [FAIL]"),
        also(f"{x.format('1.24')}       Assert.Equal() Failure: Values differ"),
        f"{x.format('1.24')}       Expected: 119.00",
        f"{x.format('1.24')}       Actual:   100.00",
        f"{x.format('1.24')}       Stack Trace:",
        f"{x.format('1.24')}         {wd}/tests/Shop.Api.Tests/CartTests.cs(48,0): at Shop.Api.Tests.CartTests.Total_IncludesVat()",
        f"{x.format('1.24')}            at System.RuntimeMethodHandle.InvokeMethod(Object target, Void** arguments, Signature sig, Boolean isConstructor)",
        f"{x.format('1.31')}   Finished:    Shop.Api.Tests",
        also("  Failed Shop.Api.Tests.CartTests.Total_IncludesVat [14 ms]"),
        "  Error Message:",
        "   Assert.Equal() Failure: Values differ",
        "Expected: 119.00",
        "Actual:   100.00",
        "  Stack Trace:",
        f"     at Shop.Api.Tests.CartTests.Total_IncludesVat() in {wd}/tests/Shop.Api.Tests/CartTests.cs:line 48",
        "   at System.RuntimeMethodHandle.InvokeMethod(Object target, Void** arguments, Signature sig, Boolean isConstructor)",
        "   at System.Reflection.MethodBaseInvoker.InvokeWithNoArgs(Object obj, BindingFlags invokeAttr)",
        "",
        "Failed!  - Failed:     1, Passed:    86, Skipped:     2, Total:    89, Duration: 1 s - Shop.Api.Tests.dll (net8.0)",
    )
    steps = flat(
        gha_action(
            "actions/setup-dotnet@v4",
            {"dotnet-version": "8.0.x", "cache": "false"},
            [
                "[command]/home/runner/work/_actions/actions/setup-dotnet/v4/externals/install-dotnet.sh --skip-non-versioned-files --runtime dotnet --channel LTS",
                "dotnet-install: .NET Core Runtime with version '8.0.4' is already installed.",
                "[command]/home/runner/work/_actions/actions/setup-dotnet/v4/externals/install-dotnet.sh --skip-non-versioned-files --channel 8.0",
                "dotnet-install: .NET Core SDK with version '8.0.204' is already installed.",
            ],
        ),
        gha_run(
            "dotnet restore",
            [
                "  Determining projects to restore...",
                f"  Restored {wd}/src/Shop.Domain/Shop.Domain.csproj (in 1.12 sec).",
                f"  Restored {wd}/src/Shop.Api/Shop.Api.csproj (in 2.31 sec).",
                f"  Restored {wd}/tests/Shop.Api.Tests/Shop.Api.Tests.csproj (in 2.9 sec).",
            ],
        ),
        gha_run(
            "dotnet build --no-restore -c Release -warnaserror",
            [
                "MSBuild version 17.9.8+b34f75857 for .NET",
                "",
                "Build succeeded.",
                "    0 Warning(s)",
                "    0 Error(s)",
                "",
                "Time Elapsed 00:00:18.77",
            ],
        ),
        gha_run(
            "dotnet test --no-build -c Release --logger 'console;verbosity=normal'",
            test,
            exit_code=1,
        ),
    )
    lines = gha_job(
        rng,
        "acme/shop",
        "test",
        steps,
        "2024-05-01T10:00:00.3",
        ("actions/checkout@v4", "actions/setup-dotnet@v4"),
    )
    return Case(
        lines, "test", "Total_IncludesVat [FAIL]", ["Shop.Api.Tests.CartTests.Total_IncludesVat"], 1
    )


@case("dotnet", "nuget_nu1101")
def dotnet_nuget(rng: random.Random) -> Case:
    root = "/builds/fin/ledger"
    script = flat(
        gl_cmd("dotnet --info | head -n 5"),
        ".NET SDK:",
        " Version:           8.0.204",
        " Commit:            c338c7548c",
        " Workload version:  8.0.200-manifests.7d36c14f",
        "",
        gl_cmd("dotnet restore Ledger.sln --configfile nuget.config"),
        "  Determining projects to restore...",
        Sleep(8),
        f"{root}/src/Ledger.Api/Ledger.Api.csproj : warning NU1603: Ledger.Api depends on Serilog.AspNetCore (>= 8.0.0) but Serilog.AspNetCore 8.0.0 was not found. An approximate best match of Serilog.AspNetCore 8.0.1 was resolved. [{root}/Ledger.sln]",
        cause(
            f"{root}/src/Ledger.Core/Ledger.Core.csproj : error NU1101: Unable to find package Acme.Money. No packages exist with this id in source(s): nuget.org [{root}/Ledger.sln]"
        ),
        f"  Failed to restore {root}/src/Ledger.Core/Ledger.Core.csproj (in 2.11 sec).",
        f"  Restored {root}/src/Ledger.Api/Ledger.Api.csproj (in 6.4 sec).",
        "  1 of 3 projects are up-to-date for restore.",
    )
    lines = gl_simple(
        rng,
        "fin/ledger",
        "mcr.microsoft.com/dotnet/sdk:8.0",
        script,
        "2024-05-01T10:00:00",
        cache_key="nuget",
        timestamps=True,
    )
    return Case(lines, "dependency", "NU1101: Unable to find package Acme.Money", exit_code=1)
