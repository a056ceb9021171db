import os

import pytest

os.environ["PHRASEKIT_DEBUG"] = "1"


@pytest.fixture(autouse=True)
def isolated_home(tmp_path, monkeypatch):
    """Keep the user's config, cache and installed packs out of every test."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.delenv("PHRASEKIT_PATH", raising=False)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.delenv("PHRASEKIT_MODEL", raising=False)
    monkeypatch.setenv("PHRASEKIT_SEMANTIC", "0")  # semantic tests turn it on themselves
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [])
    return home
