"""Pack format v1 rules, through `phrasekit packs validate PATH`: every problem, with its exact place."""

import json

import pytest
from click.testing import CliRunner

from helpers import read_yaml, stalling_pack, write_tree
from phrasekit.cli import cli
from phrasekit.packs import builtin_pack_dir, read_pack

CHANNELS_ALLOWED = "(allowed: phone, email, chat, sms, social)"
PHRASE_KEYS = "(allowed: id, category, text, family, situations, tags, channels, tone, title, source)"
CATEGORY_HELP = "(use a built-in one, see 'phrasekit categories', or declare it under 'categories:' in pack.yaml)"
DUPLICATE_KEY_HELP = "YAML keeps only one of them, remove or rename the other"

GOOD_PHRASES = """
phrases:
  - id: ok
    category: apology
    text: "Sorry."
"""


def validate(*args):
    return CliRunner().invoke(cli, ["packs", "validate", *map(str, args)], catch_exceptions=False)


def findings_of(pack, files=None):
    """Validate ``pack`` (written from ``files`` first): exit 2, no traceback, the finding lines."""
    if files is not None:
        write_tree(pack, files)
    result = validate(pack)
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    lines = result.stdout.splitlines()
    assert result.stderr == f"{pack}: {len(lines)} problem(s)\n"
    return lines


def manifest_findings(tmp_path, manifest):
    pack = tmp_path / "pack"
    return pack / "pack.yaml", findings_of(pack, {"pack.yaml": manifest})


def phrase(body):
    """pack.yaml for pack 'team' with one phrase whose keys are ``body`` (one key per line)."""
    keys = "".join(f"    {line}\n" for line in body.strip().splitlines())
    return "name: team\nphrases:\n  - " + keys[4:]


# Reading the file --------------------------------------------------------------------------------


def test_yaml_syntax_error(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: team\ntitle: a: b\n")
    assert lines == [f"{path}:2:9: YAML syntax error: mapping values are not allowed in this context"]


def test_yaml_syntax_error_names_where_an_unclosed_value_began(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: team\nphrases: [oops\n")
    assert lines == [
        f"{path}:3:1: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence at line 2, column 10)"
    ]


def test_tabs_in_indentation(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: team\nphrases:\n\t- id: a\n  \t  category: apology\n")
    assert lines == [
        f"{path}:3:1: tab in indentation; YAML allows only spaces here",
        f"{path}:4:3: tab in indentation; YAML allows only spaces here",
    ]


def test_file_that_is_not_utf8(tmp_path):
    path, lines = manifest_findings(tmp_path, b"name: team\ntitle: caf\xe9\n")
    assert lines == [f"{path}:2:11: not valid UTF-8 (byte 0xe9); save the file as UTF-8"]


@pytest.mark.parametrize("manifest", ["", "# nothing yet\n"], ids=["empty", "comment-only"])
def test_empty_pack_yaml(tmp_path, manifest):
    path, lines = manifest_findings(tmp_path, manifest)
    assert lines == [f"{path}: pack.yaml is empty; it needs at least 'name:' (run 'phrasekit packs new' for a starter)"]


def test_pack_yaml_that_is_not_a_mapping(tmp_path):
    path, lines = manifest_findings(tmp_path, "- name: team\n")
    assert lines == [f"{path}:1:1: pack.yaml must be a mapping of keys, not a list"]


# The pack's own keys -----------------------------------------------------------------------------


def test_missing_name(tmp_path):
    path, lines = manifest_findings(tmp_path, "title: no name\n")
    assert lines == [f"{path}:1:1: missing required key 'name'"]


@pytest.mark.parametrize("name", ["Team", "team pack", "team_pack", "-team"])
def test_invalid_name(tmp_path, name):
    path, lines = manifest_findings(tmp_path, f"title: x\nname: {name}\n")
    assert lines == [
        f"{path}:2:7: invalid pack name {name!r}: use lowercase letters, digits and dashes (e.g. acme-support)"
    ]


def test_name_of_the_wrong_type(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: [team]\n")
    assert lines == [f"{path}:1:7: 'name' must be a string, not a list"]


def assert_lists_pack_keys(line):
    allowed = line.rsplit("(allowed: ", 1)[1]
    assert allowed.endswith(")")
    assert {"name", "title", "version", "synonyms", "categories", "phrases"} <= set(allowed[:-1].split(", "))


def test_unknown_top_level_key_with_suggestion(tmp_path):
    path, [line] = manifest_findings(tmp_path, "name: team\nphrase:\n  - id: a\n")
    assert line.startswith(f"{path}:2:1: unknown key 'phrase' in pack.yaml; did you mean 'phrases'? (allowed: ")
    assert_lists_pack_keys(line)


def test_unknown_top_level_key_without_a_near_miss(tmp_path):
    path, [line] = manifest_findings(tmp_path, "name: team\nzzz: 1\n")
    assert line.startswith(f"{path}:2:1: unknown key 'zzz' in pack.yaml (allowed: ")
    assert_lists_pack_keys(line)


def test_synonyms_of_the_wrong_type(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: team\nsynonyms: [widget, gizmo]\n")
    assert lines == [f"{path}:2:11: 'synonyms' must be a mapping of word -> list of words, not a list"]


# Phrases -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "body, missing",
    [
        ("category: apology\ntext: Sorry.", "id"),
        ("id: a\ntext: Sorry.", "category"),
        ("id: a\ncategory: apology", "text"),
    ],
)
def test_phrase_without_a_required_key(tmp_path, body, missing):
    path, lines = manifest_findings(tmp_path, phrase(body))
    # pointed at the phrase itself: the '- ' item on line 3
    assert lines == [f"{path}:3:5: missing required key {missing!r}"]


def test_text_that_is_a_list(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: [Sorry, Really sorry]"))
    assert lines == [f"{path}:5:11: 'text' must be a string, not a list"]


def test_situations_that_is_a_mapping(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\nsituations: {late: 1}"))
    assert lines == [f"{path}:6:17: 'situations' must be a list of strings, not a mapping"]


def test_channels_holding_a_number(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\nchannels: [phone, 3]"))
    assert lines == [f"{path}:6:23: unknown channel '3' {CHANNELS_ALLOWED}"]


def test_tags_holding_a_mapping(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\ntags: [ok, {a: 1}]"))
    assert lines == [f"{path}:6:16: each entry of 'tags' must be a string, not a mapping"]


def test_tone_that_is_a_list(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\ntone: [warm]"))
    assert lines == [f"{path}:6:11: 'tone' must be a string, not a list"]


def test_phrases_that_is_a_mapping(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: team\nphrases:\n  id: a\n")
    assert lines == [f"{path}:3:3: 'phrases' must be a list of phrases (each starting with '- id:'), not a mapping"]


def test_phrase_that_is_a_string(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: team\nphrases:\n  - Sorry about that.\n")
    assert lines == [f"{path}:3:5: each phrase must be a mapping with id, category and text, not a string"]


def test_empty_text(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: '   '"))
    assert lines == [f"{path}:5:11: 'text' is empty"]


def test_unknown_category_near_miss_suggests(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apolgy\ntext: Hi"))
    assert lines == [f"{path}:4:15: unknown category 'apolgy'; did you mean 'apology'? {CATEGORY_HELP}"]


def test_unknown_category_far_miss(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: zzzzzz\ntext: Hi"))
    assert lines == [f"{path}:4:15: unknown category 'zzzzzz' {CATEGORY_HELP}"]


def test_a_category_declared_in_pack_yaml_is_known(tmp_path):
    pack = write_tree(tmp_path / "pack", {
        "pack.yaml": "name: team\ncategories:\n  warranty: Warranty explanations\n"
        + GOOD_PHRASES.replace("apology", "warranty"),
    })  # fmt: skip
    result = validate(pack)
    assert (result.exit_code, result.stdout) == (0, f"ok: {pack}: pack 'team', 1 phrases\n")


def test_unknown_channel(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\nchannels: [email, fax]"))
    assert lines == [f"{path}:6:23: unknown channel 'fax' {CHANNELS_ALLOWED}"]


def test_unknown_tone(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\ntone: grumpy"))
    assert lines == [f"{path}:6:11: unknown tone 'grumpy' (allowed: formal, warm, casual)"]


def test_unknown_phrase_key_with_suggestion(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\nsituation: [late]"))
    assert lines == [f"{path}:6:5: unknown key 'situation' in a phrase; did you mean 'situations'? {PHRASE_KEYS}"]


def test_id_with_a_slash(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: team/late-sorry\ncategory: apology\ntext: Hi"))
    assert lines == [
        f"{path}:3:9: id 'team/late-sorry' must not contain '/'; write only the last part ('late-sorry'): "
        "the pack name is added for you"
    ]


def test_id_with_spaces(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: Late Sorry\ncategory: apology\ntext: Hi"))
    assert lines == [f"{path}:3:9: id 'Late Sorry' must not contain spaces; use dashes (e.g. 'late-sorry')"]


def test_id_with_uppercase(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: LateSorry\ncategory: apology\ntext: Hi"))
    assert lines == [f"{path}:3:9: invalid id 'LateSorry': use lowercase letters, digits and dashes"]


# Duplicates --------------------------------------------------------------------------------------


def test_duplicate_id_within_pack_yaml(tmp_path):
    manifest = "name: team\nphrases:\n" + "  - id: ok\n    category: apology\n    text: Hi\n" * 2
    path, lines = manifest_findings(tmp_path, manifest)
    assert lines == [f"{path}:6:9: duplicate id 'ok': also at {path}:3:9"]


def test_duplicate_id_across_pack_yaml_and_a_phrases_file(tmp_path):
    pack = tmp_path / "pack"
    lines = findings_of(pack, {
        "pack.yaml": "name: team\n" + GOOD_PHRASES,
        "phrases/extra.yaml": "# more phrases\n" + GOOD_PHRASES,
    })  # fmt: skip
    assert lines == [
        f"{pack / 'phrases' / 'extra.yaml'}:4:9: duplicate id 'ok': also at {pack / 'pack.yaml'}:4:9",
    ]


def test_duplicate_key_in_one_mapping(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\ntext: Hi\ntext: Hello"))
    assert lines == [f"{path}:6:5: duplicate key 'text' (first at line 5); {DUPLICATE_KEY_HELP}"]


def test_duplicate_top_level_key(tmp_path):
    path, lines = manifest_findings(tmp_path, "name: team\ntitle: A\nname: other\n")
    assert lines == [f"{path}:3:1: duplicate key 'name' (first at line 1); {DUPLICATE_KEY_HELP}"]


# Unsafe YAML -------------------------------------------------------------------------------------


def test_python_tag_is_refused_and_nothing_runs(tmp_path):
    marker = tmp_path / "ran"
    path, lines = manifest_findings(
        tmp_path, phrase(f"id: a\ncategory: apology\ntext: !!python/object/apply:os.system ['touch {marker}']")
    )
    assert not marker.exists()
    assert lines[0] == (
        f"{path}:5:11: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; "
        "only plain data is read"
    )
    # the refused value reads as nothing, so the phrase also lacks its text
    assert lines[1:] == [f"{path}:3:5: missing required key 'text'"]


def test_alias_is_refused(tmp_path):
    path, lines = manifest_findings(
        tmp_path, "name: team\nphrases:\n  - &p {id: a, category: apology, text: Hi}\n  - *p\n"
    )
    assert lines[0] == (
        f"{path}:3:5: this anchored value is reused through an alias (*name); "
        "anchors and aliases are not allowed, write the value out"
    )
    # the alias read as nothing, which is reported as such rather than silently dropped
    assert lines[1:] == [f"{path}:3:5: each phrase must be a mapping with id, category and text, not nothing"]


def test_merge_key_is_refused(tmp_path):
    path, lines = manifest_findings(tmp_path, phrase("id: a\ncategory: apology\n<<: {text: Hi}\ntext: Hi"))
    assert lines == [f"{path}:5:5: merge keys (<<) are not allowed; write the keys out"]


def test_plain_tag_with_an_impossible_value_is_a_finding(tmp_path, monkeypatch):
    monkeypatch.delenv("PHRASEKIT_DEBUG")
    pack = write_tree(tmp_path / "pack", {"pack.yaml": phrase("id: a\ncategory: apology\ntext: !!int abc")})
    result = CliRunner().invoke(cli, ["packs", "validate", str(pack)])
    assert "bug in phrasekit" not in result.output
    assert result.exit_code == 2
    path = pack / "pack.yaml"
    assert result.stdout.splitlines() == [
        f"{path}:5:11: cannot read 'abc' as int; remove the tag",
        f"{path}:3:5: missing required key 'text'",
    ]


# Files and folders -------------------------------------------------------------------------------


def test_phrases_file_that_links_outside_the_pack_is_refused(tmp_path):
    outside = write_tree(tmp_path / "elsewhere", {"secret.yaml": GOOD_PHRASES})
    pack = write_tree(tmp_path / "pack", {"pack.yaml": "name: team\n"})
    (pack / "phrases").mkdir()
    (pack / "phrases" / "link.yaml").symlink_to(outside / "secret.yaml")
    assert findings_of(pack) == [f"{pack / 'phrases' / 'link.yaml'}: points outside its pack; refused"]


def test_phrases_folder_that_links_outside_the_pack_is_refused(tmp_path):
    outside = write_tree(tmp_path / "elsewhere", {"secret.yaml": GOOD_PHRASES})
    pack = write_tree(tmp_path / "pack", {"pack.yaml": "name: team\n"})
    (pack / "phrases").symlink_to(outside, target_is_directory=True)
    assert findings_of(pack) == [f"{pack / 'phrases' / 'secret.yaml'}: points outside its pack; refused"]


def test_phrases_file_that_links_inside_the_pack_is_fine(tmp_path):
    pack = write_tree(tmp_path / "pack", {"pack.yaml": "name: team\n", "shared/common.yaml": GOOD_PHRASES})
    (pack / "phrases").mkdir()
    (pack / "phrases" / "link.yaml").symlink_to(pack / "shared" / "common.yaml")
    result = validate(pack)
    assert (result.exit_code, result.stdout) == (0, f"ok: {pack}: pack 'team', 1 phrases\n")


def test_folder_without_pack_yaml(tmp_path):
    folder = write_tree(tmp_path / "notes", {"phrases/a.yaml": GOOD_PHRASES})
    assert findings_of(folder) == [
        f"{folder}: not a pack: no pack.yaml here (create one with 'phrasekit packs new NAME')"
    ]


def test_path_that_does_not_exist_is_a_usage_error(tmp_path):
    result = CliRunner().invoke(cli, ["packs", "validate", str(tmp_path / "nope")])
    assert result.exit_code == 2
    assert "does not exist" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "content, message",
    [
        ("", "file is empty; a phrases file holds 'phrases:' and a list"),
        ("- id: a\n", "a phrases file must hold 'phrases:' followed by a list of phrases"),
    ],
    ids=["empty", "bare-list"],
)
def test_phrases_file_without_a_phrases_list(tmp_path, content, message):
    pack = tmp_path / "pack"
    lines = findings_of(pack, {"pack.yaml": "name: team\n", "phrases/more.yaml": content})
    where = f"{pack / 'phrases' / 'more.yaml'}" + (":1:1" if content else "")
    assert lines == [f"{where}: {message}"]


def test_phrases_file_with_another_key(tmp_path):
    pack = tmp_path / "pack"
    lines = findings_of(pack, {"pack.yaml": "name: team\n", "phrases/more.yaml": "name: x\n" + GOOD_PHRASES})
    where = pack / "phrases" / "more.yaml"
    assert lines == [f"{where}:1:1: unknown key 'name' in a phrases file (allowed: family, blanks, phrases)"]


# Whole runs ---------------------------------------------------------------------------------------


def test_several_problems_are_all_reported_in_one_run(tmp_path):
    pack = tmp_path / "pack"
    lines = findings_of(pack, {
        "pack.yaml": """
            name: Bad Pack
            phrase: []
            phrases:
              - id: a b
                category: apolgy
                text: Hi
                tone: grumpy
              - category: apology
                text: [x]
            """,
        "phrases/broken.yaml": "phrases: [oops\n",
        "phrases/dupes.yaml": "phrases:\n  - id: c\n    category: apology\n    text: Hi\n    text: Ho\n",
        "phrases/tabs.yaml": "phrases:\n\t- id: d\n",
    })  # fmt: skip
    manifest = pack / "pack.yaml"
    phrases = pack / "phrases"
    pack_keys = lines[0].rsplit("(allowed: ", 1)[1][:-1]
    assert lines == [
        f"{manifest}:2:1: unknown key 'phrase' in pack.yaml; did you mean 'phrases'? (allowed: {pack_keys})",
        f"{manifest}:1:7: invalid pack name 'Bad Pack': use lowercase letters, digits and dashes (e.g. acme-support)",
        f"{manifest}:4:9: id 'a b' must not contain spaces; use dashes (e.g. 'a-b')",
        f"{manifest}:5:15: unknown category 'apolgy'; did you mean 'apology'? {CATEGORY_HELP}",
        f"{manifest}:7:11: unknown tone 'grumpy' (allowed: formal, warm, casual)",
        f"{manifest}:8:5: missing required key 'id'",
        f"{manifest}:9:11: 'text' must be a string, not a list",
        f"{phrases / 'broken.yaml'}:2:1: YAML syntax error: did not find expected ',' or ']' "
        "(while parsing a flow sequence at line 1, column 10)",
        f"{phrases / 'dupes.yaml'}:5:5: duplicate key 'text' (first at line 4); {DUPLICATE_KEY_HELP}",
        f"{phrases / 'tabs.yaml'}:2:1: tab in indentation; YAML allows only spaces here",
    ]


def test_a_clean_pack_exits_0_and_says_ok(tmp_path):
    pack = write_tree(tmp_path / "good", {
        "pack.yaml": "name: good\nversion: 1.0.0\n" + GOOD_PHRASES,
        "phrases/more.yaml": GOOD_PHRASES.replace("id: ok", "id: ok-too"),
    })  # fmt: skip
    result = validate(pack)
    assert result.exit_code == 0
    assert result.stdout == f"ok: {pack}: pack 'good', 2 phrases\n"
    assert result.stderr == ""
    # pack.yaml itself may be named
    result = validate(pack / "pack.yaml")
    assert (result.exit_code, result.stdout) == (0, f"ok: {pack / 'pack.yaml'}: pack 'good', 2 phrases\n")


def test_one_bad_pack_among_good_ones_fails_the_run(tmp_path):
    good = write_tree(tmp_path / "good", {"pack.yaml": "name: good\n" + GOOD_PHRASES})
    bad = write_tree(tmp_path / "bad", {"pack.yaml": "name: Bad\n"})
    result = validate(good, bad)
    assert result.exit_code == 2
    assert result.stdout.splitlines() == [
        f"ok: {good}: pack 'good', 1 phrases",
        f"{bad / 'pack.yaml'}:1:7: invalid pack name 'Bad': use lowercase letters, digits and dashes "
        "(e.g. acme-support)",
    ]


def test_json_output(tmp_path):
    good = write_tree(tmp_path / "good", {"pack.yaml": "name: good\n" + GOOD_PHRASES})
    bad = write_tree(tmp_path / "bad", {"pack.yaml": "name: bad\nphrases:\n  - id: a\n    tone: grumpy\n"})
    result = validate("--json", good, bad)
    assert result.exit_code == 2
    data = json.loads(result.stdout)
    assert isinstance(data, list) and len(data) == 2
    assert data[0] == {"path": str(good), "ok": True, "name": "good", "phrases": 1, "families": 0, "findings": []}
    manifest = str(bad / "pack.yaml")
    assert data[1] == {
        "path": str(bad),
        "ok": False,
        "name": None,
        "phrases": 0,
        "families": 0,
        "findings": [
            {"path": manifest, "line": 3, "column": 5, "message": "missing required key 'category'"},
            {"path": manifest, "line": 3, "column": 5, "message": "missing required key 'text'"},
            {
                "path": manifest,
                "line": 4,
                "column": 11,
                "message": "unknown tone 'grumpy' (allowed: formal, warm, casual)",
            },
        ],
    }
    assert validate("--json", good).exit_code == 0


def test_json_output_for_findings_without_a_line(tmp_path):
    result = validate("--json", tmp_path)
    assert result.exit_code == 2
    [entry] = json.loads(result.stdout)
    assert entry["findings"] == [
        {
            "path": str(tmp_path),
            "line": None,
            "column": None,
            "message": "not a pack: no pack.yaml here (create one with 'phrasekit packs new NAME')",
        }
    ]


BROKEN_PACKS = {
    "syntax": {"pack.yaml": "name: team\nphrases: [oops\n"},
    "tabs": {"pack.yaml": "name: team\n\ttitle: x\n"},
    "encoding": {"pack.yaml": b"name: caf\xe9\n"},
    "empty": {"pack.yaml": ""},
    "list": {"pack.yaml": "- a\n"},
    "scalar": {"pack.yaml": "just words\n"},
    "types": {"pack.yaml": "name: 3.5\nsynonyms: {a: {b: c}}\ncategories: [x]\nphrases: 7\n"},
    "categories": {"pack.yaml": "name: t\ncategories:\n  Bad Name: x\n  ok: {step: 9}\n  other: [1]\n"},
    "unsafe": {"pack.yaml": "name: !!python/name:os.system\nx: &a [1]\ny: *a\nz: {<<: {a: 1}}\n"},
    "impossible-values": {"pack.yaml": "name: !!int abc\ntitle: !!bool maybe\nversion: !!float x\n"},
    "keys": {"pack.yaml": "? [a, b]\n: 1\nnull: 2\n3: 4\n"},
    "phrases": {"pack.yaml": "name: t\nphrases: [1, [], {id: 5, category: 6, text: 7, channels: {a: 1}}]\n"},
    "phrase-files": {"pack.yaml": "name: t\n", "phrases/a.yaml": "[1]\n", "phrases/b.yaml": "phrases: {}\n"},
}


@pytest.mark.parametrize("name", BROKEN_PACKS)
def test_no_traceback_ever(tmp_path, monkeypatch, name):
    """Broken packs validated as a user runs phrasekit, without the debug switch (an unexpected
    error would be turned into exit 3 and "a bug in phrasekit"): exit 2, findings, and never a
    traceback. In-process: that the console entry point keeps the exit code and every line is
    test_cli's ``test_the_console_entry_point_keeps_exit_codes_and_every_line``."""
    monkeypatch.delenv("PHRASEKIT_DEBUG")
    pack = write_tree(tmp_path / name, BROKEN_PACKS[name])
    result = CliRunner().invoke(cli, ["packs", "validate", str(pack)])
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(result.exception)
    assert result.exit_code == 2, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert "bug in phrasekit" not in result.stderr
    assert result.stdout.startswith(str(pack))
    assert result.stderr.endswith(" problem(s)\n")


# The built-in bank ----------------------------------------------------------------------------------


def test_the_builtin_folder_validates():
    result = validate(builtin_pack_dir())
    assert result.exit_code == 0
    assert result.stdout.startswith(f"ok: {builtin_pack_dir()}: pack 'builtin', ")


def test_every_builtin_phrase_file_validates():
    folder = builtin_pack_dir()
    pack, findings = read_pack(folder, "builtin")
    assert findings == []
    assert pack is not None and pack.name == "builtin"
    files = sorted(p for p in folder.glob("**/*.yaml") if p.name != "pack.yaml")
    assert len(files) == 11 + len(pack.families)
    # every phrase of every file was loaded: none dropped silently
    expected = {}
    for path in [folder / "pack.yaml", *files]:
        data = read_yaml(path) or {}
        for item in data.get("phrases") or []:
            expected[item["id"]] = str(path)
    assert {p.id: p.source for p in pack.phrases} == expected
    assert len(pack.phrases) == len(expected) >= 1000
    assert {p.source for p in pack.phrases} >= {str(path) for path in files}


def test_a_broken_manifest_does_not_hide_phrase_file_problems(tmp_path):
    pack = write_tree(tmp_path / "pack", {
        "pack.yaml": "name: team\nphrases: [oops\n",
        "phrases/more.yaml": "phrases:\n  - id: a b\n    category: apology\n    text: Hi\n",
    })  # fmt: skip
    result = CliRunner().invoke(cli, ["packs", "validate", str(pack)])
    assert result.exit_code == 2
    assert f"{pack / 'pack.yaml'}:3:1: YAML syntax error" in result.stdout
    assert f"{pack / 'phrases' / 'more.yaml'}:2:9: id 'a b' must not contain spaces" in result.stdout


def test_validating_the_builtin_folder_counts_all_its_phrases(builtin_pack):
    result = CliRunner().invoke(cli, ["packs", "validate", str(builtin_pack_dir())])
    assert result.exit_code == 0
    pack = builtin_pack
    assert result.stdout.strip().endswith(f"pack 'builtin', {len(pack.phrases)} phrases, {len(pack.families)} families")


# --- avoid: patterns that could stall `phrasekit check` (issue 11, item 2) ---

STALLING = {
    "(a+)+$": "a repeat inside a repeat (like (a+)+ or (.*a){20}) can take exponential time; repeat the inner "
    "part once (a+ instead of (a+)+)",
    "(a|a)*b": "a repeated alternation whose branches can start with the same text",
    "(a|ab)*c": "a repeated alternation whose branches can start with the same text",
    "(.*a){20}": "a repeat inside a repeat",
    "(sorry) \\1": "a backreference (\\1, (?P=name), (?(1)...)) can take exponential time; write the text out again",
    "a{1000000}": "a repeat of more than 1000 ({1000000})",
}


@pytest.mark.parametrize("pattern", STALLING)
def test_an_avoid_pattern_that_could_stall_check_is_refused_at_its_place(tmp_path, pattern):
    pack = stalling_pack(tmp_path / "team", pattern)
    result = validate(pack)
    assert result.exit_code == 2
    assert f"{pack / 'pack.yaml'}:3:14: regular expression {pattern!r} refused: {STALLING[pattern]}" in result.stdout


def test_an_unless_pattern_that_could_stall_is_refused_at_its_place(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        avoid:
          - pattern: '\\bno worries\\b'
            reason: casual
            unless:
              - 'fine'
              - '(x+x+)+y'
        """})  # fmt: skip
    result = validate(pack)
    assert result.exit_code == 2
    assert result.stdout.startswith(f"{pack / 'pack.yaml'}:7:9: regular expression '(x+x+)+y' refused: a repeat")


def test_ordinary_avoid_patterns_still_pass(tmp_path):
    pack = write_tree(tmp_path / "team", {"pack.yaml": """
        name: team
        avoid:
          - pattern: '\\bno worries\\b'
            reason: casual
          - pattern: '\\bsorry\\b.*\\bdelay\\b'
            reason: vague
          - pattern: '\\b(?:just|simply)\\s+(?:restart|reboot)\\b'
            reason: dismissive
            unless: ['\\bI(?:''ll| will)\\b']
        """})  # fmt: skip
    result = validate(pack)
    assert result.exit_code == 0, result.stdout
