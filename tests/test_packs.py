"""Finding and loading packs (phrasekit/packs.py), as users see it through `packs list` and `search`."""

import json
import os

import pytest
from click.testing import CliRunner

from helpers import write_tree
from phrasekit.cli import cli
from phrasekit.packs import builtin_pack_dir


def pack_files(name, version="1.0.0", phrase_id="late-sorry", situation="late delivery"):
    return {
        "pack.yaml": f"""
        name: {name}
        version: {version}
        phrases:
          - id: {phrase_id}
            category: apology
            text: "Sorry it's late, from {name} {version}."
            situations: [{situation}]
        """
    }


def user_packs(home):
    return home / ".config" / "phrasekit" / "packs"


def run(*args):
    return CliRunner().invoke(cli, [str(arg) for arg in args], catch_exceptions=False)


def listed(*args):
    result = run(*args, "packs", "list", "--json")
    assert result.exit_code == 0, result.output
    return [(p["name"], p["origin"], p["version"]) for p in json.loads(result.stdout)]


def search_ids(*args):
    result = run(*args)
    assert result.exit_code == 0, result.output
    return [row["id"] for row in json.loads(result.stdout)], result


# Where packs come from, in order -----------------------------------------------------------------------


# A faked installed pack (entry point) leaves site-packages as it is, which a real install changes:
# an index cached before it would keep the entry points it found then. Such a test starts with no cache.
@pytest.mark.fresh_cache
def test_discovery_order_builtin_user_env_path_entry_points(tmp_path, isolated_home, monkeypatch):
    write_tree(user_packs(isolated_home) / "user-pack", pack_files("user-pack"))
    env_root = write_tree(tmp_path / "env", {})
    write_tree(env_root / "b", pack_files("env-b"))  # created first, listed second: by folder name
    write_tree(env_root / "a", pack_files("env-a"))
    single = write_tree(tmp_path / "single", pack_files("env-single"))
    monkeypatch.setenv("PHRASEKIT_PATH", os.pathsep.join([str(env_root), str(single)]))
    path_pack = write_tree(tmp_path / "cli", pack_files("cli-pack"))
    installed = write_tree(tmp_path / "site" / "acme_phrases", pack_files("installed"))
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [(installed, "acme = acme_phrases")])
    assert listed("--path", path_pack) == [
        ("builtin", "builtin", "2.0.0"),
        ("user-pack", "user", "1.0.0"),
        ("env-a", "PHRASEKIT_PATH", "1.0.0"),
        ("env-b", "PHRASEKIT_PATH", "1.0.0"),
        ("env-single", "PHRASEKIT_PATH", "1.0.0"),
        ("cli-pack", "--path", "1.0.0"),
        ("installed", "entry point", "1.0.0"),
    ]
    result = run("--path", path_pack, "packs", "list")
    assert result.exit_code == 0
    assert result.stderr == ""
    lines = result.stdout.splitlines()
    assert lines[0].startswith("builtin  2.0.0  ") and lines[0].endswith(f"phrases  builtin: {builtin_pack_dir()}")
    assert lines[1:] == [
        f"user-pack  1.0.0  1 phrases  user: {user_packs(isolated_home) / 'user-pack'}",
        f"env-a  1.0.0  1 phrases  PHRASEKIT_PATH: {env_root / 'a'}",
        f"env-b  1.0.0  1 phrases  PHRASEKIT_PATH: {env_root / 'b'}",
        f"env-single  1.0.0  1 phrases  PHRASEKIT_PATH: {single}",
        f"cli-pack  1.0.0  1 phrases  --path: {path_pack}",
        f"installed  1.0.0  1 phrases  entry point: {installed}",
    ]


def test_only_the_builtin_bank_by_default():
    assert listed() == [("builtin", "builtin", "2.0.0")]


def test_a_folder_is_a_pack_or_holds_packs_one_level_down_only(tmp_path, monkeypatch):
    root = write_tree(tmp_path / "team-packs", {})
    write_tree(root / "one", pack_files("one"))
    write_tree(root / "group" / "deep", pack_files("too-deep"))  # two levels down: not a pack of root
    write_tree(root / "notes", {"README.md": "not a pack"})
    itself = write_tree(tmp_path / "itself", pack_files("itself"))
    write_tree(itself / "inner", pack_files("inner"))  # a pack folder's subfolders are not searched
    monkeypatch.setenv("PHRASEKIT_PATH", os.pathsep.join([str(root), str(itself)]))
    assert listed() == [
        ("builtin", "builtin", "2.0.0"),
        ("one", "PHRASEKIT_PATH", "1.0.0"),
        ("itself", "PHRASEKIT_PATH", "1.0.0"),
    ]
    # the same rules for --path
    monkeypatch.delenv("PHRASEKIT_PATH")
    assert listed("--path", root, "--path", itself) == [
        ("builtin", "builtin", "2.0.0"),
        ("one", "--path", "1.0.0"),
        ("itself", "--path", "1.0.0"),
    ]


def test_user_packs_live_in_the_xdg_config_folder(tmp_path, isolated_home, monkeypatch):
    config = tmp_path / "elsewhere"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config))
    write_tree(config / "phrasekit" / "packs" / "mine", pack_files("mine"))
    write_tree(user_packs(isolated_home) / "old", pack_files("old"))  # not the config folder any more
    assert listed() == [("builtin", "builtin", "2.0.0"), ("mine", "user", "1.0.0")]


def test_empty_phrasekit_path_entries_are_ignored(tmp_path, monkeypatch):
    good = write_tree(tmp_path / "good", pack_files("good"))
    monkeypatch.setenv("PHRASEKIT_PATH", os.pathsep.join(["", str(good), ""]))
    result = run("packs", "list", "--json")
    assert [p["name"] for p in json.loads(result.stdout)] == ["builtin", "good"]
    assert result.stderr == ""


def test_repeated_path_options_keep_their_order(tmp_path):
    first = write_tree(tmp_path / "one", pack_files("same", "1.0.0"))
    second = write_tree(tmp_path / "two", pack_files("same", "2.0.0"))
    assert listed("--path", first, "--path", second)[-1] == ("same", "--path", "2.0.0")
    assert listed("--path", second, "--path", first)[-1] == ("same", "--path", "1.0.0")


# The same name twice: the later one wins -------------------------------------------------------------


def test_the_later_pack_of_a_name_wins_and_says_what_it_shadows(tmp_path, isolated_home):
    user = write_tree(user_packs(isolated_home) / "team", pack_files("team", "1.0.0"))
    newer = write_tree(tmp_path / "team-v2", pack_files("team", "2.0.0"))
    assert listed("--path", newer) == [("builtin", "builtin", "2.0.0"), ("team", "--path", "2.0.0")]
    text = run("--path", newer, "packs", "list").stdout.splitlines()
    assert text[1:] == [f"team  2.0.0  1 phrases  --path: {newer}", f"  shadows user: {user}"]
    [data] = [p for p in json.loads(run("--path", newer, "packs", "list", "--json").stdout) if p["name"] == "team"]
    assert data["shadows"] == [f"user: {user}"]
    ids, result = search_ids("--path", newer, "search", "--json", "--pack", "team", "late", "delivery")
    assert ids == ["team/late-sorry"]
    assert json.loads(result.stdout)[0]["text"] == "Sorry it's late, from team 2.0.0."
    assert "1.0.0" not in result.stdout


@pytest.mark.fresh_cache
def test_a_chain_of_shadows_across_every_source(tmp_path, isolated_home, monkeypatch):
    user = write_tree(user_packs(isolated_home) / "team", pack_files("team", "1.0.0"))
    env = write_tree(tmp_path / "env-team", pack_files("team", "2.0.0"))
    cli_pack = write_tree(tmp_path / "cli-team", pack_files("team", "3.0.0"))
    installed = write_tree(tmp_path / "site" / "team_pkg", pack_files("team", "4.0.0"))
    monkeypatch.setenv("PHRASEKIT_PATH", str(env))
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [(installed, "team = team_pkg")])
    assert listed("--path", cli_pack) == [("builtin", "builtin", "2.0.0"), ("team", "entry point", "4.0.0")]
    text = run("--path", cli_pack, "packs", "list").stdout.splitlines()
    assert text[1:] == [
        f"team  4.0.0  1 phrases  entry point: {installed}",
        f"  shadows user: {user}",
        f"  shadows PHRASEKIT_PATH: {env}",
        f"  shadows --path: {cli_pack}",
    ]
    ids, result = search_ids("--path", cli_pack, "search", "--json", "--pack", "team", "late", "delivery")
    assert ids == ["team/late-sorry"]
    assert json.loads(result.stdout)[0]["text"] == "Sorry it's late, from team 4.0.0."


def test_a_pack_named_builtin_replaces_the_builtin_bank(tmp_path):
    mine = write_tree(tmp_path / "mine", pack_files("builtin", "9.0.0"))
    assert listed("--path", mine) == [("builtin", "--path", "9.0.0")]
    text = run("--path", mine, "packs", "list").stdout.splitlines()
    assert text == [f"builtin  9.0.0  1 phrases  --path: {mine}", f"  shadows builtin: {builtin_pack_dir()}"]


# Broken packs never take search down -------------------------------------------------------------------


def test_a_broken_pack_never_takes_search_down(tmp_path):
    broken = write_tree(tmp_path / "broken", {"pack.yaml": "name: broken\nphrases: [oops\n"})
    good = write_tree(tmp_path / "good", pack_files("good", situation="parcel never arrived"))
    for attempt in ("building the index", "with the index cached"):
        result = run("--path", broken, "--path", good, "search", "--json", "parcel", "never", "arrived")
        assert result.exit_code == 0, attempt
        ids = [row["id"] for row in json.loads(result.stdout)]
        assert ids[0] == "good/late-sorry", attempt
        assert any(i.startswith("builtin/") for i in ids), attempt
        assert result.stderr == (
            f"warning: skipped {broken}: pack has 1 problem(s); first: {broken / 'pack.yaml'}:3:1: "
            "YAML syntax error: did not find expected ',' or ']' (while parsing a flow sequence at line 2, "
            f"column 10) (check it with 'phrasekit packs validate {broken}')\n"
        ), attempt


def test_a_broken_phrases_file_is_named_in_the_warning(tmp_path):
    pack = write_tree(tmp_path / "team", {
        "pack.yaml": "name: team\n",
        "phrases/late.yaml": "phrases:\n  - id: a\n    category: apolgy\n    text: Hi\n",
    })  # fmt: skip
    result = run("--path", pack, "search", "late", "delivery")
    assert result.exit_code == 0
    assert result.stdout.strip()
    assert f"warning: skipped {pack}: pack has 1 problem(s); first: {pack / 'phrases' / 'late.yaml'}:3:15: " in (
        result.stderr
    )
    assert "unknown category 'apolgy'; did you mean 'apology'?" in result.stderr


def test_a_pack_whose_yaml_cannot_be_built_never_takes_search_down(tmp_path, monkeypatch):
    monkeypatch.delenv("PHRASEKIT_DEBUG")
    broken = write_tree(tmp_path / "broken", {"pack.yaml": "name: broken\nversion: !!int abc\n"})
    result = CliRunner().invoke(cli, ["--path", str(broken), "search", "--json", "late", "delivery"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)
    assert f"warning: skipped {broken}: pack has 1 problem(s); first: {broken / 'pack.yaml'}:2:10: " in result.stderr


def test_broken_packs_on_the_path_leave_the_others_listed(tmp_path, monkeypatch):
    root = write_tree(tmp_path / "packs", {})
    write_tree(root / "a-good", pack_files("a-good"))
    write_tree(root / "b-broken", {"pack.yaml": "name: b-broken\n\tversion: 1\n"})
    write_tree(root / "c-good", pack_files("c-good"))
    monkeypatch.setenv("PHRASEKIT_PATH", str(root))
    result = run("packs", "list", "--json")
    assert result.exit_code == 0
    assert [p["name"] for p in json.loads(result.stdout)] == ["builtin", "a-good", "c-good"]
    broken = root / "b-broken"
    assert result.stderr == (
        f"warning: skipped {broken}: pack has 1 problem(s); first: {broken / 'pack.yaml'}:2:1: "
        f"tab in indentation; YAML allows only spaces here (check it with 'phrasekit packs validate {broken}')\n"
    )


def test_a_broken_later_pack_does_not_shadow_a_working_one(tmp_path, isolated_home):
    write_tree(user_packs(isolated_home) / "team", pack_files("team", "1.0.0"))
    broken = write_tree(tmp_path / "team-v2", {"pack.yaml": "name: team\nversion: 2.0.0\nphrases: 3\n"})
    result = run("--path", broken, "packs", "list", "--json")
    assert [(p["name"], p["origin"], p["version"]) for p in json.loads(result.stdout)] == [
        ("builtin", "builtin", "2.0.0"),
        ("team", "user", "1.0.0"),
    ]
    assert f"warning: skipped {broken}: pack has 1 problem(s); first: {broken / 'pack.yaml'}:3:10: " in result.stderr


def test_a_missing_phrasekit_path_folder_warns(tmp_path, monkeypatch):
    good = write_tree(tmp_path / "good", pack_files("good"))
    nowhere = tmp_path / "nowhere"
    monkeypatch.setenv("PHRASEKIT_PATH", os.pathsep.join([str(nowhere), str(good)]))
    result = run("search", "--json", "late", "delivery")
    assert result.exit_code == 0
    assert [row["id"] for row in json.loads(result.stdout)][0] == "good/late-sorry"
    assert f"warning: {nowhere}: PHRASEKIT_PATH names a folder that does not exist" in result.stderr
    result = run("packs", "list")
    assert result.exit_code == 0
    assert f"warning: {nowhere}: PHRASEKIT_PATH names a folder that does not exist" in result.stderr


def test_a_missing_path_option_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["--path", str(tmp_path / "nope"), "search", "x"])
    assert result.exit_code == 2
    assert "'--path'" in result.stderr and "does not exist" in result.stderr
    assert result.stdout == ""


def test_a_path_option_without_packs_warns(tmp_path):
    empty = write_tree(tmp_path / "empty", {"notes.txt": "hello"})
    result = run("--path", empty, "packs", "list", "--json")
    assert result.exit_code == 0
    assert [p["name"] for p in json.loads(result.stdout)] == ["builtin"]
    assert result.stderr.startswith(f"warning: {empty}: --path holds no pack (no pack.yaml in it or its subfolders)")


@pytest.mark.fresh_cache
def test_an_installed_pack_without_pack_yaml_warns(tmp_path, monkeypatch):
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [(tmp_path, "ghost = ghost_pkg"), (None, "x = y")])
    result = run("packs", "list", "--json")
    assert result.exit_code == 0
    assert [p["name"] for p in json.loads(result.stdout)] == ["builtin"]
    assert "warning: installed pack 'ghost = ghost_pkg' has no pack.yaml in its package" in result.stderr
    assert "warning: installed pack 'x = y' has no pack.yaml in its package" in result.stderr


# What a pack holds -------------------------------------------------------------------------------------


def test_phrases_in_phrases_files_are_loaded(tmp_path):
    pack = write_tree(tmp_path / "team", {
        "pack.yaml": pack_files("team")["pack.yaml"],
        "phrases/billing.yaml": """
            phrases:
              - id: double-charge
                category: apology
                text: "Sorry about the double charge on your card."
                situations: [charged twice]
            """,
        "phrases/shipping.yaml": """
            # shipping phrases
            phrases:
              - id: parcel-stuck
                category: next-steps
                text: "I've asked the depot to release your parcel today."
                situations: [parcel stuck in depot]
            """,
        "phrases/notes.txt": "not yaml, not read",
    })  # fmt: skip
    [data] = [p for p in json.loads(run("--path", pack, "packs", "list", "--json").stdout) if p["name"] == "team"]
    assert data["phrases"] == 3
    ids, _ = search_ids("--path", pack, "search", "--json", "--pack", "team", "parcel", "stuck", "in", "depot")
    assert ids[0] == "team/parcel-stuck"
    result = run("--path", pack, "show", "--json", "team/parcel-stuck")
    assert result.exit_code == 0
    shown = json.loads(result.stdout)
    assert shown["source"] == f"{pack / 'phrases' / 'shipping.yaml'}:3"
    assert shown["category"] == "next-steps"
    result = run("--path", pack, "show", "--json", "team/double-charge")
    assert json.loads(result.stdout)["source"] == f"{pack / 'phrases' / 'billing.yaml'}:2"


def test_pack_synonyms_link_words_in_search(tmp_path):
    files = {
        "pack.yaml": "name: widgets\nsynonyms:\n  widget: [gizmo]\n",
        "phrases/hardware.yaml": """
            phrases:
              - id: widget-broken
                category: apology
                text: "Sorry about your unit."
                situations: [widget broken]
            """,
    }
    pack = write_tree(tmp_path / "widgets", files)
    ids, _ = search_ids("--path", pack, "search", "--json", "--pack", "widgets", "gizmo", "broken")
    assert ids == ["widgets/widget-broken"]
    result = run("--path", pack, "search", "--json", "--pack", "widgets", "gizmo")
    assert (result.exit_code, [row["id"] for row in json.loads(result.stdout)]) == (0, ["widgets/widget-broken"])
    # without the synonym, nothing links "gizmo" to the phrase: the word alone finds nothing
    plain = write_tree(tmp_path / "plain", {**files, "pack.yaml": "name: widgets\n"})
    result = run("--path", plain, "search", "--json", "--pack", "widgets", "gizmo")
    assert (result.exit_code, json.loads(result.stdout)) == (1, [])


def test_a_skipped_pack_is_reported_by_what_refused_it(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        phrases:
          - id: a
            category: apology
            text: "Sorry {whenn}."
          - id: b
            category: apologee
            text: "Sorry."
    """})  # fmt: skip
    result = CliRunner().invoke(cli, ["--path", str(pack), "search", "late", "delivery"])
    assert "skipped" in result.stderr and "; first: " in result.stderr
    assert "unknown category 'apologee'" in result.stderr.split("; first: ")[1]


def test_names_that_are_not_utf8_are_left_out_and_said(tmp_path, isolated_home, monkeypatch):
    root = os.fsencode(tmp_path / "packs")
    try:
        os.makedirs(root + b"/team/phrases")
        os.makedirs(root + b"/bad\xff")
    except OSError:
        pytest.skip("this file system takes only UTF-8 names")
    (tmp_path / "packs" / "team" / "pack.yaml").write_text(
        "name: team\nphrases:\n  - id: ok\n    category: apology\n    text: Sorry about the gizmo.\n"
    )
    with open(root + b"/team/phrases/caf\xe9.yaml", "w") as stream:
        stream.write("phrases:\n  - id: hidden\n    category: apology\n    text: Sorry about it.\n")
    with open(root + b"/bad\xff/pack.yaml", "w") as stream:
        stream.write("name: bad\nphrases: []\n")
    monkeypatch.setenv("PHRASEKIT_PATH", str(tmp_path / "packs"))
    runner = CliRunner()
    for _ in range(2):  # building the index, then from the cache
        result = runner.invoke(cli, ["show", "team/ok"])
        assert result.exit_code == 0, result.output
        assert "Sorry about the gizmo." in result.stdout
        assert f"{tmp_path / 'packs'}/bad\\xff: folder name is not valid UTF-8" in result.stderr
        assert "caf\\xe9.yaml: file name is not valid UTF-8" in result.stderr
    assert runner.invoke(cli, ["show", "team/hidden"]).exit_code == 2
    validated = runner.invoke(cli, ["packs", "validate", str(tmp_path / "packs" / "team")])
    assert validated.exit_code == 2
    assert f"{tmp_path / 'packs' / 'team' / 'phrases'}/caf\\xe9.yaml: file name is not valid UTF-8" in validated.output


def test_a_linked_pack_yaml_or_templates_folder_out_of_the_pack_is_refused(tmp_path, isolated_home):
    outside = tmp_path / "outside"
    (outside / "templates").mkdir(parents=True)
    (outside / "pack.yaml").write_text(
        "name: stolen\nphrases:\n  - id: a\n    category: apology\n    text: Sorry about the gizmo.\n"
    )
    (outside / "templates" / "leak.jinja").write_text("---\nchannel: email\n---\nSecret {{ customer.name }}\n")
    linked = tmp_path / "linked"
    linked.mkdir()
    (linked / "pack.yaml").symlink_to(outside / "pack.yaml")
    runner = CliRunner()
    result = runner.invoke(cli, ["--path", str(linked), "packs", "list", "--json"])
    assert "stolen" not in [row["name"] for row in json.loads(result.stdout)]
    assert f"{linked / 'pack.yaml'}: pack.yaml points outside its pack; refused" in result.stderr
    team = tmp_path / "team"
    team.mkdir()
    (team / "pack.yaml").write_text("name: team\n")
    (team / "templates").symlink_to(outside / "templates")
    listed = runner.invoke(cli, ["--path", str(team), "templates", "list", "--json"])
    assert "leak" not in [row["name"] for row in json.loads(listed.stdout)]
    assert "template points outside its pack; refused" in listed.stderr
    assert runner.invoke(cli, ["--path", str(team), "render", "leak", "--no-prompt"]).exit_code == 2


def test_a_phrase_id_or_text_yaml_reads_as_another_number_is_refused_where_it_is_written(tmp_path):
    # Before: 'id: 001' became the phrase 'team/1' and 'text: 0755' the text "493", silently.
    pack = write_tree(tmp_path / "team", {
        "pack.yaml": "name: team\n",
        "phrases/x.yaml": "phrases:\n  - id: 001\n    category: apology\n    text: 0755\n",
    })  # fmt: skip
    result = CliRunner().invoke(cli, ["packs", "validate", str(pack)])
    assert result.exit_code == 2
    lines = result.stdout.splitlines()
    assert f"{pack / 'phrases' / 'x.yaml'}:2:9: '001' is read as the number 1; put it in quotes (\"001\")" in lines[0]
    assert f"{pack / 'phrases' / 'x.yaml'}:4:11: '0755' is read as the number 493" in lines[1]
    result = CliRunner().invoke(cli, ["--path", str(pack), "show", "team/1"])
    assert result.exit_code != 0 and "493" not in result.stdout
