"""Safe YAML reading with line and column for every problem."""

import time

import pytest

from phrasekit.errors import YamlFileError
from phrasekit.yamlfile import load_yaml, parse_yaml


def test_syntax_error_has_line_and_column():
    with pytest.raises(YamlFileError) as caught:
        parse_yaml("a: 1\nb: [1, 2\nc: 3\n", "f.yaml")
    assert str(caught.value.location).startswith("f.yaml:3:")
    assert "YAML syntax error" in caught.value.message


def test_tabs_are_reported_line_by_line():
    with pytest.raises(YamlFileError) as caught:
        parse_yaml("a:\n\t- 1\nb:\n  \t- 2\n", "f.yaml")
    assert [str(f) for f in caught.value.findings] == [
        "f.yaml:2:1: tab in indentation; YAML allows only spaces here",
        "f.yaml:4:3: tab in indentation; YAML allows only spaces here",
    ]


def test_non_utf8_names_the_byte(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"a: 1\nb: caf\xe9\n")
    with pytest.raises(YamlFileError) as caught:
        load_yaml(path)
    assert str(caught.value.location) == f"{path}:2:7"
    assert "0xe9" in caught.value.message and "UTF-8" in caught.value.message


def test_duplicate_keys_name_both_lines_and_keep_the_first():
    doc = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert doc.data == {"a": 1, "b": 2}
    assert [str(f) for f in doc.findings] == [
        "f.yaml:3:1: duplicate key 'a' (first at line 1); YAML keeps only one of them, remove or rename the other"
    ]


def test_aliases_are_refused_and_a_billion_laughs_stays_small():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 10):
        refs = ", ".join([f"*a{n - 1}"] * 10)
        levels.append(f"a{n}: &a{n} [{refs}]")
    start = time.perf_counter()
    doc = parse_yaml("\n".join(levels) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 5
    assert doc.findings and all("aliases are not allowed" in f.message for f in doc.findings)
    assert doc.data["a9"] == [None] * 10


@pytest.mark.parametrize("tag", ["!!python/object/apply:os.system", "!!python/name:os.system", "!custom"])
def test_tags_that_build_objects_are_refused_and_nothing_runs(tmp_path, tag):
    marker = tmp_path / "ran"
    doc = parse_yaml(f"x: {tag} ['touch {marker}']\n", "f.yaml")
    assert not marker.exists()
    assert doc.data == {"x": None}
    assert "is not allowed; only plain data is read" in doc.findings[0].message
    assert str(doc.findings[0].location) == "f.yaml:1:4"


def test_merge_keys_are_refused():
    doc = parse_yaml("base: {a: 1}\nthing:\n  <<: {a: 1}\n", "f.yaml")
    assert "merge keys" in doc.findings[0].message


def test_empty_file_has_no_data():
    assert parse_yaml("", "f.yaml").data is None
    assert parse_yaml("# only a comment\n", "f.yaml").data is None


def test_several_documents_are_an_error():
    with pytest.raises(YamlFileError) as caught:
        parse_yaml("a: 1\n---\nb: 2\n", "f.yaml")
    assert "f.yaml:2:1" in str(caught.value)


def test_values_stay_plain_and_marks_point_at_them():
    doc = parse_yaml("when: 2024-01-05\nversion: 1.0.0\nitems:\n  - id: x\n    text: hello\n", "f.yaml")
    assert doc.data["when"] == "2024-01-05"
    assert doc.data["version"] == "1.0.0"
    assert doc.location(("items", 0, "text")).line == 5
    assert doc.location(("items", 0, "text"), key=True).column == 5
