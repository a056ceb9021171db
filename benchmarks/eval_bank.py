"""How well the built-in bank answers: the right family's words, never a wrong family's.

    python benchmarks/eval_bank.py                       # benchmarks/bank/dev.yaml, keywords only
    python benchmarks/eval_bank.py --semantic            # fused with semantic ranking (needs the extra)
    python benchmarks/eval_bank.py SET.yaml --misses     # another set; list what went wrong

A set (written by someone who never saw the bank) holds ``queries`` (the family a senior lead
wants first, ``also`` for other acceptable ones), ``general`` (customer-service situations with
no family: the general phrases should come, labelled), ``offtopic`` (nothing should come) and
``cases`` (a render's ``case.issue``: the family its phrases must come from). Figures:

- family@1: the first phrase is of the wanted family (or an ``also`` one);
- clean@5: none of the first five phrases is of an unrelated family (general ones are fine);
- empty: queries answered with nothing at all (a rep left without words);
- general: general situations answered with the labelled general phrases (not a family's, not nothing);
- offtopic: off-topic questions answered with nothing;
- cases: render cases whose phrases come from the wanted family.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from phrasekit.index import build_pack_index  # noqa: E402
from phrasekit.packs import PackSet, builtin_pack_dir, load_pack  # noqa: E402
from phrasekit.search import family_for, rank_phrases  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("set", nargs="?", default=str(ROOT / "benchmarks" / "bank" / "dev.yaml"))
    parser.add_argument("--semantic", action="store_true", help="fuse keyword and semantic ranking")
    parser.add_argument("--misses", action="store_true", help="list the queries that went wrong")
    args = parser.parse_args()
    data = yaml.safe_load(Path(args.set).read_text(encoding="utf-8"))
    index = build_pack_index(PackSet(packs=[load_pack(builtin_pack_dir(), "builtin")]))
    semantic = None
    if args.semantic:
        from phrasekit.semantic import load_semantic

        semantic = load_semantic(index)
    families = set(index.families)
    unknown = {q["family"] for q in data.get("queries", [])} - families
    if unknown:
        print(f"note: the set names families the bank lacks: {', '.join(sorted(unknown))}")
    misses = []
    first = clean = empty = 0
    by_kind: Counter = Counter()
    kind_total: Counter = Counter()
    queries = data.get("queries", [])
    for item in queries:
        wanted = {item["family"], *item.get("also", [])}
        hits = rank_phrases(index, item["q"], limit=5, semantic=semantic)
        got = [hit.phrase.family for hit in hits]
        kind_total[item.get("kind", "-")] += 1
        if not hits:
            empty += 1
        ok_first = bool(got) and got[0] in wanted
        ok_clean = all(family is None or family in wanted for family in got)
        first += ok_first
        clean += ok_clean
        by_kind[item.get("kind", "-")] += ok_first
        if not (ok_first and ok_clean):
            misses.append((item["q"], item["family"], got[:5]))
    general = data.get("general", [])
    general_ok = 0
    for item in general:
        hits = rank_phrases(index, item["q"], limit=5, semantic=semantic)
        if hits and all(hit.fallback for hit in hits):
            general_ok += 1
        else:
            misses.append((item["q"], "general", [hit.phrase.family for hit in hits]))
    offtopic = data.get("offtopic", [])
    offtopic_ok = 0
    for item in offtopic:
        hits = rank_phrases(index, item["q"], limit=5, semantic=semantic)
        if not hits:
            offtopic_ok += 1
        else:
            misses.append((item["q"], "nothing", [hit.phrase.family or "general" for hit in hits]))
    cases = data.get("cases", [])
    cases_ok = 0
    for item in cases:
        family = family_for(index, item["issue"], semantic)
        if family == item["family"] or family in item.get("also", []):
            cases_ok += 1
        else:
            misses.append((item["issue"], item["family"], [family]))
    mode = "fused" if semantic is not None else "keywords"
    print(f"{Path(args.set).name} ({mode}), bank: {index.count} phrases, {len(families)} families")
    n = max(len(queries), 1)
    print(f"queries {len(queries)}: family@1 {first / n:.3f}  clean@5 {clean / n:.3f}  empty {empty}")
    print("  by kind: " + ", ".join(f"{kind} {by_kind[kind]}/{total}" for kind, total in sorted(kind_total.items())))
    print(f"general {general_ok}/{len(general)}  offtopic empty {offtopic_ok}/{len(offtopic)}  "
          f"cases {cases_ok}/{len(cases)}")  # fmt: skip
    if args.misses:
        for query, wanted, got in misses:
            print(f"- want {wanted}: {query.strip()[:100]!r} -> {got}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
