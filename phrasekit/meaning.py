"""The semantic extra's reading of a draft: each sentence compared by meaning with exemplar
sentences of the families whose wordings no list can hold (blame, passing the buck,
condescension, policy as a wall, non-apologies).

``exemplars.yaml`` beside this module holds, per family, sentences that are that family and
sentences that look close but are fine to send, and the two calibrated figures a sentence must
pass: its similarity to the family's nearest exemplars (``threshold``) and how much nearer those
are than the nearest fine ones (``margin``). ``exemplars.npz`` holds their vectors, so a check
never embeds them (``benchmarks/calibrate_meaning.py`` writes both figures and the vectors).
Used by ``check`` when the extra and its model are there and semantic ranking is not turned
off; the plain readings (``reading.py``) work without it.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import NamedTuple

EXEMPLARS = Path(__file__).with_name("exemplars.yaml")
VECTORS = Path(__file__).with_name("exemplars.npz")
NEAREST = 2
"""How many of a family's exemplars a sentence is compared with (the mean of the nearest two): one
stray exemplar does not decide, and a family's many wordings each have a neighbour."""


class Exemplar(NamedTuple):
    family: str
    text: str
    positive: bool


class Calibration(NamedTuple):
    threshold: float
    margin: float


@lru_cache(maxsize=1)
def exemplars() -> tuple[list[Exemplar], dict[str, Calibration]]:
    """The exemplar sentences and each family's calibration, from ``exemplars.yaml`` (package
    data: read once per process, however many drafts are checked)."""
    from .yamlfile import load_yaml

    data = load_yaml(EXEMPLARS).data or {}
    found: list[Exemplar] = []
    calibrations: dict[str, Calibration] = {}
    for family, spec in (data.get("families") or {}).items():
        found += [Exemplar(family, str(text), True) for text in spec.get("positive") or ()]
        found += [Exemplar(family, str(text), False) for text in spec.get("negative") or ()]
        if "threshold" in spec and "margin" in spec:
            calibrations[family] = Calibration(float(spec["threshold"]), float(spec["margin"]))
    return found, calibrations


def available() -> bool:
    """Whether ``check`` reads by meaning here: the extra and its model, semantic not turned off."""
    from .semantic import disabled_by_user, unavailable_reason

    return not disabled_by_user() and unavailable_reason() is None and EXEMPLARS.is_file()


def _vectors(np, texts: list[str]):
    """The exemplars' vectors: shipped in ``exemplars.npz``, else embedded (and kept in the cache)."""
    from .semantic import _key

    try:
        with np.load(VECTORS, allow_pickle=False) as data:
            shipped = dict(zip(data["keys"].tolist(), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        shipped = {}
    keys = [_key(text) for text in texts]
    if all(key in shipped for key in keys):
        return np.stack([shipped[key].astype(np.float32) for key in keys])
    from .encoder import load_encoder
    from .semantic import embed_with_store

    return embed_with_store(load_encoder(), texts)[0]


@lru_cache(maxsize=1)
def _matrix(np):
    """The exemplars' vectors, in ``exemplars()``'s order, loaded once per process (the same
    model's vectors wherever it is installed)."""
    return _vectors(np, [exemplar.text for exemplar in exemplars()[0]])


def scores(sentences: list[str]) -> dict[str, list[tuple[float, float]]]:
    """For each family, each sentence's (similarity to the family's nearest exemplars, how much
    nearer those are than the nearest sentence that is fine to send)."""
    from .encoder import load_encoder

    encoder = load_encoder()
    np = encoder.np
    found, _ = exemplars()
    matrix = _matrix(np)
    vectors = encoder.encode(sentences) if sentences else np.zeros((0, matrix.shape[1]), dtype=np.float32)
    similarity = vectors @ matrix.T
    result: dict[str, list[tuple[float, float]]] = {}
    for family in dict.fromkeys(exemplar.family for exemplar in found):
        positive = [i for i, e in enumerate(found) if e.family == family and e.positive]
        negative = [i for i, e in enumerate(found) if e.family == family and not e.positive]
        near = np.sort(similarity[:, positive], axis=1)[:, -NEAREST:].mean(axis=1)
        fine = similarity[:, negative].max(axis=1) if negative else near * 0  # the one nearest fine sentence
        result[family] = [(float(a), float(a - b)) for a, b in zip(near, fine, strict=True)]
    return result


def read(sentences: list[str]) -> list[tuple[int, str]]:
    """The (sentence number, family) pairs whose meaning is that family, as calibrated."""
    _, calibrations = exemplars()
    found = []
    for family, rows in scores(sentences).items():
        calibration = calibrations.get(family)
        if calibration is None:
            continue
        for number, (near, margin) in enumerate(rows):
            if near >= calibration.threshold and margin >= calibration.margin:
                found.append((number, family))
    return found
