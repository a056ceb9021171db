"""The built-in categories: the steps of the de-escalation practice, in order."""

from __future__ import annotations

from .model import Category

BUILTIN_CATEGORIES: tuple[Category, ...] = (
    Category(
        "listen",
        "Invite the customer to tell the whole story and show you are taking it in.",
        "Let them vent without interrupting; stay calm, take notes and say that you are taking them.",
        1,
    ),
    Category(
        "acknowledge",
        "Repeat the issue back so the customer knows they were heard.",
        'Sum up what you heard in your own words and ask "is this correct?" before solving anything.',
        2,
    ),
    Category(
        "apology",
        "Say sorry for what happened, plainly and specifically.",
        "Apologize calmly and sincerely; never blame a co-worker, another team, a partner or the brand.",
        3,
    ),
    Category(
        "empathy",
        "Name and validate how the customer feels.",
        "Show you understand why they are upset; caring, unscripted, never minimizing.",
        3,
    ),
    Category(
        "ally",
        "Put yourself on the customer's side of the problem.",
        'Make it "us against the problem": we are going to solve this together.',
        3,
    ),
    Category(
        "ownership",
        "Take responsibility for getting it fixed.",
        'No passing the buck, no "call back later", no shuffling between channels; '
        "thank them for the chance to fix it.",
        4,
    ),
    Category(
        "fair-solution",
        "Ask what would make it right and offer fair options.",
        "Ask what they consider a fair and reasonable solution, then offer what you can do.",
        5,
    ),
    Category(
        "next-steps",
        "Say exactly what happens next and when.",
        'Resolve fast: name each next step, who does it and when it will happen; never just "soon".',
        5,
    ),
    Category(
        "satisfaction-check",
        "Check the customer is satisfied before you close.",
        "Ask whether they are satisfied with the solution and will consider doing business with you again.",
        6,
    ),
    Category(
        "thank-you",
        "Thank the customer for their patience, loyalty or help.",
        "Thank them for their patience, their loyalty, or for working with you on this.",
        6,
    ),
    Category(
        "follow-up",
        "Follow up after the case by email, post, message or call.",
        "Say how and when you will follow up, then do it on the channel they used.",
        6,
    ),
)

BUILTIN_CATEGORY_NAMES = frozenset(category.name for category in BUILTIN_CATEGORIES)

KEYWORDS = {
    "listen": "listen listening vent venting hear out",
    "acknowledge": "acknowledge acknowledgement paraphrase recap repeat back",
    "apology": "apology apologize apologise apologies sorry",
    "empathy": "empathy empathize empathise empathetic sympathy sympathize compassion",
    "ally": "ally together same side",
    "ownership": "ownership responsibility responsible accountable accountability",
    "fair-solution": "fair reasonable solution compensation",
    "next-steps": "next steps timeline plan",
    "satisfaction-check": "satisfied satisfaction happy business again",
    "thank-you": "thank thanks grateful gratitude appreciate appreciation",
    "follow-up": "follow followup",
}
"""Words a rep may use to ask for a kind of phrase ("late delivery apology")."""

NAMED = {
    "listen": ["listen", "listening", "vent", "let them talk", "hear them out"],
    "acknowledge": ["acknowledge", "acknowledgement", "paraphrase", "recap", "repeat back", "is this correct"],
    "apology": ["apology", "apologize", "apologise", "apologies", "sorry"],
    "empathy": ["empathy", "empathize", "empathise", "empathetic", "sympathy", "sympathize", "compassion"],
    "ally": ["ally", "together", "same side", "on their side"],
    "ownership": ["ownership", "take responsibility", "own it", "accountable", "accountability"],
    "fair-solution": ["fair", "reasonable solution", "compensation", "make it right"],
    "next-steps": ["next steps", "next step", "timeline", "what happens next"],
    "satisfaction-check": ["satisfied", "satisfaction", "happy with", "do business again", "before closing"],
    "thank-you": ["thank", "thanks", "grateful", "gratitude", "appreciate", "appreciation"],
    "follow-up": ["follow up", "followup", "call back", "call them back", "check in"],
}
"""Expressions that ask for a kind of phrase by name; each matches only when all its words are there."""
