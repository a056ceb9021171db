"""A reading learned from labelled replies, for the families whose wordings no list holds.

``check``'s rules and role readings (``reading.py``, ``roles.py``) decide each sentence from
what it says and who acts in it. Fresh wordings of blame, passing the buck, talking down,
policy as a wall, promises with no time and non-apologies still slip past them. This reading
weighs the whole draft's words and word pairs with one logistic model per family, trained on
the labelled reply corpora in ``tests/fixtures/replies`` by ``benchmarks/train_learned.py``,
which writes ``learned.json`` beside this module. It speaks only where the rules found nothing
of that family, only when the model is sure (``CONFIDENT``), and it names the sentence that
weighs most. It needs nothing but the standard library: no extra, no model download.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from pathlib import Path

WEIGHTS = Path(__file__).with_name("learned.json")

FAMILIES = ("blame", "pass-the-buck", "condescension", "policy-wall", "vague-time", "non-apology")
"""The families learned: those decided by meaning, not by a form (capitals, length, a number)."""

CONFIDENT = 0.85
"""The probability a family must reach before it is reported. Chosen by leaving each training
corpus out in turn (``train_learned.py --cross``, 33 corpora): on the corpus left out, the rules
find 1,825 of 2,582 problems of these families with 171 false findings; at 0.85 the learned
reading adds 234 true findings for 69 false ones, and 34 of 2,923 good replies get a finding they
did not have; at 0.8, 264 for 99 and 47; at 0.9, 199 for 41 and 19. Most replies a lead reads
are good ones, so a false alarm costs more than a miss here."""

WINDOW = 6
"""A longer draft is weighed six sentences at a time and its worst stretch counts: the training
replies are that long or shorter (95% of them), and a long email's many words must not add up
to a family no part of it says."""

_TOKEN_RE = re.compile(r"[a-z0-9']+|[!?]|[.,;:]")
_DIGITS_RE = re.compile(r"\d+")
_NEGATIONS = frozenset("not no never nothing nobody none nor without cannot".split())
_CLAUSE_ENDS = frozenset(".,;:!?")


def features(text: str) -> set[str]:
    """The words and pairs of adjacent words of ``text``, lower-cased, digits as ``0`` (an
    order number or a price says nothing of blame), and each word after a negation, up to the
    end of its clause, marked as negated ("you don't need to contact the courier" is not
    "contact the courier"). Training and checking read text the same way."""
    words = []
    negated = False
    for token in _TOKEN_RE.findall(_DIGITS_RE.sub("0", text.lower().replace("\u2019", "'"))):
        if token in _CLAUSE_ENDS:
            negated = False
            if token in "!?":
                words.append(token)
            continue
        words.append("not_" + token if negated else token)
        if token in _NEGATIONS or token.endswith("n't"):
            negated = True
    return {*words, *(f"{a} {b}" for a, b in zip(words, words[1:], strict=False))}


Model = dict[str, tuple[float, dict[str, float]]]
"""Each family's bias and its weights by feature."""


@lru_cache(maxsize=1)
def model() -> Model:
    """Each family's bias and feature weights, read once per process; empty when the file is
    missing or unreadable (the rules still work)."""
    import json

    try:
        data = json.loads(WEIGHTS.read_text(encoding="utf-8"))
        return {
            family: (float(spec["bias"]), {str(k): float(v) for k, v in spec["weights"].items()})
            for family, spec in data["families"].items()
            if family in FAMILIES
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return {}


def probability(text: str, family: str, trained: Model | None = None) -> float:
    """How sure the model (``trained``, else the shipped one) is that ``text`` is of ``family``
    (0 when it has no weights for it)."""
    found = (model() if trained is None else trained).get(family)
    if found is None:
        return 0.0
    bias, weights = found
    return _sigmoid(bias + sum(weights.get(feature, 0.0) for feature in features(text)))


def _sigmoid(logit: float) -> float:
    return 1.0 / (1.0 + math.exp(-max(-60.0, min(60.0, logit))))


_APOLOGY_RE = re.compile(r"\b(?:sorry|apologi[sz]e[sd]?|apologies|regret)\b", re.IGNORECASE)


def _places(family: str, sentences: list[str], stretch: range) -> list[int]:
    """The sentences of ``stretch`` the family can be said of, as the family is defined; none when
    the draft's own words rule it out. The model weighs words, not what they do: a promise with a
    day named, an apology that owns the fault, a rule with something instead are not the family,
    however their words weigh."""
    from . import reading

    if family == "vague-time":  # a promise, with no time, that is no pleasantry
        return [n for n in stretch if reading.commits(sentences[n]) and not reading.names_time(sentences[n])
                and not reading.pleasantry(sentences[n])]  # fmt: skip
    if family == "non-apology":  # an apology that owns nothing
        text = " ".join(sentences[n] for n in stretch)
        if reading.owns_fault(text):
            return []
        return [n for n in stretch if _APOLOGY_RE.search(sentences[n])]
    if family == "blame":  # someone other than the writer named as a doer, and not owned or taken on
        from .roles import names_someone

        return [n for n in stretch if names_someone(sentences[n]) and not reading.owns_fault(sentences[n])
                and not reading.takes_it_on(sentences[n])]  # fmt: skip
    if family == "pass-the-buck":  # not a move to a private message, nor an emergency line
        return [n for n in stretch if not reading.to_private_channel(sentences[n])
                and not reading.emergency(sentences[n])]  # fmt: skip
    if family == "policy-wall":  # a rule with no reason and no way on anywhere near it
        from .roles import way_on

        if way_on(" ".join(sentences[n] for n in stretch)):
            return []
        return list(stretch)
    return list(stretch)


def read(
    sentences: list[str],
    skip: frozenset[str] = frozenset(),
    trained: Model | None = None,
    threshold: float | None = None,
) -> list[tuple[int, str]]:
    """The (sentence number, family) pairs the model is sure of for a draft split into
    ``sentences``, for the families not in ``skip`` (those the rules already found): in the
    stretch of ``WINDOW`` sentences the model is surest of, the sentence the family can be said
    of (``_places``) whose own words weigh most toward it. ``trained`` is a model to use instead
    of the shipped one, and ``threshold`` a probability to use instead of ``CONFIDENT``
    (``train_learned.py`` measures its folds and thresholds so). Each stretch's and each
    sentence's words are read once for all the families."""
    trained = model() if trained is None else trained
    families = [family for family in FAMILIES if family not in skip and family in trained]
    if not sentences or not families:
        return []
    stretches = [
        features(" ".join(sentences[start : start + WINDOW])) for start in range(max(1, len(sentences) - WINDOW + 1))
    ]
    own: dict[int, set[str]] = {}
    found = []
    for family in families:
        bias, weights = trained[family]
        logits = [bias + sum(weights.get(f, 0.0) for f in stretch) for stretch in stretches]
        start = max(range(len(logits)), key=logits.__getitem__)
        if _sigmoid(logits[start]) < (CONFIDENT if threshold is None else threshold):
            continue
        places = _places(family, sentences, range(start, min(len(sentences), start + WINDOW)))
        for n in places:
            if n not in own:
                own[n] = features(sentences[n])
        scores = {n: sum(weights.get(f, 0.0) for f in own[n]) for n in places}
        best = max(places, key=scores.__getitem__, default=None)
        if best is not None and scores[best] > 0.0:  # a sentence whose own words lean toward the family
            found.append((best, family))
    return found


_CLAUSE_RE = re.compile(r"[,;:\u2013\u2014]|\s-\s")
EXCERPT = 60
"""Characters of a learned finding's excerpt, as the other findings' excerpts."""


def cue(sentence: str, family: str, trained: Model | None = None) -> tuple[int, int]:
    """Where in ``sentence`` its finding of ``family`` is best shown: the clause holding the word
    or word pair that weighs most toward the family, at most ``EXCERPT`` characters from a little
    before that word; the whole sentence's start when no word can be found again."""
    weights = (model() if trained is None else trained).get(family, (0.0, {}))[1]
    weight, heaviest = max(((weights.get(f, 0.0), f) for f in features(sentence)), default=(0.0, ""))
    if weight <= 0.0:
        return 0, min(len(sentence), EXCERPT)
    words = [word.removeprefix("not_") for word in heaviest.split(" ")]
    parts = [re.escape(word).replace("'", "['\u2019]").replace("0", r"\d+") for word in words]
    found = re.search(r"(?<!\w)" + r"\W+".join(parts) + r"(?!\w)", sentence, re.IGNORECASE)
    if found is None:
        return 0, min(len(sentence), EXCERPT)
    starts = [m.end() for m in _CLAUSE_RE.finditer(sentence, 0, found.start())]
    start = starts[-1] if starts else 0
    end_mark = _CLAUSE_RE.search(sentence, found.end())
    end = end_mark.start() if end_mark else len(sentence)
    start = max(start, found.start() - 15)
    if start > 0 and sentence[start - 1].isalnum():  # not from inside a word
        gap = re.search(r"\W", sentence[start : found.start()])
        start = start + gap.end() if gap else found.start()
    start += len(sentence[start:]) - len(sentence[start:].lstrip())
    return start, min(end, start + EXCERPT)
