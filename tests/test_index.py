"""The compiled index is a cache: every fault ends in a correct answer, never a crash."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import imports_of, isolate, stalling_pack, write_tree
from phrasekit.cli import cli
from phrasekit.index import SCHEMA_VERSION, cache_path, load_index

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
    """The bank's index in this test's own cache folder (the session's copy, current there:
    test_harness), and the answer it must give."""
    assert load_index(()).state == "current"
    assert cache_path().is_file()
    return bank_answer


@pytest.mark.fresh_cache
def test_first_search_builds_the_cache_in_xdg_cache_home(isolated_home):
    assert not cache_path().exists()
    ids = search_ids()
    assert cache_path().parent == isolated_home / ".cache" / "phrasekit"
    assert cache_path().name.startswith(f"index-v{SCHEMA_VERSION}-")
    assert cache_path().is_file()
    assert load_index(()).state == "current"
    assert search_ids() == ids


@pytest.mark.fresh_cache
def test_a_search_with_a_current_index_never_imports_yaml(isolated_home, tmp_path):
    (first, _), (second, output) = imports_of(["search", "late", "delivery"], isolated_home, tmp_path)
    assert "yaml" in first and "jinja2" not in first  # the first search builds the index from YAML
    assert "yaml" not in second and "jinja2" not in second
    assert "sorry" in output.lower()


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
    other = json.loads(runner.invoke(cli, ["index", "status", "--json"]).stdout)
    assert other["state"] == "missing"  # another set of packs has its own entry
    assert [entry["in_force"] for entry in other["entries"]] == [False]
    text = runner.invoke(cli, ["index", "status"]).stdout
    assert "state:   missing" in text
    cleared = runner.invoke(cli, ["index", "clear"])
    assert cleared.stdout.strip() == "Removed 1 file(s)."
    assert not cache_path().exists()
    assert runner.invoke(cli, ["index", "clear"]).stdout.strip() == "No index to remove."


@pytest.mark.parametrize("command", [["packs", "list"], ["categories"], ["families"]])
def test_listing_with_a_current_index_never_imports_yaml(isolated_home, tmp_path, command):
    [(second, output)] = imports_of(command, isolated_home, tmp_path, runs=1)  # current: the session's
    assert "yaml" not in second
    assert output.strip()


@pytest.mark.fresh_cache
def test_index_clear_removes_every_cache_file_and_nothing_else(isolated_home):
    folder = isolated_home / ".cache" / "phrasekit"
    folder.mkdir(parents=True)
    ours = ["index-v6.sqlite", "index-v4.sqlite", "semantic-abc.vec.npy", "semantic-abc.start.npy",
            "vectors-0123456789abcdef.sqlite", "embedding.pid", "minilm-0123456789abcdef.weights",
            ".minilm-0123456789abcdef.weights.4242.x1y2.tmp", "minilm-0123456789abcdef.f32",
            "minilm-0123456789abcdef.json"]  # fmt: skip
    for name in [*ours, "notes.txt"]:
        (folder / name).write_text("x")
    result = CliRunner().invoke(cli, ["index", "clear"])
    assert result.stdout.strip() == f"Removed {len(ours)} file(s)."
    assert sorted(p.name for p in folder.iterdir()) == ["notes.txt"]


def small_pack(folder, name, word):
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "pack.yaml").write_text(
        f"name: {name}\nphrases:\n  - id: a\n    category: apology\n    text: Sorry about the {word}.\n"
        f"    situations: [{word} broken]\n"
    )
    return folder


@pytest.mark.fresh_cache
def test_switching_between_path_sets_keeps_both_entries(isolated_home, tmp_path):
    one, two = small_pack(tmp_path / "one", "one", "gizmo"), small_pack(tmp_path / "two", "two", "widget")
    assert load_index([one]).state == "rebuilt"
    assert load_index([two]).state == "rebuilt"
    assert load_index([one]).state == "current"
    assert load_index([two]).state == "current"
    status = json.loads(CliRunner().invoke(cli, ["--path", str(two), "index", "status", "--json"]).stdout)
    assert status["state"] == "current"
    assert [entry["in_force"] for entry in status["entries"]].count(True) == 1
    assert sorted(tuple(entry["packs"]) for entry in status["entries"]) == [("builtin", "one"), ("builtin", "two")]
    text = CliRunner().invoke(cli, ["--path", str(two), "index", "status"]).stdout
    assert "cache:   2 entries" in text
    assert text.count("phrases: builtin, ") == 2


def test_spellings_of_a_folder_share_one_entry(isolated_home, tmp_path, monkeypatch):
    pack = small_pack(tmp_path / "team", "team", "gizmo")
    (tmp_path / "link").symlink_to(pack)
    assert load_index([pack]).state == "rebuilt"
    monkeypatch.chdir(tmp_path)
    assert load_index(["team"]).state == "current"
    assert load_index(["./link/"]).state == "current"
    monkeypatch.setenv("PHRASEKIT_PATH", str(tmp_path / "team"))
    assert load_index([]).state == "rebuilt"  # the same folder found another way is another set
    assert load_index([]).state == "current"


@pytest.mark.fresh_cache
def test_least_recently_used_entries_are_removed_first(isolated_home, tmp_path, monkeypatch):
    monkeypatch.setattr("phrasekit.index.MAX_ENTRIES", 2)
    packs = [small_pack(tmp_path / name, name, "gizmo") for name in ("one", "two", "three")]
    for age, pack in enumerate(packs[:2]):
        load_index([pack])
        os.utime(cache_path([pack]), (1_000_000 + age, 1_000_000 + age))
    load_index([packs[2]])
    assert not cache_path([packs[0]]).exists()  # the least recently used
    assert cache_path([packs[1]]).exists() and cache_path([packs[2]]).exists()
    assert load_index([packs[1]]).state == "current"


def edit_keeping_its_time(path, old: str, new: str) -> os.stat_result:
    """Replace ``old`` with ``new`` in the file and put its times back; its stat from before."""
    before = path.stat()
    path.write_text(path.read_text().replace(old, new))
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    return before


def test_a_same_size_edit_with_the_old_time_restored_rebuilds(isolated_home, tmp_path):
    pack = small_pack(tmp_path / "team", "team", "gizmo")
    manifest = pack / "pack.yaml"
    assert search_rows(pack, "gizmo broken") == [("team/a", ["gizmo broken"])]
    before = edit_keeping_its_time(manifest, "gizmo", "bolts")
    assert manifest.stat().st_size == before.st_size
    assert search_rows(pack, "bolts broken") == [("team/a", ["bolts broken"])]


def test_an_edit_a_coarse_file_system_cannot_stamp_is_still_seen(isolated_home, tmp_path, monkeypatch):
    """Where times are coarse and change times and inodes are not kept (FAT, some network file
    systems), an edit in the same second as the build, of the same size, leaves every stamp as
    it was: the content checksum kept for a file that new still tells."""

    def coarse_stamp(path) -> str:
        try:
            info = os.stat(path)
        except OSError:
            return "-"
        return f"{info.st_size} {int(info.st_mtime)}"

    monkeypatch.setattr("phrasekit.index.file_stamp", coarse_stamp)
    pack = small_pack(tmp_path / "team", "team", "gizmo")
    manifest = pack / "pack.yaml"
    assert search_rows(pack, "gizmo broken") == [("team/a", ["gizmo broken"])]
    before = edit_keeping_its_time(manifest, "gizmo", "bolts")
    assert coarse_stamp(manifest) == f"{before.st_size} {int(before.st_mtime)}"
    assert search_rows(pack, "bolts broken") == [("team/a", ["bolts broken"])]
    assert search_rows(pack, "bolts broken") == [("team/a", ["bolts broken"])]  # and it stays seen


def test_a_file_no_longer_new_is_no_longer_read_to_know_the_entry_is_current(isolated_home, tmp_path):
    pack = small_pack(tmp_path / "team", "team", "gizmo")
    search_rows(pack, "gizmo broken")
    assert "pack.yaml" in load_index([pack]).index.meta["racy"]  # just written: its checksum is kept
    minute_ago = (pack / "pack.yaml").stat().st_mtime - 60
    os.utime(pack / "pack.yaml", (minute_ago, minute_ago))
    load_index([pack])  # the stamp changed: checked again, now an old file
    assert load_index([pack]).state == "current"
    assert not load_index([pack]).index.meta["racy"]


def test_a_garbled_phrase_text_is_never_shown_and_status_tells(isolated_home):
    """A byte changed inside a phrase's text gives SQLite no sign (its pages are whole): the
    phrase's checksum tells, so status says "damaged" and the next command shows the bank's own
    words, from an entry built again."""
    import sqlite3

    runner = CliRunner()
    shown = json.loads(runner.invoke(cli, QUERY).stdout)
    conn = sqlite3.connect(cache_path())
    doc, text = conn.execute("SELECT doc, text FROM phrases WHERE id = ?", (shown[0]["id"].split("/")[1],)).fetchone()
    conn.execute("UPDATE phrases SET text = ? WHERE doc = ?", ("X" + text[1:], doc))
    conn.commit()
    conn.close()
    assert json.loads(runner.invoke(cli, ["index", "status", "--json"]).stdout)["state"] == "damaged"
    again = runner.invoke(cli, QUERY)
    assert again.exit_code == 0 and json.loads(again.stdout) == shown
    assert json.loads(runner.invoke(cli, ["index", "status", "--json"]).stdout)["state"] == "current"


def test_a_posting_pointing_at_another_phrase_is_caught_by_its_checksum(isolated_home):
    """A doc number changed to another phrase's, in a term's posting: SQLite sees nothing and the
    number is in range, but the term's checksum tells; the search ranks as it did."""
    import sqlite3
    from array import array

    runner = CliRunner()
    shown = json.loads(runner.invoke(cli, QUERY).stdout)
    conn = sqlite3.connect(cache_path())
    term, blob = conn.execute("SELECT term, f0 FROM terms WHERE term = 'charg'").fetchone()
    docs = array("i")
    docs.frombytes(blob)
    docs[0] = (docs[0] + 7) % 1000
    conn.execute("UPDATE terms SET f0 = ? WHERE term = ?", (docs.tobytes(), term))
    conn.commit()
    conn.close()
    assert json.loads(runner.invoke(cli, ["index", "status", "--json"]).stdout)["state"] == "damaged"
    again = runner.invoke(cli, QUERY)
    assert again.exit_code == 0 and json.loads(again.stdout) == shown


def test_status_of_a_pack_larger_than_sqlite_takes_parameters_says_current(isolated_home, tmp_path):
    """Status reads every phrase's checksum: in chunks, since SQLite takes at most 32,766
    parameters in one statement (a large pack was called damaged)."""
    pack = tmp_path / "large"
    pack.mkdir()
    rows = "".join(f"  - {{id: p{n}, category: apology, text: 'Sorry about part {n}.'}}\n" for n in range(33_000))
    (pack / "pack.yaml").write_text(f"name: large\nphrases:\n{rows}")
    status = CliRunner().invoke(cli, ["--path", str(pack), "index", "status", "--json"])
    assert status.exit_code == 0
    assert CliRunner().invoke(cli, ["--path", str(pack), "search", "sorry", "part", "32999"]).exit_code == 0
    status = json.loads(CliRunner().invoke(cli, ["--path", str(pack), "index", "status", "--json"]).stdout)
    assert (status["state"], status["phrases"]) == ("current", 33_000 + load_index().index.count)


def test_a_garbled_value_marshal_would_trust_is_caught_by_its_checksum(isolated_home):
    """A damaged families value that reads as a list of two billion items: refused by its
    checksum before it is decoded, so the entry is rebuilt and the search answers."""
    import sqlite3

    ids = search_ids()
    conn = sqlite3.connect(cache_path())
    conn.execute("UPDATE meta SET value = ? WHERE key = 'families'", (b"\0\0\0\0[\xff\xff\xff\x7f",))
    conn.commit()
    conn.close()
    assert search_ids() == ids
    assert load_index().state == "current"


def test_status_says_stale_after_a_pack_changes(isolated_home, tmp_path):
    pack = small_pack(tmp_path / "team", "team", "gizmo")
    runner = CliRunner()
    assert runner.invoke(cli, ["--path", str(pack), "index", "rebuild"]).exit_code == 0
    (pack / "pack.yaml").write_text((pack / "pack.yaml").read_text().replace("gizmo", "widget and more"))
    text = runner.invoke(cli, ["--path", str(pack), "index", "status"]).stdout
    assert "state:   stale" in text


def multi_file_pack(folder, files=3):
    (folder / "phrases").mkdir(parents=True)
    (folder / "pack.yaml").write_text("name: multi\ncategories:\n  gizmo-care:\n    description: Care.\n")
    for number in range(files):
        (folder / "phrases" / f"part{number}.yaml").write_text(
            f"phrases:\n  - id: p{number}\n    category: apology\n"
            f"    text: Sorry about gizmo {number}, the {('amber', 'brass', 'cedar', 'denim')[number % 4]} one.\n"
            f"    situations: [gizmo {number} broken]\n"
        )
    return folder


def test_editing_one_file_of_a_pack_reads_that_file_alone(isolated_home, tmp_path, monkeypatch):
    import phrasekit.yamlfile as yamlfile

    pack = multi_file_pack(tmp_path / "multi")
    assert load_index([pack]).state == "rebuilt"
    read = []
    for name in ("quick_load_yaml", "load_yaml"):
        original = getattr(yamlfile, name)
        spy = lambda path, *a, _o=original, **k: read.append(str(path)) or _o(path, *a, **k)  # noqa: E731
        monkeypatch.setattr(yamlfile, name, spy)
    edited = pack / "phrases" / "part1.yaml"
    edited.write_text(edited.read_text().replace("Sorry about gizmo 1, the brass one.", "So sorry about the sprocket."))
    assert load_index([pack]).state == "rebuilt"
    assert sorted(path for path in read if path.startswith(str(pack))) == [str(pack / "pack.yaml"), str(edited)]
    rows = [
        (row["id"], row["text"])
        for row in json.loads(
            CliRunner()
            .invoke(cli, ["--path", str(pack), "search", "--json", "--pack", "multi", "-n", "3", "gizmo", "sprocket"])
            .stdout
        )
    ]
    assert ("multi/p1", "So sorry about the sprocket.") in rows and (
        "multi/p0",
        "Sorry about gizmo 0, the amber one.",
    ) in rows


def test_an_unchanged_file_is_checked_again_when_its_pack_changes(isolated_home, tmp_path):
    pack = multi_file_pack(tmp_path / "multi")
    assert load_index([pack]).state == "rebuilt"
    (pack / "phrases" / "part2.yaml").write_text(
        "phrases:\n  - id: p0\n    category: gizmo-care\n    text: Let me look after the gizmo.\n"
    )
    loaded = load_index([pack])
    assert "multi" not in loaded.index.pack_names
    message = str(loaded.problems[0].findings[0])
    assert message.startswith(f"{pack / 'phrases' / 'part2.yaml'}:2:9: duplicate id 'p0': also at ")
    assert message.endswith(f"also at {pack / 'phrases' / 'part0.yaml'}:2:9")
    (pack / "phrases" / "part2.yaml").write_text(
        "phrases:\n  - id: p2\n    category: gizmo-care\n    text: Let me look after the gizmo.\n"
    )
    assert "multi" in load_index([pack]).index.pack_names
    (pack / "pack.yaml").write_text("name: multi\n")  # part2, unchanged, uses the category it declared
    loaded = load_index([pack])
    assert "multi" not in loaded.index.pack_names
    assert "unknown category 'gizmo-care'" in str(loaded.problems[0].findings[0])


def index_rows(path):
    import sqlite3

    conn = sqlite3.connect(path)
    tables = {
        table: sorted(conn.execute(f"SELECT * FROM {table}"))
        for table in ("terms", "vocab", "lexicon", "family_groups", "phrases", "files", "situations")
    }
    tables["meta"] = sorted(conn.execute("SELECT key, value FROM meta WHERE key NOT IN ('site_stamp')"))
    conn.close()
    return tables


@pytest.mark.parametrize(
    "old, new",
    [
        pytest.param("text: Sorry about gizmo 1, the brass one.", "text: I'm so sorry the sprocket jammed.", id="text"),
        pytest.param("situations: [gizmo 1 broken]", "situations: [sprocket jammed, gizmo 1 broken]", id="situations"),
        pytest.param("situations: [gizmo 1 broken]", "tags: [gizmo]", id="situations-dropped"),
        pytest.param("situations: [gizmo 1 broken]", "situations: [gizmo 2 broken]", id="situations-of-another-file"),
        pytest.param("category: apology", "category: gizmo-care\n    tags: [sprocket]", id="category-and-tags"),
    ],
)
def test_a_one_file_edit_updates_the_entry_to_what_a_full_build_writes(isolated_home, tmp_path, monkeypatch, old, new):
    from phrasekit import refresh

    pack = multi_file_pack(tmp_path / "multi")
    load_index([pack])
    edited = pack / "phrases" / "part1.yaml"
    edited.write_text(edited.read_text().replace(old, new))
    updates = []
    original = refresh.update_entry
    monkeypatch.setattr(refresh, "update_entry", lambda *args: updates.append(original(*args)) or updates[-1])
    assert load_index([pack]).state == "rebuilt"
    assert updates == [True]
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    assert load_index([pack]).state == "rebuilt"
    monkeypatch.setenv("XDG_CACHE_HOME", str(isolated_home / ".cache"))
    updated = index_rows(cache_path([pack]))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "fresh"))
    assert updated == index_rows(cache_path([pack]))


def test_an_edit_that_adds_a_phrase_builds_the_entry_again(isolated_home, tmp_path):
    pack = multi_file_pack(tmp_path / "multi")
    load_index([pack])
    edited = pack / "phrases" / "part1.yaml"
    extra = "  - id: extra\n    category: thank-you\n    text: Thanks for bearing with me.\n"
    edited.write_text(edited.read_text() + extra)
    assert load_index([pack]).state == "rebuilt"
    rows = json.loads(CliRunner().invoke(cli, ["--path", str(pack), "show", "multi/extra", "--json"]).stdout)
    assert rows["text"] == "Thanks for bearing with me."


def test_a_file_or_pack_added_in_a_watched_folder_is_noticed(isolated_home, tmp_path, monkeypatch):
    pack = multi_file_pack(tmp_path / "packs" / "multi")
    (tmp_path / "packs" / "later").mkdir()  # not a pack yet
    monkeypatch.setenv("PHRASEKIT_PATH", str(tmp_path / "packs"))
    assert load_index([]).state == "rebuilt"
    assert load_index([]).state == "current"
    (pack / "phrases" / "deeper").mkdir()
    (pack / "phrases" / "deeper" / "more.yaml").write_text(
        "phrases:\n  - id: deep\n    category: apology\n    text: Sorry the sprocket is stuck.\n"
    )
    loaded = load_index([])
    assert loaded.state == "rebuilt" and loaded.index.find("multi/deep") is not None
    (tmp_path / "packs" / "later" / "pack.yaml").write_text(
        "name: later\nphrases:\n  - id: one\n    category: thank-you\n    text: Thanks for waiting.\n"
    )
    loaded = load_index([])
    assert loaded.state == "rebuilt" and "later" in loaded.index.pack_names


def test_a_stray_file_beside_the_phrases_keeps_the_entry_current(isolated_home, tmp_path):
    pack = multi_file_pack(tmp_path / "multi")
    assert load_index([pack]).state == "rebuilt"
    (pack / "phrases" / ".part1.yaml.swp").write_text("an editor's swap file")
    assert load_index([pack]).state == "current"
    assert load_index([pack]).state == "current"


def test_a_search_with_a_current_index_never_imports_pathlib_or_semantic_modules(isolated_home, tmp_path):
    # the bank's index in this home is the session's, current: one run
    [(second, output)] = imports_of(["search", "--lexical", "late", "delivery"], isolated_home, tmp_path, runs=1)
    assert second & {"pathlib", "yaml", "phrasekit.semantic", "phrasekit.encoder", "numpy"} == set()
    assert "sorry" in output.lower()


@pytest.mark.fresh_cache
def test_without_the_semantic_extra_a_search_never_looks_for_it(isolated_home, tmp_path):
    as_if_numpy_were_missing = (
        "import importlib.util\nreal = importlib.util.find_spec\n"
        "importlib.util.find_spec = lambda name, *a, **k: None if name == 'numpy' else real(name, *a, **k)"
    )
    _, (second, output) = imports_of(["search", "late", "delivery"], isolated_home, tmp_path,
                                     prelude=as_if_numpy_were_missing, semantic=True)  # fmt: skip
    assert second & {"phrasekit.semantic", "phrasekit.encoder", "numpy"} == set()
    assert "sorry" in output.lower()


@pytest.mark.fresh_cache
def test_a_new_set_of_packs_reads_only_the_files_no_entry_has_read(isolated_home, tmp_path, monkeypatch):
    import phrasekit.yamlfile as yamlfile
    from phrasekit.packs import builtin_pack_dir

    assert load_index([]).state == "rebuilt"
    pack = multi_file_pack(tmp_path / "multi", files=1)
    read = []
    for name in ("quick_load_yaml", "load_yaml"):
        original = getattr(yamlfile, name)
        spy = lambda path, *a, _o=original, **k: read.append(str(path)) or _o(path, *a, **k)  # noqa: E731
        monkeypatch.setattr(yamlfile, name, spy)
    loaded = load_index([pack])
    assert loaded.state == "rebuilt" and "multi" in loaded.index.pack_names
    bank = str(builtin_pack_dir())
    assert [path for path in read if path.startswith(bank)] == [str(builtin_pack_dir() / "pack.yaml")]
    assert loaded.index.count == load_index([]).index.count + 1


def test_each_phrases_situations_are_read_back_by_number_as_written_with_or_without_blob_reads():
    """The situations table gives each phrase its own situations, in the order it says them
    (one said twice, twice), numbered in the table's code point order; reading it by rows (Python
    3.10, no ``blobopen``) gives the same numbers as reading its blobs."""
    import sqlite3

    from phrasekit.index import GROUP, build_index, read_situations
    from phrasekit.model import Phrase

    phrases = [
        Phrase(id="a", pack="team", category="apology", text="Sorry.",
               situations=("wet box", "late parcel", "wet box")),
        Phrase(id="b", pack="team", category="apology", text="Sorry."),
        Phrase(id="c", pack="team", category="apology", text="Sorry.", situations=("late parcel",)),
    ]  # fmt: skip
    index = build_index(phrases)
    read = read_situations(index.conn, index.count)
    assert read.table == sorted(read.table) and len(read.table) == 2
    said = [[read.table[n] for n in read.ids[read.offsets[doc] : read.offsets[doc + 1]]] for doc in range(3)]
    assert [len(items) for items in said] == [3, 0, 1]
    assert said[0][0] == said[0][2] != said[0][1] == said[2][0]
    assert index.situation_rows([0, 1, 2]) == {doc: GROUP.join(items) for doc, items in enumerate(said)}

    class RowsOnly:  # a connection without ``blobopen``
        def __init__(self, conn: sqlite3.Connection) -> None:
            self.execute = conn.execute

    by_rows = read_situations(RowsOnly(index.conn), index.count)
    assert (list(by_rows.offsets), list(by_rows.ids), by_rows.table) == (list(read.offsets), list(read.ids), read.table)


@pytest.mark.fresh_cache
def test_a_damaged_entry_never_fails_a_command_and_status_says_so(isolated_home):
    runner = CliRunner()
    ids = search_ids()
    entry = cache_path()
    good = entry.read_bytes()
    told = 0
    for number in range(48):  # 64 garbled bytes at 48 places spread over the file
        offset = (number * 7919 * 4096 + number * 131) % len(good)
        damaged = bytearray(good)
        damaged[offset : offset + 64] = bytes(byte ^ 0x5A for byte in damaged[offset : offset + 64])
        entry.write_bytes(bytes(damaged))
        state = json.loads(runner.invoke(cli, ["index", "status", "--json"]).stdout)["state"]
        told += state in ("damaged", "unreadable")
        for command in (QUERY, ["show", ids[0]], ["categories", "--json"], ["script", "--lexical", "late delivery"]):
            result = runner.invoke(cli, command)
            assert result.exit_code == 0, (offset, state, command, result.output)
        entry.write_bytes(good)
    assert told >= 2


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(["H", "I"]), st.lists(st.integers(0, 300), max_size=60), st.integers(0, 300))
def test_the_phrases_of_a_family_are_found_in_order_however_the_bytes_fall(typecode, column, number):
    """``docs_of_family`` searches the column's bytes: a value whose bytes also appear across two
    neighbouring items (257 = 0x0101 beside 1s) is never taken for it."""
    from array import array

    from phrasekit.index import _positions

    values = array(typecode, column)
    wanted = [doc for doc, value in enumerate(column) if value == number]
    assert _positions(values.tobytes(), array(typecode, [number]).tobytes(), values.itemsize) == wanted


@pytest.mark.fresh_cache
def test_a_build_and_a_one_file_update_sync_the_whole_entry_once_before_it_is_moved(isolated_home, tmp_path,
                                                                                     monkeypatch):  # fmt: skip
    # The temporary entry is written without a journal or a sync per statement, so the one sync
    # must come when it is whole: before it takes the entry's place, never after.
    from phrasekit import index, refresh

    synced = []

    def sync(path):
        synced.append((Path(path).name, cache_path([pack]).exists(), os.path.getsize(path)))

    pack = multi_file_pack(tmp_path / "multi")
    monkeypatch.setattr(index, "sync_file", sync)
    monkeypatch.setattr(refresh, "sync_file", sync)
    load_index([pack])
    assert len(synced) == 1 and synced[0][0].startswith(".index-") and synced[0][1] is False
    assert synced[0][2] == cache_path([pack]).stat().st_size
    edited = pack / "phrases" / "part1.yaml"
    edited.write_text(edited.read_text().replace("gizmo 1, the brass one", "gizmo 1, the copper one"))
    assert load_index([pack]).state == "rebuilt"
    assert len(synced) == 2 and synced[1][0].startswith(".index-") and synced[1][1] is True
    assert synced[1][2] == cache_path([pack]).stat().st_size
    conn = index.unseen_connection(tmp_path / "scratch.sqlite")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "off"
    assert conn.execute("PRAGMA synchronous").fetchone()[0] == 0
    conn.close()


def test_a_build_after_others_in_one_process_writes_what_a_first_build_writes(tmp_path, monkeypatch, builtin_pack):
    """A process keeps the terms it extracted, where its last build stood after the bank, and the
    rules it compiled from one build to the next (``index._terms_memo``, ``_Resume``,
    ``_rules_to``): each index built after others, with other synonyms in force in between (each
    team pack links the bank's "parcel" to its own word), is the index a process that had built
    nothing writes for the same packs."""
    import sqlite3

    from phrasekit import index
    from phrasekit.packs import PackSet, load_pack

    def team(name, word):
        return load_pack(write_tree(tmp_path / name, {"pack.yaml": f"""
            name: {name}
            synonyms:
              {word}: [parcel]
            avoid:
              - pattern: '\\b{word}\\b'
                reason: our own word
            phrases:
              - id: a
                category: apology
                text: Sorry the {word} is late.
            """}))  # fmt: skip

    def built(packs):
        pack_set = PackSet([builtin_pack, *packs])
        conn = sqlite3.connect(":memory:")
        index.write_index(conn, pack_set.phrases, pack_set.synonyms(), pack_set.categories(),
                          families=pack_set.families())  # fmt: skip
        tables = ("terms", "vocab", "lexicon", "family_groups", "phrases", "meta")
        rows = {table: sorted(conn.execute(f"SELECT * FROM {table}")) for table in tables}
        conn.close()
        return rows, index._rules_to(pack_set.packs)

    first, second = [team("first", "widget")], [team("second", "sprocket")]
    plain = [load_pack(small_pack(tmp_path / "plain", "plain", "gizmo"))]  # no synonyms: goes on from the bank
    warm = [built(packs) for packs in (first, second, plain, [], plain, [])]
    assert warm[4] == warm[2] and warm[5] == warm[3]  # going on from the bank's build twice changed what was kept
    for packs, kept in ((second, warm[1]), (plain, warm[2]), ([], warm[3])):
        monkeypatch.setattr(index, "_TERMS_MEMO", [None, {}, None])
        monkeypatch.setattr(index, "_RULES_MEMO", {})
        assert built(packs) == kept, packs
    result = CliRunner().invoke(cli, ["--path", str(tmp_path / "second"), "search", "--json", "-n", "20", "sprocket"])
    assert any(row["pack"] == "builtin" for row in json.loads(result.stdout)), result.output  # by the team's word


def test_an_edited_avoid_rule_is_the_one_check_runs_in_the_same_process(tmp_path):
    """The rules compiled for one build are reused only for the same rules: a pack's ``avoid:``
    edited in place (same folder, same pack name) is the one the next check runs."""
    pack = stalling_pack(tmp_path / "team", "gizmo")
    runner = CliRunner()
    result = runner.invoke(cli, ["--path", str(pack), "check", "-"], input="The gizmo and the sprocket.\n")
    assert result.exit_code == 1 and "-:1:5: " in result.stdout and "-:1:19: " not in result.stdout, result.output
    stalling_pack(tmp_path / "team", "sprocket")
    result = runner.invoke(cli, ["--path", str(pack), "check", "-"], input="The gizmo and the sprocket.\n")
    assert result.exit_code == 1 and "-:1:19: " in result.stdout and "-:1:5: " not in result.stdout, result.output


def test_the_familied_column_marks_exactly_the_phrases_a_family_is_chosen_from():
    """``Index.familied`` (one byte per phrase, made from two columns at once) is not zero for a
    phrase in a family or a general one, and zero for every other: a team's phrases written for
    a situation of no family, which a family-only ranking leaves out."""
    from phrasekit.index import build_pack_index
    from phrasekit.packs import load_packs

    index = build_pack_index(load_packs([str(ACME)]))
    familied = index.familied()
    assert len(familied) == index.count
    marked = [bool(familied[doc]) for doc in range(index.count)]
    assert marked == [index.family_of(doc) is not None or index.is_general(doc) for doc in range(index.count)]
    assert any(marked) and not all(marked)
