"""Finding packs: the order, shadowing, and broken packs that never take search down."""

import json
import os

from click.testing import CliRunner

from helpers import write_tree
from phrasekit.cli import cli
from phrasekit.packs import discover_packs, load_packs


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


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def listed(*args):
    return [(p["name"], p["origin"], p["version"]) for p in json.loads(run(*args, "packs", "list", "--json").stdout)]


def test_discovery_order_builtin_user_env_path_entry_points(tmp_path, isolated_home, monkeypatch):
    write_tree(isolated_home / ".config" / "phrasekit" / "packs" / "user-pack", pack_files("user-pack"))
    env_root = write_tree(tmp_path / "env", {})
    write_tree(env_root / "a", pack_files("env-a"))
    write_tree(env_root / "b", pack_files("env-b"))
    single = write_tree(tmp_path / "single", pack_files("env-single"))
    monkeypatch.setenv("PHRASEKIT_PATH", os.pathsep.join([str(env_root), str(single)]))
    path_pack = write_tree(tmp_path / "cli", pack_files("cli-pack"))
    installed = write_tree(tmp_path / "site" / "acme_phrases", pack_files("installed"))
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [(installed, "acme = acme_phrases")])
    assert listed("--path", str(path_pack)) == [
        ("builtin", "builtin", "1.0.0"),
        ("user-pack", "user", "1.0.0"),
        ("env-a", "PHRASEKIT_PATH", "1.0.0"),
        ("env-b", "PHRASEKIT_PATH", "1.0.0"),
        ("env-single", "PHRASEKIT_PATH", "1.0.0"),
        ("cli-pack", "--path", "1.0.0"),
        ("installed", "entry point", "1.0.0"),
    ]


def test_the_later_pack_of_a_name_wins_and_says_what_it_shadows(tmp_path, isolated_home, monkeypatch):
    user = write_tree(isolated_home / ".config" / "phrasekit" / "packs" / "team", pack_files("team", "1.0.0"))
    newer = write_tree(tmp_path / "team-v2", pack_files("team", "2.0.0"))
    assert listed("--path", str(newer)) == [("builtin", "builtin", "1.0.0"), ("team", "--path", "2.0.0")]
    text = run("--path", str(newer), "packs", "list").stdout
    assert f"  shadows user: {user}" in text
    result = run("--path", str(newer), "search", "--json", "--pack", "team", "late", "delivery")
    assert json.loads(result.stdout)[0]["text"] == "Sorry it's late, from team 2.0.0."


def test_repeated_path_options_keep_their_order(tmp_path):
    first = write_tree(tmp_path / "one", pack_files("same", "1.0.0"))
    second = write_tree(tmp_path / "two", pack_files("same", "2.0.0"))
    assert listed("--path", str(first), "--path", str(second))[-1] == ("same", "--path", "2.0.0")
    assert listed("--path", str(second), "--path", str(first))[-1] == ("same", "--path", "1.0.0")


def test_a_broken_pack_never_takes_search_down(tmp_path):
    broken = write_tree(tmp_path / "broken", {"pack.yaml": "name: broken\nphrases: [oops\n"})
    result = run("--path", str(broken), "search", "--json", "late", "delivery")
    assert result.exit_code == 0
    assert json.loads(result.stdout)
    assert f"warning: skipped {broken / 'pack.yaml'}" in result.stderr or f"skipped {broken}" in result.stderr
    assert "YAML syntax error" in result.stderr
    assert "phrasekit packs validate" in result.stderr


def test_a_missing_phrasekit_path_folder_warns(tmp_path, monkeypatch):
    monkeypatch.setenv("PHRASEKIT_PATH", str(tmp_path / "nowhere"))
    result = run("search", "late", "delivery")
    assert result.exit_code == 0
    assert "PHRASEKIT_PATH names a folder that does not exist" in result.stderr


def test_a_missing_path_option_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["--path", str(tmp_path / "nope"), "search", "x"])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr


def test_installed_pack_without_pack_yaml_is_reported(tmp_path, monkeypatch):
    monkeypatch.setattr("phrasekit.packs._entry_point_dirs", lambda: [(tmp_path, "ghost = ghost_pkg"), (None, "x = y")])
    _, problems, _ = discover_packs()
    assert [p.message for p in problems] == [
        "installed pack 'ghost = ghost_pkg' has no pack.yaml in its package",
        "installed pack 'x = y' has no pack.yaml in its package",
    ]


def test_phrase_files_and_synonyms_of_a_pack(tmp_path):
    pack = write_tree(tmp_path / "widgets", {
        "pack.yaml": "name: widgets\nsynonyms:\n  widget: [gizmo]\n",
        "phrases/hardware.yaml": """
            phrases:
              - id: widget-broken
                category: apology
                text: "Sorry about your widget."
                situations: [widget broken]
            """,
    })  # fmt: skip
    loaded = load_packs([pack])
    assert [p.full_id for p in loaded.pack("widgets").phrases] == ["widgets/widget-broken"]
    result = run("--path", str(pack), "search", "--json", "--pack", "widgets", "gizmo", "broken")
    assert [row["id"] for row in json.loads(result.stdout)] == ["widgets/widget-broken"]
