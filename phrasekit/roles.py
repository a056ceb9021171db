"""Who does what in a sentence of a reply, for ``check``: blame, passing the buck and talking down
decided from the roles, not from a list of wordings.

A sentence blames when someone other than the writer's own "I" or "we" (a co-worker, another
team, a partner, "the system", or the customer) is the one who did the wrong thing ("the driver
didn't follow the instructions", "the booking system double-sells seats", "you entered the wrong
address"), or is judged ("the warehouse has been struggling lately"). It passes the buck when the
customer is sent to do something elsewhere: to another firm ("you'd need to raise that with
your bank"), to another of our queues or channels ("please reach out to us by phone"), or to
another time ("try again tomorrow after 9"); or when the problem is said to belong to someone
else ("that sits with our partner carrier", "we're only the network"). It talks down when it
reproaches the customer with what they should have done ("had you checked the sender"), reminds
them they were told ("as mentioned in my last message"), or waves them off ("it happens to
everyone", "there's no need for that tone").

Each of those is a role and an act, each a class of words (a third party is any of the people,
firms, teams and systems a support reply names; a fault is any of the ways a task goes undone
or wrong), so a fresh wording of the same meaning reads the same. What excuses a sentence is
read the same way: the writer owning the act ("I'll contact the courier", "that's on us"), an
apology for it ("I'm so sorry the engineer didn't turn up"), a private message to the same team,
an urgent safety line ("call our 24/7 lost and stolen line").
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

from .reading import (
    _IMPOSTOR_RE,
    _OTHER_PARTY_RE,
    _REASON_RE,
    _URGENT_RE,
    _WE_TAKE_IT_RE,
    SUPPOSED_RE,
    Reading,
    _Lazy,
    denies_sender,
    emergency,
    names_time,
    negated,
    owns_fault,
    to_private_channel,
)

# -- the roles: classes of words ------------------------------------------------------------------

_PEOPLE = frozenset(
    "driver rider postman postwoman postie engineer technician installer fitter agent advisor adviser colleague rep"
    " representative staff manager supervisor cashier receptionist crew handler picker packer cleaner chef waiter"
    " barista dispatcher instructor trainer coach teacher tutor examiner inspector auditor consultant assistant"
    " accountant pharmacist dentist therapist optician electrician plumber builder decorator roofer locksmith gardener"
    " caterer cook waitress bartender concierge porter valet steward stewardess attendant pilot captain conductor guard"
    " mechanic planner scheduler coordinator developer developers programmer tester designer moderator specialist"
    " associate officer clerk teller nurse surveyor valuer assessor guys shift".split()
)
"""People at work: "guards can check it" says who checks, not where to take it."""
_FIRMS = frozenset(
    "partner partners courier couriers carrier supplier contractor subcontractor provider manufacturer maker seller"
    " merchant bank network operator agency landlord airport lender retailer marketplace vendor insurer restaurant"
    " promoter venue broker issuer handler handlers processor conveyancer wholesaler distributor factory printer"
    " registrar gateway lab laboratory".split()
)
"""Other firms: "sorry, our delivery partner failed to turn up" names their fault; an
apology owns it only with "that's on us"."""
_SYSTEMS = frozenset("system systems app website software portal platform computer algorithm machine site bot chatbot"
                     .split())  # fmt: skip
"""Things rather than people: a cause put on one is an event ("due to a system update"), not blame."""
_THIRD_PARTIES = (
    _PEOPLE
    | _FIRMS
    | _SYSTEMS
    | frozenset(
        # the places, teams, bodies and others a case passes through
        "admin administrator owner host warehouse depot kitchen store shop branch outlet franchise company firm team"
        " department dept desk office queue loss-adjuster adjuster solicitor lawyer sender shipper organiser organizer"
        " council authority airline hotel garage dealer dealership brand school university surgery practice gp doctor"
        " clinic hospital pharmacy vet center centre hub facility neighbour neighbours neighbor neighbors underwriter"
        " underwriters".split()
    )
)
"""The people, firms, teams and systems a reply can name as having done something: anyone but the
writer's own "I" and "we" (the last word of what is named: "the contractor", "our billing
system")."""
_DEPARTMENTS = frozenset(
    "reception housekeeping dispatch billing accounts maintenance security finance payroll management logistics"
    " fulfilment fulfillment procurement underwriting claims collections".split()
)
"""Teams a reply names with no article ("reception forgot to text you", "billing didn't apply it")."""
_OUTSIDE = frozenset("third-party external outside agency subcontracted".split())
"""Words that name a third party with no article before it ("damaged by third-party contractors")."""
_QUALIFIED = frozenset("guy girl lad person people chap fella one".split())
"""Someone named only with what follows ("the new guy on nights", "the person who took your call")."""
_QUALIFIERS = frozenset("on at in from who that".split())
_DETERMINERS = frozenset("the our your their his her this that a an some".split())
_ALONE = frozenset("someone somebody whoever".split())
_BETWEEN = frozenset("for to with by from about than".split())
"""Words that end what an article names: what follows names someone else."""
_PRONOUNS = frozenset("they he she them".split())
_PROPER_RE = _Lazy(r"[A-Z]{2,5}|[A-Z][a-z]+[A-Z]?[a-z]*")
_NOT_NAMES = frozenset("I OK UK US EU USA FAQ PIN CVV ID It This That They We You Our Your The Hi Hello Thanks Sorry"
                       " Please Unfortunately Just".split())  # fmt: skip
_NAME_VERBS = frozenset("have has are is were was didn't did never failed lost keep keeps always".split())
"""A firm named by its name ("DPD", "Evri") as the one doing: only for blame, never as where the
customer is sent (that may be our own brand)."""
_WORD_RE = _Lazy(r"[\w'&-]+")
_WORDS_IN_NAME = 4
"""How many words may follow an article before what it names ("the contractor", "the travel site
you booked with" reads "the travel site")."""


class Actor(NamedTuple):
    """Someone other than the writer in a sentence: ``kind`` is "named", "team" (one of our own
    named with no article: "reception") or "pronoun"."""

    start: int
    end: int
    kind: str


def _head(word: str) -> bool:
    word = word.lower().removesuffix("'s").removesuffix("s'")
    return (
        word in _THIRD_PARTIES or word.removesuffix("s") in _THIRD_PARTIES or word.removesuffix("es") in _THIRD_PARTIES
    )


@lru_cache(maxsize=64)
def actors(sentence: str) -> tuple[Actor, ...]:
    """Everyone other than the writer the sentence names: a third party with its article ("the
    contractor", "our billing system", "one of our agents"), a firm's name with its possessive
    ("Network Rail's"), "someone", or "they"."""
    words = list(_WORD_RE.finditer(sentence))
    found: list[Actor] = []
    at = 0
    while at < len(words):
        word = words[at]
        lower = word.group().lower()
        if lower in _DETERMINERS:
            for ahead in range(at + 1, min(at + 1 + _WORDS_IN_NAME, len(words))):
                text = words[ahead].group()
                if re.search(r"[.;:!?,]", sentence[words[ahead - 1].end() : words[ahead].start()]):
                    break
                if text.lower() in _DETERMINERS or text.lower() in _BETWEEN:
                    break  # "a matter for the retailer": the one named is "the retailer"
                following = words[ahead + 1].group().lower() if ahead + 1 < len(words) else ""
                if _head(text) or (text.lower() in _QUALIFIED and following in _QUALIFIERS):
                    found.append(Actor(word.start(), words[ahead].end(), "named"))
                    at = ahead
                    break
        elif lower in _ALONE:
            found.append(Actor(word.start(), word.end(), "named"))
        elif lower in _OUTSIDE and at + 1 < len(words) and _head(words[at + 1].group()):
            found.append(Actor(word.start(), words[at + 1].end(), "named"))  # "third-party contractors"
            at += 1
        elif (
            lower in _DEPARTMENTS
            and (word.group().islower() or re.fullmatch(r"[^\w]*(?:\w+,\s+)?", sentence[: word.start()]))
            and not (at and words[at - 1].group().lower() in _BETWEEN)
        ):  # "billing didn't apply it", or "Accounts never actioned it" at the start
            found.append(Actor(word.start(), word.end(), "team"))  # one of ours: blamed, never sent to
        elif (
            _PROPER_RE.fullmatch(word.group())
            and word.group() not in _NOT_NAMES
            and (word.group().isupper() or (at and not re.search(r"[.!?:]\s*$", sentence[: word.start()])))
            and (at + 1 < len(words) and words[at + 1].group().lower() in _NAME_VERBS)
        ):  # "DPD have been really unreliable", "Royal Mail are experiencing delays"; a name, not a first word
            found.append(Actor(word.start(), word.end(), "proper"))
        elif lower in _PRONOUNS or lower.split("'")[0] in _PRONOUNS:  # "they've been short-staffed"
            found.append(Actor(word.start(), word.start() + len(lower.split("'")[0]), "pronoun"))
        elif word.group().endswith("'s") and word.group()[0].isupper() and at:  # "Network Rail's"
            first = at
            while (
                first
                and words[first - 1].group()[0].isupper()
                and sentence[words[first - 1].end() : words[first].start()] == " "
            ):
                first -= 1
            found.append(Actor(words[first].start(), word.end(), "named"))
        at += 1
    return tuple(found)  # found once: blame and buck-passing both read a sentence's actors


def names_someone(sentence: str) -> bool:
    """Whether the sentence names someone other than the writer who could have done something:
    a person, a team, a firm or a system, not only "they" (blame needs a doer to put it on)."""
    return any(actor.kind != "pronoun" for actor in actors(sentence))


_FAULT = (
    r"(?:clearly |obviously |just |simply |completely |totally |apparently )?"
    r"(?:didn'?t|did not|never|failed to|forgot to|neglected to|didn'?t bother to|couldn'?t be bothered to|refused to)"
    r"\s+(?:\w+\s+)?(?:read|check|follow|scan|updat|record|note|log|pass|send|sent|deliver|attend|turn\w* up"
    r"|show\w* up|call|ring|process|listen|look|enter|add|appl|cancel|book|pack|load|leave|left|knock|wait|file"
    r"|submit|tell|told|inform|mention|escalat|fix|flag|action|raise|prioriti[sz]|bother|do|did|complet|finish"
    r"|carry|carried|arriv|collect|pick|return|respond|reply|answer|honou?r|refund|credit|test|inspect|secur|connect"
    r"|repair|replac|install|fit|clean|confirm|activat|switch|approv|authori[sz]|releas|dispatch|label|seal|charg"
    r"|bill|transfer|forward|chase|keep|kept|stop|includ|prepar|cook|measur|count|print|handl"
    r"|treat|wrap|protect|lock|sign|stamp|explain|warn|notify|notif)\w*"
    r"|(?:clearly |obviously |just |simply |completely |totally )?(?:forgot to|forgotten to|failed to|neglected to"
    r"|omitted to|didn'?t bother to|couldn'?t be bothered to) \w+"
    r"|(?:clearly |obviously |just |simply )?(?:didn'?t|did not|never|failed to) (?:see|spot|notice) (?:you|your)\b"
    r"|(?:didn'?t|did not|never|failed to) (?:act|acted) (?:on|upon)\b"
    r"|(?:mess|mix|screw|cock|muck|foul)\w* (?:it |this |that |things |everything |your \w+ )?up\b"
    r"|(?:got|gets|getting|get) (?:it|this|that|your \w+|the \w+|things|everything) (?:wrong|mixed up)\b"
    r"|(?:made|makes|making) (?:a |an )?(?:\w+ )?(?:mistake|error|mess|blunder|hash)\b"
    r"|(?:picked|sent|packed|entered|applied|charged|keyed|typed|recorded|put|loaded|delivered|gave|quoted|booked"
    r"|fitted|installed|shipped|label+ed|scanned|dispatched|took)\s+(?:\w+\s+){0,3}?(?:the )?(?:wrong|incorrect)\b"
    r"|(?:set|entered|processed|recorded|applied|charged|keyed|configured|installed|handled|calculated|billed"
    r"|coded|label+ed|addressed|routed)(?: up)? (?:\w+ ){0,3}?(?:incorrectly|wrongly|badly|in error|by mistake)\b"
    r"|(?:shouldn'?t|should not|should never) have\b"
    r"|should(?:'ve| have) (?:\w+ed|known|done|told|sent|given|seen|caught|spotted|noticed|checked|called|rung|written"
    r"|taken|brought|left|kept|put|made|read|set)\b"
    r"|(?:double|triple)[- ](?:sell|book|charg|bill)\w*"
    r"|(?:\w+ed|left|sent|put|took|gave|brought|sold|made|set|kept)\b(?: [\w'.]+){0,4}? (?:incorrectly|wrongly"
    r"|in error|by mistake|by accident)\b"
    r"|(?:mistakenly|wrongly|incorrectly|accidentally) \w+ed\b"
    r"|(?:went|took|turned|drove|headed) (?:the )?wrong (?:way|turn|road|route|direction)\b"
    r"|mis-?(?:sort|rout|label|direct|plac|address|read|key|typ|handl|calculat)\w*"
    r"|mis-?(?:laid|filed|quoted|printed|reported|understood|heard|charged|counted|managed|judged|spel(?:led|t)|sent)\b|(?:skipped|ignored"
    r"|overlooked) (?:the|your)"
    r"|went (?:haywire|wrong)|fell over\b"
    r"|(?:didn'?t|did not|never|forgot to|failed to) put\b|took (?:far |much |a lot |way |\d+ \w+ )?longer than\b"
    r"|(?:forgot|forgotten|left out|missed out|missed off|left off) (?:your|the|some|about|a|an|part)\b"
    r"|(?:let|lets|has let|have let|'ve let|'s let) (?:us|you) down\b|over-?(?:booked|sold|charged|billed)\b"
    r"|(?:sent|delivered|submitted|returned|processed|paid|arrived|turned up|came|got (?:it|them) to us|passed"
    r"|dispatched|shipped|posted|released|collected)"
    r" (?:\w+ ){0,2}?(?:late|too late)\b"
    r"|(?:packed|sent|delivered|shipped|dispatched|left|closed|cancel+ed|gave up|went|posted|fitted|installed|signed"
    r"|took|finished|charged|changed|switched) (?:\w+ ){0,3}?without (?:\w+ing\b|tracking\b|(?:the|your|any|a|an)\b)"
    r"|(?:set up|sent|booked|cancel+ed|charged|processed|applied|added|made|used|picked|chose|ticked|entered|took"
    r"|gave|put|changed) (?:\w+ ){0,4}?instead of\b"
    r"|\w+ed (?:\w+ ){0,4}?even though\b"
    r"|marked (?:it|them|this|the \w+|your \w+) (?:as )?(?:delivered|collected|complete|resolved|closed)"
    r" (?:when|but|though|even though|before)\b"
    r"|(?:glitch|crash|went down|go down|switched off|turned off|overran|overrunning)\w*"
    r"|(?:ran|charged|billed|submitted|sent|processed|took|collected|debited|booked|applied|issued|posted|shipped"
    r"|entered|scanned|keyed) (?:\w+ ){0,4}?twice\b"
    r"|sat on (?!hold\b)(?:it|them|this|that|the \w+|your \w+)\b"
)
"""A task done wrong or left undone, or a thing that failed, by whoever did it."""
_JUDGED = (
    r"(?:has|have|had|'s|'ve) been (?:really |very |quite |so )?(?:struggling|slow|unreliable|short[- ]staffed"
    r"|understaffed|swamped|useless|having (?:a lot of |lots of |some |real |big |major |a few )?(?:problems|issues"
    r"|trouble|difficulties))\b"
    r"|(?:is|are|was|were|'s|'re) (?:always |often |notoriously |really |very |so |quite |just )?(?:useless"
    r"|hopeless|unreliable|incompetent|rubbish|terrible|awful|clueless|careless|lazy|a nightmare)\b"
    r"|(?:keeps?|kept|always) (?:losing|getting \w+ wrong|messing|making mistakes|breaking|crashing|failing|forgetting"
    r"|missing|ignoring|cancel+ing|dropping|skipping|leaving \w+ out|mixing|sending (?:out )?the wrong)\b"
    r"|(?:messing|mucking|screwing) (?:things |it |everything )?up\b|(?:has|had|'s) a mind of its own\b"
    r"|(?:is|are|was|were) (?:to blame|at fault|responsible for (?:this|the (?:mistake|error|mix-up|delay)))\b"
    r"|(?:being|is being|was being|'s being) (?:a bit |very |really |too |over)?(?:over-?cautious|over-?sensitive"
    r"|over-?zealous|temperamental|glitchy|buggy|difficult|slow|cautious)\b|(?:playing|acting) up\b"
    r"|(?:is|was|were|are|'s) (?:still )?new (?:to|on) the (?:job|route|team|role|area)\b"
    r"|(?:is|was|'s|are|'re|were) (?:still |quite |very |really |pretty )?new"
    r"(?=\s*(?:[.!,;]|$| here\b| to (?:this|it)\b))"
    r"|(?:have|has|'ve) (?:got )?a lot to answer for\b"
    r"|(?:wasn'?t|weren'?t|was not|were not|isn'?t|aren'?t) (?:really |exactly )?paying (?:much )?attention\b"
    r"|asleep at the wheel\b"
    r"|(?:is|are|'re|was|were) (?:meant|supposed) to\b"
    r"|(?:is|are|'re|was|were) (?:very |really |so |quite |pretty |super |extremely |notoriously )?(?:strict|fussy"
    r"|picky|particular|overcautious|over-cautious)\b"
    r"|(?:has|have|'s got|'ve got|'s|'ve) (?:a lot of |lots of |many |some |mostly )?(?:new|temporary|agency"
    r"|inexperienced|trainee) (?:staff|starters|people|drivers|agents|team members|recruits)\b"
    r"|(?:do|does|did) (?:this |that |it )?(?:a bit |far |way |rather |all )?too often\b"
    r"|(?:is|was|'s)(?: honestly| really| just)? not (?:great|good|brilliant|reliable) (?:with|at)\b"
    r"|(?:took|takes|taking|were taking|was taking) (?:far |much |way |a bit |rather |simply )?too long\b"
    r"|(?:clearly |obviously |just )?(?:didn'?t|did not|doesn'?t|does not) (?:really |seem to |appear to )?know what"
    r" (?:he|she|they) (?:was|were|is|are) doing\b"
    r"|(?:is|are|was|were) (?:solely |entirely |fully |wholly )?(?:responsible|accountable|liable) for (?:the |this "
    r"|that |your )?(?:[\w-]+ )?(?:delay|error|mistake|mix-up|damage|problem|issue|loss|failure|fault|outage|missed)\w*"
)
"""A judgement of the doer, not of a task: blame whatever follows."""
_STATE = (
    r"(?:has been|have been|had been|is|are|was|were|'s|'re) (?:currently |still |really |very |a bit |extremely "
    r"|unfortunately )?(?:experiencing|having|seeing|dealing with|facing|suffering|struggling with|working through)"
    r" (?:\w+ ){0,2}?(?:delays|issues|problems|difficulties|disruption|backlogs?|high (?:volumes|demand)|staff(?:ing)?"
    r" (?:shortages?|issues|problems)|technical (?:issues|problems|difficulties))\b"
    r"|(?:has|have) had (?:\w+ ){0,2}?(?:issues|problems|difficulties|staff(?:ing)? (?:issues|shortages?))\b"
    r"|(?:was|were|is|are|has been|have been|'s been|'ve been) (?:very |really |extremely |incredibly |so |a bit )?"
    r"(?:busy|overwhelmed|understaffed|under (?:a lot of |huge |real )?pressure|stretched|behind"
    r"|running (?:late|behind))\b"
)
"""The state another party is in, given as the reason ("our courier partner has been experiencing
delays", "the restaurant was very busy"): blame when it is a person's or a firm's, not a system's."""
_DID_RE = _Lazy(
    r",?(?:\s+[\w'&/-]+){0,6}?(?:\s+|(?='))(?P<judged>" + _JUDGED + r")"
    r"|,?(?:\s+[\w'&/-]+){0,4}?(?:\s+|(?='))(?P<state>" + _STATE + r")"
    r"|(?:,?\s+(?:who|that|which)\b)?(?:\s+(?:that\s+|who\s+)?(?:we|you)(?:\s+[\w']+){1,4}?)?"
    r"(?:\s+(?!(?:I|we|you|and|but|so|because)\b)[\w'&/-]+){0,6}?\s+(?P<fault>" + _FAULT + r")"
    r"|(?:\s+(?:still|yet|again))?\s+(?P<pending>(?:hasn'?t|haven'?t|has not|have not|has yet to|have yet to|still"
    r" hasn'?t|still haven'?t)\s+(?:even |yet |bothered to )?(?:responded|replied|answered|sent|shipped|dispatched"
    r"|processed|refunded|returned|collected|confirmed|updated|got back|come back|arrived|turned up|paid|released"
    r"|respond|reply|answer|send|ship|dispatch|process|refund|return|collect|confirm|update|get back|come back"
    r"|pay|release|uploaded|upload|submitted|submit|provided|provide|added|add))\b",
    re.IGNORECASE,
)
"""What an actor did, read from the end of the actor: up to six words on (none of them another
doer or a new clause), a fault or a judgement."""
_DONE_BY_RE = _Lazy(
    r"\b(?:was|were|got|has been|have been|had been|'s been|'d been) (?:\w+ )?(?:lost|left(?: behind)?|damaged|broken"
    r"|dropped|delayed|held up|missed|misplaced|mislaid|mis-?\w+ed|forgotten|overlooked|ignored|skipped"
    r"|thrown (?:away|out)|binned|deleted|overbooked|double-booked|given away|stolen|tampered with"
    r"|pulled (?:\w+ ){0,2}?wrong|\w+ed (?:\w+ ){0,3}?(?:wrong\w*|incorrect\w*|in error|by mistake))"
    r"\b[^.;:!?]{0,60}?\bby\s+$",
    re.IGNORECASE,
)
"""A thing gone wrong in the passive with its doer after "by": "your bag was left behind in Dublin
by the ground handling team", "the covers were pulled from the wrong bay by Saturday's late shift"."""
_AND_DID_RE = _Lazy(
    r"(?:\s+(?!(?:I|we|you|but|so|because)\b)[\w'&/-]+){1,14}?,?\s+and\s+(?P<fault>" + _FAULT + r")",
    re.IGNORECASE,
)
"""A second thing the same actor did, after "and": "the organiser brought the time forward at
short notice and did not inform us"."""
_CAUSE_RE = _Lazy(
    r"\b(?:because|because of|caused by|due to|down to|thanks to|the fault of|on the part of|which is why|that'?s why"
    r"|so|(?:that|this|it)(?:'s| is| was)(?: all)? on|pending (?:action|response|approval|confirmation|input|documents)"
    r"|let (?:us|you) down by|been let down by|(?:mistake|error|slip|mix-up)s? (?:was |were )?made by"
    r"|(?:an? |the )?(?:issue|problem|fault|error) (?:with|from|at|on the part of)"
    r" from|non-receipt of (?:[\w-]+ ){0,4}?from|awaiting (?:[\w-]+ ){0,4}?from)\s*$",
    re.IGNORECASE,
)
"""A cause said just before an actor: "because your admin switched it off", "caused by Network
Rail's works"."""
_FAULT_AT_RE = _Lazy(
    r"\b(?:the|our|your|that|this|their)\s+(?:[\w-]+\s+){0,2}?[\w-]+"
    r"(?:'s|s') (?:fault|mistake|error|doing)\b"
    r"|\b(?:on|at|from) (?:their|his|her|(?:the |your )(?:[\w-]+ ){0,2}?[\w-]+(?:'s|s')|(?-i:[A-Z])[\w&-]+(?:'s|s'))"
    r" (?:end|side)\b"
    r"|\b(?:that|this)(?: one)?(?:'s| is| was)(?: all| entirely| squarely)? on (?!(?-i:(?:Mon|Tues|Wednes|Thurs|Fri"
    r"|Satur|Sun)day|January|February|March|April|May|June|July|August|September|October|November|December)\b)"
    r"(?-i:[A-Z])[\w&-]+(?: (?-i:[A-Z])[\w&-]+)?(?=\s*(?:[,.;!]|$|not\b|rather\b|,? they\b))"
    r"|\b(?:happened|occurred|was caused|was done|will have happened|must have happened) (?:while|whilst|when)"
    r" (?:it|they|the \w+|your \w+) (?:was|were) (?:in|with|under) (?:their|the [\w-]+'?s|[A-Z][\w-]+'s)"
    r" (?:care|hands|custody|possession)\b"
    r"|\b(?:was|is)(?:n'?t| not) (?:a|an|any) (?:fault|problem|issue|error) (?:on|with|in) our (?:network|side|end"
    r"|system|systems|part|service)\b"
    r"|\b(?:was|is)(?:n'?t| not) (?:anything|something|a problem|an issue|a fault) (?:on|at) our (?:side|end)\b"
    r"|\bnot something (?:we|I) agree with\b|\bwe (?:don'?t|do not) (?:get|have) (?:a|any) say\b"
    r"|\b(?:delay|problem|issue|hold-?up|fault|error|blockage) (?:is|lies|sits|seems to be|appears to be) (?:at|with)"
    r" (?:your|the) (?:[\w-]+ )?(?:bank|courier|carrier|card issuer|issuer|provider|network|airline|airport|supplier"
    r"|retailer|seller|manufacturer|landlord|insurer|broker|end|side)\b"
    r"|\bnot (?:ours|us|our fault|on us|our doing|down to us|by us|from us|something we (?:can )?control"
    r"|within our control"
    r"|on our (?:end|side)|anything (?:we|the team|I) did)\b|\bnothing to do with us\b|\brather than us\b"
    r"|\b(?:was|is)n'?t (?:on our (?:end|side)|(?:anything|something) (?:we|the team|I) did|our fault)\b"
    r"|\b(?:responsibility|the fault|the blame|liability)(?: for (?:the |this |that |your )?[\w-]+(?: [\w-]+)?)?"
    r" (?:lies|lay|rests|rested|sits|sat|is|was) (?:solely |entirely |squarely |firmly )?with (?:the|your|their|them"
    r"|him|her|[A-Z])"
    r"|\b(?:rather than|and not|not) (?:with|at|in|from) (?:our|us)\b(?! (?:behalf|own)\b)"
    r"|\brather than (?:with )?our (?:device|router|network|system|systems|service|product|app|end|side|equipment)\b"
    r"|\b(?:can(?:'?t|not)|won'?t|will not|shouldn'?t) be held (?:responsible|liable|accountable)\b"
    r"|\b(?:isn'?t|is not|not) (?:something|anything) (?:we|I) (?:can|could|should) be held (?:responsible|liable"
    r"|accountable)\b"
    r"|\b(?:we|I)(?:'re| are| am|'m)? not (?:responsible|liable|accountable) for\b"
    r"|\b(?:was|is)(?:n'?t| not) (?:a|an) [A-Z][\w-]* (?:error|fault|mistake|failure)\b"
    r"|\b(?:wasn'?t|isn'?t|was not|is not) (?:something |anything )?(?:within|in|under) (?:our|my) control\b"
    r"|\b(?:isn'?t|is not|wasn'?t|was not) (?:something|anything) (?:our [\w-]+|we|I) (?:have|had|has) (?:any )?control"
    r" over\b|\bnothing (?:we|I) could (?:do|have done)(?: on our (?:end|side))?\b|\bnothing (?:is|was) wrong on our"
    r" (?:side|end)\b|\b(?:error|mistake|oversight) on the part of\b|\bnot our (?:team|people|staff|depot|branch"
    r"|store)(?: here)?\b",
    re.IGNORECASE,
)
"""A fault said to be someone's, to lie at someone else's end, or not to be ours."""
_PASSIVE_FAULT_RE = _Lazy(
    r"\b(?:was|were|has been|had been|got|'s been) (?:\w+ )?(?:set up|entered|processed|recorded|applied|charged"
    r"|keyed|configured|installed|handled|calculated|billed|coded|label+ed|addressed|routed|marked|booked|sent|packed"
    r"|scanned|logged|added|cancel+ed|closed|priced|quoted|loaded) (?:\w+ ){0,3}?(?:incorrectly|wrongly|in error"
    r"|by mistake|by accident|wrong)\b"
    r"|\b(?:was|were|has been|had been|got) (?:mistakenly|wrongly|incorrectly|accidentally) \w+ed\b",
    re.IGNORECASE,
)
"""A fault with no one named (``it was set up incorrectly``): blame when the writer distances it."""
_CUSTOMER_FAULT_RE = _Lazy(
    r"\b(?:'s|is|was)(?: \w+)? (?:down to|on) you\b"
    r"|\byou (?:didn'?t|did not|never|failed to|forgot to|neglected to)\s+(?:\w+\s+)?(?:read|check|follow|answer|reply"
    r"|respond|updat|tell|inform|provid|includ|cancel|return|use|click|confirm|attend|collect|pick\w* up|enter|fill"
    r"|select|tick|register|activat|save|keep|call|notice|look|declar|disclos|mention|submit|sign(?!\w* up)|renew|notif"
    r"|back\w* up|measur)\w*"
    r"|(?<!have )(?<!did )(?<!could )(?<!can )(?<!would )\byou(?:'d| had)? (?:\w+ed|put|set|left|sent|gave|chose|took"
    r"|shut|cut) (?:[\w'-]+ ){0,5}?(?:rather than|instead of|in the wrong (?:order|place|box|field|slot)"
    r"|the wrong way (?:round|around))\b"
    r"|\bthe (?:problem|issue|cause|reason) (?:is|was|here is) (?:that |because )?you(?:'ve|'d| have| had)?\b"
    r"|\byou(?: must| might| may| will|'ll)(?:'ve| have) (?:entered|typed|missed|forgotten|clicked|selected|chosen"
    r"|ticked|given|put|deleted|ignored|overlooked|misread|mistyped|booked|ordered|left|switched|turned|set|used"
    r"|opted|forgot(?:ten)?)\b"
    r"|\byou(?:'d| had)? (?:\w+ ){0,2}?(?:selected|chose|picked|booked|ordered|opted for|set|left|used|entered|sent"
    r"|gave|clicked|ticked|switched|turned|put|typed|deleted|changed|declined|skipped|shared|moved|unplugged"
    r"|installed)\b(?:(?!n't|\bnot\b)[^.!?]){0,60}?\b(?:which is why|that'?s why|hence|which (?:caused|meant))\b"
    r"|\b(?:late|error|mistake|oversight|delay|fault) on your part\b"
    r"|\bthe wrong (?:option|date|size|address|box|button|tariff|plan|item|product|time|fare|seat|ticket) was (?:chosen"
    r"|selected|picked|entered|ticked|clicked|given|booked)\b"
    r"|\byou (?:entered|typed|gave|put|chose|selected|booked|ordered|picked|used|provided|supplied|input)\s+"
    r"(?:\w+\s+){0,2}?(?:the )?(?:wrong|incorrect)\b"
    r"|\b(?:wrong|incorrect|invalid|incomplete|error|mistake|fault)\b[^.!?]{0,60}\b(?:on|at|from) your (?:side|end)\b"
    r"|\b(?:it'?s|it is|it was|that'?s|that is|this is|remains|which is|which was) (?:the (?:member|customer"
    r"|account holder|cardholder"
    r"|policyholder|policy holder|passenger|guest|buyer|tenant|user|sender|traveller|traveler)'?s|your) (?:own |sole )?"
    r"responsibility\b"
    r"|\b(?:details|address|number|email|date|information|info|code|post ?code|name|card|spelling|reference|reading"
    r"|photo|form|meter reading|document|file|image|picture|screenshot)s? (?:that )?you (?:gave|entered|provided"
    r"|typed|supplied|put in|used|chose|selected"
    r"|sent|submitted|filled in)(?:\s+[\w']+){0,5}?\s+(?:was|were|is|are|had been|had|has) (?:\w+ ){0,2}?"
    r"(?:wrong|incorrect|incomplete|invalid|out of date|missing|blurry|unreadable|unclear|illegible|too dark)\b"
    r"|\b(?:your|the customer'?s) (?:own )?(?:mistake|error|fault)\b(?! (?:reference|ref|number|no|id|code|report"
    r"|ticket|log|case)\b)(?! (?:was|is|has been|had been|will be|got) (?:\w+ )?(?:marked|fixed|reported|logged|closed"
    r"|repaired|resolved|booked|raised|cleared|escalated|passed|traced|found)\b)|\buser error\b"
    r"|\byour (?:\w+ )?(?:payment|return|form|application|reply|response|meter reading|reading|submission|documents?"
    r"|paperwork|claim|photos?|evidence|instructions|request|notice) (?:was|were|arrived|came(?: in)?|reached us)"
    r" (?:\w+ )?(?:late|overdue|incomplete|incorrect|wrong|invalid|missing|unclear|after the (?:deadline|cut-?off))\b"
    r"|\b(?:because|as|since) (?:it|this|that|the \w+|your \w+) (?:was|were) (?:\w+ )?(?:submitted|sent|made|placed"
    r"|received|requested|returned|paid|booked|cancel+ed|lodged|filed)(?: \w+){0,3}? (?:after (?:the|our|\d)|too late"
    r"|late\b|outside (?:the|our)|past the)"
    r"|\bthere (?:was|is|wasn'?t|isn'?t) (?:no|any) (?:house |door |flat |unit |building )?(?:number|name|signage"
    r"|sign) (?:showing|visible|displayed|on (?:the|your))\b"
    r"|\b(?:the |your )?(?:delivery |billing |email )?(?:address|details|postcode|post code|name|phone number|email)"
    r" (?:on|in|for) (?:the|your) (?:order|booking|account|form|application) (?:was|were) (?:missing|incomplete|wrong"
    r"|incorrect|invalid|out of date)\b"
    r"|\byou (?:missed|ignored|overlooked|misread|mistyped|skipped|disregarded) (?:the|our|both|all|several|each"
    r"|every|a|an|two|three)\b"
    r"|\b(?:that|this|it) (?:usually |often |normally |only |generally |always )?happens (?:when|if|because)"
    r" (?:people|customers|you|someone)\b"
    r"|\b(?:nobody|no one|no-one) (?:was (?:in|home|there|available|at home)|answered|came to the door|picked up)\b",
    re.IGNORECASE,
)
"""The customer as the one who got it wrong."""
_APOLOGISED_RE = _Lazy(
    r"\b(?:sorry|apologi[sz]e|apologies|my bad|unacceptable|not (?:OK|okay|good enough|acceptable|right|on))\b",
    re.IGNORECASE,
)
"""An apology for what went wrong, or "not good enough": with ``reading``'s owning of the fault
("that's on us"), the writer owning it."""
_IN_CHARGE_RE = _Lazy(
    r"\b(?:handled|managed|run|operated|covered|looked after|maintained|owned|dealt with|fixed|repaired|fixes|repairs"
    r"|handles|manages|runs|operates|covers|maintains)\b",
    re.IGNORECASE,
)
"""Who is in charge of something: what "rather than us" says in such a sentence."""
_WHERE_DONE_RE = _Lazy(r"(?:rather than|not) (?:with |by |from )?us|(?:from|on|at) (?:their|the \w+'s) (?:side|end)",
                       re.IGNORECASE)  # fmt: skip
_WHO_WILL_DO_RE = _Lazy(
    r"\b(?:will|'ll|can|be able to|need to|needs to|has to|have to|(?:could|would|must|should)(?! have\b|'ve\b))\b",
    re.IGNORECASE,
)
"""Where a thing is done and who will do it ("they'll trace it from their side", "it has to go
through them rather than us"): who handles what comes next, not whose fault it was."""
_FAULT_NAMED_RE = _Lazy(r"\b(?:delay\w*|fault\w*|problem|issue|error|mistake|caus\w+|blame|lost|damage\w*|wrong|fail\w*"
                        r"|late|theirs)\b", re.IGNORECASE)  # fmt: skip
"""A fault named in the sentence (``reading._FAULT_WORD_RE`` also takes "they" and "because",
which every handoff has)."""


def _handled_elsewhere(sentence: str, fault_at: str) -> bool:
    """Whether "rather than us" or "on their side" says who handles it ("power cuts are handled by
    your network operator, not us", "they'll trace it from their side"), not whose fault it was."""
    not_us = re.fullmatch(r"(?:rather than|not) (?:by |from )?us", fault_at, re.IGNORECASE)
    if not_us and _IN_CHARGE_RE.search(sentence):
        return True
    return bool(_WHERE_DONE_RE.fullmatch(fault_at) and _WHO_WILL_DO_RE.search(sentence)
                and not _FAULT_NAMED_RE.search(sentence))  # fmt: skip


_SYMPATHY_RE = _Lazy(r"\b(?:sorry|shame|pity|gutted|unlucky|a nuisance)\b(?: (?:that|to hear|to see))?\s*$",
                     re.IGNORECASE)  # fmt: skip
"""Said just before what happened to the customer: sympathy with it, not a reproach."""
_APOLOGY_ALONE_RE = _Lazy(
    r"\W*(?:(?:I'?m|I am|we'?re|we are) (?:so |really |very |truly )?sorry|(?:my |our )?(?:sincere )?apologies"
    r"|(?:I|we) (?:do )?apologi[sz]e|sorry)\b[^.!?]{0,60}[.!?]?\s*$",
    re.IGNORECASE,
)
"""A sentence that is only an apology ("I'm sorry about this."), owning what the next one says."""
_SORRY_FOR_RE = _Lazy(
    r"\b(?:sorry|apologi[sz]e|apologies) (?:that |to hear (?:that )?|(?:for|about) how )?(?:the )?$", re.IGNORECASE
)
"""An apology whose object is what follows it ("I'm sorry the engineer didn't turn up")."""
_DISTANCED_RE = _Lazy(
    r"\b(?:clearly|obviously|honestly|to be honest|apparently|again|as usual|typical(?:ly)?|lately|these days"
    r"|not (?:us|our fault|on us|by us)|rather than us|the new|new guy|new girl|junior|temp|looks like|seems"
    r"|it appears|appears to|seems to|must have|when you first|originally|previous(?:ly)?|often|always"
    r"|unfortunately)\b",
    re.IGNORECASE,
)
"""What makes a fault told with an apology blame all the same: a judgement, a distance."""


_FAULT_AT_CUES = ("fault", "mistake", "error", "doing", " end", " side", "not ", "nothing to do", "rather than",
                  "n't ", "responsib", "blame", "liabil", "held", "liable", "accountable", "'s on ", " is on ",
                  " was on ", "delay", "problem", "issue", "hold", "blockage", "care", "custody", "possession",
                  "agree with", " say")  # fmt: skip
_CUSTOMER_FAULT_CUES = ("you didn", "you did not", "you never", "you failed", "you forgot", "you neglected",
                        "you must", "you might", "you may", "you will", "you'll", "wrong", "incorrect", "incomplete",
                        "was chosen", "was selected",
                        "invalid", "out of date", "missing", "blurry", "unreadable", "mistake", "error", "fault",
                        "happens", "nobody", "no one", "no-one", "which is why", "that's why", "hence",
                        "which caused", "which meant", "on your part", "late", "overdue", "unclear", "after the",
                        "you missed", "you ignored", "you overlooked", "you misread", "you mistyped", "you skipped",
                        "you disregarded", "rather than", "instead of", "wrong way", "problem is", "issue is",
                        "cause is", "reason is", "problem was", "issue was", "cause was", "reason was", "problem here",
                        "responsibility", "illegible", "too dark", "submitted", "too late",
                        "outside", "past the", "showing", "visible", "displayed", "your side", "your end")  # fmt: skip
_DID_CUES = ("n't", " not ", "never", "fail", "forgot", "neglect", "refus", "mess", "mix", "screw", "cock", "muck",
             "foul", "wrong", "mistake", "error", "blunder", "hash", "incorrect", "badly", "shouldn", "should not",
             "should have", "should've", "dropped the ball", "hasn", "haven", "has not", "have not", "yet to",
             "should never", "double", "triple", "glitch", "crash", "went down", "go down", "gone down", "down to",
             "switched off", "turned off", "overr", "struggl", "slow", "unreliable", "staffed", "swamped", "useless",
             "having ", "hopeless", "incompetent", "rubbish", "terrible", "awful", "clueless", "careless", "lazy",
             "nightmare", "mind of its own", "mis", "skipped", "ignored", "overlooked", "haywire", "went wrong",
             "fell over", "answer for", "being ", "playing up", "acting up", "new to", "new on", "longer than",
             "wrong way", "wrong turn", "wrong road", "in error", "by mistake", "by accident", "mistakenly", "wrongly",
             "accidentally", "incorrectly", "keep", "kept", "always ", "blame", "fault", "responsible",
             "thanks to", "too long", "know what", "accountable", "liable", "attention", "asleep",
             "forgot", "late", "without", "instead of", "even though", "marked", "supposed", "meant", "strict",
             "fussy", "picky", "particular", "new ", "temporary", "agency", "inexperienced", "trainee", "too often",
             "not great", "not good", "not brilliant", "not reliable", "experienc", "seeing", "dealing",
             "facing", "suffering", "working through", "had ", "busy", "overwhelm", "pressure", "stretched",
             "behind", "let us", "let you", "let down", "twice", "sat on", "lost", "left", "damaged",
             "broken", "dropped", "delayed", "held up", "missed", "thrown", "binned", "deleted", "stolen", "tampered",
             "given away", "over", "issue", "problem", "made by", "dispatched", "shipped",
             "posted", "released", "collected", "new")  # fmt: skip
"""Words without one of which a sentence holds no such fault (see ``_TALKING_DOWN``)."""


def blames(sentence: str, before: str = "", following: str = "") -> Reading | None:
    """Whether the sentence puts the fault on someone other than the writer's "I" or "we".
    ``before`` is the sentence before it: an apology there ("I'm sorry about this. Our system
    didn't carry your seat across") owns the fault as one in the sentence itself does. The
    sentence after it owns it when it says so ("Our engineer didn't turn up. That's on us.")."""
    lower = sentence.lower()
    for pattern, cues in ((_FAULT_AT_RE, _FAULT_AT_CUES), (_CUSTOMER_FAULT_RE, _CUSTOMER_FAULT_CUES)):
        match = pattern.search(sentence) if any(cue in lower for cue in cues) else None
        own_clause = match is not None and re.match(r"(?:because|as|since|there)\b", match.group(), re.IGNORECASE)
        if match and pattern is _CUSTOMER_FAULT_RE and _SYMPATHY_RE.search(sentence, 0, match.start()):
            continue  # "so sorry you missed the flight": sympathy, not the customer's fault
        if match and pattern is _CUSTOMER_FAULT_RE and _WE_TAKE_IT_RE.search(sentence, match.end()):
            continue  # "the postcode on the account was missing a letter, so I've corrected it": fixed, not blamed
        if match and pattern is _CUSTOMER_FAULT_RE and owns_fault(sentence[: match.end()]):
            continue  # "that's our mistake, not a change on your side": owned
        if match and pattern is _CUSTOMER_FAULT_RE and SUPPOSED_RE.search(sentence, 0, match.start() + 3):
            continue  # "if you entered anything, change your password now": a condition, not a fault
        if match and not (pattern is _CUSTOMER_FAULT_RE and not own_clause and negated(sentence, match.start())):
            if pattern is _FAULT_AT_RE and _WE_ACT_RE.search(sentence, match.end()):
                continue  # "they need to make the change on their side, so I've emailed them": owned
            if pattern is _FAULT_AT_RE and _OTHER_PARTY_RE.search(sentence):
                continue  # "the other driver's fault": a claim's finding, in the customer's favour
            if pattern is _FAULT_AT_RE and _handled_elsewhere(sentence, match.group()):
                continue  # "power cuts are handled by your network operator, not us": who handles it
            if pattern is _FAULT_AT_RE and (
                denies_sender(sentence, match.group())
                or (denies_sender(before + " " + sentence, match.group()) and _IMPOSTOR_RE.search(before))
            ):
                continue  # "... so if anyone does, it isn't us", "@kat Not us!": who sent it, not a fault
            return Reading("blame", match.start(), match.end())
    owned = bool(_APOLOGISED_RE.search(sentence) or owns_fault(sentence))
    if not any(cue in lower for cue in _DID_CUES):
        return None if owned else explains_away(sentence)
    sorry_before = bool(before and _APOLOGY_ALONE_RE.match(before))
    distanced = bool(_DISTANCED_RE.search(sentence))
    named = None  # the last one named: "our ground handling agent, and they didn't load the bags" is theirs
    for actor in actors(sentence):
        cause = _CAUSE_RE.search(sentence, max(0, actor.start - _REACH), actor.start)
        head = sentence[actor.start : actor.end].split()[-1].lower().removesuffix("'s")
        if actor.kind != "pronoun":
            named = head
        elif named is not None:
            head = named
        someone = actor.kind != "pronoun" or named is not None
        person = someone and head.removesuffix("s") not in _SYSTEMS and head not in _SYSTEMS
        if cause and person and re.match(r"down|the fault|thanks|caused|due|because of|on the part|pending|non-receipt"
            r"|awaiting|let |been let|mistake|error|slip|mix-up|(?:that|this|it)(?:'s| is| was)"
            + (r"|(?:an? |the )?(?:issue|problem|fault)" if distanced else ""),
                                         cause.group(0),
                                         re.IGNORECASE):  # fmt: skip
            return Reading("blame", cause.start(), actor.end)  # "the delay is down to the previous agent"
        did = _DID_RE.match(sentence, actor.end) or _AND_DID_RE.match(sentence, actor.end)
        done_by = None if did else _DONE_BY_RE.search(sentence, max(0, actor.start - _REACH), actor.start)
        if did is None and done_by is None:
            continue
        if done_by is not None:  # "was left behind by the ground handling team": the doer after the deed
            kind, start, end = "fault", done_by.start(), actor.end
        else:
            kind = next(name for name, value in did.groupdict().items() if value)  # judged, state, pending or fault
            start, end = actor.start, did.end()
        if kind == "judged":  # blame, unless owned: "sorry the app was playing up"
            if person or distanced or not owned:
                return Reading("blame", start, end)
            continue
        if kind == "state":
            if person and (distanced or not owned):
                return Reading("blame", start, end)
            continue
        if kind == "pending":  # "the seller hasn't responded": blame only as a complaint, not as news
            overdue = re.search(r"\b(?:on time|in time|yet)\b", sentence[end:], re.IGNORECASE)
            if (distanced or overdue) and not owned and not _WE_ACT_RE.search(sentence) and person:
                return Reading("blame", start, end)
            continue
        caused = cause is not None
        if actor.kind == "pronoun" and not caused and named is None:
            continue  # "they didn't..." names no one: a judgement of "they" is blame, a fault is not
        firm = head.removesuffix("s") in _FIRMS or head in _FIRMS or actor.kind == "proper"
        # An apology owns the fault it governs ("sorry the engineer didn't turn up") or one of our own
        # people's ("sorry, our engineer ..."); "sorry, the bus company sent your coach to the wrong
        # station" apologises, then names who did it.
        ours = re.match(r"(?:our|my|one of our|we)\b", sentence[actor.start : actor.end], re.IGNORECASE)
        sorry_for = _SORRY_FOR_RE.search(sentence, 0, actor.start)
        owned_here = owns_fault(sentence) if firm or not (ours or sorry_for) else owned
        if (owned_here or (sorry_before and not person) or owns_fault(following)) and not (distanced or caused):
            continue  # "I'm so sorry our engineer didn't turn up": the fault owned, not passed on
        return Reading("blame", start, end)
    match = _PASSIVE_FAULT_RE.search(sentence)
    if match and distanced and not owned:
        return Reading("blame", match.start(), match.end())
    if not owned:
        return explains_away(sentence)
    return None


# -- an explanation that puts the cause elsewhere ----------------------------------------------

_THEIR_ACT_RE = _Lazy(
    r"\b(?:by you|from you|by (?:a|another|one) (?:user|member|person|admin|colleague) (?:on|in|from|at) your"
    r"|(?:from|on|in|via|using) your (?:own )?(?:device|phone|account|app|banking app|workspace|settings"
    r"|account settings"
    r"|browser|card|home (?:wi-?fi|network|router)|router|wi-?fi|network|end|side)"
    r"|(?:the )?(?:\w+ )?(?:address|details|code|number|date|option|setting|reading|password|name|email) you (?:entered"
    r"|gave|selected|chose|ticked|used|provided|submitted|typed)"
    r"|you (?:entered|gave|selected|chose|ticked|used|provided|submitted|typed|set|turned|switched|approved"
    r"|authori[sz]ed"
    r"|revoked|deleted|cancel+ed|declined|missed|ignored))\b",
    re.IGNORECASE,
)
"""The customer (or their own device, account or network) as the one who did it."""
_SO_RE = _Lazy(
    r"\b(?:which is why|that'?s why|which (?:is what )?(?:triggered|caused|stopped|meant|led to|explains|is what)"
    r"|hence|as a result|because|as|since|so (?:it|this|that|the \w+|your \w+) (?:was|were|is|has|had|got|went)"
    r"|so (?:we|our \w+) (?:couldn'?t|could not|were unable|weren'?t able|had to))\b",
    re.IGNORECASE,
)
"""A cause said to lead to what went wrong."""
_WENT_WRONG_RE = _Lazy(
    r"\b(?:cancel+ed|rejected|declined|returned|locked|stopped|failed|fee|charged|estimated|closed|suspended|blocked"
    r"|refused|unpaid|flag\w*|error|late|missed|delayed|held|lost|didn'?t|wasn'?t|weren'?t|couldn'?t|could not"
    r"|not (?:match|work|arrive|go through)|bounced|expired|void|penalt\w*|surcharge|overdrawn)\b",
    re.IGNORECASE,
)
"""What the customer is unhappy about, in the sentence that explains it."""
_PROOF_RE = _Lazy(
    r"\b(?:(?:entered|submitted|completed|uploaded|placed|made|received|logged|sent|booked|requested) (?:\w+ ){0,3}?at"
    r" \d{1,2}[:.]\d{2}(?::\d{2})?,? (?:just |shortly |a (?:few|couple of) (?:minutes|seconds) )?(?:after|past)"
    r"|(?:after|past) the (?:[\w:.-]+ ){0,3}?(?:deadline|cut-?off|closing time|offer ended|sale ended))"
    r"|\bjust after (?:the )?(?:offer|sale|promotion|window|deadline|cut-?off) (?:ended|closed|passed)\b"
    r"|\bno (?:answer|reply|response|one) (?:at|from) (?:the|your) (?:property|address|door|house|flat|home)\b"
    r"|\bno (?:safe place|access code|delivery instructions?|meter reading|reading|notice) (?:was|were) (?:given"
    r"|provided"
    r"|left|supplied|added|received)\b"
    r"|\b(?:didn'?t|did not|never) (?:receive|get|have) (?:a|an|any|the|your) (?:[\w-]+ ){0,3}?from you\b"
    r"|\b(?:(?:our|the) (?:own )?(?:systems?|servers?|network|trains?|staff|team|app|platform|website) (?:performed"
    r"|were"
    r" running|was running|ran|worked|behaved|were working|was working) (?:as (?:expected|normal|designed|intended)"
    r"|normally|fine|correctly))\b"
    r"|\b(?:the|our) system (?:is |was )?working as (?:intended|designed|expected)\b"
    r"|\bthe system (?:working|worked|behaving|behaved) as (?:intended|designed|expected)\b"
    r"|\brather than (?:an? )?(?:issue|problem|fault|error) (?:with|on|at) (?:our|us)\b"
    r"|\b(?:usually|normally|often|typically|likely|probably) points? to (?:the |your |a )?(?:home |local )?"
    r"(?:wi-?fi|router|network|connection|device|settings|browser|card|bank)\b"
    r"|\boriginated (?:with|from|at) (?:the|our|your|their|a) (?:[\w-]+ ){0,3}?(?:provider|partner|supplier|bank"
    r"|carrier|courier|operator|network|host|vendor|contractor|third party)\b"
    r"|\b(?:wasn'?t|weren'?t|was not|were not) \w+(?:ed|en)? (?:in time |on time |properly |correctly )?by (?:their"
    r"|the|your|a|an) (?:[\w-]+ ){0,2}?(?:team|staff|crew|partner|agent|courier|carrier|driver|handlers?|supplier"
    r"|seller|bank)\b"
    r"|\bby (?:your|the|their) (?:[\w-]+ ){0,2}?(?:bank|issuer|provider|seller|courier|carrier|network|insurer|employer"
    r"|landlord)\b,? (?:which|so|and this|that)\b[^.!?]{0,40}?\b(?:triggered|caused|meant|led to|is why"
    r"|resulted in|stopped|blocked)\b",
    re.IGNORECASE,
)
"""A record, a time stamp or a comparison offered as proof that the fault lies elsewhere."""
_PROOF_CUES = ("after", "past", "no answer", "no reply", "no response", "no one", "no safe", "no access",
               "no delivery", "no meter", "no reading", "no notice", "from you", "perform", "running", "ran ",
               "worked", "behav", "working as", "rather than", "points to", "point to", "originated", "wasn't",
               "weren't", "was not", "were not", " by your", " by the", " by their")  # fmt: skip


def explains_away(sentence: str) -> Reading | None:
    """Whether the sentence explains what went wrong by what the customer (or their device,
    account or network) or another party did, or offers a record as proof that the fault is not
    ours ("the token was revoked by a user on your workspace at 16:12, which is what stopped the
    sync"; "the code was entered at 00:07, just after the offer ended"; "our servers were running
    normally, so it points to your home Wi-Fi")."""
    lower = sentence.lower()
    proof = _PROOF_RE.search(sentence) if any(cue in lower for cue in _PROOF_CUES) else None
    if proof is not None and not SUPPOSED_RE.search(sentence, 0, proof.start()):
        return Reading("blame", proof.start(), proof.end())
    if "you" not in lower:
        return None
    act = _THEIR_ACT_RE.search(sentence)
    if act is None or negated(sentence, act.start()) or _SYMPATHY_RE.search(sentence, 0, act.start()):
        return None
    if SUPPOSED_RE.search(sentence, 0, act.start()):
        return None  # "if you missed one because of it, DM me": a case supposed, not a cause given
    if _SO_RE.search(sentence) and _WENT_WRONG_RE.search(sentence) and not _WE_ACT_RE.search(sentence):
        return Reading("blame", act.start(), act.end())
    return None


# -- passing the buck ---------------------------------------------------------------------------

_SENT_RE = _Lazy(
    r"(?P<directive>\byou(?:'ll| will|'d| would)? (?:need|have|want) to|\byou must|\byou should|\byou(?:'ll| will)"
    r" be able to|\byou (?:can|could)(?: also)?|\byou may (?:want|wish|need) to|\byou might (?:want|wish|like) to"
    r"|\b(?:could|can|would) you|\bplease|\bkindly|(?<!I've )(?<!we've )(?<!I have )(?<!we have )\bjust"
    r"|\bbest (?:to|if you)|\bit'?s best to|\b(?:I|we)(?:'d"
    r"| would)? (?:recommend|suggest|advise)(?: that you| you)?|\byour best (?:bet|option) (?:is|would be)(?: to)?"
    r"|\bthe best (?:thing|way|option) (?:is|would be)(?: to)?|\btry|\bfeel free to|\b(?:would|will|should) need to"
    r"|\b(?:it'?s|it is|it would be|would be) (?:well )?worth"
    r"|\bneeds? to|\b(?:we|I)(?:'d| would) ask (?:that )?you(?: to)?|\bget (?:the|your) \w+ to|^\s*|[.!?:;,-]\s*)"
    r"\s*(?:\w+\s+){0,3}?"
    r"(?P<redirect>(?:contact|reach\w* out(?: to)?|get\w* in touch(?: with)?|call|phon|ring|e-?mail|writ\w* (?:to|in)"
    r"|messag|speak\w* (?:to|with)|talk\w* to|rais\w* (?:it|this|that|a \w+) with|tak\w* (?:it|this|that) up with"
    r"|go\w* back to|return\w* (?:it|them|the \w+) to|pop\w* (?:in|into|down|over|along)|visit|approach|chas\w*"
    r" (?:it |this |that )?up with|head\w* (?:to|into"
    r"|over|down)|go(?:ing)? (?:to|into|in)|check\w* with|chat\w* (?:to|with)|giv\w* (?:them|\w+) a (?:call|ring"
    r"|buzz|bell|shout)|hav\w* a (?:word|chat) with|(?:claim|apply|request)\w*(?: \w+){0,3}? (?:on|with|via|through"
    r"|from|at)|(?:open|rais|log|submit|fil|lodg)\w* (?:a |an )?(?:new )?(?:ticket|request|case|claim"
    r"|complaint|issue|dispute)(?: \w+)? (?:on|with|via|through|at))\w*)\b",
    re.IGNORECASE,
)
"""The customer told, asked or advised to take it somewhere."""
_OUR_OTHER_CHANNEL_RE = _Lazy(
    r"\b(?:us|our (?:[\w-]+ )?(?:team|line|helpline|desk|department))(?: \w+)? (?:by|via|on|over|through) (?:the )?"
    r"(?:phone|telephone|email|e-mail|chat|live ?chat|web ?chat|app|website|post|letter)\b"
    r"|\bus (?:on|at) \+?\d[\d ()-]{6,}\d(?![^.!?]{0,30}\b(?:if|any ?time|whenever|should|every day|open|daily"
    r"|\d{1,2}(?::\d{2})?\s?(?:am|pm))\b)"
    r"|\b(?:our|the) (?:[\w-]+ )?(?:chat|phone|email|web ?chat|live ?chat|call centre|contact centre|telephone"
    r"|complaints|customer services?|support|help|sales|billing|accounts|retention|loyalty) (?:team|line|desk|centre"
    r"|center|department|people|queue)\b"
    r"|\bcustomer services?\b|\bthe helpline\b|\b(?:our|the) website\b|\bin (?:store|branch|person)\b"
    r"|\b(?:our|the) (?:call|contact) centre\b|\b(?:the |our )?(?:app'?s )?(?:help (?:section|centre|center|pages?)"
    r"|online form|contact form|web ?form)\b|\bus instead\b"
    r"|\b(?:a|any|your (?:local|nearest)|the (?:nearest|local)|one of our) (?:store|branch|shop|outlet)\b",
    re.IGNORECASE,
)
"""Another of our own queues or channels: a shuffle when the customer is sent there."""
_OTHER_TARGET_RE = _Lazy(
    r"\b(?:them|they|their \w+)\b|\b(?-i:[A-Z])[\w&]+(?: (?-i:[A-Z])[\w&]+)? directly\b", re.IGNORECASE
)
_OBLIGED_RE = _Lazy(
    r"\b(?:need|needs|have|has|must|should|best|recommend|suggest|advise|only way)\b|^\s*(?:please\s+)?(?:reach"
    r"|contact|call|phone|ring|email|message|go|head|pop|visit)\b",
    re.IGNORECASE,
)
"""Sent there as the way on, not offered as one more way ("you can also call us")."""
_HANDLES_RE = _Lazy(
    r"(?: \w+){0,2}? (?:handles?|deals? with|looks? after|takes? care of|(?:is|are) responsible for|(?:is|are|'re"
    r"|'ll be|will be|would be) (?:best|better) placed|(?:is|are|'re) the ones? (?:who|to)|(?:is|are|'re) the best"
    r" (?:people|person|team|ones|place)|can help (?:you )?(?:with )?(?:that|this|it|better)|(?:'ll| will) be able"
    r" to (?:tell|help|explain|advise|sort)|would be the ones? (?:to|who))\b",
    re.IGNORECASE,
)
"""What an actor is said to be there for, in place of the writer."""
_THEY_WILL_RE = _Lazy(
    r"(?:'d| would| will|'ll)? be (?:the )?(?:best|right|better|correct) (?:people|person|ones?|team|place|placed) to\b"
    r"|(?: \w+){0,2}? (?:can|will|would|should)(?: (?:need|have|be able|be best placed|be the ones?) to)? (?:look into"
    r"|check|investigate|advise|arrange|deal with|sort (?:it|this|that))\b",
    re.IGNORECASE,
)
"""What another firm (not "our engineers") is said to be the one to do: "your network can look into coverage"."""
_BELONGS_RE = _Lazy(
    r"\b(?:handled|dealt with|covered|managed|processed|decided|looked after|sorted|done) by\s*$"
    r"|\b(?:the )?responsibility of\s*$|\b(?:is|are|remains?|'s) (?:entirely |solely |wholly )?up to\s*$|\b(?:one"
    r"|a question|a matter|something|a job|an issue|a problem) for\s*$"
    r"|\b(?:would|will|should) need to go to\s*$|\b(?:need|needs|has|have|would have"
    r"|will have) to go (?:back )?through\s*$"
    r"|\b(?:would|will|must|has to|have to"
    r"|needs? to)(?: have to)? be (?:requested|raised"
    r"|made|claimed|arranged|done|handled|sent|returned) (?:through|with|via|by)\s*$|\b(?:best|better|should be"
    r"|are|is|need to be|must be) (?:directed"
    r"|addressed"
    r"|sent|raised|put|taken up) (?:to|with)\s*$",
    re.IGNORECASE,
)
"""Said just before an actor: the problem is that actor's to solve."""
_REFUSED_HERE_RE = _Lazy(
    r"\bcan(?:'?t|not) be (?:done|handled|processed|lodged|logged|raised|dealt with|discussed|actioned|made|arranged"
    r"|changed|cancel+ed|accepted|submitted)(?: [\w-]+){0,2}? (?:over|by|via|on|through|in) (?:sms|text|email|e-mail"
    r"|social media|socials|social|chat|live chat|the phone|phone|twitter|this channel|this number|here)\b"
    r"|\b(?:we|I) can(?:'?t|not) (?:process|handle|accept|take|deal with|discuss|do|log|action)(?: [\w-]+){0,3}?"
    r" here\b"
    r"|\b(?:we|I) (?:can'?t|cannot|aren'?t able to|are unable to|am unable to|'m unable to|'re unable to|don'?t|do not)"
    r" (?:process|handle|accept|take|deal with|discuss|do|log|action)(?: [\w-]+){0,3}? (?:by|over|via|through|on)"
    r" (?:text|sms|chat|social media|social|twitter|facebook|the phone|phone|email|live chat|this channel)\b",
    re.IGNORECASE,
)
"""A request refused on this channel: passing the buck when the customer is sent on to another."""
_REDIRECT_RE = _Lazy(
    r"\b(?:please|you(?:'ll| will)? need to|you can|best to|instead|kindly)\b[^.!?]{0,40}?\b(?:call|ring|phone|visit"
    r"|email|e-mail|use|contact|go|pop|submit|raise|write|message|give)\w*\b|\bgive (?:us|our|them|the) [^.!?]{0,30}?a"
    r" (?:bell|call|ring|shout)\b|\b(?:must|has to|have to|needs? to) be (?:claimed|made|raised|done|lodged|submitted)"
    r" (?:at|in|on|through|via|by)\b"
    r"|\b(?:your best bet|the (?:best|quickest|easiest|fastest) (?:way|route|option|bet)|the way to go)(?: \w+){0,3}?"
    r" (?:is|would be)\b",
    re.IGNORECASE,
)
"""Sending the customer on: what makes a refusal on this channel a handoff rather than a wall."""
_ELSEWHERE_RE = _Lazy(
    r"\b(?:handled|covered|dealt with|managed|processed|issued|run|decided|sorted|done"
    r"|made) by (?:the )?(?-i:[A-Z])[\w&-]+"
    r"(?: (?-i:[A-Z])[\w&-]+)?\b(?=[^.!?]{0,30}\b(?:directly|rather than|not us|instead of us))"
    r"|\breach the right (?:people|team|person|department|place)\b"
    r"|\b(?:at|up to) (?:the |their |its )?[\w-]+(?:'s|s') (?:sole |own |absolute |full )?discretion\b"
    r"|\b(?:this|our) (?:inbox|mailbox|email address|number|line|channel|account|page|chat|team) (?:is|are) (?:only )?"
    r"(?:for|used for|monitored for) [\w\s-]{1,30}? only\b"
    r"|\b(?:this|our) (?:number|inbox|mailbox|address|line|channel) (?:does not|doesn'?t|can'?t|cannot|is not able to"
    r"|isn'?t able to|won'?t) (?:accept|receive|read|take|be used for|reply to|respond to)(?: any)? (?:replies|messages"
    r"|calls|texts|emails|queries)\b"
    r"|\b(?:we|I) (?:can'?t|cannot|are unable to|aren'?t able to) (?:reply|respond) to (?:messages|texts|emails"
    r"|replies)"
    r"(?: sent)? (?:to|on|at|from) this\b"
    r"|\b(?:unable|not able|can'?t|cannot) (?:to )?(?:discuss|look at|help with|deal with|handle|look into)"
    r"(?: \w+){0,2}? (?:on|over|via|through) (?:social media|twitter|facebook|instagram|x|chat|live chat|the phone"
    r"|email)\b"
    r"|\b(?:chat|live chat|this channel|social media|our social (?:media )?team|this team|the phone line|this line)"
    r" (?:isn'?t|is not|aren'?t|are not|can'?t|cannot) (?:able to )?(?:handle|deal with|process|discuss|help with"
    r"|look at|access)\b"
    r"|\b(?:please|you(?:'ll| will)? (?:need|have) to) (?:start|open) a new (?:chat|conversation"
    r"|ticket|case|one)\b"
    r"|\b(?:isn'?t|is not|not) (?:something|anything) (?:we|I) can (?:\w+ ){1,3}?(?:on|over|in) here\b"
    r"|\b(?:unable|not able|can'?t|cannot) (?:to )?(?:discuss|look at|help with|deal with"
    r"|look into)(?: \w+){0,2}? (?:on|over"
    r"|in) here\b|\bgiv\w* (?:us|our (?:[\w-]+ ){0,2}(?:line|team|helpline|number)|them|the \w+) a (?:call|ring"
    r"|buzz|bell)\b"
    r"|\b(?:that|this|it)(?: one)?(?:'s| is)? (?:sits|lies|rests|falls|sit|lie) (?:with|under|to)\b"
    r"|\bwe(?:'re| are) (?:only|just) (?:the|a)\b|\bwe (?:only|just) (?:host|sell|list|ship|provide|supply|connect"
    r"|resell|process)\b|\b(?:out of|beyond|outside) (?:my|our) (?:hands|control|remit)\b",
    re.IGNORECASE,
)
"""The problem said to be someone else's to solve, with no one named."""
_LATER_RE = _Lazy(
    r"(?:^\s*|[.!?,;:]\s*|\b(?:please|just|kindly|then|you(?:'ll| will| would|'d)? need to|you (?:can|could|may|might)"
    r"|(?:could|can|would) you|feel free to|best to"
    r"|(?:I|we)(?:'d| would) (?:suggest|recommend|ask|advise) (?:that )?you|(?:I|we)(?:'d| would) (?:suggest|recommend"
    r"|advise)) )"
    r"(?:try|call|ring|phone|contact|come back|check back|check again|get back to us|message us|reach out|chat to us"
    r"|trying|calling|ringing|phoning|contacting|coming back|checking back|checking again|getting back to us"
    r"|messaging us|reaching out)"
    r"(?:\s+\w+){0,2}?\s+(?:again\s+)?(?:tomorrow|later|after \d|in (?:a few|a couple of|an?|\d+|one|two) (?:hours?"
    r"|days?|minutes?|weeks?)|(?:on |next )?(?:monday|tuesday|wednesday|thursday"
    r"|friday|saturday|sunday|week)|in the morning|another time|during (?:office|business|opening) hours|when"
    r" (?:we|they|the \w+) (?:open|reopen|are open|are back))\b"
    r"|\b(?:has|have) (?:finished|gone home|closed|left) for the (?:day|night|weekend)\b",
    re.IGNORECASE,
)
"""The customer sent away to come back another time."""
_WE_ACT_RE = _Lazy(
    r"\b(?:I|we)(?:'ll| will|'ve| have|'m| am|'re| are| can| shall)?(?: \w+){0,2}? (?:contact|call|phone|ring"
    r"|email|message|chase|speak|talk|raise|pass|forward|transfer|put you through|connect|ask|get in touch|reach out"
    r"|arrange|book|send|escalate|follow|move you|put you|hand you|introduce|report|refund|flag|notif|inform"
    r"|shar(?:e|ed|ing) (?:your|the|this|it)|log|lodg|open|submit|fil(?:e|ed))\w*\b"
    r"|\b(?:I|we)\b[^.,;]{0,40}\b(?:for you|on your behalf)\b"
    r"|\bstay (?:on the line|with you|on the"
    r" chat)\b",
    re.IGNORECASE,
)
"""The writer doing the contacting: ownership, not a handoff."""
_NOT_NEEDED_RE = _Lazy(
    r"\b(?:no need|don'?t need|won'?t need|do not need|will not need|never need|shouldn'?t need|without having|you"
    r" don'?t have|you won'?t have)\b",
    re.IGNORECASE,
)
_WORDS_TO_TARGET = 5
"""How far after "contact" its object may be ("contact the seller", "get in touch with the team at
Brevo directly"): a clause's object, not the next clause's."""


_REACH = 120
"""How many characters around a word its role's other words are looked for (a few words either
side: "down to" before the actor, "the seller" after "contact"). A bound, so a draft of one
endless sentence is read in linear time."""


def _near_after(sentence: str, end: int, start: int) -> bool:
    if start - end > _REACH:
        return False
    between = sentence[end:start]
    return len(between.split()) <= _WORDS_TO_TARGET and not re.search(r"[.;:!?]|\b(?:and|but|then|or)\b", between)


_BUCK_CUES = ("worth", "word with", "chat with", "claim", "apply", "request", "through", "instead", "help section",
              "help centre", "contact centre", "call centre", "form", "start a new", "open a new", "right people",
              "right team", "directed", "addressed", "contact", "reach", "touch", "call", "phon", "ring", "mail",
              "writ", "messag", "speak", "talk", "rais",
              "tak", "back", "return", "pop", "visit", "head", "go", "check", "chat", "giv", "open", "log", "submit",
              "fil", "lodg", "handl", "deal", "look", "care", "responsib", "placed", "the one", "the best", "help",
              "able to", " by", "one for", "question for", "matter for", "for you", "sits", "lies", "rests", "falls",
              "only", "just", "out of", "beyond", "outside", "here", "try", "come", "finished", "closed",
              "left", "discretion", "social", "twitter", "facebook", "instagram", "access", "process",
              "discuss", "inbox", "mailbox", "number", "replies", "respond", "up to", "best people", "best person",
              "right people", "right person", "can't be", "cannot be", "can not be", " here")  # fmt: skip
"""Words without one of which a sentence sends no one elsewhere (see ``_TALKING_DOWN``)."""


_CONDITION_RE = _Lazy(r"\b(?:if|in case|should|whether)\s+(?:\w+\s+)?(?:you)?$", re.IGNORECASE)
"""What makes the customer's act a condition ("if you entered anything"), not a fault."""
_IF_YOU_RE = _Lazy(r"\s*(?:if|should|whenever|in case) (?:you|it|the|your|anything|there)\b", re.IGNORECASE)
_ONE_MORE_WAY_RE = _Lazy(r"\b(?:also|or)\s+$", re.IGNORECASE)


def _offered(sentence: str, at: int) -> bool:
    """Whether a way to reach us (at ``at``) is offered for later, not given as the way on: after a
    condition ("if the pain isn't easing, give us a ring") or as one more way ("you can also call us")."""
    return bool(_IF_YOU_RE.match(sentence) or _ONE_MORE_WAY_RE.search(sentence, 0, at))


_OFFER_RE = _Lazy(r"\b(?:any )?(?:other |more |further )?(?:questions|queries)\s*\?\s*$", re.IGNORECASE)
"""A question just before ("Questions? Call us on ..."): a number offered for more, not the customer sent away."""


def passes_buck(sentence: str, public: bool, following: str = "", before: str = "") -> Reading | None:
    """Whether the sentence sends the customer elsewhere (another firm, another of our queues,
    another day) or says the problem is someone else's."""
    lower = sentence.lower()
    if not any(cue in lower for cue in _BUCK_CUES):
        return None
    if _NOT_NEEDED_RE.search(sentence) or to_private_channel(sentence) or _OFFER_RE.search(before):
        return None
    if emergency(sentence):  # "leave the flat and call the gas emergency line": the right move
        return None
    owned = _WE_ACT_RE.search(sentence)
    everyone = actors(sentence)
    named = [actor for actor in everyone if actor.kind == "named"]
    starts = [actor.start for actor in named]
    for sent in _SENT_RE.finditer(sentence):
        if owned and owned.start() < sent.end():
            break  # "I'll contact the courier for you": the writer acts
        if not re.search(r"[a-z]", sent.group("directive"), re.IGNORECASE) and sent.start("redirect") > sent.end(
            "directive"
        ):
            continue  # ", who will visit the restaurant": a clause about someone else, not an imperative
        end = sent.end("redirect")
        after = bisect_left(starts, end)
        target = next(((a.start, a.end) for a in named[after : after + 1] if _near_after(sentence, end, a.start)), None)
        other = _OTHER_TARGET_RE.search(sentence, end, end + _REACH) if target is None else None
        if other is not None and _near_after(sentence, end, other.start()):
            target = other.span()
        if target is not None and _OUR_OTHER_CHANNEL_RE.match(sentence, target[0]) is None:
            return Reading("pass-the-buck", sent.start(), target[1])
        ours = _OUR_OTHER_CHANNEL_RE.search(sentence, end, end + _REACH)
        if ours is None or not _near_after(sentence, end, ours.start()):
            continue
        # One of our own channels: a shuffle when the customer is told to go there, and in
        # public, where the reply should move to a private message, unless it is a safety line
        # to ring at once.
        if _offered(sentence, sent.start("redirect")) and not _OBLIGED_RE.search(sentence[sent.start() : ours.end()]):
            continue  # "you can also call us on ...", "if you're unsure, call us on ...": another way, offered
        if (_OBLIGED_RE.search(sentence[sent.start() : ours.end()]) or public) and not _URGENT_RE.search(sentence):
            return Reading("pass-the-buck", sent.start(), ours.end())
    if owned or _WE_ACT_RE.match(following.lstrip()):
        return None  # "handled by our network team, so I've passed them your case": owned
    for actor in named + [actor for actor in everyone if actor.kind == "pronoun"]:
        handles = _HANDLES_RE.match(sentence, actor.end)
        named_text = sentence[actor.start : actor.end].lower()
        person = named_text.split()[-1].removesuffix("'s").removesuffix("s") in _PEOPLE
        if handles is None and not named_text.startswith(("our ", "we")) and not person:
            handles = _THEY_WILL_RE.match(sentence, actor.end)
        if handles:
            return Reading("pass-the-buck", actor.start, handles.end())
        if _BELONGS_RE.search(sentence, max(0, actor.start - _REACH), actor.start):
            return Reading("pass-the-buck", max(0, actor.start - 20), actor.end)
    for pattern in (_ELSEWHERE_RE, _LATER_RE):
        match = pattern.search(sentence)
        if match and _offered(sentence, match.start()) and re.search(r"\b(?:us|our)\b", match.group(), re.IGNORECASE):
            continue  # "if the pain isn't easing, give us a ring and we'll see you": us, offered for later
        if match:
            return Reading("pass-the-buck", match.start(), match.end())
    refused = _REFUSED_HERE_RE.search(sentence)
    if refused and _REDIRECT_RE.search(" ".join((before, sentence, following))):
        return Reading("pass-the-buck", refused.start(), refused.end())
    return None


# -- talking down -------------------------------------------------------------------------------

_REMINDS_RE = _Lazy(
    r"\bas (?:I|we|my colleague|our team|the agent|you were)(?:'ve| have| had)? (?:already |previously |clearly )?"
    r"(?:said|stated|explained|told you|pointed out|informed you|advised|mentioned)(?= (?:before|already|previously"
    r"|earlier|in|on|twice|several|more))"
    r"|\bas (?:previously |already |clearly )?(?:stated|explained|mentioned|advised|outlined|pointed out)"
    r" (?:before|already|previously|earlier|in (?:my|our|the) (?:last|previous|earlier|other)|on (?:several"
    r"|multiple))\b"
    r"|\bas per (?:my|our) (?:last|previous|earlier) (?:email|message|reply|letter|text|call|chat)\b"
    r"|\bas (?:previously|already) (?:advised|stated|explained|mentioned|discussed|confirmed|said)\b"
    r"|\bas (?:mentioned|stated|explained|outlined|noted|shown) (?:in|on) (?:our|the|my) (?:pinned|previous|earlier"
    r"|last"
    r"|other) (?:post|tweet|message|email|reply|update|thread)\b"
    r"|\b(?:already|previously) (?:told|explained|said|informed|advised|mentioned) (?:to )?(?:you|this|that)\b"
    r"|\b(?:I|we)(?:'ve| have| had)? (?:already )?(?:told|explained|said|mentioned) (?:you |this |that "
    r"|it )?(?:twice|before|several times|more than once"
    r"|multiple times|(?:two|three|four|2|3|4) times|again and again)\b"
    r"|\bfor the (?:second|third|fourth|fifth|last|umpteenth|hundredth) time\b"
    r"|\b(?:I|we) (?:must|have to|need to|would like to) (?:remind|reiterate)\b"
    r"|\bplease (?:re-?read|refer (?:back )?to) (?:my|our|the) (?:previous|last|earlier)\b"
    r"|\blike I (?:said|mentioned|told you|explained)\b|\b(?:just )?to remind you\b|\btry to remember\b"
    r"|\bfor future reference\b|\b(?:we'?d|we would|I'?d|I would) (?:kindly |like to )?remind you\b"
    r"|\b(?:it'?s|it is) (?:always )?worth remembering\b|\b(?:took|take) the time to read\b"
    r"|\bas (?:[\w>()-]+ ){0,6}?(?:in|on) my (?:previous|last|earlier|other) (?:email|message|reply|letter|response)\b"
    r"|\bas (?:clearly )?(?:stated|explained|outlined|mentioned) (?:in|on) (?:your|the) (?:[\w-]+ )?"
    r"(?:confirmation|email|letter)\b",
    re.IGNORECASE,
)
"""Reminding the customer they were told."""
_REPROACH_RE = _Lazy(
    r"\b(?:had you|if you(?:'d| had)(?: only)?|(?<!warning )(?<!telling )(?<!sent )(?<!text )(?<!email )you"
    r" (?:should|could|ought to)(?:'ve| have)|you would(?:'ve| have)"
    r" (?:seen|known|noticed|found|read))\s+(?:\w+\s+)?(?:read|checked|looked|followed|used|seen|noticed|known|called"
    r"|booked|kept|taken|entered|contacted|updated|arrived|paid|gone|come|done|chosen|selected|opted|asked|told"
    r"|listened"
    r"|waited|double-checked|clicked|opened|tapped|scrolled|logged in|replied|responded|measured|ticked)\b",
    re.IGNORECASE,
)
"""What the customer should have done."""
_WAVES_OFF_RE = _Lazy(
    r"\bcalm down\b|(?:\b(?:please|just|simply|try to|need you to|you need to|you must)|^|[.!?:]) *(?:be|stay"
    r"|remain) (?:patient|calm|reasonable)\b"
    r"|\blike (?:everyone|everybody|all (?:our|the) (?:other )?customers|any other customer) else\b"
    r"|\b(?:works?|worked|working|is|was) (?:perfectly |absolutely )?(?:fine|ok|okay|well) (?:\w+ ){0,2}?for"
    r" (?:everyone|everybody|all (?:our|the) (?:other )?customers)(?: else)?\b"
    r"|\b(?:fixes|fixed|sorts|sorted|solves|solved) it for (?:pretty much |nearly |almost |basically |literally )"
    r"(?:everyone|everybody)\b|\bworks? (?:\w+ ){0,2}?for (?:everyone|everybody) else\b"
    r"|\b(?:it'?s|that'?s|this is) (?:just |simply |all )?(?:part (?:and parcel )?of|the nature of) (?:flying|travel\w*"
    r"|life|shopping online|online shopping|owning \w+|the (?:job|process|experience|service))\b"
    r"|\b(?:there'?s )?no (?:need|call) for (?:that|the|this|such) (?:tone|language|attitude|behaviour|behavior)\b"
    r"|\bno need to (?:shout|be rude|get (?:upset|angry|worked up|cross)|swear|raise your voice|take that tone)\b"
    r"|\bit happens to (?:everyone|everybody|all of us|the best of us)\b"
    r"|\bthat'?s (?:just )?(?:life|how it is|the way it is|how it goes)\b"
    r"|\b(?:let'?s (?:all )?)?(?:take a (?:deep )?breath|relax)\b"
    r"|\b(?:chasing|calling|complaining|shouting|messaging|emailing|getting (?:worked up|upset|angry|cross|annoyed))"
    r" (?:us )?(?:again |repeatedly |every day )?"
    r"(?:won'?t|will not|doesn'?t|does not|isn'?t going to) (?:make|speed|help|change|get)\b",
    re.IGNORECASE,
)
"""Waving the customer off: calm down, be patient, like everyone else, that's life."""
_BELITTLES_RE = _Lazy(
    r"\bI'?m sure you(?:'ll| will)? (?:appreciate|understand|agree|be aware) that\b|\bas a valued customer,? you(?:'ll"
    r"| will)? (?:understand|appreciate)\b|\bas (?:I'?m sure )?you(?:'re| are) (?:no doubt )?aware\b|\byou may not be"
    r" aware,? but\b|\bthan most customers\b|\bif you (?:take|have) a (?:quick |closer )?look at the (?:timetable|terms"
    r"|page|email|website|FAQs?|instructions|tracking|confirmation)\b|\b(?:walk|talk) you through (?:this|it) slowly\b"
    r"|\bit'?s always best to\b(?:[^.!?]{0,40})\bbefore\b"
    r"|\b(?:page|website|site|email|terms|confirmation|listing|app|checkout|receipt|ticket|booking|invoice|description"
    r"|label|instructions|guide|FAQs?) (?:lists|shows|states|explains|says|sets out|spells out|displays|mentions)"
    r" (?:\w+ ){0,3}?(?:clearly|plainly)\b"
    r"|\b(?:would|could|might) have been (?:worth|wise|a good idea|better|sensible|best) (?:to )?\w+"
    r"|\byou (?:obviously|clearly)\b|\bobviously,? you\b|\bas you (?:can |should |will )?(?:clearly )?(?:see|know"
    r"|be aware|are aware)\b(?! (?:from|in|on) (?:the|our|your) (?:email|message|app|account|link|tracking))"
    r"|\bit (?:says|said|states|stated) (?:so |this |that )?(?:clearly |very clearly )?(?:when you|on the|in the"
    r"|at the)\b"
    r"|\b(?:please |kindly )?(?:read|re-?read) (?:the|our|my) (?:email|message|terms|FAQs?|instructions|confirmation"
    r"|policy|small print|T&Cs)\b"
    r"|\b(?:you|people) (?:need|have) to (?:understand|realise|realize|accept)\b"
    r"|\bwhat (?:more|else) (?:do|did|can|could) you (?:want|expect)\b"
    r"|\bif you (?:\w+ ){1,3}?(?:properly|correctly|carefully)\b|\b(?:clearly|plainly) (?:shown|stated|displayed"
    r"|printed"
    r"|explained|written|marked|listed|set out|visible)\b|\b(?:before \w+ing|\w+ing) next time\b"
    r"|\b(?:it'?s|it is|that'?s|this is) (?:really |actually |quite |pretty |very |honestly |just |so )+(?:simple"
    r"|basic|straightforward"
    r"|obvious)\b|\b(?:most|other|all|many) (?:users|customers|people|members|guests"
    r"|players|passengers|clients|sellers) (?:fix it themselves|sort it themselves|manage it themselves|work it out"
    r"|figure it out|manage|find it|know"
    r"|understand)\b|\b(?:still )?can'?t manage (?:it|that|this)\b"
    r"|\b(?:always )?(?:a good idea|worth) (?:to )?(?:check|read|look|having a (?:read|look))\w*(?:\s+\w+){0,4}?"
    r" (?:first|before)\b|\bwouldn'?t worry (?:about it|too much)\b|\b(?:is|'s) actually (?:quite |pretty |very "
    r")?(?:normal|standard|usual|expected|fast|quick|good)\b|\bI hope you understand\b"
    r"|\b(?P<same>[a-z]+(?:-[a-z]+)?) means (?P=same)\b"
    r"|\b(?:we|I)(?:'d| would) always (?:recommend|advise|suggest|encourage)\b"
    r"|\b(?:I'?m sure )?you(?:'ll| will) (?:appreciate|understand)(?: that)? (?:we|our|this|it|there)\b"
    r"|\b(?:we|I) did (?:actually |in fact |already )?(?:email|tell|text|write to|send|inform|let you know|explain"
    r"|mention)\w*\b"
    r"|\b(?:once you'?ve|after you'?ve|when you'?ve) had a (?:proper|good|careful|closer) (?:read|look)\b"
    r"|\b(?:read|check)\w* (?:\w+ ){0,3}?(?:carefully|properly|thoroughly) before\b"
    r"|\bin simple terms\b|\b(?:to recap|to repeat) (?:once more|again)\b|\bthat'?s all there is to it\b"
    r"|\bto be fair,? (?:this|that|it) (?:was|is|has been) (?:covered|explained|mentioned|included|listed)\b"
    r"|\b(?:per|as per|under|according to|in line with) (?:our |the |your )?(?:[\w-]+ ){0,2}?(?:policy|terms|conditions"
    r"|T&Cs|contract|agreement)(?: and conditions)?,? (?:which |that )?you (?:agreed to|accepted|signed)\b"
    r"|\b(?:it'?s|it is) (?:much |a lot |really )?easier than (?:it looks|you think|it seems)\b|\bcan be (?:a bit |a"
    r" little |quite )?(?:daunting|confusing|tricky|overwhelming) (?:at first|for some)\b"
    r"|\b(?:a )?common (?:oversight|mistake|error|slip)\b|\bshouldn'?t have come as a surprise\b"
    r"|\bwith (?:all due )?respect\b|\bno offen[cs]e,? but\b|\blet me break (?:it|this|that) down\b"
    r"|\bthat'?s not (?:really |quite |actually )?how (?:\w+ ){1,2}?works\b|\bmakes? (?:more )?sense now\b"
    r"|\b(?:this|that|it)(?:'s| is) (?:a |an )?(?:really |very |pretty |super )?(?:basic|simple|easy) one\b(?! to \w)"
    r"|^\W*(?:again|once again),? (?!sorry|apolog|thank|my apologies|we'?re sorry|I'?m sorry)"
    r"|\b(?:make sure|ensure|remember)\b[^.!?]{0,60}?\bthis time\b|\bjust so we'?re on the same page\b"
    r"|\bso you know for next time\b|\bplease (?:don'?t|do not) (?:contact|call|message|chase|email)"
    r" us again\b|\bnothing to it\b|\byou(?:'ll| will)? no doubt (?:know|be aware|have seen|have noticed)\b"
    r"|\bas an? (?:experienced|regular|long-standing|seasoned|frequent) \w+,? you(?:'ll| will| would)?\b"
    r"|\b(?:is|was|are|were) (?:covered|explained|answered|set out) in (?:the|our) (?:FAQs?|guide|article|help centre"
    r"|help center|docs|documentation|email|link|post) (?:we|I) (?:linked|sent|shared|gave|posted)\b"
    r"|\b(?:hi|hello|hey|dear) \w+,\s*(?:again|once again),"
    r"|\b(?:make sure|ensure)\b[^.!?]{0,60}?\b(?:next time|in future|in the future|going forward)\b"
    r"|\b(?:page|website|site|email|terms|confirmation|listing|app|checkout|receipt|ticket|booking|invoice|description"
    r"|label|instructions|guide|FAQs?) (?:clearly|plainly) (?:lists|shows|states|explains|says|sets out|spells out"
    r"|displays|mentions|showed|stated|said)\b"
    r"|\b(?:read|check|look)\w* (?:\w+ ){0,3}?(?:more )?(?:carefully|properly|closely) (?:in future|next time|in the"
    r" future)\b|\b(?:in future|next time),? (?:please )?(?:make sure|ensure|remember|check|read|try)\b",
    re.IGNORECASE,
)
"""Belittling what they found hard: it's really quite simple, it's clearly shown, read the email."""
_TALKING_DOWN = (
    (_REMINDS_RE, ("future reference", "remind", "remember", "time to read", "as i ", "as we ", "as my ",
                   " my previous", " my last", " my earlier", " my other", "as set out", "as noted", "pinned",
                   "as our ", "as the ", "as you were", "as previously", "as already",
                   "as clearly", "as stated", "as explained", "as mentioned", "as advised", "as outlined",
                   "as pointed", "as per my", "already", "previously", "told", "said", "explained", "mentioned",
                   " time", "remind", "reiterate", "refer", "like i", "remember")),
    (_REPROACH_RE, ("had you", "if you", "you should", "you could", "you ought", "you would", "you'd")),
    (_WAVES_OFF_RE, ("calm", "patient", "reasonable", "else", "no need", "no call", "happen", "life", "how it",
                     "way it", "won't", "will not", "doesn't", "does not", "isn't going", "everyone", "everybody",
                     "customers", "part of", "nature of")),
    (_BELITTLES_RE, ("sure you", "valued customer", "aware", "most customers", "quick look", "closer look",
                     "slowly", "always best", "obvious", "clearly", "as you", "says", "said", "state", "read",
                     "understand", "realis",
                     "realiz", "accept", "what more", "what else", "properly", "correctly", "carefully", "plainly",
                     "next time", "simple", "basic", "straightforward", "most ", "other ", "all ", "manage",
                     "good idea", "worth", "worry", "actually", "hope you", " means ", "always", "future", "forward",
                     "appreciate", "did ", "proper", "careful", "thorough", "simple", "once more", "all there is",
                     "to be fair", "agreed to", "accepted", "signed", "easier than", "daunting", "confusing",
                     "tricky", "overwhelming", "common", "surprise", "respect", "offen", "break it", "break this",
                     "break that", "how ", "sense now", "basic", "easy", "again", "this time", "same page",
                     "next time", "don't contact", "do not contact", "don't call", "nothing to it", "no doubt",
                     "experienced", "regular", "long-standing", "seasoned", "frequent", "covered in", "explained in",
                     "answered in", "set out in", "members", "guests", "players", "passengers", "clients",
                     "sellers", "printed",
                     "next time")),
)  # fmt: skip
"""Each way of talking down, with words without one of which a sentence cannot hold it (a word
looked up costs far less than an expression compiled and run)."""


def talks_down(sentence: str) -> Reading | None:
    """Whether the sentence reproaches, reminds or waves off the customer."""
    lower = sentence.lower()
    for pattern, cues in _TALKING_DOWN:
        match = pattern.search(sentence) if any(cue in lower for cue in cues) else None
        if match:
            return Reading("condescension", match.start(), match.end())
    return None


# -- policy as a wall ------------------------------------------------------------------------------

_RULE = (
    r"(?:policy|policies|terms(?: and conditions)?|T&Cs|T ?& ?Cs|conditions|rules?|guidelines|procedures?|process"
    r"|promise"
    r"|scheme|guarantee"
    r"|system|regulations|contract|tariff|fare rules|booking conditions)"
)
_NOT_REFUSING = (
    r"(?:see|find|locate|trace|spot|tell|say|imagine|believe|wait|thank|apologi[sz]e|stress|emphasi[sz]e|promise"
    r"|guarantee|confirm yet|reach|get through|contact|access|load|hear|understand|work out|reproduce|recreate"
    r"|open (?:the |your |it|that|this )?(?:file|attachment|link|document|page|app|image|photo|email|it\b)"
    r"|replicate|think|help but|blame|fault|argue|disagree|agree|stop|lie|pretend|undo what|deny|ignore|be sure"
    r"|be certain|know|predict|speak for|comment on why|put into words|express|do without|take (?:a|your) (?:call"
    r"|payment)|log|sign|connect|verify|identify|match (?:it|this|that) to|pull up|view|read|download|display"
    r"|seem|quite|currently|yet|always|usually|really|even|easily|immediately|instantly|control"
    r"|hold (?:it|them|items) indefinitely)\b"
)
"""What the writer cannot do that refuses nothing: find, see, reach, imagine, thank enough."""
_WALL_RE = _Lazy(
    r"\b(?:our|the|their|company|these|those|my)\s+(?:[\w-]+\s+){0,2}?"
    + _RULE
    + r"\s+(?:simply |just |unfortunately |sadly )?"
    r"(?:don'?t|doesn'?t|won'?t|will not|do not|does not|can'?t|cannot|wouldn'?t|would not)\s+(?:\w+\s+)?(?:allow|let"
    r"|permit|cover|accept|support|extend|include|provide for)\b"
    r"|\b(?:I|we)(?:'m| am|'re| are)? (?:not able|unable|not allowed|not permitted|not authori[sz]ed) to (?:override"
    r"|make (?:an )?exceptions?|go against|bend|change (?:the|our) (?:rules|terms|policy)|waive|overrule)\b"
    r"|\b(?:I|we) (?:can'?t|cannot|won'?t|will not|couldn'?t|could not) (?:override|make (?:an |any )?exceptions?"
    r"|go against|bend the rules|overrule|change (?:the|our) (?:rules|terms|policy))\b"
    r"|\b(?:is|are|was|were) (?:strictly |completely |fully )?(?:non-?refundable|non-?transferable|non-?returnable"
    r"|non-?exchangeable|final sale)\b"
    r"|\b(?:no exceptions|without exception|under no circumstances|under any circumstances|in any circumstances)\b"
    r"|\b(?:it'?s|that'?s|this is|which is) (?:all |clearly |explained |set out |laid out )?in the (?:T&Cs|terms"
    r"(?: and conditions)?|contract|agreement|small print)(?: you (?:agreed to|signed|accepted))?\b"
    r"|\b(?:that'?s|this is|it'?s|that is) (?:just |simply )?(?:the|our) (?:process|procedure)\b"
    r"|\b(?:does|do|will|would)(?:n'?t| not) apply (?:to|on|for|during|in|within|until|before|after)\b"
    r"|\bonly (?:works|applies|appl(?:y|ies) to|valid"
    r"|available|eligible) (?:on|for|to|with|if|when)\b|\bis only (?:valid|available|eligible)\b"
    r"|\bwe (?:don'?t|do not|cannot|can'?t) (?:guarantee|accept|allow|refund|issue refunds|offer refunds|give refunds"
    r"|do refunds|make exceptions)\b"
    r"|\b(?:policy|policies|terms(?: and conditions)?|T&Cs|conditions|rules|contract|agreement) (?:clearly )?(?:state"
    r"|states|say|says|stipulate|stipulates|specify|specifies) (?:that )?[^.!?]{0,60}?"
    r"\b(?:can'?t|cannot|not|no|won'?t)\b"
    r"|\bcan(?:'?t|not) be (?:removed|changed|refunded|waived|rearranged|reversed|cancel+ed|amended|moved|returned"
    r"|exchanged|transferred|overridden|extended|reopened|reviewed|bypassed|skipped|changed)\b"
    r"|\bunder (?:your|the|our) (?:agreement|contract|terms|policy)\b|\b(?:will|must|has to) stand\b"
    r"|\bpart of the (?:contract|agreement|terms) you (?:agreed|signed)\b|\b(?:we|I) can only (?:accept|offer|do|give"
    r"|issue|process"
    r"|refund|exchange|help)\b|\bthere'?s no way (?:I|we) can\b|\b(?:I'?m|I am|we'?re|we are) not able to (?:review"
    r"|reconsider|share|change|override|discuss)\b|\bwe (?:don'?t|do not) do \w+"
    r"|\b(?:is|are) between you and (?:the|them|your)\b|\b(?:terms|policy|rules|T&Cs) make (?:that|this|it) clear\b"
    r"|\bas per (?:the|our) (?:[\w-]+ ){0,3}?(?:conditions|terms|policy|rules|contract|T&Cs)\b"
    r"|\b(?:decision|position) (?:remains|is|stays) (?:unchanged|the same)\b|\bwe (?:will|'ll) not be (?:reconsidering"
    r"|reviewing|revisiting|changing)\b|\bthe matter is (?:now )?closed\b|\bwe trust"
    r" this clarifies\b|\b(?:is|was|are) in line with (?:our|the|your) (?:[\w-]+ )?(?:policy|terms|rules|procedure"
    r"|process|agreement"
    r"|contract|policy documents|terms and conditions)\b"
    r"|\bstandard (?:procedure|practice|process|policy)\b|\bonly (?:covers?|applies|extends) (?:to )?\b"
    r"|\b(?:not|never) (?:permitted|allowed) under (?:the|our)\b|\bwe (?:have|need) to follow (?:the|our) (?:process"
    r"|procedure|policy|rules)\b"
    r"|\bcan(?:'?t|not) be \w+ed\b|\b(?:are|is|can) only (?:be )?\w+ed\b|\bonly (?:available|open|offered|valid) to\b"
    r"|\b(?:policy|rule|procedure|process|position) is that\b|\b(?:the|our) decision (?:stands|remains)\b"
    r"|\b(?:doesn'?t|does not|don'?t|do not) meet (?:our|the) (?:[\w-]+ )?(?:level|criteria|threshold|requirements"
    r"|standard)\b|\b(?:we'?re|we are|I'?m|I am)(?: therefore)? unable to (?:refund|offer|provide|give|accept|change"
    r"|cancel|waive|assist|help|reduce|remove|do|reverse|extend|reopen|credit)\b"
    r"|\bwe (?:don'?t|do not) (?:offer|provide|give|accept|allow|guarantee|refund|prorate|price[- ]match|issue)\b"
    r"|\bthat'?s (?:just )?(?:the way|how) it works\b|\b(?:isn'?t|is not|not) something we (?:offer|do|provide"
    r"|allow)\b"
    r"|\b(?:isn'?t|aren'?t|is not|are not|wouldn'?t be|would not be) (?:possible|available|permitted|allowed|an option"
    r"|payable|due|applicable|refundable|claimable|owed)"
    r"(?= (?:after|for|on|with|once|in|at|if|unless|when|beyond|outside|here|online|this)\b|[.!])"
    r"|\b(?:we'?re|we are|I'?m|I am) only able to (?:offer|give|provide|refund|credit|do|accept)\b"
    r"|\b(?:doesn'?t|don'?t|does not|do not|didn'?t|did not) (?:qualify|meet the (?:criteria|requirements))\b"
    r"|\b(?:isn'?t|aren'?t|is not|are not|you'?re not|you are not|not) eligible\b|\bineligible\b"
    r"|\b(?:is|are) (?:excluded|not covered|not included)\b|\bfalls? outside (?:the|your|our) (?:\w+ )?(?:cover|policy"
    r"|terms|window|period|scope|criteria)\b|\b(?:is|are) only (?:payable|available|offered|given|valid)\b"
    r"|\b(?:the|this|that) (?:[\w-]+ )?(?:charge|fee|price|penalty|amount|bill|payment|invoice|fine|debit"
    r"|decision|outcome|cancellation)s? (?:therefore |still |must |will )?(?:is correct|stands\b|remains? (?:payable"
    r"|due|in place|unchanged)|will (?:remain|stand|stay))\b"
    r"|\bcan'?t be done (?:over the phone|online|in (?:store|branch)|here|by email|on chat)\b"
    r"|\bthat'?s (?:just )?how (?:our|the) \w+ works\b|\bthat'?s not something we (?:offer|do|provide)\b"
    r"|\b(?:that|it|this)(?:'s| is) (?:just |simply )?how (?:\w+ ){1,2}?works?(?: here)?\b"
    r"|\bdecision (?:is|was) final\b|\bthere'?s no way (?:around|round) (?:it|that|this)\b"
    # A remedy refused: the writer unable to give it, a request turned down, no exception made.
    r"|\b(?:I|we)(?:'m| am|'re| are)? (?:(?:just |simply )?not in a position|not able|unable|won'?t be able|will not"
    r" be able|aren'?t able|are not able|am not able|can(?:'?t|not)|couldn'?t|could not|won'?t|will not)"
    r"(?: to)? (?:offer|give|provide|issue|process|refund|reimburse|compensate|credit|waive|honou?r|grant|match|approve"
    r"|authori[sz]e|extend|reverse|reinstate|replace|exchange|accept|uphold|cover|pay|guarantee|restore|raise|reopen"
    r"|reconsider|proceed with|progress|pursue|help (?:any )?further|assist (?:any )?further|do (?:anything|any more)"
    r"|take (?:this|it|the matter|your \w+) (?:any )?further|make (?:a |an |any )?(?:refund|payment|gesture|exception"
    r"|adjustment))\b"
    r"|\b(?:we'?re|we are|I'?m|I am)(?: therefore| also)? (?:not|under no) (?:obliged|obligated|required|liable)\b"
    r"|\b(?:can(?:'?t|not)|unable to|not able to|aren'?t able to|are not able to|won'?t be able to) (?:help|assist|do"
    r" (?:anything|more)|increase|raise|lower|reduce|extend|change|offer)(?: [\w-]+){0,4}? (?:on this occasion|at this"
    r" (?:time|stage|point)|with this one|in this (?:case|instance))\b"
    r"|\bnothing (?:more |further |else )?(?:that )?(?:can|could) be done\b"
    r"|\b(?:are|is) not (?:considered|accepted|reviewed|processed|eligible|honou?red)\b"
    r"|\bunder (?:regulation|section|clause|rule|condition|paragraph|article) \d"
    r"|\b(?:decision|outcome) (?:is|was) based on (?:our|the) (?:[\w-]+ ){0,2}?(?:criteria|policy|policies|rules"
    r"|guidelines|assessment)\b"
    r"|\b(?:is|are) (?:limited|capped|restricted) to\b"
    r"|\b(?:all|every|each) [\w-]+s? (?:carry|carries|have|has|require|requires|come with|comes with) (?:a|an)"
    r" (?:\d+[- ]day |minimum |mandatory )?(?:notice period|minimum term|fee|charge|penalty)\b"
    r"|\b(?:that|the|this) (?:[\w-]+ )?window has (?:now )?(?:passed|closed|expired)\b"
    r"|\b(?:is|are) set out in (?:the|your|our) (?:terms|contract|agreement|policy|conditions)\b"
    r"|\b(?:a|an|the|this|that) (?:[\w-]+ ){0,3}?(?:fee|charge|penalty)s? (?:of [£$€]?[\d.,]+ )?(?:applies|apply)\b"
    r"|\bregardless of (?:the )?(?:reason|circumstances)\b"
    r"|\bthere(?:'s| is) no (?:obligation|requirement) (?:on us|for us)\b"
    r"|\b(?:wouldn'?t|would not|won'?t|will not) (?:qualify|be eligible|be covered|meet the)\b"
    r"|\bno further (?:action|steps?|refunds?|compensation|credit) (?:can|will|could) be (?:taken|made|offered|given"
    r"|issued|processed)\b|\bno further \w+ (?:is|are|would be) (?:possible|available|due|payable)\b"
    r"|\bthat'?s (?:just )?(?:how|the way) (?:the|our) (?:[\w-]+ ){1,2}?(?:works|is set up|is designed|operates)\b"
    r"|\b(?:is|are|was) (?:purged|deleted|closed|forfeited|lost|void|voided|cancel+ed) (?:automatically )?after"
    r" (?:\d+|the|a|an|one|two|three) [^.!?]{0,30}?\b(?:per|under|in line with|as per) (?:our|the)\b"
    r"|\b(?:I|we) (?:must|have to|will have to|'ll have to|need to) (?:respectfully |politely )?decline\b"
    r"|\b(?:request|claim|application|appeal|complaint|refund|dispute|case)s? (?:has|have|had)? ?(?:been |was |were"
    r" |is |are )(?:declined|rejected|refused|denied|turned down|not upheld|unsuccessful)\b"
    r"|\b(?:won'?t|will not|can'?t|cannot|aren'?t|are not|'re not|am not|'m not) (?:be )?making (?:an |any )?"
    r"exceptions?\b|\bnon-?negotiable\b|\bnot (?:up for|open to) (?:discussion|negotiation|debate)\b"
    r"|\ball (?:sales|bookings|purchases|orders|tickets) are final\b"
    r"|\b(?:we'?re|we are|I'?m|I am) (?:strictly )?bound by (?:the|our|these|those)\b"
    r"|\b(?:we|I) (?:only|just) (?:offer|accept|refund|give|issue|exchange|provide|cover|allow|honou?r) "
    r"|\b(?:is|are) final\b|\b(?:that'?s|it'?s|this is|it was|that was) (?:a|the) (?:decision|call) (?:from|made by"
    r"|taken by|of) (?:head office|management|senior management|the business|our (?:[\w-]+ )?team)\b"
    r"|\bwon'?t be (?:looked at|reviewed|reconsidered|revisited) again\b",
    re.IGNORECASE,
)
"""A rule, a system or a decision given as the answer: a wall, unless a reason or a way on comes with it."""
_REFUSED_RE = _Lazy(
    r"\b(?:I|we)(?:'m| am|'re| are)? (?:(?:not |un)able to|not allowed to|not permitted to|can(?:'?t|not)"
    r"|won'?t be able to) (?!" + _NOT_REFUSING + r")[a-z]+\b",
    re.IGNORECASE,
)
"""Any other request refused by the writer ("I'm not able to keep the sofa reserved", "we can't go
above that"): a wall when nobody is sent on and nothing is offered instead."""
_SENT_ON_RE = _Lazy(
    r"\b(?:you'?ll|you will|you'?d|you would|you) (?:need|have) to\b|\b(?:please|kindly) (?:\w+ )?(?:contact|call|ring"
    r"|email|visit|speak|get in touch|raise|try|use|go|pop|head|submit|close|start|fill|complete|book|log|select|choose"
    r"|message|write|send|apply|reach out|open)\b|\btry again\b|\b(?:contact|speak to|get in touch with"
    r"|raise (?:it|this) with|go through|come from|submitted to|requested through|amended with)\b|\bwould need to\b"
    r"|\bneed you to\b|\b(?:suggest|recommend)\b|\b(?:transfer|pass|put) you (?:to|over|on|through)\b",
    re.IGNORECASE,
)
"""The customer sent on (to another firm, queue or day): passing the buck's to read, not a wall."""
_WAY_ON_RE = _Lazy(
    r"\b(?:but|however|instead|what (?:I|we|you) (?:can|could|will)|the good news|in the meantime|alternatively"
    r"|(?<!something )(?<!anything )(?<!nothing )(?:I|we)(?:'ll| will|'ve| have| can| could)\b(?!'t|\s+(?:not|never)\b)"
    r"|happy to|glad to|because|since|so that(?!'s)"
    r"|(?:I'?m|I am|we'?re|we are) (?:now )?(?:passing|transferring|putting|connecting|sending|arranging|booking"
    r"|raising"
    r"|escalating|adding|refunding|crediting|looking|checking|offering)"
    r"|(?<!able )(?:to keep|to protect|to (?:stop|prevent|avoid|guard against))"
    r"|for your safety|for security|which means|as (?:the|it|this|that) (?:is|was|means)"
    r"|(?:could|can|would) you (?:please |just )?(?:send|reply|share|upload|forward|pop|let (?:me|us) know)"
    r"|(?:once|as soon as) you(?:'ve| have)? (?:send|sent|reply|replied|share|shared|upload|uploaded|forward))\b",
    re.IGNORECASE,
)
"""What the writer can do instead, or a reason: the rule explained, not used as a wall. Asking
for what the rule needs ("it can't be assigned without the date. Could you send it?") is the
way on."""
_ANYTHING_ELSE_RE = _Lazy(r"\b(?:is there )?anything else (?:I|we) can (?:do|help)(?: you)?(?: with)?\b", re.IGNORECASE)


_WALL_CUES = ("allow", "let ", "permit", "cover", "accept", "support", "extend", "include", "provide for", "override",
              "in the ",
              "exception", "go against", "bend", "waive", "overrule", "refundable", "transferable", "final",
              "circumstances", "process", "procedure", "apply", "only", "valid", "guarantee", "refunds", "state",
              "say", "stipulat", "specif", "can't be", "cannot be", "can not be", "under your", "under the",
              "under our", "between you", "make that clear", "make this clear", "make it clear", "stand",
              "part of the", "no way", "not able to", "don't do", "do not do", "as per", "remains", "reconsider",
              "closed", "clarifies", "in line with", "standard", "permitted", "follow the",
              "follow our", "possible", "available", "option", "only able", "qualify", "criteria", "requirements",
              "eligible", "excluded", "not covered", "not included", "outside", "payable", "correct", "remain",
              "can't be done", "how our", "how the", "something we", "can't be", "cannot be", "only", "is that",
              "stands", "meet", "unable", "don't", "do not", "way it works", "how it works", "position", "able",
              "can't", "cannot", "couldn", "could not", "won't", "will not", "decline", "reject", "refused",
              "denied", "turned down", "upheld", "unsuccessful", "exception", "negotiable", "discussion",
              "negotiation", "debate", "are final", "bound by", "only", "just offer", "just accept", "payable",
              "due", "applicable", "refundable",
              "claimable", "owed", "therefore", "still", "remain", "obliged", "obligated", "required", "liable",
              "obligation", "requirement", "qualify", "eligible", "no further", "how the", "way the", "how our",
              "way our", "purged", "forfeit", "void", "occasion", "at this", "this one", "this case",
              "this instance", "can be done", "could be done", "considered", "reviewed", "processed", "honour",
              "honor", "under ", "based on", "limited", "capped", "restricted", "returnable", "exchangeable",
              "in line", "carry", "carries", "require", "come with", "comes with", "window", "set out",
              "applies", "apply", "regardless")  # fmt: skip
"""Words without one of which a sentence holds no wall (see ``_TALKING_DOWN``)."""


_RULE_AGAIN_RE = _Lazy(
    r"\b(?:non-?refundable|non-?transferable|policy|policies|terms|conditions|rules|eligib\w*|qualif\w*|fare"
    r"|window|period|timeframe|time limit|deadline|minimum|maximum|allowance|contract|guidance|guidelines|requirements"
    r"|criteria|standards?|regulations?|standard across)\b",
    re.IGNORECASE,
)
"""A reason that only names the rule again: no reason to the customer."""
_EXPLAINED_RE = _Lazy(r"\s*:\s*(?:[\w'-]+\W+){4}")
"""The rule followed by a colon and what lies behind it: explained, not a wall."""


_CHANNEL_AFTER_RE = _Lazy(
    r"(?: [\w-]+){0,3}? (?:(?:over|by|via|on|through|in) (?:sms|text|email|e-mail|social media|socials|social|chat"
    r"|live chat|the phone|phone|twitter|this channel|this number)|here)\b",
    re.IGNORECASE,
)
"""What a refusal is refused on: "can't be lodged via email", "we can't process them here"."""


def _rule_again(text: str, reason: re.Match) -> bool:
    """Whether a reason (``reason`` in ``text``) only names the rule again ("as it was booked on a
    Saver fare, which is non-refundable")."""
    return bool(_REASON_RE.fullmatch(reason.group())) and bool(
        _RULE_AGAIN_RE.search(text, reason.end(), reason.end() + _REACH)
    )


def _explained(sentence: str) -> bool:
    """Whether the sentence gives a reason that is more than the rule again."""
    return any(not _rule_again(sentence, reason) for reason in _REASON_RE.finditer(sentence))


def way_on(after: str) -> bool:
    """Whether the words after a rule give a reason for it or something the writer can do
    instead ("I understand, but the rules don't allow it" is no way on, nor is "there's no way I
    can help" or "anything else?")."""
    after = _ANYTHING_ELSE_RE.sub(" ", after)
    return any(not _rule_again(after, way) for way in _WAY_ON_RE.finditer(after))


def walls(sentence: str, following: str = "", before: str = "") -> Reading | None:
    """Whether the sentence gives a rule, a system or a decision as the answer, with no reason
    and nothing the writer can do instead (in it or the two sentences after it)."""
    lower = sentence.lower()
    match = _WALL_RE.search(sentence) if any(cue in lower for cue in _WALL_CUES) else None
    if match is None and any(word in lower for word in ("able", "can", "won't")):
        match = _REFUSED_RE.search(sentence)
        if match is not None and _SENT_ON_RE.search(" ".join((before, sentence, following))):
            match = None  # "we can't change them from our end, you'll need to ...": the buck, passed
    if match is None or re.search(r"\b(?:if|unless|should|in case|whether)\b[^,.;]*$", sentence[: match.start()], re.I):
        return None  # "if the parcel can't be traced, ...": a condition, not an answer
    if _CHANNEL_AFTER_RE.match(sentence, match.end()) and _REDIRECT_RE.search(" ".join((before, sentence, following))):
        return None  # "complaints can't be lodged via email. Please use the form": buck-passing's to read
    # A reason anywhere, what the writer can do instead after the wall ("I understand, but the
    # rules don't allow it" is no way on, nor is "there's no way I can help" or "anything else?").
    if _explained(sentence) or way_on(sentence[match.end() :] + " " + following):
        return None
    if _EXPLAINED_RE.search(sentence, match.end()):
        return None
    return Reading("policy-wall", match.start(), match.end())


# -- promises with no time -----------------------------------------------------------------------

_PROMISE_RE = _Lazy(
    r"\b(?:I|we|someone|somebody|the team|they|who|our [\w-]+(?: team)?|an? (?:fix|refund|replacement|decision|reply"
    r"|response|update|outcome|answer)|it|(?:the|our|a|an) (?:[\w-]+ ){0,2}?(?:team|department|engineer|technician"
    r"|agent|advisor|adviser|specialist|manager|colleague|member of (?:the|our) (?:[\w-]+ )?team)"
    r"|(?:your|the) (?:case|request|complaint|claim|query|ticket|report|application|refund|return|order|documents"
    r"|payment|credit|replacement|fix|update|confirmation))(?:'\w+)?(?: \w+){0,4}?"
    r"(?: (?:will|shall|are going to|is going to|aim to|hope to)|'ll)(?: \w+){0,2}?"
    r" (?P<act>get back|reach out|get in touch|be in contact|text (?:you )?again|text you|email you|write to you"
    r"|call you"
    r"|ring you|confirm with you"
    r"|be in touch|update you|keep you (?:updated|posted|informed)|let you know|come back to you|contact you|reply"
    r"|respond|pick (?:this|it) up|look (?:at|into)|review|investigate|action|process|sort|resolve|fix|roll\w* out"
    r"|release|deploy|chase|follow (?:up|this up)|be (?:rolled out|fixed|sorted|resolved|released|processed|reviewed"
    r"|actioned|looked at|picked up|provided|sent|given|shared|issued|corrected|credited|rebooked|replaced|refunded)"
    r"|share (?:what|the|their|our|any|an?) )\b",
    re.IGNORECASE,
)
"""The writer (or someone for them) promising to do or say something later."""
_OWN_PROCESS = (
    r"\b(?:once|as soon as|when) (?:it'?s|it has|it is|it'?s been|it has been|the (?:review|investigation)"
    r"(?: has| is)?(?: been)?) ?(?:been )?(?:approved|processed|reviewed|completed"
    r"|actioned|investigated|checked|signed off|authori[sz]ed|cleared)\b"
    r"|\b(?:once|when|as soon as) there'?s (?:news|an update|more)\b|\bas soon as (?:someone|somebody|an agent|a"
    r" colleague)(?:'s| is) (?:free|available)\b|\b(?:reaches|gets to) the front\b|\b(?:nearer|closer to) the time\b"
    r"|\bin the next (?:batch|run|cycle|round)\b|\bwith the next (?:batch|run|cycle|round)\b"
)
"""A "when" held to our own process ("once it's been approved", "in the next batch"): no time at all."""
_NO_WHEN_RE = _Lazy(
    r"\bas (?:a|an|top) (?:priority|urgent matter)\b|\blater\b|\bas things (?:progress|develop|move)\b|\bupcoming\b"
    r"|\bwhen (?:they|we|I|someone|the team) (?:can|are able|get (?:a|the) chance|have (?:time|a moment))\b"
    r"|\bin good time\b|\bonce (?:we|they|I) (?:hear|have heard|get word|know more)\b|\bwhether\b"
    r"|\bwhen we know more\b|\bwhen there'?s news\b|\bin (?:a|one of our|the) (?:future|later|next) (?:release|update"
    r"|version)\b|\bat the next opportunity\b|\bonce (?:one|it|an update|more information|news|further information"
    r"|details?|an outcome) (?:is|are|becomes?|has been) (?:available|ready|known|received)\b|\bwhen available\b"
    r"|\b(?:when|once) (?:they|we|someone|the team|it) (?:get|gets) (?:a)?round to (?:it|this|that)\b|" + _OWN_PROCESS,
    re.IGNORECASE,
)
"""A promise's "when" that names no time: "as a priority", "when they can", "as things progress"."""
_OWN_PROCESS_RE = _Lazy(_OWN_PROCESS, re.IGNORECASE)
_WHEN_THEY_ARE_DONE_RE = _Lazy(
    r"\b(?:once|when|after) (?:they|we|the team|our [\w-]+)(?:'ve| have|'re| are)? (?:reproduced|investigated|reviewed"
    r"|looked into it|checked|finished|done|completed|assessed|had a look|concluded|got to the bottom)\b",
    re.IGNORECASE,
)
"""A "when" held to the end of someone's work: a time only if the work itself has one nearby."""
_HEARD_FROM = r"hear (?:back )?from|(?:get|receive) (?:a|an) (?:call|email|text|update|message|reply|letter|answer)"
"""Being told something, said from the customer's side ("you'll hear from us", "you'll get an email")."""
_TOLD_RE = _Lazy(r"share|update you|keep you|let you know|get back|be in touch|come back to you|contact you|reply"
                 r"|respond|reach out|get in touch|be in contact|call you|ring you|phone you|text you|email you"
                 r"|write to you|follow up with you|" + _HEARD_FROM,
                 re.IGNORECASE)  # fmt: skip
_HANDED_ON_RE = _Lazy(
    r"\b(?:escalated|referred|forwarded|passed (?:it |this |your \w+ )?(?:on )?to|raised (?:it|this|your \w+) with)\b",
    re.IGNORECASE,
)
"""The case handed to another team: what they will do next needs a time as much as a reply does."""
_YOU_WILL_HEAR_RE = _Lazy(r"\byou(?:'ll| will) (?P<act>" + _HEARD_FROM + r")\b", re.IGNORECASE)
"""A promise to tell the customer, said from their side."""
_IF_RE = _Lazy(r"\b(?:if|should|in case|whenever|unless)\b", re.IGNORECASE)
_ANY_PROMISE_RE = _Lazy(r"\b(?:I|we|it|they|you|(?:your|the) [\w-]+)(?:'ll| will| should)\b(?P<act>)", re.IGNORECASE)
"""Any promise at all: read only with a "when" that names no time."""
_UPON_RE = _Lazy(r"\b(?:the moment|as soon as|once|when) (?:it|they|the|your|it's|its|you)\b", re.IGNORECASE)
"""A promise held to an event rather than a clock ("the moment it lands"); one held to our own
process ("once it's been approved") is ``_NO_WHEN_RE``'s."""


def promises_no_time(sentence: str, following: str = "", before: str = "") -> Reading | None:
    """Whether the sentence promises to do or say something later with no time to hold it to:
    a "when" that names none ("someone will pick this up as a priority", "we'll update you as
    things progress"), or a promise to get back with no time in it or the sentence after it
    ("we'll look at it and let you know"). A condition ("if anything changes, I'll let you
    know") promises nothing."""
    lower = sentence.lower()
    if not any(word in lower for word in ("will", "'ll", "shall", "going to", "aim to", "hope to")):
        return None
    promise = _PROMISE_RE.search(sentence) or _YOU_WILL_HEAR_RE.search(sentence)
    if promise is None and _OWN_PROCESS_RE.search(sentence):
        promise = _ANY_PROMISE_RE.search(sentence)  # "your refund will go back once it's been approved"
    if promise is None or names_time(sentence) or _IF_RE.search(sentence):
        return None
    if negated(promise.group(), len(promise.group())):
        return None  # "we'll never text you a link" promises nothing
    vague = _NO_WHEN_RE.search(sentence)
    if vague is None and not names_time(before + " " + following):
        vague = _WHEN_THEY_ARE_DONE_RE.search(sentence)  # "they'll reach out when they're done", and done when?
    if vague is None and _UPON_RE.search(sentence):
        return None  # an event is its time: "we'll email you the moment it lands"
    # Getting back to the customer, or a review by the team it was handed to ("escalated, and the
    # team will review it"), is held to a time in the sentence or the one after; "DM us and we'll
    # look into it" is not.
    told = _TOLD_RE.search(sentence, promise.start("act")) or (
        _HANDED_ON_RE.search(before + " " + sentence) and not sentence[promise.start() :].lower().startswith("we")
    )
    if vague is None and not (told and not names_time(following + " " + before)):
        return None
    if vague is None and to_private_channel(sentence[: promise.start()]):
        return None  # "send us a private message and we'll reply there": the answer waits on them
    end = vague.end() if vague is not None and vague.end() > promise.end() else promise.end()
    return Reading("vague-time", promise.start(), end)


WAY_ON_SENTENCES = 2
"""How far after a rule what the writer can do instead may come: an email often gives the rule,
says it is disappointing, then the two things it can do ("I can't cover the screen... I know
that's disappointing. Two things I can do: ...")."""


def read_roles(text: str, sentences, public: bool) -> list[Reading]:
    """The blame, buck-passing, talking down, walls and promises with no time in a draft's
    sentences, at offsets of the draft."""
    found: list[Reading] = []
    every = list(sentences)
    for number, sentence in enumerate(every):
        following = every[number + 1].text if number + 1 < len(every) else ""
        later = " ".join(after.text for after in every[number + 1 : number + 1 + WAY_ON_SENTENCES])
        before = every[number - 1].text if number else ""
        said = sentence.text.lstrip()  # read from its first word: a sentence's own start is where "Please ..." begins
        at = sentence.start + len(sentence.text) - len(said)
        roles = (blames(said, before, following), passes_buck(said, public, following, before), talks_down(said),
                 walls(said, later, before), promises_no_time(said, following, before))  # fmt: skip
        for role in roles:
            if role is not None:
                found.append(Reading(role.family, at + role.start, at + role.end))
    return found
