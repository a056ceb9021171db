"""The rep's history: what is recorded, how it ranks, where it lives, how ties are broken, and
that two processes at once never lose the file."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phrasekit import history
from phrasekit.config import load_config
from phrasekit.history import CAP, HALF_LIFE, HEADER, HistoryEntry, break_ties, enabled, ranked, record, star
from phrasekit.model import Hit, Phrase
from phrasekit.playbook import build_script
from phrasekit.search import search

DAY = 24 * 3600.0
T0 = 1_790_000_000.0


def history_file(home):
    return home / ".local" / "share" / "phrasekit" / "history.jsonl"


def config(home, text: str) -> None:
    folder = home / ".config" / "phrasekit"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.yaml").write_text(text)


def test_history_lives_in_the_data_folder(isolated_home):
    record("builtin/sorry-core", when=T0)
    path = history_file(isolated_home)
    assert history.history_path() == str(path)
    lines = path.read_text().splitlines()
    assert lines[0] == HEADER
    assert json.loads(lines[1])["id"] == "builtin/sorry-core"


def test_the_data_folder_defaults_to_local_share_and_follows_the_platform(monkeypatch, tmp_path):
    from phrasekit.folders import data_folder

    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path))
    assert data_folder() == str(tmp_path / ".local" / "share" / "phrasekit")
    monkeypatch.setattr(sys, "platform", "darwin")
    assert data_folder() == str(tmp_path / "Library" / "Application Support" / "phrasekit")
    monkeypatch.setattr(sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "Local"))
    assert data_folder().endswith("phrasekit") and data_folder().startswith(str(tmp_path / "Local"))


def test_record_counts_uses_and_keeps_the_last_time(isolated_home):
    record("builtin/sorry-core", when=T0)
    entry = record("builtin/sorry-core", when=T0 + 60)
    assert entry == HistoryEntry("builtin/sorry-core", 2, T0 + 60, False, pytest.approx(2.0, rel=1e-3))
    [read] = history.entries(now=T0 + 60)
    assert (read.full_id, read.uses, read.last_used, read.starred) == ("builtin/sorry-core", 2, T0 + 60, False)


def test_a_use_weighs_half_after_the_half_life(isolated_home):
    record("builtin/sorry-core", when=T0)
    assert ranked(now=T0 + HALF_LIFE)[0].score == pytest.approx(0.5)
    assert ranked(now=T0 + 3 * HALF_LIFE)[0].score == pytest.approx(0.125)


def test_ranked_puts_starred_first_then_frequency_and_recency(isolated_home):
    for _ in range(3):
        record("builtin/old-habit", when=T0)  # three uses three weeks ago: 3 / 8
    record("builtin/this-week", when=T0 + 20 * DAY)  # one use a day ago: about 0.9
    star("builtin/kept", when=T0 + 21 * DAY)  # starred, never used
    record("builtin/twice-lately", when=T0 + 19 * DAY)
    record("builtin/twice-lately", when=T0 + 19 * DAY)
    order = [entry.full_id for entry in ranked(now=T0 + 21 * DAY)]
    assert order == ["builtin/kept", "builtin/twice-lately", "builtin/this-week", "builtin/old-habit"]
    assert [entry.full_id for entry in ranked(2, now=T0 + 21 * DAY)] == order[:2]


def test_star_and_unstar(isolated_home):
    assert star("builtin/a", when=T0).starred
    record("builtin/b", when=T0)
    assert star("builtin/b", when=T0).starred
    assert not star("builtin/b", on=False, when=T0).starred
    assert star("builtin/a", on=False, when=T0) == HistoryEntry("builtin/a", 0, None, False, 0.0)
    assert [(e.full_id, e.uses, e.starred) for e in history.entries(now=T0)] == [("builtin/b", 1, False)]
    assert star("builtin/never", on=False) is None


def test_the_history_keeps_the_cap_most_relevant_and_every_starred(isolated_home):
    path = history_file(isolated_home)
    path.parent.mkdir(parents=True)
    rows = [{"id": f"builtin/p{n}", "uses": 1, "last_used": T0 + n, "starred": False, "weight": 1.0 + n / 1000,
             "at": T0 + n} for n in range(CAP + 100)]  # fmt: skip
    rows.append({"id": "builtin/starred", "uses": 0, "last_used": None, "starred": True, "weight": 0.0, "at": T0})
    path.write_text("\n".join([HEADER, *map(json.dumps, rows)]) + "\n")
    record("builtin/new", when=T0 + 1000)
    kept = [entry.full_id for entry in history.entries(now=T0 + 1000)]
    assert len(kept) == CAP
    assert kept[0] == "builtin/starred"
    assert "builtin/p599" in kept and "builtin/p0" not in kept  # the weakest went
    assert len(path.read_text().splitlines()) == CAP + 1


def test_clear_forgets_everything_and_says_how_many(isolated_home):
    assert history.clear() == 0
    record("builtin/a")
    star("builtin/b")
    assert history.clear() == 2
    assert not history_file(isolated_home).exists()
    assert history.entries() == []


@pytest.mark.parametrize(
    "text",
    ["", "agent:\n  name: Sam\n", "history: false\n", "history: no\n", "history: Off  # quiet\n", "history: true\n",
     "history: yes\n", "history: 0\n", "history: 1\n", 'history: "false"\n', "history:\n", "history: null\n",
     "{history: false}\n", "signature: |\n  history: false\n",
     "agent:\n  history: false\n", "# history: false\n"],
)  # fmt: skip
def test_enabled_agrees_with_the_config_as_yaml_reads_it(isolated_home, text):
    config(isolated_home, text)
    assert enabled() is bool(load_config().get("history", True))


def test_enabled_reports_a_config_yaml_refuses_as_load_config_does(isolated_home):
    from phrasekit.errors import PhrasekitError

    config(isolated_home, "history: false\nhistory: true\n")
    with pytest.raises(PhrasekitError, match="duplicate key 'history'"):
        load_config()
    with pytest.raises(PhrasekitError, match="duplicate key 'history'"):
        enabled()


def test_enabled_reads_a_plain_setting_without_yaml(isolated_home):
    config(isolated_home, "agent:\n  name: Sam\nhistory: off\n")
    code = "import sys\nfrom phrasekit.history import enabled\nprint(enabled(), 'yaml' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.split() == ["False", "False"]


def test_with_history_off_nothing_is_recorded_or_used(isolated_home):
    record("builtin/sorry-core", when=T0)
    before = history_file(isolated_home).read_bytes()
    config(isolated_home, "history: false\n")
    assert record("builtin/sorry-core") is None
    assert star("builtin/x") is None
    assert ranked() == [] and history.entries() == []
    assert history_file(isolated_home).read_bytes() == before


def test_with_history_off_no_file_is_made(isolated_home):
    config(isolated_home, "history: false\n")
    record("builtin/sorry-core")
    assert not history_file(isolated_home).parent.exists()


# --- ties: the rep's own phrases first among equal scores, nothing else moves ---------------------


def hit(name: str, score: float, category: str = "apology", tags: tuple = (), fallback: bool = False) -> Hit:
    return Hit(Phrase(name, "builtin", category, f"text {name}", tags=tags), score, fallback=fallback)


def ids(hits) -> list[str]:
    return [h.phrase.full_id for h in hits]


def test_break_ties_moves_used_phrases_up_only_among_equal_scores(isolated_home):
    hits = [hit("a", 3.0), hit("b", 2.0), hit("c", 2.0), hit("d", 2.0), hit("e", 1.0), hit("f", 1.0)]
    for _ in range(2):
        record("builtin/d")
    record("builtin/c")
    record("builtin/e")  # alone at its score: stays
    record("builtin/f")
    [ordered] = break_ties([hits])
    assert ids(ordered) == ["builtin/a", "builtin/d", "builtin/c", "builtin/b", "builtin/f", "builtin/e"]


def test_break_ties_keeps_safety_phrases_first_and_fallbacks_apart(isolated_home):
    hits = [hit("safe", 2.0, tags=("immediate-safety",)), hit("plain", 2.0), hit("g1", 0.0, fallback=True),
            hit("g2", 0.0, fallback=False)]  # fmt: skip
    record("builtin/plain")
    record("builtin/g2")
    assert break_ties([hits]) == [hits]


def test_break_ties_by_category_keeps_the_steps_order_of_categories(isolated_home):
    hits = [hit("a", 0.0, "listen"), hit("b", 0.0, "empathy"), hit("c", 0.0, "empathy")]
    record("builtin/b")
    record("builtin/c")
    record("builtin/c")
    assert ids(break_ties([hits], by_category=True)[0]) == ["builtin/a", "builtin/c", "builtin/b"]


def test_without_a_tie_or_a_history_file_the_history_is_not_read(isolated_home, monkeypatch):
    def unread(*args):
        raise AssertionError("the history was read")

    monkeypatch.setattr(history, "_read", unread)
    tied = [hit("a", 1.0), hit("b", 1.0)]
    assert break_ties([tied]) == [tied]  # no file
    monkeypatch.undo()
    record("builtin/b")
    monkeypatch.setattr(history, "_read", unread)
    untied = [hit("a", 2.0), hit("b", 1.0)]
    assert break_ties([untied]) == [untied]


def test_search_puts_the_phrase_the_rep_uses_first_among_equal_scores(isolated_home):
    plain = search("double charge").hits
    assert plain[0].score == plain[3].score  # the family's phrases tie, in the order a rep reaches for them
    record("builtin/double-charge-next")
    used = search("double charge").hits
    assert ids(used) == [ids(plain)[3], *ids(plain)[:3], *ids(plain)[4:]]
    config(isolated_home, "history: false\n")
    assert search("double charge").hits == plain


def test_script_puts_the_rep_s_phrase_first_within_a_category(isolated_home):
    def step_two(script):
        return ids(next(step.hits for step in script.steps if step.step.number == 2))

    plain = step_two(build_script("angry customer"))
    assert plain == ["builtin/ack-make-sure-right", "builtin/ack-is-this-correct"]
    record("builtin/ack-is-this-correct")
    assert step_two(build_script("angry customer")) == plain[::-1]


def test_the_introduction_goes_before_the_phrase_that_comes_first(isolated_home):
    details = {"customer": {"first_name": "Dana"}, "agent": {"name": "Sam"}}
    first = build_script("angry customer", details=details).steps[0].hits
    record(first[1].phrase.full_id)
    reordered = build_script("angry customer", details=details).steps[0].hits
    assert reordered[0].phrase.full_id == first[1].phrase.full_id
    assert reordered[0].phrase.text.startswith("Dana, I'm Sam. ")
    assert not reordered[1].phrase.text.startswith("Dana")


def test_listed_skips_phrases_that_no_longer_exist_but_keeps_them(isolated_home):
    record("builtin/gone-phrase")
    record("builtin/sorry-core")
    assert [phrase.full_id for _, phrase in history.listed()] == ["builtin/sorry-core"]
    assert {entry.full_id for entry in history.entries()} == {"builtin/gone-phrase", "builtin/sorry-core"}


def test_a_search_with_history_imports_no_yaml_json_or_pathlib(isolated_home, tmp_path):
    from helpers import imports_of

    config(isolated_home, "agent:\n  name: Sam\nhistory: true\n")
    record("builtin/double-charge-next")
    env = f"import os\nos.environ['XDG_DATA_HOME'] = {str(isolated_home / '.local' / 'share')!r}"
    # the bank's index in this home is the session's, current: one run
    [(second, output)] = imports_of(["search", "--lexical", "double", "charge"], isolated_home, tmp_path, runs=1,
                                    prelude=env)  # fmt: skip
    assert second & {"pathlib", "yaml", "json", "phrasekit.semantic", "numpy"} == set()
    assert output.split("\n")[0].split()[1] == "builtin/double-charge-next"  # the history was used


# --- two processes at once ------------------------------------------------------------------------

# The reader reads from before the first write to after the last: it opens the gate (``start``)
# once it has read the file whole, the writers wait for it, and the test says ``stop`` only when
# every writer has ended. Each loop gives up after a minute: a hang guard, never a timing.
WRITER = """
import os, sys, time
from phrasekit.history import record
give_up = time.monotonic() + 60
while not os.path.exists(sys.argv[3]):
    if time.monotonic() > give_up:
        sys.exit("the reader never started")
    time.sleep(0.002)
for n in range(int(sys.argv[2])):
    record(f"builtin/{sys.argv[1]}-{n % 5}")
"""

READER = """
import os, sys, time
from phrasekit.history import history_path
from phrasekit.history import _read
start, stop = sys.argv[1], sys.argv[2]
seen = 0
give_up = time.monotonic() + 60
while not os.path.exists(stop):
    if time.monotonic() > give_up:
        sys.exit("never told to stop")
    found, problem = _read(history_path(), time.time())
    if problem is not None:
        print("PROBLEM", problem[0])
        sys.exit(1)
    seen += 1
    if seen == 1:
        open(start, "w").close()
print(seen)
"""


def test_two_processes_recording_at_once_never_lose_or_tear_the_file(isolated_home, tmp_path):
    record("builtin/first")  # the file exists from here on: a reader must always find it whole
    start, stop = tmp_path / "start", tmp_path / "stop"
    reader = subprocess.Popen([sys.executable, "-c", READER, start, stop], stdout=subprocess.PIPE, text=True)
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, name, "40", start]) for name in ("a", "b", "c")]
    for writer in writers:
        assert writer.wait(timeout=60) == 0  # a hang guard, not a timing
    stop.touch()
    out, _ = reader.communicate(timeout=60)
    assert reader.returncode == 0, out
    lines = history_file(isolated_home).read_text().splitlines()
    assert lines[0] == HEADER
    found = {entry.full_id: entry.uses for entry in history.entries()}
    assert "builtin/first" in found  # every writer read it and kept it
    assert set(found) <= {"builtin/first"} | {f"builtin/{w}-{n}" for w in "abc" for n in range(5)}
    assert 0 < sum(found.values()) <= 121  # a use may be lost when two write in the same instant
    leftovers = [p.name for p in history_file(isolated_home).parent.iterdir() if p.name != "history.jsonl"]
    assert leftovers == []


def test_the_history_file_format_is_documented_by_what_is_written(isolated_home):
    star("builtin/b", when=T0)
    record("builtin/a", when=T0)
    rows = [json.loads(line) for line in history_file(isolated_home).read_text().splitlines()[1:]]
    assert rows == [
        {"id": "builtin/b", "uses": 0, "last_used": None, "starred": True, "weight": 0.0, "at": T0},
        {"id": "builtin/a", "uses": 1, "last_used": T0, "starred": False, "weight": 1.0, "at": T0},
    ]


# --- the quick reader a search uses reads what json reads ----------------------------------------

ENTRIES = st.lists(
    st.builds(
        HistoryEntry,
        st.text(st.sampled_from('abz09-/éß\u0645\u4e2d"\\\x1b\u2028 '), min_size=1, max_size=12),
        st.integers(0, 10**6),
        st.one_of(st.none(), st.floats(0, 4e9), st.integers(0, 4 * 10**9).map(float)),
        st.booleans(),
        st.floats(0, 1e6),
    ),
    max_size=8,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ENTRIES, st.floats(T0, T0 + 100 * DAY))
def test_the_quick_reader_gives_what_json_gives(isolated_home, found, now):
    from phrasekit.history import _json_rows, _read, _rows, _write

    valid = [entry for entry in found if history._valid_id(entry.full_id)]
    _write(valid, T0)
    path = history.history_path()
    lines = [line for line in history_file(isolated_home).read_text(encoding="utf-8").split("\n")[1:] if line]
    assert _rows(lines) == _json_rows(lines)
    read, problem = _read(path, now)
    assert problem is None
    assert {entry.full_id for entry in read} == {entry.full_id for entry in valid}
    wanted = {entry.full_id for entry in valid[::2]}
    assert {entry.full_id for entry in _read(path, now, wanted)[0]} == wanted
