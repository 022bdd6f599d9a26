"""Category, domain and severity for a root line no signature claimed, from its words.

Ordered rules: the first whose pattern matches the root line (or, failing that, the failure
marker) decides. Severity follows the documented policy: platform outages high, code failures
medium, lint, flaky and cancelled low.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Rule:
    category: str
    domain: str
    pattern: re.Pattern[str]


def _r(category: str, domain: str, pattern: str) -> Rule:
    return Rule(category, domain, re.compile(pattern, re.I))


#: A socket or HTTP request that waited too long: the network's fault, not a time limit's.
_NETWORK_TIMEOUT = (
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
    _r("network", "platform", _NETWORK_TIMEOUT),
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
        r"|\bconnection failed\b|\bhttp 000\b|\bunknown ?host\b",
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


#: A category a signature gives, refined by what the root line or the failing command says:
#: (category, words or command, refined category, domain). A package manager's or a
#: compiler's signature does not know why: a registry that timed out is the network's doing,
#: a 403 on a backend is a missing role, a compiler-shaped finding of a linter's step is lint.
_REFINE: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None, str, str], ...] = (
    (
        "dependency",
        re.compile(
            _NETWORK_TIMEOUT + r"|connection (?:refused|reset)|econn(?:refused|reset)"
            r"|could not resolve host|temporary failure in name resolution|\benotfound\b|\beai_again\b"
            r"|\bstatus(?: code)?:? 50[234]\b|\b50[234] (?:bad gateway|service unavailable)",
            re.I,
        ),
        None,
        "network",
        "platform",
    ),
    (
        # (a package source that refused the login: Conan's `Wrong user or password`)
        "dependency",
        re.compile(
            r"wrong user(?:name)? or password|\b401\b|unauthori[sz]ed|authentication (?:failed|required)"
            r"|bad credentials|invalid credentials",
            re.I,
        ),
        None,
        "credentials",
        "platform",
    ),
    (
        # (an identity that logged in but may not do this: AWS IAM's `is not authorized to
        # perform: ecr:InitiateLayerUpload`)
        "credentials",
        # (a registry that knows the login but refuses it this: GitLab's `denied: access
        # forbidden` on a push to another project's registry)
        re.compile(r"is not authori[sz]ed to perform|\b403 forbidden\b|\baccess forbidden\b", re.I),
        None,
        "permission",
        "code",
    ),
    (
        # (a database that refused the job's login: `FATAL 28P01 (invalid_password) password
        # authentication failed`, MySQL's `Access denied for user 'x'@'y' (using password: YES)`)
        "config",
        re.compile(
            r"password authentication failed|\binvalid_password\b"
            r"|access denied for user .{0,200}\(using password",
            re.I,
        ),
        None,
        "credentials",
        "platform",
    ),
    (
        # (a signing certificate the job does not have: SignTool's `No certificates were found
        # that met all the given criteria.`)
        "config",
        re.compile(r"\bno certificates were found\b", re.I),
        None,
        "credentials",
        "platform",
    ),
    (
        # (a cloud account's limit that a deploy's generic error reports)
        "config",
        re.compile(
            r"\bquota\b.{0,80}\bexceeded\b|\bquotaexceeded\b|\blimitexceeded\b"
            r"|\bmaximum number of [\w -]{1,60} (?:has|have) been reached\b",
            re.I,
        ),
        None,
        "infrastructure",
        "platform",
    ),
    (
        # (a system package a playbook or a script asked for that the distribution lacks)
        "config",
        re.compile(r"\bno package matching\b|\bunable to locate package\b", re.I),
        None,
        "dependency",
        "code",
    ),
    (
        # (pkg-config's `Package requirements (libsodium >= 1.0.12) were not met`, a library
        # the machine lacks or has too old)
        "config",
        re.compile(
            r"package requirements \(.{1,200}\) were not met|no package '[^']{1,200}' found"
            r"|\b[\w.+-]{1,60}-config not found",
            re.I,
        ),
        None,
        "dependency",
        "code",
    ),
    (
        "config",
        re.compile(
            r"statuscode=403|\b403 forbidden|authorization(?:permissionmismatch|failed)"
            r"|does not have authorization|permission denied|access denied",
            re.I,
        ),
        None,
        "permission",
        "code",
    ),
    (
        "compile",
        re.compile(
            r"(?i)can't resolve '(?![./~])(?:@[\w.-]+/)?[\w.-]+(?:/[\w.-]+)*'"
            r"|unable to resolve module (?![./~])(?:@[\w.-]+/)?[\w.-]+(?:/[\w.-]+)* from "
        ),
        None,
        "dependency",
        "code",
    ),
    (
        # (a deploy that waited for its rollout until its deadline: Helm's `context deadline
        # exceeded`, kubectl's `timed out waiting for the condition`)
        "config",
        re.compile(r"(?i)context deadline exceeded|timed out waiting for the condition"),
        None,
        "timeout",
        "unknown",
    ),
    (
        "compile",
        re.compile(r"."),
        # (linters that print their findings in the compiler's own format)
        re.compile(r"\b(?:clippy|golangci-lint|gometalinter|staticcheck)\b"),
        "lint",
        "code",
    ),
)


def refine(category: str, text: str, command: str) -> tuple[str, str, str] | None:
    """(category, domain, severity) of a signature's cause refined by the root line's words
    and the failing command (`_REFINE`), or None where the signature's stand."""
    for was, words, cmd, to, dom in _REFINE:
        if category == was and words.search(text) and (cmd is None or cmd.search(command)):
            return to, dom, severity(to, dom)
    return None


#: A client's retries of a request that could not connect: pip's `Retrying (Retry(total=0, ...))
#: after connection broken by 'NewConnectionError(...)'`, npm's and Maven's transfer retries.
_CONNECTION_RETRIES = re.compile(
    r"(?i)\bretrying\b.{0,200}\bafter connection broken\b|\bnewconnectionerror\b"
    r"|\bconnecttimeouterror\b|\breadtimeouterror\b|\bproxyerror\b"
)


def refine_by_retries(above: Sequence[str]) -> tuple[str, str, str] | None:
    """Network, where the lines `above` a package manager's `no version found` show its
    requests failing to connect: the index was never read (pip's `(from versions: none)`)."""
    if any(_CONNECTION_RETRIES.search(line[:4096]) for line in above):
        return "network", "platform", severity("network", "platform")
    return None
