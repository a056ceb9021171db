"""The next search after editing one phrase file of a large pack spread over many files.

    python benchmarks/bench_edit.py [--runs 15] [--size 100000] [--files 100] [--home DIR]

Issue 15 asks for <= 3 s at 100,000 phrases in 100 files (a change to one file re-reads that file
alone). The index is built once; then each round runs the floor `python -c "import click,
rapidfuzz.process"`, changes the text of one phrase in one file (a different file each round, kept, so
each round's search has exactly one file changed since the one before), and times that search as
a whole process. Medians of the rounds. The pack is put back as it was at the end.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    FLOOR,
    SEARCH,
    add_runs_option,
    bench_env,
    generated_pack,
    machine,
    median_ms,
    phrasekit_command,
    private_home,
    run_once,
)

QUERY = SEARCH
EDIT = " (edited)"


def edit(path: Path) -> str:
    """Change the first phrase's text in ``path``; returns the original content."""
    original = path.read_text(encoding="utf-8")
    head, marker, tail = original.partition('    text: "')
    text, quote, rest = tail.partition('"')
    path.write_text(head + marker + text + EDIT + quote + rest, encoding="utf-8")
    return original


def main() -> int:
    parser = argparse.ArgumentParser()
    add_runs_option(parser)
    parser.add_argument("--size", type=int, default=100_000, help="phrases in the pack")
    parser.add_argument("--files", type=int, default=100, help="files the phrases are spread over")
    args = parser.parse_args()
    print(machine(), flush=True)
    pack = generated_pack(args.size, args.files)
    files = sorted((pack / "phrases").glob("*.yaml"))
    print(f"pack: {args.size:,} phrases in {len(files)} phrase files + pack.yaml ({pack})")
    with private_home(args.home) as home:
        env = bench_env(home / pack.name, PHRASEKIT_PATH=str(pack))
        search = phrasekit_command() + QUERY
        built, _ = run_once(search, env)
        print(f"index build (or check of a current one) before timing: {built:.1f} s", flush=True)
        run_once(FLOOR, env)
        floors, after = [], []
        originals: dict[Path, str] = {}
        try:
            for number in range(args.runs):
                floors.append(run_once(FLOOR, env)[0])
                path = files[(number * 37 + len(files) // 2) % len(files)]
                text = edit(path)  # one file changed since the last search
                originals.setdefault(path, text)
                after.append(run_once(search, env)[0])
                print(f"  round {number + 1}: edited {path.name}, next search {after[-1]:.2f} s", flush=True)
        finally:
            for path, text in originals.items():
                path.write_text(text, encoding="utf-8")
        run_once(search, env)  # the index matches the pack as it is again
        floor = median_ms(floors)
        print(f"next search after editing one file: median {statistics.median(after):.2f} s wall "
              f"(= {median_ms(after) / floor:.1f}x the floor, {floor:.1f} ms); medians of {args.runs}")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
