"""The built-in bank keeps to the practice: families for every common situation and hard moment,
every step of the practice in each, commitments as blanks, nothing a rep cannot say aloud."""

import re
from collections import Counter
from pathlib import Path

import pytest

from phrasekit.categories import BUILTIN_CATEGORIES, BUILTIN_CATEGORY_NAMES
from phrasekit.channels import LIMITS as CHANNEL_LIMITS
from phrasekit.practice import pack_findings

HARD_MOMENTS = (
    "manager-request", "abusive-customer", "refusal", "customer-mistaken", "policy-limit", "outage-no-eta",
    "safety-hazard", "bereavement", "vulnerable-customer", "threat-to-leave", "public-complaint-threat",
    "legal-threat", "accessibility-needs",
)  # fmt: skip
SENSITIVE = {"abusive-customer", "safety-hazard", "bereavement", "vulnerable-customer"}


@pytest.fixture(scope="module")
def bank(builtin_pack):
    assert builtin_pack.findings == []
    return builtin_pack


def test_the_practice_holds_over_every_phrase(bank):
    """No hard-coded time, amount or remedy, no blame, no assumed facts, no unwarranted admission,
    satisfaction checks that ask both questions, channel lengths, no near-duplicates in a family,
    `check` finds nothing, every family has all eleven steps (see phrasekit/practice.py)."""
    assert [str(finding) for finding in pack_findings(bank)] == []


def test_families_cover_every_common_situation_and_hard_moment(bank):
    assert len(bank.families) >= 60
    for name in HARD_MOMENTS:
        assert name in bank.families, name
        assert any(p.id.startswith(f"{name}-") for p in bank.phrases if p.family == name)
    assert {name for name, family in bank.families.items() if family.sensitive} >= SENSITIVE
    sectors = Counter(family.sector for family in bank.families.values())
    for sector in ("retail", "telecom", "banking", "travel", "software", "general", "hard-moment"):
        assert sectors[sector] >= 4, sector


def test_each_family_lives_in_its_own_file_with_its_own_ids(bank):
    for phrase in bank.phrases:
        if phrase.family is None:
            continue
        assert Path(phrase.source).name == f"{phrase.family}.yaml", phrase.id
        assert phrase.id.startswith(f"{phrase.family}-"), phrase.id
    for family in bank.families.values():
        assert len(family.situations) >= 10, family.name
        have = {p.category for p in bank.phrases if p.family == family.name}
        assert have == BUILTIN_CATEGORY_NAMES, family.name


def test_each_family_speaks_on_every_channel(bank):
    for family in bank.families:
        phrases = [p for p in bank.phrases if p.family == family]
        for channel in ("phone", "chat", "email", "sms", "social"):
            fitting = [p for p in phrases if p.fits_channel(channel)]
            assert fitting, (family, channel)
            limit = CHANNEL_LIMITS.get(channel)
            assert all(limit is None or len(p.text) <= limit for p in fitting), (family, channel)
        social = [p for p in phrases if p.channels == ("social",)]
        assert any(re.search(r"\b(?:DM|direct message|private message|message us)", p.text, re.I) for p in social)


def test_general_phrases_have_no_situation_and_every_step(bank):
    general = [p for p in bank.phrases if p.general]
    counts = Counter(p.category for p in general)
    for category in BUILTIN_CATEGORIES:
        assert counts[category.name] >= 10, category.name
        assert category.description and category.guidance


def test_core_phrases_are_there_verbatim_and_come_first(bank):
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
    first = {}
    for phrase in bank.phrases:
        if phrase.general:
            first.setdefault(phrase.category, phrase.text)
    assert first["apology"] == "I'm sorry."
    assert first["ally"] == "We're going to solve this together."
    assert first["fair-solution"] == "What do you consider a fair and reasonable solution?"


def test_commitments_are_blanks(bank):
    follow_ups = [p for p in bank.phrases if p.category in ("next-steps", "follow-up")]
    with_blanks = [p for p in follow_ups if p.blanks]
    assert len(with_blanks) >= len(follow_ups) // 2
    assert all(set(p.blanks) <= {"when", "next_step", "channel", "remedy", "order", "amount", "date", "duration",
                                 "reference", "product", "plan", "team", "customer", "agent", "company"}
               for p in bank.phrases)  # fmt: skip


def test_ids_and_texts_are_unique(bank):
    assert len({p.id for p in bank.phrases}) == len(bank.phrases)
    repeated = [text for text, n in Counter(p.text for p in bank.phrases).items() if n > 1]
    assert repeated == []
