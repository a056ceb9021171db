"""Importing a large Zendesk macros export, importing it again, and exporting the pack.

    python benchmarks/bench_import.py [--runs 3] [--size 3000] [--home DIR]

A Zendesk account holds up to a few thousand macros; a lead imports the export, re-imports it
after the helpdesk changes, and exports the pack for espanso. Each step is timed as a whole
process (wall and CPU), medians of the rounds, with the peak memory. The export is generated:
HTML bodies with placeholders and a fallback, titles with a ``::`` path.
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import add_runs_option, bench_env, machine, phrasekit_command, private_home, run_usage  # noqa: E402


def macros(size: int) -> dict:
    return {"macros": [
        {"id": 360_000_000 + number, "title": f"Topic {number % 40}::Reply {number}", "active": True,
         "actions": [{"field": "comment_value_html", "value": (
             f"<p>Hi {{{{ticket.requester.first_name | default: 'there'}}}},</p><p>I'm sorry about order "
             f"{number}. We have refunded it &amp; you'll see it within 5 days.</p><p>{{{{current_user.name}}}}</p>")}]}
        for number in range(size)
    ]}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_runs_option(parser, default=3)
    parser.add_argument("--size", type=int, default=3000, help="macros in the export (default 3000)")
    args = parser.parse_args()
    phrasekit = phrasekit_command()
    with private_home(args.home) as home, tempfile.TemporaryDirectory(prefix="phrasekit-import-") as work:
        env = bench_env(home)
        export = Path(work) / "macros.json"
        export.write_text(json.dumps(macros(args.size)), encoding="utf-8")
        pack = Path(work) / "acme"
        steps = {
            "import (new pack)": [*phrasekit, "import", "zendesk", str(export), "--into", str(pack)],
            "import again (all unchanged)": [*phrasekit, "import", "zendesk", str(export), "--into", str(pack)],
            "export espanso": [*phrasekit, "--path", str(pack), "export", "espanso", "--pack", "acme"],
        }
        figures: dict[str, list[tuple[float, int, float]]] = {name: [] for name in steps}
        for _ in range(args.runs):
            shutil.rmtree(pack, ignore_errors=True)
            for name, command in steps.items():
                figures[name].append(run_usage(command, env))
        print(f"# {machine()}; {args.size} macros ({export.stat().st_size // 1024} KiB), {args.runs} rounds")
        print(f"{'step':<32} {'wall s':>8} {'cpu s':>8} {'peak MiB':>9}")
        for name, runs in figures.items():
            wall = statistics.median(run[0] for run in runs)
            cpu = statistics.median(run[2] for run in runs)
            peak = max(run[1] for run in runs) / 1024
            print(f"{name:<32} {wall:>8.2f} {cpu:>8.2f} {peak:>9.0f}")


if __name__ == "__main__":
    main()
