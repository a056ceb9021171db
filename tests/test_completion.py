"""Shell completion: `phrasekit completion SHELL` and the items click's protocol gets back, from
the cached index entry, never a traceback and never a build."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from click.testing import CliRunner

from helpers import imports_of, write_tree
from phrasekit.cli import cli


def complete(line: str) -> list[str]:
    """What bash would get for the last word of ``line`` (an empty last word after a space)."""
    words = line.split(" ")
    env = {"_PHRASEKIT_COMPLETE": "bash_complete", "COMP_WORDS": " ".join(["phrasekit", *words]),
           "COMP_CWORD": str(len(words))}  # fmt: skip
    result = CliRunner().invoke(cli, [], env=env, prog_name="phrasekit", catch_exceptions=False)
    assert result.exit_code == 0 and result.stderr == ""
    return [line.partition(",")[2] for line in result.stdout.splitlines() if line]


def test_show_completes_the_bank_s_phrase_ids():
    found = complete("show lost-package-f")
    assert {"lost-package-follow-up", "lost-package-fair"} <= set(found)
    assert all(item.startswith("lost-package-f") for item in found)
    assert "builtin/lost-package-follow-up" in complete("show builtin/lost-package-f")
    assert "lost-package-sorry" in complete("render follow-up-email --pick lost-package-s")


def test_template_names_categories_channels_and_packs_complete():
    assert complete("render follow") == ["follow-up-email"]
    assert complete("templates show so") == ["social-reply"]
    assert complete("search --channel s") == ["sms", "social"]
    assert complete("search -c sat") == ["satisfaction-check"]
    assert complete("search --category f") == ["fair-solution", "follow-up"]
    assert complete("search --pack b") == ["builtin"]


def test_commands_and_options_complete():
    assert complete("sh") == ["show"]
    assert complete("co") == ["completion", "config"]
    assert "--limit" in complete("search --li")
    assert complete("completion ") == ["bash", "zsh", "fish"]


def test_a_team_pack_on_path_completes_its_own_names(tmp_path, prebuilt_index):
    team = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        categories:
          warranty: Explaining the warranty
        phrases:
          - id: gizmo-sorry
            category: warranty
            text: "I'm sorry the warranty claim has been slow."
    """})  # fmt: skip
    prebuilt_index(team)
    assert complete(f"--path {team} search --pack t") == ["team"]
    assert complete(f"--path {team} search -c war") == ["warranty"]
    assert complete(f"--path {team} show giz") == ["gizmo-sorry"]
    assert complete("show giz") == []  # without the --path, not in force


@pytest.mark.fresh_cache
def test_with_no_index_yet_nothing_completes_and_nothing_is_built(isolated_home):
    assert complete("show lost-package-f") == []
    assert complete("render follow") == []
    assert complete("search --channel s") == ["sms", "social"]  # fixed choices need no index
    cache = isolated_home / ".cache" / "phrasekit"
    assert not cache.exists() or not any(cache.glob("index-*"))


@pytest.mark.fresh_cache
def test_a_damaged_index_entry_completes_nothing_and_never_fails(isolated_home):
    from pathlib import Path

    from phrasekit.index import entry_file

    entry = Path(entry_file())
    entry.parent.mkdir(parents=True)
    entry.write_bytes(b"SQLite format 3\x00" + b"\xff" * 4000)
    assert complete("show lost") == []
    assert complete("templates show f") == []


def test_the_completion_callbacks_are_not_imported_by_a_search(isolated_home, tmp_path):
    # the bank's index in this home is the session's, current: one run
    [(second, output)] = imports_of(["search", "--lexical", "late", "delivery"], isolated_home, tmp_path, runs=1)
    assert "phrasekit.completion" not in second and "click.shell_completion" not in second
    assert "sorry" in output.lower()


@pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")
def test_completion_bash_prints_a_script_bash_accepts():
    result = CliRunner().invoke(cli, ["completion", "bash"], catch_exceptions=False)
    assert result.exit_code == 0 and "_PHRASEKIT_COMPLETE=bash_complete" in result.stdout
    checked = subprocess.run(["bash", "-n"], input=result.stdout, capture_output=True, text=True, timeout=20)
    assert checked.returncode == 0, checked.stderr
    loaded = subprocess.run(["bash", "-c", result.stdout + "\ncomplete -p phrasekit"], capture_output=True,
                            text=True, timeout=20)  # fmt: skip
    assert "_phrasekit_completion" in loaded.stdout


@pytest.mark.parametrize("shell", ["zsh", "fish"])
def test_completion_zsh_and_fish_print_their_scripts(shell):
    result = CliRunner().invoke(cli, ["completion", shell], catch_exceptions=False)
    assert result.exit_code == 0 and f"_PHRASEKIT_COMPLETE={shell}_complete" in result.stdout.replace('"', "")


def test_completion_of_an_unknown_shell_is_a_usage_error():
    result = CliRunner().invoke(cli, ["completion", "tcsh"])
    assert result.exit_code == 2 and "tcsh" in result.stderr


def test_a_broken_pack_on_path_never_breaks_completion(tmp_path):
    broken = write_tree(tmp_path / "broken", {"pack.yaml": "name: [oops\n"})
    assert complete(f"--path {broken} show lost-package-fo") == []  # no entry for this set of packs yet
    CliRunner().invoke(cli, ["--path", str(broken), "search", "late parcel"])  # warns, answers, keeps an entry
    assert complete(f"--path {broken} show lost-package-fo") == ["lost-package-follow-up", "lost-package-follow-up-sms"]
    assert complete("--path /no/such/folder show lost-package-fo") == ["lost-package-follow-up",
                                                                         "lost-package-follow-up-sms"]  # fmt: skip
