"""Reading a draft reply before it goes out: what would make an upset customer angrier.

The rules are data (``rules.yaml`` beside this module, plus each pack's ``avoid:`` entries). A
rule reads context: a ``match:`` hit is dropped when an ``unless:`` expression is in the same
sentence, so "I'll phone you back at 3pm today" is a committed callback, not "call back later".
The checker returns findings and never prints.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from . import learned, reading
from .channels import LIMITS as CHANNEL_LIMITS
from .channels import PUBLIC
from .errors import Location, PhrasekitError
from .index import recovering
from .patterns import Haystack, PatternError, Patterns
from .reading import _Lazy
from .text import SHORTHAND

KINDS = ("reply", "follow-up")
FOLLOW_UP_RE = re.compile(
    r"\b(?:following up|follow(?:ed|ing)? up on|as promised|an update on|update on your|(?<!for )checking (?:in|back)|"
    r"wanted to update you|here'?s (?:an|a quick) update|quick update|just to update you|sorry again|"
    r"since we (?:spoke|talked|last spoke)|(?:thanks|thank you) (?:again )?for (?:bearing with|"
    r"sticking with|your patience while|confirming)|while (?:we|I) (?:looked into|chased|checked|investigated)|"
    r"here(?:'s| is) what (?:I|we)(?:'ve| have) done|what (?:I|we)(?:'ve| have) done (?:so far|since))\b",
    re.IGNORECASE,
)
"""Words a follow-up opens with. Not "as discussed" (a reply recaps a call too) and not the
customer's "thanks for checking in": on 463 hand-labelled replies those made 4 replies follow-ups,
each then held to rules it need not meet."""
SENTENCE_END_RE = re.compile(r"[.!?]+(?=\s|$)|\n\s*\n")
PRIVATE_ASK_RE = re.compile(
    r"\b(?:reply|comment|post|share|send|give|tell|provide|include|confirm|let us know|DM)\b[^.?!\n]{0,40}"
    r"\b(?:your|the)\s+(?:\w+\s+){0,2}(?:email|e-mail|phone|mobile|number|address|account|order|card|password|"
    r"pin|date of birth|postcode|zip)",
    re.IGNORECASE,
)


class CheckError(PhrasekitError):
    """Bad input for the checker: an unreadable draft or a broken rule."""


@dataclass(frozen=True)
class Rule:
    id: str
    message: str
    suggest: str = ""
    match: Sequence[re.Pattern] = ()
    unless: Sequence[re.Pattern] = ()
    require: Sequence[re.Pattern] = ()
    repeated: tuple[str, ...] = ()
    limits: tuple[tuple[str, int], ...] = ()
    kinds: tuple[str, ...] = KINDS
    channels: tuple[str, ...] = ()
    source: str = "builtin"

    def applies(self, kind: str, channel: str | None) -> bool:
        return kind in self.kinds and (not self.channels or channel in self.channels)


@dataclass
class CheckFinding:
    location: Location
    rule: str
    message: str
    excerpt: str = ""
    suggestion: str | None = None
    suggestion_id: str | None = None
    sentence: str = ""
    """The sentence the finding is in ("" for one about the whole draft: a follow-up's missing thanks)."""
    family: str = ""
    """What kind of problem it is: the built-in rule's id, or ``pack-rule`` for a team's ``avoid:``."""
    kind: str = ""
    """The kind of draft it was read as (``reply`` or ``follow-up``)."""

    def __str__(self) -> str:
        text = f"{self.location}: {self.rule} {self.message}"
        if self.excerpt:
            text += f' ("{self.excerpt}")'
        if self.suggestion:
            text += f" (try: {self.suggestion})"
        return text

    def to_dict(self) -> dict:
        return {
            "path": self.location.path, "line": self.location.line, "column": self.location.column,
            "rule": self.rule, "family": self.family or self.rule, "message": self.message, "excerpt": self.excerpt,
            "sentence": self.sentence, "kind": self.kind, "suggestion": self.suggestion or None,
            "suggestion_id": self.suggestion_id,
        }  # fmt: skip


def asks_for_private_details(text: str) -> bool:
    return bool(PRIVATE_ASK_RE.search(text))


def _compile(patterns, flags: int, where: Location, trusted: bool) -> Patterns:
    """Each pattern bounded (patterns.compile_pattern). A pack's are compiled at once and refused
    when they could stall; the built-in ones (reviewed, timed on hostile drafts) on first use."""
    return Patterns(patterns or (), flags, where, estimate=not trusted, lazy=trusted)


def _could_match(patterns: Sequence[re.Pattern], haystack: Haystack) -> Iterable[re.Pattern]:
    """The patterns that can match in the text (all of them for a plain tuple of compiled ones)."""
    return patterns.could_match(haystack) if isinstance(patterns, Patterns) else patterns


def _limits(raw) -> tuple[tuple[str, int], ...]:
    """A rule's ``limits:``: a mapping of channel to characters, or ``channels`` for the declared ones."""
    if raw == "channels":
        raw = CHANNEL_LIMITS
    return tuple((str(k), int(v)) for k, v in (raw or {}).items())


def rule_from_data(data: dict, where: Location, source: str = "builtin") -> Rule:
    """A rule from its YAML form; a ``PatternError`` (a ``CheckError``) for a pattern that does not
    compile or, outside the built-in rules, could stall ``check``."""
    flags = 0 if data.get("case") else re.IGNORECASE
    trusted = source == "builtin"
    try:
        return _rule(data, where, source, flags, trusted)
    except PatternError as exc:
        raise CheckError(exc.message, exc.location, hint=exc.hint) from None


def _named(patterns, trusted: bool):
    """The built-in rules' ``{time}``: what a time is, declared once (``reading.TIME``)."""
    if not trusted or not patterns:
        return patterns
    return [reading.TIME if pattern == "{time}" else pattern for pattern in patterns]


def _rule(data: dict, where: Location, source: str, flags: int, trusted: bool) -> Rule:
    return Rule(
        id=str(data["id"]),
        message=str(data["message"]),
        suggest=str(data.get("suggest") or ""),
        match=_compile(data.get("match"), flags, where, trusted),
        unless=_compile(_named(data.get("unless"), trusted), re.IGNORECASE, where, trusted),
        require=_compile(_named(data.get("require"), trusted), re.IGNORECASE, where, trusted),
        repeated=tuple(str(p) for p in data.get("repeated") or ()),
        limits=_limits(data.get("limits")),
        kinds=tuple(data.get("kinds") or KINDS),
        channels=PUBLIC if data.get("channels") == "public" else tuple(data.get("channels") or ()),
        source=source,
    )


def builtin_rules() -> list[Rule]:
    from .yamlfile import load_yaml

    path = Path(__file__).resolve().parent / "rules.yaml"
    doc = load_yaml(path)
    return [rule_from_data(item, doc.location(("rules", n))) for n, item in enumerate(doc.data["rules"])]


def pack_rules(packs: Iterable, warn: Callable[[str], None] | None = None) -> list[Rule]:
    """Each pack's ``avoid:`` entries as rules. Pack validation refuses a pattern that could stall
    ``check``; one that reaches here all the same (a cache written by an older phrasekit, a pack
    read through the library) is left out and told once to ``warn``, never run."""
    rules = []
    for pack in packs:
        for number, entry in enumerate(pack.avoid, start=1):
            try:
                rule = _pack_rule(pack, entry.get("number", number), entry)
            except CheckError as exc:
                if warn is not None:
                    warn(f"{exc.location}: {exc.message}; this rule of pack '{pack.name}' is skipped "
                         f"(run `phrasekit packs validate {exc.location.path}`)")  # fmt: skip
                continue
            rules.append(rule)
    return rules


def stored_rules(packs: Iterable) -> dict:
    """The built-in rules and the packs' ``avoid:`` rules as plain data, for the index to keep
    (``rules_in_force`` reads them back): their patterns parsed, checked and compiled once, when
    the index is built, instead of on every check (parsing them was most of a short check's
    time), and the warnings about pack rules left out, to be given again on every check."""
    warnings: list[str] = []
    rules = builtin_rules() + pack_rules(packs, warnings.append)
    return {"rules": [_rule_data(rule) for rule in rules], "warnings": warnings}


def _rule_data(rule: Rule) -> tuple:
    return (rule.id, rule.message, rule.suggest, int(rule.match.flags), rule.match.stored(), rule.unless.stored(),
            rule.require.stored(), rule.repeated, rule.limits, rule.kinds, rule.channels, rule.source)  # fmt: skip


def rules_in_force(index, warn: Callable[[str], None] | None = None) -> list[Rule]:
    """The built-in rules, then each pack's ``avoid:`` rules, as the index keeps them (read from
    rules.yaml and the packs when it keeps none); each pack rule left out is told to ``warn``."""
    stored = index.stored_rules()
    if stored is None:
        return builtin_rules() + pack_rules(index.avoid(), warn)
    where = Location("-")
    rules = [
        Rule(id=rule_id, message=message, suggest=suggest,
             match=Patterns.from_stored(match, flags, where),
             unless=Patterns.from_stored(unless, re.IGNORECASE, where),
             require=Patterns.from_stored(require, re.IGNORECASE, where),
             repeated=tuple(repeated), limits=tuple(tuple(limit) for limit in limits), kinds=tuple(kinds),
             channels=tuple(channels), source=source)
        for rule_id, message, suggest, flags, match, unless, require, repeated, limits, kinds, channels, source
        in stored["rules"]
    ]  # fmt: skip
    if warn is not None:
        for text in stored["warnings"]:
            warn(text)
    return rules


def _pack_rule(pack, number: int, entry: dict) -> Rule:
    return rule_from_data({
                "id": entry.get("id") or f"{pack.name}/avoid-{number}",
                "message": entry["reason"],
                "suggest": entry.get("suggest") or "",
                "match": [entry["pattern"]],
                "unless": entry.get("unless") or [],
            }, Location(pack.path), source=pack.name)  # fmt: skip


FOLLOW_UP_WORDS = 25
"""The fewest words a follow-up is written in: it says what went wrong, what was done and what
happens next. A one-line check-in ("just checking the replacement arrived?") or a short social
reply is not held to the follow-up rules, whatever words it opens with."""


def guess_kind(text: str) -> str:
    """``follow-up`` for a draft that reads as one (its words, and long enough to be one), else
    ``reply``: a guess that errs toward the reply, whose rules ask less."""
    long_enough = len(re.findall(r"[A-Za-z']+", text)) >= FOLLOW_UP_WORDS
    return "follow-up" if long_enough and FOLLOW_UP_RE.search(text) else "reply"


class _Lines:
    """Line and column of an offset in a text, by bisection over its newlines (found once: asking
    the text itself each time made ``check`` quadratic in the draft)."""

    def __init__(self, text: str, path: str) -> None:
        self.newlines = [m.start() for m in re.finditer("\n", text)]
        self.path = path

    def at(self, offset: int) -> Location:
        before = bisect_left(self.newlines, offset)
        line_start = self.newlines[before - 1] + 1 if before else 0
        return Location(self.path, before + 1, offset - line_start + 1)


class _Offsets:
    """The offset of a line and column (the inverse of ``_Lines.at``)."""

    def __init__(self, text: str) -> None:
        self.starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def at(self, location: Location) -> int | None:
        if location.line is None or location.line > len(self.starts):
            return None
        return self.starts[location.line - 1] + (location.column or 1) - 1


CHAT_SHORTHAND = {
    **{word: SHORTHAND[word] for word in ("u", "ur", "pls", "plz", "thx", "thnx", "tmrw", "tmr", "msg", "acct", "acc",
                                          "pw", "pwd", "b4")},
    "u're": "you're", "u'll": "you'll", "u've": "you've", "u'd": "you'd", "2moro": "tomorrow", "ppl": "people",
    "apols": "apologies", "shd": "should", "wont": "won't", "cant": "can't", "dont": "don't", "w/": "with",
}  # fmt: skip
"""How reps shorten words in a quick chat or text, read as the words they stand for ("can u reply
w/ ur PIN" asks for a PIN as "can you reply with your PIN" does): those of search's
``text.SHORTHAND`` with one meaning in a support draft, and forms only a draft has. "w/" is
"with", a lone "w" is not."""
_SHORTHAND_RE = _Lazy(
    r"(?<![\w'.@/-])(?:"
    + "|".join(sorted((re.escape(word) for word in CHAT_SHORTHAND), key=len, reverse=True))
    + r")(?![\w'@/-])",
    re.IGNORECASE,
)


def _write_out(text: str) -> tuple[str, list[int], list[int]]:
    """``text`` with its shorthand written out, each offset of the result's offset in ``text``
    (``back``) and each offset of ``text``'s in the result (``forward``)."""
    parts, back, done = [], [], 0
    for hit in _SHORTHAND_RE.finditer(text):
        parts.append(text[done : hit.start()])
        back.extend(range(done, hit.start()))
        word = hit.group()
        full = CHAT_SHORTHAND[word.lower()]
        if word[0].isupper():
            full = full[0].upper() + full[1:]
        parts.append(full)
        back.extend([hit.start()] * len(full))
        done = hit.end()
    parts.append(text[done:])
    back.extend(range(done, len(text) + 1))
    forward = [0] * (len(text) + 1)
    for at, was in reversed(list(enumerate(back))):
        forward[was] = at
    return "".join(parts), back, forward


class _LinesThrough(NamedTuple):
    """The draft's line and column of an offset of its written-out text: findings are read in
    the words, and shown where the rep typed them."""

    lines: _Lines
    back: list[int]

    def at(self, offset: int) -> Location:
        return self.lines.at(self.back[min(offset, len(self.back) - 1)])


class _OffsetsThrough(NamedTuple):
    """The written-out text's offset of a line and column of the draft."""

    offsets: _Offsets
    forward: list[int]

    def at(self, location: Location) -> int | None:
        offset = self.offsets.at(location)
        return None if offset is None else self.forward[min(offset, len(self.forward) - 1)]


TOPIC_CHARS = 20_000
"""How much of a draft says what it is about (the family its suggestions come from): far more
than the longest reply a rep writes; reading all of a 2 MB draft for it took as long as checking it."""
QUOTE_RE = re.compile(r'"[^"\n]{1,200}"|\u201c[^\u201d\n]{1,200}\u201d|(?<!\w)\'[^\'\n]{4,200}\'(?!\w)')


class _Quotes:
    """Words in quotation marks are someone else's (often the customer's), not the draft's."""

    def __init__(self, text: str) -> None:
        self.spans = [m.span() for m in QUOTE_RE.finditer(text)]  # in order, never overlapping
        self.starts = [a for a, _ in self.spans]

    def __contains__(self, offset: int) -> bool:
        at = bisect_right(self.starts, offset) - 1
        return at >= 0 and offset < self.spans[at][1]


_ISE_RE = re.compile(r"is(e[sd]?|ing)$")


def _words(text: str) -> list[tuple[str, int]]:
    """Lowercase words with their offsets; British and American spellings folded (-ise/-ize)."""
    return [(_ISE_RE.sub(r"iz\1", m.group(0).lower()), m.start())
            for m in re.finditer(r"[A-Za-z0-9']+", text)]  # fmt: skip


HIDDEN_SHOWN = 20
"""Hidden characters reported one by one in a draft; past this many, one finding says how many
more (a pasted log can hold thousands, and the first few say what to fix)."""

_TERMINAL_CODES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|[\x00-\x08\x0b-\x1f\x7f-\x9f]"
)
"""Terminal escape sequences (CSI, OSC) and the other controls, blanked for the rules to read
the words around them."""


def _hidden_characters(text: str, lines) -> list[CheckFinding]:
    """A finding for each character of the draft a customer would not see as written: a control,
    an escape, a bidi override, a zero-width character (which can also hide a word from a rule)."""
    from .visible import describe, hidden, visible

    every = list(hidden(text, block=True))
    found = [CheckFinding(lines.at(offset), "hidden-character",
                          f"holds {describe(char)} (shown as {visible(char)}), which the customer would not see as "
                          "written: take it out") for offset, char in every[:HIDDEN_SHOWN]]  # fmt: skip
    if len(every) > HIDDEN_SHOWN:
        found.append(CheckFinding(lines.at(every[HIDDEN_SHOWN][0]), "hidden-character",
                                  f"and {len(every) - HIDDEN_SHOWN} more hidden characters"))  # fmt: skip
    return found


def check_text(
    text: str,
    rules: Sequence[Rule],
    *,
    channel: str | None = None,
    kind: str | None = None,
    path: str = "-",
    meanings: Callable[[list[str]], list[tuple[int, str]]] | None = None,
    learned_reading: bool = True,
) -> list[CheckFinding]:
    """Every finding in a draft, in reading order. ``meanings`` (``meaning.read``, with the
    semantic extra) reads each sentence's meaning for the families no wording list holds;
    ``learned_reading=False`` leaves out ``learned.read`` (to measure the rules alone)."""
    kind = kind or guess_kind(text)
    original = text
    text = re.sub(r"(?<!\n)\n(?!\n)", " ", text)  # wrapped lines read as one; offsets unchanged
    lines: _Lines | _LinesThrough = _Lines(original, path)
    offsets: _Offsets | _OffsetsThrough = _Offsets(original)
    findings = _hidden_characters(original, lines)
    if findings:  # rules read through escape sequences and controls ("\x1b[31mcalm down\x1b[0m")
        text = _TERMINAL_CODES.sub(lambda m: " " * len(m.group()), text)
    if _SHORTHAND_RE.search(text):  # "can u reply w/ ur PIN pls" is read as it is meant
        text, back, forward = _write_out(text)
        lines, offsets = _LinesThrough(lines, back), _OffsetsThrough(offsets, forward)
    quoted, sentences = _Quotes(text), reading.Sentences(text, SENTENCE_END_RE)
    read = reading.Sentences(text)  # by meaning, each list item a sentence of its own
    haystack = Haystack(text)
    flagged: set[tuple[str, int]] = set()  # one finding per rule and sentence
    shown: list[tuple[int, int]] = []  # each detail shown in public is its own finding, once
    for rule in rules:
        if not rule.applies(kind, channel):
            continue
        excused: dict[int, bool] = {}  # sentence start -> an ``unless`` is in it (asked once)
        each = rule.id == "private-details" and rule.source == "builtin"  # every detail, not every sentence
        for pattern in _could_match(rule.match, haystack):
            for hit in pattern.finditer(text):
                if hit.start() in quoted:
                    continue
                start, end, _ = sentences.around(hit.start())
                if each and any(hit.start() < b and a < hit.end() for a, b in shown):
                    continue
                if (rule.id, start) in flagged and not each:
                    continue
                if start not in excused:
                    sentence = text[start:end]
                    excused[start] = any(u.search(sentence) for u in _could_match(rule.unless, Haystack(sentence)))
                if excused[start]:
                    continue
                if rule.source == "builtin" and reading.excused(rule.id, text[start:end], hit.group(0)):
                    continue  # the wording is there, the problem is not: the sentence says otherwise
                flagged.add((rule.id, start))
                if each:
                    shown.append(hit.span())
                excerpt = " ".join(hit.group(0).split()).rstrip(".,;:")
                findings.append(CheckFinding(lines.at(hit.start()), rule.id, rule.message, excerpt))
        required = _could_match(rule.require, haystack)
        if rule.require and not any(_required_here(rule, p, text, sentences) for p in required):
            findings.append(CheckFinding(Location(path, 1, 1), rule.id, rule.message))
        if rule.repeated:
            findings += _repeats(original, rule, path)
        for limit_channel, limit in rule.limits:
            if channel == limit_channel and len(text.strip()) > limit:
                findings.append(CheckFinding(Location(path, 1, 1), rule.id,
                                             f"{rule.message}: {len(text.strip())} characters, over the "
                                             f"{channel} limit of {limit}"))  # fmt: skip
    builtin = {rule.id: rule for rule in rules if rule.source == "builtin"}
    decided = {name: rule for name, rule in builtin.items() if not rule.match}
    public = channel in PUBLIC
    for found in [*reading.decide(text, read, public=public), *_roles(text, read, public)]:
        rule = decided.get(found.family) or (builtin.get(found.family) if found.family in ROLE_FAMILIES else None)
        if rule is None or not rule.applies(kind, channel) or found.start in quoted:
            continue
        start = sentences.around(found.start).start
        if (rule.id, start) not in flagged:
            flagged.add((rule.id, start))
            findings.append(CheckFinding(lines.at(found.start), rule.id, rule.message, text[found.start : found.end]))
    by_id = {rule.id: rule for rule in rules}
    for finding in findings:  # what each is about, and where: the sentence, the kind of draft read
        rule = by_id.get(finding.rule)
        finding.family = finding.rule if rule is None or rule.source == "builtin" else "pack-rule"
        finding.kind = kind
        offset = offsets.at(finding.location) if finding.location.line else None
        if offset is not None and finding.excerpt:
            start, end, _ = sentences.around(offset)
            finding.sentence = " ".join(text[start:end].split())
    every = [sentence for sentence in read if sentence.text.strip()]

    def said_in(number: int, family: str, span: tuple[int, int] | None = None) -> None:
        """A finding of ``family`` on sentence ``number`` of ``every`` (at ``span`` of its stripped
        text, else from its start), unless that sentence has one."""
        rule = builtin.get(family)
        sentence = every[number]
        at = sentence.start + len(sentence.text) - len(sentence.text.lstrip())
        if rule is None or not rule.applies(kind, channel) or at in quoted:
            return
        start = sentences.around(at).start
        if (rule.id, start) not in flagged:
            flagged.add((rule.id, start))
            shown = sentence.text.strip()[span[0] : span[1]] if span else sentence.text
            excerpt = " ".join(shown.split())
            findings.append(CheckFinding(lines.at(at + (span[0] if span else 0)), rule.id, rule.message, excerpt[:60]))
            findings[-1].family, findings[-1].kind = rule.id, kind
            findings[-1].sentence = " ".join(text[start : sentences.around(at).end].split())

    if meanings is not None:
        for number, family in meanings([sentence.text.strip() for sentence in every]):
            said_in(number, family)
    # The learned reading speaks last, for the families nothing above found, and reads only the
    # draft's own words: what it quotes (often the customer's) is blanked out.
    if learned_reading:
        pieces, done = [], 0  # one pass, however many quotes (a pasted thread may hold thousands)
        for start, end in quoted.spans:
            pieces += [text[done:start], " " * (end - start)]
            done = end
        unquoted = "".join(pieces) + text[done:]
        own = {n: words for n, s in enumerate(every) if (words := unquoted[s.start : s.start + len(s.text)].strip())}
        numbers = list(own)
        already = frozenset(finding.rule for finding in findings)
        for number, family in learned.read(list(own.values()), skip=already):
            said_in(numbers[number], family, learned.cue(every[numbers[number]].text.strip(), family))
    unique: dict[tuple, CheckFinding] = {}
    said: set[tuple] = set()  # a sentence said again is the repetition finding's, not a new problem
    for finding in sorted(findings, key=lambda f: (f.location.line or 0, f.location.column or 0, f.rule)):
        again = (finding.rule, finding.excerpt.lower(), (finding.sentence or "").lower())
        if finding.rule != "repetition" and finding.sentence and again in said:
            continue
        said.add(again)
        unique.setdefault((finding.rule, finding.location.line, finding.location.column), finding)
    return list(unique.values())


ROLE_FAMILIES = ("blame", "pass-the-buck", "condescension", "vague-time")
"""The families ``roles.py`` also decides from who does what, beside their rules' wordings."""


def _roles(text: str, sentences: reading.Sentences, public: bool) -> list:
    from .roles import read_roles

    return read_roles(text, sentences, public)


def _repeats(text: str, rule: Rule, path: str) -> list[CheckFinding]:
    """A stock phrase used twice, or any run of five words (two of them four letters or more)
    said twice: either reads as scripted."""
    words = _words(text)
    lines = _Lines(text, path)
    found = []
    stock = [tuple(w for w, _ in _words(phrase)) for phrase in rule.repeated]
    by_first: dict[str, list[tuple[str, ...]]] = {}  # only the phrases a word can start are tried there
    for phrase in stock:
        if phrase:
            by_first.setdefault(phrase[0], []).append(phrase)
    runs: dict[tuple[str, ...], int] = {}
    reported: set[int] = set()
    repeating_until = -1  # a repeated run of words is one finding, however long the sentence it repeats
    for start in range(len(words)):
        for phrase in by_first.get(words[start][0], ()):
            if tuple(w for w, _ in words[start : start + len(phrase)]) == phrase:
                runs.setdefault(phrase, -1)
                if runs[phrase] >= 0 and start not in reported:
                    found.append(
                        CheckFinding(
                            lines.at(words[start][1]),
                            rule.id,
                            rule.message,
                            text[words[start][1] : words[start + len(phrase) - 1][1] + 8].strip(),
                        )
                    )
                    reported.add(start)
                runs[phrase] = start
        gram = tuple(w for w, _ in words[start : start + 5])
        if len(gram) == 5 and sum(len(w) >= 4 for w in gram) >= 2:
            first = runs.get(gram)
            if first is None:
                runs[gram] = start
            elif start >= first + 5 and start <= repeating_until:
                repeating_until = start + 5
            elif start >= first + 5 and not any(n in reported for n in range(start - 4, start + 1)):
                said = CheckFinding(lines.at(words[start][1]), rule.id, SAID_TWICE, " ".join(gram), suggestion="")
                found.append(said)
                reported.add(start)
                repeating_until = start + 5
    return found + _repeated_sentences(text, rule, lines, found)


REPEATED_SENTENCE_WORDS = 3
"""A whole sentence of this many words said again is repetition, however short ("Your trial
ends today. Your trial ends today."): fewer ("Thanks! Thanks!") is warmth."""


SAID_TWICE = "says the same words twice; say them once"
"""The repetition finding for the draft's own words said again: nothing from the bank replaces
them (a stock phrase used twice gets the rule's message and suggestion)."""


def _required_here(rule: Rule, pattern: re.Pattern, text: str, sentences) -> bool:
    """Whether ``pattern`` of a ``require:`` rule is in the draft, in a sentence the built-in
    reading lets it count in (``reading.meets``: "I chased the handyman this morning" names a
    time, not a next step)."""
    if rule.source != "builtin":
        return pattern.search(text) is not None
    for hit in pattern.finditer(text):
        start, end, _ = sentences.around(hit.start())
        if reading.meets(rule.id, text[start:end]):
            return True
    return False


def _repeated_sentences(text: str, rule: Rule, lines, found: list[CheckFinding]) -> list[CheckFinding]:
    """Sentences said twice that the five-word runs are too short to catch."""
    seen: set[tuple[str, ...]] = set()
    lines_found = {finding.location.line for finding in found}
    more = []
    for sentence in reading.Sentences(text):
        said = re.sub(r"^\s*[\w&' -]{1,30}:\s+", "", sentence.text)  # "Tallyboard: your trial ends today."
        words = tuple(word for word, _ in _words(said))
        if not (REPEATED_SENTENCE_WORDS <= len(words) < 5):
            continue
        if words in seen:
            location = lines.at(sentence.start)
            if location.line not in lines_found:
                more.append(CheckFinding(location, rule.id, SAID_TWICE, sentence.text.strip(), suggestion=""))
        seen.add(words)
    return more


def _unfolded_offset(text: str, folded: int) -> int:
    """The offset in ``text`` of position ``folded`` in its whitespace-folded lowercase form."""
    for count, match in enumerate(re.finditer(r"\s+|\S", text)):
        if count >= folded:
            return match.start()
    return len(text)


def suggest(
    findings: list[CheckFinding],
    rules: Sequence[Rule],
    index,
    draft: str,
    channel: str | None,
    situation: str | None = None,
) -> None:
    """Fill each finding's suggestion with a phrase from the bank: the rule's phrase id, or a phrase
    of its category from the family of ``situation`` (the general ones when there is none, or it
    has none of that category), blanks shown as ``[when]``."""
    from .blanks import fill
    from .search import family_for, phrases_for

    by_id = {rule.id: rule for rule in rules}
    cache: dict[str, tuple[str, str] | None] = {}
    topic = draft[:TOPIC_CHARS]  # what the draft is about, without the words the rules flag
    haystack = Haystack(topic)
    for rule in rules:
        for number in range(len(rule.match)):
            if not isinstance(rule.match, Patterns) or rule.match.may_match(number, haystack):  # the topic as it is now
                topic, changed = rule.match[number].subn(" ", topic)
                if changed:
                    haystack = Haystack(topic)
    # The case's situation, when the rep says it, is read as search reads it. A draft alone names
    # its situation too loosely to guess a family from ("reply with your order number" is not about
    # a lost order; of 263 hand-written replies search found a family for, it was the case's in 84):
    # a suggestion from the wrong family is worse than the practice's own words, so it gets those.
    family = family_for(index, situation) if situation else None
    for finding in findings:
        if finding.suggestion is not None:  # said already: none fits (words said twice)
            continue
        target = by_id[finding.rule].suggest if finding.rule in by_id else ""
        if not target:
            continue
        if target not in cache:
            cache[target] = None
            if "/" in target:
                phrase = index.find(target)
                if phrase is not None:
                    cache[target] = (phrase.full_id, fill(phrase.text, {}))
            else:
                for source in dict.fromkeys([family, None]):
                    found = phrases_for(index, source, target, channel, topic)
                    short = [p for p in found if len(p.text) <= 120] or found
                    if short:
                        cache[target] = (short[0].full_id, fill(short[0].text, {}))
                        break
        if cache[target]:
            finding.suggestion_id, finding.suggestion = cache[target]


def read_draft(source: str) -> tuple[str, str]:
    """The draft's text and the name to report it under; ``-`` reads standard input
    (``files.read_input``: UTF-8 text, bounded, never a pipe or a device by name)."""
    from .files import read_input

    try:
        return read_input(source, "the draft")
    except PhrasekitError as exc:
        raise CheckError(exc.message, exc.location, exc.hint) from None


@dataclass(frozen=True)
class CheckResult:
    """What ``check_draft`` found in a draft, in reading order, and how it read it."""

    findings: list[CheckFinding]
    kind: str
    """``reply`` or ``follow-up`` (given, or guessed from the draft)."""
    channel: str | None
    name: str
    """The name the draft is reported under (its file, or ``-``)."""

    @property
    def clean(self) -> bool:
        return not self.findings


def _meanings(mode: str | None):
    """``meaning.read`` when ``mode`` is ``semantic`` (an error where it cannot run), else nothing.

    Not by default, even with the extra installed: calibrated to add no false finding on the dev
    replies, it adds one finding there (policy-wall) and none on the held-out replies; calibrated
    for more, it lowered held-out precision from 0.84 to 0.74 (issue 14's note). Its exemplars
    need to get better before it may speak unasked."""
    if mode != "semantic":
        return None
    from . import meaning

    if mode == "semantic" and not meaning.available():
        from .errors import SemanticUnavailable
        from .semantic import unavailable_reason

        raise SemanticUnavailable(
            f"check cannot read by meaning here: {unavailable_reason() or 'semantic is off'}",
            hint="Install the semantic extra and its model (docs/semantic.md), or leave out --semantic.",
        )
    return meaning.read if meaning.available() else None


@recovering
def check_draft(
    text: str,
    *,
    name: str = "-",
    channel: str | None = None,
    kind: str | None = None,
    situation: str | None = None,
    mode: str | None = None,
    paths: Sequence[str] = (),
    warn=None,
) -> CheckResult:
    """Read a draft reply and find what would make an upset customer angrier: the built-in
    rules and each pack's ``avoid:`` entries, each finding with its line and column in the
    draft and, where the bank has one, a phrase to use instead: from the family of ``situation``
    (what the case is about, read as ``search`` reads it) when given, else the practice's general
    words."""
    return check_drafts([(text, name)], channel=channel, kind=kind, situation=situation, mode=mode, paths=paths,
                        warn=warn)[0]  # fmt: skip


def check_drafts(
    drafts: Sequence[tuple[str, str]],
    *,
    channel: str | None = None,
    kind: str | None = None,
    situation: str | None = None,
    mode: str | None = None,
    paths: Sequence[str] = (),
    warn=None,
) -> list[CheckResult]:
    """``check_draft`` for several drafts (``(text, name)`` pairs), in order: the index, the rules
    in force and the meaning reader are opened once for all of them, and a pack's warning is said
    once, not once a draft. An empty draft is a ``CheckError`` naming it, before any is read."""
    from .catalogue import open_index

    for text, name in drafts:
        if not text.strip():
            where = None if name == "-" else Location(name)  # "empty.txt: the draft is empty", as a bad file is said
            hint = (
                "Paste or pipe the reply in." if where is None else "Write the reply in the file, then check it again."
            )
            raise CheckError("the draft is empty", where, hint=hint)
    index = open_index(paths, warn)
    rules = rules_in_force(index, warn)
    meanings = _meanings(mode)
    results = []
    for text, name in drafts:
        assumed = kind or guess_kind(text)
        findings = check_text(text, rules, channel=channel, kind=assumed, path=name, meanings=meanings)
        if findings:
            suggest(findings, rules, index, text, channel, situation)
        results.append(CheckResult(findings, assumed, channel, name))
    return results
