"""Pack format v1 rules, through `phrasekit packs validate`: every problem, with its place."""

import json

import pytest
from click.testing import CliRunner

from helpers import write_tree
from phrasekit.cli import cli
from phrasekit.packs import builtin_pack_dir, read_pack

GOOD_PHRASE = """
  - id: ok
    category: apology
    text: "Sorry."
"""


def validate(path, *extra):
    return CliRunner().invoke(cli, ["packs", "validate", *extra, str(path)], catch_exceptions=False)


def findings_for(tmp_path, files):
    pack = write_tree(tmp_path / "pack", files)
    result = validate(pack)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    return pack, result.stdout


@pytest.mark.parametrize(
    "manifest, place, message",
    [
        ("name: team\nphrases: [oops\n", "3:1", "YAML syntax error"),
        ("", "", "pack.yaml is empty"),
        ("title: no name\n", "1:1", "missing required key 'name'"),
        ("name: Team Pack\n", "1:7", "invalid pack name 'Team Pack': use lowercase letters, digits and dashes"),
        ("name: team\nphrases:\n  - category: apology\n    text: Sorry.\n", "3:5", "missing required key 'id'"),
        ("name: team\nphrases:\n  - id: a\n    text: Sorry.\n", "3:5", "missing required key 'category'"),
        ("name: team\nphrases:\n  - id: a\n    category: apology\n", "3:5", "missing required key 'text'"),
        (
            "name: team\nphrases:\n  - id: a\n    category: apology\n    text: [a, b]\n",
            "5:11",
            "'text' must be a string, not a list",
        ),
        (
            "name: team\nphrases:\n  - id: a\n    category: apology\n    text: Hi\n    situations: {a: 1}\n",
            "6:17",
            "'situations' must be a list of strings, not a mapping",
        ),
        (
            "name: team\nphrases:\n  - id: a\n    category: apology\n    text: Hi\n    channels: [3]\n",
            "6:16",
            "unknown channel '3' (allowed: phone, email, chat, social)",
        ),
        (
            "name: team\nphrases:\n  - id: a\n    category: apolgy\n    text: Hi\n",
            "4:15",
            "unknown category 'apolgy'; did you mean 'apology'?",
        ),
        (
            "name: team\nphrases:\n  - id: a\n    category: apology\n    text: Hi\n    channels: [fax]\n",
            "6:16",
            "unknown channel 'fax'",
        ),
        (
            "name: team\nphrases:\n  - id: a\n    category: apology\n    text: Hi\n    tone: grumpy\n",
            "6:11",
            "unknown tone 'grumpy' (allowed: formal, warm, casual)",
        ),
        (
            "name: team\nphrases:\n  - id: team/a\n    category: apology\n    text: Hi\n",
            "3:9",
            "id 'team/a' must not contain '/'",
        ),
        (
            "name: team\nphrases:\n  - id: late sorry\n    category: apology\n    text: Hi\n",
            "3:9",
            "id 'late sorry' must not contain spaces; use dashes (e.g. 'late-sorry')",
        ),
        ("name: team\nphrase:\n  - id: a\n", "2:1", "unknown key 'phrase' in pack.yaml; did you mean 'phrases'?"),
        ("name: team\nname: other\n", "2:1", "duplicate key 'name' (first at line 1)"),
        (
            "name: team\nphrases:\n  - id: a\n    category: apology\n    text: !!python/object/apply:os.system [ls]\n",
            "5:11",
            "YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        (
            "name: team\nphrases:\n  - &p {id: a, category: apology, text: Hi}\n  - *p\n",
            "3:5",
            "anchors and aliases are not allowed",
        ),
    ],
)
def test_each_problem_is_reported_with_its_place(tmp_path, manifest, place, message):
    pack, output = findings_for(tmp_path, {"pack.yaml": manifest})
    expected = f"{pack / 'pack.yaml'}:{place}: " if place else f"{pack / 'pack.yaml'}: "
    assert any(line.startswith(expected) and message in line for line in output.splitlines()), output


def test_tabs_and_non_utf8(tmp_path):
    pack, output = findings_for(tmp_path, {"pack.yaml": "name: team\nphrases:\n\t- id: a\n"})
    assert f"{pack / 'pack.yaml'}:3:1: tab in indentation" in output
    pack, output = findings_for(tmp_path / "b", {"pack.yaml": b"name: team\ntitle: caf\xe9\n"})
    assert f"{pack / 'pack.yaml'}:2:11: not valid UTF-8" in output


def test_duplicate_ids_across_files_name_both_places(tmp_path):
    pack, output = findings_for(tmp_path, {
        "pack.yaml": "name: team\nphrases:" + GOOD_PHRASE,
        "phrases/more.yaml": "phrases:" + GOOD_PHRASE,
    })  # fmt: skip
    assert f"{pack / 'phrases' / 'more.yaml'}:2:9: duplicate id 'ok': also at {pack / 'pack.yaml'}:3:9" in output


def test_all_problems_are_reported_in_one_run(tmp_path):
    pack, output = findings_for(tmp_path, {
        "pack.yaml": "name: Bad\nphrases:\n  - id: a b\n    category: nope\n  - text: 1\n",
        "phrases/x.yaml": "phrases: [oops\n",
        "phrases/empty.yaml": "",
    })  # fmt: skip
    lines = [line for line in output.splitlines() if line.startswith(str(pack))]
    assert len(lines) >= 6
    assert any("x.yaml" in line and "YAML syntax error" in line for line in lines)
    assert any("empty.yaml" in line and "file is empty" in line for line in lines)


def test_a_phrase_file_linking_outside_the_pack_is_refused(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("phrases:" + GOOD_PHRASE)
    pack = write_tree(tmp_path / "pack", {"pack.yaml": "name: team\n"})
    (pack / "phrases").mkdir()
    (pack / "phrases" / "link.yaml").symlink_to(outside)
    result = validate(pack)
    assert result.exit_code == 2
    assert "link.yaml: points outside its pack; refused" in result.stdout


def test_a_folder_without_pack_yaml(tmp_path):
    result = validate(tmp_path)
    assert result.exit_code == 2
    assert f"{tmp_path}: not a pack: no pack.yaml here" in result.stdout


def test_clean_pack_and_json_shape(tmp_path):
    good = write_tree(tmp_path / "good", {"pack.yaml": "name: good\nphrases:" + GOOD_PHRASE})
    bad = write_tree(tmp_path / "bad", {"pack.yaml": "name: bad\nphrases:\n  - id: a\n"})
    result = validate(good)
    assert result.exit_code == 0 and result.stdout == f"ok: {good}: pack 'good', 1 phrases\n"
    result = CliRunner().invoke(cli, ["packs", "validate", "--json", str(good), str(bad)])
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert data[0] == {"path": str(good), "ok": True, "name": "good", "phrases": 1, "findings": []}
    assert data[1]["ok"] is False and data[1]["name"] is None
    first = data[1]["findings"][0]
    assert set(first) == {"path", "line", "column", "message"} and first["line"] == 3


def test_the_builtin_bank_is_clean():
    pack, findings = read_pack(builtin_pack_dir(), "builtin")
    assert findings == [] and len(pack.phrases) >= 200
