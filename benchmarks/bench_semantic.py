"""Cold `phrasekit search` with semantic ranking against the floor, and a query in a warm process.

    python benchmarks/bench_semantic.py [--runs 15]

Needs the semantic extra and the model. The index and the phrase vectors are built once first,
in a private cache folder; then whole processes are timed, interleaved, and medians reported.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FLOOR, interleaved, machine, median_ms, phrasekit_command, run_once  # noqa: E402

WARM = """
import statistics, sys, time
from phrasekit.index import load_index
from phrasekit.search import rank_phrases
from phrasekit.semantic import load_semantic
index = load_index(()).index
semantic = load_semantic(index)
queries = sys.argv[1:]
rank_phrases(index, queries[0], semantic=semantic)
times = []
for _ in range(5):
    for q in queries:
        start = time.perf_counter()
        rank_phrases(index, q, semantic=semantic)
        times.append(time.perf_counter() - start)
print(statistics.median(times) * 1000)
"""
QUERIES = [
    "how do I get my paycheck in here", "are you able to locate my card?",
    "I tried to get $100 out and the machine only gave me $20", "pkg marked delivered never came 3rd call",
    "my refund still hasnt shown up and its been two weeks, this is ridiculous",
]  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        env.pop("PHRASEKIT_PATH", None)
        start = time.perf_counter()
        run_once(phrasekit_command() + ["search", "--semantic", "late delivery"], env)
        print(f"first semantic search (index + vectors for the built-in bank): {time.perf_counter() - start:.1f} s")
        commands = {
            "floor": FLOOR,
            "lexical": phrasekit_command() + ["search", "--lexical", QUERIES[0]],
            "semantic": phrasekit_command() + ["search", "--semantic", QUERIES[0]],
        }
        times = interleaved(commands, args.runs, env)
        floor = median_ms(times["floor"])
        for name in ("lexical", "semantic"):
            cold = median_ms(times[name])
            print(f"cold search, {name:<8}: {cold:6.1f} ms = {cold / floor:.2f}x the floor ({floor:.1f} ms)")
        warm = float(subprocess.run([sys.executable, "-c", WARM, *QUERIES], env=env, capture_output=True, text=True,
                                    check=True).stdout)  # fmt: skip
        print(f"one query in a warm process (median): {warm:.1f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
