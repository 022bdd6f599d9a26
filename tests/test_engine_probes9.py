# ruff: noqa: E501, W291, W293  (log lines as the tools print them: long, tabs, trailing blanks)
"""Shapes from the eighteenth round of probe logs: each test fails on the engine as it was
before the change it covers."""

from __future__ import annotations

from ciwhy.analysis import analyse

PASSING = "".join(f"  compiling module_{i}.ml\n" for i in range(30))


def _root(log: str) -> tuple[int | None, str, str]:
    a = analyse(log)
    return a.root_cause_line, a.category, a.signature


def _line(log: str, text: str) -> int:
    """The 1-based number of the line that starts with `text`."""
    return next(n for n, ln in enumerate(log.split("\n"), 1) if ln.startswith(text))


# A traced script whose EXIT trap keeps the status (`+ rc=1`), then cleans up: what the
# handler's commands printed is not why the job failed, nor are they the failing step.
TRAP_CLEANUP = """\
+ ./bin/app eval Release.migrate
ERROR! Config provider Config.Reader failed with:
** (RuntimeError) environment variable DATABASE_URL is missing.
For example: ecto://USER:PASS@HOST/DATABASE

    (elixir 1.15.7) lib/config/reader.ex:92: Config.Reader.read!/2
    (elixir 1.15.7) lib/config/provider.ex:305: Config.Provider.run_providers/2

Runtime terminating during boot
Crash dump is being written to: erl_crash.dump...done
+ on_exit
+ rc=1
+ echo 'deploy: FAILED (rc=1)'
deploy: FAILED (rc=1)
+ rm -rf /srv/ci/artifacts/latest
rm: cannot remove '/srv/ci/artifacts/latest/report.html': Permission denied
+ docker rm -f app-migrate
Error response from daemon: No such container: app-migrate
+ exit 1
"""


def test_a_caught_failure_ends_where_the_script_handles_it() -> None:
    a = analyse(TRAP_CLEANUP)
    assert a.root_cause_line == 2
    assert a.failing_step is not None and a.failing_step.command == "./bin/app eval Release.migrate"


NESTED_TRACE = """\
+ ./bin/app eval Release.migrate
ERROR! Config provider Config.Reader failed with:
** (RuntimeError) environment variable DATABASE_URL is missing.

    /srv/app/releases/1.8.0/runtime.exs:26: (file)
    (elixir 1.15.7) lib/config/reader.ex:92: Config.Reader.read!/2

Runtime terminating during boot
++ on_exit
++ rc=1
++ echo 'deploy: FAILED (rc=1)'
deploy: FAILED (rc=1)
++ docker rm -f app-migrate
Error response from daemon: No such container: app-migrate
++ curl -fsS -X POST https://hooks.example.com/services/x -d '{"text":"staging deploy FAILED"}'
ok
"""


def test_a_nested_trace_is_the_scripts_own_words() -> None:
    root, _, _ = _root(NESTED_TRACE)
    assert root in (2, 3)


# alcotest's `[OK]` rows pass whatever their titles say; OCaml's `Error (warning 32 ...)` is a
# warning made an error, not a warning.
DUNE_WARNING_ERROR = """\
+ dune build @install @runtest --profile=dev
File "lib/config.ml", line 44, characters 14-27:
Alert deprecated: Unix.getlogin
      ocamlc lib/.router.objs/byte/router__Router.{cmi,cmo,cmt} (exit 2)
File "lib/router.ml", line 112, characters 6-22:
112 |   let normalize_prefix p =
          ^^^^^^^^^^^^^^^^
Error (warning 32 [unused-value-declaration]): unused value normalize_prefix.
Testing `util'.

  [OK]          strings                3   percent_decode error on bad escape.
  [OK]          result_ext             1   error on empty list.
  [OK]          result_ext             2   all collects first error.

Test Successful in 0.004s. 9 tests run.
+ exit 1
"""


def test_ocaml_warning_made_an_error_over_passed_alcotest_rows() -> None:
    root, category, _ = _root(DUNE_WARNING_ERROR)
    assert root == _line(DUNE_WARNING_ERROR, "Error (warning 32")
    assert category == "compile"


# Julia's logging box: `┌ Warning:` then `│ exception = ...` is a warning's record.
INSTALLED = "".join(f"   Installed Package{i} ──────── v1.{i}.0\n" for i in range(35))
JULIA_BOX = (
    """\
$ julia --project=. -e 'using Pkg; Pkg.instantiate(); Pkg.test()'
  Installing known registries into `/var/cache/julia`
┌ Warning: could not download https://pkg.julialang.org/registries
│   exception = RequestError: HTTP/2 502 (Operation too slow. Less than 1 bytes/sec transferred the last 20 seconds) while requesting https://pkg.julialang.org/registries
└ @ Pkg.Registry /cache/build/builder-amdci4-0/julialang/julia-release-1-dot-10/usr/share/julia/stdlib/v1.10/Pkg/src/Registry/Registry.jl:69
     Cloning registry from "https://github.com/JuliaRegistries/General.git"
"""
    + INSTALLED
    + """\
ERROR: LoadError: Unable to automatically download/install artifact 'HDF5' from sources listed in '/var/cache/julia/packages/HDF5_jll/Artifacts.toml'.
Sources attempted:
- https://pkg.julialang.org/artifact/7b5a1c3e
    Error: RequestError: Could not resolve host: pkg.julialang.org while requesting https://pkg.julialang.org/artifact/7b5a1c3e

Stacktrace:
  [1] error(s::String)
    @ Base ./error.jl:35
🚨 Error: The command exited with status 1
"""
)


def test_a_julia_warning_box_is_no_cause() -> None:
    root, category, _ = _root(JULIA_BOX)
    assert root in (_line(JULIA_BOX, "ERROR: LoadError"), _line(JULIA_BOX, "    Error: Request"))
    assert category == "network"


# prove's `t/05-db.t ....... skipped: <why>` is a skipped test file, whatever its reason says.
PROVE_SKIPPED = """\
+ prove -lr t/
t/00-load.t .................. ok
t/01-error-handling.t ........ ok
t/02-config.t ................ 
Use of uninitialized value $port in concatenation (.) or string at /drone/src/lib/App/Config.pm line 77.
#   Failed test 'merges environment overrides over file values'
#   at t/02-config.t line 58.
#          got: 'localhost'
#     expected: 'db.internal'
# Looks like you failed 1 test of 14.
t/02-config.t ................ Dubious, test returned 1 (wstat 256, 0x100)
Failed 1/14 subtests 
t/03-templates.t ............. ok
t/04-render-errors.t ......... ok
t/05-db.t .................... skipped: DBI connect('dbname=app_test;host=localhost','app',...) failed: connection to server at "localhost" (127.0.0.1), port 5432 failed: Connection refused
t/06-secrets-redaction.t ..... ok
t/07-cli.t ................... ok
Result: FAIL
"""


def test_a_skipped_prove_file_is_no_cause() -> None:
    root, category, _ = _root(PROVE_SKIPPED)
    assert root in (6, 7)
    assert category == "test"


# PHPStan's table of errors without a file is headed by a lone `Error` cell.
PHPSTAN_TABLES = """\
+ vendor/bin/phpstan analyse --no-progress
Note: Using configuration file /src/phpstan.neon.dist.
 ------ ----------------------------------------------------------------------------------- 
  Line   src/Billing/InvoiceCalculator.php                                                  
 ------ ----------------------------------------------------------------------------------- 
  87     Method App\\Billing\\InvoiceCalculator::subtotal() should return Money but returns Money|null.  
         🪪  return.type                                                                    
 ------ ----------------------------------------------------------------------------------- 

 -- ------------------------------------------------------------------------------------------ 
     Error                                                                                      
 -- ------------------------------------------------------------------------------------------ 
     Ignored error pattern #^Call to an undefined method App\\\\Legacy::.*$# was not matched in reported errors.  
 -- ------------------------------------------------------------------------------------------ 

 [ERROR] Found 2 errors                                                                         

+ exit 1
"""


def test_a_tables_error_header_is_no_cause_and_phpstan_is_lint() -> None:
    root, category, _ = _root(PHPSTAN_TABLES)
    assert root == _line(PHPSTAN_TABLES, "  87     Method")
    assert category == "lint"


# hspec's `title [✔] (0.05s)` passed; TeamCity's execution timeout is the CI's verdict.
HSPEC_TEAMCITY_TIMEOUT = """\
[09:01:47] :	 [Step 2/3] KV.Client
[09:01:48] :	 [Step 2/3]   connect
[09:01:49] :	 [Step 2/3]     connects to a running server [✔] (0.05s)
[09:01:50] :	 [Step 2/3]     retries on connection refused until server comes up [✔] (1.52s)
[09:01:51] :	 [Step 2/3]     gives up after maxRetries with ConnectError [✔] (3.01s)
[09:01:55] :	 [Step 2/3]     put with expired lease fails with LeaseExpired error [✔] (0.21s)
[09:02:02] :	 [Step 2/3]     re-subscribes watchers after failover
[10:02:20]E:	 [Step 2/3] Execution timeout (60 min) exceeded. Stopping the build.
[10:02:20]E:	 [Step 2/3] Sending signal SIGTERM to process 1184812 and its children
[10:02:20]E:	 [Step 2/3] Process exited with code 143 (Step: Test (Command Line))
[10:02:26] : Build finished
"""


def test_teamcity_execution_timeout_is_the_verdict() -> None:
    root, category, signature = _root(HSPEC_TEAMCITY_TIMEOUT)
    assert root == 8
    assert (category, signature) == ("timeout", "infra.timeout.teamcity")


# Stack prefixes what GHC printed building a package with `pkg> `.
STACK_PREFIX = """\
+ stack build --test --no-run-tests
ledger-core> src/Ledger/Error.hs:9:1: warning: [GHC-66111] [-Wunused-imports]
ledger-core>     The import of ‘Data.Maybe’ is redundant
ledger-core>       except perhaps to import instances from ‘Data.Maybe’
ledger-core>     To import instances alone, use: import Data.Maybe()
ledger-core>   |
ledger-core> 9 | import Data.Maybe (fromMaybe)
ledger-core>   | ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
ledger-core> [ 5 of 14] Compiling Ledger.Amount
ledger-core> [ 6 of 14] Compiling Ledger.Account
ledger-core> [ 7 of 14] Compiling Ledger.Parser.Lexer
ledger-core> [ 8 of 14] Compiling Ledger.Parser.ErrorRecovery
ledger-core> [ 9 of 14] Compiling Ledger.Posting
ledger-core> 
ledger-core> src/Ledger/Posting.hs:58:32: error: [GHC-83865]
ledger-core>     • Couldn't match expected type ‘Amount’ with actual type ‘Maybe Amount’
ledger-core>     • In the second argument of ‘addAmount’, namely ‘(postingAmount p)’
ledger-core>       In the expression: addAmount acc (postingAmount p)
ledger-core>       In an equation for ‘go’: go acc p = addAmount acc (postingAmount p)
ledger-core>    |
ledger-core> 58 |     go acc p = addAmount acc (postingAmount p)
ledger-core>    |                                ^^^^^^^^^^^^^^^
ledger-core> 
ledger-core> src/Ledger/Posting.hs:71:22: error: [GHC-83865]
ledger-core>     • Couldn't match type ‘Maybe Amount’ with ‘Amount’
ledger-core>       Expected: [Amount]
ledger-core>         Actual: [Maybe Amount]
ledger-core>     • In the first argument of ‘sumAmounts’, namely
ledger-core>         ‘(map postingAmount ps)’
ledger-core>       In the expression: sumAmounts (map postingAmount ps)
ledger-core>       In an equation for ‘balance’:
ledger-core>           balance ps = sumAmounts (map postingAmount ps)
ledger-core>    |
ledger-core> 71 | balance ps = sumAmounts (map postingAmount ps)
ledger-core>    |                          ^^^^^^^^^^^^^^^^^^^^^
ledger-core> 
ledger-core> src/Ledger/Posting.hs:88:15: error: [GHC-39999]
ledger-core>     • No instance for ‘Num (Maybe Amount)’ arising from a use of ‘+’
ledger-core>     • In the expression: postingAmount a + postingAmount b
ledger-core>       In an equation for ‘merge’:
ledger-core>           merge a b = postingAmount a + postingAmount b
ledger-core>    |
ledger-core> 88 | merge a b = postingAmount a + postingAmount b
ledger-core>    |             ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^
ledger-core> 

Error: [S-7282]
       Stack failed to execute the build plan.
       
       While executing the build plan, Stack encountered the error:
       
       [S-7011]
       While building package ledger-core-0.4.2 (scroll up to its section to see the error) using:
       /root/.stack/setup-exe-cache/x86_64-linux/Cabal-simple_6HauvNHV_3.10.1.0_ghc-9.6.4 --verbose=1 --builddir=.stack-work/dist/x86_64-linux/ghc-9.6.4 build lib:ledger-core --ghc-options " -fdiagnostics-color=always"
       Process exited with code: ExitFailure 1 
"""


def test_stacks_package_prefix_is_seen_through() -> None:
    root, category, _ = _root(STACK_PREFIX)
    assert root == _line(STACK_PREFIX, "ledger-core> src/Ledger/Posting.hs:58:32")
    assert category == "compile"


# BuildKit's `ERROR: failed to solve: <what step #18 reported>` wraps the step's report.
BUILDX_WRAPPED = """\
##[group]Run docker/build-push-action@v6
with:
  push: true
##[endgroup]
#6 importing cache manifest from acme/worker:buildcache
#6 ERROR: failed to configure registry cache importer: docker.io/acme/worker:buildcache: not found

#18 exporting to image
#18 pushing layers 0.7s done
#18 ERROR: failed to push docker.io/acme/worker:1.4.0: push access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
------
 > exporting to image:
------
ERROR: failed to solve: failed to push docker.io/acme/worker:1.4.0: push access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
##[error]buildx failed with: ERROR: failed to solve: failed to push docker.io/acme/worker:1.4.0: push access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed
Post job cleanup.
"""


def test_a_wrapped_report_yields_to_the_report() -> None:
    root, _, _ = _root(BUILDX_WRAPPED)
    assert root == 10


# A compiler's burst of reports: the first is the root, whatever signatures the later ones
# match.
GO_BURST = """\
#13 [builder 7/7] RUN go build -o /out/svc ./cmd/svc
#13 27.41 # github.com/acme/svc/internal/store
#13 27.41 internal/store/reservations.go:88:21: not enough arguments in call to s.q.ReserveStock
#13 27.41 	have (context.Context, string, int32)
#13 27.41 	want (context.Context, db.ReserveStockParams)
#13 27.41 internal/store/reservations.go:117:9: undefined: db.ReleaseStockRow
#13 27.41 internal/store/stock.go:54:27: cannot use row.Quantity (variable of type pgtype.Int4) as int32 value in struct literal
#13 27.41 internal/store/stock.go:72:3: undefined: db.UpsertStockLevelParams
#13 ERROR: process "/bin/sh -c go build -o /out/svc ./cmd/svc" did not complete successfully: exit code: 1
ERROR: failed to solve: process "/bin/sh -c go build -o /out/svc ./cmd/svc" did not complete successfully: exit code: 1
"""


def test_a_compilers_burst_starts_at_its_first_report() -> None:
    root, category, _ = _root(GO_BURST)
    assert root == 3
    assert category == "compile"


SBT_RESOLVE = """\
[info] welcome to sbt 1.9.9 (Eclipse Adoptium Java 17.0.10)
[info] loading project definition from /build/project
[info] Updating billing-events
[error] stack trace is suppressed; run last billing-events / update for the full output
[error] (billing-events / update) sbt.librarymanagement.ResolveException: Error downloading com.acme:schemas_2.13:3.2.0
[error]   Not found
[error] Total time: 14 s, completed Mar 4, 2024, 9:12:01 AM
"""


def test_sbts_resolve_exception_is_a_dependency() -> None:
    root, category, _ = _root(SBT_RESOLVE)
    assert root == 5
    assert category == "dependency"


# Gradle's closing `BUILD FAILED in 41s` yields to the report above it.
GRADLE_PLUGIN_JAVA = """\
##[section]Starting: Gradle assembleDebug
Starting a Gradle Daemon (subsequent builds will be faster)

FAILURE: Build failed with an exception.

* Where:
Build file '/home/vsts/work/1/s/app/build.gradle.kts' line: 1

* What went wrong:
An exception occurred applying plugin request [id: 'com.android.application']
> Failed to apply plugin 'com.android.internal.application'.
   > Android Gradle plugin requires Java 17 to run. You are currently using Java 11.
      Your current JDK is located in /usr/lib/jvm/temurin-11-jdk-amd64
      You can try some of the following options:
       - changing the JAVA_HOME environment variable.

* Try:
> Run with --stacktrace option to get the stack trace.
> Get more help at https://help.gradle.org.

BUILD FAILED in 41s
6 actionable tasks: 4 executed, 2 up-to-date
##[error]Error: The process '/home/vsts/work/1/s/gradlew' failed with exit code 1
"""


def test_gradles_build_failed_yields_to_its_report() -> None:
    root, category, _ = _root(GRADLE_PLUGIN_JAVA)
    assert root == 12
    assert category == "config"


# Flutter prints what a test threw in a box before the runner's `[E]` line for the test.
FLUTTER_BOX = (
    "$ flutter test --reporter expanded\n"
    + "".join(
        f"00:{10 + i // 4:02d} +{i}: /app/test/cart_test.dart: Cart case {i}\n" for i in range(12)
    )
    + """\
══╡ EXCEPTION CAUGHT BY FLUTTER TEST FRAMEWORK ╞════════════════════════════════════════════
The following StateError was thrown running a test:
Bad state: No element

When the exception was thrown, this was the stack:
#4      main.<anonymous closure>.<anonymous closure> (file:///app/test/cart_screen_test.dart:61:7)
<asynchronous suspension>

This was caught by the test expectation on the following line:
  file:///app/test/cart_screen_test.dart line 61
The test description was:
  shows discounted total
════════════════════════════════════════════════════════════════════════════════════════════
00:23 +12 -1: /app/test/cart_screen_test.dart: CartScreen shows discounted total [E]
  Test failed. See exception logs above.
  The test description was: shows discounted total

00:24 +12 -1: Some tests failed.
Exited with code exit status 1
"""
)


def test_a_flutter_test_failure_yields_to_its_exception_box() -> None:
    root, category, _ = _root(FLUTTER_BOX)
    assert root == _line(FLUTTER_BOX, "Bad state: No element")
    assert category == "test"


MSVC_LINK = """\
##[section]Starting: Build
[46/49] Linking CXX executable bin\\viewer.exe
FAILED: bin/viewer.exe 
cmd.exe /C "cd . && cmake.exe -E vs_link_exe --intdir=src\\app\\CMakeFiles\\viewer.dir -- link.exe /nologo main.cpp.obj /out:bin\\viewer.exe"
LINK: command "link.exe /nologo main.cpp.obj /out:bin\\viewer.exe" failed (exit code 1120) with the following output:
renderer.lib(TextureCache.cpp.obj) : error LNK2019: unresolved external symbol "public: static class std::shared_ptr<class gfx::Image> __cdecl gfx::ImageLoader::load(class std::basic_string_view<char>)" referenced in function "public: void __cdecl gfx::TextureCache::warm(void)"
bin\\viewer.exe : fatal error LNK1120: 1 unresolved externals
ninja: build stopped: subcommand failed.
##[error]Cmd.exe exited with code '1'.
"""


def test_msvcs_unresolved_external_is_the_linkers_cause() -> None:
    root, category, signature = _root(MSVC_LINK)
    assert root == 6
    assert (category, signature) == ("compile", "c.linker.undefined_reference")


def test_categories_by_the_root_lines_words() -> None:
    helm = "$ helm upgrade --install --atomic api ./chart\nError: UPGRADE FAILED: release api failed, and has been rolled back due to atomic being set: context deadline exceeded\n"
    assert _root(helm)[1] == "timeout"
    asc = "[10:37:10]: Authentication credentials are missing or invalid. - Provide a properly configured and signed bearer token\n[10:37:11]: fastlane finished with errors\n"
    assert _root(asc)[1] == "credentials"


# A step that failed with `continue-on-error`, then the runner shut down under a later step:
# the shutdown ended the job.
RUNNER_SHUTDOWN = """\
##[group]Run mypy src/
mypy src/
##[endgroup]
src/ledger/api/handlers.py:42: error: Incompatible return value type (got "str | None", expected "str")  [return-value]
Found 1 error in 1 file (checked 61 source files)
##[error]Process completed with exit code 1.
##[group]Run pytest -n 4 -v
pytest -n 4 -v
##[endgroup]
[gw0] [ 24%] PASSED tests/test_sync.py::test_webhook_retry_on_error 
[gw3] [ 25%] PASSED tests/test_parsers.py::test_parse_amount[case22] 
##[error]The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.
##[error]The operation was canceled.
Post job cleanup.
"""


def test_a_runner_shutdown_ends_the_job() -> None:
    root, category, signature = _root(RUNNER_SHUTDOWN)
    assert root == 12
    assert (category, signature) == ("infrastructure", "infra.runner.shutdown")
