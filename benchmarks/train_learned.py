"""Train the learned reading of `phrasekit check` (phrasekit/learned.py) on the labelled reply
corpora, and measure it on corpora it was not trained on.

    python benchmarks/train_learned.py            # writes phrasekit/learned.json
    python benchmarks/train_learned.py --cross    # leave each corpus out in turn; prints figures
    python benchmarks/train_learned.py --test F   # train on all, measure on F (totals only)

Needs numpy (the semantic extra has it). One logistic model per family over the words and word
pairs of each whole reply (`learned.features`), classes weighted to balance, L2-regularised,
fitted by full-batch gradient descent from zero (the same file from the same corpora). Only the
weightiest features are kept (`KEEP`), so a check reads a small file.

--cross trains on all corpora but one and reports, on the one left out, what the rules find
for the learned families alone and with the learned reading added, at several thresholds:
true and false findings, and good replies that get a new finding.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from phrasekit import learned  # noqa: E402
from phrasekit.check import builtin_rules, check_text  # noqa: E402

CORPORA = ROOT / "tests" / "fixtures" / "replies"
L2 = 1.0
"""The weight of the penalty on squared weights (scikit-learn's C = 1): fewer and smaller weights
than 0.1 gave, and left-out corpora scored the same or better."""
STEPS = 400
RATE = 0.1
MIN_REPLIES = 2
"""A feature must be in at least this many training replies: one reply's oddity is not a cue."""
KEEP = 800
"""Features kept per family, by the size of their weight: leaving each corpus out, 800 found
as much as 2,000 did (793 against 795 true findings at 0.8, 73 against 77 false), and a check
reads 90 KB instead of 220."""
THRESHOLDS = (0.5, 0.6, 0.7, 0.8, 0.85, 0.9)


def bank_replies() -> list[dict]:
    """The built-in bank's phrases, filled as a rep fills them, as words to send: the practice's
    own wording is never any family's (and ``check`` must pass every one of them)."""
    from phrasekit.blanks import STANDARD, fill
    from phrasekit.packs import builtin_pack_dir, load_pack

    pack = load_pack(builtin_pack_dir(), "builtin")
    return [{"text": fill(phrase.text, {}, lambda name: STANDARD[name].example), "must": [], "verdict": "send",
             "channel": "social" if phrase.channels == ("social",) else "chat", "kind": "reply"}
            for phrase in pack.phrases]  # fmt: skip


def load(path: Path) -> list[dict]:
    return yaml.safe_load(path.read_text(encoding="utf-8"))["replies"]


def fit(rows: list[set[str]], labels: np.ndarray) -> tuple[float, dict[str, float]]:
    """One family's bias and kept weights."""
    counts = Counter(f for row in rows for f in row)
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_REPLIES)
    column = {f: i for i, f in enumerate(vocabulary)}
    # Each reply's features as column numbers in one flat array: x @ w and x.T @ e at C speed.
    columns = [np.array(sorted(column[f] for f in row if f in column), dtype=np.int64) for row in rows]
    flat = np.concatenate(columns) if columns else np.zeros(0, dtype=np.int64)
    row_of = np.repeat(np.arange(len(rows)), [len(c) for c in columns])
    y = labels.astype(np.float64)
    positives = max(float(y.sum()), 1.0)
    negatives = max(float(len(y) - y.sum()), 1.0)
    weight = np.where(y > 0, len(y) / (2 * positives), len(y) / (2 * negatives))
    w = np.zeros(len(vocabulary))
    b = 0.0
    m = np.zeros_like(w)
    v = np.zeros_like(w)
    mb = vb = 0.0
    for step in range(1, STEPS + 1):  # Adam on the mean weighted log-loss plus the L2 penalty
        logit = np.bincount(row_of, weights=w[flat], minlength=len(rows)) + b
        p = 1.0 / (1.0 + np.exp(-logit))
        error = weight * (p - y)
        gw = (np.bincount(flat, weights=error[row_of], minlength=len(w)) + L2 * w) / len(y)
        gb = float(error.mean())
        m = 0.9 * m + 0.1 * gw
        v = 0.999 * v + 0.001 * gw * gw
        mb = 0.9 * mb + 0.1 * gb
        vb = 0.999 * vb + 0.001 * gb * gb
        correction = (1 - 0.9**step), (1 - 0.999**step)
        w -= RATE * (m / correction[0]) / (np.sqrt(v / correction[1]) + 1e-8)
        b -= RATE * (mb / correction[0]) / (np.sqrt(vb / correction[1]) + 1e-8)
    order = np.argsort(-np.abs(w), kind="stable")[:KEEP]
    return float(b), {vocabulary[i]: round(float(w[i]), 4) for i in sorted(order) if w[i] != 0.0}


def train(replies: list[dict]) -> dict:
    rows = [learned.features(r["text"]) for r in replies]
    families = {}
    for family in learned.FAMILIES:
        labels = np.array([family in (r.get("must") or []) for r in replies])
        if labels.sum() >= 5:
            bias, weights = fit(rows, labels)
            families[family] = {"bias": round(bias, 4), "weights": weights}
    return {"families": families}


def rule_findings(replies: list[dict]) -> list[set[str]]:
    """What ``check`` finds without the learned reading."""
    rules = builtin_rules()
    found = []
    for r in replies:
        kind = "follow-up" if r["kind"] == "follow-up" else "reply"
        findings = check_text(r["text"], rules, channel=r["channel"], kind=kind, learned_reading=False)
        found.append({f.rule for f in findings})
    return found


def measure(trained: dict, replies: list[dict], ruled: list[set[str]], totals: Counter) -> None:
    """What ``check`` would say with ``trained`` as its learned reading, at each threshold."""
    from phrasekit.reading import Sentences

    families = {f: (spec["bias"], spec["weights"]) for f, spec in trained["families"].items()}
    for reply, rules in zip(replies, ruled, strict=True):
        must = set(reply.get("must") or [])
        good = reply["verdict"] == "send"
        sentences = [s.text.strip() for s in Sentences(reply["text"]) if s.text.strip()]
        said_by = {
            t: {family for _, family in learned.read(sentences, frozenset(rules), families, threshold=t)}
            for t in THRESHOLDS
        }
        for family in families:
            said = family in rules
            for key in ("", f"{family}|"):  # all families together, and this one alone
                totals[f"{key}must"] += family in must
                totals[f"{key}rules true"] += said and family in must
                totals[f"{key}rules false"] += said and family not in must
                for t in THRESHOLDS:
                    both = said or family in said_by[t]
                    totals[f"{key}{t} true"] += both and family in must
                    totals[f"{key}{t} false"] += both and family not in must
                    totals[f"{key}{t} new on good"] += good and both and not said


def report(name: str, totals: Counter) -> None:
    line = f"{name:<34} must {totals['must']:4d}  rules {totals['rules true']:4d} true {totals['rules false']:3d} false"
    for t in THRESHOLDS:
        line += f" | {t}: {totals[f'{t} true']:4d}/{totals[f'{t} false']:3d}/{totals[f'{t} new on good']}"
    print(line)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cross", action="store_true", help="leave each corpus out in turn")
    parser.add_argument("--test", type=Path, action="append", default=[], help="a corpus to measure on")
    args = parser.parse_args()
    corpora = {path.name: load(path) for path in sorted(CORPORA.glob("*.yaml"))}
    every = [r for replies in corpora.values() for r in replies]
    bank = bank_replies()
    if args.cross or args.test:
        print("per threshold: true / false findings / good replies with a new finding (learned families only)")
        whole = Counter()
        held_out = [
            (name, replies, {k: v for k, v in corpora.items() if k != name}) for name, replies in corpora.items()
        ]
        if args.test:
            trained = train(every + bank)
            held_out = [(str(path), load(path), None) for path in args.test]
        for name, replies, rest in held_out:
            model = trained if rest is None else train([r for rs in rest.values() for r in rs] + bank)
            totals = Counter()
            measure(model, replies, rule_findings(replies), totals)
            report(name, totals)
            whole.update(totals)
        report("all", whole)
        for family in learned.FAMILIES:  # the same totals, one family at a time
            report(family, Counter({k.split("|", 1)[1]: v for k, v in whole.items() if k.startswith(family + "|")}))
        return 0
    trained = {"replies": len(every), "bank_phrases": len(bank), **train(every + bank)}
    learned.WEIGHTS.write_text(json.dumps(trained, sort_keys=True, separators=(",", ":")) + "\n", encoding="utf-8")
    kept = sum(len(spec["weights"]) for spec in trained["families"].values())
    print(f"wrote {learned.WEIGHTS} ({learned.WEIGHTS.stat().st_size:,} bytes): {len(trained['families'])} families, "
          f"{kept:,} weights, from {len(every):,} replies and {len(bank):,} bank phrases")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
