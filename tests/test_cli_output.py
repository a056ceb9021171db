"""The shared output options: --json on every read command, --nl wherever a list is printed."""

import json

import pytest
from click.testing import CliRunner

from helpers import write_tree
from phrasekit.cli import cli

DRAFT = "Per our policy you should have checked. Please call back later.\n"


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


@pytest.fixture(scope="module")
def team_pack(tmp_path_factory):
    return write_tree(tmp_path_factory.mktemp("output") / "team", {
        "pack.yaml": """
            name: team
            categories:
              warranty: Explaining the warranty
            phrases:
              - id: warranty-sorry
                category: apology
                text: "I'm sorry the warranty claim has been slow."
        """,
        "templates/team-note.jinja": "---\nname: team-note\nchannel: chat\nfields:\n  - agent.name\n---\n"
                                      "Hi, {{ agent.name }} here.\n",
    })  # fmt: skip


@pytest.fixture
def pack(team_pack, prebuilt_index):
    """A team pack the tests only read, with its index as an earlier command left it (these
    tests are about the shape of the output)."""
    prebuilt_index(team_pack)
    return team_pack


LISTS = [
    ["categories"],
    ["families"],
    ["packs", "list"],
    ["templates", "list"],
    ["search", "late delivery"],
]


@pytest.mark.parametrize("command", LISTS, ids=" ".join)
def test_nl_prints_one_json_object_per_line_the_same_rows_as_json(command, pack):
    as_json = run("--path", str(pack), *command[:2], "--json", *command[2:]) if command[0] == "search" else \
        run("--path", str(pack), *command, "--json")  # fmt: skip
    as_lines = run("--path", str(pack), *command, "--nl")
    assert as_json.exit_code == 0 and as_lines.exit_code == 0, as_lines.output
    rows = json.loads(as_json.stdout)
    lines = as_lines.stdout.splitlines()
    assert len(lines) == len(rows) > 0
    assert [json.loads(line) for line in lines] == rows


def test_categories_nl_rows(pack):
    lines = run("--path", str(pack), "categories", "--nl").stdout.splitlines()
    first, last = json.loads(lines[0]), json.loads(lines[-1])
    assert first == {"name": "listen", "description": first["description"], "guidance": first["guidance"],
                     "step": 1, "pack": "builtin"}  # fmt: skip
    assert last["name"] == "warranty" and last["pack"] == "team" and last["step"] is None


def test_templates_list_nl_includes_a_packs_template(pack):
    rows = [json.loads(line) for line in run("--path", str(pack), "templates", "list", "--nl").stdout.splitlines()]
    assert {"name": "team-note", "channel": "chat", "pack": "team"}.items() <= rows[-1].items()
    assert rows[-1]["fields"] == [{"name": "agent.name", "required": True, "default": None, "help": "",
                                   "private": False}]  # fmt: skip


def test_check_nl_prints_findings_one_per_line_and_keeps_exit_code_1(tmp_path):
    draft = tmp_path / "reply.txt"
    draft.write_text(DRAFT)
    as_json = run("check", "--json", str(draft))
    as_lines = run("check", "--nl", str(draft))
    assert as_json.exit_code == as_lines.exit_code == 1
    rows = json.loads(as_json.stdout)
    assert [json.loads(line) for line in as_lines.stdout.splitlines()] == rows
    assert {row["rule"] for row in rows} >= {"blame", "pass-the-buck"}
    assert all(row["path"] == str(draft) and row["line"] == 1 for row in rows)


def test_check_nl_on_a_clean_draft_prints_nothing_and_exits_0():
    result = run("check", "--nl", input="I'm sorry about the wait. I'll call you by 5 pm with the answer.\n")
    assert result.exit_code == 0 and result.stdout == ""


def test_packs_validate_nl_prints_one_object_per_pack(pack, tmp_path):
    broken = write_tree(tmp_path / "broken", {"pack.yaml": "name: Not Valid\n"})
    result = run("packs", "validate", "--nl", str(pack), str(broken))
    assert result.exit_code == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(row["path"], row["ok"], row["name"]) for row in rows] == [(str(pack), True, "team"),
                                                                        (str(broken), False, None)]  # fmt: skip
    assert rows[1]["findings"][0]["path"].endswith("pack.yaml")


READ_COMMANDS = [
    ["search"], ["show"], ["categories"], ["families"], ["packs", "list"], ["packs", "validate"],
    ["index", "status"], ["templates", "list"], ["templates", "show"], ["render"], ["config", "show"],
    ["config", "get"], ["script"], ["check"], ["model", "status"], ["history"],
]  # fmt: skip
LIST_COMMANDS = [["search"], ["categories"], ["families"], ["packs", "list"], ["packs", "validate"],
                 ["templates", "list"], ["check"], ["history"]]  # fmt: skip


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_every_read_command_takes_json_and_every_list_takes_nl(command):
    helped = run(*command, "--help")
    assert helped.exit_code == 0
    assert "--json" in helped.stdout
    assert ("--nl" in helped.stdout) == (command in LIST_COMMANDS)


# --- output that fits the terminal (issue 12) -------------------------------------------------

LONG_DRAFT = ("Hi Dana, as I already explained the courier lost your parcel, thats not my department and "
              "you'll have to call them. We will get back to you shortly!!\n")  # fmt: skip
WRAPPED = [
    ["search", "-n", "3", "pkg marked delivered never came"], ["show", "lost-package-follow-up"],
    ["script", "technician never showed up"], ["categories"], ["families"], ["check", "draft.txt"],
    ["templates", "list"], ["templates", "show", "follow-up-email"], ["packs", "list"],
]  # fmt: skip


def on_terminal(monkeypatch, width):
    """As on a terminal ``width`` columns wide (colour stays off: CliRunner's stream is no tty)."""
    monkeypatch.setattr("phrasekit.output._is_terminal", lambda stream: True)
    monkeypatch.setenv("COLUMNS", str(width))


def both_ways(monkeypatch, tmp_path, args, width):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(LONG_DRAFT)
    piped = CliRunner().invoke(cli, args, catch_exceptions=False)
    on_terminal(monkeypatch, width)
    shown = CliRunner().invoke(cli, args, catch_exceptions=False)
    assert shown.exit_code == piped.exit_code
    return piped.stdout, shown.stdout


@pytest.mark.parametrize("args", WRAPPED, ids=" ".join)
def test_on_a_terminal_every_line_fits_its_width_and_no_word_is_split(args, monkeypatch, tmp_path):
    piped, shown = both_ways(monkeypatch, tmp_path, args, 40)
    assert max(map(len, piped.splitlines())) > 40  # there was something to wrap
    assert shown.split() == piped.split()  # the same words, whole, in the same order
    for line in shown.splitlines():
        assert len(line) <= 40 or any(len(word) > 20 for word in line.split()), line  # only a path or an id


def test_on_a_terminal_a_table_keeps_its_columns(monkeypatch, tmp_path):
    piped, shown = both_ways(monkeypatch, tmp_path, ["categories"], 72)
    start = piped.splitlines()[0].index("Invite")  # where the description column starts
    lines = shown.splitlines()
    assert len(lines) > len(piped.splitlines())
    for line in lines:
        assert len(line) <= 72
        assert line[start - 1] == " " and line[start] != " "  # every line's text in the same column
        if line.startswith(" "):
            assert line[:start].strip() == ""
    fields = both_ways(monkeypatch, tmp_path, ["templates", "show", "follow-up-email"], 50)[1].splitlines()
    continued = [line for line in fields if line.startswith(" " * 23)]
    assert continued and all(line[23] != " " for line in continued)


def test_piped_output_is_never_wrapped_whatever_columns_says(monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "draft.txt").write_text(LONG_DRAFT)
    for args in WRAPPED:
        monkeypatch.delenv("COLUMNS", raising=False)
        before = CliRunner().invoke(cli, args, catch_exceptions=False).stdout_bytes
        monkeypatch.setenv("COLUMNS", "20")
        after = CliRunner().invoke(cli, args, catch_exceptions=False).stdout_bytes
        assert after == before and max(map(len, after.splitlines())) > 20


@pytest.mark.skipif(not hasattr(__import__("os"), "openpty"), reason="needs a pseudo-terminal")
def test_a_search_in_a_real_terminal_wraps_to_its_width_in_colour():
    import os
    import re
    import subprocess
    import sys

    leader, follower = os.openpty()
    env = {**os.environ, "COLUMNS": "44"}
    env.pop("NO_COLOR", None)
    done = subprocess.Popen([sys.executable, "-m", "phrasekit", "search", "-n", "2", "pkg marked delivered never came"],
                            stdin=follower, stdout=follower, stderr=follower, env=env)  # fmt: skip
    os.close(follower)
    out = b""
    while True:
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the other end closed
            break
        if not chunk:
            break
        out += chunk
    os.close(leader)
    assert done.wait(timeout=60) == 0
    text = out.decode()
    assert "\x1b[" in text  # in colour: a terminal
    lines = re.sub(r"\x1b\[[0-9;]*m", "", text).replace("\r\n", "\n").splitlines()
    assert len(lines) > 5 and max(map(len, lines)) <= 44
    assert all(line.startswith("  ") for line in lines if line and not line.startswith(("apology", "empathy",
                                                                                           "acknowledge")))  # fmt: skip
