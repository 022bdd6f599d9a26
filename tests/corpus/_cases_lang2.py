# ruff: noqa: E501
"""Cases grouped by ecosystem: Ruby, PHP, Elixir, Swift, Haskell, R and Perl."""

from __future__ import annotations

import random

from _cases_ci import bk_checkout
from _logkit import (
    BCYAN,
    BOLD,
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
    cc_checkout,
    cc_env,
    cc_run,
    cc_spinup,
    flat,
    gha_action,
    gha_job,
    gha_run,
    git_remote_progress,
    gl_cmd,
    gl_simple,
    hexs,
    jk_cleanws,
    jk_simple,
    materialize,
    redraw,
    tv_cmd,
    tv_done,
    tv_header,
    utc,
)

# --- Ruby ---------------------------------------------------------------------------------------


@case("ruby", "bundler_gem_not_found")
def rb_bundler(rng: random.Random) -> Case:
    ruby = "/opt/hostedtoolcache/Ruby/3.3.1/x64"
    gems = [
        "rake 13.2.1",
        "concurrent-ruby 1.2.3",
        "i18n 1.14.4",
        "minitest 5.22.3",
        "activesupport 7.1.3.2",
        "rack 3.0.11",
        "nokogiri 1.16.4 (x86_64-linux)",
        "pg 1.5.6",
        "puma 6.4.2",
    ]
    steps = flat(
        gha_action(
            "ruby/setup-ruby@v1",
            {"ruby-version": "3.3", "bundler-cache": "true", "cache-version": "0"},
            [
                "Modifying PATH",
                "  Entries added to PATH to use selected Ruby:",
                f"    {ruby}/bin",
                "Downloading Ruby",
                "  https://github.com/ruby/ruby-builder/releases/download/toolcache/ruby-3.3.1-ubuntu-22.04.tar.gz",
                "  Took   1.62 seconds",
                "Extracting  Ruby",
                "  Took   0.61 seconds",
                "##[group]Installing Bundler",
                "  Using Bundler 2.5.9 from Gemfile.lock BUNDLED WITH 2.5.9",
                f"[command]{ruby}/bin/gem install bundler -v 2.5.9",
                "  Successfully installed bundler-2.5.9",
                "  1 gem installed",
                "  Took   0.58 seconds",
                "##[endgroup]",
                "##[group]bundle install",
                f"[command]{ruby}/bin/bundle config --local path /home/runner/work/billing/billing/vendor/bundle",
                f"[command]{ruby}/bin/bundle config --local deployment true",
                "Cache key: setup-ruby-bundler-cache-v6-ubuntu-22.04-x64-ruby-3.3.1-wd-/home/runner/work/billing/billing-with--without--only--Gemfile.lock-"
                + hexs(rng, 64),
                "Cache not found for input keys: setup-ruby-bundler-cache-v6-ubuntu-22.04-x64-ruby-3.3.1",
                f"[command]{ruby}/bin/bundle install --jobs 4",
                "Fetching gem metadata from https://rubygems.org/.........",
                "Fetching gem metadata from https://gems.acme.io/private/..",
                [f"Fetching {g.split(' (')[0].replace(' ', ' ')}" for g in gems[:5]],
                [f"Installing {g}" for g in gems[:5]],
                Sleep(18),
                cause(
                    "Could not find gem 'acme-auth (~> 2.3)' in rubygems repository https://gems.acme.io/private/ or installed locally."
                ),
                "",
                "The source contains the following gems matching 'acme-auth':",
                "  * acme-auth-2.1.0",
                also("  * acme-auth-2.2.4"),
                f"##[error]Error: The process '{ruby}/bin/bundle' failed with exit code 7",
                "    at ExecState._setResult (/home/runner/work/_actions/ruby/setup-ruby/v1/dist/index.js:1702:25)",
                "    at ExecState.CheckComplete (/home/runner/work/_actions/ruby/setup-ruby/v1/dist/index.js:1685:18)",
                "    at ChildProcess.<anonymous> (/home/runner/work/_actions/ruby/setup-ruby/v1/dist/index.js:1579:27)",
                "    at ChildProcess.emit (node:events:519:28)",
                "    at maybeClose (node:internal/child_process:1105:16)",
                "    at ChildProcess._handle.onexit (node:internal/child_process:305:5)",
                "##[endgroup]",
            ],
        ),
    )
    lines = gha_job(
        rng,
        "acme/billing",
        "rspec",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "ruby/setup-ruby@v1"),
    )
    return Case(lines, "dependency", "acme-auth (~> 2.3)", exit_code=7)


@case("ruby", "rspec_failure")
def rb_rspec(rng: random.Random) -> Case:
    seed = rng.randint(1000, 65000)
    body = flat(
        cc_spinup(rng, "cimg/ruby:3.3-node"),
        "Starting container cimg/postgres:16.2",
        "cimg/postgres:16.2:",
        f"  using image cimg/postgres@sha256:{hexs(rng, 64)}",
        "",
        cc_env(rng, "acme/storefront-api"),
        cc_checkout(rng, "acme/storefront-api"),
        cc_run(
            "Bundle install",
            ["bundle install --jobs 4 --retry 3"],
            [
                "Bundle complete! 61 Gemfile dependencies, 148 gems now installed.",
                "Gems in the groups 'development' and 'production' were not installed.",
                "Bundled gems are installed into `./vendor/bundle`",
                "1 installed gem you directly depend on is looking for funding.",
                "  Run `bundle fund` for details",
            ],
        ),
        cc_run(
            "Wait for DB",
            ["dockerize -wait tcp://localhost:5432 -timeout 1m"],
            [
                "2024/05/01 10:01:12 Waiting for: tcp://localhost:5432",
                "2024/05/01 10:01:12 Problem with dial: dial tcp 127.0.0.1:5432: connect: connection refused. Sleeping 1s",
                "2024/05/01 10:01:13 Connected to tcp://localhost:5432",
            ],
        ),
        cc_run(
            "Database setup",
            ["bin/rails db:schema:load"],
            [
                '-- create_table("orders", {:force=>:cascade})',
                "   -> 0.0112s",
                '-- create_table("users", {:force=>:cascade})',
                "   -> 0.0061s",
            ],
        ),
        cc_run(
            "RSpec",
            [
                "bundle exec rspec --format progress --format RspecJunitFormatter --out tmp/rspec.xml"
            ],
            [
                "",
                f"Randomized with seed {seed}",
                f"{GREEN}........................................{RESET}{YELLOW}*{RESET}{GREEN}.................{RESET}{RED}F{RESET}{GREEN}.................................{RESET}",
                "",
                "Pending: (Failures listed here are expected and do not affect your suite's status)",
                "",
                f"{YELLOW}  1) InvoicePdf renders the company logo{RESET}",
                f"     {BCYAN}# Temporarily skipped with xit{RESET}",
                f"     {BCYAN}# ./spec/pdfs/invoice_pdf_spec.rb:12{RESET}",
                "",
                "",
                "Failures:",
                "",
                also("  1) Orders API POST /orders with a valid cart creates the order"),
                cause(
                    f"     {RED}Failure/Error: expect(response).to have_http_status(:created){RESET}"
                ),
                also(
                    f"     {RED}  expected the response to have status code :created (201) but it was :unprocessable_entity (422){RESET}"
                ),
                f"     {BCYAN}# ./spec/requests/orders_spec.rb:34:in `block (4 levels) in <top (required)>'{RESET}",
                "",
                "Finished in 12.48 seconds (files took 3.12 seconds to load)",
                f"{RED}92 examples, 1 failure, 1 pending{RESET}",
                "",
                "Failed examples:",
                "",
                f"{RED}rspec ./spec/requests/orders_spec.rb:29{RESET} {BCYAN}# Orders API POST /orders with a valid cart creates the order{RESET}",
                "",
                f"Randomized with seed {seed}",
                "",
            ],
            exit_code=1,
        ),
        "Uploading test results",
        "Archiving the following test results",
        "  * /home/circleci/project/tmp/rspec.xml",
        "",
        "Uploading artifacts",
        "Uploading /home/circleci/project/log/test.log to log/test.log",
        "Uploaded /home/circleci/project/log/test.log",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(
        lines,
        "test",
        "have_http_status(:created)",
        ["Orders API POST /orders with a valid cart creates the order"],
        1,
    )


# --- PHP ------------------------------------------------------------------------------------------


@case("php", "phpunit_failure")
def php_phpunit(rng: random.Random) -> Case:
    wd = "/home/runner/work/cart/cart"
    steps = flat(
        gha_action(
            "shivammathur/setup-php@v2",
            {"php-version": "8.3", "extensions": "intl, pdo_sqlite", "coverage": "none"},
            [
                f"[command]/usr/bin/bash {wd}/../../_actions/shivammathur/setup-php/v2/src/scripts/run.sh",
                "",
                "==> Setup PHP",
                "✓ PHP Installed PHP 8.3.6",
                "",
                "==> Setup Extensions",
                "✓ intl Enabled",
                "✓ pdo_sqlite Enabled",
                "",
                "==> Setup Tools",
                "✓ composer Added composer 2.7.4",
                "",
                "==> Support this project",
                "✓ setup-php https://setup-php.com/support",
            ],
        ),
        gha_run(
            "composer install --no-progress --prefer-dist",
            [
                "Installing dependencies from lock file (including require-dev)",
                "Verifying lock file contents can be installed on current platform.",
                "Package operations: 34 installs, 0 updates, 0 removals",
                "  - Downloading sebastian/version (4.0.1)",
                "  - Downloading phpunit/phpunit (10.5.20)",
                "  - Installing sebastian/version (4.0.1): Extracting archive",
                "  - Installing phpunit/phpunit (10.5.20): Extracting archive",
                "Generating optimized autoload files",
                "29 packages you are using are looking for funding.",
                "Use the `composer fund` command to find out more!",
                "No security vulnerability advisories found.",
            ],
        ),
        gha_run(
            "vendor/bin/phpunit --colors=always",
            [
                "PHPUnit 10.5.20 by Sebastian Bergmann and contributors.",
                "",
                "Runtime:       PHP 8.3.6",
                f"Configuration: {wd}/phpunit.xml",
                "",
                f"............................{RED}F{RESET}..........                           39 / 39 (100%)",
                "",
                "Time: 00:00.412, Memory: 14.00 MB",
                "",
                "There was 1 failure:",
                "",
                cause("1) Tests\\Unit\\CartTest::testTotalAppliesPercentageDiscount"),
                also("Failed asserting that 90.0 is identical to 85.0."),
                "",
                also(f"{wd}/tests/Unit/CartTest.php:41"),
                "",
                f"{RED}FAILURES!{RESET}",
                f"{RED}Tests: 39, Assertions: 112, Failures: 1.{RESET}",
            ],
            exit_code=1,
        ),
    )
    lines = gha_job(
        rng,
        "acme/cart",
        "phpunit (8.3)",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "shivammathur/setup-php@v2"),
    )
    return Case(
        lines,
        "test",
        "testTotalAppliesPercentageDiscount",
        ["Tests\\Unit\\CartTest::testTotalAppliesPercentageDiscount"],
        1,
    )


@case("php", "composer_conflict")
def php_composer(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("php -v"),
        "PHP 8.2.18 (cli) (built: Apr 11 2024 22:07:45) (NTS)",
        "Copyright (c) The PHP Group",
        "Zend Engine v4.2.18, Copyright (c) Zend Technologies",
        gl_cmd("composer --version"),
        "Composer version 2.7.4 2024-04-22 21:17:03",
        gl_cmd("composer validate --strict"),
        "./composer.json is valid",
        gl_cmd("composer update --prefer-lowest --prefer-stable --no-interaction --no-progress"),
        "Loading composer repositories with package information",
        "Updating dependencies",
        Sleep(7),
        cause("Your requirements could not be resolved to an installable set of packages."),
        "",
        "  Problem 1",
        also(
            "    - Root composer.json requires acme/payments-sdk ^3.0 -> satisfiable by acme/payments-sdk[3.0.0, 3.0.1, 3.1.0]."
        ),
        also(
            "    - acme/payments-sdk[3.0.0, ..., 3.1.0] require guzzlehttp/guzzle ^7.8 -> found guzzlehttp/guzzle[7.8.0, 7.8.1] but it conflicts with your root composer.json require (^6.5)."
        ),
        "",
        "Use the option --with-all-dependencies (-W) to allow upgrades, downgrades and removals for packages currently locked to specific versions.",
    )
    lines = gl_simple(
        rng,
        "payments/checkout-php",
        "composer:2.7",
        script,
        "2024-05-01T10:00:00",
        cache_key="composer",
        failure="ERROR: Job failed: exit code 2",
    )
    return Case(
        lines, "dependency", "could not be resolved to an installable set of packages", exit_code=2
    )


# --- Elixir ---------------------------------------------------------------------------------------


@case("elixir", "mix_compile_error")
def ex_compile(rng: random.Random) -> Case:
    deps = [
        "decimal 2.1.1",
        "telemetry 1.2.1",
        "jason 1.4.1",
        "mime 2.0.5",
        "plug_crypto 2.1.0",
        "plug 1.15.3",
        "phoenix_pubsub 2.1.3",
        "phoenix 1.7.12",
        "ecto 3.11.2",
        "postgrex 0.17.5",
    ]
    steps = flat(
        gha_action(
            "erlef/setup-beam@v1",
            {"otp-version": "26.2", "elixir-version": "1.16.2"},
            [
                "##[group]Installing Erlang/OTP",
                "Installing Erlang/OTP OTP-26.2.5 - built on ubuntu-22.04",
                "##[endgroup]",
                "##[group]Installing Elixir",
                "Installing Elixir v1.16.2-otp-26",
                "##[endgroup]",
            ],
        ),
        gha_run(
            ["mix deps.get", "mix deps.compile"],
            flat(
                "Resolving Hex dependencies...",
                "Resolution completed in 0.211s",
                "Unchanged:",
                [f"  {d}" for d in deps],
                "All dependencies are up to date",
                [
                    f"==> {d.split()[0]}\nCompiling {rng.randint(1, 40)} files (.ex)\nGenerated {d.split()[0]} app".split(
                        "\n"
                    )
                    for d in deps[:6]
                ],
            ),
        ),
        gha_run(
            "mix compile --warnings-as-errors",
            [
                "==> shop",
                "Compiling 42 files (.ex)",
                f'{YELLOW}    warning: {RESET}variable "opts" is unused (if the variable is not meant to be used, prefix it with an underscore)',
                "    │",
                " 14 │   def init(opts), do: :ok",
                "    │            ~~~~",
                "    │",
                "    └─ lib/shop_web/plugs/locale.ex:14:12: ShopWeb.Plugs.Locale.init/1",
                "",
                cause(
                    f"{RED}    error: {RESET}undefined function total/2 (expected Shop.Cart to define such a function or for it to be imported, but none are available)"
                ),
                "    │",
                " 27 │     total(cart, :gross)",
                "    │     ^",
                "    │",
                also("    └─ lib/shop/cart.ex:27:5: Shop.Cart.checkout/1"),
                "",
                "",
                "== Compilation error in file lib/shop/cart.ex ==",
                also(
                    "** (CompileError) lib/shop/cart.ex: cannot compile module Shop.Cart (errors have been logged)"
                ),
                "",
            ],
            exit_code=1,
        ),
    )
    lines = gha_job(
        rng,
        "acme/shop",
        "mix test (OTP 26.2 / Elixir 1.16.2)",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "erlef/setup-beam@v1"),
    )
    return Case(lines, "compile", "undefined function total/2", exit_code=1)


@case("elixir", "exunit_failure")
def ex_test(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("mix local.hex --force && mix local.rebar --force"),
        "* creating /root/.mix/archives/hex-2.0.6",
        "* creating /root/.mix/elixir/1-16/rebar3",
        gl_cmd("mix deps.get --only test"),
        "All dependencies are up to date",
        gl_cmd("mix ecto.create && mix ecto.migrate"),
        "The database for Shop.Repo has been created",
        "",
        "10:02:11.412 [info] == Running 20240301101500 Shop.Repo.Migrations.CreateCarts.change/0 forward",
        "10:02:11.418 [info] create table carts",
        "10:02:11.431 [info] == Migrated 20240301101500 in 0.0s",
        gl_cmd("mix test --cover"),
        "Cover compiling modules ...",
        f"Running ExUnit with seed: {rng.randint(100000, 999999)}, max_cases: 8",
        "Excluding tags: [:integration]",
        "",
        f"{GREEN}.............................................{RESET}",
        "10:02:14.902 [error] Postgrex.Protocol (#PID<0.412.0>) disconnected: ** (DBConnection.ConnectionError) owner #PID<0.1291.0> exited",
        f"{GREEN}..................{RESET}",
        "",
        also("  1) test checkout/1 applies the coupon discount (Shop.CartTest)"),
        also("     test/shop/cart_test.exs:42"),
        cause(f"     {RED}Assertion with == failed{RESET}"),
        '     code:  assert Cart.total(cart) == Decimal.new("90.00")',
        '     left:  Decimal.new("100.00")',
        '     right: Decimal.new("90.00")',
        "     stacktrace:",
        "       test/shop/cart_test.exs:47: (test)",
        "",
        f"{GREEN}.........................{RESET}",
        "Finished in 2.1 seconds (1.3s async, 0.8s sync)",
        f"{RED}88 tests, 1 failure, 3 excluded{RESET}",
        "",
        "Generating cover results ...",
        "",
        "Percentage | Module",
        "-----------|--------------------------",
        "    71.43% | Shop.Cart",
        "    88.24% | Shop.Orders",
        "   100.00% | Shop.ErrorHelpers",
        "-----------|--------------------------",
        "    84.10% | Total",
    )
    lines = gl_simple(
        rng,
        "shop/core",
        "elixir:1.16-otp-26",
        script,
        "2024-05-01T10:00:00",
        cache_key="mix-deps",
        timestamps=True,
        artifacts=["_build/test/lib/shop/test-junit-report.xml"],
        failure="ERROR: Job failed: exit code 2",
    )
    return Case(
        lines,
        "test",
        "Assertion with == failed",
        ["test checkout/1 applies the coupon discount (Shop.CartTest)"],
        2,
    )


# --- Swift ----------------------------------------------------------------------------------------


@case("swift", "xcodebuild_swift_error")
def swift_xcodebuild(rng: random.Random) -> Case:
    wd = "/Users/runner/work/Trails/Trails"
    xc = "/Applications/Xcode_15.3.app/Contents/Developer"
    dd = f"/Users/runner/Library/Developer/Xcode/DerivedData/Trails-{''.join(rng.choice('abcdefghijklmnopqrstuvwxyz') for _ in range(28))}"
    files = [
        "TrailsApp.swift",
        "Models/Route.swift",
        "Models/Waypoint.swift",
        "Views/MapView.swift",
        "Views/RouteListView.swift",
    ]
    build = flat(
        "Command line invocation:",
        f'    {xc}/usr/bin/xcodebuild -scheme Trails -destination "platform=iOS Simulator,name=iPhone 15,OS=17.4" -derivedDataPath build build',
        "",
        "User defaults from command line:",
        "    IDEPackageSupportUseBuiltinSCM = YES",
        "",
        "Resolve Package Graph",
        "",
        "Resolved source packages:",
        "  swift-collections: https://github.com/apple/swift-collections.git @ 1.1.0",
        "  GRDB: https://github.com/groue/GRDB.swift.git @ 6.27.0",
        "",
        "ComputePackagePrebuildTargetDependencyGraph",
        "",
        "Prepare packages",
        "",
        "CreateBuildRequest",
        "",
        "SendProjectDescription",
        "",
        "CreateBuildOperation",
        "",
        Sleep(40),
        [
            f"SwiftCompile normal arm64 Compiling\\ {f.split('/')[-1]} {wd}/Trails/{f} (in target 'Trails' from project 'Trails')\n    cd {wd}\n    builtin-swiftTaskExecution -- {xc}/Toolchains/XcodeDefault.xctoolchain/usr/bin/swift-frontend -frontend -c -primary-file {wd}/Trails/{f} -emit-dependencies-path {dd}/Build/Intermediates.noindex/Trails.build/Debug-iphonesimulator/Trails.build/Objects-normal/arm64/{f.split('/')[-1].removesuffix('.swift')}.d\n".split(
                "\n"
            )
            for f in files
        ],
        f"SwiftCompile normal arm64 Compiling\\ RouteDetailView.swift {wd}/Trails/Views/RouteDetailView.swift (in target 'Trails' from project 'Trails')",
        f"    cd {wd}",
        cause(
            f"{wd}/Trails/Views/RouteDetailView.swift:42:37: error: cannot convert value of type 'Double' to expected argument type 'Int'"
        ),
        "                Text(formatDistance(route.lengthKm))",
        "                                    ^",
        f"{wd}/Trails/Views/RouteDetailView.swift:58:13: warning: initialization of immutable value 'errorBanner' was never used; consider replacing with assignment to '_' or removing it",
        "        let errorBanner = ErrorBanner(message: nil)",
        "        ~~~~^~~~~~~~~~~",
        "",
        "** BUILD FAILED **",
        "",
        "",
        "The following build commands failed:",
        f"\tSwiftCompile normal arm64 Compiling\\ RouteDetailView.swift {wd}/Trails/Views/RouteDetailView.swift (in target 'Trails' from project 'Trails')",
        "\tSwiftEmitModule normal arm64 Emitting\\ module\\ for\\ Trails (in target 'Trails' from project 'Trails')",
        "(2 failures)",
    )
    steps = flat(
        gha_run("sudo xcode-select -s /Applications/Xcode_15.3.app", [], shell="/bin/bash -e {0}"),
        gha_run(
            "xcodebuild -scheme Trails -destination 'platform=iOS Simulator,name=iPhone 15,OS=17.4' -derivedDataPath build build",
            build,
            exit_code=65,
            shell="/bin/bash -e {0}",
        ),
    )
    lines = gha_job(
        rng,
        "acme/Trails",
        "build-ios",
        steps,
        "2024-05-01T10:00:00.2",
        image="macos14",
        os_lines=("macOS", "14.4.1", "23E224"),
        workdir=wd,
    )
    return Case(lines, "compile", "RouteDetailView.swift:42:37: error", exit_code=65)


@case("swift", "swift_test_xctest_linux")
def swift_test(rng: random.Random) -> Case:
    sha = hexs(rng, 40)
    root = "/var/lib/buildkite-agent/builds/agent-swift-2/acme/datekit"
    t0 = "2024-05-01 10:04:11.{:03d}"
    passed = [
        "testParsesISODate",
        "testParsesISODateTime",
        "testRejectsGarbage",
        "testErrorDescriptionIsLocalized",
    ]
    cases: list = []
    for i, t in enumerate(passed):
        cases += [
            f"Test Case 'ParserTests.{t}' started at {t0.format(200 + i * 3)}",
            f"Test Case 'ParserTests.{t}' passed ({rng.uniform(0.001, 0.01):.3f} seconds)",
        ]
    body = flat(
        bk_checkout(rng, "acme/datekit", sha, "agent-swift-2"),
        "$ swift test --parallel --xunit-output build/xunit.xml",
        "--- :swift: Build",
        "Fetching https://github.com/apple/swift-argument-parser from cache",
        "Fetched https://github.com/apple/swift-argument-parser from cache (0.62s)",
        "Computing version for https://github.com/apple/swift-argument-parser",
        "Computed https://github.com/apple/swift-argument-parser at 1.3.1 (0.88s)",
        "Creating working copy for https://github.com/apple/swift-argument-parser",
        "Working copy of https://github.com/apple/swift-argument-parser resolved at 1.3.1",
        "Building for debugging...",
        redraw(
            [
                f"[{i}/14] Compiling {m}"
                for i, m in enumerate(
                    [
                        "ArgumentParserToolInfo ToolInfo.swift",
                        "ArgumentParser Argument.swift",
                        "DateKit Calendar+Extras.swift",
                        "DateKit Parser.swift",
                        "DateKit Formatter.swift",
                        "DateKitTests ParserTests.swift",
                    ],
                    start=1,
                )
            ]
        ),
        Sleep(30),
        "[14/14] Linking DateKitPackageTests.xctest",
        "Build complete! (34.12s)",
        "+++ :test_tube: Tests",
        f"Test Suite 'All tests' started at {t0.format(190)}",
        f"Test Suite 'DateKitPackageTests.xctest' started at {t0.format(191)}",
        f"Test Suite 'ParserTests' started at {t0.format(192)}",
        cases[:4],
        f"Test Case 'ParserTests.testParsesRelativeDate' started at {t0.format(230)}",
        cause(
            f'{root}/Tests/DateKitTests/ParserTests.swift:28: error: ParserTests.testParsesRelativeDate : XCTAssertEqual failed: ("2024-05-02") is not equal to ("2024-05-01") - \'yesterday\' should resolve against the reference date'
        ),
        also("Test Case 'ParserTests.testParsesRelativeDate' failed (0.004 seconds)"),
        cases[4:],
        f"Test Suite 'ParserTests' failed at {t0.format(260)}",
        "\t Executed 31 tests, with 1 failure (0 unexpected) in 0.112 (0.112) seconds",
        f"Test Suite 'DateKitPackageTests.xctest' failed at {t0.format(261)}",
        "\t Executed 31 tests, with 1 failure (0 unexpected) in 0.112 (0.112) seconds",
        f"Test Suite 'All tests' failed at {t0.format(262)}",
        "\t Executed 31 tests, with 1 failure (0 unexpected) in 0.112 (0.112) seconds",
        "^^^ +++",
        "🚨 Error: The command exited with status 1",
        "~~~ Uploading artifacts",
        'Found 1 files that match "build/xunit.xml"',
        "Uploading artifact 018f3a2c-7d1e-4c4b-9f1a-b2c3d4e5f607 build/xunit.xml (4.1 KiB)",
        "user command error: exit status 1",
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:03:30"), rng), None)
    return Case(
        lines, "test", "ParserTests.swift:28: error", ["ParserTests.testParsesRelativeDate"], 1
    )


# --- Haskell --------------------------------------------------------------------------------------


@case("haskell", "ghc_type_error")
def hs_ghc(rng: random.Random) -> Case:
    dist = "dist-newstyle/build/x86_64-linux/ghc-9.6.5/acme-config-0.3.0/build"
    mods = [
        "Config.Types",
        "Config.Error",
        "Config.Env",
        "Config.Lexer",
        "Config.Defaults",
        "Config.Render",
    ]
    build = flat(
        "Resolving dependencies...",
        "Build profile: -w ghc-9.6.5 -O1",
        "In order, the following will be built (use -v for more details):",
        " - acme-config-0.3.0 (lib) (first run)",
        " - acme-config-0.3.0 (test:spec) (first run)",
        "Configuring library for acme-config-0.3.0..",
        "Preprocessing library for acme-config-0.3.0..",
        "Building library for acme-config-0.3.0..",
        [
            f"[{i:2d} of 12] Compiling {m:<18}( src/{m.replace('.', '/')}.hs, {dist}/{m.replace('.', '/')}.o, {dist}/{m.replace('.', '/')}.dyn_o )"
            for i, m in enumerate(mods, start=1)
        ],
        "",
        "src/Config/Error.hs:31:1: warning: [GHC-40910] [-Wunused-top-binds]",
        "    Defined but not used: ‘renderErrorLine’",
        "   |",
        '31 | renderErrorLine n msg = show n <> ": " <> msg',
        "   | ^^^^^^^^^^^^^^^",
        f"[ 7 of 12] Compiling Config.Parse     ( src/Config/Parse.hs, {dist}/Config/Parse.o, {dist}/Config/Parse.dyn_o )",
        "",
        cause("src/Config/Parse.hs:57:22: error: [GHC-83865]"),
        also("    • Couldn't match type ‘[Char]’ with ‘Text’"),
        "      Expected: Text",
        "        Actual: String",
        "    • In the first argument of ‘parseKey’, namely ‘name’",
        "      In a stmt of a 'do' block: key <- parseKey name",
        "      In the expression:",
        "        do key <- parseKey name",
        "           value <- parseValue",
        "           pure (key, value)",
        "   |",
        "57 |   key <- parseKey name",
        "   |                   ^^^^",
        "Error: [Cabal-7125]",
        "Failed to build acme-config-0.3.0 (which is required by test:spec from acme-config-0.3.0).",
    )
    steps = flat(
        gha_action(
            "haskell-actions/setup@v2",
            {"ghc-version": "9.6.5", "cabal-version": "3.10.3.0"},
            [
                "Preinstalled ghc Version 9.6.5 found, setting as default",
                "[command]/usr/local/.ghcup/bin/ghcup set ghc 9.6.5",
                "[ Info  ] GHC 9.6.5 successfully set as default version",
                "Found cabal 3.10.3.0 in cache at path /usr/local/.ghcup/bin/cabal",
                "[command]/usr/local/.ghcup/bin/cabal update",
                "Downloading the latest package list from hackage.haskell.org",
                "Package list of hackage.haskell.org has been updated.",
                "The index-state is set to 2024-05-01T08:21:43Z.",
            ],
        ),
        gha_run("cabal build all --enable-tests", build, exit_code=1),
    )
    lines = gha_job(
        rng,
        "acme/acme-config",
        "cabal (ghc 9.6.5)",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "haskell-actions/setup@v2"),
    )
    return Case(lines, "compile", "src/Config/Parse.hs:57:22: error", exit_code=1)


@case("haskell", "cabal_could_not_resolve")
def hs_cabal(rng: random.Random) -> Case:
    script = flat(
        gl_cmd("ghcup set ghc 9.8.2"),
        "[ Info  ] GHC 9.8.2 successfully set as default version",
        gl_cmd("cabal update"),
        "Downloading the latest package list from hackage.haskell.org",
        redraw([f"Downloading  [{'=' * k:<12}] {k * 100 // 12}%" for k in (2, 6, 10, 12)]),
        "Package list of hackage.haskell.org has been updated.",
        "The index-state is set to 2024-05-01T06:02:18Z.",
        gl_cmd("cabal build --only-dependencies all"),
        "Resolving dependencies...",
        Sleep(4),
        "Error: [Cabal-7107]",
        cause("Could not resolve dependencies:"),
        "[__0] trying: acme-api-1.4.0 (user goal)",
        "[__1] next goal: aeson (dependency of acme-api)",
        also("[__1] rejecting: aeson-2.2.1.0 (conflict: acme-api => aeson>=2.0 && <2.2)"),
        "[__1] trying: aeson-2.1.2.1",
        "[__2] next goal: base (dependency of acme-api)",
        also(
            "[__2] rejecting: base-4.19.1.0/installed-4.19.1.0 (conflict: aeson => base>=4.9 && <4.19)"
        ),
        "[__2] skipping: base-4.20.0.0, base-4.19.0.0, base-4.18.2.1 (has the same characteristics that caused the previous version to fail: excluded by constraint '>=4.9 && <4.19' from 'aeson')",
        "[__2] rejecting: base-4.3.1.0, base-4.3.0.0 (constraint from non-reinstallable package requires installed instance)",
        "[__2] fail (backjumping, conflict set: acme-api, aeson, base)",
        "After searching the rest of the dependency tree exhaustively, these were the goals I've had most trouble fulfilling: base, aeson, acme-api",
        "",
    )
    lines = gl_simple(
        rng,
        "platform/acme-api",
        "haskell:9.8",
        script,
        "2024-05-01T10:00:00",
        cache_key="cabal-store",
    )
    return Case(lines, "dependency", "Could not resolve dependencies", exit_code=1)


# --- R --------------------------------------------------------------------------------------------


@case("r", "rcmd_check_testthat")
def r_check_tests(rng: random.Random) -> Case:
    wd = "/home/runner/work/tidyparse/tidyparse"
    chk = f"{wd}/check/tidyparse.Rcheck"
    checks = [
        "checking for file ‘tidyparse/DESCRIPTION’ ... OK",
        "preparing ‘tidyparse’:",
        "checking DESCRIPTION meta-information ... OK",
        "checking for LF line-endings in source and make files and shell scripts ... OK",
        "checking for empty or unneeded directories ... OK",
        "building ‘tidyparse_0.4.1.tar.gz’",
    ]
    checks2 = [
        "checking package namespace information ... OK",
        "checking package dependencies ... OK",
        "checking if this is a source package ... OK",
        "checking if there is a namespace ... OK",
        "checking for executable files ... OK",
        "checking whether package ‘tidyparse’ can be installed ... OK",
        "checking installed package size ... OK",
        "checking package directory ... OK",
        "checking DESCRIPTION meta-information ... OK",
        "checking top-level files ... OK",
        "checking R code for possible problems ... OK",
        "checking Rd files ... OK",
        "checking Rd cross-references ... OK",
        "checking for missing documentation entries ... OK",
        "checking for code/documentation mismatches ... OK",
        "checking examples ... OK",
        "checking for unstated dependencies in ‘tests’ ... OK",
    ]
    out = flat(
        "── R CMD build ─────────────────────────────────────────────────────────────────",
        [f"* {c}" for c in checks],
        "",
        "── R CMD check ─────────────────────────────────────────────────────────────────",
        f"* using log directory ‘{chk}’",
        "* using R version 4.4.0 (2024-04-24)",
        "* using platform: x86_64-pc-linux-gnu",
        "* R was compiled by",
        "    gcc (Ubuntu 11.4.0-1ubuntu1~22.04) 11.4.0",
        "* running under: Ubuntu 22.04.4 LTS",
        "* using session charset: UTF-8",
        "* using options ‘--no-manual --as-cran’",
        [f"* {c}" for c in checks2],
        "* checking tests ...",
        "  Running ‘testthat.R’",
        Sleep(22),
        " ERROR",
        also("Running the tests in ‘tests/testthat.R’ failed."),
        "Last 13 lines of output:",
        cause("  ── Failure (test-parse.R:14:3): parse_date handles ISO strings ─────────────────"),
        also(
            '  parse_date("2024-05-01") (`actual`) not equal to as.Date("2024-05-01") (`expected`).'
        ),
        "  ",
        "  `actual` is a character vector ('2024-05-01')",
        "  `expected` is a double vector (19844)",
        "  ",
        "  [ FAIL 1 | WARN 0 | SKIP 2 | PASS 87 ]",
        "  Error: Test failures",
        "  Execution halted",
        "* checking for unstated dependencies in vignettes ... OK",
        "* checking package vignettes in ‘inst/doc’ ... OK",
        "* DONE",
        "",
        "Status: 1 ERROR, 1 NOTE",
        "See",
        f"  ‘{chk}/00check.log’",
        "for details.",
        "",
        "Error: Error: R CMD check found ERRORs",
        "Execution halted",
    )
    steps = flat(
        gha_action(
            "r-lib/actions/setup-r@v2",
            {"r-version": "release", "use-public-rspm": "true"},
            [
                "Using R version 4.4.0",
                "Setting up RSPM: https://packagemanager.posit.co/cran/__linux__/jammy/latest",
            ],
        ),
        gha_action(
            "r-lib/actions/setup-r-dependencies@v2",
            {"extra-packages": "any::rcmdcheck", "needs": "check"},
            [
                "##[group]Run # Set site library path",
                "##[endgroup]",
                "✔ Updated metadata database: 3.21 MB in 9 files.",
                "ℹ Updating metadata database",
                "✔ Updating metadata database ... done",
                "→ Will install 41 packages.",
                "→ All 41 packages (0 B) are cached.",
                "ℹ Building tidyparse 0.4.1",
                "✔ Installed testthat 3.2.1.1  (1.2s)",
                "✔ Installed rcmdcheck 1.4.0  (118ms)",
                "✔ Summary:   41 new  in 8.3s",
            ],
        ),
        gha_action(
            "r-lib/actions/check-r-package@v2",
            {"upload-snapshots": "true", "error-on": '"error"'},
            flat(
                "##[group]Run ## --------------------------------------------------------------------",
                "##[endgroup]",
                out,
                "##[error]Process completed with exit code 1.",
            ),
        ),
        "Post job cleanup.",
        "##[group]Run actions/upload-artifact@v4",
        "With the provided path, there will be 1 file uploaded",
        "Artifact name is valid!",
        "Root directory input is valid!",
        "Artifact ubuntu-latest-r-release-results has been successfully uploaded! Final size is 12048 bytes. Artifact ID is 1461234567",
        "##[endgroup]",
    )
    lines = gha_job(
        rng,
        "acme/tidyparse",
        "ubuntu-latest (release)",
        steps,
        "2024-05-01T10:00:00.2",
        ("actions/checkout@v4", "r-lib/actions@v2"),
    )
    return Case(lines, "test", "test-parse.R:14:3", ["parse_date handles ISO strings"], 1)


@case("r", "rcmd_check_dependency")
def r_check_deps(rng: random.Random) -> Case:
    check = flat(
        "* using log directory ‘/home/travis/build/acme/feedr/feedr.Rcheck’",
        "* using R version 4.3.3 (2024-02-29)",
        "* using platform: x86_64-pc-linux-gnu (64-bit)",
        "* using session charset: UTF-8",
        "* using options ‘--no-manual --as-cran’",
        "* checking for file ‘feedr/DESCRIPTION’ ... OK",
        "* this is package ‘feedr’ version ‘1.2.0’",
        "* package encoding: UTF-8",
        "* checking CRAN incoming feasibility ... Note_to_CRAN_maintainers",
        "Maintainer: ‘Ines Okafor <ines@example.org>’",
        also("* checking package dependencies ... ERROR"),
        cause("Package required but not available: ‘arrow’"),
        "",
        "See section ‘The DESCRIPTION file’ in the ‘Writing R Extensions’",
        "manual.",
        "* DONE",
        "",
        "Status: 1 ERROR",
        "See",
        "  ‘/home/travis/build/acme/feedr/feedr.Rcheck/00check.log’",
        "for details.",
    )
    body = flat(
        tv_header(rng, "r"),
        tv_cmd(
            rng,
            "git clone --depth=50 --branch=main https://github.com/acme/feedr.git acme/feedr",
            ["Cloning into 'acme/feedr'...", *git_remote_progress(rng, 318)],
            "checkout",
            None,
            fold="git.checkout",
        ),
        "$ cd acme/feedr",
        f"$ git checkout -qf {hexs(rng, 40)}",
        "",
        tv_cmd(
            rng,
            "Rscript -e 'renv::restore(prompt = FALSE)'",
            [
                "- The library is already synchronized with the lockfile.",
            ],
            "install",
            None,
            fold="install.r",
        ),
        'R version 4.3.3 (2024-02-29) -- "Angel Food Cake"',
        "Platform: x86_64-pc-linux-gnu (64-bit)",
        "",
        tv_cmd(
            rng,
            "R CMD build .",
            [
                "* checking for file ‘./DESCRIPTION’ ... OK",
                "* preparing ‘feedr’:",
                "* checking DESCRIPTION meta-information ... OK",
                "* installing the package to build vignettes",
                "* creating vignettes ... OK",
                "* checking for LF line-endings in source and make files and shell scripts",
                "* checking for empty or unneeded directories",
                "* building ‘feedr_1.2.0.tar.gz’",
            ],
            "script",
            0,
        ),
        tv_cmd(rng, "R CMD check feedr_1.2.0.tar.gz --as-cran --no-manual", check, "script", 1),
        "",
        tv_cmd(
            rng,
            "cat feedr.Rcheck/00install.out",
            ["cat: feedr.Rcheck/00install.out: No such file or directory"],
            "after_failure",
            1,
        ),
        tv_done(1),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "dependency", "Package required but not available: ‘arrow’", exit_code=1)


# --- Perl -----------------------------------------------------------------------------------------


@case("perl", "prove_failed_subtests")
def pl_prove(rng: random.Random) -> Case:
    test = flat(
        "t/00-load.t ......... ok",
        "t/01-config.t ....... ok",
        "t/02-parse.t ........ 1/? ",
        cause("#   Failed test 'parses ISO date'"),
        also("#   at t/02-parse.t line 23."),
        "#          got: '2024-05-02'",
        "#     expected: '2024-05-01'",
        "# Looks like you failed 1 test of 9.",
        also("t/02-parse.t ........ Dubious, test returned 1 (wstat 256, 0x100)"),
        "Failed 1/9 subtests ",
        "t/03-errors.t ....... ok",
        "t/04-format.t ....... ok",
        "t/05-roundtrip.t .... skipped: set RELEASE_TESTING to run",
        "",
        "Test Summary Report",
        "-------------------",
        "t/02-parse.t      (Wstat: 256 (exited 1) Tests: 9 Failed: 1)",
        "  Failed test:  4",
        "  Non-zero exit status: 1",
        "Files=6, Tests=48,  1 wallclock secs ( 0.03 usr  0.01 sys +  0.41 cusr  0.07 csys =  0.52 CPU)",
        "Result: FAIL",
    )
    body = flat(
        tv_header(rng, "perl"),
        tv_cmd(
            rng,
            "git clone --depth=50 --branch=main https://github.com/acme/Date-Loose.git acme/Date-Loose",
            ["Cloning into 'acme/Date-Loose'...", *git_remote_progress(rng, 204)],
            "checkout",
            None,
            fold="git.checkout",
        ),
        "$ cd acme/Date-Loose",
        f"$ git checkout -qf {hexs(rng, 40)}",
        "",
        f"{BOLD}Setting environment variables from .travis.yml{RESET}",
        "$ export HARNESS_OPTIONS=c",
        "",
        "$ perlbrew use 5.38",
        "$ perl --version",
        "",
        "This is perl 5, version 38, subversion 2 (v5.38.2) built for x86_64-linux",
        "",
        tv_cmd(
            rng,
            "cpanm --quiet --installdeps --notest .",
            [
                "--> Working on .",
                "Configuring Date-Loose-0.07 ... OK",
                "Successfully installed Module-Runtime-0.016",
                "Successfully installed Try-Tiny-0.31",
                "Successfully installed Test-Fatal-0.017",
                "<== Installed dependencies for .. Finishing.",
                "3 distributions installed",
            ],
            "install",
            None,
            fold="install",
        ),
        tv_cmd(rng, "prove -lr t", test, "script", 1),
        tv_done(1),
    )
    lines = materialize(body, Clock(utc("2024-05-01T10:00:00"), rng), None)
    return Case(lines, "test", "Failed test 'parses ISO date'", ["t/02-parse.t"], 1)


@case("perl", "cant_locate_module")
def pl_cant_locate(rng: random.Random) -> Case:
    ws = "/var/lib/jenkins/workspace/feeds_main"
    install = flat(
        "[Pipeline] sh",
        "+ carton install --deployment",
        f"Installing modules using {ws}/cpanfile (deployment mode)",
        "Successfully installed Module-Runtime-0.016",
        "Successfully installed Role-Tiny-2.002004",
        "Successfully installed Class-Method-Modifiers-2.15",
        "Successfully installed Sub-Quote-2.006008",
        "Successfully installed Moo-2.005005",
        "Successfully installed HTTP-Tiny-0.088",
        "Successfully installed Log-Any-1.717",
        "7 distributions installed",
        f"Complete! Modules were installed into {ws}/local",
    )
    test = flat(
        "[Pipeline] sh",
        "+ carton exec -- prove -lr t",
        "t/00-compile.t .... ok",
        cause(
            f"Can't locate JSON/XS.pm in @INC (you may need to install the JSON::XS module) (@INC contains: {ws}/lib {ws}/local/lib/perl5/x86_64-linux-gnu-thread-multi {ws}/local/lib/perl5 /etc/perl /usr/local/lib/x86_64-linux-gnu/perl/5.36.0 /usr/local/share/perl/5.36.0 /usr/lib/x86_64-linux-gnu/perl5/5.36 /usr/share/perl5) at lib/Acme/Feeds/Config.pm line 7."
        ),
        also("BEGIN failed--compilation aborted at lib/Acme/Feeds/Config.pm line 7."),
        "Compilation failed in require at t/01-config.t line 5.",
        "BEGIN failed--compilation aborted at t/01-config.t line 5.",
        "t/01-config.t ..... ",
        "Dubious, test returned 2 (wstat 512, 0x200)",
        "No subtests run ",
        "t/02-fetch.t ...... ok",
        "t/03-errors.t ..... ok",
        "",
        "Test Summary Report",
        "-------------------",
        "t/01-config.t   (Wstat: 512 (exited 2) Tests: 0 Failed: 0)",
        "  Non-zero exit status: 2",
        "  Parse errors: No plan found in TAP output",
        "Files=4, Tests=22,  2 wallclock secs ( 0.02 usr  0.00 sys +  0.88 cusr  0.11 csys =  1.01 CPU)",
        "Result: FAIL",
    )
    post = flat(
        "[Pipeline] junit",
        "Recording test results",
        "No test report files were found. Configuration error?",
        "[Pipeline] echo",
        "Perl tests failed; see console output (no error_log.txt was produced)",
        jk_cleanws(),
    )
    lines = jk_simple(
        rng,
        "feeds_main",
        "https://git.acme.io/content/feeds.git",
        [("Install deps", install), ("Test", test)],
        ["Deploy"],
        post,
        "ERROR: script returned exit code 1",
        "2024-05-01T10:00:00",
        timestamps=True,
        message="Parse config as JSON",
    )
    return Case(lines, "dependency", "Can't locate JSON/XS.pm in @INC", exit_code=1)
