"""Ranking phrases for what a rep types.

The interface is small on purpose, so the index behind it can change:

- ``build_index(phrases, synonyms, categories)`` prepares a ``SearchIndex`` (plain data);
- ``rank_phrases(index, query, ...)`` returns ``Hit``s, best first, or none when nothing fits.

How a query is read (``analyze_query``): words are lowercased and rep shorthand is expanded
("cx", "pkg", "2x"); a word the bank never uses is corrected to the closest word it does use
(rapidfuzz, optimal string alignment, one edit for short words, two for long ones); synonyms
from every pack map words and multi-word expressions to a shared head word ("money back" ->
"refund"); filler and stop words drop out. What is left is a list of *slots*: each slot is one
thing the rep said, with the index terms that may stand for it and how much each counts.

How a phrase scores: every slot adds the best of its terms, weighted by how rare the term is
(IDF) and the field it matched in (situations and tags count most, then the category, then the
phrase text). A phrase whose one situation the query covers entirely gets a bonus, so
"double charge" prefers phrases written for exactly that. A query that names a kind of phrase
("late delivery apology") matches the category field too. Nothing is returned when too little
of the query is understood, so "banana bread recipe" gets no answer rather than noise.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from .model import Category, Hit, Phrase
from .text import STOPWORDS, stem, tokens

FIELD_WEIGHTS = {"situations": 1.0, "tags": 0.7, "category": 0.6, "text": 0.45}
FUZZY_WEIGHT = 0.8
SYNONYM_WEIGHT = 0.9
SPAN_WORD_WEIGHT = 0.5
COVERAGE_BONUS = 0.6
LONG_QUERY_SLOTS = 10
ANSWER_GATE = 0.5
TEAM_PREFERENCE = 1.4
BUILTIN_PACK = "builtin"
TOPIC_IDF_SHARE = 0.25
UNDERSTOOD_SHORT = 0.3
UNDERSTOOD_LONG = 0.12
SHORT_QUERY_SLOTS = 5
TAIL_SHARE = 0.25

CATEGORY_WORDS = {
    "listen": "listen listening vent venting hear out",
    "acknowledge": "acknowledge acknowledgement paraphrase recap repeat back",
    "apology": "apology apologize apologise apologies sorry",
    "empathy": "empathy empathize empathise empathetic sympathy sympathize compassion",
    "ally": "ally together same side",
    "ownership": "ownership responsibility responsible accountable accountability",
    "fair-solution": "fair reasonable solution compensation",
    "next-steps": "next steps timeline plan",
    "satisfaction-check": "satisfied satisfaction happy business again",
    "thank-you": "thank thanks grateful gratitude appreciate appreciation",
    "follow-up": "follow followup",
}


LEXICON_SKIP = frozenset(
    [
        "a",
        "an",
        "the",
        "my",
        "me",
        "i",
        "im",
        "ive",
        "id",
        "you",
        "your",
        "youre",
        "we",
        "our",
        "us",
        "they",
        "their",
        "them",
        "he",
        "she",
        "his",
        "her",
        "him",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "am",
        "to",
        "of",
        "for",
        "at",
        "by",
        "with",
        "and",
        "or",
        "so",
        "very",
        "really",
        "just",
        "still",
        "yet",
        "all",
        "any",
        "some",
        "please",
        "too",
        "has",
        "have",
        "had",
    ]
)


def _stems(text: str) -> list[str]:
    return [stem(token) for token in tokens(text)]


def _lexicon_key(words: Sequence[str]) -> tuple[str, ...]:
    return tuple(stem(word) for word in words if word not in LEXICON_SKIP)


def _content_stem(word: str) -> str | None:
    """The stem of a word that carries meaning; ``None`` for stop words and numbers."""
    if word in STOPWORDS or any(ch.isdigit() for ch in word):
        return None
    term = stem(word)
    return None if term in STOPWORDS else term


@dataclass
class Lexicon:
    """Synonyms as sequences of stems, each mapped to the head terms it stands for.

    Articles and pronouns inside a multi-word synonym are skipped when matching ("close my
    account" = "close account"), unless skipping them would leave one word ("not me" stays
    "not me"): those keys match the words exactly as written, in ``exact``.
    """

    entries: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    exact: dict[tuple[str, ...], tuple[str, ...]] = field(default_factory=dict)
    longest: int = 1
    firsts: frozenset[str] = frozenset()

    @classmethod
    def from_synonyms(cls, synonyms: dict[str, Sequence[str]]) -> Lexicon:
        lexicon = cls()
        for head, alternatives in synonyms.items():
            head_stems = _stems(head)
            if not head_stems:
                continue
            head_term = "_".join(head_stems)
            for phrase in (head, *alternatives):
                words = tokens(phrase)
                key = _lexicon_key(words)
                table = lexicon.entries
                if len(words) > 1 and len(key) < 2:
                    key, table = tuple(stem(word) for word in words), lexicon.exact
                if key and head_term not in table.get(key, ()):
                    table[key] = table.get(key, ()) + (head_term,)
                    lexicon.longest = max(lexicon.longest, len(key))
        lexicon.firsts = frozenset(key[0] for key in (*lexicon.entries, *lexicon.exact))
        return lexicon

    def matches(self, words: Sequence[str]) -> list[tuple[int, int, str]]:
        """Every (start, end, head) where a synonym occurs in ``words``."""
        kept = [position for position, word in enumerate(words) if word not in LEXICON_SKIP]
        found = self._scan([stem(words[position]) for position in kept], self.entries, kept)
        if self.exact:
            found += self._scan([stem(word) for word in words], self.exact, list(range(len(words))))
        return found

    def _scan(self, stems: list[str], table: dict, positions: list[int]) -> list[tuple[int, int, str]]:
        found = []
        for start in range(len(stems)):
            if stems[start] not in self.firsts:
                continue
            for size in range(min(self.longest, len(stems) - start), 0, -1):
                for head in table.get(tuple(stems[start : start + size]), ()):
                    found.append((positions[start], positions[start + size - 1] + 1, head))
        return found


def field_terms(text: str, lexicon: Lexicon) -> list[frozenset[str]]:
    """Index terms of a text, grouped by word position: each word's stem plus synonym heads."""
    words = tokens(text)
    groups: list[set[str]] = [set() if (c := _content_stem(w)) is None else {c} for w in words]
    for start, end, head in lexicon.matches(words):
        for position in range(start, end):
            groups[position].add(head)
    return [frozenset(group) for group in groups if group]


@dataclass
class SearchIndex:
    phrases: list[Phrase]
    postings: dict[str, dict[int, float]]
    idf: dict[str, float]
    situations: list[list[list[frozenset[str]]]]
    vocabulary: list[str]
    lexicon: Lexicon
    max_idf: float
    vocabulary_set: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        self.vocabulary_set = frozenset(self.vocabulary)


def build_index(
    phrases: Sequence[Phrase],
    synonyms: dict[str, Sequence[str]] | None = None,
    categories: Iterable[Category] = (),
) -> SearchIndex:
    lexicon = Lexicon.from_synonyms(synonyms or {})
    category_text = dict(CATEGORY_WORDS)
    for category in categories:
        category_text.setdefault(category.name, category.name.replace("-", " "))
    category_groups = {name: field_terms(text, lexicon) for name, text in category_text.items()}
    postings: dict[str, dict[int, float]] = {}
    situations: list[list[list[frozenset[str]]]] = []
    surface: dict[str, int] = {}

    def post(term: str, doc: int, weight: float) -> None:
        entry = postings.setdefault(term, {})
        if entry.get(doc, 0.0) < weight:
            entry[doc] = weight

    for doc, phrase in enumerate(phrases):
        fields = {
            "situations": list(phrase.situations),
            "tags": list(phrase.tags),
            "text": [phrase.text],
        }
        doc_situations = []
        for name, texts in fields.items():
            for text in texts:
                groups = field_terms(text, lexicon)
                if name == "situations" and groups:
                    doc_situations.append(groups)
                for group in groups:
                    for term in group:
                        post(term, doc, FIELD_WEIGHTS[name])
                for word in tokens(text):
                    surface[word] = surface.get(word, 0) + 1
        groups = category_groups.get(phrase.category) or field_terms(phrase.category.replace("-", " "), lexicon)
        for group in groups:
            for term in group:
                post(term, doc, FIELD_WEIGHTS["category"])
        situations.append(doc_situations)
    for key in lexicon.entries:
        for word in key:
            surface.setdefault(word, 0)
    for text in category_text.values():
        for word in tokens(text):
            surface.setdefault(word, 0)
    count = max(len(phrases), 1)
    idf = {term: math.log(1 + (count - len(docs) + 0.5) / (len(docs) + 0.5)) for term, docs in postings.items()}
    vocabulary = sorted((w for w in surface if len(w) >= 4 and not w.isdigit()), key=lambda w: (-surface[w], w))
    return SearchIndex(
        phrases=list(phrases),
        postings=postings,
        idf=idf,
        situations=situations,
        vocabulary=vocabulary,
        lexicon=lexicon,
        max_idf=math.log(1 + (count - 0.5) / 1.5) if count > 1 else 1.0,
    )


@dataclass
class Slot:
    """One thing the rep said: the index terms that may stand for it, with their weights."""

    words: str
    terms: dict[str, float]


def _allowed_edits(word: str) -> int:
    return 1 if len(word) < 8 else 2


def correct_word(word: str, index: SearchIndex) -> str | None:
    """The closest word the bank uses, for a word it does not; ``None`` when nothing is close."""
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    limit = _allowed_edits(word)
    match = extractOne(word, index.vocabulary, scorer=OSA.distance, score_cutoff=limit)
    if match is not None and (len(word) > 5 or match[0][0] == word[0]):
        return match[0]
    if len(word) <= 5 and not any(vowel in word[1:] for vowel in "aeiou"):
        return expand_abbreviation(word, index.vocabulary)
    return None


def expand_abbreviation(word: str, vocabulary: Sequence[str]) -> str | None:
    """A vowel-less abbreviation ("blkd", "dmgd") read as the most common word it abbreviates:
    same first and last letter, its letters in order, at most 2.5 times as long."""
    for candidate in vocabulary:
        if (
            candidate[0] == word[0]
            and candidate[-1] == word[-1]
            and len(word) < len(candidate) <= 2.5 * len(word)
            and _is_subsequence(word, candidate)
        ):
            return candidate
    return None


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(letter in letters for letter in short)


def analyze_query(query: str, index: SearchIndex) -> list[Slot]:
    words = tokens(query)
    fuzzy = [False] * len(words)
    for position, word in enumerate(words):
        if len(word) < 3 or word.isdigit() or word in STOPWORDS:
            continue
        if stem(word) in index.postings or word in index.vocabulary_set:
            continue
        corrected = correct_word(word, index)
        if corrected is not None:
            words[position] = corrected
            fuzzy[position] = True
    stems = [stem(word) for word in words]
    slots: list[Slot] = []
    spans: dict[tuple[int, int], Slot] = {}
    heads_at: dict[int, set[str]] = {}
    inside: set[int] = set()
    for start, end, head in index.lexicon.matches(words):
        if end - start > 1:
            inside.update(range(start, end))
            slot = spans.get((start, end))
            if slot is None:
                slot = spans[(start, end)] = Slot(" ".join(words[start:end]), {})
                slots.append(slot)
            slot.terms[head] = FUZZY_WEIGHT if any(fuzzy[start:end]) else 1.0
        else:
            heads_at.setdefault(start, set()).add(head)
    for position, (word, term) in enumerate(zip(words, stems, strict=True)):
        heads = heads_at.get(position, set())
        content = _content_stem(word)
        if content is None and not heads:
            continue
        base = FUZZY_WEIGHT if fuzzy[position] else 1.0
        if position in inside:
            base *= SPAN_WORD_WEIGHT
        terms = {} if content is None else {term: base}
        for head in heads:
            terms[head] = max(terms.get(head, 0.0), base * (1.0 if head == term else SYNONYM_WEIGHT))
        slots.append(Slot(word, terms))
    return _merge_repeats(slots)


def _merge_repeats(slots: list[Slot]) -> list[Slot]:
    """A word said twice counts once ("late, so late")."""
    seen: set[frozenset[str]] = set()
    unique = []
    for slot in slots:
        key = frozenset(slot.terms)
        if key in seen:
            continue
        seen.add(key)
        unique.append(slot)
    return unique


def rank_phrases(
    index: SearchIndex,
    query: str,
    *,
    limit: int = 5,
    categories: Sequence[str] = (),
    channel: str | None = None,
    packs: Sequence[str] = (),
) -> list[Hit]:
    """The best phrases for ``query``, best first; empty when nothing matches well enough."""
    slots = analyze_query(query, index)
    if not slots:
        return []

    def allowed(doc: int) -> bool:
        phrase = index.phrases[doc]
        return (
            (not categories or phrase.category in categories)
            and (channel is None or phrase.fits_channel(channel))
            and (not packs or phrase.pack in packs)
        )

    long_query = len(slots) > LONG_QUERY_SLOTS
    category_weight = FIELD_WEIGHTS["category"]
    scores: dict[int, float] = {}
    explained: dict[int, float] = {}
    topical: set[int] = set()
    for slot in slots:
        best: dict[int, float] = {}
        reach: dict[int, float] = {}
        for term, weight in slot.terms.items():
            docs = index.postings.get(term)
            if not docs:
                continue
            idf = index.idf[term]
            for doc, field_weight in docs.items():
                if long_query and field_weight == category_weight:
                    field_weight *= 0.5
                value = weight * idf * field_weight
                if value > best.get(doc, 0.0):
                    best[doc] = value
                if weight * idf > reach.get(doc, 0.0):
                    reach[doc] = weight * idf
                if field_weight > FIELD_WEIGHTS["text"] and weight * idf >= TOPIC_IDF_SHARE * index.max_idf:
                    topical.add(doc)
        for doc, value in best.items():
            scores[doc] = scores.get(doc, 0.0) + value
        for doc, value in reach.items():
            explained[doc] = explained.get(doc, 0.0) + value
    if not scores:
        return []
    query_terms = {term for slot in slots for term in slot.terms}
    scored = []
    for doc, lexical in scores.items():
        if not allowed(doc):
            continue
        coverage = 0.0
        for groups in index.situations[doc]:
            covered = sum(1 for group in groups if group & query_terms)
            coverage = max(coverage, covered / len(groups))
        relevance = lexical * (1.0 + COVERAGE_BONUS * coverage)
        preference = 1.0 if index.phrases[doc].pack == BUILTIN_PACK else TEAM_PREFERENCE
        scored.append((relevance * preference, doc, relevance))
    if not scored:
        return []
    scored.sort(
        key=lambda item: (
            -round(item[0], 6),
            _category_rank(index.phrases[item[1]].category),
            index.phrases[item[1]].full_id,
        )
    )
    if not _answers(scored, topical, explained, slots, index):
        return []
    best = scored[0][0]
    return [Hit(index.phrases[doc], score) for score, doc, _ in scored[:limit] if score >= TAIL_SHARE * best]


CATEGORY_ORDER = (
    "apology",
    "empathy",
    "ownership",
    "next-steps",
    "fair-solution",
    "acknowledge",
    "ally",
    "listen",
    "follow-up",
    "thank-you",
    "satisfaction-check",
)


def _category_rank(category: str) -> int:
    """Between equally good phrases, what a rep reaches for first in the moment."""
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)


def _answers(scored, topical, explained, slots, index) -> bool:
    """Whether the query is understood well enough to answer at all.

    The best phrase must be strong (a fair share of the rarest possible match), match through
    a situation, tag or category rather than only stray words of its text, and explain enough
    of what was typed: 30% of the weight of a short query, 12% of a long pasted message.
    """
    total = 0.0
    for slot in slots:
        known = [weight * index.idf[term] for term, weight in slot.terms.items() if term in index.idf]
        total += max(known) if known else index.max_idf
    needed = UNDERSTOOD_SHORT if len(slots) <= SHORT_QUERY_SLOTS else UNDERSTOOD_LONG
    gate = ANSWER_GATE * index.max_idf
    for _, doc, relevance in scored[:3]:
        if relevance >= gate and doc in topical and explained.get(doc, 0.0) >= needed * total:
            return True
    return False


def search(
    query: str,
    *,
    paths: Sequence[str] = (),
    limit: int = 5,
    categories: Sequence[str] = (),
    channel: str | None = None,
    packs: Sequence[str] = (),
):
    """Load the packs in force and rank their phrases; returns ``(hits, problems)``."""
    from .packs import load_packs

    pack_set = load_packs(paths)
    index = build_index(pack_set.phrases, pack_set.synonyms(), pack_set.categories())
    hits = rank_phrases(index, query, limit=limit, categories=categories, channel=channel, packs=packs)
    return hits, pack_set.problems
