"""The built-in bank in figures: families per sector, phrases per category and per channel.

python benchmarks/bank_counts.py
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from phrasekit.channels import NAMES as CHANNELS  # noqa: E402
from phrasekit.packs import builtin_pack_dir, load_pack  # noqa: E402


def main() -> int:
    pack = load_pack(builtin_pack_dir(), "builtin")
    phrases = pack.phrases
    sectors = Counter(family.sector for family in pack.families.values())
    general = [p for p in phrases if p.general]
    print(f"{len(phrases)} phrases: {len(phrases) - len(general)} in {len(pack.families)} families, "
          f"{len(general)} general")  # fmt: skip
    print("families per sector: " + ", ".join(f"{s} {n}" for s, n in sorted(sectors.items())))
    print(f"sensitive families: {', '.join(sorted(n for n, f in pack.families.items() if f.sensitive))}")
    categories = Counter(p.category for p in phrases)
    print("phrases per category: " + ", ".join(f"{c} {n}" for c, n in categories.most_common()))
    fits = {channel: sum(p.fits_channel(channel) for p in phrases) for channel in CHANNELS}
    only = {channel: sum(p.channels == (channel,) for p in phrases) for channel in CHANNELS}
    print("phrases that fit each channel (written for it alone): "
          + ", ".join(f"{c} {fits[c]} ({only[c]})" for c in CHANNELS))  # fmt: skip
    blanks = Counter(b for p in phrases for b in p.blanks)
    print(f"phrases with blanks: {sum(1 for p in phrases if p.blanks)}; "
          + ", ".join(f"{{{b}}} {n}" for b, n in blanks.most_common()))  # fmt: skip
    sizes = Counter(p.family for p in phrases if p.family)
    print(f"phrases per family: {min(sizes.values())} to {max(sizes.values())}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
