"""Write a synthetic phrase pack of N phrases, for benchmarks.

    python benchmarks/make_pack.py 100000 /tmp/big-pack [--files 100]

With ``--files N`` (N > 1) the phrases go into N files ``phrases/part-001.yaml`` ... beside a
``pack.yaml`` that holds the header only; the phrases are the same as in the one-file pack.

Phrases are varied combinations of situations, products, categories and sentence parts, so
that terms have a realistic spread of frequencies (a few very common, many rare).
"""

from __future__ import annotations

import argparse
import random
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


def write_pack(count: int, folder: Path, seed: int = 7, files: int = 1) -> Path:
    """Write the pack into ``folder``; returns its ``pack.yaml``."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    header = [f"name: bench-{count}", "version: 1.0.0"]
    entries = []
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
        entries.append(
            f"  - id: p{number}\n"
            f"    category: {rng.choice(CATEGORIES)}\n"
            f'    text: "{text}"\n'
            f"    situations: [{situations}]\n"
            f"    tags: [{product}, t{number % 997}]\n"
        )
    path = folder / "pack.yaml"
    if files <= 1:
        path.write_text("\n".join(header) + "\nphrases:\n" + "".join(entries), encoding="utf-8")
        return path
    path.write_text("\n".join(header) + "\n", encoding="utf-8")
    (folder / "phrases").mkdir(exist_ok=True)
    per_file = -(-count // files)
    for part in range(files):
        chunk = entries[part * per_file : (part + 1) * per_file]
        (folder / "phrases" / f"part-{part + 1:03d}.yaml").write_text("phrases:\n" + "".join(chunk), encoding="utf-8")
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write a synthetic phrase pack.")
    parser.add_argument("size", type=int, nargs="?", default=100_000)
    parser.add_argument("folder", type=Path, nargs="?")
    parser.add_argument("--files", type=int, default=1, help="spread the phrases over this many files")
    args = parser.parse_args()
    suffix = f"x{args.files}" if args.files > 1 else ""
    print(write_pack(args.size, args.folder or Path(f"benchmarks/out/pack-{args.size}{suffix}"), files=args.files))
