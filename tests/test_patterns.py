"""phrasekit.patterns: which rule patterns are refused, how the rest are bounded, and that the
words-in-the-draft shortcut never hides a hit."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import read_yaml
from phrasekit.check import builtin_rules
from phrasekit.patterns import MAX_LENGTH, UNBOUNDED_CAP, Haystack, PatternError, compile_pattern

ROOT = Path(__file__).resolve().parent.parent
RULES = builtin_rules()
DRAFTS = [
    d["text"]
    for name in ("corpus.yaml", "heldout.yaml")
    for d in read_yaml(ROOT / "tests" / "fixtures" / "drafts" / name)["drafts"]
]

REFUSED = {
    "(a+)+$": "a repeat inside a repeat",
    "(a|a)*b": "a repeated alternation whose branches can start with the same text",
    "(a|ab)*c": "a repeated alternation whose branches can start with the same text",
    "(.*a){20}": "a repeat inside a repeat",
    "(\\w+\\s?)+$": "a repeat inside a repeat",
    "(a)\\1": "a backreference",
    "(?P<word>sorry) (?P=word)": "a backreference",
    "(x)?(?(1)a|b)": "a backreference",
    "a{1000000}": "a repeat of more than 1000",
    "x{2000,}": "a repeat of more than 1000",
    ".*sorry.*late": "its repeats can split the text in too many ways",
    "x" * (MAX_LENGTH + 1): "is too long",
    "(unclosed": "invalid regular expression '(unclosed': missing ), unterminated subpattern",
}

ACCEPTED = [
    "\\bno worries\\b",
    "\\bper (?:our|the) terms\\b",
    "\\bsorry\\b.*\\blate\\b",
    "\\b(?:so |such )+bad\\b",
    "\\b(?:a|an|the)?\\s?refunds?\\b",
    "\\bI\\s+will\\s+\\w+",
    "\\b(?:\\w+\\s+){0,2}policy\\b",
    "[^.]{0,40}manager[^.]{0,40}now",
    "[\\w.+-]+@[\\w-]+\\.[\\w.-]+",
]


@pytest.mark.parametrize("pattern", REFUSED, ids=list(REFUSED)[:-2] + ["too-long", "unclosed"])
def test_a_pattern_that_could_stall_is_refused_saying_why(pattern):
    with pytest.raises(PatternError) as caught:
        compile_pattern(pattern, re.IGNORECASE)
    assert REFUSED[pattern] in caught.value.message


@pytest.mark.parametrize("pattern", ACCEPTED)
def test_ordinary_patterns_are_accepted(pattern):
    compile_pattern(pattern, re.IGNORECASE)


def test_refusals_say_what_to_write_instead():
    with pytest.raises(PatternError) as caught:
        compile_pattern("(a+)+$")
    assert "a+ instead of (a+)+" in caught.value.message
    with pytest.raises(PatternError) as caught:
        compile_pattern(".*a.*b")
    assert "[^.]{0,40} instead of .*" in caught.value.message


def test_an_unbounded_repeat_matches_at_most_the_cap():
    assert compile_pattern("a+").match("a" * 1000).end() == UNBOUNDED_CAP
    assert compile_pattern("sorry.*late").search("sorry " + "x" * 50 + " late")
    assert not compile_pattern("sorry.*late").search("sorry " + "x" * UNBOUNDED_CAP + " late")


def test_the_builtin_patterns_are_bounded_too():
    """Every built-in pattern compiles; none matches more than its bounds allow on a long word
    (unbounded, the shouting one took all 5,000 marks of "!!!...")."""
    compiled = [p for rule in RULES for group in (rule.match, rule.unless, rule.require) for p in group]
    assert len(compiled) > 150
    words = ["!" * 5000, "A" * 5000, "1" * 5000, "a." * 2500]
    longest = max((m.end() - m.start() for p in compiled for w in words for m in p.finditer(w)), default=0)
    assert 0 < longest <= UNBOUNDED_CAP + 2


def _could(rules, text):
    """(pattern, it matches, the shortcut lets it run) for every built-in pattern on ``text``."""
    haystack = Haystack(text)
    for rule in rules:
        for group in (rule.match, rule.unless, rule.require):
            for number, pattern in enumerate(group):
                yield pattern, bool(pattern.search(text)), group.may_match(number, haystack)


def test_the_words_shortcut_never_hides_a_hit_in_the_corpus():
    hits = 0
    for text in DRAFTS:
        for pattern, found, allowed in _could(RULES, text):
            assert allowed or not found, (pattern, text)
            hits += found
    assert hits > 100  # the corpus does meet the patterns


WORDS = ["sorry", "Soon", "I'll", "call", "you", "back", "later", "NOT", "my", "department", "policy",
         "\u212a", "\u017f", "SHORTLY", "ASAP", "e-mail", "dana@example.com", "#48213", "12 Mill Lane", ".", "!!",
         "\n", "you'll need to contact", "the courier", "obviously", "just", "relax"]  # fmt: skip


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=25))
def test_the_words_shortcut_never_hides_a_hit(words):
    text = " ".join(words)
    for pattern, found, allowed in _could(RULES, text):
        assert allowed or not found, (pattern, text)


PIECES = sorted({word.strip() or word for rule in RULES for group in (rule.match, rule.unless, rule.require)
                 for one in group.parsed() for words in (one.needs or (), *one.also) for word in words})  # fmt: skip
"""Every piece of literal text a built-in pattern needs: drafts made of them hold some of a
pattern's words and lack others, where the shortcut decides."""


@settings(max_examples=80, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=2, max_size=30))
def test_the_words_shortcut_never_hides_a_hit_when_a_draft_holds_only_some_of_the_words(words):
    text = " ".join(words)
    for pattern, found, allowed in _could(RULES, text):
        assert allowed or not found, (pattern, text)


def test_a_pattern_is_not_compiled_for_a_draft_that_lacks_its_later_words():
    """A draft that holds a pattern's first words but not the words that must follow them
    ("you'll need to contact" without "contact") cannot match it: it is neither compiled nor
    run. Most drafts hold "you", "I" or "as", the first words of most built-in patterns."""
    from phrasekit.errors import Location
    from phrasekit.patterns import Patterns

    group = Patterns(["\\byou(?:'ll| will)? (?:have|need) to (?:call|contact|email)\\b"], re.IGNORECASE,
                     Location("-"), lazy=True)  # fmt: skip
    assert list(group.could_match(Haystack("You will need to wait, I'm sorry."))) == []
    assert group.parsed()[0]._compiled is None
    assert len(list(group.could_match(Haystack("you will need to email them")))) == 1
    assert group[0].search("you will need to email them")


# --- patterns kept in the index (Patterns.stored / Patterns.from_stored) ------------------------


def test_stored_patterns_come_back_the_same_without_being_parsed(monkeypatch):
    """What the index keeps of a rule's patterns gives the same words-in-the-draft shortcut with
    no parsing, and the very same compiled patterns (same code) when they are compiled."""
    from phrasekit.errors import Location
    from phrasekit.patterns import Patterns

    pairs = [(group, group.stored()) for rule in builtin_rules() for group in (rule.match, rule.unless, rule.require)]
    pairs.append((Patterns(["\\bno worries\\b", "(?i)per (?:our|the) policy", "(?P<x>ab)+c"], re.IGNORECASE,
                           Location("-")), None))  # fmt: skip
    pairs[-1] = (pairs[-1][0], pairs[-1][0].stored())

    def refuse(*args, **kwargs):
        raise AssertionError("parsed again")

    with monkeypatch.context() as patched:
        patched.setattr("phrasekit.patterns._parser.parse", refuse)
        read = [(group, Patterns.from_stored(stored, int(group.flags), Location("-"))) for group, stored in pairs]
        for group, again in read:
            assert again.sources == group.sources
            assert [one.needs for one in again.parsed()] == [one.needs for one in group.parsed()]
            assert [one.fold for one in again.parsed()] == [one.fold for one in group.parsed()]
            assert [one.also for one in again.parsed()] == [one.also for one in group.parsed()]
    for group, again in read:  # compiled from their text, with their bounds, when a draft asks
        assert list(again) == list(group)
