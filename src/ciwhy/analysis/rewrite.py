"""Rewriting patterns for the whole-buffer engines (hyperscan, re2).

Signatures and features are written as Python reads them, one line at a time. The fast engines
scan the whole buffer instead, and report a hit at *every* offset where a match can end. Three
rewrites keep their answer to "does this pattern match on this line?" the same while keeping
them fast:

- ``single_line``: ``\\s``, ``\\W``, ``\\D`` and negated classes never cross a line break;
- ``trim_tail``: a repeat at the very end of a pattern adds nothing to whether it matches
  (``error: .{1,300}`` matches a line exactly when ``error: .`` does) but makes the engine
  report one hit per character of the tail; it is cut down to its minimum;
- ``relax_bounds``: large bounded repeats elsewhere (``.{1,200}x``) grow the automata; they
  become unbounded (a superset within one line) and the caller verifies hits per line where
  the exact bound matters.

And one for Hyperscan alone, ``split_leading_blanks`` (see its docstring); and one for
patterns whose hits the caller verifies line by line (signatures), ``unanchor``.
"""

from __future__ import annotations

import re

_BOUNDED = re.compile(r"(?<!\\)\{(\d+),(\d+)\}")
#: Repeats bounded above this are relaxed for the fast engines (their automata grow with it).
RELAX_ABOVE = 20
_QUANT = re.compile(r"(?:[*+?]|\{(\d+)(?:,(\d*))?\})[?+]?")
_HEX = {"x": 2, "u": 4, "U": 8}


def single_line(pattern: str) -> str:
    """Rewrite a pattern so that it can never match across a line break.

    The fast engines scan the whole buffer, where ``\\s``, ``\\W``, ``\\D`` and negated
    classes would also match ``\\n``; per line (as Python reads a pattern) they cannot.
    """
    out: list[str] = []
    i, n, in_class = 0, len(pattern), False
    while i < n:
        c = pattern[i]
        if c == "\\" and i + 1 < n:
            esc = pattern[i : i + 2]
            if esc == "\\s":
                out.append(" \\t" if in_class else "[ \\t]")
            elif esc in ("\\W", "\\D") and not in_class:
                out.append("[^" + ("\\w" if esc == "\\W" else "\\d") + "\\n]")
            else:
                out.append(esc)
            i += 2
            continue
        if not in_class and c == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^\\n")
                i += 2
            else:
                out.append(c)
                i += 1
            if i < n and pattern[i] == "]":  # a literal ] first in the class
                out.append("]")
                i += 1
            continue
        if in_class and c == "]":
            in_class = False
        out.append(c)
        i += 1
    return "".join(out)


def relax_bounds(pattern: str) -> str:
    """Large bounded repeats (``.{1,200}``) cost the automata dearly; unbounded ones match a
    superset within one line, and per-line verification restores the exact bound."""
    return _BOUNDED.sub(
        lambda m: m.group(0) if int(m.group(2)) <= RELAX_ABOVE else f"{{{m.group(1)},}}", pattern
    )


def _class_end(p: str, i: int) -> int:
    """Index just past the character class starting at ``p[i] == '['``."""
    j = i + 1
    if p.startswith("^", j):
        j += 1
    if p.startswith("]", j):
        j += 1
    while j < len(p) and p[j] != "]":
        j += 2 if p[j] == "\\" else 1
    return j + 1


def _group_end(p: str, i: int) -> int:
    """Index just past the group starting at ``p[i] == '('``."""
    depth, j = 0, i
    while j < len(p):
        c = p[j]
        if c == "\\":
            j += 2
            continue
        if c == "[":
            j = _class_end(p, j)
            continue
        depth += c == "("
        depth -= c == ")"
        j += 1
        if depth == 0:
            return j
    return j


def _atoms(p: str) -> list[tuple[str, str]]:
    """A branch as (atom, quantifier) pairs; a group is one atom."""
    out: list[tuple[str, str]] = []
    i = 0
    while i < len(p):
        c = p[i]
        if c == "\\":
            j = i + 2 + _HEX.get(p[i + 1 : i + 2], 0)
        elif c == "[":
            j = _class_end(p, i)
        elif c == "(":
            j = _group_end(p, i)
        else:
            j = i + 1
        q = _QUANT.match(p, j)
        out.append((p[i:j], q.group(0) if q else ""))
        i = q.end() if q else j
    return out


def branches(p: str) -> list[str]:
    """The top-level alternatives of a pattern (or of a group's body)."""
    out: list[str] = []
    cur: list[str] = []
    for atom, quant in _atoms(p):
        if atom == "|":
            out.append("".join(cur))
            cur = []
        else:
            cur.append(atom + quant)
    out.append("".join(cur))
    return out


_GROUP_HEAD = re.compile(r"\((?:\?:|\?P<\w+>|(?!\?))")


def _trim_branch(branch: str) -> str:
    atoms = _atoms(branch)
    while atoms:
        atom, quant = atoms[-1]
        if not quant:
            head = _GROUP_HEAD.match(atom)
            if head and atom.endswith(")"):  # a plain group ends the branch: trim inside it
                body = atom[head.end() : -1]
                atoms[-1] = (head.group(0) + trim_tail(body) + ")", "")
            break
        m = _QUANT.match(quant)
        assert m is not None
        least = 0 if quant[0] in "*?" else 1 if quant[0] == "+" else int(m.group(1))
        if least == 0:
            atoms.pop()
            continue
        atoms[-1] = (atom, "" if least == 1 else f"{{{least}}}")
        break
    return "".join(a + q for a, q in atoms)


def trim_tail(pattern: str) -> str:
    """Cut repeats that end a pattern (or one of its alternatives) to their minimum: whether
    a line matches is unchanged, but the engines stop reporting one hit per tail character.
    Named captures may lose their content; the fast engines never report captures."""
    return "|".join(_trim_branch(b) for b in branches(pattern))


# A line start, a blank, and a repeat that allows none of it: `^[ \t]*`, `^ ?`, `^[ \t]{0,8}`.
_LEADING_BLANKS = re.compile(r"\^(\[ \\t\]|\[\\t \]| |\\t)(\*|\?|\{0,(\d*)\})[?+]?")


def split_leading_blanks(branch: str) -> list[str]:
    """``^[ \\t]*rest`` as the two branches ``^rest`` and ``^[ \\t]+rest`` (the same lines
    match). Hyperscan 5.4 (python-hyperscan 0.9.1) drops hits of optional leading blanks in a
    multi-pattern database (``^[ \\t]*\\[?error\\]`` beside ``^[ \\t]*Traceback``: every hit the
    dev corpus lost had this shape), and its start-of-match mode, which keeps them, slows the
    scan by a quarter and crashes on some of them (``^ *ok`` over a line of 305 characters). As two
    branches, the hits are those of Python's ``re`` on the corpus and on random pattern sets."""
    m = _LEADING_BLANKS.match(branch)
    if m is None:
        return [branch]
    blank, quant, most = m.groups()
    rest = branch[m.end() :]
    if quant == "?":
        at_least_one = ""
    elif quant == "*" or not most:
        at_least_one = "+"
    else:
        at_least_one = f"{{1,{most}}}"
    return ["^" + rest, "^" + blank + at_least_one + rest]


# A line start and the blanks a pattern allows after it: `^`, `^\s{4,16}`, `^[ \t]*`, `^\s+`.
_LEAD = re.compile(r"\^(?:\\s|\[ \\t\]|\[\\t \]| |\\t)?(?:\{\d+(?:,\d*)?\}|[*+?])?[?+]?")


def unanchor(pattern: str) -> str:
    r"""The pattern without its line start and leading blanks: a superset on every line, for a
    caller that verifies each hit against the pattern itself. A pattern tied to the start of
    the line makes the automata follow every line from its first character (`^\s{4,16}` then
    a file name, before the literal `_test.go:` can decide); without it the engine looks for
    the pattern's literals first. On the dev corpus this halves the scan's time for 0.8 % more
    hits. Patterns of several top-level alternatives, and those that would then match an empty
    line, are left alone."""
    flags = "(?i)" if pattern.startswith("(?i)") else ""
    body = pattern[len(flags) :]
    if not body.startswith("^") or len(branches(body)) > 1:
        return pattern
    rest = body[_LEAD.match(body).end() :]  # type: ignore[union-attr]
    out = flags + rest
    try:
        if not rest or re.search(out, "") is not None:
            return pattern
    except re.error:
        return pattern
    return out


def allow_prefix(pattern: str, prefix: str) -> str:
    """The pattern with an optional `prefix` after each top-level `^` (a line's start)."""
    flags = "(?i)" if pattern.startswith("(?i)") else ""
    body = pattern[len(flags) :]
    return flags + "|".join(
        f"^(?:{prefix})?{b[1:]}" if b.startswith("^") else b for b in branches(body)
    )
