"""The channels a rep answers on, declared once: every other module reads them from here.

A channel may have a character limit (an SMS segment, a public post), may be public (anyone can
read the reply, so it never asks for or shows private details), and may be a *variant*: its
phrases are shorter versions of others, not shown first unless asked for.
"""

from __future__ import annotations

from typing import NamedTuple


class Channel(NamedTuple):
    name: str
    limit: int | None = None
    """Most characters a message on this channel takes."""
    public: bool = False
    variant: bool = False


DECLARED: tuple[Channel, ...] = (
    Channel("phone"),
    Channel("email"),
    Channel("chat"),
    Channel("sms", limit=160, variant=True),
    Channel("social", limit=280, public=True, variant=True),
)

NAMES: tuple[str, ...] = tuple(channel.name for channel in DECLARED)
LIMITS: dict[str, int] = {channel.name: channel.limit for channel in DECLARED if channel.limit}
PUBLIC: tuple[str, ...] = tuple(channel.name for channel in DECLARED if channel.public)
VARIANTS: tuple[str, ...] = tuple(channel.name for channel in DECLARED if channel.variant)


def is_public(name: str | None) -> bool:
    """A reply on this channel is seen by everyone (a post on social media)."""
    return name in PUBLIC
