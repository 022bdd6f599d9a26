"""The engine's promises one by one: structure per CI system, nothing after the failure is the
cause, redaction everywhere, fingerprints that explain themselves, the severity policy."""

from __future__ import annotations

import json
import re

import pytest

from ciwhy.analysis import analyse
from ciwhy.analysis.fingerprint import fingerprint, mask

GHA = """2024-05-01T10:00:00.0000000Z ##[group]Run npm ci
2024-05-01T10:00:01.0000000Z added 812 packages in 9s
2024-05-01T10:00:01.1000000Z ##[endgroup]
2024-05-01T10:00:02.0000000Z ##[group]Run npm test
2024-05-01T10:00:02.1000000Z > app@1.0.0 test
2024-05-01T10:00:03.0000000Z FAIL src/cart.test.js
2024-05-01T10:00:03.1000000Z   ● cart › adds an item
2024-05-01T10:00:03.2000000Z     expect(received).toBe(expected)
2024-05-01T10:00:03.3000000Z Tests: 1 failed, 12 passed, 13 total
2024-05-01T10:00:03.4000000Z ##[error]Process completed with exit code 1.
2024-05-01T10:00:04.0000000Z Post job cleanup.
2024-05-01T10:00:04.1000000Z error: cache upload failed, will retry next run
"""

GITLAB = """section_start:1714557600:step_script\r\x1b[0KExecuting "step_script" stage
$ cargo build --release
   Compiling app v0.1.0 (/builds/acme/app)
error[E0425]: cannot find value `cfg` in this scope
  --> src/main.rs:12:5
error: could not compile `app` (bin "app") due to 1 previous error
section_end:1714557610:step_script\r\x1b[0K
\x1b[31;1mERROR: Job failed: exit code 101\x1b[0;m
"""

TRAVIS = """travis_fold:start:install\r\x1b[0K$ bundle install
Fetching gem metadata from https://rubygems.org/
travis_fold:end:install\r\x1b[0K
$ bundle exec rspec
Failures:
  1) Cart totals the items
     Failure/Error: expect(cart.total).to eq(30)
       expected: 30
            got: 20
     # ./spec/cart_spec.rb:14:in `block (2 levels) in <top (required)>'
rspec ./spec/cart_spec.rb:12 # Cart totals the items
\x1b[31;1mThe command "bundle exec rspec" exited with 1.\x1b[0m
Done. Your build exited with 1.
"""

JENKINS = """[Pipeline] { (Build)
[Pipeline] sh
+ make all
gcc -O2 -Wall -Werror -c src/io.c -o io.o
src/io.c:41:10: fatal error: zlib.h: No such file or directory
compilation terminated.
make: *** [Makefile:7: io.o] Error 1
[Pipeline] }
ERROR: script returned exit code 2
Finished: FAILURE
"""


@pytest.mark.parametrize(
    "log, lines, code, step_has",
    [
        (GHA, {7, 8}, 1, "npm test"),  # jest's ● test header or the assertion under it
        (GITLAB, {4, 5}, 101, "step_script"),  # the rustc error or its `-->` location
        (TRAVIS, {8, 9}, 1, "bundle exec rspec"),  # the failure header or Failure/Error
        (JENKINS, {5}, 2, "make all"),
    ],
)
def test_structure_per_ci(log: str, lines: set[int], code: int, step_has: str) -> None:
    a = analyse(log.encode())
    assert a.root_cause_line in lines, a.root_cause
    assert a.exit_code == code
    assert a.failing_step is not None and step_has in (
        a.failing_step.name + (a.failing_step.command or "")
    )


def test_lines_after_the_failure_are_not_the_cause() -> None:
    a = analyse(GHA.encode())
    assert a.root_cause_line is not None and a.root_cause_line < 10
    assert all(b.end_line < 10 for b in a.excerpt)


def test_failing_tests_and_location() -> None:
    a = analyse(TRAVIS.encode())
    names = [t.name for t in a.failing_tests]
    assert any("Cart totals the items" in n for n in names), names


SECRET_LOG = """$ ./deploy.sh
Cloning https://x-access-token:ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789@github.com/acme/app.git
fatal: Authentication failed for 'https://x-access-token:ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789@github.com/acme/app.git/'
export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY
The command "./deploy.sh" exited with 128.
"""


def test_secrets_never_leave_the_engine() -> None:
    a = analyse(SECRET_LOG.encode())
    dumped = json.dumps(a.as_dict())
    assert "ghp_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789" not in dumped
    assert "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY" not in dumped
    assert a.root_cause_line == 3
    assert "github.com" in dumped  # the rest of the line stays readable


def test_fingerprint_masks_volatile_values_and_keeps_the_cause() -> None:
    a = fingerprint(
        "Error: connect ECONNREFUSED 127.0.0.1:5432 after 3012ms"
        " (/tmp/pytest-of-runner/pytest-7/x.py:88)",
        "net",
    )
    b = fingerprint(
        "Error: connect ECONNREFUSED 10.1.2.3:6543 after 17ms (/builds/acme/x.py:91)", "net"
    )
    assert a.hash == b.hash
    assert a.template == b.template
    assert ("ip", "127.0.0.1") in a.values
    c = fingerprint("ModuleNotFoundError: No module named 'requests'", "py")
    d = fingerprint("ModuleNotFoundError: No module named 'urllib3'", "py")
    assert c.hash != d.hash
    assert fingerprint("same text", "rule-a").hash != fingerprint("same text", "rule-b").hash
    assert set(a.as_dict()) == {"hash", "template", "values", "rule"}


@pytest.mark.parametrize(
    "a, b",
    [
        (
            "error TS2322: Type 'number' is not assignable",
            "error TS2345: Type 'number' is not assignable",
        ),
        (
            "src/app.py:3:1: F401 'os' imported but unused",
            "src/app.py:3:1: F811 'os' imported but unused",
        ),
        ("error[E0308]: mismatched types", "error[E0425]: mismatched types"),
        ("SC2086: Double quote to prevent globbing", "SC2046: Double quote to prevent globbing"),
    ],
)
def test_the_code_of_an_error_is_kept_whole(a: str, b: str) -> None:
    """An error code names the cause: two codes are two causes, and no digit of one is masked."""
    assert fingerprint(a, "r").hash != fingerprint(b, "r").hash
    for text in (a, b):
        code = re.search(r"[A-Z]+\d+", text)
        assert code is not None and code.group() in fingerprint(text, "r").template


def test_mask_keeps_file_names() -> None:
    template, values = mask("/home/runner/work/app/src/cart.py:12: error: boom 0xdeadbeef")
    assert "cart.py" in template and "<path>" in template and "<hex>" in template
    assert "boom" in template
    assert any(name == "path" for name, _ in values)


def test_mask_takes_no_drive_letter_from_the_end_of_a_word() -> None:
    line = "ERROR:/home/ci/res/layout/main.xml:42: resource (aka com.acme.shopper:color/x)"
    template, _ = mask(line)
    assert template.startswith("ERROR:<path>/main.xml:"), template
    assert "com.acme.shopper:<path>/x" in template
    assert mask(r"C:\a\b\main.cpp(12): error")[0].startswith("<path>")


@pytest.mark.parametrize(
    "line, severity",
    [
        ("curl: (6) Could not resolve host: registry.internal.example", "high"),
        ("src/io.c:41:10: error: 'x' undeclared (first use in this function)", "medium"),
        ("src/app.py:3:1: F401 'os' imported but unused", "low"),
    ],
)
def test_severity_policy(line: str, severity: str) -> None:
    a = analyse(f'$ make check\n{line}\nThe command "make check" exited with 1.\n')
    assert a.root_cause_line == 2, a.root_cause
    assert a.severity == severity, (a.category, a.signature)


def test_root_cause_is_one_short_line() -> None:
    long = "error: " + "x" * 5000
    a = analyse(f"$ build\n{long}\nexit status 1\n")
    assert a.root_cause_line == 2
    assert len(a.root_cause) <= 200 and "\n" not in a.root_cause


def test_a_log_of_nothing_but_errors_is_bounded_and_still_answers() -> None:
    from ciwhy.analysis import locate

    n = locate.MAX_CANDIDATES * 2
    text = "".join(f"src/m{i}.c:{i}:5: error: 'v{i}' undeclared\n" for i in range(n))
    a = analyse(text + "make: *** [all] Error 1\n")
    assert a.root_cause_line is not None and 1 <= a.root_cause_line <= n
    assert a.category == "compile"


def test_a_huge_line_is_cut_in_the_excerpt_and_no_secret_is_cut_in_half() -> None:
    token = "ghp_" + "Ab3" * 12
    huge = "x " * 997 + "E: " + token + " " + "y" * 20_000  # the token spans the cut at 2000
    assert huge.index(token) < 2000 < huge.index(token) + len(token)
    log = f"$ make\n{huge}\nmake: *** [all] Error 1\n"
    a = analyse(log)
    (block,) = a.excerpt
    text = block.text
    assert max(len(line) for line in text.split("\n")) < 2100
    assert "more characters]" in text
    assert "ghp" not in text  # the token straddles the cut: left out whole, not halved
    assert a.root_cause_line == 2
    assert "Ab3Ab3" not in json.dumps(a.as_dict())


def test_package_tools_frontend_chatter_is_never_the_cause() -> None:
    """debconf's complaints in any Debian-based image build (no dialog frontend, no
    Term::ReadLine) are noise, even where a signature knows their words."""
    log = (
        "Step 4/9 : RUN apt-get update && apt-get install -y nginx\n"
        "debconf: delaying package configuration, since apt-utils is not installed\n"
        "debconf: unable to initialize frontend: Dialog\n"
        "debconf: (Can't locate Term/ReadLine.pm in @INC (you may need to install the "
        "Term::ReadLine module) (@INC contains: /etc/perl /usr/share/perl5) at "
        "/usr/share/perl5/Debconf/FrontEnd/Readline.pm line 7.)\n"
        "debconf: falling back to frontend: Teletype\n"
        "Setting up nginx (1.22.1-9) ...\n"
        "$ pytest -q\n"
        "F.\n"
        "E       assert 200 == 503\n"
        "1 failed, 1 passed in 0.12s\n"
        'The command "pytest -q" exited with 1.\n'
    )
    a = analyse(log)
    assert a.root_cause_line == 9, a.root_cause


def test_a_message_ending_its_own_sentence_gets_one_full_stop() -> None:
    a = analyse(
        b"src/orders.ts(42,7): error TS2322: Type 'string | undefined' is not assignable to"
        b" type 'string'.\n"
    )
    assert "'string'." in a.explanation and ".." not in a.explanation, a.explanation


def test_a_long_line_is_fingerprinted_on_its_head() -> None:
    versions = ", ".join(f"2.{minor}.{patch}" for minor in range(30) for patch in range(5))
    line = (
        "ERROR: Could not find a version that satisfies the requirement requests==2.32.9"
        f" (from versions: {versions})"
    )
    fp = fingerprint(line, "python.pip.no_matching_distribution")
    assert len(fp.template) <= 400 and len(fp.values) < 40
    assert "requests" in fp.template
