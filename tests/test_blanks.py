"""Blanks in phrase text: written in packs, checked by validate, shown and filled by every command."""

import json

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from helpers import write_tree
from phrasekit.blanks import STANDARD, fill, names, parse, problems, values_from
from phrasekit.cli import cli


def run(*args, input=None):
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_names_fill_and_escapes():
    text = "I'll call you {when} {channel}; {when} again. Braces: {{literal}}."
    assert names(text) == ["when", "channel"]
    assert fill(text, {"when": "by 5 pm"}) == "I'll call you by 5 pm [channel]; by 5 pm again. Braces: {literal}."
    assert fill("no blanks", {}) == "no blanks"
    assert parse("{{when}}") == ["{", "when", "}"]


def test_problems_name_the_bad_blank():
    assert problems("fine {when}", set(STANDARD)) == []
    found = problems("call {wen} then { and {Bad Name}", set(STANDARD))
    messages = [p.message for p in found]
    assert "unknown blank '{wen}'; did you mean {when}?" in messages[0]
    assert messages[1].startswith("a lone '{'")
    assert messages[2].startswith("invalid blank '{Bad Name}'")


def test_values_come_from_the_bare_name_the_case_section_and_the_standard_details():
    details = {"when": "by noon", "case": {"next_steps": "a trace", "remedy": ""}, "customer": {"first_name": "Dana"}}
    assert values_from(details, ["when", "next_step", "remedy", "customer", "amount"]) == {
        "when": "by noon",
        "next_step": "a trace",
        "customer": "Dana",
    }


@given(st.text(max_size=60))
def test_fill_never_leaves_a_raw_known_blank(text):
    out = fill(text, {name: "X" for name in names(text)})
    assert all("{" + name + "}" not in out or "{{" + name in text for name in names(text))


def make_pack(tmp_path, text, blanks=None):
    header = "name: team\n"
    if blanks:
        header += "blanks:\n" + "".join(f"  {k}: {v}\n" for k, v in blanks.items())
    return write_tree(
        tmp_path / "team",
        {
            "pack.yaml": header,
            "phrases/p.yaml": f"""
                phrases:
                  - id: p1
                    category: follow-up
                    text: "{text}"
                    situations: [gizmo trace]
            """,
        },
    )


def test_validate_reports_a_bad_blank_at_its_line_and_column(tmp_path):
    pack = make_pack(tmp_path, "I'll call you {whenn} about it.")
    result = run("packs", "validate", str(pack))
    assert result.exit_code == 2
    line = result.stdout.splitlines()[0]
    assert line.startswith(f"{pack / 'phrases' / 'p.yaml'}:4:26: unknown blank '{{whenn}}'; did you mean {{when}}?")


def test_a_pack_declares_its_own_blanks_with_help(tmp_path):
    pack = make_pack(tmp_path, "Your {plan_name} renews {when}.", blanks={"plan_name": "the plan's marketing name"})
    assert run("packs", "validate", str(pack)).exit_code == 0
    bad = write_tree(tmp_path / "bad", {"pack.yaml": "name: bad\nblanks:\n  when: shadowing\n  Oops: x\n  empty: ''\n"})
    result = run("packs", "validate", str(bad))
    assert result.exit_code == 2
    assert "{when} is a standard blank already" in result.stdout
    assert "invalid blank name 'Oops'" in result.stdout
    assert "blank 'empty' needs a help text" in result.stdout


def test_search_and_show_print_blanks_and_fill_them(tmp_path):
    pack = make_pack(tmp_path, "I'll ring you {when} with the gizmo trace result.")
    base = ("--path", str(pack))
    shown = run(*base, "show", "team/p1")
    assert "I'll ring you [when] with the gizmo trace result." in shown.stdout
    assert "{when} when it will happen" in shown.stdout
    filled = run(*base, "show", "team/p1", "--set", "when=by 5 pm today")
    assert "I'll ring you by 5 pm today with the gizmo trace result." in filled.stdout
    found = run(*base, "search", "--text", "--pack", "team", "gizmo trace", "--set", "when=on Friday")
    assert found.stdout == "I'll ring you on Friday with the gizmo trace result.\n"
    data = json.loads(run(*base, "search", "--json", "--pack", "team", "gizmo trace").stdout)
    assert data[0]["text"] == "I'll ring you {when} with the gizmo trace result."
    assert data[0]["blanks"] == ["when"]
    assert data[0]["filled"] == "I'll ring you [when] with the gizmo trace result."


def test_a_case_file_fills_blanks_in_search(tmp_path):
    pack = make_pack(tmp_path, "I'll ring you {when} with the gizmo trace result.")
    case = tmp_path / "case.yaml"
    case.write_text("case:\n  when: before noon\n", encoding="utf-8")
    result = run("--path", str(pack), "search", "--text", "--pack", "team", "--case", str(case), "gizmo trace")
    assert result.stdout == "I'll ring you before noon with the gizmo trace result.\n"


@pytest.mark.parametrize("command", ["search", "show"])
def test_a_bad_set_is_a_usage_error(tmp_path, command):
    target = "gizmo" if command == "search" else "builtin/sorry-core"
    result = CliRunner().invoke(cli, [command, target, "--set", "novalue"])
    assert result.exit_code == 2
    assert "write KEY=VALUE" in result.stderr


def test_a_blank_with_a_default_reads_the_default_until_it_is_filled():
    text = "Hi {customer|there}, I'll call you {when}."
    assert names(text) == ["customer", "when"]
    assert fill(text, {}) == "Hi there, I'll call you [when]."
    assert fill(text, {"customer": "Dana", "when": "at 4"}) == "Hi Dana, I'll call you at 4."
    assert problems(text, set(STANDARD)) == []
    assert problems("{Bad Name|x}", set(STANDARD))[0].message.startswith("invalid blank '{Bad Name|x}'")
    unknown = problems("{custmer|there}", set(STANDARD))[0].message
    assert unknown.startswith("unknown blank '{custmer|there}'; did you mean {customer}?")


def test_search_show_and_render_use_a_blanks_default_and_render_does_not_ask_for_it(tmp_path):
    write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        phrases:
          - id: hello-sorry
            category: apology
            text: "Hi {customer|there}, I'm so sorry about the gizmo."
            situations: [gizmo broke]
        """})  # fmt: skip
    assert run("packs", "validate", str(tmp_path / "team")).exit_code == 0
    shown = run("--path", str(tmp_path / "team"), "show", "team/hello-sorry", "--text")
    assert shown.output == "Hi there, I'm so sorry about the gizmo.\n"
    found = json.loads(run("--path", str(tmp_path / "team"), "search", "--json", "gizmo broke").stdout)[0]
    assert found["blanks"] == ["customer"] and found["text"].startswith("Hi {customer|there},")
    rendered = run("--path", str(tmp_path / "team"), "render", "social-reply", "--no-prompt", "--json",
                   "--pick", "team/hello-sorry", "--set", "case.issue=gizmo broke", "--set", "agent.name=Sam",
                   "--set", "company.name=Acme")  # fmt: skip
    assert rendered.exit_code == 0, rendered.output
    assert json.loads(rendered.stdout)["body"].startswith("Hi there, I'm so sorry about the gizmo.")
