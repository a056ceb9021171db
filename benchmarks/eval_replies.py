"""`phrasekit check` on real-looking replies: precision and recall per finding family.

    python benchmarks/eval_replies.py [--corpus FILE] [--guess-kind] [--misses] [--family NAME]

The corpus (tests/fixtures/replies/dev.yaml; issue 14) holds replies across email, chat, SMS and
social, about half of them good, each with the families a lead would report (`must`) and the
traps a checker must not fall for (`must_not`). Per family: a finding is a true positive when
the family is in `must`, a false positive when it is not (on a good reply, or a family the lead
would not give); recall is over the `must` entries. A good reply with any finding is a false
alarm for the lead, counted separately.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from phrasekit.check import builtin_rules, check_text  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "replies" / "dev.yaml"
IGNORED = {"hidden-character"}
"""Findings no corpus entry is about."""


def checker_kind(kind: str) -> str:
    """The corpus's kinds as the checker takes them (reply or follow-up)."""
    return "follow-up" if kind == "follow-up" else "reply"


def evaluate(replies: list[dict], guess_kind: bool = False, semantic: bool = False):
    rules = builtin_rules()
    meanings = None
    if semantic:
        from phrasekit import meaning

        meanings = meaning.read
    tp, fp, fn = Counter(), Counter(), Counter()
    alarms, caught, details = 0, 0, []
    for reply in replies:
        kind = None if guess_kind else checker_kind(reply["kind"])
        findings = check_text(reply["text"], rules, channel=reply["channel"], kind=kind, meanings=meanings)
        found = {f.rule for f in findings} - IGNORED
        must = set(reply.get("must") or [])
        for family in found & must:
            tp[family] += 1
        for family in must - found:
            fn[family] += 1
        for family in found - must:
            fp[family] += 1
        good = reply["verdict"] == "send"
        alarms += good and bool(found)
        caught += (not good) and bool(found & must)
        details.append((reply, found, must - found, found - must))
    return tp, fp, fn, alarms, caught, details


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--guess-kind", action="store_true", help="let the checker guess the kind of draft")
    parser.add_argument("--misses", action="store_true", help="list each reply with a miss or a false finding")
    parser.add_argument("--family", help="only list misses involving this family")
    parser.add_argument("--semantic", action="store_true", help="read sentences by meaning too (the semantic extra)")
    args = parser.parse_args()
    replies = yaml.safe_load(args.corpus.read_text(encoding="utf-8"))["replies"]
    tp, fp, fn, alarms, caught, details = evaluate(replies, args.guess_kind, args.semantic)
    good = sum(r["verdict"] == "send" for r in replies)
    how = f"kind {'guessed' if args.guess_kind else 'given'}; {'semantic' if args.semantic else 'lexical'}"
    print(f"replies: {len(replies)} ({good} to send, {len(replies) - good} to send back); {how}")
    total_tp, total_fp, total_fn = sum(tp.values()), sum(fp.values()), sum(fn.values())
    precision = total_tp / (total_tp + total_fp) if total_tp + total_fp else 1.0
    recall = total_tp / (total_tp + total_fn) if total_tp + total_fn else 1.0
    print(f"all families: precision {precision:.2f} recall {recall:.2f}; good replies with a finding "
          f"{alarms}/{good}; bad replies caught {caught}/{len(replies) - good}")  # fmt: skip
    print(f"{'family':<24} {'must':>5} {'found':>6} {'false':>6} {'precision':>10} {'recall':>7}")
    for family in sorted(set(tp) | set(fp) | set(fn)):
        must = tp[family] + fn[family]
        p = tp[family] / (tp[family] + fp[family]) if tp[family] + fp[family] else float("nan")
        r = tp[family] / must if must else float("nan")
        print(f"{family:<24} {must:>5} {tp[family]:>6} {fp[family]:>6} {p:>10.2f} {r:>7.2f}")
    if args.misses:
        for reply, _found, missed, false in details:
            if (missed or false) and (not args.family or args.family in missed | false):
                print(f"- {reply['id']} ({reply['channel']}, {reply['kind']}): missed {sorted(missed)} "
                      f"false {sorted(false)}\n    {reply['text'].strip()[:300]!r}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
