"""The suite tests what a user runs, and starts each test the way tests/conftest.py says."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

import phrasekit
from phrasekit.index import cache_dir, load_index
from phrasekit.packs import builtin_pack_dir


def test_the_tests_import_the_phrasekit_a_user_runs(tmp_path):
    """`pytest` and `python -m pytest` from a checkout import the package that `phrasekit` runs
    from anywhere else: the installed one (the checkout itself for an editable install)."""
    script = "import phrasekit, phrasekit.packs\nprint(phrasekit.__file__)\nprint(phrasekit.packs.builtin_pack_dir())"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == 0, f"phrasekit is not installed for {sys.executable}: {done.stderr}"
    module, bank = done.stdout.splitlines()
    assert Path(phrasekit.__file__).resolve() == Path(module).resolve()
    assert builtin_pack_dir().resolve() == Path(bank).resolve()


def test_a_test_starts_with_the_banks_index_built():
    """The session's index of the built-in bank is current in every test's home, so a command
    answers from it without rebuilding."""
    loaded = load_index(())
    assert loaded.state == "current"
    assert loaded.index.pack_names == ["builtin"]


@pytest.mark.fresh_cache
def test_a_cache_test_starts_with_no_cache(isolated_home):
    assert cache_dir() == isolated_home / ".cache" / "phrasekit"
    assert not cache_dir().parent.exists()


def test_a_prebuilt_index_is_the_current_entry_for_its_folders(prebuilt_index, tmp_path):
    """``prebuilt_index(*folders)`` gives the entry a command with those ``--path`` folders
    uses, current in this test's home: that command does not build it again."""
    from click.testing import CliRunner

    from phrasekit.cli import cli

    scripts = Path(__file__).parent / "fixtures" / "scripts"
    prebuilt_index(scripts / "greek", scripts / "turkish")
    loaded = load_index([scripts / "greek", scripts / "turkish"])
    assert loaded.state == "current"
    assert loaded.index.pack_names == ["builtin", "greek", "turkish"]
    del loaded
    status = CliRunner().invoke(cli, ["--path", str(scripts / "greek"), "--path", str(scripts / "turkish"),
                                      "index", "status", "--json"])  # fmt: skip
    assert status.exit_code == 0, status.output
    assert json.loads(status.stdout)["state"] == "current", status.stdout
