"""Cold `phrasekit search` as a whole process against the floor `python -c "import click, rapidfuzz.process"`.

    python benchmarks/bench_startup.py [--runs 15] [--size 100000]

Each command runs in turn, interleaved, and the median is reported. The index is built once
before timing (as it is after the first search), in a private cache folder.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import FLOOR, generated_pack, interleaved, machine, median_ms, phrasekit_command, run_once  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--size", type=int, default=100_000, help="phrases in the large pack")
    args = parser.parse_args()
    print(machine())
    query = ["search", "--lexical", "pkg marked delivered never came 3rd call"]
    print(f"{'bank':<28} {'floor ms':>9} {'search ms':>10} {'ratio':>6}")
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache}
        env.pop("PHRASEKIT_PATH", None)
        banks = [("built-in bank", env)]
        pack = generated_pack(args.size)
        banks.append(
            (f"+ {args.size:,}-phrase pack", {**env, "PHRASEKIT_PATH": str(pack), "XDG_CACHE_HOME": cache + "-big"})
        )
        for label, bank_env in banks:
            search = phrasekit_command() + query
            run_once(search, bank_env)  # builds the index
            times = interleaved({"floor": FLOOR, "search": search}, args.runs, bank_env)
            floor, cold = median_ms(times["floor"]), median_ms(times["search"])
            print(f"{label:<28} {floor:>9.1f} {cold:>10.1f} {cold / floor:>5.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
