"""Safe YAML reading (phrasekit/yamlfile.py): plain data only, a line and column for every problem."""

import time

import pytest

from phrasekit.errors import Location, YamlFileError
from phrasekit.yamlfile import decode_utf8, load_yaml, parse_yaml

TAB_MESSAGE = "tab in indentation; YAML allows only spaces here"


def parse_error(text, display="f.yaml"):
    with pytest.raises(YamlFileError) as caught:
        parse_yaml(text, display)
    return caught.value


# Syntax errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, line, column, problem",
    [
        # the ':' after "b" on the second line is where the mapping goes wrong
        ("a: 1\n  b: 2\n", 2, 4, "mapping values are not allowed in this context"),
        ("name: team\ntitle: a: b\n", 2, 9, "mapping values are not allowed in this context"),
        # an unclosed flow list is noticed at the next key; the message says where the list began
        (
            "a: 1\nb: [1, 2\nc: 3\n",
            3,
            2,
            "did not find expected ',' or ']' (while parsing a flow sequence at line 2, column 4)",
        ),
        # an unterminated quote runs to the end; the message says where the value started
        (
            'a: 1\nb: "abc\nc: 3\n',
            4,
            1,
            "found unexpected end of stream (while scanning a quoted scalar at line 2, column 4)",
        ),
    ],
    ids=["indented-key", "colon-in-value", "unclosed-list", "unterminated-quote"],
)
def test_syntax_error_reports_one_based_line_and_column(text, line, column, problem):
    error = parse_error(text)
    assert error.location == Location("f.yaml", line, column)
    assert error.message == f"YAML syntax error: {problem}"
    assert str(error) == f"f.yaml:{line}:{column}: YAML syntax error: {problem}"


def test_syntax_error_column_counts_characters_not_bytes():
    # "éé" is two characters (four bytes); the stray ':' is the sixth character of the line
    assert parse_error("éé: b: c\n").location == Location("f.yaml", 1, 6)


def test_syntax_error_in_a_file_names_the_file(tmp_path):
    path = tmp_path / "pack.yaml"
    path.write_text("name: team\nphrases: [a\n", encoding="utf-8")
    with pytest.raises(YamlFileError) as caught:
        load_yaml(path)
    assert str(caught.value).startswith(f"{path}:3:1: YAML syntax error: ")
    assert "line 2, column 10" in caught.value.message


# Tabs ------------------------------------------------------------------------------------------


def test_every_tab_indented_line_is_reported_with_line_and_column():
    error = parse_error("a:\n\t- 1\nb:\n  \t- 2\nc: 3\n\t\td: 4\n")
    assert [str(f) for f in error.findings] == [
        f"f.yaml:2:1: {TAB_MESSAGE}",
        f"f.yaml:4:3: {TAB_MESSAGE}",
        f"f.yaml:6:1: {TAB_MESSAGE}",
    ]
    assert error.message == "3 line(s) indented with tabs"
    assert error.location == Location("f.yaml")
    assert error.hint == "Indent with spaces."


def test_a_tab_inside_a_value_is_not_indentation():
    doc = parse_yaml("a: 'x\ty'\nb: [1,\t2]\n", "f.yaml")
    assert doc.data == {"a": "x\ty", "b": [1, 2]}
    assert doc.findings == []


# Encoding --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "raw, line, column, byte",
    [
        (b"a: 1\nb: caf\xe9\n", 2, 7, "0xe9"),
        (b"\xff\xfea\x00", 1, 1, "0xff"),  # UTF-16 is not UTF-8 either
        (b"a: 1\r\nb: 2\r\nc: \xff\r\n", 3, 4, "0xff"),
    ],
    ids=["latin-1", "utf-16", "crlf"],
)
def test_non_utf8_bytes_report_line_and_column_of_the_bad_byte(tmp_path, raw, line, column, byte):
    path = tmp_path / "f.yaml"
    path.write_bytes(raw)
    with pytest.raises(YamlFileError) as caught:
        load_yaml(path)
    assert caught.value.location == Location(str(path), line, column)
    assert caught.value.message == f"not valid UTF-8 (byte {byte}); save the file as UTF-8"


def test_a_utf8_byte_order_mark_is_accepted(tmp_path):
    path = tmp_path / "f.yaml"
    path.write_bytes(b"\xef\xbb\xbfname: caf\xc3\xa9\n")
    doc = load_yaml(path)
    assert doc.data == {"name": "café"}
    assert doc.location(("name",), key=True) == Location(str(path), 1, 1)


def test_bad_byte_after_a_byte_order_mark_is_located_correctly():
    # the BOM is invisible in an editor: it neither shifts the column nor hides the bad byte
    with pytest.raises(YamlFileError) as caught:
        decode_utf8(b"\xef\xbb\xbfa: 1\nb: 2\nc: \xff\n", "f.yaml")
    assert caught.value.location == Location("f.yaml", 3, 4)
    assert "0xff" in caught.value.message


# Duplicate keys --------------------------------------------------------------------------------


def test_duplicate_key_names_both_lines_and_keeps_the_first_value():
    doc = parse_yaml("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert doc.data == {"a": 1, "b": 2}
    assert [str(f) for f in doc.findings] == [
        "f.yaml:3:1: duplicate key 'a' (first at line 1); YAML keeps only one of them, remove or rename the other"
    ]


def test_duplicate_key_in_a_nested_mapping():
    doc = parse_yaml("phrases:\n  - id: x\n    text: first\n    text: second\n", "f.yaml")
    assert doc.data == {"phrases": [{"id": "x", "text": "first"}]}
    assert [str(f) for f in doc.findings] == [
        "f.yaml:4:5: duplicate key 'text' (first at line 3); YAML keeps only one of them, remove or rename the other"
    ]


def test_the_same_key_in_different_mappings_is_fine():
    doc = parse_yaml("phrases:\n  - id: a\n  - id: b\nid: c\n", "f.yaml")
    assert doc.data == {"phrases": [{"id": "a"}, {"id": "b"}], "id": "c"}
    assert doc.findings == []


# Anchors, aliases, merge keys ------------------------------------------------------------------


def test_an_alias_is_refused_and_yields_nothing():
    doc = parse_yaml("base: &b {a: 1}\ncopy: *b\n", "f.yaml")
    assert doc.data == {"base": {"a": 1}, "copy": None}
    assert [str(f) for f in doc.findings] == [
        "f.yaml:1:7: this anchored value is reused through an alias (*name); "
        "anchors and aliases are not allowed, write the value out"
    ]


def test_a_billion_laughs_finishes_fast_with_findings_not_a_huge_structure():
    levels = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for n in range(1, 30):  # expanded, this would be 10**30 strings
        refs = ", ".join([f"*a{n - 1}"] * 10)
        levels.append(f"a{n}: &a{n} [{refs}]")
    start = time.perf_counter()
    doc = parse_yaml("\n".join(levels) + "\n", "bomb.yaml")
    assert time.perf_counter() - start < 60  # a hang guard: expanded, it would never end
    # one finding per anchored value that is reused (a0 .. a28), each on its own line
    assert len(doc.findings) == 29
    assert [f.location.line for f in doc.findings] == list(range(1, 30))
    assert all("anchors and aliases are not allowed" in f.message for f in doc.findings)
    assert doc.data["a0"] == ["lol"] * 10
    assert doc.data["a29"] == [None] * 10
    assert len(repr(doc.data)) < 5_000


@pytest.mark.parametrize(
    "text",
    ["base: {a: 1}\nthing:\n  <<: {a: 2}\n  c: 3\n", "base: &b {a: 1}\nthing:\n  <<: *b\n  c: 3\n"],
    ids=["inline", "via-alias"],
)
def test_merge_keys_are_refused(text):
    doc = parse_yaml(text, "f.yaml")
    assert doc.data["thing"] == {"c": 3}
    assert [str(f) for f in doc.findings] == ["f.yaml:3:3: merge keys (<<) are not allowed; write the keys out"]


# Tags ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "template",
    [
        "x: !!python/object/apply:os.system ['touch {marker}']\n",
        "x: !!python/object/apply:builtins.open ['{marker}', 'w']\n",
        "x: !!python/object/new:builtins.open ['{marker}', 'w']\n",
        "x: !!python/object/apply:subprocess.call [[touch, '{marker}']]\n",
        "x: !!python/object/apply:os.system {{args: ['touch {marker}']}}\n",
    ],
    ids=["os.system", "open", "new-open", "subprocess", "mapping-form"],
)
def test_python_tags_are_refused_and_nothing_runs(tmp_path, template):
    marker = tmp_path / "ran"
    doc = parse_yaml(template.format(marker=marker), "f.yaml")
    assert not marker.exists()
    assert doc.data == {"x": None}
    assert len(doc.findings) == 1
    assert str(doc.findings[0]).startswith("f.yaml:1:4: YAML tag 'tag:yaml.org,2002:python/")
    assert doc.findings[0].message.endswith("is not allowed; only plain data is read")


def test_a_python_tag_on_the_whole_document_is_refused(tmp_path):
    marker = tmp_path / "ran"
    doc = parse_yaml(f"!!python/object/apply:os.system ['touch {marker}']\n", "f.yaml")
    assert not marker.exists()
    assert doc.data is None
    assert [str(f) for f in doc.findings] == [
        "f.yaml:1:1: YAML tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed; only plain data is read"
    ]


@pytest.mark.parametrize(
    "value, tag",
    [
        ("!custom thing", "!custom"),
        ("!!binary aGVsbG8=", "tag:yaml.org,2002:binary"),
        ("!!set {a, b}", "tag:yaml.org,2002:set"),
        ("!!omap [a: 1]", "tag:yaml.org,2002:omap"),
    ],
)
def test_other_non_plain_tags_are_refused(value, tag):
    doc = parse_yaml(f"keep: 1\nx: {value}\n", "f.yaml")
    assert doc.data == {"keep": 1, "x": None}
    assert [str(f) for f in doc.findings] == [f"f.yaml:2:4: YAML tag {tag!r} is not allowed; only plain data is read"]


def test_explicit_plain_tags_are_fine():
    doc = parse_yaml("a: !!str 007\nb: !!int '12'\nc: !!null ''\n", "f.yaml")
    assert doc.data == {"a": "007", "b": 12, "c": None}
    assert doc.findings == []


@pytest.mark.parametrize(
    "value, read_as",
    [("!!int abc", "'abc' as int"), ("!!bool maybe", "'maybe' as bool"), ("!!float x", "'x' as float")],
)
def test_a_plain_tag_with_an_impossible_value_is_a_finding(value, read_as):
    doc = parse_yaml(f"keep: 1\nx: {value}\n", "f.yaml")
    assert doc.data == {"keep": 1, "x": None}
    assert [str(f) for f in doc.findings] == [f"f.yaml:2:4: cannot read {read_as}; remove the tag"]


# Empty files, several documents ----------------------------------------------------------------


@pytest.mark.parametrize("text", ["", "\n\n", "# only a comment\n", "---\n", "---\n...\n"])
def test_an_empty_file_gives_no_data(text):
    doc = parse_yaml(text, "f.yaml")
    assert doc.data is None
    assert doc.findings == []


def test_an_empty_file_on_disk_gives_no_data(tmp_path):
    path = tmp_path / "empty.yaml"
    path.write_bytes(b"")
    assert load_yaml(path).data is None


def test_several_documents_are_an_error():
    error = parse_error("a: 1\n---\nb: 2\n")
    assert error.location == Location("f.yaml", 2, 1)
    assert error.message == (
        "YAML syntax error: but found another document (expected a single document in the stream at line 1, column 1)"
    )


def test_one_document_with_explicit_markers_is_fine():
    assert parse_yaml("---\na: 1\n...\n", "f.yaml").data == {"a": 1}


def test_an_unreadable_path_is_an_error(tmp_path):
    with pytest.raises(YamlFileError) as caught:
        load_yaml(tmp_path / "missing.yaml")
    assert str(caught.value) == f"{tmp_path / 'missing.yaml'}: cannot read file: No such file or directory"


# Plain values and marks ------------------------------------------------------------------------


def test_timestamps_stay_strings():
    doc = parse_yaml(
        "day: 2024-01-05\nwhen: 2024-01-05 10:30:00\niso: 2024-01-05T10:30:00Z\ntagged: !!timestamp 2024-02-01\n",
        "f.yaml",
    )
    assert doc.data == {
        "day": "2024-01-05",
        "when": "2024-01-05 10:30:00",
        "iso": "2024-01-05T10:30:00Z",
        "tagged": "2024-02-01",
    }
    assert all(type(value) is str for value in doc.data.values())


def test_other_scalars_keep_their_plain_types():
    doc = parse_yaml("s: hi\ni: 3\nf: 1.5\nb: true\nn: null\nv: 1.0.0\n", "f.yaml")
    assert doc.data == {"s": "hi", "i": 3, "f": 1.5, "b": True, "n": None, "v": "1.0.0"}


NESTED = """\
name: team
items:
  - id: x
    text: hello
  - id: y
    nested:
      deep: [a, b]
"""


@pytest.mark.parametrize(
    "path, key, line, column",
    [
        ((), False, 1, 1),
        (("name",), False, 1, 7),
        (("name",), True, 1, 1),
        (("items",), True, 2, 1),
        (("items", 0), False, 3, 5),
        (("items", 0, "text"), False, 4, 11),
        (("items", 0, "text"), True, 4, 5),
        (("items", 1, "id"), False, 5, 9),
        (("items", 1, "nested", "deep"), True, 7, 7),
        (("items", 1, "nested", "deep", 1), False, 7, 17),
        # a key that is not there points at its nearest parent
        (("items", 1, "missing"), True, 5, 5),
        (("items", 1, "nested", "deep", 9), False, 7, 13),
    ],
)
def test_marks_point_at_nested_values(path, key, line, column):
    doc = parse_yaml(NESTED, "f.yaml")
    assert doc.location(path, key=key) == Location("f.yaml", line, column)


def test_marks_table_holds_every_value():
    doc = parse_yaml(NESTED, "f.yaml")
    assert doc.marks[("items", 1, "nested", "deep", 0)] == (7, 14)
    assert doc.key_marks[("items", 1, "nested")] == (6, 5)
    assert not any("<key>" in path for path in doc.marks)


# The quick reader ------------------------------------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from phrasekit.yamlfile import quick_parse_yaml  # noqa: E402

scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-10**6, 10**6), st.text(max_size=12),
    st.sampled_from(["yes", "no", "~", "1.5", "0x1f", "2026-12-01", "null", "- a", "a: b", "#x", "'q'", "=", "<<"]),
)  # fmt: skip
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(min_size=1, max_size=8), inner, max_size=4),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(values, st.sampled_from([False, True]))
def test_the_quick_reader_reads_what_the_careful_one_reads(value, flow):
    import yaml

    text = yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True)
    quick, careful = quick_parse_yaml(text, "f.yaml"), parse_yaml(text, "f.yaml")
    if careful.findings:  # e.g. a key "<<" or a value "=" that YAML reads as a special tag
        assert quick is None
        return
    assert quick is not None
    assert quick.data == careful.data
    assert quick.marks == {path: mark for path, mark in careful.marks.items() if len(path) <= 2 and "<key>" not in path}


@pytest.mark.parametrize(
    "text",
    [
        "a: &x 1\nb: *x\n",  # an alias
        "a: !!python/object:os.system x\n",  # a tag
        "a: 1\na: 2\n",  # a repeated key
        "<<: {a: 1}\n",  # a merge key
        "a:\n\t- b\n",  # a tab
        "a: [1\n",  # a syntax error
        "a: 1\n---\nb: 2\n",  # two documents
        "? [a, b]\n: 1\n",  # a key that is not a string
    ],
)
def test_the_quick_reader_leaves_what_needs_judging_to_the_careful_one(text):
    assert quick_parse_yaml(text, "f.yaml") is None


def test_a_pack_with_a_problem_is_read_again_for_its_exact_place(tmp_path):
    from phrasekit.packs import read_pack

    (tmp_path / "pack.yaml").write_text(
        "name: team\nphrases:\n  - id: a\n    category: apology\n    text: Sorry.\n"
        "  - id: b\n    category: apologyy\n    text: Sorry again.\n"
    )
    pack, findings = read_pack(tmp_path)
    assert pack is None
    assert [(f.location.line, f.location.column) for f in findings] == [(7, 15)]
    assert "did you mean 'apology'" in findings[0].message


@pytest.mark.parametrize(
    "written, number",
    [("001", 1), ("0755", 493), ("1.10", 1.1), ("1:30", 90), ("1_000", 1000), ("0x1f", 31), (".inf", float("inf"))],
)
def test_a_number_that_does_not_read_back_as_written_is_a_finding_at_its_place(written, number):
    # YAML would quietly turn an id "001" into "1" and a text "0755" into "493".
    doc = parse_yaml(f"phrases:\n  - id: {written}\n    text: Sorry.\n", "team/x.yaml")
    assert doc.data["phrases"][0]["id"] == number
    assert [str(finding) for finding in doc.findings] == [
        f'team/x.yaml:2:9: {written!r} is read as the number {number!r}; put it in quotes ("{written}") to keep it'
        " as written"
    ]


def test_a_number_written_plainly_or_quoted_is_no_finding():
    doc = parse_yaml("a: 404\nb: 2.5\nc: -3\nd: '001'\ne: \"0755\"\nf: 1.0\n", "x.yaml")
    assert doc.findings == [] and doc.data == {"a": 404, "b": 2.5, "c": -3, "d": "001", "e": "0755", "f": 1.0}


def test_the_quick_reader_leaves_a_number_not_as_written_to_the_reader_that_says_where():
    from phrasekit.yamlfile import quick_parse_yaml

    assert quick_parse_yaml("id: 404\ntext: '001'\n", "x.yaml").data == {"id": 404, "text": "001"}
    assert quick_parse_yaml("id: 001\n", "x.yaml") is None
