"""The practice, held over a pack's phrases: what ``packs validate --strict`` checks.

A phrase is a promise a rep makes out loud. It never promises a time, an amount or a remedy the
rep has not chosen (those are blanks), never blames anyone, never assumes what the customer did,
never admits a fault nobody has checked, and fits its channel. Each family has a phrase for every
step, and no two of its phrases read almost the same. The built-in bank is held to all of it by
its tests; a team pack is held to it on request.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from .channels import LIMITS as CHANNEL_LIMITS
from .channels import NAMES as CHANNELS
from .errors import Finding, Location
from .model import Pack, Phrase

NEAR_DUPLICATE = 88
"""rapidfuzz ``fuzz.ratio`` (0-100) at or above which two texts of one family read almost the same:
at 88 a changed word or two in a twenty-word sentence counts; a reworded sentence does not."""

_COMMITMENTS = (
    (r"\b\d{1,2}(?::\d{2})? ?(?:am|pm|a\.m\.|p\.m\.)\b", "a clock time"),
    (r"\b(?:within|in|up to|under|over|after|for) (?:the next )?(?:\d+|a|an|one|two|three|four|five|six|seven|"
     r"eight|nine|ten|twelve|fourteen|twenty|thirty|forty-eight|seventy-two|a few|a couple of|few) "
     r"(?:more )?(?:minutes?|hours?|days?|business days?|working days?|weeks?|months?)\b", "a duration"),
    (r"\b(?:within|in|under|after|for) (?:the next |the |an )(?:hour|day|week|month)\b", "a duration"),
    (r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|weekend)s?\b", "a day"),
    (r"\b(?:today|tonight|tomorrow|this (?:morning|afternoon|evening|week|month)|next (?:week|month)|"
     r"end of (?:the )?(?:day|week|month)|eod|by noon|by midday|overnight)\b", "a day or time"),
    (r"\b(?:jan(?:uary)?|feb(?:ruary)?|march|april|june|july|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|"
     r"nov(?:ember)?|dec(?:ember)?) \d{1,2}\b|\b\d{1,2}(?:st|nd|rd|th)? (?:of )?(?:january|february|march|"
     r"april|may|june|july|august|september|october|november|december)\b|\b\d{1,2}/\d{1,2}(?:/\d{2,4})?\b",
     "a date"),
    (r"(?:[$£€¥]\s?\d[\d,.]*|\b\d+(?:[.,]\d+)? ?(?:dollars|pounds|euros|usd|gbp|eur|percent|per cent)\b|\b\d+ ?%)",
     "an amount"),
)  # fmt: skip
_REMEDY = re.compile(
    r"\b(?:I|we)(?:'ll| will|'ve| have|'m going to| am going to|'re going to| are going to)? "
    r"(?:(?:go ahead and|be able to) )?(?:refund|credit|reimburse|compensate|waive|wipe|cancel the fee|"
    r"price[- ]match|upgrade you|knock)\b"
    r"|\b(?:I|we)(?:'ll| will|'ve| have|'m going to| are going to)? (?:send|give|issue|apply|offer|add|put) "
    r"(?:you |through |back |on |to )*(?:a |an |your )?(?:full |partial |small )?(?:refund|credit|voucher|"
    r"discount|replacement|gift card|goodwill|compensation|free)\b"
    r"|\byou(?:'ll| will) (?:get|receive|see|have) (?:a |an |your )?(?:full |partial )?(?:refund|credit|voucher|"
    r"discount|compensation|replacement|money back)\b"
    r"|\b(?:free of charge|at no (?:extra )?cost|on the house|for free)\b",
    re.IGNORECASE,
)
_BLAME = re.compile(
    r"\b(?:the|our) (?:system|computer|software|courier|carrier|driver|warehouse|bank|supplier|partner|"
    r"other team|last agent|previous agent|colleague)s? (?:failed|messed|broke|glitched|lost|forgot|got it wrong|"
    r"made (?:a|an) (?:mistake|error)|is to blame|didn'?t|did not|never)\b"
    r"|\bthe system (?:won'?t|doesn'?t|does not|will not) let me\b",
    re.IGNORECASE,
)
_ASSUMED = re.compile(
    r"\byou(?:'ve| have| had)? already (?!told|said|explained|given|shared|mentioned|described|been through)"
    r"|\bI can see (?:that )?you(?:'ve| have)\b"
    r"|\byou(?:'ve| have)? (?:checked with|asked (?:around|your neighbou?rs)|looked everywhere|restarted|rebooted|"
    r"cleared your|waited (?:in )?all day|stayed (?:in|home)|taken (?:the|a) day off|rearranged your|"
    r"spent (?:all|the whole))\b",
    re.IGNORECASE,
)
"""What a phrase may not claim the customer did: beyond the situation itself, it is not known."""
_ADMITS = re.compile(
    r"\b(?:our|my) (?:mistake|fault|error|failing|mess)\b|\bthat'?s on (?:us|me)\b|\bwe (?:got (?:it|this|that) "
    r"wrong|messed (?:it |this |that )?up|made (?:a|an) (?:mistake|error|mess)|dropped the ball|lost your|broke your|"
    r"damaged your|overcharged you|charged you twice|forgot)\b",
    re.IGNORECASE,
)
_SATISFIED = re.compile(
    r"\b(?:satisf\w*|happy with|content with|put (?:this|things|it) right|works? for you|sort(?:s|ed)? (?:this|it) "
    r"(?:out )?for you|feel (?:good|right) about|resolve[sd]? (?:this|it) (?:for you|the way)|does (?:this|that) "
    r"fix|fair to you|comfortable with)",
    re.IGNORECASE,
)
_CONTINUE = re.compile(
    r"\b(?:again|keep|stay|continue|come back|stick with|remain|carry on|choose us|still (?:want to )?(?:use|"
    r"bank|fly|shop|be with)|future|next time|with us)\b",
    re.IGNORECASE,
)
_QUESTION_END = re.compile(r"\?\s*$")


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+", text) if s.strip()]


def _finding(phrase: Phrase, message: str) -> Finding:
    return Finding(Location(phrase.source, phrase.line), f"{phrase.id}: {message}")


def phrase_findings(phrase: Phrase, fault_known: bool) -> list[Finding]:
    """What in one phrase breaks the practice (blanks removed before reading it)."""
    from .blanks import fill

    text = fill(phrase.text, {}, lambda name: name.replace("_", " "))
    found = []
    for pattern, what in _COMMITMENTS:
        match = re.search(pattern, text, re.IGNORECASE)
        if match:
            found.append(_finding(phrase, f"hard-codes {what} ({match.group(0)!r}); write a blank like {{when}} "
                                  "or {amount} that the rep fills"))  # fmt: skip
    match = _REMEDY.search(text)
    if match:
        found.append(_finding(phrase, f"promises a remedy ({match.group(0)!r}) only some policies allow; ask "
                              "\"Would {remedy} be a fair way to put this right?\""))  # fmt: skip
    match = _BLAME.search(text)
    if match:
        found.append(_finding(phrase, f"blames someone ({match.group(0)!r}); say what happened, not whose fault it is"))
    for sentence in _sentences(text):
        match = _ASSUMED.search(sentence)
        if match and not _QUESTION_END.search(sentence) and not re.match(r"\s*(?:if|when|once)\b", sentence, re.I):
            found.append(_finding(phrase, f"assumes what the customer did ({match.group(0)!r}); ask instead"))
            break
    if phrase.family is not None and not fault_known:
        match = _ADMITS.search(text)
        if match:
            found.append(_finding(phrase, f"admits fault ({match.group(0)!r}) before anything is checked; the "
                                  "family says fault: unknown"))  # fmt: skip
    if phrase.category == "satisfaction-check" and not (_SATISFIED.search(text) and _CONTINUE.search(text)):
        found.append(_finding(phrase, "a satisfaction check asks whether they are satisfied with the solution "
                              "and whether they will keep doing business with you"))  # fmt: skip
    channels = phrase.channels or CHANNELS
    limits = [CHANNEL_LIMITS[c] for c in channels if c in CHANNEL_LIMITS]
    if limits and len(text) > min(limits):
        which = "every channel, SMS included" if not phrase.channels else ", ".join(phrase.channels)
        found.append(_finding(phrase, f"{len(text)} characters is too long for {which} (at most {min(limits)}); "
                              "shorten it or narrow its channels"))  # fmt: skip
    return found


def _checker_findings(phrases: Iterable[Phrase], avoid_packs: list[Pack]) -> list[Finding]:
    """``phrasekit check`` must find nothing in any phrase, on each of its channels."""
    from .blanks import STANDARD, fill
    from .check import builtin_rules, check_text, pack_rules

    rules = builtin_rules() + pack_rules(avoid_packs)
    found = []
    for phrase in phrases:
        # Read as the customer hears it: each blank filled the way a rep would fill it.
        text = fill(phrase.text, {}, lambda name: STANDARD[name].example if name in STANDARD else name)
        channels = [c for c in (phrase.channels or ("chat",)) if c in CHANNELS]
        for channel in dict.fromkeys(channels):
            results = [r for r in check_text(text, rules, channel=channel, kind="reply", path=phrase.source)
                       if r.rule != "too-long"]  # fmt: skip
            if results:
                found.append(_finding(phrase, f"'phrasekit check --channel {channel}' finds: {results[0].message}"))
                break
    return found


def near_duplicates(phrases: list[Phrase]) -> list[tuple[Phrase, Phrase, float]]:
    """Pairs of phrases of one family (or of the general phrases) that read almost the same."""
    from rapidfuzz import fuzz

    groups: dict[str | None, list[Phrase]] = {}
    for phrase in phrases:
        groups.setdefault(phrase.family, []).append(phrase)
    pairs = []
    for members in groups.values():
        texts = [p.text.lower() for p in members]
        for i in range(len(members)):
            for j in range(i + 1, len(members)):
                score = fuzz.ratio(texts[i], texts[j])
                if score >= NEAR_DUPLICATE:
                    pairs.append((members[i], members[j], score))
    return pairs


def pack_findings(pack: Pack) -> list[Finding]:
    """Every way the pack's phrases and families break the practice."""
    from .categories import BUILTIN_CATEGORY_NAMES

    found: list[Finding] = []
    families = pack.families
    for phrase in pack.phrases:
        family = families.get(phrase.family) if phrase.family else None
        found += phrase_findings(phrase, fault_known=family is not None and family.fault == "ours")
    found += _checker_findings(pack.phrases, [pack])
    for first, second, score in near_duplicates(pack.phrases):
        found.append(_finding(second, f"reads almost the same as {first.id} (similarity {score:.0f} of 100, "
                              f"limit {NEAR_DUPLICATE}); say it differently or drop one"))  # fmt: skip
    for family in families.values():
        have = {p.category for p in pack.phrases if p.family == family.name}
        missing = [name for name in sorted(BUILTIN_CATEGORY_NAMES) if name not in have]
        if missing:
            found.append(Finding(Location(family.source, family.line),
                                 f"family {family.name!r} has no phrase for: {', '.join(missing)}"))  # fmt: skip
    return sorted(found, key=lambda f: (f.location.path, f.location.line or 0))
