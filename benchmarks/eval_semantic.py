"""Keyword, semantic and fused ranking, in one run, on customer messages and off-topic questions.

    python benchmarks/eval_semantic.py [--misses]

Needs the semantic extra and the model. Sets: benchmarks/semantic/homebank (a bank team's pack,
312 customer messages as customers write them, 66 off-topic questions), and, for the fused
ranking, the rep-typed evaluation sets of tests/fixtures/eval (to check nothing drops there).
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
from phrasekit.semantic import ANSWER_SIMILARITY, load_semantic  # noqa: E402


def index_for(folder: Path):
    pack = load_pack(folder)
    return build_pack_index(PackSet([load_pack(builtin_pack_dir(), "builtin"), pack])), pack


def semantic_only(index, semantic, query, pack_name, limit=10):
    similarity = semantic.similarities(query)
    order = similarity.argsort()[::-1]
    ids = [int(d) for d in order if index.pack_of(int(d)) == pack_name][:limit]
    if not ids or float(similarity[ids[0]]) < ANSWER_SIMILARITY:
        return []
    return [index.phrases([d])[d].id for d in ids]


def score(ranked, expected):
    hits = sum(bool(set(r[:5]) & e) for r, e in zip(ranked, expected, strict=True))
    rr = sum(next((1 / k for k, pid in enumerate(r[:10], 1) if pid in e), 0.0) for r, e in zip(ranked, expected,
             strict=True))  # fmt: skip
    return hits / len(ranked), rr / len(ranked)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--misses", action="store_true")
    args = parser.parse_args()
    folder = ROOT / "benchmarks" / "semantic" / "homebank"
    data = yaml.safe_load((folder / "messages.yaml").read_text(encoding="utf-8"))
    messages, off_topic = data["messages"], data["off_topic"]
    index, pack = index_for(folder)
    start = time.perf_counter()
    semantic = load_semantic(index, progress=None)
    print(f"vectors ready in {time.perf_counter() - start:.1f} s for {index.count} phrases")
    only = (pack.name,)
    rankers = {
        "keyword": lambda q: [h.phrase.id for h in rank_phrases(index, q, limit=10, packs=only)],
        "semantic": lambda q: semantic_only(index, semantic, q, pack.name),
        "fused": lambda q: [h.phrase.id for h in rank_phrases(index, q, limit=10, packs=only, semantic=semantic)],
    }
    header = ("ranker", "recall@5", "clean", "typos", "MRR@10", "off-topic empty", "ms/query")
    print("{:<9} {:>9} {:>7} {:>7} {:>7} {:>16} {:>9}".format(*header))
    for name, ranker in rankers.items():
        t = time.perf_counter()
        ranked = [ranker(m["text"]) for m in messages]
        empty = sum(1 for q in off_topic if not ranker(q))
        ms = (time.perf_counter() - t) * 1000 / (len(messages) + len(off_topic))
        expected = [set(m["expect"]) for m in messages]
        recall, mrr = score(ranked, expected)
        typo = [i for i, m in enumerate(messages) if m.get("style") == "typo"]
        clean = [i for i, m in enumerate(messages) if m.get("style") != "typo"]
        typo_recall, _ = score([ranked[i] for i in typo], [expected[i] for i in typo])
        clean_recall, _ = score([ranked[i] for i in clean], [expected[i] for i in clean])
        print(
            f"{name:<9} {recall:>9.3f} {clean_recall:>7.3f} {typo_recall:>7.3f} {mrr:>7.3f} "
            f"{empty:>10}/{len(off_topic):<5} {ms:>9.1f}"
        )
        if args.misses and name == "fused":
            for m, r in zip(messages, ranked, strict=True):
                if not set(r[:5]) & set(m["expect"]):
                    print(f"  MISS {m['text'][:80]!r} -> {r[:3]} want {m['expect'][:2]}")
            for q in off_topic:
                got = ranker(q)
                if got:
                    print(f"  NOISE {q!r} -> {got[:2]}")
    print("rep-typed sets, fused (recall@5 / MRR@10 / off-topic empty):")
    for eval_folder in sorted((ROOT / "tests" / "fixtures" / "eval").iterdir()):
        idx, team = index_for(eval_folder)
        sem = load_semantic(idx)
        sets = yaml.safe_load((eval_folder / "queries.yaml").read_text(encoding="utf-8"))
        for label, sem_view in (("keyword", None), ("fused", sem)):
            ranked = [[h.phrase.id for h in rank_phrases(idx, q["q"], limit=10, packs=(team.name,), semantic=sem_view)]
                      for q in sets["queries"]]  # fmt: skip
            recall, mrr = score(ranked, [set(q["expect"]) for q in sets["queries"]])
            empty = sum(1 for q in sets["nonsense"] if not rank_phrases(idx, q, packs=(team.name,), semantic=sem_view))
            print(f"  {eval_folder.name:<10} {label:<8} {recall:.3f} / {mrr:.3f} / {empty}/{len(sets['nonsense'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
