"""The category of an imported reply, guessed from its wording when the source has none.

A canned reply often opens with a greeting and a thanks for writing in, and closes with a
sign-off; those say nothing about what the reply is for, so they are set aside before the cues
are counted. A guess is always marked as one (``phrasekit import`` says so in the file and the
report), for a lead to confirm.
"""

from __future__ import annotations

import re

from ..categories import BUILTIN_CATEGORY_NAMES

_CUES: tuple[tuple[str, str], ...] = (
    (
        "satisfaction-check",
        r"\bsatisf(?:ied|action)\b|\bhappy with (?:this|the|that)\b|\bdo(?:ing)? business with us\b"
        r"|\bdid (?:that|this) (?:solve|fix|resolve|sort)",
    ),
    (
        "fair-solution",
        r"\bfair\b|\breasonable\b|\bwhat would (?:you like|work best|help)\b|\bwould you prefer\b"
        r"|\b(?:which|what) (?:option|would you)\b|\bmake (?:it|this|things) right\b",
    ),
    (
        "follow-up",
        r"\bfollow(?:ing)?[ -]?up\b|\bchecking in\b|\bcheck in\b|\bhaven'?t heard\b|\bjust wanted to check\b"
        r"|\bcircl(?:e|ing) back\b|\bget back to you\b|\bupdate you\b",
    ),
    (
        "acknowledge",
        r"\bto confirm\b|\bmake sure I understand\b|\bis (?:this|that) (?:correct|right)\b"
        r"|\bif I understand\b|\bso what (?:I'm hearing|happened)\b|\bto recap\b",
    ),
    (
        "listen",
        r"\btell me (?:more|what)\b|\bwalk me through\b|\bcould you (?:describe|share|tell)\b"
        r"|\bcan you (?:describe|tell me)\b|\bin your own words\b|\btake your time\b",
    ),
    ("apology", r"\bsorry\b|\bapolog(?:y|ies|ise|ize|ising|izing)\b|\bregret\b"),
    (
        "empathy",
        r"\bI (?:can )?(?:understand|imagine|see) (?:how|why|that)\b|\bfrustrat\w*|\bupsetting\b"
        r"|\bdisappoint\w*|\bstressful\b|\bannoying\b|\bworrying\b",
    ),
    ("ally", r"\btogether\b|\bon your side\b|\bwe'?ll (?:sort|figure|work) (?:this|it) out\b"),
    (
        "ownership",
        r"\bI'?(?:ll| will) (?:personally |)(?:take care|handle|look after|own|make sure|see to)\b"
        r"|\bI'?m (?:taking|going to take) (?:care|responsibility|ownership)\b|\bleave it with me\b",
    ),
    (
        "next-steps",
        r"\bnext step\b|\bwithin \w+ (?:business )?(?:days?|hours?)\b|\byou'?ll (?:receive|get|see)\b"
        r"|\bhas been (?:issued|processed|shipped|sent|refunded|cancell?ed|approved|escalated|updated)\b"
        r"|\bwe(?:'ve| have) (?:issued|processed|shipped|sent|refunded|cancell?ed|approved|escalated"
        r"|updated)\b"
        r"|\bI(?:'ve| have) (?:issued|processed|shipped|sent|refunded|cancell?ed|approved|escalated|updated"
        r"|opened|raised)\b"
        r"|\bplease (?:allow|reply|send|click|follow|visit|go to|try|restart|check)\b",
    ),
    ("thank-you", r"\bthank(?:s| you)\b|\bgrateful\b|\bappreciate\b"),
)
"""Cues per category, in the order a tie is broken: a reply that both apologizes and thanks is
an apology; a thanks counts only when nothing else does."""
_COMPILED = tuple((category, re.compile(pattern, re.I)) for category, pattern in _CUES)
_OPENING_RE = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b[^,!.?\n]{0,30}[,!.]\s*", re.I
)
"""A greeting at the start of a sentence ("Hi {customer}, ..."), cut off before the rest is read."""
_GREETING_RE = re.compile(
    r"^\s*(?:hi|hello|hey|dear|good (?:morning|afternoon|evening)|greetings)\b[^,!.?\n]{0,30}[,!.]?\s*$"
    r"|^\s*(?:many |a lot of )?thanks?(?: you)?(?: so much| very much)? for (?:reaching out|contacting|getting in touch"
    r"|writing|letting us know|flagging|the (?:message|email|note)|waiting|your (?:message|email|enquiry|inquiry"
    r"|question|note|patience|reply|order))\b"
    r"|^\s*(?:best|kind|warm)?\s*(?:regards|wishes|cheers|thanks|sincerely|all the best)\b[^.!?\n]{0,40}$",
    re.I,
)
_SENTENCE_RE = re.compile(r"(?<=[.!?])\s+|\n+")
DEFAULT = "next-steps"
"""A reply with no cue at all most often says what happens or what to do (an order shipped, the
steps to reset a router), which is the resolve step's kind of phrase."""


def normal_category(value: str) -> str | None:
    """A source's category or folder as phrasekit's, when it names one ("Thank you" ->
    ``thank-you``, "Apologies" -> ``apology``), else ``None``."""
    slug = re.sub(r"[^a-z0-9]+", "-", value.lower()).strip("-")
    aliases = {
        "apologies": "apology",
        "sorry": "apology",
        "thanks": "thank-you",
        "thank-yous": "thank-you",
        "followup": "follow-up",
        "follow-ups": "follow-up",
        "next-step": "next-steps",
        "satisfaction": "satisfaction-check",
        "fair-solutions": "fair-solution",
        "listening": "listen",
        "acknowledgement": "acknowledge",
        "acknowledgment": "acknowledge",
    }
    slug = aliases.get(slug, slug)
    return slug if slug in BUILTIN_CATEGORY_NAMES else None


def guess_category(text: str) -> tuple[str, bool]:
    """The category the wording of ``text`` is for, and whether any cue said so (``False``: the
    default, with nothing to go on)."""
    sentences = [_OPENING_RE.sub("", part) or part for part in _SENTENCE_RE.split(text) if part.strip()]
    body = [sentence for sentence in sentences if not _GREETING_RE.match(sentence)] or sentences
    scores: dict[str, int] = {}
    for category, pattern in _COMPILED:
        hits = sum(1 for sentence in body if pattern.search(sentence))
        if hits:
            scores[category] = hits
    if not scores:
        return DEFAULT, False
    order = [category for category, _ in _CUES]
    best = max(
        scores, key=lambda category: (scores[category] if category != "thank-you" else 0.5, -order.index(category))
    )
    return best, True
