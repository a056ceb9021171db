"""Every command but `search` with a large pack on the path, each as a cold whole process with a
current index, against the floor `python -c "import click, rapidfuzz.process"`.

    python benchmarks/bench_commands.py [--runs 15] [--size 100000] [--home DIR]

Issue 15 asks for <= 2x the floor for each with a 100,000-phrase pack (PHRASEKIT_PATH): `show ID`,
`script SITUATION --lexical`, `check FILE`, `render TEMPLATE --case FILE`, `categories`,
`packs list`, `templates list` and `templates show NAME`. All commands and the floor run in turn,
interleaved, and the medians are reported, one line per command. Semantic ranking is off
(PHRASEKIT_SEMANTIC=0): otherwise `render` would start embedding the pack in the background;
the semantic figures are bench_semantic.py's.

One more line, not a phrasekit command, says how much of `render` is fixed by its libraries:
the floor plus importing jinja2's sandbox and PyYAML (the case file's parser), which every
`render` of a YAML case needs before it does anything of its own.
"""

from __future__ import annotations

import argparse
import shlex
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    FLOOR,
    OUT,
    ROOT,
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

DRAFT = """Hi Dana,

Sorry for any inconvenience. Unfortunately there is nothing we can do about the parcel, as per our
policy you should have been home. Calm down and check the tracking page.

Thanks
"""


def commands(size: int) -> dict[str, list[str]]:
    draft = OUT / "draft.txt"
    draft.parent.mkdir(parents=True, exist_ok=True)
    draft.write_text(DRAFT, encoding="utf-8")
    case = ROOT / "examples" / "lost-package-email.yaml"
    return {
        "show ID": ["show", f"bench-{size}/p{min(4242, size - 1)}"],
        "script SITUATION --lexical": ["script", "--lexical", "package marked delivered never arrived"],
        "check FILE": ["check", str(draft)],
        "render TEMPLATE --case FILE": ["render", "follow-up-email", "--case", str(case), "--no-prompt"],
        "categories": ["categories"],
        "packs list": ["packs", "list"],
        "templates list": ["templates", "list"],
        "templates show NAME": ["templates", "show", "follow-up-email"],
    }


LIBRARIES = "(render's libraries: import jinja2, yaml)"


def main() -> int:
    parser = argparse.ArgumentParser()
    add_runs_option(parser)
    parser.add_argument("--size", type=int, default=100_000, help="phrases in the large pack")
    args = parser.parse_args()
    print(machine(), flush=True)
    pack = generated_pack(args.size)
    print(f"with a {args.size:,}-phrase pack (PHRASEKIT_PATH), current index; medians of {args.runs}, interleaved")
    with private_home(args.home) as home:
        env = bench_env(home / pack.name, PHRASEKIT_PATH=str(pack))
        base = phrasekit_command()
        timed = {name: base + argv for name, argv in commands(args.size).items()}
        run_once(base + ["search", "--lexical", "late delivery"], env)  # builds the index when there is none
        libraries = FLOOR[:-1] + [FLOOR[-1] + ", jinja2.sandbox, yaml"]
        times = interleaved({"floor": FLOOR, **timed, LIBRARIES: libraries}, args.runs, env)
        floor = median_ms(times["floor"])
        print(ratio_header())
        for name in [*timed, LIBRARIES]:
            print(ratio_row(name, floor, median_ms(times[name])))
        print("commands:")
        for name, command in timed.items():
            print(f"  {name}: phrasekit {shlex.join(command[len(base) :])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
