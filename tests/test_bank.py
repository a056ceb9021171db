"""The built-in bank keeps to the issue's contract and to the practice."""

import re
from collections import Counter

import pytest

from phrasekit.categories import BUILTIN_CATEGORIES
from phrasekit.packs import builtin_pack_dir, read_pack


@pytest.fixture(scope="module")
def bank():
    pack, findings = read_pack(builtin_pack_dir(), "builtin")
    assert findings == []
    return pack


def test_size_and_categories(bank):
    assert len(bank.phrases) >= 200
    counts = Counter(phrase.category for phrase in bank.phrases)
    for category in BUILTIN_CATEGORIES:
        assert counts[category.name] >= 10, category.name
        assert category.description and category.guidance


def test_core_phrases_are_there_verbatim(bank):
    texts = {phrase.text for phrase in bank.phrases}
    for core in [
        "I'm sorry.",
        "We're going to solve this together.",
        "What do you consider a fair and reasonable solution?",
        "Are you satisfied with this solution, and will you consider doing business with us again?",
        "Thank you for your patience.",
        "Thank you for your loyalty.",
        "Thank you for working with me on this.",
        "I'm sorry we've let you down on this. I'll do everything I can to get it resolved quickly.",
    ]:
        assert core in texts, core


def test_covers_at_least_25_situations_across_channels(bank):
    situations = {s for phrase in bank.phrases for s in phrase.situations}
    families = {phrase.id.split("-")[0] + "-" + phrase.id.split("-")[1] for phrase in bank.phrases if phrase.situations}
    assert len(situations) >= 100
    assert len(families) >= 25
    for channel, least in (("phone", 100), ("email", 100), ("chat", 100), ("social", 25)):
        assert sum(phrase.fits_channel(channel) for phrase in bank.phrases) >= least, channel


BLAME = re.compile(
    r"\b(not my (department|job)|you should have|(warehouse|courier|driver|colleague|co-worker|other team|"
    r"last agent|previous agent)s? (messed|screwed|got it wrong|made a mistake)|per our policy|calm down|"
    r"obviously|nothing I can do|call back later|as I (already )?(said|told you))\b",
    re.IGNORECASE,
)


def test_no_phrase_passes_the_buck_or_blames(bank):
    offenders = [phrase.id for phrase in bank.phrases if BLAME.search(phrase.text)]
    assert offenders == []


def test_ids_and_texts_are_unique(bank):
    assert len({p.id for p in bank.phrases}) == len(bank.phrases)
    repeated = [text for text, n in Counter(p.text for p in bank.phrases).items() if n > 1]
    assert repeated == []
