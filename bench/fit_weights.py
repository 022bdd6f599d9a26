"""Fit the root-line weights (src/ciwhy/analysis/weights.py) on labelled logs.

    .venv/bin/pip install -e ".[fit]"
    .venv/bin/python bench/fit_weights.py ../shared/benchmarks/logchunks \
        [--corpus tests/corpus] [--write]

A listwise model: per log, a softmax over its candidate lines, maximising the probability of
the lines people marked as the failure; L2-regularised, fitted by gradient descent (numpy).
Reports root_hit in 5-fold cross-validation grouped by repository (the folds never share a
repository, so the figure estimates what generalises to unseen projects), then fits on all.
Only generic evidence enters the model: no repository, project or file name. With --corpus,
the project's own logs of other CI systems (GitHub Actions, GitLab, Jenkins ...) join every
training fold, so evidence the Travis-only benchmark never shows gets a weight; the
cross-validated figure is still measured on benchmark repositories alone.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np

from ciwhy.analysis import lines, locate, structure
from ciwhy.analysis.library_index import default_library

L2 = 0.05
STEPS = 1500
LR = 0.5


def labelled(data_dir: Path):
    """Every labelled log, read, scanned and structured: (label, log, hits, structure)."""
    lib = default_library()
    for raw in (data_dir / "labels.jsonl").read_text().splitlines():
        lab = json.loads(raw)
        if lab["gold_start"] is None:
            continue
        log = lines.read((data_dir / lab["log"]).read_bytes())
        hits = lib.scan(log.lines, log.text)
        yield lab, log, hits, structure.find(log.lines, hits)


def corpus_cases(corpus: Path):
    """The project's own corpus (tests/corpus): other CI systems' formats than the benchmark's
    Travis logs. Every accepted root line counts as gold."""
    lib = default_library()
    for exp in sorted(corpus.glob("*/*.expected.json")):
        if exp.parent.name == "fingerprint":
            continue
        expected = json.loads(exp.read_text())
        log = lines.read(exp.with_name(exp.name.replace(".expected.json", ".log")).read_bytes())
        hits = lib.scan(log.lines, log.text)
        accept = expected["accept_lines"]
        lab = {
            "gold_start": min(accept),
            "gold_end": max(accept),
            "gold_lines": accept,
            "repo": "corpus:" + exp.parent.name,
        }
        yield lab, log, hits, structure.find(log.lines, hits)


def collect(data_dir: Path, corpus: Path | None = None) -> tuple[list[str], list[dict], list[str]]:
    logs, keys, groups = [], set(), []
    sources = [labelled(data_dir)] + ([corpus_cases(corpus)] if corpus else [])
    for lab, log, hits, st in (row for source in sources for row in source):
        ev = locate.evidence(log.lines, hits, st)
        gold = set(lab.get("gold_lines") or range(lab["gold_start"], lab["gold_end"] + 1))
        # (the line and its signature go along: `locate.choose` weighs signatures beside scores)
        rows = [(e, 1.0 if i + 1 in gold else 0.0, (i, e, sig, st.step_line)) for i, e, sig in ev]
        for e, _, _ in rows:
            keys.update(e)
        logs.append(rows)
        groups.append(lab["repo"])
    return sorted(keys), logs, groups


def to_arrays(keys, logs):
    idx = {k: j for j, k in enumerate(keys)}
    out = []
    for rows in logs:
        x = np.zeros((max(len(rows), 1), len(keys)))
        y = np.zeros(max(len(rows), 1))
        for r, (e, lab, _) in enumerate(rows):
            for k, v in e.items():
                x[r, idx[k]] = v
            y[r] = lab
        out.append((x, y, [place for _, _, place in rows]))
    return out


def fit(data, dim, w0=None):
    """Listwise softmax, all logs stacked in one matrix (segments by log), Adam steps."""
    usable = [(x, y) for x, y, _ in data if y.sum() > 0]
    X = np.vstack([x for x, _ in usable])
    seg = np.concatenate([[k] * len(x) for k, (x, _) in enumerate(usable)])
    starts = np.concatenate([[0], np.cumsum([len(x) for x, _ in usable])[:-1]])
    q = np.concatenate([y / y.sum() for _, y in usable])
    w = np.zeros(dim) if w0 is None else w0.copy()
    m = np.zeros(dim)
    v = np.zeros(dim)
    n = len(usable)
    for t in range(1, STEPS + 1):
        s = X @ w
        smax = np.maximum.reduceat(s, starts)
        e = np.exp(s - smax[seg])
        z = np.add.reduceat(e, starts)
        p = e / z[seg]
        grad = X.T @ (p - q) / n + L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= 0.05 * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def root_hit(data, w):
    """The share of logs whose chosen line (as `locate.choose` chooses) is marked."""
    hits = 0
    for x, y, places in data:
        if not places:
            continue
        scores = x @ w
        chosen = locate.choose(
            [
                locate.candidate(i, float(s), e, sig)
                for (i, e, sig, _), s in zip(places, scores, strict=True)
            ],
            places[0][3],  # (the failing step's first line, the same for every place)
        )
        assert chosen is not None
        hits += y[[i for i, _, _, _ in places].index(chosen.index)] > 0
    return hits / len(data)


def main(argv: list[str]) -> None:
    data_dir = Path(argv[1])
    if "--confidence-only" in argv:  # keep the root-line weights, refit the calibration
        keys = sorted(locate.WEIGHTS)
        conf = fit_confidence(data_dir, keys, [locate.WEIGHTS[k] for k in keys])
        print(json.dumps({"confidence": conf}))
        write(dict(locate.WEIGHTS), conf)
        return
    corpus = Path(argv[argv.index("--corpus") + 1]) if "--corpus" in argv else None
    keys, logs, groups = collect(data_dir, corpus)
    data = to_arrays(keys, logs)
    repos = sorted({g for g in groups if not g.startswith("corpus:")})
    rng = np.random.default_rng(7)
    order = list(rng.permutation(repos))
    folds = [set(order[k::5]) for k in range(5)]
    scores = []
    for fold in folds:
        train = [d for d, g in zip(data, groups, strict=True) if g not in fold]
        test = [d for d, g in zip(data, groups, strict=True) if g in fold]
        w = fit(train, len(keys))
        scores.append((root_hit(test, w), len(test)))
    cv = sum(s * n for s, n in scores) / sum(n for _, n in scores)
    w = fit(data, len(keys))
    print(
        json.dumps(
            {
                "cv_root_hit_by_repo": round(cv, 4),
                "train_root_hit": round(root_hit(data, w), 4),
                "folds": [round(s, 3) for s, _ in scores],
            }
        )
    )
    conf = fit_confidence(data_dir, keys, w)
    print(json.dumps({"confidence": conf}))
    if "--write" in argv:
        write(dict(zip(keys, (float(x) for x in w), strict=True)), conf)


def write(weights: dict[str, float], conf: dict[str, float]) -> None:
    def table(d: dict[str, float]) -> str:
        return "\n".join(f'    "{k}": {round(v, 4)!r},' for k, v in sorted(d.items()))

    Path(locate.__file__).with_name("weights.py").write_text(
        '"""Weights of the root-line evidence (locate.py) and of confidence (confidence.py).\n\n'
        "Generated by bench/fit_weights.py; refit after changing the vocabulary or the evidence.\n"
        '"""\n\n'
        f"WEIGHTS: dict[str, float] = {{\n{table(weights)}\n}}\n\n"
        f"CONFIDENCE: dict[str, float] = {{\n{table(conf)}\n}}\n"
    )


def fit_confidence(data_dir: Path, keys: list[str], w) -> dict[str, float]:
    """Platt scaling of the chosen line's evidence against whether it was right."""
    from ciwhy.analysis import confidence as conf_mod

    weights = dict(zip(keys, (float(x) for x in w), strict=True))
    old = dict(locate.WEIGHTS)
    locate.WEIGHTS.clear()
    locate.WEIGHTS.update(weights)
    rows, ys = [], []
    try:
        for lab, log, hits, st in labelled(data_dir):
            cands = locate.candidates(log.lines, hits, st)
            chosen = locate.choose(cands)
            if chosen is None:
                continue
            rows.append(conf_mod.inputs(chosen, cands, st))
            ys.append(1.0 if lab["gold_start"] <= chosen.index + 1 <= lab["gold_end"] else 0.0)
    finally:
        locate.WEIGHTS.clear()
        locate.WEIGHTS.update(old)
    names = sorted(rows[0])
    X = np.array([[r[k] for k in names] for r in rows])
    y = np.array(ys)
    c = np.zeros(len(names))
    for _ in range(3000):
        p = 1 / (1 + np.exp(-(X @ c)))
        c -= 0.1 * (X.T @ (p - y) / len(y) + 0.001 * c)
    return {k: float(v) for k, v in zip(names, c, strict=True)}


if __name__ == "__main__":
    main(sys.argv)
