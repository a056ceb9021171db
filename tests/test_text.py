"""How text is read: one fold for pack text and queries, words in every script, the stemmer."""

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from phrasekit.text import fold, is_spaceless, stem, words


@pytest.mark.parametrize(
    "typed, key",
    [
        ("ＲＥＦＵＮＤ", "refund"),  # full-width Latin is plain Latin
        ("ﾊﾟｽﾜｰﾄﾞ", "パスワード"),  # half-width katakana is full-width katakana
        ("ﬁle", "file"),  # a ligature is its letters
        ("cafe\u0301", "caf\u00e9"),  # decomposed (NFD) text is composed
        ("İADE", "iade"),  # Turkish dotted capital I
        ("ıslak", "islak"),  # Turkish dotless small i
        ("KIRMIZI", "kirmizi"),  # a capital I is i in every language, so dotless i must be too
        ("i\u0307ade", "iade"),  # the lowercase of İ some software writes (i and a combining dot)
        ("ΟΔΟΣ", "οδοσ"),  # final and medial sigma are one letter
        ("Straße", "strasse"),
        ("del\u200bivered", "delivered"),  # zero-width space
        ("deli\u00advered", "delivered"),  # soft hyphen
        ("\ufeffrefund\u200e", "refund"),  # byte order mark, left-to-right mark
        ("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645", "\u0645\u06cc\u062e\u0648\u0627\u0647\u0645"),  # ZWNJ
        ("\u0915\u094d\u200d\u0937", "\u0915\u094d\u0937"),  # ZWJ in Devanagari
        ("Refund Not Received", "refund not received"),  # ASCII: only lowercased
    ],
)
def test_fold_gives_one_key_for_every_way_of_typing_a_word(typed, key):
    assert fold(typed) == key


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=40))
def test_fold_is_idempotent_and_words_read_the_same_before_and_after_it(text):
    assert fold(fold(text)) == fold(text)
    assert words(fold(text)) == words(text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=80))
def test_ascii_text_reads_exactly_as_before(text):
    """The fast path: every word of the built-in bank is what the ASCII tokeniser always gave."""
    old = re.findall(r"[a-z0-9]+", text.lower().replace("'", "").replace("`", ""))
    assert words(text) == old


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Заказ не пришёл!", ["заказ", "не", "пришёл"]),
        ("η παραγγελία δεν έφτασε", ["η", "παραγγελία", "δεν", "έφτασε"]),
        ("الطلب لم يصل", ["الطلب", "لم", "يصل"]),
        ("ההזמנה לא הגיעה", ["ההזמנה", "לא", "הגיעה"]),
        ("पासवर्ड भूल गया", ["पासवर्ड", "भूल", "गया"]),  # vowel signs (marks) stay inside the word
        ("Şifremi unuttum", ["şifremi", "unuttum"]),
        ("٣ أيام", ["3", "أيام"]),  # digits of any script are digits
        ("I don\u2019t have it", ["i", "dont", "have", "it"]),  # curly apostrophe, as before
        ("£300 🙂 ★", ["300"]),  # symbols and emoji are not words
    ],
)
def test_words_are_letters_and_digits_in_every_script(text, expected):
    assert words(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("注文が届かない", ["注文", "文が", "が届", "届か", "かな", "ない"]),
        ("退款", ["退款"]),
        ("雨", ["雨"]),  # a lone character is read alone
        ("Wi-Fiが切れる", ["wi", "fi", "が切", "切れ", "れる"]),  # Latin words stay words
        ("주문이 안 왔어요", ["주문", "문이", "안", "왔어", "어요"]),
        ("ไม่ถึง", ["ไม่", "ม่ถึ", "ถึง"]),  # Thai: a character keeps its marks
    ],
)
def test_scripts_written_without_spaces_read_as_character_pairs(text, expected):
    assert words(text) == expected


def test_spaceless_scripts_are_told_apart_from_spaced_ones():
    assert all(is_spaceless(c) for c in "注文がカタ한ไ")
    assert not any(is_spaceless(c) for c in "aЖαاאक1")


def test_the_english_stemmer_leaves_other_languages_alone():
    assert stem("deliveries") == stem("delivered") == "deliver"
    assert stem("заказы") == "заказы"
    assert stem("siparişler") == "siparişler"
    assert stem("cafés") == "cafés"


def test_a_word_and_its_nfd_spelling_are_one_word():
    text = "Siparişiniz gecikti"
    assert words(unicodedata.normalize("NFD", text)) == words(text) == ["siparişiniz", "gecikti"]


def _plain_words(text: str) -> list[str]:
    """What a word is, one character at a time: letters and digits of any script, a mark
    continuing the word it follows, other digits as ASCII, spaceless runs as pairs."""
    found: list[str] = []
    word: list[str] = []
    spaceless = False

    def flush() -> None:
        if not spaceless or len(word) == 1:
            found.append("".join(word))
        else:
            found.extend(a + b for a, b in zip(word, word[1:], strict=False))
        word.clear()

    for char in text:
        kind = unicodedata.category(char)[0]
        if kind == "M":
            if word:
                word[-1] += char
        elif kind in "LN":
            if kind == "N" and (digit := unicodedata.decimal(char, None)) is not None:
                char = str(digit)
            if word and is_spaceless(char) != spaceless:
                flush()
            spaceless = is_spaceless(char)
            word.append(char)
        elif word:
            flush()
    if word:
        flush()
    return found


MIXED = st.text(
    st.one_of(
        st.sampled_from("aé注文がカ한ไม่ถึงि्ंदЖ٣1 ,.-_¹\u0301\u093c\u0e48\u0e36\u0e31"),  # marks between scripts
        st.characters(codec=None, exclude_categories=("Cs",)),
    ),
    max_size=30,
)


@settings(max_examples=500, deadline=None)
@given(MIXED)
def test_the_fast_reading_of_words_is_the_plain_one(text):
    """``words`` lets regular expressions do the reading; it must agree with the definition."""
    folded = fold(text).replace("'", "").replace("\u2019", "").replace("\u2018", "").replace("`", "")
    assert words(text) == _plain_words(folded.replace("\u02bc", ""))


def test_every_format_character_of_this_python_is_dropped_and_nothing_else():
    from phrasekit.text import FORMAT_CHARACTERS

    pattern = re.compile(FORMAT_CHARACTERS)
    for code in range(0x110000):
        char = chr(code)
        category = unicodedata.category(char)
        if category == "Cf":
            assert pattern.match(char), hex(code)
        elif pattern.match(char):
            assert category == "Cn", hex(code)  # a format character of a newer Unicode
