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
