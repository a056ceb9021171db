"""``phrasekit pick``: driven as a rep would, in a real pseudo-terminal (pexpect), the screen read
back through a terminal emulator (pyte) so the tests see what the rep sees; the picker's state
and its two seams (copy, history) in-process; the fallback off a terminal with CliRunner."""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import fake_tool
from phrasekit.blanks import fill
from phrasekit.cli import cli


def _pty_works() -> bool:
    if sys.platform == "win32":
        return False
    try:
        primary, secondary = os.openpty()
    except OSError:
        return False
    os.close(primary)
    os.close(secondary)
    return True


needs_pty = pytest.mark.skipif(not _pty_works(), reason="no pseudo-terminal on this system")

HANG = 30.0
"""Seconds a pty test waits for a screen before failing: a hang guard only, never a timing."""

ROWS, COLUMNS = 24, 100
UP, DOWN, ENTER, ESC, TAB = "\x1b[A", "\x1b[B", "\r", "\x1b", "\t"
CTRL_C, CTRL_L, CTRL_O, CTRL_S = "\x03", "\x0c", "\x0f", "\x13"


class Terminal:
    """``phrasekit ARGS`` in a pseudo-terminal, its screen kept by a terminal emulator."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        import pexpect
        import pyte

        exe = shutil.which("phrasekit", path=os.path.dirname(sys.executable))
        command, argv = (exe, args) if exe else (sys.executable, ["-m", "phrasekit", *args])
        self.child = pexpect.spawn(command, argv, env=env, dimensions=(ROWS, COLUMNS), timeout=HANG)
        self.child.delaybeforesend = None  # no 50 ms pause before each key
        self.screen = pyte.Screen(COLUMNS, ROWS)
        self.stream = pyte.ByteStream(self.screen)
        self.raw = bytearray()
        self.ended = False

    def _read(self, wait: float) -> None:
        import pexpect

        try:
            data = self.child.read_nonblocking(65536, timeout=wait)
        except pexpect.TIMEOUT:
            return
        except pexpect.EOF:
            self.ended = True
            return
        self.raw += data
        self.stream.feed(data)

    def lines(self) -> list[str]:
        return [line.rstrip() for line in self.screen.display]

    def wait_for(self, shows, what: str) -> list[str]:
        """The screen once ``shows(lines)`` holds (failing, with the screen, after ``HANG``)."""
        deadline = time.monotonic() + HANG
        while not shows(self.lines()):
            if self.ended or time.monotonic() > deadline:
                pytest.fail(f"the screen never showed {what}:\n" + "\n".join(self.lines()))
            self._read(0.05)
        return self.lines()

    def send(self, keys: str) -> None:
        self.child.send(keys.encode("utf-8"))

    def finish(self) -> int:
        """Read to the end; the exit code."""
        deadline = time.monotonic() + HANG
        while not self.ended:
            if time.monotonic() > deadline:
                self.child.terminate(force=True)
                pytest.fail("phrasekit pick did not end:\n" + "\n".join(self.lines()))
            self._read(0.1)
        while self.child.isalive():  # its output ended: now its exit, seen at once (close() waits 0.1 s)
            if time.monotonic() > deadline:
                self.child.terminate(force=True)
                pytest.fail("phrasekit pick closed its terminal but did not end")
            time.sleep(0.002)
        self.child.ptyproc.delayafterclose = 0
        self.child.close()
        return self.child.exitstatus

    def output(self) -> str:
        """Everything written to the terminal, escape sequences taken out."""
        import re

        text = self.raw.decode("utf-8", "replace")
        return re.sub(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07]*\x07|[()][0-9A-B]|[=>78])", "", text)


@pytest.fixture
def term_env(isolated_home, tmp_path) -> dict[str, str]:
    """The test's own config, cache and data folders, and the only clipboard tool on its PATH a
    fake ``pbcopy`` that writes what it is given to ``bin/pbcopy.got`` (``copied``)."""
    fake_tool(tmp_path / "bin", "pbcopy")
    env = {**os.environ, "TERM": "xterm-256color", "XDG_DATA_HOME": str(isolated_home / ".local" / "share"),
           "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}  # fmt: skip
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "TMUX"):
        env.pop(name, None)
    env.pop("NO_COLOR", None)
    return env


def taking(phrase_id: str, how: str, asked: dict | None = None):
    """A stand-in for the screen (``pick.run_picker``) that moves to ``phrase_id``, answers each
    blank with the value it is prefilled with (noted in ``asked``) and ends as ``how``."""

    def take(state):
        state.refresh()
        while state.current.id != phrase_id:
            state.move(1)
        blank = state.begin_take()
        while blank:
            value = state.values.get(blank, "")
            if asked is not None:
                asked[blank] = value
            blank = state.answer(value)
        return how

    return take


def _drawn(lines: list[str]) -> bool:
    """Whether the list is drawn to its end (its rule): a screen read mid-frame is not."""
    return any(line.startswith("-----") for line in lines)


def _listed(lines: list[str]) -> list[str]:
    """The phrase lines of the list (between the status line and the rule)."""
    rule = next(at for at, line in enumerate(lines) if line.startswith("-----"))
    return [line for line in lines[2:rule] if line]


def _hits(query: str) -> list:
    import phrasekit

    return phrasekit.search(query, limit=15, mode="lexical").hits


@needs_pty
def test_typing_narrows_the_list_and_enter_copies_a_phrase_with_its_blanks_filled(term_env, tmp_path):
    """Type a query with a typo, watch the list narrow to the situation, move to a phrase with
    two blanks, fill one (the other prefilled by --set) and take it: the fake copier receives
    the filled text without a newline, and standard error says where it went."""
    term = Terminal(["pick", "--set", "channel=by email"], term_env)
    term.wait_for(lambda lines: lines[0] == ">" and "type what is happening" in lines[1], "an empty query")
    term.send("tecnician")  # the typo is corrected; the word alone is about no situation
    general = term.wait_for(lambda lines: lines[0] == "> tecnician" and "phrases" in lines[1] and _drawn(lines),
                            "a first list")  # fmt: skip
    assert not any("engineer" in line for line in _listed(general))
    term.send(" no show")
    hits = _hits("technician no show")
    assert hits[0].phrase.full_id == "builtin/technician-no-show-sorry"

    def narrowed_to_it(lines: list[str]) -> bool:
        return (lines[0] == "> tecnician no show" and any("builtin/technician-no-show-sorry" in line for line in lines)
                and _drawn(lines))  # fmt: skip

    narrowed = term.wait_for(narrowed_to_it, "the narrowed list")
    rows = _listed(narrowed)
    assert rows[0].startswith("> " + hits[0].phrase.text[:40]) and "apology" in rows[0] and "builtin" in rows[0]
    assert len(rows) == len(hits) and "phone,chat,email" in rows[0]
    for row, hit in zip(rows, hits, strict=True):  # each phrase as search ranks it, its blanks as [date]
        assert row[2:].startswith(fill(hit.phrase.text, {})[:40]) and f"  {hit.phrase.category}" in row

    target = next(at for at, hit in enumerate(hits) if hit.phrase.blanks == ["date", "channel"])
    term.send(DOWN * target)
    moved = term.wait_for(lambda lines: any(f"builtin/{hits[target].phrase.id}  " in line for line in lines)
                          and _drawn(lines), "the moved selection")  # fmt: skip
    assert _listed(moved)[target].startswith("> I'm booking a new visit for [date]")
    preview = "\n".join(moved)
    assert "I'm booking a new visit for [date]" in preview and "by email" in preview  # a blank and a filled one
    assert "{date}  a date (case: case.date): to fill" in preview

    term.send(ENTER)
    term.wait_for(lambda lines: lines[0] == "{date} (1 of 2):", "the question for {date}")
    term.send("Friday 3 May")
    term.wait_for(lambda lines: any("new visit for Friday 3 May" in line for line in lines), "the preview filled")
    term.send(ENTER)
    term.wait_for(lambda lines: lines[0] == "{channel} (2 of 2): by email", "the prefilled {channel}")
    term.send(ENTER)
    assert term.finish() == 0
    expected = hits[target].phrase.text.replace("{date}", "Friday 3 May").replace("{channel}", "by email")
    assert (tmp_path / "bin" / "pbcopy.got").read_text(encoding="utf-8") == expected
    assert f"Copied builtin/{hits[target].phrase.id} to the clipboard (pbcopy)." in term.output()


@needs_pty
def test_ctrl_o_prints_the_phrase_and_copies_nothing(term_env, tmp_path):
    term = Terminal(["pick", "tecnician", "no", "show"], term_env)
    term.wait_for(lambda lines: any("builtin/technician-no-show-sorry" in line for line in lines), "the list")
    term.send(CTRL_O)
    assert term.finish() == 0
    assert _hits("technician no show")[0].phrase.text in term.output().splitlines()
    assert not (tmp_path / "bin" / "pbcopy.got").exists() and "Copied" not in term.output()


@needs_pty
def test_print_option_prints_what_enter_takes(term_env, tmp_path):
    term = Terminal(["pick", "--print", "--set", "when=by noon", "-c", "follow-up", "tecnician no show"], term_env)
    term.wait_for(lambda lines: any("builtin/technician-no-show-follow-up" in line for line in lines), "the list")
    term.send(ENTER)
    term.wait_for(lambda lines: lines[0] == "{when} (1 of 1): by noon", "the prefilled {when}")
    term.send(ENTER)
    assert term.finish() == 0
    assert "You'll hear from me by noon, ahead of the new visit" in term.output()
    assert not (tmp_path / "bin" / "pbcopy.got").exists()


@needs_pty
def test_esc_leaves_with_exit_code_1_and_ctrl_c_with_130(term_env, tmp_path):
    for key, code in ((ESC, 1), (CTRL_C, 130)):
        term = Terminal(["pick", "late", "delivery"], term_env)
        term.wait_for(lambda lines: "phrases" in lines[1], "the list")
        term.send(key)
        assert term.finish() == code
        assert not (tmp_path / "bin" / "pbcopy.got").exists()


@needs_pty
def test_esc_while_filling_a_blank_goes_back_to_the_list(term_env, tmp_path):
    term = Terminal(["pick", "-c", "follow-up", "tecnician no show"], term_env)
    term.wait_for(lambda lines: any("technician-no-show-follow-up" in line for line in lines), "the list")
    term.send(ENTER)
    term.wait_for(lambda lines: lines[0].startswith("{when} (1 of 1):"), "the question")
    term.send(ESC)
    term.wait_for(lambda lines: lines[0] == "> tecnician no show", "the query again")
    term.send(ESC)
    assert term.finish() == 1


@needs_pty
def test_tab_cycles_the_category_and_ctrl_l_the_channel(term_env):
    term = Terminal(["pick", "tecnician no show"], term_env)
    term.wait_for(lambda lines: "category: all  channel: any" in lines[1], "no filters")
    term.send(TAB)
    # the status line can be drawn before the rows under it: wait for the rows too, then look
    screen = term.wait_for(lambda lines: "category: listen  channel: any" in lines[1] and _drawn(lines)
                           and all("  listen  " in row for row in _listed(lines)), "the first category")  # fmt: skip
    assert _listed(screen) and all("  listen  " in row for row in _listed(screen))
    term.send(TAB)
    term.wait_for(lambda lines: "category: acknowledge" in lines[1], "the next category")
    term.send(CTRL_L)
    term.wait_for(lambda lines: "category: acknowledge  channel: phone" in lines[1], "the first channel")
    term.send(CTRL_L * 5)
    term.wait_for(lambda lines: "category: acknowledge  channel: any" in lines[1], "the channels all round")
    term.send(ESC)
    assert term.finish() == 1


@needs_pty
def test_the_help_line_names_the_keys(term_env):
    term = Terminal(["pick"], term_env)
    screen = term.wait_for(lambda lines: lines[-1].startswith("Up/Down move"), "the help line")
    assert screen[-1] == "Up/Down move  Tab category  ^L channel  Enter take  ^O print  ^S star  Esc leave"
    term.send(ESC)
    assert term.finish() == 1


# --- the state and the seams, in-process -------------------------------------------------------


class FakeHistory:
    def __init__(self, ranked: list[str]) -> None:
        self.listed, self.recorded, self.starred = ranked, [], []

    def ranked(self, limit: int) -> list[str]:
        return self.listed[:limit]

    def record(self, full_id: str) -> None:
        self.recorded.append(full_id)

    def star(self, full_id: str) -> None:
        self.starred.append(full_id)


def _state(history: FakeHistory, **options):
    from phrasekit.catalogue import open_index
    from phrasekit.pick import PickerState

    return PickerState(open_index(()), history, **options)


def test_an_empty_query_lists_the_history_s_phrases_that_fit_the_filters():
    history = FakeHistory(["builtin/technician-no-show-sorry", "gone/pack-phrase", "builtin/sorry-core",
                           "builtin/technician-no-show-sorry-sms"])  # fmt: skip
    state = _state(history)
    state.refresh()
    ids = [phrase.full_id for phrase in state.phrases]
    assert ids == ["builtin/technician-no-show-sorry", "builtin/sorry-core", "builtin/technician-no-show-sorry-sms"]
    assert state.status().startswith("3 from your history")
    state.channel = "sms"  # a phrase that names no channel fits every one
    state.refresh()
    assert [p.full_id for p in state.phrases] == ["builtin/sorry-core", "builtin/technician-no-show-sorry-sms"]
    state.category, state.channel = "empathy", None
    state.refresh()
    assert state.phrases == [] and state.current is None and state.begin_take() is None


def test_typing_ranks_as_search_does_and_a_filter_keeps_the_selected_phrase():
    state = _state(FakeHistory([]), query="pakage never arived")
    state.refresh()
    assert [p.full_id for p in state.phrases] == [hit.phrase.full_id for hit in _hits("pakage never arived")]
    state.move(3)
    chosen = state.current
    state.cycle_category()
    state.category = chosen.category
    state.refresh()
    assert state.current == chosen and all(p.category == chosen.category for p in state.phrases)
    state.move(-1000)  # wraps around, never out of the list
    assert state.current in state.phrases


def test_the_star_key_stars_through_the_history_seam():
    history = FakeHistory([])
    state = _state(history, query="double charge")
    state.refresh()
    state.move(1)
    state.star()
    assert history.starred == [state.current.full_id] and f"starred {state.current.full_id}" in state.status()


def test_a_taken_phrase_is_copied_through_the_seam_and_recorded(monkeypatch):
    """``pick`` copies the filled text with the ``copy`` it is given and records the id in the
    history it is given; with ``print_only`` nothing is copied."""
    import phrasekit.pick as pick_module

    def take_second(state):
        state.refresh()
        state.move(1)
        blank = state.begin_take()
        while blank:
            blank = state.answer("soon")
        return "copy"

    monkeypatch.setattr(pick_module, "run_picker", take_second)
    copied, history = [], FakeHistory([])
    picked = pick_module.pick("double charge", copy=lambda text: copied.append(text) or "the test",
                              history=history, sets=["when=by Friday"])  # fmt: skip
    second = _hits("double charge")[1].phrase
    assert picked.text == fill(second.text, {"when": "by Friday"}) and "{" not in second.text.replace("{when}", "")
    assert picked.how == "copy" and picked.where == "the test" and picked.phrase_id == second.full_id
    assert copied == [picked.text] and history.recorded == [second.full_id]
    again = pick_module.pick("double charge", copy=copied.append, history=history, print_only=True)
    assert again.how == "print" and len(copied) == 1 and history.recorded == [second.full_id] * 2


# --- not on a terminal ----------------------------------------------------------------------------


OFF_TERMINAL = [
    ["tecnician", "no", "show"],
    ["-c", "follow-up", "--set", "when=by noon", "late", "delivry"],
    ["banana", "bread", "recipe"],
    ["--channel", "sms", "double charge"],
]


@pytest.mark.parametrize("args", OFF_TERMINAL)
def test_off_a_terminal_pick_prints_what_search_n_1_text_prints(args):
    picked = CliRunner().invoke(cli, ["pick", *args])
    searched = CliRunner().invoke(cli, ["search", "-n", "1", "--text", *args])
    assert (picked.exit_code, picked.stdout, picked.stderr) == (searched.exit_code, searched.stdout, searched.stderr)
    assert picked.exit_code == (1 if "banana" in args else 0)


def test_off_a_terminal_pick_without_a_situation_is_a_usage_error():
    result = CliRunner().invoke(cli, ["pick"])
    assert result.exit_code == 2 and "the situation is empty" in result.stderr


def test_pick_imports_prompt_toolkit_only_when_it_draws(isolated_home, tmp_path):
    from helpers import imports_of

    ((searched, _),) = imports_of(["search", "late", "delivery"], isolated_home, tmp_path, runs=1)
    ((picked, output),) = imports_of(["pick", "late", "delivery"], isolated_home, tmp_path, runs=1)
    assert not any(name.startswith("prompt_toolkit") for name in searched | picked)  # off a terminal: search's way
    assert "phrasekit.pick" not in picked and output.strip()


def test_the_picker_s_module_is_where_prompt_toolkit_is_imported():
    """Only phrasekit/pick.py names prompt_toolkit, and only inside functions."""
    package = Path(__import__("phrasekit").__file__).parent
    naming = sorted(path.name for path in package.glob("*.py") if "prompt_toolkit" in path.read_text("utf-8"))
    assert naming == ["pick.py"]
    top_level = [line for line in (package / "pick.py").read_text("utf-8").splitlines()
                 if line.startswith(("import prompt_toolkit", "from prompt_toolkit"))]  # fmt: skip
    assert top_level == []


def _drive(make_state, typed: str):
    """``run_picker(make_state())`` in-process, in a thread of its own (the state opens its
    index there: an index is used by the thread that opened it), given the keys ``typed`` at
    once; the state and what it returned, or what it raised. A picker still running after
    ``HANG`` seconds (waiting for a key) fails the test."""
    import threading

    from prompt_toolkit.input import create_pipe_input
    from prompt_toolkit.output import DummyOutput

    from phrasekit.pick import run_picker

    ended: dict = {}
    with create_pipe_input() as keys:
        keys.send_text(typed)

        def run() -> None:
            try:
                ended["state"] = make_state()
                ended["how"] = run_picker(ended["state"], input=keys, output=DummyOutput())
            except Exception as error:  # raised below, in the test's thread
                ended["error"] = error

        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        thread.join(HANG)
        if thread.is_alive():
            keys.close()
            pytest.fail("the picker was still waiting for a key")
    if "error" in ended:
        raise ended["error"]
    return ended["state"], ended["how"]


def test_keys_read_together_are_ranked_once_for_the_latest_query(monkeypatch):
    """A burst of keys (typed while a ranking ran, or pasted) is ranked once, for the text they
    leave: no stale query is ranked, so a slow ranking never queues up behind the typing."""
    from phrasekit.pick import PickerState

    ranked = []
    rank = PickerState._rank
    monkeypatch.setattr(PickerState, "_rank", lambda self: ranked.append(self.query) or rank(self))
    state, how = _drive(lambda: _state(FakeHistory([])), "late delivry" + "\x7f" * 6 + "elivery" + ESC)
    assert how == "leave"
    assert ranked == ["late delivery"] and state.query == "late delivery"


def test_an_error_while_the_picker_is_shown_closes_it_and_is_raised():
    """A history that cannot be written (say) ends the picker with its error, for the command
    line's error edge, instead of prompt_toolkit's report that waits for Enter."""

    class Unwritable(FakeHistory):
        def star(self, full_id: str) -> None:
            raise PermissionError(13, "Permission denied", "history.db")

    with pytest.raises(PermissionError):
        _drive(lambda: _state(Unwritable([]), query="late delivery"), CTRL_S)


def test_a_blank_is_prefilled_from_the_case_file_and_set_wins_over_it(tmp_path, monkeypatch):
    import phrasekit.pick as pick_module

    case = tmp_path / "case.yaml"
    case.write_text("case:\n  date: 4 June\n  channel: by text message\n", encoding="utf-8")
    asked = {}
    monkeypatch.setattr(pick_module, "run_picker", taking("technician-no-show-next", "print", asked))
    picked = pick_module.pick("technician no show", case_file=str(case), sets=["channel=by email"],
                              history=FakeHistory([]))  # fmt: skip
    assert asked == {"date": "4 June", "channel": "by email"}
    assert picked.how == "print" and "new visit for 4 June" in picked.text and "with you by email" in picked.text


@needs_pty
def test_a_taken_phrase_is_in_the_history_an_empty_query_opens_on_and_ctrl_s_stars_it(term_env, tmp_path):
    """The real history and clipboard, end to end: the phrase taken goes to the clipboard tool and
    into ``phrasekit history``; the next picker with nothing typed lists it first, and Ctrl-S
    stars it there."""
    import json
    import subprocess

    term = Terminal(["pick", "double charge"], term_env)
    first = term.wait_for(lambda lines: lines[0] == "> double charge" and _drawn(lines), "the list")
    taken_text = _listed(first)[0][2:42]
    term.send(ENTER)
    assert term.finish() == 0
    copied = (tmp_path / "bin" / "pbcopy.got").read_text(encoding="utf-8")
    assert copied.startswith(taken_text.rstrip("…").rstrip())

    def history() -> list[dict]:
        done = subprocess.run([sys.executable, "-m", "phrasekit", "history", "--json"], env=term_env,
                              capture_output=True, text=True, check=True)  # fmt: skip
        return json.loads(done.stdout)

    (taken,) = history()
    assert taken["uses"] == 1 and taken["starred"] is False
    term = Terminal(["pick"], term_env)
    opened = term.wait_for(lambda lines: lines[0] == ">" and _drawn(lines), "the history's phrases")
    assert _listed(opened)[0].startswith("> " + taken_text)
    term.send(CTRL_S)
    term.wait_for(lambda lines: f"starred {taken['id']}" in "\n".join(lines), "the star")
    term.send(CTRL_S)
    term.wait_for(lambda lines: f"unstarred {taken['id']}" in "\n".join(lines), "the star taken away")
    term.send(CTRL_S)
    term.wait_for(lambda lines: f"  starred {taken['id']}" in "\n".join(lines) or
                  f"|  starred {taken['id']}" in "\n".join(lines), "starred again")  # fmt: skip
    term.send(ESC)
    assert term.finish() == 1
    (entry,) = history()
    assert entry["id"] == taken["id"] and entry["starred"] is True and entry["uses"] == 1


def test_a_warning_about_a_pack_is_said_once_the_picker_has_closed(tmp_path, monkeypatch):
    # Said while the screen is up, it would be drawn over and lost.
    import phrasekit.cli as cli_module
    import phrasekit.pick as pick_module

    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("name: broken\nphrases: [oops\n", encoding="utf-8")
    messages: list[str] = []
    said_while_shown = []

    def screen(state):
        said_while_shown.append(list(messages))
        return "leave"

    monkeypatch.setattr(cli_module, "_is_interactive", lambda: True)
    monkeypatch.setattr(cli_module, "_warn", messages.append)
    monkeypatch.setattr(pick_module, "run_picker", screen)
    monkeypatch.setattr(pick_module, "default_history", lambda warn=None: FakeHistory([]))
    result = CliRunner().invoke(cli, ["--path", str(broken), "pick", "late", "parcel"])
    assert result.exit_code == 1
    assert said_while_shown == [[]]
    assert len(messages) == 1 and "broken" in messages[0] and "skipped" in messages[0]
