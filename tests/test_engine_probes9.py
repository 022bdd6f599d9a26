# ruff: noqa: E501, W291, W293  (log lines as the tools print them: long, tabs, trailing blanks)
"""Shapes from the eighteenth to the twentieth rounds of probe logs: each test fails on the
engine as it was at the session's start (bb8d9b6), except the one marked a guard."""

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


# Round nineteen.

# A Python warning's message may run over several lines before its quoted source line.
SPHINX_WARNING_AS_ERROR = (
    """\
##[group]Run make -C docs html SPHINXOPTS="-W"
make -C docs html SPHINXOPTS="-W"
##[endgroup]
reading sources... [ 22%] api/generated/tidyflow.io
/home/runner/work/tidyflow/src/tidyflow/io.py:17: DeprecationWarning: Pyarrow will become a required dependency of pandas in the next major release of pandas (pandas 3.0),
(to allow more performant data types, such as the Arrow string type, and better interoperability with other libraries)
but was not found to be installed on your system.
If this would cause problems for you,
please provide us feedback at https://github.com/pandas-dev/pandas/issues/54466
        
  import pandas as pd
"""
    + "".join(f"reading sources... [{27 + i}%] guide/page{i}\n" for i in range(25))
    + """\
writing output... [ 72%] guide/quickstart

Warning, treated as error:
/home/runner/work/tidyflow/docs/guide/quickstart.rst:88:undefined label: 'config-options'
make: *** [Makefile:20: html] Error 2
##[error]Process completed with exit code 2.
"""
)


def test_a_python_warnings_message_lines_are_the_warnings() -> None:
    root, _, _ = _root(SPHINX_WARNING_AS_ERROR)
    assert root == _line(SPHINX_WARNING_AS_ERROR, "/home/runner/work/tidyflow/docs/guide")


# GitLab's script stops at the first command that fails: what earlier commands printed
# (a wait loop's refused connections) passed, even when the failing one says little.
GITLAB_DJANGO = """\
section_start:1716301593:step_script
Executing "step_script" stage of the job script
$ python manage.py wait_for_db --timeout 60
Waiting for database 'default' (postgres:5432)...
  attempt 1/30 failed: connection failed: connection to server at "172.17.0.4", port 5432 failed: Connection refused
	Is the server running on that host and accepting TCP/IP connections?
Database 'default' is available (PostgreSQL 16.3) after 2.1s
$ coverage run manage.py test --noinput --parallel 4
Found 486 test(s).
Creating test database for alias 'default' ('test_shop')...
Got an error creating the test database: permission denied to create database

section_end:1716301666:step_script
section_start:1716301666:after_script
Running after_script
$ coverage combine || true
section_end:1716301667:after_script
ERROR: Job failed: exit code 1
"""


def test_gitlabs_earlier_commands_passed() -> None:
    root, category, signature = _root(GITLAB_DJANGO)
    assert root == 11
    assert (category, signature) == ("permission", "python.django.test_database")


def test_more_categories_by_words() -> None:
    conda = "$ conda env create -f environment.yml\nCondaHTTPError: HTTP 000 CONNECTION FAILED for url <https://conda.anaconda.org/pytorch/linux-64/repodata.json>\n"
    assert _root(conda)[1] == "network"
    airflow = "$ python -m airflow db check\nairflow.exceptions.AirflowConfigException: Cannot use relative path: `sqlite:///.airflow/airflow.db` to connect to sqlite.\n"
    assert _root(airflow)[1] == "config"


# rustc's `  --> file:line:col` sits under the diagnostic that says what went wrong.
CLIPPY_LOCATION = """\
[09:41:26]W:	 [Step 3/3]     Checking billing-core v0.9.3 (/work/crates/billing-core)
[09:41:30]W:	 [Step 3/3] error: this expression creates a reference which is immediately dereferenced by the compiler
[09:41:30]W:	 [Step 3/3]    --> crates/billing-core/src/invoice.rs:142:48
[09:41:30]W:	 [Step 3/3]     |
[09:41:30]W:	 [Step 3/3] 142 |         let total = compute_total(&self.lines, &currency)
[09:41:30]W:	 [Step 3/3]     |                                                ^^^^^^^^^ help: change this to: `currency`
[09:41:30]W:	 [Step 3/3]     |
[09:41:30]W:	 [Step 3/3]     = note: `-D clippy::needless-borrow` implied by `-D warnings`
[09:41:30]W:	 [Step 3/3] 
[09:41:30]W:	 [Step 3/3] error: redundant clone
[09:41:30]W:	 [Step 3/3]    --> crates/billing-core/src/ledger/posting.rs:77:37
[09:41:30]W:	 [Step 3/3]     |
[09:41:30]W:	 [Step 3/3] 77 |         let entries = self.entries.clone();
[09:41:30]W:	 [Step 3/3]     |                                     ^^^^^^^^ help: remove this
[09:41:31]W:	 [Step 3/3] error: could not compile `billing-core` (lib) due to 2 previous errors
[09:41:31]E:	 [Step 3/3] Process exited with code 101
"""


def test_a_rustc_location_yields_to_its_diagnostic() -> None:
    assert _root(CLIPPY_LOCATION)[0] == 2


# vstest's `Failed X [1 s]` heads `Error Message:`, whose next line says why; jest's bullet heads
# its message; Playwright's numbered test heads its error, and what its web server printed is
# the application's log.
DOTNET_FAILED = """\
##[section]Starting: dotnet test
Starting test execution, please wait...
  Passed ConnectionString_Is_Read_From_Environment [2 ms]
  Failed CreateOrder_PersistsAllLines [1 s]
  Error Message:
   Class Initialization method OrderRepositoryTests.ClassInitialize threw exception. Npgsql.NpgsqlException: Failed to connect to 127.0.0.1:5432
 ---> System.Net.Sockets.SocketException: Connection refused.
  Stack Trace:
      at Npgsql.Internal.NpgsqlConnector.Connect(NpgsqlTimeout timeout)
Failed!  - Failed:     1, Passed:     1, Skipped:     0, Total:     2
##[error]Error: The process '/usr/bin/dotnet' failed with exit code 1
"""

JEST_BULLET = """\
$ jest --ci
 PASS  src/features/payments/__tests__/refunds.test.ts
 FAIL  src/features/invoices/__tests__/InvoiceTable.test.tsx
  ● InvoiceTable › renders line items grouped by customer

    TypeError: Cannot read properties of undefined (reading 'map')

      41 |       <tbody>
    > 43 |           group.items.map((item) => (
         |                       ^

      at InvoiceTable (src/features/invoices/InvoiceTable.tsx:43:23)

Tests:       1 failed, 41 passed, 42 total
Exited with code exit status 1
"""

PLAYWRIGHT_WEBSERVER = (
    "$ npx playwright test --project=chromium\n"
    + "".join(
        f"  ✓  {i} [chromium] › catalog/search.spec.ts:{i}:5 › search › case {i} (1.{i}s)\n"
        for i in range(1, 8)
    )
    + """\
[WebServer] 4:07:11 PM [vite] http proxy error: /api/payments/intent
[WebServer] Error: connect ECONNREFUSED 127.0.0.1:8787
[WebServer]     at TCPConnectWrap.afterConnect [as oncomplete] (node:net:1605:16)
"""
    + "".join(
        f"  ✓  {i} [chromium] › cart/cart.spec.ts:{i}:5 › cart › case {i} (1.{i}s)\n"
        for i in range(8, 30)
    )
    + """\
  ✘  30 [chromium] › cart/cart.spec.ts:58:5 › cart › removes last item and shows empty state (7.3s)

  1) [chromium] › cart/cart.spec.ts:58:5 › cart › removes last item and shows empty state ──────────
    Error: Timed out 5000ms waiting for expect(locator).toBeVisible()

    Locator: getByRole('heading', { name: 'Your cart is empty' })
    Expected: visible
    Received: <element(s) not found>

  1 failed
  29 passed (1.2m)
##[error]Process completed with exit code 1.
"""
)


def test_test_headers_yield_to_their_messages() -> None:
    assert _root(DOTNET_FAILED)[0] == 6
    assert _root(JEST_BULLET)[0] == 6
    root, category, _ = _root(PLAYWRIGHT_WEBSERVER)
    assert root == _line(PLAYWRIGHT_WEBSERVER, "    Error: Timed out 5000ms")
    assert category == "test"


NX_ESLINT = """\
$ yarn nx affected -t lint --parallel=3
> nx run shared-ui:lint

> eslint .

Oops! Something went wrong! :(

ESLint: 9.6.0

ESLint couldn't find an eslint.config.(js|mjs|cjs) file.

From ESLint v9.0.0, the default configuration file is now eslint.config.js.

 NX    Running target lint for 3 projects failed

Failed tasks:

- shared-ui:lint

View structured, searchable error logs at https://cloud.nx.app/runs/Xk2v9QpR4t
Exited with code exit status 1
"""


def test_nx_closing_lines_and_eslints_missing_config() -> None:
    root, category, signature = _root(NX_ESLINT)
    assert root == 10
    assert (category, signature) == ("config", "js.eslint.config_missing")


# Jenkins timestamper's bare clock, followed by two blanks: both are the stamp's.
JENKINS_TWO_BLANKS = """\
13:47:50  [Pipeline] stage
13:47:50  [Pipeline] { (Install)
13:47:55  + pnpm install --frozen-lockfile
13:47:56  Packages: +1108
13:48:00   WARN  GET https://registry.npmjs.org/@babel/core/-/core-7.24.7.tgz error (ECONNRESET). Will retry in 10 seconds. 2 retries left.
13:48:04  Progress: resolved 1108, reused 0, downloaded 801, added 790
13:48:05   ENOTFOUND  request to https://npm.internal.example.com/@acme/tokens/-/tokens-4.2.0.tgz failed, reason: getaddrinfo ENOTFOUND npm.internal.example.com
13:48:06  
13:48:06  This error happened while installing a direct dependency of /home/jenkins/workspace/portal/packages/theme
13:48:06  [Pipeline] }
13:48:06  [Pipeline] // stage
13:48:07  [Pipeline] stage
13:48:07  [Pipeline] { (Typecheck)
13:48:07  Stage "Typecheck" skipped due to earlier failure(s)
13:48:07  [Pipeline] }
13:48:11  [Pipeline] End of Pipeline
13:48:11  ERROR: script returned exit code 1
13:48:11  Finished: FAILURE
"""


def test_a_bare_clock_with_two_blanks_is_the_stamp() -> None:
    from ciwhy.analysis import lines

    log = lines.read(JENKINS_TWO_BLANKS)
    assert log.lines[0] == "[Pipeline] stage"
    assert (
        log.lines[4]
        == " WARN  GET https://registry.npmjs.org/@babel/core/-/core-7.24.7.tgz error (ECONNRESET). Will retry in 10 seconds. 2 retries left."
    )
    root, category, _ = _root(JENKINS_TWO_BLANKS)
    assert root == 7
    assert category == "network"


GRADLE_TEST_FAILED = """\
> Task :ledger:test

JournalControllerTest > reverseEntryReturnsLinkToReversal() PASSED

JournalRepositoryIT > initializationError FAILED
    java.lang.IllegalStateException: Previous attempts to find a Docker environment failed. Will not retry.
        at org.testcontainers.DockerClientFactory.getOrInitializeStrategy(DockerClientFactory.java:154)
        at org.testcontainers.DockerClientFactory.client(DockerClientFactory.java:196)

12 tests completed, 1 failed

> Task :ledger:test FAILED

FAILURE: Build failed with an exception.
"""


def test_a_gradle_tests_header_yields_to_its_exception() -> None:
    assert _root(GRADLE_TEST_FAILED)[0] == 6


# Round twenty.

# gcc's -Werror prints each warning it promotes as `error:`: the first of those failed the
# build, not a warning another file's compilation let pass.
GCC_WERROR = """\
##[group]Run cmake --build build --parallel 4
cmake --build build --parallel 4
##[endgroup]
[4/42] Building C object src/CMakeFiles/netq.dir/strutil.c.o
/work/src/strutil.c: In function 'netq_strlcpy':
/work/src/strutil.c:41:5: warning: 'strncpy' output may be truncated copying between 0 and 4 bytes [-Wstringop-truncation]
   41 |     strncpy(dst, src, n - 1);
      |     ^~~~~~~~~~~~~~~~~~~~~~~~
[9/42] Building C object src/CMakeFiles/netq.dir/frame.c.o
FAILED: src/CMakeFiles/netq.dir/frame.c.o 
/usr/bin/gcc-12 -O3 -Wall -Wextra -Werror -c /work/src/frame.c
/work/src/frame.c: In function 'netq_frame_decode':
/work/src/frame.c:131:23: error: comparison of integer expressions of different signedness: 'int' and 'uint32_t' [-Werror=sign-compare]
  131 |     for (int i = 0; i < hdr->npad; i++) {
      |                       ^
cc1: all warnings being treated as errors
ninja: build stopped: subcommand failed.
##[error]Process completed with exit code 1.
"""


def test_gccs_promoted_error_is_the_cause_not_an_earlier_warning() -> None:
    assert _root(GCC_WERROR)[0] == 13


# GitHub's `##[error]The operation was canceled.` ends the job: a cleanup step that runs on
# cancellation and fails is not why. (A guard: the session's starting code passed it; a rule
# of this round, GitHub's earlier steps passed, broke it until the cancellation became a
# verdict.)
GHA_CANCELLED = """\
##[group]Run xcrun notarytool submit release/App.dmg --wait
xcrun notarytool submit release/App.dmg --wait
##[endgroup]
Successfully uploaded file
Waiting for processing to complete. Wait timeout is set to 2700.0 second(s).
Current status: In Progress........................................
##[error]The operation was canceled.
##[group]Run security delete-keychain "$RUNNER_TEMP/build.keychain"
security delete-keychain "$RUNNER_TEMP/build.keychain"
rm -f "$RUNNER_TEMP/cert.p12"
shell: /bin/bash -e {0}
##[endgroup]
security: SecKeychainDelete: The specified keychain could not be found.
##[error]Process completed with exit code 50.
Post job cleanup.
"""


def test_a_cancelled_github_job_is_the_verdict() -> None:
    root, category, _ = _root(GHA_CANCELLED)
    assert (root, category) == (7, "cancelled")


# Xcode's `-retry-tests-on-failure`: a try that failed, then passed on its second iteration.
XCTEST_RETRIED = """\
Test Case '-[AppTests.NetworkClientTests testRetriesAfterTimeout]' started.
/Users/runner/work/app/AppTests/NetworkClientTests.swift:74: error: -[AppTests.NetworkClientTests testRetriesAfterTimeout] : Asynchronous wait failed: Exceeded timeout of 2 seconds, with unfulfilled expectations: "response".
Test Case '-[AppTests.NetworkClientTests testRetriesAfterTimeout]' failed (2.014 seconds).
Test Case '-[AppTests.NetworkClientTests testRetriesAfterTimeout]' started (Iteration 2 of 3).
Test Case '-[AppTests.NetworkClientTests testRetriesAfterTimeout]' passed (0.412 seconds).
Test Case '-[AppTests.FormatterTests testCelsius]' started.
Test Case '-[AppTests.FormatterTests testCelsius]' passed (0.002 seconds).
Test Case '-[AppTests.FormatterTests testRoundTrip]' started.
/Users/runner/work/app/AppTests/FormatterTests.swift:41: error: -[AppTests.FormatterTests testRoundTrip] : XCTAssertEqual failed: ("98.6") is not equal to ("98.60")
Test Case '-[AppTests.FormatterTests testRoundTrip]' failed (0.005 seconds).
Test Case '-[AppTests.FormatterTests testRoundTrip]' started (Iteration 2 of 3).
/Users/runner/work/app/AppTests/FormatterTests.swift:41: error: -[AppTests.FormatterTests testRoundTrip] : XCTAssertEqual failed: ("98.6") is not equal to ("98.60")
Test Case '-[AppTests.FormatterTests testRoundTrip]' failed (0.003 seconds).
** TEST FAILED **
##[error]Process completed with exit code 65.
"""


def test_an_xctest_try_that_passed_on_retry_is_no_cause() -> None:
    root, category, _ = _root(XCTEST_RETRIED)
    assert (root, category) == (9, "test")


def test_round_twenty_signatures() -> None:
    symfony = '$ composer install\nScript cache:clear returned with error code 1\n!!  \n!!  In EnvVarProcessor.php line 206:\n!!    Environment variable not found: "MAILER_DSN".\n!!  \nScript @auto-scripts was called via post-install-cmd\n'
    assert _root(symfony)[1:] == ("config", "php.symfony.env_not_found")
    bundler = "$ bundle install\nFetching gem metadata from https://gems.example.com/.\nAuthentication is required for gems.example.com.\nPlease supply credentials for this source. You can do this by running:\n`bundle config set --global gems.example.com username:password`\n"
    assert _root(bundler) == (3, "credentials", "ruby.bundler.auth_required")
    mix = '$ mix compile\n==> jason\nCompiling 10 files (.ex)\n** (File.Error) could not make directory (with -p) "/builds/app/_build/test/lib/jason/ebin": permission denied\n    (elixir 1.16.3) lib/file.ex:364: File.mkdir_p!/1\n'
    assert _root(mix) == (4, "permission", "elixir.runtime.exception")


# ExUnit's numbered failure heads the test's file:line, then what raised; the category stays
# the test's whatever the raised error's words say.
EXUNIT_FAILURE = """\
$ mix test
..........

  1) test register_user/1 rejects an email taken in another case (App.AccountsTest)
     test/app/accounts_test.exs:48
     ** (MatchError) no match of right hand side value: {:ok, %App.Accounts.User{email: "USER@EXAMPLE.COM"}}
     code: {:error, changeset} = Accounts.register_user(%{email: String.upcase(user.email)})
     stacktrace:
       test/app/accounts_test.exs:51: (test)

..........
Finished in 16.8 seconds (4.2s async, 12.6s sync)
1 doctest, 482 tests, 1 failure, 3 excluded
"""


def test_an_exunit_failure_yields_to_what_raised() -> None:
    assert _root(EXUNIT_FAILURE)[:2] == (6, "test")


# lld prints `>>> referenced by` lines under each undefined symbol: its reports are one burst.
LLD_BURST = """\
+ ninja -C build
[30/44] Linking CXX executable bin/mediad
FAILED: bin/mediad 
: && /usr/bin/clang++-17 -O2 -fuse-ld=lld src/main.cpp.o -o bin/mediad src/codec/libmedia_codec.a && :
ld.lld: error: undefined symbol: media::codec::OpusDecoder::OpusDecoder(media::codec::DecoderConfig const&)
>>> referenced by decoder_factory.cpp:48 (/work/src/codec/decoder_factory.cpp:48)
>>>               decoder_factory.cpp.o:(media::codec::MakeDecoder(media::codec::CodecId)) in archive src/codec/libmedia_codec.a

ld.lld: error: undefined symbol: vtable for media::codec::OpusDecoder
>>> referenced by decoder_factory.cpp:48 (/work/src/codec/decoder_factory.cpp:48)
>>>               decoder_factory.cpp.o:(media::codec::MakeDecoder(media::codec::CodecId)) in archive src/codec/libmedia_codec.a
>>> the vtable symbol may be undefined because the class is missing its key function

ld.lld: error: undefined symbol: media::codec::OpusDecoder::SupportsChannels(int)
>>> referenced by decoder_factory.cpp:71 (/work/src/codec/decoder_factory.cpp:71)
>>>               decoder_factory.cpp.o:(media::codec::CanDecode(media::codec::CodecId, int)) in archive src/codec/libmedia_codec.a
clang++: error: linker command failed with exit code 1 (use -v to see invocation)
ninja: build stopped: subcommand failed.
ERROR: script returned exit code 1
Finished: FAILURE
"""


def test_the_linkers_first_undefined_symbol_heads_its_burst() -> None:
    assert _root(LLD_BURST)[0] == 5


# Next.js's legend (`●  (SSG)  prerendered as static HTML`) is no failed test's bullet.
def test_nextjs_legend_is_no_test_bullet() -> None:
    log = (
        "#17 93.08 ○  (Static)   prerendered as static content\n"
        "#17 93.08 ●  (SSG)      prerendered as static HTML (uses getStaticProps)\n"
        "#17 DONE 95.3s\n"
        "#14 171.9 npm ERR! code ENOSPC\n"
        "#14 171.9 npm ERR! nospc ENOSPC: no space left on device, write\n"
        '#14 ERROR: process "/bin/sh -c npm ci" did not complete successfully: exit code: 228\n'
        '##[error]buildx failed with: ERROR: failed to solve: process "/bin/sh -c npm ci" did not complete successfully: exit code: 228\n'
    )
    root, category, _ = _root(log)
    assert root == 5
    assert category == "infrastructure"


# A traced notification to a chat hook after the build (`curl ... "$MATRIX_HOOK_URL"`) is not
# the failing command, whatever it printed.
HOOK_NOTIFY = """\
+ cmake --build build
[12/40] Building CXX object src/render/CMakeFiles/render.dir/TileCache.cpp.o
FAILED: src/render/CMakeFiles/render.dir/TileCache.cpp.o 
/src/include/TileKey.h:27:10: error: 'uint32_t' in namespace 'std' does not name a type
   27 |     std::uint32_t x;
      |          ^~~~~~~~
ninja: build stopped: subcommand failed.
+ curl -fsS -X POST -H "Content-Type: application/json" -d @ci/message.json "$MATRIX_HOOK_URL"
curl: (22) The requested URL returned error: 404
"""


def test_a_traced_chat_hook_is_no_failing_command() -> None:
    a = analyse(HOOK_NOTIFY)
    assert a.root_cause_line == 4
    assert a.failing_step is not None and a.failing_step.command == "cmake --build build"


# A line of Gradle's `What went wrong` report yields to the report's deepest `>` line.
GRADLE_REPORT_DETAIL = """\
FAILURE: Build failed with an exception.

* What went wrong:
A problem occurred configuring project ':core'.
> Could not resolve all files for configuration ':core:compileClasspath'.
   > Could not find com.acme.payments:ledger-client:3.2.0.
     Searched in the following locations:
       - https://nexus.example.com/repository/maven-public/com/acme/payments/ledger-client/3.2.0/ledger-client-3.2.0.pom

* Try:
> Run with --stacktrace option to get the stack trace.

BUILD FAILED in 14s
"""


def test_a_gradle_report_line_yields_to_its_deepest() -> None:
    from ciwhy.analysis import tool_reports
    from ciwhy.analysis.locate import candidate

    lines = GRADLE_REPORT_DETAIL.split("\n")
    upper = candidate(4, 2.0, {}, None)  # (`> Could not resolve all files ...`, 0-based)
    moved = tool_reports.past_task(lines, [upper], upper)
    assert moved is not None and moved.index == 5
    root, category, _ = _root(GRADLE_REPORT_DETAIL)
    assert root == 6
    assert category == "dependency"


# Round twenty-one.

# anyhow's chain (Buck2's errors): the last numbered cause is the deepest.
BUCK2_CHAIN = """\
+++ :buck2: build
Jobs completed: 1972. Time elapsed: 18.4s. Cache hits: 84%. Commands: 493 (cached: 394, remote: 0, local: 99)
Error running analysis for `root//services/api:server (prelude//platforms:default#213ed1b7ab869379)`

Caused by:
    0: Error looking up configured node root//services/api:server (prelude//platforms:default#213ed1b7ab869379)
    1: Error looking up configured node root//libs/proto:api_proto_v2 (prelude//platforms:default#213ed1b7ab869379)
    2: looking up unconfigured target node `root//libs/proto:api_proto_v2`
    3: Unknown target `api_proto_v2` from package `root//libs/proto`.
       Did you mean one of the 5 targets in root//libs/proto:BUCK?
Build ID: 9e3c1f7a-2b4d-4e6f-8a0c-1d3e5f7a9b2c
Jobs completed: 2009. Time elapsed: 19.8s.
BUILD FAILED
Failed to build 'root//services/api:server (prelude//platforms:default#213ed1b7ab869379)'
🚨 Error: The command exited with status 3
"""


def test_an_anyhow_chain_yields_to_its_last_cause() -> None:
    assert _root(BUCK2_CHAIN)[0] == 9


# A tool's own clock after the CI's stamp (dbt's `09:13:05  ` after GitHub's) is a stamp too.
def test_a_tools_clock_after_the_cis_stamp_is_stripped() -> None:
    from ciwhy.analysis import lines

    log = lines.read(
        "2024-06-03T09:13:04.6972840Z \x1b[0m09:13:04  29 of 42 PASS unique_orders_id ..... [PASS in 0.04s]\n"
        "2024-06-03T09:13:05.2863310Z \x1b[0m09:13:05    Database Error in model fct_orders (models/marts/core/fct_orders.sql)\n"
    )
    assert log.lines[0] == "29 of 42 PASS unique_orders_id ..... [PASS in 0.04s]"
    assert log.lines[1] == "  Database Error in model fct_orders (models/marts/core/fct_orders.sql)"


# Bazel's summary row `//pkg:test   FLAKY, failed in 1 out of 2` comes after the failed
# attempt's output: that output is an aside.
BAZEL_FLAKY_ROW = """\
+++ :bazel: test
FAIL: //services/ledger:ledger_test (see /cache/bazel/testlogs/services/ledger/ledger_test/test.log)
INFO: From Testing //services/ledger:ledger_test:
==================== Test output for //services/ledger:ledger_test:
=== RUN   TestLedgerConcurrentWrites
    ledger_test.go:142: write 37 failed: context deadline exceeded
--- FAIL: TestLedgerConcurrentWrites (30.02s)
FAIL
================================================================================
FAIL: //services/reconcile:reconcile_test (shard 3 of 4) (see /cache/bazel/testlogs/services/reconcile/reconcile_test/shard_3_of_4/test.log)
==================== Test output for //services/reconcile:reconcile_test (shard 3 of 4):
=== RUN   TestReconcileDuplicateSettlement
    reconcile_test.go:88: settlement total mismatch for batch "2024-05-13/stripe": got 1999 minor units, want 2000
--- FAIL: TestReconcileDuplicateSettlement (0.02s)
FAIL
================================================================================
//services/ledger:ledger_test                                FLAKY, failed in 1 out of 2 in 30.9s
//services/reconcile:reconcile_test                         FAILED in 1 out of 4 in 0.9s

Executed 38 out of 38 tests: 36 tests pass, 1 fails locally and 1 was flaky.
🚨 Error: The command exited with status 3
"""


def test_a_bazel_flaky_rows_output_is_an_aside() -> None:
    assert _root(BAZEL_FLAKY_ROW)[0] == 13


# jest's `● Console` capture ends at the runner's next line at the margin (a coverage table):
# what follows is not the test's chatter.
STRYKER_AFTER_CONSOLE = """\
$ npx stryker run
 PASS  src/__tests__/stores/redisStore.test.ts
  ● Console

    console.error
      [rate-limiter] redis error: connect ECONNREFUSED 127.0.0.1:6379 - falling back to in-memory store

      at RedisStore.connect (src/stores/redisStore.ts:43:15)

----------------------|---------|----------|---------|---------|-------------------
File                  | % Stmts | % Branch | % Funcs | % Lines | Uncovered Line #s 
----------------------|---------|----------|---------|---------|-------------------
All files             |   93.12 |    88.41 |   95.83 |    93.4 |                  
11:10:46 (2771) INFO HtmlReporter Your report can be found at: file:///home/circleci/project/reports/mutation/mutation.html
11:10:47 (2771) ERROR MutationTestReportHelper Final mutation score of 58.33 is under break threshold 60, setting exit code to 1 (failure).
11:10:47 (2771) INFO MutationTestExecutor Done in 3 minutes and 44 seconds.

Exited with code exit status 1
"""


def test_a_console_capture_ends_at_the_margin() -> None:
    root, category, signature = _root(STRYKER_AFTER_CONSOLE)
    assert (root, category, signature) == (15, "test", "js.stryker.threshold")


GITLEAKS = """\
##[group]Run gitleaks/gitleaks-action@v2
##[endgroup]
10:02:13 DBG skipping finding: global allowlist path: tests/fixtures/keys/fake_rsa_private.pem
Finding:     PARTNER_API_SECRET=REDACTED
Secret:      REDACTED
RuleID:      generic-api-key
File:        deploy/staging/.env.staging
Line:        7

10:02:13 INF 3 commits scanned.
10:02:13 WRN leaks found: 1
Artifact gitleaks-results.sarif has been successfully uploaded!
Post job cleanup.
"""

SEMGREP_TOKEN = """\
$ semgrep ci --gitlab-sast --output=gl-sast-report.json
  SCAN ENVIRONMENT
  versions    - semgrep 1.72.0 on python 3.11.9                                  
  environment - running in environment gitlab-ci, triggering event is push       
                                                                                 
API token not valid. Try to run `semgrep logout` and `semgrep login` again. Or in CI, ensure your SEMGREP_APP_TOKEN variable is set correctly.
section_end:1715685648:step_script
ERROR: Job failed: exit code 2
"""

SQLFLUFF = """\
$ sqlfluff lint models/ --dialect postgres
== [models/marts/finance/fct_invoices.sql] FAIL
L:  23 | P:  31 | LT01 | Expected only single space before '=' (found '  ').
                       | [layout.spacing]
L:  57 | P:   1 | AM04 | Query produces an unknown number of result columns.
                       | [ambiguous.column_count]
== [models/marts/finance/fct_payment_errors.sql] FAIL
L:  18 | P:   9 | AL03 | Column expression without alias. Use explicit `AS`
                       | clause. [aliasing.expression]
All Finished 📜 🎉!
ERROR: Job failed: exit code 1
"""


def test_round_twenty_one_gates() -> None:
    assert _root(GITLEAKS)[0] == 4
    assert _root(SEMGREP_TOKEN)[:2] == (6, "credentials")
    assert _root(SQLFLUFF)[:2] == (3, "lint")


# Round twenty-two: `[!]` is CocoaPods', fastlane's and rollup's mark; the words decide.
def test_bang_marked_errors_take_their_category_from_their_words() -> None:
    rollup = "$ npm run build\n[!] SyntaxError: Unexpected identifier 'assert'\nrollup.config.mjs (3:37)\nnpm error code 1\n"
    assert _root(rollup)[1:] == ("compile", "apple.cocoapods.error")
    fastlane = "[10:02:11]: Uploading the AAB to Google Play\n[!] Google Api Error: forbidden: The caller does not have permission - The caller does not have permission\n"
    assert _root(fastlane)[1] == "permission"


def test_round_twenty_two_categories() -> None:
    steam = "$ steamcmd +login ci-bot ***\nLogging in user 'ci-bot' to Steam Public...FAILED (Invalid Password)\n##[error]Process completed with exit code 5.\n"
    assert _root(steam)[1] == "credentials"
    gfortran = "src/solver.f90:41:12:\n\n   41 |     nx_loc = nx / nprocs\n      |            1\nError: Symbol 'nx_loc' at (1) has no IMPLICIT type; did you mean 'nx_local'?\nmake: *** [Makefile:12: solver.o] Error 1\n"
    assert _root(gfortran)[1] == "compile"
    maven = "[INFO] Compiling 42 source files with javac [debug release 7] to target/classes\n[ERROR] COMPILATION ERROR : \n[ERROR] Target option 7 is no longer supported. Use 8 or later.\n[INFO] BUILD FAILURE\n"
    assert _root(maven)[1] == "config"
