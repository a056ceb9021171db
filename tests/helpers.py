"""Build small file trees inline, so each test carries its broken pack with it; set up a test's
home; make a folder once per test run, shared by every pytest-xdist worker."""

from __future__ import annotations

import contextlib
import os
import shutil
import stat
import textwrap
from collections.abc import Callable, Iterator
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


def read_yaml(path: Path):
    """A YAML file's data as PyYAML's safe loader gives it, with its C parser where PyYAML has one:
    the same data, about ten times quicker than the pure-Python parser (a test's own reading of
    a fixture or of the bank's files, never phrasekit's)."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return yaml.load(Path(path).read_text(encoding="utf-8"), Loader=loader)


def stalling_pack(root: Path, pattern: str) -> Path:
    """A pack named ``team`` whose only ``avoid:`` rule is ``pattern`` (on line 3, column 14)."""
    return write_tree(root, {"pack.yaml": f"""
        name: team
        avoid:
          - pattern: '{pattern}'
            reason: slow
        """})  # fmt: skip


def isolate(monkeypatch: pytest.MonkeyPatch, home: Path) -> None:
    """Point phrasekit at ``home`` for its config, data and cache, with no packs but the bank and no model
    override; semantic ranking off (semantic tests turn it on themselves). Bulk embedding on one
    BLAS thread: the vectors are the same bytes with any number, and beside the other
    pytest-xdist worker on a 2-core machine a second thread only spins; the thread plan itself
    is ``test_bulk_embedding_asks_for_more_threads_and_gives_them_back``'s to test."""
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))  # the history
    monkeypatch.delenv("PHRASEKIT_PATH", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("PHRASEKIT_MODEL", raising=False)
    monkeypatch.setenv("PHRASEKIT_SEMANTIC", "0")
    for variable in ("WAYLAND_DISPLAY", "DISPLAY", "TMUX"):  # --copy never reaches the real clipboard
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [])
    monkeypatch.setattr("phrasekit.semantic.bulk_thread_count", lambda: 1)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``path`` (made if absent): one xdist worker builds, the others
    wait. Without ``fcntl`` (not POSIX) each process builds its own, which is only slower."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(path, "a") as stream:
        fcntl.flock(stream, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(stream, fcntl.LOCK_UN)


def shared_folder(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[Path], None]) -> Path:
    """The folder ``name``, filled by ``build(folder)`` once per test run: under pytest-xdist
    every worker's base temporary folder sits in the run's own, so the first worker to ask
    builds it (under a lock) and the others wait and reuse it. What it holds is only read by
    the tests (each copies what it will change), so the workers cannot disturb one another.
    A build that failed is done again by the next worker to ask, which then fails the same way."""
    base = tmp_path_factory.getbasetemp()
    root = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    folder = root / f"shared-{name}"
    done = root / f"shared-{name}.done"
    with _locked(root / f"shared-{name}.lock"):
        if not done.exists():
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            build(folder)
            done.touch()
    return folder


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


CAT, SLEEP = shutil.which("cat"), shutil.which("sleep")
"""Found when the tests start, before a test leaves only its fake tools on PATH."""


def fake_tool(folder: Path, name: str, code: int = 0, hang: bool = False) -> Path:
    """A fake clipboard tool: a program ``name`` in ``folder`` that writes its standard input
    (and its arguments) to ``name.got`` (``.args``) and exits with ``code`` (with ``hang``, only
    after 30 s)."""
    folder.mkdir(exist_ok=True)
    got = folder / f"{name}.got"
    script = folder / name
    body = f'{CAT} > "{got}"\nprintf "%s " "$@" > "{got}.args"\n'
    if hang:
        body += f"exec {SLEEP} 30\n"
    script.write_text(f"#!/bin/sh\n{body}exit {code}\n")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return got
