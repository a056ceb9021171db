"""Shared helpers for the benchmark scripts: running phrasekit as a whole process, machine info."""

from __future__ import annotations

import os
import platform
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "benchmarks" / "out"
FLOOR = [sys.executable, "-c", "import click, rapidfuzz.process"]
SEARCH = ["search", "--lexical", "pkg marked delivered never came 3rd call"]
"""The search the start-up, switch and edit figures time: a situation as a rep jots it down."""


def generated_pack(size: int, files: int = 1) -> Path:
    """The folder of a synthetic pack of ``size`` phrases (in ``files`` files) under
    benchmarks/out, written once."""
    from make_pack import write_pack

    folder = OUT / (f"pack-{size}x{files}" if files > 1 else f"pack-{size}")
    done = folder / ".complete"
    if not done.is_file():
        write_pack(size, folder, files=files)
        done.touch()
    return folder


@contextmanager
def private_home(keep: str | None = None) -> Iterator[Path]:
    """A folder for phrasekit's cache and config: ``keep`` when given (reused between runs of the
    scripts, so a large pack's index is built once), else a temporary one."""
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        yield Path(keep).resolve()
        return
    with tempfile.TemporaryDirectory(prefix="phrasekit-bench-") as folder:
        yield Path(folder)


def bench_env(home: Path, semantic: bool = False, **extra: str) -> dict[str, str]:
    """The environment for timed runs: cache, config and data (the history) under ``home``, no
    PHRASEKIT_PATH, bytecode written (PYTHONDONTWRITEBYTECODE would recompile every run),
    semantic ranking off unless ``semantic`` (a large pack without vectors would start embedding
    in the background). The rep's own history is not read: a run does not depend on it."""
    env = {
        **os.environ,
        "XDG_CACHE_HOME": str(home / "cache"),
        "XDG_CONFIG_HOME": str(home / "config"),
        "XDG_DATA_HOME": str(home / "data"),
    }
    for name in ("PHRASEKIT_PATH", "PYTHONDONTWRITEBYTECODE", "PHRASEKIT_SEMANTIC", "PHRASEKIT_DEBUG"):
        env.pop(name, None)
    if not semantic:
        env["PHRASEKIT_SEMANTIC"] = "0"
    env.update(extra)
    return env


def add_runs_option(parser, default: int = 15) -> None:
    parser.add_argument("--runs", type=int, default=default, help=f"timed rounds (median; default {default})")
    parser.add_argument("--home", metavar="DIR", help="cache and config here, reused (default: a temporary folder)")


def phrasekit_command() -> list[str]:
    found = shutil.which("phrasekit", path=os.path.dirname(sys.executable))
    return [found] if found else [sys.executable, "-m", "phrasekit"]


def run_once(command: list[str], env: dict | None = None) -> tuple[float, int]:
    """Wall time in seconds and peak memory (KiB) of one run of ``command``."""
    elapsed, peak, _ = run_usage(command, env)
    return elapsed, peak


def run_usage(command: list[str], env: dict | None = None) -> tuple[float, int, float]:
    """Wall time (s), peak memory (KiB, ru_maxrss of the child) and CPU time (user + sys, s) of one
    run of ``command``; exit codes 0 and 1 (nothing found, findings) count as success."""
    start = time.perf_counter()
    proc = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        again = subprocess.run(command, env=env, capture_output=True, text=True)
        raise SystemExit(f"command failed (exit {again.returncode}): {' '.join(command)}\n{again.stderr[-2000:]}")
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime


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


def ratio_row(label: str, floor_ms: float, value_ms: float, width: int = 44) -> str:
    return f"{label:<{width}} {floor_ms:>9.1f} {value_ms:>10.1f} {value_ms / floor_ms:>6.2f}x"


def ratio_header(label: str = "command", width: int = 44) -> str:
    return f"{label:<{width}} {'floor ms':>9} {'ms':>10} {'ratio':>7}"


def machine() -> str:
    import click
    import rapidfuzz
    import yaml

    try:
        load = "load " + " ".join(f"{value:.2f}" for value in os.getloadavg())
    except OSError:
        load = "load ?"
    try:
        from importlib.metadata import version

        phrasekit = version("phrasekit")
    except Exception:
        phrasekit = "?"
    return (
        f"{platform.platform()}; {os.cpu_count()} cores ({load}); Python {platform.python_version()}; "
        f"phrasekit {phrasekit} from {phrasekit_command()[0]}; "
        f"click {click.__version__}; rapidfuzz {rapidfuzz.__version__}; PyYAML {yaml.__version__} "
        f"(libyaml {'yes' if getattr(yaml, '__with_libyaml__', False) else 'no'}); "
        f"SQLite {__import__('sqlite3').sqlite_version}"
    )


def self_peak_kib() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
