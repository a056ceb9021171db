"""Build small file trees inline, so each test carries its broken pack with it; set up a test's home."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content).lstrip("\n"), encoding="utf-8")
    return root


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point phrasekit at ``home`` for its config and cache, with no packs but the bank and no model
    override; semantic ranking off (semantic tests turn it on themselves)."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("PHRASEKIT_PATH", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("PHRASEKIT_MODEL", raising=False)
    monkeypatch.setenv("PHRASEKIT_SEMANTIC", "0")
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [])


IMPORTS_SCRIPT = """
import json, sys
{prelude}
before = set(sys.modules)
from phrasekit.cli import cli
try:
    cli({args!r})
except SystemExit:
    pass
print(json.dumps(sorted(set(sys.modules) - before)), file=sys.stderr)
"""


def imports_of(args: list[str], home: Path, cwd: Path, runs: int = 2, prelude: str = "", semantic: bool = False):
    """Run ``phrasekit ARGS`` ``runs`` times, each in a fresh interpreter (the first may build the
    index), and give for each the modules the command imported (beyond what the interpreter had
    already loaded, such as an editable install's finder) and its standard output."""
    import json
    import os
    import subprocess
    import sys

    env = {**os.environ, "XDG_CACHE_HOME": str(home / ".cache"), "HOME": str(home)}
    if semantic:
        env.pop("PHRASEKIT_SEMANTIC", None)
    script = IMPORTS_SCRIPT.format(prelude=prelude, args=list(args))
    found = []
    for _ in range(runs):
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
                              cwd=cwd)  # fmt: skip
        found.append((set(json.loads(done.stderr.strip().splitlines()[-1])), done.stdout))
    return found
