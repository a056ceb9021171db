"""Starter files for pack authors."""

from __future__ import annotations

from pathlib import Path

from .channels import NAMES as CHANNELS
from .errors import Location, PhrasekitError
from .files import write_atomic
from .validate import NAME_RE

STARTER_PACK = """\
# A phrasekit pack (format v1). Reference: docs/packs.md
# Check it:  phrasekit packs validate {folder}
# Use it:    phrasekit --path {folder} search "late delivery"
#        or: put this folder in PHRASEKIT_PATH, or under the user packs folder.

name: {name}                 # required; lowercase letters, digits and dashes
title: {title}
version: 0.1.0
locale: en
description: Phrases our team uses.

# Words or phrases that should find each other in search (they apply to every pack).
synonyms:
  parcel: [package, box, shipment]

# Extra categories, beside the built-in ones (see 'phrasekit categories').
categories:
  warranty: Explaining what the warranty covers and how to claim it

# Phrases may also sit in phrases/*.yaml inside this folder, each file holding 'phrases:'.
phrases:
  - id: late-parcel-sorry    # unique in this pack; the full id is {name}/late-parcel-sorry
    category: apology        # a built-in category or one declared above
    text: "I'm sorry your parcel is late. I'm checking where it is now, and I'll tell you what I find {{when}}."
    situations: [late delivery, parcel delayed, tracking not moving]   # what a rep might type
    tags: [shipping]
    channels: [phone, chat]  # optional; default is every channel ({channels})
    tone: warm               # optional: formal | warm | casual

  # A commitment is a blank the rep fills ({{when}}, {{remedy}}, ...): never a time or an offer
  # your policy may not allow. See docs/writing-phrases.md, and check with --strict.
  - id: warranty-claim-steps
    category: warranty
    text: >-
      I've opened the warranty claim for you, and you'll have the prepaid
      label {{channel}} {{when}}.
    situations: [warranty claim, broken under warranty]
    tags: [warranty]

# Situation families (phrases for every step of one situation) sit in phrases/*.yaml with a
# 'family:' header; see docs/packs.md.
"""


def new_pack(name: str, folder: Path | str, force: bool = False) -> Path:
    """Write a commented, valid ``pack.yaml`` into ``folder``; returns its path."""
    if not NAME_RE.match(name):
        raise PhrasekitError(
            f"invalid pack name {name!r}", hint="Use lowercase letters, digits and dashes, e.g. acme-support."
        )
    folder = Path(folder)
    from .packs import decodable, shown

    if not decodable(folder):
        raise PhrasekitError("folder name is not valid UTF-8, and phrasekit loads no pack from such a folder",
                             Location(shown(folder)), hint="Choose a name in UTF-8.")  # fmt: skip
    title = " ".join(part.capitalize() for part in name.split("-")) + " phrases"
    text = STARTER_PACK.format(name=name, title=title, folder=folder, channels=", ".join(CHANNELS))
    return write_atomic(folder / "pack.yaml", text, force=force)
