"""What a draft's sentences mean, for ``check``: who acts, what is asked and of whom, whose
number or reference it is, whether a time is a commitment, whether capitals are a name.

The rules in ``rules.yaml`` find wordings; whether a wording is a problem depends on the
sentence around it. "Soon" in "we'll look into it soon" is a promise with no time, in "see you
again soon" a pleasantry; "0800 028 4590" after "call our lost and stolen line on" is the
company's own number, after "your number" the customer's; "XFINITY" is a name, "NEVER" a raised
voice. This module reads those facts from the sentence, plainly (no model), and decides the
families the wording alone cannot: a non-apology, asking for a secret, asking for contact
details in public, policy used as a wall.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import NamedTuple


class _Lazy:
    """A regular expression compiled the first time it is used: compiling all of this module's
    at import took 14 ms, a fifth of a whole ``check``, and a draft needs few of them."""

    __slots__ = ("_args", "_compiled")

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)
        self._compiled = None

    def __getattr__(self, name: str):
        if self._compiled is None:
            self._compiled = re.compile(*self._args)
        return getattr(self._compiled, name)


# -- sentences ---------------------------------------------------------------------------------

_END_RE = _Lazy(r"[.!?]+(?=\s|$)|\n\s*\n|\n(?=\s*(?:[-*•]|\d+[.)])\s)")


class Sentence(NamedTuple):
    start: int
    end: int
    text: str


class Sentences:
    """A draft's sentences, and the one around an offset (by bisection over the ends, found once).
    ``ends`` is where a sentence ends: by default also before a list item, since each item says
    its own thing; ``check`` keeps one finding per rule and sentence by stops and blank lines."""

    def __init__(self, text: str, ends=None) -> None:
        self.text = text
        self.ends = [m.end() for m in (ends or _END_RE).finditer(text)]
        if not self.ends or self.ends[-1] < len(text):
            self.ends.append(len(text))

    def around(self, offset: int) -> Sentence:
        at = bisect_right(self.ends, offset)
        at = min(at, len(self.ends) - 1)
        start = self.ends[at - 1] if at else 0
        return Sentence(start, self.ends[at], self.text[start : self.ends[at]])

    def __iter__(self):
        start = 0
        for end in self.ends:
            if self.text[start:end].strip():
                yield Sentence(start, end, self.text[start:end])
            start = end


# -- facts about a sentence ----------------------------------------------------------------------

TIME = (
    r"\b(?:by|before|at|on|within|in|until|around|between|no later than|this|next|every|each|from|over|tomorrow|today"
    r"|tonight)\s+(?:the )?(?:\d|one|two|three|four|five|six|seven|eight|nine|ten|twelve|half|today|tonight|tomorrow"
    r"|noon|midday|midnight|(?:mon|tues|wednes|thurs|fri|satur|sun)day|mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun"
    r"|the end of|end of|close of|(?:the )?next(?! (?:batch|run|cycle|round|opportunity|release|update|version)\b)"
    r"|morning|afternoon|evening|week|weekend|hour|january|february|march"
    r"|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov"
    r"|dec|lunch|\d{1,2}(?:st|nd|rd|th))"
    r"|\b(?:on|for|this|next|by|until|from) (?:(?:mon|tues|wednes|thurs|fri|satur|sun)day|tomorrow|today|tonight)\b"
    r"|\b\d{1,2}(?::\d{2})?\s?(?:am|pm)\b|\b\d{1,2}:\d{2}\b"
    r"|\b(?:(?:allow|within|in) (?:up to )?)?(?:\d+(?:-\d+)?|a|an|one|two|three|few|couple of) (?:working |business )?"
    r"(?:minutes?|hours?|days?|weeks?)\b"
    r"|\b(?:at|on|with) (?:each|every) (?:stage|step)\b|\{[^{}]{1,40}\}|\[[^\[\]]{1,40}\]"
    r"|\b(?:the )?same[- ]day\b|\bwithin the hour\b"  # "I'll send you a new bill the same day"
)
"""A time a next step can be held to: by a day or a date, at an hour, within so many days, or a
blank the rep fills with one (``{when}``); "today" alone may be the day it went wrong. Declared
once: the promise reader (``roles``) and the rules that ask for a time (``vague-time``'s
``unless:`` and ``no-next-step``'s ``require:`` in rules.yaml, as ``{time}``) all read this."""


_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_NAMES_TIME_RE = _Lazy(
    TIME + r"|\b(?:today|tonight|tomorrow|now|straight away|right away|this (?:morning|afternoon|evening|week))\b"
    r"|\b(?:mon|tues|wednes|thurs|fri|satur|sun)day\b"  # "it'll be with you Saturday morning"
    r"|\b(?-i:Mon|Tue|Tues|Wed|Thu|Thur|Thurs|Fri|Sat|Sun)\b"  # "I'll call you Fri to confirm"
    r"|\bthe (?:night|day|evening|morning|week) before\b"
    rf"|\b{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?\b|\b\d{{1,2}}(?:st|nd|rd|th)? (?:of )?{_MONTH}(?!\w)",
    re.IGNORECASE,
)


def names_time(text: str) -> bool:
    """Whether the text names a time a promise can be held to (``TIME``), or says it in a word
    ("today", "straight away")."""
    return bool(_NAMES_TIME_RE.search(text))


_COMMITMENT_RE = _Lazy(
    r"\b(?:will|'ll|shall|should|may|might|going to|gonna|aim to|expect to|hope to|plan to)\b"
    r"|\b(?:get|getting|come|coming) back to you\b|\bbe in touch\b|\bbe with you\b|\bonce (?:the|it|we)\b"
    r"|\bto follow\b|\b(?:please )?allow (?:us|them|the|our|a|an)\b"
    r"|\b(?:expect|look out for) (?:an? |to hear|news|updates?|a reply|a response|an answer|a call)\b",
    re.IGNORECASE,
)
"""A sentence that says what will happen (we will, they'll, it should be back): what a vague
time leaves without a when."""
_PLEASANTRY_RE = _Lazy(
    r"\b(?:see|speak to|talk to|hear from|catch|welcome) you (?:again |back )?(?:very )?soon\b|\b(?:get well"
    r"|speak|talk)"
    r" soon\b|\bhope to (?:see|welcome|have) you\b|\bsee you (?:next time|again)\b|\bin the (?:near )?future\b[^.!?\n]*"
    r"\b(?:if|should you|whenever)\b|\b(?:if|should you|whenever)\b[^.!?\n]*\bin the (?:near )?future\b"
    r"|\b(?:love|like|look forward|looking forward) to (?:welcoming|welcome|seeing|see|having|have) you (?:back"
    r"|again)\b"
    r"|\bhave an? (?:\w+ )?"
    r"(?:day|weekend|evening|trip|flight|holiday|stay|one)\b|\bsafe travels\b|\bsoon enough\b|\bsooner or later\b",
    re.IGNORECASE,
)
"""Times said as a pleasantry or a condition, which promise nothing."""


def commits(sentence: str) -> bool:
    """Whether the sentence says what will happen (``we'll get back to you``, ``it should be back``)."""
    return bool(_COMMITMENT_RE.search(sentence))


_MOVED_ALONG_RE = _Lazy(
    r"\b(?:chased|passed (?:on|it|them|this|your)|raised|flagged|asked|checked|contacted|been in touch|spoke|spoken"
    r"|emailed|called|rang|messaged|looked into|escalated|followed up|reminded|forwarded|shared|nudged|pinged)\b",
    re.IGNORECASE,
)
_PUT_RIGHT_RE = _Lazy(
    r"\b(?:refund|credit|fix|repair|rebook|restor|replac|cancel|remov|waiv|reset|correct|reinstat|releas|reconnect"
    r"|unblock|unlock|dispatch|ship|deliver|reissu|upgrad|activat|resolv|revers|settl|approv|authoris|authoriz)\w*"
    r"|\b(?:on (?:its|their|the) way|arriving|due|ready|booked|sent|posted)\b",
    re.IGNORECASE,
)


def next_step(sentence: str) -> bool:
    """Whether a sentence with a time in it can say what happens next: not when it only reports
    moving the case along ("I chased the handyman this morning", "I checked with lost property
    today") with nothing promised and nothing put right."""
    return not _MOVED_ALONG_RE.search(sentence) or commits(sentence) or bool(_PUT_RIGHT_RE.search(sentence))


def meets(family: str, sentence: str) -> bool:
    """Whether a ``require:`` pattern of a built-in rule found in ``sentence`` meets it there
    (the counterpart of ``excused`` for what a draft must say): a follow-up's time counts as its
    next step only in a sentence that says what happens next."""
    return next_step(sentence) if family == "no-next-step" else True


def pleasantry(sentence: str) -> bool:
    """Whether the sentence's time is a pleasantry or a condition (``see you again soon``, ``if you
    need us in the future``) rather than a promise."""
    return bool(_PLEASANTRY_RE.search(sentence))


_PRIVATE_CHANNEL_RE = _Lazy(
    r"\b(?:DMs?|direct message|private message|PM|inbox|message us privately|privately|in private|private chat"
    r"|secure (?:form|link|message|chat))\b|\bsend us a (?:message|note)\b|\bslide into (?:our|the) DMs\b",
    re.IGNORECASE,
)
_OTHER_QUEUE_RE = _Lazy(
    r"\b(?:chat team|phone team|email team|(?:the|our|another|a different|other) (?:team|department|line|desk|queue)"
    r"|support (?:team|line|desk)|help ?desk|contact (?:us|our team|the team) (?:by|via|on|through) (?:phone|email|chat"
    r"|the (?:app|website))|(?:by|via|over the) (?:phone|email|chat)|(?:call|phone|ring|email|chat (?:to|with)) us)\b",
    re.IGNORECASE,
)


def to_private_channel(sentence: str) -> bool:
    """Whether the sentence moves the conversation to a private message with us (the right move
    for a public complaint), and to nowhere else."""
    return bool(_PRIVATE_CHANNEL_RE.search(sentence)) and not _OTHER_QUEUE_RE.search(
        _PRIVATE_CHANNEL_RE.sub(" ", sentence)
    )


_NEGATION_RE = _Lazy(
    r"\b(?:never|not|\w+n't|don'?t|do not|doesn'?t|does not|won'?t|will not|wouldn'?t|no one|nobody|nor|neither|without"
    r"|no need)\b",
    re.IGNORECASE,
)


def negated(sentence: str, offset: int) -> bool:
    """Whether a negation comes before ``offset`` in its clause (``we will never ask for your PIN``)."""
    parts = re.split(r"[;:]|\b(?:but|and then|so)\b", sentence[:offset])[-1].split(",")
    start = len(parts) - 1
    while start > 0 and len(parts[start].split()) <= LIST_ITEM_WORDS:
        start -= 1  # "we'll never ask for your card number, PIN, password": a list, one clause
    return bool(_NEGATION_RE.search(",".join(parts[start:])))


LIST_ITEM_WORDS = 3
"""A part between commas this short is an item of a list, in the clause that began the list."""


_OUR_NUMBER_RE = _Lazy(
    r"\b(?:call|ring|phone|text|whatsapp|contact|reach|dial)\b[^.!?\n]{0,40}\b(?:us|our|we)\b"
    r"|\b(?:our|the|their) (?:\w+ ){0,4}(?:line|number|team|helpline|desk|hotline)s?\b[^.!?\n]{0,20}"
    r"(?:\b(?:on|is|at|are)\b|\()"
    r"|\b(?:us|our team) (?:on|at)\b|\bfree(?:phone)?\b|\b24/7\b|\b(?:lines|phones) (?:are )?open\b"
    r"|\b(?:team|office|desk|line|helpline|hotline|centre|center|they)(?:'s|'re| is| are) (?:on|at)\b"
    r"|\b(?:our|the) (?:[\w/-]+ ){0,4}(?:line|number|helpline|hotline)\s*(?:on|is|at|:)?\s*\+?\(?\d",
    re.IGNORECASE,
)
_COMPANY_PREFIX_RE = _Lazy(
    r"(?:\+?44\s?\(?0?\)?\s?|\b0)(?:800|808|500|3[0-7]\d|84[345]|87[01])\b|(?:\+?1[-.\s]?)?\(?8(?:00|33|44|55|66|77|88)\)?"
    r"[-.\s]\d{3}\b|\b1[-\s]?(?:300|800|850|890)\b|\b13\s?\d{2}\s?\d{2}\b"
)
"""Numbering that only a business holds: UK freephone and non-geographic (0800, 0808, 03xx,
0845), North American toll-free (1-800, 888, 877 ...), Australian and Irish 1300/1800."""
_OPENING_HOURS_RE = _Lazy(
    r"^[^.!?\n]{0,12}?\b(?:(?:mon|tue|wed|thu|fri|sat|sun)\w*\.?\s*(?:-|–|to|through|till)\s*(?:mon|tue|wed|thu|fri|sat"
    r"|sun)\w*|daily|every day|7 days|seven days|24 hours|24/7|24x7|round the clock|open|lines open|weekdays"
    r"|from (?:abroad|overseas|outside)|if (?:you(?:'re| are) )?(?:abroad|overseas)"
    r"|\d{1,2}(?::\d\d)?\s?(?:am|pm)?\s?(?:-|–|to|till|until)\s?\d{1,2}(?::\d\d)?\s?(?:am|pm))\b",
    re.IGNORECASE,
)
"""Opening hours just after a number ("0808 157 0518, Mon-Sat 8am-8pm"): a line the company staffs."""


def company_line(sentence: str, excerpt: str) -> bool:
    """Whether the number is a business line by its numbering (0800, 1-800, 1300) or by the
    opening hours said after it, unless it is one we call the customer on."""
    if _THEIR_NUMBER_RE.search(sentence) or re.search(r"\b(?:call|ring|text|phone) you\b", sentence, re.IGNORECASE):
        return False
    at = sentence.find(excerpt)
    return bool(_COMPANY_PREFIX_RE.search(excerpt)) or (at >= 0 and bool(
        _OPENING_HOURS_RE.search(sentence[at + len(excerpt):].lstrip(" ,(—-"))))  # fmt: skip


_URGENT_RE = _Lazy(
    r"\b(?:24/7|emergenc\w*|urgent\w*|lost (?:and|or|&) stolen|fraud\w*|stolen|gas leak|safety|right away|right now"
    r"|immediately|freeze)\b",
    re.IGNORECASE,
)
"""A safety line the customer should ring at once: the right move even in public."""
_EMERGENCY_RE = _Lazy(
    r"\b(?:emergenc\w*|gas leak|smell(?:s|ing)? (?:of )?gas|carbon monoxide|999|911|112|ambulance|fire brigade"
    r"|police)\b",
    re.IGNORECASE,
)


def emergency(sentence: str) -> bool:
    """Whether the sentence sends the customer to an emergency line, which is always the right move
    ("leave the flat and call the gas emergency line")."""
    return bool(_EMERGENCY_RE.search(sentence))


_THEIR_NUMBER_RE = _Lazy(
    r"\byour (?:\w+ )?(?:number|mobile|phone|landline|cell)\b|\b(?:number|mobile|email|address)(?: \w+){0,2}"
    r" (?:registered|linked|associated|held|on file|we have for you|on your account)\b",
    re.IGNORECASE,
)


_CALL_BEFORE_RE = _Lazy(
    r"\b(?:call|ring|phone|dial|text|whatsapp)(?: (?:us|them|the [\w-]+(?: [\w-]+)?|our [\w-]+(?: [\w-]+)?))?"
    r"(?: (?:on|at|via))?\s*:?\s*$|\b(?:call|calls|ring|rings|text|texts|message|messages)(?: you)? from\s*$",
    re.IGNORECASE,
)


def to_call(sentence: str, excerpt: str) -> bool:
    """Whether the number is one the customer is told to ring ("call 0800 111 999 straight away") or
    that calls them ("they call from 0800 ..."): nobody is told to call their own number."""
    at = sentence.find(excerpt)
    return at > 0 and bool(_CALL_BEFORE_RE.search(sentence[:at]))


def our_number(sentence: str) -> bool:
    """Whether a phone number in the sentence is the company's own, given for the customer to call
    (``call our 24/7 line on 0800 ...``), not the customer's."""
    return bool(_OUR_NUMBER_RE.search(sentence)) and not _THEIR_NUMBER_RE.search(sentence)


_TO_ADDRESS_RE = _Lazy(
    r"\b(?:e-?mail|write to|contact|reach|message)(?: us| our [\w-]+(?: team)?| the [\w-]+ team)?(?: at| on| via)?"
    r"\s*:?\s*$"
    r"|(?:^|[.!?,;:]\s*|\b(?:please|kindly|just)\s+)(?:e-?mail|send|forward|write)\b[^.!?]{0,40}\bto\s*$"
    r"|\b(?:our|the) (?:[\w-]+ ){0,2}(?:team|desk|office|department|inbox|mailbox)(?:'s| is| are)? (?:at|on)\s*:?\s*$",
    re.IGNORECASE,
)


_ROLE_MAILBOX_RE = _Lazy(
    r"^(?:claims?|help|support|info|hello|care|customercare|customer\.?(?:care|service|services)|complaints?|returns?"
    r"|billing|accounts|enquiries|contact|team|service|feedback|bookings?|reservations|sales|orders|press|privacy"
    r"|dpo|security|fraud|admin|office|reception|lostproperty|lost\.?property|refunds?|disputes?|escalations)@",
    re.IGNORECASE,
)
"""A mailbox named for a role (claims@, help@, returns@): a company's, never a customer's own."""
_OUR_PLACE_RE = _Lazy(
    r"\b(?:the|our) (?:[\w-]+ )?(?:shop|store|branch|office|venue|hotel|restaurant|cafe|showroom|depot|clinic|station"
    r"|centre|center|gym|studio|salon|desk|counter)(?:'s| is| are)? (?:at|on|in)\b|\b(?:we'?re|we are|find us|visit us)"
    r"(?: now| based| located)? (?:at|on)\b|\bwe(?:'ve| have)? (?:moved|relocated)\b[^.!?]{0,30}\bto\b",
    re.IGNORECASE,
)
"""An address given as where the company is (``the shop's at 61 Deansgate, M3 2BW``)."""


def our_address(sentence: str, excerpt: str) -> bool:
    """Whether an email address in the sentence is where the customer is asked to write (``email
    claims@...``, ``write to us at help@...``, a role's mailbox), or a street address is where
    the company is: the company's, not the customer's."""
    if "@" not in excerpt:
        return bool(_OUR_PLACE_RE.search(sentence)) and not re.search(r"\byour\b", sentence, re.IGNORECASE)
    if _ROLE_MAILBOX_RE.match(excerpt.strip()):
        return True
    before = sentence[: max(0, sentence.find(excerpt))]
    theirs = re.search(r"\byour (?:e-?mail|email address|address)(?: is| was|:)?\s*$", before, re.IGNORECASE)
    return bool(_TO_ADDRESS_RE.search(before)) and not theirs


_CODE_RE = _Lazy(r"^(?:[A-Z]{2}|[A-Z]\d|\d[A-Z]|[A-Z]{3})\d{1,4}[A-Z]?$")
"""A flight (BA1441, EZY8723, U24512) or a train code, which is public, not the customer's."""
_SHARED_CODE_RE = _Lazy(r"^(?:ref(?:erence)?\.?:?\s*)?(?:INC|CHG|PRB|FR|BUG|KB|RFC|REL)-?\d{2,}$", re.IGNORECASE)
"""An incident, change, problem, feature-request or known-issue number (INC-61230, FR-1182): one
everyone affected shares."""


def public_code(token: str) -> bool:
    return bool(_CODE_RE.match(token.strip()) or _SHARED_CODE_RE.match(token.strip()))


_PUBLIC_REF_RE = _Lazy(
    r"\b(?:incident|outage|status|network|service|recall|batch|bulletin|issue|bug|release|version|build|changelog"
    r"|pull request|PR)(?: (?:ref(?:erence)?|number|no\.?|id|#))?\s*"
    r"[:#]?\s*$",
    re.IGNORECASE,
)
"""What names a reference everyone shares (an outage's incident number, a recall batch), not the
customer's own."""


def in_address(sentence: str, excerpt: str) -> bool:
    """Whether the excerpt is part of a web address ("status.quillstack.io/inc-20931"): a page's."""
    at = sentence.find(excerpt)
    if at < 0:
        return False
    word_start = max(sentence.rfind(" ", 0, at), sentence.rfind("(", 0, at)) + 1
    word = sentence[word_start : at + len(excerpt)]
    return "/" in word or bool(re.search(r"[a-z]\.[a-z]{2,}", word[: at - word_start], re.IGNORECASE))


def public_reference(sentence: str, excerpt: str) -> bool:
    """Whether the reference is one everyone shares (an incident number) or one we have just
    issued ("I've opened case C-88213 for you"), not the customer's own account or card."""
    at = sentence.find(excerpt)
    if at < 0:
        return False
    return bool(_PUBLIC_REF_RE.search(sentence[max(0, at - 30) : at]) or _WE_ISSUED_RE.search(sentence[:at]))


_WE_ISSUED_RE = _Lazy(
    r"\b(?:I|we)(?:'ve| have)? (?:just |now |also )?(?:logged|opened|raised|created|filed|set up|started|lodged"
    r"|registered|issued|added)\b[^.!?]{0,60}$",
    re.IGNORECASE,
)
"""A case or reference the writer has just opened: ours to give, not the customer's secret."""


SUPPOSED_RE = _Lazy(r"\b(?:if|in case|should|whether|unless)\b[^,.;:]*$", re.IGNORECASE)
"""A clause that supposes what it says ("if you missed one because of it"): no cause given, no
fault said (blame's rules here and its role readings in ``roles``)."""
_ERROR_CODE_RE = _Lazy(
    r"\b(?:error|fault|status|err)(?: code)?\W*$|^\W*(?:error|message|code|fault|warning|screen|alert)\b", re.IGNORECASE
)


def error_code(sentence: str, excerpt: str) -> bool:
    """Whether a code in the sentence is an error or fault code on a screen ("the ERR-4021
    message", "error code 80070005"): the product's, the same for every customer."""
    at = sentence.find(excerpt)
    if at < 0:
        return False
    return bool(
        _ERROR_CODE_RE.search(sentence[max(0, at - 20) : at]) or _ERROR_CODE_RE.match(sentence[at + len(excerpt) :])
    )


# -- capitals ------------------------------------------------------------------------------------

_EMPHASIS = frozenset(
    "NOT NEVER NO NOW MUST ALWAYS ONLY DO DONT DON'T WILL WONT WON'T CANNOT CAN'T PLEASE STOP READ AGAIN FINAL "
    "URGENT IMMEDIATELY ALREADY ALL EVERY ANY WHY WHAT YOU YOUR WE OUR ARE IS WAS THE AND AM REALLY VERY HAS BEEN BE "
    "ON IT IN AT TO FOR OF THIS THAT BEFORE AFTER WITH BY FROM UP OUT OFF OR IF AS HAVE HAD CAN SHOULD NEED HERE"
    "".split()
)
"""Words that, written in capitals, raise the voice; a word in capitals that is none of these is
most often a name, a brand or a code (XFINITY, NASA, PNR, EU261)."""


def capitals_shout(excerpt: str) -> bool:
    """Whether a run of capitals found by the shouting rule raises the voice: ``!!`` and ``??``
    always; words, when one of them is an everyday word said loud, or three or more run together
    with a word longer than a code (a brand name alone, or "PNR ETA UK", is not shouting)."""
    if set(excerpt.strip()) <= set("!?"):
        return True
    words = re.findall(r"[A-Z][A-Z']+", excerpt)
    if not words:
        return False
    if len(words) >= 3 and any(len(word) > 3 for word in words):
        return True  # "HAS BEEN PROCESSED", "WORKING ON IT": a sentence said loud (a run of codes is short words)
    return any(word in _EMPHASIS for word in words) and len(words) >= 2 or (len(words) == 1 and words[0] in _EMPHASIS)


# -- families decided here -----------------------------------------------------------------------

_NON_APOLOGY_RE = _Lazy(
    r"\b(?:I'?m|I am|we'?re|we are) sorry (?:that |if )?you (?:feel|felt|think|thought|see it|are upset|'re upset"
    r"|were upset|got upset|find|found|perceive|believe|took it|take it|were offended|are offended|'re offended"
    r"|were disappointed|are disappointed|'re disappointed|felt let down|feel let down)\b"
    r"|\b(?:sorry|apologi[sz]e|apologies|regret(?: it)?) if\b"
    r"|\b(?:apologi[sz]e|apologies|sorry|regret) (?:for )?any (?:inconvenience|confusion|frustration|trouble|upset"
    r"|distress|disappointment|annoyance|hassle)(?: (?:this|that|it) (?:may|might) have caused)?\b"
    r"|\bsorry you feel that way\b"
    r"|\bsorry (?:that )?you (?:think|thought|believe|believed|feel|felt) (?:that )?(?:we|I|our|the|this|it)\b"
    r"|\bsorry (?:for how you feel|that'?s how you feel|you see it that way)\b"
    r"|\b(?:I'?m|I am|we'?re|we are) sorry (?:that )?you (?:see|view|regard|consider|find) (?:\w+ ){0,4}?as\b"
    r"|\bsorry (?:to hear )?(?:that )?you(?:'re| are| were| feel| felt)? (?:feel |felt )?(?:unhappy|dissatisfied"
    r"|disappointed|upset|frustrated|let down|annoyed|unimpressed)\b|\bsorry (?:that )?you (?:didn'?t|did not) (?:enjoy"
    r"|like|love|find)\b|\b(?:this|that|it) (?:may|might|could) have been (?:frustrating|upsetting|annoying"
    r"|inconvenient|disappointing|confusing|stressful)\b|\b(?:regrets?|regretted) that you (?:were|are|felt|feel)\b"
    r"|\b(?:we|I) regret (?:that )?you (?:feel|felt|were|are)\b|\bif (?:you feel|anyone feels) (?:we|I) (?:let|have)"
    r"|\b(?:to the extent|insofar as|in so far as) (?:that )?(?:\w+ ){0,8}?(?:any|some)\b[^.!?]{0,60}\b(?:apologi|sorry"
    r"|regret)"
    r"|\b(?:apologi[sz]e|apologies|sorry|regret) (?:for )?(?:any |the )?(?:perceived|alleged|supposed)\b"
    r"|\bsorry (?:that'?s|this is|if that'?s) how you (?:see|saw|view|took|read|feel about) (?:it|this|that|things)\b",
    re.IGNORECASE,
)
"""An apology whose object is the customer's reaction ("sorry you feel that way", "sorry you
were disappointed"), a hedge ("sorry if", "apologies if") or nothing in particular ("any
inconvenience"), not what happened."""
_OWNS_FAULT_RE = _Lazy(
    r"\b(?:on us|on me|our (?:own )?(?:fault|mistake|error)|my (?:own )?(?:fault|mistake|error)"
    r"|(?:we|I) (?:got (?:this|it|that) wrong"
    r"|let you (?:both |all )?down|made a mistake|messed up|dropped the ball|should have)|(?:that|this"
    r"|it) shouldn'?t have happened|not (?:good enough|acceptable|OK|okay) (?:from|of|by) (?:us|me)"
    r"|(?:caused|made) by (?:us|me|our (?:error|mistake|system|team))|down to (?:us|me|our (?:error|mistake))"
    r"|(?:fault|error|mistake|problem|issue|shortage|glitch|failure|slip|oversight|mix-up)s?"
    r" (?:was |is |lay |lies )?on our (?:side|end|part|line|network|system)"
    r"|(?:held|stuck|delayed|missed|lost)(?: up| back)? on our (?:side|end)"
    r"|(?:ours|mine) to (?:fix|put right|sort(?: out)?|make right)|(?:the|this|that) (?:mistake|error|fault|slip)"
    r" (?:is|was) (?:ours|mine)|(?:we|I) (?:take|accept) (?:full |complete )?responsibility"
    r"|(?:that'?s|it'?s|this is|it was|that was) our (?:doing|slip|oversight|miss))\b",
    re.IGNORECASE,
)
"""The writer owning the fault ("that's on us", "we got this wrong"): with an apology for how the
customer feels, a real apology; with a co-worker's fault, not blame (``roles``)."""


_WE_ERRED_RE = _Lazy(
    r"\b(?:we|I)(?:'ve| have| had|'d)?(?: (?:clearly|obviously|then|also|somehow|accidentally|mistakenly|wrongly"
    r"|just|still))? (?:forgot to|failed to|mis-?\w+ed|mixed (?:up|\w+ up)|messed (?:up|\w+ up)|overcharged"
    r"|double[- ](?:charged|booked|billed)|overbooked|lost|damaged|broke|dropped"
    r"|got (?:it|this|that|your \w+|the \w+) wrong|made (?:a |an )?(?:\w+ )?(?:mistake|error|mess)|should(?:'ve| have)"
    r"|(?:sent|packed|delivered|charged|booked|gave|put|shipped|entered|applied|took|picked|scanned|billed|label+ed"
    r"|posted|cancel+ed|closed|set|fitted|installed|quoted|recorded|processed|debited|collected)"
    r" (?:[\w'-]+ ){0,4}?(?:wrong|incorrect\w*|twice|anyway|by mistake|in error|instead of|too early|too late|late)\b)",
    re.IGNORECASE,
)
"""The writer as the one who did the wrong thing ("we delivered it to the wrong house", "we
charged you for it anyway"): the fault told as our own."""


_WENT_WRONG_HERE_RE = _Lazy(
    r"\b(?:\w+ed|wrong(?:ly)?|late|mixed up|lost)\b[^.;!?]{0,60}?\b(?:on|at) our (?:side|end|part)\b", re.IGNORECASE
)
"""A slip told as ours by where it happened ("your direct debit was moved across a day late on our
side", "it was filed under the wrong policy type on our end")."""
_DENIED_RE = _Lazy(r"\b(?:nothing|not|no|never|none)\b|n't\b", re.IGNORECASE)


def owns_fault(sentence: str) -> bool:
    """Whether the writer owns the fault: says so ("that's on us"), tells it as their own doing,
    or says it went wrong on their side (not "nothing has changed on our side")."""
    if _OWNS_FAULT_RE.search(sentence) or _WE_ERRED_RE.search(sentence):
        return True
    here = _WENT_WRONG_HERE_RE.search(sentence)
    return here is not None and not _DENIED_RE.search(sentence, 0, here.end())


_SECRET_RE = _Lazy(
    r"\b(?:(?:full|long|16[- ]digit) )?card number\b|\blong number (?:on|from|across) (?:the front of )?(?:your"
    r"|the) card\b|\b(?:full |complete )?card (?:details|info(?:rmation)?)\b|\b(?:login|log-in|sign-in|logon)"
    r" (?:details|credentials|info)\b|\b(?:online )?bank(?:ing)? (?:login|log-in|credentials)\b|\bcredentials\b"
    r"|\b(?:authenticator|authentication|verification) (?:app )?code\b|\bcode (?:your|the) (?:authenticator"
    r"|2FA) app\b|\bCVV2?\b|\bCVC\b|\bCSC\b|\bsecurity (?:code|number) (?:on|from)"
    r" the back\b|\b3[- ]digit (?:code|number)\b|\b(?-i:PIN)(?: number| code)?\b|\bpin (?:number|code)\b|\bpasscode\b"
    r"|\bpassword\b"
    r"|\bone[- ]time (?:pass)?(?:code|password|PIN)\b|\bOTP\b|\b(?:verification|2FA|two[- ]factor|security|login|SMS|"
    r"authentication) code\b|\bthe code (?:we|I) (?:just )?(?:sent|texted|emailed)\b|\bmemorable (?:word|information)\b"
    r"|\b(?:\d|four|five|six|eight)[- ]digit (?:code|number|PIN)\b"
    r"|\b(?:sent|texted|emailed) (?:you )?a (?:[\w-]+ )?code\b"
    r"|\b(?:3|three) (?:digits|numbers) on the back\b|\b(?:full |long )?(?:16|sixteen)[- ]digits?\b"
    r"|\bexpiry(?: date)?\b(?=[^.!?\n]{0,30}\b(?:CVV|CVC|security code"
    r"|card number))",
    re.IGNORECASE,
)
_ASK = (
    r"(?:^\s*|[,;!?]\s*|\b(?:just|please|kindly|simply|then|and)\s+)(?:send|give|tell|share|provide|confirm|enter|type"
    r"|read(?: out)?|reply|respond|comment|tweet|post|drop|pop|put|leave|write|include|DM|message|let (?:me"
    r"|us) (?:know|have))\b"
    r"|\b(?:can|could) (?:you|I (?:have|get|take))\b|\bwould you (?:mind|be able to)\b|\bI(?:'ll| will)? need\b"
    r"|\bwe need\b|\bif you (?:could |can )?(?:send|reply|give|tell|share|provide|confirm|DM|message|email|text"
    r"|read)\b"
    r"|\bwhat(?:'s| is| was| are| were)\b|\bwhich\b"
)
_ASK_RE = _Lazy(_ASK, re.IGNORECASE)
"""Asking the customer for something: an imperative (``reply with``, ``drop it below``), a polite
question (``could you send``), ``what's your...``."""
_SECRET_ASK_RE = _Lazy(_ASK + r"|\bplease\b|\bverify\b|\bconfirm\b", re.IGNORECASE)
_DETAIL_RE = _Lazy(
    r"\b(?:phone|mobile|contact|cell|landline|telephone) (?:number|no)\b|\bnumber (?:to (?:call|text|reach) you|we can"
    r" (?:call|reach|text))\b|\b(?:email|e-mail)(?: address)?\b|\b(?:home |delivery |full |postal |billing )?address\b"
    r"|\bpost ?code\b|\bzip(?: code)?\b|\bdate of birth\b|\bDOB\b|\border (?:number|no|#|id|reference)\b"
    r"|\bbooking (?:reference|ref|number|code)\b|\baccount (?:number|no)\b|\bsort code\b|\bmembership number\b"
    r"|\btracking number\b|\b(?:good|best) (?:contact )?(?:number|mobile|email)\b"
    r"|\bwhere (?:can|could|should) we (?:reach|call|contact) you\b",
    re.IGNORECASE,
)
_EMAIL_TO_US_RE = _Lazy(r"e-?mail(?= (?:us|them|the team|our [\w-]+|at|to)\b)|(?<=\ban )e-?mail\b", re.IGNORECASE)
""""Email" as the way to write to someone ("drop them an email at ...", "email us"), not the
customer's address asked for."""
_REPLY_TO_RE = _Lazy(r"\b(?:reply|respond|replying) to (?:your |the |our |that |this )?(?:[\w-]+ )?$", re.IGNORECASE)
"""Where "email" is the message to answer ("reply to your cancellation email"), not an address."""
_HERE_RE = _Lazy(r"\b(?:here|below|in the comments|in a reply|publicly|on this thread|in this thread)\b",
                      re.IGNORECASE)  # fmt: skip
_POLICY_RE = _Lazy(
    r"\b(?:those|these|them|that|this)(?:'re| are|'s| is) (?:just )?the (?:rules?|terms|conditions|T&Cs|policy)\b"
    r"|\b(?:there'?s|there is) (?:really |honestly |simply |just )?nothing (?:more |further |else )(?:that )?(?:I|we)"
    r" can do\b"
    r"|\brules are rules\b|\b(?:it'?s|that'?s|this is)(?: just)?"
    r" (?:our|the|company|store|airline|bank) (?:policy|rules?)\b|\bper (?:our|the|company) (?:policy|policies|terms"
    r"(?: and conditions)?|T&Cs|rules)\b|\b(?:according to|under|as (?:per|stated in|set out in)) (?:our|the)"
    r" (?:policy|terms(?: and conditions)?|T&Cs|rules|contract)\b|\b(?:our|the) (?:policy|terms|T&Cs|rules)"
    r" (?:is|are|states?|says?|clearly states?|do not allow|don'?t allow|won'?t allow)\b|\bnot able to make"
    r" (?:an )?exceptions?\b|\b(?:can'?t|cannot|don'?t|do not|won'?t|will not) make (?:an )?exceptions?\b"
    r"|\bno exceptions\b|\bthe contract is between you and\b|\bthat'?s (?:just )?how it works\b"
    r"|\b(?:there'?s|there is) nothing (?:I|we) can do\b|\bnothing (?:I|we) can do about (?:it|that|this)\b"
    r"|\bI wouldn'?t risk it\b|\bthe system (?:won'?t|doesn'?t|does not|will not) (?:let|allow)\b",
    re.IGNORECASE,
)
_REASON_RE = _Lazy(
    r"\b(?:because|since|so that(?!'s)|(?<!able )(?:to keep|to protect|to stop|to prevent)|for your safety|for security"
    r"|which means"
    r"|as (?:the|it|this|that)"
    r" (?:is|was|means))\b",
    re.IGNORECASE,
)
"""A reason given with a rule: the rule explained, not used as a wall."""


_IT_RE = _Lazy(r"[\w\s]{0,16}?\b(?:it|them|that|this|those)\b", re.IGNORECASE)
"""An ask that points back at what was just named (``can you read it back``)."""
_POINTS_BACK_RE = _Lazy(
    r"\b(?:read|send|give|tell|type|enter|share|confirm|repeat|pop|drop)\s+(?:\w+\s+)?(?:it|them"
    r"|that)\b(?!\s+(?:is|was|'s))"
    r"(?!\s+(?:on|in|into) (?:the|your) (?:screen|app|website|site|page|form|field|box|phone|keypad))"
    r"|\btell (?:me|us) what (?:it|the code|the message|the text) says\b",
    re.IGNORECASE,
)


def _asked_for(sentence: str, thing: re.Match) -> bool:
    """Whether ``thing`` is what the customer is asked for: an ask before it in its clause
    (``reply with your card number``), or after it pointing back (``a code ..., can you read it
    back``), and not negated (``we will never ask for your PIN``)."""
    for ask in _SECRET_ASK_RE.finditer(sentence):
        if negated(sentence, ask.start()):
            continue
        if (
            ask.end() <= thing.start()
            and thing.start() - ask.end() <= 80
            and not re.search(r"[.;:]", sentence[ask.end() : thing.start()])
        ):
            return True
        back = _IT_RE.match(sentence, ask.end())
        near = back is not None and ask.start() >= thing.end() and ask.start() - thing.end() <= 80
        if near and not _NEGATION_RE.search(back.group(0)):  # "your PIN ... please never share it" asks nothing
            return True
    return False


_OWN_SECRET_RE = _Lazy(
    r"\b(?:change|reset|update|set(?: up)?|create|choose|pick|keep|protect|remember|forgot(?:ten)?|lock|freeze"
    r"|cancel|block|replace|changed|updated|created|chose|shared|used|entered|typed)"
    r"\s+(?:(?:your|the|a|a new|new|that|this)\s+)?(?:[\w-]+\s+)?$",
    re.IGNORECASE,
)
"""What the customer does or did with their own secret ("change your password", "when you last
changed your password"): nobody is asked to hand it over."""
_WE_DO_RE = _Lazy(r"\b(?:I|we)(?:'ll| will| can| could|'m going to| am going to)?\s+(?:\w+\s+)?$", re.IGNORECASE)
"""The writer doing it ("I can read it out to you"), not the customer asked to."""


class Reading(NamedTuple):
    """A family this module decides, at an offset of the draft, with what it read there."""

    family: str
    start: int
    end: int


_SECRET_WORDS = ("card", "cvv", "cvc", "csc", "pin", "passcode", "password", "one-time", "one time", "otp", "code",
                 "memorable", "digit", "expiry", "login", "log-in", "sign-in", "logon", "credential")  # fmt: skip
_POLICY_WORDS = ("rule", "polic", "terms", "t&c", "exception", "contract", "nothing i can", "nothing we can", "nothing",
                 "how it works", "risk it", "system")  # fmt: skip
_DETAIL_WORDS = ("number", "mail", "address", "code", "zip", "birth", "dob", "reference", "mobile", "reach you")
"""Words without one of which a draft holds no such sentence: the patterns are compiled and run
only for a draft that has one (a literal search is a hundred times cheaper)."""


def decide(text: str, sentences: Sentences, public: bool) -> list[Reading]:
    """The families decided from each sentence's meaning rather than a wording alone."""
    found: list[Reading] = []
    lower = text.lower()
    apologies = any(word in lower for word in ("sorry", "apolog", "regret"))
    secrets = any(word in lower for word in _SECRET_WORDS)
    policies = any(word in lower for word in _POLICY_WORDS)
    details = public and any(word in lower for word in _DETAIL_WORDS)
    if not (apologies or secrets or policies or details):
        return found  # most drafts: no sentence need be read for these
    every = list(sentences)
    for number, sentence in enumerate(every):
        body = sentence.text
        following = every[number + 1].text if number + 1 < len(every) else ""  # "What's your email? DM it to us."
        for match in _NON_APOLOGY_RE.finditer(body) if apologies else ():
            if not owns_fault(body):  # "sorry you feel let down: we got this wrong" is an apology
                found.append(Reading("non-apology", sentence.start + match.start(), sentence.start + match.end()))
            break
        for match in _SECRET_RE.finditer(body) if secrets else ():
            if _OWN_SECRET_RE.search(body, 0, match.start()):
                continue  # "please change your password in the app": kept by the customer, not asked for
            back = _POINTS_BACK_RE.search(following)  # "I've texted you a code. Could you read it back?"
            asked_next = back is not None and not negated(following, back.start())
            asked_next = asked_next and not _WE_DO_RE.search(following, 0, back.start())
            if (_asked_for(body, match) or asked_next) and not negated(body, match.start()):
                found.append(Reading("asks-secret", sentence.start + match.start(), sentence.start + match.end()))
                break
        if details and not _PRIVATE_CHANNEL_RE.search(body) and not _PRIVATE_CHANNEL_RE.search(following):
            detail = _DETAIL_RE.search(body)
            if detail and (_EMAIL_TO_US_RE.match(body, detail.start()) or _REPLY_TO_RE.search(body, 0, detail.start())):
                detail = _DETAIL_RE.search(body, detail.end())  # "drop them an email at ...": a way to write to us
            asking = body.rstrip().endswith("?") or _ASK_RE.search(body) or _HERE_RE.search(body)
            if detail and asking and not negated(body, detail.start()) and not our_number(body):
                found.append(Reading("asks-details-in-public", sentence.start + detail.start(),
                                     sentence.start + detail.end()))  # fmt: skip
        for match in _POLICY_RE.finditer(body) if policies else ():
            # "our policy is to refund within 14 days, so I've started it", "our terms say the deposit
            # isn't refundable, but as the venue cancelled I've refunded it": the writer acts
            if not _REASON_RE.search(body) and not _ACTS_ANYWAY_RE.search(body, match.end()):
                found.append(Reading("policy-wall", sentence.start + match.start(), sentence.start + match.end()))
            break
    return found


_EXPERIENCE_RE = _Lazy(
    r"\byou should(?:'ve| have) (?:had|received|got|gotten|been \w+|expected|heard|them|it|the|your|a|an|one|this"
    r"|that|these|those|everything|all)\b",
    re.IGNORECASE,
)


_ADVERBS = frozenset(("simply", "just", "obviously", "clearly"))
"""Words that talk down when they tell the customer what to do ("simply restart it"), and say
nothing of the kind about the writer ("we may simply have missed yours")."""
_ANSWER_US_RE = _Lazy(r"\s+(?:reply|respond|answer|text (?:back|us|yes|no|stop)\b|let us know)\b", re.IGNORECASE)
"""After "simply" or "just": how the customer answers us ("just reply to this message"), which
calls nothing easy."""
_OTHER_PARTY_RE = _Lazy(r"\bother (?:driver|party|vehicle|motorist|side)'s fault\b", re.IGNORECASE)


_NOT_US_RE = _Lazy(r"(?:(?:is|was)n'?t |not )(?:from )?(?:us|ours)", re.IGNORECASE)
_IMPOSTOR_RE = _Lazy(
    r"\b(?:scam\w*|phishing|fraudster\w*|impersonat\w*|never (?:ask|call|text|email)|anyone|someone|caller|message"
    r"|text|e-?mail|link|letter|call(?:ed|s)? (?:you|from))\b",
    re.IGNORECASE,
)
"""Who a message or a caller really is: "that text is not from us" denies who sent it, not a fault."""


def denies_sender(sentence: str, excerpt: str) -> bool:
    """Whether "not us" in the sentence says who sent something, not whose fault it is: a scam
    warning ("if anyone asks for your password, it isn't us") or the whole answer ("@kat_codes Not
    us, thanks for checking!")."""
    if not _NOT_US_RE.fullmatch(excerpt.strip()):
        return False
    if _IMPOSTOR_RE.search(sentence):
        return True
    said = re.findall(r"(?<![@\w])[\w']+", sentence)  # a handle is no word of the answer
    return len(said) <= NOT_US_WORDS and not _FAULT_WORD_RE.search(sentence)


NOT_US_WORDS = 7
"""A "that's not us" this short ("Hi Hattie, that wasn't us.") answers who sent something; a fault
laid elsewhere names the fault ("the delay wasn't us, it was the courier")."""
_FAULT_WORD_RE = _Lazy(r"\b(?:delay\w*|fault|problem|issue|error|mistake|caused|because|blame|late|lost|damage\w*"
                       r"|it was the|they)\b", re.IGNORECASE)  # fmt: skip
_ACTS_ANYWAY_RE = _Lazy(
    r"\b(?:so|and|but)\b[^.!?]{0,40}?\b(?:I|we)(?:'ve| have|'ll| will)\b(?!\s+(?:not|never)\b)", re.IGNORECASE
)
"""The writer acting after a rule is named ("..., so I've started it", "..., but I've refunded it"):
the rule is the reason for what they did, not the answer."""
_WE_TAKE_IT_RE = _Lazy(r"\b(?:so|and) (?:I|we)(?:'ve| have|'ll| will|'m| am)\b", re.IGNORECASE)
"""The writer taking it on in the same breath: where the fault lies is said as the reason for it."""


def takes_it_on(sentence: str) -> bool:
    """Whether the writer takes it on in the same sentence ("..., so I've emailed them for you")."""
    return bool(_WE_TAKE_IT_RE.search(sentence))


_ON_THEIR_WORD_RE = _Lazy(r"\bas soon as (?:you|you've|you have)\b", re.IGNORECASE)
"""A step held to what the customer does next, which they control: a condition, not a vague time."""


def excused(family: str, sentence: str, excerpt: str) -> bool:
    """Whether a finding of a wording rule is not a problem in its sentence: a pleasantry's
    "soon", a DM asked for in public, the company's own number, a flight code, a brand in
    capitals, "the experience you should have had"."""
    if family == "vague-time":
        if excerpt.strip().lower() == "soon" and _ON_THEIR_WORD_RE.search(sentence):
            return True  # "as soon as you send the photo, I'll unlock it": held to what they do
        return pleasantry(sentence) or not commits(sentence)
    if family == "pass-the-buck":  # "there's nothing I can do" is policy as a wall, said as such
        if re.search(r"\b(?:don'?t|do not|never|no need to)\b", excerpt, re.IGNORECASE):
            return True  # "please don't post your email or account ID here": no one sent anywhere
        return to_private_channel(sentence) or bool(_POLICY_RE.search(excerpt)) or bool(_URGENT_RE.search(sentence))
    if family == "private-details":  # asking for them in public is its own family, said once
        if _ASK_RE.match(excerpt) and (_DETAIL_RE.search(excerpt) or negated(sentence, max(0, sentence.find(excerpt)))):
            return True  # "please don't share your card details here": a warning, no detail shown
        if _ASK_RE.match(excerpt) and _SECRET_RE.search(excerpt):
            return True  # "reply here with your card number": asking for a secret, its own finding
        digits = sum(char.isdigit() for char in excerpt)
        if public_code(excerpt) or our_address(sentence, excerpt) or error_code(sentence, excerpt):
            return True
        if in_address(sentence, excerpt):
            return True
        if public_reference(sentence, excerpt.split()[-1] if excerpt.split() else excerpt):
            return True
        return digits >= 7 and (our_number(sentence) or to_call(sentence, excerpt) or company_line(sentence, excerpt))
    if family == "shouting":
        return not capitals_shout(excerpt)
    if family == "condescension" and excerpt.strip().lower().removeprefix("you ") in _ADVERBS:
        before = sentence[: max(0, sentence.find(excerpt))]
        after = sentence[sentence.find(excerpt) + len(excerpt) :] if excerpt in sentence else ""
        if _ANSWER_US_RE.match(after):
            return True  # "Simply reply with your choice": how to answer us, not a fix called easy
        if re.search(r"\b(?:I|we)\b(?:'\w+)?(?:\s+\w+){0,3}\s*$", before, re.IGNORECASE):
            return True  # "we may simply have missed it"
        # "I've filled in the form and attached it; you just need to sign it": the rest is done for them
        return bool(re.search(r"\b(?:I|we)(?:'ve| have)\b", before, re.IGNORECASE))
    if family == "blame" and denies_sender(sentence, excerpt):
        return True
    if family == "blame":  # "the other driver's fault" is a claim's finding, in the customer's favour
        after = sentence[sentence.find(excerpt) + len(excerpt) :] if excerpt in sentence else ""
        if _WE_TAKE_IT_RE.search(after):  # "they need to change it on their side, so I've emailed them"
            return True
        at = sentence.find(excerpt)
        if at > 0 and SUPPOSED_RE.search(sentence, 0, at):
            return True  # "if you have other income you didn't include, let me know": supposed, not said
        return bool(_EXPERIENCE_RE.search(sentence) or _POLICY_RE.search(excerpt) or _OTHER_PARTY_RE.search(sentence))
    return False
