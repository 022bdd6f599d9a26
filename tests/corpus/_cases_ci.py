# ruff: noqa: E501
"""Cases grouped by CI system: each log is in that system's own console format."""

from __future__ import annotations

import random

from _logkit import (
    BOLD,
    BYELLOW,
    DIM,
    GREEN,
    GREY,
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
    docker_pull,
    flat,
    gha_cache_post,
    gha_checkout,
    gha_job,
    gha_post_checkout,
    gha_run,
    gha_setup,
    gha_setup_node,
    gha_setup_python,
    git_remote_progress,
    gl_artifacts,
    gl_cache,
    gl_cleanup,
    gl_cmd,
    gl_info,
    gl_job,
    gl_prepare,
    gl_sources,
    go_downloads,
    hexs,
    jk_checkout,
    jk_cleanws,
    jk_end,
    jk_skipped,
    jk_stage,
    jk_start,
    materialize,
    maven_downloads,
    npm_ci,
    pip_install,
    pytest_header,
    pytest_progress,
    redraw,
    retag,
    rule,
    tc,
    tv_cmd,
    tv_done,
    tv_header,
    uid,
    utc,
)

# --- GitHub Actions ---------------------------------------------------------------------------


def jest_pass(path: str, slow: float | None = None) -> str:
    d, f = path.rsplit("/", 1)
    t = f" ({slow:.2f} s)" if slow else ""
    return f"{RESET}\x1b[7m{BOLD}{GREEN} PASS {RESET}\x1b[27m {DIM}{d}/\x1b[22m{BOLD}{f}\x1b[22m{t}"


def jest_fail(path: str) -> str:
    d, f = path.rsplit("/", 1)
    return f"{RESET}\x1b[7m{BOLD}{RED} FAIL {RESET}\x1b[27m {DIM}{d}/\x1b[22m{BOLD}{f}\x1b[22m"


@case("github_actions", "jest_failure")
def gha_jest(rng: random.Random) -> Case:
    repo, sha = "acme/storefront", hexs(rng, 40)
    wd = "/home/runner/work/storefront/storefront"
    body = flat(
        gha_setup(rng, "test (20.x)", ["actions/checkout@v4", "actions/setup-node@v4"]),
        gha_checkout(rng, repo, sha),
        gha_setup_node(rng, "20.12.2", wd),
        gha_run("npm ci", npm_ci(rng, 1342)),
        gha_run(
            "npm run lint -- --max-warnings 25",
            [
                "",
                "> storefront@2.3.0 lint",
                "> eslint 'src/**/*.{ts,tsx}' --max-warnings 25",
                "",
                "",
                f"{wd}/src/components/CartSummary.tsx",
                f"  14:10  {YELLOW}warning{RESET}  'useMemo' is defined but never used  {DIM}@typescript-eslint/no-unused-vars{RESET}",
                "",
                f"{wd}/src/hooks/useInventory.ts",
                f"  31:6  {YELLOW}warning{RESET}  React Hook useEffect has a missing dependency: 'sku'  {DIM}react-hooks/exhaustive-deps{RESET}",
                "",
                f"{YELLOW}{BOLD}✖ 2 problems (0 errors, 2 warnings){RESET}",
                "",
            ],
        ),
        gha_run(
            "npm test -- --ci --reporters=default",
            [
                "",
                "> storefront@2.3.0 test",
                "> jest --ci --reporters=default",
                "",
                Sleep(4),
                jest_pass("src/utils/format.test.ts"),
                jest_pass("src/utils/currency.test.ts"),
                jest_pass("src/hooks/useDebounce.test.ts", 5.12),
                jest_pass("src/api/client.test.ts"),
                f"{BOLD}  ● {RESET}Console",
                "",
                f"    {BOLD}console.error{RESET}",
                "      Error: Request failed with status code 503 (mocked for retry test)",
                "",
                f"{DIM}      at Object.<anonymous> (src/api/client.test.ts:88:13){RESET}",
                "",
                jest_pass("src/components/Button.test.tsx"),
                jest_pass("src/components/ProductCard.test.tsx", 6.87),
                Sleep(3),
                jest_fail("src/components/Cart.test.tsx"),
                cause(
                    f"{BOLD}{RED}  {BOLD}● {RESET}{BOLD}Cart › applies the discount code to the subtotal{RESET}"
                ),
                "",
                also(
                    f"    {DIM}expect({RESET}{RED}received{RESET}{DIM}).{RESET}toBe{DIM}({RESET}{GREEN}expected{RESET}{DIM}) // Object.is equality{RESET}"
                ),
                "",
                also(f'    Expected: {GREEN}"$90.00"{RESET}'),
                also(f'    Received: {RED}"$100.00"{RESET}'),
                "",
                f'{GREY}      40 |     await user.type(screen.getByLabelText(/discount code/i), "SPRING10");{RESET}',
                f'{GREY}      41 |     await user.click(screen.getByRole("button", {{ name: /apply/i }}));{RESET}',
                f'{RED}{BOLD}>{RESET}{GREY} 42 |     expect(screen.getByTestId("subtotal").textContent).toBe("$90.00");{RESET}',
                f"     {GREY} |{RESET}                                                        {RED}{BOLD}^{RESET}",
                f"{GREY}      43 |   }});{RESET}",
                f"{GREY}      44 |{RESET}",
                "",
                f"{DIM}      at Object.<anonymous> (src/components/Cart.test.tsx:42:56){RESET}",
                "",
                jest_pass("src/components/Checkout.test.tsx", 7.4),
                jest_pass("src/pages/ProductPage.test.tsx"),
                jest_pass("src/store/cartSlice.test.ts"),
                jest_pass("src/store/errorBoundary.test.tsx"),
                "",
                f"{BOLD}Test Suites: {RESET}{BOLD}{RED}1 failed{RESET}, {BOLD}{GREEN}10 passed{RESET}, 11 total",
                f"{BOLD}Tests:       {RESET}{BOLD}{RED}1 failed{RESET}, {BOLD}{GREEN}83 passed{RESET}, 84 total",
                f"{BOLD}Snapshots:   {RESET}{BOLD}{GREEN}6 passed{RESET}, 6 total",
                f"{BOLD}Time:{RESET}        14.212 s",
                f"{DIM}Ran all test suites{RESET}{DIM}.{RESET}",
            ],
            exit_code=1,
        ),
        gha_cache_post(rng, "node-cache-Linux-x64-npm-" + hexs(rng, 64), hit=True),
        gha_post_checkout(repo),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:02.115"), rng), "github")
    return Case(
        lines,
        "test",
        "Cart › applies the discount code to the subtotal",
        ["Cart › applies the discount code to the subtotal"],
        1,
    )


@case("github_actions", "runner_shutdown")
def gha_runner_shutdown(rng: random.Random) -> Case:
    repo, sha = "acme/edge-proxy", hexs(rng, 40)
    crates = [
        "libc v0.2.154",
        "proc-macro2 v1.0.81",
        "unicode-ident v1.0.12",
        "cfg-if v1.0.0",
        "once_cell v1.19.0",
        "pin-project-lite v0.2.14",
        "bytes v1.6.0",
        "itoa v1.0.11",
        "memchr v2.7.2",
        "smallvec v1.13.2",
        "quote v1.0.36",
        "syn v2.0.60",
        "tokio-macros v2.2.0",
        "mio v0.8.11",
        "socket2 v0.5.7",
        "tokio v1.37.0",
        "serde_derive v1.0.200",
        "serde v1.0.200",
        "http v1.1.0",
        "hyper v1.3.1",
        "rustls v0.23.5",
        "ring v0.17.8",
    ]
    body = flat(
        gha_setup(
            rng,
            "build (self-hosted, linux, x64, spot)",
            ["actions/checkout@v4", "Swatinem/rust-cache@v2"],
        ),
        gha_checkout(
            rng, repo, sha, redraws=False, workdir="/opt/actions-runner/_work/edge-proxy/edge-proxy"
        ),
        gha_run(
            "cargo build --release --locked",
            flat(
                cargo_fetch(rng, crates[:12]),
                cargo_compiling(crates[:14]),
                Sleep(40),
                "warning: unused import: `std::io::ErrorKind`",
                " --> src/conn/pool.rs:3:5",
                "  |",
                "3 | use std::io::ErrorKind;",
                "  |     ^^^^^^^^^^^^^^^^^^",
                "  |",
                "  = note: `#[warn(unused_imports)]` on by default",
                "",
                cargo_compiling(crates[14:]),
                Sleep(95),
                redraw(
                    [
                        "    Building [=======>                 ] 141/389: ring(build), hyper, tokio",
                        "    Building [=========>               ] 163/389: ring(build), hyper",
                        "    Building [==========>              ] 177/389: ring(build)",
                    ]
                ),
                Sleep(30),
                cause(
                    "##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled."
                ),
                "##[error]Process completed with exit code 143.",
                also("##[error]The operation was canceled."),
            ),
        ),
        "Post job cleanup.",
        "Cleaning up orphan processes",
        "Terminate orphan process: pid (48213) (cargo)",
        "Terminate orphan process: pid (48342) (rustc)",
    )
    lines = materialize(body, Clock(utc("2024-05-01T03:12:40.441"), rng), "github")
    return Case(lines, "infrastructure", "received a shutdown signal")


@case("github_actions", "cancelled_concurrency")
def gha_cancelled(rng: random.Random) -> Case:
    repo, sha = "acme/ledger", hexs(rng, 40)
    files = [
        ("tests/test_accounts.py", "......................"),
        ("tests/test_balances.py", ".............s......"),
        ("tests/test_currency.py", "................................"),
        ("tests/test_errors.py", "......."),
        ("tests/test_exports.py", "..........."),
    ]
    body = flat(
        gha_setup(rng, "pytest (3.12)", ["actions/checkout@v4", "actions/setup-python@v5"]),
        gha_checkout(rng, repo, sha),
        gha_setup_python(rng),
        gha_run(
            ["python -m pip install --upgrade pip", "pip install -e '.[test]'"],
            flat(
                "Requirement already satisfied: pip in /opt/hostedtoolcache/Python/3.12.3/x64/lib/python3.12/site-packages (24.0)",
                "Obtaining file:///home/runner/work/ledger/ledger",
                "  Installing build dependencies: started",
                "  Installing build dependencies: finished with status 'done'",
                pip_install(
                    rng,
                    [
                        ("attrs", "23.2.0"),
                        ("iniconfig", "2.0.0"),
                        ("pluggy", "1.5.0"),
                        ("pytest", "8.2.0"),
                        ("hypothesis", "6.100.2"),
                        ("sqlalchemy", "2.0.29"),
                    ],
                    cached=2,
                ),
            ),
        ),
        gha_run(
            "pytest -q -p no:cacheprovider --hypothesis-profile=ci",
            flat(
                pytest_header("/home/runner/work/ledger/ledger", 412),
                pytest_progress(files, 412),
                Sleep(180),
                "tests/test_ledger_properties.py ........",
            ),
        ),
        Sleep(1),
        cause("##[error]The operation was canceled."),
        "Post job cleanup.",
        "Cache hit occurred on the primary key setup-python-Linux-22.04-Ubuntu-python-3.12.3-pip-"
        + hexs(rng, 64)
        + ", not saving cache.",
        gha_post_checkout(repo),
    )
    lines = materialize(body, Clock(utc("2024-05-02T14:21:07.009"), rng), "github")
    return Case(lines, "cancelled", "The operation was canceled")


# --- GitLab -------------------------------------------------------------------------------------


@case("gitlab", "pytest_keyerror_timestamped")
def gitlab_pytest(rng: random.Random) -> Case:
    project, sha = "billing/invoicing", hexs(rng, 40)
    root = f"/builds/{project}"
    files = [
        ("tests/api/test_auth.py", "........"),
        ("tests/api/test_customers.py", "..............."),
        ("tests/api/test_invoices.py", ".....F..."),
        ("tests/test_error_log.py", "...."),
        ("tests/test_tax.py", "........................"),
    ]
    script = [
        gl_cmd("python -V"),
        "Python 3.12.3",
        gl_cmd("pip install -q -r requirements-dev.txt"),
        f"{YELLOW}WARNING: Running pip as the 'root' user can result in broken permissions and conflicting behaviour with the system package manager.{RESET}",
        Sleep(24),
        gl_cmd("pytest --junitxml=report.xml -p no:randomly"),
        *pytest_header(root, 60, plugins="django-4.8.0, cov-5.0.0"),
        *pytest_progress(files),
        Sleep(11),
        "",
        rule("FAILURES"),
        rule("test_invoice_totals", "_"),
        "",
        "client = <rest_framework.test.APIClient object at 0x7f3b2c1d9e50>",
        "invoice_factory = <function invoice_factory.<locals>.make at 0x7f3b2c0a1f80>",
        "",
        "    def test_invoice_totals(client, invoice_factory):",
        '        inv = invoice_factory(lines=3, currency="EUR")',
        '        resp = client.get(f"/api/invoices/{inv.id}/")',
        "        assert resp.status_code == 200",
        '>       assert resp.json()["totals"]["gross"] == "123.00"',
        cause(f"{BOLD}{RED}E       KeyError: 'totals'{RESET}"),
        "",
        also(
            f"{BOLD}{RED}tests/api/test_invoices.py{RESET}:57: KeyError",
        ),
        f"- generated xml file: {root}/report.xml -",
        rule("short test summary info"),
        also(
            f"{RED}FAILED{RESET} tests/api/test_invoices.py::{BOLD}test_invoice_totals{RESET} - KeyError: 'totals'"
        ),
        f"{RED}========================= {RED}{BOLD}1 failed{RESET}, {GREEN}59 passed{RESET}{RED} in 11.84s{RESET}{RED} =========================={RESET}",
    ]
    sections = [
        *gl_prepare(rng, "python:3.12-slim", project=project),
        gl_sources(rng, project, sha),
        gl_cache(rng, "pip-3-12"),
        ("step_script", 'Executing "step_script" stage of the job script', script),
        (
            "after_script",
            "Running after_script",
            [
                gl_info("Running after script..."),
                gl_cmd("rm -rf .pytest_cache"),
            ],
        ),
        gl_cache(rng, "pip-3-12", restore=False),
        gl_artifacts(rng, ["report.xml"]),
        gl_cleanup(),
    ]
    items = gl_job(rng, sections, runner="gitlab-runner 17.0.0 (44feccdf)")
    lines = materialize(items, Clock(utc("2024-05-01T10:00:00.123"), rng, (0.0002, 0.03)), "gitlab")
    return Case(
        lines, "test", "KeyError: 'totals'", ["tests/api/test_invoices.py::test_invoice_totals"], 1
    )


@case("gitlab", "job_timeout")
def gitlab_timeout(rng: random.Random) -> Case:
    project, sha = "web/checkout", hexs(rng, 40)
    specs = {
        "auth/login.spec.ts": [
            "logs in with email and password",
            "shows an error for a wrong password",
            "remembers the session",
        ],
        "auth/logout.spec.ts": ["logs out from the account menu", "clears the cart on logout"],
        "cart/add-item.spec.ts": [
            "adds an item from the product page",
            "merges quantities of the same item",
            "respects the stock limit",
        ],
        "cart/remove-item.spec.ts": ["removes the last item", "undo restores the item"],
        "cart/coupon.spec.ts": ["applies a percentage coupon", "rejects an expired coupon"],
        "checkout/address.spec.ts": [
            "validates the postcode",
            "autocompletes the street",
            "keeps the address after reload",
        ],
    }
    run: list = []
    n = 0
    for spec, titles in specs.items():
        line = rng.randint(8, 14)
        for title in titles:
            n += 1
            run.append(
                f"  {GREEN}✓{RESET}  {n} [chromium] › {spec}:{line}:3 › {title} ({rng.uniform(0.8, 9):.1f}s)"
            )
            run.append(Sleep(rng.uniform(5, 40)))
            line += rng.randint(9, 30)
    script = flat(
        gl_cmd("npm ci --prefer-offline"),
        npm_ci(rng, 812, warns=3),
        gl_cmd("npx playwright install --with-deps chromium"),
        "Installing dependencies...",
        "Switching to root user to install dependencies...",
        redraw(
            [
                f"|{'■' * k}{' ' * (80 - k)}| {k * 100 // 80:3d}% of 148.7 MiB"
                for k in (8, 24, 56, 80)
            ]
        ),
        "Chromium 124.0.6367.29 (playwright build v1112) downloaded to /root/.cache/ms-playwright/chromium-1112",
        gl_cmd("npx playwright test --project=chromium --workers=2 --retries=1"),
        "",
        "Running 27 tests using 2 workers",
        "",
        run,
        f"  {RED}✘{RESET}  {n + 1} [chromium] › checkout/payment.spec.ts:41:7 › payment › 3-D Secure challenge completes (30.0s)",
        "  [chromium] › checkout/payment.spec.ts:41:7 › payment › 3-D Secure challenge completes (retry #1)",
        Sleep(3460),
    )
    sections = [
        *gl_prepare(rng, "mcr.microsoft.com/playwright:v1.43.1-jammy", project=project),
        gl_sources(rng, project, sha),
        gl_cache(rng, "npm-playwright", hit=False),
        ("step_script", 'Executing "step_script" stage of the job script', script),
        gl_cleanup(),
    ]
    items = gl_job(
        rng, sections, failure=cause("ERROR: Job failed: execution took longer than 1h0m0s seconds")
    )
    lines = materialize(items, Clock(utc("2024-05-03T08:00:00.5"), rng), None)
    return Case(lines, "timeout", "execution took longer than 1h0m0s seconds")


@case("gitlab", "webpack_module_not_found")
def gitlab_webpack(rng: random.Random) -> Case:
    project, sha = "shop/web", hexs(rng, 40)
    script = flat(
        gl_cmd("node --version && npm --version"),
        "v18.20.2",
        "10.5.0",
        gl_cmd("npm ci"),
        npm_ci(
            rng,
            1688,
            vulns="8 vulnerabilities (2 low, 6 moderate)\n\nTo address all issues, run:\n  npm audit fix\n\nRun `npm audit` for details.",
            warns=5,
        ),
        gl_cmd("npm run build"),
        "",
        "> web@4.12.0 build",
        "> webpack --mode production --config webpack.prod.js",
        "",
        Sleep(38),
        "assets by status 1.21 MiB [cached] 14 assets",
        "orphan modules 2.31 MiB [orphan] 912 modules",
        "runtime modules 4.12 KiB 11 modules",
        "cacheable modules 3.84 MiB",
        "  modules by path ./node_modules/ 2.95 MiB 402 modules",
        "  modules by path ./src/ 912 KiB 188 modules",
        "",
        f"{YELLOW}{BOLD}WARNING{RESET} in {BOLD}asset size limit: The following asset(s) exceed the recommended size limit (244 KiB).{RESET}",
        "This can impact web performance.",
        "Assets: ",
        "  vendors.3f9a2c.js (812 KiB)",
        "",
        f"{YELLOW}{BOLD}WARNING{RESET} in ./src/errors/reportError.ts 4:0-38",
        "export 'captureException' (imported as 'capture') was not found in '@sentry/browser' (possible exports: BrowserClient, init)",
        "",
        cause(
            f"{RED}{BOLD}ERROR{RESET} in {BOLD}./src/pages/Checkout.tsx{RESET} {GREEN}{BOLD}12:0-56{RESET}"
        ),
        also(
            f"Module not found: Error: Can't resolve '@/components/payment/PaymentForm' in '/builds/{project}/src/pages'"
        ),
        "",
        f"webpack 5.91.0 compiled with {RED}{BOLD}1 error{RESET} and {YELLOW}{BOLD}2 warnings{RESET} in 41872 ms",
    )
    sections = [
        *gl_prepare(rng, "node:18-bullseye", project=project),
        gl_sources(rng, project, sha),
        gl_cache(rng, "node-modules-18"),
        ("step_script", 'Executing "step_script" stage of the job script', script),
        gl_cache(rng, "node-modules-18", restore=False),
        gl_cleanup(),
    ]
    lines = materialize(gl_job(rng, sections), Clock(utc("2024-05-01T16:40:11.2"), rng), None)
    return Case(lines, "compile", "Checkout.tsx 12:0-56", exit_code=1)


# --- Jenkins ------------------------------------------------------------------------------------


@case("jenkins", "maven_test_failure_timestamper")
def jenkins_maven_test(rng: random.Random) -> Case:
    job, url, sha = (
        "orders-service_main",
        "https://git.acme.io/commerce/orders-service.git",
        hexs(rng, 40),
    )
    arts = [
        "org.apache.maven.plugins:maven-surefire-plugin:3.2.5",
        "org.junit.jupiter:junit-jupiter-api:5.10.2",
        "org.assertj:assertj-core:3.25.3",
        "org.mockito:mockito-core:5.11.0",
    ]
    stack = [
        "\tat org.junit.jupiter.api.AssertionFailureBuilder.build(AssertionFailureBuilder.java:151)",
        "\tat org.junit.jupiter.api.AssertionFailureBuilder.buildAndThrow(AssertionFailureBuilder.java:132)",
        "\tat org.junit.jupiter.api.AssertEquals.failNotEqual(AssertEquals.java:197)",
        "\tat org.junit.jupiter.api.AssertEquals.assertEquals(AssertEquals.java:182)",
        "\tat org.junit.jupiter.api.Assertions.assertEquals(Assertions.java:1156)",
        "\tat com.acme.orders.OrderServiceTest.totalIncludesTax(OrderServiceTest.java:42)",
        "\tat java.base/java.lang.reflect.Method.invoke(Method.java:580)",
        "\tat java.base/java.util.ArrayList.forEach(ArrayList.java:1596)",
    ]
    build = flat(
        "[Pipeline] sh",
        "+ mvn -B -ntp -Dstyle.color=never clean verify",
        "[INFO] Scanning for projects...",
        "[INFO] ",
        "[INFO] --------------------< com.acme:orders-service >---------------------",
        "[INFO] Building orders-service 2.14.0-SNAPSHOT",
        "[INFO]   from pom.xml",
        "[INFO] --------------------------------[ jar ]---------------------------------",
        maven_downloads(rng, arts, "nexus", "https://nexus.acme.io/repository/maven-public"),
        "[INFO] ",
        "[INFO] --- clean:3.3.2:clean (default-clean) @ orders-service ---",
        "[INFO] --- resources:3.3.1:resources (default-resources) @ orders-service ---",
        "[INFO] Copying 3 resources from src/main/resources to target/classes",
        "[INFO] --- compiler:3.13.0:compile (default-compile) @ orders-service ---",
        "[INFO] Recompiling the module because of changed source code.",
        "[INFO] Compiling 58 source files with javac [debug release 21] to target/classes",
        "[WARNING] /var/lib/jenkins/workspace/orders-service_main/src/main/java/com/acme/orders/LegacyMapper.java: Some input files use or override a deprecated API.",
        "[WARNING] /var/lib/jenkins/workspace/orders-service_main/src/main/java/com/acme/orders/LegacyMapper.java: Recompile with -Xlint:deprecation for details.",
        "[INFO] --- compiler:3.13.0:testCompile (default-testCompile) @ orders-service ---",
        "[INFO] Compiling 21 source files with javac [debug release 21] to target/test-classes",
        "[INFO] --- surefire:3.2.5:test (default-test) @ orders-service ---",
        "[INFO] Using auto detected provider org.apache.maven.surefire.junitplatform.JUnitPlatformProvider",
        "[INFO] ",
        "[INFO] -------------------------------------------------------",
        "[INFO]  T E S T S",
        "[INFO] -------------------------------------------------------",
        "[INFO] Running com.acme.orders.ErrorMappingTest",
        "[INFO] Tests run: 9, Failures: 0, Errors: 0, Skipped: 0, Time elapsed: 0.311 s -- in com.acme.orders.ErrorMappingTest",
        "[INFO] Running com.acme.orders.OrderRepositoryTest",
        Sleep(6),
        "10:14:07.412 [main] INFO  o.s.j.d.e.EmbeddedDatabaseFactory -- Starting embedded database: url='jdbc:h2:mem:orders', username='sa'",
        "10:14:08.019 [main] WARN  c.a.o.OrderRepository -- retrying connection (attempt 1/3)... succeeded",
        "[INFO] Tests run: 14, Failures: 0, Errors: 0, Skipped: 1, Time elapsed: 2.204 s -- in com.acme.orders.OrderRepositoryTest",
        "[INFO] Running com.acme.orders.OrderServiceTest",
        also(
            "[ERROR] Tests run: 7, Failures: 1, Errors: 0, Skipped: 0, Time elapsed: 0.412 s <<< FAILURE! -- in com.acme.orders.OrderServiceTest"
        ),
        cause(
            "[ERROR] com.acme.orders.OrderServiceTest.totalIncludesTax -- Time elapsed: 0.018 s <<< FAILURE!"
        ),
        also("org.opentest4j.AssertionFailedError: expected: <108.00> but was: <100.00>"),
        stack,
        "",
        "[INFO] Running com.acme.orders.PricingRulesTest",
        "[INFO] Tests run: 31, Failures: 0, Errors: 0, Skipped: 1, Time elapsed: 0.127 s -- in com.acme.orders.PricingRulesTest",
        "[INFO] ",
        "[INFO] Results:",
        "[INFO] ",
        "[ERROR] Failures: ",
        also("[ERROR]   OrderServiceTest.totalIncludesTax:42 expected: <108.00> but was: <100.00>"),
        "[INFO] ",
        "[ERROR] Tests run: 61, Failures: 1, Errors: 0, Skipped: 2",
        "[INFO] ",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] BUILD FAILURE",
        "[INFO] ------------------------------------------------------------------------",
        "[INFO] Total time:  31.884 s",
        "[INFO] Finished at: 2024-05-01T10:14:12Z",
        "[INFO] ------------------------------------------------------------------------",
        "[ERROR] Failed to execute goal org.apache.maven.plugins:maven-surefire-plugin:3.2.5:test (default-test) on project orders-service: There are test failures.",
        "[ERROR] ",
        "[ERROR] Please refer to /var/lib/jenkins/workspace/orders-service_main/target/surefire-reports for the individual test results.",
        "[ERROR] Please refer to dump files (if any exist) [date].dump, [date]-jvmRun[N].dump and [date].dumpstream.",
        "[ERROR] -> [Help 1]",
        "[ERROR] ",
        "[ERROR] To see the full stack trace of the errors, re-run Maven with the -e switch.",
        "[ERROR] Re-run Maven using the -X switch to enable full debug logging.",
    )
    post = flat(
        "[Pipeline] junit",
        "Recording test results",
        "[Checks API] No suitable checks publisher found.",
        "[Pipeline] archiveArtifacts",
        "Archiving artifacts",
        jk_cleanws(),
    )
    body = flat(
        jk_start(rng, job, url, "linux-agent-07", "Started by GitLab push by Priya Raman"),
        jk_checkout(rng, job, url, sha, "Apply tax at order level"),
        jk_stage("Build & Test", build),
        jk_skipped("Publish image"),
        jk_end(post, "ERROR: script returned exit code 1"),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:13:38.004"), rng), "jenkins")
    return Case(
        lines, "test", "totalIncludesTax", ["com.acme.orders.OrderServiceTest.totalIncludesTax"], 1
    )


@case("jenkins", "pipeline_timeout")
def jenkins_timeout(rng: random.Random) -> Case:
    job, url, sha = (
        "search-indexer_PR-412",
        "https://git.acme.io/data/search-indexer.git",
        hexs(rng, 40),
    )
    it = flat(
        "[Pipeline] timeout",
        "Timeout set to expire in 45 min",
        "[Pipeline] {",
        "[Pipeline] sh",
        "+ ./gradlew --no-daemon integrationTest",
        "To honour the JVM settings for this build a single-use Daemon process will be forked. For more on this, please refer to https://docs.gradle.org/8.7/userguide/gradle_daemon.html#sec:disabling_the_daemon in the Gradle documentation.",
        "Daemon will be stopped at the end of the build ",
        "> Task :compileJava UP-TO-DATE",
        "> Task :processResources UP-TO-DATE",
        "> Task :classes UP-TO-DATE",
        "> Task :compileIntegrationTestJava",
        "> Task :integrationTest",
        "",
        "IndexerIT > indexesNewDocuments() PASSED",
        "IndexerIT > deletesTombstones() PASSED",
        "IndexerIT > handlesErrorDocuments() PASSED",
        "ReindexIT > fullReindexCompletes() PASSED",
        Sleep(600),
        "ReindexIT > resumesAfterCrash() PASSED",
        "ClusterIT > survivesNodeRestart() STARTED",
        Sleep(2000),
        "<=========----> 75% EXECUTING [44m 31s]",
        "> :integrationTest > 41 tests completed",
        "> :integrationTest > Executing test com.acme.search.ClusterIT",
        Sleep(80),
        cause("Cancelling nested steps due to timeout"),
        "Sending interrupt signal to process",
        "",
        "> Task :integrationTest FAILED",
        "",
        "FAILURE: Build failed with an exception.",
        "",
        "* What went wrong:",
        "Execution failed for task ':integrationTest'.",
        "> Build cancelled while executing task ':integrationTest'",
        "",
        "BUILD FAILED in 45m 2s",
        "script returned exit code 143",
        "[Pipeline] }",
        "[Pipeline] // timeout",
    )
    post = flat(
        "[Pipeline] junit",
        "Recording test results",
        "[Checks API] No suitable checks publisher found.",
        "[Pipeline] echo",
        "Integration tests did not finish; see error_log.txt in the artifacts for the indexer output",
        jk_cleanws(),
    )
    body = flat(
        jk_start(rng, job, url, "k8s-agent-pool-3x9qz", "Branch indexing"),
        jk_checkout(rng, job, url, sha, "Retry shard moves on leader change"),
        jk_stage(
            "Unit tests",
            [
                "[Pipeline] sh",
                "+ ./gradlew --no-daemon test",
                "BUILD SUCCESSFUL in 1m 12s",
                "7 actionable tasks: 7 executed",
            ],
        ),
        jk_stage("Integration tests", it),
        jk_skipped("Publish"),
        jk_end(post, "Timeout has been exceeded", result="ABORTED"),
    )
    lines = materialize(body, Clock(utc("2024-05-04T09:00:00"), rng), None)
    return Case(lines, "timeout", "due to timeout", exit_code=143)


# --- Travis -------------------------------------------------------------------------------------


@case("travis", "tox_pytest_valueerror")
def travis_tox(rng: random.Random) -> Case:
    root = "/home/travis/build/acme/chrono"
    files = [
        ("tests/test_calendar.py", "............"),
        ("tests/test_format.py", "....................."),
        ("tests/test_parse.py", "........F....."),
        ("tests/test_zones.py", "......s....."),
    ]
    test_out = flat(
        f"py311 create: {root}/.tox/py311",
        "py311 installdeps: pytest>=8, hypothesis",
        f"py311 inst: {root}/.tox/.tmp/package/1/chrono-0.9.2.tar.gz",
        f"py311 installed: attrs==23.2.0,chrono @ file://{root}/.tox/.tmp/package/1/chrono-0.9.2.tar.gz,hypothesis==6.100.2,iniconfig==2.0.0,packaging==24.0,pluggy==1.5.0,pytest==8.2.0,sortedcontainers==2.4.0",
        f"py311 run-test-pre: PYTHONHASHSEED='{rng.randint(1, 4_000_000_000)}'",
        "py311 run-test: commands[0] | pytest -ra",
        pytest_header(root, 59, python="3.11.9", plugins="hypothesis-6.100.2"),
        pytest_progress(files),
        "",
        rule("FAILURES"),
        rule("test_parse_compact_duration", "_"),
        "",
        "    def test_parse_compact_duration():",
        '>       assert parse_duration("1h30") == timedelta(hours=1, minutes=30)',
        "",
        "tests/test_parse.py:63: ",
        "_ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ _ ",
        "",
        "text = '1h30'",
        "",
        "    def parse_duration(text: str) -> timedelta:",
        "        match = _DURATION.fullmatch(text.strip())",
        "        if not match:",
        '>           raise ValueError(f"invalid duration: {text!r}")',
        cause(f"{RED}{BOLD}E           ValueError: invalid duration: '1h30'{RESET}"),
        "",
        also(f"{RED}{BOLD}src/chrono/parse.py{RESET}:41: ValueError"),
        rule("short test summary info"),
        also(
            "FAILED tests/test_parse.py::test_parse_compact_duration - ValueError: invalid duration: '1h30'"
        ),
        f"{RED}=================== {RED}{BOLD}1 failed{RESET}, {GREEN}57 passed{RESET}, {YELLOW}1 skipped{RESET}{RED} in 3.02s{RESET}{RED} ===================={RESET}",
        f"ERROR: InvocationError for command {root}/.tox/py311/bin/pytest -ra (exited with code 1)",
        "___________________________________ summary ____________________________________",
        f"{RED}ERROR:   py311: commands failed{RESET}",
    )
    body = flat(
        tv_header(rng, "python"),
        tv_cmd(
            rng,
            "git clone --depth=50 --branch=main https://github.com/acme/chrono.git acme/chrono",
            ["Cloning into 'acme/chrono'...", *git_remote_progress(rng, 845)],
            "checkout",
            None,
            fold="git.checkout",
        ),
        "$ cd acme/chrono",
        f"$ git checkout -qf {hexs(rng, 40)}",
        "",
        f"{BYELLOW}Setting environment variables from .travis.yml{RESET}",
        "$ export TOXENV=py311",
        "",
        tv_cmd(rng, "source ~/virtualenv/python3.11/bin/activate", [], "setup_virtualenv", None),
        "$ python --version",
        "Python 3.11.9",
        "$ pip --version",
        "pip 24.0 from /home/travis/virtualenv/python3.11.9/lib/python3.11/site-packages/pip (python 3.11)",
        tv_cmd(
            rng,
            "pip install tox",
            pip_install(
                rng,
                [
                    ("distlib", "0.3.8"),
                    ("filelock", "3.14.0"),
                    ("platformdirs", "4.2.1"),
                    ("virtualenv", "20.26.1"),
                    ("tox", "3.28.0"),
                ],
                bar=False,
            ),
            "install",
            None,
            fold="install",
        ),
        tv_cmd(rng, "tox", test_out, "script", 1),
        tv_done(1),
    )
    lines = materialize(body, Clock(utc("2024-05-01T11:20:00"), rng), None)
    return Case(
        lines,
        "test",
        "invalid duration: '1h30'",
        ["tests/test_parse.py::test_parse_compact_duration"],
        1,
    )


@case("travis", "cmake_gcc_error")
def travis_cmake(rng: random.Random) -> Case:
    src = "/home/travis/build/acme/geo"
    objs = ["point.cpp", "segment.cpp", "bbox.cpp", "projection.cpp", "wkt_reader.cpp"]
    build = [
        "-- The CXX compiler identification is GNU 11.4.0",
        "-- Detecting CXX compiler ABI info",
        "-- Detecting CXX compiler ABI info - done",
        "-- Check for working CXX compiler: /usr/bin/c++ - skipped",
        "-- Performing Test HAVE_WERROR_FLAG",
        "-- Performing Test HAVE_WERROR_FLAG - Success",
        '-- Found GTest: /usr/lib/x86_64-linux-gnu/cmake/GTest/GTestConfig.cmake (found version "1.11.0")',
        "-- Configuring done (1.2s)",
        "-- Generating done (0.0s)",
        f"-- Build files have been written to: {src}/build",
    ]
    make = [
        f"[{10 + 8 * i:3d}%] {GREEN}Building CXX object src/CMakeFiles/geo.dir/{o}.o{RESET}"
        for i, o in enumerate(objs)
    ]
    make.insert(
        1, f"{src}/src/segment.cpp:19:12: warning: unused variable ‘eps’ [-Wunused-variable]"
    )
    make += [
        f"[ 52%] {GREEN}Building CXX object src/CMakeFiles/geo.dir/polygon.cpp.o{RESET}",
        also(f"{src}/src/polygon.cpp: In member function ‘double geo::Polygon::area() const’:"),
        cause(
            f"{src}/src/polygon.cpp:88:23: {RED}{BOLD}error: {RESET}‘{BOLD}accumulate{RESET}’ is not a member of ‘{BOLD}std{RESET}’"
        ),
        "   88 |     double sum = std::\x1b[01;31m\x1b[Kaccumulate\x1b[m\x1b[K(edges_.begin(), edges_.end(), 0.0, cross);",
        "      |                       \x1b[01;31m\x1b[K^~~~~~~~~~\x1b[m\x1b[K",
        f"{src}/src/polygon.cpp:7:1: \x1b[01;36m\x1b[Knote: \x1b[m\x1b[K‘std::accumulate’ is defined in header ‘<numeric>’; did you forget to ‘#include <numeric>’?",
        "make[2]: *** [src/CMakeFiles/geo.dir/build.make:146: src/CMakeFiles/geo.dir/polygon.cpp.o] Error 1",
        "make[1]: *** [CMakeFiles/Makefile2:112: src/CMakeFiles/geo.dir/all] Error 2",
        "make: *** [Makefile:146: all] Error 2",
    ]
    body = flat(
        tv_header(rng, "cpp", "jammy"),
        tv_cmd(
            rng,
            "git clone --depth=50 --branch=main https://github.com/acme/geo.git acme/geo",
            ["Cloning into 'acme/geo'...", *git_remote_progress(rng, 512)],
            "checkout",
            None,
            fold="git.checkout",
        ),
        "$ cd acme/geo",
        f"$ git checkout -qf {hexs(rng, 40)}",
        "",
        tv_cmd(
            rng,
            "sudo apt-get install -y libgtest-dev libgeos-dev",
            apt_get(rng, ["libgtest-dev", "libgeos-dev", "libgeos3.10.2"]),
            "before_install",
            None,
            fold="before_install",
        ),
        "$ export CXX=g++",
        "$ g++ --version",
        "g++ (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0",
        tv_cmd(
            rng,
            "cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DCMAKE_CXX_FLAGS='-Wall -Wextra -Werror=return-type'",
            build,
            "script",
            0,
        ),
        tv_cmd(rng, "cmake --build build -- -j2", flat(Sleep(30), make), "script", 2),
        "",
        tv_cmd(
            rng,
            "cat build/error_log.txt || true",
            ["cat: build/error_log.txt: No such file or directory"],
            "after_failure",
            0,
        ),
        tv_done(1),
    )
    lines = materialize(body, Clock(utc("2024-05-01T12:00:00"), rng), None)
    return Case(lines, "compile", "polygon.cpp:88:23", exit_code=2)


# --- Buildkite ----------------------------------------------------------------------------------


def bk_checkout(rng: random.Random, org_repo: str, sha: str, agent: str) -> list:
    path = f"/var/lib/buildkite-agent/builds/{agent}/{org_repo}"
    return flat(
        "~~~ Running global environment hook",
        "$ /etc/buildkite-agent/hooks/environment",
        "Exporting secrets from s3://acme-buildkite-secrets/env ... done",
        "~~~ Preparing working directory",
        f"$ cd {path}",
        '# Host "github.com" already in list of known hosts at "/var/lib/buildkite-agent/.ssh/known_hosts"',
        f"$ git remote set-url origin git@github.com:{org_repo}.git",
        "$ git clean -ffxdq",
        "# Fetch and checkout pull request head from GitHub",
        "$ git fetch -v --prune -- origin refs/heads/main",
        "From github.com:" + org_repo,
        " * branch              main       -> FETCH_HEAD",
        f"$ git checkout -f {sha}",
        f"HEAD is now at {sha[:7]} Guard transfers against overdraft",
        "# Cleaning again to catch any post-checkout changes",
        "$ git clean -ffxdq",
        "# Checking to see if git commit information needs to be sent to Buildkite...",
        "$ buildkite-agent meta-data exists buildkite:git:commit",
        "~~~ Running commands",
    )


@case("buildkite", "go_test_failure")
def bk_go_test(rng: random.Random) -> Case:
    sha = hexs(rng, 40)
    mod = "github.com/acme/ledger"
    pkgs_ok = [
        "cmd/ledgerd",
        "internal/audit",
        "internal/errors",
        "internal/money",
        "internal/store",
        "internal/store/pgstore",
    ]
    body = flat(
        bk_checkout(rng, "acme/ledger", sha, "agent-i-0b3c5d7e9f-1"),
        "$ make ci",
        "--- :go: Download modules",
        "go mod download -x 2>&1 | grep -v '^#' || true",
        go_downloads(
            [
                "github.com/jackc/pgx/v5 v5.5.5",
                "github.com/stretchr/testify v1.9.0",
                "go.uber.org/zap v1.27.0",
                "golang.org/x/sync v0.7.0",
                "github.com/google/uuid v1.6.0",
            ]
        ),
        "--- :go: Vet",
        "go vet ./...",
        "--- :test_tube: Test",
        "go test -race -count=1 ./...",
        Sleep(25),
        f"?   \t{mod}/internal/testutil\t[no test files]",
        *[f"ok  \t{mod}/{p}\t{rng.uniform(0.01, 3.5):.3f}s" for p in pkgs_ok[:4]],
        cause("--- FAIL: TestTransfer_InsufficientFunds (0.00s)"),
        also("    transfer_test.go:58: Transfer() error = <nil>, wantErr ErrInsufficientFunds"),
        "--- FAIL: TestTransfer_Concurrent (0.21s)",
        "    transfer_test.go:97: balance = 140, want 100",
        "FAIL",
        f"FAIL\t{mod}/internal/transfer\t0.412s",
        *[f"ok  \t{mod}/{p}\t{rng.uniform(0.01, 3.5):.3f}s" for p in pkgs_ok[4:]],
        "FAIL",
        "make: *** [Makefile:27: test] Error 1",
        "^^^ +++",
        "🚨 Error: The command exited with status 2",
        "~~~ Running plugin junit-annotate post-command hook",
        "$ /var/lib/buildkite-agent/plugins/github-com-buildkite-plugins-junit-annotate-buildkite-plugin-v2-4-1/hooks/post-command",
        "Downloading artifacts",
        "No artifacts matched junit/*.xml; nothing to annotate",
        "~~~ Uploading artifacts",
        "No artifacts matched coverage.out",
        "user command error: exit status 2",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:05:00.250"), rng), "buildkite")
    return Case(
        lines,
        "test",
        "TestTransfer_InsufficientFunds",
        ["TestTransfer_InsufficientFunds", "TestTransfer_Concurrent"],
        2,
    )


@case("buildkite", "go_link_killed")
def bk_link_killed(rng: random.Random) -> Case:
    sha = hexs(rng, 40)
    body = flat(
        bk_checkout(rng, "acme/datahub", sha, "agent-small-3"),
        "$ .buildkite/steps/build.sh",
        "--- :docker: Pulling builder image",
        "$ docker pull golang:1.22-bookworm",
        docker_pull(rng, "golang:1.22-bookworm", 6),
        "--- :go: Building binaries",
        "+ go version",
        "go version go1.22.2 linux/amd64",
        "+ go build -trimpath -ldflags '-s -w -X main.version=2.9.0' -o bin/ ./cmd/...",
        go_downloads(
            [
                "cloud.google.com/go/bigquery v1.61.0",
                "github.com/apache/arrow/go/v15 v15.0.2",
                "github.com/aws/aws-sdk-go-v2 v1.26.1",
                "google.golang.org/grpc v1.63.2",
                "k8s.io/client-go v0.30.0",
            ]
        ),
        Sleep(140),
        "# github.com/acme/datahub/cmd/hub-export",
        "warning: ignoring symbol errorCount from internal/stats: duplicated in vendored copy",
        Sleep(70),
        cause(
            "github.com/acme/datahub/cmd/hub-server: /usr/local/go/pkg/tool/linux_amd64/link: signal: killed"
        ),
        "^^^ +++",
        "🚨 Error: The command exited with status 1",
        "~~~ Running global pre-exit hook",
        "$ /etc/buildkite-agent/hooks/pre-exit",
        "Memory at exit: 3.8G/4.0G used, 2 OOM kills recorded by the kernel since boot",
        "user command error: exit status 1",
    )
    lines = materialize(body, Clock(utc("2024-05-06T07:30:10.9"), rng), None)
    return Case(lines, "infrastructure", "link: signal: killed", exit_code=1)


# --- Azure Pipelines ----------------------------------------------------------------------------


@case("azure", "dotnet_cs0103_windows")
def az_dotnet(rng: random.Random) -> Case:
    s = "D:\\a\\1\\s"
    projects = ["Orders.Domain", "Orders.Infrastructure", "Orders.Contracts"]
    err = f"{s}\\src\\Orders.Api\\Controllers\\OrdersController.cs(57,20): error CS0103: The name 'orderSvc' does not exist in the current context [{s}\\src\\Orders.Api\\Orders.Api.csproj]"
    warn = f"{s}\\src\\Orders.Api\\Startup.cs(22,13): warning CS0618: 'JsonSerializerOptions.IgnoreNullValues' is obsolete: 'use DefaultIgnoreCondition instead' [{s}\\src\\Orders.Api\\Orders.Api.csproj]"
    build = flat(
        f'"C:\\Program Files\\dotnet\\dotnet.exe" build {s}\\Orders.sln "-dl:CentralLogger,\\"D:\\a\\_tasks\\DotNetCoreCLI_5541a522\\2.238.1\\dotnet-build-helpers\\Microsoft.TeamFoundation.DistributedTask.MSBuild.Logger.dll\\"*ForwardingLogger" --configuration Release -warnaserror:CS8600',
        "MSBuild version 17.9.8+b34f75857 for .NET",
        "  Determining projects to restore...",
        [
            f"  Restored {s}\\src\\{p}\\{p}.csproj (in {rng.uniform(0.3, 4):.2f} sec)."
            for p in projects
        ],
        f"  Restored {s}\\src\\Orders.Api\\Orders.Api.csproj (in 3.71 sec).",
        Sleep(20),
        [f"  {p} -> {s}\\src\\{p}\\bin\\Release\\net8.0\\{p}.dll" for p in projects],
        "##[warning]src\\Orders.Api\\Startup.cs(22,13): Warning CS0618: 'JsonSerializerOptions.IgnoreNullValues' is obsolete: 'use DefaultIgnoreCondition instead'",
        warn,
        cause(
            "##[error]src\\Orders.Api\\Controllers\\OrdersController.cs(57,20): Error CS0103: The name 'orderSvc' does not exist in the current context"
        ),
        also(err),
        "",
        "Build FAILED.",
        "",
        warn,
        also(err),
        "    1 Warning(s)",
        "    1 Error(s)",
        "",
        "Time Elapsed 00:00:41.27",
    )
    body = flat(
        az_init(rng, "Azure Pipelines 7", "windows-2022", "WIN-7H2KD93LQ1A"),
        az_task(
            "Checkout acme/orders@main to s",
            "Get sources",
            "Get sources from a repository. Supports Git, TfsVC, and SVN repositories.",
            "1.0.0",
            [
                "Syncing repository: acme/orders (GitHub)",
                "git version",
                "git version 2.44.0.windows.1",
                f'git init "{s}"',
                f"Initialized empty Git repository in {s}/.git/",
                "git remote add origin https://github.com/acme/orders",
                "git config gc.auto 0",
                'git -c http.extraheader="AUTHORIZATION: basic ***" fetch --force --tags --prune --prune-tags --progress --no-recurse-submodules origin --depth=1 +refs/heads/main:refs/remotes/origin/main',
                *git_remote_progress(rng, 1803, redraws=False),
                "git checkout --progress --force refs/remotes/origin/main",
                f"HEAD is now at {hexs(rng, 7)} Move order creation to the service layer",
            ],
        ),
        az_task(
            "Use .NET SDK 8.0.x",
            "Use .NET Core",
            "Acquires a specific version of the .NET Core SDK from the internet or the local cache and adds it to the PATH",
            "2.238.1",
            [
                "Tool to install: .NET Core sdk version 8.0.x.",
                "Found version 8.0.204 in channel 8.0 for user specified version spec: 8.0.x",
                "Version 8.0.204 was not found in cache.",
                "Getting URL to download .NET Core sdk version: 8.0.204.",
                "Detecting OS platform to find correct download package for the OS.",
                "Downloading: https://download.visualstudio.microsoft.com/download/pr/dotnet-sdk-8.0.204-win-x64.zip",
                "Extracting downloaded package D:\\a\\_temp\\" + uid(rng),
                "Successfully installed .NET Core sdk version 8.0.204.",
                "Creating global tool path and pre-pending to PATH.",
            ],
        ),
        az_task(
            "dotnet build",
            ".NET Core",
            "Build, test, package, or publish a dotnet application, or run a custom dotnet command",
            "2.238.1",
            build,
            [
                "##[error]Error: The process 'C:\\Program Files\\dotnet\\dotnet.exe' failed with exit code 1",
                f"##[error]Dotnet command failed with non-zero exit code on the following projects : {s}\\Orders.sln",
            ],
        ),
        "##[section]Starting: Post-job: Checkout acme/orders@main to s",
        "Cleaning any cached credential from repository: acme/orders (GitHub)",
        "##[section]Finishing: Post-job: Checkout acme/orders@main to s",
        "##[section]Starting: Finalize Job",
        "Cleaning up task key",
        "Start cleaning up orphan processes.",
        "Terminate orphan process: pid (6312) (VBCSCompiler)",
        "##[section]Finishing: Finalize Job",
        "##[section]Finishing: Job",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00.5"), rng), "azure")
    return Case(lines, "compile", "CS0103", exit_code=1, newline="\r\n")


@case("azure", "pytest_coverage_threshold")
def az_coverage(rng: random.Random) -> Case:
    src = "/home/vsts/work/1/s"
    files = [
        ("tests/test_models.py", "." * 38),
        ("tests/test_routes.py", "." * 51),
        ("tests/test_schemas.py", "." * 44 + "sss"),
        ("tests/test_tasks.py", "." * 27),
        ("tests/test_utils.py", "." * 54),
    ]
    modules = [
        ("app/__init__.py", 12, 0),
        ("app/models.py", 311, 14),
        ("app/routes/orders.py", 402, 61),
        ("app/routes/users.py", 288, 44),
        ("app/schemas.py", 190, 3),
        ("app/tasks/export.py", 244, 121),
        ("app/utils/errors.py", 58, 2),
        ("app/utils/dates.py", 77, 0),
    ]
    tot_s = sum(m[1] for m in modules)
    tot_m = sum(m[2] for m in modules)
    cov_rows = [f"{n:<28}{s:>7}{m:>7}{100 * (s - m) // s:>6}%" for n, s, m in modules]
    script = flat(
        "Generating script.",
        "========================== Starting Command Output ===========================",
        f"/usr/bin/bash --noprofile --norc /home/vsts/work/_temp/{uid(rng)}.sh",
        pytest_header(src, 217, plugins="cov-5.0.0, xdist-3.5.0"),
        pytest_progress(files),
        "",
        "---------- coverage: platform linux, python 3.12.3-final-0 -----------",
        f"{'Name':<28}{'Stmts':>7}{'Miss':>7}{'Cover':>7}",
        "-" * 49,
        cov_rows,
        "-" * 49,
        f"{'TOTAL':<28}{tot_s:>7}{tot_m:>7}{100 * (tot_s - tot_m) // tot_s:>6}%",
        "Coverage XML written to file coverage.xml",
        "",
        cause(
            f"FAIL Required test coverage of 90% not reached. Total coverage: {100 * (tot_s - tot_m) / tot_s:.2f}%"
        ),
        f"{GREEN}======================= {GREEN}{BOLD}214 passed{RESET}, {YELLOW}3 skipped{RESET}{GREEN} in 38.21s{RESET}{GREEN} ========================{RESET}",
    )
    body = flat(
        az_init(rng),
        az_task(
            "Checkout acme/portal@main to s",
            "Get sources",
            "Get sources from a repository. Supports Git, TfsVC, and SVN repositories.",
            "1.0.0",
            [
                "Syncing repository: acme/portal (GitHub)",
                f'git init "{src}"',
                "git remote add origin https://github.com/acme/portal",
                'git -c http.extraheader="AUTHORIZATION: basic ***" fetch --force --tags --prune --progress --no-recurse-submodules origin --depth=1',
                *git_remote_progress(rng, 930),
                f"HEAD is now at {hexs(rng, 7)} Export invoices in the background",
            ],
        ),
        az_task(
            "Use Python 3.12",
            "Use Python version",
            "Use the specified version of Python from the tool cache, optionally adding it to the PATH",
            "0.238.1",
            [
                "Found tool in cache: Python 3.12.3 x64",
                "Prepending PATH environment variable with directory: /opt/hostedtoolcache/Python/3.12.3/x64",
            ],
        ),
        az_task(
            "Install dependencies",
            "Command line",
            "Run a command line script using Bash on Linux and macOS and cmd.exe on Windows",
            "2.231.1",
            flat(
                "========================== Starting Command Output ===========================",
                pip_install(
                    rng,
                    [
                        ("fastapi", "0.110.3"),
                        ("pydantic", "2.7.1"),
                        ("sqlalchemy", "2.0.29"),
                        ("pytest", "8.2.0"),
                        ("pytest-cov", "5.0.0"),
                        ("coverage", "7.5.0"),
                    ],
                    cached=3,
                ),
            ),
        ),
        az_task(
            "Run tests",
            "Command line",
            "Run a command line script using Bash on Linux and macOS and cmd.exe on Windows",
            "2.231.1",
            script,
            "##[error]Bash exited with code '1'.",
        ),
        az_task(
            "Publish test results",
            "Publish Test Results",
            "Publish test results to Azure Pipelines",
            "2.238.0",
            [
                "Result Attachments will be stored in LogStore",
                "Run Attachments will be stored in LogStore",
                "Async Command Start: Publish test results",
                "Publishing test results to test run '1048213'.",
                "TestResults To Publish 217, Test run id:1048213",
                "Test results publishing 217, remaining: 0. Test run id: 1048213",
                "Published Test Run : https://dev.azure.com/acme/portal/_TestManagement/Runs?runId=1048213&_a=runCharts",
                "Async Command End: Publish test results",
            ],
        ),
        "##[section]Starting: Finalize Job",
        "Cleaning up task key",
        "Start cleaning up orphan processes.",
        "##[section]Finishing: Finalize Job",
        "##[section]Finishing: test_linux",
    )
    lines = materialize(body, Clock(utc("2024-05-01T09:00:00.5"), rng), "azure")
    return Case(lines, "test", "Required test coverage of 90% not reached", exit_code=1)


# --- CircleCI -----------------------------------------------------------------------------------


@case("circleci", "node_heap_oom")
def cc_heap_oom(rng: random.Random) -> Case:
    body = flat(
        cc_spinup(rng, "cimg/node:20.12"),
        cc_env(rng, "acme/dashboard"),
        cc_checkout(rng, "acme/dashboard"),
        "Restoring cache",
        f"Found a cache from build {rng.randint(10000, 50000)} at npm-v3-{hexs(rng, 44)}",
        "Size: 412 MiB",
        "Cached paths:",
        "  * /home/circleci/.npm",
        "",
        "Downloading cache archive...",
        "Validating cache...",
        "",
        "Unarchiving cache...",
        "",
        cc_run("Install dependencies", ["npm ci"], npm_ci(rng, 2211, warns=5)),
        cc_run(
            "Build",
            ["npm run build"],
            [
                "",
                "> dashboard@7.2.0 build",
                "> next build",
                "",
                "  ▲ Next.js 14.2.3",
                "  - Environments: .env.production",
                "",
                "   Creating an optimized production build ...",
                "Browserslist: caniuse-lite is outdated. Please run:",
                "  npx update-browserslist-db@latest",
                "  Why you should do it regularly: https://github.com/browserslist/update-db#readme",
                Sleep(160),
                "",
                "<--- Last few GCs --->",
                "",
                f"[{rng.randint(100, 999)}:0x{hexs(rng, 7)}]   152213 ms: Mark-Compact 2001.3 (2083.1) -> 1998.7 (2084.4) MB, 1311.02 / 0.00 ms  (average mu = 0.121, current mu = 0.032) allocation failure; scavenge might not succeed",
                f"[{rng.randint(100, 999)}:0x{hexs(rng, 7)}]   153611 ms: Mark-Compact 2014.9 (2084.4) -> 2011.2 (2097.6) MB, 1372.55 / 0.00 ms  (average mu = 0.077, current mu = 0.018) allocation failure; scavenge might not succeed",
                "",
                "",
                "<--- JS stacktrace --->",
                "",
                cause(
                    "FATAL ERROR: Reached heap limit Allocation failed - JavaScript heap out of memory"
                ),
                " 1: 0xc99970 node::Abort() [/usr/local/bin/node]",
                " 2: 0xb6ffcb  [/usr/local/bin/node]",
                " 3: 0xebe910 v8::Utils::ReportOOMFailure(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [/usr/local/bin/node]",
                " 4: 0xebebf7 v8::internal::V8::FatalProcessOutOfMemory(v8::internal::Isolate*, char const*, v8::OOMDetails const&) [/usr/local/bin/node]",
                " 5: 0x10d06a5  [/usr/local/bin/node]",
                " 6: 0x10e8528 v8::internal::Heap::CollectGarbage(v8::internal::AllocationSpace, v8::internal::GarbageCollectionReason, v8::GCCallbackFlags) [/usr/local/bin/node]",
                "Aborted (core dumped)",
            ],
            exit_code=134,
        ),
        "Uploading artifacts",
        "Uploading /home/circleci/project/.next/trace to .next/trace",
        "  No artifact files found at /home/circleci/project/.next/trace",
        "Total size uploaded: 0 B",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "infrastructure", "JavaScript heap out of memory", exit_code=134)


@case("circleci", "golangci_lint")
def cc_golangci(rng: random.Random) -> Case:
    body = flat(
        cc_spinup(rng, "cimg/go:1.22"),
        cc_env(rng, "acme/notifier"),
        cc_checkout(rng, "acme/notifier"),
        "Restoring cache",
        f"Found a cache from build {rng.randint(10000, 50000)} at go-mod-v4-{hexs(rng, 40)}",
        "Size: 188 MiB",
        "Cached paths:",
        "  * /home/circleci/go/pkg/mod",
        "",
        "Downloading cache archive...",
        "Unarchiving cache...",
        "",
        cc_run(
            "Install golangci-lint",
            [
                "curl -sSfL https://raw.githubusercontent.com/golangci/golangci-lint/master/install.sh | sh -s -- -b $(go env GOPATH)/bin v1.57.2"
            ],
            [
                "golangci/golangci-lint info checking GitHub for tag 'v1.57.2'",
                "golangci/golangci-lint info found version: 1.57.2 for v1.57.2/linux/amd64",
                "golangci/golangci-lint info installed /home/circleci/go/bin/golangci-lint",
            ],
        ),
        cc_run(
            "Lint",
            ["golangci-lint run --timeout 5m ./..."],
            [
                Sleep(48),
                'level=warning msg="[config_reader] The configuration option `run.skip-dirs` is deprecated, please use `issues.exclude-dirs`."',
                cause(
                    "internal/dispatch/slack.go:88:12: Error return value of `resp.Body.Close` is not checked (errcheck)"
                ),
                "\tdefer resp.Body.Close()",
                "\t                     ^",
                "internal/dispatch/email.go:41:2: ineffectual assignment to err (ineffassign)",
                "\terr = tmpl.Execute(&buf, msg)",
                "\t^",
                "internal/store/errors.go:17:6: type `notFoundErr` is unused (unused)",
                "type notFoundErr struct{ key string }",
                "     ^",
            ],
            exit_code=1,
        ),
        "Uploading test results",
        "Archiving the following test results",
        "  * /home/circleci/project/test-results",
        "",
        "",
        "Found no path with test results, skipping",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "lint", "internal/dispatch/slack.go:88:12", exit_code=1)


# --- Drone / Woodpecker -------------------------------------------------------------------------


def drone_step(name: str, lines: list) -> list:
    out: list = []
    n = 0
    for item in flat(lines):
        if isinstance(item, Sleep):
            out.append(item)
            continue
        out.append(retag(item, f"[{name}:{n}] {item}"))
        n += 1
    return out


@case("drone", "clippy_deny_warnings")
def drone_clippy(rng: random.Random) -> Case:
    sha = hexs(rng, 40)
    body = flat(
        drone_step(
            "clone",
            [
                "+ git init",
                "Initialized empty Git repository in /drone/src/.git/",
                "+ git remote add origin https://git.acme.io/net/router.git",
                "+ git fetch origin +refs/heads/main:",
                "From https://git.acme.io/net/router",
                " * branch            main       -> FETCH_HEAD",
                " * [new branch]      main       -> origin/main",
                f"+ git checkout {sha} -b main",
                "Switched to a new branch 'main'",
            ],
        ),
        drone_step(
            "fmt", ["+ cargo fmt --all -- --check", "+ echo 'formatting ok'", "formatting ok"]
        ),
        drone_step(
            "clippy",
            flat(
                "+ cargo clippy --all-targets --locked -- -D warnings",
                cargo_fetch(
                    rng,
                    [
                        "tokio v1.37.0",
                        "tracing v0.1.40",
                        "serde v1.0.200",
                        "hyper v1.3.1",
                        "bytes v1.6.0",
                        "ipnet v2.9.0",
                        "thiserror v1.0.59",
                    ],
                ),
                cargo_compiling(
                    [
                        "proc-macro2 v1.0.81",
                        "unicode-ident v1.0.12",
                        "libc v0.2.154",
                        "quote v1.0.36",
                        "syn v2.0.60",
                        "thiserror-impl v1.0.59",
                        "thiserror v1.0.59",
                        "tokio v1.37.0",
                        "tracing v0.1.40",
                        "ipnet v2.9.0",
                    ]
                ),
                "    Checking router v0.6.1 (/drone/src)",
                Sleep(20),
                cause("error: this `if` has identical blocks"),
                also("  --> src/table.rs:77:33"),
                "   |",
                "77 |           if prefix.len() > best {",
                "   |  _________________________________^",
                "78 | |             best = prefix.len();",
                "79 | |         } else if prefix.addr() == route.addr() {",
                "   | |_________^",
                "   |",
                "   = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#if_same_then_else",
                "   = note: `-D clippy::if-same-then-else` implied by `-D warnings`",
                "   = help: to override `-D warnings` add `#[allow(clippy::if_same_then_else)]`",
                "",
                "error: the borrowed expression implements the required traits",
                "   --> src/errors.rs:31:28",
                "    |",
                '31  |         write!(f, "{}", &self.0)',
                "    |                            ^^^^^^^ help: change this to: `self.0`",
                "",
                "error: could not compile `router` (lib) due to 2 previous errors",
            ),
        ),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "lint", "identical blocks")


@case("drone", "woodpecker_docker_push_denied")
def drone_push_denied(rng: random.Random) -> Case:
    layers = [hexs(rng, 12) for _ in range(7)]
    image = "registry.acme.io/payments/gateway"
    body = flat(
        drone_step(
            "clone",
            [
                "+ git init --object-format sha1 -b main",
                "Initialized empty Git repository in /woodpecker/src/git.acme.io/payments/gateway/.git/",
                "+ git config --global --replace-all safe.directory /woodpecker/src/git.acme.io/payments/gateway",
                "+ git remote add origin https://git.acme.io/payments/gateway.git",
                "+ git fetch --no-tags --depth=1 --filter=tree:0 origin +" + hexs(rng, 40) + ":",
                "From https://git.acme.io/payments/gateway",
                "+ git reset --hard -q " + hexs(rng, 40),
                "+ git submodule update --init --recursive --depth=1 --recommend-shallow",
            ],
        ),
        drone_step(
            "publish",
            flat(
                "+ /usr/local/bin/dockerd --data-root /var/lib/docker --host=unix:///var/run/docker.sock",
                "Detected registry credentials",
                "+ /usr/local/bin/docker version",
                "Client:",
                " Version:           24.0.9",
                " API version:       1.43",
                " Go version:        go1.20.13",
                "Server:",
                " Engine:",
                "  Version:          24.0.9",
                "+ /usr/local/bin/docker build --rm=true -f Dockerfile -t gateway:ci . --pull=true --label org.opencontainers.image.revision="
                + hexs(rng, 40),
                "Sending build context to Docker daemon  7.912MB",
                "Step 1/9 : FROM golang:1.22-alpine AS build",
                docker_pull(rng, "golang:1.22-alpine", 4),
                " ---> " + hexs(rng, 12),
                "Step 2/9 : WORKDIR /src",
                " ---> Running in " + hexs(rng, 12),
                "Step 3/9 : COPY go.mod go.sum ./",
                "Step 4/9 : RUN go mod download",
                Sleep(25),
                "Step 5/9 : COPY . .",
                "Step 6/9 : RUN CGO_ENABLED=0 go build -o /gateway ./cmd/gateway",
                Sleep(40),
                "Step 7/9 : FROM gcr.io/distroless/static:nonroot",
                "Step 8/9 : COPY --from=build /gateway /gateway",
                'Step 9/9 : ENTRYPOINT ["/gateway"]',
                f"Successfully built {hexs(rng, 12)}",
                "Successfully tagged gateway:ci",
                f"+ /usr/local/bin/docker tag gateway:ci {image}:1.18.0",
                f"+ /usr/local/bin/docker tag gateway:ci {image}:latest",
                f"+ /usr/local/bin/docker push {image}:1.18.0",
                f"The push refers to repository [{image}]",
                [f"{x}: Preparing" for x in layers],
                [f"{x}: Waiting" for x in layers[3:]],
                cause("denied: requested access to the resource is denied"),
                'time="2024-05-01T10:04:13Z" level=fatal msg="exit status 1"',
            ),
        ),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "credentials", "requested access to the resource is denied", exit_code=1)


# --- TeamCity -----------------------------------------------------------------------------------


def tc_preamble(rng: random.Random, agent: str, work: str, vcs: str) -> list:
    return [
        tc("TeamCity server version is 2024.03.1 (build 152226)", kind="i"),
        tc("The build is removed from the queue to be prepared for the start"),
        tc("Collecting changes in 1 VCS root (1s)"),
        tc("\t [Collecting changes in 1 VCS root] VCS Root details"),
        tc(
            f'\t\t [VCS Root details] "{vcs}" {{instance id=411, parent internal id=12, parent id=Acme_Billing_Git, description: "{vcs}"}}'
        ),
        tc(f'Starting the build on the agent "{agent}"'),
        tc("Updating tools for build"),
        tc("Clearing temporary directory: /opt/buildagent/temp/buildTmp"),
        tc("Publishing internal artifacts"),
        tc("\t [Publishing internal artifacts] Publishing 1 file using [WebPublisher]"),
        tc("\t [Publishing internal artifacts] Publishing 1 file using [ArtifactsCachePublisher]"),
        tc(f"Using vcs information from agent file: {hexs(rng, 16)}.xml"),
        tc(f"Checkout directory: {work}"),
        tc("Updating sources: auto checkout (on agent) (2s)"),
        tc("\t [Updating sources] Will use agent side checkout"),
        tc(f"\t [Updating sources] Using vcs information from agent file: {hexs(rng, 16)}.xml"),
        tc("\t [Updating sources] Repository sources transferred: 18.41 MB total"),
        tc(f'\t [Updating sources] Updating "{vcs}" {{instance id=411}} VCS root'),
        tc(f'\t\t [Updating "{vcs}" VCS root] git version: 2.43.0 (/usr/bin/git)'),
        tc(
            f"\t\t [Updating \"{vcs}\" VCS root] The .git directory is missing in '{work}'. Running 'git init'..."
        ),
        tc(
            f'\t\t [Updating "{vcs}" VCS root] /usr/bin/git fetch --recurse-submodules=no origin +refs/heads/main:refs/remotes/origin/main'
        ),
        tc(f"\t\t [Updating \"{vcs}\" VCS root] Update branch 'main' to {hexs(rng, 40)}, checkout"),
        tc("Step 1/3: Set version (Command Line)"),
        tc(
            "Starting: /opt/buildagent/temp/agentTmp/custom_script"
            + str(rng.randint(10**17, 10**18)),
            "Step 1/3",
        ),
        tc(f"in directory: {work}", "Step 1/3"),
        tc("##teamcity[setParameter name='env.APP_VERSION' value='3.8.1']", "Step 1/3"),
        tc("##teamcity[buildNumber '3.8.1+412']", "Step 1/3"),
        tc("Process exited with code 0", "Step 1/3"),
    ]


@case("teamcity", "kotlin_unresolved_reference")
def tc_kotlin(rng: random.Random) -> Case:
    work = f"/opt/buildagent/work/{hexs(rng, 16)}"
    step = "Step 2/3"
    gradle = [
        tc("Step 2/3: Build (Gradle)"),
        tc("Gradle Daemon JVM: /usr/lib/jvm/temurin-17-jdk-amd64", step),
        tc(
            "Starting: /usr/lib/jvm/temurin-17-jdk-amd64/bin/java -Dorg.gradle.daemon=false -Dorg.gradle.workers.max=4 -jar /opt/buildagent/plugins/gradle-runner/lib/gradle-launcher.jar --init-script /opt/buildagent/plugins/gradle-runner/scripts/init.gradle -Dteamcity.build.id=918242 clean build",
            step,
        ),
        tc(f"in directory: {work}", step),
        tc("Welcome to Gradle 8.7!", step),
        tc("Starting a Gradle Daemon (subsequent builds will be faster)", step),
        Sleep(9),
        tc(":billing-api:checkKotlinGradlePluginConfigurationErrors", step),
        tc(":billing-core:checkKotlinGradlePluginConfigurationErrors", step),
        tc(":billing-core:processResources", step),
        tc(":billing-core:compileKotlin", step),
        tc(
            "w: file://"
            + work
            + "/billing-core/src/main/kotlin/com/acme/billing/Money.kt:19:9 Variable 'scale' is never used",
            step,
            "W",
            2,
        ),
        tc(":billing-core:compileJava NO-SOURCE", step),
        tc(":billing-core:classes", step),
        tc(":billing-core:jar", step),
        tc(":billing-api:processResources", step),
        tc(":billing-api:compileKotlin", step),
        Sleep(14),
        cause(
            tc(
                "e: file://"
                + work
                + "/billing-api/src/main/kotlin/com/acme/billing/api/InvoiceController.kt:57:23 Unresolved reference: taxRate",
                step,
                "E",
                2,
            )
        ),
        tc(
            "e: file://"
            + work
            + "/billing-api/src/main/kotlin/com/acme/billing/api/InvoiceController.kt:58:9 Unresolved reference: applyRounding",
            step,
            "E",
            2,
        ),
        tc("Compilation error. See log for more details", step, "E"),
        tc(":billing-api:compileKotlin FAILED", step, "E"),
        tc("", step),
        tc("FAILURE: Build failed with an exception.", step, "E"),
        tc("", step),
        tc("* What went wrong:", step, "E"),
        tc("Execution failed for task ':billing-api:compileKotlin'.", step, "E"),
        tc(
            "> A failure occurred while executing org.jetbrains.kotlin.compilerRunner.GradleCompilerRunnerWithWorkers$GradleKotlinCompilerWorkAction",
            step,
            "E",
        ),
        tc("   > Compilation error. See log for more details", step, "E"),
        tc("", step),
        tc("* Try:", step),
        tc("> Run with --stacktrace option to get the stack trace.", step),
        tc("> Run with --info or --debug option to get more log output.", step),
        tc("> Run with --scan to get full insights.", step),
        tc("> Get more help at https://help.gradle.org.", step),
        tc("", step),
        tc("BUILD FAILED in 43s", step),
        tc("9 actionable tasks: 9 executed", step),
        tc("Process exited with code 1", step, "E"),
        tc("Gradle exited with code 1", step, "E"),
        tc("Step 2/3: Build (Gradle) failed", kind="E"),
        tc("Step 3/3: Publish (Command Line)"),
        tc(
            "Build step Publish (Command Line) is skipped because the previous step has failed",
            "Step 3/3",
        ),
        tc("Publishing internal artifacts"),
        tc("\t [Publishing internal artifacts] Publishing 1 file using [WebPublisher]"),
        tc("Publishing artifacts"),
        tc(
            "\t [Publishing artifacts] Collecting files to publish: [+:build/reports => reports.zip]"
        ),
        tc("Build finished"),
    ]
    body = flat(tc_preamble(rng, "linux-agent-12", work, "billing (git)"), gradle)
    lines = materialize(body, Clock(utc("2024-05-01T14:02:11"), rng, (0.01, 0.4)), "teamcity")
    return Case(lines, "compile", "InvoiceController.kt:57:23", exit_code=1)


@case("teamcity", "dotnet_test_service_messages")
def tc_dotnet_test(rng: random.Random) -> Case:
    work = f"/opt/buildagent/work/{hexs(rng, 16)}"
    step = "Step 2/3"
    flow = str(rng.randint(10**6, 10**7))
    suite = "Billing.Tests.dll"
    passed = [
        "Invoice_HasNumber",
        "Invoice_DefaultsToDraft",
        "Total_SumsLines",
        "Total_HandlesEmpty",
        "Tax_UsesRegionRate",
        "ErrorResponse_MapsToProblemDetails",
        "Discount_CapsAtHundredPercent",
    ]
    tests: list = []
    for t in passed[:4]:
        tests += [
            tc(
                f"##teamcity[testStarted name='Billing.Tests.InvoiceTests.{t}' captureStandardOutput='false' flowId='{flow}']",
                step,
                depth=2,
            ),
            tc(
                f"##teamcity[testFinished name='Billing.Tests.InvoiceTests.{t}' duration='{rng.randint(1, 40)}' flowId='{flow}']",
                step,
                depth=2,
            ),
        ]
    name = "Billing.Tests.InvoiceTests.Total_RoundsHalfUp"
    tests += [
        tc(
            f"##teamcity[testStarted name='{name}' captureStandardOutput='false' flowId='{flow}']",
            step,
            depth=2,
        ),
        cause(
            tc(
                f"##teamcity[testFailed name='{name}' message='Assert.Equal() Failure: Values differ|nExpected: 10.05|nActual:   10.04' details='   at Billing.Tests.InvoiceTests.Total_RoundsHalfUp() in {work}/tests/Billing.Tests/InvoiceTests.cs:line 33|n' flowId='{flow}']",
                step,
                "E",
                2,
            )
        ),
        tc(f"##teamcity[testFinished name='{name}' duration='12' flowId='{flow}']", step, depth=2),
        also(tc(f"  Failed {name} [12 ms]", step, "E", 2)),
        tc("  Error Message:", step, "E", 2),
        also(tc("   Assert.Equal() Failure: Values differ", step, "E", 2)),
        tc("Expected: 10.05", step, "E", 2),
        tc("Actual:   10.04", step, "E", 2),
        tc("  Stack Trace:", step, "E", 2),
        tc(f"     at {name}() in {work}/tests/Billing.Tests/InvoiceTests.cs:line 33", step, "E", 2),
        tc(
            "   at System.RuntimeMethodHandle.InvokeMethod(Object target, Void** arguments, Signature sig, Boolean isConstructor)",
            step,
            "E",
            2,
        ),
    ]
    for t in passed[4:]:
        tests += [
            tc(
                f"##teamcity[testStarted name='Billing.Tests.InvoiceTests.{t}' captureStandardOutput='false' flowId='{flow}']",
                step,
                depth=2,
            ),
            tc(
                f"##teamcity[testFinished name='Billing.Tests.InvoiceTests.{t}' duration='{rng.randint(1, 40)}' flowId='{flow}']",
                step,
                depth=2,
            ),
        ]
    run = flat(
        tc("Step 2/3: Test (.NET)"),
        tc(
            f'Starting: /usr/share/dotnet/dotnet test {work}/Billing.sln --configuration Release --logger "teamcity" --logger "console;verbosity=normal"',
            step,
        ),
        tc(f"in directory: {work}", step),
        tc("  Determining projects to restore...", step),
        tc("  All projects are up-to-date for restore.", step),
        Sleep(20),
        tc(f"  Billing -> {work}/src/Billing/bin/Release/net8.0/Billing.dll", step),
        tc(
            f"  Billing.Tests -> {work}/tests/Billing.Tests/bin/Release/net8.0/Billing.Tests.dll",
            step,
        ),
        tc(f"##teamcity[testSuiteStarted name='{suite}' flowId='{flow}']", step),
        tc(
            "Test run for /opt/buildagent/work/tests/Billing.Tests/bin/Release/net8.0/Billing.Tests.dll (.NETCoreApp,Version=v8.0)",
            step,
        ),
        tc("VSTest version 17.9.0 (x64)", step),
        tc("Starting test execution, please wait...", step),
        tc("A total of 1 test files matched the specified pattern.", step),
        tests,
        tc(f"##teamcity[testSuiteFinished name='{suite}' flowId='{flow}']", step),
        tc("", step),
        tc(
            "Failed!  - Failed:     1, Passed:    10, Skipped:     0, Total:    11, Duration: 212 ms - Billing.Tests.dll (net8.0)",
            step,
            "E",
        ),
        tc("Process exited with code 1", step, "E"),
        tc("Step 2/3: Test (.NET) failed", kind="E"),
        tc("Step 3/3: Pack (.NET)"),
        tc("Build step Pack (.NET) is skipped because the previous step has failed", "Step 3/3"),
        tc("Publishing internal artifacts"),
        tc("Build finished"),
    )
    body = flat(tc_preamble(rng, "linux-agent-04", work, "billing-dotnet (git)"), run)
    lines = materialize(body, Clock(utc("2024-05-02T08:15:40"), rng, (0.01, 0.3)), "teamcity")
    return Case(lines, "test", "Total_RoundsHalfUp", [name], 1)


@case("github_actions", "registry_push_denied")
def gha_registry_push_denied(rng: random.Random) -> Case:
    image = f"ghcr.io/acme/billing-api:sha-{hexs(rng, 7)}"
    layers = [f"{hexs(rng, 12)}: Preparing" for _ in range(4)]
    steps = flat(
        gha_run(
            f"docker build -t {image} .",
            [
                '#0 building with "default" instance using docker driver',
                "#1 [internal] load build definition from Dockerfile",
                "#1 DONE 0.0s",
                "#9 exporting to image",
                f"#9 naming to {image} done",
                "#9 DONE 1.4s",
            ],
        ),
        gha_run(
            f"docker push {image}",
            [
                "The push refers to repository [ghcr.io/acme/billing-api]",
                *layers,
                cause("denied: permission_denied: write_package"),
            ],
            exit_code=1,
        ),
    )
    lines = gha_job(rng, "acme/billing-api", "publish", steps, "2024-05-03T07:41:02.2")
    return Case(lines, "credentials", "permission_denied: write_package", None, 1)


@case("github_actions", "vitest_diff")
def gha_vitest_diff(rng: random.Random) -> Case:
    """A vitest failure whose diff prints `+ ]`: not a shell trace, the step runs vitest."""
    steps = flat(
        gha_run("npm ci", npm_ci(rng, 612)),
        gha_run(
            "npx vitest run",
            [
                " RUN  v2.1.8 /home/runner/work/shop/shop",
                "",
                " ✓ src/utils/format.test.ts (12 tests) 9ms",
                " ❯ src/store/cart.test.ts (4 tests | 1 failed) 21ms",
                cause("   × cart store > removes an item when quantity reaches zero 8ms"),
                also("     → expected [ { id: 'sku-1', qty: +0 } ] to deeply equal []"),
                "",
                "⎯⎯⎯⎯⎯⎯⎯ Failed Tests 1 ⎯⎯⎯⎯⎯⎯⎯",
                "",
                also(
                    " FAIL  src/store/cart.test.ts > cart store > removes an item when quantity reaches zero"
                ),
                also("AssertionError: expected [ { id: 'sku-1', qty: +0 } ] to deeply equal []"),
                "",
                "- Expected",
                "+ Received",
                "",
                "- []",
                "+ [",
                "+   {",
                '+     "id": "sku-1",',
                '+     "qty": 0,',
                "+   },",
                "+ ]",
                "",
                " ❯ src/store/cart.test.ts:41:32",
                "     39|     cart.add('sku-1');",
                "     40|     cart.decrement('sku-1');",
                "     41|     expect(cart.items).toEqual([]);",
                "       |                                ^",
                "",
                " Test Files  1 failed | 1 passed (2)",
                "      Tests  1 failed | 15 passed (16)",
            ],
            exit_code=1,
        ),
    )
    lines = gha_job(rng, "acme/shop", "unit", steps, "2024-05-03T09:12:40.7")
    return Case(lines, "test", "removes an item when quantity reaches zero", None, 1)


@case("github_actions", "clippy_warnings_denied")
def gha_clippy(rng: random.Random) -> Case:
    """Clippy's own lint message carries no category word: the step's command does."""
    steps = flat(
        gha_run(
            "cargo clippy --all-targets -- -D warnings",
            [
                "    Updating crates.io index",
                "   Compiling serde v1.0.217",
                "    Checking tokio v1.43.0",
                "    Checking ledger v0.3.1 (/home/runner/work/ledger/ledger)",
                cause("error: this `if` has identical blocks"),
                also("  --> src/journal.rs:118:29"),
                "    |",
                "118 |         if entry.is_credit() { total += entry.amount } else { total += entry.amount }",
                "    |                             ^^^^^^^^^^^^^^^^^^^^^^^^",
                "    |",
                "    = help: for further information visit https://rust-lang.github.io/rust-clippy/master/index.html#if_same_then_else",
                "",
                "error: could not compile `ledger` (lib) due to 1 previous error",
            ],
            exit_code=101,
        ),
    )
    lines = gha_job(rng, "acme/ledger", "lint", steps, "2024-05-03T11:02:10.1")
    return Case(lines, "lint", "identical blocks", None, 101)


@case("github_actions", "precommit_hook_failed")
def gha_precommit(rng: random.Random) -> Case:
    """The formatter's own summary ("1 file reformatted") reads like success: the hook's
    `Failed` line is the cause."""
    steps = flat(
        gha_run(
            "pre-commit run --all-files --show-diff-on-failure",
            [
                "[INFO] Initializing environment for https://github.com/psf/black.",
                "[INFO] Installing environment for https://github.com/psf/black.",
                "[INFO] Once installed this environment will be reused.",
                "trim trailing whitespace.................................................Passed",
                "fix end of files.........................................................Passed",
                "check yaml...............................................................Passed",
                cause(
                    "black....................................................................Failed"
                ),
                also("- hook id: black"),
                also("- files were modified by this hook"),
                "",
                also("reformatted src/app/views.py"),
                "",
                "All done! ✨ 🍰 ✨",
                "1 file reformatted, 57 files left unchanged.",
                "",
                "flake8...................................................................Passed",
            ],
            exit_code=1,
        ),
    )
    lines = gha_job(rng, "acme/portal", "lint", steps, "2024-05-04T08:20:11.3")
    return Case(lines, "lint", "black", None, 1)


@case("github_actions", "docker_build_npm_eresolve")
def gha_docker_build_eresolve(rng: random.Random) -> Case:
    """`docker build` inside a job: each line carries the CI's stamp and then BuildKit's clock;
    BuildKit's closing `failed to solve ... did not complete successfully` is a cascade."""
    steps = flat(
        gha_run(
            "docker build -t acme/web:ci .",
            [
                '#0 building with "default" instance using docker driver',
                "#1 [internal] load build definition from Dockerfile",
                "#1 transferring dockerfile: 512B done",
                "#1 DONE 0.0s",
                "#8 [build 4/6] RUN npm ci",
                "#8 0.912 npm warn deprecated inflight@1.0.6: This module is not supported, and leaks memory.",
                cause("#8 4.113 npm error code ERESOLVE"),
                also("#8 4.114 npm error ERESOLVE could not resolve"),
                "#8 4.114 npm error",
                "#8 4.114 npm error While resolving: @acme/web@2.0.0",
                also("#8 4.114 npm error Found: react@19.0.0"),
                also("#8 4.115 npm error Could not resolve dependency:"),
                also('#8 4.115 npm error peer react@"^18.0.0" from react-router-dom@6.22.0'),
                "#8 4.120 npm error A complete log of this run can be found in: /root/.npm/_logs/2024-05-04T10_00_04_000Z-debug-0.log",
                '#8 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
                "------",
                " > [build 4/6] RUN npm ci:",
                "4.114 npm error Found: react@19.0.0",
                "4.115 npm error Could not resolve dependency:",
                "------",
                "Dockerfile:9",
                "--------------------",
                "   8 |     ",
                "   9 | >>> RUN npm ci",
                "  10 |     COPY . .",
                "--------------------",
                'ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 1',
            ],
            exit_code=1,
        ),
    )
    lines = gha_job(rng, "acme/web", "image", steps, "2024-05-04T10:00:00.5")
    return Case(lines, "dependency", "ERESOLVE", None, 1)


@case("github_actions", "codecov_token_required")
def gha_codecov(rng: random.Random) -> Case:
    """A tool's own log levels (`info - ...`, `error - ...`): the error line is the cause,
    though its words alone ("error", "failed") weigh little."""
    stamp = "2024-05-04 12:00:0{}"
    steps = flat(
        gha_run(
            "codecov/codecov-action@v4",
            [
                "==> linux OS detected",
                "https://cli.codecov.io/latest/linux/codecov.SHA256SUM",
                "==> Running command '/home/runner/work/_actions/codecov/codecov-action/v4/dist/codecov upload-process'",
                f"info - {stamp.format(0)},118 -- ci service found: github-actions",
                f"info - {stamp.format(1)},402 -- Found 1 coverage files to report",
                cause(
                    f"error - {stamp.format(2)},977 -- Upload failed: "
                    '{"message":"Token required because branch is protected"}'
                ),
                "##[error]Codecov: Failed to properly upload report: The process "
                "'/home/runner/work/_actions/codecov/codecov-action/v4/dist/codecov' failed with exit code 1",
            ],
        ),
    )
    lines = gha_job(rng, "acme/ledger", "coverage", steps, "2024-05-04T12:00:00.1")
    return Case(lines, "credentials", "Token required", None, 1)


@case("github_actions", "setup_python_version_missing")
def gha_setup_python_missing(rng: random.Random) -> Case:
    """An action fails with its own message as GitHub's error annotation, and no exit-code
    marker: the annotation is the cause, not the hint printed after it."""
    steps = flat(
        gha_run(
            "actions/setup-python@v5",
            [
                "Installed versions",
                "Version 3.7 was not found in the local cache",
                cause(
                    "##[error]The version '3.7' with architecture 'x64' was not found for Ubuntu 24.04."
                ),
                "The list of all available versions can be found here: "
                "https://raw.githubusercontent.com/actions/python-versions/main/versions-manifest.json",
            ],
        ),
    )
    lines = gha_job(rng, "acme/legacy-etl", "test (3.7)", steps, "2024-05-04T13:30:00.2")
    return Case(lines, "config", "was not found", None, None)
