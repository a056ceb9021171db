"""`phrasekit check` time against the size of the draft, and the built-in patterns on hostile text.

    python benchmarks/bench_check_size.py [--sizes 100,200,400,800,2000] [--skip-hostile] [--runs 15] [--home DIR]

Each draft is ordinary prose: the drafts of tests/fixtures/drafts/corpus.yaml, one after another,
repeated to the size in KB. `check` is timed as a whole process (`phrasekit check --kind reply
FILE`, index already built), once per size: a linear checker takes about twice as long for twice
the draft. Then each built-in pattern and `render social-reply` meet one 40,000-character word,
and a short draft (with and without findings) is checked `--runs` times: the median wall and CPU
time of start-up, most of which was compiling the built-in rules' patterns.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import ROOT, bench_env, machine, phrasekit_command, private_home, run_once, run_usage  # noqa: E402

sys.path.insert(0, str(ROOT))

SHORT = {
    "clean": "Hi Dana, sorry your parcel is late. I've asked the depot to send it tomorrow by 10am.\n",
    "two findings": "Hi Dana, calm down. We will sort it soon.\n",
}
WORDS = {
    "letters": "a" * 40_000,
    "email-like": "a." * 20_000,
    "digits": "1" * 40_000,
    "capitals": "A'" * 20_000,
    "code": "AB1-" * 10_000,
}


def prose(size_kb: int) -> str:
    drafts = yaml.safe_load((ROOT / "tests" / "fixtures" / "drafts" / "corpus.yaml").read_text(encoding="utf-8"))
    block = "\n\n".join(d["text"].strip() for d in drafts["drafts"]) + "\n\n"
    return (block * (size_kb * 1000 // len(block) + 1))[: size_kb * 1000]


def time_check(env: dict, folder: Path, size_kb: int, channel: str | None = None) -> float:
    draft = folder / f"draft-{size_kb}.txt"
    draft.write_text(prose(size_kb), encoding="utf-8")
    command = [*phrasekit_command(), "check", "--kind", "reply", str(draft)]
    if channel:
        command[-1:-1] = ["--channel", channel]
    return run_once(command, env)[0]


def _sources(rule) -> list:
    """(text, compiled) of a rule's patterns (phrasekit.patterns.Patterns keeps the text)."""
    found = []
    for group in (rule.match, rule.unless, rule.require):
        sources = getattr(group, "sources", None) or [p.pattern for p in group]
        found += zip(sources, group, strict=True)
    return found


def hostile_patterns() -> list[tuple[float, str, str]]:
    """The slowest built-in patterns on a 40,000-character word, in seconds: (time, word, pattern)."""
    from phrasekit.check import builtin_rules

    slow = []
    for rule in builtin_rules():
        for source, pattern in _sources(rule):
            for name, word in WORDS.items():
                start = time.perf_counter()
                for _ in pattern.finditer(word):
                    pass
                slow.append((time.perf_counter() - start, name, f"{rule.id}: {source}"[:70]))
    return sorted(slow, reverse=True)[:5]


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="100,200,400,800,2000", help="draft sizes in KB, comma-separated")
    parser.add_argument("--skip-hostile", action="store_true", help="only the draft sizes")
    parser.add_argument("--runs", type=int, default=15, help="runs of the short drafts (median; default 15)")
    parser.add_argument("--home", metavar="DIR", help="cache and config here, reused")
    args = parser.parse_args()
    print(machine(), flush=True)
    with private_home(args.home) as home:
        env = bench_env(home)
        subprocess.run([*phrasekit_command(), "search", "refund"], env=env, capture_output=True)  # build the index
        print(f"{'draft':>10} {'check s':>9} {'s per 100 KB':>13}")
        for size in (int(s) for s in args.sizes.split(",")):
            seconds = time_check(env, home, size)
            print(f"{size:>7} KB {seconds:>9.2f} {seconds / size * 100:>13.3f}", flush=True)
        for label, text in SHORT.items():
            short = home / "short.txt"
            short.write_text(text, encoding="utf-8")
            usage = [run_usage([*phrasekit_command(), "check", str(short)], env) for _ in range(args.runs)]
            wall, cpu = statistics.median(u[0] for u in usage), statistics.median(u[2] for u in usage)
            print(f"short draft ({label}): {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU (median of {args.runs})")
        if args.skip_hostile:
            return 0
        word = home / "word.txt"
        for name, text in WORDS.items():
            word.write_text(text, encoding="utf-8")
            seconds = run_once([*phrasekit_command(), "check", "--channel", "social", str(word)], env)[0]
            print(f"check --channel social, 40,000-character word ({name}): {seconds:.2f} s", flush=True)
        start = time.perf_counter()
        subprocess.run([*phrasekit_command(), "render", "social-reply", "--no-prompt", "--allow-long",
                        "--set", "case.issue=charged twice", "--set", "agent.name=Jo",
                        "--set", "customer.handle=" + "a" * 40_000], env=env, capture_output=True)  # fmt: skip
        print(f"render social-reply, 40,000-character handle: {time.perf_counter() - start:.2f} s")
        print("slowest built-in patterns on a 40,000-character word (in process):")
        for seconds, name, pattern in hostile_patterns():
            print(f"  {seconds:8.3f} s  {name:<10} {pattern}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
