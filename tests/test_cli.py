"""What a user sees from each command: output, exit codes, JSON shapes, files written."""

import json
import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from phrasekit import __version__
from phrasekit.cli import cli

ACME = Path(__file__).parent / "fixtures" / "packs" / "acme"


@pytest.fixture
def acme(prebuilt_index) -> Path:
    """The acme fixture pack, with the index of the bank and it as an earlier command left it."""
    prebuilt_index(ACME)
    return ACME


@pytest.fixture
def run():
    runner = CliRunner()

    def invoke(*args, input=None):
        return runner.invoke(cli, list(args), input=input, catch_exceptions=False)

    return invoke


def test_version(run):
    result = run("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"phrasekit, version {__version__}"


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield prefix + (name,), command
        if hasattr(command, "commands"):
            yield from _commands(command, prefix + (name,))


@pytest.mark.parametrize("path", [p for p, _ in _commands(cli)], ids=" ".join)
def test_every_command_has_help_with_an_example(run, path):
    result = run(*path, "--help")
    assert result.exit_code == 0
    command = dict(_commands(cli))[path]
    if not hasattr(command, "commands"):
        assert "Example" in result.output


def test_search_prints_category_id_and_text(run):
    result = run("search", "pkg", "marked", "delivered,", "never", "came")
    assert result.exit_code == 0
    blocks = result.stdout.strip().split("\n\n")
    assert len(blocks) == 5
    header, text = blocks[0].split("\n", 1)
    category, phrase_id = header.split()
    assert phrase_id.startswith("builtin/lost-package")
    assert text.startswith("  ") and len(text.strip()) > 20


def test_search_json_shape(run):
    result = run("search", "--json", "-n", "3", "double", "charge")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert len(rows) == 3
    for row in rows:
        assert {"id", "pack", "category", "text", "score"} <= set(row)
        assert row["id"] == f"{row['pack']}/{row['short_id']}"
        assert isinstance(row["score"], float)
    assert rows[0]["score"] >= rows[-1]["score"]


def test_search_nl_and_text_modes(run):
    lines = run("search", "--nl", "-n", "2", "refund", "delay").stdout.strip().splitlines()
    assert [json.loads(line)["pack"] for line in lines] == ["builtin", "builtin"]
    texts = run("search", "--text", "-n", "2", "refund", "delay").stdout.strip().splitlines()
    assert len(texts) == 2 and not texts[0].startswith(" ")


def test_nothing_found_exits_1(run):
    result = run("search", "banana", "bread", "recipe")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert "No phrase matches" in result.stderr
    result = run("search", "--json", "asdf", "qwerty")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []


def test_search_reads_a_pasted_message_from_stdin(run):
    message = "Hi,\nI ordered a lamp two weeks ago and it STILL hasnt arrived!!\nTracking hasn't moved.\n"
    result = run("search", "--json", "-", input=message)
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert rows[0]["family"] in {"late-delivery", "where-is-my-order"}


def test_search_filters(run):
    result = run("search", "--json", "-c", "apology", "-n", "10", "late", "delivery")
    assert {row["category"] for row in json.loads(result.stdout)} == {"apology"}
    result = run("search", "--json", "--channel", "social", "-n", "10", "outage")
    assert all("social" in row["channels"] for row in json.loads(result.stdout))


def test_search_rejects_unknown_category_and_pack(run):
    result = run("search", "-c", "apologee", "late")
    assert result.exit_code == 2
    assert "unknown category 'apologee'; did you mean 'apology'?" in result.stderr
    result = run("search", "--pack", "nope", "late")
    assert result.exit_code == 2
    assert "no pack named 'nope' (see 'phrasekit packs list')" in result.stderr
    result = run("search", "--pack", "buitin", "late")
    assert result.exit_code == 2
    assert "no pack named 'buitin'; did you mean 'builtin'?" in result.stderr


def test_search_with_team_pack_on_path(run, acme):
    result = run("--path", str(acme), "search", "--json", "gizmo", "broken")
    assert result.exit_code == 0
    assert json.loads(result.stdout)[0]["id"] == "acme-support/widget-broken-sorry"
    result = run("--path", str(acme), "search", "--json", "--pack", "acme-support", "late", "delivery")
    assert [row["id"] for row in json.loads(result.stdout)] == ["acme-support/late-delivery-sorry"]


def test_no_colour_when_piped_or_no_color(run, monkeypatch):
    result = run("search", "late", "delivery")
    assert "\x1b[" not in result.stdout
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setattr("phrasekit.output.sys.stdout.isatty", lambda: True, raising=False)
    assert "\x1b[" not in run("categories").stdout


def test_show_by_full_and_short_id(run):
    result = run("show", "builtin/sorry-core")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[:2] == ["builtin/sorry-core", "I'm sorry."]
    assert re.search(r"category:\s+apology", result.stdout)
    assert run("show", "sorry-core").stdout == result.stdout
    data = json.loads(run("show", "--json", "sorry-core").stdout)
    assert data["id"] == "builtin/sorry-core" and data["source"].endswith(".yaml:" + data["source"].rsplit(":", 1)[1])


def test_show_unknown_and_ambiguous_ids(run, acme):
    result = run("show", "sorry-cor")
    assert result.exit_code == 2
    assert "no phrase with id 'sorry-cor'" in result.stderr
    assert "sorry-core" in result.stderr
    assert "Traceback" not in result.output
    result = run("--path", str(acme), "show", "late-delivery-sorry")
    assert result.exit_code == 2
    assert "several packs" in result.stderr and "acme-support/late-delivery-sorry" in result.stderr


def test_categories_lists_steps_with_guidance(run, acme):
    result = run("categories")
    assert result.exit_code == 0
    names = [line.split()[0] for line in result.stdout.splitlines() if line and not line.startswith(" ")]
    assert names[:3] == ["listen", "acknowledge", "apology"]
    assert "Let them vent without interrupting" in result.stdout
    data = json.loads(run("--path", str(acme), "categories", "--json").stdout)
    assert len(data) == 12
    assert data[-1] == {
        "name": "warranty",
        "description": "Explaining what the warranty covers and how to claim it",
        "guidance": "",
        "step": None,
        "pack": "acme-support",
    }


def test_packs_list(run, acme):
    result = run("--path", str(acme), "packs", "list")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert re.match(r"builtin  \d+\.\d+\.\d+  \d{4} phrases  builtin: ", lines[0]), lines[0]
    assert lines[1].startswith("acme-support  1.2.0  3 phrases  --path: ")
    data = json.loads(run("--path", str(acme), "packs", "list", "--json").stdout)
    assert [pack["name"] for pack in data] == ["builtin", "acme-support"]
    assert data[1]["phrases"] == 3 and data[1]["origin"] == "--path"


def test_packs_validate_clean_and_broken(run, tmp_path):
    result = run("packs", "validate", str(ACME))
    assert result.exit_code == 0
    assert result.stdout.strip() == f"ok: {ACME}: pack 'acme-support', 3 phrases"
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "pack.yaml").write_text("name: Bad Name\nphrases:\n  - id: a b\n    category: nope\n")
    result = run("packs", "validate", str(broken))
    assert result.exit_code == 2
    lines = result.stdout.strip().splitlines()
    assert lines[0].startswith(f"{broken / 'pack.yaml'}:1:7: invalid pack name 'Bad Name'")
    assert any(":3:9: id 'a b' must not contain spaces" in line for line in lines)
    assert any(":4:15: unknown category 'nope'" in line for line in lines)
    assert any(":3:5: missing required key 'text'" in line for line in lines)


def test_packs_new_creates_a_valid_pack_and_never_overwrites(run, tmp_path):
    target = tmp_path / "team"
    result = run("packs", "new", "team-phrases", str(target))
    assert result.exit_code == 0
    assert (target / "pack.yaml").is_file()
    assert run("packs", "validate", str(target)).exit_code == 0
    data = yaml.safe_load((target / "pack.yaml").read_text())
    assert data["name"] == "team-phrases"
    found = run("--path", str(target), "search", "--json", "--pack", "team-phrases", "parcel", "delayed")
    assert json.loads(found.stdout)[0]["id"] == "team-phrases/late-parcel-sorry"
    (target / "pack.yaml").write_text("name: mine\n")
    result = run("packs", "new", "team-phrases", str(target))
    assert result.exit_code == 2
    assert "file exists" in result.stderr and "--force" in result.stderr
    assert (target / "pack.yaml").read_text() == "name: mine\n"
    assert run("packs", "new", "team-phrases", str(target), "--force").exit_code == 0
    assert "team-phrases" in (target / "pack.yaml").read_text()
    assert not [p for p in target.iterdir() if p.name.endswith(".tmp")]


def test_packs_new_rejects_bad_name(run, tmp_path):
    result = run("packs", "new", "Team Phrases", str(tmp_path / "x"))
    assert result.exit_code == 2
    assert "invalid pack name" in result.stderr
    assert not (tmp_path / "x").exists()


def test_packs_new_defaults_to_folder_named_after_pack(run, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert run("packs", "new", "acme").exit_code == 0
    assert (tmp_path / "acme" / "pack.yaml").is_file()


def test_unexpected_error_is_one_line_without_traceback(run, monkeypatch):
    monkeypatch.delenv("PHRASEKIT_DEBUG")

    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    import importlib

    # phrasekit.search is the public function; its module is reached through sys.modules.
    monkeypatch.setattr(importlib.import_module("phrasekit.search"), "rank_phrases", boom)
    result = CliRunner().invoke(cli, ["search", "late"])
    assert result.exit_code == 3
    assert "unexpected RuntimeError: disk on fire" in result.stderr
    assert "Traceback" not in result.output


ACTIONS = {
    ("packs", "new"),
    ("index", "rebuild"),
    ("index", "clear"),
    ("config", "path"),
    ("model", "embed"),
    ("config", "set"),
    ("completion",),
    ("history", "clear"),
    ("history", "star"),
    ("history", "unstar"),
    ("pick",),
    ("export",),
}  # pick: a screen for a person; off a terminal it prints what search --text does. export: its
# output is the format asked for (export json gives the pack as JSON)


@pytest.mark.parametrize("path", [p for p, c in _commands(cli) if not hasattr(c, "commands")], ids=" ".join)
def test_every_command_that_reports_takes_json(path):
    """Scripts can read every report; only commands that act (create, rebuild, clear...) print a line."""
    command = dict(_commands(cli))[path]
    has_json = "--json" in [opt for param in command.params for opt in getattr(param, "opts", [])]
    assert has_json == (path not in ACTIONS)


def test_a_service_situation_without_a_family_gets_the_general_phrases_labelled(run):
    result = CliRunner().invoke(cli, ["search", "customer unhappy with the colour of the shop's new carpet"])
    assert result.exit_code == 0
    assert result.stderr.startswith("No phrases for this exact situation; general ones:")
    assert "apology  builtin/sorry-core\n  I'm sorry.\n" in result.stdout
    rows = json.loads(run("search", "--json", "customer unhappy with the colour of the shop's new carpet").stdout)
    assert rows and all(row["fallback"] and row["general"] and row["family"] is None for row in rows)


@pytest.mark.parametrize("query", ["banana bread recipe", "what's the capital of Peru", "knitting pattern"])
def test_text_that_is_not_customer_service_gets_nothing(query):
    result = CliRunner().invoke(cli, ["search", query])
    assert result.exit_code == 1 and result.stdout == ""
    assert "No phrase matches" in result.stderr


@pytest.mark.parametrize(
    "query, family",
    [
        ("wants to speak to a manager NOW", "manager-request"),
        ("customer swearing at me", "abusive-customer"),
        ("customer's husband died, wants to close his account", "bereavement"),
        ("cx says she can smell gas near the meter", "safety-hazard"),
        ("flight cancelled, no rebooking offered", "flight-cancelled"),
        ("have to refuse a refund outside the return window", ("refusal", "policy-limit")),
        ("customer says he'll take us to the ombudsman", "legal-threat"),
    ],
)
def test_hard_moments_and_situations_get_their_own_family(run, query, family):
    rows = json.loads(run("search", "--json", "-n", "10", query).stdout)
    assert rows[0]["family"] in (family if isinstance(family, tuple) else (family,)), [r["id"] for r in rows]
    sensitive = family in {"bereavement", "safety-hazard", "abusive-customer"}
    if sensitive:
        assert {row["family"] for row in rows} <= {family, None}


def test_a_pasted_angry_email_finds_its_family_by_keywords(run):
    message = (
        "To whom it may concern,\n\nI am writing for the THIRD time about my order.\n"
        "The tracking page has said 'delivered' since Monday but nothing ever came to my door.\n"
        "Nobody on my street has it, I've checked the bins and the porch, nothing.\n"
        "I've emailed twice and had no reply, which frankly is appalling.\n"
        "I paid good money for this and I expect it to actually turn up.\n"
        "If I don't hear back I'll be disputing the payment with my bank.\n"
        "This is the worst service I've had from anyone this year.\n\nRegards,\nPat\n"
    )
    rows = json.loads(run("search", "--lexical", "--json", "-", input=message).stdout)
    assert rows[0]["family"] == "lost-package", [r["id"] for r in rows]


def test_social_only_phrases_never_come_first_unless_asked_for(run, tmp_path):
    rows = json.loads(run("search", "--json", "-n", "20", "double charged").stdout)
    assert rows[0]["channels"] != ["social"]
    firsts = [row["channels"] for row in rows[:5]]
    assert ["social"] not in firsts and ["sms"] not in firsts
    social = json.loads(run("search", "--json", "--channel", "social", "double charged").stdout)
    assert social and all("social" in row["channels"] for row in social)
    sms = json.loads(run("search", "--json", "--channel", "sms", "double charged").stdout)
    assert sms and all("sms" in row["channels"] and len(row["text"]) <= 160 for row in sms)


def test_config_sets_the_default_channel(run, isolated_home):
    from phrasekit.config import config_path

    config_path().parent.mkdir(parents=True, exist_ok=True)
    config_path().write_text("channel: sms\n", encoding="utf-8")
    rows = json.loads(run("search", "--json", "double charged").stdout)
    assert rows and all("sms" in row["channels"] for row in rows)
    script_rows = json.loads(run("script", "--json", "double charged").stdout)
    assert script_rows["channel"] == "sms"
    config_path().write_text("# mine\nchannel: fax\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["search", "double charged"])
    assert result.exit_code == 2
    assert f"{config_path()}:2:10: unknown channel 'fax' in the config file" in result.stderr


def test_families_lists_every_family_with_counts(run):
    rows = json.loads(run("families", "--json").stdout)
    names = {row["name"] for row in rows}
    assert {"bereavement", "flight-cancelled", "card-declined", "where-is-my-order", "general"} <= names
    assert all(row["phrases"] >= 11 for row in rows)
    text = run("families").stdout
    assert re.search(r"^bereavement +hard-moment +\d+  .+ \(sensitive\)$", text, re.M)


@pytest.mark.parametrize(
    "query, first",
    [
        ("customer says she wants to kill herself", "builtin/vulnerable-customer-emergency"),
        ("smells like gas in the kitchen after the engineer's visit", "builtin/safety-hazard-keep-clear"),
    ],
)
def test_in_a_sensitive_moment_the_immediate_step_comes_first(run, query, first):
    rows = json.loads(run("search", "--lexical", "--json", query).stdout)
    assert rows[0]["id"] == first, [r["id"] for r in rows]
    assert {row["family"] for row in rows} <= {rows[0]["family"], None}


def test_a_pack_with_an_unknown_blank_loads_and_search_warns(tmp_path):
    from helpers import write_tree

    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        phrases:
          - id: p1
            category: apology
            text: "Sorry about the {gizmo}."
            situations: [gizmo trouble]
    """})  # fmt: skip
    result = CliRunner().invoke(cli, ["--path", str(pack), "search", "--pack", "team", "gizmo trouble"])
    assert result.exit_code == 0
    assert "Sorry about the [gizmo]." in result.stdout
    assert "1 problem(s) that do not stop it loading; first: " in result.stderr
    assert "unknown blank '{gizmo}'" in result.stderr


def test_the_starter_pack_passes_strict(tmp_path):
    CliRunner().invoke(cli, ["packs", "new", "acme", str(tmp_path / "acme")])
    result = CliRunner().invoke(cli, ["packs", "validate", "--strict", str(tmp_path / "acme")])
    assert result.exit_code == 0, result.stdout


def test_the_console_entry_point_keeps_exit_codes_and_every_line(tmp_path):
    """``python -m phrasekit`` (like the ``phrasekit`` script) runs ``cli.main``, which ends the
    process itself: the exit code and all of the output, piped, must still come through."""
    import subprocess
    import sys

    def phrasekit(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "phrasekit", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)  # fmt: skip

    found = phrasekit("search", "--lexical", "--nl", "-n", "5", "refund", "not", "received")
    assert found.returncode == 0
    lines = found.stdout.splitlines()
    assert len(lines) == 5 and all(line.startswith("{") and line.endswith("}") for line in lines)
    nothing = phrasekit("search", "--lexical", "zzqx", "vvkj")
    assert nothing.returncode == 1 and "No phrase matches" in nothing.stderr
    wrong = phrasekit("no-such-command")
    assert wrong.returncode == 2 and "No such command" in wrong.stderr
    assert phrasekit("--version").stdout.strip().startswith("phrasekit, version")


def test_a_reader_that_stops_early_gets_no_error(tmp_path):
    """``phrasekit search ... | head -1``: the closed pipe ends the command quietly."""
    import subprocess
    import sys

    reader = subprocess.Popen([sys.executable, "-m", "phrasekit", "search", "--lexical", "-n", "50", "sorry"],
                              cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # fmt: skip
    reader.stdout.read(10)
    reader.stdout.close()
    _, errors = reader.communicate(timeout=120)
    assert reader.returncode == 0 and b"Traceback" not in errors and b"Exception" not in errors


# --- copying and the history: search --copy, show --copy/--text, phrasekit history ---------------


@pytest.fixture
def copier(tmp_path, monkeypatch):
    """A fake xclip on an otherwise empty PATH, with an X display and no terminal: what it
    received is in the file returned."""
    from helpers import fake_tool
    from phrasekit import clipboard

    folder = tmp_path / "bin"
    monkeypatch.setenv("PATH", str(folder))
    monkeypatch.setenv("DISPLAY", ":0")
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: None)
    return fake_tool(folder, "xclip")


def history_rows(run) -> list[dict]:
    result = run("history", "--json")
    assert result.exit_code == 0
    return json.loads(result.stdout)


def test_search_copy_copies_the_first_phrase_with_its_blanks_filled_and_remembers_it(run, copier):
    args = ("search", "-c", "follow-up", "lost", "package", "--set", "when=by Friday", "--set", "channel=by email")
    plain = run(*args)
    copied = run(*args, "--copy")
    assert copied.exit_code == 0
    assert copied.stdout == plain.stdout  # the results are printed as without --copy
    first = json.loads(run(*args, "--json").stdout)[0]
    assert copier.read_bytes() == first["filled"].encode("utf-8")  # no trailing newline
    assert "by Friday" in first["filled"] and "{" not in first["filled"]
    assert copied.stderr == "Copied to the clipboard (xclip).\n"
    [row] = history_rows(run)
    assert (row["id"], row["uses"], row["starred"], row["text"]) == (first["id"], 1, False, first["text"])


def test_copy_names_a_blank_left_unfilled(run, copier):
    copied = run("show", "--copy", "builtin/follow-even-no-news")
    assert copier.read_bytes() == b"You'll hear from me [when], even if it's only to say I'm still working on it."
    assert copied.stderr.splitlines() == [
        "Copied to the clipboard (xclip).",
        "Not filled: [when]; fill it in after pasting, or pass --set when=....",
    ]


def test_show_copy_copies_the_named_phrase_and_show_text_prints_only_its_text(run, copier):
    text = run("show", "--text", "follow-even-no-news", "--set", "when=by 5 pm")
    assert text.exit_code == 0
    assert text.stdout == "You'll hear from me by 5 pm, even if it's only to say I'm still working on it.\n"
    copied = run("show", "--copy", "follow-even-no-news", "--set", "when=by 5 pm")
    assert copied.exit_code == 0 and copied.stderr == "Copied to the clipboard (xclip).\n"
    assert copied.stdout.startswith("builtin/follow-even-no-news\n")  # shown as without --copy
    assert copier.read_bytes() == text.stdout.rstrip("\n").encode("utf-8")
    assert [row["id"] for row in history_rows(run)] == ["builtin/follow-even-no-news"]


def test_copy_over_ssh_goes_to_the_terminal_by_osc52(run, monkeypatch, tmp_path):
    import base64
    import io

    from phrasekit import clipboard

    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    terminal = io.BytesIO()
    terminal.close = lambda: None
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: terminal)
    copied = run("show", "--copy", "builtin/sorry-core")
    assert copied.exit_code == 0 and copied.stderr == "Sent to the terminal's clipboard (OSC 52).\n"
    assert terminal.getvalue() == b"\x1b]52;c;" + base64.b64encode(b"I'm sorry.") + b"\x07"
    assert "\x1b" not in copied.stdout  # the sequence went to the terminal, not to standard output


def test_copy_with_no_clipboard_and_no_terminal_exits_2_saying_what_to_install(run, monkeypatch, tmp_path):
    from phrasekit import clipboard

    monkeypatch.setenv("PATH", str(tmp_path / "nothing"))
    monkeypatch.setattr(clipboard, "_open_terminal", lambda: None)
    result = CliRunner().invoke(cli, ["search", "--copy", "double", "charge"])
    assert result.exit_code == 2
    assert "no clipboard is reachable here" in result.stderr and "xclip" in result.stderr
    assert history_rows(run) == []


def test_copy_with_history_off_says_nothing_is_recorded(run, copier, isolated_home):
    (isolated_home / ".config" / "phrasekit").mkdir(parents=True)
    (isolated_home / ".config" / "phrasekit" / "config.yaml").write_text("history: false\n")
    copied = run("show", "--copy", "builtin/sorry-core")
    assert copied.exit_code == 0 and copier.read_bytes() == b"I'm sorry."
    assert "History is off (history: false in the config): nothing recorded." in copied.stderr
    listed = run("history")
    assert listed.stdout == "" and "History is off" in listed.stderr
    starred = run("history", "star", "sorry-core")
    assert starred.exit_code == 0 and "History is off" in starred.stderr and "Starred" not in starred.stderr
    assert not (isolated_home / ".local" / "share" / "phrasekit").exists()


def test_history_lists_starred_then_used_with_uses_date_and_text(run, copier):
    run("show", "--copy", "builtin/sorry-core")
    run("show", "--copy", "builtin/sorry-core")
    run("search", "--copy", "double", "charge")
    starred = run("history", "star", "follow-even-no-news")
    assert starred.stderr == "Starred builtin/follow-even-no-news.\n"
    lines = run("history").stdout.splitlines()
    assert [line[:8] for line in lines] == ["*    0x ", "     2x ", "     1x "]
    assert "never" in lines[0] and "builtin/follow-even-no-news" in lines[0]
    assert re.search(r"  2x  \d{4}-\d\d-\d\d \d\d:\d\d  builtin/sorry-core\s+I'm sorry\.$", lines[1])
    assert lines[2].endswith("...") and len(lines[2].split("builtin/double-charge-sorry")[1].strip()) == 60
    rows = history_rows(run)
    assert [(r["id"], r["uses"], r["starred"]) for r in rows] == [
        ("builtin/follow-even-no-news", 0, True), ("builtin/sorry-core", 2, False),
        ("builtin/double-charge-sorry", 1, False)]  # fmt: skip
    assert set(rows[1]) == {"id", "uses", "last_used", "starred", "score", "category", "text"}
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", rows[1]["last_used"]) and rows[0]["last_used"] is None
    assert [json.loads(line) for line in run("history", "--nl").stdout.splitlines()] == rows
    assert len(history_rows(run)) == 3 and run("history", "-n", "1", "--json").stdout.count('"id"') == 1
    assert run("history", "unstar", "follow-even-no-news").stderr == "Unstarred builtin/follow-even-no-news.\n"
    assert [r["id"] for r in history_rows(run)] == ["builtin/sorry-core", "builtin/double-charge-sorry"]
    cleared = run("history", "clear")
    assert cleared.stdout == "Forgot 2 phrase(s).\n"
    assert run("history", "clear").stdout == "The history is empty.\n"
    empty = run("history")
    assert empty.exit_code == 0 and empty.stdout == "" and "No phrases in the history yet" in empty.stderr


def test_history_star_of_an_unknown_id_exits_2(run):
    result = CliRunner().invoke(cli, ["history", "star", "no-such-phrase"])
    assert result.exit_code == 2 and "no-such-phrase" in result.stderr


@pytest.mark.parametrize("query", ["order never arrived", "my order hasnt arrived yet", "order not arrived"])
def test_an_order_that_never_arrived_gets_a_late_order_s_words_not_a_bank_card_s(run, query):
    rows = json.loads(run("search", "--lexical", "--json", query).stdout)
    assert rows[0]["family"] == "late-delivery", [r["id"] for r in rows]
    assert not any(row["family"] == "card-not-arrived" for row in rows[:5])
