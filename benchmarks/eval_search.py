"""Search quality on the evaluation sets, beside a plain rapidfuzz baseline.

    python benchmarks/eval_search.py            # every set under tests/fixtures/eval/
    python benchmarks/eval_search.py --with-builtin --misses

Each set is a folder with a team pack (pack.yaml) and queries.yaml (queries with the ids a
good rep would accept, plus nonsense that should get no answer). Figures:

- recall@5: share of queries with at least one accepted phrase in the top 5;
- MRR@10: mean of 1/rank of the first accepted phrase within the top 10 (0 if none);
- nonsense: share of nonsense queries answered with nothing.

With --with-builtin the built-in bank is loaded too and competes for the top places, as it
does for a rep who drops a team pack beside it.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from phrasekit.index import build_pack_index  # noqa: E402
from phrasekit.packs import PackSet, builtin_pack_dir, load_pack  # noqa: E402
from phrasekit.search import rank_phrases  # noqa: E402

EVAL_DIR = ROOT / "tests" / "fixtures" / "eval"


def metrics(ranked: list[list[str]], expected: list[set[str]]) -> tuple[float, float]:
    hits = sum(1 for ids, want in zip(ranked, expected, strict=True) if set(ids[:5]) & want)
    rr = 0.0
    for ids, want in zip(ranked, expected, strict=True):
        for rank, pid in enumerate(ids[:10], start=1):
            if pid in want:
                rr += 1 / rank
                break
    return hits / len(ranked), rr / len(ranked)


def baseline(pack_phrases, query: str, limit: int = 10) -> list[str]:
    from rapidfuzz import fuzz, process

    choices = [" ".join([*p.situations, *p.tags, p.text]) for p in pack_phrases]
    return [pack_phrases[i].id for _, _, i in process.extract(query, choices, scorer=fuzz.WRatio, limit=limit)]


def load_set(folder: Path):
    data = yaml.safe_load((folder / "queries.yaml").read_text(encoding="utf-8"))
    return data["queries"], data.get("nonsense", [])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--with-builtin", action="store_true", help="load the built-in bank beside the team pack")
    parser.add_argument("--misses", action="store_true", help="print the queries that missed")
    parser.add_argument("sets", nargs="*", help="set folders (default: all under tests/fixtures/eval)")
    args = parser.parse_args()
    folders = [Path(s) for s in args.sets] or sorted(p for p in EVAL_DIR.iterdir() if (p / "queries.yaml").is_file())
    builtin = load_pack(builtin_pack_dir(), "builtin")
    mode = "team+bank" if args.with_builtin else "team"
    print(f"mode: {mode} (built-in synonyms always in force; 'team' ranks only the team pack, like --pack)")
    print(f"{'set':<12} {'ranker':<10} {'queries':>7} {'recall@5':>9} {'MRR@10':>7} {'nonsense':>9} {'ms/query':>9}")
    totals: dict[str, list] = {}
    for folder in folders:
        pack = load_pack(folder)
        queries, nonsense = load_set(folder)
        index = build_pack_index(PackSet([builtin, pack]))
        only = () if args.with_builtin else (pack.name,)

        def run(query: str, limit: int = 10, index=index, only=only, pack=pack) -> list[str]:
            hits = rank_phrases(index, query, limit=limit, packs=only)
            return [h.phrase.id if h.phrase.pack == pack.name else h.phrase.full_id for h in hits]

        expected = [set(q["expect"]) for q in queries]
        rows = {}
        start = time.perf_counter()
        ranked = [run(q["q"]) for q in queries]
        empty = sum(1 for q in nonsense if not run(q))
        elapsed = (time.perf_counter() - start) * 1000 / (len(queries) + len(nonsense))
        rows["phrasekit"] = (*metrics(ranked, expected), empty, elapsed)
        start = time.perf_counter()
        base_ranked = [baseline(pack.phrases, q["q"]) for q in queries]
        elapsed = (time.perf_counter() - start) * 1000 / len(queries)
        rows["baseline"] = (*metrics(base_ranked, expected), 0, elapsed)
        for name, (recall, mrr, empty_count, ms) in rows.items():
            print(
                f"{folder.name:<12} {name:<10} {len(queries):>7} {recall:>9.3f} {mrr:>7.3f} "
                f"{empty_count:>4}/{len(nonsense):<4} {ms:>9.2f}"
            )
            agg = totals.setdefault(name, [0, 0.0, 0.0, 0, 0])
            agg[0] += len(queries)
            agg[1] += recall * len(queries)
            agg[2] += mrr * len(queries)
            agg[3] += empty_count
            agg[4] += len(nonsense)
        if args.misses:
            for q, ids, want in zip(queries, ranked, expected, strict=True):
                if not set(ids[:5]) & want:
                    print(f"  MISS [{q.get('kind')}] {q['q'][:90]!r}\n       got {ids[:5]} want {sorted(want)[:4]}")
            for q in nonsense:
                got = run(q, 3)
                if got:
                    print(f"  NOISE {q!r} -> {got}")
    for name, (count, recall, mrr, empty_count, total_nonsense) in totals.items():
        print(
            f"{'ALL':<12} {name:<10} {count:>7} {recall / count:>9.3f} {mrr / count:>7.3f} "
            f"{empty_count:>4}/{total_nonsense:<4}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
