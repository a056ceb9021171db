"""Ranking phrases for what a rep types.

The interface is small on purpose, so the index behind it can change:

- ``index.build_index(phrases, synonyms, categories)`` or ``index.load_index(paths)`` gives an
  ``Index`` (``phrasekit/index.py``: the compiled, cached index);
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

from collections.abc import Sequence
from dataclasses import dataclass

from .index import FIELD_WEIGHTS, Index, build_index
from .model import Hit
from .text import STOPWORDS, content_stem, stem, tokens

__all__ = ["Slot", "analyze_query", "build_index", "rank_phrases", "search"]

FUZZY_WEIGHT = 0.8
SYNONYM_WEIGHT = 0.9
SPAN_WORD_WEIGHT = 0.5
COVERAGE_BONUS = 0.6
COVERAGE_CANDIDATES = 300
LONG_QUERY_SLOTS = 10
TEAM_PREFERENCE = 1.4
BUILTIN_PACK = "builtin"
TOPIC_IDF_FLOOR = 1.0
UNKNOWN_WORD_IDF = 5.0
UNDERSTOOD_SHORT = 0.3
UNDERSTOOD_LONG = 0.12
SHORT_QUERY_SLOTS = 5
TAIL_SHARE = 0.25
NAMED_CATEGORY_BOOST = 1.25
CATEGORY_ORDER = (
    "apology", "empathy", "ownership", "next-steps", "fair-solution", "acknowledge",
    "ally", "listen", "follow-up", "thank-you", "satisfaction-check",
)  # fmt: skip


@dataclass
class Slot:
    """One thing the rep said: the index terms that may stand for it, with their weights."""

    words: str
    terms: dict[str, float]


def correct_word(word: str, index: Index) -> str | None:
    """The closest word the bank uses, for a word it does not; ``None`` when nothing is close.

    Candidates share the word's first letter (typos rarely hit it): one edit for words under
    eight letters, two for longer ones. A vowel-less abbreviation ("blkd", "dmgd") is read as
    the most common word it abbreviates.
    """
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    limit = 1 if len(word) < 8 else 2
    choices = index.words_like(word, len(word) - limit, len(word) + limit)
    match = extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit) if choices else None
    if match is not None:
        return match[0]
    if len(word) <= 5 and not any(vowel in word[1:] for vowel in "aeiou"):
        for candidate in index.words_like(word, len(word) + 1, int(2.5 * len(word))):
            if candidate[-1] == word[-1] and _is_subsequence(word, candidate):
                return candidate
    return None


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(letter in letters for letter in short)


def corrected_words(query: str, index: Index) -> tuple[list[str], list[bool]]:
    """The query's words with the bank's spelling where a word was a typo, and which were."""
    words = tokens(query)
    fuzzy = [False] * len(words)
    for position, word in enumerate(words):
        if len(word) < 3 or word.isdigit() or word in STOPWORDS:
            continue
        if index.term(stem(word)) is not None or index.knows_word(word):
            continue
        corrected = correct_word(word, index)
        if corrected is not None:
            words[position] = corrected
            fuzzy[position] = True
    return words, fuzzy


def analyze_query(query: str, index: Index) -> list[Slot]:
    return _slots(*corrected_words(query, index), index)


def _slots(words: list[str], fuzzy: list[bool], index: Index) -> list[Slot]:
    stems = [stem(word) for word in words]
    lexicon = index.lexicon_for(stems)
    slots: list[Slot] = []
    spans: dict[tuple[int, int], Slot] = {}
    heads_at: dict[int, set[str]] = {}
    inside: set[int] = set()
    for start, end, head in lexicon.matches(words):
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
        content = content_stem(word)
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
    index: Index,
    query: str,
    *,
    limit: int = 5,
    categories: Sequence[str] = (),
    channel: str | None = None,
    packs: Sequence[str] = (),
    semantic=None,
) -> list[Hit]:
    """The best phrases for ``query``, best first; empty when nothing matches well enough.

    With ``semantic`` (a ``semantic.SemanticIndex``) keyword and meaning are fused."""
    words, fuzzy = corrected_words(query, index)
    slots = _slots(words, fuzzy, index)
    if not slots and semantic is None:
        return []

    def allowed(doc: int) -> bool:
        return (
            (not categories or index.category_of(doc) in categories)
            and (channel is None or index.fits_channel(doc, channel))
            and (not packs or index.pack_of(doc) in packs)
        )

    long_query = len(slots) > LONG_QUERY_SLOTS
    weights = list(FIELD_WEIGHTS)
    if long_query:
        weights[2] *= 0.5
    topic_floor = min(TOPIC_IDF_FLOOR, index.max_idf / 2)
    size = index.count
    scores = [0.0] * size
    explained = [0.0] * size
    topical = bytearray(size)
    touched: set[int] = set()
    for slot in slots:
        found = []
        for term, weight in slot.terms.items():
            posting = index.term(term)
            if posting is not None:
                found.append((weight * posting[0], posting[1]))
        if len(found) == 1:
            strength, fields = found[0]
            for code, docs in enumerate(fields):
                value = strength * weights[code]
                for doc in docs:
                    scores[doc] += value
                    explained[doc] += strength
                if code < 3 and strength >= topic_floor:
                    for doc in docs:
                        topical[doc] = 1
                touched.update(docs)
        elif found:
            best: dict[int, float] = {}
            reach: dict[int, float] = {}
            for strength, fields in found:
                for code, docs in enumerate(fields):
                    value = strength * weights[code]
                    for doc in docs:
                        if value > best.get(doc, 0.0):
                            best[doc] = value
                        if strength > reach.get(doc, 0.0):
                            reach[doc] = strength
                    if code < 3 and strength >= topic_floor:
                        for doc in docs:
                            topical[doc] = 1
            for doc, value in best.items():
                scores[doc] += value
                explained[doc] += reach[doc]
            touched.update(best)
    if categories or channel or packs:
        touched = {doc for doc in touched if allowed(doc)}
    gate = (topical if not categories else None, explained, slots)
    if semantic is not None:
        text = " ".join(words) if any(fuzzy) else query
        return _fused(index, query, text, semantic, scores, gate, touched, allowed, limit)
    if not touched:
        return []
    import heapq

    candidates = heapq.nlargest(max(COVERAGE_CANDIDATES, limit * 20), touched, key=scores.__getitem__)
    relevance = _relevance(index, candidates, candidates, scores, slots)
    scored = [(relevance[doc] * _preference(index, doc), doc, None, None) for doc in candidates]
    ranked = _order(index, scored)
    if not _answers([doc for _, doc, _, _ in ranked[:3]], *gate, index):
        return []
    return _hits(index, ranked, limit)


def _relevance(index, docs, situated, scores, slots) -> dict[int, float]:
    """Keyword scores with the bonus for covering one situation entirely (looked up for the
    ``situated`` docs only: the strongest keyword candidates)."""
    query_terms = {term for slot in slots for term in slot.terms}
    situations = index.situation_groups(situated)
    relevance = {}
    for doc in docs:
        coverage = 0.0
        for groups in situations.get(doc, ()):
            coverage = max(coverage, sum(1 for group in groups if group & query_terms) / len(groups))
        relevance[doc] = scores[doc] * (1.0 + COVERAGE_BONUS * coverage)
    return relevance


def _preference(index, doc: int) -> float:
    return 1.0 if index.pack_of(doc) == BUILTIN_PACK else TEAM_PREFERENCE


def _order(index, scored: list[tuple]) -> list[tuple]:
    """Best first; equal scores in the order a rep reaches for them, then by phrase."""
    return sorted(scored, key=lambda item: (-round(item[0], 6), _category_rank(index.category_of(item[1])), item[1]))


def _hits(index, ranked: list[tuple], limit: int) -> list[Hit]:
    """The first ``limit`` of ``ranked`` (score, doc, lexical, semantic), without a weak tail."""
    best = ranked[0][0]
    chosen = [item for item in ranked[:limit] if item[0] >= TAIL_SHARE * best]
    phrases = index.phrases([doc for _, doc, _, _ in chosen])
    return [Hit(phrases[doc], score, lexical, meaning) for score, doc, lexical, meaning in chosen]


def _fused(index, query, text, semantic, scores, gate, touched, allowed, limit):
    """Keyword and meaning together: a weighted sum of the cosine similarity and the keyword
    score normalised by the best keyword score among the candidates."""
    from .semantic import ANSWER_SIMILARITY, CANDIDATES, SEMANTIC_WEIGHT, SUPPORT_SIMILARITY

    np = semantic.encoder.np
    slots = gate[2]
    similarity = semantic.similarities(text)
    order = np.argsort(-similarity)
    by_meaning = []
    for doc in order[: CANDIDATES * 4].tolist():
        if allowed(doc):
            by_meaning.append(doc)
            if len(by_meaning) == CANDIDATES:
                break
    import heapq

    by_keyword = heapq.nlargest(CANDIDATES, touched, key=scores.__getitem__) if touched else []
    candidates = list(dict.fromkeys([*by_keyword, *by_meaning]))
    if not candidates:
        return []
    relevance = _relevance(index, candidates, by_keyword, scores, slots)
    top_keyword = max(relevance.values()) or 1.0
    keyword_ok = bool(slots) and _answers(by_keyword[:3], *gate, index)
    best_meaning = max(float(similarity[d]) for d in candidates)
    wanted = named_categories(index, query) if len(slots) <= LONG_QUERY_SLOTS else set()
    understood = keyword_ok and (best_meaning >= SUPPORT_SIMILARITY or wanted)
    if not (best_meaning >= ANSWER_SIMILARITY or understood):
        return []
    scored = []
    for doc in candidates:
        lexical = relevance[doc] / top_keyword
        fused = SEMANTIC_WEIGHT * float(similarity[doc]) + (1 - SEMANTIC_WEIGHT) * lexical
        if index.category_of(doc) in wanted:
            fused *= NAMED_CATEGORY_BOOST
        scored.append((fused * _preference(index, doc), doc, lexical, float(similarity[doc])))
    return _hits(index, _order(index, scored), limit)


def named_categories(index: Index, query: str) -> set[str]:
    """The kinds of phrase a query asks for by name ("late delivery apology", "offer to call the
    customer back"): an expression counts when all its words are in the query."""
    from .categories import NAMED

    said = {stem(word) for word in tokens(query)}
    wanted = set()
    for name in index.category_names:
        expressions = NAMED.get(name, [name.replace("-", " ")])
        if any({stem(word) for word in tokens(expression)} <= said for expression in expressions):
            wanted.add(name)
    return wanted


def _category_rank(category: str) -> int:
    """Between equally good phrases, what a rep reaches for first in the moment."""
    return CATEGORY_ORDER.index(category) if category in CATEGORY_ORDER else len(CATEGORY_ORDER)


def _answers(top_docs, topical, explained, slots, index) -> bool:
    """Whether the query is understood well enough to answer at all.

    One of the best phrases must match through a situation, tag or category (not only stray
    words of its text) on a term that is not in most phrases (unless the caller named the
    categories, which says what kind of phrase is wanted), and explain enough of what was
    typed: 30% of the weight of a short query, 12% of a long pasted message. A word the bank
    does not know weighs as much as the query's strongest known word, and at least as much as
    a word found in one phrase in 150. Nothing here grows with the size of the bank.
    """
    ceilings = []
    for slot in slots:
        known = [weight * idf for term, weight in slot.terms.items() if (idf := index.idf(term)) is not None]
        ceilings.append(max(known) if known else None)
    strongest = max([UNKNOWN_WORD_IDF, *(c for c in ceilings if c is not None)])
    total = sum(strongest if c is None else c for c in ceilings)
    needed = UNDERSTOOD_SHORT if len(slots) <= SHORT_QUERY_SLOTS else UNDERSTOOD_LONG
    return any((topical is None or topical[doc]) and explained[doc] >= needed * total for doc in top_docs)


def search(
    query: str,
    *,
    paths: Sequence[str] = (),
    limit: int = 5,
    categories: Sequence[str] = (),
    channel: str | None = None,
    packs: Sequence[str] = (),
):
    """Rank the phrases of the packs in force (through the cached index); ``(hits, problems)``."""
    from .index import load_index

    loaded = load_index(paths)
    hits = rank_phrases(loaded.index, query, limit=limit, categories=categories, channel=channel, packs=packs)
    return hits, loaded.problems
