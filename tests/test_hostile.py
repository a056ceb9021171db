"""Hostile input: packs, case files, drafts, queries and file names written to do harm.

Each kind of attack has its own section, so that the sections can be read (and merged) apart.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
import tracemalloc
import unicodedata
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import phrasekit
from helpers import fake_tool, stalling_pack
from phrasekit.cli import cli

HOSTILE = Path(__file__).resolve().parent / "fixtures" / "hostile"


# --- terminal: nothing from a pack, a case, a draft or a query reaches the terminal raw ---------

RAW = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2028\u2029\u2060-\u2064\u2066-\u206f"
    "\ufeff\ufff9-\ufffb\U000e0000-\U000e007f]"
)
"""What must never be printed raw, written out here and not taken from phrasekit: C0 controls
but tab and line feed, DEL, C1, bidi marks, embeddings, overrides and isolates, zero-width and
other format characters, line and paragraph separators, tag characters. (Joiners, U+200C and
U+200D, are kept inside a word or an emoji sequence; a test below shows them elsewhere.)"""

OSC52 = "\x1b]52;c;aGk=\x07"
ESCAPES = f"{OSC52}\x1b[2J\x07\u202e\u2066\u200b\ufeff"
"""What the command line gives: a clipboard write, a screen clear, a bell, a bidi override and
isolate, a zero-width space and a byte-order mark."""


def _raw(text: str) -> list[str]:
    return sorted({f"U+{ord(char):04X}" for char in RAW.findall(text)})


def _stamps(root: Path) -> list[tuple[str, int, int]]:
    return sorted((str(path.relative_to(root)), path.lstat().st_size, path.lstat().st_mtime_ns)
                  for path in root.rglob("*"))  # fmt: skip


@pytest.fixture(scope="session")
def hostile_tree(tmp_path_factory) -> Path:
    """The hostile packs and files in a folder of their own, made once: the tests only read it
    (what a command writes goes to the test's own tmp_path)."""
    root = tmp_path_factory.mktemp("hostile-tree") / "hostile"
    shutil.copytree(HOSTILE, root)
    shutil.copytree(root / "names", root / f"names{OSC52}")  # every warning names this folder
    shutil.copy(root / "draft.txt", root / f"draft{OSC52}.txt")
    return root


@pytest.fixture
def hostile(hostile_tree, isolated_home, prebuilt_index):
    """The hostile packs and files, a config file with a bidi override, and the index of the
    folders each command is run with (``_paths``) as an earlier command left it: these tests are
    about what the commands print, and ``index rebuild`` among them builds it again. A test that
    writes into the shared folder fails."""
    config = isolated_home / ".config" / "phrasekit"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text('agent:\n  name: "Sam\\e[8m"  # \u202eevil\n', encoding="utf-8")
    prebuilt_index(*_paths(hostile_tree)[1::2])
    before = _stamps(hostile_tree)
    yield hostile_tree
    assert _stamps(hostile_tree) == before, "a test changed the shared hostile folder"


def _paths(root: Path) -> list[str]:
    return [arg for name in ("loud", f"names{OSC52}", "soft") for arg in ("--path", str(root / name))]


def _runs(root: Path, out: Path) -> dict[str, list[list[str]]]:
    """Every command, run with the hostile packs in force and hostile values where it takes any."""
    sets = ["--set", f"when=now{ESCAPES}", "--set", f"customer.first_name=Dana{OSC52}"]
    query = [f"late parcel {ESCAPES}"]
    return {
        "search": [["search", *sets, *query], ["search", "--json", *sets, *query], ["search", "--nl", *query],
                   ["search", "--text", *sets, *query], ["search", "-c", f"x{OSC52}", "late"],
                   ["search", "--pack", f"x{ESCAPES}", "late"], ["search", f"banana {ESCAPES}"]],
        "show": [["show", "soft/parcel-update", *sets], ["show", "--json", "soft/parcel-sorry"],
                 ["show", f"nope{ESCAPES}"]],
        "categories": [["categories"], ["categories", "--json"], ["categories", "--nl"]],
        "families": [["families"], ["families", "--json"]],
        "packs list": [["packs", "list"], ["packs", "list", "--nl"]],
        "packs validate": [["packs", "validate", *(str(root / n) for n in ("loud", f"names{OSC52}", "soft"))],
                           ["packs", "validate", "--json", str(root / "loud")],
                           ["packs", "validate", "--nl", str(root / "soft")]],
        "packs new": [["packs", "new", f"x{ESCAPES}"], ["packs", "new", "team", str(out / f"team{OSC52}")]],
        "index status": [["index", "status"], ["index", "status", "--json"]],
        "index rebuild": [["index", "rebuild"]],
        "index clear": [["index", "clear"]],
        "templates list": [["templates", "list"], ["templates", "list", "--json"]],
        "templates show": [["templates", "show", "soft-reply"], ["templates", "show", f"x{ESCAPES}"]],
        "render": [["render", "soft-reply", "--case", str(root / "soft-case.yaml")],
                   ["render", "soft-reply", "--json", "--case", str(root / "soft-case.yaml")],
                   ["render", "soft-reply", "--case", str(root / "case.yaml")],
                   ["render", "soft-reply", "--case", str(root / "soft-case.yaml"), *sets],
                   ["render", "soft-reply", "--case", str(root / "soft-case.yaml"), "-o", str(out / "reply.txt")],
                   ["render", "loud-reply", "--set", f"customer.first_name={OSC52}"]],
        "config path": [["config", "path"]],
        "config show": [["config", "show"], ["config", "show", "--json"]],
        "config get": [["config", "get", "agent.name"], ["config", "get", "--json", "agent.name"],
                       ["config", "get", f"x{ESCAPES}"]],
        "config set": [["config", "set", "agent.name", f"Sam{ESCAPES}"], ["config", "set", f"x{ESCAPES}", "y"],
                       ["config", "set", "channel", f"x{OSC52}"], ["config", "set", "company.name", f"Acme{OSC52}"],
                       ["config", "set", "signature", "Care team"], ["config", "show"]],
        "completion": [["completion", "bash"], ["completion", "zsh"], ["completion", "fish"]],
        "script": [["script", *sets, *query], ["script", "--markdown", *query], ["script", "--json", *query]],
        "check": [["check", str(root / f"draft{OSC52}.txt")], ["check", "--json", str(root / "draft.txt")],
                  ["check", "--nl", str(root / "draft.txt")]],
        "model status": [["model", "status"], ["model", "status", "--json"]],
        "pick": [["pick", *sets, *query], ["pick", "-c", f"x{OSC52}", "late"], ["pick", f"banana {ESCAPES}"]],
        "model embed": [["model", "embed"]],
        "history star": [["history", "star", "soft/parcel-sorry"], ["history"], ["history", "--json"],
                         ["history", "star", f"x{ESCAPES}"]],
        "history unstar": [["history", "unstar", "soft/parcel-sorry"], ["history", "--nl"]],
        "history clear": [["history", "clear"]],
        "import": [["import", "chatwoot", str(root / "responses-soft.json"), "--into", str(out / "imported")],
                   ["import", "chatwoot", str(root / "responses-loud.json"), "--into", str(out / f"loud{OSC52}")],
                   ["import", "chatwoot", str(root / "responses-soft.json"), "--into", str(out / "imp2"), "--json"],
                   ["import", "zendesk", str(root / "responses-soft.json"), "--into", str(out / "wrong")]],
        "export": [["export", fmt, "--pack", "soft"] for fmt in ("json", "csv", "espanso", "zendesk", "chatwoot")]
                  + [["export", "csv", "--pack", f"x{ESCAPES}"],
                     ["export", "csv", "--pack", "soft", "-o", str(out / f"x{OSC52}.csv")]],
    }  # fmt: skip


def _leaf_commands(group: click.Group, prefix: str = "") -> list[str]:
    found = []
    for name, command in group.commands.items():
        if isinstance(command, click.Group):
            found += _leaf_commands(command, f"{prefix}{name} ")
        else:
            found.append(f"{prefix}{name}")
    return found


def test_the_terminal_runs_cover_every_command(hostile, tmp_path):
    """A new command must join the runs below, so that its output is held to the same rule."""
    assert sorted(_runs(hostile, tmp_path)) == sorted(_leaf_commands(cli))


def _run(args: list[str], stdin: str = "", color: bool = False):
    result = CliRunner().invoke(cli, args, input=stdin, color=color)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    return result


def _assert_nothing_raw(args: list[str], result) -> None:
    assert _raw(result.stdout) == [], (args, result.stdout)
    assert _raw(result.stderr) == [], (args, result.stderr)


@pytest.mark.parametrize("command", sorted(_leaf_commands(cli)))
def test_no_command_prints_a_control_or_invisible_character_raw(hostile, tmp_path, command, monkeypatch):
    """Every command, with hostile packs on --path, hostile values, queries, a hostile draft and
    config, and a model path that holds them: no control, bidi or invisible character reaches
    standard output or standard error raw (CliRunner's output is a pipe, not a terminal)."""
    monkeypatch.setenv("PHRASEKIT_MODEL", str(tmp_path / f"model{ESCAPES}"))
    for args in _runs(hostile, tmp_path)[command]:
        _assert_nothing_raw(args, _run(_paths(hostile) + args))


def test_what_the_hostile_runs_show_is_there_made_visible(hostile, tmp_path):
    """The filter shows what it met, it does not drop it: the rep can see that something is there."""
    sets = ["--set", f"when=now{OSC52}"]
    text = _run([*_paths(hostile), "search", "--text", "-c", "follow-up", *sets, "late parcel"]).stdout
    assert "I'll update you now\\x1b]52;c;aGk=\\x07<U+200E> about the parcel." in text.splitlines()
    listed = _run([*_paths(hostile), "categories"]).stdout
    assert "Warranty<U+2060> claims" in listed and "Explain<U+FEFF> what it covers" in listed
    script = _run([*_paths(hostile), "script", f"late parcel {OSC52}"]).stdout
    assert script.splitlines()[0] == "Script: late parcel \\x1b]52;c;aGk=\\x07"
    drafted = _run(["check", str(hostile / "draft.txt")], stdin="")
    assert drafted.exit_code == 1 and "draft.txt:3:8: condescension" in drafted.stdout
    shown = _run(["config", "show"]).stdout
    assert 'name: "Sam\\e[8m"  # <U+202E>evil' in shown  # the file as it is, made visible


def test_search_text_keeps_one_phrase_per_line_whatever_a_value_holds(hostile):
    """``--text`` prints one line per phrase: a line break in a filled value is shown as ``\\n``."""
    result = _run([*_paths(hostile), "search", "--text", "-c", "follow-up", "-n", "1",
                   "--set", "when=now\nand\r\nthen", "--pack", "soft", "late parcel"])  # fmt: skip
    assert result.stdout.splitlines() == ["I'll update you now\\nand\\r\\nthen<U+200E> about the parcel."]


def test_on_a_terminal_only_phrasekit_s_own_colour_codes_are_escapes(hostile, monkeypatch):
    """With colour on, the styling still works (bold, cyan), and every ESC printed starts one of
    phrasekit's own colour codes; the hostile ones are shown."""
    monkeypatch.setattr("phrasekit.output.color_enabled", lambda stream=None: True)
    result = _run([*_paths(hostile), "search", "-c", "follow-up", "--set", f"when=now{OSC52}\x1b[8m",
                   "late parcel"], color=True)  # fmt: skip
    out = result.stdout
    assert "\x1b[36m\x1b[1mfollow-up\x1b[0m" in out  # the category, cyan and bold
    assert "now\\x1b]52;c;aGk=\\x07\\x1b[8m" in out
    assert re.sub(r"\x1b\[[0-9;]*m", "", out).count("\x1b") == 0
    assert _raw(re.sub(r"\x1b\[[0-9;]*m", "", out)) == []


def test_json_keeps_every_value_exact_and_escapes_what_would_act_on_a_terminal(hostile):
    """JSON is for programs: the values read back exactly as given (the ``when`` filled in), yet
    no control or bidi character is written raw (they are ``\\u`` escapes)."""
    value = f"now\u0085\u2028{ESCAPES}"
    result = _run([*_paths(hostile), "search", "--json", "-c", "follow-up", "--pack", "soft",
                   "--set", f"when={value}", "late parcel"])  # fmt: skip
    _assert_nothing_raw(["search", "--json"], result)
    assert "\\u001b]52;c;aGk=\\u0007" in result.stdout and "\\u202e" in result.stdout
    (row,) = json.loads(result.stdout)
    assert row["filled"] == f"I'll update you {value}\u200e about the parcel."
    lines = _run([*_paths(hostile), "search", "--nl", "--pack", "soft", "late parcel"]).stdout.splitlines()
    assert len(lines) == 2 and all(json.loads(line)["pack"] == "soft" for line in lines)


def test_a_pack_that_slipped_past_validation_still_reaches_no_terminal_raw(hostile, tmp_path, monkeypatch):
    """Defence in depth: with the character check of pack validation switched off, the loud pack
    loads and its escapes are in the index; every command still shows them, and render refuses
    a message that would hold one."""
    monkeypatch.setattr("phrasekit.validate.character_findings", lambda *args, **kwargs: [])
    loud = ["--path", str(hostile / "loud")]
    found = _run([*loud, "search", "--pack", "loud", "late parcel"])
    assert "I'm sorry\\x1b]52;c;cm0gLXJmIH4=\\x07 your parcel is late" in found.stdout
    for command, runs in _runs(hostile, tmp_path).items():
        for args in runs:
            _assert_nothing_raw([command, *args], _run(loud + args))
    refused = _run([*loud, "render", "loud-reply", "--set", "customer.first_name=Dana", "--set", "agent.name=Sam"])
    assert refused.exit_code == 2 and refused.stdout == ""
    assert "refused: the template writes U+001B ESCAPE (shown as \\x1b)" in refused.stderr


def test_render_refuses_a_message_that_would_hold_a_control_or_bidi_character(hostile, tmp_path):
    """The file ``render -o`` writes is what the rep sends: it is never written with an ESC or a
    bidi override in it (the case detail holding one is named); invisible characters a text may
    need (a zero-width space) are written as they are."""
    out = tmp_path / "reply.txt"
    for value in (f"Dana{OSC52}", "Dana\u202e", "Dana\u2028", "Dana\r"):
        result = _run([*_paths(hostile), "render", "soft-reply", "--case", str(hostile / "soft-case.yaml"),
                       "--set", f"customer.first_name={value}", "-o", str(out)])  # fmt: skip
        assert result.exit_code == 2 and "refused: the case detail customer.first_name holds U+" in result.stderr
        assert not out.exists()
    _run([*_paths(hostile), "render", "soft-reply", "--case", str(hostile / "soft-case.yaml"), "-o", str(out)])
    assert out.read_text(encoding="utf-8").splitlines()[2] == "Hi Dana\u200b,"


def test_a_control_character_in_a_file_name_or_argument_is_shown_in_the_error(hostile, tmp_path):
    folder = tmp_path / f"pack{OSC52}\n"
    result = _run(["--path", str(folder), "search", "late"])
    assert result.exit_code == 2 and "pack\\x1b]52;c;aGk=\\x07\\n" in result.stderr
    _assert_nothing_raw(["--path"], result)
    missing = _run(["check", str(tmp_path / f"draft{ESCAPES}.txt")])
    assert missing.exit_code == 2 and "draft\\x1b]52;c;aGk=\\x07" in missing.stderr
    _assert_nothing_raw(["check"], missing)
    bad_choice = _run(["search", "--channel", f"x{OSC52}", "late"])
    assert bad_choice.exit_code == 2 and "\\x1b]52" in bad_choice.stderr
    _assert_nothing_raw(["--channel"], bad_choice)


def test_validate_names_each_hidden_character_at_its_line_and_column(hostile):
    """``packs validate`` names each character: what it is and where, whether written raw or as
    a YAML escape, in pack.yaml, a phrases file and a template; controls and bidi controls refuse
    the pack, invisible characters are reported (exit 2) but let it load."""
    loud = _run(["packs", "validate", str(hostile / "loud")])
    assert loud.exit_code == 2
    lines = loud.stdout.splitlines()
    at = str(hostile / "loud")
    for expected in [
        f"{at}/pack.yaml:5:14: U+001B ESCAPE (written \\e): a control character, which a terminal acts on; remove it",
        f"{at}/pack.yaml:6:14: U+202E RIGHT-TO-LEFT OVERRIDE (written \\u202e): a bidi control, which reorders the "
        "text around it; remove it",
        f"{at}/pack.yaml:7:64: U+0007 BELL (written \\a): a control character, which a terminal acts on; remove it",
        f"{at}/pack.yaml:9:27: U+2066 LEFT-TO-RIGHT ISOLATE (written \\u2066): a bidi control, which reorders the "
        "text around it; remove it",
        f"{at}/pack.yaml:13:31: U+202E RIGHT-TO-LEFT OVERRIDE (shown as <U+202E>): a bidi control, which reorders "
        "the text around it; remove it",
        f"{at}/pack.yaml:17:21: U+001B ESCAPE (written \\e): a control character, which a terminal acts on; remove it",
        f"{at}/phrases/delivery.yaml:8:41: U+0085 NEXT LINE (written \\u0085): a control character, which a terminal "
        "acts on; remove it",
        f"{at}/templates/loud-reply.jinja:9:30: U+001B ESCAPE (shown as \\x1b): a control character, which a "
        "terminal acts on; remove it",
    ]:
        assert expected in lines
    soft = _run(["packs", "validate", "--json", str(hostile / "soft")])
    (report,) = json.loads(soft.stdout)
    assert soft.exit_code == 2 and report["name"] == "soft" and report["phrases"] == 4
    assert {"path": str(hostile / "soft" / "pack.yaml"), "line": 5, "column": 13,
            "message": "U+200B ZERO WIDTH SPACE (written \\u200b): an invisible character; remove it unless the "
                       "text needs it"} in report["findings"]  # fmt: skip
    found = _run(["--path", str(hostile / "soft"), "search", "--pack", "soft", "late parcel"])
    assert "soft/parcel-sorry" in found.stdout  # it loads, read first the quick way, then again for the places:
    assert found.stderr.startswith(
        f"warning: {hostile / 'soft'}: 8 problem(s) that do not stop it loading; first: {hostile / 'soft'}/pack.yaml"
        ":5:13: U+200B ZERO WIDTH SPACE (written \\u200b)"
    )


def test_validate_refuses_names_that_end_in_a_line_break_or_hold_an_invisible_character(hostile):
    result = _run(["packs", "validate", str(hostile / "names")])
    at = str(hostile / "names")
    assert result.exit_code == 2
    for expected in [
        f"{at}/pack.yaml:2:7: invalid pack name 'names\\n': use lowercase letters, digits and dashes "
        "(e.g. acme-support)",
        f"{at}/pack.yaml:4:3: invalid category name 'warranty\\n': use lowercase letters, digits and dashes",
        f"{at}/pack.yaml:6:9: invalid id 'zero\\u200bwidth': use lowercase letters, digits and dashes",
        f"{at}/templates/named.jinja:2:7: invalid template name 'named\\n': use lowercase letters, digits and dashes",
        f"{at}/templates/named.jinja:6:5: invalid field name 'customer.name\\n': use dotted names like "
        "customer.first_name",
    ]:
        assert expected in result.stdout.splitlines()
    listed = _run(["--path", at, "packs", "list"])
    assert [line.split()[0] for line in listed.stdout.splitlines()] == ["builtin"]
    assert _run(["packs", "new", "team\n"]).exit_code == 2


def test_a_raw_control_character_in_a_yaml_file_is_named_at_its_place(tmp_path):
    (tmp_path / "pack.yaml").write_text("name: team\ntitle: Team \x1b[2J\x07 pack\n", encoding="utf-8")
    result = _run(["packs", "validate", str(tmp_path)])
    assert result.stdout.splitlines()[:2] == [
        f"{tmp_path}/pack.yaml:2:13: U+001B ESCAPE (shown as \\x1b): a control character, which YAML does not "
        "allow; remove it",
        f"{tmp_path}/pack.yaml:2:17: U+0007 BELL (shown as \\x07): a control character, which YAML does not "
        "allow; remove it",
    ]


def test_validate_reads_escapes_only_where_yaml_does(tmp_path):
    """``\\e`` is an ESC only in a double-quoted string; an escaped backslash, a single-quoted
    or plain string and a comment keep it as two characters, and are not reported."""
    lines = [
        "name: team",
        'title: "C:\\\\escape \\u202e"  # \\e in a comment',
        "description: '\\e\\x1b'",
        "locale: plain\\e",
    ]
    (tmp_path / "pack.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = _run(["packs", "validate", str(tmp_path)])
    assert result.stdout.splitlines() == [
        f"{tmp_path}/pack.yaml:2:20: U+202E RIGHT-TO-LEFT OVERRIDE (written \\u202e): a bidi control, which "
        "reorders the text around it; remove it"
    ]


def test_visible_leaves_letters_of_every_script_emoji_and_spaces_alone():
    from phrasekit.visible import visible

    for text in ["Crème brûlée, naïve façade", "مرحبا بك", "שלום", "你好，世界", "こんにちは", "Привет",
                 "👍🏽 🎉 👨\u200d👩\u200d👧", "می\u200cخواهم", "100\u00a0€ « oui »", "x\u0301"]:  # fmt: skip
        assert visible(text) == text
        assert visible(text, block=True) == text


def test_visible_shows_each_kind_of_hidden_character():
    from phrasekit.visible import visible

    assert visible(f"a{OSC52}b") == "a\\x1b]52;c;aGk=\\x07b"
    assert visible("a\x7f\x9b\x85b") == "a\\x7f\\x9b\\x85b"
    assert visible("a\u202eb\u2066c\u2069d\u200ee\u061c") == "a<U+202E>b<U+2066>c<U+2069>d<U+200E>e<U+061C>"
    assert visible("a\u200bb\u2060c\ufeffd\u00ade\U000e0041") == "a<U+200B>b<U+2060>c<U+FEFF>d<U+00AD>e<U+E0041>"
    assert visible("a\u2028b\u2029c\ue000d") == "a<U+2028>b<U+2029>c<U+E000>d"
    assert visible("ad\u200dmin \u200d") == "ad<U+200D>min <U+200D>"  # a joiner outside a word is shown
    assert visible("name\n\tx\r") == "name\\n\\tx\\r"
    assert visible("line\r\nnext\n\tx\ry", block=True) == "line\r\nnext\n\tx\\ry"


@settings(max_examples=300, deadline=None)
@given(
    st.text(alphabet=st.characters(codec="utf-8"), max_size=40)
    | st.text(alphabet="\r\n\t\x1b\u200d\u202ea", max_size=8)
)
def test_visible_never_lets_a_hidden_character_through_and_json_text_reads_back_exactly(text):
    from phrasekit.output import json_text
    from phrasekit.visible import visible

    assert _raw(visible(text)) == [] and "\n" not in visible(text)
    assert _raw(visible(text, block=True).replace("\r\n", "\n")) == []  # a block keeps its CRLF line ends
    assert _raw(json_text({"v": text})) == [] and json.loads(json_text({"v": text})) == {"v": text}
    if text.isprintable():
        assert visible(text) == text


def within(seconds: float, work):
    """Run ``work()`` in another thread (as a caller of the Python API might) and return its
    result; a hang guard, not a timing: the point is that it ends at all."""
    outcome: dict = {}

    def run() -> None:
        try:
            outcome["result"] = work()
        except BaseException as error:  # handed back to the test
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["result"]


# --- templates: pack templates that ask for unbounded work ---------------------------------------

HANG_GUARD = 120
"""Seconds a hostile render may take before the test calls it a hang (each ends in a few)."""

STOPPED = {
    "power": "would compute a number of over 10,000 bits",
    "repeat-huge": "would make a value of over 200,000 characters or items",
    "repeat-twice": "would make a value of over 200,000 characters or items",
    "loop-over-repeat": "would make a value of over 200,000 characters or items",
    "nested-loops": ("took over 2,000,000 steps", "seconds of CPU time"),
    "nested-loops-output": ("took over 2,000,000 steps", "seconds of CPU time", "a text of over 200,000"),
    "nested-range": "range() is not available in phrasekit templates",
    "lipsum": "lipsum() is not available in phrasekit templates",
    "recursive-macro": "calls inside the template nest over 50 deep",
    "doubling-macro": "would make a value of over 200,000 characters or items",
    "doubling-set": "would make a value of over 200,000 characters or items",
    "squaring": "would compute a number of over 10,000 bits",
    "nested-lists": "would make a value of over 200,000 characters or items",
    "center-width": "would make a value of over 200,000 characters or items",
    "format-width": "would make a value of over 200,000 characters or items",
    "printf-width": "would make a value of over 200,000 characters or items",
    "replace-empty": "would make a value of over 200,000 characters or items",
    "join-wide": "would make a value of over 200,000 characters or items",
    "to-bytes": "would make a value of over 200,000 characters or items",
    "filter-block-loop": ("took over 2,000,000 steps", "seconds of CPU time"),
}


@pytest.fixture(scope="module")
def hostile_pack_folder(tmp_path_factory) -> Path:
    pack = tmp_path_factory.mktemp("hostile") / "hostile"
    shutil.copytree(HOSTILE / "templates", pack / "templates")
    (pack / "pack.yaml").write_text("name: hostile\n")
    return pack


@pytest.fixture
def hostile_pack(hostile_pack_folder, prebuilt_index) -> Path:
    """The pack of hostile templates, its index as an earlier command left it (these tests are
    about rendering them; the templates are read from their files by render itself)."""
    prebuilt_index(hostile_pack_folder)
    return hostile_pack_folder


def test_every_hostile_template_has_its_expected_stop():
    assert sorted(STOPPED) == sorted(p.stem for p in (HOSTILE / "templates").glob("*.jinja"))


@pytest.mark.parametrize("name", sorted(STOPPED))
def test_a_template_asking_for_unbounded_work_stops_with_a_clear_error(hostile_pack, name):
    result = within(HANG_GUARD, lambda: CliRunner().invoke(
        cli, ["--path", str(hostile_pack), "render", name, "--set", "agent.name=Sam", "--no-prompt"]))  # fmt: skip
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    expected = STOPPED[name] if isinstance(STOPPED[name], tuple) else (STOPPED[name],)
    assert any(text in result.stderr for text in expected), result.stderr
    assert result.stderr.startswith(f"Error: {hostile_pack / 'templates' / name}.jinja")
    assert "Traceback" not in result.output and "bug in phrasekit" not in result.output


@pytest.mark.parametrize("name", ["repeat-huge", "nested-lists"])
def test_a_hostile_template_is_refused_before_it_takes_the_memory(hostile_pack, name):
    tracemalloc.start()
    try:
        with pytest.raises(phrasekit.render.TemplateLimitError) as caught:
            within(HANG_GUARD, lambda: phrasekit.render_follow_up(name, paths=[str(hostile_pack)],
                                                                   details={"agent": {"name": "Sam"}}))  # fmt: skip
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 64 * 2**20
    assert caught.value.location.path.endswith(f"{name}.jinja")
    assert caught.value.location.line == 8


# --- templates: public replies that try to show, or change, the customer's private details ------

CASE = {
    "agent": {"name": "Sam"},
    "customer": {"name": "Jordan Lee", "address": "12 Harbour Street, Leeds LS1 4AB", "phone": "+44 20 7946 0018",
                 "email": "sunny.days.77@example.com", "tags": ["vip"]},
}  # fmt: skip
FIELDS = "  - agent.name\n  - customer.address\n"


def public_pack(root: Path, body: str) -> Path:
    pack = root / "public"
    (pack / "templates").mkdir(parents=True)
    (pack / "pack.yaml").write_text("name: public\n")
    (pack / "templates" / "post.jinja").write_text(f"---\nname: post\nchannel: social\nfields:\n{FIELDS}---\n{body}\n")
    return pack


@pytest.mark.parametrize(
    "body",
    [
        "{% set _ = customer.update({'address': ''}) %}Sorry!",
        "{% set _ = customer.pop('address') %}Sorry!",
        "{% set _ = customer.clear() %}Sorry!",
        "{% set _ = customer.setdefault('extra', 1) %}Sorry!",
        "{% set _ = customer.tags.append('changed') %}Sorry!",
        "{% set _ = customer.tags.extend(customer.tags) %}Sorry!",
    ],
)
def test_a_template_cannot_change_the_case_it_renders(tmp_path, body):
    pack = public_pack(tmp_path, body)
    case = {key: dict(value) for key, value in CASE.items()}
    case["customer"]["tags"] = ["vip"]
    with pytest.raises(phrasekit.render.TemplateError) as caught:
        phrasekit.render_follow_up("post", paths=[str(pack)], details=case)
    assert caught.value.message.startswith("refused: a template cannot change a ")
    assert case["customer"]["address"] == "12 Harbour Street, Leeds LS1 4AB" and case["customer"]["tags"] == ["vip"]
    case_file = tmp_path / "case.json"
    case_file.write_text(json.dumps(CASE))
    result = CliRunner().invoke(cli, ["--path", str(pack), "render", "post", "--case", str(case_file)])
    assert result.exit_code == 2
    assert result.stderr.startswith(
        f"Error: {pack / 'templates' / 'post.jinja'}:8: refused: a template cannot change a "
    )
    assert "Templates read the case without changing it" in result.stderr
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    "body",
    [
        "{{ customer.address | upper }}",
        "{% set shown = customer.address | title %}{% set customer = {'address': ''} %}{{ shown }}",
        "{% macro hide(text) %}{{ text | replace(' ', '') | lower }}{% endmacro %}{{ hide(customer.address) }}",
        "{{ customer.address | reverse | join }}",
        "{{ customer.address | wordwrap(4) }}",
        "{{ customer.address.split(',')[0] }}",
    ],
)
def test_a_public_reply_shows_no_private_detail_however_the_template_turns_it(tmp_path, body):
    pack = public_pack(tmp_path, body)
    with pytest.raises(phrasekit.render.RenderError) as caught:
        phrasekit.render_follow_up("post", paths=[str(pack)], details=CASE, allow_long=True)
    assert "would show customer.address (changed, or a part of it)" in caught.value.message
    assert "template 'post', channel social" in caught.value.message
    assert CASE["customer"]["address"] == "12 Harbour Street, Leeds LS1 4AB"


# --- network: nothing phrasekit does opens a connection ----------------------------------------


def test_no_command_opens_a_network_connection(hostile, tmp_path, monkeypatch):
    """Every command (semantic ranking on, where the extra and the model are installed: the model
    is read from its installed package, never fetched), with the hostile packs in force: not one
    connection or name lookup is attempted."""
    import socket

    attempts = []

    def refuse(name):
        def call(*args, **kwargs):
            attempts.append(name)
            raise OSError(f"phrasekit tried the network: {name}")

        return call

    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, refuse(f"socket.{name}"))
    for name in ("create_connection", "getaddrinfo", "gethostbyname"):
        monkeypatch.setattr(socket, name, refuse(name))
    monkeypatch.delenv("PHRASEKIT_SEMANTIC", raising=False)
    for runs in _runs(hostile, tmp_path).values():  # the first run of each command
        CliRunner().invoke(cli, [*_paths(hostile), *runs[0]])
    CliRunner().invoke(cli, [*_paths(hostile), "search", "--semantic", "my parcel is late"])
    assert attempts == []


# --- patterns: regular expressions from packs and the built-in rules cannot stall check (issue 11, item 2)
#
# Each command runs in its own process under a hang guard: before the fix these took minutes or
# never ended (a 37-byte draft against `(a+)+$`; 60 s and more for the long words and drafts below).

HANG_GUARD = 30  # seconds: a generous bound for commands that now take one to three seconds


def _phrasekit(*args: str, input: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "phrasekit", *args], input=input, capture_output=True, text=True,
                          timeout=HANG_GUARD, env=os.environ)  # fmt: skip


@pytest.mark.parametrize("pattern", ["(a+)+$", "(a|a)*b", "(a|ab)*c", "(.*a){20}", "(a)\\1", "a{1000000}"])
def test_patterns_check_with_a_stalling_pack_pattern_still_answers(tmp_path, pattern):
    pack = stalling_pack(tmp_path / "team", pattern)
    done = _phrasekit("--path", str(pack), "check", "-", input="a" * 36 + "!")
    assert done.returncode == 0
    assert f"{pack / 'pack.yaml'}:3:14: regular expression {pattern!r} refused" in done.stderr
    assert done.stderr.endswith("-: no findings (read as a reply, guessed)\n")
    assert not done.stdout


WORDS = {"letters": "a" * 100_000, "dotted": "a." * 50_000, "capitals": "A'" * 50_000, "codes": "AB1-" * 25_000}


@pytest.mark.parametrize("word", WORDS)
def test_patterns_check_on_one_long_word_finishes(tmp_path, word):
    draft = tmp_path / "draft.txt"
    draft.write_text(WORDS[word], encoding="utf-8")
    done = _phrasekit("check", "--channel", "social", str(draft))
    assert done.returncode in (0, 1), done.stderr


def test_patterns_render_social_reply_with_a_long_handle_finishes(tmp_path):
    case = tmp_path / "case.yaml"
    case.write_text(f"case:\n  issue: charged twice\ncustomer:\n  handle: {'a' * 100_000}\nagent:\n  name: Jo\n")
    done = _phrasekit("render", "social-reply", "--case", str(case), "--no-prompt", "--allow-long")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("@aaaa")


def test_patterns_check_on_a_draft_of_many_sentences_finishes(tmp_path):
    """Every hit used to look for its sentence from the start of the draft: 11,000 of them, in a
    draft near the 256 KiB phrasekit reads, each sentence read for what it means too."""
    draft = tmp_path / "draft.txt"
    text = " ".join(f"We'll call soon {n:04x}." for n in range(11_000))  # each sentence its own, under 256 KiB
    draft.write_text(text, encoding="utf-8")
    done = _phrasekit("check", "--kind", "reply", str(draft))
    assert done.returncode == 1
    assert done.stdout.count("vague-time") == 11_000
    assert done.stdout.splitlines()[-1].startswith(f"{draft}:1:{text.rindex('soon') + 1}: vague-time")


# ---------------- unicode: queries and packs in any form of any script ----------------

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
NOTHING_FOUND = "No phrase matches that well enough"


def unicode_search(*args: str):
    result = CliRunner().invoke(cli, [*args[:-1], "search", "--json", "-n", "3", args[-1]])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, [(hit["id"], hit["score"]) for hit in json.loads(result.stdout or "[]")]


@pytest.mark.parametrize(
    "query",
    [
        "ref\u200bund not re\u200bceived",  # zero-width space inside words
        "re\u00adfund not received",  # soft hyphen
        "\u200erefund\u200f not received\ufeff",  # direction marks, byte order mark
        "ｒｅｆｕｎｄ ｎｏｔ ｒｅｃｅｉｖｅｄ",  # full-width Latin
        "ＲＥＦＵＮＤ  ＮＯＴ  ＲＥＣＥＩＶＥＤ",
    ],
)
def test_unicode_invisible_and_full_width_characters_do_not_break_a_query(query):
    plain = unicode_search("refund not received")
    assert plain[0] == 0 and plain[1]
    assert unicode_search(query) == plain


@pytest.mark.parametrize(
    "pack, query",
    [
        ("turkish", "şifremi unuttum"),
        ("greek", "η παραγγελία δεν έφτασε"),
        ("cyrillic", "заказ не пришёл"),
        ("hindi", "रि\u095eंड नहीं मिला"),  # फ़ as one code point, which NFC and NFD both take apart
    ],
)
def test_unicode_nfd_query_reads_as_its_nfc_spelling(pack, query, prebuilt_index):
    """Decomposed letters (as macOS file names and some keyboards give them) are the same word:
    the same phrases with the same scores, not a typo corrected at a discount."""
    prebuilt_index(SCRIPTS / pack)
    decomposed = unicodedata.normalize("NFD", query)
    assert decomposed != query
    found = unicode_search("--path", str(SCRIPTS / pack), query)
    assert found[0] == 0 and found[1]
    assert unicode_search("--path", str(SCRIPTS / pack), decomposed) == found


@pytest.mark.parametrize("pack, query", [("turkish", "şifremi unuttum"), ("greek", "η παραγγελία δεν έφτασε")])
def test_unicode_nfd_pack_text_reads_as_its_nfc_spelling(tmp_path, pack, query, prebuilt_index):
    prebuilt_index(SCRIPTS / pack)  # the NFC spelling's; the NFD copy's index is built here
    folder = tmp_path / "nfd"
    folder.mkdir()
    text = (SCRIPTS / pack / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    found = unicode_search("--path", str(SCRIPTS / pack), query)
    assert found[0] == 0 and found[1]
    assert unicode_search("--path", str(folder), query) == found


@pytest.mark.parametrize("query", ["İADE YAPILMADI", "iade yapilmadi", "IADE YAPILMADI", "i\u0307ade yapılmadı"])
def test_unicode_turkish_dotted_and_dotless_i_match_a_plain_i(query, prebuilt_index):
    """The pack says "İade yapılmadı"; a rep types it in capitals, on a keyboard without Turkish
    letters, or as software lowercases İ (i and a combining dot)."""
    prebuilt_index(SCRIPTS / "turkish")
    code, hits = unicode_search("--path", str(SCRIPTS / "turkish"), query)
    assert code == 0 and hits[0][0] == "turkish/refund-waiting"


@pytest.mark.parametrize(
    "query", ["🙂", "😡😡😡", "👨\u200d👩\u200d👧", "★ → ©", "£££ €", "\u200b\u200c\u200d", "\u0301\u0302"]
)
def test_unicode_emoji_or_symbols_only_find_nothing(query):
    result = CliRunner().invoke(cli, ["search", query])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == "" and NOTHING_FOUND in result.stderr


ANY_CHARACTER = st.one_of(
    st.characters(codec=None, exclude_categories=()),  # controls, format, private use, unassigned
    st.characters(categories=["Cs"]),  # lone surrogates (an undecodable byte in argv becomes one)
    st.sampled_from("注文İı\u0307\u200b\u200dｒ\ufdfa"),  # and the characters this section is about
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(ANY_CHARACTER, min_size=1, max_size=30), st.booleans())
@example(query="- ", with_packs=False)  # found by hypothesis: read as "-", standard input (cli.search)
def test_unicode_any_query_ends_in_an_answer_or_nothing_found(prebuilt_index, query, with_packs):
    prebuilt_index(SCRIPTS)  # every example runs in the test's one home: the first would build it
    paths = ["--path", str(SCRIPTS)] if with_packs else []
    result = CliRunner().invoke(cli, [*paths, "search", "--", query])
    if not query.strip() or query.strip() == "-":  # "-" reads standard input, empty here
        assert result.exit_code == 2, result.output  # an empty situation is a usage error
    else:
        assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output


# --- exit 3 hunt: what a file name, a size, a depth, a pipe, a byte or the environment can do ----
# (issue 11, item 5) Each ends as a user sees it: a result, or exit 2 (1 for nothing found) with
# one message naming the file or the variable; never exit 3, never a traceback.

EXAMPLE_CASE = Path(__file__).parent.parent / "examples" / "lost-package-email.yaml"
RENDER = ["render", "follow-up-email", "--no-prompt", "--case", str(EXAMPLE_CASE)]
TOO_LONG = {"NAME_MAX": lambda root: str(root / ("x" * 300)),
            "PATH_MAX": lambda root: str(root.joinpath(*["d" * 200] * 25))}  # fmt: skip
"""A name past NAME_MAX (255 bytes on Linux) and a path past PATH_MAX (4096)."""


def _invoke(args: list[str], stdin: str | bytes = b""):
    result = CliRunner().invoke(cli, args, input=stdin)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, result.exception)
    assert "Traceback" not in result.output and "bug in phrasekit" not in result.output, result.output
    return result


def _refused(args: list[str], *named: str, stdin: str | bytes = b"", code: int = 2):
    """``args`` ends with ``code`` and one error naming each of ``named``."""
    result = _invoke(args, stdin)
    assert result.exit_code == code, (args, result.exit_code, result.output)
    assert result.stderr.count("Error:") == 1, result.stderr
    for name in named:
        assert name in result.stderr, (name, result.stderr)
    return result


def _console(args: list[str], stdin: bytes = b"", env: dict | None = None, timeout: float = 60):
    """``python -m phrasekit ARGS`` (cli.main, the console entry point), without the debug switch."""
    env = {key: value for key, value in {**os.environ, **(env or {})}.items() if key != "PHRASEKIT_DEBUG"}
    done = subprocess.run([sys.executable, "-m", "phrasekit", *args], input=stdin, capture_output=True, env=env,
                          timeout=timeout)  # fmt: skip
    err = done.stderr.decode("utf-8", "replace")
    assert "Traceback" not in err and "bug in phrasekit" not in err, err
    return done.returncode, done.stdout.decode("utf-8", "replace"), err


def _pack(folder: Path | bytes, name: str = "team") -> None:
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, b"pack.yaml" if isinstance(folder, bytes) else "pack.yaml"), "w") as stream:
        stream.write(f"name: {name}\nphrases:\n  - id: late\n    category: apology\n"
                     "    text: Sorry the parcel is late.\n    situations: [late parcel]\n")  # fmt: skip


@pytest.mark.parametrize("command", [["search", "late parcel"], ["show", "builtin/sorry-core"], ["check", "-"],
                                     ["script", "late parcel"], ["categories"], ["templates", "list"]])  # fmt: skip
def test_item5_a_pack_folder_or_phrases_file_not_named_in_utf8_is_left_out_and_said(tmp_path, command):
    root = os.fsencode(tmp_path / "packs")
    _pack(root + b"/bad\xff")
    _pack(root + b"/good", "good")
    os.makedirs(root + b"/good/phrases")
    with open(root + b"/good/phrases/odd\xfe.yaml", "w") as stream:
        stream.write("phrases: []\n")
    result = _invoke(["--path", os.fsdecode(root), *command], stdin="Sorry for the wait.")
    assert result.exit_code in (0, 1), result.output
    assert f"{tmp_path / 'packs'}/bad\\xff: folder name is not valid UTF-8" in result.stderr
    assert f"{tmp_path / 'packs'}/good/phrases/odd\\xfe.yaml: file name is not valid UTF-8" in result.stderr


def test_item5_packs_new_refuses_a_folder_not_named_in_utf8(tmp_path):
    """Before: exit 3 (UnicodeEncodeError writing the starter pack's comments). A pack there
    would never load, so it is refused, said at the name."""
    folder = os.fsdecode(os.fsencode(tmp_path) + b"/new\xff")
    _refused(["packs", "new", "team", folder], f"{tmp_path}/new\\xff: folder name is not valid UTF-8")
    assert not os.path.exists(folder)
    assert _console(["packs", "new", "team", folder])[0] == 2


@pytest.mark.parametrize("limit", sorted(TOO_LONG))
def test_item5_a_file_name_too_long_for_the_system_is_said_where_it_was_given(tmp_path, monkeypatch, limit):
    name = TOO_LONG[limit](tmp_path)
    _refused([*RENDER, "-o", os.path.join(name, "reply.txt")], "File name too long")
    _refused(["packs", "new", "team", name], "File name too long")
    _refused(["--path", name, "search", "late"], "'--path'", "cannot be used: File name too long")
    _refused(["packs", "validate", name], "cannot be used: File name too long")
    _refused(["render", "follow-up-email", "--no-prompt", "--case", name], "cannot read the case file")
    _refused(["check", name], "cannot read the draft: File name too long")
    monkeypatch.setenv("PHRASEKIT_PATH", name)
    found = _invoke(["search", "late parcel"])
    assert found.exit_code == 0
    assert "PHRASEKIT_PATH names a folder that cannot be used (File name too long)" in found.stderr
    monkeypatch.delenv("PHRASEKIT_PATH")
    monkeypatch.setenv("XDG_CACHE_HOME", name)
    assert _invoke(["search", "late parcel"]).exit_code == 0  # answered from an index in memory
    _refused(["index", "status"], "File name too long", "set by XDG_CACHE_HOME")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", name)
    assert _invoke(["search", "late parcel"]).exit_code == 0
    _refused(RENDER, "File name too long", "set by XDG_CONFIG_HOME")
    _refused(["config", "show"], "File name too long", "set by XDG_CONFIG_HOME")


def test_item5_a_pack_with_70000_categories_validates_and_every_command_answers(tmp_path):
    pack = tmp_path / "many"
    pack.mkdir()
    categories = "".join(f"  kind-{number}: Kind {number}\n" for number in range(70_000))
    (pack / "pack.yaml").write_text(
        f"name: many\ncategories:\n{categories}phrases:\n  - id: last\n    category: kind-69999\n"
        "    text: Sorry about the sprocket.\n    situations: [sprocket jammed]\n"
    )
    at = ["--path", str(pack)]
    assert _invoke(["packs", "validate", str(pack)]).exit_code == 0
    found = _invoke([*at, "search", "--json", "--pack", "many", "sprocket jammed"])
    assert [(row["id"], row["category"]) for row in json.loads(found.stdout)] == [("many/last", "kind-69999")]
    assert _invoke([*at, "show", "many/last"]).stdout.startswith("many/last\nSorry about the sprocket.")
    assert _invoke([*at, "search", "late parcel"]).exit_code == 0
    assert _invoke([*at, "script", "sprocket jammed"]).exit_code == 0
    assert _invoke([*at, "check", "-"], stdin="Sorry for the wait.").exit_code in (0, 1)
    assert "kind-69999" in _invoke([*at, "categories"]).stdout


DEEP = {
    "json-lists": lambda depth: '{"customer": {"first_name": "Dana"}, "x": ' + "[" * depth + "]" * depth + "}",
    "json-maps": lambda depth: '{"a": ' * depth + "1" + "}" * depth,
    "yaml-flow": lambda depth: "x: " + "[" * depth + "]" * depth + "\n",
    "yaml-block": lambda depth: "".join("  " * i + "k:\n" for i in range(min(depth, 5000))) + "  " * 5000 + "v\n",
}


@pytest.mark.parametrize("depth", [1_000, 100_000])
@pytest.mark.parametrize("kind", sorted(DEEP))
def test_item5_a_case_file_nested_deep_is_refused_with_its_place(tmp_path, isolated_home, kind, depth):
    case = tmp_path / f"case.{kind.split('-')[0]}"
    case.write_text(DEEP[kind](depth))
    for args in (["render", "follow-up-email", "--no-prompt"], ["search", "late parcel"], ["script", "late parcel"],
                 ["show", "builtin/sorry-core"]):  # fmt: skip
        result = _refused([*args, "--case", str(case)], str(case))
        said = ("nested too deeply", "exceeded maximum nesting depth", "larger than 256 KiB")  # 100,000 '{"a": '
        assert any(words in result.stderr for words in said), result.stderr
    config = isolated_home / ".config" / "phrasekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(DEEP["yaml-flow"](depth))
    _refused(RENDER, str(config), "exceeded maximum nesting depth")
    assert _invoke(["search", "late parcel"]).exit_code == 0  # a search reads only its channel: line


STDIN = {"not UTF-8": (b"late parcel \xff sorry", "not valid UTF-8 (byte 0xff)", ":1:13"),
         "Latin-1": ("café".encode("latin-1"), "not valid UTF-8 (byte 0xe9)", ":1:4"),
         "UTF-16": ("late".encode("utf-16"), "not valid UTF-8 (byte 0xff)", ":1:1"),
         "NUL": (b"late\nparcel\x00 sorry", "holds a NUL byte: it is not text", ":2:7")}  # fmt: skip


@pytest.mark.parametrize("what", sorted(STDIN))
@pytest.mark.parametrize("command", [["check", "-"], ["check"], ["search", "-"], ["search", "--json", "-"],
                                     ["script", "-"]])  # fmt: skip
def test_item5_bytes_that_are_not_text_on_standard_input_are_refused_at_their_place(command, what):
    """Before: read with the locale's codec, the bytes became stand-ins (U+DCFF) or a NUL and
    were checked or searched as if they were text (exit 0, or 3 where the system refused them)."""
    data, message, place = STDIN[what]
    _refused(command, f"standard input{place}", message, stdin=data)


def test_item5_the_console_refuses_bytes_that_are_not_text_on_standard_input():
    for command in (["check", "-"], ["search", "-"], ["script", "-"]):
        code, out, err = _console(command, stdin=b"late parcel \xff\x00")
        assert (code, out) == (2, "") and err.startswith("Error: standard input:1:13: ") and "UTF-8" in err


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_item5_a_file_that_cannot_be_read_is_said(tmp_path, isolated_home):
    locked = tmp_path / "locked.yaml"
    locked.write_text("customer: {first_name: Dana}\n")
    locked.chmod(0)
    _refused(["render", "follow-up-email", "--no-prompt", "--case", str(locked)], str(locked), "Permission denied")
    _refused(["check", str(locked)], str(locked), "Permission denied")
    pack = tmp_path / "team"
    _pack(pack)
    (pack / "pack.yaml").chmod(0)
    assert "Permission denied" in _invoke(["packs", "validate", str(pack)]).output
    config = isolated_home / ".config" / "phrasekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("agent: {name: Sam}\n")
    config.chmod(0)
    _refused(RENDER, str(config), "Permission denied")


def test_item5_a_folder_where_a_file_belongs_and_a_file_where_a_folder_does(tmp_path, isolated_home, monkeypatch):
    folder = tmp_path / "folder"
    folder.mkdir()
    _refused(["check", str(folder)], f"{folder}: cannot read the draft: it is a folder, not a file")
    _refused(["render", "follow-up-email", "--no-prompt", "--case", str(folder)], "is a directory")
    _refused([*RENDER, "-o", str(folder)], "is a directory")
    pack = tmp_path / "team"
    _pack(pack)
    (pack / "phrases" / "more.yaml").mkdir(parents=True)
    validated = _invoke(["packs", "validate", str(pack)])
    assert validated.exit_code == 2
    assert f"{pack}/phrases/more.yaml: cannot read file: it is a folder" in validated.stdout
    a_file = tmp_path / "a-file"
    a_file.write_text("x")
    _refused(["--path", str(a_file), "search", "late"], "is a file")
    monkeypatch.setenv("PHRASEKIT_PATH", str(a_file))
    found = _invoke(["search", "late parcel"])
    assert found.exit_code == 0
    assert f"{a_file}: PHRASEKIT_PATH names a folder that is a file, not a folder" in found.stderr
    monkeypatch.delenv("PHRASEKIT_PATH")
    for variable in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME"):
        monkeypatch.setenv(variable, str(a_file))
        for args in (["search", "late parcel"], ["index", "status"], ["config", "show"], ["packs", "list"], RENDER):
            assert _invoke(args).exit_code == 0, (variable, args)
        monkeypatch.setenv(variable, str(isolated_home / variable))


def test_item5_a_named_pipe_is_refused_by_name_never_waited_on(tmp_path, isolated_home):
    """Before: a case file, a draft, a phrases file or config.yaml that is a FIFO with no writer
    hung the command for ever (the console runs below have a generous hang guard)."""
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for args in (["render", "follow-up-email", "--no-prompt", "--case", str(fifo)], ["check", str(fifo)],
                 ["search", "--case", str(fifo), "late"]):  # fmt: skip
        code, _, err = _console(args, timeout=20)
        assert code == 2 and f"{fifo}: cannot read the " in err and "it is a named pipe, not a file" in err
    pack = tmp_path / "team"
    _pack(pack)
    (pack / "phrases").mkdir()
    os.mkfifo(pack / "phrases" / "more.yaml")
    code, out, err = _console(["packs", "validate", str(pack)], timeout=20)
    assert code == 2 and f"{pack}/phrases/more.yaml: cannot read file: it is a named pipe, not a file" in out
    code, out, err = _console(["--path", str(pack), "search", "late parcel"], timeout=20)
    assert code == 0 and f"skipped {pack}" in err
    pack = tmp_path / "other"
    _pack(pack, "other")
    (pack / "templates").mkdir()
    os.mkfifo(pack / "templates" / "t.jinja")  # before: templates list, packs validate and search hung
    code, out, err = _console(["--path", str(pack), "templates", "list"], timeout=20)
    assert code == 0 and f"{pack}/templates/t.jinja: cannot read template: it is a named pipe" in err
    assert _console(["--path", str(pack), "search", "late parcel"], timeout=20)[0] == 0
    code, out, err = _console(["packs", "validate", str(pack)], timeout=20)
    assert code == 2 and f"{pack}/templates/t.jinja: cannot read template: it is a named pipe, not a file" in out
    config = isolated_home / ".config" / "phrasekit" / "config.yaml"
    config.parent.mkdir(parents=True)
    os.mkfifo(config)
    assert _console(["search", "late parcel"], timeout=20)[0] == 0
    assert _console(["script", "late parcel"], timeout=20)[0] == 0


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom"])
def test_item5_a_device_given_as_a_file_is_refused_at_once(device):
    if not os.path.exists(device):
        pytest.skip(f"no {device} here")
    for args in (["render", "follow-up-email", "--no-prompt", "--case", device], ["check", device],
                 ["search", "--case", device, "late"]):  # fmt: skip
        code, _, err = _console(args, timeout=20)
        assert code == 2 and f"{device}: cannot read the " in err and "it is a device, not a file" in err


def test_item5_a_draft_case_or_situation_over_256_kib_is_refused(tmp_path):
    """The size chosen (``files.INPUT_LIMIT``): 256 KiB, many times any reply or case."""
    big = tmp_path / "big.txt"
    big.write_bytes(b"sorry for the wait\n" * (256 * 1024 // 19 + 1))
    _refused(["check", str(big)], f"{big}: the draft is larger than 256 KiB")
    _refused(["render", "follow-up-email", "--no-prompt", "--case", str(big)], "the case file is larger than 256 KiB")
    _refused(["search", "-"], "standard input: the situation is larger than 256 KiB", stdin=big.read_bytes())
    _refused(["check", "-"], "standard input: the draft is larger than 256 KiB", stdin=big.read_bytes())
    just = tmp_path / "just.txt"
    just.write_bytes(b"Sorry for the wait.\n" + b" " * (256 * 1024 - 20))
    assert _invoke(["check", str(just)]).exit_code in (0, 1)


def test_item5_a_symlink_loop_is_said_wherever_it_is_given(tmp_path, monkeypatch):
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    _refused(["--path", str(loop), "search", "late"], "'--path'", "cannot be used: Too many levels of symbolic links")
    _refused(["check", str(loop)], f"{loop}: cannot read the draft: Too many levels of symbolic links")
    _refused(["render", "follow-up-email", "--no-prompt", "--case", str(loop)], "Too many levels of symbolic links")
    monkeypatch.setenv("PHRASEKIT_PATH", str(loop))
    found = _invoke(["search", "late parcel"])
    assert found.exit_code == 0 and "PHRASEKIT_PATH names a folder that cannot be used (Too many levels" in found.stderr
    pack = tmp_path / "team"
    _pack(pack)
    (pack / "phrases").mkdir()
    (pack / "phrases" / "again").symlink_to(pack / "phrases")
    assert _invoke(["packs", "validate", str(pack)]).exit_code == 0


# --- issue 12, output width and completion: what reaches the shell and the terminal -------------


def test_issue12_completion_never_offers_a_name_with_a_control_character_or_a_space(monkeypatch):
    import sqlite3

    import phrasekit.index
    from phrasekit.completion import items

    class Entry:
        category_names = ["apology", "apo\x1b]0;owned\x07", "apo logy", "apo\u202egolopa"]
        pack_names = ["team"]
        conn = sqlite3.connect(":memory:")

    monkeypatch.setattr(phrasekit.index, "cached_index", lambda paths: Entry())
    assert items("categories", (), "apo") == ["apology"]
    assert items("no-such-kind", (), "") == []  # anything unexpected: no items, no traceback


def test_issue12_wrapping_on_a_terminal_still_shows_control_characters(monkeypatch):
    from phrasekit.output import echo

    monkeypatch.setattr("phrasekit.output._is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", "30")
    runner = CliRunner()

    def printed():
        echo("a pack's text with \x1b[2J an escape and a \u202e bidi override and \x9b a C1 control in it")

    import click

    result = runner.invoke(click.command()(printed))
    assert "\x1b" not in result.stdout and "\u202e" not in result.stdout and "\x9b" not in result.stdout
    assert "\\x1b[2J" in result.stdout and "<U+202E>" in result.stdout and "\\x9b" in result.stdout
    assert all(len(line) <= 30 for line in result.stdout.splitlines())


# --- pick: what the picker draws, takes and prints (issue 12) -----------------------------------


def test_pick_draws_and_prints_hostile_text_only_made_visible(hostile, tmp_path):
    """In a real terminal, with the hostile packs, a hostile --set value and config: the screen
    shows them made visible, the bytes written to the terminal hold none of them raw (only the
    picker's own CSI sequences), and the phrase printed with Ctrl-O is made visible too."""
    from test_pick import CTRL_O, ENTER, Terminal, _pty_works

    if not _pty_works():
        pytest.skip("no pseudo-terminal on this system")
    fake_tool(tmp_path / "bin", "pbcopy")
    env = {**os.environ, "TERM": "xterm-256color", "XDG_DATA_HOME": str(tmp_path / "data"),
           "PATH": f"{tmp_path / 'bin'}{os.pathsep}{os.environ.get('PATH', '')}"}  # fmt: skip
    term = Terminal([*_paths(hostile), "pick", "-c", "follow-up", "--set", f"when=now{ESCAPES}", "late parcel"], env)
    shown = "I'll update you now\\x1b]52;c;aGk=\\x07\\x1b[2J\\x07<U+202E><U+2066><U+200B><U+FEFF><U+200E> about"
    term.wait_for(lambda lines: any(shown in line for line in lines), "the hostile phrase made visible")
    term.send("\u202e")  # typed or pasted into the query: shown as the rest is
    term.wait_for(lambda lines: lines[0] == "> late parcel<U+202E>", "the typed override made visible")
    term.send("\x7f" * len("<U+202E>"))
    term.wait_for(lambda lines: lines[0] == "> late parcel" and any(shown in line for line in lines), "it gone")
    term.send(CTRL_O)
    term.wait_for(lambda lines: lines[0].startswith("{when} (1 of 1): now"), "the question for {when}")
    term.send(ENTER)
    assert term.finish() == 0
    written = term.raw.decode("utf-8")
    assert "\x1b]" not in written  # no OSC at all: neither the pack's clipboard write nor any other
    bare = re.sub(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b[=>]|[\r\b]", "", written)  # the picker's own moves
    assert _raw(bare) == []
    assert f"{shown} the parcel." in term.output().splitlines()


def test_pick_copies_a_hostile_phrase_and_value_only_made_visible(hostile, monkeypatch):
    """What Enter sends to the clipboard is the phrase as the screen showed it: a pack's or a
    case value's control and bidi characters made visible, none raw."""
    from test_pick import taking

    import phrasekit.pick as pick_module

    monkeypatch.setattr(pick_module, "run_picker", taking("parcel-update", "copy"))
    copied = []
    picked = pick_module.pick("late parcel", paths=_paths(hostile)[1::2], category="follow-up",
                              sets=[f"when=now{ESCAPES}"], copy=lambda text: copied.append(text) or "test",
                              history=pick_module.default_history(), warn=lambda message: None)  # fmt: skip
    assert copied == [picked.text] and _raw(picked.text) == []
    assert picked.text.startswith("I'll update you now\\x1b]52;c;aGk=\\x07")


# --- history: a history file that is damaged, not a file, or not phrasekit's (issue 12) ---------
# Whatever is at the history's place, every command still works: the file is ignored with one
# warning, and only a regular file whose first line is phrasekit's header is ever replaced.


def _history_at(home: Path) -> Path:
    path = home / ".local" / "share" / "phrasekit" / "history.jsonl"
    path.parent.mkdir(parents=True, exist_ok=True)
    return path


def _snapshot(path: Path):
    info = os.lstat(path)
    content = os.readlink(path) if path.is_symlink() else (path.read_bytes() if path.is_file() else None)
    return info.st_mode, info.st_ino, content


HISTORY_OF = {
    "garbage": lambda p: p.write_bytes(b"\x00\xff\xfe garbage \x1b]52;c;aGk=\x07"),
    "json, not ours": lambda p: p.write_text('{"id": "builtin/sorry-core", "uses": 9}\n'),
    "too large": lambda p: p.write_text('{"phrasekit": "history", "version": 1}\n' + " " * (1024 * 1024 + 1)),
    "a newer version": lambda p: p.write_text('{"phrasekit": "history", "version": 2}\n'),
    "a folder": lambda p: p.mkdir(),
    "a link to a history": lambda p: (p.with_name("real.jsonl").write_text('{"phrasekit": "history", "version": 1}\n'),
                                      p.symlink_to(p.with_name("real.jsonl"))),
    "a dangling link": lambda p: p.symlink_to(p.with_name("nowhere")),
    "a named pipe": lambda p: os.mkfifo(p),
}  # fmt: skip


@pytest.mark.parametrize("kind", list(HISTORY_OF))
def test_an_unusable_history_file_is_ignored_with_one_warning_and_never_replaced(isolated_home, kind, tmp_path,
                                                                                 monkeypatch):  # fmt: skip
    from phrasekit import clipboard

    path = _history_at(isolated_home)
    HISTORY_OF[kind](path)
    before = _snapshot(path)
    folder = tmp_path / "bin"
    got = fake_tool(folder, "pbcopy")
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: None)
    runner = CliRunner()
    for args in (["search", "--copy", "double", "charge"], ["show", "--copy", "builtin/sorry-core"],
                 ["history"], ["history", "star", "builtin/sorry-core"], ["script", "angry", "customer"]):  # fmt: skip
        result = within(20, lambda args=args: runner.invoke(cli, args))
        assert result.exit_code == 0, (args, result.output)
        warnings = [line for line in result.stderr.splitlines() if line.startswith("warning:")]
        assert len(warnings) == 1 and "history" in warnings[0], (args, result.stderr)
        assert _raw(result.stderr) == []
        assert _snapshot(path) == before
    assert got.read_bytes() == b"I'm sorry."  # the copy itself went through
    cleared = runner.invoke(cli, ["history", "clear"])
    assert cleared.exit_code == 2 and "not" in cleared.stderr
    assert _snapshot(path) == before


def test_a_history_with_damaged_lines_keeps_the_rest_and_drops_them_when_written(isolated_home):
    from phrasekit import history

    path = _history_at(isolated_home)
    good = {"id": "builtin/sorry-core", "uses": 3, "last_used": 1.0e9, "starred": True, "weight": 1.0, "at": 1.0e9}
    path.write_text("\n".join(['{"phrasekit": "history", "version": 1}', "{not json", json.dumps(good),
                               json.dumps({**good, "id": "x\x1b[2J"}), json.dumps({**good, "uses": -1}),
                               json.dumps({**good, "weight": float("nan")}), "[]", ""]))  # fmt: skip
    said = []
    assert [entry.full_id for entry in history.entries(warn=said.append)] == ["builtin/sorry-core"]
    assert len(said) == 1 and "5 damaged line(s)" in said[0]
    history.record("builtin/sorry-core", warn=said.append)
    lines = path.read_text().splitlines()
    assert len(lines) == 2 and json.loads(lines[1])["uses"] == 4 and json.loads(lines[1])["starred"] is True
    assert len(said) == 2  # the record read it once more; now it is whole
    history.entries(warn=said.append)
    assert len(said) == 2


def test_a_history_folder_that_is_a_file_never_fails_a_copy(isolated_home, tmp_path, monkeypatch):
    from phrasekit import clipboard

    data = isolated_home / ".local" / "share"
    data.mkdir(parents=True)
    (data / "phrasekit").write_text("in the way")
    folder = tmp_path / "bin"
    got = fake_tool(folder, "pbcopy")
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: None)
    result = CliRunner().invoke(cli, ["show", "--copy", "builtin/sorry-core"])
    assert result.exit_code == 0 and got.read_bytes() == b"I'm sorry."
    assert result.stderr.count("warning:") == 1
    assert (data / "phrasekit").read_text() == "in the way"


def test_copy_refuses_a_filled_blank_holding_a_control_character(isolated_home, tmp_path, monkeypatch):
    from phrasekit import clipboard

    folder = tmp_path / "bin"
    got = fake_tool(folder, "pbcopy")
    monkeypatch.setenv("PATH", str(folder))
    terminal = []
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: terminal.append(1))
    result = CliRunner().invoke(cli, ["show", "--copy", "follow-even-no-news", "--set", "when=now\x1b]52;c;aGk=\x07"])
    assert result.exit_code == 2
    assert "U+001B ESCAPE" in result.stderr and "not copied" in result.stderr
    assert _raw(result.stderr) == [] and _raw(result.stdout) == []
    assert not got.exists() and terminal == []
    assert not (isolated_home / ".local" / "share" / "phrasekit").exists()  # nothing recorded
