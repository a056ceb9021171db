"""Shared helpers for the benchmark scripts: running phrasekit as a whole process, machine info."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
FLOOR = [sys.executable, "-c", "import click, rapidfuzz.process"]


def generated_pack(size: int) -> Path:
    """The folder of a synthetic pack of ``size`` phrases under benchmarks/out, written once."""
    from make_pack import write_pack

    folder = OUT / f"pack-{size}"
    if not (folder / "pack.yaml").is_file():
        write_pack(size, folder)
    return folder


def phrasekit_command() -> list[str]:
    found = shutil.which("phrasekit", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "phrasekit"]


def run_once(command: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak memory (KiB) of one run of ``command``."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"command failed: {' '.join(command)}")
    return elapsed, usage.ru_maxrss


def interleaved(commands: dict[str, list[str]], runs: int, env: dict | None = None) -> dict[str, list[float]]:
    """Run the commands in turn, ``runs`` rounds, so that machine noise hits them alike."""
    times: dict[str, list[float]] = {name: [] for name in commands}
    for command in commands.values():
        run_once(command, env)  # warm the file system cache
    for _ in range(runs):
        for name, command in commands.items():
            times[name].append(run_once(command, env)[0])
    return times


def median_ms(values: list[float]) -> float:
    return statistics.median(values) * 1000


def machine() -> str:
    import click
    import rapidfuzz
    import yaml

    return (
        f"{platform.platform()}; {os.cpu_count()} cores; Python {platform.python_version()}; "
        f"click {click.__version__}; rapidfuzz {rapidfuzz.__version__}; PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if getattr(yaml, '__with_libyaml__', False) else 'no'}); "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )


def self_peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
