"""`phrasekit check` on the draft corpus: precision and recall per rule family.

    python benchmarks/eval_check.py [--guess-kind] [--misses]

The corpus (tests/fixtures/drafts/corpus.yaml) holds drafts a support lead would send back and
drafts they would send, each with the families a checker must and must not report. A finding
counts as a true positive when its family is in `must`, a false positive when it is in
`must_not` or the draft is one to send as it is; recall is over every `must` entry.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from phrasekit.check import builtin_rules, check_text  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "drafts" / "corpus.yaml"
# tests/fixtures/drafts/heldout.yaml was written by someone who never saw the rules, and is measured
# without tuning the rules to it: `--corpus tests/fixtures/drafts/heldout.yaml`.


def evaluate(drafts, guess_kind: bool = False):
    rules = builtin_rules()
    tp = fp = fn = 0
    clean_good = 0
    caught_bad = 0
    details = []
    for draft in drafts:
        kind = None if guess_kind else draft["kind"]
        found = {f.rule for f in check_text(draft["text"], rules, channel=draft["channel"], kind=kind)}
        must, must_not = set(draft.get("must") or []), set(draft.get("must_not") or [])
        good = draft["verdict"] == "send"
        hits, misses = found & must, must - found
        false = found & must_not if not good else found
        tp, fn, fp = tp + len(hits), fn + len(misses), fp + len(false)
        clean_good += good and not found
        caught_bad += (not good) and bool(hits)
        details.append((draft, found, misses, false))
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    return precision, recall, clean_good, caught_bad, details


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--guess-kind", action="store_true", help="let the checker guess reply/follow-up")
    parser.add_argument("--misses", action="store_true")
    parser.add_argument("--corpus", type=Path, default=CORPUS, help="a corpus file (default: corpus.yaml)")
    args = parser.parse_args()
    drafts = yaml.safe_load(args.corpus.read_text(encoding="utf-8"))["drafts"]
    precision, recall, clean_good, caught_bad, details = evaluate(drafts, args.guess_kind)
    good = sum(d["verdict"] == "send" for d in drafts)
    print(
        f"drafts: {len(drafts)} ({good} to send, {len(drafts) - good} to send back); "
        f"kind {'guessed' if args.guess_kind else 'given'}"
    )
    print(
        f"precision {precision:.3f}  recall {recall:.3f}  "
        f"good drafts with no finding {clean_good}/{good}  bad drafts caught {caught_bad}/{len(drafts) - good}"
    )
    if args.misses:
        for draft, found, misses, false in details:
            if misses or false:
                print(
                    f"- {draft['id']} ({draft['channel']}, {draft['kind']}): missed {sorted(misses)} "
                    f"false {sorted(false)} found {sorted(found)}"
                )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
