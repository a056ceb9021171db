"""The compiled search index: built from the packs, cached, read lazily.

The index is phrasekit's own inverted index (the terms of ``text.field_terms`` with the field
they came from), stored in SQLite from the standard library. A search reads only what its query
needs: the postings of its terms, spelling candidates with the same first letter and a similar
length, the synonyms that start with one of its words, and the phrases it returns. So the cost of
a lookup barely grows with the bank, and a search with a current index never parses YAML.

The file is a cache and nothing more. It lives in ``$XDG_CACHE_HOME/phrasekit/`` (default
``~/.cache/phrasekit/``), one entry per set of packs in force: the entry's name comes from the
resolved real paths that decide which packs are found (the built-in bank, the user's pack
folder, ``PHRASEKIT_PATH``, ``--path``), so switching between sets, spelling a folder two ways or
two installed copies of phrasekit never rebuild each other's entry. Inside, an entry records the
pack files' paths, sizes, modification and change times, the installed packs and phrasekit's
version; a missing, stale, corrupt, truncated or older entry is rebuilt into a temporary file and
moved into place. Entries beyond ``MAX_ENTRIES`` or ``MAX_BYTES`` are removed least recently used
first. When the cache folder cannot be written, the index is built in memory for this run.
"""

from __future__ import annotations

import marshal
import math
import os
import sqlite3
import sys
import zlib
from array import array
from collections.abc import Iterable, Mapping, Sequence
from typing import TYPE_CHECKING, NamedTuple

from . import __version__
from .categories import KEYWORDS
from .errors import Finding, Location, PackError, PhrasekitError, warning_text
from .model import CHANNELS, Category, Family, Pack, Phrase
from .text import Lexicon, text_terms

if TYPE_CHECKING:
    from pathlib import Path

SCHEMA_VERSION = 12
FIELDS = ("situations", "tags", "category", "text")
FIELD_WEIGHTS = (1.0, 0.7, 0.6, 0.45)
CHANNEL_BITS = {name: 1 << number for number, name in enumerate(CHANNELS)}
MAX_ENTRIES = 8
"""Cache entries kept: a rep or a lead switches between a few sets of packs (their team's, a
trial pack, a checkout); eight covers that without the folder growing with every folder tried."""
MAX_BYTES = 1 << 30
"""Bytes the entries may take together (a 100,000-phrase entry is about 60 MB): past it the
least recently used go first. The entry in use is always kept."""
TOUCH_AFTER = 60.0
"""Seconds: an entry's last use is recorded (its modification time) at most this often, so a
search does not write to the disk each time."""
UNIT, RECORD, GROUP = "\x1f", "\x1e", "\x1d"


def number_column(values: Iterable[int], names: int) -> bytes:
    """A per-phrase column of numbers (pack, category, family): one byte each, two when there
    are more than 255 names to number, four past 65,535 (every search reads the columns whole)."""
    return array("B" if names < 1 << 8 else "H" if names < 1 << 16 else "I", values).tobytes()


def _column_code(blob: bytes, count: int) -> str:
    return "B" if len(blob) == count else "H" if len(blob) == 2 * count else "I"


def read_column(blob: bytes, count: int) -> array:
    """A ``number_column`` of ``count`` phrases (its width tells from its length)."""
    column = array(_column_code(blob, count))
    column.frombytes(blob)
    return column


def view_column(blob: bytes, count: int) -> memoryview:
    """``read_column`` as a view of ``blob``, not a copy (read-only: every search reads three
    columns of every phrase, and copying them cost more than reading them)."""
    return memoryview(blob).cast(_column_code(blob, count))


def _join(items: Iterable[str]) -> str:
    return UNIT.join(items)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(text.split(UNIT)) if text else ()


def _encode_groups(situations: list[list[frozenset[str]]]) -> str:
    return GROUP.join(RECORD.join(UNIT.join(sorted(group)) for group in groups) for groups in situations)


def situation_terms(text: str) -> set[str]:
    """Every term of situations encoded by ``_encode_groups``."""
    return set(text.replace(GROUP, UNIT).replace(RECORD, UNIT).split(UNIT)) if text else set()


def _positions(data: bytes, item: bytes, size: int, most: int | None = None) -> list[int] | None:
    """The numbers, in order, of the ``size``-byte items of ``data`` that equal ``item``; ``None``
    as soon as there are more than ``most``."""
    found: list[int] = []
    at = data.find(item)
    while at >= 0:
        if at % size:  # the bytes of two neighbouring items
            at = data.find(item, at + 1)
            continue
        if most is not None and len(found) == most:
            return None
        found.append(at // size)
        at = data.find(item, at + size)
    return found


def term_row(term: str, idf: float, fields: Sequence[array]) -> tuple:
    """A row of the ``terms`` table: the term, its IDF, its postings and their checksum (a
    garbled doc number would rank the wrong phrases without any other sign)."""
    blobs = [docs.tobytes() for docs in fields]
    return (term, idf, *blobs, _seal_term(term, idf, blobs))


def _seal_term(term: str, idf: float, blobs: Sequence[bytes]) -> int:
    seal = zlib.crc32(f"{term}\x1f{idf!r}".encode("utf-8", "surrogatepass"))
    for blob in blobs:
        seal = zlib.crc32(blob, seal)
    return seal


def _phrase_row(p: Phrase) -> tuple:
    """A phrase's stored columns from ``pack`` to ``line``, as ``Index.phrases`` reads them."""
    return (p.pack, p.id, p.category, p.text, _join(p.situations), _join(p.tags), _join(p.channels), p.tone,
            p.source, p.line)  # fmt: skip


def _phrase_rows(phrases: Sequence[Phrase]):
    """The ``phrases`` table's rows: doc, the shown columns, the family and the seal."""
    for doc, p in enumerate(phrases):
        row = _phrase_row(p)
        yield (doc, *row, p.family, _seal_row(row, p.family))


class Situations(NamedTuple):
    """Every phrase's own situations by number (the ``situations`` table): ``offsets`` (one more
    than there are phrases) and ``ids`` as compressed sparse rows, phrase ``doc``'s being
    ``ids[offsets[doc]:offsets[doc + 1]]`` in the order the phrase says them, and ``table``, each
    distinct situation encoded (``_encode_groups`` of one situation), in code point order: the
    same numbers whatever order the phrases come in, so an entry updated in place holds exactly
    what a full build writes (``refresh``). A ranking reads a phrase's situations by slicing,
    and works out each situation's share of a query once (``search._relevance``)."""

    offsets: Sequence[int]  # an ``array`` as built, a ``memoryview`` of the same numbers as read
    ids: Sequence[int]
    table: list[str]


def _id_code(situations: int) -> str:
    return "H" if situations < 1 << 16 else "I"


def situation_columns(texts: Sequence[str]) -> Situations:
    """``Situations`` of phrases whose own situations are ``texts`` (``_encode_groups``, one
    per phrase)."""
    from itertools import accumulate, repeat
    from operator import add

    said = GROUP.join(filter(None, texts)).split(GROUP) if any(texts) else []  # every doc's, in order
    table = sorted(set(said))
    rank = {situation: number for number, situation in enumerate(table)}
    counts = map(add, map(str.count, texts, repeat(GROUP)), map(bool, texts))  # none for "", else one more
    offsets = array("I", accumulate(counts, initial=0))
    return Situations(offsets, array(_id_code(len(table)), map(rank.__getitem__, said)), table)


def situation_row(situations: Situations) -> tuple:
    """The ``situations`` table's one row: the offsets, the ids, the table (each situation after
    a ``GROUP``) and their checksum (a garbled id would rank a phrase by another's situations
    without any other sign)."""
    offsets, ids = situations.offsets.tobytes(), situations.ids.tobytes()
    table = "".join(GROUP + situation for situation in situations.table)
    return (offsets, ids, table, _seal_situations(offsets, ids, table))


def _seal_situations(offsets: bytes, ids: bytes, table: str) -> int:
    return zlib.crc32(table.encode("utf-8", "surrogatepass"), zlib.crc32(ids, zlib.crc32(offsets)))


def read_situations(conn: sqlite3.Connection, count: int) -> Situations:
    """The ``situations`` table of an entry of ``count`` phrases; ``ValueError`` (damage) when
    it does not hold together."""
    rowid, text, seal = conn.execute("SELECT rowid, situations, seal FROM situations").fetchone()
    if hasattr(conn, "blobopen"):  # Python 3.11: read straight into the bytes (a third quicker than a row)
        with conn.blobopen("situations", "offsets", rowid, readonly=True) as blob:
            offsets_blob = blob.read()
        with conn.blobopen("situations", "ids", rowid, readonly=True) as blob:
            ids_blob = blob.read()
    else:
        query = "SELECT offsets, ids FROM situations WHERE rowid = ?"
        offsets_blob, ids_blob = conn.execute(query, (rowid,)).fetchone()
    if _seal_situations(offsets_blob, ids_blob, text) != seal:
        raise ValueError("damaged situations in the index")  # DAMAGE: the entry is built again
    table = text.split(GROUP)[1:]
    # Views of the bytes read, not copies: a million numbers copied cost a script's start-up more
    # than reading them (fresh memory, page by page).
    offsets, ids = memoryview(offsets_blob).cast("I"), memoryview(ids_blob).cast(_id_code(len(table)))
    if len(offsets) != count + 1 or offsets[0] or offsets[-1] != len(ids):
        raise ValueError("truncated situations in the index")
    return Situations(offsets, ids, table)


def _seal_row(row: tuple, family: str | None) -> int:
    """The checksum of what a rep is shown of a phrase (a garbled byte in its text would give no
    other sign), checked each time it is read (``Index.phrases``)."""
    return zlib.crc32(repr((*row, family)).encode("utf-8", "surrogatepass"))


def _sealed(value) -> bytes:
    """``value`` (plain data) as ``marshal`` bytes behind their checksum. Read by every search:
    marshal needs no module loaded (json costs a search 1.5 ms), and the checksum comes first
    because marshal trusts its input (a garbled length in a damaged entry would have it allocate
    gigabytes before it fails)."""
    data = marshal.dumps(value)
    return zlib.crc32(data).to_bytes(4, "big") + data


def _unsealed(blob: bytes):
    """The value ``_sealed`` stored; ``ValueError`` (damage) when the checksum does not hold."""
    if not isinstance(blob, bytes) or len(blob) < 4 or zlib.crc32(blob[4:]) != int.from_bytes(blob[:4], "big"):
        raise ValueError("a damaged value in the index")
    return marshal.loads(blob[4:])


def cache_folder() -> str:
    """Where phrasekit keeps its cache: ``$XDG_CACHE_HOME/phrasekit`` (default ``~/.cache/phrasekit``)."""
    return os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "phrasekit"
    )


def cache_dir() -> Path:
    """``cache_folder()`` as a ``Path``."""
    from pathlib import Path

    return Path(cache_folder())


def _real(path: str | os.PathLike) -> str:
    return os.path.realpath(os.path.expanduser(os.fspath(path)))


def _checksum_name(text: str) -> str:
    """Sixteen hex digits naming a cache file for ``text``: two checksums (zlib is loaded for
    the cache anyway; hashlib would load OpenSSL, 3 ms of a command)."""
    data = text.encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(data):08x}{zlib.adler32(data):08x}"


def entry_key(paths: Sequence[str | os.PathLike] = ()) -> str:
    """The name of the cache entry for the packs in force: everything that decides which pack
    folders are found, as resolved real paths (installed packs are checked inside the entry)."""
    from .folders import bank_folder, config_folder

    lines = [f"schema {SCHEMA_VERSION} phrasekit {__version__}", _real(bank_folder())]
    user_packs = os.path.join(config_folder(), "packs")
    if os.path.isdir(user_packs):  # a user with no packs folder shares the bank's entry across homes
        lines.append(f"user {_real(user_packs)}")
    lines += [f"env {_real(entry)}" for entry in filter(None, os.environ.get("PHRASEKIT_PATH", "").split(os.pathsep))]
    lines += [f"path {_real(entry)}" for entry in paths]
    # Two sets of packs meeting on one name would only rebuild each other: the fingerprint inside
    # tells them apart.
    return _checksum_name("\n".join(lines))


def entry_file(paths: Sequence[str | os.PathLike] = ()) -> str:
    """The cache entry for the packs in force with these ``--path`` folders."""
    return os.path.join(cache_folder(), f"index-v{SCHEMA_VERSION}-{entry_key(paths)}.sqlite")


def cache_path(paths: Sequence[str | os.PathLike] = ()) -> Path:
    """``entry_file()`` as a ``Path``."""
    from pathlib import Path

    return Path(entry_file(paths))


class Compiled:
    """The index as plain data, before it is written. ``postings`` holds, for each term, the
    phrases that hold it as four arrays of doc numbers, one per field of ``FIELDS`` (a phrase is
    listed under its best field only), in doc order: four bytes a posting, so a bank of a million
    phrases fits in memory. ``situations``: each phrase's own situations as term groups, encoded
    as stored (``_encode_groups``). (A plain class, like the records a search reads: a dataclass
    costs a search's start-up the time to generate its methods.)"""

    def __init__(self) -> None:
        self.postings: dict[str, tuple[array, array, array, array]] = {}
        self.situations: list[str] = []
        self.surface: dict[str, int] = {}
        self.family_terms: dict[str, set[str]] = {}
        self.family_groups: dict[str, list[list[frozenset[str]]]] = {}

    def telling_terms(self, families: Mapping[str, Family]) -> dict[str, list[str]]:
        """For each sensitive family, the terms of its situations that no other family's
        situations use ("died", "gas leak"): they say the moment is that one, where shared words
        ("account", "bill") do not."""
        ordinary: set[str] = set()
        for name, terms in self.family_terms.items():
            if not (families.get(name) and families[name].sensitive):
                ordinary |= terms
        return {
            name: sorted(terms - ordinary)
            for name, terms in self.family_terms.items()
            if families.get(name) and families[name].sensitive
        }


def term_pairs(groups: Sequence[frozenset[str]]) -> set[str]:
    """Two terms said one after the other ("smell gas"), as one term: a pair can tell a moment
    that neither word tells alone ("gas" is also a bill)."""
    return {f"{a} {b}" for first, second in zip(groups, groups[1:], strict=False) for a in first for b in second}


MEMO_TEXTS = 8192
"""Texts whose index terms one process keeps from build to build (``_terms_memo``), and the most
phrases a first pack may hold for the build to be kept where it stood after them (``_Resume``):
the built-in bank has about 3,000 texts (its 1,450 phrases, their situations and tags, its
families' situations), and it comes first in every build, so they are the ones kept; a larger
pack's texts past this are extracted as before and not kept, so the memo holds about 8 MB with
the bank (measured: 2,933 texts and its ``_Resume``) whatever the packs."""
_TERMS_MEMO: list = [None, {}, None]
"""[the lexicon's content, {text: (words, groups)}, the first pack's ``_Resume`` or ``None``]."""


def _terms_memo(lexicon: Lexicon) -> list:
    """``_TERMS_MEMO`` for this lexicon: the ``text_terms`` of the texts this process has
    already compiled with a lexicon of the same content, and where the last build stood after
    its first pack. A text's terms depend on its words and the lexicon alone, so a process that
    builds more than one index (the bank with one team pack, then another; a library caller; the
    tests) extracts the bank's terms once instead of once per build; another lexicon (a pack's
    synonyms) starts afresh."""
    key = (frozenset(lexicon.entries.items()), frozenset(lexicon.exact.items()))
    if _TERMS_MEMO[0] != key:
        _TERMS_MEMO[:] = [key, {}, None]
    return _TERMS_MEMO


class _Resume:
    """Where ``compile_phrases`` stood after the phrases of the first pack (the built-in bank in
    every build from the packs), kept with what they were: a build whose first pack holds the
    same phrases, with the same families, goes on from here, and so compiles only the packs
    after it. Nothing in it is changed after it is kept: the build that goes on copies what it
    adds to (a term's postings, the counts)."""

    def __init__(self, key: tuple, state: tuple) -> None:
        self.key = key
        self.state = state


def _first_pack_key(phrases: Sequence[Phrase], families: Mapping[str, Family]) -> tuple:
    """Everything compiling a run of phrases reads (their texts, situations, tags, category and
    family, and those families' situations and title), so that equal keys compile alike."""
    used = dict.fromkeys(p.family for p in phrases if p.family)
    return (
        tuple((p.text, p.situations, p.tags, p.category, p.family) for p in phrases),
        tuple((name, (families[name].situations, families[name].title) if name in families else None)
              for name in used),
    )  # fmt: skip


def compile_phrases(
    phrases: Iterable[Phrase],
    lexicon: Lexicon,
    categories: Iterable[Category] = (),
    families: Mapping[str, Family] | None = None,
) -> Compiled:
    """Extract every phrase's terms with the field each came from (the best field wins). A
    phrase's situations are its own and its family's. Each text is tokenised once; situations
    and tags, which phrases share, once per build (and once per process: ``_terms_memo``); the
    first pack's phrases, when the last build started with the very same (``_Resume``), not at
    all. The postings returned may be shared with later builds: they are only read."""
    from collections import Counter

    kept = _terms_memo(lexicon)
    memo = kept[1]

    def terms_of(text: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
        found = memo.get(text)
        if found is None:
            words, groups = text_terms(text, lexicon)
            found = (tuple(words), tuple(groups))  # shared from build to build: never changed
            if len(memo) < MEMO_TEXTS:
                memo[text] = found
        return found

    families = families or {}
    family_terms: dict[str, set[str]] = {}
    category_text = dict(KEYWORDS)
    for category in categories:
        category_text.setdefault(category.name, category.name.replace("-", " "))
    category_groups = {name: terms_of(text)[1] for name, text in category_text.items()}
    compiled = Compiled()
    postings = compiled.postings
    surface: Counter = Counter()
    shared: dict[str, tuple[tuple[str, ...], tuple[frozenset[str], ...]]] = {}
    shared_uses: Counter = Counter()  # how often each shared text is said, for ``surface``
    encoded: dict[tuple[str, ...], str] = {}

    def read_shared(text: str) -> tuple[tuple[str, ...], tuple[frozenset[str], ...]]:
        found = shared.get(text)
        if found is None:
            found = shared[text] = terms_of(text)
        return found

    phrases = phrases if isinstance(phrases, Sequence) else list(phrases)
    first = next((doc for doc, p in enumerate(phrases) if p.pack != phrases[0].pack), len(phrases))
    first_key = _first_pack_key(phrases[:first], families) if 0 < first <= MEMO_TEXTS else None
    inherited: dict[str, tuple[array, array, array, array]] = {}  # the kept postings, copied before adding to
    start = 0
    if first_key is not None and kept[2] is not None and kept[2].key == first_key:
        kept_postings, kept_surface, kept_shared, kept_uses, kept_encoded, kept_family = kept[2].state
        inherited = kept_postings
        postings = compiled.postings = dict(kept_postings)
        surface, shared_uses = Counter(kept_surface), Counter(kept_uses)
        shared, encoded = dict(kept_shared), dict(kept_encoded)
        family_terms = dict(kept_family[0])
        compiled.family_groups, compiled.family_terms = dict(kept_family[1]), dict(kept_family[2])
        compiled.situations = list(kept_family[3])
        start = first

    def keep() -> None:
        state = ({term: tuple(array("i", docs) for docs in fields) for term, fields in postings.items()},
                 Counter(surface), dict(shared), Counter(shared_uses), dict(encoded),
                 (dict(family_terms), dict(compiled.family_groups), dict(compiled.family_terms),
                  list(compiled.situations)))  # fmt: skip
        kept[2] = _Resume(first_key, state)

    for doc in range(start, len(phrases)):
        if doc == first and first_key is not None and start == 0:
            keep()
        phrase = phrases[doc]
        best: dict[str, int] = {}
        doc_situations = []
        family = families.get(phrase.family) if phrase.family else None
        if family is not None:
            if family.name not in family_terms:
                groups_list = [terms_of(text)[1] for text in family.situations]
                compiled.family_groups[family.name] = [groups for groups in groups_list if groups]
                family_terms[family.name] = {term for groups in groups_list for group in groups for term in group}
                compiled.family_terms[family.name] = family_terms[family.name] | {
                    pair for groups in groups_list for pair in term_pairs(groups)
                }
                for text in (*family.situations, family.title):
                    surface.update(terms_of(text)[0])
            best = dict.fromkeys(family_terms[family.name], 0)
        shared_uses.update(phrase.situations)
        shared_uses.update(phrase.tags)
        for text in phrase.situations:
            words, groups = read_shared(text)
            if groups:
                doc_situations.append(groups)
                for group in groups:
                    for term in group:
                        best.setdefault(term, 0)
        for text in phrase.tags:
            words, groups = read_shared(text)
            for group in groups:
                for term in group:
                    best.setdefault(term, 1)
        groups = category_groups.get(phrase.category) or read_shared(phrase.category.replace("-", " "))[1]
        for group in groups:
            for term in group:
                best.setdefault(term, 2)
        words, groups = terms_of(phrase.text)
        surface.update(words)
        for group in groups:
            for term in group:
                best.setdefault(term, 3)
        for term, code in best.items():
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = (array("i"), array("i"), array("i"), array("i"))
            elif inherited and entry is inherited.get(term):
                entry = postings[term] = tuple(array("i", docs) for docs in entry)
            entry[code].append(doc)
        situations = encoded.get(phrase.situations)
        if situations is None:
            situations = encoded[phrase.situations] = _encode_groups(doc_situations)
        compiled.situations.append(situations)
    if first == len(phrases) and first_key is not None and start == 0:
        keep()
    for text, uses in shared_uses.items():
        for word in shared[text][0]:
            surface[word] += uses
    for key in (*lexicon.entries, *lexicon.exact):
        for word in key:
            surface.setdefault(word, 0)
    for text in category_text.values():
        for word in terms_of(text)[0]:
            surface.setdefault(word, 0)
    compiled.surface = dict(surface)
    return compiled


_SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value) WITHOUT ROWID;
CREATE TABLE terms (term TEXT PRIMARY KEY, idf REAL, f0 BLOB, f1 BLOB, f2 BLOB, f3 BLOB, seal INTEGER) WITHOUT ROWID;
CREATE TABLE vocab (word TEXT PRIMARY KEY, first TEXT, length INTEGER, freq INTEGER) WITHOUT ROWID;
CREATE INDEX vocab_first ON vocab (first, length);
CREATE TABLE lexicon (first TEXT, key TEXT, heads TEXT, exact INTEGER);
CREATE INDEX lexicon_first ON lexicon (first);
CREATE TABLE family_groups (family TEXT PRIMARY KEY, groups TEXT) WITHOUT ROWID;
CREATE TABLE files (path TEXT PRIMARY KEY, record TEXT) WITHOUT ROWID;
CREATE TABLE phrases (
    doc INTEGER PRIMARY KEY, pack TEXT, id TEXT, category TEXT, text TEXT, situations TEXT,
    tags TEXT, channels TEXT, tone TEXT, source TEXT, line INTEGER, family TEXT, seal INTEGER
);
CREATE TABLE situations (offsets BLOB, ids BLOB, situations TEXT, seal INTEGER);
CREATE TABLE kept (key TEXT PRIMARY KEY, value BLOB);
"""
KEPT = "kept"
"""The table of what other commands than search keep in the entry, read only by them (a search
reads all of ``meta``): check's compiled rules."""


def write_index(
    conn: sqlite3.Connection,
    phrases: Sequence[Phrase],
    synonyms: dict[str, Sequence[str]] | None = None,
    categories: Iterable[Category] = (),
    meta: dict | None = None,
    families: Mapping[str, Family] | None = None,
    file_records: Mapping[str, str] | None = None,
    kept: Mapping[str, bytes] | None = None,
) -> None:
    """Compile ``phrases`` and write them into the empty database ``conn`` (with the packs'
    ``file_records``, for the next build, and the ``kept`` values: see ``KEPT``)."""
    categories = list(categories)
    families = dict(families or {})
    lexicon = Lexicon.from_synonyms(synonyms or {})
    compiled = compile_phrases(phrases, lexicon, categories, families)
    count = max(len(phrases), 1)
    conn.executescript(_SCHEMA)
    conn.executemany(
        "INSERT INTO terms VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            term_row(term, math.log(1 + (count - (held := sum(map(len, fields))) + 0.5) / (held + 0.5)), fields)
            for term, fields in compiled.postings.items()
        ),
    )
    conn.executemany(
        "INSERT INTO vocab VALUES (?, ?, ?, ?)",
        (
            (word, word[0], len(word), freq)
            for word, freq in compiled.surface.items()
            if len(word) >= 3 and not word.isdigit()
        ),
    )
    conn.executemany(
        "INSERT INTO lexicon VALUES (?, ?, ?, ?)",
        [(key[0], " ".join(key), " ".join(heads), 0) for key, heads in lexicon.entries.items()]
        + [(key[0], " ".join(key), " ".join(heads), 1) for key, heads in lexicon.exact.items()],
    )
    conn.executemany("INSERT INTO phrases VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", _phrase_rows(phrases))
    conn.execute("INSERT INTO situations VALUES (?, ?, ?, ?)", situation_row(situation_columns(compiled.situations)))
    conn.execute("CREATE INDEX phrases_id ON phrases (id)")  # after the rows: one sort, not 100,000 inserts
    conn.executemany("INSERT INTO files VALUES (?, ?)", (file_records or {}).items())
    conn.executemany("INSERT INTO kept VALUES (?, ?)", (kept or {}).items())
    conn.executemany(
        "INSERT INTO family_groups VALUES (?, ?)",
        [(name, _encode_groups(groups)) for name, groups in compiled.family_groups.items()],
    )
    pack_names = list(dict.fromkeys(p.pack for p in phrases))
    family_names = list(dict.fromkeys([*families, *(p.family for p in phrases if p.family)]))

    category_names = list(dict.fromkeys([*(c.name for c in categories), *(p.category for p in phrases)]))
    pack_number = {name: number for number, name in enumerate(pack_names)}
    category_number = {name: number for number, name in enumerate(category_names)}
    family_number = {name: number for number, name in enumerate(family_names)}
    values = {
        "schema": SCHEMA_VERSION,
        "count": len(phrases),
        "max_idf": math.log(1 + (count - 0.5) / 1.5) if count > 1 else 1.0,
        "pack_names": _join(pack_names),
        "category_names": _join(category_names),
        "category_steps": _join(f"{c.name}={c.step}" for c in categories if c.step),
        "doc_pack": number_column((pack_number[p.pack] for p in phrases), len(pack_names)),
        "doc_category": number_column((category_number[p.category] for p in phrases), len(category_names)),
        "doc_channels": bytes(sum(CHANNEL_BITS[c] for c in p.channels) for p in phrases),
        "doc_family": number_column(
            (family_number[p.family] + 1 if p.family else 0 for p in phrases), len(family_names) + 1
        ),
        "doc_general": bytes(1 if p.general else 0 for p in phrases),
        "families": _sealed(
            [(families[name].to_dict() if name in families else Family(name).to_dict()) for name in family_names]
        ),
        "telling_terms": _sealed(compiled.telling_terms(families)),
        **(meta or {}),
    }
    conn.executemany("INSERT INTO meta VALUES (?, ?)", values.items())
    conn.commit()


class Index:
    """Read access to a compiled index; ``search.rank_phrases`` needs nothing else."""

    def __init__(self, conn: sqlite3.Connection, path: str = ":memory:") -> None:
        self.conn = conn
        self.path = path
        meta = dict(conn.execute("SELECT key, value FROM meta"))
        if meta.get("schema") != SCHEMA_VERSION:
            raise sqlite3.DatabaseError("index schema differs")
        self.meta = meta
        self.count: int = meta["count"]
        self.max_idf: float = meta["max_idf"]
        self.pack_names: list[str] = list(_split(meta["pack_names"]))
        self.category_names: list[str] = list(_split(meta["category_names"]))
        steps = (item.partition("=") for item in _split(meta.get("category_steps")))
        self.category_steps: dict[str, int] = {name: int(step) for name, _, step in steps}
        self.doc_pack = view_column(meta["doc_pack"], self.count)
        self.doc_category = view_column(meta["doc_category"], self.count)
        self.doc_channels: bytes = meta["doc_channels"]
        self.doc_family = view_column(meta["doc_family"], self.count)
        self.doc_general: bytes = meta["doc_general"]
        if any(len(column) != self.count for column in (self.doc_pack, self.doc_channels, self.doc_family,
                                                        self.doc_general)):  # fmt: skip
            raise sqlite3.DatabaseError("index is truncated")
        self._families: dict[str, Family] | None = None
        self._family_names: list[str] | None = None
        self._texts_cache: dict[str | None, str] = {}
        self.category_ranks: list[int] | None = None  # search._category_ranks
        self.known_shares: tuple | None = None  # search._relevance's memo for one query's terms
        self._telling: dict[str, frozenset[str]] | None = None
        self._members: dict[str | None, list[int]] = {}
        self._familied: bytes | None = None
        self._postings: dict[str, tuple[float, tuple[array, ...]] | None] = {}
        self._situations: Situations | None = None
        self.last_scoring: tuple | None = None
        """The last query ranked and its keyword scores (``search.Scoring``), kept for the next
        ranking of the same words with other filters."""

    def term(self, term: str) -> tuple[float, tuple[array, ...]] | None:
        """The IDF of ``term`` and the phrases holding it, one array of doc numbers per field
        (in the order of ``FIELDS``; a phrase is listed under its best field only), or ``None``."""
        if term not in self._postings:
            row = self.conn.execute("SELECT idf, f0, f1, f2, f3, seal FROM terms WHERE term = ?", (term,)).fetchone()
            if row is None:
                self._postings[term] = None
            else:
                if _seal_term(term, row[0], row[1:5]) != row[5]:
                    raise ValueError("a damaged term in the index")  # DAMAGE: the entry is built again
                fields = []
                for blob in row[1:5]:
                    docs = array("i")
                    docs.frombytes(blob)
                    fields.append(docs)
                self._postings[term] = (row[0], tuple(fields))
        return self._postings[term]

    def idf(self, term: str) -> float | None:
        found = self.term(term)
        return found[0] if found else None

    def knows_word(self, word: str) -> bool:
        return self.conn.execute("SELECT 1 FROM vocab WHERE word = ?", (word,)).fetchone() is not None

    def words_like(self, word: str, shortest: int, longest: int) -> list[str]:
        """Words of the bank with the same first letter and a length in range, most frequent first."""
        rows = self.conn.execute(
            "SELECT word FROM vocab WHERE first = ? AND length BETWEEN ? AND ? ORDER BY freq DESC, word",
            (word[0], shortest, longest),
        )
        return [row[0] for row in rows]

    def lexicon_for(self, stems: Iterable[str] | None) -> Lexicon:
        """The synonyms that may occur in a text with these stems (``None``: all of them)."""
        lexicon = Lexicon()
        rows: Iterable = ()
        if stems is None:
            rows = self.conn.execute("SELECT key, heads, exact FROM lexicon")
        elif firsts := sorted(set(stems)):
            marks = ",".join("?" * len(firsts))
            rows = self.conn.execute(f"SELECT key, heads, exact FROM lexicon WHERE first IN ({marks})", firsts)
        for key, heads, exact in rows:
            (lexicon.exact if exact else lexicon.entries)[tuple(key.split(" "))] = tuple(heads.split(" "))
        lexicon.refresh()
        return lexicon

    def file_records(self) -> dict[str, str]:
        """The phrases files this index was built from, as ``packs.file_record``s by path."""
        try:
            return dict(self.conn.execute("SELECT path, record FROM files"))
        except sqlite3.Error:
            return {}

    def pack_of(self, doc: int) -> str:
        return self.pack_names[self.doc_pack[doc]]

    @property
    def families(self) -> dict[str, Family]:
        """The situation families of the packs in force, by name (in the order they were declared)."""
        if self._families is None:
            self._families = {}
            for item in _unsealed(self.meta["families"]):
                item["situations"] = tuple(item["situations"])
                self._families[item["name"]] = Family(**item)
        return self._families

    def catalogue(self) -> Catalogue | None:
        """The packs in force (as ``Pack.to_dict`` rows), the categories and the templates, as
        they were when the index was built; ``None`` for an index built without them (in
        memory, for tools)."""
        raw = self.meta.get("catalogue")
        if not raw:
            return None
        import json

        data = json.loads(raw)
        return Catalogue(data["packs"], [Category(**item) for item in data["categories"]],
                         data.get("templates", []), data.get("template_problems", []))  # fmt: skip

    def telling_terms(self) -> dict[str, frozenset[str]]:
        """The terms that say a sensitive family's moment is happening (see ``Compiled``)."""
        if self._telling is None:
            telling = _unsealed(self.meta["telling_terms"])
            self._telling = {name: frozenset(terms) for name, terms in telling.items()}
        return self._telling

    def family_of(self, doc: int) -> str | None:
        """The family a phrase belongs to, or ``None``."""
        number = self.doc_family[doc]
        return self.family_names()[number - 1] if number else None

    def family_names(self) -> list[str]:
        """The families' names by number: ``doc_family`` holds a name's position plus one."""
        if self._family_names is None:
            self._family_names = list(self.families)
        return self._family_names

    def is_general(self, doc: int) -> bool:
        """A phrase written for no particular situation (no family and no situations)."""
        return bool(self.doc_general[doc])

    def familied(self) -> bytes:
        """A byte per phrase, not zero when it is in a family or general (``doc_family`` or
        ``doc_general`` not zero): the phrases a family is chosen from. Made once from the two
        columns as whole numbers, so a ranking reads one column instead of two for each of tens
        of thousands of candidates."""
        if self._familied is None:
            data, size = self.doc_family.tobytes(), self.doc_family.itemsize
            combined = int.from_bytes(self.doc_general, "little")
            for offset in range(size):
                combined |= int.from_bytes(data[offset::size], "little")
            self._familied = combined.to_bytes(self.count, "little")
        return self._familied

    def docs_of_family(self, name: str | None) -> list[int]:
        """The phrases of a family (``None``: the general phrases), in bank order; each family's
        found once, by searching the index's columns as bytes (render and script ask for each
        step; comparing each phrase's number took 10 ms at 100,000 phrases)."""
        if name not in self._members:
            if name is None:
                numbers = self.doc_family
                docs = [doc for doc in _positions(self.doc_general, b"\x01", 1) if not numbers[doc]]
            elif name in self.families:
                number = self.family_names().index(name) + 1
                column = self.doc_family
                docs = _positions(column.tobytes(), array(column.format, [number]).tobytes(), column.itemsize)
            else:
                docs = []
            self._members[name] = docs
        return self._members[name]

    def situated_without_family(self, most: int) -> list[int] | None:
        """The phrases in no family that are written for a situation (a team's own phrases for an
        issue), in bank order; ``None`` when there are more than ``most`` (found without reading
        past that many, whatever the size of the bank)."""
        column, general = self.doc_family, self.doc_general
        unfamilied = _positions(column.tobytes(), bytes(column.itemsize), column.itemsize, most + general.count(1))
        if unfamilied is None:
            return None
        docs = [doc for doc in unfamilied if not general[doc]]
        return docs if len(docs) <= most else None

    def category_of(self, doc: int) -> str:
        return self.category_names[self.doc_category[doc]]

    def fits_channel(self, doc: int, channel: str) -> bool:
        bits = self.doc_channels[doc]
        return not bits or bool(bits & CHANNEL_BITS[channel])

    def situations(self) -> Situations:
        """Every phrase's own situations by number (``Situations``), read once."""
        if self._situations is None:
            self._situations = read_situations(self.conn, self.count)
        return self._situations

    def situation_texts(self, docs: Sequence[int]) -> dict[int, tuple[str, str]]:
        """Each doc's situations still encoded (``_encode_groups``): its family's, then its own.
        A ranking reads only whether each group holds a query term, which the encoded text
        tells without building a set per group."""
        family_text, names, numbers = self._family_text, self.family_names(), self.doc_family
        own = self.situation_rows(docs)
        return {doc: (family_text(names[numbers[doc] - 1] if numbers[doc] else None), own[doc]) for doc in docs}

    def situation_rows(self, docs: Sequence[int]) -> dict[int, str]:
        """Each doc's own situations encoded (``_encode_groups``; its family's are
        ``family_text``'s, by ``doc_family``)."""
        offsets, ids, table = self.situations()
        return {doc: GROUP.join(map(table.__getitem__, ids[offsets[doc] : offsets[doc + 1]])) for doc in docs}

    def family_text(self, family: str | None) -> str:
        """A family's situations, encoded (``_encode_groups``); empty for none."""
        return self._family_text(family)

    def _family_text(self, family: str | None) -> str:
        if family is None:
            return ""
        if not self._texts_cache:  # all at once: a ranking asks for a few dozen, one query each cost more
            rows = self.conn.execute("SELECT family, groups FROM family_groups")
            self._texts_cache = {name: groups or "" for name, groups in rows}
            self._texts_cache[None] = ""  # read: not read again for a bank without families
        return self._texts_cache.get(family, "")

    def texts(self) -> tuple[list[str], list[int]]:
        """Every phrase's text then its situations (its own and its family's), in phrase order, and
        each phrase's first row."""
        texts, starts = [], []
        families = self.families
        rows = self.conn.execute("SELECT text, situations, family FROM phrases ORDER BY doc")
        for text, situations, family in rows:
            starts.append(len(texts))
            texts.append(text)
            texts.extend(_split(situations))
            if family in families:
                texts.extend(families[family].situations)
        return texts, starts

    def lookup(self, phrase_id: str) -> Phrase:
        """A phrase by full or unambiguous short id, or the error ``packs.resolve_id`` raises."""
        found = self.find(phrase_id)  # one indexed lookup; the whole list only to explain a miss
        if found is not None:
            return found
        from .packs import resolve_id

        rows = self.conn.execute("SELECT doc, pack, id FROM phrases ORDER BY doc").fetchall()
        doc = rows[resolve_id([(pack, short) for _, pack, short in rows], phrase_id)][0]
        return self.phrases([doc])[doc]

    def _kept(self, key: str):
        """A value of the ``kept`` table (see ``KEPT``), or ``None``."""
        row = self.conn.execute("SELECT value FROM kept WHERE key = ?", (key,)).fetchone()
        return _unsealed(row[0]) if row and row[0] else None

    def stored_rules(self) -> dict | None:
        """The rules ``check`` runs, compiled when the index was built (``check.stored_rules``);
        ``None`` for an index built without them."""
        return self._kept("rules")

    def avoid(self) -> list:
        """The packs' ``avoid:`` rules, kept when the index was built (as ``model.Pack``s)."""
        raw = self.meta.get("avoid")
        if not raw:
            return []
        import json

        return [Pack(name=item["name"], path=item["path"], origin="", avoid=item["avoid"]) for item in json.loads(raw)]

    def find(self, phrase_id: str) -> Phrase | None:
        """A phrase by its full id (``pack/id``), or by a short id that only one pack uses."""
        pack, _, short = phrase_id.rpartition("/")
        if pack:
            rows = self.conn.execute("SELECT doc FROM phrases WHERE pack = ? AND id = ?", (pack, short)).fetchall()
        else:
            rows = self.conn.execute("SELECT doc FROM phrases WHERE id = ?", (short,)).fetchall()
        if len(rows) != 1:
            return None
        return self.phrases([rows[0][0]])[rows[0][0]]

    def phrases(self, docs: Sequence[int]) -> dict[int, Phrase]:
        docs = list(docs)
        rows = []
        for start in range(0, len(docs), 500):  # SQLite takes a bounded number of parameters
            chunk = docs[start : start + 500]
            marks = ",".join("?" * len(chunk))
            rows += self.conn.execute(
                "SELECT doc, pack, id, category, text, situations, tags, channels, tone, source, line, family, seal "
                f"FROM phrases WHERE doc IN ({marks})",
                chunk,
            ).fetchall()
        for row in rows:
            if _seal_row(row[1:11], row[11]) != row[12]:
                raise ValueError("a damaged phrase in the index")  # DAMAGE: the entry is built again
        return {
            row[0]: Phrase(
                id=row[2],
                pack=row[1],
                category=row[3],
                text=row[4],
                situations=_split(row[5]),
                tags=_split(row[6]),
                channels=_split(row[7]),
                tone=row[8],
                source=row[9],
                line=row[10],
                family=row[11],
            )
            for row in rows
        }


class Catalogue(NamedTuple):
    """What the index keeps beside the phrases: the packs in force, the categories, and the
    templates (``Template.to_dict`` rows with ``body_line``) with the problems met reading them
    (``{"message", "path"}``)."""

    packs: list[dict]
    categories: list[Category]
    templates: list[dict]
    template_problems: list[dict]


def build_index(
    phrases: Sequence[Phrase],
    synonyms: dict[str, Sequence[str]] | None = None,
    categories: Iterable[Category] = (),
    families: Mapping[str, Family] | None = None,
) -> Index:
    """An index held in memory: for tests, tools, and when the cache cannot be written."""
    conn = sqlite3.connect(":memory:")
    write_index(conn, phrases, synonyms, categories, families=families)
    return Index(conn)


def build_pack_index(pack_set) -> Index:
    """An in-memory index of a ``packs.PackSet``: its phrases, merged synonyms, categories and
    families."""
    return build_index(pack_set.phrases, pack_set.synonyms(), pack_set.categories(), pack_set.families())


# The cache ---------------------------------------------------------------------------------------


def _site_stamp() -> list[str]:
    """What changes when Python packages are installed, upgraded or removed: the modification
    times of the site-packages folders (a distribution's metadata folder is added or renamed)."""
    return [_stat_line(entry) for entry in sys.path if os.path.basename(entry) in ("site-packages", "dist-packages")]


FINGERPRINTED_MODULES = ("index.py", "text.py", "categories.py", "packs.py", "validate.py", "render.py", "check.py",
                         "patterns.py", "rules.yaml", "reading.py", "channels.py", "sandbox.py")  # fmt: skip
"""The modules whose code shapes an index: an edited source checkout builds again (reading.py
holds ``TIME``, which the stored rules' ``{time}`` is written out to)."""


def file_stamp(path: str | os.PathLike) -> str:
    """A file's (or folder's) identity for staleness: size and modification time, plus its
    change time and inode, which a restored modification time (``cp -p``, ``tar x``, ``git
    checkout``) cannot put back; ``-`` when there is nothing there."""
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return "-"
    return f"{info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}"


RACY_SECONDS = 3.0
"""A file changed this close to the moment it was stamped could change again without its stamp
changing, where times are coarse (FAT keeps 2 s, some network file systems 1 s) and change times
and inodes are not kept: such a file's content checksum is stored too, and checked while it is
in the entry (the "racy" files, as git calls them)."""


def _content_checksum(path: str | os.PathLike) -> str:
    with open(path, "rb") as handle:
        return str(zlib.crc32(handle.read()))


def _racy_files(files: tuple) -> str:
    """The pack and template files changed within ``RACY_SECONDS`` of now, each with its stamp
    and the checksum of its content (``files``: ``pack_files``)."""
    import stat
    import time

    templates, per_source = files
    now = time.time()
    racy = []
    for path in [*templates, *(path for _, paths, _ in per_source for path in paths)]:
        try:
            info = os.stat(path)
            if stat.S_ISREG(info.st_mode) and now - info.st_mtime < RACY_SECONDS:  # never open a pipe
                racy.append(f"{path}{UNIT}{file_stamp(path)}{UNIT}{_content_checksum(path)}")
        except (OSError, ValueError):
            continue
    return RECORD.join(racy)


def _racy_check(racy: str | None) -> tuple[bool, str]:
    """Whether a file stored as racy (``_racy_files``) holds something else under the same
    stamp, and the records of those still racy. A file whose stamp changed is left to the
    stamps; once a file is older than ``RACY_SECONDS`` and still holds what was read, a later
    change would change its stamp, so its checksum is no longer needed."""
    if not racy:
        return False, ""
    import time

    now, still = time.time(), []
    for record in racy.split(RECORD):
        path, stamp, checksum = record.split(UNIT)
        if file_stamp(path) != stamp or not os.path.isfile(path):  # changed (the stamps tell), or no file
            continue
        try:
            if _content_checksum(path) != checksum:
                return True, racy
            if now - os.stat(path).st_mtime < RACY_SECONDS:
                still.append(record)
        except (OSError, ValueError):
            return True, racy
    return False, RECORD.join(still)


def _stat_line(path: str | Path) -> str:
    return f"{path} {file_stamp(path)}"


def pack_files(sources: Sequence) -> tuple[list, list[tuple[object, list, int]]]:
    """The files an entry is built from, listed once for its fingerprint and its watch: the
    template files, and for each source its ``pack.yaml`` and phrases files, with how many
    phrases files have names that are not UTF-8 (left out, but their number is noticed)."""
    from .packs import misnamed_phrase_files, phrase_files, template_files

    per_source = []
    for source in sources:
        builtin = source.origin == "builtin"
        files = [source.path / "pack.yaml", *phrase_files(source.path, builtin)]
        per_source.append((source, files, len(misnamed_phrase_files(source.path, builtin))))
    return template_files(sources), per_source


def fingerprint(sources: Sequence, site_stamp: Sequence[str] = (), files: tuple | None = None) -> str:
    """Every pack file's path and ``_stat_line``, phrasekit's version and the state of
    site-packages (so installing a pack package is noticed), as text compared whole. The modules
    that shape the index are included, so an edited source checkout rebuilds too. ``files``:
    ``pack_files(sources)`` when the caller has it already."""
    templates, per_source = files or pack_files(sources)
    here = os.path.dirname(__file__)
    lines = [f"schema {SCHEMA_VERSION} phrasekit {__version__}", *site_stamp]
    lines += [_stat_line(os.path.join(here, name)) for name in FINGERPRINTED_MODULES]
    lines += [_stat_line(path) for path in templates]
    for source, paths, misnamed in per_source:
        # Real paths, so that every spelling of a folder reads the same entry as current.
        folder = str(source.path)
        real = _real(folder)
        lines.append(f"{source.origin} {real}")
        lines += [real + _stat_line(path)[len(folder) :] for path in paths]
        lines.append(f"misnamed {misnamed}")
    return "\n".join(lines)


class LoadedIndex(NamedTuple):
    index: Index
    problems: list[PhrasekitError]
    state: str  # "current", "rebuilt", "memory"


def _open_cached(path: Path) -> Index | None:
    try:
        info = os.stat(path)
    except (OSError, ValueError):
        return None
    import stat

    if not stat.S_ISREG(info.st_mode):
        return None
    try:
        uri = os.fspath(path).replace("%", "%25").replace("?", "%3f").replace("#", "%23")
        conn = sqlite3.connect(f"file:{uri}?mode=ro", uri=True)
        return Index(conn, str(path))
    except (sqlite3.Error, KeyError, ValueError, TypeError):
        return None


def cached_index(paths: Sequence[str | os.PathLike] = ()) -> Index | None:
    """The cached entry for the packs in force as it is, current or not, or ``None`` when there
    is none: never built nor brought up to date, for shell completion (a Tab press must answer at
    once, and a name or two out of date there is harmless)."""
    return _open_cached(entry_file(paths))  # a string: os.stat and sqlite take one


def _touch(path: Path) -> None:
    """Record that an entry was used (for least-recently-used clean-up), at most once a minute."""
    import time

    try:
        if time.time() - os.stat(path).st_mtime > TOUCH_AFTER:
            os.utime(path)
    except OSError:
        pass


def cache_entries() -> list[Path]:
    """Every index entry in the cache folder, most recently used first."""
    folder = cache_dir()
    found = []
    try:
        with os.scandir(folder) as listing:
            for item in listing:
                ours = item.name.startswith("index-v") and item.name.endswith(".sqlite")
                if ours and item.is_file(follow_symlinks=False):
                    found.append((item.stat().st_mtime, item.name))
    except OSError:
        return []
    return [folder / name for _, name in sorted(found, reverse=True)]


def prune_cache(keep: Path) -> list[Path]:
    """Remove entries past ``MAX_ENTRIES`` or ``MAX_BYTES`` (least recently used first), entries
    of older schemas, and semantic matrices no kept entry can use; ``keep`` always stays."""
    removed = []
    prefix = f"index-v{SCHEMA_VERSION}-"
    entries = cache_entries()
    kept, total = [keep], _size(keep)
    for path in entries:
        if path == keep:
            continue
        size = _size(path)
        if path.name.startswith(prefix) and len(kept) < MAX_ENTRIES and total + size <= MAX_BYTES:
            kept.append(path)
            total += size
        elif _unlink(path):
            removed.append(path)
    import time

    for path in cache_dir().glob(".index-*.tmp"):  # left by a build that was killed
        try:
            stale = time.time() - path.stat().st_mtime > 3600
        except OSError:
            continue
        if stale and _unlink(path):
            removed.append(path)
    wanted = set()
    for path in kept:
        opened = _open_cached(path)
        if opened is not None:
            wanted.add(semantic_key(opened.meta.get("fingerprint", "")))
            opened.conn.close()
    for path in cache_dir().glob("semantic-*.npy"):
        key = path.name[len("semantic-") :].split(".", 1)[0]
        if key not in wanted and _unlink(path):
            removed.append(path)
    return removed


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _unlink(path: Path) -> bool:
    try:
        path.unlink()
    except OSError:
        return False
    return True


def semantic_key(fingerprint_text: str) -> str:
    """The name of an entry's semantic matrices: its fingerprint and the model's, so a rebuilt
    entry never reads another's vectors."""
    from .encoder import MODEL_SHA256

    return _checksum_name(f"{fingerprint_text}\n{MODEL_SHA256}")


def _problems_from(raw: str | None) -> list[PhrasekitError]:
    """Broken packs met when the index was built, so a cached search still warns about them."""
    if not raw:
        return []
    import json

    return [
        (PackError if item.get("kind", "pack") == "pack" else PhrasekitError)(
            item["message"],
            Location(*item["location"]) if item["location"] else None,
            hint=item.get("hint"),
            findings=[Finding(Location(*f["location"]), f["message"]) for f in item["findings"]],
        )
        for item in json.loads(raw)
    ]


def _problems_to(problems: Sequence[PhrasekitError]) -> str:
    import json

    def place(location: Location | None) -> list | None:
        return [location.path, location.line, location.column] if location else None

    if not problems:
        return ""
    return json.dumps(
        [
            {
                "kind": "pack" if isinstance(problem, PackError) else "error",
                "message": problem.message,
                "hint": problem.hint,
                "location": place(problem.location),
                "findings": [{"location": place(f.location), "message": f.message} for f in problem.findings[:1]],
            }
            for problem in problems
        ]
    )


def _avoid_to(packs) -> str:
    with_rules = [{"name": p.name, "path": p.path, "avoid": p.avoid} for p in packs if p.avoid]
    if not with_rules:
        return ""
    import json

    return json.dumps(with_rules)


RULES_MEMO = 8
"""Sets of rules one process keeps compiled from build to build (``_rules_to``): the built-in
rules with each set of packs' ``avoid:`` rules it built last; each is some tens of KB."""
_RULES_MEMO: dict[tuple[str, str], bytes] = {}


def _rules_to(packs) -> bytes:
    """The rules of ``check`` (the built-in ones, then the packs' ``avoid:``), parsed and
    compiled for the entry; nothing when a built-in rule does not compile (``check`` then reads
    them itself and says what is wrong). They depend on rules.yaml and on each pack's name,
    folder and ``avoid:`` entries alone, so a process building more than one index parses them
    once for each of those (parsing the built-in rules' patterns was a sixth of a build)."""
    from .check import stored_rules

    key = (_stat_line(os.path.join(os.path.dirname(__file__), "rules.yaml")),
           repr([(pack.name, pack.path, pack.avoid) for pack in packs if pack.avoid]))  # fmt: skip
    if key not in _RULES_MEMO:
        try:
            value = _sealed(stored_rules(packs))
        except PhrasekitError:
            value = b""
        while len(_RULES_MEMO) >= RULES_MEMO:
            del _RULES_MEMO[next(iter(_RULES_MEMO))]  # the oldest
        _RULES_MEMO[key] = value
    return _RULES_MEMO[key]


def _catalogue_to(pack_set) -> str:
    """The packs in force, their categories and the templates (with the problems met reading
    them), so listing them, or finding a template to render, never scans folders or parses YAML."""
    import json

    from .render import load_templates

    templates, problems = load_templates(pack_set.packs)
    return json.dumps(
        {
            "packs": [pack.to_dict() for pack in pack_set.packs],
            "categories": [category.to_dict() for category in pack_set.categories()],
            "templates": [{**template.to_dict(), "body_line": template.body_line} for template in templates.values()],
            "template_problems": [{"message": warning_text(problem), "path": None} for problem in problems],
        }
    )


def _entry_points_to(entry_points: Sequence[tuple[Path | None, str]]) -> str:
    return RECORD.join(f"{folder or ''}{UNIT}{label}" for folder, label in entry_points)


def _entry_points_from(text: str) -> list[tuple[Path | None, str]]:
    from pathlib import Path

    found = []
    for record in filter(None, text.split(RECORD)):
        folder, _, label = record.partition(UNIT)
        found.append((Path(folder) if folder else None, label))
    return found


def load_index(paths: Sequence[str | os.PathLike] = (), rebuild: bool = False) -> LoadedIndex:
    """The index for the packs in force: the cached one when current, else a fresh one.

    An entry is current when every file and folder it watched keeps its stamp (``_watch``): a
    few ``stat`` calls, no folder listed, no ``pathlib``. Otherwise the packs are found again and
    their fingerprint compared; a one-file edit updates the entry in place (``refresh``); else
    the entry is built again, reusing the phrases files that did not change."""
    path = entry_file(paths)
    cached = None if rebuild else _open_cached(path)
    site = "\n".join(_site_stamp())
    racy_changed, still_racy = _racy_check(cached.meta.get("racy")) if cached is not None else (False, "")
    if (cached is not None and not racy_changed and cached.meta.get("site_stamp") == site
            and _unchanged(cached.meta.get("watch"))):  # fmt: skip
        if still_racy != (cached.meta.get("racy") or ""):
            _update_meta(path, {"racy": still_racy})
        _touch(path)
        _IN_USE.append(path)
        problems = _problems_from(cached.meta.get("path_problems")) + _problems_from(cached.meta.get("problems"))
        return LoadedIndex(cached, problems, "current")
    from pathlib import Path

    from .packs import discover_packs

    entry_points = None
    if cached is not None and cached.meta.get("site_stamp") == site:
        entry_points = _entry_points_from(cached.meta.get("entry_points", ""))
    sources, path_problems, entry_points = discover_packs(paths, entry_points=entry_points)
    files = pack_files(sources)
    key = fingerprint(sources, site.split("\n") if site else [], files)
    watch = {"watch": _watch(sources, paths, files), "path_problems": _problems_to(path_problems),
             "racy": _racy_files(files)}  # fmt: skip
    if cached is not None and cached.meta.get("fingerprint") == key and not racy_changed:
        _update_meta(path, watch)  # a folder's stamp changed, not what it holds (an editor's swap file)
        _touch(path)
        _IN_USE.append(path)
        return LoadedIndex(cached, path_problems + _problems_from(cached.meta.get("problems")), "current")
    known = {}
    if cached is None:
        known = _records_elsewhere(path)
    if cached is not None:
        known = {} if racy_changed else cached.file_records()  # a racy file's stamps told nothing
        from . import refresh

        edited = refresh.changed_file(cached.meta.get("fingerprint", ""), key)
        if edited is not None and not racy_changed and refresh.update_entry(cached, Path(path), edited, sources,
                                                                            key, watch):  # fmt: skip
            opened = _open_cached(path)
            if opened is not None and opened.meta.get("fingerprint") == key:
                return LoadedIndex(opened, path_problems + _problems_from(opened.meta.get("problems")), "rebuilt")
        cached.conn.close()
    from .packs import load_sources

    pack_set = load_sources(sources, known=known)
    meta = {
        "fingerprint": key,
        "site_stamp": site,
        "entry_points": _entry_points_to(entry_points),
        "problems": _problems_to(pack_set.problems),
        "packs": _join(pack.name for pack in pack_set.packs),
        "avoid": _avoid_to(pack_set.packs),
        "catalogue": _catalogue_to(pack_set),
        "phrasekit": __version__,
        "semantic_extra": _semantic_extra(),
        **watch,
    }
    records = {file: record for pack in pack_set.packs for file, record in pack.file_records.items()}
    kept = {"rules": _rules_to(pack_set.packs)}
    args = (pack_set.phrases, pack_set.synonyms(), pack_set.categories(), meta, pack_set.families(), records, kept)
    problems = path_problems + pack_set.problems
    try:
        _write_atomically(Path(path), args)
        opened = _open_cached(path)
        if opened is not None and opened.meta.get("fingerprint") == key:
            prune_cache(keep=Path(path))
            return LoadedIndex(opened, problems, "rebuilt")
    except (OSError, sqlite3.Error, PhrasekitError):
        pass
    conn = sqlite3.connect(":memory:")
    write_index(conn, *args)
    return LoadedIndex(Index(conn), problems, "memory")


def _records_elsewhere(path: str) -> dict[str, str]:
    """The phrases files read for the most recently used other entry (``file_record``s are
    checked against each file's stamps, so any entry's will do): adding a ``--path`` to the
    built-in bank does not read the bank again."""
    for entry in cache_entries():
        if str(entry) == path or not entry.name.startswith(f"index-v{SCHEMA_VERSION}-"):
            continue
        opened = _open_cached(entry)
        if opened is not None:
            try:
                return opened.file_records()
            finally:
                opened.conn.close()
    return {}


def _semantic_extra() -> str:
    """Whether the semantic extra's packages are installed ("present" or "missing"), kept with
    the entry: installing or removing them changes site-packages, which builds it again, so a
    search need not look for them (or import the semantic modules) to know."""
    from importlib.util import find_spec

    from .encoder import EXTRA_MODULES

    return "present" if all(find_spec(name) is not None for name in EXTRA_MODULES) else "missing"


DAMAGE = (sqlite3.DatabaseError, ValueError, KeyError, IndexError, TypeError, OverflowError, EOFError)
"""What reading a damaged cache entry can raise (a malformed page, a truncated or garbled value)."""
_IN_USE: list[str] = []  # the cache entries load_index handed out in this process


def entry_damaged(path: str | os.PathLike) -> bool:
    """Whether a cache entry is damaged: SQLite's ``quick_check`` fails, a value phrasekit
    reads (its meta, its families, its catalogue) does not decode, a column holds a number that
    points at nothing, or a term's postings or a phrase fail their checksum. (Only asked when a
    call failed, or by status, so it may read it all.)"""
    import json

    opened = _open_cached(path)
    if opened is None:
        return os.path.exists(path)
    try:
        rows = opened.conn.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            return True
        for key in ("catalogue", "problems", "path_problems", "avoid"):
            if opened.meta.get(key):
                json.loads(opened.meta[key])
        opened.telling_terms()
        for _, value in opened.conn.execute("SELECT key, value FROM kept"):
            if value:
                _unsealed(value)
        if opened.count:  # every number a column holds points at something
            if max(opened.doc_family) > len(opened.families) or max(opened.doc_pack) >= len(opened.pack_names):
                return True
            if max(opened.doc_category) >= len(opened.category_names):
                return True
            for term, idf, *blobs, seal in opened.conn.execute("SELECT * FROM terms"):
                if _seal_term(term, idf, blobs) != seal:  # the postings are what was written
                    return True
        offsets, ids, table = opened.situations()  # its checksum holds, and its numbers point at something
        if ids and max(ids) >= len(table) or any(map(int.__gt__, offsets, offsets[1:])):
            return True
        if opened.conn.execute("SELECT count(*) FROM phrases").fetchone()[0] != opened.count:
            return True
        opened.phrases(range(opened.count))  # every phrase's checksum holds
    except DAMAGE:
        return True
    finally:
        opened.conn.close()
    return False


def recovering(function):
    """Decorate a core call that reads the index: when it fails on a damaged cache entry, the
    entry is removed and the call made once more (so it is built afresh); a failure that is not
    damage is raised as it is. A cache must never be the reason a command fails."""
    import functools

    @functools.wraps(function)
    def call(*args, **kwargs):
        start = len(_IN_USE)
        try:
            return function(*args, **kwargs)
        except DAMAGE:
            damaged = [path for path in dict.fromkeys(_IN_USE[start:]) if entry_damaged(path)]
            if not damaged:
                raise
            for path in damaged:
                try:
                    os.unlink(path)
                except OSError:
                    raise PhrasekitError("the index is damaged and cannot be removed", Location(path),
                                         hint="Delete it, or run 'phrasekit index clear'.") from None  # fmt: skip
            return function(*args, **kwargs)
        finally:
            del _IN_USE[start:]  # what this call used is forgotten: a long-lived process keeps no list

    return call


def _watch(sources: Sequence, paths: Sequence[str | os.PathLike], files: tuple) -> str:
    """What an entry watches, with each stamp: every file its fingerprint names, and every
    folder whose listing decides which files are found (the search folders and their
    subfolders, each pack's folder and the folders under its ``phrases/``, the template
    folders); a file added, removed or renamed in one changes that folder's stamp. ``files`` is
    ``pack_files(sources)``. A name that is not UTF-8 is left out (its folder's stamp still tells)."""
    from .folders import config_folder
    from .packs import decodable

    templates, per_source = files
    here = os.path.dirname(__file__)
    watched = [os.path.join(here, name) for name in FINGERPRINTED_MODULES]
    watched += [str(path) for path in templates]
    roots = [os.path.join(config_folder(), "packs")]
    roots += [
        os.path.expanduser(entry) for entry in filter(None, os.environ.get("PHRASEKIT_PATH", "").split(os.pathsep))
    ]
    roots += [os.path.expanduser(os.fspath(entry)) for entry in paths]
    folders = []
    for root in roots:
        folders.append(root)
        try:
            with os.scandir(root) as listing:
                folders += sorted(item.path for item in listing if item.is_dir())
        except OSError:
            pass
    for source, paths, _ in per_source:
        folder = str(source.path)
        watched += [str(path) for path in paths]
        tree = folder if source.origin == "builtin" else os.path.join(folder, "phrases")
        folders += [folder, tree, os.path.join(folder, "templates")]
        for top, subfolders, _ in os.walk(tree):
            folders += [os.path.join(top, name) for name in subfolders]
    items = [item for item in dict.fromkeys(watched + folders) if decodable(item)]
    return RECORD.join(f"{item}{UNIT}{file_stamp(item)}" for item in items)


def _unchanged(watch: str | None) -> bool:
    """Every file and folder an entry watched keeps its stamp."""
    if not watch:
        return False
    for record in watch.split(RECORD):
        item, _, stamp = record.partition(UNIT)
        if file_stamp(item) != stamp:
            return False
    return True


def _update_meta(path: str, values: Mapping[str, str]) -> None:
    """Rewrite a few meta values of an entry in place (SQLite keeps the change whole)."""
    try:
        conn = sqlite3.connect(path, timeout=5)
        try:
            conn.executemany("UPDATE meta SET value = ? WHERE key = ?", [(v, k) for k, v in values.items()])
            conn.executemany("INSERT OR IGNORE INTO meta VALUES (?, ?)", list(values.items()))
            conn.commit()
        finally:
            conn.close()
    except sqlite3.Error:
        pass


def _write_atomically(path: Path, args: tuple) -> None:
    """Build into a temporary file beside ``path`` and move it into place: a reader never sees a
    half-built index, and two processes building at once each replace it with a whole one."""

    from .files import write_atomic

    def build(temp: Path) -> None:
        conn = unseen_connection(temp)
        try:
            write_index(conn, *args)
        finally:
            conn.close()
        sync_file(temp)

    write_atomic(path, write=build, force=True, prefix=".index-")


def unseen_connection(temp: Path | str) -> sqlite3.Connection:
    """A connection to a temporary entry that nobody reads until it is moved into place: without
    a rollback journal or a sync per statement. Building the schema alone, fourteen statements
    each made durable on its own, took 150 ms of a 0.55 s first search on a disk (measured); a
    build that dies leaves only a temporary file, which the next build beside it removes. The
    file is synced once, whole, before it is moved (``sync_file``)."""
    conn = sqlite3.connect(temp)
    conn.execute("PRAGMA journal_mode = OFF")
    conn.execute("PRAGMA synchronous = OFF")
    return conn


def sync_file(path: Path | str) -> None:
    """Make a file's content durable before it is moved into place."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def index_status(paths: Sequence[str | os.PathLike] = ()) -> dict:
    """What the cache holds: the entry for the packs in force (whether it is current, what it
    holds) and every entry kept, most recently used first."""
    from .packs import discover_packs

    path = cache_path(paths)
    status = {"path": str(path), "exists": path.is_file(), "schema": SCHEMA_VERSION}
    entries = []
    for entry in cache_entries():
        opened = _open_cached(entry)
        info = entry.stat() if entry.is_file() else None
        entries.append(
            {
                "path": str(entry),
                "in_force": entry == path,
                "size": info.st_size if info else None,
                "used": _iso(info.st_mtime) if info else None,
                "phrases": opened.count if opened else None,
                "packs": list(_split(opened.meta.get("packs"))) if opened else [],
            }
        )
        if opened is not None:
            opened.conn.close()
    status["entries"] = entries
    cached = _open_cached(path)
    if path.is_file():
        status["size"] = path.stat().st_size
    if cached is None:
        status.update(state="missing" if not path.is_file() else "unreadable", phrases=None, packs=[])
        return status
    sources, _, _ = discover_packs(paths)
    current = cached.meta.get("fingerprint") == fingerprint(sources, _site_stamp())
    if entry_damaged(path):
        status.update(state="damaged", phrases=None, packs=[])
        cached.conn.close()
        return status
    status.update(
        state="current" if current else "stale",
        phrases=cached.count,
        packs=list(_split(cached.meta.get("packs"))),
        built_by=cached.meta.get("phrasekit"),
    )
    cached.conn.close()
    return status


def _iso(timestamp: float) -> str:
    import datetime

    return datetime.datetime.fromtimestamp(timestamp, datetime.timezone.utc).isoformat(timespec="seconds")


CACHE_FILES = ("index-v*.sqlite", ".index-*.tmp", "semantic-*.npy", "semantic-*.npy.tmp", "vectors-*.sqlite",
               "template-*.code", ".template-*.code.tmp", "embedding.pid", "minilm-*.weights", ".minilm-*.tmp",
               "minilm-*.f32", "minilm-*.json")  # fmt: skip
"""Every file phrasekit writes in its cache folder: indexes, semantic matrices, the vector store,
the model's memory-mapped copy (``encoder``; ``.f32`` and ``.json`` its older form), compiled
templates (``sandbox``)."""


def clear_index() -> list[Path]:
    """Delete every cache file phrasekit wrote (indexes of any version, semantic matrices and
    stored vectors); returns what was removed. Nothing else in the folder is touched."""
    removed = []
    folder = cache_dir()
    if folder.is_dir():
        for path in sorted({p for pattern in CACHE_FILES for p in folder.glob(pattern) if p.is_file()}):
            try:
                path.unlink()
                removed.append(path)
            except OSError as exc:
                raise PhrasekitError(f"cannot delete the index: {exc.strerror}", Location(str(path))) from None
    return removed
