"""Search quality and behaviour, on the ranking module directly and on the evaluation sets."""

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from helpers import read_yaml
from phrasekit.categories import BUILTIN_CATEGORIES
from phrasekit.index import build_pack_index
from phrasekit.model import Phrase
from phrasekit.packs import PackSet, load_pack
from phrasekit.search import analyze_query, build_index, rank_phrases

EVAL = Path(__file__).parent / "fixtures" / "eval"


@pytest.fixture(scope="module")
def bank(builtin_pack):
    pack = builtin_pack
    return build_index(pack.phrases, pack.synonyms, BUILTIN_CATEGORIES, pack.families)


def top(index, query, **kwargs):
    return [hit.phrase.id for hit in rank_phrases(index, query, **kwargs)]


@pytest.mark.parametrize(
    "query, expected_prefix",
    [
        ("late delivery", "late-delivery"),
        ("delivary is late", "late-delivery"),  # typo
        ("refnd still not recieved", "refund-delay"),  # typos
        ("techincian never showed", "technician-no-show"),  # transposition
        ("cx 2x charged", "double-charge"),  # shorthand
        ("acct locked out cant log in", "locked-out"),
        ("customer says she's upset because her package never came", "lost-package"),  # filler
        ("transfered 5 times already", "transferred-many-times"),
    ],
)
def test_situation_queries_find_their_phrases(bank, query, expected_prefix):
    ids = top(bank, query)
    assert any(pid.startswith(expected_prefix) for pid in ids), ids


def test_category_named_in_the_query_is_preferred(bank):
    hits = rank_phrases(bank, "late delivery apology")
    assert hits[0].phrase.category == "apology"
    assert hits[0].phrase.family == "late-delivery"
    thanks = rank_phrases(bank, "thank them for their patience")
    assert thanks[0].phrase.category == "thank-you"


@pytest.mark.parametrize(
    "query, family",
    [
        ("courier says the parcel was lost in transit", "lost-in-transit"),
        ("pkg stuck at the depot, hasn't moved in weeks", "lost-in-transit"),
        ("carrier says it's untraceable after the trace", "lost-in-transit"),
        ("tracking shows delivered but nothing at the door", "lost-package"),  # its neighbours keep their ground
        ("item missing from the box", "missing-item"),
        ("lost pkg", "lost-in-transit"),  # as a new user typed them
        ("parcel stolen from porch", "lost-package"),
        ("acct hacked", "account-takeover"),
        ("my account was hacked", "account-takeover"),
    ],
)
def test_a_parcel_lost_on_its_way_gets_its_own_family_only(bank, query, family):
    hits = rank_phrases(bank, query, limit=5)
    assert hits and hits[0].phrase.family == family, [hit.phrase.id for hit in hits]
    assert {hit.phrase.family for hit in hits} <= {family, None}, [hit.phrase.id for hit in hits]


def test_two_issues_in_one_query_bring_their_own_families_only(bank):
    hits = rank_phrases(bank, "charged twice and the package is late", limit=10)
    assert hits[0].phrase.family in {"double-charge", "late-delivery"}
    assert {hit.phrase.family for hit in hits} <= {"double-charge", "late-delivery", None}
    both = rank_phrases(bank, "refund never arrived and now the technician did not show up either", limit=10)
    assert {hit.phrase.family for hit in both[:3]} == {"refund-delay", "technician-no-show"}


@pytest.mark.parametrize(
    "query", ["asdf qwerty", "banana bread recipe", "how tall is mount everest", "zzzz", "the of and"]
)
def test_nonsense_gets_no_answer(bank, query):
    assert rank_phrases(bank, query) == []


def test_filters_keep_to_category_channel_and_pack(bank):
    hits = rank_phrases(bank, "late delivery", categories=["next-steps"], limit=10)
    assert hits and {hit.phrase.category for hit in hits} == {"next-steps"}
    social = rank_phrases(bank, "public complaint", channel="social", limit=10)
    assert social and all(hit.phrase.fits_channel("social") for hit in social)
    assert rank_phrases(bank, "late delivery", packs=["nope"]) == []


def test_results_are_deterministic_and_best_first(bank):
    first = rank_phrases(bank, "wrong item sent", limit=10)
    second = rank_phrases(bank, "wrong item sent", limit=10)
    assert [h.phrase.full_id for h in first] == [h.phrase.full_id for h in second]
    scores = [hit.score for hit in first]
    assert scores == sorted(scores, reverse=True)


def test_shorthand_and_synonyms_become_terms(bank):
    slots = analyze_query("cx wants money back on pkg", bank)
    terms = set().union(*(slot.terms for slot in slots))
    assert "refund" in terms and "packag" in terms
    assert "customer" not in {slot.words for slot in slots}


def test_pack_synonyms_link_words():
    phrase = Phrase("w1", "acme", "apology", "Sorry about the widget.", situations=("widget broken",))
    other = Phrase("w2", "acme", "apology", "Sorry about the delay.", situations=("late order",))
    index = build_index([phrase, other], {"widget": ["gizmo"]}, BUILTIN_CATEGORIES)
    assert top(index, "gizmo broken") == ["w1"]


def test_team_phrases_come_before_builtin_ones_at_equal_fit():
    team = Phrase("late-sorry", "team", "apology", "We're sorry it's late.", situations=("late delivery",))
    builtin = Phrase("late-sorry", "builtin", "apology", "We're sorry it's late.", situations=("late delivery",))
    others = [
        Phrase(f"other-{n}", "builtin", "apology", "Sorry about the bill.", situations=(f"billing error {n}",))
        for n in range(4)
    ]
    index = build_index([builtin, team, *others], {}, BUILTIN_CATEGORIES)
    assert [hit.phrase.pack for hit in rank_phrases(index, "late delivery")] == ["team", "builtin"]


@settings(max_examples=150, deadline=None)
@given(st.text(max_size=200), st.integers(min_value=1, max_value=20))
def test_any_text_is_answered_without_error(bank, query, limit):
    hits = rank_phrases(bank, query, limit=limit)
    assert len(hits) <= limit
    assert all(hit.score > 0 or hit.fallback for hit in hits)


def _evaluate(folder: Path, builtin_pack):
    pack = load_pack(folder)
    index = build_pack_index(PackSet([builtin_pack, pack]))
    data = read_yaml(folder / "queries.yaml")
    hits = reciprocal = 0.0
    for item in data["queries"]:
        ids = top(index, item["q"], limit=10, packs=[pack.name])
        want = set(item["expect"])
        hits += bool(set(ids[:5]) & want)
        reciprocal += next((1 / rank for rank, pid in enumerate(ids, 1) if pid in want), 0.0)
    count = len(data["queries"])
    empty = sum(1 for q in data["nonsense"] if not rank_phrases(index, q, packs=[pack.name]))
    return hits / count, reciprocal / count, empty / len(data["nonsense"])


@pytest.mark.parametrize("name", ["connectco", "shopfront"])
def test_quality_on_evaluation_sets(name, builtin_pack):
    """The issue's bar (recall@5 >= 0.90, MRR@10 >= 0.75, nonsense empty >= 8 in 10) on our own sets."""
    recall, mrr, nonsense = _evaluate(EVAL / name, builtin_pack)
    assert recall >= 0.90, recall
    assert mrr >= 0.75, mrr
    assert nonsense >= 0.8, nonsense


def test_the_answer_does_not_depend_on_the_hash_seed(tmp_path):
    import os
    import subprocess
    import sys

    outputs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed, "PHRASEKIT_SEMANTIC": "0"}
        done = subprocess.run([sys.executable, "-m", "phrasekit", "search", "--json", "-n", "10",
                               "courier lost the parcel, call them, back to you shortly"],
                              capture_output=True, text=True, env=env, cwd=tmp_path)  # fmt: skip
        outputs.add(done.stdout)
    assert len(outputs) == 1


# ---------------- packs in every script ----------------

SCRIPTS = Path(__file__).parent / "fixtures" / "scripts"


def _search_ids(pack: str, query: str) -> tuple[int, list[str]]:
    import json

    from click.testing import CliRunner

    from phrasekit.cli import cli

    result = CliRunner().invoke(cli, ["--path", str(SCRIPTS / pack), "search", "--json", "-n", "3", query])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, [hit["id"] for hit in json.loads(result.stdout)]


@pytest.mark.parametrize(
    "pack, query, expected",
    [
        ("arabic", "تأخر الطلب", "arabic/late-order-sorry"),
        ("arabic", "العميل نسي كلمة المرور", "arabic/password-reset"),
        ("arabic", "لم يصل استرداد المبلغ", "arabic/refund-waiting"),
        ("cyrillic", "клиент говорит заказ не пришёл", "cyrillic/late-order-sorry"),
        ("cyrillic", "деньги не вернули", "cyrillic/refund-waiting"),
        ("cyrillic", "двойное списание с карты", "cyrillic/double-charge"),
        ("greek", "η παραγγελία δεν έφτασε", "greek/late-order-sorry"),
        ("greek", "δεν έλαβα πίσω τα χρήματα", "greek/refund-waiting"),
        ("greek", "ο πελάτης ξέχασε τον κωδικό", "greek/password-reset"),
        ("japanese", "商品が届かない", "japanese/late-order-sorry"),
        ("japanese", "返金の遅れ", "japanese/refund-waiting"),
        ("japanese", "ログインできない", "japanese/password-reset"),
        ("hindi", "ऑर्डर नहीं पहुँचा", "hindi/late-order-sorry"),
        ("hindi", "पैसे वापस नहीं आए", "hindi/refund-waiting"),
        ("hindi", "पासवर्ड भूल गया", "hindi/password-reset"),
        ("turkish", "kargo gelmedi", "turkish/late-order-sorry"),
        ("turkish", "iade yapılmadı", "turkish/refund-waiting"),
        ("turkish", "ŞİFREMİ UNUTTUM", "turkish/password-reset"),
    ],
)
def test_a_pack_in_any_script_is_found_in_its_own_words(pack, query, expected, prebuilt_index):
    prebuilt_index(SCRIPTS / pack)
    code, ids = _search_ids(pack, query)
    assert code == 0 and ids[0] == expected, ids


@pytest.mark.parametrize(
    "pack, query",
    [
        ("cyrillic", "заказ не пришол"),  # ё typed as о
        ("greek", "ΚΑΘΥΣΤΕΡΗΣΗ ΠΑΡΑΓΓΕΛΙΑΣ"),  # capitals drop the accents
        ("turkish", "sifremi unuttum"),  # ş typed as s
    ],
)
def test_typos_are_corrected_in_other_alphabets_too(pack, query, prebuilt_index):
    prebuilt_index(SCRIPTS / pack)
    code, ids = _search_ids(pack, query)
    assert code == 0 and ids[0].endswith(("late-order-sorry", "password-reset")), ids


@pytest.mark.parametrize("query", ["天気が良い", "の", "届"])
def test_chinese_and_japanese_text_the_pack_does_not_say_finds_nothing(query, prebuilt_index):
    """Unrelated words share no character pair with the pack, and a lone character (part of many
    words) is not a word of it: no answer, rather than every phrase."""
    prebuilt_index(SCRIPTS / "japanese")
    assert _search_ids("japanese", query) == (1, [])


def test_character_pairs_are_never_corrected_as_typos(tmp_path):
    """One character off in a pair is another word: "ม่ถ" (the start of a pair of the pack's
    "ไม่ถึง") stays what was typed."""
    from phrasekit.search import corrected_words

    phrase = Phrase(id="late", pack="thai", category="apology", text="ขออภัยที่สินค้ายังไม่ถึง",
                    situations=("สินค้ายังไม่ถึง",))  # fmt: skip
    index = build_index([phrase], {}, BUILTIN_CATEGORIES)
    words, fuzzy = corrected_words("ไม่ถ", index)
    assert words == ["ไม่", "ม่ถ"] and fuzzy == [False, False]


def test_synonyms_in_another_script_are_understood(tmp_path):
    from click.testing import CliRunner

    from phrasekit.cli import cli

    pack = tmp_path / "ru"
    pack.mkdir()
    (pack / "pack.yaml").write_text(
        "name: ru\nsynonyms:\n  заказ: [посылка, заказа]\nphrases:\n  - id: late\n    category: apology\n"
        "    text: Прошу прощения, что заказ задерживается.\n    situations: [заказ задерживается]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["--path", str(pack), "search", "--text", "где посылка"])
    assert (result.exit_code, result.stdout) == (0, "Прошу прощения, что заказ задерживается.\n")


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.integers(min_value=0, max_value=5000), max_size=600),
    st.lists(st.sampled_from([0.0, 0.5, 1.25, 2.0, 3.5]), min_size=1, max_size=12),
    st.integers(min_value=1, max_value=120),
)
def test_the_top_scored_docs_are_what_heapq_nlargest_gives_ties_included(docs, levels, count):
    # Rankings break ties by the order a set gives its docs, so both ways of picking the top
    # candidates (a sort for few docs, heapq's selection for many) must agree exactly.
    import heapq

    from phrasekit.search import _top_scored

    scores = [levels[doc % len(levels)] for doc in range(5001)]  # few distinct scores: many ties
    touched = set(docs)
    assert _top_scored(touched, scores, count) == heapq.nlargest(count, touched, key=scores.__getitem__)


# _order: the ranking's sort, done as sorts on plain numbers ------------------------------------


def _reference_order(index, scored, demoted=0):
    """The sort ``_order`` stands for, written out with one key per item."""
    from phrasekit.search import _category_rank

    def later(doc):
        bits = index.doc_channels[doc]
        return bool(demoted) and bits != 0 and bits & ~demoted == 0

    return sorted(scored, key=lambda item: (later(item[1]), -round(item[0], 6),
                                            _category_rank(index.category_of(item[1])), item[1]))  # fmt: skip


_NEAR = [0.0, 1e-7, -1e-7, 4e-7, 5e-7, 5.000001e-7, 1e-6, 1.5e-6, 2e-6, 2.5e-6, 3e-6]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from([0.0, 0.3, 0.1 + 0.2, 1.0, 2.9999995, 3.0000005, 3.0000004, 7.25]), st.sampled_from(_NEAR)
        ),
        max_size=60,
    ),  # fmt: skip
    st.randoms(use_true_random=False),
    st.sampled_from([None, "sms", "social"]),
)
def test_order_is_the_sort_by_rounded_score_category_and_doc_with_channel_versions_last(bank, values, rng, channel):
    """Scores equal once rounded to six places, close but not equal, equal exactly, and in
    channel versions a query does not ask for: the same order as the one-key sort, item for item."""
    from phrasekit.index import CHANNEL_BITS
    from phrasekit.search import VARIANT_CHANNELS, _order

    docs = rng.sample(range(bank.count), len(values))
    scored = [(base + nudge, doc, None, None) for (base, nudge), doc in zip(values, docs, strict=True)]
    demoted = sum(CHANNEL_BITS[name] for name in VARIANT_CHANNELS if name != channel)
    for bits in (0, demoted):
        assert _order(bank, scored, bits) == _reference_order(bank, scored, bits)


# _relevance: each doc's situations read as the index holds them --------------------------------


def test_situation_rows_are_each_docs_own_situations_and_families_come_from_the_column(bank):
    """What ``_relevance`` reads per doc (its own situations, its family by ``doc_family``) is
    what ``situation_texts`` gives from the family's own row, for every phrase of the bank."""
    docs = list(range(bank.count))
    rows = bank.situation_rows(docs)
    texts = bank.situation_texts(docs)
    phrases = bank.phrases(docs)
    assert rows.keys() == texts.keys() == set(docs)
    for doc in docs:
        family_text, own = texts[doc]
        assert rows[doc] == own
        number = bank.doc_family[doc]
        name = bank.family_names()[number - 1] if number else None
        assert name == phrases[doc].family
        assert (bank.family_text(name) if name else "") == family_text


def test_coverage_and_support_are_the_largest_shares_of_a_phrases_own_and_familys_situations():
    """A situation said twice in one phrase, one said in part, one whole and one not at all:
    coverage is the largest share of a situation's words the query says, support the mean of
    the three largest (a phrase's own and its family's together), the same when a second
    ranking finds them worked out already."""
    from phrasekit.model import Family
    from phrasekit.search import _relevance, analyze_query

    phrases = [
        Phrase(id="a", pack="team", category="apology", text="Sorry about the parcel.",
               situations=("late parcel", "late parcel", "broken lid", "wrong colour")),
        Phrase(id="b", pack="team", category="apology", text="Sorry about the wait.", situations=("long wait",),
               family="waits"),
        Phrase(id="c", pack="team", category="apology", text="Sorry.", situations=()),
    ]  # fmt: skip
    families = {"waits": Family("waits", situations=("slow reply", "long queue on the phone"))}
    index = build_index(phrases, {}, BUILTIN_CATEGORIES, families)
    slots = analyze_query("late parcel and a long phone queue", index)
    for _ in range(2):  # the second time from what the first one worked out
        coverage, support = {}, {}
        relevance = _relevance(index, [0, 1, 2], [0, 1, 2], [2.0, 3.0, 1.0], slots, coverage, support)
        assert coverage == {0: 1.0, 1: 1.0, 2: 0.0}
        assert support == {0: (1.0 + 1.0 + 0.0) / 3, 1: (1.0 + 0.5 + 0.0) / 3, 2: 0.0}
        assert relevance == {0: 2.0 * (1.0 + 0.6), 1: 3.0 * (1.0 + 0.6), 2: 1.0}
