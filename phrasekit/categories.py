"""The de-escalation practice, declared once: its six steps in order, each step's guidance for a
script, and the built-in categories each step draws on (what a category is for, how to use it, and
the words a rep may use to ask for it). ``categories``, ``script``, search, validation and the
index all read it from here.
"""

from __future__ import annotations

from typing import NamedTuple

from .model import Category


class Kind(NamedTuple):
    """A built-in category as the practice declares it."""

    name: str
    description: str
    guidance: str
    keywords: str
    """Words a rep may use to ask for a kind of phrase ("late delivery apology")."""
    named: tuple[str, ...]
    """Expressions that ask for it by name; each matches only when all its words are there."""


class Step(NamedTuple):
    number: int
    name: str
    guidance: str
    """What a script says to do at this step."""
    kinds: tuple[Kind, ...]

    @property
    def categories(self) -> tuple[str, ...]:
        return tuple(kind.name for kind in self.kinds)


STEPS: tuple[Step, ...] = (
    Step(1, "listen", "Let them vent without interrupting; take notes, and say you are taking them.", (
        Kind("listen",
             "Invite the customer to tell the whole story and show you are taking it in.",
             "Let them vent without interrupting; stay calm, take notes and say that you are taking them.",
             "listen listening vent venting hear out",
             ("listen", "listening", "vent", "let them talk", "hear them out")),
    )),
    Step(2, "acknowledge", 'Repeat the issue back; ask "is this correct?"', (
        Kind("acknowledge",
             "Repeat the issue back so the customer knows they were heard.",
             'Sum up what you heard in your own words and ask "is this correct?" before solving anything.',
             "acknowledge acknowledgement paraphrase recap repeat back",
             ("acknowledge", "acknowledgement", "paraphrase", "recap", "repeat back", "is this correct")),
    )),
    Step(3, "apologize and empathize", "Calm and caring; never blame a co-worker, another team or the brand.", (
        Kind("apology",
             "Say sorry for what happened, plainly and specifically.",
             "Apologize calmly and sincerely; never blame a co-worker, another team, a partner or the brand.",
             "apology apologize apologise apologies sorry",
             ("apology", "apologize", "apologise", "apologies", "sorry")),
        Kind("empathy",
             "Name and validate how the customer feels.",
             "Show you understand why they are upset; caring, unscripted, never minimizing.",
             "empathy empathize empathise empathetic sympathy sympathize compassion",
             ("empathy", "empathize", "empathise", "empathetic", "sympathy", "sympathize", "compassion")),
        Kind("ally",
             "Put yourself on the customer's side of the problem.",
             'Make it "us against the problem": we are going to solve this together.',
             "ally together same side",
             ("ally", "together", "same side", "on their side")),
    )),
    Step(4, "take ownership", 'No transfers, no "call back later"; thank them for the chance to fix it.', (
        Kind("ownership",
             "Take responsibility for getting it fixed.",
             'No passing the buck, no "call back later", no shuffling between channels; '
             "thank them for the chance to fix it.",
             "ownership responsibility responsible accountable accountability",
             ("ownership", "take responsibility", "own it", "accountable", "accountability")),
    )),
    Step(5, "resolve", "Ask what they consider a fair and reasonable solution; say the next steps and when "
         "they will happen.", (
        Kind("fair-solution",
             "Ask what would make it right and offer fair options.",
             "Ask what they consider a fair and reasonable solution, then offer what you can do.",
             "fair reasonable solution compensation",
             ("fair", "reasonable solution", "compensation", "make it right")),
        Kind("next-steps",
             "Say exactly what happens next and when.",
             'Resolve fast: name each next step, who does it and when it will happen; never just "soon".',
             "next steps timeline plan",
             ("next steps", "next step", "timeline", "what happens next")),
    )),
    Step(6, "close and follow up", "Check they are satisfied, thank them, and say how and when you will "
         "follow up.", (
        Kind("satisfaction-check",
             "Check the customer is satisfied before you close.",
             "Ask whether they are satisfied with the solution and will consider doing business with you again.",
             "satisfied satisfaction happy business again",
             ("satisfied", "satisfaction", "happy with", "do business again", "before closing")),
        Kind("thank-you",
             "Thank the customer for their patience, loyalty or help.",
             "Thank them for their patience, their loyalty, or for working with you on this.",
             "thank thanks grateful gratitude appreciate appreciation",
             ("thank", "thanks", "grateful", "gratitude", "appreciate", "appreciation")),
        Kind("follow-up",
             "Follow up after the case by email, post, message or call.",
             "Say how and when you will follow up, then do it on the channel they used.",
             "follow followup",
             ("follow up", "followup", "call back", "call them back", "check in")),
    )),
)  # fmt: skip

BUILTIN_CATEGORIES: tuple[Category, ...] = tuple(
    Category(kind.name, kind.description, kind.guidance, step.number, "builtin")
    for step in STEPS
    for kind in step.kinds
)
BUILTIN_CATEGORY_NAMES = frozenset(category.name for category in BUILTIN_CATEGORIES)
KEYWORDS = {kind.name: kind.keywords for step in STEPS for kind in step.kinds}
"""Words a rep may use to ask for a kind of phrase ("late delivery apology")."""
NAMED = {kind.name: list(kind.named) for step in STEPS for kind in step.kinds}
"""Expressions that ask for a kind of phrase by name; each matches only when all its words are there."""
