"""Cold keyword `phrasekit search` as a whole process against the floor
`python -c "import click, rapidfuzz.process"`, on the built-in bank and with a large pack.

    python benchmarks/bench_startup.py [--runs 15] [--size 100000] [--home DIR]

Issue 15 asks for <= 1.15x on the built-in bank and <= 1.5x with a 100,000-phrase pack on the
path (PHRASEKIT_PATH). Each command runs in turn, interleaved, and the median is reported. The
index is built once before timing (as it is after the first search), in a private cache folder
(or under --home DIR, reused by the other scripts).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    FLOOR,
    SEARCH,
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
)

QUERY = SEARCH


def main() -> int:
    parser = argparse.ArgumentParser()
    add_runs_option(parser)
    parser.add_argument("--size", type=int, default=100_000, help="phrases in the large pack")
    args = parser.parse_args()
    print(machine(), flush=True)
    print(f"cold `phrasekit {' '.join(QUERY)}`, current index; medians of {args.runs}, interleaved with the floor")
    print(ratio_header("bank"))
    with private_home(args.home) as home:
        pack = generated_pack(args.size)
        banks = [
            ("built-in bank", bench_env(home / "builtin")),
            (f"+ {args.size:,}-phrase pack (PHRASEKIT_PATH)", bench_env(home / pack.name, PHRASEKIT_PATH=str(pack))),
        ]
        for label, env in banks:
            search = phrasekit_command() + QUERY
            run_once(search, env)  # builds the index when there is none
            times = interleaved({"floor": FLOOR, "search": search}, args.runs, env)
            print(ratio_row(label, median_ms(times["floor"]), median_ms(times["search"])), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
