"""Write phrases/vectors.npz: the built-in bank's texts embedded once, shipped with the package.

    python benchmarks/make_bank_vectors.py

Run it after changing the bank (a test fails while any bank text has no shipped vector). Needs the
semantic extra and the model; prints how many texts it embedded and how long it took.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from phrasekit.encoder import load_encoder  # noqa: E402
from phrasekit.index import build_pack_index  # noqa: E402
from phrasekit.packs import PackSet, builtin_pack_dir, load_pack  # noqa: E402
from phrasekit.semantic import SHIPPED, _key  # noqa: E402


def main() -> int:
    index = build_pack_index(PackSet(packs=[load_pack(builtin_pack_dir(), "builtin")]))
    texts = sorted(set(index.texts()[0]))  # the phrases' texts, their situations and their families'

    encoder = load_encoder()
    encoder.materialize()
    start = time.perf_counter()
    vectors = encoder.encode(texts)
    np.savez_compressed(
        ROOT / "phrases" / SHIPPED,
        keys=np.array([_key(text) for text in texts]),
        vectors=vectors.astype(np.float16),
    )
    print(f"{len(texts)} texts embedded in {time.perf_counter() - start:.1f} s -> phrases/{SHIPPED}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
