"""The first search after a large pack changes: the index build, the share spent parsing YAML,
and peak memory of the build and of a search with a current index.

    python benchmarks/bench_build.py [--size 100000]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from common import generated_pack, machine, median_ms, phrasekit_command, run_once  # noqa: E402

PARSE_ONLY = """
import sys, time
from phrasekit.packs import load_pack
start = time.perf_counter()
load_pack(sys.argv[1])
print(time.perf_counter() - start)
"""


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5, help="searches with a current index")
    args = parser.parse_args()
    print(machine())
    pack = generated_pack(args.size)
    with tempfile.TemporaryDirectory() as cache:
        env = {**os.environ, "XDG_CACHE_HOME": cache, "PHRASEKIT_PATH": str(pack)}
        search = phrasekit_command() + ["search", "late delivery"]
        (pack / "pack.yaml").touch()
        build_s, build_kib = run_once(search, env)
        parse_s = float(
            subprocess.run(
                [sys.executable, "-c", PARSE_ONLY, str(pack)], env=env, capture_output=True, text=True, check=True
            ).stdout
        )
        warm = [run_once(search, env) for _ in range(args.runs)]
        from phrasekit.index import INDEX_NAME

        index_file = Path(cache) / "phrasekit" / INDEX_NAME
        print(f"pack: {args.size:,} phrases, {(pack / 'pack.yaml').stat().st_size / 1e6:.1f} MB of YAML")
        print(
            f"first search after the pack changed (index build): {build_s:.1f} s, "
            f"of which parsing YAML {parse_s:.1f} s ({100 * parse_s / build_s:.0f}%)"
        )
        print(f"peak memory, build: {build_kib / 1024:.0f} MiB")
        print(
            f"search with a current index: median {median_ms([t for t, _ in warm]):.0f} ms, "
            f"peak memory {max(k for _, k in warm) / 1024:.0f} MiB"
        )
        print(f"index file: {index_file.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
