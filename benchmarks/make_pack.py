"""Write a synthetic phrase pack of N phrases, for benchmarks.

    python benchmarks/make_pack.py 100000 /tmp/big-pack

Phrases are varied combinations of situations, products, categories and sentence parts, so
that terms have a realistic spread of frequencies (a few very common, many rare).
"""

from __future__ import annotations

import random
import sys
from pathlib import Path

CATEGORIES = [
    "listen", "acknowledge", "apology", "empathy", "ally", "ownership", "fair-solution",
    "next-steps", "satisfaction-check", "thank-you", "follow-up",
]  # fmt: skip
ISSUES = [
    "late delivery", "lost parcel", "damaged item", "wrong item", "missing part", "double charge",
    "unexpected fee", "refund delay", "billing error", "service outage", "slow service",
    "missed appointment", "rude agent", "long hold", "many transfers", "no callback", "account locked",
    "cancel subscription", "social complaint", "defective product", "warranty repair", "return problem",
    "backorder", "promo code", "repeat contact", "order cancelled", "installation problem",
    "suspicious activity", "wrong address", "auto renewal",
]  # fmt: skip
PRODUCTS = [f"{a}{b}" for a in ("zen", "ultra", "nova", "terra", "flux", "aero", "quant", "lumi") for b in
            ("phone", "router", "kettle", "blender", "jacket", "plan", "card", "box", "lamp", "desk",
             "scooter", "watch", "camera", "speaker", "heater", "drill")]  # fmt: skip
OPENERS = ["I'm sorry", "I understand", "Thank you", "Let's", "I'll", "We will", "Could you", "I can see"]
MIDDLES = ["your {p} order", "the {p} you bought", "this {i} with your {p}", "the trouble with your {p}",
           "what happened with the {p}", "the {i}"]  # fmt: skip
ENDS = ["and I'm fixing it now.", "and I'll call you by {h} pm today.", "so let's sort it out together.",
        "and you'll have an update within {d} days.", "is that right?", "and I appreciate your patience."]  # fmt: skip


def write_pack(count: int, folder: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    lines = [f"name: bench-{count}", "version: 1.0.0", "phrases:"]
    for number in range(count):
        issue = rng.choice(ISSUES)
        product = rng.choice(PRODUCTS)
        text = " ".join(
            [
                rng.choice(OPENERS),
                rng.choice(MIDDLES).format(p=product, i=issue),
                rng.choice(ENDS).format(h=rng.randint(1, 6), d=rng.randint(2, 9)),
            ]
        ).replace('"', "'")
        situations = ", ".join([issue, f"{product} {issue.split()[-1]}", rng.choice(ISSUES)])
        lines += [
            f"  - id: p{number}",
            f"    category: {rng.choice(CATEGORIES)}",
            f'    text: "{text}"',
            f"    situations: [{situations}]",
            f"    tags: [{product}, t{number % 997}]",
        ]
    path = folder / "pack.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


if __name__ == "__main__":
    size = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(f"benchmarks/out/pack-{size}")
    print(write_pack(size, target))
