"""Bringing a cache entry up to date in place when one phrases file of a pack was edited.

A lead rewording phrases in one file of a large pack should not wait for the whole pack to be
compiled again. When the only difference between an entry and the packs in force is one
phrases file (not a ``pack.yaml``), and that file still holds as many phrases as before, under
families and categories the index already knows, its phrases keep their doc numbers: only the
terms they held or now hold, their rows, the vocabulary counts and the per-phrase columns change.
The entry is copied, updated and moved into place, so a reader never sees it half done; the
result is the same index a full build writes (the tests compare them). Anything else (a finding
in the file, a changed family, another number of phrases) returns ``None`` and the caller builds
the entry from the packs, as before.
"""

from __future__ import annotations

import json
import math
import os
import sqlite3
from array import array
from bisect import bisect_left
from pathlib import Path

from .index import (
    CHANNEL_BITS,
    GROUP,
    Index,
    Lexicon,
    Situations,
    _id_code,
    _phrase_row,
    _real,
    _seal_row,
    compile_phrases,
    read_column,
    read_situations,
    situation_row,
    sync_file,
    term_row,
    unseen_connection,
)
from .model import Category


def changed_file(old: str, new: str) -> str | None:
    """The real path of the one pack file whose stamp differs between two fingerprints (the
    same files in the same order), or ``None``."""
    old_lines, new_lines = old.split("\n"), new.split("\n")
    if len(old_lines) != len(new_lines):
        return None
    differing = [(a, b) for a, b in zip(old_lines, new_lines, strict=True) if a != b]
    if len(differing) != 1:
        return None
    before, after = differing[0]
    # A file's line is "<real path> <size> <mtime> <ctime> <inode>"; folders and modules differ otherwise.
    path, _, _ = after.rpartition(" ")
    for _ in range(3):
        path, _, _ = path.rpartition(" ")
    if not path or not before.startswith(path + " ") or not path.endswith(".yaml"):
        return None
    if os.path.basename(path) == "pack.yaml":
        return None
    return path


def update_entry(
    index: Index, target: Path, real_file: str, sources, fingerprint_text: str, meta: dict | None = None
) -> bool:
    """Update the entry at ``target`` (opened as ``index``) for an edit of ``real_file``; False
    when the edit needs a full build. ``index`` is closed either way."""
    try:
        plan = _plan(index, real_file, sources)
    except Exception:  # noqa: BLE001 - a shortcut that fails must leave the full build to answer
        plan = None
    if plan is None:
        index.conn.close()
        return False
    index.conn.close()
    import shutil

    from .errors import PhrasekitError
    from .files import write_atomic

    def update(temp: Path) -> None:
        shutil.copyfile(target, temp)
        conn = unseen_connection(temp)
        try:
            _apply(conn, plan, fingerprint_text)
            for key, value in (meta or {}).items():
                conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))
            conn.commit()
        finally:
            conn.close()
        sync_file(temp)

    try:
        write_atomic(target, write=update, force=True, prefix=".index-")
    except (OSError, sqlite3.Error, PhrasekitError):
        return False
    return True


def _plan(index: Index, real_file: str, sources) -> dict | None:
    from .index import file_stamp
    from .packs import file_record, phrase_from_item
    from .validate import check_pack_file, check_phrase_file
    from .yamlfile import YamlFileError, load_yaml, quick_load_yaml

    conn = index.conn
    spelled = [row[0] for row in conn.execute("SELECT DISTINCT source FROM phrases")]
    matches = [source for source in spelled if _real(source) == real_file]
    if len(matches) != 1:
        return None
    source = matches[0]
    docs = [row[0] for row in conn.execute("SELECT doc FROM phrases WHERE source = ? ORDER BY doc", (source,))]
    if not docs or docs != list(range(docs[0], docs[0] + len(docs))):
        return None
    first, end = docs[0], docs[0] + len(docs)
    old = index.phrases(docs)
    pack_name = old[first].pack
    folder = next((s.path for s in sources if real_file.startswith(_real(s.path) + os.sep)), None)
    if folder is None:
        return None
    record = dict(conn.execute("SELECT path, record FROM files")).get(source)
    manifest = Path(folder) / "pack.yaml"
    try:
        header, problems = check_pack_file(load_yaml(manifest))
        part = quick_load_yaml(source) or load_yaml(source)
    except YamlFileError:
        return None
    if problems or header.get("name") != pack_name:
        return None
    pack_stamp = file_stamp(manifest)
    old_family = None
    if record is not None:
        data = json.loads(record)
        if data["pack"] != pack_stamp:
            return None
        old_family = data["family"]
        if data.get("blanks"):
            return None  # the pack's blanks come from this file too: a whole rebuild keeps them right
    seen = {
        phrase_id: f"{other}:{line}"
        for phrase_id, other, line in conn.execute(
            "SELECT id, source, line FROM phrases WHERE pack = ? AND source != ?", (pack_name, source)
        )
    }
    declared = set(header["families"])
    items, problems = check_phrase_file(part, header, seen)
    if part.findings or problems or len(items) != len(docs) or header.get("file_blanks"):
        return None
    family = next((header["families"][name] for name in header["families"] if name not in declared), None)
    if json.loads(json.dumps(family)) != old_family:
        return None
    families = index.families
    category_names = index.category_names
    new = [phrase_from_item(item, pack_name, source) for item in items]
    before = [old[doc] for doc in docs]
    if {p.family for p in new} != {p.family for p in before}:
        return None  # a family's own words are counted once per family that has phrases
    if any(p.category not in category_names or (p.family and p.family not in families) for p in new):
        return None
    lexicon = index.lexicon_for(None)
    catalogue = index.catalogue()
    categories = catalogue.categories if catalogue else [Category(name) for name in category_names]
    return {
        "first": first,
        "end": end,
        "old": compile_phrases(before, lexicon, categories, families),
        "new": compile_phrases(new, lexicon, categories, families),
        "phrases": new,
        "source": source,
        "record": file_record(file_stamp(source), pack_stamp, family, items),
        "index": index,
        "zero_words": _zero_words(lexicon, categories),
    }


def _zero_words(lexicon: Lexicon, categories) -> set[str]:
    """The words a full build puts in the vocabulary even when no phrase says them: the
    synonyms' and the categories' own words."""
    from .categories import KEYWORDS
    from .text import tokens

    texts = dict(KEYWORDS)
    for category in categories:
        texts.setdefault(category.name, category.name.replace("-", " "))
    return {word for key in (*lexicon.entries, *lexicon.exact) for word in key} | {
        word for text in texts.values() for word in tokens(text)
    }


def _updated_situations(old: Situations, first: int, end: int, texts: list[str]) -> Situations:
    """``old`` with the situations of docs ``first`` to ``end`` replaced by ``texts`` (encoded,
    one per doc): the same numbers a full build gives, as the table is in code point order. The
    ids of the other docs change only when the edit adds a situation or drops the last use of
    one."""
    offsets, ids, table = array("I", old.offsets), array(_id_code(len(old.table)), old.ids), old.table
    start, stop = offsets[first], offsets[end]
    said = [text.split(GROUP) if text else [] for text in texts]
    used = {table[number] for number in {*ids[:start], *ids[stop:]}}
    used.update(situation for situations in said for situation in situations)
    new_table = sorted(used)
    rank = {situation: number for number, situation in enumerate(new_table)}
    middle = [rank[situation] for situations in said for situation in situations]
    if new_table == table:
        new_ids = ids[:start] + array(ids.typecode, middle) + ids[stop:]
    else:
        renumbered = [rank.get(situation, 0) for situation in table]  # a dropped one is met nowhere else
        new_ids = array(_id_code(len(new_table)), map(renumbered.__getitem__, ids[:start]))
        new_ids.extend(middle)
        new_ids.extend(map(renumbered.__getitem__, ids[stop:]))
    new_offsets = offsets[: first + 1]
    for situations in said:
        new_offsets.append(new_offsets[-1] + len(situations))
    shift = new_offsets[-1] - stop
    new_offsets.extend(offsets[end + 1 :] if not shift else array("I", (at + shift for at in offsets[end + 1 :])))
    return Situations(new_offsets, new_ids, new_table)


def _apply(conn: sqlite3.Connection, plan: dict, fingerprint_text: str) -> None:
    first, end, old, new, index = plan["first"], plan["end"], plan["old"], plan["new"], plan["index"]
    count = max(index.count, 1)
    for term in {*old.postings, *new.postings}:
        row = conn.execute("SELECT f0, f1, f2, f3 FROM terms WHERE term = ?", (term,)).fetchone()
        fields = []
        added = new.postings.get(term)
        for code in range(4):
            docs = array("i")
            if row is not None:
                docs.frombytes(row[code])
            low, high = bisect_left(docs, first), bisect_left(docs, end)
            docs[low:high] = array("i", (first + doc for doc in added[code])) if added else array("i")
            fields.append(docs)
        held = sum(map(len, fields))
        if not held:
            conn.execute("DELETE FROM terms WHERE term = ?", (term,))
            continue
        idf = math.log(1 + (count - held + 0.5) / (held + 0.5))
        conn.execute("INSERT OR REPLACE INTO terms VALUES (?, ?, ?, ?, ?, ?, ?)", term_row(term, idf, fields))
    for word in {*old.surface, *new.surface}:
        if len(word) < 3 or word.isdigit():
            continue
        change = new.surface.get(word, 0) - old.surface.get(word, 0)
        row = conn.execute("SELECT freq FROM vocab WHERE word = ?", (word,)).fetchone()
        freq = (row[0] if row else 0) + change
        if freq > 0 or word in plan["zero_words"]:
            conn.execute("INSERT OR REPLACE INTO vocab VALUES (?, ?, ?, ?)", (word, word[0], len(word), freq))
        else:
            conn.execute("DELETE FROM vocab WHERE word = ?", (word,))
    for offset, phrase in enumerate(plan["phrases"]):
        row = _phrase_row(phrase)
        conn.execute(
            "UPDATE phrases SET pack = ?, id = ?, category = ?, text = ?, situations = ?, tags = ?, channels = ?, "
            "tone = ?, source = ?, line = ?, family = ?, seal = ? WHERE doc = ?",
            (*row, phrase.family, _seal_row(row, phrase.family), first + offset),
        )
    situations = _updated_situations(read_situations(conn, index.count), first, end, new.situations)
    conn.execute("UPDATE situations SET offsets = ?, ids = ?, situations = ?, seal = ?", situation_row(situations))
    conn.execute("UPDATE files SET record = ? WHERE path = ?", (plan["record"], plan["source"]))
    family_names = list(index.families)
    meta = index.meta
    phrases = plan["phrases"]
    columns = {
        "doc_category": [index.category_names.index(p.category) for p in phrases],
        "doc_family": [family_names.index(p.family) + 1 if p.family else 0 for p in phrases],
    }
    for key, replacement in columns.items():
        values = read_column(meta[key], index.count)
        values[first:end] = array(values.typecode, replacement)
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (values.tobytes(), key))
    for key, replacement in (
        ("doc_channels", bytes(sum(CHANNEL_BITS[c] for c in p.channels) for p in plan["phrases"])),
        ("doc_general", bytes(1 if p.general else 0 for p in plan["phrases"])),
    ):
        value = bytearray(meta[key])
        value[first:end] = replacement
        conn.execute("UPDATE meta SET value = ? WHERE key = ?", (bytes(value), key))
    conn.execute("UPDATE meta SET value = ? WHERE key = 'fingerprint'", (fingerprint_text,))
