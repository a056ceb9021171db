"""The rep's history: the phrases taken (copied, picked) and starred, kept on this machine only.

It lives in one small file, ``history.jsonl`` in the user's data folder (``folders.data_folder``):
a header line that says phrasekit wrote it, then one JSON object per phrase (its full id, how
often and when it was last taken, whether it is starred, and its decayed weight). JSON lines
rather than SQLite: the file is read whole and rewritten whole (``files.write_atomic``), so a
reader never sees half of it and a line damaged by hand costs only that line; a few hundred
lines parse in well under a millisecond with ``json`` alone, and the file can be read and
edited with any tool. Nothing in it ever leaves the machine.

Two processes at once (two terminals, the picker and a ``search --copy``): each reads, changes
and replaces the whole file, so neither ever loses the file or sees a torn one; when both write
within the same instant, the later replaces the earlier and that one use (or star) is lost. For
a ranking of habits that is acceptable, and it needs no lock that a killed process could leave.

A history file that cannot be used (damaged, unreadable, a folder, a link, a named pipe, or a
file phrasekit did not write) never stops a command: it is ignored with one warning, and it is
never replaced or removed, since only a regular file whose first line is phrasekit's header
is phrasekit's to rewrite. ``history: false`` in the config turns recording and use off.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from .errors import PhrasekitError, report

if TYPE_CHECKING:
    from .model import Hit, Phrase

Warn = Callable[[str], None]

FILE_NAME = "history.jsonl"
HEADER = '{"phrasekit": "history", "version": 1}'
"""The first line of every history file phrasekit writes: what tells it the file is its own."""

HALF_LIFE = 7 * 24 * 3600.0
"""Seconds after which a use counts half: a week, since a rep's shifts repeat weekly. A phrase
taken on every shift keeps its place, one from an outage three weeks ago weighs an eighth of
what it did, and a phrase taken ten times last month (about 0.5 now) ranks below one taken
three times this week (2 or more)."""

CAP = 500
"""The most phrases kept, the least relevant dropped first (never a starred one while an
unstarred one is left): a rep takes a few dozen distinct phrases a week, so 500 hold months of
habits, and at about 120 bytes a line the file stays near 60 KB, read on a search in about a
millisecond."""

READ_LIMIT = 1024 * 1024
"""The most of a history file read: far above what ``CAP`` lines can take, so a larger file is
not one phrasekit wrote (and is not read, let alone rewritten)."""

ID_LIMIT = 300
"""The longest phrase id kept: longer than any real ``pack/id``; a longer one is damage."""

CONFIG_KEY = "history"

_FALSE = frozenset("false False FALSE no No NO off Off OFF".split())
_TRUE = frozenset("true True TRUE yes Yes YES on On ON".split())
"""The plain YAML 1.1 booleans (as PyYAML's safe loader reads them), for ``enabled``'s quick read."""


class HistoryEntry:
    """One phrase in the history. ``last_used`` is seconds since the epoch (``None``: starred
    but never taken); ``score`` is its uses, each weighed down by its age (``HALF_LIFE``), as
    of the moment the history was read.

    A plain class, not a ``NamedTuple``: this module is imported by every search that meets a
    tie, and making a ``NamedTuple`` class costs more than reading the history does."""

    __slots__ = ("full_id", "uses", "last_used", "starred", "score")

    def __init__(self, full_id: str, uses: int, last_used: float | None, starred: bool, score: float) -> None:
        self.full_id, self.uses, self.last_used, self.starred, self.score = full_id, uses, last_used, starred, score

    def _astuple(self) -> tuple:
        return (self.full_id, self.uses, self.last_used, self.starred, self.score)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, HistoryEntry):
            return NotImplemented
        return self._astuple() == other._astuple()

    def __hash__(self) -> int:
        return hash(self._astuple())

    def __repr__(self) -> str:
        return (f"HistoryEntry(full_id={self.full_id!r}, uses={self.uses}, last_used={self.last_used!r}, "
                f"starred={self.starred}, score={self.score!r})")  # fmt: skip

    def replace(self, **changes) -> HistoryEntry:
        """A copy with the given fields changed."""
        values = dict(zip(self.__slots__, self._astuple(), strict=True))
        values.update(changes)
        return HistoryEntry(**values)

    def to_dict(self) -> dict:
        return {
            "id": self.full_id,
            "uses": self.uses,
            "last_used": _iso(self.last_used),
            "starred": self.starred,
            "score": round(self.score, 4),
        }


def _iso(when: float | None) -> str | None:
    if when is None:
        return None
    import time

    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(when))


def history_path() -> str:
    """Where the history is kept (it may not exist yet)."""
    from .folders import data_folder

    return os.path.join(data_folder(), FILE_NAME)


def enabled() -> bool:
    """Whether history is on: ``load_config().get("history", True)``, read without YAML in the
    usual cases (a search asks this, and must not import a YAML parser): no config file, no
    ``history`` in it, or one top-level ``history:`` line with a plain true or false. Anything
    else (quoted, nested, repeated, a number) is left to the YAML reader, so both always agree."""
    from .config import CONFIG_SCAN
    from .folders import config_folder

    path = os.path.join(config_folder(), "config.yaml")
    try:
        if not os.path.isfile(path):  # nothing there, or a named pipe: never waited on
            return True
        with open(path, encoding="utf-8", errors="replace") as stream:
            text = stream.read(CONFIG_SCAN + 1)
    except (OSError, ValueError):
        text = None
    if text is not None and len(text) <= CONFIG_SCAN:
        if CONFIG_KEY not in text:
            return True
        import re

        lines = re.findall(r"^history[ \t]*:(.*)$", text, re.MULTILINE)
        if len(lines) == 1:
            value = lines[0].split(" #", 1)[0].strip()
            if value in _FALSE:
                return False
            if value in _TRUE:
                return True
    from .config import load_config

    return bool(load_config().get(CONFIG_KEY, True))


def _decayed(weight: float, since: float | None, now: float) -> float:
    if since is None or weight <= 0:
        return 0.0
    return weight * 0.5 ** (max(0.0, now - since) / HALF_LIFE)


def _valid_id(full_id: object) -> bool:
    return isinstance(full_id, str) and 0 < len(full_id) <= ID_LIMIT and full_id.isprintable()


def _entry(row: object, now: float) -> HistoryEntry | None:
    """An entry from one parsed line, or ``None`` when the line is not one phrasekit writes
    (``weight`` is the decayed count as it stood at ``at``, seconds since the epoch)."""
    if not isinstance(row, dict):
        return None
    full_id, uses, last, starred = row.get("id"), row.get("uses"), row.get("last_used"), row.get("starred")
    weight, at = row.get("weight"), row.get("at")
    if not _valid_id(full_id):
        return None
    if type(uses) is not int or uses < 0 or type(starred) is not bool:
        return None
    for value in (weight, at) if last is None else (weight, at, last):
        if type(value) not in (int, float) or not 0 <= value < _FAR:  # also refuses NaN
            return None
    return HistoryEntry(full_id, uses, None if last is None else float(last), starred,
                        _decayed(float(weight), float(at), now))  # fmt: skip


_FAR = 1e300
"""Above any weight or time a history holds (and below infinity): a larger number is damage."""

_NUMBER = r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:e[+-]?[0-9]+)?"
_LINE = (rf'\{{"id": "([^"\\\x00-\x1f]*)", "uses": (0|[1-9][0-9]*), "last_used": (null|{_NUMBER}), '
         rf'"starred": (true|false), "weight": ({_NUMBER}), "at": ({_NUMBER})\}}')  # fmt: skip
"""A line exactly as ``_write`` writes it (``json.dumps`` of its fields, in order, with no escape in the id)."""


_START = '{"id": "'


def _id_of(line: str) -> str:
    """The id a line that starts with ``_START`` holds, as written: with a backslash in it, an
    escape (JSON's, for a quote, a backslash or a control) that only ``json`` reads."""
    return line[len(_START) : line.find('"', len(_START))]


def _rows(lines: list[str]) -> list[object]:
    """Each line parsed: read by ``_LINE`` when every one is as ``_write`` wrote it (a search
    need not import ``json`` for it), else by ``json`` (``None`` for a line it cannot read).
    Both ways give the same rows for such lines."""
    import re

    matches = [re.fullmatch(_LINE, line) for line in lines]
    if all(matches):
        return [{"id": m[1], "uses": int(m[2]), "last_used": None if m[3] == "null" else float(m[3]),
                 "starred": m[4] == "true", "weight": float(m[5]), "at": float(m[6])} for m in matches]  # fmt: skip
    return _json_rows(lines)


def _json_rows(lines: list[str]) -> list[object]:
    import json

    rows: list[object] = []
    for line in lines:
        try:
            rows.append(json.loads(line))
        except (ValueError, RecursionError):
            rows.append(None)
    return rows


def _read(path: str, now: float, wanted: set[str] | None = None) -> tuple[list[HistoryEntry], tuple[str, bool] | None]:
    """The entries of the history file at ``path`` (none when there is no file), and the problem
    that made it unusable or partly damaged: its message, and whether the file is phrasekit's
    to rewrite anyway. With ``wanted``, only the entries of those ids are read (a line that does
    not start as phrasekit writes one is read to see whether it is damaged). Only a regular file
    is opened (a link is not followed, a named pipe never waited on); nothing is written here."""
    import stat

    from .files import _kind

    shown = _shown(path)
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return [], None
    except OSError as error:  # the data folder is a file, or cannot be searched
        return [], (f"cannot read the history {shown}: {error.strerror or error}", False)
    if not stat.S_ISREG(info.st_mode):
        return [], (f"the history {shown} is {_kind(info.st_mode)}, not a file phrasekit wrote; "
                                  "not using or changing it (move it aside to start a new history)", False)  # fmt: skip
    if info.st_size > READ_LIMIT:
        return [], _foreign(shown, f"is larger than {READ_LIMIT // 1024} KiB")
    try:
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        handle = os.open(path, flags)
        with open(handle, "rb") as stream:
            if not stat.S_ISREG(os.fstat(stream.fileno()).st_mode):  # swapped since lstat
                return [], _foreign(shown, "is not a regular file")
            raw = stream.read(READ_LIMIT + 1)
    except OSError as error:
        return [], (f"cannot read the history {shown}: {error.strerror or error}", False)
    if len(raw) > READ_LIMIT:
        return [], _foreign(shown, f"is larger than {READ_LIMIT // 1024} KiB")
    text = raw.decode("utf-8", "replace")
    first, _, rest = text.partition("\n")
    if first.strip() != HEADER:
        return [], _foreign(shown, "does not start with phrasekit's header line")
    found: dict[str, HistoryEntry] = {}
    damaged = 0
    lines = [line for line in rest.split("\n") if line.strip()]  # not splitlines: U+2028 is no break here
    if wanted is not None:
        lines = [
            line for line in lines if not line.startswith(_START) or _id_of(line) in wanted or "\\" in _id_of(line)
        ]
    for row in _rows(lines):
        entry = _entry(row, now)
        if entry is None:
            damaged += 1
        elif entry.full_id not in found:
            found[entry.full_id] = entry
    problem = None
    if damaged:
        problem = (f"the history {shown} has {damaged} damaged line(s); they are skipped "
                                 "(and dropped when the history is next written)", True)  # fmt: skip
    return [entry for entry in found.values() if wanted is None or entry.full_id in wanted], problem


def _foreign(shown: str, why: str) -> tuple[str, bool]:
    return (f"the history {shown} {why}: it is not a history phrasekit wrote; not using or "
                          "changing it (move it aside to start a new history)", False)  # fmt: skip


def _shown(path: str) -> str:
    from .files import shown
    from .visible import visible

    return visible(shown(path))


def _load(warn: Warn | None, now: float, wanted: set[str] | None = None) -> tuple[list[HistoryEntry], bool]:
    """The entries (of the ``wanted`` ids), and whether the file may be rewritten; a problem
    goes to ``warn`` once."""
    entries, problem = _read(history_path(), now, wanted)
    if problem is not None:
        report(problem[0], warn)
    return entries, problem is None or problem[1]


def _rank_key(entry: HistoryEntry) -> tuple:
    return (not entry.starred, -entry.score, -(entry.last_used or 0.0), entry.full_id)


def _write(entries: list[HistoryEntry], now: float) -> None:
    """Replace the history with ``entries``: the ``CAP`` most relevant, best first."""
    import json

    from .files import write_atomic

    kept = sorted(entries, key=_rank_key)[:CAP]
    lines = [HEADER]
    for entry in kept:
        lines.append(json.dumps({"id": entry.full_id, "uses": entry.uses, "last_used": entry.last_used,
                                 "starred": entry.starred, "weight": round(entry.score, 6),
                                 "at": now}, ensure_ascii=False))  # fmt: skip
    write_atomic(history_path(), "\n".join(lines) + "\n", force=True)


def entries(*, now: float | None = None, warn: Warn | None = None) -> list[HistoryEntry]:
    """Every phrase in the history (empty when it is off or unusable), most relevant first."""
    return ranked(now=now, warn=warn)


def ranked(limit: int | None = None, *, now: float | None = None, warn: Warn | None = None) -> list[HistoryEntry]:
    """The ``limit`` most relevant phrases (all with ``None``): starred first, then by ``score``
    (uses decayed by age), then the most recently used; empty when history is off."""
    import time

    if not enabled():
        return []
    found, _ = _load(warn, time.time() if now is None else now)
    found.sort(key=_rank_key)
    return found if limit is None else found[:limit]


def _change(full_id: str, change: Callable[[HistoryEntry | None, float], HistoryEntry | None], when: float | None,
            warn: Warn | None) -> HistoryEntry | None:  # fmt: skip
    """Apply ``change`` to the entry of ``full_id`` and write the history; ``None`` when history
    is off or its file is not phrasekit's to rewrite (said through ``warn``)."""
    import time

    if not _valid_id(full_id):
        raise ValueError(f"not a phrase id: {full_id!r}")
    if not enabled():
        return None
    now = time.time() if when is None else when
    found, writable = _load(warn, now)
    if not writable:
        return None
    old = next((entry for entry in found if entry.full_id == full_id), None)
    new = change(old, now)
    rest = [entry for entry in found if entry.full_id != full_id]
    if new is not None:
        rest.append(new)
    try:
        _write(rest, now)
    except (OSError, PhrasekitError) as error:  # a history that cannot be written never fails the command
        what = error.strerror if isinstance(error, OSError) else error.message
        report(f"cannot write the history {_shown(history_path())}: {what or error}", warn)
        return None
    return new if new is not None else old


def record(full_id: str, when: float | None = None, *, warn: Warn | None = None) -> HistoryEntry | None:
    """Note that the rep took the phrase ``full_id`` (``when``: seconds since the epoch, default
    now). Returns its entry, or ``None`` when nothing was recorded (history off, or a file that
    cannot be used: said through ``warn``)."""

    def used(old: HistoryEntry | None, now: float) -> HistoryEntry:
        if old is None:
            return HistoryEntry(full_id, 1, now, False, 1.0)
        last = now if old.last_used is None else max(old.last_used, now)
        return HistoryEntry(full_id, old.uses + 1, last, old.starred, old.score + 1.0)

    return _change(full_id, used, when, warn)


def star(full_id: str, on: bool = True, *, when: float | None = None, warn: Warn | None = None) -> HistoryEntry | None:
    """Star the phrase ``full_id`` (or, with ``on`` false, unstar it: a phrase never taken then
    leaves the history). Returns its entry as it now stands (for an unstarred phrase that left,
    as it stood, with ``starred`` false), or ``None`` when nothing was changed (history off, an
    unusable file, or unstarring a phrase that is not there)."""

    def starred(old: HistoryEntry | None, now: float) -> HistoryEntry | None:
        if old is None:
            return HistoryEntry(full_id, 0, None, True, 0.0) if on else None
        new = old.replace(starred=on)
        return new if on or new.uses else None

    result = _change(full_id, starred, when, warn)
    return result.replace(starred=on) if result is not None else None


def clear() -> int:
    """Forget the whole history; how many phrases it held. A file phrasekit did not write (or
    anything but a regular file) is not removed: ``PhrasekitError`` says so."""
    import time

    from .errors import Location

    path = history_path()
    found, problem = _read(path, time.time())
    if problem is not None and not problem[1]:
        raise PhrasekitError(problem[0], hint="Move it aside or delete it yourself if it is not needed.")
    try:
        os.unlink(path)
    except FileNotFoundError:
        return 0
    except OSError as error:
        raise PhrasekitError(f"cannot remove the history: {error.strerror or error}", Location(_shown(path))) from None
    return len(found)


def break_ties(lists: Sequence[Sequence[Hit]], *, by_category: bool = False,
               warn: Warn | None = None) -> list[list[Hit]]:  # fmt: skip
    """Each list of hits with its ties broken by the history: within a run of neighbours of
    exactly equal score (and the same fallback and immediate-safety standing, so no ranking
    rule is undone; with ``by_category`` also the same category, so a script's step keeps the
    practice's order of categories), phrases in the history come first, most relevant first
    (as ``ranked``); the rest keep their order. Without a tie, a history file, or with history
    off, the lists are returned as they are, and the file is not even opened."""
    result = [list(hits) for hits in lists]
    runs = [(hits, start, end) for hits in result for start, end in _tied_runs(hits, by_category)]
    if not runs:
        return result
    try:
        os.lstat(history_path())
    except OSError:
        return result
    import time

    wanted = {hit.phrase.full_id for hits, start, end in runs for hit in hits[start:end]}
    try:
        if not enabled():
            return result
        found, _ = _load(warn, time.time(), wanted)
    except (OSError, PhrasekitError):  # a broken config: a search never needed it; the commands that do say so
        return result
    found.sort(key=_rank_key)
    order = {entry.full_id: number for number, entry in enumerate(found)}
    if not order:
        return result
    unknown = len(order)
    for hits, start, end in runs:
        hits[start:end] = sorted(hits[start:end], key=lambda hit: order.get(hit.phrase.full_id, unknown))
    return result


SAFETY_TAG = "immediate-safety"
"""As ``search.SAFETY_TAG`` (not imported from there: this module must stay small to import)."""


def _tie_key(hit: Hit, by_category: bool) -> tuple:
    return (hit.score, hit.fallback, SAFETY_TAG in hit.phrase.tags, hit.phrase.category if by_category else "")


def _tied_runs(hits: Sequence[Hit], by_category: bool) -> list[tuple[int, int]]:
    """``(start, end)`` of each run of two or more neighbours with the same ``_tie_key``."""
    runs, start = [], 0
    for at in range(1, len(hits) + 1):
        if at == len(hits) or _tie_key(hits[at], by_category) != _tie_key(hits[start], by_category):
            if at - start > 1:
                runs.append((start, at))
            start = at
    return runs


def listed(*, paths: Sequence[str] = (), limit: int | None = None, now: float | None = None,
           warn: Warn | None = None) -> list[tuple[HistoryEntry, Phrase]]:  # fmt: skip
    """The history's phrases that exist in the packs in force, most relevant first, each with its
    phrase (a phrase no longer there, or in a pack not given with ``--path`` this time, is
    skipped but kept in the history)."""
    from .index import recovering

    return recovering(_listed)(paths, limit, now, warn)


def _listed(paths, limit, now, warn) -> list[tuple[HistoryEntry, Phrase]]:
    found = ranked(now=now, warn=warn)
    if not found:
        return []
    from .catalogue import open_index

    index = open_index(paths, warn)
    rows = []
    for entry in found:
        pack, _, short = entry.full_id.rpartition("/")
        phrase = index.find(entry.full_id) if pack and short else None
        if phrase is not None:
            rows.append((entry, phrase))
            if limit is not None and len(rows) == limit:
                break
    return rows


class Starred:
    """What ``star_phrase`` did: the phrase's full id, its entry as it now stands (``None``:
    nothing changed), and whether history is off."""

    __slots__ = ("full_id", "entry", "off")

    def __init__(self, full_id: str, entry: HistoryEntry | None, off: bool) -> None:
        self.full_id, self.entry, self.off = full_id, entry, off


def star_phrase(phrase_id: str, on: bool = True, *, paths: Sequence[str] = (),
                warn: Warn | None = None) -> Starred:  # fmt: skip
    """Star (or with ``on`` false, unstar) the phrase ``phrase_id`` names: a full or unambiguous
    short id of the packs in force (``NotFoundError`` otherwise), or a full id already in the
    history (its pack may not be in force this time)."""
    if "/" in phrase_id and any(entry.full_id == phrase_id for entry in ranked(warn=warn)):
        full_id = phrase_id
    else:
        from .catalogue import open_index
        from .index import recovering

        full_id = recovering(lambda: open_index(paths, warn).lookup(phrase_id).full_id)()
    if not enabled():
        return Starred(full_id, None, True)
    return Starred(full_id, star(full_id, on, warn=warn), False)
