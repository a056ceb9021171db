"""Hostile input: whatever a file, a name, a byte or a query holds, phrasekit answers or says what
is wrong, and never crashes. Each kind of input has its own section."""

import json
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from phrasekit.cli import cli

# ---------------- unicode: queries and packs in any form of any script ----------------

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"
NOTHING_FOUND = "No phrase matches that well enough"


def unicode_search(*args: str):
    result = CliRunner().invoke(cli, [*args[:-1], "search", "--json", "-n", "3", args[-1]])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, [(hit["id"], hit["score"]) for hit in json.loads(result.stdout or "[]")]


@pytest.mark.parametrize(
    "query",
    [
        "ref\u200bund not re\u200bceived",  # zero-width space inside words
        "re\u00adfund not received",  # soft hyphen
        "\u200erefund\u200f not received\ufeff",  # direction marks, byte order mark
        "ｒｅｆｕｎｄ ｎｏｔ ｒｅｃｅｉｖｅｄ",  # full-width Latin
        "ＲＥＦＵＮＤ  ＮＯＴ  ＲＥＣＥＩＶＥＤ",
    ],
)
def test_unicode_invisible_and_full_width_characters_do_not_break_a_query(query):
    plain = unicode_search("refund not received")
    assert plain[0] == 0 and plain[1]
    assert unicode_search(query) == plain


@pytest.mark.parametrize(
    "pack, query",
    [
        ("turkish", "şifremi unuttum"),
        ("greek", "η παραγγελία δεν έφτασε"),
        ("cyrillic", "заказ не пришёл"),
        ("hindi", "रि\u095eंड नहीं मिला"),  # फ़ as one code point, which NFC and NFD both take apart
    ],
)
def test_unicode_nfd_query_reads_as_its_nfc_spelling(pack, query):
    """Decomposed letters (as macOS file names and some keyboards give them) are the same word:
    the same phrases with the same scores, not a typo corrected at a discount."""
    decomposed = unicodedata.normalize("NFD", query)
    assert decomposed != query
    found = unicode_search("--path", str(SCRIPTS / pack), query)
    assert found[0] == 0 and found[1]
    assert unicode_search("--path", str(SCRIPTS / pack), decomposed) == found


@pytest.mark.parametrize("pack, query", [("turkish", "şifremi unuttum"), ("greek", "η παραγγελία δεν έφτασε")])
def test_unicode_nfd_pack_text_reads_as_its_nfc_spelling(tmp_path, pack, query):
    folder = tmp_path / "nfd"
    folder.mkdir()
    text = (SCRIPTS / pack / "pack.yaml").read_text(encoding="utf-8")
    (folder / "pack.yaml").write_text(unicodedata.normalize("NFD", text), encoding="utf-8")
    found = unicode_search("--path", str(SCRIPTS / pack), query)
    assert found[0] == 0 and found[1]
    assert unicode_search("--path", str(folder), query) == found


@pytest.mark.parametrize("query", ["İADE YAPILMADI", "iade yapilmadi", "IADE YAPILMADI", "i\u0307ade yapılmadı"])
def test_unicode_turkish_dotted_and_dotless_i_match_a_plain_i(query):
    """The pack says "İade yapılmadı"; a rep types it in capitals, on a keyboard without Turkish
    letters, or as software lowercases İ (i and a combining dot)."""
    code, hits = unicode_search("--path", str(SCRIPTS / "turkish"), query)
    assert code == 0 and hits[0][0] == "turkish/refund-waiting"


@pytest.mark.parametrize(
    "query", ["🙂", "😡😡😡", "👨\u200d👩\u200d👧", "★ → ©", "£££ €", "\u200b\u200c\u200d", "\u0301\u0302"]
)
def test_unicode_emoji_or_symbols_only_find_nothing(query):
    result = CliRunner().invoke(cli, ["search", query])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout == "" and NOTHING_FOUND in result.stderr


ANY_CHARACTER = st.one_of(
    st.characters(codec=None, exclude_categories=()),  # controls, format, private use, unassigned
    st.characters(categories=["Cs"]),  # lone surrogates (an undecodable byte in argv becomes one)
    st.sampled_from("注文İı\u0307\u200b\u200dｒ\ufdfa"),  # and the characters this section is about
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(ANY_CHARACTER, min_size=1, max_size=30), st.booleans())
def test_unicode_any_query_ends_in_an_answer_or_nothing_found(query, with_packs):
    paths = ["--path", str(SCRIPTS)] if with_packs else []
    result = CliRunner().invoke(cli, [*paths, "search", "--", query])
    if not query.strip() or query == "-":  # "-" reads standard input, empty here
        assert result.exit_code == 2, result.output  # an empty situation is a usage error
    else:
        assert result.exit_code in (0, 1), result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
