"""The learned reading of `check` (phrasekit/learned.py): what it adds a rep sees, and that the
rules stand without it."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import read_yaml
from phrasekit import learned
from phrasekit.cli import cli

BLAME_IN_PASSING = (
    "Hi Tom, the refund was held up because whoever processed your return ticked the wrong box. "
    "It will go through now.\n"
)
"""Blame with no wording the rules know: a nameless co-worker's slip given as the reason."""


def check_json(draft: str, *args: str):
    result = CliRunner().invoke(cli, ["check", "--json", *args, "-"], input=draft)
    return result, json.loads(result.stdout or "[]")


TOY = {"blame": (-4.0, {"whoever": 3.0, "wrong": 3.0, "whoever processed": 1.0})}
"""A model that is sure of blame when a nameless someone got it wrong: the mechanism's tests do
not depend on what training learned."""


@pytest.fixture
def toy_model(monkeypatch):
    monkeypatch.setattr(learned, "model", lambda: TOY)


@pytest.fixture
def no_weights(tmp_path, monkeypatch):
    """phrasekit with its learned.json gone (a damaged install)."""
    monkeypatch.setattr(learned, "WEIGHTS", tmp_path / "learned.json")
    learned.model.cache_clear()
    yield tmp_path / "learned.json"
    learned.model.cache_clear()


def test_blame_in_words_no_rule_knows_is_found_and_named_with_its_sentence(toy_model):
    result, findings = check_json(BLAME_IN_PASSING, "--channel", "email")
    assert result.exit_code == 1
    [blame] = [f for f in findings if f["family"] == "blame"]
    assert blame["sentence"].startswith("Hi Tom, the refund was held up because whoever processed")
    assert blame["kind"] == "reply" and blame["line"] == 1
    # shown at the words that weigh most, not at "Hi Tom,"
    assert blame["column"] > 1 and blame["excerpt"] in BLAME_IN_PASSING and "Hi Tom" not in blame["excerpt"]
    assert BLAME_IN_PASSING.index(blame["excerpt"]) == blame["column"] - 1
    assert "blame" in blame["message"] or "fault" in blame["message"]


def test_a_promise_timed_only_by_our_own_queue_is_a_promise_with_no_time():
    draft = "Your complaint has been logged and will be looked at when a case handler becomes available.\n"
    result, findings = check_json(draft, "--channel", "sms")
    assert result.exit_code == 1
    assert [f["family"] for f in findings] == ["vague-time"]


def test_without_its_weights_the_rules_still_check_and_nothing_breaks(no_weights):
    result, findings = check_json(BLAME_IN_PASSING + "Please calm down.\n", "--channel", "email")
    assert result.exit_code == 1
    families = [f["family"] for f in findings]
    assert "condescension" in families and "blame" not in families


def test_damaged_weights_are_set_aside_not_a_traceback(no_weights):
    no_weights.write_text('{"families": {"blame": {"bias": "x"', encoding="utf-8")
    result, findings = check_json(BLAME_IN_PASSING, "--channel", "email")
    assert result.exit_code == 0 and findings == []
    assert "Traceback" not in result.output


def test_words_the_draft_quotes_are_not_read_as_the_drafts_own(toy_model):
    draft = (
        'Hi Tom, your message said "the refund was held up because whoever processed your return forgot to tick the '
        'box". It will go through now.\n'
    )
    _, findings = check_json(draft, "--channel", "email")
    assert "blame" not in [f["family"] for f in findings]
    _, said = check_json(draft.replace('"', ""), "--channel", "email")
    assert "blame" in [f["family"] for f in said]  # the same words, the draft's own


def test_when_the_sentence_that_says_it_is_owned_no_other_sentence_takes_the_finding(toy_model):
    owned = ["Whoever processed your return got it wrong, and that's on us.", "It will go through now."]
    assert learned.read(owned) == []
    result, findings = check_json(" ".join(owned) + "\n", "--channel", "email")
    assert [f for f in findings if f["family"] == "blame"] == []


def test_a_family_the_rules_found_is_not_said_again(toy_model):
    assert learned.read([BLAME_IN_PASSING], skip=frozenset(learned.FAMILIES)) == []
    assert learned.read([BLAME_IN_PASSING]) == [(0, "blame")]


@settings(max_examples=60, deadline=None)
@given(st.lists(st.text(max_size=80), max_size=6))
def test_any_sentences_give_sentence_numbers_of_the_draft_and_known_families(sentences):
    for number, family in learned.read(sentences):
        assert 0 <= number < len(sentences) and family in learned.FAMILIES
    text = " ".join(sentences)
    assert all(0.0 <= learned.probability(text, family) <= 1.0 for family in learned.FAMILIES)


def test_the_shipped_weights_were_trained_on_the_corpora_as_they_are_now():
    """Retrain (benchmarks/train_learned.py) when a corpus in tests/fixtures/replies changes."""
    from phrasekit.packs import builtin_pack_dir, load_pack

    corpora = Path(__file__).parent / "fixtures" / "replies"
    replies = sum(len(read_yaml(path)["replies"]) for path in corpora.glob("*.yaml"))
    shipped = json.loads(learned.WEIGHTS.read_text(encoding="utf-8"))
    assert shipped["replies"] == replies
    assert shipped["bank_phrases"] == len(load_pack(builtin_pack_dir(), "builtin").phrases)
    assert set(shipped["families"]) == set(learned.FAMILIES)


@settings(max_examples=80, deadline=None)
@given(st.text(max_size=200), st.sampled_from(learned.FAMILIES))
def test_the_words_shown_for_a_finding_are_inside_its_sentence(sentence, family):
    start, end = learned.cue(sentence, family)
    assert 0 <= start <= end <= len(sentence) and end - start <= learned.EXCERPT


def test_the_shipped_model_is_sure_of_plain_blame_and_of_nothing_in_plain_thanks():
    blaming = "The courier lost it and the warehouse sent the wrong one, that's on them, not us."
    assert learned.probability(blaming, "blame") > learned.CONFIDENT
    thanks = "Thank you so much for your kind words, it made our day. Have a lovely weekend!"
    assert all(learned.probability(thanks, family) < 0.5 for family in learned.FAMILIES)
