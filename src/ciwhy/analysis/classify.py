"""Category, domain and severity for a root line no signature claimed, from its words.

Ordered rules: the first whose pattern matches the root line (or, failing that, the failure
marker) decides. Severity follows the documented policy: platform outages high, code failures
medium, lint, flaky and cancelled low.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    domain: str
    pattern: re.Pattern[str]


def _r(category: str, domain: str, pattern: str) -> Rule:
    return Rule(category, domain, re.compile(pattern, re.I))


#: A socket or HTTP request that waited too long: the network's fault, not a time limit's.
NETWORK_TIMEOUT = (
    r"read(?: operation)? timed out|connect(?:ion)? (?:timed out|timeout)|(?:connect|read|socket)"
    r"_?timeout(?:error|exception)?\b|esockettimedout|\betimedout\b|i/o timeout"
    r"|tls handshake timeout|operation timed out"
)
#: A test runner's own time limit on a test, a hook or an assertion's retries.
_TEST_TIMEOUT = (
    r"timed out \d+ ?m?s waiting for (?:expect|locator|selector)|test timeout of \d+|"
    r"timeout of \d+ ?ms exceeded|exceeded timeout of \d+ ?ms|locator\.\w+: timeout \d+"
    r"|\btest timed out after \d+ ?m?s\b"
)

RULES: tuple[Rule, ...] = (
    # (vstest's `The active test run was aborted. Reason: Test host process crashed`: a test
    # crashed the process, nobody cancelled the run)
    _r("test", "code", r"\btest host process crashed\b"),
    _r("cancelled", "unknown", r"\b(?:cancell?ed|aborted by|was aborted|interrupted by user)\b"),
    _r("network", "platform", NETWORK_TIMEOUT),
    _r("test", "code", _TEST_TIMEOUT),
    _r(
        "timeout",
        "platform",
        # (not a quoted name: Erlang's `'timeout'` atom, a `"timeout"` key)
        r"(?<!['\"])\btimed? ?out\b(?![='\"])|no output has been received|exceeded the maximum (?:execution )?time"
        r"|exit(?:ed)? (?:with )?(?:code |status )?124\b|execution took longer than",
    ),
    _r(
        "infrastructure",
        "platform",
        r"out of memory|\boom\b|exit(?:ed)? (?:with )?(?:code|status) 137|\bkilled\b|no space left|disk (?:is )?full|runner .{0,40}(?:lost|shutdown)|lost communication"
        # (an Android device or emulator that stopped answering: ddmlib, adb)
        # (no Docker daemon to reach: Testcontainers' words for it)
        r"|could not find a valid docker environment|cannot connect to the docker daemon"
        r"|\bddmlib\b|device (?:is )?offline|no connected devices|emulator .{0,40}(?:not respond|crashed)"
        # (a cloud account's limits: `Quota 'C2_CPUS' exceeded`, `The maximum number of
        # addresses has been reached`)
        r"|\bquota\b.{0,80}\bexceeded\b|\bquotaexceeded\b|\bexceeded\b.{0,40}\bquota\b"
        r"|\blimitexceeded\b|\bmaximum number of [\w -]{1,60} (?:has|have) been reached\b",
    ),
    _r(
        "credentials",
        "platform",
        r"\b401\b|unauthori[sz]ed|no (?:provisioning )?profiles? for|requires a provisioning profile|no signing certificate|bad credentials|authentication (?:failed|required|error)|token (?:is )?(?:expired|invalid|required)|invalid token|could not read username|publickey"
        r"|credentials (?:are |were )?(?:missing|invalid|expired)|(?:missing|invalid|expired) credentials"
        r"|invalid password|wrong password|\busername and password required\b"
        r"|\bincorrect (?:username or password|password)\b"
        # (code signing: a profile without the certificate, `doesn't include signing certificate`)
        r"|\bprovisioning profile\b|\bsigning certificate\b"
        # (an API key a step was given empty: PowerShell's `parameter 'NuGetApiKey'. The argument
        # is null or empty.`)
        r"|api[ _-]?key\W.{0,80}\b(?:is null or empty|is empty|is missing|is not set|not provided)\b"
        r"|password authentication failed|with your username/password"
        # (MySQL's refusal of the password it was given: `Access denied for user 'root'@'host'
        # (using password: YES)`)
        r"|access denied for user .{0,200}\(using password: yes\)",
    ),
    _r(
        "permission",
        "code",
        r"permission denied|\beacces\b|\b403\b|forbidden|not permitted|access denied"
        # (.NET's and PowerShell's: `Access to the path 'C:\...\Web.config' is denied.`)
        r"|\baccess to the path .{1,300} is denied\b"
        r"|is not authori[sz]ed to perform",
    ),
    # (a download whose hash is not the one pinned: the pin or the artifact changed)
    _r(
        "dependency",
        "code",
        r"\b(?:hash|checksum|integrity|sha\d{0,3}) (?:mismatch|check failed|did not match)",
    ),
    _r(
        "network",
        "platform",
        r"could not resolve host|name or service not known|temporary failure in name resolution|enotfound|econnrefused|connection refused|econnreset|connection reset|etimedout|network is unreachable|(?<!open)ssl|tls|certificate|\b50[234]\b|\b429\b|too many requests|could not create connection|failed to connect|unable to connect|(?<![\w-])proxy(?![\w-])"
        r"|\bconnection failed\b|\bhttp 000\b|\bunknown ?host\b|\bconnectionrefused\b",
    ),
    # (a relative import the bundler cannot resolve: a file of the project moved or misnamed,
    # `Unable to resolve module ./src/screens/Onboarding`)
    _r("compile", "code", r"unable to resolve module [`'\"]?\.{1,2}/|can't resolve '\.{1,2}/"),
    _r(
        "dependency",
        "code",
        r"could not resolve dependenc|cannot find database driver|classnotfoundexception|no matching (?:version|distribution|package)|resolutionimpossible|unable to resolve|not found in (?:registry|repository)|could not find (?:gem|artifact|a version|the package)|unknownpackageerror|package .{0,80} (?:not found|has no installation candidate)|cannot find module|no module named|modulenotfounderror|importerror|unmet dependenc|version conflict|peer dep|\be404\b|404 not found|development (?:files|headers|package)"
        # (sbt's, Ivy's and Coursier's failures to resolve)
        r"|resolveexception|unresolved dependenc|no results matching query were found"
        # (a system package the build needs: `icu required (... apt-get install libicu-dev)`)
        r"|\b(?:apt-get|apt|brew|yum|dnf|apk) (?:add|install) \S"
        # (a version against a constraint: Stack's `hasql-1.1.1 from stack configuration does
        # not match >=1.3 && <1.4`)
        r"|\bno package matching\b|\bunable to locate package\b"
        # (Composer's refused link: `- Only one of these can be installed: a/b[1.0, 2.0], ...`)
        r"|\bonly one of these can be installed\b|\bcould not be resolved to an installable set\b"
        # (a `-sys` crate's build script: `Could not find directory of OpenSSL installation`)
        r"|\bcould not find directory of \S{1,60} installation\b"
        # (Cargo's: `failed to select a version for the requirement `acme-proto = "^0.9.0"``)
        r"|\bfailed to select a version for\b"
        # (NuGet's codes for a package or version it cannot find, in any language)
        r"|\bnu110[1-3]\b"
        r"|\bdoes not match [<>=~^]|does not satisfy (?:that|the) requirement|\bbut it conflicts with\b"
        # (a compiler the machine lacks: meson's `Unknown compiler(s): [['gfortran'], ...]`,
        # CMake's `No CMAKE_Fortran_COMPILER could be found.`)
        r"|unknown compiler\(s\)|no cmake_\w{1,20}_compiler could be found"
        # (a package that needs another runtime than the job's: RubyGems' `activesupport requires
        # Ruby version >= 2.2.2`, pip's `Requires-Python <3.12`)
        r"|\brequires ruby version\b|\brequires-python\b"
        r"|could not find (?:a )?(?:working )?(?:c|c\+\+|fortran|cuda) compiler",
    ),
    _r(
        "lint",
        "code",
        # (gometalinter's `(golint)` after the message; Android Lint's `[NewApi]`)
        r"\((?:golint|errcheck|ineffassign|vet|staticcheck|gosimple|unused|deadcode|varcheck"
        r"|structcheck|misspell|gocyclo|goconst|revive|gosec|unconvert|megacheck)\)\s*$"
        r"|: (?:error|warning): .{1,300} \[[A-Z][a-z]+[A-Z]\w*\]\s*$|"
        # (yamllint's `22:7  error  message  (rule-id)`; dialyzer; MiMa's binary compatibility)
        r"^\s*\d+:\d+\s+(?:error|warning)\s.{1,300}\s\([\w-]+\)\s*$|dialyzer|has no local return"
        r"|binary incompatibilit|\bmima|\b(?:dart|flutter) analyze\b|"
        r"\blint|\bstyle\b|(?<![\w./-])format(?:ting)?\b(?![./])|rubocop|flake8|pylint|eslint|checkstyle|clippy|gofmt|prettier|offenses?|would reformat|codestyle|\bpep ?8\b|shellcheck|\bmd\d{3}\b"
        r"|phpstan|\bpsalm\b|\bphpcs\b|php-cs-fixer"
        # (a formatter's check: `make fmt-check`, `cargo fmt -- --check`)
        r"|\bfmt-check\b|\b(?:go|cargo|terraform|mix|dune|zig|deno) fmt\b"
        # (`pod lib lint`'s results: `    - WARN  | [iOS] xcodebuild:  file.m:58:25: warning: ...`)
        r"|^\s*- (?:error|warn)\s*\| \["
        # (luacheck; PSScriptAnalyzer's rules, `PSAvoidUsingWriteHost  Warning  x.ps1 ...`)
        r"|\bluacheck\b|\bpsscriptanalyzer\b|^ps(?:avoid|use|possible|review|should|provide|missing|dsc|place|align)\w{0,100}\s+(?:error|warning|information)\s",
    ),
    # (a compiler's `file:line:col: error:`, DMD's and MSVC's `file(line,col): Error:`, whatever
    # the step is called)
    _r(
        "compile",
        "code",
        r"^(?:>>\s{1,4})?\S{1,300}\.\w{1,6}(?::\d+:\d+:|\(\d+(?:,\d+)?\):) (?:fatal )?error\b",
    ),
    # (a file of settings or data the job expects, missing: `Could not read "phpunit.xml.dist".`,
    # biber's `Cannot find 'references.bib'!`; before the test words its name may hold)
    _r(
        "config",
        "code",
        r"\b(?:cannot|can't|could not|unable to) (?:find|read|open|load) (?:(?:the )?(?:config(?:uration)? )?file )?['\"`]?[\w./-]{1,200}\.(?:xml|ya?ml|json|toml|ini|cfg|conf|bib|properties|dist|env)\b",
    ),
    # (a linker the toolchain names but the machine lacks: `linker `aarch64-linux-gnu-gcc` not
    # found`)
    _r("config", "code", r"\blinker [`'\"]?\S{1,200}?[`'\"]? not found"),
    # (Android SDK components whose licences the job did not accept: `You have not accepted the
    # license agreements of the following SDK components`)
    _r(
        "config",
        "code",
        r"not accepted the license agreements|\blicen[cs]e for package .{1,200} not accepted",
    ),
    # (a toolchain other than the one the project pins: Stack's `Compiler version mismatched,
    # found ghc-8.4.4 ... but expected ... ghc-8.6.5`)
    _r("config", "code", r"\bcompiler version mismatch|\bis using swift tools version\b"),
    # (a Lisp reader's missing symbol: `Symbol "CLAMPF" not found in the ALEXANDRIA package.`)
    _r("compile", "code", r"\bsymbol \S{1,200} not found in the \S{1,200} package\b"),
    # (a syntax error, whatever words its quoted code holds: `Unexpected identifier 'assert'`)
    _r("compile", "code", r"\bsyntax ?error\b"),
    _r(
        "test",
        "code",
        r"\btests?\b(?!\.(?:ya?ml|json|toml|ini|cfg|conf|env|properties)\b)|\bspecs?\b|\b(?:py\.?test|jest|vitest|mocha|rspec|phpunit|ctest|prove|tox|nox)\b|\b(?:go|cargo|dotnet|mix|swift|npm|yarn|pnpm) test\b|assert|\bfail(?:ed|ure|s)?\b.{0,40}\b(?:test|spec|example)|--- fail|\bnot ok\b|\[fail\]|failure/error"
        # (a notebook run as a test: nbconvert's `--execute`, papermill, nbval, nbmake)
        r"|\bnbconvert\b.{0,80}--execute|\bpapermill\b|\bnbval\b|\bnbmake\b",
    ),
    _r(
        "compile",
        "code",
        r"\bcompil|syntax ?error|\bparse error|undefined reference|undeclared|this expression has type|unbound (?:value|module)|cannot find symbol|\berror\[?e\d|error ts\d|error cs\d|\.(?:c|cc|cpp|h|hpp|java|kt|scala|rs|go|swift|m|hs|cs|ts|tsx):\d+|linker|\bl?ld\b"
        # (OCaml's warnings made errors: `Error (warning 32 [unused-value-declaration]): ...`;
        # gfortran's undeclared names)
        r"|^error \(warning \d+|has no implicit type|undefined (?:variable|mixin|function):",
    ),
    _r(
        "config",
        "code",
        # (a tool that needs another version of a runtime than the job set up)
        r"requires (?:java|jdk|node|python|ruby|go) \d|config(?:uration)?(?:exception|error)"
        r"|(?:target|source|release) (?:option|version) \S{1,10} is no longer supported"
        # (a setting a program needs and was not given: `superuser password is not specified`)
        r"|\b(?:is|are|was) not (?:specified|set|configured)\b|\bmust be set\b"
        r"|improperlyconfigured|is (?:no longer |not |un)supported|\bconfig|yaml|dirty state|\bjson\b|\btoml\b|no such file|not found|command not found|missing|invalid|unknown (?:option|variable)|unrecognized",
    ),
)

SEVERITY_BY_CATEGORY = {
    "network": "high",
    "infrastructure": "high",
    "credentials": "high",
    "timeout": "high",
    "lint": "low",
    "cancelled": "low",
}


#: Environment assignments before a command (`MIX_ENV=test mix compile`): not its words.
_ENV_ASSIGNMENTS = re.compile(r"(?:^|(?<=[\s\"'(]))[A-Z_][A-Z0-9_]*=\S*\s+")


def classify(*texts: str) -> tuple[str, str, str]:
    """(category, domain, severity) from the first rule matching the first text that has one."""
    for text in texts:
        text = _ENV_ASSIGNMENTS.sub("", text) if text else text
        if not text:
            continue
        for rule in RULES:
            if rule.pattern.search(text):
                return rule.category, rule.domain, severity(rule.category, rule.domain)
    return "unknown", "unknown", "medium"


def severity(category: str, domain: str) -> str:
    if category in SEVERITY_BY_CATEGORY:
        return SEVERITY_BY_CATEGORY[category]
    return "high" if domain == "platform" else "medium"
