"""A compiled library: signatures and the heuristic vocabulary in one multi-pattern scanner."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt

from ciwhy.analysis import scanner
from ciwhy.analysis.lines import Lines
from ciwhy.analysis.rewrite import allow_prefix, unanchor
from ciwhy.analysis.signatures import Signature, load
from ciwhy.analysis.vocabulary import FEATURES, Feature

Ints = npt.NDArray[np.int64]

#: Longest line prefix that per-line regexes (captures) look at.
MAX_LINE = 4096


@dataclass(frozen=True, slots=True)
class SignatureHit:
    signature: Signature
    captures: dict[str, str]
    span: tuple[int, int]


@dataclass(slots=True)
class Hits:
    """What the scan found, by 0-based line index."""

    features: dict[int, frozenset[str]] = field(default_factory=dict)
    roles: dict[str, list[int]] = field(default_factory=dict)
    signatures: dict[int, list[SignatureHit]] = field(default_factory=dict)
    #: Lines with signatures that their tool tags as warnings (`[WARNING] ...`, `warning: ...`).
    warned: set[int] = field(default_factory=set)
    #: The discount features of a line: the scan leaves them to the candidates (locate.py).
    discounts: Callable[[str], set[str]] = field(default=lambda line: set())
    #: `features` as arrays: the lines that have any (ascending) and each one's features as
    #: bits of one int (`bit` gives each feature's), for questions about all lines at once.
    feature_lines: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    feature_masks: Ints = field(default_factory=lambda: np.zeros(0, np.int64))
    bit: Mapping[str, int] = field(default_factory=dict)

    def lines_with(self, any_of: Iterable[str], none_of: Iterable[str] = ()) -> Ints:
        """The lines (ascending) with a feature in `any_of` and none in `none_of`."""
        want = sum(self.bit.get(name, 0) for name in set(any_of))
        avoid = sum(self.bit.get(name, 0) for name in set(none_of))
        masks = self.feature_masks
        found: Ints = self.feature_lines[((masks & want) != 0) & ((masks & avoid) == 0)]
        return found


class _DiscountSet:
    """Which discount features a line has, all patterns in one pass (an RE2 set), with
    Python's `re` one by one where RE2 is not installed."""

    def __init__(self, features: Sequence[Feature]) -> None:
        self.names = [f.name for f in features]
        self._set = None
        try:
            import re2

            rset = re2.Set.SearchSet(re2.Options())
            for f in features:
                rset.Add(f.pattern)
            rset.Compile()
            self._set = rset
        except Exception:  # not installed, or a pattern RE2 refuses: Python re, one by one
            self._regexes = [(f.name, re.compile(f.pattern)) for f in features]

    def match(self, line: str) -> set[str]:
        if self._set is not None:
            return {self.names[i] for i in self._set.Match(line) or ()}
        return {name for name, rx in self._regexes if rx.search(line)}


#: Not part of what a pattern captures: a CI's annotation prefix on a tool's line (GitHub
#: renders `::error file=..::msg` and a tool's `--output-format=github` as `##[error]msg`),
#: and the padding or rule a runner draws after a value (eslint's aligned columns, Playwright's
#: `── ` after a test's title).
_ANNOTATION = re.compile(r"^##\[(?:error|warning|notice)\]")
_TRAILING = " \t─━"
#: What a monorepo runner or Compose puts before each line of a task's or a service's output:
#: Turborepo's `@acme/web:build: `, yarn's `[@acme/web]: `, pnpm's `packages/web test: `,
#: Compose's `api-1  | `, fastlane's `▸ ` before what the command it ran printed, Stack's
#: `pkg> ` before what GHC printed building a package, Packer's `==> amazon-ebs.base: ` and
#: `    amazon-ebs.base: ` before what a builder or its provisioner printed, Gradle's
#: `[ant:checkstyle] ` before what an Ant task reported. Signatures
#: anchored at the line's start are tried again on the rest of the line, and the vocabulary's
#: line-start features see through it.
TOOL_PREFIX = (
    r"(?:@[\w.-]{1,100}/)?[\w.-]{1,100}:[a-z][\w:.-]{0,100}: "
    r"|\[(?:@[\w.-]{1,100}/)?[\w.-]{1,100}\]: "
    r"|[\w.@-]{1,100}/[\w./-]{1,200} [a-z][\w:.-]{0,100}: "
    r"|[\w.-]{1,100}[-_]\d{1,3} +\| "
    r"|▸ "
    r"|(?:==>| {4})[a-z][\w-]{0,60}\.[\w-]{1,100}: "
    r"|\[ant:[\w-]{1,60}\] "
    r"|[a-z][a-z0-9-]{0,60}> "
)
_TOOL_PREFIX = re.compile(TOOL_PREFIX)
#: The features that see through a tool's prefix (not the CI's own structure lines): a test
#: runner's captured output is a tool's too (`@shop/api:test: stderr | a.test.ts > test`).
_PREFIXED_ROLES = ("score", "cascade", "frame", "vitest_console")


#: A tool's tag for a warning at the start of its line: Maven's `[WARNING]`, sbt's `[warn]`, a
#: compiler's `warning:`, pip's and Bazel's `WARNING:`, `WARN `, GitHub's `##[warning]`
#: annotation. (Not `WARNING: DATA RACE` nor `WARNING: ThreadSanitizer:`: the race detectors'
#: reports fail the test.)
#: A tool's tag for information at the start of its line (Maven's and pre-commit's `[INFO]`,
#: Bazel's `INFO:`, logrus' `INFO[0002]`, kaniko's, a logger's `debug - <date>`): what it did,
#: not what failed. (Not sbt's `[info]`: its test reports, failed ones included, are info lines.)
INFO_TAG = re.compile(
    r"^\W{0,3}(?:\[INFO\]|INFO:|INFO\[\d{1,6}\]) "
    # (a logger's `debug - 2025-01-22 10:07:34,438 -- ...`, codecov-cli's)
    r"|^(?:debug|info) - \d{4}-\d\d-\d\d "
)
WARNING_TAG = re.compile(
    r"^\W{0,3}(?:\[(?:WARNING|WARN|W|warning|warn)\]|warning:|WARN\[\d{1,6}\] "
    r"|WARNING:(?! DATA RACE| ThreadSanitizer)|WARN "
    # (Anchore's syft and grype: a counter, then the level, `[0000]  WARN no explicit name`)
    r"|\[\d{4}\]\s{1,4}WARN\s)"
)


def _bare(value: str) -> str:
    if value.startswith("##["):
        value = _ANNOTATION.sub("", value, count=1)
    return value.rstrip(_TRAILING) or value


class Library:
    """Signatures + vocabulary compiled once; ``scan`` runs them all over a log in one pass."""

    def __init__(
        self,
        signatures: Sequence[Signature],
        features: Sequence[Feature] = FEATURES,
        backends: Sequence[str] = ("hyperscan", "re2"),
    ) -> None:
        self.signatures = tuple(signatures)
        self.features = tuple(f for f in features if f.gate)
        self._discounts = _DiscountSet([f for f in features if not f.gate])
        patterns: list[str] = [
            allow_prefix(f.pattern, TOOL_PREFIX) if f.role in _PREFIXED_ROLES else f.pattern
            for f in self.features
        ]
        self._owner: list[tuple[int, int]] = [(-1, i) for i in range(len(self.features))]
        for si, sig in enumerate(self.signatures):
            for pi, pattern in enumerate(sig.patterns):
                # (each signature hit is verified on its line below: the scan may find more)
                patterns.append(unanchor(pattern))
                self._owner.append((si, pi))
        self.patterns = tuple(patterns)
        self._feature_of = [(f.name, f.role) for f in self.features]
        if len(self.features) > 62:  # (a line's features are the bits of one int64)
            raise ValueError(f"{len(self.features)} gating features: at most 62 fit a mask")
        self._roles = sorted({f.role for f in self.features})
        self._role_of = np.array([self._roles.index(f.role) for f in self.features], np.int64)
        self._names_of: dict[int, frozenset[str]] = {}
        self._bit: dict[str, int] = {}
        for i, f in enumerate(self.features):  # (features sharing a name share the bits)
            self._bit[f.name] = self._bit.get(f.name, 0) | 1 << i
        self.backend = scanner.build(self.patterns, backends)

    @classmethod
    def load(
        cls, user_dirs: Iterable[Path | str] = (), backends: Sequence[str] = ("hyperscan", "re2")
    ) -> Library:
        return cls(load(user_dirs), backends=backends)

    def discounts(self, line: str) -> set[str]:
        return self._discounts.match(line[:MAX_LINE])

    def scan(self, lines: Sequence[str], text: str) -> Hits:
        hits = Hits(discounts=self.discounts)
        starts = lines.starts() if isinstance(lines, Lines) else None
        pids, idxs = scanner.scan_arrays(self.backend, text, starts)  # by pattern, then line
        nfeat = len(self.features)
        # Patterns are rewritten never to span lines: a feature hit is final.
        split = int(np.searchsorted(pids, nfeat))
        self._features(hits, pids[:split], idxs[:split])
        for pid, idx in zip(pids[split:].tolist(), idxs[split:].tolist(), strict=True):
            si, j = self._owner[pid]  # (signature, pattern index)
            sig = self.signatures[si]
            line, offset = lines[idx][:MAX_LINE], 0
            m = sig.compiled()[j].search(line)
            if m is None and (tool := _TOOL_PREFIX.match(line)) is not None:
                # (a monorepo runner's prefix before the tool's own line: read the line as
                # the tool printed it)
                offset = tool.end()
                m = sig.compiled()[j].search(line[offset:])
            if m is None:  # beyond MAX_LINE, or a construct the engines read differently
                continue
            if idx not in hits.signatures and WARNING_TAG.match(line):
                hits.warned.add(idx)
            found = hits.signatures.setdefault(idx, [])
            if all(h.signature.id != sig.id for h in found):
                caps = {k: _bare(v) for k, v in m.groupdict().items() if v is not None}
                found.append(SignatureHit(sig, caps, (m.start() + offset, m.end() + offset)))
        return hits

    def _features(self, hits: Hits, pids: npt.NDArray[np.int64], idxs: Ints) -> None:
        """Each line's feature names and each role's lines (one entry per feature hit, in
        order), from the feature hits, grouped in numpy: a log has hundreds of thousands of
        hits and few distinct sets of features, each built once (a frozenset, shared)."""
        for k, role in enumerate(self._roles):
            if role != "score" and len(at := idxs[self._role_of[pids] == k]):
                hits.roles[role] = np.sort(at).tolist()
        order = np.argsort(idxs, kind="stable")
        idxs, bits = idxs[order], np.left_shift(1, pids[order])
        first = np.flatnonzero(np.diff(idxs, prepend=-1))  # where each line's hits begin
        hits.bit = self._bit
        if not len(first):
            return
        hits.feature_lines = idxs[first]
        hits.feature_masks = np.bitwise_or.reduceat(bits, first)
        masks = hits.feature_masks.tolist()
        names = self._names_of
        for mask in set(masks).difference(names):
            names[mask] = frozenset(n for n, b in self._bit.items() if mask & b)
        features = zip(hits.feature_lines.tolist(), map(names.__getitem__, masks), strict=True)
        hits.features.update(features)


_default: dict[tuple[str, ...], Library] = {}


def default_library(user_dirs: Iterable[Path | str] = ()) -> Library:
    key = tuple(str(d) for d in user_dirs)
    lib = _default.get(key)
    if lib is None:
        lib = _default[key] = Library.load(key)
    return lib
