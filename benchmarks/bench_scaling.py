"""How search time grows with the size of the bank: a table and a PNG plot.

    python benchmarks/bench_scaling.py [--sizes 1000 10000 100000 1000000]

For each size a synthetic pack is written (benchmarks/make_pack.py), the index is built once,
then cold `phrasekit search` processes are timed (median) and, in one warm process, the time of
a query against the open index (median over a set of queries).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FLOOR, OUT, generated_pack, interleaved, machine, median_ms, phrasekit_command, run_once  # noqa: E402

QUERIES = [
    "late delivery", "pkg marked delivered never came 3rd call", "refnd still not recieved",
    "cx 2x charged", "customer says her zenkettle arrived damaged and she's upset", "account locked",
    "promo code didnt work", "technician never showed up", "thank for patience", "asdf qwerty",
]  # fmt: skip

WARM = """
import os, statistics, sys, time
from phrasekit.index import load_index
from phrasekit.search import rank_phrases
index = load_index(()).index
queries = sys.argv[1:]
times = []
for _ in range(3):
    for q in queries:
        index._postings.clear()
        start = time.perf_counter()
        rank_phrases(index, q)
        times.append(time.perf_counter() - start)
print(statistics.median(times) * 1000)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    print(machine(), flush=True)
    rows = []
    print(f"{'phrases':>10} {'build s':>8} {'cold search ms':>15} {'floor ms':>9} {'warm query ms':>14}")
    for size in args.sizes:
        pack = generated_pack(size)
        with tempfile.TemporaryDirectory() as cache:
            env = {**os.environ, "XDG_CACHE_HOME": cache, "PHRASEKIT_PATH": str(pack)}
            search = phrasekit_command() + ["search", QUERIES[1]]
            build_s, _ = run_once(search, env)
            times = interleaved({"floor": FLOOR, "search": search}, args.runs, env)
            warm = float(
                subprocess.run(
                    [sys.executable, "-c", WARM, *QUERIES], env=env, capture_output=True, text=True, check=True
                ).stdout
            )
            row = (size, build_s, median_ms(times["search"]), median_ms(times["floor"]), warm)
            rows.append(row)
            print(f"{row[0]:>10,} {row[1]:>8.1f} {row[2]:>15.1f} {row[3]:>9.1f} {row[4]:>14.2f}", flush=True)
    plot(rows, OUT / "scaling.png")
    print(f"plot: {OUT / 'scaling.png'}")
    return 0


def plot(rows, path: Path) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    sizes = [row[0] for row in rows]
    fig, ax = plt.subplots(figsize=(7, 4.2), dpi=110)
    ax.plot(sizes, [row[2] for row in rows], "o-", label="cold `phrasekit search` (whole process)")
    ax.plot(sizes, [row[3] for row in rows], "s--", label="floor: python -c 'import click, rapidfuzz.process'")
    ax.plot(sizes, [row[4] for row in rows], "^-", label="one query in a warm process")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlabel("phrases in the bank")
    ax.set_ylabel("milliseconds (median)")
    ax.set_title("phrasekit search time by bank size")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=8)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path)


if __name__ == "__main__":
    raise SystemExit(main())
