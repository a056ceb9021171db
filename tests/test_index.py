"""The compiled index is a cache: every fault ends in a correct answer, never a crash."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import isolate
from phrasekit.cli import cli
from phrasekit.index import INDEX_NAME, SCHEMA_VERSION, cache_path, load_index

ACME = Path(__file__).parent / "fixtures" / "packs" / "acme"
QUERY = ["search", "--json", "-n", "3", "double", "charge"]


def search_ids(*args):
    result = CliRunner().invoke(cli, [*args, *QUERY], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)]


@pytest.fixture(scope="module")
def bank_answer(bank_cache, tmp_path_factory):
    """The bank's answer to QUERY, from the session's index."""
    home = tmp_path_factory.mktemp("answer") / "home"
    shutil.copytree(bank_cache, home / ".cache")
    with pytest.MonkeyPatch.context() as monkeypatch:
        isolate(monkeypatch, home)
        return search_ids()


@pytest.fixture
def expected(bank_answer):
    """An index built in this test's own cache folder, and the answer it must give."""
    assert load_index((), rebuild=True).state == "rebuilt"
    assert cache_path().is_file()
    return bank_answer


@pytest.mark.fresh_cache
def test_first_search_builds_the_cache_in_xdg_cache_home(isolated_home):
    assert not cache_path().exists()
    ids = search_ids()
    assert cache_path() == isolated_home / ".cache" / "phrasekit" / INDEX_NAME
    assert cache_path().is_file()
    assert load_index(()).state == "current"
    assert search_ids() == ids


@pytest.mark.fresh_cache
def test_a_search_with_a_current_index_never_imports_yaml(isolated_home, tmp_path):
    env = {**os.environ, "XDG_CACHE_HOME": str(isolated_home / ".cache"), "HOME": str(isolated_home)}
    script = (
        "import sys\nfrom phrasekit.cli import cli\n"
        "try:\n    cli(['search', 'late', 'delivery'])\nexcept SystemExit:\n    pass\n"
        "print('yaml' in sys.modules, 'jinja2' in sys.modules, file=sys.stderr)"
    )
    run = {"env": env, "capture_output": True, "text": True, "check": True, "cwd": tmp_path}
    first = subprocess.run([sys.executable, "-c", script], **run)
    assert first.stderr.split()[-2:] == ["True", "False"]  # the first search builds the index from YAML
    second = subprocess.run([sys.executable, "-c", script], **run)
    assert second.stderr.split()[-2:] == ["False", "False"]
    assert "I'm sorry" in second.stdout or "sorry" in second.stdout.lower()


@pytest.mark.fresh_cache
def test_a_changed_pack_rebuilds(tmp_path):
    pack = tmp_path / "team"
    pack.mkdir()
    manifest = pack / "pack.yaml"
    manifest.write_text(
        "name: team\nphrases:\n  - id: a\n    category: apology\n    text: Sorry about the gizmo.\n"
        "    situations: [gizmo broken]\n"
    )
    assert search_rows(pack, "gizmo broken") == [("team/a", ["gizmo broken"])]
    manifest.write_text(manifest.read_text().replace("gizmo", "widget"))
    assert search_rows(pack, "widget broken") == [("team/a", ["widget broken"])]


def search_rows(pack, query):
    result = CliRunner().invoke(cli, ["--path", str(pack), "search", "--json", "--pack", "team", query])
    return [(row["id"], row["situations"]) for row in json.loads(result.stdout)]


@pytest.mark.fresh_cache
@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda path: path.unlink(), id="deleted"),
        pytest.param(lambda path: path.write_bytes(b"this is not a database" * 100), id="corrupt"),
        pytest.param(lambda path: path.write_bytes(path.read_bytes()[: path.stat().st_size // 2]), id="truncated"),
        pytest.param(lambda path: path.write_bytes(b""), id="empty"),
    ],
)
def test_a_damaged_index_is_rebuilt(expected, damage):
    damage(cache_path())
    assert search_ids() == expected
    assert load_index(()).state == "current"


@pytest.mark.fresh_cache
def test_an_index_from_an_older_phrasekit_is_rebuilt(expected):
    import sqlite3

    conn = sqlite3.connect(cache_path())
    conn.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (SCHEMA_VERSION - 1,))
    conn.commit()
    conn.close()
    assert search_ids() == expected
    assert load_index(()).state == "current"


@pytest.mark.fresh_cache
def test_an_unwritable_cache_folder_still_answers(isolated_home, monkeypatch, bank_answer):
    blocker = isolated_home / "not-a-folder"
    blocker.write_text("a file where the cache folder should be")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    assert load_index(()).state == "memory"
    assert search_ids() == bank_answer


@pytest.mark.fresh_cache
def test_two_processes_building_at_once_both_answer(isolated_home, bank_answer):
    cache_path().parent.mkdir(parents=True)  # an empty cache folder
    env = {**os.environ, "XDG_CACHE_HOME": str(isolated_home / ".cache"), "HOME": str(isolated_home)}
    command = [sys.executable, "-m", "phrasekit", *QUERY]
    procs = [subprocess.Popen(command, env=env, stdout=subprocess.PIPE, text=True, cwd=isolated_home) for _ in range(3)]
    outputs = [proc.communicate(timeout=120)[0] for proc in procs]
    assert all(proc.returncode == 0 for proc in procs)
    assert all([row["id"] for row in json.loads(out)] == bank_answer for out in outputs)
    assert load_index(()).state == "current"
    assert not list(cache_path().parent.glob(".index-*.tmp"))


@pytest.mark.fresh_cache
def test_a_broken_pack_warns_on_cached_searches_too(tmp_path):
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("name: broken\nphrases: [oops\n")
    for _ in range(2):
        result = CliRunner().invoke(cli, ["--path", str(broken), *QUERY])
        assert result.exit_code == 0
        assert json.loads(result.stdout)
        assert f"{broken / 'pack.yaml'}" in result.stderr and "YAML syntax error" in result.stderr


@pytest.mark.fresh_cache
def test_index_commands(isolated_home, builtin_pack):
    runner = CliRunner()
    status = runner.invoke(cli, ["index", "status", "--json"])
    assert json.loads(status.stdout)["state"] == "missing"
    rebuilt = runner.invoke(cli, ["--path", str(ACME), "index", "rebuild"])
    assert rebuilt.exit_code == 0
    from phrasekit.packs import load_pack

    count = len(builtin_pack.phrases) + len(load_pack(ACME).phrases)
    assert rebuilt.stdout.startswith(f"Indexed {count} phrases from 2 pack(s): ")
    status = json.loads(runner.invoke(cli, ["--path", str(ACME), "index", "status", "--json"]).stdout)
    assert status["state"] == "current" and status["phrases"] == count
    assert status["packs"] == ["builtin", "acme-support"]
    stale = json.loads(runner.invoke(cli, ["index", "status", "--json"]).stdout)
    assert stale["state"] == "stale"
    text = runner.invoke(cli, ["index", "status"]).stdout
    assert "state:   stale" in text
    cleared = runner.invoke(cli, ["index", "clear"])
    assert cleared.stdout.strip() == "Removed 1 file(s)."
    assert not cache_path().exists()
    assert runner.invoke(cli, ["index", "clear"]).stdout.strip() == "No index to remove."


@pytest.mark.parametrize("command", [["packs", "list"], ["categories"], ["families"]])
def test_listing_with_a_current_index_never_imports_yaml(isolated_home, tmp_path, command):
    env = {**os.environ, "XDG_CACHE_HOME": str(isolated_home / ".cache"), "HOME": str(isolated_home)}
    script = (
        "import sys\nfrom phrasekit.cli import cli\n"
        f"try:\n    cli({command!r})\nexcept SystemExit:\n    pass\n"
        "print('yaml' in sys.modules, file=sys.stderr)"
    )
    run = {"env": env, "capture_output": True, "text": True, "check": True, "cwd": tmp_path}
    subprocess.run([sys.executable, "-c", script], **run)
    second = subprocess.run([sys.executable, "-c", script], **run)
    assert second.stderr.split()[-1] == "False"
    assert second.stdout.strip()


@pytest.mark.fresh_cache
def test_index_clear_removes_every_cache_file_and_nothing_else(isolated_home):
    folder = isolated_home / ".cache" / "phrasekit"
    folder.mkdir(parents=True)
    ours = ["index-v6.sqlite", "index-v4.sqlite", "semantic-abc.vec.npy", "semantic-abc.start.npy",
            "vectors-0123456789abcdef.sqlite", "embedding.pid"]  # fmt: skip
    for name in [*ours, "notes.txt"]:
        (folder / name).write_text("x")
    result = CliRunner().invoke(cli, ["index", "clear"])
    assert result.stdout.strip() == f"Removed {len(ours)} file(s)."
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]
