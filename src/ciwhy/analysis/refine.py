"""A signature's category refined by what the root line, the failing command or the lines above
it say: a package manager's or a compiler's signature does not know why it failed."""

from __future__ import annotations

import re
from collections.abc import Sequence

from ciwhy.analysis.classify import NETWORK_TIMEOUT, severity

#: A category a signature gives, refined by what the root line or the failing command says:
#: (category, words or command, refined category, domain). A package manager's or a
#: compiler's signature does not know why: a registry that timed out is the network's doing,
#: a 403 on a backend is a missing role, a compiler-shaped finding of a linter's step is lint.
_REFINE: tuple[tuple[str, re.Pattern[str], re.Pattern[str] | None, str, str], ...] = (
    (
        "dependency",
        re.compile(
            NETWORK_TIMEOUT + r"|connection (?:refused|reset)|econn(?:refused|reset)"
            r"|could not resolve host|temporary failure in name resolution"
            r"|\benotfound\b|\beai_again\b"
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
            r"wrong user(?:name)? or password|\b401\b|unauthori[sz]ed"
            r"|authentication (?:failed|required)"
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
        # (go vet's findings, in the compiler's `file:line:col:` shape)
        "compile",
        re.compile(
            r"\bformat %\w{1,3} has arg \S{1,200} of wrong type|possible formatting directive"
            r"|call has arguments but no formatting directives|passes lock by value"
            r"|composite literal uses unkeyed fields|\bself-assignment of\b"
        ),
        None,
        "lint",
        "code",
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
