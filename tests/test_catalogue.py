"""Templates live in the index's catalogue: with a current index, listing, showing and rendering
them never scans a folder or parses YAML; a changed template folder makes the index stale."""

import json
import os

import pytest
from click.testing import CliRunner

from helpers import imports_of, write_tree
from phrasekit.cli import cli

NOTE = (
    "---\nname: team-note\ndescription: A team note\nchannel: chat\nfields:\n  - agent.name\n---\n"
    "Hi, {{ agent.name }} here.\n"
)


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


@pytest.fixture
def pack(tmp_path):
    return write_tree(tmp_path / "team", {"pack.yaml": "name: team\n", "templates/team-note.jinja": NOTE})


def test_a_current_index_serves_templates_without_reading_a_folder(pack, monkeypatch):
    assert run("--path", str(pack), "templates", "list").exit_code == 0  # builds the index

    def refuse(*args, **kwargs):
        raise AssertionError("templates scanned although the index is current")

    monkeypatch.setattr("phrasekit.render.load_templates", refuse)
    monkeypatch.setattr("phrasekit.render.read_template", refuse)
    monkeypatch.setattr("phrasekit.packs.load_packs", refuse)
    listing = run("--path", str(pack), "templates", "list", "--json")
    names = [row["name"] for row in json.loads(listing.stdout)]
    assert names[-1] == "team-note" and "follow-up-email" in names
    shown = json.loads(run("--path", str(pack), "templates", "show", "team-note", "--json").stdout)
    assert shown == {"name": "team-note", "description": "A team note", "channel": "chat", "limit": None,
                     "pack": "team", "path": str(pack / "templates" / "team-note.jinja"), "overrides": [],
                     "fields": [{"name": "agent.name", "required": True, "default": None, "help": "",
                                 "private": False}]}  # fmt: skip
    rendered = run("--path", str(pack), "render", "team-note", "--set", "agent.name=Sam", "--no-prompt")
    assert rendered.exit_code == 0 and rendered.stdout == "Hi, Sam here.\n"


def test_an_added_or_edited_template_is_seen_at_once(pack):
    assert "team-note" in run("--path", str(pack), "templates", "list").stdout
    (pack / "templates" / "team-other.jinja").write_text(NOTE.replace("team-note", "team-other"))
    assert "team-other" in run("--path", str(pack), "templates", "list").stdout
    edited = pack / "templates" / "team-note.jinja"
    edited.write_text(NOTE.replace("Hi, {{ agent.name }} here.", "Hello from {{ agent.name }}, again."))
    os.utime(edited, ns=(os.stat(edited).st_atime_ns, os.stat(edited).st_mtime_ns + 10**9))
    result = run("--path", str(pack), "render", "team-note", "--set", "agent.name=Sam", "--no-prompt")
    assert result.stdout == "Hello from Sam, again.\n"


def test_a_broken_template_is_warned_about_from_the_index_too(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": "name: team\n", "templates/bad.jinja": "no front matter\n"})
    for _ in range(2):  # built, then read from the index
        result = run("--path", str(pack), "templates", "list")
        assert result.exit_code == 0
        assert f"warning: {pack / 'templates' / 'bad.jinja'}: a template starts with front matter" in result.stderr


def test_templates_list_with_a_current_index_never_imports_yaml(isolated_home, tmp_path):
    [(second, output)] = imports_of(["templates", "list"], isolated_home, tmp_path, runs=1)  # current: the session's
    assert "yaml" not in second
    assert "follow-up-email" in output


def test_a_broken_pack_template_is_warned_of_with_its_first_problem_cached_or_not(tmp_path):
    """The warning for a skipped template names what is wrong, on the run that builds the index
    and on the next, from the catalogue, alike (it said only "template has 2 problem(s)")."""
    pack = write_tree(tmp_path / "team", {
        "pack.yaml": "name: team\n",
        "templates/bad-tpl.jinja": "---\nname: bad-tpl\nchannel: fax\nlimit: lots\n---\nHi\n",
    })  # fmt: skip
    expected = (f"warning: {pack / 'templates' / 'bad-tpl.jinja'}: template has 2 problem(s); first: "
                f"{pack / 'templates' / 'bad-tpl.jinja'}:3:10: 'channel' must be one of")  # fmt: skip
    for _ in range(2):
        result = CliRunner().invoke(cli, ["--path", str(pack), "templates", "list"])
        assert result.exit_code == 0 and expected in result.stderr


def test_templates_list_lines_up_its_descriptions_whatever_the_pack_names(tmp_path):
    pack = write_tree(tmp_path / "a-long-team-name", {
        "pack.yaml": "name: a-long-team-name\n",
        "templates/team-note.jinja": "---\nname: team-note\nchannel: email\ndescription: A team note.\n---\nHi\n",
    })  # fmt: skip
    lines = CliRunner().invoke(cli, ["--path", str(pack), "templates", "list"]).stdout.splitlines()
    rows = json.loads(CliRunner().invoke(cli, ["--path", str(pack), "templates", "list", "--json"]).stdout)
    starts = {line.index(row["description"]) for line, row in zip(lines, rows, strict=True)}
    assert len(lines) >= 2 and len(starts) == 1
    assert lines[-1].endswith("a-long-team-name  A team note.")
