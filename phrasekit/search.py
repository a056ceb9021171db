"""Ranking phrases for what a rep types.

The interface is small on purpose, so the index behind it can change:

- ``index.build_index(phrases, synonyms, categories)`` or ``index.load_index(paths)`` gives an
  ``Index`` (``phrasekit/index.py``: the compiled, cached index);
- ``rank_phrases(index, query, ...)`` returns ``Hit``s, best first, or none when nothing fits.

How a query is read (``analyze_query``): its words are read as pack text is (``text.words``: any
script, case and width folded) and rep shorthand is expanded
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

Which family (``_choose``): a phrase's situations include its family's, so the ranking above
already favours the family a query is about. A family counts only when the query says at least
half of one of its situations and enough of the query is explained by them; families compete on
how much of their situations the query says (with semantic ranking, on meaning too). Only the
lead family's words are shown, with a second family's best phrase when the query is also about it
in words the first does not cover. A sensitive family (a death, a hazard, abuse, distress) takes
over when its own telling words are in the query, and then its immediate-safety phrases come
first; telling words of a sensitive moment that no family understands bring the general phrases,
never an unrelated family's. A customer-service text with no family gets the general phrases,
marked ``fallback``; a team's own phrases written for the situation always come first.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import NamedTuple

from .channels import VARIANTS
from .index import CHANNEL_BITS, FIELD_WEIGHTS, Index, build_index, recovering, term_pairs
from .model import Hit
from .text import STOPWORDS, content_stem, is_spaceless, stem, tokens

__all__ = [
    "Slot", "analyze_query", "build_index", "family_counts", "family_for", "phrases_for", "rank_phrases", "search",
]  # fmt: skip

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
SHORT_WORD = 6
UNDERSTOOD_SHORT = 0.3
UNDERSTOOD_LONG = 0.12
SHORT_QUERY_SLOTS = 5
TAIL_SHARE = 0.25
NAMED_CATEGORY_BOOST = 1.25
FAMILY_KEEP_SHARE = 0.8
"""A second family is shown beside the best one when its best phrase scores at least this share
of the best family's: a query about two things ("double charged and the parcel is late")."""
SENSITIVE_SHARE = 0.5
"""A sensitive family (a death, a hazard, a threat, distress) named by its own telling words and
within this share of the best family takes the answer over: its words come first, and no
unrelated family's words come at all."""
FAMILY_MEANING_WEIGHT = 0.6
"""With semantic ranking, which family a text is about weighs its meaning against how much of
the family's situations it says in words (0.85, the phrase ranking's weight, chose worse on the
dev set: family@1 0.72 against 0.76 by keywords alone)."""
SUPPORT_SITUATIONS = 3
"""How many of a family's situations speak for it when families compete for a query."""
SITUATION_COVERED = 0.5
"""A family is what the query is about only when the query says at least half of one of the ways
its situation is described (on the dev set, 0.75 is the median for the right family and 0.33 for
text that has no family; at 0.5 six right answers of 213 become general ones and fifteen wrong
families of 79 do too)."""
MOOD_TERM = "upset"
"""The built-in synonym head for how the customer feels (angry, furious, fed up...): every family
shares it, so it never says which family a situation is."""
STRICT_SHARE = 5 / 3
"""A sensitive family reached without its own telling words must explain this much more of the
text than an ordinary family: half of a short query instead of 30%."""
SAFETY_TAG = "immediate-safety"
SAFETY_LOOK = 60
"""How far down a sensitive family's ranking to look for its immediate-safety phrases."""
TELLING_WORDS = 2
"""Words of one sensitive family's own that make a text a sensitive moment even when that family
is not understood well enough to answer ("her dad died" has two): then the general phrases come,
never another family's. One alone is too often an ordinary word ("the blender died")."""
VARIANT_CHANNELS = VARIANTS
"""Channel versions that are not shown first unless the query or ``--channel`` asks for them."""
CATEGORY_ORDER = (
    "apology", "empathy", "ownership", "next-steps", "fair-solution", "acknowledge",
    "ally", "listen", "follow-up", "thank-you", "satisfaction-check",
)  # fmt: skip


class Slot(NamedTuple):
    """One thing the rep said: the index terms that may stand for it, with their weights."""

    words: str
    terms: dict[str, float]


def correct_word(word: str, index: Index) -> str | None:
    """The closest word the bank uses, for a word it does not; ``None`` when nothing is close.

    Candidates share the word's first letter (typos rarely hit it): one edit for words under
    eight letters, two for longer ones; in words under six letters a changed letter is not
    corrected, only a letter missing, doubled or swapped. A vowel-less abbreviation ("blkd", "dmgd") is read as
    the most common word it abbreviates (English shorthand: only for ASCII words, whose vowels
    are known). The character pairs of a spaceless script are never corrected (``corrected_words``).
    """
    from rapidfuzz.distance import OSA
    from rapidfuzz.process import extractOne

    limit = 1 if len(word) < 8 else 2
    choices = index.words_like(word, len(word) - limit, len(word) + limit)
    if len(word) < SHORT_WORD:
        choices = [choice for choice in choices if not _substitution_only(word, choice)]
    match = extractOne(word, choices, scorer=OSA.distance, score_cutoff=limit) if choices else None
    if match is not None:
        return match[0]
    if len(word) <= 5 and word.isascii() and not any(vowel in word[1:] for vowel in "aeiou"):
        for candidate in index.words_like(word, len(word) + 1, int(2.5 * len(word))):
            if candidate[-1] == word[-1] and _is_subsequence(word, candidate):
                return candidate
    return None


def _substitution_only(word: str, choice: str) -> bool:
    """Same length, one letter changed: in a short word that is more often another real word
    ("tap" and "top", "park" and "part") than a typo, so it is not corrected."""
    return len(word) == len(choice) and sum(a != b for a, b in zip(word, choice, strict=True)) == 1


def _is_subsequence(short: str, long: str) -> bool:
    letters = iter(long)
    return all(letter in letters for letter in short)


def corrected_words(query: str, index: Index) -> tuple[list[str], list[bool]]:
    """The query's words with the bank's spelling where a word was a typo, and which were."""
    words = tokens(query)
    fuzzy = [False] * len(words)
    seen: dict[str, str | None] = {}  # a word said again is looked up once (a long draft repeats many)
    for position, word in enumerate(words):
        if len(word) < 3 or word.isdigit() or word in STOPWORDS or is_spaceless(word[0]):
            continue
        if word not in seen:
            known = index.term(stem(word)) is not None or index.knows_word(word)
            seen[word] = None if known else correct_word(word, index)
        corrected = seen[word]
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
    family_only: bool = False,
) -> list[Hit]:
    """The best phrases for ``query``, best first; empty when nothing matches well enough.

    With ``semantic`` (a ``semantic.SemanticIndex``) keyword and meaning are fused; with
    ``family_only`` only phrases of a family (and the general ones) are considered."""
    if index.count == 0:
        return []
    if index.last_scoring is not None and index.last_scoring[0] == query:
        words, fuzzy, slots, scoring = index.last_scoring[1]
    else:
        words, fuzzy = corrected_words(query, index)
        slots = _slots(words, fuzzy, index)
        scoring = Scoring(index, slots)
        index.last_scoring = (query, (words, fuzzy, slots, scoring))
    scores, touched, beyond_category = scoring.scores, scoring.touched, scoring.beyond_category

    def allowed(doc: int) -> bool:
        return (
            (not categories or index.category_of(doc) in categories)
            and (channel is None or index.fits_channel(doc, channel))
            and (not packs or index.pack_of(doc) in packs)
            and (not family_only or index.doc_family[doc] != 0 or index.is_general(doc))
        )

    if categories or channel or packs or family_only:
        touched = _allowed_docs(index, scoring, categories, channel, packs, family_only)
    needed = _needed(slots, index)
    reading = Reading(query, words, slots, allowed, beyond_category, _demoted_bits(channel, slots), limit)
    if semantic is not None:
        text = " ".join(words) if any(fuzzy) else query
        return _fused(index, query, text, semantic, scoring, touched, allowed, limit, reading, bool(categories),
                      needed)  # fmt: skip
    if not touched:
        return _general(index, [], reading) if _about_service(words) else []
    candidates = _top_scored(touched, scores, max(COVERAGE_CANDIDATES, limit * 20))
    scoring.explain(candidates)
    situated, exact_situated = scoring.situated, scoring.exact_situated
    gate = (scoring.topical if not categories else None, scoring.explained, needed)
    coverage: dict[int, float] = {}
    support: dict[int, float] = {}
    relevance = _relevance(index, candidates, candidates, scores, slots, coverage, support)
    preference = _preference(index)
    scored = [(relevance[doc] * preference(doc), doc, None, None) for doc in candidates]
    ranked = _order(index, scored, reading.demoted)
    answered = _answers([doc for _, doc, _, _ in ranked[:3]], *gate)

    def confident(family: str | None, docs: list[int], strict: bool = False) -> bool:
        if not slots:
            return False
        enough = needed * (STRICT_SHARE if strict else 1.0)
        for doc in docs:  # a loop, not any(): ``_choose`` asks this of each team phrase
            if situated[doc] >= enough and exact_situated[doc] >= 2 and coverage.get(doc, 0.0) >= SITUATION_COVERED:
                return True
        return False

    def strength(doc: int) -> float:
        return situated[doc] * (1.0 + COVERAGE_BONUS * support.get(doc, 0.0))

    return _choose(index, ranked, answered, confident, reading, strength)


SORT_ALL = 8
"""Up to this many times the docs wanted, sorting them all (in C) is quicker than heapq's
selection (a Python loop): measured at 500 of 2,300 docs (3x quicker) and of 25,000 (2x slower)."""


def _top_scored(docs, scores: list[float], count: int) -> list[int]:
    """``heapq.nlargest(count, docs, key=scores.__getitem__)``, ties in the order ``docs`` gives
    them: both ways give exactly that."""
    if len(docs) <= SORT_ALL * count:
        return sorted(docs, key=scores.__getitem__, reverse=True)[:count]
    import heapq

    return heapq.nlargest(count, docs, key=scores.__getitem__)


class Scoring:
    """A query's keyword scores: what of a ranking no filter changes, so a script's rankings of
    one situation for each category score it once (``Index.last_scoring``).

    ``scores`` (by doc) and ``touched`` (the docs any term reached) are worked out for every doc;
    what a doc explains of the query, how much of its situations the query says (and in how many
    exact words) and whether it is on topic only for the docs a ranking asks about (``explain``:
    its candidates), since with a large pack they are a few hundred of tens of thousands. The
    values are summed in the same order either way, so they are the same to the last bit."""

    __slots__ = ("scores", "touched", "beyond_category", "explained", "situated", "exact_situated", "topical",
                 "_slots", "_topic_floor", "_categories", "_pools", "_explanations")  # fmt: skip

    def __init__(self, index: Index, slots: list[Slot]) -> None:
        weights = list(FIELD_WEIGHTS)
        if len(slots) > LONG_QUERY_SLOTS:
            weights[2] *= 0.5
        scores = [0.0] * index.count
        touched: set[int] = set()
        self.beyond_category = False
        self._topic_floor = min(TOPIC_IDF_FLOOR, index.max_idf / 2)
        self._slots = []
        for slot in slots:
            found = []
            for term, weight in slot.terms.items():
                posting = index.term(term)
                if posting is not None:  # as lists: each doc number made an object once, not once per loop
                    found.append((weight * posting[0], tuple(docs.tolist() for docs in posting[1])))
            if not any(fields[2] for _, fields in found):
                self.beyond_category = True
            # Enough for a family: one word as typed, or two corrected ones ("refnd not recieved").
            step = 2 if max(slot.terms.values(), default=0.0) >= 1.0 else 1
            self._slots.append((found, MOOD_TERM not in slot.terms, step))
            if len(found) == 1:  # the common case: each doc is under one field of one term
                strength, fields = found[0]
                for code, docs in enumerate(fields):
                    value = strength * weights[code]
                    for doc in docs:
                        scores[doc] += value
                    touched.update(docs)
                continue
            # Several terms: a doc scores its best term and field, found at C speed (the
            # highest value is written last). ``touched`` takes the docs as one mapping in the
            # order they are first reached: how a set is filled decides the order it gives, and
            # that order breaks ties later.
            reached = []
            first: dict[int, None] = {}
            for strength, fields in found:
                for code, docs in enumerate(fields):
                    value = strength * weights[code]
                    if value > 0.0 and docs:
                        reached.append((value, docs))
                        first.update(dict.fromkeys(docs))
            best: dict[int, float] = {}
            for value, docs in sorted(reached, key=lambda pair: pair[0]):
                best.update(dict.fromkeys(docs, value))
            for doc, value in best.items():
                scores[doc] += value
            touched.update(first)
        self.scores, self.touched = scores, touched
        self.explained: dict[int, float] = {}
        self.situated: dict[int, float] = {}
        self.exact_situated: dict[int, int] = {}
        self.topical: dict[int, int] = {}
        self._categories: tuple[list[int], list[int]] | None = None
        self._pools: dict[int, list[int]] | None = None
        self._explanations = 0

    def categories_of_touched(self, index: Index) -> tuple[list[int], list[int]]:
        """``touched`` as a list, and each of its docs' category numbers (read once)."""
        if self._categories is None:
            ordered = list(self.touched)
            if len(ordered) > 1:  # one C call for all (a bound method called per doc cost a script 13 M instructions)
                from operator import itemgetter

                numbers = list(itemgetter(*ordered)(index.doc_category))
            else:
                numbers = [index.doc_category[doc] for doc in ordered]
            self._categories = (ordered, numbers)
        return self._categories

    def touched_of_category(self, index: Index, number: int) -> list[int]:
        """The docs of ``touched`` in one category, in ``touched``'s order (all categories' at once)."""
        if self._pools is None:
            pools: dict[int, list[int]] = {category: [] for category in range(len(index.category_names))}
            add = [pools[category].append for category in range(len(index.category_names))]
            for doc, category in zip(*self.categories_of_touched(index), strict=True):
                add[category](doc)
            self._pools = pools
        return self._pools.get(number, [])

    def explain(self, docs) -> None:
        """Work out ``explained``, ``situated``, ``exact_situated`` and ``topical`` for ``docs``
        (those not done already)."""
        wanted = {doc for doc in docs if doc not in self.explained}
        if not wanted:
            return
        self._explanations += 1
        if self._explanations == 2:
            # A second ranking of the query (a script's next category): each posting is made a
            # set once, so finding a few hundred docs in it no longer reads all of it.
            self._slots = [([(strength, tuple(map(frozenset, fields))) for strength, fields in found], words, step)
                           for found, words, step in self._slots]  # fmt: skip
        explained = dict.fromkeys(wanted, 0.0)
        situated = dict.fromkeys(wanted, 0.0)
        exact_situated = dict.fromkeys(wanted, 0)
        topical = dict.fromkeys(wanted, 0)
        topic_floor = self._topic_floor
        for found, family_words, step in self._slots:
            bump = (min(step, 2), min(1 + step, 2), 2)  # ``min(exact + step, 2)`` by ``exact``
            if len(found) == 1:
                strength, fields = found[0]
                for code, docs in enumerate(fields):
                    hits = wanted.intersection(docs)
                    if not hits:
                        continue
                    if code == 0 and family_words:
                        for doc in hits:
                            explained[doc] += strength
                            situated[doc] += strength
                            exact_situated[doc] = bump[exact_situated[doc]]
                    else:
                        for doc in hits:
                            explained[doc] += strength
                    if code < 3 and strength >= topic_floor:
                        topical.update(dict.fromkeys(hits, 1))
                continue
            reach: dict[int, float] = {}
            placed: dict[int, float] = {}
            for strength, fields in found:
                for code, docs in enumerate(fields):
                    hits = wanted.intersection(docs)
                    for doc in hits:
                        if strength > reach.get(doc, 0.0):
                            reach[doc] = strength
                    if code == 0:
                        for doc in hits:
                            if strength > placed.get(doc, 0.0):
                                placed[doc] = strength
                    if code < 3 and strength >= topic_floor:
                        topical.update(dict.fromkeys(hits, 1))
            for doc, strength in reach.items():
                explained[doc] += strength
            if family_words:
                for doc, strength in placed.items():
                    situated[doc] += strength
                    exact_situated[doc] = bump[exact_situated[doc]]
        self.explained.update(explained)
        self.situated.update(situated)
        self.exact_situated.update(exact_situated)
        self.topical.update(topical)


def _allowed_docs(index: Index, scoring: Scoring, categories, channel, packs, family_only: bool) -> set[int]:
    """The docs of ``scoring.touched`` that ``rank_phrases``'s ``allowed`` keeps, one filter at a
    time over the index's columns (a script filters every category's candidates; a call per doc
    costs a large pack). Each set is built in the order ``touched`` gives, as ties depend on it."""
    from itertools import compress
    from operator import itemgetter

    docs = scoring.touched
    if categories:  # each doc's category is read once for all of a script's rankings
        wanted = [number for number, name in enumerate(index.category_names) if name in categories]
        if len(wanted) == 1:
            docs = set(scoring.touched_of_category(index, wanted[0]))
        else:
            ordered, numbers = scoring.categories_of_touched(index)
            docs = set(compress(ordered, map(set(wanted).__contains__, numbers)))
    if channel is not None:
        bit, bits = CHANNEL_BITS[channel], index.doc_channels
        fits = [not value or bool(value & bit) for value in range(max(CHANNEL_BITS.values()) * 2)]
        ordered = list(docs)
        docs = set(compress(ordered, map(fits.__getitem__, map(bits.__getitem__, ordered))))
    if packs:
        wanted = {number for number, name in enumerate(index.pack_names) if name in packs}
        ordered = list(docs)
        docs = set(compress(ordered, map(wanted.__contains__, map(index.doc_pack.__getitem__, ordered))))
    if family_only:
        familied = index.familied()
        if len(docs) > 1:  # each doc's byte read in one C call (a bound method called per doc costs far more)
            docs = set(compress(docs, itemgetter(*docs)(familied)))  # a set gives its docs in the same order twice
        else:
            docs = {doc for doc in docs if familied[doc]}
    return docs


def _relevance(
    index, docs, situated, scores, slots, coverage: dict | None = None, support: dict | None = None
) -> dict[int, float]:
    """Keyword scores with the bonus for covering one situation entirely (looked up for the
    ``situated`` docs only: the strongest keyword candidates). ``coverage`` receives each doc's
    best coverage of one situation, ``support`` the mean of its best three: a family that many
    of its situations describe the query by, rather than one that mentions it in passing."""
    from .index import GROUP, RECORD, UNIT

    query_terms = {term for slot in slots for term in slot.terms}
    offsets, ids, table = index.situations()
    relevance = {}
    disjoint = query_terms.isdisjoint
    # Phrases share situations and situations share words: each situation (by number) and
    # group is read once per query (a script ranks one query for each category), and a doc
    # keeps only its largest shares: the best one is its coverage, the best three its support.
    key = frozenset(query_terms)
    if index.known_shares is None or index.known_shares[0] != key:
        index.known_shares = (key, {"": ()}, {}, {}, {0: ()}, {})
    by_text: dict[str, tuple[float, ...]]  # a family's encoded situations
    by_id: dict[int, float]  # a situation's share, by its number in ``table``
    holds: dict[str, bool]
    by_family: dict[int, tuple[float, ...]]  # by family number (``Index.doc_family``)
    by_shares: dict[tuple[float, ...], tuple[float, float]]  # a doc's shares: its coverage and support
    _, by_text, by_id, holds, by_family, by_shares = index.known_shares
    family_numbers, family_names = index.doc_family, index.family_names()
    most = SUPPORT_SITUATIONS

    def share(situation: str) -> float:
        """The share of a situation's groups that hold a query term."""
        groups = situation.split(RECORD)
        held = 0
        for group in groups:
            said = holds.get(group)
            if said is None:
                said = holds[group] = not disjoint(group.split(UNIT))
            held += said
        return held / len(groups)

    def largest(text: str) -> tuple[float, ...]:
        """The ``most`` largest shares of the situations of ``text`` (a family's), largest first."""
        shares = sorted(map(share, text.split(GROUP)), reverse=True)
        found = by_text[text] = tuple(shares[:most])
        return found

    def fill(shares: list, numbers) -> tuple[float, ...]:
        """``shares`` with those ``by_id`` did not know yet worked out."""
        for position, number in enumerate(numbers):
            if shares[position] is None:
                found = by_id.get(number)  # said twice by one phrase
                if found is None:
                    found = by_id[number] = share(table[number])
                shares[position] = found
        return tuple(shares)

    # A doc's shares are its own situations' and the largest three of its family's: the largest
    # three of those are the largest three of all of them, the same values in the same order as
    # sorting all of them, so coverage and support are the same to the last bit.
    get = by_id.get
    every = situated is docs
    if not every:
        situated = set(situated)
    for doc in docs:
        if every or doc in situated:
            shares = tuple(map(get, ids[offsets[doc] : offsets[doc + 1]]))  # known ones at C speed
            if None in shares:
                shares = fill(list(shares), ids[offsets[doc] : offsets[doc + 1]])
            family = family_numbers[doc]
            if family:
                family_shares = by_family.get(family)
                if family_shares is None:
                    text = index.family_text(family_names[family - 1])
                    family_shares = by_family[family] = by_text.get(text) or largest(text)
                shares += family_shares
            found = by_shares.get(shares)  # docs share a few patterns of shares: each worked out once
            if found is None:
                ordered = sorted(shares, reverse=True)
                found = by_shares[shares] = (ordered[0], sum(ordered[:most]) / most) if ordered else (0.0, 0.0)
            coverage_of, support_of = found
        else:
            coverage_of, support_of = 0.0, 0.0
        relevance[doc] = scores[doc] * (1.0 + COVERAGE_BONUS * coverage_of)
        if coverage is not None:
            coverage[doc] = coverage_of
        if support is not None:
            support[doc] = support_of
    return relevance


def _pack_number(index, name: str) -> int:
    """A pack's number in ``index.doc_pack`` (-1 when it is not in force)."""
    return index.pack_names.index(name) if name in index.pack_names else -1


def _preference(index) -> Callable[[int], float]:
    """Each doc's weight by pack: 1.0 for the bank's, ``TEAM_PREFERENCE`` for a team's (read by
    pack number: a ranking asks this of every candidate)."""
    builtin, packs = _pack_number(index, BUILTIN_PACK), index.doc_pack
    return lambda doc: 1.0 if packs[doc] == builtin else TEAM_PREFERENCE


ROUNDING_GAP = 2e-6
"""Two scores further apart than this cannot be equal once rounded to six places (``_order``):
rounding moves each by at most half of 1e-6; the rest is room for the error of the subtraction."""


def _order(index, scored: list[tuple], demoted: int = 0) -> list[tuple]:
    """Best first; equal scores in the order a rep reaches for them, then by phrase. Channel
    versions in ``demoted`` (channel bits) come after the rest.

    That is ``sorted(scored, key=lambda item: (later, -round(score, 6), category rank, doc))``,
    done as stable sorts on one number each, last key first: comparing plain numbers costs a
    fraction of comparing tuples, and ``round`` to six places (a decimal conversion) is worked
    out only for scores close to another but not equal to it, the only ones it can reorder
    (a script sorts thousands)."""
    from itertools import compress, repeat
    from operator import and_, itemgetter, le, ne, sub

    rank_of, width = _category_ranks(index), index.count
    docs = [item[1] for item in scored]
    categories = itemgetter(*docs)(index.doc_category) if len(docs) > 1 else [index.doc_category[d] for d in docs]
    # (category rank, doc) as one number: docs are below ``index.count``.
    ties = [rank_of[category] * width + doc for category, doc in zip(categories, docs, strict=True)]
    order = sorted(range(len(scored)), key=ties.__getitem__)
    values = [-item[0] for item in scored]
    order.sort(key=values.__getitem__)
    ranked = list(map(values.__getitem__, order))
    after = ranked[1:]
    near = list(map(le, map(sub, after, ranked), repeat(ROUNDING_GAP)))
    start = 0
    for position in compress(range(1, len(ranked)), map(and_, near, map(ne, after, ranked))):
        if position <= start:
            continue  # inside a run already put right
        low, high = position - 1, position + 1
        while low > 0 and near[low - 1]:
            low -= 1
        while high < len(ranked) and near[high - 1]:
            high += 1
        order[low:high] = sorted(order[low:high], key=lambda item: (-round(scored[item][0], 6), ties[item]))
        start = high
    if demoted:
        late, channels = [1 if bits != 0 and bits & ~demoted == 0 else 0 for bits in range(256)], index.doc_channels
        later = [late[channels[doc]] for doc in docs]
        order.sort(key=later.__getitem__)
    return list(map(scored.__getitem__, order))


def _category_ranks(index) -> list[int]:
    """``_category_rank`` of each of the index's category numbers (sorting reads one per doc)."""
    if index.category_ranks is None:
        index.category_ranks = [_category_rank(name) for name in index.category_names]
    return index.category_ranks


class Reading(NamedTuple):
    """What a search asked for, beyond its scores: used to choose families and fall back."""

    query: str
    words: list[str]
    slots: list[Slot]
    allowed: Callable[[int], bool]
    beyond_category: bool
    demoted: int
    limit: int


def _demoted_bits(channel: str | None, slots: list[Slot]) -> int:
    """Channel versions (SMS, public posts) a query without ``--channel`` does not see first,
    unless it names that channel ("angry tweet" names social)."""
    if channel is not None:
        return 0
    said = {term for slot in slots for term in slot.terms}
    return sum(CHANNEL_BITS[name] for name in VARIANT_CHANNELS if stem(name) not in said)


def _choose(
    index, ranked, answered: bool, confident, reading: Reading, strength=None, understood: bool | None = None
) -> list[Hit]:
    """Keep the words of the situation's own family (and a second family the query is also
    about), never an unrelated family's; fall back to the general phrases of the practice when
    no family fits a customer-service situation.

    ``confident(family, docs)`` says whether the query is really about that family, and
    ``strength(doc)`` how strongly (by default its score): how much of what was said the
    family's situations hold, not stray words of one phrase's text. ``understood`` (default
    ``answered``) is whether the text was understood well enough to be a service situation.
    ``ranked`` is in ``_order``'s order for ``reading.demoted``."""
    if understood is None:
        understood = answered
    # Families by number over the index's columns: this reads every candidate.
    numbers, general_column, packs = index.doc_family, index.doc_general, index.doc_pack
    names = index.family_names()
    best: dict[str, float] = {}
    members: dict[str, list[int]] = {}
    for score, doc, _, _ in ranked:
        number = numbers[doc]
        if number:
            family = names[number - 1]
            value = score if strength is None else strength(doc)
            if value > best.get(family, -1.0):
                best[family] = value
            members.setdefault(family, []).append(doc)
    if not best:
        if answered:
            return _hits(index, ranked, reading.limit)
        return _general(index, [], reading) if _about_service(reading.words) else []
    top = max(best.values())
    said = {term for slot in reading.slots for term, weight in slot.terms.items() if weight >= SYNONYM_WEIGHT}
    said |= term_pairs([frozenset(slot.terms) for slot in reading.slots])
    told = {f: said & terms for f, terms in index.telling_terms().items()}
    telling = {f for f, terms in told.items() if terms}
    families = index.families
    # A sensitive family is chosen when its own words say the moment is happening, or when the
    # text says more of it than an ordinary family needs.
    sure = [f for f in best if confident(f, members[f], strict=families[f].sensitive and f not in telling)]
    sensitive = [f for f in sure if f in telling and best[f] >= SENSITIVE_SHARE * top]
    others = [item for item in ranked if not numbers[item[1]]]
    # A team's own phrases written for this situation come first, whatever the bank holds.
    builtin = _pack_number(index, BUILTIN_PACK)
    own = [item for item in others if packs[item[1]] != builtin and not general_column[item[1]]
           and confident(None, [item[1]])]  # fmt: skip
    if not sensitive and any(len(terms) >= TELLING_WORDS for terms in told.values()):
        # A death, a hazard, a threat or distress is mentioned but not understood well enough:
        # better the general words than another family's.
        if own:
            return _hits(index, own, reading.limit)
        return _general(index, [item for item in ranked if index.is_general(item[1])], reading)
    if sensitive:
        kept = sensitive
    elif sure:
        lead = max(sure, key=best.__getitem__)
        kept = [f for f in sure if best[f] >= FAMILY_KEEP_SHARE * best[lead]]
    else:
        kept = []
    if kept:
        lead = max(kept, key=best.__getitem__)
        mine = {doc for _, doc, _, _ in own}
        lead_number = names.index(lead) + 1
        # ``ranked`` is in ``_order``'s order (a total one: the doc breaks the last ties), so what
        # is taken from it in turn is in that order already: not sorted again.
        rest = [item for item in ranked if item[1] not in mine and (numbers[item[1]] == lead_number or
                (not sensitive and not numbers[item[1]]))]  # fmt: skip
        if families[lead].sensitive:
            rest = _safety_first(index, rest, reading)
        chosen = own + rest
        for second in _also_about(index, ranked, [f for f in kept if f != lead], lead, best, reading):
            chosen.insert(min(len(own) + 2, len(chosen)), second)
        return _hits(index, chosen, reading.limit)
    situated = [item for item in others if not general_column[item[1]]]
    if answered and situated:
        return _hits(index, situated + [item for item in others if item not in situated], reading.limit)
    general = [item for item in others if general_column[item[1]]]
    if understood and general and (not reading.beyond_category or named_categories(index, reading.query)):
        # The query asks for a kind of phrase ("thank them for their patience"): the general ones.
        return _general(index, general, reading, label=False)
    if _about_service(reading.words, understood):
        return _general(index, general, reading)
    return []


def _safety_first(index, ranked: list[tuple], reading: Reading) -> list[tuple]:
    """In a sensitive moment the immediate step comes before everything else: the phrases tagged
    ``immediate-safety``, then those whose tags the query names ("kill", "gas"), those that
    name most of it first."""
    from .text import words as word_list

    top = ranked[:SAFETY_LOOK]
    phrases = index.phrases([doc for _, doc, _, _ in top])
    said = {stem(word) for word in reading.words}

    def named(doc: int) -> int:
        return len(said & {stem(word) for tag in phrases[doc].tags for word in word_list(tag)})

    def rank(item: tuple) -> tuple:
        tags = phrases[item[1]].tags
        return (SAFETY_TAG not in tags, -named(item[1]))

    first = sorted((item for item in top if SAFETY_TAG in phrases[item[1]].tags or named(item[1])), key=rank)
    return first + [item for item in ranked if item not in first]


def _also_about(index, ranked, candidates: list[str], lead: str, best: dict, reading: Reading) -> list[tuple]:
    """The best phrase of each other family the query is also about: through words the lead
    family's situations do not hold ("double charged AND the parcel is late")."""
    query_terms = {term for slot in reading.slots for term in slot.terms}
    heads = {f: next(item for item in ranked if index.family_of(item[1]) == f) for f in [lead, *candidates]}
    from .index import situation_terms

    texts = index.situation_texts([item[1] for item in heads.values()])

    def said_by(family: str) -> set[str]:
        family_text, own = texts.get(heads[family][1], ("", ""))
        return (situation_terms(family_text) | situation_terms(own)) & query_terms

    return [heads[f] for f in sorted(candidates, key=best.__getitem__, reverse=True) if said_by(f) - said_by(lead)]


def _general(index, ranked_general: list[tuple], reading: Reading, label: bool = True) -> list[Hit]:
    """The general phrases of the practice, labelled as the fallback: those the query matched,
    then the first of each kind in the order a rep reaches for them."""
    chosen = [item for item in ranked_general if reading.allowed(item[1])]
    if not label:
        return _hits(index, chosen, reading.limit) if chosen else []
    seen = {doc for _, doc, _, _ in chosen}
    filler = [doc for doc in index.docs_of_family(None) if doc not in seen and reading.allowed(doc)]
    by_category: dict[str, int] = {}
    for doc in filler:
        by_category.setdefault(index.category_of(doc), doc)
    extra = sorted(by_category.values(), key=lambda doc: _category_rank(index.category_of(doc)))
    extra += [doc for doc in filler if doc not in by_category.values()]
    rows = chosen + [(0.0, doc, None, None) for doc in extra]
    rows = _order(index, rows[: max(reading.limit, len(chosen))], reading.demoted) if chosen else rows
    phrases = index.phrases([doc for _, doc, _, _ in rows[: reading.limit]])
    return [Hit(phrases[doc], score, lexical, meaning, fallback=label) for score, doc, lexical, meaning in
            rows[: reading.limit]]  # fmt: skip


def _about_service(words: list[str], understood: bool = False) -> bool:
    """Whether the text is about a customer-service situation at all, so a situation without a
    family of its own still gets the general phrases and "banana bread recipe" gets nothing: a
    word of complaint, two words of the things service deals with, or one in a text the bank
    otherwise ``understood``."""
    from .text import service_stems

    complaint, service = service_stems()
    said = {word for word in words} | {stem(word) for word in words}
    if said & complaint:
        return True
    things = {stem(word) for word in words if word in service or stem(word) in service}
    return len(things) >= 2 or (understood and len(things) == 1)


def _hits(index, ranked: list[tuple], limit: int) -> list[Hit]:
    """The first ``limit`` of ``ranked`` (score, doc, lexical, semantic), without a weak tail."""
    best = ranked[0][0]
    chosen = [item for item in ranked[:limit] if item[0] >= TAIL_SHARE * best]
    phrases = index.phrases([doc for _, doc, _, _ in chosen])
    return [Hit(phrases[doc], score, lexical, meaning) for score, doc, lexical, meaning in chosen]


def _fused(index, query, text, semantic, scoring, touched, allowed, limit, reading, named: bool, needed: float):
    """Keyword and meaning together: a weighted sum of the cosine similarity and the keyword
    score normalised by the best keyword score among the candidates."""
    from .semantic import (
        ANSWER_SIMILARITY,
        CANDIDATES,
        FAMILY_SIMILARITY,
        FAMILY_SUPPORT,
        SEMANTIC_WEIGHT,
        SUPPORT_SIMILARITY,
    )

    np = semantic.encoder.np
    slots = reading.slots
    similarity = semantic.similarities(text)
    order = np.argsort(-similarity)
    by_meaning = []
    for doc in order[: CANDIDATES * 4].tolist():
        if allowed(doc):
            by_meaning.append(doc)
            if len(by_meaning) == CANDIDATES:
                break
    scores = scoring.scores
    by_keyword = _top_scored(touched, scores, CANDIDATES)
    candidates = list(dict.fromkeys([*by_keyword, *by_meaning]))
    if not candidates:
        return _general(index, [], reading) if _about_service(reading.words) else []
    scoring.explain(candidates)
    gate = (scoring.topical if not named else None, scoring.explained, needed)
    exact = scoring.exact_situated
    situated = {doc: value if exact[doc] >= 2 else 0.0 for doc, value in scoring.situated.items()}
    coverage: dict[int, float] = {}
    support: dict[int, float] = {}
    relevance = _relevance(index, candidates, by_keyword, scores, slots, coverage, support)
    top_keyword = max(relevance.values()) or 1.0
    placed = {doc: situated[doc] * (1.0 + COVERAGE_BONUS * support.get(doc, 0.0)) for doc in candidates}
    top_placed = max(placed.values()) or 1.0
    keyword_ok = bool(slots) and _answers(by_keyword[:3], *gate)
    best_meaning = max(float(similarity[d]) for d in candidates)
    wanted = named_categories(index, query) if len(slots) <= LONG_QUERY_SLOTS else set()
    understood = keyword_ok and (best_meaning >= SUPPORT_SIMILARITY or wanted)
    if not (best_meaning >= ANSWER_SIMILARITY or understood):
        return _general(index, [], reading) if _about_service(reading.words) else []
    preference = _preference(index)
    scored = []
    for doc in candidates:
        lexical = relevance[doc] / top_keyword
        fused = SEMANTIC_WEIGHT * float(similarity[doc]) + (1 - SEMANTIC_WEIGHT) * lexical
        if index.category_of(doc) in wanted:
            fused *= NAMED_CATEGORY_BOOST
        scored.append((fused * preference(doc), doc, lexical, float(similarity[doc])))

    def confident(family: str | None, docs: list[int], strict: bool = False) -> bool:
        meaning = max(float(similarity[doc]) for doc in docs)
        enough = needed * (STRICT_SHARE if strict else 1.0)
        keywords = bool(slots) and any(
            situated[doc] >= enough and coverage.get(doc, 0.0) >= SITUATION_COVERED for doc in docs
        )
        return meaning >= FAMILY_SIMILARITY or (keywords and meaning >= FAMILY_SUPPORT)

    def strength(doc: int) -> float:
        return FAMILY_MEANING_WEIGHT * float(similarity[doc]) + (1 - FAMILY_MEANING_WEIGHT) * placed[doc] / top_placed

    # Past the answer gate above, phrases written for the situation are an answer; a text no
    # family fits is a service situation (the general phrases) only on firmer ground.
    understood = keyword_ok or best_meaning >= FAMILY_SUPPORT
    ranked = _order(index, scored, reading.demoted)
    return _choose(index, ranked, True, confident, reading, strength, understood=understood)


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


def _needed(slots, index) -> float:
    """How much of the query's weight a phrase must explain to answer it (see ``_answers``)."""
    ceilings = []
    for slot in slots:
        known = [weight * idf for term, weight in slot.terms.items() if (idf := index.idf(term)) is not None]
        ceilings.append(max(known) if known else None)
    strongest = max([UNKNOWN_WORD_IDF, *(c for c in ceilings if c is not None)])
    total = sum(strongest if c is None else c for c in ceilings)
    return (UNDERSTOOD_SHORT if len(slots) <= SHORT_QUERY_SLOTS else UNDERSTOOD_LONG) * total


def _answers(top_docs, topical, explained, needed: float) -> bool:
    """Whether the query is understood well enough to answer at all.

    One of the best phrases must match through a situation, tag or category (not only stray
    words of its text) on a term that is not in most phrases (unless the caller named the
    categories, which says what kind of phrase is wanted), and explain enough of what was
    typed: 30% of the weight of a short query, 12% of a long pasted message. A word the bank
    does not know weighs as much as the query's strongest known word, and at least as much as
    a word found in one phrase in 150. Nothing here grows with the size of the bank.
    ``needed`` is ``_needed`` of the query's slots.
    """
    return any((topical is None or topical[doc]) and explained[doc] >= needed for doc in top_docs)


MODES = (None, "auto", "lexical", "semantic")
"""How to rank: ``None``/``"auto"`` (semantic when the extra, the model and the user allow it),
``"lexical"`` (keywords only) or ``"semantic"`` (demanded: ``SemanticUnavailable`` when it cannot run)."""


def semantic_view(index: Index, mode: str | None, paths: Sequence[str] = (), progress=None, warn=None):
    """The semantic view of ``index`` for ``mode`` (``None`` for keywords only); a notice for the
    rep (answering by keywords while phrases are embedded) goes to ``warn``. The semantic modules
    are not imported for a lexical search."""
    if mode not in MODES:
        from .errors import PhrasekitError

        raise PhrasekitError(f"unknown ranking mode {mode!r} (allowed: auto, lexical, semantic)")
    if mode == "lexical":
        return None
    if mode in (None, "auto"):
        from .config import semantic_off_by_env

        if semantic_off_by_env() or index.meta.get("semantic_extra") == "missing":
            return None  # off, or cannot run: known without importing the semantic modules
    from .errors import report
    from .semantic import semantic_for_search

    view, notice = semantic_for_search(index, None if mode == "auto" else mode, paths, progress)
    if notice:
        report(notice, warn)
    return view


class SearchResult(NamedTuple):
    """The phrases found, best first, and the case details that fill their blanks."""

    hits: list[Hit]
    details: dict

    @property
    def fallback(self) -> bool:
        """No phrases are written for the exact situation: these are the general ones."""
        return bool(self.hits) and self.hits[0].fallback

    def rows(self) -> list[dict]:
        """Each hit as JSON, with ``filled``: its text with the given blanks filled."""
        from .blanks import fill, values_from

        rows = []
        for hit in self.hits:
            row = hit.to_dict()
            row["filled"] = fill(row["text"], values_from(self.details, row["blanks"]))
            rows.append(row)
        return rows


@recovering
def search(
    query: str,
    *,
    paths: Sequence[str] = (),
    limit: int = 5,
    categories: Sequence[str] = (),
    channel: str | None = None,
    packs: Sequence[str] = (),
    mode: str | None = None,
    case_file: str | None = None,
    sets: Sequence[str] = (),
    details: dict | None = None,
    progress: Callable[[int, int], None] | None = None,
    warn: Callable[[str], None] | None = None,
) -> SearchResult:
    """Rank the phrases of the packs in force for a situation, as a rep would type it.

    ``channel`` ``None`` takes the config's ``channel:`` default. An unknown category or pack is
    an ``UnknownNameError``; ``case_file``, ``sets`` (``KEY=VALUE``) and ``details`` fill the
    blanks; ``progress(done, total)`` follows phrases being embedded for semantic ranking."""
    from .catalogue import open_index
    from .errors import UnknownNameError, did_you_mean

    index = open_index(paths, warn)
    known = index.category_names
    for name in categories:
        if name not in known:
            hint = did_you_mean(name, known)
            raise UnknownNameError(f"unknown category {name!r}{hint} (see 'phrasekit categories')", "--category")
    names = index.pack_names
    for name in packs:
        if name not in names:
            hint = did_you_mean(name, names)
            raise UnknownNameError(f"no pack named {name!r}{hint} (see 'phrasekit packs list')", "--pack")
    if sets:
        from .case import parse_sets

        parse_sets(sets)  # a bad --set is an error before anything is searched
    if channel is None:
        from .config import default_channel

        channel = default_channel()
    semantic = semantic_view(index, mode, paths, progress, warn)
    hits = rank_phrases(index, query, limit=limit, categories=categories, channel=channel, packs=packs,
                        semantic=semantic)  # fmt: skip
    from .history import break_ties

    [hits] = break_ties([hits], warn=warn)  # equal scores: the phrases the rep uses first
    from .case import case_details

    wanted = {name for hit in hits for name in hit.phrase.blanks}
    return SearchResult(hits, case_details(case_file, sets, details=details, wanted=wanted))


def family_for(index: Index, situation: str, semantic=None) -> str | None:
    """The family a situation belongs to, or ``None`` when no family fits (the general phrases)."""
    if not situation.strip():
        return None
    hits = rank_phrases(index, situation, limit=3, semantic=semantic, family_only=True)
    for hit in hits:
        if hit.fallback:
            return None
        if hit.phrase.family is not None:
            return hit.phrase.family
    return None


def phrases_for(
    index: Index,
    family: str | None,
    category: str,
    channel: str | None = None,
    wanted: str = "",
) -> list:
    """The phrases of one family (``None``: the general ones) in one category that fit the
    channel: those written for exactly this channel first (with no channel, SMS and social
    versions last), then those whose words meet ``wanted`` ("patience"), then in bank order."""
    docs = [
        doc
        for doc in index.docs_of_family(family)
        if index.category_of(doc) == category and (channel is None or index.fits_channel(doc, channel))
    ]
    if not docs:
        return []
    phrases = index.phrases(docs)
    said = {term for word in tokens(wanted) if (term := content_stem(word))}
    exact = CHANNEL_BITS.get(channel or "", 0)

    variants = sum(CHANNEL_BITS[name] for name in VARIANT_CHANNELS)

    def key(doc: int) -> tuple:
        words = {term for word in tokens(phrases[doc].text) if (term := content_stem(word))}
        bits = index.doc_channels[doc]
        fit = bits == exact if channel else not (bits and bits & ~variants == 0)
        return (not fit, -len(said & words), doc)

    return [phrases[doc] for doc in sorted(docs, key=key)]


def family_counts(index: Index) -> list[dict]:
    """Each family of the packs in force with its phrase count, and the general phrases last."""
    counts: dict[str | None, int] = {}
    for doc in range(index.count):
        family = index.family_of(doc)
        if family is not None or index.is_general(doc):
            counts[family] = counts.get(family, 0) + 1
    rows = [{**family.to_dict(), "phrases": counts.get(name, 0)} for name, family in index.families.items()]
    rows.sort(key=lambda row: (row["sector"], row["name"]))
    if counts.get(None):
        rows.append(
            {
                "name": "general",
                "title": "The practice's own words, for any situation",
                "sector": "-",
                "situations": [],
                "sensitive": False,
                "fault": "unknown",
                "pack": "",
                "phrases": counts[None],
            }
        )
    return rows  # fmt: skip
