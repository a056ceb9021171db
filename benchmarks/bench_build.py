"""The first build of a large pack's index against the time PyYAML's C loader alone takes to load
the same files; peak memory of the build; then a search with the index current.

    python benchmarks/bench_build.py [--runs 15] [--size 100000] [--files 1] [--million] [--home DIR]

Issue 15 asks for the first build of 100,000 phrases <= 1.5x the C loader's time and <= 500 MiB
peak, and 1M phrases <= 2 GiB peak (--million: one more build of a 1,000,000-phrase pack, slow).
Each round loads the pack's YAML files with yaml.CSafeLoader in a fresh process, then runs the
first `phrasekit search` in a fresh, empty cache folder (the build); both are whole processes,
timed wall-clock, medians of the rounds. Peak memory is the child's ru_maxrss (the largest of
the rounds).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import (  # noqa: E402
    add_runs_option,
    bench_env,
    generated_pack,
    machine,
    median_ms,
    phrasekit_command,
    private_home,
    run_once,
    run_usage,
)

C_LOADER = """
import sys, yaml
for path in sys.argv[1:]:
    with open(path, "rb") as stream:
        yaml.load(stream, Loader=yaml.CSafeLoader)
"""
PARSE_ONLY = """
import sys, time
from phrasekit.packs import load_pack
start = time.perf_counter()
load_pack(sys.argv[1])
print(time.perf_counter() - start)
"""
QUERY = ["search", "--lexical", "late delivery"]


def yaml_files(pack: Path) -> list[Path]:
    """The files a build reads: the pack's, and the built-in bank's (always in force)."""
    from phrasekit.packs import builtin_pack_dir

    builtin = sorted(builtin_pack_dir().glob("**/*.yaml"))
    return [*builtin, pack / "pack.yaml", *sorted((pack / "phrases").glob("**/*.yaml"))]


def first_builds(pack: Path, runs: int, home: Path) -> dict[str, list[tuple[float, int, float]]]:
    """``runs`` rounds of (C loader, first build), each a whole process."""
    loader = [sys.executable, "-c", C_LOADER, *map(str, yaml_files(pack))]
    search = phrasekit_command() + QUERY
    results: dict[str, list[tuple[float, int, float]]] = {"loader": [], "build": []}
    run_once(loader)  # warm the file system cache
    for number in range(runs):
        results["loader"].append(run_usage(loader))
        cache = home / f"build-{number}"
        shutil.rmtree(cache, ignore_errors=True)
        results["build"].append(run_usage(search, bench_env(cache, PHRASEKIT_PATH=str(pack))))
        print(f"  round {number + 1}: C loader {results['loader'][-1][0]:.1f} s, build {results['build'][-1][0]:.1f} s",
              flush=True)  # fmt: skip
        if number < runs - 1:
            shutil.rmtree(cache, ignore_errors=True)
    return results


def report(label: str, pack: Path, size: int, results) -> None:
    megabytes = sum(path.stat().st_size for path in yaml_files(pack)) / 1e6
    load_s = statistics.median(t for t, _, _ in results["loader"])
    build_s = statistics.median(t for t, _, _ in results["build"])
    build_cpu = statistics.median(c for _, _, c in results["build"])
    peak = max(k for _, k, _ in results["build"]) / 1024
    print(f"{label}: {size:,} phrases + the built-in bank, {len(yaml_files(pack))} files, {megabytes:.1f} MB of YAML; "
          f"medians of {len(results['build'])}")  # fmt: skip
    loader_peak = max(k for _, k, _ in results["loader"]) / 1024
    print(f"  yaml.CSafeLoader alone (whole process): {load_s:.2f} s, peak {loader_peak:.0f} MiB")
    print(f"  first build (first `phrasekit {' '.join(QUERY)}`): {build_s:.2f} s wall, {build_cpu:.1f} s CPU "
          f"= {build_s / load_s:.2f}x the C loader")  # fmt: skip
    print(f"  peak memory of the build: {peak:.0f} MiB", flush=True)


def main() -> int:
    parser = argparse.ArgumentParser()
    add_runs_option(parser)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--files", type=int, default=1, help="spread the pack over this many files")
    parser.add_argument("--million", action="store_true", help="also one build of 1,000,000 phrases (slow)")
    args = parser.parse_args()
    print(machine(), flush=True)
    with private_home(args.home) as home:
        pack = generated_pack(args.size, args.files)
        results = first_builds(pack, args.runs, home / "builds")
        report("first build", pack, args.size, results)
        env = bench_env(home / "builds" / f"build-{args.runs - 1}", PHRASEKIT_PATH=str(pack))
        search = phrasekit_command() + QUERY
        warm = [run_once(search, env) for _ in range(max(3, min(args.runs, 9)))]
        print(f"search with a current index: median {median_ms([t for t, _ in warm]):.0f} ms, "
              f"peak memory {max(k for _, k in warm) / 1024:.0f} MiB")  # fmt: skip
        cache = Path(env["XDG_CACHE_HOME"]) / "phrasekit"
        index_bytes = sum(path.stat().st_size for path in cache.glob("index*") if path.is_file())
        print(f"index file(s): {index_bytes / 1e6:.1f} MB")
        done = subprocess.run([sys.executable, "-c", PARSE_ONLY, str(pack)], env=env, capture_output=True, text=True)
        if done.returncode == 0:
            print(f"phrasekit.packs.load_pack alone (in process): {float(done.stdout):.2f} s")
        shutil.rmtree(home / "builds", ignore_errors=True)
        if args.million:
            million = generated_pack(1_000_000, args.files)
            report("1M phrases", million, 1_000_000, first_builds(million, 1, home / "builds"))
            shutil.rmtree(home / "builds", ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
