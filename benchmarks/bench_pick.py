"""Key-to-screen latency of `phrasekit pick`, driven in a pseudo-terminal with a large pack.

    python benchmarks/bench_pick.py [--runs 5] [--sizes 10000,100000] [--home DIR]

Issue 12 asks that a key stroke redraw within one frame: under 30 ms from key to screen at
10,000 phrases, under 100 ms at 100,000. For each size the picker is started (PHRASEKIT_PATH on
a generated pack, a current index, semantic ranking off) in a 100x24 pseudo-terminal, and a
rep's query is typed one key at a time, then erased one Backspace at a time, ``--runs`` times.
A key's latency is the time from writing it to the terminal until the bytes that complete the
frame showing it have been read: the frame's query line (read back through a terminal emulator,
pyte) holds the text typed so far, and the frame has ended (the picker shows its cursor again,
the last thing it writes). The list on that frame is the ranking for that text: the picker ranks
just before it draws. Medians and 90th percentiles are printed per size, for typing and erasing.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import bench_env, generated_pack, machine, phrasekit_command, private_home, run_once  # noqa: E402

QUERY = "damagd kettle refnd not recieved"
"""What a rep types: two typos and a misspelling, so the correction runs on most keys."""
SHOW_CURSOR = b"\x1b[?25h"
"""prompt_toolkit hides the cursor while it draws a frame and shows it as the frame's last act."""
HANG = 60.0


class Picker:
    def __init__(self, env: dict[str, str]) -> None:
        import pexpect
        import pyte

        command = phrasekit_command()
        self.child = pexpect.spawn(command[0], [*command[1:], "pick"], env=env, dimensions=(24, 100), timeout=HANG)
        self.child.delaybeforesend = None  # pexpect waits 50 ms before each send by default
        self.screen = pyte.Screen(100, 24)
        self.stream = pyte.ByteStream(self.screen)

    def until(self, query: str) -> float:
        """Read until a whole frame shows ``query`` on its query line; the time of that read.
        The bytes go to the emulator only once a frame has ended, so that the emulator's work
        never delays the read that ends the frame."""
        deadline = time.perf_counter() + HANG
        pending = b""
        while True:
            data = self.child.read_nonblocking(65536, timeout=HANG)
            now = time.perf_counter()
            pending += data
            if pending.endswith(SHOW_CURSOR):
                self.stream.feed(pending)
                pending = b""
                if self.screen.display[0].rstrip() == f"> {query}".rstrip():
                    return now
            if now > deadline:
                raise SystemExit(f"the picker never showed {query!r}:\n" + "\n".join(self.screen.display))

    def key(self, key: bytes, query: str) -> float:
        """Milliseconds from writing ``key`` to the frame that shows ``query``."""
        start = time.perf_counter()
        self.child.send(key)
        return (self.until(query) - start) * 1000

    def close(self) -> None:
        self.child.send(b"\x1b")
        self.child.expect(__import__("pexpect").EOF)
        self.child.close()


def measure(size: int, runs: int, home: Path) -> tuple[list[float], list[float]]:
    pack = generated_pack(size)
    env = bench_env(home / pack.name, PHRASEKIT_PATH=str(pack), TERM="xterm-256color")
    env.pop("NO_COLOR", None)
    run_once(phrasekit_command() + ["search", "--lexical", "late delivery"], env)  # builds the index once
    picker = Picker(env)
    picker.until("")
    typing, erasing = [], []
    for _ in range(runs):
        for at in range(1, len(QUERY) + 1):
            typing.append(picker.key(QUERY[at - 1].encode(), QUERY[:at]))
        for at in range(len(QUERY) - 1, -1, -1):
            erasing.append(picker.key(b"\x7f", QUERY[:at]))
    picker.close()
    return typing, erasing


def _row(label: str, values: list[float]) -> str:
    tenth = statistics.quantiles(values, n=10)[-1] if len(values) > 1 else values[0]
    return f"{label:<28} {statistics.median(values):>8.1f} {tenth:>8.1f} {max(values):>8.1f} {len(values):>6}"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5, help="times the query is typed and erased (default 5)")
    parser.add_argument("--sizes", default="10000,100000", help="pack sizes, comma-separated")
    parser.add_argument("--home", metavar="DIR", help="cache and config here, reused (default: a temporary folder)")
    args = parser.parse_args()
    print(machine(), flush=True)
    print(f"query typed and erased {args.runs} times, one key at a time: {QUERY!r}")
    print(f"{'key to screen (ms)':<28} {'median':>8} {'p90':>8} {'max':>8} {'keys':>6}")
    with private_home(args.home) as home:
        for size in (int(part) for part in args.sizes.split(",")):
            typing, erasing = measure(size, args.runs, home)
            print(_row(f"{size:,} phrases, typing", typing))
            print(_row(f"{size:,} phrases, erasing", erasing), flush=True)
    return 0


if __name__ == "__main__":
    if not hasattr(os, "openpty"):
        raise SystemExit("bench_pick.py needs a pseudo-terminal (POSIX)")
    raise SystemExit(main())
