"""Embed the check's exemplar sentences and find each family's calibration on the dev replies.

    python benchmarks/calibrate_meaning.py [--corpus tests/fixtures/replies/dev.yaml]

Writes phrasekit/exemplars.npz (the exemplars' vectors, shipped, so a check never embeds them)
and prints, per family, the threshold and margin (phrasekit/meaning.py) that find the most of
the corpus's replies of that family that the plain readings miss, adding no false finding, with
the figures they give. Put them into phrasekit/exemplars.yaml by hand. Measure on a held-out set afterwards, never
on the corpus calibrated on. Needs the semantic extra and the model.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402
import yaml  # noqa: E402

from phrasekit import meaning  # noqa: E402
from phrasekit.check import builtin_rules, check_text  # noqa: E402
from phrasekit.encoder import load_encoder  # noqa: E402
from phrasekit.reading import Sentences  # noqa: E402
from phrasekit.semantic import _key  # noqa: E402

THRESHOLDS = [round(0.30 + 0.02 * step, 2) for step in range(30)]
MARGINS = [round(-0.10 + 0.02 * step, 2) for step in range(16)]
FALSE_ALLOWED = 0
"""False findings a family's reading by meaning may add on the corpus, beyond the plain readings:
none, since a false alarm costs a lead's trust more than a miss."""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "fixtures" / "replies" / "dev.yaml")
    args = parser.parse_args()
    found, _ = meaning.exemplars()
    encoder = load_encoder()
    texts = [exemplar.text for exemplar in found]
    vectors = encoder.encode(texts)
    np.savez_compressed(meaning.VECTORS, keys=np.array([_key(t) for t in texts]), vectors=vectors.astype(np.float16))
    print(f"{len(texts)} exemplars embedded -> {meaning.VECTORS.name}")
    replies = yaml.safe_load(args.corpus.read_text(encoding="utf-8"))["replies"]
    rules = builtin_rules()
    per_reply = []
    for reply in replies:
        kind = "follow-up" if reply["kind"] == "follow-up" else "reply"
        plain = {f.rule for f in check_text(reply["text"], rules, channel=reply["channel"], kind=kind)}
        sentences = [s.text.strip() for s in Sentences(reply["text"]) if s.text.strip()]
        per_reply.append((reply, plain, meaning.scores(sentences)))
    for family in dict.fromkeys(e.family for e in found):
        best = None
        for threshold in THRESHOLDS:
            for margin in MARGINS:
                gained = false = 0
                for reply, plain, scores in per_reply:
                    if family in plain:
                        continue  # the plain readings found it already: meaning adds nothing here
                    hit = any(a >= threshold and b >= margin for a, b in scores[family])
                    must = family in (reply.get("must") or [])
                    gained, false = gained + (hit and must), false + (hit and not must)
                if false > FALSE_ALLOWED:
                    continue
                key = (gained, -false, threshold)
                if best is None or key > best[0]:
                    best = (key, threshold, margin, gained, false)
        if best is None or best[3] == 0:
            print(f"{family}: nothing gained without a false alarm; leave it out (no threshold)")
            continue
        _, threshold, margin, gained, false = best
        print(f"{family}: threshold {threshold} margin {margin}: {gained} more found, {false} false")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
